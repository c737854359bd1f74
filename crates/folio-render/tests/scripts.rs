//! Text in fonts the PDF does not embed, in every script the font book covers: each must be
//! drawn with an installed substitute (Debian's fonts-noto-cjk and fonts-noto-core, which CI
//! installs), and what cannot be drawn must be reported, not dropped silently.

mod common;

use common::{decode_png_bytes, skipped_without};
use folio_render::testpdf::non_embedded_text;
use folio_render::{
    ColorMode, Document, Format, Limits, PageImage, RenderOptions, Resolution, convert,
};

/// Render page 0 as 8-bit grey PNG at 72 dpi; the decoded pixels and the warnings.
fn render(pdf: Vec<u8>) -> (Vec<u8>, Vec<String>) {
    let doc = Document::open(pdf, "", &Limits::default()).unwrap();
    let opts = RenderOptions {
        format: Format::Png,
        color: ColorMode::Gray,
        resolution: Resolution::Dpi(72.0),
        ..Default::default()
    };
    let mut page: Option<PageImage> = None;
    convert(&doc, &[0], &opts, &Limits::default(), |img| {
        page = Some(img?);
        Ok(())
    })
    .unwrap();
    let page = page.unwrap();
    let (gray, color, _, _) = decode_png_bytes(&page.data);
    assert_eq!(color, png::ColorType::Grayscale);
    (gray, page.warnings)
}

/// Pixels darker than mid-grey.
fn ink(gray: &[u8]) -> usize {
    gray.iter().filter(|&&p| p < 128).count()
}

/// The installed font files the cases need (Debian paths); without them the case is skipped,
/// loudly, except under CI, which installs them.
fn fonts_present(test: &str, files: &[&str]) -> bool {
    let missing: Vec<_> = files
        .iter()
        .filter(|f| !std::path::Path::new(f).exists())
        .collect();
    if missing.is_empty() {
        return true;
    }
    skipped_without(
        test,
        &format!(
            "fonts not installed ({missing:?}); apt-get install fonts-noto-cjk fonts-noto-core"
        ),
    );
    false
}

const CJK: &str = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";
const CJK_SERIF: &str = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc";
const CORE: &str = "/usr/share/fonts/truetype/noto";

#[test]
fn every_script_is_drawn_with_an_installed_substitute() {
    if !fonts_present(
        "every_script_is_drawn_with_an_installed_substitute",
        &[CJK, CJK_SERIF, CORE],
    ) {
        return;
    }
    let cases = [
        ("MS-Mincho", "Japan1", 2, "あいうえお漢字"),
        ("MS-Gothic", "Japan1", 0, "カタカナ日本語"),
        ("SimSun", "GB1", 2, "简体中文们国"),
        ("MingLiU", "CNS1", 2, "繁體中文們國"),
        ("Batang", "Korea1", 2, "한국어글자"),
        ("HYGoThic-Medium", "Identity", 0, "한글입니다"),
        ("TraditionalArabic", "Identity", 0, "مرحبا بالعالم"),
        ("David", "Identity", 2, "שלום עולם"),
        ("AngsanaNew", "Identity", 2, "สวัสดีชาวโลก"),
        ("Verdana", "Identity", 0, "Ωμέγα Жизнь"),
    ];
    for (font, ordering, flags, text) in cases {
        let (gray, warnings) = render(non_embedded_text(font, ordering, flags, text));
        let n = ink(&gray);
        assert!(
            warnings.is_empty(),
            "{font} ({text}): unexpected warnings {warnings:?}"
        );
        // 32 pt text at 72 dpi: even five thin glyphs leave hundreds of dark pixels.
        assert!(
            n > 300,
            "{font} ({text}): only {n} dark pixels, text missing"
        );
    }
}

#[test]
fn glyphs_no_font_has_are_reported() {
    // Private-use characters are in no installed font: nothing can be drawn for them.
    let (gray, warnings) = render(non_embedded_text(
        "FolioNoSuchFont",
        "Identity",
        0,
        "\u{e000}\u{e001}\u{e002}",
    ));
    assert_eq!(ink(&gray), 0, "nothing should be drawn");
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].starts_with("page 0: 3 glyphs of font FolioNoSuchFont not drawn"),
        "{warnings:?}"
    );
}

#[test]
fn text_of_substituted_fonts_reads_back() {
    let doc = Document::open(
        non_embedded_text("MS-Mincho", "Japan1", 2, "あいうえお"),
        "",
        &Limits::default(),
    )
    .unwrap();
    let (text, warnings) = doc.page_text_and_warnings(0).unwrap();
    assert_eq!(text, "あいうえお");
    assert!(warnings.is_empty(), "{warnings:?}");
}
