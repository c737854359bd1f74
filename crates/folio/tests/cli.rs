//! `folio convert` as other tooling uses it: file names, formats, exit codes, messages.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(name)
}

fn tempdir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("folio-cli-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn folio(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(args)
        .output()
        .unwrap()
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn png_pages_are_named_by_zero_based_index() {
    let out = tempdir("png");
    let pdf = fixture("qpdf-rotated.pdf");
    let o = folio(&[
        "convert",
        pdf.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--pages",
        "!0, 2-3",
        "--dpi",
        "30",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(
        names(&out),
        [
            "qpdf-rotated-19.png",
            "qpdf-rotated-2.png",
            "qpdf-rotated-3.png"
        ]
    );
    let summary = String::from_utf8_lossy(&o.stdout);
    assert_eq!(summary.lines().count(), 1, "{summary}");
    assert!(summary.contains("3 page(s) to PNG"), "{summary}");
    // Not a terminal: no progress bar on stderr.
    assert!(
        o.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let data = std::fs::read(out.join("qpdf-rotated-2.png")).unwrap();
    assert!(data.starts_with(b"\x89PNG"));
}

#[test]
fn every_format_and_colour_mode() {
    let pdf = fixture("pysf-minimal-document.pdf");
    for (format, color, file, magic) in [
        (
            "jpg",
            "rgb",
            "pysf-minimal-document-0.jpg",
            &b"\xFF\xD8\xFF"[..],
        ),
        ("webp", "gray", "pysf-minimal-document-0.webp", b"RIFF"),
        ("png", "bw", "pysf-minimal-document-0.png", b"\x89PNG"),
        ("tiff", "rgb", "pysf-minimal-document.tiff", b"II*\0"),
    ] {
        let out = tempdir(&format!("{format}-{color}"));
        let o = folio(&[
            "convert",
            pdf.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--format",
            format,
            "--color",
            color,
        ]);
        assert!(
            o.status.success(),
            "{format}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert_eq!(names(&out), [file]);
        assert!(
            std::fs::read(out.join(file)).unwrap().starts_with(magic),
            "{format}"
        );
    }
}

#[test]
fn tiff_is_one_file_for_all_pages() {
    let out = tempdir("tiff");
    let pdf = fixture("qpdf-boxes.pdf");
    let o = folio(&[
        "convert",
        pdf.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--format",
        "tiff",
        "--dpi",
        "20",
    ]);
    assert!(o.status.success());
    assert_eq!(names(&out), ["qpdf-boxes.tiff"]);
    assert!(String::from_utf8_lossy(&o.stdout).contains("8 page(s) to TIFF"));
}

#[test]
fn password_and_failures_exit_non_zero_with_the_reason() {
    let out = tempdir("pw");
    let pdf = fixture("qpdf-c-r4.pdf");
    let (p, d) = (pdf.to_str().unwrap(), out.to_str().unwrap());
    let o = folio(&["convert", p, "--out", d]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("Invalid Password"));
    let o = folio(&[
        "convert",
        p,
        "--out",
        d,
        "--password",
        "user2",
        "--pages",
        "0",
        "--dpi",
        "20",
    ]);
    assert!(o.status.success());
    assert_eq!(names(&out), ["qpdf-c-r4-0.png"]);

    let o = folio(&[
        "convert",
        p,
        "--out",
        d,
        "--password",
        "user2",
        "--pages",
        "99",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("out of range"));
    let o = folio(&["convert", p, "--out", d, "--pages", "1-x"]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("Invalid page range"));

    let not_pdf = fixture("ATTRIBUTION.md");
    let o = folio(&["convert", not_pdf.to_str().unwrap(), "--out", d]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("Damaged document"));

    let o = folio(&[
        "convert",
        p,
        "--out",
        d,
        "--dpi",
        "150",
        "--password",
        "user2",
        "--max-page-megapixels",
        "0.5",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("megapixels"));
    let o = folio(&["convert", "/nonexistent.pdf", "--out", d]);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn version_and_help() {
    let o = folio(&["--version"]);
    assert!(String::from_utf8_lossy(&o.stdout).starts_with("folio "));
    let o = folio(&["convert", "--help"]);
    let help = String::from_utf8_lossy(&o.stdout);
    for flag in [
        "--out",
        "--format",
        "--dpi",
        "--pages",
        "--password",
        "--color",
    ] {
        assert!(help.contains(flag), "{flag}");
    }
}

/// `folio config`: flags win over the environment, which wins over the --config file, which wins
/// over the defaults; each line names its source; secrets are masked; bad settings stop it.
#[test]
fn config_is_layered_printed_with_sources_and_checked() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("folio.toml");
    std::fs::write(
        &file,
        "max_upload_mib = 512\nworkers = 3\nmax-queued-jobs = 9\napi-keys = [\"k1\", \"k2\"]\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(["config", "--config"])
        .arg(&file)
        .args(["--max-queued-jobs", "7"])
        .env("FOLIO_WORKERS", "5")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8(out.stdout).unwrap();
    for line in [
        "max-queued-jobs = \"7\"  # flag",
        "workers = \"5\"  # environment",
        "max-upload-mib = \"512\"  # file",
        "api-keys = \"********\"  # file",
        "listen = \"127.0.0.1:8080\"  # default",
    ] {
        assert!(
            text.lines().any(|l| l == line),
            "missing {line:?} in\n{text}"
        );
    }
    assert!(!text.contains("k1"), "a key leaked:\n{text}");

    let fail = |toml: &str, extra: &[&str]| {
        std::fs::write(&file, toml).unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_folio"))
            .args(["config", "--config"])
            .arg(&file)
            .args(extra)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{out:?}");
        String::from_utf8(out.stderr).unwrap()
    };
    assert!(fail("nope = 1\n", &[]).contains("unknown setting 'nope'"));
    assert!(fail("workers = [[1]]\n", &[]).contains("setting 'workers'"));
    assert!(fail("", &["--default-dpi", "0"]).contains("--default-dpi"));
    assert!(fail("default-dpi = 0\n", &[]).contains("--default-dpi"));
}
