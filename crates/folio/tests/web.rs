//! The web page at `/`: served without a key, and driven in a real browser (Debian's Chromium,
//! headless, through playwright-core; see tests/browser/web.mjs).

mod common;

use std::path::Path;
use std::process::Command;

use common::*;

#[test]
fn the_page_is_served_without_a_key() {
    let s = Server::start(&["--api-keys", "secret"]);
    let r = client().get(s.url("/")).send().unwrap();
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let html = r.text().unwrap();
    assert!(html.contains("id=\"file\"") && html.contains("/pdf/convert/to/"));
    // The API behind it still wants the key.
    assert_eq!(s.get_json("/job/check?jobid=x").0, 401);
}

#[test]
fn a_browser_converts_a_pdf_and_shows_every_page() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let script = root.join("tests/browser/web.mjs");
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let ready = root
        .join("tests/browser/node_modules/playwright-core")
        .is_dir()
        && Path::new(&chromium).exists()
        && Command::new("node").arg("--version").output().is_ok();
    if !ready {
        assert!(
            std::env::var("CI").is_err(),
            "CI must run the browser test: install chromium and `npm ci` in tests/browser"
        );
        eprintln!(
            "SKIPPED a_browser_converts_a_pdf_and_shows_every_page: needs node, {chromium} and \
             `npm ci` in tests/browser"
        );
        return;
    }
    let s = Server::start(&[]);
    let artifacts = root.join("target/web-artifacts");
    std::fs::create_dir_all(&artifacts).unwrap();
    let shot = artifacts.join("web-page.png");
    let out = Command::new("node")
        .arg(&script)
        .arg(&s.base)
        .arg(fixture("pdfjs-sizes.pdf"))
        .arg("3")
        .arg(&shot)
        .output()
        .unwrap();
    let log = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "browser test failed:\n{log}");
    assert!(log.contains("ok: 3 thumbnails"), "{log}");
    assert!(log.contains("ok: merge and split from the page"), "{log}");
    assert!(log.contains("ok: docs page shows"), "{log}");
    assert!(
        std::fs::metadata(&shot).unwrap().len() > 10_000,
        "empty screenshot"
    );
}
