//! Protection checked by other readers: the output opens in MuPDF (`mutool`), poppler
//! (`pdftoppm`), qpdf and our renderer with the user password and not without, and
//! `qpdf --show-encryption` reports the algorithm and the permissions asked for.

use std::path::Path;
use std::process::Command;

use folio_pdf::{Algorithm, Allowed, Protection, protect, unprotect};
use folio_render::testpdf::with_pages;
use folio_render::{ColorMode, Document, Limits, Resolution};
use folio_testkit::{have_tool, qpdf_check};

fn fixture(name: &str) -> Vec<u8> {
    let path = folio_testkit::fixture(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn run(cmd: &mut Command) -> (bool, String) {
    let out = cmd.output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

/// Opens in MuPDF and poppler with `password` (rendered to a page image).
fn others_open(path: &Path, password: &str) -> bool {
    let dir = path.parent().unwrap();
    let mutool = run(Command::new("mutool")
        .args(["draw", "-q", "-r", "20", "-p", password, "-o"])
        .arg(dir.join("m.png"))
        .arg(path)
        .arg("1"));
    let mutool_drew = mutool.0 && dir.join("m.png").exists();
    let _ = std::fs::remove_file(dir.join("m.png"));
    let poppler = run(Command::new("pdftoppm")
        .args(["-r", "20", "-f", "1", "-l", "1", "-png", "-upw", password])
        .arg(path)
        .arg(dir.join("p")));
    assert_eq!(
        mutool_drew, poppler.0,
        "MuPDF and poppler disagree: {} / {}",
        mutool.1, poppler.1
    );
    mutool_drew
}

fn show_encryption(path: &Path, password: &str) -> String {
    let (ok, text) = run(Command::new("qpdf")
        .arg(format!("--password={password}"))
        .arg("--show-encryption")
        .arg(path));
    assert!(ok, "{text}");
    text
}

fn renders(pdf: &[u8], password: &str) -> bool {
    let limits = Limits::default();
    Document::open(pdf.to_vec(), password, &limits)
        .and_then(|d| d.render_page(0, Resolution::Dpi(20.0), ColorMode::Gray, &limits))
        .is_ok()
}

#[test]
fn every_algorithm_locks_with_the_user_password_and_the_asked_permissions() {
    let tools = ["mutool", "pdftoppm", "qpdf"]
        .iter()
        .zip(["mupdf-tools", "poppler-utils", "qpdf"])
        .all(|(t, p)| have_tool("encrypted outputs in other readers", t, p));
    let input = with_pages(2, 300.0, 200.0);
    let dir = tempfile::tempdir().unwrap();
    for (algorithm, shown) in [
        (Algorithm::Rc4_40, "R = 2"),
        (Algorithm::Rc4_128, "R = 3"),
        (Algorithm::Aes128, "R = 4"),
        (Algorithm::Aes256, "R = 6"),
    ] {
        let protection = Protection {
            owner_password: "owner-pw".into(),
            user_password: "user-pw".into(),
            algorithm,
            allowed: Allowed {
                print: true,
                print_high_resolution: false,
                extract_content: false,
                modify: false,
                ..Allowed::default()
            },
        };
        let out = protect(&input, "", &protection).unwrap();
        assert_eq!(out.page_count, 2);
        assert!(renders(&out.pdf, "user-pw"), "{algorithm:?}");
        // hayro 0.9 authenticates only user passwords up to revision 4 (the qpdf fixture
        // `enc-R2,V1,U=view,O=master` does not open with `master` either): the owner password
        // of those is checked with qpdf below.
        if algorithm == Algorithm::Aes256 {
            assert!(renders(&out.pdf, "owner-pw"), "{algorithm:?}");
        }
        assert!(
            !renders(&out.pdf, ""),
            "{algorithm:?} opened without a password"
        );
        if !tools {
            continue;
        }
        let path = dir.path().join(format!("{algorithm:?}.pdf"));
        std::fs::write(&path, &out.pdf).unwrap();
        assert!(others_open(&path, "user-pw"), "{algorithm:?}");
        assert!(
            !others_open(&path, "wrong"),
            "{algorithm:?} opened with a wrong password"
        );
        let report = show_encryption(&path, "user-pw");
        assert!(report.contains(shown), "{algorithm:?}: {report}");
        assert!(
            report.contains("Supplied password is user password"),
            "{report}"
        );
        let owner = show_encryption(&path, "owner-pw");
        assert!(
            owner.contains("Supplied password is owner password"),
            "{owner}"
        );
        // Revision 2 has four permission bits; the finer ones (assembly, forms, accessibility,
        // high-resolution printing) exist from revision 3.
        let lines: &[&str] = match algorithm {
            Algorithm::Rc4_40 => &[
                "print low resolution: allowed",
                "extract for any purpose: not allowed",
                "modify other: not allowed",
                "modify annotations: allowed",
            ],
            _ => &[
                "print low resolution: allowed",
                "print high resolution: not allowed",
                "extract for any purpose: not allowed",
                "modify other: not allowed",
                "modify forms: allowed",
                "modify annotations: allowed",
                "modify document assembly: allowed",
                "extract for accessibility: allowed",
            ],
        };
        let method = match algorithm {
            Algorithm::Aes128 => Some("AESv2"),
            Algorithm::Aes256 => Some("AESv3"),
            _ => None,
        };
        if let Some(method) = method {
            assert!(
                report.contains(&format!("stream encryption method: {method}")),
                "{report}"
            );
        }
        for line in lines {
            assert!(
                report.contains(line),
                "{algorithm:?} lacks '{line}':\n{report}"
            );
        }
        let (ok, text) = run(Command::new("qpdf")
            .arg("--password=user-pw")
            .arg("--check")
            .arg(&path));
        assert!(ok, "{algorithm:?}: {text}");
    }
}

/// Only an owner password: the file opens without one, its permissions still apply. Removing
/// protection with the owner password gives the same pages, unencrypted.
#[test]
fn owner_only_protection_and_removal() {
    let input = fixture("pdfjs-sizes.pdf");
    let protection = Protection {
        owner_password: "only-owner".into(),
        allowed: Allowed {
            print: false,
            ..Allowed::default()
        },
        ..Protection::default()
    };
    let locked = protect(&input, "", &protection).unwrap();
    assert!(renders(&locked.pdf, ""));
    let open = unprotect(&locked.pdf, "only-owner").unwrap();
    assert!(!open.pdf.windows(8).any(|w| w == b"/Encrypt"));
    assert_eq!(open.page_count, locked.page_count);
    qpdf_check(&open.pdf);
    if have_tool("owner-only protection in qpdf", "qpdf", "qpdf") {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("owner.pdf");
        std::fs::write(&path, &locked.pdf).unwrap();
        let report = show_encryption(&path, "");
        assert!(
            report.contains("print low resolution: not allowed"),
            "{report}"
        );
    }
}

/// A protected input is re-protected with its password; removal needs it (441 without, the
/// renderer's answer); no password at all is refused.
#[test]
fn passwords_are_needed_and_checked() {
    let locked = fixture("qpdf-c-r4.pdf");
    assert_eq!(unprotect(&locked, "").unwrap_err().code(), 441);
    assert_eq!(unprotect(&locked, "nope").unwrap_err().code(), 441);
    let open = unprotect(&locked, "user2").unwrap();
    assert!(renders(&open.pdf, ""));
    qpdf_check(&open.pdf);
    let again = protect(
        &locked,
        "user2",
        &Protection {
            user_password: "new".into(),
            ..Protection::default()
        },
    )
    .unwrap();
    assert!(renders(&again.pdf, "new") && !renders(&again.pdf, "user2"));
    let e = protect(&open.pdf, "", &Protection::default()).unwrap_err();
    assert_eq!(e.code(), 400, "{e}");
    assert_eq!(Algorithm::from_name("aes_256BIT"), Some(Algorithm::Aes256));
    assert_eq!(Algorithm::from_name("AES_512bit"), None);
}
