//! Saying what a page could not draw: a character whose font has no glyph for it leaves a gap
//! on the page, and the person who asked for the image must hear of it.
//!
//! The engine reports each such character of a non-embedded font as it goes (a warning with no
//! details, so that the common case costs nothing). Only for a page that had some does
//! [`missing_glyphs`] interpret the page once more, counting the characters per font, to say
//! which fonts and why.

use std::collections::BTreeMap;

use hayro::hayro_interpret::font::{Glyph, GlyphId};
use hayro::hayro_interpret::{InterpreterCache, InterpreterSettings};
use hayro::hayro_syntax::page::Page;

use crate::fonts::{FontWatch, Script};
use crate::text::for_each_glyph_run;

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
    // Per font (`None`: a font whose data the engine does not expose, the Type 1 standard fonts
    // that stand in for non-embedded simple fonts among them).
    let mut counts: BTreeMap<Option<String>, usize> = BTreeMap::new();
    for_each_glyph_run(page, cache, settings.clone(), |run, _| {
        for g in run.glyphs() {
            if let Glyph::Outline(o) = &**g
                && o.glyph_id() == GlyphId::NOTDEF
            {
                let name = o.font_data().and_then(|d| d.postscript_name);
                *counts.entry(name).or_default() += 1;
            }
        }
    });
    watch.take_missing();
    let plural = |n: usize| if n == 1 { "glyph" } else { "glyphs" };
    counts
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
