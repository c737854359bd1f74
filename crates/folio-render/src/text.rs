//! Page → text, with the same engine that renders: hayro interprets the page and hands every
//! glyph run to a [`Device`]; this one keeps each glyph's Unicode text and position and then
//! rebuilds reading order (lines top to bottom, glyphs left to right, spaces where gaps are).
//!
//! Using the renderer's interpreter means text extraction copes with the same damaged and
//! hostile input, and sees the page as it is displayed (rotation, forms, optional content).

use hayro::hayro_interpret::font::GlyphRun;
use hayro::hayro_interpret::hayro_cmap::BfString;
use hayro::hayro_interpret::util::TransformExt;
use hayro::hayro_interpret::{
    BlendMode, ClipPath, Context, Device, DrawMode, DrawProps, Image, ImageDrawProps,
    InterpreterCache, InterpreterSettings, SoftMask, interpret_page,
};
use hayro::hayro_syntax::page::Page;
use hayro::kurbo::{Affine, BezPath, Point, Rect};

use crate::fonts::FontWatch;
use crate::{Document, Error};

/// Glyph space of hayro's glyph transforms: 1000 units per em.
const UNITS_PER_EM: f64 = 1000.0;

/// Line separator of the output: PDF.co's text answers use CRLF.
pub const LINE_BREAK: &str = "\r\n";

/// One glyph on the displayed page, in points with y growing downwards.
#[derive(Debug, Clone)]
struct Glyph {
    origin: Point,
    /// Where the next glyph would start without extra spacing.
    end: Point,
    /// Font size on the page (height of an em), for the line and space thresholds.
    size: f64,
    text: String,
}

impl Glyph {
    /// Writing direction on the page in quarter turns clockwise (0 = left to right).
    fn quarter_turns(&self) -> u8 {
        let d = self.end - self.origin;
        let angle = d.y.atan2(d.x).to_degrees().rem_euclid(360.0);
        (((angle + 45.0) / 90.0) as u8) % 4
    }
}

/// Hands each glyph run of a page to a closure and ignores everything else the page draws.
struct GlyphRuns<F>(F);

impl<'a, F: FnMut(&GlyphRun<'_, 'a>, &DrawProps<'a>)> Device<'a> for GlyphRuns<F> {
    fn draw_path(&mut self, _: &BezPath, _: DrawProps<'a>, _: &DrawMode) {}
    fn push_clip_path(&mut self, _: &ClipPath) {}
    fn push_transparency_group(&mut self, _: f32, _: Option<SoftMask<'a>>, _: BlendMode) {}
    fn draw_image(&mut self, _: Image<'a, '_>, _: ImageDrawProps<'a>) {}
    fn pop_clip(&mut self) {}
    fn pop_transparency_group(&mut self) {}

    fn draw_glyph_run(&mut self, run: &GlyphRun<'_, 'a>, props: DrawProps<'a>, _: &DrawMode) {
        (self.0)(run, &props)
    }
}

/// Interpret `page` as displayed (rotation and crop applied, points, y down) and call `on_run`
/// for each glyph run: the one road of text extraction and of the missing-glyph count.
pub(crate) fn for_each_glyph_run<'a>(
    page: &Page<'a>,
    cache: &InterpreterCache<'a>,
    settings: InterpreterSettings,
    on_run: impl FnMut(&GlyphRun<'_, 'a>, &DrawProps<'a>),
) {
    let (w, h) = page.render_dimensions();
    let mut ctx = Context::new(
        page.initial_transform(true).to_kurbo(),
        Rect::new(0.0, 0.0, w as f64, h as f64),
        cache,
        page.xref(),
        settings,
    );
    interpret_page(page, &mut ctx, &mut GlyphRuns(on_run));
}

/// The glyphs of a page with their text and positions.
#[derive(Default)]
struct TextCollector {
    glyphs: Vec<Glyph>,
    /// Glyphs without Unicode text, per font name (`None`: the font has no name).
    no_unicode: std::collections::BTreeMap<Option<String>, usize>,
}

impl TextCollector {
    /// Fill-and-stroke text arrives twice; [`reading_order`] drops the copy. Invisible text (an
    /// OCR layer) is kept.
    fn add_run(&mut self, run: &GlyphRun<'_, '_>, props: &DrawProps<'_>) {
        for g in run.glyphs() {
            let Some(text) = g.as_unicode().map(|u| match u {
                BfString::Char(c) => c.to_string(),
                BfString::String(s) => s,
            }) else {
                let name = match &**g {
                    hayro::hayro_interpret::font::Glyph::Outline(o) => {
                        o.font_data().and_then(|d| d.postscript_name)
                    }
                    hayro::hayro_interpret::font::Glyph::Type3(_) => None,
                };
                *self.no_unicode.entry(name).or_default() += 1;
                continue;
            };
            let t = props.transform * g.transform();
            let origin = t * Point::ZERO;
            let size = (t * Point::new(0.0, UNITS_PER_EM) - origin).hypot();
            let advance = match &**g {
                hayro::hayro_interpret::font::Glyph::Outline(o) => o.advance_width(),
                hayro::hayro_interpret::font::Glyph::Type3(t3) => t3.advance_width(),
            }
            .map(f64::from)
            .unwrap_or(UNITS_PER_EM / 2.0);
            let end = t * Point::new(advance, 0.0);
            if !(origin.x.is_finite() && origin.y.is_finite() && size.is_finite()) {
                continue;
            }
            self.glyphs.push(Glyph {
                origin,
                end,
                size: size.max(0.1),
                text,
            });
        }
    }
}

/// Hostile pages can show millions of glyphs; past this many a page's text is cut.
const MAX_GLYPHS_PER_PAGE: usize = 2_000_000;

impl Document {
    /// The text of page `index` (0-based) in reading order, lines separated by [`LINE_BREAK`].
    ///
    /// An engine panic on the page becomes [`Error::PageFailed`] for this page.
    pub fn page_text(&self, index: usize) -> Result<String, Error> {
        self.page_text_and_warnings(index).map(|(text, _)| text)
    }

    /// [`Document::page_text`], and what it could not read: "page N: 12 glyphs of font X have
    /// no Unicode mapping …" for glyphs whose font does not say which characters they are.
    pub fn page_text_and_warnings(&self, index: usize) -> Result<(String, Vec<String>), Error> {
        let count = self.page_count();
        if index >= count {
            return Err(Error::PageOutOfRange {
                page: index.to_string(),
                page_count: count,
                first: 0,
            });
        }
        let page = &self.pdf().pages()[index];
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let watch = std::sync::Arc::new(FontWatch::default());
            let mut collector = TextCollector::default();
            for_each_glyph_run(
                page,
                &InterpreterCache::default(),
                watch.settings(),
                |run, props| collector.add_run(run, props),
            );
            collector.glyphs.truncate(MAX_GLYPHS_PER_PAGE);
            let warnings = collector
                .no_unicode
                .into_iter()
                .map(|(name, n)| {
                    let font = name.map_or_else(|| "an unnamed font".into(), |n| format!("font {n}"));
                    format!(
                        "{n} glyph{} of {font} have no Unicode mapping: their text is missing from the output",
                        if n == 1 { "" } else { "s" }
                    )
                })
                .collect();
            (
                reading_order(collector.glyphs),
                crate::convert::page_warnings(index, warnings),
            )
        }))
        .map_err(|panic| crate::convert::engine_failure(index, &panic))
    }
}

/// Rotate the page so that its most common writing direction runs left to right (text on a
/// `/Rotate`d page, or set sideways, reads as its author wrote it), then: lines top to bottom
/// (a glyph joins a line when its baseline is within 40 % of its size of the line's first
/// baseline), glyphs left to right, a space where the gap to the previous glyph exceeds 15 % of
/// the font size.
fn reading_order(mut glyphs: Vec<Glyph>) -> String {
    let mut turns = [0usize; 4];
    glyphs
        .iter()
        .for_each(|g| turns[g.quarter_turns() as usize] += 1);
    let dominant = (0..4).max_by_key(|&q| (turns[q], 4 - q)).unwrap_or(0);
    let upright = Affine::rotate(-(dominant as f64) * std::f64::consts::FRAC_PI_2);
    for g in &mut glyphs {
        g.origin = upright * g.origin;
        g.end = upright * g.end;
        g.end.x = g.end.x.max(g.origin.x);
    }
    glyphs.sort_by(|a, b| {
        a.origin
            .y
            .total_cmp(&b.origin.y)
            .then(a.origin.x.total_cmp(&b.origin.x))
    });
    let mut lines: Vec<Vec<Glyph>> = Vec::new();
    let mut baseline = f64::NEG_INFINITY;
    for g in glyphs {
        match lines.last_mut() {
            Some(line) if (g.origin.y - baseline).abs() <= 0.4 * g.size => line.push(g),
            _ => {
                baseline = g.origin.y;
                lines.push(vec![g]);
            }
        }
    }
    let mut out = String::new();
    for (i, mut line) in lines.into_iter().enumerate() {
        if i > 0 {
            out.push_str(LINE_BREAK);
        }
        line.sort_by(|a, b| a.origin.x.total_cmp(&b.origin.x));
        let mut prev: Option<&Glyph> = None;
        for g in &line {
            if let Some(p) = prev {
                let duplicate = p.text == g.text && (g.origin - p.origin).hypot() < 0.1 * g.size;
                if duplicate {
                    continue;
                }
                let gap = g.origin.x - p.end.x;
                if gap > 0.15 * g.size.min(p.size)
                    && !out.ends_with(' ')
                    && !g.text.starts_with(' ')
                {
                    out.push(' ');
                }
            }
            out.push_str(&g.text);
            prev = Some(g);
        }
        let kept = out.trim_end_matches(' ').len();
        out.truncate(kept);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glyph(x: f64, y: f64, text: &str) -> Glyph {
        Glyph {
            origin: Point::new(x, y),
            end: Point::new(x + 6.0, y),
            size: 12.0,
            text: text.into(),
        }
    }

    #[test]
    fn lines_sort_top_down_and_gaps_become_spaces() {
        let glyphs = vec![
            glyph(30.0, 200.0, "c"),
            glyph(0.0, 100.5, "a"),
            glyph(6.0, 100.0, "b"),
            glyph(0.0, 200.0, "x"),
            glyph(6.0, 100.0, "b"),
        ];
        assert_eq!(reading_order(glyphs), "ab\r\nx c");
        assert_eq!(reading_order(Vec::new()), "");
    }
}
