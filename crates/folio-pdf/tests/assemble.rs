//! Merge, split and delete checked by reading the outputs back: page counts and sizes with our
//! renderer, pixels against the source pages, structure with `qpdf --check`, form fields and
//! outlines with lopdf.

use folio_pdf::{MergeOptions, delete_pages, merge, split};
use folio_render::testpdf::{assemble, stream, with_pages};
use folio_render::{Base, ColorMode, Document, Error, Limits, PageSpec, Raster, Resolution};
use folio_testkit::qpdf_check;

fn fixture(name: &str) -> Vec<u8> {
    let path = folio_testkit::fixture(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn open(pdf: &[u8], password: &str) -> Document {
    Document::open(pdf.to_vec(), password, &Limits::default()).unwrap()
}

/// Displayed size and rotation of every page.
fn geometry(pdf: &[u8], password: &str) -> Vec<(u16, f32, f32)> {
    let doc = open(pdf, password);
    (0..doc.page_count())
        .map(|i| {
            let g = doc.geometry(i);
            (g.rotation, g.width_pt, g.height_pt)
        })
        .collect()
}

fn pixels(doc: &Document, page: usize) -> Raster {
    doc.render_page(
        page,
        Resolution::Dpi(30.0),
        ColorMode::Gray,
        &Limits::default(),
    )
    .unwrap()
}

/// Page `a` of `x` draws exactly what page `b` of `y` draws.
fn same_page(x: &Document, a: usize, y: &Document, b: usize) {
    let (p, q) = (pixels(x, a), pixels(y, b));
    assert_eq!((p.width, p.height), (q.width, q.height), "page {a} vs {b}");
    assert!(
        p.pixels == q.pixels,
        "page {a} and page {b} differ in pixels"
    );
}

fn one_based(spec: &str) -> PageSpec {
    PageSpec::parse_based(spec, Base::One).unwrap()
}

fn field_names(pdf: &[u8]) -> Vec<String> {
    let doc = lopdf::Document::load_mem(pdf).unwrap();
    let form = doc.catalog().unwrap().get(b"AcroForm").unwrap();
    let form = doc.dereference(form).unwrap().1.as_dict().unwrap();
    form.get(b"Fields")
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let d = doc.get_dictionary(f.as_reference().unwrap()).unwrap();
            String::from_utf8_lossy(d.get(b"T").unwrap().as_str().unwrap()).into_owned()
        })
        .collect()
}

fn outline_titles(pdf: &[u8]) -> Vec<String> {
    let doc = lopdf::Document::load_mem(pdf).unwrap();
    let outlines = doc.catalog().unwrap().get(b"Outlines").unwrap();
    let outlines = doc.dereference(outlines).unwrap().1.as_dict().unwrap();
    let mut next = outlines
        .get(b"First")
        .ok()
        .map(|f| f.as_reference().unwrap());
    let mut titles = vec![];
    while let Some(id) = next {
        let item = doc.get_dictionary(id).unwrap();
        titles.push(String::from_utf8_lossy(item.get(b"Title").unwrap().as_str().unwrap()).into());
        next = item.get(b"Next").ok().map(|n| n.as_reference().unwrap());
    }
    titles
}

/// Pages come in list order with their own sizes, rotations (inherited ones written on the
/// page) and pixels; an encrypted input opens with the password and the output is open.
#[test]
fn merged_pages_keep_order_sizes_rotation_and_pixels() {
    let rotated = fixture("qpdf-rotated.pdf");
    let small = with_pages(2, 200.0, 100.0);
    let sizes = fixture("pdfjs-sizes.pdf");
    let out = merge(
        &[&rotated, &small, &sizes],
        "",
        &MergeOptions::default(),
        10_000,
    )
    .unwrap();
    let mut want = geometry(&rotated, "");
    want.extend(geometry(&small, ""));
    want.extend(geometry(&sizes, ""));
    assert_eq!(out.page_count, want.len());
    assert_eq!(geometry(&out.pdf, ""), want);
    qpdf_check(&out.pdf);
    let (merged, first) = (open(&out.pdf, ""), open(&rotated, ""));
    for p in 0..first.page_count() {
        same_page(&merged, p, &first, p);
    }
    let third = open(&sizes, "");
    let offset = first.page_count() + 2;
    for p in 0..third.page_count() {
        same_page(&merged, offset + p, &third, p);
    }

    let locked = fixture("qpdf-c-r4.pdf");
    let out = merge(&[&locked, &locked], "user2", &MergeOptions::default(), 100).unwrap();
    let n = open(&locked, "user2").page_count();
    assert_eq!(out.page_count, 2 * n);
    assert!(!out.pdf.windows(8).any(|w| w == b"/Encrypt"));
    same_page(&open(&out.pdf, ""), n, &open(&locked, "user2"), 0);
    qpdf_check(&out.pdf);
}

/// Clashing field names: renamed by default so both inputs keep their fields; without renaming
/// the later one is left out of the form. Bookmarks: one per input, titled.
#[test]
fn merged_forms_keep_every_field_and_bookmarks_name_the_inputs() {
    let form = fixture("pdfjs-textfields.pdf");
    let names = field_names(&form);
    assert!(!names.is_empty());
    let options = MergeOptions {
        rename_fields: true,
        bookmarks: true,
        titles: vec!["first.pdf".into(), "second.pdf".into()],
    };
    let out = merge(&[&form, &form], "", &options, 100).unwrap();
    let merged = field_names(&out.pdf);
    assert_eq!(merged.len(), 2 * names.len(), "{merged:?}");
    for n in &names {
        assert!(
            merged.contains(n) && merged.contains(&format!("{n}_2")),
            "{merged:?}"
        );
    }
    assert_eq!(outline_titles(&out.pdf), vec!["first.pdf", "second.pdf"]);
    qpdf_check(&out.pdf);

    let out = merge(&[&form, &form], "", &MergeOptions::default(), 100).unwrap();
    assert_eq!(field_names(&out.pdf), names);
    qpdf_check(&out.pdf);
}

/// `1-2,3-` makes two files, `""` one per page; each page renders as in the source, and a
/// page's fonts travel with it.
#[test]
fn split_outputs_hold_their_pages_only() {
    let input = fixture("pdfjs-sizes.pdf");
    let source = open(&input, "");
    let count = source.page_count();
    assert!(count >= 3, "{count}");
    let parts = split(&input, "", |n| one_based("1-2,3-").resolve_groups(n, 1000)).unwrap();
    assert_eq!(parts.len(), 2);
    assert_eq!((parts[0].page_count, parts[1].page_count), (2, count - 2));
    let all = geometry(&input, "");
    assert_eq!(geometry(&parts[0].pdf, ""), all[..2]);
    assert_eq!(geometry(&parts[1].pdf, ""), all[2..]);
    for part in &parts {
        qpdf_check(&part.pdf);
    }
    same_page(&open(&parts[1].pdf, ""), 0, &source, 2);

    let singles = split(&input, "", |n| one_based("").resolve_groups(n, 1000)).unwrap();
    assert_eq!(singles.len(), count);
    for (i, part) in singles.iter().enumerate() {
        assert_eq!(part.page_count, 1);
        same_page(&open(&part.pdf, ""), 0, &source, i);
    }
    // A one-page piece of a larger file is smaller than the file.
    assert!(singles[0].pdf.len() < input.len());

    let e = split(&input, "", |n| one_based("2-99").resolve_groups(n, 1000)).unwrap_err();
    assert_eq!(e.code(), 449, "{e}");
    assert!(e.to_string().contains("First page is 1"), "{e}");
}

/// Deleting keeps the other pages in order, with the form; deleting every page is refused.
#[test]
fn deleted_pages_are_gone_and_the_rest_is_kept() {
    let input = with_pages(4, 300.0, 100.0);
    let source = open(&input, "");
    let out = delete_pages(&input, "", |n| one_based("2,4").resolve(n, 100)).unwrap();
    assert_eq!(out.page_count, 2);
    let kept = open(&out.pdf, "");
    same_page(&kept, 0, &source, 0);
    same_page(&kept, 1, &source, 2);
    qpdf_check(&out.pdf);

    let e = delete_pages(&input, "", |n| one_based("1-").resolve(n, 100)).unwrap_err();
    assert!(matches!(e, Error::InvalidOption(_)), "{e}");
    assert_eq!(e.code(), 400);

    let form = fixture("pdfjs-textfields.pdf");
    let doubled = merge(
        &[&form, &form],
        "",
        &MergeOptions {
            rename_fields: true,
            ..Default::default()
        },
        100,
    )
    .unwrap();
    let out = delete_pages(&doubled.pdf, "", |n| one_based("2").resolve(n, 100)).unwrap();
    assert_eq!(field_names(&out.pdf), field_names(&form));
    qpdf_check(&out.pdf);
}

/// Hostile graphs end cleanly: a page whose resources reference each other in a ring, a
/// `/Parent` cycle, a link to a page that is not copied, a non-PDF, an encrypted input without
/// its password.
#[test]
fn cycles_dangling_links_and_bad_inputs_end_cleanly() {
    let ring = assemble(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R 6 0 R] /Count 2 /Parent 2 0 R >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] /Resources << /X 4 0 R >> /Contents 5 0 R /Annots [7 0 R] >>".to_vec(),
        b"<< /Next 8 0 R >>".to_vec(),
        stream("", b"0 0 50 50 re f"),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] >>".to_vec(),
        b"<< /Type /Annot /Subtype /Link /Rect [0 0 10 10] /Dest [6 0 R /Fit] >>".to_vec(),
        b"<< /Back 4 0 R >>".to_vec(),
    ]);
    let parts = split(&ring, "", |n| one_based("1").resolve_groups(n, 100)).unwrap();
    assert_eq!(parts[0].page_count, 1);
    qpdf_check(&parts[0].pdf);
    let merged = merge(&[&ring, &ring], "", &MergeOptions::default(), 100).unwrap();
    assert_eq!(merged.page_count, 4);
    qpdf_check(&merged.pdf);

    let e = merge(
        &[&ring, b"not a pdf at all"],
        "",
        &MergeOptions::default(),
        100,
    )
    .unwrap_err();
    assert!(e.to_string().contains("input 2 of 2"), "{e}");
    let e = merge(&[&ring, &ring], "", &MergeOptions::default(), 3).unwrap_err();
    assert!(matches!(e, Error::TooManyPages { .. }), "{e}");
    let locked = fixture("qpdf-c-r4.pdf");
    let e = split(&locked, "", |n| one_based("").resolve_groups(n, 100)).unwrap_err();
    assert_eq!(e.code(), 441, "{e}");
}
