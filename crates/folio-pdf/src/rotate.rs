//! `/pdf/edit/rotate`: turn pages by quarter turns.

use std::collections::BTreeSet;

use folio_render::{Error, PageSpec};
use lopdf::{Document, Object, ObjectId};

use crate::{MAX_TREE_DEPTH, Written, guarded, open, page_ids, save};

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
) -> Result<Written, Error> {
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
        Ok(Written {
            pdf: save(&mut doc)?,
            page_count: ids.len(),
        })
    })
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
