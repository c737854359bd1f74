//! Folio's PDF writing layer: take documents apart and put them together. It parses whole
//! untrusted documents, so it belongs in the sandbox's worker processes, and it answers with the
//! renderer's error type, so a document is refused for the same reasons with the same codes.
//!
//! Built on `lopdf` (the object model, page trees, decryption). Reading is lenient: lopdf
//! repairs damaged cross-reference data as viewers do.

use std::collections::{BTreeSet, HashSet};
use std::panic::{AssertUnwindSafe, catch_unwind};

use folio_render::{Error, PageSpec};
use lopdf::{Document, LoadOptions, Object, ObjectId};

/// A rewritten document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rotated {
    /// The new PDF, unencrypted.
    pub pdf: Vec<u8>,
    /// Pages in the document (all of them, not only those turned).
    pub page_count: usize,
}

/// Deepest page tree walked up for an inherited `/Rotate`; real trees are a few levels deep, and
/// a cycle of `/Parent` links must not loop.
const MAX_TREE_DEPTH: usize = 64;

/// Rotate the pages `pages` selects by `angle` degrees clockwise (added to each page's /Rotate,
/// inherited values included), returning the new PDF.
///
/// `angle` is PDF.co's 0, 90, 180 or 270; any multiple of 90 is accepted (-90 turns
/// counter-clockwise, 450 is 90) and the result is written on the page itself, normalised to
/// 0..360, so it no longer depends on the page tree. A page listed twice in `pages` turns once.
/// Nothing else in the document changes.
///
/// An encrypted input is opened with `password`, user or owner (the empty one is tried first, so
/// a file with only an owner password opens without one), and is written **unencrypted**: the
/// output is a new document, and PDF.co's security endpoints are what add protection again.
pub fn rotate(
    input: &[u8],
    password: &str,
    pages: &PageSpec,
    max_pages: usize,
    angle: i64,
) -> Result<Rotated, Error> {
    if angle.rem_euclid(90) != 0 {
        return Err(Error::InvalidOption(format!(
            "angle {angle} is not a quarter turn; use 0, 90, 180 or 270"
        )));
    }
    let angle = angle.rem_euclid(360);
    guarded(|| {
        let mut doc = open(input, password)?;
        let ids = page_ids(&doc);
        let selected: BTreeSet<usize> = pages.resolve(ids.len(), max_pages)?.into_iter().collect();
        for index in selected {
            let id = ids[index];
            let turned = (inherited_rotate(&doc, id) + angle).rem_euclid(360);
            let page = doc
                .get_dictionary_mut(id)
                .map_err(|e| Error::Damaged(format!("page {index} is not a dictionary: {e}")))?;
            page.set("Rotate", Object::Integer(turned));
        }
        Ok(Rotated {
            pdf: save(&mut doc)?,
            page_count: ids.len(),
        })
    })
}

/// Parse `input`, decrypting it with `password` when it is encrypted.
fn open(input: &[u8], password: &str) -> Result<Document, Error> {
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
fn page_ids(doc: &Document) -> Vec<ObjectId> {
    let mut seen = HashSet::new();
    doc.page_iter().filter(|&id| seen.insert(id)).collect()
}

/// A page's `/Rotate` in 0..360, looked up through its `/Parent` chain as the page tree inherits
/// it. Read as the renderer reads it: a value that is not a number is skipped (the parent's
/// applies), one that is not a quarter turn means none.
fn inherited_rotate(doc: &Document, page: ObjectId) -> i64 {
    let mut node = doc.get_dictionary(page).ok();
    for _ in 0..MAX_TREE_DEPTH {
        let Some(dict) = node else { break };
        let value = dict.get(b"Rotate").and_then(|r| doc.dereference(r));
        let number = match value {
            Ok((_, Object::Integer(i))) => Some(*i),
            Ok((_, Object::Real(f))) if f.fract() == 0.0 => Some(*f as i64),
            _ => None,
        };
        if let Some(r) = number {
            let r = r.rem_euclid(360);
            return if r % 90 == 0 { r } else { 0 };
        }
        node = dict
            .get(b"Parent")
            .and_then(Object::as_reference)
            .and_then(|id| doc.get_dictionary(id))
            .ok();
    }
    0
}

/// Write `doc` with a trailer `/Size` of one more than its highest object number, as the
/// standard requires: lopdf keeps the input's count, which still includes objects dropped since
/// (the `/Encrypt` dictionary of a decrypted file), and `qpdf --check` warns about it.
fn save(doc: &mut Document) -> Result<Vec<u8>, Error> {
    doc.max_id = doc.objects.keys().map(|&(n, _)| n).max().unwrap_or(0);
    let mut out = Vec::new();
    doc.save_to(&mut out)
        .map_err(|e| Error::Output(format!("writing the PDF failed: {e}")))?;
    Ok(out)
}

/// Run `f`, turning a panic inside the PDF library (a hostile file reaching an unchecked index
/// or arithmetic) into a damaged-document answer rather than a dead worker.
fn guarded<T>(f: impl FnOnce() -> Result<T, Error>) -> Result<T, Error> {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|_| {
        Err(Error::Damaged(
            "the document's structure could not be read".into(),
        ))
    })
}
