//! Saying what a page could not draw: a character whose font has no glyph for it leaves a gap
//! on the page, and the person who asked for the image must hear of it.
//!
//! The engine reports each such character of a non-embedded font as it goes (a warning with no
//! details, so that the common case costs nothing). Only for a page that had some does [`missing_glyphs`] interpret
//! the page once more, counting the characters per font, to say which fonts and why.

use hayro::hayro_interpret::font::{Glyph, GlyphId, GlyphRun};
use hayro::hayro_interpret::util::TransformExt;
use hayro::hayro_interpret::{
    BlendMode, ClipPath, Context, Device, DrawMode, DrawProps, Image, ImageDrawProps,
    InterpreterCache, InterpreterSettings, SoftMask, interpret_page,
};
use hayro::hayro_syntax::page::Page;
use hayro::kurbo::{BezPath, Rect};
use std::collections::BTreeMap;

use crate::fonts::{FontWatch, Script};

/// Counts `.notdef` glyphs per font (`None`: a font whose data the engine does not expose, the
/// Type 1 standard fonts that stand in for non-embedded simple fonts among them).
#[derive(Default)]
struct NotdefCounter {
    counts: BTreeMap<Option<String>, usize>,
}

impl<'a> Device<'a> for NotdefCounter {
    fn draw_path(&mut self, _: &BezPath, _: DrawProps<'a>, _: &DrawMode) {}
    fn push_clip_path(&mut self, _: &ClipPath) {}
    fn push_transparency_group(&mut self, _: f32, _: Option<SoftMask<'a>>, _: BlendMode) {}
    fn draw_image(&mut self, _: Image<'a, '_>, _: ImageDrawProps<'a>) {}
    fn pop_clip(&mut self) {}
    fn pop_transparency_group(&mut self) {}

    fn draw_glyph_run(&mut self, run: &GlyphRun<'_, 'a>, _: DrawProps<'a>, _: &DrawMode) {
        for g in run.glyphs() {
            if let Glyph::Outline(o) = &**g
                && o.glyph_id() == GlyphId::NOTDEF
            {
                let name = o.font_data().and_then(|d| d.postscript_name);
                *self.counts.entry(name).or_default() += 1;
            }
        }
    }
}

fn script_label(s: Script) -> &'static str {
    match s {
        Script::Latin => "Latin, Greek and Cyrillic",
        Script::Japanese => "Japanese",
        Script::ChineseSimplified => "simplified Chinese",
        Script::ChineseTraditional => "traditional Chinese",
        Script::Korean => "Korean",
        Script::Arabic => "Arabic",
        Script::Hebrew => "Hebrew",
        Script::Thai => "Thai",
    }
}

/// Warnings for the glyphs of `page` that non-embedded fonts could not draw, one per font
/// ("5 glyphs of font MS-Mincho not drawn: …"). Glyphs missing from fonts the PDF embeds are
/// not reported: every viewer draws nothing for them, so nothing is lost by us.
pub(crate) fn missing_glyphs<'a>(
    page: &Page<'a>,
    cache: &InterpreterCache<'a>,
    settings: &InterpreterSettings,
    watch: &FontWatch,
) -> Vec<String> {
    let (w, h) = page.render_dimensions();
    let mut ctx = Context::new(
        page.initial_transform(true).to_kurbo(),
        Rect::new(0.0, 0.0, w as f64, h as f64),
        cache,
        page.xref(),
        settings.clone(),
    );
    let mut counter = NotdefCounter::default();
    interpret_page(page, &mut ctx, &mut counter);
    watch.take_missing();
    let plural = |n: usize| if n == 1 { "glyph" } else { "glyphs" };
    counter
        .counts
        .into_iter()
        .filter_map(|(name, n)| match name {
            Some(name) => {
                let sub = watch.substitute(&name)?;
                let script = script_label(sub.want.script);
                Some(match sub.family {
                    None => format!(
                        "{n} {} of font {name} not drawn: the PDF does not embed it and no installed font covers {script} (install {}, or add a font with --font-dir)",
                        plural(n),
                        sub.want.script.package()
                    ),
                    Some(family) => format!(
                        "{n} {} of font {name} not drawn: the PDF does not embed it and its substitute {family} lacks them (add a font that has them with --font-dir)",
                        plural(n)
                    ),
                })
            }
            None => watch.standard_used().then(|| {
                format!(
                    "{n} {} not drawn: their font is not embedded and the standard font that stands in for it lacks them",
                    plural(n)
                )
            }),
        })
        .collect()
}
