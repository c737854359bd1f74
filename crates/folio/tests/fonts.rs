//! Fonts a PDF does not embed, through the real server and its render workers: substitutes from
//! `--font-dir`, and warnings in the sync answer and in `/job/check` when no font has a glyph.

mod common;

use std::time::Duration;

use common::*;
use folio_render::testpdf::{non_embedded_text, text_without_unicode};

const CJK: &str = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";

fn japanese() -> Vec<u8> {
    non_embedded_text("MS-Gothic", "Japan1", 0, "あいうえお")
}

#[test]
fn glyphs_no_font_has_are_warned_about_in_sync_and_async_answers() {
    let s = Server::start(&["--system-fonts", "false"]);
    let (status, j) = post_pdf(&s, "/pdf/convert/to/png", japanese(), &[]);
    assert_eq!(status, 200, "{j}");
    assert_eq!(j["error"], false, "{j}");
    let warnings = j["warnings"]
        .as_array()
        .expect("warnings in the sync answer");
    assert_eq!(warnings.len(), 1, "{j}");
    let w = warnings[0].as_str().unwrap();
    assert!(
        w.starts_with("page 0: 5 glyphs of font MS-Gothic not drawn")
            && w.contains("install fonts-noto-cjk"),
        "{w}"
    );

    let (status, j) = post_pdf(&s, "/pdf/convert/to/png", japanese(), &[("async", "true")]);
    assert_eq!(status, 200, "{j}");
    let done = s.wait_job(j["jobId"].as_str().unwrap(), Duration::from_secs(60));
    assert_eq!(done["status"], "success", "{done}");
    assert_eq!(done["warnings"][0].as_str(), Some(w), "{done}");

    let (_, _, body) = get_bytes(&s.url("/metrics"));
    let text = String::from_utf8(body).unwrap();
    assert!(text.contains("folio_page_warnings_total 2"), "{text}");

    // Text without Unicode is reported by text conversions.
    let (status, j) = post_pdf(
        &s,
        "/pdf/convert/to/text",
        text_without_unicode("NoUnicode", 4),
        &[("inline", "true")],
    );
    assert_eq!(status, 200, "{j}");
    let w = j["warnings"][0].as_str().unwrap_or_default();
    assert!(
        w.starts_with("page 0: 4 glyphs of font NoUnicode have no Unicode mapping"),
        "{j}"
    );
}

#[test]
fn fonts_in_a_font_dir_stand_in_for_missing_ones() {
    if !std::path::Path::new(CJK).exists() {
        assert!(
            std::env::var("CI").is_err(),
            "CI must install fonts-noto-cjk"
        );
        eprintln!(
            "SKIPPED font-dir substitutes: {CJK} not installed (apt-get install fonts-noto-cjk)"
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(CJK, dir.path().join("cjk.ttc")).unwrap();
    let s = Server::start(&[
        "--system-fonts",
        "false",
        "--font-dir",
        dir.path().to_str().unwrap(),
    ]);
    let (status, j) = post_pdf(&s, "/pdf/convert/to/png", japanese(), &[]);
    assert_eq!(status, 200, "{j}");
    assert!(j.get("warnings").is_none(), "{j}");
    let (_, _, png) = get_bytes(j["urls"][0].as_str().unwrap());
    let (w, h) = png_size(&png);
    assert!(w > 0 && h > 0);
}
