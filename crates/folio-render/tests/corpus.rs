//! Corpus-wide behaviour: every good file renders every page at the right size, every encrypted
//! file needs its password, every malformed file ends in an image or a 442 — no panic, no hang.
//! Skipped (and says so) when `../shared/corpus` is absent.

mod common;

use std::sync::mpsc;
use std::time::Duration;

use common::*;
use folio_render::{
    ColorMode, Document, Format, Limits, PageSpec, RenderOptions, Resolution, convert,
};

/// Render every page of `file` at 72 DPI PNG; returns (page, width, height) per page.
fn render_all(
    path: &std::path::Path,
    password: &str,
) -> Result<Vec<(usize, u32, u32)>, folio_render::Error> {
    let limits = Limits::default();
    let doc = Document::open(std::fs::read(path).unwrap(), password, &limits)?;
    let pages = PageSpec::all().resolve(doc.page_count(), limits.max_pages)?;
    let opts = RenderOptions {
        resolution: Resolution::Dpi(72.0),
        ..RenderOptions::default()
    };
    let mut out = vec![];
    convert(&doc, &pages, &opts, &limits, |img| {
        let img = img?;
        assert!(img.data.starts_with(b"\x89PNG\r\n\x1a\n"));
        out.push((img.page, img.width, img.height));
        Ok(())
    })?;
    Ok(out)
}

#[test]
fn every_page_of_every_good_file_renders_at_its_size() {
    let Some(corpus) = corpus() else {
        return skipped("corpus sizes");
    };
    let sizes = reference_sizes();
    let mut pages_checked = 0;
    for e in manifest(&corpus).iter().filter(|e| !e.malformed()) {
        let rendered = render_all(&corpus.join(&e.file), &e.password)
            .unwrap_or_else(|err| panic!("{}: {err}", e.file));
        assert_eq!(Some(rendered.len()), e.pages, "{}: page count", e.file);
        for (page, w, h) in rendered {
            let (rw, rh) = sizes[&(e.file.clone(), page)];
            assert!(
                w.abs_diff(rw) <= 1 && h.abs_diff(rh) <= 1,
                "{} page {page}: Folio {w}×{h}, MuPDF {rw}×{rh}",
                e.file
            );
            pages_checked += 1;
        }
    }
    assert!(pages_checked >= 600, "{pages_checked}");
}

#[test]
fn encrypted_files_need_their_password() {
    let Some(corpus) = corpus() else {
        return skipped("corpus passwords");
    };
    let encrypted: Vec<_> = manifest(&corpus)
        .into_iter()
        .filter(|e| e.encrypted())
        .collect();
    assert!(encrypted.len() >= 5, "expected RC4/AES files in the corpus");
    for e in encrypted {
        let bytes = std::fs::read(corpus.join(&e.file)).unwrap();
        let limits = Limits::default();
        let doc = Document::open(bytes.clone(), &e.password, &limits)
            .unwrap_or_else(|err| panic!("{} with its password: {err}", e.file));
        assert_eq!(Some(doc.page_count()), e.pages, "{}", e.file);
        for wrong in ["", "not-the-password"] {
            let err = Document::open(bytes.clone(), wrong, &limits)
                .err()
                .expect(&e.file);
            assert_eq!(err.code(), 441, "{} with {wrong:?}: {err}", e.file);
        }
    }
}

#[test]
fn malformed_files_end_in_an_image_or_442() {
    let Some(corpus) = corpus() else {
        return skipped("corpus malformed");
    };
    let malformed: Vec<_> = manifest(&corpus)
        .into_iter()
        .filter(|e| e.malformed())
        .collect();
    assert!(!malformed.is_empty());
    for e in malformed {
        let path = corpus.join(&e.file);
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(render_all(&path, ""));
        });
        match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(Ok(pages)) => assert!(!pages.is_empty() || e.pages.is_none(), "{}", e.file),
            Ok(Err(err)) => assert_eq!(err.code(), 442, "{}: {err}", e.file),
            Err(_) => panic!("{}: no answer within 60 s (hang)", e.file),
        }
    }
}

#[test]
fn colour_modes_and_formats_on_the_whole_corpus_do_not_fail() {
    let Some(corpus) = corpus() else {
        return skipped("corpus formats");
    };
    let limits = Limits::default();
    for e in manifest(&corpus).iter().filter(|e| !e.malformed()) {
        let doc = Document::open(
            std::fs::read(corpus.join(&e.file)).unwrap(),
            &e.password,
            &limits,
        )
        .unwrap();
        let pages = PageSpec::parse("0,!0")
            .unwrap()
            .resolve(doc.page_count(), 10)
            .unwrap();
        for (format, color) in [
            (Format::Jpeg, ColorMode::Gray),
            (Format::Webp, ColorMode::Bw),
            (Format::Png, ColorMode::Bw),
        ] {
            let opts = RenderOptions {
                format,
                color,
                resolution: Resolution::Dpi(36.0),
                ..Default::default()
            };
            let summary = convert(&doc, &pages, &opts, &limits, |img| img.map(drop)).unwrap();
            assert_eq!(summary.pages, pages.len(), "{} {format:?}", e.file);
        }
    }
}
