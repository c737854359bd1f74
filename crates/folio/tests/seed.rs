//! The client that started it all: the PDF.co seed sample, unchanged but for `BASE_URL` and
//! `SourceFile`, runs against Folio and saves `Page1.png … PageN.png` — the right pages.

mod common;

use std::path::Path;
use std::process::Command;

use common::*;

#[test]
fn seed_python_client_runs_to_success() {
    let seed = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/seed/ConvertPdfToImageFromUploadedFileAsynchronously.py");
    let has_requests = Command::new("python3")
        .args(["-c", "import requests"])
        .status()
        .is_ok_and(|s| s.success());
    if !seed.is_file() || !has_requests {
        assert!(
            std::env::var("CI").is_err(),
            "CI must run the seed client (../shared/seed and python3-requests)"
        );
        let _ =
            writeln_stderr("SKIPPED seed client: needs ../shared/seed and python3 with requests");
        return;
    }
    // A multi-page corpus PDF when the corpus is here, else a multi-page fixture.
    let pdf = corpus()
        .map(|c| c.join("pdfjs-tracemonkey.pdf"))
        .filter(|p| p.is_file())
        .unwrap_or_else(|| fixture("qpdf-boxes.pdf"));
    let s = Server::start(&[]);
    let work = s.data_dir.with_extension("seed");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).unwrap();
    let script = std::fs::read_to_string(&seed).unwrap();
    let script = script
        .replace(
            "BASE_URL = \"https://localhost\"",
            &format!("BASE_URL = \"{}\"", s.base),
        )
        .replace(
            "SourceFile = \".\\\\sample.pdf\"",
            &format!("SourceFile = {:?}", pdf.to_str().unwrap()),
        );
    assert!(
        script.contains(&s.base) && script.contains("tracemonkey") || script.contains("qpdf-boxes")
    );
    std::fs::write(work.join("client.py"), script).unwrap();
    let out = Command::new("python3")
        .arg("client.py")
        .current_dir(&work)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("success"), "{stdout}");

    // Folio's own CLI renders the same pages with the same settings: the files must be identical.
    let reference = work.join("ref");
    let o = Command::new(env!("CARGO_BIN_EXE_folio"))
        .args([
            "convert",
            pdf.to_str().unwrap(),
            "--out",
            reference.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(o.status.success());
    let stem = pdf.file_stem().unwrap().to_str().unwrap();
    let pages = std::fs::read_dir(&reference).unwrap().count();
    assert!(pages >= 8);
    for n in 1..=pages {
        let got = std::fs::read(work.join(format!("Page{n}.png")))
            .unwrap_or_else(|_| panic!("Page{n}.png missing:\n{stdout}"));
        let want = std::fs::read(reference.join(format!("{stem}-{}.png", n - 1))).unwrap();
        assert!(
            got == want,
            "Page{n}.png is not page {} of the document",
            n - 1
        );
    }
    assert!(!work.join(format!("Page{}.png", pages + 1)).exists());
    let _ = std::fs::remove_dir_all(&work);
}

fn writeln_stderr(msg: &str) -> std::io::Result<()> {
    use std::io::Write;
    writeln!(std::io::stderr(), "{msg}")
}
