//! Opening a PDF: size limit, password, and the geometry of its pages.

use hayro::hayro_syntax::{DecryptionError, LoadPdfError, Pdf};

use crate::raster::Rasterizer;
use crate::{ColorMode, Error, Limit, Limits, Raster, Resolution};

/// A parsed PDF, ready to render. `Send + Sync`: one parse serves every worker thread.
pub struct Document {
    pdf: Pdf,
}

/// The document information dictionary, decoded to text.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DocInfo {
    pub title: Option<String>,
    pub author: Option<String>,
    pub subject: Option<String>,
    pub keywords: Option<String>,
    pub creator: Option<String>,
    pub producer: Option<String>,
    pub created: Option<PdfDate>,
    pub modified: Option<PdfDate>,
}

/// A date of the information dictionary, as written (local time of its author).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PdfDate {
    pub year: u16,
    pub month: u8,
    pub day: u8,
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
}

/// A PDF text string: UTF-16BE with a byte-order mark, UTF-8 with one, else PDFDocEncoding
/// (read as Latin-1, which it matches for printable characters).
pub fn decode_text(b: &[u8]) -> String {
    if let Some(rest) = b.strip_prefix(&[0xFE, 0xFF]) {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect();
        return String::from_utf16_lossy(&units);
    }
    if let Some(rest) = b.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return String::from_utf8_lossy(rest).into_owned();
    }
    b.iter().map(|&c| c as char).collect()
}

/// Refuse a document holding an image that would decode to more than `limits.max_image_bytes`,
/// before the engine decodes it whole. Only stream dictionaries are read, not their data.
fn check_images(pdf: &Pdf, limits: &Limits) -> Result<(), Error> {
    use hayro::hayro_syntax::object::dict::keys::{
        BITS_PER_COMPONENT, COLORSPACE, HEIGHT, IMAGE, IMAGE_MASK, SUBTYPE, WIDTH,
    };
    use hayro::hayro_syntax::object::{Name, Object};
    let scan = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        for obj in pdf.objects() {
            let Object::Stream(stream) = obj else {
                continue;
            };
            let dict = stream.dict();
            if dict
                .get::<Name>(SUBTYPE)
                .is_none_or(|n| n.as_ref() != IMAGE)
            {
                continue;
            }
            let w = dict.get::<f64>(WIDTH).unwrap_or(0.0).max(0.0);
            let h = dict.get::<f64>(HEIGHT).unwrap_or(0.0).max(0.0);
            let mask = dict.get::<bool>(IMAGE_MASK).unwrap_or(false);
            let bits = if mask {
                1.0
            } else {
                dict.get::<f64>(BITS_PER_COMPONENT)
                    .unwrap_or(8.0)
                    .clamp(1.0, 16.0)
            };
            // Colour spaces given by name are exact; arrays (ICC, Indexed, ...) count as 4 channels.
            let channels = match dict.get::<Name>(COLORSPACE) {
                _ if mask => 1.0,
                Some(n) if n.as_ref() == b"DeviceGray" || n.as_ref() == b"CalGray" => 1.0,
                Some(n) if n.as_ref() == b"DeviceRGB" || n.as_ref() == b"CalRGB" => 3.0,
                _ => 4.0,
            };
            let bytes = w * h * channels * bits / 8.0;
            if bytes > limits.max_image_bytes as f64 {
                return Some((w, h, bytes));
            }
        }
        None
    }));
    match scan {
        Ok(Some((w, h, bytes))) => Err(Error::LimitExceeded {
            limit: Limit::ImageBytes,
            message: format!(
                "The PDF contains an image of {w} × {h} pixels that would decode to {:.0} MiB; \
                 the limit is {} MiB per image.",
                bytes / 1048576.0,
                limits.max_image_bytes / (1024 * 1024)
            ),
        }),
        // A document the scan cannot walk is left to the renderer, which copes with damage.
        Ok(None) | Err(_) => Ok(()),
    }
}

/// A page's size in PDF points (1/72 inch) as it is displayed: crop box clipped to the media box,
/// with `/Rotate` applied (a 90° page reports its height as width).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PageGeometry {
    pub width_pt: f32,
    pub height_pt: f32,
    /// `/Rotate` normalised to 0, 90, 180 or 270.
    pub rotation: u16,
}

impl Document {
    /// Parse `data`, decrypting it with `password` if it is encrypted.
    ///
    /// An empty password is tried as the user password, as viewers do. A missing or wrong password
    /// is [`Error::InvalidPassword`]; bytes that are not a readable PDF are [`Error::Damaged`].
    pub fn open(data: Vec<u8>, password: &str, limits: &Limits) -> Result<Self, Error> {
        limits.check_input_size(data.len() as u64)?;
        if !data.windows(5).take(1024).any(|w| w == b"%PDF-") {
            return Err(Error::Damaged(
                "no '%PDF-' header in the first kilobyte; is this a PDF file?".into(),
            ));
        }
        let pdf = Pdf::new_with_password(data, password).map_err(|e| match e {
            LoadPdfError::Decryption(DecryptionError::PasswordProtected) => {
                Error::InvalidPassword {
                    supplied: !password.is_empty(),
                }
            }
            LoadPdfError::Decryption(DecryptionError::UnsupportedAlgorithm) => {
                Error::Damaged("it uses an encryption method that is not supported".into())
            }
            LoadPdfError::Decryption(DecryptionError::MissingIDEntry) => {
                Error::Damaged("it is encrypted but its trailer has no /ID entry".into())
            }
            LoadPdfError::Decryption(DecryptionError::InvalidEncryption) => {
                Error::Damaged("its encryption dictionary is invalid".into())
            }
            LoadPdfError::Invalid => {
                Error::Damaged("its cross-reference table and page tree could not be read".into())
            }
        })?;
        if pdf.pages().is_empty() {
            return Err(Error::Damaged("no page of it could be found".into()));
        }
        check_images(&pdf, limits)?;
        Ok(Self { pdf })
    }

    /// Number of pages.
    pub fn page_count(&self) -> usize {
        self.pdf.pages().len()
    }

    /// The underlying parsed document, for callers that need more than pages (metadata, text).
    pub fn pdf(&self) -> &Pdf {
        &self.pdf
    }

    /// Title, author and the other fields of the information dictionary.
    pub fn info(&self) -> DocInfo {
        let m = self.pdf.metadata();
        let text = |v: &Option<Box<[u8]>>| v.as_deref().map(decode_text);
        let date = |d: &Option<hayro::hayro_syntax::object::DateTime>| {
            d.as_ref().map(|d| PdfDate {
                year: d.year,
                month: d.month,
                day: d.day,
                hour: d.hour,
                minute: d.minute,
                second: d.second,
            })
        };
        DocInfo {
            title: text(&m.title),
            author: text(&m.author),
            subject: text(&m.subject),
            keywords: text(&m.keywords),
            creator: text(&m.creator),
            producer: text(&m.producer),
            created: date(&m.creation_date),
            modified: date(&m.modification_date),
        }
    }

    /// Displayed geometry of page `index` (0-based). Panics if out of range: callers resolve
    /// indices with [`crate::PageSpec::resolve`] first.
    pub fn geometry(&self, index: usize) -> PageGeometry {
        let page = &self.pdf.pages()[index];
        let (width_pt, height_pt) = page.render_dimensions();
        let rotation = match page.rotation() {
            hayro::hayro_syntax::page::Rotation::None => 0,
            hayro::hayro_syntax::page::Rotation::Horizontal => 90,
            hayro::hayro_syntax::page::Rotation::Flipped => 180,
            hayro::hayro_syntax::page::Rotation::FlippedHorizontal => 270,
        };
        PageGeometry {
            width_pt,
            height_pt,
            rotation,
        }
    }

    /// Pixel size of page `index` at `resolution`, checked against the per-page pixel limit.
    ///
    /// This is computed from the page box alone, before anything is allocated: a tiny file that
    /// declares a 20,000 × 20,000 inch page is refused here, not by running out of memory.
    pub fn pixel_size(
        &self,
        index: usize,
        resolution: Resolution,
        limits: &Limits,
    ) -> Result<(u32, u32), Error> {
        let g = self.geometry(index);
        let (w, h) = resolution.pixels(g.width_pt, g.height_pt)?;
        let pixels = w as u64 * h as u64;
        // The rasteriser addresses pixels with u16 coordinates.
        let side_limit = u16::MAX as u64;
        if pixels > limits.max_page_pixels || w as u64 > side_limit || h as u64 > side_limit {
            return Err(Error::LimitExceeded {
                limit: Limit::PagePixels,
                message: format!(
                    "Page {index} would be {w} × {h} pixels ({:.1} megapixels) at this resolution; \
                     the limit is {:.1} megapixels and {side_limit} pixels per side. \
                     Lower the resolution or the target size.",
                    pixels as f64 / 1e6,
                    limits.max_page_pixels as f64 / 1e6,
                ),
            });
        }
        Ok((w, h))
    }

    /// Render one page to pixels on the calling thread. For many pages use [`crate::convert`],
    /// which renders in parallel and reuses the engine's caches.
    pub fn render_page(
        &self,
        index: usize,
        resolution: Resolution,
        color: ColorMode,
        limits: &Limits,
    ) -> Result<Raster, Error> {
        let count = self.page_count();
        if index >= count {
            return Err(Error::PageOutOfRange {
                page: index.to_string(),
                page_count: count,
                first: 0,
            });
        }
        let (w, h) = self.pixel_size(index, resolution, limits)?;
        let page = &self.pdf.pages()[index];
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            Rasterizer::new().render(page, w, h, color)
        }))
        .map_err(|panic| crate::convert::engine_failure(index, &panic))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_is_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Document>();
    }

    #[test]
    fn not_a_pdf_is_damaged() {
        let e = Document::open(b"hello world".to_vec(), "", &Limits::default())
            .err()
            .unwrap();
        assert_eq!(e.code(), 442, "{e}");
        let e = Document::open(b"%PDF-1.4\n garbage".to_vec(), "", &Limits::default())
            .err()
            .unwrap();
        assert_eq!(e.code(), 442, "{e}");
    }

    #[test]
    fn decompression_bombs_are_refused_when_opened() {
        let e = Document::open(
            crate::testpdf::image_bomb(30_000, 30_000),
            "",
            &Limits::default(),
        )
        .err()
        .unwrap();
        assert_eq!(e.code(), 400, "{e}");
        assert!(e.to_string().contains("30000 × 30000"), "{e}");
        assert!(
            Document::open(
                crate::testpdf::image_bomb(2000, 2000),
                "",
                &Limits::default()
            )
            .is_ok()
        );
    }

    #[test]
    fn input_size_limit() {
        let limits = Limits {
            max_input_bytes: 10,
            ..Limits::default()
        };
        let e = Document::open(vec![b' '; 11], "", &limits).err().unwrap();
        assert_eq!(e.code(), 413, "{e}");
    }
}
