//! The real binary refuses to fetch `url` inputs from its own networks (loopback, private,
//! link-local, cloud metadata…), checks every redirect hop the same way, and fetches from
//! ranges an operator re-opens with `--fetch-allow`. Only loopback is ever contacted.

mod common;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use common::*;
use serde_json::{Value, json};

/// A tiny HTTP/1.1 server on `ip`: `respond(path)` gives status line and extra headers, or the
/// PDF when `None`. Counts the connections it accepts.
struct Origin {
    port: u16,
    hits: Arc<AtomicUsize>,
}

impl Origin {
    fn start(
        ip: &str,
        pdf: Vec<u8>,
        respond: impl Fn(&str) -> Option<String> + Send + 'static,
    ) -> std::io::Result<Self> {
        let listener = TcpListener::bind((ip, 0))?;
        let port = listener.local_addr()?.port();
        let hits = Arc::new(AtomicUsize::new(0));
        let counter = hits.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                counter.fetch_add(1, Ordering::SeqCst);
                let mut buf = [0u8; 4096];
                let n = stream.read(&mut buf).unwrap_or(0);
                let head = String::from_utf8_lossy(&buf[..n]);
                let path = head.split_whitespace().nth(1).unwrap_or("/").to_string();
                let _ = match respond(&path) {
                    Some(head) => stream.write_all(
                        format!("{head}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                            .as_bytes(),
                    ),
                    None => stream
                        .write_all(
                            format!(
                                "HTTP/1.1 200 OK\r\nContent-Type: application/pdf\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                                pdf.len()
                            )
                            .as_bytes(),
                        )
                        .and_then(|()| stream.write_all(&pdf)),
                };
            }
        });
        Ok(Self { port, hits })
    }

    fn pdf_server() -> Self {
        Self::start("127.0.0.1", pdf(), |_| None).unwrap()
    }

    fn hits(&self) -> usize {
        self.hits.load(Ordering::SeqCst)
    }
}

fn pdf() -> Vec<u8> {
    std::fs::read(fixture("qpdf-boxes.pdf")).unwrap()
}

fn redirect(location: &str) -> Option<String> {
    Some(format!("HTTP/1.1 302 Found\r\nLocation: {location}"))
}

/// The three routes that fetch a `url`: a conversion, `/pdf/info` and `/file/upload/url`.
fn each_fetching_route(s: &Server, url: &str) -> Vec<(&'static str, u16, Value)> {
    let (png_status, png) = s.get_json(&format!("/pdf/convert/to/png?pages=0&url={url}"));
    let (info_status, info) = s.get_json(&format!("/pdf/info?url={url}"));
    let r = client()
        .post(s.url("/file/upload/url"))
        .json(&json!({"url": url, "name": "x.pdf"}))
        .send()
        .unwrap();
    let upload_status = r.status().as_u16();
    vec![
        ("/pdf/convert/to/png", png_status, png),
        ("/pdf/info", info_status, info),
        ("/file/upload/url", upload_status, r.json().unwrap()),
    ]
}

fn assert_refused(s: &Server, url: &str, needles: &[&str]) {
    for (route, status, j) in each_fetching_route(s, url) {
        assert_eq!(status, 403, "{route} {url}: {j}");
        assert_eq!(j["error"], true, "{j}");
        assert_eq!(j["status"], 403, "{j}");
        let msg = j["message"].as_str().unwrap();
        for needle in needles.iter().chain(&["--fetch-allow"]) {
            assert!(
                msg.contains(needle),
                "{route} {url}: '{msg}' lacks '{needle}'"
            );
        }
    }
}

#[test]
fn own_networks_are_refused_by_default() {
    let s = Server::start(&[]);
    let origin = Origin::pdf_server();
    let p = origin.port;
    assert_refused(
        &s,
        &format!("http://127.0.0.1:{p}/a.pdf"),
        &[
            &format!("'http://127.0.0.1:{p}/a.pdf'"),
            "points to a loopback address (127.0.0.1)",
        ],
    );
    assert_refused(
        &s,
        &format!("http://[::1]:{p}/a.pdf"),
        &["a loopback address (::1)"],
    );
    assert_refused(
        &s,
        &format!("http://[::ffff:127.0.0.1]:{p}/a.pdf"),
        &["a loopback address"],
    );
    assert_refused(
        &s,
        &format!("http://0.0.0.0:{p}/a.pdf"),
        &["an unspecified address (0.0.0.0)"],
    );
    assert_refused(
        &s,
        &format!("http://2130706433:{p}/a.pdf"),
        &["a loopback address (127.0.0.1)"],
    );
    assert_refused(&s, "http://10.255.255.1/a.pdf", &["a private address"]);
    assert_refused(&s, "http://[fd00::1]/a.pdf", &["unique-local"]);
    // A name resolving to loopback: refused after resolution, without quoting the address.
    for (route, status, j) in each_fetching_route(&s, &format!("http://localhost:{p}/a.pdf")) {
        assert_eq!(status, 403, "{route}: {j}");
        let msg = j["message"].as_str().unwrap();
        assert!(msg.contains("resolves to a loopback address"), "{msg}");
        assert!(!msg.contains("127.0.0.1") && !msg.contains("::1"), "{msg}");
    }
    // Cloud metadata: refused before any connection is attempted, so at once.
    let started = Instant::now();
    assert_refused(
        &s,
        "http://169.254.169.254/latest/meta-data",
        &["a link-local address (169.254.169.254)"],
    );
    assert!(started.elapsed() < Duration::from_secs(5));
    // Async jobs fail the same way.
    let (status, j) = s.get_json(&format!(
        "/pdf/convert/to/png?async=true&url=http://127.0.0.1:{p}/a.pdf"
    ));
    assert_eq!(status, 200, "{j}");
    let job = s.wait_job(j["jobId"].as_str().unwrap(), Duration::from_secs(30));
    assert_eq!(job["status"], "failed", "{job}");
    assert_eq!(job["errorCode"], 403, "{job}");
    assert_eq!(origin.hits(), 0, "no refused destination may be contacted");
}

#[test]
fn other_schemes_stay_invalid_urls() {
    let s = Server::start(&["--fetch-allow", "127.0.0.1/32"]);
    for url in [
        "file:///etc/passwd",
        "ftp://127.0.0.1/a.pdf",
        "gopher://127.0.0.1:70/_x",
    ] {
        for (route, status, j) in each_fetching_route(&s, url) {
            assert_eq!(status, 452, "{route} {url}: {j}");
        }
    }
}

#[test]
fn fetch_allow_reopens_ranges_and_host_names() {
    let origin = Origin::pdf_server();
    let p = origin.port;
    let s = Server::start(&["--fetch-allow", "127.0.0.1/32"]);
    for url in [
        format!("http://127.0.0.1:{p}/a.pdf"),
        format!("http://[::ffff:127.0.0.1]:{p}/a.pdf"),
        // `localhost` also resolves to ::1, which stays refused: 127.0.0.1 is used.
        format!("http://localhost:{p}/a.pdf"),
    ] {
        for (route, status, j) in each_fetching_route(&s, &url) {
            assert_eq!(status, 200, "{route} {url}: {j}");
        }
    }
    let (_, j) = s.get_json(&format!(
        "/pdf/convert/to/png?url=http://127.0.0.1:{p}/a.pdf"
    ));
    assert_eq!(j["pageCount"], 8, "{j}");
    assert_refused(
        &s,
        &format!("http://[::1]:{p}/a.pdf"),
        &["a loopback address (::1)"],
    );
    assert_refused(
        &s,
        &format!("http://127.0.0.2:{p}/a.pdf"),
        &["a loopback address (127.0.0.2)"],
    );
    drop(s);
    // By host name, among other entries.
    let s = Server::start(&["--fetch-allow", "10.0.0.0/8, localhost"]);
    let (status, j) = s.get_json(&format!("/pdf/info?url=http://localhost:{p}/a.pdf"));
    assert_eq!(status, 200, "{j}");
    assert_refused(
        &s,
        &format!("http://127.0.0.1:{p}/a.pdf"),
        &["a loopback address"],
    );
}

/// A proxy from the environment would resolve and connect in our place, out of the guard's
/// reach: the client ignores it.
#[test]
fn a_proxy_from_the_environment_is_not_used() {
    let proxy = Origin::pdf_server();
    let s = Server::start_with(&[], |cmd| {
        cmd.envs(
            [
                "HTTP_PROXY",
                "http_proxy",
                "HTTPS_PROXY",
                "https_proxy",
                "ALL_PROXY",
                "all_proxy",
            ]
            .map(|k| (k, format!("http://127.0.0.1:{}", proxy.port))),
        )
        .env_remove("NO_PROXY")
        .env_remove("no_proxy");
    });
    assert_refused(
        &s,
        "http://localhost:9/a.pdf",
        &["resolves to a loopback address"],
    );
    assert_eq!(proxy.hits(), 0);
}

#[test]
fn a_bad_allow_entry_stops_the_server_with_a_clear_error() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(["--fetch-allow", "127.0.0.1/32,10.0.0.0/33"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("10.0.0.0/33") && err.contains("prefix length must be 0..=32"),
        "{err}"
    );
}

#[test]
fn every_redirect_hop_is_checked() {
    let target = Origin::pdf_server();
    let t = target.port;
    let hops = Origin::start("127.0.0.1", vec![], move |path| match path {
        "/to-v6" => redirect(&format!("http://[::1]:{t}/a.pdf")),
        "/to-mapped" => redirect(&format!("http://[::ffff:127.0.0.2]:{t}/a.pdf")),
        "/to-metadata" => redirect("http://169.254.169.254/latest/meta-data"),
        "/to-private" => redirect("http://10.0.0.5/a.pdf"),
        "/to-file" => redirect("file:///etc/passwd"),
        "/to-gopher" => redirect(&format!("gopher://127.0.0.1:{t}/_x")),
        "/to-pdf" => redirect(&format!("http://127.0.0.1:{t}/a.pdf")),
        "/loop" => redirect("/loop"),
        _ => Some("HTTP/1.1 404 Not Found".into()),
    })
    .unwrap();
    let h = hops.port;
    let s = Server::start(&["--fetch-allow", "127.0.0.1/32"]);
    let started = Instant::now();
    for (path, needle) in [
        (
            "/to-v6",
            "redirects to '::1', which points to a loopback address (::1)",
        ),
        ("/to-mapped", "a loopback address (::ffff:127.0.0.2)"),
        (
            "/to-metadata",
            "redirects to '169.254.169.254', which points to a link-local address",
        ),
        ("/to-private", "a private address (10.0.0.5)"),
    ] {
        let url = format!("http://127.0.0.1:{h}{path}");
        assert_refused(&s, &url, &[&format!("'{url}'"), needle]);
    }
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(target.hits(), 0);
    for (route, status, j) in each_fetching_route(&s, &format!("http://127.0.0.1:{h}/to-gopher")) {
        assert_eq!(status, 452, "{route}: {j}");
        let msg = j["message"].as_str().unwrap();
        assert!(msg.contains("only http and https"), "{msg}");
    }
    // A Location without an authority is not followed at all: the 302 itself is the answer.
    for (route, status, j) in each_fetching_route(&s, &format!("http://127.0.0.1:{h}/to-file")) {
        assert_eq!(status, 400, "{route}: {j}");
        assert!(j["message"].as_str().unwrap().contains("302"), "{j}");
    }
    for (route, status, j) in each_fetching_route(&s, &format!("http://127.0.0.1:{h}/loop")) {
        assert_eq!(status, 400, "{route}: {j}");
        assert!(
            j["message"].as_str().unwrap().contains("more than 5"),
            "{j}"
        );
    }
    for (route, status, j) in each_fetching_route(&s, &format!("http://127.0.0.1:{h}/to-pdf")) {
        assert_eq!(status, 200, "{route}: {j}");
    }
    assert_eq!(target.hits(), 3);
}

/// A hop to a host name goes through the guarded resolver: from an allowed origin on 127.0.0.2,
/// a redirect to `localhost` (127.0.0.1 and ::1, both refused) fails.
#[test]
fn a_redirect_to_a_name_resolving_to_a_refused_address_is_refused() {
    let target = Origin::pdf_server();
    let t = target.port;
    let Ok(hops) = Origin::start("127.0.0.2", vec![], move |_| {
        redirect(&format!("http://localhost:{t}/a.pdf"))
    }) else {
        eprintln!("SKIPPED: cannot listen on 127.0.0.2 on this system");
        return;
    };
    let s = Server::start(&["--fetch-allow", "127.0.0.2/32"]);
    let url = format!("http://127.0.0.2:{}/x", hops.port);
    for (route, status, j) in each_fetching_route(&s, &url) {
        assert_eq!(status, 403, "{route}: {j}");
        let msg = j["message"].as_str().unwrap();
        assert!(
            msg.contains("redirects to 'localhost', which resolves to a loopback address"),
            "{msg}"
        );
        assert!(!msg.contains("127.0.0.1"), "{msg}");
    }
    assert_eq!(target.hits(), 0);
}
