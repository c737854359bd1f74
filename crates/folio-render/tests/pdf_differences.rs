//! The PDF Association's pdf-differences cases: pages on which PDF renderers disagree, each with
//! an image of how it must look (Apache-2.0, `../shared/reference/pdf-differences`, or
//! `FOLIO_PDF_DIFFERENCES`). The reference images are viewer screenshots, so each case in
//! `tests/fixtures/pdf-differences.tsv` gives the scale to render at and where the screenshot sits
//! in that render; the comparison is in colour (a stroke drawn blue instead of red is a few grey
//! levels only). `LIMITS` holds, per case, the share of pixels allowed to differ by more than 64
//! in some channel: what the patched engine reaches plus a margin for anti-aliasing. Each limit is
//! below what the unpatched engine gave on the cases it was wrong on (see patches/README.md).

mod common;

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::PathBuf;

use common::*;
use folio_render::{ColorMode, Document, Limits, Pixels, Resolution};

/// Case → largest share (0–1) of strongly differing pixels. The comment gives the unpatched
/// engine's figure where it was wrong.
const LIMITS: &[(&str, f64)] = &[
    // Was 6.9 %: the stroke's inner half painted over the transparent fill a second time.
    ("Atomic-SelfIntersecting-Transparency", 0.010),
    ("ColorBurn", 0.028),
    ("ColorDodge", 0.018),
    // Corner joins of dashes that end or start exactly at a bend: a few pixels of the image.
    ("Dashing-Degenerate", 0.018),
    ("Dashing-EndBeforeBend", 0.022),
    // DefaultRGB was ignored (patches drawn in plain device RGB) at about this share too: the
    // wrong colours cover few pixels. Checked by eye; these limits guard the rest.
    ("DefaultRGBColourSpaces", 0.0155),
    ("DefaultRGBColourSpaces-inherit", 0.0158),
    // Was 3.45 %: the dots of round caps on zero-length subpaths were missing.
    ("LineCap-Degenerate", 0.029),
    ("Negative-DashPhase", 0.055),
    ("NegativeFontSize", 0.038),
    // The screenshot's viewer had the real fonts; we draw the standard-font substitutes.
    ("OverlappingGlyphClipping", 0.13),
    // Was 3.1 %: the glyphs' strokes took the fill colour.
    ("Type3WordSpacing", 0.0285),
];

fn cases_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("FOLIO_PDF_DIFFERENCES")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("../shared/reference/pdf-differences"));
    dir.join("ATTRIBUTION.md").is_file().then_some(dir)
}

fn read_rgb_png(path: &std::path::Path) -> (Vec<u8>, u32, u32) {
    let (data, color, w, h) = decode_png(path);
    let rgb = match color {
        png::ColorType::Rgb => data,
        // Screenshots with alpha are opaque; composite on white all the same.
        png::ColorType::Rgba => data
            .chunks_exact(4)
            .flat_map(|p| {
                let a = p[3] as u32;
                [0, 1, 2].map(|i| ((p[i] as u32 * a + 255 * (255 - a) + 127) / 255) as u8)
            })
            .collect(),
        png::ColorType::Grayscale => data.iter().flat_map(|&g| [g, g, g]).collect(),
        other => panic!("unexpected PNG colour type {other:?}"),
    };
    (rgb, w, h)
}

/// (mean absolute difference over channels, share of pixels with a channel off by > 64) of the
/// reference against our render cropped at (cx, cy); outside our render counts as white.
fn compare(
    (ours, ow, oh): (&[u8], u32, u32),
    (reference, rw, rh): (&[u8], u32, u32),
    (cx, cy): (i64, i64),
) -> (f64, f64) {
    let (mut sum, mut strong) = (0u64, 0u64);
    for y in 0..rh as i64 {
        for x in 0..rw as i64 {
            let r = &reference[((y * rw as i64 + x) * 3) as usize..][..3];
            let (ox, oy) = (x + cx, y + cy);
            let o: [u8; 3] = if ox >= 0 && oy >= 0 && ox < ow as i64 && oy < oh as i64 {
                let i = ((oy * ow as i64 + ox) * 3) as usize;
                [ours[i], ours[i + 1], ours[i + 2]]
            } else {
                [255; 3]
            };
            let d = (0..3)
                .map(|i| (o[i] as i32 - r[i] as i32).unsigned_abs())
                .collect::<Vec<_>>();
            sum += d.iter().map(|&v| v as u64).sum::<u64>();
            strong += (d.iter().max().copied().unwrap_or(0) > 64) as u64;
        }
    }
    let n = (rw as u64 * rh as u64).max(1) as f64;
    (sum as f64 / (3.0 * n), strong as f64 / n)
}

#[test]
fn pdf_differences_render_like_their_correct_images() {
    let Some(dir) = cases_dir() else {
        return skipped_without(
            "pdf-differences",
            "cases not found (../shared/reference/pdf-differences or FOLIO_PDF_DIFFERENCES)",
        );
    };
    let table = std::fs::read_to_string(fixtures().join("pdf-differences.tsv")).unwrap();
    let (mut report, mut failures, mut judged) = (String::new(), vec![], 0);
    for line in table.lines().filter(|l| !l.starts_with('#')) {
        let c: Vec<&str> = line.split('\t').collect();
        let (name, pdf, reference) = (c[0], c[1], c[2]);
        let scale: f32 = c[3].parse().unwrap();
        let (cx, cy): (i64, i64) = (c[4].parse().unwrap(), c[5].parse().unwrap());
        let doc = Document::open(
            std::fs::read(dir.join(pdf)).unwrap(),
            "",
            &Limits::default(),
        )
        .unwrap();
        let r = doc
            .render_page(
                0,
                Resolution::Dpi(72.0 * scale),
                ColorMode::Rgb,
                &Limits::default(),
            )
            .unwrap();
        let rgb = match r.pixels {
            Pixels::Rgb(p) => p,
            Pixels::Gray(g) => g.iter().flat_map(|&v| [v, v, v]).collect(),
            Pixels::Bilevel(_) => unreachable!(),
        };
        if reference == "-" {
            // No image of the correct result: rendered, judged by eye (patches/README.md).
            continue;
        }
        let (refpx, rw, rh) = read_rgb_png(&dir.join(reference));
        let (mad, strong) = compare((&rgb, r.width, r.height), (&refpx, rw, rh), (cx, cy));
        judged += 1;
        let limit = LIMITS.iter().find(|(n, _)| *n == name).map(|&(_, l)| l);
        writeln!(
            report,
            "{name}: mean {mad:.2}, {:.2}% strongly different (limit {})",
            strong * 100.0,
            limit.map_or("none".into(), |l| format!("{:.2}%", l * 100.0))
        )
        .unwrap();
        match limit {
            Some(l) if strong <= l => {}
            _ => failures.push(format!("{name}: {:.2}% strongly different", strong * 100.0)),
        }
    }
    let _ = writeln!(
        std::io::stderr(),
        "pdf-differences: {judged} cases\n{report}"
    );
    assert!(judged >= 12, "too few cases judged: {judged}");
    assert!(
        failures.is_empty(),
        "cases off their correct image:\n{}\n\nall:\n{report}",
        failures.join("\n")
    );
}
