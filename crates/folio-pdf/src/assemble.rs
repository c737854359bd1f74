//! Putting pages of documents together into new documents: merge, split, delete pages.
//!
//! One mechanism serves all three: [`Builder`] starts an empty document and copies pages into
//! it, each with the objects it reaches (contents, resources, fonts, annotations), renumbered.
//! Attributes a page inherits from its page tree (`/Resources`, `/MediaBox`, `/CropBox`,
//! `/Rotate`) are written on the copy, so the page looks the same under its new, flat tree.
//! A reference to a page that is not copied becomes `null` (a link to a dropped page goes
//! nowhere instead of pulling the page in), and references to the old page tree point to the
//! new one. Form fields travel with their widgets and are listed in the new `/AcroForm`;
//! outlines are carried over for merge and delete.
//!
//! Copying what pages reach (as pypdf and qpdf do) rather than deleting what is not wanted
//! means an output holds nothing of the input that it does not use: a split page of a
//! 300-page book carries its own fonts and images, not the book's.

use std::collections::{HashMap, HashSet};

use folio_render::Error;
use lopdf::{Dictionary, Document, Object, ObjectId, StringFormat};
use serde::{Deserialize, Serialize};

use crate::{
    MAX_TREE_DEPTH, Written, guarded, inherited, open, page_ids, parent_of, resolve, save,
};

/// Most objects copied into one output: a bound on what a hostile graph (a million tiny
/// objects reachable from one page) can make us build. Real books are under a million.
const MAX_OBJECTS: usize = 4_000_000;

/// Deepest nesting of direct objects (arrays in dictionaries in arrays …) followed while
/// copying; deeper parts are cut to `null`.
const MAX_NESTING: usize = 256;

/// Most outline items carried over from one input.
const MAX_OUTLINE_ITEMS: usize = 100_000;

/// How [`merge`] joins documents.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MergeOptions {
    /// Form fields whose names clash with a field of an earlier input get a suffix (`name_2` for
    /// the second input), so that both keep their own values; otherwise the later field is
    /// dropped from the form (its widgets stay on the page).
    pub rename_fields: bool,
    /// One outline item per input, titled by `titles`, above that input's own outline.
    pub bookmarks: bool,
    /// A title per input (file names) for `bookmarks`.
    pub titles: Vec<String>,
}

/// Join `inputs` (each opened with `password`, empty for none) page after page, in order.
pub fn merge(
    inputs: &[&[u8]],
    password: &str,
    options: &MergeOptions,
    max_pages: usize,
) -> Result<Written, Error> {
    guarded(|| {
        let mut out = Builder::new();
        for (n, input) in inputs.iter().enumerate() {
            let doc = open(input, password).map_err(|e| in_input("input", n, inputs.len(), e))?;
            let pages = page_ids(&doc);
            if out.page_count() + pages.len() > max_pages {
                return Err(Error::TooManyPages {
                    requested: out.page_count() + pages.len(),
                    limit: max_pages,
                });
            }
            let mut copier = out.copier(&doc);
            let first = copier.copy_pages(&mut out, &pages)?;
            copier.copy_form(&mut out, &doc, options.rename_fields.then_some(n + 1))?;
            let title = options.bookmarks.then(|| {
                options
                    .titles
                    .get(n)
                    .cloned()
                    .unwrap_or_else(|| format!("Document {}", n + 1))
            });
            copier.copy_outline(&mut out, &doc, title, first)?;
        }
        out.finish()
    })
}

/// [`merge`] with images among the inputs (`/pdf/merge2`): each input that is not a PDF (by its
/// bytes) becomes a page as [`crate::images_to_pdf`] makes it.
pub fn merge_mixed(
    inputs: &[&[u8]],
    password: &str,
    options: &MergeOptions,
    images: crate::ImageLimits,
) -> Result<Written, Error> {
    let mut pdfs = Vec::with_capacity(inputs.len());
    for (n, one) in inputs.iter().enumerate() {
        if crate::is_pdf(one) {
            pdfs.push(one.to_vec());
            continue;
        }
        let page = crate::images_to_pdf(&[one], images).map_err(|e| {
            let e = match e {
                Error::InvalidOption(why) => {
                    Error::InvalidOption(format!("neither a PDF nor an image we read: {why}"))
                }
                e => e,
            };
            in_input("input", n, inputs.len(), e)
        })?;
        pdfs.push(page.pdf);
    }
    let slices: Vec<&[u8]> = pdfs.iter().map(Vec::as_slice).collect();
    merge(&slices, password, options, images.max_pages)
}

/// One output per group of 0-based page indices (`PageSpec::resolve_groups`), each a document
/// of its own.
pub fn split(
    input: &[u8],
    password: &str,
    groups: impl FnOnce(usize) -> Result<Vec<Vec<usize>>, Error>,
) -> Result<Vec<Written>, Error> {
    guarded(|| {
        let doc = open(input, password)?;
        let ids = page_ids(&doc);
        let groups = groups(ids.len())?;
        groups
            .iter()
            .map(|group| {
                let mut out = Builder::new();
                let pages: Vec<ObjectId> = group.iter().map(|&i| ids[i]).collect();
                let mut copier = out.copier(&doc);
                copier.copy_pages(&mut out, &pages)?;
                copier.copy_form(&mut out, &doc, None)?;
                out.finish()
            })
            .collect()
    })
}

/// The document without the pages `remove` selects (0-based indices, as the 1-based
/// `/pdf/edit/delete-pages` selection resolves); its form and outline kept.
pub fn delete_pages(
    input: &[u8],
    password: &str,
    remove: impl FnOnce(usize) -> Result<Vec<usize>, Error>,
) -> Result<Written, Error> {
    guarded(|| {
        let doc = open(input, password)?;
        let ids = page_ids(&doc);
        let removed: HashSet<usize> = remove(ids.len())?.into_iter().collect();
        let kept: Vec<ObjectId> = (0..ids.len())
            .filter(|i| !removed.contains(i))
            .map(|i| ids[i])
            .collect();
        if kept.is_empty() {
            return Err(Error::InvalidOption(format!(
                "deleting these pages would leave no page (the document has {})",
                ids.len()
            )));
        }
        let mut out = Builder::new();
        let mut copier = out.copier(&doc);
        copier.copy_pages(&mut out, &kept)?;
        copier.copy_form(&mut out, &doc, None)?;
        copier.copy_outline(&mut out, &doc, None, None)?;
        out.finish()
    })
}

/// Say which input of several failed.
/// Say which of several inputs (`what`: "input", "image") failed.
pub(crate) fn in_input(what: &str, n: usize, of: usize, e: Error) -> Error {
    if of < 2 {
        return e;
    }
    match e {
        Error::Damaged(why) => Error::Damaged(format!("{what} {} of {of}: {why}", n + 1)),
        Error::InvalidOption(why) => {
            Error::InvalidOption(format!("{what} {} of {of}: {why}", n + 1))
        }
        other => other,
    }
}

/// A new document being filled with pages.
struct Builder {
    doc: Document,
    pages_root: ObjectId,
    kids: Vec<Object>,
    fields: Vec<Object>,
    field_names: HashSet<Vec<u8>>,
    /// The first input's form defaults (`/DA`, `/DR`, `/Q`), and `/NeedAppearances` if any set it.
    form_defaults: Option<Dictionary>,
    need_appearances: bool,
    outline: Vec<ObjectId>,
    version: String,
}

impl Builder {
    fn new() -> Self {
        let mut doc = Document::with_version("1.4");
        let pages_root = doc.new_object_id();
        Self {
            doc,
            pages_root,
            kids: Vec::new(),
            fields: Vec::new(),
            field_names: HashSet::new(),
            form_defaults: None,
            need_appearances: false,
            outline: Vec::new(),
            version: "1.4".into(),
        }
    }

    fn page_count(&self) -> usize {
        self.kids.len()
    }

    /// A copier of `src`'s objects into this document.
    fn copier<'a>(&mut self, src: &'a Document) -> Copier<'a> {
        if version_number(&src.version) > version_number(&self.version) {
            self.version = src.version.clone();
        }
        let mut tree_nodes = HashSet::new();
        let mut all_pages = HashSet::new();
        for id in page_ids(src) {
            all_pages.insert(id);
            let mut node = parent_of(src, id);
            for _ in 0..MAX_TREE_DEPTH {
                let Some(p) = node else { break };
                if !tree_nodes.insert(p) {
                    break;
                }
                node = parent_of(src, p);
            }
        }
        Copier {
            src,
            map: HashMap::new(),
            all_pages,
            tree_nodes,
            pages_root: self.pages_root,
        }
    }

    fn finish(mut self) -> Result<Written, Error> {
        let page_count = self.kids.len();
        let pages = Dictionary::from_iter([
            ("Type", Object::Name(b"Pages".to_vec())),
            ("Kids", Object::Array(std::mem::take(&mut self.kids))),
            ("Count", Object::Integer(page_count as i64)),
        ]);
        self.doc
            .objects
            .insert(self.pages_root, Object::Dictionary(pages));
        let mut catalog = Dictionary::from_iter([
            ("Type", Object::Name(b"Catalog".to_vec())),
            ("Pages", Object::Reference(self.pages_root)),
        ]);
        if !self.fields.is_empty() {
            let mut form = self.form_defaults.take().unwrap_or_default();
            form.set("Fields", Object::Array(std::mem::take(&mut self.fields)));
            if self.need_appearances {
                form.set("NeedAppearances", Object::Boolean(true));
            }
            let id = self.doc.add_object(Object::Dictionary(form));
            catalog.set("AcroForm", Object::Reference(id));
        }
        if let Some(outlines) = self.link_outline() {
            catalog.set("Outlines", Object::Reference(outlines));
        }
        let root = self.doc.add_object(Object::Dictionary(catalog));
        self.doc.trailer.set("Root", Object::Reference(root));
        // Objects copied along that nothing uses in the end (an input's outline root, whose
        // items were re-linked; fields left out of the form).
        self.doc.prune_objects();
        self.doc.version = self.version.clone();
        Ok(Written {
            pdf: save(&mut self.doc)?,
            page_count,
        })
    }

    /// Chain the top-level outline items gathered from the inputs under one `/Outlines`.
    fn link_outline(&mut self) -> Option<ObjectId> {
        let items = std::mem::take(&mut self.outline);
        let (first, last) = (*items.first()?, *items.last()?);
        let root = self.doc.new_object_id();
        link_siblings(&mut self.doc, &items, root);
        let outlines = Dictionary::from_iter([
            ("Type", Object::Name(b"Outlines".to_vec())),
            ("First", Object::Reference(first)),
            ("Last", Object::Reference(last)),
            ("Count", Object::Integer(items.len() as i64)),
        ]);
        self.doc.objects.insert(root, Object::Dictionary(outlines));
        Some(root)
    }
}

/// Copies objects of one source document into a [`Builder`], each once.
struct Copier<'a> {
    src: &'a Document,
    /// Source object → its copy.
    map: HashMap<ObjectId, ObjectId>,
    all_pages: HashSet<ObjectId>,
    /// The source's page tree nodes (`/Pages`): references to them point to the new root.
    tree_nodes: HashSet<ObjectId>,
    pages_root: ObjectId,
}

impl Copier<'_> {
    /// Copy `pages` (in this order) to the end of `out`; the copy of the first is returned.
    fn copy_pages(
        &mut self,
        out: &mut Builder,
        pages: &[ObjectId],
    ) -> Result<Option<ObjectId>, Error> {
        // Every page gets its number first, so links between copied pages land on the copies.
        let mut copies = Vec::with_capacity(pages.len());
        for &page in pages {
            let id = match self.map.get(&page) {
                // The same page twice in one output: a second page object sharing its content.
                Some(_) => out.doc.new_object_id(),
                None => {
                    let id = out.doc.new_object_id();
                    self.map.insert(page, id);
                    id
                }
            };
            copies.push(id);
        }
        let mut pending = Vec::new();
        for (&page, &id) in pages.iter().zip(&copies) {
            let mut dict = flattened_page(self.src, page)?;
            dict.remove(b"Parent");
            let mut copy = Object::Dictionary(dict);
            self.rewrite(&mut copy, out, &mut pending, 0);
            if let Object::Dictionary(d) = &mut copy {
                d.set("Parent", Object::Reference(self.pages_root));
            }
            out.doc.objects.insert(id, copy);
            out.kids.push(Object::Reference(id));
        }
        self.drain(out, &mut pending)?;
        Ok(copies.first().copied())
    }

    /// List in `out`'s form the fields of `src` whose widgets came along with the pages. With
    /// `rename_as`, a top-level field whose name is taken gets `_<n>` appended.
    fn copy_form(
        &mut self,
        out: &mut Builder,
        src: &Document,
        rename_as: Option<usize>,
    ) -> Result<(), Error> {
        let Some(form) = catalog(src)
            .and_then(|c| c.get(b"AcroForm").ok())
            .and_then(|f| resolve(src, f).as_dict().ok())
        else {
            return Ok(());
        };
        if out.form_defaults.is_none() {
            let mut defaults = Dictionary::new();
            for key in [&b"DA"[..], b"DR", b"Q"] {
                if let Ok(v) = form.get(key) {
                    let mut v = v.clone();
                    let mut pending = Vec::new();
                    self.rewrite(&mut v, out, &mut pending, 0);
                    self.drain(out, &mut pending)?;
                    defaults.set(key.to_vec(), v);
                }
            }
            out.form_defaults = Some(defaults);
        }
        if matches!(
            form.get(b"NeedAppearances").map(|v| resolve(src, v)),
            Ok(Object::Boolean(true))
        ) {
            out.need_appearances = true;
        }
        let Some(fields) = form
            .get(b"Fields")
            .ok()
            .and_then(|f| resolve(src, f).as_array().ok())
        else {
            return Ok(());
        };
        for field in fields {
            let Ok(id) = field.as_reference() else {
                continue;
            };
            // Only fields whose widgets were copied with a page are in the map.
            let Some(&copy) = self.map.get(&id) else {
                continue;
            };
            let Ok(Object::Dictionary(dict)) = out.doc.get_object_mut(copy) else {
                continue;
            };
            let name = match dict.get(b"T") {
                Ok(Object::String(t, _)) => t.clone(),
                _ => Vec::new(),
            };
            if !name.is_empty() && out.field_names.contains(&name) {
                let Some(n) = rename_as else { continue };
                let mut renamed = name.clone();
                let mut k = n;
                loop {
                    renamed.truncate(name.len());
                    renamed.extend_from_slice(format!("_{k}").as_bytes());
                    if !out.field_names.contains(&renamed) {
                        break;
                    }
                    k += 1;
                }
                dict.set("T", Object::String(renamed.clone(), StringFormat::Literal));
                out.field_names.insert(renamed);
            } else {
                out.field_names.insert(name);
            }
            if !out.fields.contains(&Object::Reference(copy)) {
                out.fields.push(Object::Reference(copy));
            }
        }
        Ok(())
    }

    /// Carry `src`'s outline over: its top-level items join `out`'s, or go under one new item
    /// titled `title` that opens the input's first page `first`.
    fn copy_outline(
        &mut self,
        out: &mut Builder,
        src: &Document,
        title: Option<String>,
        first: Option<ObjectId>,
    ) -> Result<(), Error> {
        let mut items = Vec::new();
        let top = catalog(src)
            .and_then(|c| c.get(b"Outlines").ok())
            .and_then(|o| resolve(src, o).as_dict().ok())
            .and_then(|o| o.get(b"First").ok())
            .and_then(|f| f.as_reference().ok());
        let mut seen = HashSet::new();
        let mut next = top;
        while let Some(id) = next {
            if !seen.insert(id) || seen.len() > MAX_OUTLINE_ITEMS {
                break;
            }
            let mut item = Object::Reference(id);
            let mut pending = Vec::new();
            self.rewrite(&mut item, out, &mut pending, 0);
            self.drain(out, &mut pending)?;
            if let Object::Reference(copy) = item {
                items.push(copy);
            }
            next = src
                .get_dictionary(id)
                .ok()
                .and_then(|d| d.get(b"Next").ok())
                .and_then(|n| n.as_reference().ok());
        }
        let Some(title) = title else {
            out.outline.extend(items);
            return Ok(());
        };
        let parent = out.doc.new_object_id();
        let mut dict = Dictionary::from_iter([("Title", Object::string_literal(title.as_bytes()))]);
        if let Some(page) = first {
            dict.set(
                "Dest",
                Object::Array(vec![Object::Reference(page), Object::Name(b"Fit".to_vec())]),
            );
        }
        link_siblings(&mut out.doc, &items, parent);
        if let (Some(&f), Some(&l)) = (items.first(), items.last()) {
            dict.set("First", Object::Reference(f));
            dict.set("Last", Object::Reference(l));
            dict.set("Count", Object::Integer(-(items.len() as i64)));
        }
        out.doc.objects.insert(parent, Object::Dictionary(dict));
        out.outline.push(parent);
        Ok(())
    }

    /// Replace every reference inside `obj` by its copy's, queuing objects not copied yet.
    fn rewrite(
        &mut self,
        obj: &mut Object,
        out: &mut Builder,
        pending: &mut Vec<ObjectId>,
        depth: usize,
    ) {
        if depth > MAX_NESTING {
            *obj = Object::Null;
            return;
        }
        match obj {
            Object::Reference(id) => *obj = self.reference(*id, out, pending),
            Object::Array(items) => {
                for item in items {
                    self.rewrite(item, out, pending, depth + 1);
                }
            }
            Object::Dictionary(dict) => {
                for (_, v) in dict.iter_mut() {
                    self.rewrite(v, out, pending, depth + 1);
                }
            }
            Object::Stream(stream) => {
                for (_, v) in stream.dict.iter_mut() {
                    self.rewrite(v, out, pending, depth + 1);
                }
            }
            _ => {}
        }
    }

    /// What a reference to `id` becomes in the output.
    fn reference(
        &mut self,
        id: ObjectId,
        out: &mut Builder,
        pending: &mut Vec<ObjectId>,
    ) -> Object {
        if let Some(&copy) = self.map.get(&id) {
            return Object::Reference(copy);
        }
        if self.tree_nodes.contains(&id) {
            return Object::Reference(self.pages_root);
        }
        if self.all_pages.contains(&id) || !self.src.objects.contains_key(&id) {
            return Object::Null;
        }
        let copy = out.doc.new_object_id();
        self.map.insert(id, copy);
        pending.push(id);
        Object::Reference(copy)
    }

    /// Copy the queued objects (and what they reach) into `out`.
    fn drain(&mut self, out: &mut Builder, pending: &mut Vec<ObjectId>) -> Result<(), Error> {
        while let Some(id) = pending.pop() {
            if out.doc.objects.len() > MAX_OBJECTS {
                return Err(Error::Damaged(format!(
                    "its pages reach more than {MAX_OBJECTS} objects"
                )));
            }
            let Some(mut obj) = self.src.objects.get(&id).cloned() else {
                continue;
            };
            self.rewrite(&mut obj, out, pending, 0);
            let copy = self.map[&id];
            out.doc.objects.insert(copy, obj);
        }
        Ok(())
    }
}

/// Make `items` the children of the outline item (or root) `parent`, in this order.
fn link_siblings(doc: &mut Document, items: &[ObjectId], parent: ObjectId) {
    for (i, &id) in items.iter().enumerate() {
        if let Ok(Object::Dictionary(d)) = doc.get_object_mut(id) {
            d.set("Parent", Object::Reference(parent));
            match i.checked_sub(1).map(|p| items[p]) {
                Some(prev) => d.set("Prev", Object::Reference(prev)),
                None => drop(d.remove(b"Prev")),
            }
            match items.get(i + 1) {
                Some(&next) => d.set("Next", Object::Reference(next)),
                None => drop(d.remove(b"Next")),
            }
        }
    }
}

/// The page's dictionary with the attributes it inherits from its tree written on it.
fn flattened_page(doc: &Document, page: ObjectId) -> Result<Dictionary, Error> {
    let mut dict = doc
        .get_dictionary(page)
        .map_err(|e| Error::Damaged(format!("a page is not a dictionary: {e}")))?
        .clone();
    for key in [&b"Resources"[..], b"MediaBox", b"CropBox", b"Rotate"] {
        if !dict.has(key)
            && let Some(v) = inherited(doc, page, key)
        {
            dict.set(key.to_vec(), v.clone());
        }
    }
    if !dict.has(b"MediaBox") {
        // What viewers assume for a page that has none: US Letter.
        dict.set(
            "MediaBox",
            Object::Array([0, 0, 612, 792].map(Object::Integer).to_vec()),
        );
    }
    if !dict.has(b"Resources") {
        dict.set("Resources", Object::Dictionary(Dictionary::new()));
    }
    dict.set("Type", Object::Name(b"Page".to_vec()));
    Ok(dict)
}

fn catalog(doc: &Document) -> Option<&Dictionary> {
    doc.catalog().ok()
}

/// "1.7" → 17, for picking the highest version among inputs.
fn version_number(v: &str) -> u32 {
    let mut parts = v.trim().split('.');
    let major = parts
        .next()
        .and_then(|m| m.parse::<u32>().ok())
        .unwrap_or(1);
    let minor = parts
        .next()
        .and_then(|m| m.parse::<u32>().ok())
        .unwrap_or(4);
    major * 10 + minor.min(9)
}
