//! Folio's rendering room: PDF bytes in, encoded page images out.
//!
//! It knows nothing of HTTP, storage or jobs, so the server, the CLI and anyone else can use it.
//! The road a document takes:
//!
//! 1. [`Document::open`] parses once (size limit, password) with the pure-Rust engine `hayro`.
//! 2. [`PageSpec`] turns the PDF.co `pages` grammar into page indices.
//! 3. [`convert`] renders the selected pages in parallel on a scoped thread pool (one render
//!    cache per worker), converts colour, encodes, and hands each page to a callback in selection
//!    order, holding only a small window of pages in memory. TIFF, a single multi-page file,
//!    goes through [`convert_tiff`] instead.
//!
//! Every failure is an [`Error`] that carries its PDF.co error code; a page on which the engine
//! panics becomes an error for that page only.

mod code;
mod convert;
mod document;
mod encode;
mod error;
pub mod fonts;
mod missing;
mod pages;
mod raster;
#[cfg(any(test, feature = "testpdf"))]
pub mod testpdf;
mod text;

pub use code::Code;
pub use convert::{PageImage, Summary, convert, convert_tiff};
pub use document::{DocInfo, Document, PageGeometry, PdfDate, decode_text};
pub use encode::{Format, encode_page};
pub use error::{Error, Limit};
pub use pages::{Base, PageItem, PageRef, PageSpec};
pub use raster::{ColorMode, Pixels, Raster};
pub use text::LINE_BREAK;

/// Hard limits that protect the process from hostile or mistaken input. All are configurable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Limits {
    /// Largest PDF accepted, in bytes.
    pub max_input_bytes: u64,
    /// Most pixels (width × height) of one rendered page. At 4 bytes a pixel while rendering,
    /// the default (64 Mpx, e.g. A4 at 1000 DPI) costs 256 MiB per worker thread at most.
    pub max_page_pixels: u64,
    /// Most pages one conversion may produce.
    pub max_pages: usize,
    /// Most bytes one image inside the PDF may decode to (width × height × components × bits).
    /// The engine decodes an image whole, so a few hundred KB of Flate data declaring
    /// 30,000 × 30,000 grey pixels would cost 900 MB; such documents are refused when opened.
    pub max_image_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_input_bytes: 256 * 1024 * 1024,
            max_page_pixels: 64 * 1024 * 1024,
            max_pages: 10_000,
            max_image_bytes: 512 * 1024 * 1024,
        }
    }
}

impl Limits {
    /// Refuse an input of `len` bytes before reading it, when its size is known up front.
    pub fn check_input_size(&self, len: u64) -> Result<(), Error> {
        if len > self.max_input_bytes {
            return Err(Error::LimitExceeded {
                limit: Limit::InputBytes,
                message: format!(
                    "The PDF is {len} bytes, over the limit of {} bytes for one document.",
                    self.max_input_bytes
                ),
            });
        }
        Ok(())
    }
}

/// How large each page image is.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Resolution {
    /// Dots per inch (72 = one pixel per PDF point).
    Dpi(f32),
    /// A fixed width in pixels; height follows the page's aspect ratio.
    Width(u32),
    /// A fixed height in pixels; width follows the page's aspect ratio.
    Height(u32),
}

impl Default for Resolution {
    fn default() -> Self {
        Resolution::Dpi(150.0)
    }
}

/// Highest DPI accepted; the per-page pixel limit usually binds first.
pub const MAX_DPI: f32 = 4800.0;

impl Resolution {
    /// Pixel size of a `width_pt` × `height_pt` page. Sizes round up, as pdftoppm and mutool do,
    /// so a 612 × 792 pt Letter page at 150 DPI is exactly 1275 × 1650.
    pub fn pixels(self, width_pt: f32, height_pt: f32) -> Result<(u32, u32), Error> {
        let round = |v: f64| (v - 1e-3).ceil().clamp(1.0, u32::MAX as f64) as u32;
        let (w, h) = (width_pt as f64, height_pt as f64);
        match self {
            Resolution::Dpi(dpi) if dpi.is_finite() && dpi > 0.0 && dpi <= MAX_DPI => {
                let s = dpi as f64 / 72.0;
                Ok((round(w * s), round(h * s)))
            }
            Resolution::Dpi(dpi) => Err(Error::InvalidOption(format!(
                "resolution {dpi} DPI is out of range; use a value from 1 to {MAX_DPI}"
            ))),
            Resolution::Width(px) if px > 0 => Ok((px, round(h * px as f64 / w))),
            Resolution::Height(px) if px > 0 => Ok((round(w * px as f64 / h), px)),
            Resolution::Width(_) | Resolution::Height(_) => Err(Error::InvalidOption(
                "target width and height must be at least 1 pixel".into(),
            )),
        }
    }
}

/// What to produce for each page.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RenderOptions {
    pub format: Format,
    pub color: ColorMode,
    pub resolution: Resolution,
    /// JPEG quality 1–100.
    pub jpeg_quality: u8,
    /// Worker threads; 0 = one per available core.
    pub threads: usize,
}

impl Default for RenderOptions {
    fn default() -> Self {
        Self {
            format: Format::Png,
            color: ColorMode::Rgb,
            resolution: Resolution::default(),
            jpeg_quality: 85,
            threads: 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letter_at_150_dpi() {
        assert_eq!(
            Resolution::Dpi(150.0).pixels(612.0, 792.0).unwrap(),
            (1275, 1650)
        );
        assert_eq!(
            Resolution::Dpi(72.0).pixels(595.0, 842.0).unwrap(),
            (595, 842)
        );
        assert_eq!(
            Resolution::Width(100).pixels(612.0, 792.0).unwrap(),
            (100, 130)
        );
        assert_eq!(
            Resolution::Height(100).pixels(792.0, 612.0).unwrap(),
            (130, 100)
        );
    }

    #[test]
    fn bad_resolutions_are_400() {
        for r in [
            Resolution::Dpi(0.0),
            Resolution::Dpi(-3.0),
            Resolution::Dpi(f32::NAN),
            Resolution::Dpi(1e6),
            Resolution::Width(0),
        ] {
            assert_eq!(r.pixels(612.0, 792.0).unwrap_err().code(), 400, "{r:?}");
        }
    }
}
