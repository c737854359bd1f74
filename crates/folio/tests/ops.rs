//! Operations endpoints and request logs of the real binary: `/health`, `/ready`, `/metrics`,
//! `x-request-id`, `--log-format json`.

mod common;

use std::time::Duration;

use common::*;

#[test]
fn health_and_ready_need_no_key_and_ready_reports_a_broken_store() {
    let s = Server::start(&["--api-keys", "secret"]);
    let (status, j) = s.get_json("/health");
    assert_eq!((status, j["status"].as_str()), (200, Some("ok")), "{j}");
    let (status, j) = s.get_json("/ready");
    assert_eq!(status, 200, "{j}");
    assert_eq!(
        (j["store"].as_str(), j["queue"].as_str()),
        (Some("ok"), Some("ok"))
    );

    // The files directory replaced by a plain file: the store fails, the queue still answers.
    std::fs::remove_dir_all(s.data_dir.join("files")).unwrap();
    std::fs::write(s.data_dir.join("files"), b"not a directory").unwrap();
    let (status, j) = s.get_json("/ready");
    assert_eq!(status, 503, "{j}");
    assert_eq!(
        (j["store"].as_str(), j["queue"].as_str()),
        (Some("failed"), Some("ok")),
        "{j}"
    );
    assert_eq!(s.get_json("/health").0, 200);
}

#[test]
fn metrics_count_requests_pages_renders_and_bytes_without_tokens() {
    let s = Server::start(&[]);
    let url = s.upload(&fixture("qpdf-rotated.pdf"));
    let (status, j) = s.get_json(&format!("/pdf/convert/to/png?pages=0&url={url}"));
    assert_eq!(status, 200, "{j}");
    let page = j["urls"][0].as_str().unwrap();
    assert_eq!(get_bytes(page).0, 200);
    let (status, j) = s.get_json(&format!("/pdf/convert/to/png?async=true&pages=0&url={url}"));
    assert_eq!(status, 200, "{j}");
    let done = s.wait_job(j["jobId"].as_str().unwrap(), Duration::from_secs(60));
    assert_eq!(done["status"], "success", "{done}");

    let r = client().get(s.url("/metrics")).send().unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let text = r.text().unwrap();
    let value = |series: &str| -> f64 {
        text.lines()
            .find_map(|l| l.strip_prefix(series)?.strip_prefix(' '))
            .unwrap_or_else(|| panic!("{series} missing from:\n{text}"))
            .parse()
            .unwrap()
    };
    assert!(value(r#"folio_http_requests_total{route="/pdf/convert/to/png",status="200"}"#) >= 2.0);
    assert!(
        value(r#"folio_http_requests_total{route="/files/{token}/{name}",status="200"}"#) >= 1.0
    );
    assert!(value("folio_pages_rendered_total") >= 2.0);
    assert!(value("folio_render_duration_seconds_count") >= 2.0);
    assert!(value(r#"folio_jobs_finished_total{outcome="success"}"#) >= 1.0);
    assert_eq!(value("folio_jobs_queued"), 0.0);
    assert!(value("folio_http_request_body_bytes_total") > 0.0);
    assert!(value("folio_http_response_body_bytes_total") > 0.0);
    // Labels are route templates: no token of a file URL or job id appears anywhere.
    let token = page.rsplit('/').nth(1).unwrap();
    assert!(!text.contains(token));
    let labels = text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .flat_map(|l| l.split('"').skip(1).step_by(2));
    for label in labels {
        assert!(!is_token_like(label), "{label} in:\n{text}");
    }
}

/// 32 or more hex digits in a row: what Folio's tokens and job ids look like.
fn is_token_like(v: &str) -> bool {
    v.split(|c: char| !c.is_ascii_hexdigit())
        .any(|run| run.len() >= 32)
}

#[test]
fn request_ids_are_echoed_or_made_and_json_logs_carry_them() {
    let s = Server::start_logging(&["--log-format", "json"]);
    let r = client()
        .get(s.url("/health"))
        .header("x-request-id", "given-id-42")
        .send()
        .unwrap();
    assert_eq!(r.headers()["x-request-id"], "given-id-42");
    let r = client()
        .get(s.url("/account/credit/balance"))
        .send()
        .unwrap();
    let made = r.headers()["x-request-id"].to_str().unwrap().to_string();
    assert!(!made.is_empty());
    let unknown = "0123456789abcdef0123456789abcdef";
    let (status, j) = s.get_json(&format!("/job/check?jobid={unknown}"));
    assert_eq!((status, j["status"].as_str()), (200, Some("unknown")));
    // A real job: its id reads its results, so the logs name it only by its tag.
    let url = s.upload(&fixture("qpdf-rotated.pdf"));
    let (status, j) = s.get_json(&format!("/pdf/convert/to/png?async=true&pages=0&url={url}"));
    assert_eq!(status, 200, "{j}");
    let job = j["jobId"].as_str().unwrap().to_string();
    let done = s.wait_job(&job, Duration::from_secs(60));
    assert_eq!(done["status"], "success", "{done}");

    // The log line is written after the answer's head: give it a moment.
    let log_path = s.data_dir.join("stderr.log");
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    let (text, lines) = loop {
        let text = std::fs::read_to_string(&log_path).unwrap();
        let lines: Vec<serde_json::Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
            .collect();
        let logged = |field: &str, value: &str| lines.iter().any(|l| l["fields"][field] == value);
        let all = logged("request_id", "given-id-42")
            && logged("request_id", &made)
            && logged("path", "/job/check")
            && logged("message", "job succeeded");
        if all || std::time::Instant::now() > deadline {
            break (text, lines);
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let find = |id: &str| {
        lines
            .iter()
            .find(|l| l["fields"]["request_id"] == id)
            .unwrap_or_else(|| panic!("no log line for request {id} in {lines:?}"))
            .clone()
    };
    let given = find("given-id-42");
    assert_eq!(given["fields"]["path"], "/health");
    assert_eq!(given["fields"]["status"], 200);
    assert_eq!(given["fields"]["method"], "GET");
    assert!(given["fields"]["latency_ms"].as_f64().is_some());
    assert_eq!(find(&made)["fields"]["path"], "/account/credit/balance");
    let check = lines
        .iter()
        .find(|l| l["fields"]["path"] == "/job/check")
        .unwrap();
    assert_eq!(check["fields"]["job"], job_tag(unknown));

    // Every line about the job carries its tag, and the id itself is nowhere.
    assert!(!text.contains(&job), "job id {job} in the log:\n{text}");
    let about_job: Vec<_> = lines
        .iter()
        .filter(|l| l["fields"]["job"] == job_tag(&job))
        .map(|l| l["fields"]["message"].as_str().unwrap_or_default())
        .collect();
    for message in ["request", "job started", "job succeeded"] {
        assert!(
            about_job.contains(&message),
            "{message:?} not tagged: {about_job:?}"
        );
    }
}

/// The log tag of a job as the README tells operators to compute it.
fn job_tag(id: &str) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(format!("folio-log:{id}"));
    digest[..6].iter().map(|x| format!("{x:02x}")).collect()
}
