//! The PDF toolkit through the real server: merge, split, delete pages, security add and
//! remove. Sync and async, GET and POST, the contract's page bases and answers, the errors of
//! bad requests and hostile inputs; every output read back by our renderer and `qpdf --check`.

mod common;

use std::time::Duration;

use common::*;
use folio_render::testpdf::with_pages;
use folio_render::{Document, Limits};
use folio_testkit::qpdf_check;
use serde_json::{Value, json};

/// The PDF served at `url`, checked by qpdf: (page sizes in points, bytes).
fn served_pdf(url: &str, password: &str) -> (Vec<(f32, f32)>, Vec<u8>) {
    let (status, ct, pdf) = get_bytes(url);
    assert_eq!(status, 200, "{url}");
    assert_eq!(ct, "application/pdf", "{url}");
    if password.is_empty() {
        qpdf_check(&pdf);
    }
    let doc = Document::open(pdf.clone(), password, &Limits::default()).unwrap();
    let sizes = (0..doc.page_count())
        .map(|i| {
            let g = doc.geometry(i);
            (g.width_pt, g.height_pt)
        })
        .collect();
    (sizes, pdf)
}

fn error_of(j: &Value) -> (u64, String) {
    assert_eq!(j["error"], true, "{j}");
    (
        j["status"].as_u64().unwrap(),
        j["message"].as_str().unwrap_or("").to_string(),
    )
}

#[test]
fn merge_joins_sources_in_order_sync_and_async() {
    let s = Server::start(&[]);
    let a = s.upload_bytes("a.pdf", with_pages(2, 200.0, 100.0));
    let b = s.upload_bytes("b.pdf", with_pages(1, 300.0, 400.0));
    let (status, j) = s.get_json(&format!("/v1/pdf/merge?url={a},{b},{a}"));
    assert_eq!(status, 200, "{j}");
    assert_eq!(j["name"], "merged.pdf", "{j}");
    assert_eq!(j["pageCount"], 5, "{j}");
    let (sizes, _) = served_pdf(j["url"].as_str().unwrap(), "");
    assert_eq!(
        sizes,
        vec![
            (200.0, 100.0),
            (200.0, 100.0),
            (300.0, 400.0),
            (200.0, 100.0),
            (200.0, 100.0)
        ]
    );

    let r = client()
        .post(s.url("/pdf/merge"))
        .json(
            &json!({"url": format!("{b},{a}"), "async": true, "name": "joined",
            "profiles": "{'GenerateBookmarks': true}"}),
        )
        .send()
        .unwrap();
    let started: Value = r.json().unwrap();
    let done = s.wait_job(started["jobId"].as_str().unwrap(), Duration::from_secs(60));
    assert_eq!(done["status"], "success", "{done}");
    assert_eq!(done["url"], started["url"]);
    assert_eq!(done["pageCount"], 3, "{done}");
    let (sizes, pdf) = served_pdf(done["url"].as_str().unwrap(), "");
    assert_eq!(sizes[0], (300.0, 400.0));
    let doc = lopdf::Document::load_mem(&pdf).unwrap();
    assert!(
        doc.catalog().unwrap().has(b"Outlines"),
        "bookmarks asked for"
    );
}

#[test]
fn split_is_one_based_and_answers_urls() {
    let s = Server::start(&[]);
    let pdf = with_pages(4, 100.0, 100.0);
    let url = s.upload_bytes("four.pdf", pdf);
    let (status, j) = s.get_json(&format!("/pdf/split?pages=1-2,3-&url={url}"));
    assert_eq!(status, 200, "{j}");
    assert_eq!(j["pageCount"], 4, "the input's pages: {j}");
    let urls: Vec<&str> = j["urls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u.as_str().unwrap())
        .collect();
    assert_eq!(urls.len(), 2, "{j}");
    assert_eq!(j["url"], urls[0]);
    assert!(urls[0].ends_with("/four-split-1.pdf"), "{}", urls[0]);
    assert!(urls[1].ends_with("/four-split-2.pdf"), "{}", urls[1]);
    assert_eq!(served_pdf(urls[0], "").0.len(), 2);
    assert_eq!(served_pdf(urls[1], "").0.len(), 2);

    for every in ["*", ""] {
        let (status, j) = s.get_json(&format!("/pdf/split?pages={every}&url={url}"));
        assert_eq!(status, 200, "{every}: {j}");
        assert_eq!(j["urls"].as_array().unwrap().len(), 4, "{every}: {j}");
    }

    // Async: `url` is a JSON placeholder that becomes the list of the parts.
    let r = client()
        .post(s.url("/pdf/split"))
        .form(&[("url", url.as_str()), ("pages", "!1"), ("async", "true")])
        .send()
        .unwrap();
    let started: Value = r.json().unwrap();
    let done = s.wait_job(started["jobId"].as_str().unwrap(), Duration::from_secs(60));
    assert_eq!(done["status"], "success", "{done}");
    let (status, _, list) = get_bytes(started["url"].as_str().unwrap());
    assert_eq!(status, 200);
    let list: Vec<String> = serde_json::from_slice(&list).unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(served_pdf(&list[0], "").0.len(), 1);

    for (pages, code, needle) in [
        ("0", 450, "counted from 1"),
        ("5", 449, "First page is 1"),
        ("2-9", 449, "out of range"),
        ("a-b", 450, "Invalid page range"),
    ] {
        let (status, j) = s.get_json(&format!("/pdf/split?pages={pages}&url={url}"));
        let (code_got, message) = error_of(&j);
        assert_eq!((status as u64, code_got), (code, code), "{pages}: {j}");
        assert!(message.contains(needle), "{pages}: {message}");
    }
}

#[test]
fn delete_pages_removes_one_based_pages() {
    let s = Server::start(&[]);
    let url = s.upload_bytes("three.pdf", with_pages(3, 100.0, 100.0));
    let (status, j) = s.get_json(&format!("/pdf/edit/delete-pages?pages=1,!1&url={url}"));
    assert_eq!(status, 200, "{j}");
    assert_eq!(j["name"], "three-pages-deleted.pdf");
    assert_eq!(j["pageCount"], 1, "{j}");
    assert_eq!(served_pdf(j["url"].as_str().unwrap(), "").0.len(), 1);
    for (query, needle) in [("pages=1-3", "no page"), ("", "'pages'")] {
        let (status, j) = s.get_json(&format!("/pdf/edit/delete-pages?{query}&url={url}"));
        let (code, message) = error_of(&j);
        assert_eq!((status, code), (400, 400), "{query}: {j}");
        assert!(message.contains(needle), "{query}: {message}");
    }
}

#[test]
fn security_add_and_remove_round_trip() {
    let s = Server::start(&[]);
    let url = s.upload_bytes("plain.pdf", with_pages(2, 100.0, 100.0));
    // Lower-case names, as some clients send them.
    let (status, j) = s.get_json(&format!(
        "/pdf/security/add?ownerpassword=own&userpassword=usr&encryptionalgorithm=AES_256bit&allowprintdocument=false&url={url}"
    ));
    assert_eq!(status, 200, "{j}");
    assert_eq!(j["name"], "plain-protected.pdf");
    let locked = j["url"].as_str().unwrap().to_string();
    let (sizes, pdf) = served_pdf(&locked, "usr");
    assert_eq!(sizes.len(), 2);
    assert!(Document::open(pdf, "", &Limits::default()).is_err());

    // Converting it needs the password: 441 without.
    let (status, j) = s.get_json(&format!("/pdf/convert/to/png?url={locked}"));
    assert_eq!(status, 441, "{j}");

    let r = client()
        .post(s.url("/pdf/security/remove"))
        .json(&json!({"url": locked, "password": "own", "async": true}))
        .send()
        .unwrap();
    let started: Value = r.json().unwrap();
    let done = s.wait_job(started["jobId"].as_str().unwrap(), Duration::from_secs(60));
    assert_eq!(done["status"], "success", "{done}");
    let (sizes, pdf) = served_pdf(done["url"].as_str().unwrap(), "");
    assert_eq!(sizes.len(), 2);
    assert!(!pdf.windows(8).any(|w| w == b"/Encrypt"));

    let (status, j) = s.get_json(&format!("/pdf/security/remove?password=wrong&url={locked}"));
    assert_eq!((status, error_of(&j).0), (441, 441), "{j}");
    for (query, needle) in [
        ("", "ownerPassword"),
        ("userPassword=x&encryptionAlgorithm=DES", "AES_128bit"),
        ("userPassword=x&printQuality=Best", "LowResolution"),
        ("userPassword=x&allowFillForms=maybe", "allowFillForms"),
    ] {
        let (status, j) = s.get_json(&format!("/pdf/security/add?{query}&url={url}"));
        let (code, message) = error_of(&j);
        assert_eq!((status, code), (400, 400), "{query}: {j}");
        assert!(message.contains(needle), "{query}: {message}");
    }
}

/// Hostile requests end with clear answers and nothing stored: 200 merge sources (over
/// --max-inputs), inputs together over --max-input-mib, a non-PDF among PDFs, a page tree that
/// is a cycle; the server answers the next request.
#[test]
fn toolkit_survives_hostile_requests() {
    let s = Server::start(&["--max-input-mib", "1"]);
    let one = s.upload_bytes("one.pdf", with_pages(1, 100.0, 100.0));
    let many = vec![one.as_str(); 200].join(",");
    let before = s.stored_files();
    let (status, j) = s.get_json(&format!("/pdf/merge?url={many}"));
    let (code, message) = error_of(&j);
    assert_eq!((status, code), (400, 400), "{j}");
    assert!(message.contains("at most 100"), "{message}");

    // 700 KiB each (a PDF padded with trailing spaces): alone within the limit, not together.
    let mut padded = with_pages(1, 100.0, 100.0);
    padded.extend(vec![b' '; 700 * 1024]);
    let big = s.upload_bytes("big.pdf", padded);
    let (status, j) = s.get_json(&format!("/pdf/merge?url={big},{big}"));
    assert_eq!((status, error_of(&j).0), (413, 413), "{j}");

    let junk = s.upload_bytes("junk.pdf", b"%PDF-1.7 but nothing else".to_vec());
    let (status, j) = s.get_json(&format!("/pdf/merge?url={one},{junk}"));
    let (code, message) = error_of(&j);
    assert_eq!((status, code), (442, 442), "{j}");
    assert!(message.contains("input 2 of 2"), "{message}");
    assert_eq!(
        s.stored_files(),
        before + 2,
        "only the two uploads were added"
    );

    let cycle = folio_render::testpdf::assemble(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R 2 0 R] /Count 2 /Parent 2 0 R >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] /Resources << /Font << /F 4 0 R >> >> >>".to_vec(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Self 4 0 R /Up 3 0 R >>".to_vec(),
    ]);
    let cycle = s.upload_bytes("cycle.pdf", cycle);
    for query in [
        format!("/pdf/split?pages=1&url={cycle}"),
        format!("/pdf/merge?url={cycle},{cycle}"),
        format!("/pdf/security/add?userPassword=u&url={cycle}"),
    ] {
        let (status, j) = s.get_json(&query);
        assert!(matches!(status, 200 | 442), "{query}: {j}");
    }
    let (status, _) = s.get_json(&format!("/pdf/split?url={one}"));
    assert_eq!(status, 200, "the server still answers");
}

/// A `w` × `h` grey PNG.
fn png(w: u32, h: u32) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, w, h);
    encoder.set_color(png::ColorType::Grayscale);
    let mut writer = encoder.write_header().unwrap();
    writer
        .write_image_data(&vec![90u8; (w * h) as usize])
        .unwrap();
    writer.finish().unwrap();
    out
}

#[test]
fn images_become_pages_and_merge2_mixes_them_with_pdfs() {
    let s = Server::start(&["--max-page-megapixels", "1"]);
    let wide = s.upload_bytes("wide.png", png(300, 100));
    let tall = s.upload_bytes("tall.png", png(100, 200));
    let (status, j) = s.get_json(&format!("/pdf/convert/from/image?url={wide},{tall}"));
    assert_eq!(status, 200, "{j}");
    assert_eq!(
        (j["pageCount"].as_u64(), j["name"].as_str()),
        (Some(2), Some("wide.pdf"))
    );
    let (sizes, _) = served_pdf(j["url"].as_str().unwrap(), "");
    assert_eq!(sizes, vec![(300.0, 100.0), (100.0, 200.0)]);

    let pdf = s.upload_bytes("doc.pdf", with_pages(2, 50.0, 50.0));
    let r = client()
        .post(s.url("/pdf/merge2"))
        .json(&json!({"url": format!("{pdf},{tall}"), "async": true}))
        .send()
        .unwrap();
    let started: Value = r.json().unwrap();
    let done = s.wait_job(started["jobId"].as_str().unwrap(), Duration::from_secs(60));
    assert_eq!(done["status"], "success", "{done}");
    let (sizes, _) = served_pdf(done["url"].as_str().unwrap(), "");
    assert_eq!(sizes, vec![(50.0, 50.0), (50.0, 50.0), (100.0, 200.0)]);

    let huge = s.upload_bytes("huge.png", png(2000, 1000));
    let junk = s.upload_bytes("junk.png", b"not an image at all".to_vec());
    for (url, needle) in [(&huge, "pixels"), (&junk, "not an image")] {
        let (status, j) = s.get_json(&format!("/pdf/convert/from/image?url={url}"));
        let (code, message) = error_of(&j);
        assert_eq!((status, code), (400, 400), "{j}");
        assert!(message.contains(needle), "{message}");
    }
    let (status, j) = s.get_json(&format!("/pdf/merge2?url={pdf},{junk}"));
    let (_, message) = error_of(&j);
    assert_eq!(status, 400, "{j}");
    assert!(message.contains("input 2 of 2"), "{message}");
}

#[test]
fn optimize_fields_and_attachments() {
    let s = Server::start(&[]);
    // Uncompressed content: optimize makes it smaller, pages unchanged.
    let content = "0.5 g 10 10 80 80 re f ".repeat(500);
    let loose = folio_render::testpdf::assemble(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] /Contents 4 0 R >>".to_vec(),
        folio_render::testpdf::stream("", content.as_bytes()),
    ]);
    let size = loose.len();
    let url = s.upload_bytes("loose.pdf", loose);
    for path in ["/pdf/optimize", "/v2/pdf/compress"] {
        let (status, j) = s.get_json(&format!("{path}?url={url}"));
        assert_eq!(status, 200, "{path}: {j}");
        assert_eq!(j["name"], "loose-optimized.pdf");
        let (sizes, pdf) = served_pdf(j["url"].as_str().unwrap(), "");
        assert_eq!(sizes, vec![(100.0, 100.0)]);
        assert!(pdf.len() * 5 < size, "{path}: {size} → {}", pdf.len());
    }

    let form = s.upload(&fixture("pdfjs-textfields.pdf"));
    let (status, j) = s.get_json(&format!("/pdf/info/fields?url={form}"));
    assert_eq!(status, 200, "{j}");
    assert_eq!(j["info"]["PageCount"], 1, "{j}");
    let fields = j["info"]["FieldsInfo"]["Fields"].as_array().unwrap();
    assert_eq!(fields.len(), 9, "{j}");
    let text3 = fields.iter().find(|f| f["FieldName"] == "Text3").unwrap();
    assert_eq!(
        (&text3["Type"], &text3["PageIndex"]),
        (&json!("EditBox"), &json!(0))
    );
    let (_, j) = s.get_json(&format!("/pdf/info?url={form}"));
    assert!(
        j["info"].get("FieldsInfo").is_none(),
        "plain info has no fields: {j}"
    );

    let with_file = folio_render::testpdf::assemble(&[
        b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names [(x) 4 0 R] >> >> >>"
            .to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] >>".to_vec(),
        b"<< /Type /Filespec /F (../../evil name.txt) /EF << /F 5 0 R >> >>".to_vec(),
        folio_render::testpdf::stream("/Type /EmbeddedFile", b"attached text"),
    ]);
    let url = s.upload_bytes("carrier.pdf", with_file);
    let (status, j) = s.get_json(&format!("/pdf/attachments/extract?url={url}"));
    assert_eq!(status, 200, "{j}");
    let urls = j["urls"].as_array().unwrap();
    assert_eq!(urls.len(), 1, "{j}");
    let file_url = urls[0].as_str().unwrap();
    assert!(
        !file_url.contains(".."),
        "the name is made safe: {file_url}"
    );
    let (status, _, data) = get_bytes(file_url);
    assert_eq!((status, data.as_slice()), (200, &b"attached text"[..]));
    let plain = s.upload_bytes("plain.pdf", with_pages(1, 10.0, 10.0));
    let (status, j) = s.get_json(&format!("/pdf/attachments/extract?url={plain}"));
    assert_eq!(status, 200, "{j}");
    assert_eq!(j["urls"], json!([]), "none: an empty list: {j}");
}

#[test]
fn barcodes_are_made_and_read_back_from_images_and_pdfs() {
    let s = Server::start(&[]);
    let (status, j) = s.get_json("/barcode/generate?type=QRCode&value=hello%20folio&name=qr");
    assert_eq!(status, 200, "{j}");
    assert_eq!(j["name"], "qr.png");
    let qr = j["url"].as_str().unwrap().to_string();
    let (_, ct, image) = get_bytes(&qr);
    assert_eq!(ct, "image/png");
    assert!(image.starts_with(b"\x89PNG"));

    let (status, j) = s.get_json(&format!("/barcode/read/from/url?url={qr}"));
    assert_eq!(status, 200, "{j}");
    let found = j["barcodes"].as_array().unwrap();
    assert_eq!(found.len(), 1, "{j}");
    assert_eq!(
        (&found[0]["Value"], &found[0]["TypeName"]),
        (&json!("hello folio"), &json!("QRCode"))
    );

    // On a PDF page (the image made a PDF), found with its page; asynchronously, the
    // placeholder holds the same answer.
    let (_, j) = s.get_json(&format!("/pdf/convert/from/image?url={qr}"));
    let pdf = j["url"].as_str().unwrap().to_string();
    let r = client()
        .post(s.url("/barcode/read/from/url"))
        .json(&json!({"url": pdf, "types": "QRCode,Code128", "async": true}))
        .send()
        .unwrap();
    let started: Value = r.json().unwrap();
    let done = s.wait_job(started["jobId"].as_str().unwrap(), Duration::from_secs(60));
    assert_eq!(done["status"], "success", "{done}");
    let (_, _, body) = get_bytes(started["url"].as_str().unwrap());
    let stored: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(stored["barcodes"][0]["Value"], "hello folio", "{stored}");
    assert_eq!(stored["barcodes"][0]["Page"], 0);

    // inline: a data URI, nothing stored.
    let before = s.stored_files();
    let (status, j) = s.get_json("/barcode/generate?type=EAN13&value=5901234123457&inline=true");
    assert_eq!(status, 200, "{j}");
    assert!(
        j["url"]
            .as_str()
            .unwrap()
            .starts_with("data:image/png;base64,"),
        "{j}"
    );
    assert_eq!(s.stored_files(), before);

    // A centre logo, fetched like any input, still reads.
    let logo = s.upload_bytes("logo.png", png(20, 20));
    let (status, j) = s.get_json(&format!(
        "/barcode/generate?value=with%20logo&decorationImage={logo}&profiles={{'NarrowBarWidth':6}}"
    ));
    assert_eq!(status, 200, "{j}");
    let (_, j) = s.get_json(&format!(
        "/barcode/read/from/url?url={}",
        j["url"].as_str().unwrap()
    ));
    assert_eq!(j["barcodes"][0]["Value"], "with logo", "{j}");

    for (query, needle) in [
        ("/barcode/generate?type=EAN13&value=abc", "EAN13"),
        ("/barcode/generate?type=Hexagon&value=1", "QRCode"),
        ("/barcode/generate?type=QRCode", "'value'"),
        ("/barcode/generate?value=1&profiles={'Angle':45}", "Angle"),
        (
            "/barcode/read/from/url?types=Morse&url=http://x.example/a.pdf",
            "Morse",
        ),
    ] {
        let (status, j) = s.get_json(query);
        let (code, message) = error_of(&j);
        assert!(
            matches!((status, code), (400, 400) | (444, 444)),
            "{query}: {j}"
        );
        assert!(message.contains(needle), "{query}: {message}");
    }
    let junk = s.upload_bytes("junk.bin", b"neither PDF nor image".to_vec());
    let (status, j) = s.get_json(&format!("/barcode/read/from/url?url={junk}"));
    assert_eq!(status, 400, "{j}");
}

#[test]
fn csv_tables_become_pdfs_with_their_text() {
    let s = Server::start(&[]);
    let csv = "Name,Город,Πόλη\nAnna,Москва,Αθήνα\nBo,Київ,Σπάρτη\n";
    let url = s.upload_bytes("people.csv", csv.as_bytes().to_vec());
    let (status, j) = s.get_json(&format!("/pdf/convert/from/csv?url={url}"));
    assert_eq!(status, 200, "{j}");
    assert_eq!(
        (j["name"].as_str(), j["pageCount"].as_u64()),
        (Some("people.pdf"), Some(1))
    );
    let pdf = j["url"].as_str().unwrap();
    served_pdf(pdf, "");
    let (_, j) = s.get_json(&format!("/pdf/convert/to/text?inline=true&url={pdf}"));
    let text = j["body"].as_str().unwrap();
    for cell in ["Name", "Город", "Πόλη", "Москва", "Σπάρτη", "Київ"] {
        assert!(text.contains(cell), "{cell} not in {text:?}");
    }
    let huge = s.upload_bytes("huge.csv", "1,2\n".repeat(1_000_000).into_bytes());
    let (status, j) = s.get_json(&format!("/pdf/convert/from/csv?url={huge}"));
    let (code, message) = error_of(&j);
    assert_eq!((status, code), (400, 400), "{j}");
    assert!(message.contains("cells"), "{message}");
    let (status, j) = s.get_json(&format!(
        "/pdf/convert/from/csv?worksheetIndex=-1&url={url}"
    ));
    assert_eq!(status, 400, "{j}");
}

/// Lossy image work only when the profiles (or `/v2/pdf/compress`'s `config`) ask for it.
#[test]
fn optimize_is_lossy_only_when_asked() {
    let s = Server::start(&[]);
    let (w, h) = (600u32, 600u32);
    let samples: Vec<u8> = (0..w * h)
        .flat_map(|i| [(i % 256) as u8, (i / 600 % 256) as u8, (i % 97) as u8])
        .collect();
    let pdf = folio_render::testpdf::assemble(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] /Resources << /XObject << /I 5 0 R >> >> /Contents 4 0 R >>".to_vec(),
        folio_render::testpdf::stream("", b"q 100 0 0 100 0 0 cm /I Do Q"),
        folio_render::testpdf::stream(
            &format!("/Type /XObject /Subtype /Image /Width {w} /Height {h} /ColorSpace /DeviceRGB /BitsPerComponent 8"),
            &samples,
        ),
    ]);
    let url = s.upload_bytes("photo.pdf", pdf);
    let size_of = |j: &Value| get_bytes(j["url"].as_str().unwrap()).2.len();
    let (status, lossless) = s.get_json(&format!("/pdf/optimize?url={url}"));
    assert_eq!(status, 200, "{lossless}");
    let (status, lossy) = s.get_json(&format!(
        "/pdf/optimize?url={url}&profiles={{'ImageOptimizationFormat':'JPEG','JPEGQuality':40,'ResampleImages':true,'ResamplingResolution':72}}"
    ));
    assert_eq!(status, 200, "{lossy}");
    assert!(
        size_of(&lossy) * 5 < size_of(&lossless),
        "{} vs {}",
        size_of(&lossy),
        size_of(&lossless)
    );
    let r = client()
        .post(s.url("/v2/pdf/compress"))
        .json(&json!({"url": url, "config": {"ImageOptimizationFormat": "JPEG"}}))
        .send()
        .unwrap();
    let compressed: Value = r.json().unwrap();
    assert_eq!(compressed["error"], false, "{compressed}");
    assert!(size_of(&compressed) < size_of(&lossless));
    let (status, j) = s.get_json(&format!(
        "/pdf/optimize?url={url}&profiles={{'ImageOptimizationFormat':'GIF'}}"
    ));
    assert_eq!(status, 444, "{j}");
}
