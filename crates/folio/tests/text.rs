//! `/pdf/convert/to/text` against the real binary: stored `.txt`, inline body, page selection,
//! passwords, async jobs.

mod common;

use std::time::Duration;

use common::*;

fn text_of(url: &str) -> String {
    let (status, ct, data) = get_bytes(url);
    assert_eq!(status, 200);
    assert!(ct.starts_with("text/plain"), "{ct}");
    String::from_utf8(data).unwrap()
}

#[test]
fn sync_text_is_a_txt_file_with_pages_split_by_form_feeds() {
    let s = Server::start(&[]);
    let rotated = std::fs::read(fixture("qpdf-rotated.pdf")).unwrap();
    let (status, j) = post_pdf(&s, "/pdf/convert/to/text", rotated.clone(), &[]);
    assert_eq!(status, 200, "{j}");
    assert_eq!(
        (j["error"].as_bool(), j["status"].as_u64()),
        (Some(false), Some(200))
    );
    assert_eq!(j["name"], "doc.txt");
    assert!(
        j["outputLinkValidTill"].is_string() && j["duration"].is_u64(),
        "{j}"
    );
    let pages = j["pageCount"].as_u64().unwrap() as usize;
    let text = text_of(j["url"].as_str().unwrap());
    let parts: Vec<&str> = text.split('\u{c}').collect();
    assert_eq!(parts.len(), pages);
    assert!(parts[0].contains("Original page 1"), "{text:?}");
    assert!(parts[1].contains("Original page 2"), "{text:?}");

    // pages selection and a name
    let (status, j) = post_pdf(
        &s,
        "/pdf/convert/to/text",
        rotated,
        &[("pages", "2,3"), ("name", "result.txt")],
    );
    assert_eq!(status, 200, "{j}");
    assert_eq!(
        (j["pageCount"].as_u64(), j["name"].as_str()),
        (Some(2), Some("result.txt"))
    );
    let text = text_of(j["url"].as_str().unwrap());
    let parts: Vec<&str> = text.split('\u{c}').collect();
    assert_eq!(parts.len(), 2, "{text:?}");
    assert!(parts[0].contains("Original page 3") && parts[1].contains("Original page 4"));

    // PDF.co's text-simple answers the same text.
    let (status, j) = post_pdf(
        &s,
        "/pdf/convert/to/text-simple",
        std::fs::read(fixture("qpdf-rotated.pdf")).unwrap(),
        &[("pages", "2,3"), ("inline", "true")],
    );
    assert_eq!(status, 200, "{j}");
    assert_eq!(j["body"].as_str(), Some(text.as_str()));
}

#[test]
fn inline_passwords_and_page_errors() {
    let s = Server::start(&[]);
    let minimal = std::fs::read(fixture("pysf-minimal-document.pdf")).unwrap();
    let (status, j) = post_pdf(&s, "/pdf/convert/to/text", minimal, &[("inline", "true")]);
    assert_eq!(status, 200, "{j}");
    let body = j["body"].as_str().unwrap();
    assert!(body.starts_with("Lorem ipsum dolor sit amet"), "{body:?}");
    assert!(body.contains("\r\ntempor invidunt"), "{body:?}");
    assert!(j.get("url").is_none(), "{j}");

    let enc = std::fs::read(fixture("qpdf-enc-R2_V1_U_view_O_master.pdf")).unwrap();
    let (status, j) = post_pdf(
        &s,
        "/pdf/convert/to/text",
        enc.clone(),
        &[("password", "nope")],
    );
    assert_eq!((status, j["status"].as_u64()), (441, Some(441)), "{j}");
    let (status, j) = post_pdf(
        &s,
        "/pdf/convert/to/text",
        enc.clone(),
        &[("password", "view"), ("inline", "true")],
    );
    assert_eq!(status, 200, "{j}");
    assert!(j["body"].as_str().unwrap().contains("Potato 0"), "{j}");
    let (status, j) = post_pdf(
        &s,
        "/pdf/convert/to/text",
        enc.clone(),
        &[("password", "view"), ("pages", "999")],
    );
    assert_eq!(status, 449, "{j}");
    let (status, j) = post_pdf(
        &s,
        "/pdf/convert/to/text",
        enc,
        &[("password", "view"), ("pages", "x-")],
    );
    assert_eq!(status, 450, "{j}");
    let (status, j) = post_pdf(&s, "/pdf/convert/to/text", b"not a pdf".to_vec(), &[]);
    assert_eq!(status, 442, "{j}");
}

#[test]
fn async_text_job_placeholder_is_the_txt() {
    let s = Server::start(&[]);
    let url = s.upload(&fixture("qpdf-rotated.pdf"));
    let (status, j) = s.get_json(&format!(
        "/pdf/convert/to/text?url={url}&async=true&pages=1&inline=true"
    ));
    assert_eq!(status, 200, "{j}");
    let placeholder = j["url"].as_str().unwrap().to_string();
    assert!(placeholder.ends_with(".txt"), "{placeholder}");
    let done = s.wait_job(j["jobId"].as_str().unwrap(), Duration::from_secs(60));
    assert_eq!(done["status"], "success", "{done}");
    assert_eq!(done["url"], placeholder.as_str());
    let text = text_of(&placeholder);
    assert!(
        text.contains("Original page 2") && !text.contains('\u{c}'),
        "{text:?}"
    );
}
