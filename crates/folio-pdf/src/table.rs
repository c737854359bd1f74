//! `/pdf/convert/from/csv` (and XLS, XLSX, ODS input): a table laid out on pages. The header
//! row repeats on each page, columns are as wide as their content (within a cap), text wraps,
//! and a table too wide for a portrait page turns the page to landscape. New pages are written
//! with `krilla`, which embeds and subsets the bundled font (Noto Sans: Latin, Greek, Cyrillic),
//! so the text is searchable and renders anywhere; `skrifa` measures it for the layout.

use std::io::Cursor;
use std::sync::Arc;

use folio_render::Error;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::text::{Font, TextDirection};
use skrifa::MetadataProvider;

use crate::Written;

/// Noto Sans Regular (SIL Open Font License 1.1, see `fonts/OFL.txt`).
static FONT: &[u8] = include_bytes!("../fonts/NotoSans-Regular.ttf");

/// Bounds on a table: cells parsed, columns, and the pages it may fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TableLimits {
    pub max_cells: usize,
    pub max_pages: usize,
}

/// Most columns laid out; wider tables are refused (they would be unreadable slivers).
const MAX_COLUMNS: usize = 200;
/// Longest cell text kept, in characters (the rest becomes "…").
const MAX_CELL_CHARS: usize = 2000;
/// Most wrapped lines drawn in one cell.
const MAX_CELL_LINES: usize = 40;

const FONT_SIZE: f32 = 9.0;
const LINE: f32 = 11.5;
const PAD: f32 = 3.0;
const MARGIN: f32 = 36.0;
const MAX_COLUMN_WIDTH: f32 = 220.0;
const MIN_COLUMN_WIDTH: f32 = 24.0;
/// A4, portrait.
const PAGE: (f32, f32) = (595.0, 842.0);

/// The rows of a CSV (the separator guessed from the first line: comma, semicolon or tab), or
/// of sheet `worksheet` (0-based) of an XLS, XLSX or ODS file.
pub fn read_table(
    data: &[u8],
    worksheet: usize,
    limits: TableLimits,
) -> Result<Vec<Vec<String>>, Error> {
    let spreadsheet =
        data.starts_with(b"PK\x03\x04") || data.starts_with(&[0xd0, 0xcf, 0x11, 0xe0]);
    if spreadsheet {
        return sheet_rows(data, worksheet, limits);
    }
    let text = String::from_utf8_lossy(data.strip_prefix(b"\xef\xbb\xbf").unwrap_or(data));
    let first = text.lines().next().unwrap_or("");
    let separator = [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|&s| first.bytes().filter(|&b| b == s).count())
        .unwrap_or(b',');
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(separator)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut cells = 0usize;
    for record in reader.records() {
        let record =
            record.map_err(|e| Error::InvalidOption(format!("the CSV cannot be read: {e}")))?;
        cells += record.len();
        if cells > limits.max_cells {
            return Err(too_many_cells(limits));
        }
        rows.push(record.iter().map(cut).collect());
    }
    Ok(rows)
}

fn too_many_cells(limits: TableLimits) -> Error {
    Error::InvalidOption(format!(
        "the table has more than {} cells; split it into smaller files",
        limits.max_cells
    ))
}

fn cut(s: &str) -> String {
    if s.chars().count() > MAX_CELL_CHARS {
        let mut t: String = s.chars().take(MAX_CELL_CHARS).collect();
        t.push('…');
        t
    } else {
        s.to_string()
    }
}

fn sheet_rows(
    data: &[u8],
    worksheet: usize,
    limits: TableLimits,
) -> Result<Vec<Vec<String>>, Error> {
    use calamine::Reader;
    let bad = |e: String| Error::InvalidOption(format!("the spreadsheet cannot be read: {e}"));
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(data.to_vec()))
        .map_err(|e| bad(e.to_string()))?;
    let count = book.sheet_names().len();
    let range = book
        .worksheet_range_at(worksheet)
        .ok_or_else(|| {
            Error::InvalidOption(format!(
                "worksheetIndex {} is out of range: the workbook has {count} sheet(s)",
                worksheet + 1
            ))
        })?
        .map_err(|e| bad(e.to_string()))?;
    let (h, w) = range.get_size();
    if h.saturating_mul(w) > limits.max_cells {
        return Err(too_many_cells(limits));
    }
    Ok(range
        .rows()
        .map(|r| r.iter().map(|c| cut(&c.to_string())).collect())
        .collect())
}

/// Glyph advances of the bundled font, for measuring.
struct Measure<'a> {
    charmap: skrifa::charmap::Charmap<'a>,
    metrics: skrifa::metrics::GlyphMetrics<'a>,
}

impl<'a> Measure<'a> {
    fn new(font: &'a skrifa::FontRef<'a>) -> Self {
        Self {
            charmap: font.charmap(),
            metrics: font.glyph_metrics(
                skrifa::instance::Size::new(FONT_SIZE),
                skrifa::instance::LocationRef::default(),
            ),
        }
    }

    fn width(&self, text: &str) -> f32 {
        text.chars()
            .map(|c| {
                let gid = self.charmap.map(c).unwrap_or_default();
                self.metrics.advance_width(gid).unwrap_or(FONT_SIZE * 0.5)
            })
            .sum()
    }

    /// `text` broken into lines no wider than `width`: at its own line breaks, then between
    /// words, and inside a word too long for a line.
    fn wrap(&self, text: &str, width: f32) -> Vec<String> {
        let mut lines = Vec::new();
        for paragraph in text.split('\n') {
            let mut line = String::new();
            for word in paragraph.split(' ') {
                let candidate = if line.is_empty() {
                    word.to_string()
                } else {
                    format!("{line} {word}")
                };
                if self.width(&candidate) <= width || line.is_empty() && word.is_empty() {
                    line = candidate;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                for c in word.chars() {
                    line.push(c);
                    if self.width(&line) > width && line.chars().count() > 1 {
                        let last = line.pop().unwrap_or(' ');
                        lines.push(std::mem::replace(&mut line, last.to_string()));
                    }
                }
            }
            lines.push(line);
            if lines.len() >= MAX_CELL_LINES {
                lines.truncate(MAX_CELL_LINES);
                if let Some(last) = lines.last_mut() {
                    last.push('…');
                }
                break;
            }
        }
        lines
    }
}

/// The table as a PDF: `rows[0]` is the header, repeated on every page.
pub fn table_to_pdf(rows: &[Vec<String>], limits: TableLimits) -> Result<Written, Error> {
    crate::guarded(|| layout(rows, limits))
}

fn layout(rows: &[Vec<String>], limits: TableLimits) -> Result<Written, Error> {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    if columns == 0 {
        return Err(Error::InvalidOption("the table is empty".into()));
    }
    if columns > MAX_COLUMNS {
        return Err(Error::InvalidOption(format!(
            "the table has {columns} columns; at most {MAX_COLUMNS} fit on a page"
        )));
    }
    let font_ref = skrifa::FontRef::new(FONT)
        .map_err(|e| Error::Output(format!("the bundled font cannot be read: {e}")))?;
    let measure = Measure::new(&font_ref);
    let mut widths = vec![MIN_COLUMN_WIDTH; columns];
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            let natural = cell
                .split('\n')
                .map(|l| measure.width(l))
                .fold(0.0, f32::max)
                + 2.0 * PAD;
            widths[i] = widths[i].max(natural.min(MAX_COLUMN_WIDTH));
        }
    }
    let total: f32 = widths.iter().sum();
    let (page_w, page_h) = if total > PAGE.0 - 2.0 * MARGIN {
        (PAGE.1, PAGE.0)
    } else {
        PAGE
    };
    let room = page_w - 2.0 * MARGIN;
    if total > room {
        for w in &mut widths {
            *w *= room / total;
        }
    }
    let wrapped: Vec<Vec<Vec<String>>> = rows
        .iter()
        .map(|row| {
            (0..columns)
                .map(|i| {
                    let text = row.get(i).map(String::as_str).unwrap_or("");
                    measure.wrap(text, (widths[i] - 2.0 * PAD).max(FONT_SIZE))
                })
                .collect()
        })
        .collect();
    let height = |row: &Vec<Vec<String>>| {
        row.iter().map(Vec::len).max().unwrap_or(1).max(1) as f32 * LINE + 2.0 * PAD
    };
    let font = Font::new(Arc::new(FONT.to_vec()).into(), 0)
        .ok_or_else(|| Error::Output("the bundled font cannot be used".into()))?;
    let mut document = krilla::Document::new();
    let header = &wrapped[0];
    let mut next = 1;
    let mut pages = 0;
    loop {
        pages += 1;
        if pages > limits.max_pages {
            return Err(Error::TooManyPages {
                requested: pages,
                limit: limits.max_pages,
            });
        }
        let settings = PageSettings::from_wh(page_w, page_h)
            .ok_or_else(|| Error::Output("bad page size".into()))?;
        let mut page = document.start_page_with(settings);
        let mut surface = page.surface();
        let mut y = MARGIN;
        draw_row(
            &mut surface,
            &font,
            header,
            &widths,
            y,
            height(header),
            true,
        );
        y += height(header);
        while next < wrapped.len() {
            let h = height(&wrapped[next]);
            if y + h > page_h - MARGIN && y > MARGIN + height(header) {
                break;
            }
            draw_row(&mut surface, &font, &wrapped[next], &widths, y, h, false);
            y += h;
            next += 1;
        }
        surface.finish();
        page.finish();
        if next >= wrapped.len() {
            break;
        }
    }
    let pdf = document
        .finish()
        .map_err(|e| Error::Output(format!("writing the PDF failed: {e:?}")))?;
    Ok(Written {
        pdf,
        page_count: pages,
    })
}

fn draw_row(
    surface: &mut krilla::surface::Surface<'_>,
    font: &Font,
    cells: &[Vec<String>],
    widths: &[f32],
    top: f32,
    height: f32,
    header: bool,
) {
    let mut x = MARGIN;
    for (lines, &w) in cells.iter().zip(widths) {
        if let Some(rect) = Rect::from_xywh(x, top, w, height) {
            let mut path = PathBuilder::new();
            path.push_rect(rect);
            if let Some(path) = path.finish() {
                surface.set_stroke(None);
                if header {
                    surface.set_fill(Some(Fill {
                        paint: rgb::Color::new(230, 233, 238).into(),
                        ..Default::default()
                    }));
                    surface.draw_path(&path);
                }
                surface.set_fill(None);
                surface.set_stroke(Some(Stroke {
                    paint: rgb::Color::new(150, 150, 150).into(),
                    width: 0.5,
                    ..Default::default()
                }));
                surface.draw_path(&path);
            }
        }
        surface.set_stroke(None);
        surface.set_fill(Some(Fill::default()));
        for (i, line) in lines.iter().enumerate() {
            if line.is_empty() {
                continue;
            }
            let baseline = top + PAD + FONT_SIZE + i as f32 * LINE;
            surface.draw_text(
                Point::from_xy(x + PAD, baseline),
                font.clone(),
                FONT_SIZE,
                line,
                false,
                TextDirection::Auto,
            );
        }
        x += w;
    }
}
