//! `/pdf/optimize` and `/v2/pdf/compress`, lossless: the same pages, fewer bytes.
//!
//! What it does, in order: drops objects nothing reaches; merges objects that are byte for byte
//! the same (a font or image embedded once per page by a careless writer); recompresses every
//! Flate stream at the highest level, and compresses the streams stored raw; writes the small
//! objects into compressed object streams with a cross-reference stream. Stream data is only
//! ever re-encoded with the same filter, so nothing changes visually. When the result is not
//! smaller, the input is returned as it was.

use std::collections::HashMap;
use std::io::{Read, Write};

use folio_render::Error;
use lopdf::{Document, Object, ObjectId, SaveOptions};

use crate::{Written, guarded, open, page_ids};

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

/// Shrink `input` without changing how it looks. An encrypted input is opened with `password`
/// and written unencrypted, as the other tools do.
pub fn optimize(input: &[u8], password: &str) -> Result<Optimized, Error> {
    guarded(|| {
        let mut doc = open(input, password)?;
        let page_count = page_ids(&doc).len();
        doc.prune_objects();
        merge_duplicates(&mut doc);
        doc.prune_objects();
        recompress(&mut doc);
        doc.max_id = doc.objects.keys().map(|&(n, _)| n).max().unwrap_or(0);
        let mut options = SaveOptions::builder()
            .use_object_streams(true)
            .use_xref_streams(true)
            .compression_level(9)
            .build();
        options.object_stream_config.max_objects_per_stream = 200;
        let mut pdf = Vec::new();
        doc.save_with_options(&mut pdf, options)
            .map_err(|e| Error::Output(format!("writing the PDF failed: {e}")))?;
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

/// The stream's data inflated, unless it is damaged or larger than the limits allow.
fn inflate(data: &[u8], budget: u64) -> Option<Vec<u8>> {
    let limit = MAX_INFLATED.min(budget);
    let mut out = Vec::new();
    let mut reader = flate2::read::ZlibDecoder::new(data).take(limit + 1);
    reader.read_to_end(&mut out).ok()?;
    (out.len() as u64 <= limit).then_some(out)
}

fn deflate(data: &[u8]) -> Option<Vec<u8>> {
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(data).ok()?;
    encoder.finish().ok()
}
