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
