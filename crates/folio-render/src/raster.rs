//! Page → pixels: one [`Rasterizer`] per worker thread, and colour conversion of its output.

use std::sync::Arc;

use hayro::hayro_interpret::util::TransformExt;
use hayro::hayro_interpret::{InterpreterCache, InterpreterSettings};
use hayro::hayro_syntax::page::Page;
use hayro::kurbo::Affine;
use hayro::vello_cpu::color::palette::css::WHITE;
use hayro::vello_cpu::{Pixmap, RasterizerSettings, RenderContext, Resources, TargetInit};
use hayro::{RenderCache, RenderSettings};

use crate::fonts::FontWatch;

/// Colour of the output images.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum ColorMode {
    /// 24-bit colour. PNG pages without any colour are still written as 8-bit grey, losslessly.
    #[default]
    Rgb,
    /// 8-bit grey (ITU-R BT.601 luma).
    Gray,
    /// 1-bit black and white, thresholded per page with Otsu's method.
    Bw,
}

/// Pixels of one page after colour conversion, rows top to bottom, no padding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pixels {
    Rgb(Vec<u8>),
    Gray(Vec<u8>),
    /// One byte per pixel, each 0 (black) or 255 (white).
    Bilevel(Vec<u8>),
}

/// One rendered page before encoding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Raster {
    pub width: u32,
    pub height: u32,
    pub pixels: Pixels,
    /// What could not be drawn ("5 glyphs of font MS-Mincho not drawn: …"), empty for most pages.
    pub warnings: Vec<String>,
}

/// The per-thread rendering state. The engine's caches use `Rc`, so each worker owns one and
/// reuses it (and its pixel buffers) for every page it renders of the same document.
pub struct Rasterizer<'a> {
    cache: RenderCache<'a>,
    ctx: RenderContext,
    pixmap: Pixmap,
    resources: Resources,
    settings: InterpreterSettings,
    watch: Arc<FontWatch>,
    /// For the second look at a page that had missing glyphs (see `missing.rs`).
    watch_cache: InterpreterCache<'a>,
}

impl<'a> Rasterizer<'a> {
    pub fn new() -> Self {
        // Parallelism comes from rendering several pages at once, not from splitting one page.
        let settings = hayro::vello_cpu::RenderSettings {
            num_threads: 0,
            ..Default::default()
        };
        let watch = Arc::new(FontWatch::default());
        Self {
            cache: RenderCache::new(),
            ctx: RenderContext::new_with(1, 1, settings),
            pixmap: Pixmap::new(1, 1),
            resources: Resources::default(),
            settings: watch.settings(),
            watch,
            watch_cache: InterpreterCache::default(),
        }
    }

    /// Render `page` onto a white `width` × `height` canvas (sizes already checked against limits
    /// and the u16 range of the rasteriser) and convert it to `color`.
    pub fn render(
        &mut self,
        page: &'a Page<'a>,
        width: u32,
        height: u32,
        color: ColorMode,
    ) -> Raster {
        let (w16, h16) = (width as u16, height as u16);
        self.ctx.reset_and_resize(w16, h16);
        self.pixmap.resize(w16, h16);
        let (pw, ph) = page.render_dimensions();
        let transform =
            Affine::scale_non_uniform(width as f64 / pw as f64, height as f64 / ph as f64)
                * page.initial_transform(true).to_kurbo();
        hayro::render_into(
            page,
            &self.cache,
            &self.settings,
            &RenderSettings::default(),
            &mut self.ctx,
            transform,
        );
        self.ctx.flush();
        let warnings = match self.watch.take_missing() {
            0 => Vec::new(),
            _ => {
                crate::missing::missing_glyphs(page, &self.watch_cache, &self.settings, &self.watch)
            }
        };
        self.ctx.render_with(
            &mut self.pixmap,
            &mut self.resources,
            RasterizerSettings {
                target_init: TargetInit::Clear(WHITE),
                ..Default::default()
            },
        );
        // The canvas starts opaque white and compositing keeps it opaque, so the premultiplied
        // RGBA is plain RGB plus a constant alpha byte to drop.
        let rgba = self.pixmap.data_as_u8_slice();
        let pixels = match color {
            ColorMode::Rgb => Pixels::Rgb(rgba_to_rgb(rgba)),
            ColorMode::Gray => Pixels::Gray(rgba_to_gray(rgba)),
            ColorMode::Bw => {
                let mut gray = rgba_to_gray(rgba);
                let t = otsu_threshold(&gray);
                gray.iter_mut()
                    .for_each(|p| *p = if *p > t { 255 } else { 0 });
                Pixels::Bilevel(gray)
            }
        };
        Raster {
            width,
            height,
            pixels,
            warnings,
        }
    }
}

fn rgba_to_rgb(rgba: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(rgba.len() / 4 * 3);
    for px in rgba.chunks_exact(4) {
        out.extend_from_slice(&px[..3]);
    }
    out
}

/// BT.601 luma in 8.8 fixed point (77 + 150 + 29 = 256), the weights every viewer uses for grey.
fn rgba_to_gray(rgba: &[u8]) -> Vec<u8> {
    rgba.chunks_exact(4)
        .map(|p| ((p[0] as u32 * 77 + p[1] as u32 * 150 + p[2] as u32 * 29 + 128) >> 8) as u8)
        .collect()
}

/// Otsu's threshold: the grey level that maximises the between-class variance of the histogram.
/// Pixels above it become white. A page of one flat colour keeps it (threshold just below it).
pub(crate) fn otsu_threshold(gray: &[u8]) -> u8 {
    let mut hist = [0u64; 256];
    gray.iter().for_each(|&p| hist[p as usize] += 1);
    let total = gray.len() as f64;
    let sum_all: f64 = hist
        .iter()
        .enumerate()
        .map(|(i, &n)| i as f64 * n as f64)
        .sum();
    let (mut w_bg, mut sum_bg) = (0.0f64, 0.0f64);
    let (mut best_t, mut best_var) = (127u8, -1.0f64);
    for (t, &n) in hist.iter().enumerate() {
        w_bg += n as f64;
        if w_bg == 0.0 {
            continue;
        }
        let w_fg = total - w_bg;
        if w_fg == 0.0 {
            break;
        }
        sum_bg += t as f64 * n as f64;
        let m_bg = sum_bg / w_bg;
        let m_fg = (sum_all - sum_bg) / w_fg;
        let var = w_bg * w_fg * (m_bg - m_fg) * (m_bg - m_fg);
        if var > best_var {
            best_var = var;
            best_t = t as u8;
        }
    }
    if best_var < 0.0 {
        // A single grey level: white stays white, anything darker than mid-grey turns black.
        return 127;
    }
    best_t
}

/// True when every pixel of an RGB buffer has r = g = b.
pub(crate) fn is_gray(rgb: &[u8]) -> bool {
    rgb.chunks_exact(3).all(|p| p[0] == p[1] && p[1] == p[2])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn otsu_splits_two_populations() {
        let mut img = vec![30u8; 1000];
        img.extend(vec![220u8; 3000]);
        let t = otsu_threshold(&img);
        assert!((30..220).contains(&t), "{t}");
    }

    #[test]
    fn otsu_on_flat_images() {
        assert_eq!(otsu_threshold(&[255; 100]), 127);
        assert_eq!(otsu_threshold(&[0; 100]), 127);
    }

    #[test]
    fn gray_weights() {
        assert_eq!(
            rgba_to_gray(&[255, 255, 255, 255, 0, 0, 0, 255, 255, 0, 0, 255]),
            vec![255, 0, 77]
        );
        assert!(is_gray(&[1, 1, 1, 9, 9, 9]));
        assert!(!is_gray(&[1, 1, 2]));
    }
}
