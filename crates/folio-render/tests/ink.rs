//! Missing ink: for each good corpus page, the share of MuPDF's dark pixels that have ink near
//! them in Folio's render. A page-wide mean difference barely moves when a line of text is
//! missing from a sparse page; this figure drops to the share of text that is left.
//!
//! MuPDF (`mutool`, Debian `mupdf-tools`) renders the reference at the test's run, at 72 dpi in
//! grey. A MuPDF pixel darker than [`DARK`] counts as covered when a Folio pixel darker than
//! [`INKED`] lies within [`RADIUS`] pixels (anti-aliasing and hinting move edges by a pixel or
//! so). Every page must reach [`GOAL`], except the ones in [`EXPLAINED`], whose reasons the
//! README's fidelity section gives.

mod common;

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;
use std::process::Command;

use common::*;

const DARK: u8 = 128;
const INKED: u8 = 192;
const RADIUS: i64 = 2;
const GOAL: f64 = 0.9;
/// Pages with fewer dark MuPDF pixels than this are not judged (a blank page, a hairline).
const MIN_DARK: usize = 50;

/// Pages below [`GOAL`] for a reason that is not a fault of ours, with that reason.
const EXPLAINED: &[(&str, usize, &str)] = &[];

fn mutool_page(pdf: &Path, password: &str, page: usize, out: &Path) -> Option<(Vec<u8>, u32, u32)> {
    let mut cmd = Command::new("mutool");
    cmd.stderr(std::process::Stdio::null());
    cmd.args(["draw", "-q", "-r", "72", "-c", "gray", "-o"])
        .arg(out);
    if !password.is_empty() {
        cmd.args(["-p", password]);
    }
    let status = cmd.arg(pdf).arg((page + 1).to_string()).status().ok()?;
    status.success().then(|| read_gray_png(out))
}

/// (covered share, dark pixel count) of `theirs` by `ours`; sizes may differ by a pixel.
fn coverage(theirs: &[u8], tw: u32, th: u32, ours: &[u8], ow: u32, oh: u32) -> (f64, usize) {
    // Ink of ours, dilated by RADIUS, via a summed-area table of inked pixels.
    let (w, h) = (ow as i64, oh as i64);
    let mut sat = vec![0u32; ((w + 1) * (h + 1)) as usize];
    for y in 0..h {
        let mut row = 0;
        for x in 0..w {
            row += (ours[(y * w + x) as usize] < INKED) as u32;
            sat[((y + 1) * (w + 1) + x + 1) as usize] = sat[(y * (w + 1) + x + 1) as usize] + row;
        }
    }
    let inked_near = |x: i64, y: i64| {
        let (x0, y0) = ((x - RADIUS).clamp(0, w), (y - RADIUS).clamp(0, h));
        let (x1, y1) = ((x + RADIUS + 1).clamp(0, w), (y + RADIUS + 1).clamp(0, h));
        let at = |x: i64, y: i64| sat[(y * (w + 1) + x) as usize] as i64;
        at(x1, y1) - at(x0, y1) - at(x1, y0) + at(x0, y0) > 0
    };
    let (mut dark, mut covered) = (0usize, 0usize);
    for y in 0..th as i64 {
        for x in 0..tw as i64 {
            if theirs[(y * tw as i64 + x) as usize] < DARK {
                dark += 1;
                covered += inked_near(x, y) as usize;
            }
        }
    }
    if dark == 0 {
        return (1.0, 0);
    }
    (covered as f64 / dark as f64, dark)
}

#[test]
fn no_page_loses_ink_that_mupdf_draws() {
    let Some(corpus) = corpus() else {
        return skipped("ink coverage");
    };
    if Command::new("mutool").arg("-v").output().is_err() {
        return skipped_without(
            "ink coverage",
            "mutool not found (apt-get install mupdf-tools)",
        );
    }
    let entries = manifest(&corpus);
    let table = std::fs::read_to_string(reference_dir().join("fidelity.tsv")).unwrap();
    let tmp = std::env::temp_dir().join(format!("folio-ink-{}.png", std::process::id()));
    let (mut report, mut failures, mut figures) = (String::new(), vec![], vec![]);
    for line in table.lines().skip(1) {
        let c: Vec<&str> = line.split('\t').collect();
        let (file, page): (&str, usize) = (c[0], c[1].parse().unwrap());
        let entry = entries
            .iter()
            .find(|e| e.file == file)
            .expect("in manifest");
        let pdf = corpus.join(file);
        let Some((theirs, tw, th)) = mutool_page(&pdf, &entry.password, page, &tmp) else {
            failures.push(format!("{file} page {page}: mutool failed"));
            continue;
        };
        let (ours, ow, oh) = render_gray(&pdf, &entry.password, page, 72.0);
        let (share, dark) = coverage(&theirs, tw, th, &ours, ow, oh);
        if dark < MIN_DARK {
            continue;
        }
        figures.push(share);
        writeln!(report, "{file} p{page}: {share:.3} of {dark} dark pixels").unwrap();
        let explained = EXPLAINED.iter().any(|&(f, p, _)| f == file && p == page);
        if share < GOAL && !explained {
            failures.push(format!(
                "{file} page {page}: {share:.3} of {dark} dark pixels covered"
            ));
        }
    }
    let _ = std::fs::remove_file(&tmp);
    figures.sort_by(f64::total_cmp);
    let below = figures.iter().filter(|&&s| s < GOAL).count();
    let _ = writeln!(
        std::io::stderr(),
        "ink coverage: {} pages, lowest {:.3}, median {:.3}, {below} below {GOAL}\n{report}",
        figures.len(),
        figures.first().copied().unwrap_or(1.0),
        figures.get(figures.len() / 2).copied().unwrap_or(1.0),
    );
    assert!(
        figures.len() > 50,
        "too few pages judged: {}",
        figures.len()
    );
    assert!(
        failures.is_empty(),
        "pages missing ink MuPDF draws:\n{}",
        failures.join("\n")
    );
}
