//! The router in process (`tower::ServiceExt::oneshot`, no socket, no worker processes): route
//! table, access layers, parameter checks and error envelopes. What needs a real process
//! (sandboxed rendering, restarts, connections) is tested with the binary in `crates/folio`.

use axum::body::Body;
use axum::http::{Request, header};
use folio_api::{ApiConfig, AppState};
use folio_testkit::Backends;
use serde_json::Value;
use tower::ServiceExt;

/// The API over a temporary store and database, rendering on threads; `configure` changes the
/// defaults.
async fn app(configure: impl FnOnce(&mut ApiConfig)) -> (Backends, axum::Router) {
    let b = Backends::new().await;
    let mut config = ApiConfig {
        spool_dir: b.dir.path().join("spool"),
        ..ApiConfig::default()
    };
    configure(&mut config);
    let state = AppState::new(config, b.store.clone(), b.repo.clone(), b.repo.clone());
    (b, folio_api::app(state))
}

/// Status, content type and body (JSON when it parses, else a string) of one request.
async fn call(app: &axum::Router, req: Request<Body>) -> (u16, String, Value) {
    let resp = app.clone().oneshot(req).await.unwrap();
    let status = resp.status().as_u16();
    let ct = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let bytes = axum::body::to_bytes(resp.into_body(), 64 << 20)
        .await
        .unwrap();
    let body = serde_json::from_slice(&bytes)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
    (status, ct, body)
}

fn get(uri: &str) -> Request<Body> {
    Request::get(uri).body(Body::empty()).unwrap()
}

/// A multipart POST with a `file` part and text fields.
fn multipart(uri: &str, file: &[u8], fields: &[(&str, &str)]) -> Request<Body> {
    let boundary = "folio-test-boundary";
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend(
            format!("--{boundary}\r\ncontent-disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .bytes(),
        );
    }
    body.extend(
        format!("--{boundary}\r\ncontent-disposition: form-data; name=\"file\"; filename=\"doc.pdf\"\r\ncontent-type: application/pdf\r\n\r\n").bytes(),
    );
    body.extend_from_slice(file);
    body.extend(format!("\r\n--{boundary}--\r\n").bytes());
    Request::post(uri)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from(body))
        .unwrap()
}

fn assert_envelope(body: &Value, code: u16) {
    assert_eq!(body["error"], true, "{body}");
    assert_eq!(body["status"], code, "{body}");
    assert!(
        body["message"].as_str().is_some_and(|m| m.len() > 10),
        "{body}"
    );
}

#[tokio::test]
async fn unknown_paths_and_methods_answer_the_pdfco_envelope() {
    let (_dir, app) = app(|_| {}).await;
    let (status, ct, body) = call(&app, get("/pdf/convert/to/bmp")).await;
    assert_eq!(status, 404);
    assert!(ct.starts_with("application/json"), "{ct}");
    assert_envelope(&body, 404);
    let put = Request::put("/pdf/info").body(Body::empty()).unwrap();
    let (status, _, body) = call(&app, put).await;
    assert_eq!(status, 405);
    assert_envelope(&body, 405);
    // The same route in any case, under /v1, with a trailing slash.
    let (status, _, body) = call(&app, get("/V1/Account/Credit/Balance/")).await;
    assert_eq!(
        (status, &body["error"]),
        (200, &Value::Bool(false)),
        "{body}"
    );
}

/// The table's access column: keyed routes need the key, capability URLs and probes do not.
#[tokio::test]
async fn keys_guard_keyed_rows_only() {
    let (_dir, app) = app(|c| c.api_keys = vec!["sesame".into()]).await;
    for uri in [
        "/pdf/info?url=x",
        "/pdf/edit/rotate?angle=90",
        "/job/check?jobid=x",
    ] {
        let (status, _, body) = call(&app, get(uri)).await;
        assert_eq!(status, 401, "{uri}: {body}");
        assert_envelope(&body, 401);
    }
    let keyed = Request::get("/job/check?jobid=abc")
        .header("x-api-key", "sesame")
        .body(Body::empty())
        .unwrap();
    let (status, _, body) = call(&app, keyed).await;
    assert_eq!(
        (status, body["status"].as_str()),
        (200, Some("unknown")),
        "{body}"
    );
    let (status, _, _) = call(&app, get("/job/check?jobid=abc&x-api-key=sesame")).await;
    assert_eq!(status, 200);
    // A capability URL is not asked for a key: an unknown file is simply not found.
    let (status, _, body) = call(&app, get("/files/0123456789abcdef0123456789abcdef/a.png")).await;
    assert_eq!(status, 404, "{body}");
    for open in ["/health", "/openapi.json", "/"] {
        assert_eq!(call(&app, get(open)).await.0, 200, "{open}");
    }
}

/// Settings are checked before the input is looked at: a bad angle, page range or profile
/// answers at once, for a `url` that does not even exist.
#[tokio::test]
async fn bad_settings_are_refused_before_the_input_is_fetched() {
    let (_dir, app) = app(|_| {}).await;
    let nowhere = "url=http://nowhere.invalid/a.pdf";
    let cases: &[(&str, u16)] = &[
        ("/pdf/edit/rotate?angle=45", 400),
        ("/pdf/edit/rotate?angle=", 400),
        ("/pdf/edit/rotate?angle=90&pages=3-x", 450),
        ("/pdf/convert/to/png?profiles={bad", 444),
        ("/pdf/convert/to/png?pages=!", 450),
        ("/pdf/convert/to/text?expiration=0", 400),
        ("/pdf/info?async=maybe", 400),
    ];
    for (uri, code) in cases {
        let (status, _, body) = call(&app, get(&format!("{uri}&{nowhere}"))).await;
        assert_eq!(status, *code, "{uri}: {body}");
        assert_envelope(&body, *code);
    }
    let (status, _, body) = call(&app, get("/job/check")).await;
    assert_eq!(status, 400, "{body}");
}

/// A refused async request stores nothing: the callback and the queue's room are checked
/// before the uploaded file is.
#[tokio::test]
async fn refused_async_uploads_store_nothing() {
    let pdf = folio_render::testpdf::with_pages(1, 100.0, 100.0);
    let (backends, app) = app(|c| c.max_queued_jobs = 0).await;
    let (status, _, body) = call(
        &app,
        multipart(
            "/pdf/edit/rotate",
            &pdf,
            &[("angle", "90"), ("async", "true")],
        ),
    )
    .await;
    assert_eq!(status, 429, "{body}");
    let (status, _, body) = call(
        &app,
        multipart(
            "/pdf/convert/to/png",
            &pdf,
            &[("async", "true"), ("callback", "ftp://example.com/hook")],
        ),
    )
    .await;
    assert_eq!(status, 403, "{body}");
    assert_envelope(&body, 403);
    assert_eq!(backends.stored_files(), 0);
}

/// One operation end to end in process: the rotated PDF is stored, served as a PDF, and its
/// page reads back turned; `/pdf/info` of it through the same road.
#[tokio::test]
async fn rotate_then_info_in_process() {
    let pdf = folio_render::testpdf::with_pages(2, 300.0, 100.0);
    let (backends, app) = app(|_| {}).await;
    let (status, _, body) = call(
        &app,
        multipart(
            "/pdf/edit/rotate",
            &pdf,
            &[("angle", "90"), ("pages", "!0")],
        ),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["name"], "doc-rotated.pdf");
    assert_eq!(body["pageCount"], 2);
    // The upload and the rotated PDF.
    assert_eq!(backends.stored_files(), 2);
    let url = body["url"].as_str().unwrap();
    let path = url.strip_prefix("http://127.0.0.1:8080").unwrap();
    let resp = app.clone().oneshot(get(path)).await.unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    assert_eq!(resp.headers()[header::CONTENT_TYPE], "application/pdf");
    let out = axum::body::to_bytes(resp.into_body(), 1 << 20)
        .await
        .unwrap();
    let doc = folio_render::Document::open(out.to_vec(), "", &Default::default()).unwrap();
    assert_eq!(
        (doc.geometry(0).rotation, doc.geometry(1).rotation),
        (0, 90)
    );
    let (status, _, info) = call(&app, get(&format!("/pdf/info?url={url}"))).await;
    assert_eq!(status, 200, "{info}");
    assert_eq!(info["info"]["PageCount"], 2, "{info}");
    assert_eq!(info["name"], "doc-rotated.pdf", "{info}");
}

/// A job the queue holds in another shape (an older Folio's `convert` record) fails with a
/// message saying so, instead of being misread or retried for ever.
#[tokio::test]
async fn jobs_of_an_unknown_kind_fail_clearly() {
    use folio_jobs::{JobQueue, JobState, NewJob};
    let b = Backends::new().await;
    let config = ApiConfig {
        spool_dir: b.dir.path().join("spool"),
        ..ApiConfig::default()
    };
    let state = AppState::new(config, b.store.clone(), b.repo.clone(), b.repo.clone());
    b.repo
        .enqueue(NewJob {
            id: "old".into(),
            kind: "convert".into(),
            params: serde_json::json!({"format": "png", "pages": ""}),
            secrets: None,
            expires_at: folio_jobs::now_millis() + 60_000,
        })
        .await
        .unwrap();
    let (stop, rx) = tokio::sync::watch::channel(false);
    let workers = folio_api::worker::spawn_all(&state, "test", rx);
    let job = loop {
        let job = b.repo.get("old").await.unwrap().unwrap();
        if job.state != JobState::Queued && job.state != JobState::Running {
            break job;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    };
    stop.send(true).unwrap();
    for w in workers {
        w.abort();
    }
    assert_eq!(job.state, JobState::Failed);
    assert_eq!(job.error_code, Some(500));
    let message = job.error_message.unwrap();
    assert!(message.contains("kind 'convert'"), "{message}");
}
