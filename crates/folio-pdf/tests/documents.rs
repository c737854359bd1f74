//! New documents from images, lossless optimisation, and what inspection reads (form fields,
//! embedded files): outputs read back by our renderer and `qpdf --check`.

use std::io::Cursor;

use folio_pdf::{ImageLimits, Lossy, attachments, form_fields, images_to_pdf, optimize};
use folio_render::testpdf::{assemble, stream, with_pages};
use folio_render::{ColorMode, Document, Limits, Pixels, Resolution};
use folio_testkit::qpdf_check;
use image::{ImageFormat, Rgba, RgbaImage};

const LIMITS: ImageLimits = ImageLimits {
    max_pixels: 10_000_000,
    max_pages: 100,
};

fn fixture(name: &str) -> Vec<u8> {
    let path = folio_testkit::fixture(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A 40 × 20 picture: left half red, right half blue, with a transparent corner when `alpha`.
fn picture(alpha: bool) -> RgbaImage {
    RgbaImage::from_fn(40, 20, |x, y| {
        if alpha && x < 4 && y < 4 {
            Rgba([0, 0, 0, 0])
        } else if x < 20 {
            Rgba([255, 0, 0, 255])
        } else {
            Rgba([0, 0, 255, 255])
        }
    })
}

fn encoded(img: &RgbaImage, format: ImageFormat) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    match format {
        ImageFormat::Jpeg | ImageFormat::Bmp => image::DynamicImage::ImageRgba8(img.clone())
            .to_rgb8()
            .write_to(&mut out, format)
            .unwrap(),
        _ => img.write_to(&mut out, format).unwrap(),
    }
    out.into_inner()
}

/// Page size in points and the colour at a fraction of its width, half way down.
fn page_look(pdf: &[u8], page: usize, at: f32) -> ((f32, f32), [u8; 3]) {
    let limits = Limits::default();
    let doc = Document::open(pdf.to_vec(), "", &limits).unwrap();
    let g = doc.geometry(page);
    let r = doc
        .render_page(page, Resolution::Dpi(72.0), ColorMode::Rgb, &limits)
        .unwrap();
    let Pixels::Rgb(px) = &r.pixels else {
        panic!("asked for RGB")
    };
    let (x, y) = (
        ((r.width as f32 - 1.0) * at) as usize,
        r.height as usize / 2,
    );
    let i = (y * r.width as usize + x) * 3;
    ((g.width_pt, g.height_pt), [px[i], px[i + 1], px[i + 2]])
}

fn near(a: [u8; 3], b: [u8; 3]) -> bool {
    a.iter().zip(b).all(|(&x, y)| x.abs_diff(y) < 40)
}

#[test]
fn every_image_format_becomes_a_page_of_its_size() {
    for format in [
        ImageFormat::Png,
        ImageFormat::Jpeg,
        ImageFormat::Gif,
        ImageFormat::Bmp,
        ImageFormat::Tiff,
        ImageFormat::WebP,
    ] {
        let data = encoded(&picture(format == ImageFormat::Png), format);
        let out = images_to_pdf(&[&data], LIMITS).unwrap();
        assert_eq!(out.page_count, 1, "{format:?}");
        qpdf_check(&out.pdf);
        let (size, left) = page_look(&out.pdf, 0, 0.25);
        assert_eq!(size, (40.0, 20.0), "{format:?}");
        assert!(near(left, [255, 0, 0]), "{format:?}: left is {left:?}");
        let (_, right) = page_look(&out.pdf, 0, 0.75);
        assert!(near(right, [0, 0, 255]), "{format:?}: right is {right:?}");
        if format == ImageFormat::Jpeg {
            assert!(
                out.pdf.windows(data.len()).any(|w| w == data),
                "the JPEG is embedded byte for byte"
            );
        }
        if format == ImageFormat::Png {
            assert!(
                contains(&out.pdf, b"/SMask"),
                "transparency kept as a soft mask"
            );
        }
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Several images and the frames of a multi-page TIFF, in order.
#[test]
fn several_images_and_tiff_frames_make_one_page_each() {
    let mut tiff = Cursor::new(Vec::new());
    {
        let mut encoder = tiff::encoder::TiffEncoder::new(&mut tiff).unwrap();
        let gray = vec![0u8; 30 * 10];
        encoder
            .write_image::<tiff::encoder::colortype::Gray8>(30, 10, &gray)
            .unwrap();
        let rgb = vec![200u8; 50 * 10 * 3];
        encoder
            .write_image::<tiff::encoder::colortype::RGB8>(50, 10, &rgb)
            .unwrap();
    }
    let tiff = tiff.into_inner();
    let png = encoded(&picture(false), ImageFormat::Png);
    let out = images_to_pdf(&[&png, &tiff], LIMITS).unwrap();
    assert_eq!(out.page_count, 3);
    qpdf_check(&out.pdf);
    assert_eq!(page_look(&out.pdf, 1, 0.5), ((30.0, 10.0), [0, 0, 0]));
    assert_eq!(page_look(&out.pdf, 2, 0.5).0, (50.0, 10.0));
}

/// Not an image, an image too large, too many pages: 400s that say why.
#[test]
fn bad_images_are_refused_with_reasons() {
    let e = images_to_pdf(&[b"hello, not an image"], LIMITS).unwrap_err();
    assert_eq!(e.code(), 400);
    assert!(e.to_string().contains("not an image"), "{e}");
    let png = encoded(&picture(false), ImageFormat::Png);
    let small = ImageLimits {
        max_pixels: 100,
        max_pages: 100,
    };
    let e = images_to_pdf(&[&png], small).unwrap_err();
    assert!(e.to_string().contains("40 × 20"), "{e}");
    let one = ImageLimits {
        max_pixels: 10_000,
        max_pages: 1,
    };
    let e = images_to_pdf(&[&png, &png], one).unwrap_err();
    assert_eq!(e.code(), 400, "{e}");
    let e = images_to_pdf(&[&png, b"GIF89a broken"], LIMITS).unwrap_err();
    assert!(e.to_string().contains("image 2 of 2"), "{e}");
    // A JPEG whose header claims 60000 × 60000 pixels is refused before anything is decoded.
    let mut huge = encoded(&picture(false), ImageFormat::Jpeg);
    let sof = huge.windows(2).position(|w| w == [0xff, 0xc0]).unwrap();
    huge[sof + 5..sof + 9].copy_from_slice(&[0xea, 0x60, 0xea, 0x60]);
    let e = images_to_pdf(&[&huge], LIMITS).unwrap_err();
    assert!(e.to_string().contains("60000 × 60000"), "{e}");
}

/// Uncompressed content and a repeated image shrink; the pages draw exactly the same.
#[test]
fn optimize_shrinks_without_changing_pixels() {
    let content = "0.5 g 10 10 80 80 re f ".repeat(200);
    let image = stream(
        "/Type /XObject /Subtype /Image /Width 64 /Height 64 /ColorSpace /DeviceGray /BitsPerComponent 8",
        &vec![128u8; 64 * 64],
    );
    let page = |content: u32, img: u32| {
        format!("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] /Resources << /XObject << /I {img} 0 R >> >> /Contents {content} 0 R >>").into_bytes()
    };
    let input = assemble(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>".to_vec(),
        page(5, 6),
        page(5, 7),
        stream(
            "",
            format!("{content} q 50 0 0 50 0 0 cm /I Do Q").as_bytes(),
        ),
        image.clone(),
        image,
        b"<< /Unused true >>".to_vec(),
    ]);
    let out = optimize(&input, "", &Lossy::default()).unwrap();
    assert!(!out.unchanged);
    assert!(
        out.written.pdf.len() * 4 < input.len(),
        "{} → {} bytes",
        input.len(),
        out.written.pdf.len()
    );
    qpdf_check(&out.written.pdf);
    let render = |pdf: &[u8], p| {
        let limits = Limits::default();
        Document::open(pdf.to_vec(), "", &limits)
            .unwrap()
            .render_page(p, Resolution::Dpi(50.0), ColorMode::Gray, &limits)
            .unwrap()
            .pixels
    };
    for p in 0..2 {
        assert!(render(&input, p) == render(&out.written.pdf, p), "page {p}");
    }
    let doc = lopdf::Document::load_mem(&out.written.pdf).unwrap();
    let images = doc
        .objects
        .values()
        .filter(|o| matches!(o, lopdf::Object::Stream(s) if s.dict.has(b"Width")))
        .count();
    assert_eq!(images, 1, "the repeated image is kept once");

    // Already small: returned as it was, never larger.
    let tiny = optimize(&out.written.pdf, "", &Lossy::default()).unwrap();
    assert!(tiny.written.pdf.len() <= out.written.pdf.len());
    let small = with_pages(1, 10.0, 10.0);
    let again = optimize(&small, "", &Lossy::default()).unwrap();
    assert!(again.written.pdf.len() <= small.len());
}

/// Over the corpus: never larger, same page count, structurally sound (qpdf).
#[test]
fn optimize_over_the_corpus_never_grows_a_file() {
    let Some(corpus) = folio_testkit::corpus() else {
        folio_testkit::skipped_without("optimize over the corpus", "the corpus is absent");
        return;
    };
    let manifest = std::fs::read_to_string(corpus.join("MANIFEST.tsv")).unwrap();
    let (mut before, mut after) = (0usize, 0usize);
    for line in manifest.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        if cols[2].contains("malformed") || !cols[3].is_empty() {
            continue;
        }
        let input = std::fs::read(corpus.join(cols[0])).unwrap();
        let Ok(out) = optimize(&input, "", &Lossy::default()) else {
            continue;
        };
        assert!(out.written.pdf.len() <= input.len(), "{} grew", cols[0]);
        assert_eq!(out.written.page_count.to_string(), cols[1], "{}", cols[0]);
        qpdf_check(&out.written.pdf);
        before += input.len();
        after += out.written.pdf.len();
    }
    println!("optimize over the corpus: {before} → {after} bytes");
    assert!(after < before);
}

#[test]
fn form_fields_report_names_types_values_and_boxes() {
    let fields = form_fields(&fixture("pdfjs-textfields.pdf"), "").unwrap();
    assert_eq!(fields.len(), 9, "{fields:?}");
    let text3 = fields.iter().find(|f| f.field_name == "Text3").unwrap();
    assert_eq!((text3.page_index, text3.kind.as_str()), (0, "EditBox"));
    assert!((text3.left - 40.96).abs() < 0.01, "{text3:?}");
    assert!((text3.top - (792.0 - 767.5)).abs() < 0.01, "{text3:?}");
    assert!((text3.width - 225.5).abs() < 0.01 && (text3.height - 22.0).abs() < 0.01);
    assert!(
        form_fields(&with_pages(1, 10.0, 10.0), "")
            .unwrap()
            .is_empty()
    );

    // A checkbox (checked), a nested field with a value, a rotated page, and a field cycle.
    let form = assemble(&[
        b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [4 0 R 5 0 R 7 0 R] >> >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Rotate 90 /Annots [4 0 R 6 0 R] >>".to_vec(),
        b"<< /Type /Annot /Subtype /Widget /FT /Btn /T (agree) /V /Yes /Rect [10 20 30 40] /P 3 0 R >>".to_vec(),
        b"<< /T (person) /FT /Tx /Kids [6 0 R] >>".to_vec(),
        b"<< /Type /Annot /Subtype /Widget /T (name) /Parent 5 0 R /V <FEFF00C90076006100>  /Rect [0 0 50 10] >>".to_vec(),
        b"<< /T (loop) /Kids [7 0 R] >>".to_vec(),
    ]);
    let fields = form_fields(&form, "").unwrap();
    let agree = fields.iter().find(|f| f.field_name == "agree").unwrap();
    assert_eq!(
        (agree.kind.as_str(), agree.value.as_str()),
        ("CheckBox", "Yes")
    );
    // Rotated 90°: the displayed page is 100 wide and 200 high; x maps to the vertical.
    assert_eq!(
        (agree.left, agree.top, agree.width, agree.height),
        (20.0, 10.0, 20.0, 20.0)
    );
    let name = fields
        .iter()
        .find(|f| f.field_name == "person.name")
        .unwrap();
    assert_eq!(
        (name.kind.as_str(), name.value.as_str()),
        ("EditBox", "Éva")
    );
}

#[test]
fn attachments_come_out_with_their_names() {
    let pdf = assemble(&[
        b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names [(a.txt) 4 0 R] >> >> >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] /Annots [6 0 R] >>".to_vec(),
        b"<< /Type /Filespec /F (a.txt) /UF (notes.txt) /EF << /F 5 0 R >> >>".to_vec(),
        stream("/Type /EmbeddedFile", b"hello attachments"),
        b"<< /Type /Annot /Subtype /FileAttachment /Rect [0 0 10 10] /FS 7 0 R >>".to_vec(),
        b"<< /Type /Filespec /F (data.csv) /EF << /F 8 0 R >> >>".to_vec(),
        stream("/Type /EmbeddedFile", b"a,b\n1,2\n"),
    ]);
    let files = attachments(&pdf, "", 1 << 20).unwrap();
    let got: Vec<(&str, &[u8])> = files
        .iter()
        .map(|f| (f.name.as_str(), &f.data[..]))
        .collect();
    assert_eq!(
        got,
        vec![
            ("notes.txt", &b"hello attachments"[..]),
            ("data.csv", &b"a,b\n1,2\n"[..])
        ]
    );
    assert!(
        attachments(&with_pages(1, 10.0, 10.0), "", 1 << 20)
            .unwrap()
            .is_empty()
    );
    assert!(attachments(&pdf, "", 10).is_err(), "over the size bound");
}

fn page_texts(pdf: &[u8]) -> Vec<String> {
    let doc = Document::open(pdf.to_vec(), "", &Limits::default()).unwrap();
    (0..doc.page_count())
        .map(|i| doc.page_text_and_warnings(i).unwrap().0)
        .collect()
}

const TABLE: folio_pdf::TableLimits = folio_pdf::TableLimits {
    max_cells: 100_000,
    max_pages: 100,
};

/// Latin, Greek and Cyrillic cells come back as text; the header repeats on every page; a
/// multi-line cell wraps; a wide table turns the page.
#[test]
fn csv_tables_become_searchable_pages() {
    let mut csv = String::from("Name;City;Note\n");
    for i in 0..120 {
        csv.push_str(&format!("Åsa {i};Αθήνα;\"Москва\nline two {i}\"\n"));
    }
    let rows = folio_pdf::read_table(csv.as_bytes(), 0, TABLE).unwrap();
    assert_eq!(rows.len(), 121);
    assert_eq!(rows[1], ["Åsa 0", "Αθήνα", "Москва\nline two 0"]);
    let out = folio_pdf::table_to_pdf(&rows, TABLE).unwrap();
    assert!(out.page_count >= 3, "{} pages", out.page_count);
    qpdf_check(&out.pdf);
    let texts = page_texts(&out.pdf);
    for text in &texts {
        assert!(
            text.contains("Name") && text.contains("City"),
            "header on every page: {text}"
        );
    }
    let all = texts.concat();
    for needle in ["Åsa 119", "Αθήνα", "Москва", "line two 57"] {
        assert!(all.contains(needle), "{needle} missing");
    }
    let (size, _) = page_look(&out.pdf, 0, 0.5);
    assert_eq!(size, (595.0, 842.0), "portrait A4");

    let wide: Vec<Vec<String>> = vec![(0..12).map(|i| format!("column number {i} here")).collect()];
    let out = folio_pdf::table_to_pdf(&wide, TABLE).unwrap();
    assert_eq!(page_look(&out.pdf, 0, 0.5).0, (842.0, 595.0), "landscape");
}

#[test]
fn spreadsheets_are_read_by_sheet() {
    let mut book = rust_xlsxwriter::Workbook::new();
    let first = book.add_worksheet();
    first.write_string(0, 0, "first sheet").unwrap();
    let second = book.add_worksheet();
    second.write_string(0, 0, "Item").unwrap();
    second.write_string(0, 1, "Price").unwrap();
    second.write_string(1, 0, "Ψωμί").unwrap();
    second.write_number(1, 1, 2.5).unwrap();
    let xlsx = book.save_to_buffer().unwrap();
    let rows = folio_pdf::read_table(&xlsx, 1, TABLE).unwrap();
    assert_eq!(rows, vec![vec!["Item", "Price"], vec!["Ψωμί", "2.5"]]);
    let out = folio_pdf::table_to_pdf(&rows, TABLE).unwrap();
    assert!(page_texts(&out.pdf)[0].contains("Ψωμί"));
    let e = folio_pdf::read_table(&xlsx, 5, TABLE).unwrap_err();
    assert!(e.to_string().contains("2 sheet"), "{e}");
}

/// A million rows is refused at the cell limit, quickly; an empty table too.
#[test]
fn oversized_or_empty_tables_are_refused() {
    let huge = "1,2\n".repeat(1_000_000);
    let started = std::time::Instant::now();
    let e = folio_pdf::read_table(huge.as_bytes(), 0, TABLE).unwrap_err();
    assert!(e.to_string().contains("cells"), "{e}");
    assert!(started.elapsed().as_secs() < 10);
    let e = folio_pdf::table_to_pdf(&[], TABLE).unwrap_err();
    assert_eq!(e.code(), 400);
    let few_pages = folio_pdf::TableLimits {
        max_cells: 100_000,
        max_pages: 2,
    };
    let rows: Vec<Vec<String>> = (0..500).map(|i| vec![i.to_string()]).collect();
    assert!(folio_pdf::table_to_pdf(&rows, few_pages).is_err());
}

/// A file the renderer opens is not refused by the tools: for every corpus file (the malformed
/// ones included), rewriting it gives the page count the renderer sees, and the output passes
/// `qpdf --check`. Files lopdf cannot read go through hayro's parser instead.
#[test]
fn every_file_the_renderer_opens_the_tools_open() {
    let Some(corpus) = folio_testkit::corpus() else {
        folio_testkit::skipped_without("the tools over the corpus", "the corpus is absent");
        return;
    };
    let manifest = std::fs::read_to_string(corpus.join("MANIFEST.tsv")).unwrap();
    let mut failures = Vec::new();
    let mut checked = 0;
    for line in manifest.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        let (file, password) = (cols[0], cols[3]);
        let input = std::fs::read(corpus.join(file)).unwrap();
        let Ok(doc) = Document::open(input.clone(), password, &Limits::default()) else {
            continue;
        };
        checked += 1;
        match folio_pdf::unprotect(&input, password) {
            Ok(out) if out.page_count == doc.page_count() => qpdf_check(&out.pdf),
            Ok(out) => failures.push(format!(
                "{file}: {} pages, the renderer sees {}",
                out.page_count,
                doc.page_count()
            )),
            Err(e) => failures.push(format!("{file}: {e}")),
        }
    }
    println!("{checked} files the renderer opens, rewritten");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The page tree's object header mangled (`2 0 ojb`): lopdf finds no page, hayro (which scans
/// for objects as MuPDF does) finds both. The tools read the pages through hayro and write a
/// sound file.
#[test]
fn a_file_only_hayro_reads_is_rebuilt_from_its_pages() {
    let good = with_pages(2, 120.0, 80.0);
    let text = String::from_utf8_lossy(&good).replacen("2 0 obj", "2 0 ojb", 1);
    let broken = text.into_bytes();
    let lopdf_pages = lopdf::Document::load_mem(&broken).map_or(0, |d| d.page_iter().count());
    assert_eq!(lopdf_pages, 0, "lopdf must find no page in it");
    let doc = Document::open(broken.clone(), "", &Limits::default()).unwrap();
    assert_eq!(doc.page_count(), 2);
    let out = folio_pdf::unprotect(&broken, "").unwrap();
    assert_eq!(out.page_count, 2);
    qpdf_check(&out.pdf);
    let render = |pdf: &[u8]| {
        let limits = Limits::default();
        Document::open(pdf.to_vec(), "", &limits)
            .unwrap()
            .render_page(1, Resolution::Dpi(40.0), ColorMode::Gray, &limits)
            .unwrap()
            .pixels
    };
    assert!(
        render(&out.pdf) == render(&good),
        "the rebuilt page draws the same"
    );
}

/// Lossy work only when asked: a 1200 × 1200 RGB image drawn on a 100-point page is scaled to
/// what 120 DPI needs and re-encoded as JPEG; the page still looks the same at a glance.
#[test]
fn lossy_optimize_resamples_and_reencodes_images_when_asked() {
    let (w, h) = (1200u32, 1200u32);
    let mut samples = Vec::with_capacity((w * h * 3) as usize);
    for y in 0..h {
        for x in 0..w {
            samples.extend([(x % 256) as u8, (y % 256) as u8, ((x * y) % 251) as u8]);
        }
    }
    let image = stream(
        &format!(
            "/Type /XObject /Subtype /Image /Width {w} /Height {h} /ColorSpace /DeviceRGB /BitsPerComponent 8"
        ),
        &samples,
    );
    let input = assemble(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] /Resources << /XObject << /I 5 0 R >> >> /Contents 4 0 R >>".to_vec(),
        stream("", b"q 100 0 0 100 0 0 cm /I Do Q"),
        image,
    ]);
    let lossless = optimize(&input, "", &Lossy::default()).unwrap();
    let lossy = folio_pdf::Lossy {
        format: Some(folio_pdf::ImageFormat::Jpeg),
        jpeg_quality: 50,
        resample_dpi: Some(120),
    };
    let out = optimize(&input, "", &lossy).unwrap();
    qpdf_check(&out.written.pdf);
    assert!(
        out.written.pdf.len() * 10 < lossless.written.pdf.len(),
        "lossy {} vs lossless {}",
        out.written.pdf.len(),
        lossless.written.pdf.len()
    );
    let doc = lopdf::Document::load_mem(&out.written.pdf).unwrap();
    let img = doc
        .objects
        .values()
        .find_map(|o| match o {
            lopdf::Object::Stream(s) if s.dict.has(b"Width") => Some(s.dict.clone()),
            _ => None,
        })
        .unwrap();
    assert_eq!(img.get(b"Width").unwrap().as_i64().unwrap(), 167);
    assert_eq!(img.get(b"Filter").unwrap().as_name().unwrap(), b"DCTDecode");
    let mean = |pdf: &[u8]| {
        let (_, c) = page_look(pdf, 0, 0.5);
        c.iter().map(|&v| f32::from(v)).sum::<f32>() / 3.0
    };
    assert!((mean(&out.written.pdf) - mean(&input)).abs() < 40.0);
}
