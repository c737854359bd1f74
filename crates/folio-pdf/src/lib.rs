//! Folio's PDF writing layer: take documents apart and put them together. It parses whole
//! untrusted documents, so it belongs in the sandbox's worker processes, and it answers with the
//! renderer's error type, so a document is refused for the same reasons with the same codes.
//!
//! Built on `lopdf` (the object model, page trees, encryption). Reading is lenient: lopdf
//! repairs damaged cross-reference data as viewers do. Every operation opens its inputs with
//! [`open`] (decrypting them) and writes a new document with [`save`], inside [`guarded`].
//!
//! - [`rotate`]: turn pages.
//! - [`assemble`]: merge, split, delete pages (pages copied with what they reach).
//! - [`security`]: add or remove password protection.
//! - [`optimize`]: the same pages in fewer bytes (lossless).
//! - [`inspect`]: form fields and embedded files.
//! - [`create`]: new documents from images; [`table`]: from CSV and spreadsheets.

pub mod assemble;
pub mod create;
pub mod inspect;
pub mod optimize;
mod rotate;
pub mod security;
pub mod table;

use std::collections::HashSet;
use std::panic::{AssertUnwindSafe, catch_unwind};

use folio_render::Error;
use lopdf::{Document, LoadOptions, ObjectId};

pub use assemble::{MergeOptions, delete_pages, merge, merge_mixed, split};
pub use create::{ImageLimits, images_to_pdf, is_pdf};
pub use inspect::{Attachment, FormField, attachments, form_fields};
pub use optimize::{ImageFormat, Lossy, Optimized, optimize};
pub use rotate::rotate;
pub use security::{Algorithm, Allowed, Protection, protect, unprotect};
pub use table::{TableLimits, read_table, table_to_pdf};

/// A document written by one of the operations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// The new PDF (unencrypted unless protection was asked for).
    pub pdf: Vec<u8>,
    /// Pages in it.
    pub page_count: usize,
}

/// Deepest page tree walked up for inherited attributes; real trees are a few levels deep, and
/// a cycle of `/Parent` links must not loop.
const MAX_TREE_DEPTH: usize = 64;

/// Parse `input`, decrypting it with `password` when it is encrypted. A file lopdf cannot read
/// (or in which it finds no page) is read by hayro, the renderer's parser, and its pages are
/// written anew ([`rebuilt`]): what the renderer opens, the tools open too.
pub(crate) fn open(input: &[u8], password: &str) -> Result<Document, Error> {
    let wrong_password = || Error::InvalidPassword {
        supplied: !password.is_empty(),
    };
    // lopdf tries the empty password first, then this one; without one it loads an encrypted
    // file as it is, still encrypted, which is caught below.
    let options = if password.is_empty() {
        LoadOptions::default()
    } else {
        LoadOptions::with_password(password)
    };
    let mut doc = match Document::load_mem_with_options(input, options) {
        Ok(doc) if doc.page_iter().next().is_some() => doc,
        Err(lopdf::Error::InvalidPassword) => return Err(wrong_password()),
        Ok(_) => rebuilt(input, password)?
            .ok_or_else(|| unreadable(input, "no page of it could be found".into()))?,
        Err(e) => rebuilt(input, password)?.ok_or_else(|| unreadable(input, e.to_string()))?,
    };
    // A decrypted document has lost its `/Encrypt`: it is written in the clear.
    if doc.is_encrypted() {
        return Err(wrong_password());
    }
    doc.encryption_state = None;
    Ok(doc)
}

/// Why neither parser could read `input`: it is not a PDF at all (no `%PDF-` header, 400: the
/// client sent the wrong file), or a damaged one (442).
fn unreadable(input: &[u8], why: String) -> Error {
    if create::is_pdf(input) {
        Error::Damaged(why)
    } else {
        Error::InvalidOption("the file is not a PDF (it has no %PDF- header)".into())
    }
}

/// The pages of `input` as hayro reads them, copied with what they use into a new document
/// (hayro-write), or `None` when hayro finds no page either. Document-level parts (outline,
/// form) are not carried over: the file's own structure is what could not be read.
fn rebuilt(input: &[u8], password: &str) -> Result<Option<Document>, Error> {
    use hayro_write::hayro_syntax::{LoadPdfError, Pdf};
    use hayro_write::pdf_writer::{self, Ref};
    let pdf = match Pdf::new_with_password(input.to_vec(), password) {
        Ok(pdf) => pdf,
        Err(LoadPdfError::Decryption(_)) => {
            return Err(Error::InvalidPassword {
                supplied: !password.is_empty(),
            });
        }
        Err(_) => return Ok(None),
    };
    let count = pdf.pages().len();
    if count == 0 {
        return Ok(None);
    }
    let queries: Vec<_> = (0..count)
        .map(hayro_write::ExtractionQuery::new_page)
        .collect();
    let mut next = Ref::new(1);
    let catalog = next.bump();
    let extracted = hayro_write::extract(
        &pdf,
        Box::new(|| next.bump()),
        hayro_write::ChunkSettings::default(),
        &queries,
    )
    .map_err(|e| Error::Damaged(format!("its pages could not be copied: {e:?}")))?;
    let kids: Vec<Ref> = extracted.root_refs.iter().filter_map(|r| r.ok()).collect();
    if kids.is_empty() {
        return Ok(None);
    }
    let mut out = pdf_writer::Pdf::new();
    out.catalog(catalog).pages(extracted.page_tree_parent_ref);
    out.pages(extracted.page_tree_parent_ref)
        .kids(kids.iter().copied())
        .count(kids.len() as i32);
    out.extend(&extracted.chunk);
    let bytes = out.finish();
    Ok(Document::load_mem(&bytes).ok())
}

/// The page objects in order. One reached twice (a page tree with a `/Kids` cycle, which lopdf
/// walks until its step limit) is one page: it has one `/Rotate`, and the renderer counts it once.
pub(crate) fn page_ids(doc: &Document) -> Vec<ObjectId> {
    let mut seen = HashSet::new();
    doc.page_iter().filter(|&id| seen.insert(id)).collect()
}

/// Write `doc` with a trailer `/Size` of one more than its highest object number, as the
/// standard requires: lopdf keeps the input's count, which still includes objects dropped since
/// (the `/Encrypt` dictionary of a decrypted file), and `qpdf --check` warns about it.
pub(crate) fn save(doc: &mut Document) -> Result<Vec<u8>, Error> {
    save_with(doc, lopdf::SaveOptions::default())
}

/// [`save`] with lopdf's writing options (object streams, for optimize).
pub(crate) fn save_with(doc: &mut Document, options: lopdf::SaveOptions) -> Result<Vec<u8>, Error> {
    drop_dangling_contents(doc);
    doc.max_id = doc.objects.keys().map(|&(n, _)| n).max().unwrap_or(0);
    let mut out = Vec::new();
    doc.save_with_options(&mut out, options)
        .map_err(|e| Error::Output(format!("writing the PDF failed: {e}")))?;
    Ok(out)
}

/// `data` Flate-compressed (zlib), at `level`.
pub(crate) fn zlib(data: &[u8], level: flate2::Compression) -> Option<Vec<u8>> {
    use std::io::Write;
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), level);
    encoder.write_all(data).ok()?;
    encoder.finish().ok()
}

/// Page `/Contents` entries that are not streams (references to objects a damaged file lost):
/// readers skip them, and a written file should not carry them.
fn drop_dangling_contents(doc: &mut Document) {
    use lopdf::Object;
    let is_stream = |doc: &Document, o: &Object| match o {
        Object::Reference(id) => matches!(doc.objects.get(id), Some(Object::Stream(_))),
        Object::Stream(_) => true,
        _ => false,
    };
    for page in page_ids(doc) {
        let Some(contents) = doc
            .get_dictionary(page)
            .ok()
            .and_then(|p| p.get(b"Contents").ok())
            .cloned()
        else {
            continue;
        };
        let fixed = match &contents {
            Object::Array(items) => {
                let kept: Vec<Object> = items
                    .iter()
                    .filter(|i| is_stream(doc, i))
                    .cloned()
                    .collect();
                (kept.len() != items.len()).then_some(Some(Object::Array(kept)))
            }
            Object::Reference(id) => match doc.objects.get(id) {
                Some(Object::Stream(_)) => None,
                // An indirect array of content streams is allowed; anything else is not.
                Some(Object::Array(_)) => None,
                _ => Some(None),
            },
            Object::Stream(_) => None,
            _ => Some(None),
        };
        if let (Some(fixed), Ok(dict)) = (fixed, doc.get_dictionary_mut(page)) {
            match fixed {
                Some(v) => dict.set("Contents", v),
                None => drop(dict.remove(b"Contents")),
            }
        }
    }
}

/// A page's attribute `key` as the page tree gives it: the page's own, else its nearest
/// ancestor's (`/Resources`, `/MediaBox`, `/CropBox`, `/Rotate` inherit). A `/Parent` cycle ends
/// the walk.
pub(crate) fn inherited<'a>(
    doc: &'a Document,
    page: ObjectId,
    key: &[u8],
) -> Option<&'a lopdf::Object> {
    let mut seen = HashSet::new();
    let mut node = Some(page);
    for _ in 0..MAX_TREE_DEPTH {
        let id = node.filter(|&id| seen.insert(id))?;
        let dict = doc.get_dictionary(id).ok()?;
        if let Ok(v) = dict.get(key) {
            return Some(v);
        }
        node = parent_of(doc, id);
    }
    None
}

/// The `/Parent` of a page or page tree node.
pub(crate) fn parent_of(doc: &Document, id: ObjectId) -> Option<ObjectId> {
    doc.get_dictionary(id)
        .ok()?
        .get(b"Parent")
        .ok()?
        .as_reference()
        .ok()
}

/// An object, followed through one reference.
pub(crate) fn resolve<'a>(doc: &'a Document, obj: &'a lopdf::Object) -> &'a lopdf::Object {
    match obj {
        lopdf::Object::Reference(id) => doc.get_object(*id).unwrap_or(obj),
        _ => obj,
    }
}

/// Run `f`, turning a panic inside the PDF library (a hostile file reaching an unchecked index
/// or arithmetic) into a damaged-document answer rather than a dead worker.
pub(crate) fn guarded<T>(f: impl FnOnce() -> Result<T, Error>) -> Result<T, Error> {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|_| {
        Err(Error::Damaged(
            "the document's structure could not be read".into(),
        ))
    })
}
