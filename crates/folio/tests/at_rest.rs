//! What a stranger can do to the stored state: write into another job's result through its URL,
//! fill the disk with uploads or with one small PDF's repeated pages, leave a failed job's pages
//! behind, and find the passwords of finished jobs in the database file.

mod common;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::{Duration, Instant};

use common::*;

fn good_pdf() -> Vec<u8> {
    std::fs::read(fixture("qpdf-rotated.pdf")).unwrap()
}

fn put(url: &str, body: Vec<u8>) -> u16 {
    client()
        .put(url)
        .header("content-type", "application/octet-stream")
        .body(body)
        .send()
        .unwrap()
        .status()
        .as_u16()
}

/// The `/file/upload/put/…` form of a `/files/…` URL: what a stranger would try.
fn as_upload_url(file_url: &str) -> String {
    file_url.replacen("/files/", "/file/upload/put/", 1)
}

#[test]
fn a_result_url_is_not_an_upload_url() {
    // One render slot, two workers: the runaway job holds the slot (until the page budget fails
    // it with 445) while the good job is claimed and waits, its result still pending.
    let s = Server::start(&[
        "--workers",
        "2",
        "--max-concurrent-renders",
        "1",
        "--page-timeout-secs",
        "3",
        "--render-memory-mib",
        "16384",
    ]);
    let (st, bomb) = post_pdf(
        &s,
        "/pdf/convert/to/png",
        nested_forms(8, 10),
        &[("async", "true")],
    );
    assert_eq!(st, 200, "{bomb}");
    std::thread::sleep(Duration::from_millis(500));
    let (st, good) = post_pdf(
        &s,
        "/pdf/convert/to/png",
        good_pdf(),
        &[("async", "true"), ("pages", "0-1")],
    );
    assert_eq!(st, 200, "{good}");
    let good_url = good["url"].as_str().unwrap();

    let forged = b"[\"https://evil.example/page.png\"]".to_vec();
    let status = put(&as_upload_url(good_url), forged.clone());
    assert!(
        status == 403 || status == 404,
        "PUT to a running job's result answered {status}"
    );
    let (st, _, body) = get_bytes(good_url);
    assert_eq!(st, 404, "the pending result served {body:?}");

    let done = s.wait_job(good["jobId"].as_str().unwrap(), Duration::from_secs(60));
    assert_eq!(done["status"], "success", "{done}");
    let (st, _, body) = get_bytes(good_url);
    assert_eq!(st, 200);
    let urls: Vec<String> = serde_json::from_slice(&body).unwrap();
    assert_eq!(urls, done["urls"].as_array().unwrap().clone(), "{done}");

    // A failed job's result never comes: its URL must not take one either.
    let failed = s.wait_job(bomb["jobId"].as_str().unwrap(), Duration::from_secs(60));
    assert_eq!(failed["status"], "failed", "{failed}");
    let bomb_url = bomb["url"].as_str().unwrap();
    let status = put(&as_upload_url(bomb_url), forged);
    assert!(
        status == 403 || status == 404,
        "PUT to a failed job's result answered {status}"
    );
    assert_eq!(get_bytes(bomb_url).0, 404);
}

#[test]
fn uploads_past_the_store_quota_answer_507_and_store_nothing() {
    let s = Server::start(&["--max-store-mib", "1"]);
    let half = vec![7u8; 512 * 1024];
    let upload = |data: Vec<u8>| {
        let form = reqwest::blocking::multipart::Form::new().part(
            "file",
            reqwest::blocking::multipart::Part::bytes(data).file_name("a.bin"),
        );
        let r = client()
            .post(s.url("/file/upload"))
            .multipart(form)
            .send()
            .unwrap();
        let status = r.status().as_u16();
        (status, r.json::<serde_json::Value>().unwrap())
    };
    assert_eq!(upload(half.clone()).0, 200);
    let (st, presigned) = s.get_json("/file/upload/get-presigned-url?name=b.bin");
    assert_eq!(st, 200, "{presigned}");

    // Over the quota by one byte: refused, through every way in.
    let (st, j) = upload(vec![1u8; 512 * 1024 + 1]);
    assert_eq!(st, 507, "{j}");
    assert!(
        j["message"].as_str().unwrap().contains("--max-store-mib"),
        "{j}"
    );
    let presigned_url = presigned["presignedUrl"].as_str().unwrap();
    assert_eq!(put(presigned_url, vec![1u8; 512 * 1024 + 1]), 507);
    let (st, j) = post_pdf(&s, "/pdf/convert/to/png", vec![1u8; 600 * 1024], &[]);
    assert_eq!(st, 507, "{j}");
    assert_eq!(s.stored_files(), 1);

    // Exactly full is allowed; then even a presigned URL (an upload of unknown size) is refused.
    assert_eq!(put(presigned_url, half), 200);
    assert_eq!(s.stored_files(), 2);
    let (st, j) = s.get_json("/file/upload/get-presigned-url?name=c.bin");
    assert_eq!(st, 507, "{j}");
    let r = client()
        .post(s.url("/file/upload/base64"))
        .form(&[("file", "aGVsbG8=")])
        .send()
        .unwrap();
    assert_eq!(r.status().as_u16(), 507);
    assert_eq!(s.stored_files(), 2);
}

#[test]
fn parallel_uploads_cannot_pass_the_quota_together() {
    let s = Server::start(&["--max-store-mib", "50"]);
    let size = 20usize << 20;
    let start = std::sync::Barrier::new(8);
    let codes: Vec<u16> = std::thread::scope(|scope| {
        let uploads: Vec<_> = (0..8)
            .map(|i| {
                let (s, start) = (&s, &start);
                scope.spawn(move || {
                    let form = reqwest::blocking::multipart::Form::new().part(
                        "file",
                        reqwest::blocking::multipart::Part::bytes(vec![i as u8; size])
                            .file_name("a.bin"),
                    );
                    start.wait();
                    client()
                        .post(s.url("/file/upload"))
                        .multipart(form)
                        .send()
                        .unwrap()
                        .status()
                        .as_u16()
                })
            })
            .collect();
        uploads.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let stored = codes.iter().filter(|&&c| c == 200).count();
    assert!(codes.iter().all(|&c| c == 200 || c == 507), "{codes:?}");
    // Checked one by one against the records alone, all eight saw room for themselves.
    assert_eq!(stored, 2, "{codes:?}");
    assert_eq!(s.stored_files(), 2);
}

/// `pages=0,0,0,…`: one small page asked for `n` times.
fn repeated_page(n: usize) -> String {
    vec!["0"; n].join(",")
}

#[test]
fn output_past_the_cap_fails_with_413_and_leaves_no_pages() {
    let s = Server::start(&["--max-output-mib", "1"]);
    let input = s.upload(&fixture("qpdf-rotated.pdf"));
    assert_eq!(s.stored_files(), 1);
    let pages = repeated_page(500);

    let (st, j) = s.get_json(&format!("/pdf/convert/to/png?pages={pages}&url={input}"));
    assert_eq!(st, 413, "{j}");
    assert!(
        j["message"].as_str().unwrap().contains("--max-output-mib"),
        "{j}"
    );
    assert_eq!(s.stored_files(), 1, "the sync conversion left pages behind");

    let (st, j) = s.get_json(&format!(
        "/pdf/convert/to/png?async=true&pages={pages}&url={input}"
    ));
    assert_eq!(st, 200, "{j}");
    let done = s.wait_job(j["jobId"].as_str().unwrap(), Duration::from_secs(60));
    assert_eq!(
        (&done["status"], &done["errorCode"]),
        (&"failed".into(), &413.into()),
        "{done}"
    );
    // Deleted by the worker right after it recorded the failure.
    let deadline = Instant::now() + Duration::from_secs(5);
    while s.stored_files() > 1 {
        assert!(
            Instant::now() < deadline,
            "the failed job left {} pages behind",
            s.stored_files() - 1
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(get_bytes(j["url"].as_str().unwrap()).0, 404);

    // Under the cap the same document still converts.
    let (st, j) = s.get_json(&format!("/pdf/convert/to/png?pages=0,0&url={input}"));
    assert_eq!((st, j["pageCount"].as_u64()), (200, Some(2)), "{j}");
}

/// Serve `body` to every request on a loopback port, as another server holding the PDF would.
fn serve_pdf(body: Vec<u8>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/doc.pdf", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for mut conn in listener.incoming().flatten() {
            let mut head = Vec::new();
            let mut byte = [0u8; 1];
            while !head.ends_with(b"\r\n\r\n") && conn.read(&mut byte).unwrap_or(0) == 1 {
                head.push(byte[0]);
            }
            let _ = write!(
                conn,
                "HTTP/1.1 200 OK\r\ncontent-type: application/pdf\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                body.len()
            );
            let _ = conn.write_all(&body);
        }
    });
    url
}

/// Whether `needle` is anywhere in the job database's files (the database and its log).
fn database_holds(s: &Server, needle: &str) -> bool {
    ["folio.db", "folio.db-wal"].iter().any(|name| {
        std::fs::read(s.data_dir.join(name))
            .is_ok_and(|bytes| bytes.windows(needle.len()).any(|w| w == needle.as_bytes()))
    })
}

#[test]
fn passwords_leave_the_database_when_the_job_ends() {
    let s = Server::start(&["--fetch-allow", "127.0.0.1"]);
    let source = serve_pdf(good_pdf());
    let (pdf_password, http_password) = ("pdf-pw-5e1d9c0b7a", "http-pw-83f2a6d4c1");
    let (st, j) = s.get_json(&format!(
        "/pdf/convert/to/png?async=true&pages=0&password={pdf_password}&httpusername=u&httppassword={http_password}&url={source}"
    ));
    assert_eq!(st, 200, "{j}");
    let done = s.wait_job(j["jobId"].as_str().unwrap(), Duration::from_secs(60));
    assert_eq!(done["status"], "success", "{done}");

    // The row forgets them at once; the database's files once the log has been checkpointed.
    let deadline = Instant::now() + Duration::from_secs(10);
    while database_holds(&s, pdf_password) || database_holds(&s, http_password) {
        assert!(
            Instant::now() < deadline,
            "the job database still holds a password 10 s after the job ended"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    // The job's other parameters are still there (this is no blanket wipe).
    assert!(database_holds(&s, "doc.pdf"));
}
