//! Core behaviour on the small PDFs committed under `tests/fixtures` (runs on a fresh clone).

mod common;

use std::io::Cursor;

use common::*;
use folio_render::{
    ColorMode, Document, Format, Limits, PageSpec, Pixels, RenderOptions, Resolution, convert,
    convert_tiff,
};

fn open(name: &str, password: &str) -> Result<Document, folio_render::Error> {
    Document::open(
        std::fs::read(fixtures().join(name)).unwrap(),
        password,
        &Limits::default(),
    )
}

fn png_header(data: &[u8]) -> (u32, u32, png::ColorType, png::BitDepth) {
    let info = png::Decoder::new(Cursor::new(data))
        .read_info()
        .unwrap()
        .info()
        .clone();
    (info.width, info.height, info.color_type, info.bit_depth)
}

#[test]
fn rotation_and_crop_boxes_give_mupdfs_sizes() {
    let sizes = reference_sizes();
    for file in [
        "qpdf-rotated.pdf",
        "qpdf-boxes.pdf",
        "pdfjs-sizes.pdf",
        "pysf-minimal-document.pdf",
    ] {
        let doc = open(file, "").unwrap();
        for page in 0..doc.page_count() {
            let (w, h) = doc
                .pixel_size(page, Resolution::Dpi(72.0), &Limits::default())
                .unwrap();
            let (rw, rh) = sizes[&(file.to_string(), page)];
            assert!(
                w.abs_diff(rw) <= 1 && h.abs_diff(rh) <= 1,
                "{file} p{page}: {w}×{h} vs {rw}×{rh}"
            );
        }
    }
    // A rotated page really is landscape, and its pixels are laid out that way.
    let doc = open("qpdf-rotated.pdf", "").unwrap();
    let rotations: Vec<u16> = (0..doc.page_count())
        .map(|p| doc.geometry(p).rotation)
        .collect();
    assert!(
        rotations.contains(&90) && rotations.contains(&270),
        "{rotations:?}"
    );
    let p = rotations.iter().position(|&r| r == 90).unwrap();
    let r = doc
        .render_page(
            p,
            Resolution::Dpi(50.0),
            ColorMode::Gray,
            &Limits::default(),
        )
        .unwrap();
    assert!(r.width > r.height);
}

#[test]
fn passwords_rc4_aes128_aes256_and_non_ascii() {
    for (file, pw) in [
        ("qpdf-enc-R2_V1_U_view_O_master.pdf", "view"),
        ("qpdf-c-r4.pdf", "user2"),
        ("pdfjs-issue21579.pdf", "pässwört"),
    ] {
        let doc = open(file, pw).unwrap_or_else(|e| panic!("{file}: {e}"));
        let r = doc
            .render_page(
                0,
                Resolution::Dpi(30.0),
                ColorMode::Gray,
                &Limits::default(),
            )
            .unwrap();
        let Pixels::Gray(g) = r.pixels else { panic!() };
        assert!(
            g.iter().any(|&p| p < 128),
            "{file}: decrypted page should show text"
        );
        let missing = open(file, "").err().unwrap();
        assert_eq!(missing.code(), 441);
        assert!(
            missing.to_string().contains("supply its user password"),
            "{missing}"
        );
        let wrong = open(file, "wrong").err().unwrap();
        assert_eq!(wrong.code(), 441);
        assert!(wrong.to_string().contains("does not open"), "{wrong}");
    }
}

#[test]
fn truncated_file_gives_image_or_442() {
    match open("opf-T04_006_premature-EOF.pdf", "") {
        Ok(doc) => {
            doc.render_page(0, Resolution::Dpi(30.0), ColorMode::Rgb, &Limits::default())
                .unwrap();
        }
        Err(e) => assert_eq!(e.code(), 442, "{e}"),
    }
}

#[test]
fn text_pages_become_small_grey_pngs_and_bw_becomes_one_bit() {
    let doc = open("pysf-minimal-document.pdf", "").unwrap();
    let limits = Limits::default();
    let mut got = vec![];
    for color in [ColorMode::Rgb, ColorMode::Gray, ColorMode::Bw] {
        let opts = RenderOptions {
            color,
            ..Default::default()
        };
        convert(&doc, &[0], &opts, &limits, |img| {
            got.push(png_header(&img?.data));
            Ok(())
        })
        .unwrap();
    }
    // A4 at 150 DPI: 595.276 × 841.89 pt.
    assert_eq!(
        got[0],
        (1241, 1754, png::ColorType::Grayscale, png::BitDepth::Eight)
    );
    assert_eq!(
        got[1],
        (1241, 1754, png::ColorType::Grayscale, png::BitDepth::Eight)
    );
    assert_eq!(
        got[2],
        (1241, 1754, png::ColorType::Grayscale, png::BitDepth::One)
    );
}

#[test]
fn jpeg_and_webp_files_are_valid() {
    let doc = open("qpdf-boxes.pdf", "").unwrap();
    let pages = PageSpec::parse("!0, 0")
        .unwrap()
        .resolve(doc.page_count(), 100)
        .unwrap();
    for format in [Format::Jpeg, Format::Webp] {
        let mut files = vec![];
        let opts = RenderOptions {
            format,
            resolution: Resolution::Width(300),
            ..Default::default()
        };
        convert(&doc, &pages, &opts, &Limits::default(), |img| {
            files.push(img?);
            Ok(())
        })
        .unwrap();
        assert_eq!(files.iter().map(|f| f.page).collect::<Vec<_>>(), vec![7, 0]);
        for f in files {
            assert_eq!(f.width, 300);
            match format {
                Format::Jpeg => assert!(f.data.starts_with(&[0xFF, 0xD8, 0xFF])),
                _ => assert!(f.data.starts_with(b"RIFF") && &f.data[8..12] == b"WEBP"),
            }
        }
    }
    // Quality matters.
    let size = |q| {
        let opts = RenderOptions {
            format: Format::Jpeg,
            jpeg_quality: q,
            ..Default::default()
        };
        let mut n = 0;
        convert(&doc, &[0], &opts, &Limits::default(), |img| {
            n = img?.data.len();
            Ok(())
        })
        .unwrap();
        n
    };
    assert!(size(20) < size(95));
}

#[test]
fn tiff_holds_every_selected_page() {
    let doc = open("qpdf-rotated.pdf", "").unwrap();
    let pages = PageSpec::parse("0-3")
        .unwrap()
        .resolve(doc.page_count(), 100)
        .unwrap();
    let mut buf = Cursor::new(Vec::new());
    let mut progress = vec![];
    let opts = RenderOptions {
        format: Format::Tiff,
        resolution: Resolution::Dpi(40.0),
        ..Default::default()
    };
    let s = convert_tiff(&doc, &pages, &opts, &Limits::default(), &mut buf, |n, w| {
        assert!(w.is_empty(), "{w:?}");
        progress.push(n)
    })
    .unwrap();
    assert_eq!(s.pages, 4);
    assert_eq!(progress, vec![1, 2, 3, 4]);
    let mut dec = tiff::decoder::Decoder::new(Cursor::new(buf.into_inner())).unwrap();
    let mut dims = vec![dec.dimensions().unwrap()];
    while dec.more_images() {
        dec.next_image().unwrap();
        dims.push(dec.dimensions().unwrap());
    }
    let want: Vec<(u32, u32)> = pages
        .iter()
        .map(|&p| {
            doc.pixel_size(p, Resolution::Dpi(40.0), &Limits::default())
                .unwrap()
        })
        .collect();
    assert_eq!(dims, want);
}

#[test]
fn pixel_limit_is_configurable() {
    let doc = open("pysf-minimal-document.pdf", "").unwrap();
    let small = Limits {
        max_page_pixels: 1_000_000,
        ..Limits::default()
    };
    let err = doc
        .pixel_size(0, Resolution::Dpi(150.0), &small)
        .unwrap_err();
    assert_eq!(err.code(), 400);
    assert!(doc.pixel_size(0, Resolution::Dpi(72.0), &small).is_ok());
}
