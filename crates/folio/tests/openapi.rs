//! The OpenAPI document at `/openapi.json`: each path answers exactly the methods it lists, the
//! docs page serves, and schemathesis (from PyPI) finds no server error and no answer that
//! contradicts the document.

mod common;

use std::collections::BTreeSet;
use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use serde_json::Value;

const METHODS: &[&str] = &["GET", "POST", "PUT", "DELETE", "PATCH"];

/// A concrete URL path for a route template (path parameters filled in).
fn concrete(template: &str) -> String {
    template
        .replace("{token}", "0123456789abcdef0123456789abcdef")
        .replace("{name}", "x.pdf")
        .replace("{file}", "swagger-ui.css")
}

#[test]
fn every_documented_path_answers_exactly_its_documented_methods() {
    let s = Server::start(&[]);
    let (status, doc) = s.get_json("/openapi.json");
    assert_eq!(status, 200);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"), "{doc}");
    assert_eq!(doc["info"]["version"], env!("CARGO_PKG_VERSION"));
    let paths = doc["paths"].as_object().unwrap();

    // Router and document are built from one route table; this checks the methods each path
    // really answers, through the running server.
    let documented: BTreeSet<&str> = paths.keys().map(String::as_str).collect();
    assert!(documented.contains("/pdf/edit/rotate"), "{documented:?}");
    for template in documented {
        let url = s.url(&concrete(template));
        for method in METHODS {
            let r = client()
                .request(method.parse().unwrap(), &url)
                .send()
                .unwrap();
            let status = r.status().as_u16();
            let body = r.text().unwrap();
            let answered = status != 405;
            let in_doc = paths[template].get(method.to_ascii_lowercase()).is_some();
            assert_eq!(
                answered,
                in_doc,
                "{method} {template}: the router answers {status}, the document {} it",
                if in_doc { "lists" } else { "does not list" }
            );
            assert!(
                !body.contains("no such API endpoint"),
                "{method} {template} fell through to the unknown-route answer"
            );
            if !answered {
                let j: Value = serde_json::from_str(&body).unwrap();
                assert_eq!(
                    (j["error"].as_bool(), j["status"].as_u64()),
                    (Some(true), Some(405))
                );
            }
        }
        // Every operation documents its success, and errors in the PDF.co envelope.
        for (method, op) in paths[template].as_object().unwrap() {
            let responses = op["responses"].as_object().unwrap();
            assert!(responses.contains_key("200"), "{method} {template}");
            for (code, r) in responses.iter().filter(|(c, _)| c.starts_with('4')) {
                assert_eq!(
                    r["content"]["application/json"]["schema"]["$ref"],
                    "#/components/schemas/Failure",
                    "{method} {template} {code}"
                );
            }
        }
    }
}

#[test]
fn the_docs_page_serves_swagger_ui_from_the_binary() {
    let s = Server::start(&["--api-keys", "secret"]);
    let (status, ct, html) = get_bytes(&s.url("/docs"));
    assert_eq!(status, 200);
    assert!(ct.starts_with("text/html"), "{ct}");
    let html = String::from_utf8(html).unwrap();
    for asset in ["/docs/swagger-ui-bundle.js", "/docs/swagger-ui.css"] {
        assert!(html.contains(asset), "{html}");
        let (status, _, bytes) = get_bytes(&s.url(asset));
        assert_eq!(status, 200, "{asset}");
        assert!(bytes.len() > 10_000, "{asset} is {} bytes", bytes.len());
    }
    assert!(html.contains("/openapi.json"));
    // Both are open with API keys on; the API itself is not.
    assert_eq!(s.get_json("/openapi.json").0, 200);
    assert_eq!(s.get_json("/docs/no-such-file.js").0, 404);
    assert_eq!(s.get_json("/account/credit/balance").0, 401);
}

/// Schemathesis, twice: every operation with generated data (stateful links included), then the
/// conversions with `url` pinned to a real PDF so that pages, profiles and the rest reach the
/// renderer (GET and POST: the query's `url` serves both). Checks: no 5xx, and status codes,
/// content types and bodies as documented.
#[test]
fn schemathesis_finds_no_server_error_and_no_undocumented_answer() {
    let available = Command::new("schemathesis")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !available {
        assert!(
            std::env::var("CI").is_err(),
            "CI must run schemathesis: pip install schemathesis"
        );
        eprintln!("SKIPPED schemathesis: `pip install schemathesis` to run it");
        return;
    }
    // Answers within schemathesis' request timeout: a generated 4800-DPI page answers 445.
    let mut s = Server::start(&["--fetch-timeout-secs", "3", "--sync-timeout-secs", "20"]);
    let schema = s.url("/openapi.json");
    let work = tempfile::tempdir().unwrap();
    let checks = "not_a_server_error,status_code_conformance,content_type_conformance,\
                  response_schema_conformance";
    let examples = std::env::var("FOLIO_SCHEMATHESIS_EXAMPLES").unwrap_or_else(|_| "60".into());
    let base = [
        "run",
        schema.as_str(),
        "--checks",
        checks,
        "--max-examples",
        examples.as_str(),
        "--continue-on-failure",
        // One worker: hypothesis' lambda descriptions are not thread-safe on Python 3.11.
        "--workers",
        "1",
        "--request-timeout",
        "30",
    ];
    run_schemathesis(work.path(), &base, &[]);

    let url = s.upload(&fixture("pdfjs-sizes.pdf"));
    std::fs::write(
        work.path().join("schemathesis.toml"),
        format!("[parameters]\n\"query.url\" = \"{url}\"\n"),
    )
    .unwrap();
    run_schemathesis(work.path(), &base, &["--include-tag", "Convert"]);
    assert!(s.child_alive(), "the server died under schemathesis");
}

fn run_schemathesis(dir: &std::path::Path, base: &[&str], extra: &[&str]) {
    let mut child = Command::new("schemathesis")
        .args(base)
        .args(extra)
        .arg("--no-color")
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Both pipes drained while it runs: a full pipe would stall it.
    let drain = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut s = String::new();
            let _ = pipe.read_to_string(&mut s);
            s
        })
    };
    let out = drain(Box::new(child.stdout.take().unwrap()));
    let err = drain(Box::new(child.stderr.take().unwrap()));
    let deadline = Instant::now() + Duration::from_secs(900);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("schemathesis ran past 15 minutes");
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    let (out, err) = (out.join().unwrap(), err.join().unwrap());
    let summary: String = out
        .lines()
        .skip_while(|l| !l.contains("SUMMARY"))
        .collect::<Vec<_>>()
        .join("\n");
    eprintln!("schemathesis {}:\n{summary}", extra.join(" "));
    assert!(status.success(), "schemathesis failed:\n{out}\n{err}");
    assert!(out.contains("passed"), "{out}");
}
