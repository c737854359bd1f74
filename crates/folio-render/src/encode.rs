//! Pixels → file bytes, with the format crates the ecosystem maintains (`png`, `jpeg-encoder`,
//! `image-webp`, `tiff`).
//!
//! PNG choices, measured by `cargo bench -p folio-render --bench png` (table in the README):
//! pages without colour are written as 8-bit grey and black-and-white pages as 1-bit, which
//! alone makes a text page less than half of pdftoppm's RGB file; deflate runs on zlib-rs.

use std::io::{Seek, Write};

use crate::Error;
use crate::raster::{Pixels, Raster, is_gray};

/// Output file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Format {
    /// One PNG per page.
    Png,
    /// One baseline JPEG per page.
    Jpeg,
    /// One lossless WebP per page.
    Webp,
    /// One multi-page TIFF (deflate) for the whole selection.
    Tiff,
}

impl Format {
    /// File extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Png => "png",
            Format::Jpeg => "jpg",
            Format::Webp => "webp",
            Format::Tiff => "tiff",
        }
    }
}

impl std::str::FromStr for Format {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        match s.to_ascii_lowercase().as_str() {
            "png" => Ok(Format::Png),
            "jpg" | "jpeg" => Ok(Format::Jpeg),
            "webp" => Ok(Format::Webp),
            "tif" | "tiff" => Ok(Format::Tiff),
            other => Err(Error::InvalidOption(format!(
                "unknown image format '{other}'; use png, jpg, webp or tiff"
            ))),
        }
    }
}

/// Largest side a WebP image can have (the format stores 14-bit sizes).
const WEBP_MAX_SIDE: u32 = 16383;

/// Encode one rendered page as PNG, JPEG or WebP. `dpi` is recorded in the file when known.
pub fn encode_page(
    raster: &Raster,
    format: Format,
    jpeg_quality: u8,
    dpi: Option<f32>,
) -> Result<Vec<u8>, String> {
    match format {
        Format::Png => encode_png(raster, dpi),
        Format::Jpeg => encode_jpeg(raster, jpeg_quality, dpi),
        Format::Webp => encode_webp(raster),
        Format::Tiff => Err("TIFF pages are written by TiffWriter".into()),
    }
}

fn encode_png(raster: &Raster, dpi: Option<f32>) -> Result<Vec<u8>, String> {
    let packed;
    let (data, color, depth): (&[u8], png::ColorType, png::BitDepth) = match &raster.pixels {
        Pixels::Rgb(rgb) if is_gray(rgb) => {
            packed = rgb.iter().step_by(3).copied().collect::<Vec<u8>>();
            (&packed, png::ColorType::Grayscale, png::BitDepth::Eight)
        }
        Pixels::Rgb(rgb) => (rgb, png::ColorType::Rgb, png::BitDepth::Eight),
        Pixels::Gray(g) => (g, png::ColorType::Grayscale, png::BitDepth::Eight),
        Pixels::Bilevel(b) => {
            packed = pack_bits(b, raster.width as usize);
            (&packed, png::ColorType::Grayscale, png::BitDepth::One)
        }
    };
    let mut out = Vec::with_capacity(data.len() / 8);
    {
        let mut enc = png::Encoder::new(&mut out, raster.width, raster.height);
        enc.set_color(color);
        enc.set_depth(depth);
        // zlib-rs level 2 with adaptive filtering: on a 150 DPI text page it encodes in about a fifth
        // of the render time, within 7% of level 6's size (level 1 is 20% larger; fdeflate 60%).
        enc.set_deflate_compression(png::DeflateCompression::Level(2));
        if let Some(dpi) = dpi {
            let ppm = (dpi as f64 / 0.0254).round() as u32;
            enc.set_pixel_dims(Some(png::PixelDimensions {
                xppu: ppm,
                yppu: ppm,
                unit: png::Unit::Meter,
            }));
        }
        let mut w = enc.write_header().map_err(|e| e.to_string())?;
        w.write_image_data(data).map_err(|e| e.to_string())?;
        w.finish().map_err(|e| e.to_string())?;
    }
    Ok(out)
}

/// Pack 0/255 bytes into 1-bit rows, MSB first, each row padded to a whole byte (PNG and TIFF
/// layout). 1 = white, matching PNG grey and TIFF BlackIsZero.
fn pack_bits(bilevel: &[u8], width: usize) -> Vec<u8> {
    let row_bytes = width.div_ceil(8);
    let mut out = vec![0u8; row_bytes * (bilevel.len() / width.max(1))];
    for (row, out_row) in bilevel
        .chunks_exact(width)
        .zip(out.chunks_exact_mut(row_bytes))
    {
        for (x, &p) in row.iter().enumerate() {
            if p != 0 {
                out_row[x / 8] |= 0x80 >> (x % 8);
            }
        }
    }
    out
}

fn encode_jpeg(raster: &Raster, quality: u8, dpi: Option<f32>) -> Result<Vec<u8>, String> {
    let (w, h) = (raster.width, raster.height);
    if w > u16::MAX as u32 || h > u16::MAX as u32 {
        return Err(format!(
            "JPEG is limited to 65535 pixels per side; this page is {w} × {h}"
        ));
    }
    let (data, color) = match &raster.pixels {
        Pixels::Rgb(d) => (d, jpeg_encoder::ColorType::Rgb),
        Pixels::Gray(d) | Pixels::Bilevel(d) => (d, jpeg_encoder::ColorType::Luma),
    };
    let mut out = Vec::new();
    let mut enc = jpeg_encoder::Encoder::new(&mut out, quality.clamp(1, 100));
    if let Some(dpi) = dpi {
        let d = dpi.round().clamp(1.0, u16::MAX as f32) as u16;
        enc.set_density(jpeg_encoder::PixelDensity {
            density: (d, d),
            unit: jpeg_encoder::PixelDensityUnit::Inches,
        });
    }
    enc.encode(data, w as u16, h as u16, color)
        .map_err(|e| e.to_string())?;
    Ok(out)
}

fn encode_webp(raster: &Raster) -> Result<Vec<u8>, String> {
    let (w, h) = (raster.width, raster.height);
    if w > WEBP_MAX_SIDE || h > WEBP_MAX_SIDE {
        return Err(format!(
            "WebP is limited to {WEBP_MAX_SIDE} pixels per side; this page is {w} × {h}. \
             Lower the resolution or choose PNG."
        ));
    }
    let (data, color) = match &raster.pixels {
        Pixels::Rgb(d) => (d, image_webp::ColorType::Rgb8),
        Pixels::Gray(d) | Pixels::Bilevel(d) => (d, image_webp::ColorType::L8),
    };
    let mut out = Vec::new();
    image_webp::WebPEncoder::new(&mut out)
        .encode(data, w, h, color)
        .map_err(|e| e.to_string())?;
    Ok(out)
}

/// Appends pages to one multi-page TIFF, deflate-compressed with the horizontal predictor.
/// Black-and-white pages are stored as 8-bit grey 0/255 (the `tiff` crate has no 1-bit writer);
/// deflate shrinks them close to a packed 1-bit file.
pub(crate) struct TiffWriter<W: Write + Seek> {
    enc: tiff::encoder::TiffEncoder<W>,
}

impl<W: Write + Seek> TiffWriter<W> {
    pub fn new(out: W) -> Result<Self, Error> {
        let enc = tiff::encoder::TiffEncoder::new(out)
            .map_err(|e| Error::Output(e.to_string()))?
            .with_compression(tiff::encoder::Compression::Deflate(
                tiff::encoder::DeflateLevel::Balanced,
            ))
            .with_predictor(tiff::encoder::Predictor::Horizontal);
        Ok(Self { enc })
    }

    pub fn add_page(&mut self, raster: &Raster, dpi: Option<f32>) -> Result<(), Error> {
        use tiff::encoder::colortype::{Gray8, RGB8};
        let io = |e: tiff::TiffError| Error::Output(e.to_string());
        let res = dpi.map(|d| tiff::encoder::Rational {
            n: (d * 100.0).round() as u32,
            d: 100,
        });
        macro_rules! write {
            ($ct:ty, $data:expr) => {{
                let mut img = self
                    .enc
                    .new_image::<$ct>(raster.width, raster.height)
                    .map_err(io)?;
                if let Some(r) = res {
                    img.resolution(tiff::tags::ResolutionUnit::Inch, r);
                }
                img.write_data($data).map_err(io)
            }};
        }
        match &raster.pixels {
            Pixels::Rgb(d) => write!(RGB8, d),
            Pixels::Gray(d) | Pixels::Bilevel(d) => write!(Gray8, d),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pack_bits_layout() {
        // 10 px wide: two bytes per row, MSB first, padding bits zero.
        let row = [255, 0, 0, 0, 0, 0, 0, 255, 255, 0];
        assert_eq!(pack_bits(&row, 10), vec![0b1000_0001, 0b1000_0000]);
    }

    #[test]
    fn format_names() {
        assert_eq!("JPEG".parse::<Format>().unwrap(), Format::Jpeg);
        assert_eq!("tif".parse::<Format>().unwrap(), Format::Tiff);
        assert_eq!("bmp".parse::<Format>().unwrap_err().code(), 400);
    }
}
