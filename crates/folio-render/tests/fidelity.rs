//! Fidelity: Folio's renders of the corpus compared with MuPDF's, as small grey thumbnails.
//!
//! `tests/fixtures/reference/thumbs/` holds `mutool draw -r 72 -c gray` renders averaged down 4×;
//! `fidelity.tsv` the mean absolute grey difference (0–255) Folio had from each when they were
//! made. The test fails when a page drifts more than `DRIFT` grey levels beyond that baseline
//! (an engine upgrade or a rendering bug), or sits above `CEILING` at all.

mod common;

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

use common::*;

const SCALE: u32 = 4;
/// How much worse than its recorded baseline a page may get.
const DRIFT: f64 = 1.5;
/// No page may be further than this from MuPDF's render.
const CEILING: f64 = 12.0;

fn folio_thumb(pdf: &Path, password: &str, page: usize) -> (Vec<u8>, u32, u32) {
    let (g, w, h) = render_gray(pdf, password, page, 72.0);
    downscale(&g, w, h, SCALE)
}

#[test]
fn pages_match_mupdf_references() {
    let Some(corpus) = corpus() else {
        return skipped("fidelity");
    };
    let entries = manifest(&corpus);
    let table = std::fs::read_to_string(reference_dir().join("fidelity.tsv")).unwrap();
    let mut report = String::new();
    let mut failures = vec![];
    let mut checked = 0;
    for line in table.lines().skip(1) {
        let c: Vec<&str> = line.split('\t').collect();
        let (file, page, baseline): (&str, usize, f64) =
            (c[0], c[1].parse().unwrap(), c[2].parse().unwrap());
        let entry = entries
            .iter()
            .find(|e| e.file == file)
            .expect("file in manifest");
        let (ours, w, h) = folio_thumb(&corpus.join(file), &entry.password, page);
        let stem = file.trim_end_matches(".pdf");
        let (theirs, tw, th) =
            read_gray_png(&reference_dir().join(format!("thumbs/{stem}-{page}.png")));
        let mad = mean_abs_diff(&ours, w, h, &theirs, tw, th);
        checked += 1;
        writeln!(report, "{file} p{page}: {mad:.2} (baseline {baseline:.2})").unwrap();
        if mad > baseline + DRIFT || mad > CEILING {
            failures.push(format!(
                "{file} page {page}: difference {mad:.2}, baseline {baseline:.2}"
            ));
        }
    }
    let _ = writeln!(
        std::io::stderr(),
        "fidelity: {checked} pages checked against MuPDF"
    );
    assert!(checked > 50, "too few reference pages: {checked}");
    assert!(
        failures.is_empty(),
        "pages drifted from MuPDF's render:\n{}\n\nall:\n{report}",
        failures.join("\n")
    );
}

/// Rebuild `reference/` from the corpus with `mutool` (Debian `mupdf-tools`). Run by hand after
/// a deliberate rendering change: `cargo test -p folio-render --test fidelity -- --ignored regenerate`.
#[test]
#[ignore]
fn regenerate() {
    let corpus = corpus().expect("corpus needed to regenerate references");
    let refdir = reference_dir();
    let thumbs = refdir.join("thumbs");
    let _ = std::fs::remove_dir_all(&thumbs);
    std::fs::create_dir_all(&thumbs).unwrap();
    let tmp = std::env::temp_dir().join(format!("folio-refs-{}", std::process::id()));
    let mut sizes = String::from("file\tpage\twidth\theight\n");
    let mut fidelity = String::from("file\tpage\tbaseline_mad\n");
    for e in manifest(&corpus).iter().filter(|e| !e.malformed()) {
        let _ = std::fs::remove_dir_all(&tmp);
        std::fs::create_dir_all(&tmp).unwrap();
        let mut cmd = std::process::Command::new("mutool");
        cmd.args(["draw", "-q", "-r", "72", "-c", "gray", "-o"])
            .arg(tmp.join("%d.png"));
        if !e.password.is_empty() {
            cmd.args(["-p", &e.password]);
        }
        let status = cmd
            .arg(corpus.join(&e.file))
            .status()
            .expect("mutool (apt-get install mupdf-tools)");
        assert!(status.success(), "mutool failed on {}", e.file);
        let pages = e.pages.expect("page count");
        let stem = e.file.trim_end_matches(".pdf");
        let mut chosen: Vec<usize> = (0..pages.min(3)).collect();
        if pages > 3 {
            chosen.push(pages - 1);
        }
        for page in 0..pages {
            let (gray, w, h) = read_gray_png(&tmp.join(format!("{}.png", page + 1)));
            writeln!(sizes, "{}\t{page}\t{w}\t{h}", e.file).unwrap();
            if chosen.contains(&page) {
                let (t, tw, th) = downscale(&gray, w, h, SCALE);
                write_gray_png(&thumbs.join(format!("{stem}-{page}.png")), &t, tw, th);
                let (ours, ow, oh) = folio_thumb(&corpus.join(&e.file), &e.password, page);
                let mad = mean_abs_diff(&ours, ow, oh, &t, tw, th);
                writeln!(fidelity, "{}\t{page}\t{mad:.2}", e.file).unwrap();
            }
        }
    }
    std::fs::write(refdir.join("sizes.tsv"), sizes).unwrap();
    std::fs::write(refdir.join("fidelity.tsv"), fidelity).unwrap();
    let _ = std::fs::remove_dir_all(&tmp);
}
