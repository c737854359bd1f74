//! Helpers shared by the corpus-wide tests: where the corpus is, its manifest, reference data.
#![allow(dead_code)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};

#[allow(unused_imports)]
pub use folio_testkit::{corpus, repo_root, skipped_without};

pub fn fixtures() -> PathBuf {
    repo_root().join("tests/fixtures")
}

pub fn reference_dir() -> PathBuf {
    fixtures().join("reference")
}

/// Say plainly, past the test harness's output capture, that a test did not run. CI always has
/// the corpus, so there a missing corpus is a failure, not a skip.
pub fn skipped(test: &str) {
    skipped_without(test, "corpus not found (../shared/corpus or FOLIO_CORPUS)");
}

#[derive(Debug, Clone)]
pub struct Entry {
    pub file: String,
    pub pages: Option<usize>,
    pub tags: Vec<String>,
    pub password: String,
}

impl Entry {
    pub fn has(&self, tag: &str) -> bool {
        self.tags.iter().any(|t| t == tag)
    }
    pub fn malformed(&self) -> bool {
        self.has("malformed")
    }
    pub fn encrypted(&self) -> bool {
        self.tags.iter().any(|t| t.starts_with("encrypted"))
    }
}

pub fn manifest(corpus: &Path) -> Vec<Entry> {
    let text = std::fs::read_to_string(corpus.join("MANIFEST.tsv")).expect("read manifest");
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("header").split('\t').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).expect(name);
    let (f, p, t, pw) = (col("file"), col("pages"), col("tags"), col("password"));
    lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let c: Vec<&str> = l.split('\t').collect();
            Entry {
                file: c[f].to_string(),
                pages: c[p].parse().ok(),
                tags: c[t].split(',').map(str::to_string).collect(),
                password: c.get(pw).unwrap_or(&"").to_string(),
            }
        })
        .collect()
}

/// `sizes.tsv`: (file, 0-based page) → mutool's pixel size at 72 DPI.
pub fn reference_sizes() -> HashMap<(String, usize), (u32, u32)> {
    let text = std::fs::read_to_string(reference_dir().join("sizes.tsv")).expect("sizes.tsv");
    text.lines()
        .skip(1)
        .map(|l| {
            let c: Vec<&str> = l.split('\t').collect();
            (
                (c[0].to_string(), c[1].parse().unwrap()),
                (c[2].parse().unwrap(), c[3].parse().unwrap()),
            )
        })
        .collect()
}

/// Box-filter a grey image down by `f` in each direction (partial edge blocks dropped).
pub fn downscale(gray: &[u8], w: u32, h: u32, f: u32) -> (Vec<u8>, u32, u32) {
    let (nw, nh) = (w / f, h / f);
    let mut out = Vec::with_capacity((nw * nh) as usize);
    for y in 0..nh {
        for x in 0..nw {
            let mut sum = 0u32;
            for dy in 0..f {
                let row = ((y * f + dy) * w) as usize;
                for dx in 0..f {
                    sum += gray[row + (x * f + dx) as usize] as u32;
                }
            }
            out.push(((sum + f * f / 2) / (f * f)) as u8);
        }
    }
    (out, nw, nh)
}

/// Mean absolute difference over the overlapping area of two grey images.
pub fn mean_abs_diff(a: &[u8], aw: u32, ah: u32, b: &[u8], bw: u32, bh: u32) -> f64 {
    let (w, h) = (aw.min(bw), ah.min(bh));
    let mut sum = 0u64;
    for y in 0..h {
        for x in 0..w {
            let pa = a[(y * aw + x) as usize] as i32;
            let pb = b[(y * bw + x) as usize] as i32;
            sum += pa.abs_diff(pb) as u64;
        }
    }
    sum as f64 / (w as f64 * h as f64).max(1.0)
}

/// Decode a PNG to 8-bit samples: the data (expanded, 16-bit stripped), colour type, size.
pub fn decode_png(path: &Path) -> (Vec<u8>, png::ColorType, u32, u32) {
    decode_png_bytes(&std::fs::read(path).unwrap())
}

/// [`decode_png`] of a PNG in memory.
pub fn decode_png_bytes(png: &[u8]) -> (Vec<u8>, png::ColorType, u32, u32) {
    let mut dec = png::Decoder::new(std::io::Cursor::new(png));
    dec.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = dec.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    buf.truncate(info.buffer_size());
    (buf, info.color_type, info.width, info.height)
}

/// Decode a PNG to 8-bit grey (RGB input is converted with the same weights as Folio).
pub fn read_gray_png(path: &Path) -> (Vec<u8>, u32, u32) {
    let (data, color, w, h) = decode_png(path);
    let gray = match color {
        png::ColorType::Grayscale => data,
        png::ColorType::GrayscaleAlpha => data.iter().step_by(2).copied().collect(),
        png::ColorType::Rgb | png::ColorType::Rgba => {
            let n = if color == png::ColorType::Rgb { 3 } else { 4 };
            data.chunks_exact(n)
                .map(|p| {
                    ((p[0] as u32 * 77 + p[1] as u32 * 150 + p[2] as u32 * 29 + 128) >> 8) as u8
                })
                .collect()
        }
        other => panic!("unexpected PNG colour type {other:?}"),
    };
    (gray, w, h)
}

/// Page `page` rendered by Folio in 8-bit grey at `dpi`.
pub fn render_gray(pdf: &Path, password: &str, page: usize, dpi: f32) -> (Vec<u8>, u32, u32) {
    use folio_render::{ColorMode, Document, Limits, Pixels, Resolution};
    let doc = Document::open(std::fs::read(pdf).unwrap(), password, &Limits::default()).unwrap();
    let r = doc
        .render_page(
            page,
            Resolution::Dpi(dpi),
            ColorMode::Gray,
            &Limits::default(),
        )
        .unwrap();
    let Pixels::Gray(g) = r.pixels else {
        unreachable!()
    };
    (g, r.width, r.height)
}

pub fn write_gray_png(path: &Path, data: &[u8], w: u32, h: u32) {
    let file = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let mut enc = png::Encoder::new(file, w, h);
    enc.set_color(png::ColorType::Grayscale);
    enc.set_compression(png::Compression::High);
    let mut wr = enc.write_header().unwrap();
    wr.write_image_data(data).unwrap();
}
