//! Reading what a document holds besides its pages: form fields (`/pdf/info/fields`) and
//! embedded files (`/pdf/attachments/extract`). Every walk is bounded: field trees, name trees
//! and the number of entries, so a hostile file cannot make either endless.

use std::collections::HashSet;

use folio_render::{Error, decode_text};
use lopdf::{Dictionary, Document, Object, ObjectId};
use serde::{Deserialize, Serialize};

use crate::{guarded, inherited, open, page_ids, resolve};

/// Most fields reported; a real form has hundreds.
pub const MAX_FIELDS: usize = 10_000;
/// Most embedded files extracted.
pub const MAX_ATTACHMENTS: usize = 1_000;
/// Deepest field tree or name tree followed.
const MAX_DEPTH: usize = 32;
/// Longest field value or name reported, in characters.
const MAX_TEXT: usize = 4096;

/// One form field, as PDF.co's `FieldsInfo.Fields[]` has it: the widget's box in points from the
/// displayed page's top-left corner (rotation and crop box applied).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct FormField {
    /// 0-based page of its (first) widget; -1 when it has none on a page.
    pub page_index: i64,
    /// `EditBox`, `CheckBox`, `RadioButton`, `ComboBox`, `ListBox`, `Signature` or `Button`.
    #[serde(rename = "Type")]
    pub kind: String,
    /// The full name: the names of its ancestors and its own, joined by dots.
    pub field_name: String,
    /// The current value as text (a checkbox's is its state name, `Off` when unchecked).
    pub value: String,
    pub left: f64,
    pub top: f64,
    pub width: f64,
    pub height: f64,
}

/// The fields of `input`'s form (none when it has no form).
pub fn form_fields(input: &[u8], password: &str) -> Result<Vec<FormField>, Error> {
    guarded(|| {
        let doc = open(input, password)?;
        let pages = page_ids(&doc);
        let mut widget_page = std::collections::HashMap::new();
        for (index, &page) in pages.iter().enumerate() {
            if let Some(annots) = doc
                .get_dictionary(page)
                .ok()
                .and_then(|p| p.get(b"Annots").ok())
                .and_then(|a| resolve(&doc, a).as_array().ok())
            {
                for a in annots {
                    if let Ok(id) = a.as_reference() {
                        widget_page.entry(id).or_insert(index);
                    }
                }
            }
        }
        let Some(fields) = doc
            .catalog()
            .ok()
            .and_then(|c| c.get(b"AcroForm").ok())
            .and_then(|f| resolve(&doc, f).as_dict().ok())
            .and_then(|f| f.get(b"Fields").ok())
            .and_then(|f| resolve(&doc, f).as_array().ok())
        else {
            return Ok(Vec::new());
        };
        let mut walk = FieldWalk {
            doc: &doc,
            pages: &pages,
            widget_page: &widget_page,
            seen: HashSet::new(),
            out: Vec::new(),
        };
        for f in fields {
            if let Ok(id) = f.as_reference() {
                walk.field(id, "", &Inherited::default(), 0);
            }
        }
        Ok(walk.out)
    })
}

/// What a field inherits from its ancestors.
#[derive(Default, Clone)]
struct Inherited {
    kind: Option<Vec<u8>>,
    flags: Option<i64>,
    value: Option<Object>,
}

struct FieldWalk<'a> {
    doc: &'a Document,
    pages: &'a [ObjectId],
    widget_page: &'a std::collections::HashMap<ObjectId, usize>,
    seen: HashSet<ObjectId>,
    out: Vec<FormField>,
}

impl FieldWalk<'_> {
    fn field(&mut self, id: ObjectId, parent_name: &str, up: &Inherited, depth: usize) {
        if depth > MAX_DEPTH || self.out.len() >= MAX_FIELDS || !self.seen.insert(id) {
            return;
        }
        let Ok(dict) = self.doc.get_dictionary(id) else {
            return;
        };
        let own = match dict.get(b"T").map(|t| resolve(self.doc, t)) {
            Ok(Object::String(t, _)) => Some(decode_text(t)),
            _ => None,
        };
        let name = match (&own, parent_name.is_empty()) {
            (Some(own), true) => own.clone(),
            (Some(own), false) => format!("{parent_name}.{own}"),
            (None, _) => parent_name.to_string(),
        };
        let here = Inherited {
            kind: match dict.get(b"FT").map(|t| resolve(self.doc, t)) {
                Ok(Object::Name(n)) => Some(n.clone()),
                _ => up.kind.clone(),
            },
            flags: dict
                .get(b"Ff")
                .ok()
                .and_then(|f| resolve(self.doc, f).as_i64().ok())
                .or(up.flags),
            value: dict
                .get(b"V")
                .ok()
                .map(|v| resolve(self.doc, v).clone())
                .or_else(|| up.value.clone()),
        };
        // Kids with names of their own are fields; nameless kids are this field's widgets.
        let kids: Vec<ObjectId> = dict
            .get(b"Kids")
            .ok()
            .and_then(|k| resolve(self.doc, k).as_array().ok())
            .map(|k| k.iter().filter_map(|k| k.as_reference().ok()).collect())
            .unwrap_or_default();
        let (named, widgets): (Vec<ObjectId>, Vec<ObjectId>) = kids
            .into_iter()
            .partition(|&k| self.doc.get_dictionary(k).is_ok_and(|d| d.has(b"T")));
        if !named.is_empty() {
            for kid in named {
                self.field(kid, &name, &here, depth + 1);
            }
            if widgets.is_empty() {
                return;
            }
        }
        // The field's first widget: a nameless kid, or the field itself (merged field/widget).
        let widget = widgets.first().copied().unwrap_or(id);
        let page = self.widget_page.get(&widget).copied().or_else(|| {
            let p = self.doc.get_dictionary(widget).ok()?.get(b"P").ok()?;
            let p = p.as_reference().ok()?;
            self.pages.iter().position(|&q| q == p)
        });
        let rect = self
            .doc
            .get_dictionary(widget)
            .ok()
            .and_then(|w| w.get(b"Rect").ok())
            .and_then(|r| numbers(self.doc, r));
        let (left, top, width, height) = match (page, rect) {
            (Some(p), Some(r)) => displayed_box(self.doc, self.pages[p], r),
            _ => (0.0, 0.0, 0.0, 0.0),
        };
        self.out.push(FormField {
            page_index: page.map_or(-1, |p| p as i64),
            kind: kind_name(here.kind.as_deref(), here.flags.unwrap_or(0)).into(),
            field_name: cut(name),
            value: cut(here.value.as_ref().map(value_text).unwrap_or_default()),
            left,
            top,
            width,
            height,
        });
    }
}

fn kind_name(kind: Option<&[u8]>, flags: i64) -> &'static str {
    match kind {
        Some(b"Tx") => "EditBox",
        Some(b"Btn") if flags & (1 << 16) != 0 => "Button",
        Some(b"Btn") if flags & (1 << 15) != 0 => "RadioButton",
        Some(b"Btn") => "CheckBox",
        Some(b"Ch") if flags & (1 << 17) != 0 => "ComboBox",
        Some(b"Ch") => "ListBox",
        Some(b"Sig") => "Signature",
        _ => "Unknown",
    }
}

/// A value as text: strings decoded, names as they are, arrays (multiple choice) joined by
/// commas.
fn value_text(v: &Object) -> String {
    match v {
        Object::String(s, _) => decode_text(s),
        Object::Name(n) => String::from_utf8_lossy(n).into_owned(),
        Object::Array(items) => items
            .iter()
            .take(100)
            .map(value_text)
            .collect::<Vec<_>>()
            .join(","),
        Object::Integer(i) => i.to_string(),
        Object::Real(f) => f.to_string(),
        Object::Boolean(b) => b.to_string(),
        _ => String::new(),
    }
}

fn cut(s: String) -> String {
    if s.chars().count() > MAX_TEXT {
        s.chars().take(MAX_TEXT).collect()
    } else {
        s
    }
}

/// Four numbers of an array (a rectangle), normalised so that x0 ≤ x1 and y0 ≤ y1.
fn numbers(doc: &Document, obj: &Object) -> Option<[f64; 4]> {
    let items = resolve(doc, obj).as_array().ok()?;
    let n: Vec<f64> = items
        .iter()
        .filter_map(|i| match resolve(doc, i) {
            Object::Integer(v) => Some(*v as f64),
            Object::Real(v) => Some(f64::from(*v)),
            _ => None,
        })
        .collect();
    let [a, b, c, d] = n.get(..4)?.try_into().ok()?;
    Some([a.min(c), b.min(d), a.max(c), b.max(d)])
}

/// A rectangle in page space as `(left, top, width, height)` from the displayed page's
/// top-left corner: measured from the crop box (else the media box), turned by `/Rotate`.
fn displayed_box(doc: &Document, page: ObjectId, r: [f64; 4]) -> (f64, f64, f64, f64) {
    let attribute = |key: &[u8]| inherited(doc, page, key).map(|v| resolve(doc, v));
    let bounds = attribute(b"CropBox")
        .and_then(|b| numbers(doc, b))
        .or_else(|| attribute(b"MediaBox").and_then(|b| numbers(doc, b)))
        .unwrap_or([0.0, 0.0, 612.0, 792.0]);
    let rotate = attribute(b"Rotate")
        .and_then(|r| r.as_i64().ok())
        .unwrap_or(0)
        .rem_euclid(360);
    let [x0, y0, x1, y1] = bounds;
    let to_display = |x: f64, y: f64| match rotate {
        90 => (y - y0, x - x0),
        180 => (x1 - x, y - y0),
        270 => (y1 - y, x1 - x),
        _ => (x - x0, y1 - y),
    };
    let (ax, ay) = to_display(r[0], r[1]);
    let (bx, by) = to_display(r[2], r[3]);
    let round = |v: f64| (v * 100.0).round() / 100.0;
    (
        round(ax.min(bx)),
        round(ay.min(by)),
        round((ax - bx).abs()),
        round((ay - by).abs()),
    )
}

/// One embedded file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    /// Its file name as the document gives it (not yet made safe for a path).
    pub name: String,
    pub data: Vec<u8>,
}

/// The files embedded in `input`: the `/EmbeddedFiles` name tree, then file attachment
/// annotations, each file once. `max_bytes` bounds their total size.
pub fn attachments(input: &[u8], password: &str, max_bytes: u64) -> Result<Vec<Attachment>, Error> {
    guarded(|| {
        let doc = open(input, password)?;
        let mut specs: Vec<(String, ObjectId)> = Vec::new();
        if let Some(tree) = doc
            .catalog()
            .ok()
            .and_then(|c| c.get(b"Names").ok())
            .and_then(|n| resolve(&doc, n).as_dict().ok())
            .and_then(|n| n.get(b"EmbeddedFiles").ok())
        {
            let mut seen = HashSet::new();
            name_tree(&doc, tree, 0, &mut seen, &mut specs);
        }
        for page in page_ids(&doc) {
            let annots = doc
                .get_dictionary(page)
                .ok()
                .and_then(|p| p.get(b"Annots").ok())
                .and_then(|a| resolve(&doc, a).as_array().ok());
            for a in annots.into_iter().flatten() {
                let Some(annot) = resolve(&doc, a).as_dict().ok() else {
                    continue;
                };
                if matches!(annot.get(b"Subtype"), Ok(Object::Name(n)) if n == b"FileAttachment")
                    && let Ok(Object::Reference(fs)) = annot.get(b"FS")
                {
                    specs.push((String::new(), *fs));
                }
                if specs.len() > MAX_ATTACHMENTS {
                    break;
                }
            }
        }
        let mut out = Vec::new();
        let mut files = HashSet::new();
        let mut total = 0u64;
        for (key, spec) in specs.into_iter().take(MAX_ATTACHMENTS) {
            let Ok(spec) = doc.get_dictionary(spec) else {
                continue;
            };
            let Some((file_id, stream)) = embedded_stream(&doc, spec) else {
                continue;
            };
            if !files.insert(file_id) {
                continue;
            }
            let remaining = max_bytes.saturating_sub(total);
            let data = stream
                .get_plain_content_with_limit(usize::try_from(remaining).unwrap_or(usize::MAX))
                .map_err(|_| {
                    Error::Damaged(format!(
                        "an embedded file could not be read, or the files are larger than {max_bytes} bytes together"
                    ))
                })?;
            total += data.len() as u64;
            let name = [&b"UF"[..], b"F"]
                .iter()
                .find_map(|k| match spec.get(k).map(|v| resolve(&doc, v)) {
                    Ok(Object::String(s, _)) => Some(decode_text(s)),
                    _ => None,
                })
                .filter(|n| !n.is_empty())
                .unwrap_or(key);
            out.push(Attachment {
                name: cut(name),
                data,
            });
        }
        Ok(out)
    })
}

/// The pairs of a name tree: `(key, value reference)`.
fn name_tree(
    doc: &Document,
    node: &Object,
    depth: usize,
    seen: &mut HashSet<ObjectId>,
    out: &mut Vec<(String, ObjectId)>,
) {
    if depth > MAX_DEPTH || out.len() > MAX_ATTACHMENTS {
        return;
    }
    if let Object::Reference(id) = node
        && !seen.insert(*id)
    {
        return;
    }
    let Ok(dict) = resolve(doc, node).as_dict() else {
        return;
    };
    if let Some(names) = dict
        .get(b"Names")
        .ok()
        .and_then(|n| resolve(doc, n).as_array().ok())
    {
        for pair in names.chunks(2) {
            if let [Object::String(key, _), Object::Reference(value)] = pair {
                out.push((decode_text(key), *value));
            }
        }
    }
    if let Some(kids) = dict
        .get(b"Kids")
        .ok()
        .and_then(|k| resolve(doc, k).as_array().ok())
    {
        for kid in kids {
            name_tree(doc, kid, depth + 1, seen, out);
        }
    }
}

/// A file specification's embedded file stream (`/EF /UF`, else `/EF /F`).
fn embedded_stream<'a>(
    doc: &'a Document,
    spec: &'a Dictionary,
) -> Option<(ObjectId, &'a lopdf::Stream)> {
    let ef = resolve(doc, spec.get(b"EF").ok()?).as_dict().ok()?;
    let id = [&b"UF"[..], b"F"]
        .iter()
        .find_map(|k| ef.get(k).ok()?.as_reference().ok())?;
    match doc.get_object(id).ok()? {
        Object::Stream(s) => Some((id, s)),
        _ => None,
    }
}
