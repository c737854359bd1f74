//! Tiny PDFs written from scratch for tests that need a document of a given shape, hostile ones
//! included. Compiled for this crate's tests and, with the `testpdf` feature, for other crates'.

/// Number the object bodies 1..=n (the catalog must be object 1) and add the xref and trailer.
pub fn assemble(objects: &[Vec<u8>]) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = vec![];
    for (i, obj) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n", i + 1).bytes());
        out.extend(obj);
        out.extend(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).bytes());
    for o in offsets {
        out.extend(format!("{o:010} 00000 n \n").bytes());
    }
    out.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .bytes(),
    );
    out
}

/// A stream object: `dict_extra` entries plus the right `/Length`.
pub fn stream(dict_extra: &str, data: &[u8]) -> Vec<u8> {
    let mut s = format!("<< {dict_extra} /Length {} >>\nstream\n", data.len()).into_bytes();
    s.extend_from_slice(data);
    s.extend_from_slice(b"\nendstream");
    s
}

/// A PDF with `pages` pages of `w` × `h` points, each drawing a grey square whose shade depends
/// on the page index (so pages can be told apart in output).
pub fn with_pages(pages: usize, w: f32, h: f32) -> Vec<u8> {
    let mut objects: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        Vec::new(), // the page tree, filled in below
    ];
    let mut kids = vec![];
    for i in 0..pages {
        let content = format!("{} g 10 10 50 50 re f", (i % 10) as f32 / 10.0);
        objects.push(stream("", content.as_bytes()));
        let content_id = objects.len();
        objects.push(
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {w} {h}] /Contents {content_id} 0 R >>"
            )
            .into_bytes(),
        );
        kids.push(format!("{} 0 R", objects.len()));
    }
    objects[1] = format!(
        "<< /Type /Pages /Kids [{}] /Count {pages} >>",
        kids.join(" ")
    )
    .into_bytes();
    assemble(&objects)
}

/// A one-page PDF drawing a `w` × `h` grey image whose Flate data is tiny (all zeros): the
/// decompression bomb the image limit exists for.
pub fn image_bomb(w: u32, h: u32) -> Vec<u8> {
    // An empty zlib stream is enough: the limit is checked before any decoding.
    let zlib: &[u8] = &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01];
    assemble(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] /Resources << /XObject << /Im0 5 0 R >> >> /Contents 4 0 R >>".to_vec(),
        stream("", b"q 100 0 0 100 0 0 cm /Im0 Do Q"),
        stream(
            &format!("/Type /XObject /Subtype /Image /Width {w} /Height {h} /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode"),
            zlib,
        ),
    ])
}

/// A one-page 200 × 200 pt PDF: `page_extra` goes into the page dictionary, `content` is the page
/// content stream (object 4), `extra` objects follow as 5, 6, …
pub fn one_page(page_extra: &str, content: &[u8], extra: Vec<Vec<u8>>) -> Vec<u8> {
    let mut objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R {page_extra} >>"
        )
        .into_bytes(),
        stream("", content),
    ];
    objects.extend(extra);
    assemble(&objects)
}

/// A "billion laughs" page: forms nested `depth` deep, each drawing the next `fanout` times,
/// the innermost filling the page. Two kilobytes that keep the engine busy for hours at 8 × 10.
pub fn nested_forms(depth: usize, fanout: usize) -> Vec<u8> {
    let forms = (0..depth)
        .map(|i| {
            if i + 1 < depth {
                stream(
                    &format!("/Type /XObject /Subtype /Form /BBox [0 0 200 200] /Resources << /XObject << /F {} 0 R >> >>", 6 + i),
                    vec!["/F Do"; fanout].join(" ").as_bytes(),
                )
            } else {
                stream("/Type /XObject /Subtype /Form /BBox [0 0 200 200]", b"0 0 200 200 re f")
            }
        })
        .collect();
    one_page("/Resources << /XObject << /F 5 0 R >> >>", b"/F Do", forms)
}

/// A 400 × 80 pt page showing `text` at 32 pt in a CID font the PDF does not embed: Type0,
/// Identity-H, one CID per character, a ToUnicode map, `/CIDSystemInfo` ordering `ordering`
/// (`Identity`, `Japan1`, `GB1`, `CNS1`, `Korea1`) and descriptor `flags` (2 = serif).
/// The renderer must find a substitute for `font_name` to draw anything.
pub fn non_embedded_text(font_name: &str, ordering: &str, flags: u32, text: &str) -> Vec<u8> {
    cid_text(font_name, ordering, flags, text, true)
}

/// [`non_embedded_text`] without the ToUnicode map, in an `Identity` font: the glyphs are drawn
/// by CID, but nothing says which characters they are.
pub fn text_without_unicode(font_name: &str, glyphs: usize) -> Vec<u8> {
    cid_text(font_name, "Identity", 0, &"x".repeat(glyphs), false)
}

fn cid_text(font_name: &str, ordering: &str, flags: u32, text: &str, to_unicode: bool) -> Vec<u8> {
    let chars: Vec<char> = text.chars().collect();
    let cids: String = (1..=chars.len()).map(|i| format!("{i:04X}")).collect();
    let content = format!("BT /F1 32 Tf 10 30 Td <{cids}> Tj ET");
    let mut map = String::new();
    for (i, c) in chars.iter().enumerate() {
        let mut utf16 = [0u16; 2];
        let units: String = c
            .encode_utf16(&mut utf16)
            .iter()
            .map(|u| format!("{u:04X}"))
            .collect();
        map.push_str(&format!("<{:04X}> <{units}>\n", i + 1));
    }
    let cmap = format!(
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n\
         /CMapName /Folio-UCS def /CMapType 2 def\n\
         1 begincodespacerange <0000> <FFFF> endcodespacerange\n\
         {} beginbfchar\n{map}endbfchar\nendcmap CMapName currentdict /CMap defineresource pop end end",
        chars.len()
    );
    assemble(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 400 80] /Contents 4 0 R \
          /Resources << /Font << /F1 5 0 R >> >> >>"
            .to_vec(),
        stream("", content.as_bytes()),
        format!(
            "<< /Type /Font /Subtype /Type0 /BaseFont /{font_name} /Encoding /Identity-H \
             /DescendantFonts [6 0 R] {}>>",
            if to_unicode { "/ToUnicode 8 0 R " } else { "" }
        )
        .into_bytes(),
        format!(
            "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /{font_name} \
             /CIDSystemInfo << /Registry (Adobe) /Ordering ({ordering}) /Supplement 0 >> \
             /FontDescriptor 7 0 R /DW 1000 >>"
        )
        .into_bytes(),
        format!(
            "<< /Type /FontDescriptor /FontName /{font_name} /Flags {flags} \
             /FontBBox [0 -200 1000 900] /ItalicAngle 0 /Ascent 880 /Descent -120 \
             /CapHeight 700 /StemV 80 >>"
        )
        .into_bytes(),
        stream("", cmap.as_bytes()),
    ])
}
