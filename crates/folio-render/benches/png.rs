//! How Folio chose its PNG settings: render a text page once, then encode it every way worth
//! considering and print time and size beside pdftoppm's file for the same page.
//!
//! `cargo bench -p folio-render --bench png [-- PDF PAGE]` (default: the corpus's tracemonkey.pdf,
//! page 1, 150 DPI). Numbers, not assertions: the chosen setting is the one in `encode.rs`.

use std::time::Instant;

use folio_render::{ColorMode, Document, Format, Limits, Pixels, Resolution, encode_page};

fn main() {
    let mut args = std::env::args().skip(1).filter(|a| a != "--bench");
    let default = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/corpus/pdfjs-tracemonkey.pdf"
    );
    let path = args.next().unwrap_or_else(|| default.to_string());
    let page: usize = args.next().and_then(|p| p.parse().ok()).unwrap_or(1);
    let Ok(bytes) = std::fs::read(&path) else {
        println!("png bench skipped: {path} not found (pass a PDF path)");
        return;
    };
    let doc = Document::open(bytes, "", &Limits::default()).expect("open");
    let res = Resolution::Dpi(150.0);
    let t = Instant::now();
    let raster = doc
        .render_page(page, res, ColorMode::Rgb, &Limits::default())
        .expect("render");
    let render_ms = t.elapsed().as_secs_f64() * 1e3;
    let Pixels::Rgb(rgb) = &raster.pixels else {
        unreachable!()
    };
    let gray: Vec<u8> = rgb.iter().step_by(3).copied().collect();
    println!(
        "{path} page {page}: {}x{} at 150 DPI, render {render_ms:.1} ms",
        raster.width, raster.height
    );
    println!("| colour type | compression | filter | encode ms | bytes |");
    println!("|---|---|---|--:|--:|");
    let compressions = [
        ("fdeflate", png::DeflateCompression::FdeflateUltraFast),
        ("zlib-rs level 1", png::DeflateCompression::Level(1)),
        ("zlib-rs level 2", png::DeflateCompression::Level(2)),
        ("zlib-rs level 3", png::DeflateCompression::Level(3)),
        ("zlib-rs level 4", png::DeflateCompression::Level(4)),
        ("zlib-rs level 6", png::DeflateCompression::Level(6)),
        ("zlib-rs level 9", png::DeflateCompression::Level(9)),
    ];
    let filters = [
        ("adaptive", None),
        ("Sub", Some(png::Filter::Sub)),
        ("Up", Some(png::Filter::Up)),
        ("Paeth", Some(png::Filter::Paeth)),
    ];
    for (ct_name, data, ct) in [
        ("RGB 24-bit", rgb.as_slice(), png::ColorType::Rgb),
        ("grey 8-bit", gray.as_slice(), png::ColorType::Grayscale),
    ] {
        for (c_name, c) in compressions {
            for (f_name, f) in filters {
                let t = Instant::now();
                let mut out = Vec::new();
                let mut enc = png::Encoder::new(&mut out, raster.width, raster.height);
                enc.set_color(ct);
                enc.set_deflate_compression(c);
                if let Some(f) = f {
                    enc.set_filter(f);
                }
                let mut w = enc.write_header().unwrap();
                w.write_image_data(data).unwrap();
                w.finish().unwrap();
                let ms = t.elapsed().as_secs_f64() * 1e3;
                println!(
                    "| {ct_name} | {c_name} | {f_name} | {ms:.1} | {} |",
                    out.len()
                );
            }
        }
    }
    let t = Instant::now();
    let chosen = encode_page(&raster, Format::Png, 85, Some(150.0)).unwrap();
    println!(
        "\nFolio's choice (encode.rs): {} bytes in {:.1} ms = {:.0}% of render time",
        chosen.len(),
        t.elapsed().as_secs_f64() * 1e3,
        t.elapsed().as_secs_f64() * 1e3 / render_ms * 100.0
    );
    let dir = std::env::temp_dir().join(format!("folio-png-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = (page + 1).to_string();
    let status = std::process::Command::new("pdftoppm")
        .args([
            "-r",
            "150",
            "-png",
            "-f",
            &p,
            "-l",
            &p,
            "-singlefile",
            &path,
        ])
        .arg(dir.join("ref"))
        .status();
    match status
        .ok()
        .filter(|s| s.success())
        .and_then(|_| std::fs::metadata(dir.join("ref.png")).ok())
    {
        Some(m) => println!(
            "pdftoppm -png: {} bytes; Folio / pdftoppm = {:.2}",
            m.len(),
            chosen.len() as f64 / m.len() as f64
        ),
        None => println!("pdftoppm not available: install poppler-utils for the comparison"),
    }
    let _ = std::fs::remove_dir_all(&dir);
}
