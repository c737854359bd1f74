//! The whole corpus through the server: every good file converts, every malformed one answers
//! an image or 442 — never a 500 — and the server keeps serving. Skipped without the corpus.

mod common;

use common::*;
use serde_json::Value;

#[test]
fn every_corpus_file_gets_an_image_or_a_442() {
    let Some(corpus) = corpus() else {
        assert!(std::env::var("CI").is_err(), "CI must run corpus tests");
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED corpus through the server: corpus not found"
        );
        return;
    };
    let manifest = std::fs::read_to_string(corpus.join("MANIFEST.tsv")).unwrap();
    let mut lines = manifest.lines();
    let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
    let col = |n: &str| header.iter().position(|h| *h == n).unwrap();
    let (f, t, pw) = (col("file"), col("tags"), col("password"));
    let s = Server::start(&[]);
    let mut checked = 0;
    for line in lines.filter(|l| !l.trim().is_empty()) {
        let c: Vec<&str> = line.split('\t').collect();
        let malformed = c[t].split(',').any(|t| t == "malformed");
        let bytes = std::fs::read(corpus.join(c[f])).unwrap();
        let form = reqwest::blocking::multipart::Form::new()
            .text("password", c[pw].to_string())
            .text("pages", "0,!0")
            .text("profiles", "{RenderingResolution: 36}")
            .part(
                "file",
                reqwest::blocking::multipart::Part::bytes(bytes).file_name(c[f].to_string()),
            );
        let r = client()
            .post(s.url("/pdf/convert/to/png"))
            .multipart(form)
            .send()
            .unwrap();
        let status = r.status().as_u16();
        let j: Value = r.json().unwrap();
        if malformed {
            assert!(status == 200 || status == 442, "{}: {status} {j}", c[f]);
        } else {
            assert_eq!(status, 200, "{}: {j}", c[f]);
            assert!(j["pageCount"].as_u64().unwrap() >= 1);
        }
        checked += 1;
    }
    assert!(checked >= 40, "{checked}");
    assert_eq!(s.get_json("/account/credit/balance").0, 200);
}
