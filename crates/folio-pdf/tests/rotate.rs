//! Rotation checked by reading the output back with our renderer (the rotation and displayed
//! size it sees) and, when installed, with `qpdf --check`.

use folio_pdf::rotate;
use folio_render::testpdf::{assemble, stream, with_pages};
use folio_render::{
    Code, ColorMode, Document, Error, Limits, PageSpec, Pixels, Raster, Resolution,
};
use folio_testkit::qpdf_check;

fn fixture(name: &str) -> Vec<u8> {
    let path = folio_testkit::fixture(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn rotations(pdf: &[u8], password: &str) -> Vec<(u16, f32, f32)> {
    let doc = Document::open(pdf.to_vec(), password, &Limits::default()).unwrap();
    (0..doc.page_count())
        .map(|i| {
            let g = doc.geometry(i);
            (g.rotation, g.width_pt, g.height_pt)
        })
        .collect()
}

/// Each page's own `/Rotate` as written (the renderer normalises what it reads, so it cannot
/// tell 450 from 90, nor a page value from an inherited one).
fn own_rotates(pdf: &[u8]) -> Vec<Option<i64>> {
    let doc = lopdf::Document::load_mem(pdf).unwrap();
    doc.get_pages()
        .into_values()
        .map(|id| {
            let page = doc.get_dictionary(id).unwrap();
            page.get(b"Rotate").ok().map(|r| r.as_i64().unwrap())
        })
        .collect()
}

fn pages(spec: &str) -> PageSpec {
    PageSpec::parse(spec).unwrap()
}

#[test]
fn selected_pages_turn_and_the_others_do_not() {
    let input = with_pages(3, 200.0, 100.0);
    let out = rotate(&input, "", &pages("1"), 100, 90).unwrap();
    assert_eq!(out.page_count, 3);
    assert_eq!(
        rotations(&out.pdf, ""),
        vec![(0, 200.0, 100.0), (90, 100.0, 200.0), (0, 200.0, 100.0)]
    );
    assert_eq!(own_rotates(&out.pdf), vec![None, Some(90), None]);
    qpdf_check(&out.pdf);
    let all = rotate(&input, "", &PageSpec::all(), 100, -90).unwrap();
    assert!(rotations(&all.pdf, "").iter().all(|r| r.0 == 270));
    let twice = rotate(&all.pdf, "", &pages("0,!0"), 100, 450).unwrap();
    let r: Vec<u16> = rotations(&twice.pdf, "").iter().map(|r| r.0).collect();
    assert_eq!(r, vec![0, 270, 0]);
    assert_eq!(own_rotates(&twice.pdf), vec![Some(0), Some(270), Some(0)]);
}

/// `/Rotate` set on the page tree (inherited) counts: 90 inherited + 180 = 270 on the page.
#[test]
fn an_inherited_rotation_is_added_to() {
    let input = assemble(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R 5 0 R] /Count 2 /Rotate 90 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 100] /Contents 4 0 R >>".to_vec(),
        stream("", b"0 g 0 0 10 10 re f"),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 100] /Rotate 270 /Contents 4 0 R >>"
            .to_vec(),
    ]);
    assert_eq!(
        rotations(&input, "")
            .iter()
            .map(|r| r.0)
            .collect::<Vec<_>>(),
        vec![90, 270]
    );
    let out = rotate(&input, "", &PageSpec::all(), 100, 180).unwrap();
    assert_eq!(
        rotations(&out.pdf, ""),
        vec![(270, 100.0, 300.0), (90, 100.0, 300.0)]
    );
    // Written on the pages themselves, normalised: 90 + 180 and 270 + 180 (not 450).
    assert_eq!(own_rotates(&out.pdf), vec![Some(270), Some(90)]);
    qpdf_check(&out.pdf);
}

/// An already rotated real file (qpdf's test suite) turns on from where it was.
#[test]
fn a_rotated_real_file_turns_further() {
    let input = fixture("qpdf-rotated.pdf");
    let before = rotations(&input, "");
    let out = rotate(&input, "", &PageSpec::all(), 1000, 90).unwrap();
    let after = rotations(&out.pdf, "");
    assert_eq!(before.len(), after.len());
    for (b, a) in before.iter().zip(&after) {
        assert_eq!(a.0, (b.0 + 90) % 360, "{before:?} → {after:?}");
        assert_eq!((a.1, a.2), (b.2, b.1));
    }
    qpdf_check(&out.pdf);
}

/// The first page at 36 DPI in grey, checked not to be blank (a comparison of blank pages
/// would prove nothing).
fn first_page_pixels(pdf: &[u8], password: &str) -> Raster {
    let limits = Limits::default();
    let doc = Document::open(pdf.to_vec(), password, &limits).unwrap();
    let raster = doc
        .render_page(0, Resolution::Dpi(36.0), ColorMode::Gray, &limits)
        .unwrap();
    let Pixels::Gray(grey) = &raster.pixels else {
        panic!("asked for grey");
    };
    assert!(grey.iter().any(|&p| p < 128), "page 0 is blank");
    raster
}

/// Encrypted input (RC4-40, AES-128, AES-256 with a non-ASCII password): refused without its
/// password (441, "supplied" telling the two messages apart), opened with it, and written
/// unencrypted. Decryption is proved by rendering: turned by 0, the output must draw exactly
/// what the original does when the renderer decrypts it.
#[test]
fn encrypted_input_needs_its_password_and_comes_out_open() {
    let files = [
        ("qpdf-enc-R2_V1_U_view_O_master.pdf", "view"),
        ("qpdf-c-r4.pdf", "user2"),
        ("pdfjs-issue21579.pdf", "pässwört"),
    ];
    for (name, password) in files {
        let input = fixture(name);
        for (wrong, supplied) in [("", false), ("nope", true)] {
            match rotate(&input, wrong, &PageSpec::all(), 100, 90) {
                Err(Error::InvalidPassword { supplied: s }) => assert_eq!(s, supplied, "{name}"),
                other => panic!("{name} with {wrong:?}: {other:?}"),
            }
        }
        let same = rotate(&input, password, &PageSpec::all(), 100, 0).unwrap();
        assert!(
            !contains(&same.pdf, b"/Encrypt"),
            "{name} is still encrypted"
        );
        assert_eq!(
            first_page_pixels(&same.pdf, ""),
            first_page_pixels(&input, password),
            "{name}: decrypted pages draw differently"
        );
        let turned = rotate(&input, password, &PageSpec::all(), 100, 90).unwrap();
        let r = rotations(&turned.pdf, "");
        assert_eq!(r.len(), turned.page_count);
        assert!(r.iter().all(|r| r.0 == 90), "{name}: {r:?}");
        qpdf_check(&turned.pdf);
    }
    // The owner password opens the file too.
    let input = fixture("qpdf-enc-R2_V1_U_view_O_master.pdf");
    let out = rotate(&input, "master", &PageSpec::all(), 100, 180).unwrap();
    assert!(rotations(&out.pdf, "").iter().all(|r| r.0 == 180));
}

/// A file with only an owner password (empty user password, as "no editing" files are) opens
/// without a password, as it does in viewers, and with its owner password.
#[test]
fn an_owner_password_alone_does_not_lock_the_file() {
    let plain = with_pages(2, 300.0, 200.0);
    let mut doc = lopdf::Document::load_mem(&plain).unwrap();
    let id = lopdf::Object::String(
        b"0123456789abcdef".to_vec(),
        lopdf::StringFormat::Hexadecimal,
    );
    doc.trailer
        .set("ID", lopdf::Object::Array(vec![id.clone(), id]));
    let state = lopdf::EncryptionState::try_from(lopdf::EncryptionVersion::V2 {
        document: &doc,
        owner_password: "owner",
        user_password: "",
        key_length: 128,
        permissions: lopdf::Permissions::PRINTABLE,
    })
    .unwrap();
    doc.encrypt(&state).unwrap();
    let mut input = vec![];
    doc.save_to(&mut input).unwrap();
    assert!(contains(&input, b"/Encrypt"));

    for password in ["", "owner"] {
        let out = rotate(&input, password, &pages("1"), 100, 90).unwrap();
        assert!(!contains(&out.pdf, b"/Encrypt"), "{password:?}");
        assert_eq!(
            rotations(&out.pdf, ""),
            vec![(0, 300.0, 200.0), (90, 200.0, 300.0)],
            "{password:?}"
        );
        assert_eq!(
            first_page_pixels(&out.pdf, ""),
            first_page_pixels(&plain, ""),
            "{password:?}: decrypted page 0 draws differently"
        );
        qpdf_check(&out.pdf);
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn bad_requests_and_bad_files_get_the_renderers_answers() {
    let input = with_pages(2, 100.0, 100.0);
    let e = rotate(&input, "", &PageSpec::all(), 100, 45).unwrap_err();
    assert_eq!(e.code(), Code::BadRequest, "{e}");
    assert!(e.to_string().contains("90, 180 or 270"), "{e}");
    let e = rotate(&input, "", &pages("5"), 100, 90).unwrap_err();
    assert_eq!(e.code(), Code::InvalidIndexRange, "{e}");
    let e = rotate(&input, "", &PageSpec::all(), 1, 90).unwrap_err();
    assert_eq!(e.code(), Code::BadRequest, "{e}");
    // Not a PDF at all: the client sent the wrong file (400); a damaged PDF: 442.
    for junk in [&b"not a pdf at all"[..], b""] {
        let e = rotate(junk, "", &PageSpec::all(), 100, 90).unwrap_err();
        assert_eq!(e.code(), Code::BadRequest, "{e}");
        assert!(e.to_string().contains("not a PDF"), "{e}");
    }
    let e = rotate(
        b"%PDF-1.7\n1 0 obj << /Type /Catalog",
        "",
        &PageSpec::all(),
        100,
        90,
    );
    assert_eq!(e.unwrap_err().code(), Code::Damaged);
}

/// Hostile and damaged files: a `/Parent` cycle with a `/Rotate` that is not a number, a
/// `/Kids` cycle, a truncated file from a test corpus, and every prefix of a good file. Each
/// ends, without a panic, either rotated or as a damaged document (442).
#[test]
fn hostile_and_damaged_files_end_cleanly() {
    let parent_cycle = assemble(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 /Parent 3 0 R >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] /Rotate (x) >>".to_vec(),
    ]);
    let out = rotate(&parent_cycle, "", &PageSpec::all(), 100, 90).unwrap();
    assert_eq!(own_rotates(&out.pdf), vec![Some(90)]);

    let kids_cycle = assemble(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R 2 0 R] /Count 2 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] >>".to_vec(),
    ]);
    // lopdf's walk meets page 3 twice; it is one page, turned once, as the renderer counts it.
    let out = rotate(&kids_cycle, "", &PageSpec::all(), 100, 90).unwrap();
    assert_eq!(out.page_count, 1);
    assert_eq!(rotations(&out.pdf, ""), vec![(90, 100.0, 100.0)]);

    let good = with_pages(3, 100.0, 100.0);
    let mut inputs = vec![kids_cycle, fixture("opf-T04_006_premature-EOF.pdf")];
    inputs.extend((0..good.len()).map(|n| good[..n].to_vec()));
    for input in &inputs {
        match rotate(input, "", &PageSpec::all(), 100, 90) {
            Ok(out) => assert!(out.page_count >= 1),
            // Prefixes too short to hold the `%PDF-` header are not PDFs (400).
            Err(e) if input.len() < 5 => assert_eq!(e.code(), Code::BadRequest, "{e}"),
            Err(e) => assert_eq!(e.code(), Code::Damaged, "{} bytes: {e}", input.len()),
        }
    }
}
