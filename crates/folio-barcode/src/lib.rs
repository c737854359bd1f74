//! Folio's barcodes: make one as a PNG (`/barcode/generate`) and find them in pictures
//! (`/barcode/read/from/url`, on rendered PDF pages or decoded images). Both ways through
//! `rxing`, zxing's symbologies in Rust; pixels reach it as grey bytes.

use std::collections::HashSet;
use std::io::Cursor;

use rxing::common::HybridBinarizer;
use rxing::multi::{GenericMultipleBarcodeReader, MultipleBarcodeReader};
use rxing::{
    BarcodeFormat, BinaryBitmap, DecodeHints, EncodeHints, Luma8LuminanceSource, MultiFormatWriter,
    MultiUseMultiFormatReader, Writer,
};
use serde::{Deserialize, Serialize};

/// The symbologies, by PDF.co's names (`type`, `types`, `TypeName`).
pub const KINDS: &[(&str, BarcodeFormat)] = &[
    ("QRCode", BarcodeFormat::QR_CODE),
    ("DataMatrix", BarcodeFormat::DATA_MATRIX),
    ("PDF417", BarcodeFormat::PDF_417),
    ("Aztec", BarcodeFormat::AZTEC),
    ("Code128", BarcodeFormat::CODE_128),
    ("Code39", BarcodeFormat::CODE_39),
    ("Code93", BarcodeFormat::CODE_93),
    ("EAN13", BarcodeFormat::EAN_13),
    ("EAN8", BarcodeFormat::EAN_8),
    ("UPCA", BarcodeFormat::UPC_A),
    ("UPCE", BarcodeFormat::UPC_E),
    ("ITF", BarcodeFormat::ITF),
    ("Codabar", BarcodeFormat::CODABAR),
];

/// Longest value encoded: a QR code holds at most 7,089 digits.
pub const MAX_VALUE_CHARS: usize = 8192;

/// Why a barcode could not be made.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum BarcodeError {
    #[error("unknown barcode type '{0}'; use one of {list}", list = names())]
    UnknownType(String),
    #[error("the value cannot be encoded as {kind}: {why}")]
    Unencodable { kind: String, why: String },
    #[error("{0}")]
    Invalid(String),
}

fn names() -> String {
    KINDS.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")
}

/// A symbology by name, ignoring case and `_`/`-`/spaces (`qr_code`, `Code 128`).
pub fn kind(name: &str) -> Result<BarcodeFormat, BarcodeError> {
    let plain = |s: &str| {
        s.chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase()
    };
    let wanted = plain(name);
    KINDS
        .iter()
        .find(|(n, _)| plain(n) == wanted)
        .map(|(_, f)| *f)
        .ok_or_else(|| BarcodeError::UnknownType(name.chars().take(40).collect()))
}

/// PDF.co's name of a symbology.
pub fn kind_name(format: &BarcodeFormat) -> &'static str {
    KINDS
        .iter()
        .find(|(_, f)| f == format)
        .map_or("Unknown", |(n, _)| n)
}

/// QR error correction, PDF.co's `Options.QRErrorCorrectionLevel`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Correction {
    Low,
    #[default]
    Medium,
    Quarter,
    High,
}

impl Correction {
    pub fn from_name(name: &str) -> Option<Self> {
        match name.trim().to_ascii_lowercase().as_str() {
            "low" | "l" => Some(Self::Low),
            "medium" | "m" => Some(Self::Medium),
            "quarter" | "q" => Some(Self::Quarter),
            "high" | "h" => Some(Self::High),
            _ => None,
        }
    }
}

/// What to draw.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Request {
    /// A name from [`KINDS`].
    pub kind: String,
    pub value: String,
    pub correction: Correction,
    /// Pixels per module (narrowest bar), 1–20.
    pub module: u32,
    /// Clockwise quarter turns of the picture: 0, 90, 180, 270.
    pub angle: u32,
}

/// Quiet zone around a 2-D symbol, in modules (QR asks for 4).
const QUIET_2D: u32 = 4;
/// Quiet zone of a linear code: EAN/UPC ask for up to 11 modules, zxing draws 10.
const QUIET_1D: u32 = 11;

/// The barcode as a PNG. `logo` (an image's bytes) is drawn in the middle of a QR code, within
/// a fifth of its width, on white; High correction is then used so the code still reads.
pub fn generate(req: &Request, logo: Option<&[u8]>) -> Result<Vec<u8>, BarcodeError> {
    let format = kind(&req.kind)?;
    if req.value.is_empty() {
        return Err(BarcodeError::Invalid(
            "the 'value' to encode is empty".into(),
        ));
    }
    if req.value.chars().count() > MAX_VALUE_CHARS {
        return Err(BarcodeError::Invalid(format!(
            "the value is longer than {MAX_VALUE_CHARS} characters"
        )));
    }
    if !(1..=20).contains(&req.module) {
        return Err(BarcodeError::Invalid(
            "NarrowBarWidth must be 1 to 20 pixels".into(),
        ));
    }
    let correction = match (logo.is_some(), format) {
        (true, BarcodeFormat::QR_CODE) => Correction::High,
        _ => req.correction,
    };
    let hints = EncodeHints {
        ErrorCorrection: (format == BarcodeFormat::QR_CODE).then(|| {
            match correction {
                Correction::Low => "L",
                Correction::Medium => "M",
                Correction::Quarter => "Q",
                Correction::High => "H",
            }
            .to_string()
        }),
        Margin: Some("0".into()),
        ..Default::default()
    };
    let unencodable = |why: String| BarcodeError::Unencodable {
        kind: kind_name(&format).into(),
        why,
    };
    // rxing panics on some inputs it should refuse (seen with odd ITF lengths); a panic is
    // a value it cannot encode, not a dead worker.
    let matrix = std::panic::catch_unwind(|| {
        MultiFormatWriter.encode_with_hints(&req.value, &format, 0, 0, &hints)
    })
    .map_err(|_| unencodable("the symbology refused it".into()))?
    .map_err(|e| unencodable(e.to_string()))?;
    let (mw, mh) = (matrix.width(), matrix.height());
    let one_d = mh == 1
        || !matches!(
            format,
            BarcodeFormat::QR_CODE
                | BarcodeFormat::DATA_MATRIX
                | BarcodeFormat::AZTEC
                | BarcodeFormat::PDF_417
        );
    let m = req.module;
    // A linear code is drawn 50 modules high; 2-D codes keep their own height.
    let (rows, quiet) = if one_d {
        (50, QUIET_1D)
    } else {
        (mh, QUIET_2D)
    };
    let (w, h) = ((mw + 2 * quiet) * m, (rows + 2 * quiet) * m);
    if u64::from(w) * u64::from(h) > 40_000_000 {
        return Err(BarcodeError::Invalid(
            "the barcode would be larger than 40 megapixels".into(),
        ));
    }
    let mut pixels = vec![255u8; (w * h) as usize];
    for y in 0..rows {
        for x in 0..mw {
            let dark = matrix.get(x, if one_d { 0 } else { y });
            if dark {
                for dy in 0..m {
                    let row = ((quiet + y) * m + dy) * w;
                    let start = (row + (quiet + x) * m) as usize;
                    pixels[start..start + m as usize].fill(0);
                }
            }
        }
    }
    if let Some(logo) = logo {
        if format != BarcodeFormat::QR_CODE {
            return Err(BarcodeError::Invalid(
                "decorationImage is drawn on QR codes only".into(),
            ));
        }
        draw_logo(&mut pixels, w, h, logo)?;
    }
    let (pixels, w, h) = turn(pixels, w, h, req.angle)?;
    encode_png(&pixels, w, h)
}

/// The logo in the middle, a fifth of the code's width, on a white square.
fn draw_logo(pixels: &mut [u8], w: u32, h: u32, logo: &[u8]) -> Result<(), BarcodeError> {
    let mut reader = image::ImageReader::new(Cursor::new(logo))
        .with_guessed_format()
        .map_err(|e| BarcodeError::Invalid(format!("decorationImage cannot be read: {e}")))?;
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(64 << 20);
    reader.limits(limits);
    let img = reader
        .decode()
        .map_err(|e| BarcodeError::Invalid(format!("decorationImage is not an image: {e}")))?;
    let side = (w.min(h) / 5).max(1);
    let small = img
        .resize(side, side, image::imageops::FilterType::Triangle)
        .to_luma_alpha8();
    let (lw, lh) = small.dimensions();
    let (x0, y0) = ((w - lw) / 2, (h - lh) / 2);
    for (x, y, p) in small.enumerate_pixels() {
        let [l, a] = p.0;
        let blended = (u32::from(l) * u32::from(a) + 255 * (255 - u32::from(a))) / 255;
        pixels[((y0 + y) * w + x0 + x) as usize] = blended as u8;
    }
    Ok(())
}

/// Turn the picture clockwise by `angle` (a quarter turn multiple).
fn turn(pixels: Vec<u8>, w: u32, h: u32, angle: u32) -> Result<(Vec<u8>, u32, u32), BarcodeError> {
    let at = |x: u32, y: u32| pixels[(y * w + x) as usize];
    Ok(match angle % 360 {
        0 => (pixels.clone(), w, h),
        180 => (
            (0..w * h)
                .map(|i| at(w - 1 - i % w, h - 1 - i / w))
                .collect(),
            w,
            h,
        ),
        // New picture h wide, w high: its (x, y) comes from the old (y, h - 1 - x).
        90 => ((0..w * h).map(|i| at(i / h, h - 1 - i % h)).collect(), h, w),
        270 => ((0..w * h).map(|i| at(w - 1 - i / h, i % h)).collect(), h, w),
        a => {
            return Err(BarcodeError::Invalid(format!(
                "Angle {a} is not 0, 90, 180 or 270"
            )));
        }
    })
}

fn encode_png(pixels: &[u8], w: u32, h: u32) -> Result<Vec<u8>, BarcodeError> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, w, h);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::Eight);
    let fail = |e: png::EncodingError| BarcodeError::Invalid(format!("PNG encoding failed: {e}"));
    let mut writer = encoder.write_header().map_err(fail)?;
    writer.write_image_data(pixels).map_err(fail)?;
    writer.finish().map_err(fail)?;
    Ok(out)
}

/// One barcode found, as PDF.co answers it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Found {
    pub value: String,
    /// The decoded bytes, hex (empty when the symbology gives none).
    pub raw_data: String,
    /// The rxing format id (PDF.co's numeric `Type`).
    #[serde(rename = "Type")]
    pub type_id: u32,
    pub type_name: String,
    /// 0-based page (0 for an image).
    pub page: usize,
    /// `"x y w h"` in pixels of the picture searched (points for PDF pages at 72 DPI).
    pub rect: String,
    /// 0–1; zxing decodes or does not, so a found code is 1.
    pub confidence: f64,
}

/// Every barcode of the `kinds` (all when empty) in a grey picture. `scale` converts its pixels
/// to the units the rectangle is reported in.
pub fn read(
    luma: Vec<u8>,
    w: u32,
    h: u32,
    kinds: &[BarcodeFormat],
    page: usize,
    scale: f64,
) -> Vec<Found> {
    let Ok(source) = Luma8LuminanceSource::new(luma, w, h) else {
        return Vec::new();
    };
    let mut hints = DecodeHints {
        TryHarder: Some(true),
        ..Default::default()
    };
    if !kinds.is_empty() {
        hints.PossibleFormats = Some(kinds.iter().copied().collect::<HashSet<_>>());
    }
    let mut scanner = GenericMultipleBarcodeReader::new(MultiUseMultiFormatReader::default());
    let found = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        scanner.decode_multiple_with_hints(
            &mut BinaryBitmap::new(HybridBinarizer::new(source)),
            &hints,
        )
    }));
    let Ok(Ok(results)) = found else {
        return Vec::new();
    };
    let mut seen = HashSet::new();
    results
        .into_iter()
        .filter(|r| seen.insert((r.getText().to_string(), *r.getBarcodeFormat())))
        .map(|r| {
            let points = r.getPoints();
            let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
            for p in points {
                x0 = x0.min(f64::from(p.x));
                y0 = y0.min(f64::from(p.y));
                x1 = x1.max(f64::from(p.x));
                y1 = y1.max(f64::from(p.y));
            }
            let rect = if points.is_empty() {
                "0 0 0 0".to_string()
            } else {
                let s = |v: f64| (v * scale).round() as i64;
                format!("{} {} {} {}", s(x0), s(y0), s(x1 - x0), s(y1 - y0))
            };
            Found {
                value: r.getText().to_string(),
                raw_data: r.getRawBytes().iter().map(|b| format!("{b:02X}")).collect(),
                type_id: *r.getBarcodeFormat() as u32,
                type_name: kind_name(r.getBarcodeFormat()).to_string(),
                page,
                rect,
                confidence: 1.0,
            }
        })
        .collect()
}

/// An image's grey pixels for [`read`], within `max_pixels`.
pub fn image_luma(data: &[u8], max_pixels: u64) -> Result<(Vec<u8>, u32, u32), BarcodeError> {
    let mut reader = image::ImageReader::new(Cursor::new(data))
        .with_guessed_format()
        .map_err(|e| BarcodeError::Invalid(format!("the image cannot be read: {e}")))?;
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(max_pixels.saturating_mul(8));
    reader.limits(limits);
    let img = reader.decode().map_err(|e| {
        BarcodeError::Invalid(format!(
            "the source is neither a PDF nor an image we read (PNG, JPEG, GIF, BMP, TIFF, WebP): {e}"
        ))
    })?;
    let (w, h) = (img.width(), img.height());
    if u64::from(w) * u64::from(h) > max_pixels {
        return Err(BarcodeError::Invalid(format!(
            "the image is {w} × {h} pixels, more than the limit of {max_pixels}"
        )));
    }
    Ok((img.to_luma8().into_raw(), w, h))
}
