//! `callback` on async jobs: the final `/job/check` body is POSTed there, signed the Standard
//! Webhooks way, retried after a server error; SSRF rules apply to callbacks as to inputs.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::mpsc;
use std::time::Duration;

use common::*;
use serde_json::Value;

/// One received webhook call: headers (lower-case names) and body.
struct Call {
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

/// A receiver on loopback answering `statuses` in turn (then 200), reporting each call.
fn receiver(statuses: Vec<u16>) -> (u16, mpsc::Receiver<Call>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut statuses = statuses.into_iter();
        for stream in listener.incoming() {
            let mut stream = stream.unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut headers = vec![];
            loop {
                let mut line = String::new();
                reader.read_line(&mut line).unwrap();
                let line = line.trim_end();
                if line.is_empty() {
                    break;
                }
                if let Some((k, v)) = line.split_once(':') {
                    headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
                }
            }
            let len: usize = headers
                .iter()
                .find(|(k, _)| k == "content-length")
                .map_or(0, |(_, v)| v.parse().unwrap());
            let mut body = vec![0; len];
            reader.read_exact(&mut body).unwrap();
            let status = statuses.next().unwrap_or(200);
            write!(
                stream,
                "HTTP/1.1 {status} X\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
            )
            .unwrap();
            let _ = tx.send(Call { headers, body });
        }
    });
    (port, rx)
}

fn header<'a>(call: &'a Call, name: &str) -> Option<&'a str> {
    call.headers
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

#[test]
fn a_finished_job_is_posted_signed_and_retried() {
    let (port, calls) = receiver(vec![503]);
    let s = Server::start(&["--fetch-allow", "127.0.0.1", "--webhook-secret", SECRET]);
    let pdf = std::fs::read(fixture("pdfjs-sizes.pdf")).unwrap();
    let callback = format!("http://127.0.0.1:{port}/hook");
    let (st, j) = post_pdf(
        &s,
        "/pdf/convert/to/png",
        pdf,
        &[("async", "true"), ("callback", &callback)],
    );
    assert_eq!(st, 200, "{j}");
    let job = j["jobId"].as_str().unwrap().to_string();
    // First call answered 503, so a second one follows (after a 1 s backoff).
    let first = calls.recv_timeout(Duration::from_secs(30)).unwrap();
    let second = calls.recv_timeout(Duration::from_secs(30)).unwrap();
    assert_eq!(first.body, second.body);
    let body: Value = serde_json::from_slice(&second.body).unwrap();
    assert_eq!(body["jobId"], job.as_str());
    assert_eq!(body["status"], "success");
    assert_eq!(body["urls"].as_array().unwrap().len(), 3);
    assert_eq!(header(&second, "x-folio-job-id"), Some(job.as_str()));
    assert_eq!(header(&second, "content-type"), Some("application/json"));
    // The body is what /job/check answers, signed with the secret.
    let (_, checked) = s.get_json(&format!("/job/check?jobid={job}"));
    assert_eq!(checked, body);
    for call in [&first, &second] {
        verify_standard_webhook(call);
        assert_eq!(
            header(call, "x-folio-signature"),
            None,
            "the unsigned-time scheme is gone"
        );
    }
    // A retry is the same message: receivers deduplicate by id.
    assert_eq!(header(&first, "webhook-id"), header(&second, "webhook-id"));
    // Delivered: no third call.
    assert!(calls.recv_timeout(Duration::from_secs(3)).is_err());

    // A failed job is reported too.
    let (st, j) = post_pdf(
        &s,
        "/pdf/convert/to/png",
        b"not a pdf".to_vec(),
        &[("async", "true"), ("callback", &callback)],
    );
    assert_eq!(st, 200, "{j}");
    let call = calls.recv_timeout(Duration::from_secs(30)).unwrap();
    verify_standard_webhook(&call);
    assert_ne!(header(&call, "webhook-id"), header(&first, "webhook-id"));
    let body: Value = serde_json::from_slice(&call.body).unwrap();
    assert_eq!(
        (body["status"].as_str(), body["errorCode"].as_u64()),
        (Some("failed"), Some(442))
    );
}

#[test]
fn callbacks_obey_the_ssrf_rules() {
    let s = Server::start(&[]);
    let pdf = std::fs::read(fixture("pdfjs-sizes.pdf")).unwrap();
    for (callback, code) in [
        ("http://169.254.169.254/latest/meta-data", 403),
        ("http://127.0.0.1:9/hook", 403),
        ("file:///etc/passwd", 403),
        ("not a url", 452),
    ] {
        let (st, j) = post_pdf(
            &s,
            "/pdf/convert/to/png",
            pdf.clone(),
            &[("async", "true"), ("callback", callback)],
        );
        assert_eq!(st, code, "{callback}: {j}");
        assert!(j["message"].as_str().unwrap().contains("callback"), "{j}");
    }
}

/// The server's `--webhook-secret`, in the Standard Webhooks form: `whsec_` and base64 of the
/// key bytes (here `folio-webhook-test-key`).
const SECRET: &str = "whsec_Zm9saW8td2ViaG9vay10ZXN0LWtleQ==";

/// What a Standard Webhooks receiver does: recompute `v1,<base64 HMAC-SHA256 of
/// "{id}.{timestamp}.{body}">` with the key from the secret, compare, and refuse a timestamp
/// more than 5 minutes from now (a replay).
fn verify_standard_webhook(call: &Call) {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD;
    let key = b64.decode(SECRET.strip_prefix("whsec_").unwrap()).unwrap();
    let id = header(call, "webhook-id").expect("webhook-id");
    assert!(!id.is_empty());
    let timestamp: u64 = header(call, "webhook-timestamp")
        .expect("webhook-timestamp")
        .parse()
        .unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    assert!(
        now.abs_diff(timestamp) <= 300,
        "stale: {timestamp} at {now}"
    );
    let signed = |timestamp: u64| {
        let mut content = format!("{id}.{timestamp}.").into_bytes();
        content.extend_from_slice(&call.body);
        format!("v1,{}", b64.encode(hmac_sha256(&key, &content)))
    };
    // The header may list several space-separated signatures (key rotation); one must match.
    let given = header(call, "webhook-signature").expect("webhook-signature");
    assert!(
        given.split(' ').any(|s| s == signed(timestamp)),
        "{given} is not {}",
        signed(timestamp)
    );
    // The timestamp is part of what is signed: a replay with a fresh one would not verify.
    assert!(!given.split(' ').any(|s| s == signed(timestamp + 1)));
}

/// HMAC-SHA256 (RFC 2104) over SHA-256, written out here so the test does not trust the server's
/// own code.
fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    use sha2::{Digest, Sha256};
    let mut k = [0u8; 64];
    k[..key.len()].copy_from_slice(key);
    let pad = |b: u8| k.iter().map(|x| x ^ b).collect::<Vec<u8>>();
    let inner = Sha256::new()
        .chain_update(pad(0x36))
        .chain_update(message)
        .finalize();
    Sha256::new()
        .chain_update(pad(0x5c))
        .chain_update(inner)
        .finalize()
        .into()
}

#[test]
fn a_whsec_secret_that_is_not_base64_stops_the_start() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(["config", "--webhook-secret", "whsec_not base64!"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("--webhook-secret"), "{stderr}");
}
