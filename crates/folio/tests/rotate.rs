//! `/pdf/edit/rotate` through the real server: the proof that an operation is one route-table row
//! plus one operation. Sync and async, 0-based pages, the answers of bad requests, an encrypted
//! input; every output read back by our renderer and by `qpdf --check`.

mod common;

use std::time::Duration;

use common::*;
use folio_render::testpdf::with_pages;
use folio_render::{Document, Limits};
use folio_testkit::qpdf_check;
use serde_json::Value;

/// The rotation of each page of a PDF served at `url`.
fn rotations(url: &str) -> Vec<u16> {
    let (status, ct, pdf) = get_bytes(url);
    assert_eq!(status, 200, "{url}");
    assert_eq!(ct, "application/pdf", "{url}");
    qpdf_check(&pdf);
    let doc = Document::open(pdf, "", &Limits::default()).unwrap();
    (0..doc.page_count())
        .map(|i| doc.geometry(i).rotation)
        .collect()
}

#[test]
fn rotate_sync_and_async() {
    let s = Server::start(&[]);
    let url = s.upload_bytes("three.pdf", with_pages(3, 200.0, 100.0));

    let (status, j) = s.get_json(&format!(
        "/v1/pdf/edit/rotate?angle=90&pages=0,!0&url={url}"
    ));
    assert_eq!(status, 200, "{j}");
    assert_eq!(j["error"], false);
    assert_eq!(j["pageCount"], 3, "{j}");
    assert_eq!(j["name"], "three-rotated.pdf", "{j}");
    assert!(j.get("urls").is_none(), "one output file: {j}");
    assert_eq!(rotations(j["url"].as_str().unwrap()), vec![90, 0, 90]);

    // POST JSON, async: the url answered at once is the final file, 404 until the job ends.
    let r = client()
        .post(s.url("/pdf/edit/rotate"))
        .json(&serde_json::json!({"url": url, "angle": "270", "async": true, "name": "turned"}))
        .send()
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let started: Value = r.json().unwrap();
    let job = started["jobId"].as_str().unwrap();
    let done = s.wait_job(job, Duration::from_secs(60));
    assert_eq!(done["status"], "success", "{done}");
    assert_eq!(done["pageCount"], 3, "{done}");
    assert_eq!(done["url"], started["url"], "{done}");
    assert_eq!(done["name"], "turned.pdf");
    assert_eq!(
        rotations(done["url"].as_str().unwrap()),
        vec![270, 270, 270]
    );
}

#[test]
fn rotate_refuses_bad_requests_with_their_codes() {
    let s = Server::start(&[]);
    let url = s.upload_bytes("two.pdf", with_pages(2, 100.0, 100.0));
    let cases: &[(&str, u64, &str)] = &[
        ("angle=45", 400, "90, 180 or 270"),
        ("", 400, "'angle'"),
        ("angle=ninety", 400, "angle"),
        ("angle=90&pages=7", 449, "out of range"),
        ("angle=90&pages=1-x", 450, "Invalid page range"),
    ];
    for (query, code, needle) in cases {
        let (status, j) = s.get_json(&format!("/pdf/edit/rotate?{query}&url={url}"));
        assert_eq!(
            (status as u64, &j["status"]),
            (*code, &Value::from(*code)),
            "{query}: {j}"
        );
        assert_eq!(j["error"], true);
        let message = j["message"].as_str().unwrap();
        assert!(message.contains(needle), "{query}: {message}");
    }
    let garbage = s.upload_bytes("junk.pdf", b"this is not a PDF".to_vec());
    let (status, j) = s.get_json(&format!("/pdf/edit/rotate?angle=90&url={garbage}"));
    assert_eq!(status, 400, "not a PDF: {j}");
}

/// An encrypted input opens with its password; without it the answer is 441.
#[test]
fn rotate_takes_the_password_and_writes_an_open_pdf() {
    let s = Server::start(&[]);
    let url = s.upload(&fixture("qpdf-enc-R2_V1_U_view_O_master.pdf"));
    let (status, j) = s.get_json(&format!("/pdf/edit/rotate?angle=180&url={url}"));
    assert_eq!(status, 441, "{j}");
    let (status, j) = s.get_json(&format!(
        "/pdf/edit/rotate?angle=180&password=view&url={url}"
    ));
    assert_eq!(status, 200, "{j}");
    let r = rotations(j["url"].as_str().unwrap());
    assert!(!r.is_empty() && r.iter().all(|&r| r == 180), "{r:?}");
}

/// Hostile requests and files: a selection repeating one page past the page limit, an input
/// over the size limit, and a page tree nested thousands deep (parsed in a render worker, which
/// may die for it: the server answers and stays up).
#[test]
fn rotate_survives_hostile_requests() {
    let s = Server::start(&["--max-input-mib", "1", "--max-pages", "100"]);
    let url = s.upload_bytes("one.pdf", with_pages(1, 100.0, 100.0));
    let repeated = vec!["0"; 5000].join(",");
    let (status, j) = s.get_json(&format!(
        "/pdf/edit/rotate?angle=90&pages={repeated}&url={url}"
    ));
    assert_eq!(status, 400, "{j}");
    assert!(
        j["message"].as_str().unwrap().contains("Too many pages"),
        "{j}"
    );

    let mut big = with_pages(1, 100.0, 100.0);
    big.extend(std::iter::repeat_n(b'%', 2 << 20));
    let big = s.upload_bytes("big.pdf", big);
    let (status, j) = s.get_json(&format!("/pdf/edit/rotate?angle=90&url={big}"));
    assert_eq!(status, 413, "{j}");

    let depth = 5000;
    let mut objects = vec![b"<< /Type /Catalog /Pages 2 0 R >>".to_vec()];
    for i in 0..depth {
        let (me, kid) = (i + 2, i + 3);
        let parent = if i == 0 {
            String::new()
        } else {
            format!("/Parent {} 0 R", me - 1)
        };
        objects
            .push(format!("<< /Type /Pages /Kids [{kid} 0 R] /Count 1 {parent} >>").into_bytes());
    }
    objects.push(
        format!(
            "<< /Type /Page /Parent {} 0 R /MediaBox [0 0 100 100] >>",
            depth + 1
        )
        .into_bytes(),
    );
    let deep = s.upload_bytes("deep.pdf", folio_render::testpdf::assemble(&objects));
    let (status, j) = s.get_json(&format!("/pdf/edit/rotate?angle=90&url={deep}"));
    assert!(matches!(status, 200 | 442), "{status} {j}");
    assert_eq!(s.get_json("/health").0, 200);
}
