//! What a stranger sends to break the server, against the real binary: parameters that nest
//! without end, uploads that are web pages, bodies larger than memory, slow sources that would
//! hold every renderer, more synchronous requests than renderers, credentials in URLs, HEAD on
//! an expensive route, and leftovers of a crash.

mod common;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::{Duration, Instant, SystemTime};

use common::*;

fn good_pdf() -> Vec<u8> {
    std::fs::read(fixture("qpdf-rotated.pdf")).unwrap()
}

#[test]
fn deeply_nested_profiles_answer_444_and_the_server_lives() {
    let mut s = Server::start(&[]);
    let url = s.upload(&fixture("qpdf-rotated.pdf"));
    let deep = "[".repeat(20_000);
    let c = client();
    // In the query (the request that used to abort the process), a form body and a JSON body.
    let r = c
        .get(s.url(&format!("/pdf/convert/to/png?url={url}&profiles={deep}")))
        .send()
        .unwrap();
    assert_eq!(r.status().as_u16(), 444);
    let r = c
        .post(s.url("/pdf/convert/to/png"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("url={url}&profiles={}", "{a:".repeat(20_000)))
        .send()
        .unwrap();
    assert_eq!(r.status().as_u16(), 444);
    let body = serde_json::json!({ "url": url, "profiles": "{a:".repeat(20_000) });
    let r = c
        .post(s.url("/pdf/convert/to/png"))
        .json(&body)
        .send()
        .unwrap();
    assert_eq!(r.status().as_u16(), 444);
    let j: serde_json::Value = r.json().unwrap();
    assert!(j["message"].as_str().unwrap().contains("deep"), "{j}");
    // A JSON body nested past serde_json's limit is a plain 400.
    let r = c
        .post(s.url("/pdf/convert/to/png"))
        .header("content-type", "application/json")
        .body(format!(
            "{{\"url\":\"{url}\",\"profiles\":{}",
            "[".repeat(20_000)
        ))
        .send()
        .unwrap();
    assert_eq!(r.status().as_u16(), 400);
    assert!(s.child_alive());
    let (st, j) = s.get_json(&format!("/pdf/convert/to/png?url={url}&pages=0"));
    assert_eq!(st, 200, "{j}");
}

#[test]
fn uploaded_web_pages_are_served_inert_and_every_answer_has_security_headers() {
    let s = Server::start(&[]);
    for ct in ["text/html", "image/svg+xml", "application/xhtml+xml"] {
        let (_, j) = s.get_json(&format!(
            "/file/upload/get-presigned-url?name=x.html&contenttype={}",
            ct.replace('+', "%2B")
        ));
        let put = client()
            .put(j["presignedUrl"].as_str().unwrap())
            .body("<script>alert(localStorage.getItem('folio-api-key'))</script>")
            .send()
            .unwrap();
        assert_eq!(put.status().as_u16(), 200);
        let r = client().get(j["url"].as_str().unwrap()).send().unwrap();
        assert_eq!(r.status().as_u16(), 200);
        let h = r.headers();
        assert_eq!(h["x-content-type-options"], "nosniff", "{ct}");
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(
            csp.contains("sandbox") && csp.contains("default-src 'none'"),
            "{ct}: {csp}"
        );
        let disposition = h["content-disposition"].to_str().unwrap();
        assert!(disposition.starts_with("attachment"), "{ct}: {disposition}");
    }
    // A result image still displays inline, under the same sandbox.
    let url = s.upload(&fixture("qpdf-rotated.pdf"));
    let (_, j) = s.get_json(&format!("/pdf/convert/to/png?url={url}&pages=0"));
    let r = client().get(j["urls"][0].as_str().unwrap()).send().unwrap();
    assert_eq!(r.headers()["content-type"], "image/png");
    assert!(
        r.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("inline")
    );
    assert!(
        r.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("sandbox")
    );
    // JSON answers, errors, the web page: no sniffing, never framed.
    for path in ["/health", "/job/check?jobid=nope", "/no/such/route", "/"] {
        let r = client().get(s.url(path)).send().unwrap();
        let h = r.headers();
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["x-frame-options"], "DENY", "{path}");
        assert!(
            h["content-security-policy"]
                .to_str()
                .unwrap()
                .contains("frame-ancestors 'none'"),
            "{path}"
        );
    }
}

#[test]
fn head_on_a_conversion_does_no_work() {
    let s = Server::start(&[]);
    let url = s.upload(&fixture("qpdf-rotated.pdf"));
    let before = s.stored_files();
    let r = client()
        .head(s.url(&format!("/pdf/convert/to/png?url={url}")))
        .send()
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(s.stored_files(), before, "HEAD rendered and stored pages");
    // A download keeps its real HEAD: size and type.
    let r = client().head(&url).send().unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(
        r.headers()["content-length"].to_str().unwrap(),
        good_pdf().len().to_string()
    );
}

/// Send a request head by hand and read what comes back before sending any body.
fn raw_answer(s: &Server, head: &str) -> String {
    let mut tcp = TcpStream::connect(("127.0.0.1", s.port)).unwrap();
    tcp.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    tcp.write_all(head.as_bytes()).unwrap();
    let mut buf = vec![0; 4096];
    let n = tcp.read(&mut buf).unwrap_or(0);
    String::from_utf8_lossy(&buf[..n]).into_owned()
}

#[test]
fn a_declared_body_over_the_limit_is_refused_before_it_is_sent() {
    let s = Server::start(&["--max-upload-mib", "10"]);
    let (_, j) = s.get_json("/file/upload/get-presigned-url?name=big.pdf");
    let put = j["presignedUrl"].as_str().unwrap();
    let path = &put[put.find("/file/").unwrap()..];
    let started = Instant::now();
    let answer = raw_answer(
        &s,
        &format!(
            "PUT {path} HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\n\r\n",
            11u64 << 20
        ),
    );
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(started.elapsed() < Duration::from_secs(3));
    let answer = raw_answer(
        &s,
        &format!(
            "POST /file/upload HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: {}\r\n\r\n",
            1u64 << 40
        ),
    );
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
}

/// A body of `n` bytes streamed from a generator, so the test holds none of it.
fn big_body(n: u64) -> reqwest::blocking::Body {
    let head = b"%PDF-1.4\n".to_vec();
    let reader = std::io::Cursor::new(head).chain(std::io::repeat(b' ').take(n - 9));
    reqwest::blocking::Body::sized(reader, n)
}

#[test]
fn parallel_large_uploads_go_to_disk_not_memory() {
    let s = Server::start(&["--max-upload-mib", "200"]);
    let size = 150u64 << 20;
    let handles: Vec<_> = (0..4)
        .map(|i| {
            let (base, put) = (s.base.clone(), i % 2 == 0);
            std::thread::spawn(move || {
                let c = client();
                if put {
                    let j: serde_json::Value = c
                        .get(format!(
                            "{base}/file/upload/get-presigned-url?name=b{i}.pdf"
                        ))
                        .send()
                        .unwrap()
                        .json()
                        .unwrap();
                    let r = c
                        .put(j["presignedUrl"].as_str().unwrap())
                        .body(big_body(size))
                        .send()
                        .unwrap();
                    (r.status().as_u16(), j["url"].as_str().unwrap().to_string())
                } else {
                    let form = reqwest::blocking::multipart::Form::new().part(
                        "file",
                        reqwest::blocking::multipart::Part::reader_with_length(
                            std::io::Cursor::new(b"%PDF-1.4\n".to_vec())
                                .chain(std::io::repeat(b' ').take(size - 9)),
                            size,
                        )
                        .file_name(format!("m{i}.pdf")),
                    );
                    let r = c
                        .post(format!("{base}/file/upload"))
                        .multipart(form)
                        .send()
                        .unwrap();
                    let st = r.status().as_u16();
                    let j: serde_json::Value = r.json().unwrap();
                    (st, j["url"].as_str().unwrap_or_default().to_string())
                }
            })
        })
        .collect();
    let results: Vec<(u16, String)> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    for (status, url) in &results {
        assert_eq!(*status, 200, "{results:?}");
        let r = client().head(url).send().unwrap();
        assert_eq!(
            r.headers()["content-length"].to_str().unwrap(),
            size.to_string()
        );
    }
    let peak = s.peak_rss_mib();
    println!("server peak RSS after 4 × 150 MiB uploads at once: {peak} MiB");
    // Buffered whole, 600 MiB of bodies took 2.3-4 times their size; streamed, each upload
    // holds a few parts in flight.
    assert!(
        peak < 256,
        "the server held the uploads in memory: {peak} MiB"
    );
    // Nothing is left in the spool once the requests are answered.
    let spool = std::fs::read_dir(s.data_dir.join("spool"))
        .map(|d| d.count())
        .unwrap_or(0);
    assert_eq!(spool, 0, "spool files outlived their requests");
}

/// An HTTP server on loopback that answers every request with a PDF, sent slowly: headers at
/// once, then one byte every `gap`.
fn slow_source(pdf: Vec<u8>, gap: Duration) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for conn in listener.incoming().flatten() {
            let pdf = pdf.clone();
            std::thread::spawn(move || {
                let mut conn = conn;
                let mut buf = [0; 4096];
                let _ = conn.read(&mut buf);
                let _ = write!(
                    conn,
                    "HTTP/1.1 200 OK\r\nContent-Type: application/pdf\r\nContent-Length: {}\r\n\r\n",
                    pdf.len()
                );
                for b in pdf {
                    if conn.write_all(&[b]).is_err() {
                        return;
                    }
                    std::thread::sleep(gap);
                }
            });
        }
    });
    port
}

#[test]
fn slow_sources_do_not_hold_the_renderers() {
    let port = slow_source(good_pdf(), Duration::from_millis(50));
    let s = Server::start(&[
        "--max-concurrent-renders",
        "1",
        "--fetch-allow",
        "127.0.0.1",
    ]);
    let slow: Vec<_> = (0..2)
        .map(|_| {
            let url = s.url(&format!(
                "/pdf/convert/to/png?url=http://127.0.0.1:{port}/slow.pdf"
            ));
            std::thread::spawn(move || client().get(url).send().map(|r| r.status().as_u16()))
        })
        .collect();
    std::thread::sleep(Duration::from_millis(500));
    let url = s.upload(&fixture("qpdf-rotated.pdf"));
    let started = Instant::now();
    let (st, j) = s.get_json(&format!("/pdf/convert/to/png?url={url}&pages=0"));
    assert_eq!(st, 200, "{j}");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "a stored file waited {:?} behind slow remote fetches",
        started.elapsed()
    );
    drop(slow);
}

#[test]
fn synchronous_requests_beyond_the_renderers_get_429_not_445() {
    let s = Server::start(&[
        "--max-concurrent-renders",
        "1",
        "--max-waiting-sync",
        "1",
        "--sync-timeout-secs",
        "3",
        "--page-timeout-secs",
        "20",
        // No memory ceiling: the bomb's draw list grows by about 1 GiB in 4 s here, and a worker
        // that dies of it frees the renderer before the waiting request times out.
        "--render-memory-mib",
        "0",
    ]);
    // The one renderer is busy with a page that never ends.
    let bomb = {
        let base = s.base.clone();
        std::thread::spawn(move || {
            let form = reqwest::blocking::multipart::Form::new().part(
                "file",
                reqwest::blocking::multipart::Part::bytes(nested_forms(8, 10)).file_name("b.pdf"),
            );
            client()
                .post(format!("{base}/pdf/convert/to/png?async=true"))
                .multipart(form)
                .send()
                .unwrap()
                .status()
                .as_u16()
        })
    };
    assert_eq!(bomb.join().unwrap(), 200);
    std::thread::sleep(Duration::from_millis(1500));
    let url = s.upload(&fixture("qpdf-rotated.pdf"));
    let waiting = {
        let u = s.url(&format!("/pdf/convert/to/png?url={url}"));
        std::thread::spawn(move || {
            let t = Instant::now();
            let r = client().get(u).send().unwrap();
            (r.status().as_u16(), t.elapsed())
        })
    };
    std::thread::sleep(Duration::from_millis(500));
    let t = Instant::now();
    let (st, j) = s.get_json(&format!("/pdf/convert/to/png?url={url}"));
    assert_eq!(st, 429, "{j}");
    assert!(t.elapsed() < Duration::from_secs(1), "refused at once");
    assert!(
        j["message"]
            .as_str()
            .unwrap()
            .contains("Nothing was started")
    );
    let (st, waited) = waiting.join().unwrap();
    assert_eq!(
        st, 429,
        "a request that never got a renderer did not time out"
    );
    assert!(waited >= Duration::from_millis(2400), "{waited:?}");
}

#[test]
fn result_urls_reveal_neither_each_other_nor_the_job() {
    let s = Server::start(&[]);
    let url = s.upload(&fixture("qpdf-rotated.pdf"));
    let (_, j) = s.get_json(&format!(
        "/pdf/convert/to/png?url={url}&pages=0,0,0&async=true"
    ));
    let job = j["jobId"].as_str().unwrap().to_string();
    let done = s.wait_job(&job, Duration::from_secs(60));
    let tokens: Vec<String> = done["urls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            u.as_str()
                .unwrap()
                .split('/')
                .rev()
                .nth(1)
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(tokens.len(), 3);
    for t in &tokens {
        assert!(
            !t.starts_with(&job[..8]),
            "{t} derives visibly from job {job}"
        );
        let shared = tokens
            .iter()
            .filter(|o| *o != t && o[..8] == t[..8])
            .count();
        assert_eq!(shared, 0, "{tokens:?}");
    }
}

#[test]
fn credentials_in_urls_are_not_repeated_in_answers_or_logs() {
    let s = Server::start_logging(&["--fetch-timeout-secs", "10"]);
    let (st, j) = s.get_json(
        "/pdf/convert/to/png?async=true&url=http://alice:hunter2pw@folio-nowhere.invalid/a.pdf?token=tok3nvalue",
    );
    assert_eq!(st, 200, "{j}");
    let done = s.wait_job(j["jobId"].as_str().unwrap(), Duration::from_secs(60));
    assert_eq!(done["status"], "failed");
    let answer = done.to_string();
    let log = std::fs::read_to_string(s.data_dir.join("stderr.log")).unwrap();
    for secret in ["hunter2pw", "tok3nvalue", "alice"] {
        assert!(!answer.contains(secret), "{secret} in {answer}");
        assert!(!log.contains(secret), "{secret} in the log:\n{log}");
    }
    assert!(answer.contains("folio-nowhere.invalid"), "{answer}");
}

#[test]
fn leftovers_of_a_crash_are_swept() {
    let s = Server::start(&["--sweep-interval-secs", "1"]);
    let old = SystemTime::now() - Duration::from_secs(3 * 24 * 3600);
    let spool = s.data_dir.join("spool");
    std::fs::create_dir_all(&spool).unwrap();
    let files = s.data_dir.join("files");
    std::fs::create_dir_all(&files).unwrap();
    let leftovers = [spool.join("spool-crashed"), files.join("abc#1")];
    let kept = [spool.join("spool-fresh"), files.join("def#2")];
    for p in leftovers.iter().chain(&kept) {
        let f = std::fs::File::create(p).unwrap();
        if leftovers.contains(p) {
            f.set_modified(old).unwrap();
        }
    }
    let deadline = Instant::now() + Duration::from_secs(10);
    while leftovers.iter().any(|p| p.exists()) {
        assert!(Instant::now() < deadline, "leftovers not swept");
        std::thread::sleep(Duration::from_millis(200));
    }
    assert!(kept.iter().all(|p| p.exists()), "fresh files were swept");
}

#[test]
fn json_parameter_bodies_cost_what_they_weigh() {
    let s = Server::start(&[]);
    let url = s.upload(&fixture("qpdf-rotated.pdf"));
    // 64 MiB of `0,`: as a JSON tree, tens of bytes per element (it took 2.7 GB).
    let n = 32 << 20;
    let mut body = format!(r#"{{"url":"{url}","pages":"0","padding":["#).into_bytes();
    body.reserve(2 * n + 2);
    for _ in 0..n - 1 {
        body.extend_from_slice(b"0,");
    }
    body.extend_from_slice(b"0]}");
    let r = client()
        .post(s.url("/pdf/convert/to/png"))
        .header("content-type", "application/json")
        .body(body)
        .send()
        .unwrap();
    let status = r.status().as_u16();
    let j: serde_json::Value = r.json().unwrap();
    assert_eq!(status, 200, "{j}");
    let peak = s.peak_rss_mib();
    println!("server peak RSS after a 64 MiB JSON parameter body: {peak} MiB");
    assert!(peak < 400, "the JSON body cost {peak} MiB");
}

#[test]
fn conversions_waiting_for_a_renderer_do_not_hold_their_documents() {
    let s = Server::start(&[
        "--max-concurrent-renders",
        "1",
        "--max-waiting-sync",
        "16",
        "--sync-timeout-secs",
        "4",
        "--page-timeout-secs",
        "30",
    ]);
    let size = 60usize << 20;
    let mut big = b"%PDF-1.4\n".to_vec();
    big.resize(size, b' ');
    let url = s.upload_bytes("big.pdf", big);
    // The one renderer is busy with a page that does not end soon.
    let (st, j) = post_pdf(
        &s,
        "/pdf/convert/to/png?async=true",
        nested_forms(8, 10),
        &[],
    );
    assert_eq!(st, 200, "{j}");
    std::thread::sleep(Duration::from_millis(1500));
    let waiting: Vec<_> = (0..8)
        .map(|_| {
            let u = s.url(&format!("/pdf/convert/to/png?url={url}"));
            std::thread::spawn(move || client().get(u).send().unwrap().status().as_u16())
        })
        .collect();
    let codes: Vec<u16> = waiting.into_iter().map(|h| h.join().unwrap()).collect();
    // 429 when the blocker held the renderer throughout; 445 for those that got it after the
    // blocker hit the workers' memory ceiling (then each read its document only once it ran).
    assert!(codes.iter().all(|&c| c == 429 || c == 445), "{codes:?}");
    let peak = s.peak_rss_mib();
    println!("server peak RSS with 8 conversions of a 60 MiB stored file waiting: {peak} MiB");
    // Read before waiting, the eight copies alone were 480 MiB.
    assert!(peak < 300, "waiting conversions held {peak} MiB");
}

/// `s` percent-encoded for a query value.
fn query_value(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'.' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[test]
fn an_input_url_naming_our_own_api_is_refused_not_followed() {
    let s = Server::start(&["--fetch-allow", "127.0.0.1"]);
    let file = s.upload(&fixture("qpdf-rotated.pdf"));
    // One request that would make the server call itself, which calls itself again…
    let inner = s.url(&format!("/pdf/info?url={}", query_value(&file)));
    let (st, j) = s.get_json(&format!("/pdf/convert/to/png?url={}", query_value(&inner)));
    assert_eq!(st, 400, "{j}");
    let message = j["message"].as_str().unwrap();
    assert!(message.contains("answered 400"), "{message}");
    // What the fetcher was told, and that a fetcher may still download stored files.
    let as_fetcher = |url: &str| client().get(url).header("folio-fetch", "1").send().unwrap();
    let r = as_fetcher(&inner);
    assert_eq!(r.status().as_u16(), 400);
    let j: serde_json::Value = r.json().unwrap();
    assert!(
        j["message"].as_str().unwrap().contains("Folio's own API"),
        "{j}"
    );
    assert_eq!(as_fetcher(&file).status().as_u16(), 200);
    // Without the header the same call works: only fetches are refused.
    assert_eq!(client().get(&inner).send().unwrap().status().as_u16(), 200);
}

/// Bytes in the files of the server's spool directory now.
fn spool_bytes(s: &Server) -> u64 {
    std::fs::read_dir(s.data_dir.join("spool"))
        .map(|d| {
            d.filter_map(|e| e.ok()?.metadata().ok())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

#[test]
fn slow_large_uploads_together_cannot_fill_the_disk() {
    let s = Server::start(&["--max-spool-mib", "8"]);
    let presigned = |name: &str| -> String {
        let j: serde_json::Value = client()
            .get(format!(
                "{}/file/upload/get-presigned-url?name={name}",
                s.base
            ))
            .send()
            .unwrap()
            .json()
            .unwrap();
        j["presignedUrl"].as_str().unwrap().to_string()
    };
    // A stranger starts a 7 MiB upload, sends 6 MiB of it and stalls.
    let first = url::Url::parse(&presigned("slow.pdf")).unwrap();
    let size = 7usize << 20;
    let mut tcp = TcpStream::connect(("127.0.0.1", s.port)).unwrap();
    tcp.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(
        tcp,
        "PUT {}?{} HTTP/1.1\r\nHost: x\r\nContent-Length: {size}\r\n\r\n%PDF-1.4\n",
        first.path(),
        first.query().unwrap_or_default()
    )
    .unwrap();
    tcp.write_all(&vec![b' '; (6 << 20) - 9]).unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while spool_bytes(&s) < 5 << 20 {
        assert!(
            Instant::now() < deadline,
            "the body never reached the spool"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    // While it holds the spool, another large upload is refused with the PDF.co envelope,
    // before its body is sent (its declared length would pass the bound)…
    let second = url::Url::parse(&presigned("second.pdf")).unwrap();
    let answer = raw_answer(
        &s,
        &format!(
            "PUT {}?{} HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\n\r\n",
            second.path(),
            second.query().unwrap_or_default(),
            4 << 20
        ),
    );
    assert!(answer.starts_with("HTTP/1.1 429"), "{answer}");
    assert!(answer.contains("\"status\":429"), "{answer}");
    assert!(answer.contains("8 MiB"), "{answer}");
    // …small requests still work…
    assert_eq!(
        client()
            .get(format!("{}/health", s.base))
            .send()
            .unwrap()
            .status(),
        200
    );
    // …and the stalled one, once finished, is stored whole.
    tcp.write_all(&vec![b' '; 1 << 20]).unwrap();
    let mut answer = vec![0; 4096];
    let n = tcp.read(&mut answer).unwrap();
    let answer = String::from_utf8_lossy(&answer[..n]);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    drop(tcp);
    // The bound is given back: the refused upload now goes through, and the spool empties.
    let r = client()
        .put(presigned("third.pdf"))
        .body(big_body(4 << 20))
        .send()
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let deadline = Instant::now() + Duration::from_secs(10);
    while spool_bytes(&s) > 0 {
        assert!(
            Instant::now() < deadline,
            "spool files outlived their requests"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}
