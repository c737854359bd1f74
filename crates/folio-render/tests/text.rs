//! Text extraction on the committed fixtures, checked against what `pdftotext` reads in them.

mod common;

use common::*;
use folio_render::{Document, Limits};

fn open(name: &str, password: &str) -> Document {
    Document::open(
        std::fs::read(fixtures().join(name)).unwrap(),
        password,
        &Limits::default(),
    )
    .unwrap()
}

fn words(text: &str) -> Vec<&str> {
    text.split_whitespace().collect()
}

#[test]
fn paragraph_lines_come_in_reading_order_with_spaces() {
    let text = open("pysf-minimal-document.pdf", "").page_text(0).unwrap();
    let lines: Vec<&str> = text.split("\r\n").collect();
    assert!(
        lines[0].starts_with("Lorem ipsum dolor sit amet, consetetur sadipscing elitr"),
        "{text:?}"
    );
    assert!(
        lines[1].starts_with("tempor invidunt ut labore"),
        "{text:?}"
    );
    assert!(words(&text).contains(&"amet."), "{text:?}");
}

#[test]
fn each_page_has_its_own_text_and_rotation_keeps_lines_whole() {
    let doc = open("qpdf-rotated.pdf", "");
    for page in 0..4 {
        let text = doc.page_text(page).unwrap();
        assert!(
            text.contains(&format!("Original page {}", page + 1)),
            "page {page}: {text:?}"
        );
    }
    let boxes = open("qpdf-boxes.pdf", "").page_text(0).unwrap();
    assert!(boxes.contains("green at crop [10 20 582 752]"), "{boxes:?}");
}

#[test]
fn encrypted_and_damaged_documents_give_their_text() {
    let text = open("qpdf-enc-R2_V1_U_view_O_master.pdf", "view")
        .page_text(0)
        .unwrap();
    assert!(text.contains("Potato 0"), "{text:?}");
    let text = open("opf-T04_006_premature-EOF.pdf", "")
        .page_text(0)
        .unwrap();
    assert_eq!(text.trim(), "Hello PDF-world!");
    assert_eq!(
        open("pdfjs-sizes.pdf", "")
            .page_text(99)
            .unwrap_err()
            .code(),
        449
    );
}
