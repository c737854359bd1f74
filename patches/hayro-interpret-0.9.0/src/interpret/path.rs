use crate::context::{Context, path_as_rect};
use crate::device::Device;
use crate::util::{BezPathExt, Float32Ext, x_y_advances};
use crate::{BlendMode, DrawMode, FillRule, StrokeProps};
use kurbo::{BezPath, Cap, Join, PathEl, Vec2};

pub(crate) fn fill_path<'a>(
    context: &mut Context<'a>,
    device: &mut impl Device<'a>,
    fill_rule: FillRule,
) {
    fill_path_impl(context, device, fill_rule, None);
    end_path(context, device);
}

pub(crate) fn stroke_path<'a>(context: &mut Context<'a>, device: &mut impl Device<'a>) {
    stroke_path_impl(context, device, None);
    end_path(context, device);
}

pub(crate) fn fill_stroke_path<'a>(
    context: &mut Context<'a>,
    device: &mut impl Device<'a>,
    fill_rule: FillRule,
) {
    // ISO 32000-2:2020, 11.7.4.4: for transparency compositing purposes, the combined fill and
    // stroke shall be treated as a single graphics object, so with transparency involved the
    // stroke must not be composited on top of the fill where the two overlap.
    let compositing = context.compositing();
    let is_transparent = context.fill_paint().alpha < 1.0
        || context.stroke_paint().alpha < 1.0
        || compositing.soft_mask.is_some()
        || compositing.blend_mode != BlendMode::Normal;

    if is_transparent && context.ocg_state.is_visible() {
        let fill_props = context.draw_props(false);
        let stroke_draw_props = context.draw_props(true);
        let stroke_props = context.stroke_props().clone();
        let expanded = expand_degenerate_subpaths(context.path(), &stroke_props);
        let path = expanded.as_ref().unwrap_or(context.path());
        device.fill_and_stroke_path(
            path,
            fill_props,
            fill_rule,
            stroke_draw_props,
            &stroke_props,
        );
    } else {
        fill_path_impl(context, device, fill_rule, None);
        stroke_path_impl(context, device, None);
    }
    end_path(context, device);
}

pub(crate) fn end_path<'a>(context: &mut Context<'a>, device: &mut impl Device<'a>) {
    if let Some(clip) = context.clip_mut().take()
        && !context.path().elements().is_empty()
    {
        let clip_path = context.ctm() * context.path().clone();
        context.push_clip_path(clip_path, clip, device);
    }

    context.path_mut().truncate(0);
}

pub(crate) fn close_path(context: &mut Context<'_>) {
    // This is necessary to prevent artifacts (see for example issue 157),
    // but it does cause some weird lines (maybe conflation artifacts) in
    // pdftc_900k_0907.
    // A lone `m` followed by `h` is a single-point closed subpath, which is degenerate but not
    // empty (ISO 32000-2:2020, 8.5.3.2), so close it as well.
    if context
        .path()
        .elements()
        .last()
        .is_some_and(|el| *el != PathEl::ClosePath)
    {
        context.path_mut().close_path();

        *(context.last_point_mut()) = *context.sub_path_start();
    }
}

pub(crate) fn fill_path_impl<'a>(
    context: &mut Context<'a>,
    device: &mut impl Device<'a>,
    fill_rule: FillRule,
    path: Option<&BezPath>,
) {
    if !context.ocg_state.is_visible() {
        return;
    }

    let props = context.draw_props(false);

    let mut draw = |path: &BezPath| {
        // pdf.js issue 4260: Replace zero-sized paths with a small stroke instead.
        let bbox = path.fast_bounding_box();
        let (x_advance, y_advance) = x_y_advances(&props.transform);
        match (
            ((bbox.width() * x_advance.length()) as f32).is_nearly_zero(),
            ((bbox.height() * y_advance.length()) as f32).is_nearly_zero(),
        ) {
            (false, false) => {
                let draw_mode = DrawMode::Fill(fill_rule);
                if let Some(rect) = path_as_rect(path) {
                    device.draw_rect(&rect, props.clone(), &draw_mode);
                } else {
                    device.draw_path(path, props.clone(), &draw_mode);
                }
            }
            _ => {
                let mut path = BezPath::new();
                path.move_to((bbox.x0, bbox.y0));
                path.line_to((bbox.x1, bbox.y1));

                let scale = x_advance.length().max(y_advance.length()) as f32;
                let stroke_props = StrokeProps {
                    line_width: if scale > 0.0 { 1.0 / scale } else { 0.001 },
                    line_join: Join::Bevel,
                    line_cap: Cap::Butt,
                    ..Default::default()
                };

                device.draw_path(&path, props.clone(), &DrawMode::Stroke(stroke_props));
            }
        };
    };

    match path {
        None => draw(context.path()),
        Some(path) => draw(path),
    };
}

pub(crate) fn stroke_path_impl<'a>(
    context: &mut Context<'a>,
    device: &mut impl Device<'a>,
    path: Option<&BezPath>,
) {
    if !context.ocg_state.is_visible() {
        return;
    }

    let stroke_props = context.stroke_props().clone();
    let props = context.draw_props(true);

    let path = path.unwrap_or(context.path());
    let expanded = expand_degenerate_subpaths(path, &stroke_props);
    let path = expanded.as_ref().unwrap_or(path);
    let draw_mode = DrawMode::Stroke(stroke_props);

    if let Some(rect) = path_as_rect(path) {
        device.draw_rect(&rect, props, &draw_mode);
    } else {
        device.draw_path(path, props, &draw_mode);
    }
}

/// ISO 32000-2:2020, 8.5.3.2: a degenerate subpath (a single-point closed path, or two or more
/// points at the same coordinates) shall be stroked as a filled circle centred at that point if
/// round line caps are in effect (and produce no output otherwise). Stroke expansion drops such
/// zero-length subpaths, so replace each of them by a tiny line segment whose round caps form
/// that circle. Returns `None` if the path needs no change.
fn expand_degenerate_subpaths(path: &BezPath, stroke_props: &StrokeProps) -> Option<BezPath> {
    if stroke_props.line_cap != Cap::Round {
        return None;
    }

    let is_degenerate = |subpath: &[PathEl]| match subpath {
        [PathEl::MoveTo(p), rest @ ..] if !rest.is_empty() => rest.iter().all(|el| match *el {
            PathEl::MoveTo(_) | PathEl::ClosePath => true,
            PathEl::LineTo(p1) => p1 == *p,
            PathEl::QuadTo(p1, p2) => p1 == *p && p2 == *p,
            PathEl::CurveTo(p1, p2, p3) => p1 == *p && p2 == *p && p3 == *p,
        }),
        _ => false,
    };
    // Short enough to be invisible, but not zero so that the stroker keeps the caps.
    let epsilon = (f64::from(stroke_props.line_width) * 1e-3).max(1e-6);

    let elements = path.elements();
    let mut expanded: Option<BezPath> = None;
    let mut start = 0;

    for end in 1..=elements.len() {
        if end < elements.len() && !matches!(elements[end], PathEl::MoveTo(_)) {
            continue;
        }

        let subpath = &elements[start..end];
        if let (true, PathEl::MoveTo(p)) = (is_degenerate(subpath), subpath[0]) {
            let expanded =
                expanded.get_or_insert_with(|| BezPath::from_vec(elements[..start].to_vec()));
            expanded.move_to(p);
            expanded.line_to(p + Vec2::new(epsilon, 0.0));
        } else if let Some(expanded) = &mut expanded {
            expanded.extend(subpath.iter().copied());
        }

        start = end;
    }

    expanded
}
