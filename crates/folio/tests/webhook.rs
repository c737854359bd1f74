//! `callback` on async jobs: the final `/job/check` body is POSTed there, signed, retried after
//! a server error; SSRF rules apply to callbacks as to inputs.

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
    let s = Server::start(&["--fetch-allow", "127.0.0.1", "--webhook-secret", "s3cret"]);
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
    assert_eq!(
        header(&second, "x-folio-signature").map(str::to_string),
        Some(folio_hmac("s3cret", &second.body))
    );
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

/// The receiver's side of the signature: HMAC-SHA256 (RFC 2104) over SHA-256, written out here
/// so the test does not trust the server's own code.
fn folio_hmac(key: &str, body: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    let mut k = [0u8; 64];
    k[..key.len()].copy_from_slice(key.as_bytes());
    let pad = |b: u8| k.iter().map(|x| x ^ b).collect::<Vec<u8>>();
    let inner = Sha256::new()
        .chain_update(pad(0x36))
        .chain_update(body)
        .finalize();
    let outer = Sha256::new()
        .chain_update(pad(0x5c))
        .chain_update(inner)
        .finalize();
    let hex: String = outer.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256={hex}")
}
