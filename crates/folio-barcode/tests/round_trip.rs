//! Every symbology generated is read back with its value; values a symbology cannot hold are
//! refused with the reason.

use folio_barcode::{Correction, KINDS, Request, generate, image_luma, kind, read};

fn request(kind: &str, value: &str) -> Request {
    Request {
        kind: kind.into(),
        value: value.into(),
        correction: Correction::Medium,
        module: 3,
        angle: 0,
    }
}

fn sample(kind: &str) -> &'static str {
    match kind {
        "QRCode" => "https://example.com/folio?q=1",
        "DataMatrix" => "Folio 12345",
        "PDF417" => "PDF417 value",
        "Aztec" => "Aztec value",
        "Code128" => "FOLIO-128",
        "Code39" => "FOLIO39",
        "Code93" => "FOLIO93",
        "EAN13" => "5901234123457",
        "EAN8" => "96385074",
        "UPCA" => "036000291452",
        "UPCE" => "01234565",
        "ITF" => "12345678",
        "Codabar" => "A40156B",
        other => panic!("no sample for {other}"),
    }
}

fn read_png(png: &[u8]) -> Vec<folio_barcode::Found> {
    let (luma, w, h) = image_luma(png, 50_000_000).unwrap();
    read(luma, w, h, &[], 0, 1.0)
}

#[test]
fn every_symbology_reads_back_its_value() {
    let mut failures = Vec::new();
    for (name, format) in KINDS {
        let value = sample(name);
        let png = generate(&request(name, value), None).unwrap_or_else(|e| panic!("{name}: {e}"));
        let found = read_png(&png);
        let hit = found
            .iter()
            .find(|f| f.type_name == *name || kind(&f.type_name).ok() == Some(*format));
        match hit {
            Some(f)
                if f.value.trim_matches(|c| "ABCD".contains(c))
                    == value.trim_matches(|c| "ABCD".contains(c)) => {}
            other => failures.push(format!(
                "{name}: wrote {value:?}, read {other:?} (all: {found:?})"
            )),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_qr_code_reads_at_every_angle_and_with_a_logo() {
    for angle in [90, 180, 270] {
        let png = generate(
            &Request {
                angle,
                ..request("QRCode", "turned")
            },
            None,
        )
        .unwrap();
        let found = read_png(&png);
        assert_eq!(
            found.first().map(|f| f.value.as_str()),
            Some("turned"),
            "{angle}"
        );
    }
    let mut logo = Vec::new();
    {
        let mut e = png::Encoder::new(&mut logo, 8, 8);
        e.set_color(png::ColorType::Grayscale);
        let mut w = e.write_header().unwrap();
        w.write_image_data(&[0u8; 64]).unwrap();
    }
    let png = generate(&request("QRCode", "with a logo in the middle"), Some(&logo)).unwrap();
    let found = read_png(&png);
    assert_eq!(found[0].value, "with a logo in the middle");
    assert_eq!(found[0].type_name, "QRCode");
    assert_eq!(found[0].rect.split(' ').count(), 4);
}

#[test]
fn values_a_symbology_cannot_hold_are_refused() {
    for (kind, value) in [
        ("EAN13", "not digits"),
        ("EAN8", "123"),
        ("UPCA", "12ab"),
        ("ITF", "123x"),
    ] {
        let e = generate(&request(kind, value), None).unwrap_err();
        assert!(e.to_string().contains(kind), "{kind}: {e}");
    }
    assert!(
        generate(&request("Hexagon", "x"), None)
            .unwrap_err()
            .to_string()
            .contains("QRCode")
    );
    assert!(generate(&request("QRCode", ""), None).is_err());
    assert!(generate(&request("QRCode", &"9".repeat(9000)), None).is_err());
    assert!(generate(&request("Code128", "x"), Some(b"logo")).is_err());
    assert_eq!(kind("qr_code"), kind("QRCode"));
    assert!(read(vec![255; 100], 10, 10, &[], 0, 1.0).is_empty());
}
