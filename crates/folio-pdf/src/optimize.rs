//! `/pdf/optimize` and `/v2/pdf/compress`, lossless: the same pages, fewer bytes.
//!
//! What it does, in order: drops objects nothing reaches; merges objects that are byte for byte
//! the same (a font or image embedded once per page by a careless writer); recompresses every
//! Flate stream at the highest level, and compresses the streams stored raw; writes the small
//! objects into compressed object streams with a cross-reference stream. Stream data is only
//! ever re-encoded with the same filter, so nothing changes visually. When the result is not
//! smaller, the input is returned as it was.
//!
//! Lossy work happens only when asked ([`Lossy`], PDF.co's image profiles): 8-bit RGB and grey
//! images larger than their page needs at `ResamplingResolution` are scaled down, and images
//! are re-encoded as JPEG (at `JPEGQuality`) or Flate; each image keeps whichever is smaller.

use std::collections::HashMap;
use std::io::Read;

use folio_render::Error;
use lopdf::{Document, Object, ObjectId, SaveOptions};

use crate::{Written, guarded, open, page_ids, save_with, zlib};

/// Largest inflated stream recompressed; larger ones are kept as they are (a stream that
/// inflates to gigabytes is a bomb, not a picture).
const MAX_INFLATED: u64 = 256 << 20;

/// Inflated bytes recompressed per document in all; past it the remaining streams are kept.
const MAX_TOTAL_INFLATED: u64 = 2 << 30;

/// What an optimisation did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Optimized {
    pub written: Written,
    /// The output is the input, unchanged (nothing made it smaller).
    pub unchanged: bool,
}

/// Image re-encoding, PDF.co's `ImageOptimizationFormat`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ImageFormat {
    Jpeg,
    Png,
}

/// The lossy part of an optimisation; the default is none.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Lossy {
    /// Re-encode images in this form.
    pub format: Option<ImageFormat>,
    /// JPEG quality, 1–100 (PDF.co's default 25).
    pub jpeg_quality: u8,
    /// Scale images down to at most this many pixels per inch of their page.
    pub resample_dpi: Option<u32>,
}

impl Lossy {
    fn any(&self) -> bool {
        self.format.is_some() || self.resample_dpi.is_some()
    }
}

/// Shrink `input`: losslessly, plus the image work `lossy` asks for. An encrypted input is
/// opened with `password` and written unencrypted, as the other tools do.
pub fn optimize(input: &[u8], password: &str, lossy: &Lossy) -> Result<Optimized, Error> {
    guarded(|| {
        let mut doc = open(input, password)?;
        let page_count = page_ids(&doc).len();
        if lossy.any() {
            shrink_images(&mut doc, lossy);
        }
        doc.prune_objects();
        merge_duplicates(&mut doc);
        doc.prune_objects();
        recompress(&mut doc);
        let mut options = SaveOptions::builder()
            .use_object_streams(true)
            .use_xref_streams(true)
            .compression_level(9)
            .build();
        options.object_stream_config.max_objects_per_stream = 200;
        let pdf = save_with(&mut doc, options)?;
        let was_encrypted = input.windows(8).any(|w| w == b"/Encrypt");
        // An encrypted input is returned decrypted even when that is larger: the other tools
        // answer an open document too, and the input would need its password again.
        if pdf.len() >= input.len() && !was_encrypted {
            return Ok(Optimized {
                written: Written {
                    pdf: input.to_vec(),
                    page_count,
                },
                unchanged: true,
            });
        }
        Ok(Optimized {
            written: Written { pdf, page_count },
            unchanged: false,
        })
    })
}

/// Point every reference to a duplicate at the first of its kind. Objects compare by their
/// serialised bytes (a stream with its dictionary); one pass merges leaves (fonts, images,
/// their descriptors), which is where writers repeat themselves.
fn merge_duplicates(doc: &mut Document) {
    let mut first: HashMap<Vec<u8>, ObjectId> = HashMap::new();
    let mut replace: HashMap<ObjectId, ObjectId> = HashMap::new();
    for (&id, obj) in &doc.objects {
        if matches!(obj, Object::Dictionary(d) if d.has(b"Type") && is_structural(d)) {
            continue;
        }
        let key = fingerprint(obj);
        match first.get(&key) {
            Some(&kept) => {
                replace.insert(id, kept);
            }
            None => {
                first.insert(key, id);
            }
        }
    }
    if replace.is_empty() {
        return;
    }
    for obj in doc.objects.values_mut() {
        redirect(obj, &replace, 0);
    }
    redirect_dict(&mut doc.trailer, &replace);
}

/// Pages, page tree nodes, the catalog, outline items and annotations carry identity (two
/// equal-looking pages are still two pages); they are never merged.
fn is_structural(d: &lopdf::Dictionary) -> bool {
    matches!(
        d.get(b"Type").and_then(Object::as_name),
        Ok(b"Page" | b"Pages" | b"Catalog" | b"Annot" | b"Outlines")
    )
}

/// What identifies an object's content: the SHA-256 of its printed form (a stream's dictionary)
/// and its data. A digest keeps the table small: the data of every stream is not held twice.
fn fingerprint(obj: &Object) -> Vec<u8> {
    use sha2::Digest;
    let mut hash = sha2::Sha256::new();
    match obj {
        Object::Stream(s) => {
            hash.update(format!("stream {:?}", s.dict));
            hash.update(&s.content);
        }
        other => hash.update(format!("{other:?}")),
    }
    hash.finalize().to_vec()
}

fn redirect(obj: &mut Object, replace: &HashMap<ObjectId, ObjectId>, depth: usize) {
    if depth > 256 {
        return;
    }
    match obj {
        Object::Reference(id) => {
            if let Some(&to) = replace.get(id) {
                *id = to;
            }
        }
        Object::Array(items) => items
            .iter_mut()
            .for_each(|i| redirect(i, replace, depth + 1)),
        Object::Dictionary(d) => d
            .iter_mut()
            .for_each(|(_, v)| redirect(v, replace, depth + 1)),
        Object::Stream(s) => s
            .dict
            .iter_mut()
            .for_each(|(_, v)| redirect(v, replace, depth + 1)),
        _ => {}
    }
}

fn redirect_dict(d: &mut lopdf::Dictionary, replace: &HashMap<ObjectId, ObjectId>) {
    d.iter_mut().for_each(|(_, v)| redirect(v, replace, 0));
}

/// Recompress Flate streams at level 9 and compress raw ones, keeping whichever is smaller.
fn recompress(doc: &mut Document) {
    let mut budget = MAX_TOTAL_INFLATED;
    for obj in doc.objects.values_mut() {
        let Object::Stream(stream) = obj else {
            continue;
        };
        let filters: Vec<Vec<u8>> = stream
            .filters()
            .map(|f| f.into_iter().map(<[u8]>::to_vec).collect())
            .unwrap_or_default();
        let raw = match filters.as_slice() {
            [] => stream.content.clone(),
            [f] if f == b"FlateDecode" => match inflate(&stream.content, budget) {
                Some(raw) => raw,
                None => continue,
            },
            _ => continue,
        };
        budget = budget.saturating_sub(raw.len() as u64);
        let Some(packed) = deflate(&raw) else {
            continue;
        };
        if packed.len() < stream.content.len() {
            if filters.is_empty() {
                if !stream.allows_compression {
                    continue;
                }
                stream
                    .dict
                    .set("Filter", Object::Name(b"FlateDecode".to_vec()));
            }
            stream.set_content(packed);
        }
    }
}

/// Most pixels of one image decoded for lossy work; larger ones are left as they are.
const MAX_LOSSY_PIXELS: u64 = 50_000_000;

/// Re-encode (and scale down) the plain 8-bit RGB and grey images as `lossy` asks. Images with
/// anything this cannot keep exactly (masks drawn by the image itself, `/Decode` arrays, other
/// colour spaces or depths, predictors) are left alone.
fn shrink_images(doc: &mut Document, lossy: &Lossy) {
    // The largest page side bounds how large any image is drawn.
    let page_inches = page_ids(doc)
        .iter()
        .filter_map(|&p| {
            let media = crate::inherited(doc, p, b"MediaBox")?;
            let nums: Vec<f32> = crate::resolve(doc, media)
                .as_array()
                .ok()?
                .iter()
                .filter_map(|n| n.as_float().ok())
                .collect();
            let [a, b, c, d] = nums.get(..4)?.try_into().ok()?;
            Some(((c - a).abs().max((d - b).abs())) / 72.0)
        })
        .fold(0.0f32, f32::max);
    // No readable page box: assume a large page (11 inches) rather than shrink images away.
    let page_inches = if page_inches > 0.0 { page_inches } else { 11.0 };
    for obj in doc.objects.values_mut() {
        let Object::Stream(stream) = obj else {
            continue;
        };
        if let Some((data, w, h, filter)) = shrunk(stream, lossy, page_inches) {
            stream.dict.set("Width", Object::Integer(w.into()));
            stream.dict.set("Height", Object::Integer(h.into()));
            stream.dict.set("Filter", Object::Name(filter.to_vec()));
            stream.dict.remove(b"DecodeParms");
            stream.set_content(data);
        }
    }
}

/// The image re-encoded, when that is asked for, possible and smaller.
fn shrunk(
    stream: &lopdf::Stream,
    lossy: &Lossy,
    page_inches: f32,
) -> Option<(Vec<u8>, u32, u32, &'static [u8])> {
    let d = &stream.dict;
    let name = |k: &[u8]| d.get(k).ok().and_then(|v| v.as_name().ok());
    if name(b"Subtype") != Some(b"Image")
        || d.has(b"Decode")
        || d.has(b"ImageMask")
        || d.has(b"Mask")
    {
        return None;
    }
    let channels = match name(b"ColorSpace")? {
        b"DeviceRGB" => 3usize,
        b"DeviceGray" => 1,
        _ => return None,
    };
    if d.get(b"BitsPerComponent").ok()?.as_i64().ok()? != 8 {
        return None;
    }
    let w = u32::try_from(d.get(b"Width").ok()?.as_i64().ok()?).ok()?;
    let h = u32::try_from(d.get(b"Height").ok()?.as_i64().ok()?).ok()?;
    if w == 0 || h == 0 || u64::from(w) * u64::from(h) > MAX_LOSSY_PIXELS {
        return None;
    }
    let filters: Vec<&[u8]> = match d.has(b"Filter") {
        true => stream.filters().ok()?,
        false => Vec::new(),
    };
    let pixels: Vec<u8> = match filters.as_slice() {
        [] => stream.content.clone(),
        [b"FlateDecode"] if !d.has(b"DecodeParms") => inflate(&stream.content, MAX_INFLATED)?,
        [b"DCTDecode"] => {
            let img =
                image::load_from_memory_with_format(&stream.content, image::ImageFormat::Jpeg)
                    .ok()?;
            if (img.width(), img.height()) != (w, h) {
                return None;
            }
            if channels == 3 {
                img.to_rgb8().into_raw()
            } else {
                img.to_luma8().into_raw()
            }
        }
        _ => return None,
    };
    if pixels.len() != w as usize * h as usize * channels {
        return None;
    }
    let (mut pixels, mut nw, mut nh) = (pixels, w, h);
    if let Some(dpi) = lossy.resample_dpi {
        let cap = (page_inches * dpi as f32).ceil().max(16.0) as u32;
        if w.max(h) > cap {
            let scale = cap as f32 / w.max(h) as f32;
            nw = ((w as f32 * scale).round() as u32).max(1);
            nh = ((h as f32 * scale).round() as u32).max(1);
            let resized = if channels == 3 {
                let img = image::RgbImage::from_raw(w, h, pixels)?;
                image::imageops::resize(&img, nw, nh, image::imageops::FilterType::Triangle)
                    .into_raw()
            } else {
                let img = image::GrayImage::from_raw(w, h, pixels)?;
                image::imageops::resize(&img, nw, nh, image::imageops::FilterType::Triangle)
                    .into_raw()
            };
            pixels = resized;
        }
    }
    let resized = (nw, nh) != (w, h);
    let (data, filter): (Vec<u8>, &'static [u8]) = match lossy.format {
        Some(ImageFormat::Jpeg) => {
            let mut out = Vec::new();
            let color = if channels == 3 {
                image::ExtendedColorType::Rgb8
            } else {
                image::ExtendedColorType::L8
            };
            image::codecs::jpeg::JpegEncoder::new_with_quality(
                &mut out,
                lossy.jpeg_quality.clamp(1, 100),
            )
            .encode(&pixels, nw, nh, color)
            .ok()?;
            (out, b"DCTDecode")
        }
        // Resampled only (or asked for PNG): Flate, lossless from here on.
        Some(ImageFormat::Png) | None if resized || lossy.format.is_some() => {
            (deflate(&pixels)?, b"FlateDecode")
        }
        _ => return None,
    };
    (data.len() < stream.content.len()).then_some((data, nw, nh, filter))
}

/// The stream's data inflated, unless it is damaged or larger than the limits allow.
fn inflate(data: &[u8], budget: u64) -> Option<Vec<u8>> {
    let limit = MAX_INFLATED.min(budget);
    let mut out = Vec::new();
    let mut reader = flate2::read::ZlibDecoder::new(data).take(limit + 1);
    reader.read_to_end(&mut out).ok()?;
    (out.len() as u64 <= limit).then_some(out)
}

fn deflate(data: &[u8]) -> Option<Vec<u8>> {
    zlib(data, flate2::Compression::best())
}
