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

pub use assemble::{MergeOptions, delete_pages, merge, split};
pub use create::{ImageLimits, images_to_pdf, is_pdf};
pub use inspect::{Attachment, FormField, attachments, form_fields};
pub use optimize::{Optimized, optimize};
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

/// Parse `input`, decrypting it with `password` when it is encrypted.
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
    let mut doc = Document::load_mem_with_options(input, options).map_err(|e| match e {
        lopdf::Error::InvalidPassword => wrong_password(),
        e => Error::Damaged(e.to_string()),
    })?;
    // A decrypted document has lost its `/Encrypt`: it is written in the clear.
    if doc.is_encrypted() {
        return Err(wrong_password());
    }
    doc.encryption_state = None;
    if doc.page_iter().next().is_none() {
        return Err(Error::Damaged("no page of it could be found".into()));
    }
    Ok(doc)
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
    doc.max_id = doc.objects.keys().map(|&(n, _)| n).max().unwrap_or(0);
    let mut out = Vec::new();
    doc.save_to(&mut out)
        .map_err(|e| Error::Output(format!("writing the PDF failed: {e}")))?;
    Ok(out)
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
