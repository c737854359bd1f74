//! Hostile or unlucky clients: racing uploads, names that try to escape, bursts and crashes.

mod common;

use std::time::Duration;

use common::*;
use serde_json::Value;

#[test]
fn a_presigned_url_accepts_exactly_one_of_racing_uploads() {
    let s = Server::start(&[]);
    let (_, j) = s.get_json("/file/upload/get-presigned-url?name=race.pdf");
    let put_url = j["presignedUrl"].as_str().unwrap().to_string();
    let bodies: Vec<Vec<u8>> = (0..8u8).map(|i| vec![b'a' + i; 200_000]).collect();
    let handles: Vec<_> = bodies
        .iter()
        .cloned()
        .map(|body| {
            let url = put_url.clone();
            std::thread::spawn(move || {
                client()
                    .put(url)
                    .body(body)
                    .send()
                    .unwrap()
                    .status()
                    .as_u16()
            })
        })
        .collect();
    let statuses: Vec<u16> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    assert_eq!(
        statuses.iter().filter(|&&c| c == 200).count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses.iter().all(|&c| c == 200 || c == 403),
        "{statuses:?}"
    );
    let stored = get_bytes(j["url"].as_str().unwrap()).2;
    assert!(
        bodies.contains(&stored),
        "the stored file is one whole upload"
    );
}

#[test]
fn names_cannot_escape_the_storage_root() {
    let s = Server::start(&[]);
    for name in [
        "../../../../tmp/evil.pdf",
        "/etc/passwd",
        "a\u{0}b.pdf",
        &"x".repeat(5000),
        "..",
        "C:\\\\win\\\\x.pdf",
    ] {
        let q: String = url_encode(name);
        let (status, j) = s.get_json(&format!("/file/upload/get-presigned-url?name={q}"));
        assert_eq!(status, 200, "{name:?}: {j}");
        let url = j["url"].as_str().unwrap();
        let last = url.rsplit('/').next().unwrap();
        assert!(
            !last.is_empty() && last.len() <= 100 && !last.contains(".."),
            "{name:?} → {url}"
        );
        assert!(
            last.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b)),
            "{url}"
        );
    }
    // Everything the server wrote is under its data directory.
    assert!(!std::path::Path::new("/tmp/evil.pdf").exists());
}

fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b".-_".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// `kill -9` during a burst of 100 async jobs, then a restart: every job succeeds, each result is
/// complete, and the placeholder of a job is never served before its pages exist.
#[test]
fn kill_9_during_a_burst_of_100_jobs_loses_nothing() {
    let s = Server::start(&["--job-lease-secs", "3", "--workers", "2"]);
    let url = s.upload(&fixture("qpdf-boxes.pdf"));
    let mut jobs = vec![];
    for i in 0..100 {
        let pages = ["0-7", "0", "!0", "1-3"][i % 4];
        let (status, j) = s.get_json(&format!(
            "/pdf/convert/to/png?async=true&pages={pages}&url={url}"
        ));
        assert_eq!(status, 200, "{j}");
        jobs.push((
            j["jobId"].as_str().unwrap().to_string(),
            j["url"].as_str().unwrap().to_string(),
            pages,
        ));
    }
    // Let some finish, then crash in the middle of the burst.
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    loop {
        let done = jobs
            .iter()
            .filter(|(id, _, _)| {
                s.get_json(&format!("/job/check?jobid={id}")).1["status"] == "success"
            })
            .count();
        if done >= 10 {
            assert!(
                done < 100,
                "all jobs finished before the crash; make the burst bigger"
            );
            break;
        }
        assert!(std::time::Instant::now() < deadline);
        std::thread::sleep(Duration::from_millis(20));
    }
    let s = s.crash_and_restart();
    for (id, placeholder, pages) in &jobs {
        let job = s.wait_job(id, Duration::from_secs(120));
        assert_eq!(job["status"], "success", "{job}");
        let want = match *pages {
            "0-7" => 8,
            "1-3" => 3,
            _ => 1,
        };
        assert_eq!(job["pageCount"], want, "{job}");
        let (st, _, list) = get_bytes(placeholder);
        assert_eq!(st, 200);
        let urls: Vec<String> = serde_json::from_slice(&list).unwrap();
        assert_eq!(urls.len(), want as usize);
        assert_eq!(
            Value::from(urls.clone()),
            job["urls"],
            "the answered result is the stored one"
        );
        for u in urls {
            let (st, ct, png) = get_bytes(&u);
            assert_eq!((st, ct.as_str()), (200, "image/png"));
            png_size(&png);
        }
    }
}

/// Hostile PDFs built here, not taken from a corpus: each ends in an image or a clear PDF.co
/// error quickly, and the server keeps serving.
#[test]
fn generated_bombs_end_in_an_answer_and_the_server_stays_up() {
    let s = Server::start(&["--sync-timeout-secs", "60", "--page-timeout-secs", "5"]);
    let zeros_flate: Vec<u8> = vec![0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01];
    let image = |w: u32, h: u32| {
        [format!("<< /Type /XObject /Subtype /Image /Width {w} /Height {h} /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /FlateDecode /Length {} >>\nstream\n", zeros_flate.len()).into_bytes(), zeros_flate.clone(), b"\nendstream".to_vec()].concat()
    };
    let jbig2 = |w: u32, h: u32| {
        let data = [0x97u8, 0x4a, 0x42, 0x32, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0];
        [format!("<< /Type /XObject /Subtype /Image /Width {w} /Height {h} /ImageMask true /Filter /JBIG2Decode /Length {} >>\nstream\n", data.len()).into_bytes(), data.to_vec(), b"\nendstream".to_vec()].concat()
    };
    let deep = format!("/Junk {}{}", "[".repeat(100_000), "]".repeat(100_000));
    let cyclic = pdf(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>".to_vec(),
        b"<< /Length 14 >>\nstream\n0 0 10 10 re f\nendstream".to_vec(),
    ]);
    let mut huge_count = cyclic.clone();
    let needle = b"/Kids [2 0 R 3 0 R] /Count 2";
    let at = huge_count
        .windows(needle.len())
        .position(|w| w == needle)
        .unwrap();
    huge_count.splice(
        at..at + needle.len(),
        b"/Kids [3 0 R]  /Count 2000000000".iter().copied(),
    );
    let cases: Vec<(&str, Vec<u8>, &[u16])> = vec![
        ("20,000-inch page", one_page("/MediaBox [0 0 1440000 1440000]", b"0 0 10 10 re f", vec![]), &[400]),
        ("30,000² Flate image", one_page("/Resources << /XObject << /Im0 5 0 R >> >>", b"q 200 0 0 200 0 0 cm /Im0 Do Q", vec![image(30_000, 30_000)]), &[400]),
        ("deeply nested arrays", one_page(&deep, b"0 0 10 10 re f", vec![]), &[200, 442]),
        ("self-drawing form", one_page("/Resources << /XObject << /F0 5 0 R >> >>", b"/F0 Do", vec![b"<< /Type /XObject /Subtype /Form /BBox [0 0 200 200] /Resources << /XObject << /F0 5 0 R >> >> /Length 6 >>\nstream\n/F0 Do\nendstream".to_vec()]), &[200, 442]),
        ("1,000,000 nested q", one_page("", format!("{}0 0 10 10 re f{}", "q ".repeat(1_000_000), " Q".repeat(1_000_000)).as_bytes(), vec![]), &[200, 442]),
        ("cyclic page tree", cyclic, &[200, 442]),
        ("page count of two billion", huge_count, &[200, 442]),
        ("forms nested 8 deep, 10 wide", nested_forms(8, 10), &[442, 445]),
        ("200,000² JBIG2 image", one_page("/Resources << /XObject << /Im0 5 0 R >> >>", b"q 200 0 0 200 0 0 cm /Im0 Do Q", vec![jbig2(200_000, 200_000)]), &[400]),
        // Under the declared-size guard (450 MB of bits), but 3.6 GB if decoded a byte a pixel:
        // the render worker's memory ceiling, or the engine's own refusal, ends it.
        ("60,000² JBIG2 image", one_page("/Resources << /XObject << /Im0 5 0 R >> >>", b"q 200 0 0 200 0 0 cm /Im0 Do Q", vec![jbig2(60_000, 60_000)]), &[200, 400, 442]),
    ];
    for (what, bytes, allowed) in cases {
        let started = std::time::Instant::now();
        let (status, j) = post_pdf(&s, "/pdf/convert/to/png", bytes, &[]);
        assert!(allowed.contains(&status), "{what}: {status} {j}");
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "{what} took {:?}",
            started.elapsed()
        );
        if status != 200 {
            assert!(j["message"].as_str().unwrap().len() > 20, "{what}: {j}");
        }
        let (alive, _) = s.get_json("/account/credit/balance");
        assert_eq!(alive, 200, "server down after {what}");
    }
}

/// A client that trickles its upload gets 408 once the body timeout passes; an oversized body
/// gets 413; the server keeps serving others meanwhile.
#[test]
fn slow_and_oversized_uploads_are_cut_off() {
    use std::io::{Read, Write};
    let s = Server::start(&["--body-timeout-secs", "2", "--max-upload-mib", "1"]);
    let mut conn = std::net::TcpStream::connect(("127.0.0.1", s.port)).unwrap();
    write!(conn, "POST /file/upload/base64 HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nfile=").unwrap();
    let started = std::time::Instant::now();
    conn.set_read_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    let mut answer = Vec::new();
    while started.elapsed() < Duration::from_secs(10) {
        let _ = conn.write_all(b"A");
        let mut buf = [0u8; 4096];
        match conn.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                answer.extend_from_slice(&buf[..n]);
                break;
            }
            Err(_) => {}
        }
        let (alive, _) = s.get_json("/account/credit/balance");
        assert_eq!(alive, 200);
    }
    let text = String::from_utf8_lossy(&answer);
    assert!(text.starts_with("HTTP/1.1 408"), "{text}");
    assert!(
        started.elapsed() < Duration::from_secs(6),
        "{:?}",
        started.elapsed()
    );

    // 2 MiB against a 1 MiB limit: the answer is 413, sent before the client finishes sending.
    let mut conn = std::net::TcpStream::connect(("127.0.0.1", s.port)).unwrap();
    let len = 2 * 1024 * 1024;
    write!(
        conn,
        "POST /file/upload/base64 HTTP/1.1\r\nHost: x\r\nContent-Length: {len}\r\n\r\n"
    )
    .unwrap();
    let chunk = vec![b'A'; 64 * 1024];
    for _ in 0..len / chunk.len() {
        if conn.write_all(&chunk).is_err() {
            break;
        }
    }
    conn.set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut buf = [0u8; 512];
    let n = conn.read(&mut buf).unwrap_or(0);
    let text = String::from_utf8_lossy(&buf[..n]);
    assert!(text.starts_with("HTTP/1.1 413"), "{text}");
}

/// Past `--max-queued-jobs` waiting jobs, async requests get 429 with a message; the accepted
/// ones still finish.
#[test]
fn a_full_queue_answers_429() {
    let s = Server::start(&[
        "--max-queued-jobs",
        "2",
        "--workers",
        "1",
        "--render-threads",
        "1",
    ]);
    let url = s.upload(&fixture("qpdf-rotated.pdf"));
    let mut accepted = vec![];
    let mut refused = 0;
    for _ in 0..8 {
        let (status, j) = s.get_json(&format!(
            "/pdf/convert/to/png?async=true&profiles={{'RenderingResolution':300}}&url={url}"
        ));
        match status {
            200 => accepted.push(j["jobId"].as_str().unwrap().to_string()),
            429 => {
                refused += 1;
                assert!(
                    j["message"].as_str().unwrap().contains("Too many requests"),
                    "{j}"
                );
            }
            other => panic!("{other}: {j}"),
        }
    }
    assert!(refused >= 1, "no 429 with a queue of 2");
    assert!(accepted.len() >= 2, "{accepted:?}");
    for id in accepted {
        assert_eq!(
            s.wait_job(&id, Duration::from_secs(120))["status"],
            "success"
        );
    }
}

/// A client that never finishes its headers is disconnected after the header timeout, and
/// other clients are served meanwhile.
#[test]
fn unfinished_headers_are_cut_off() {
    use std::io::{Read, Write};
    let s = Server::start(&["--header-timeout-secs", "2"]);
    let mut conn = std::net::TcpStream::connect(("127.0.0.1", s.port)).unwrap();
    conn.write_all(b"GET /account/credit/balance HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        .unwrap();
    conn.set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let started = std::time::Instant::now();
    assert_eq!(s.get_json("/account/credit/balance").0, 200);
    let mut buf = [0u8; 256];
    let closed = matches!(conn.read(&mut buf), Ok(0))
        || conn.read(&mut buf).is_err_and(|e| {
            e.kind() != std::io::ErrorKind::WouldBlock && e.kind() != std::io::ErrorKind::TimedOut
        });
    assert!(
        closed || String::from_utf8_lossy(&buf).starts_with("HTTP/1.1 408"),
        "connection still open"
    );
    assert!(
        started.elapsed() < Duration::from_secs(6),
        "{:?}",
        started.elapsed()
    );
}
