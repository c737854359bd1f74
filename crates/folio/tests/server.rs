//! The real binary over HTTP: the PDF.co flows, every upload kind and format, errors, the lenient
//! parameter rules of API.md §0, and a crash in the middle of an async job.

mod common;

use std::io::{Read, Write};
use std::time::Duration;

use common::*;
use serde_json::{Value, json};

fn post_json(url: &str, body: &Value) -> (u16, Value) {
    let r = client().post(url).json(body).send().unwrap();
    (r.status().as_u16(), r.json().unwrap())
}

#[test]
fn cors_answers_only_the_origins_named() {
    let s = Server::start(&[
        "--cors-origins",
        "https://app.example, http://localhost:3000",
    ]);
    let preflight = |origin: &str| {
        client()
            .request(reqwest::Method::OPTIONS, s.url("/pdf/convert/to/png"))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "x-api-key")
            .send()
            .unwrap()
    };
    let r = preflight("https://app.example");
    assert_eq!(
        r.headers()["access-control-allow-origin"],
        "https://app.example"
    );
    let r = preflight("http://localhost:3000");
    assert_eq!(
        r.headers()["access-control-allow-origin"],
        "http://localhost:3000"
    );
    let r = preflight("https://evil.example");
    assert!(r.headers().get("access-control-allow-origin").is_none());
    let r = client()
        .get(s.url("/health"))
        .header("origin", "https://evil.example")
        .send()
        .unwrap();
    assert!(r.headers().get("access-control-allow-origin").is_none());
    // A path is not an origin: refused at start with a reason.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(["config", "--cors-origins", "https://app.example/page"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not an origin"));
}

#[test]
fn seed_flow_presigned_upload_async_png() {
    let s = Server::start(&[]);
    let url = s.upload(&fixture("qpdf-boxes.pdf"));
    assert!(!url.contains('?') && !url.contains('&'), "{url}");
    // Exactly what the seed client sends: unencoded url last, async=True, a content-type on a GET.
    let r = client()
        .get(s.url(&format!(
            "/pdf/convert/to/png?async=True&password=&pages=&url={url}"
        )))
        .header("content-type", "application/octet-stream")
        .send()
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(
        r.headers()["content-type"],
        "application/json; charset=utf-8"
    );
    assert!(r.headers().get("content-length").is_some());
    let j: Value = r.json().unwrap();
    assert_eq!(j["error"], false);
    let job = s.wait_job(j["jobId"].as_str().unwrap(), Duration::from_secs(60));
    assert_eq!(job["status"], "success", "{job}");
    assert_eq!(job["pageCount"], 8);
    assert_eq!(job["pagesDone"], 8);
    let (status, ct, list) = get_bytes(j["url"].as_str().unwrap());
    assert_eq!((status, ct.as_str()), (200, "application/json"));
    let urls: Vec<String> = serde_json::from_slice(&list).unwrap();
    assert_eq!(urls.len(), 8);
    for u in &urls {
        let (status, ct, png) = get_bytes(u);
        assert_eq!((status, ct.as_str()), (200, "image/png"));
        let (w, h) = png_size(&png);
        assert!(w > 100 && h > 100);
    }
}

#[test]
fn sync_conversions_in_every_format() {
    let s = Server::start(&[]);
    let url = s.upload(&fixture("qpdf-rotated.pdf"));
    for (fmt, mime, magic) in [
        ("png", "image/png", &b"\x89PNG"[..]),
        ("jpg", "image/jpeg", b"\xFF\xD8\xFF"),
        ("webp", "image/webp", b"RIFF"),
    ] {
        let (status, j) = s.get_json(&format!("/pdf/convert/to/{fmt}?pages=0-2&url={url}"));
        assert_eq!(status, 200, "{j}");
        let urls = j["urls"].as_array().unwrap();
        assert_eq!(urls.len(), 3);
        assert_eq!(j["url"], urls[0]);
        assert_eq!(j["pageCount"], 3);
        let (st, ct, data) = get_bytes(urls[1].as_str().unwrap());
        assert_eq!((st, ct.as_str()), (200, mime));
        assert!(data.starts_with(magic), "{fmt}");
    }
    let (status, j) = s.get_json(&format!("/pdf/convert/to/tiff?pages=!1-!0&url={url}"));
    assert_eq!(status, 200, "{j}");
    assert!(j.get("urls").is_none());
    let (st, ct, data) = get_bytes(j["url"].as_str().unwrap());
    assert_eq!((st, ct.as_str()), (200, "image/tiff"));
    assert!(data.starts_with(b"II*\0"));
    assert_eq!(j["pageCount"], 2);
}

#[test]
fn async_tiff_placeholder_is_the_tiff() {
    let s = Server::start(&[]);
    let url = s.upload(&fixture("qpdf-rotated.pdf"));
    let (status, j) = post_json(
        &s.url("/v1/pdf/convert/to/tiff"),
        &json!({"url": url, "async": true, "pages": "0-3", "name": "out.tiff"}),
    );
    assert_eq!(status, 200, "{j}");
    assert!(j["url"].as_str().unwrap().ends_with("/out.tiff"));
    // Not ready yet or ready: never a partial file.
    let job = s.wait_job(j["jobId"].as_str().unwrap(), Duration::from_secs(60));
    assert_eq!(job["status"], "success");
    let (st, ct, data) = get_bytes(j["url"].as_str().unwrap());
    assert_eq!((st, ct.as_str()), (200, "image/tiff"));
    assert!(data.len() > 1000);
}

#[test]
fn upload_kinds() {
    // The "other server" below listens on loopback, refused unless allowed.
    let s = Server::start(&["--fetch-allow", "127.0.0.1/32"]);
    let pdf = std::fs::read(fixture("pysf-minimal-document.pdf")).unwrap();
    // Multipart /file/upload.
    let form = reqwest::blocking::multipart::Form::new().part(
        "file",
        reqwest::blocking::multipart::Part::bytes(pdf.clone()).file_name("a.pdf"),
    );
    let j: Value = client()
        .post(s.url("/file/upload"))
        .multipart(form)
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(j["status"], 200, "{j}");
    assert_eq!(j["name"], "a.pdf");
    assert_eq!(get_bytes(j["url"].as_str().unwrap()).2, pdf);
    // Base64, plain and as a data URI, as a form field.
    use base64::Engine;
    let encode = |d: &[u8]| base64::engine::general_purpose::STANDARD.encode(d);
    for value in [
        encode(&pdf),
        format!("data:application/pdf;base64,{}", encode(&pdf)),
    ] {
        let r = client()
            .post(s.url("/file/upload/base64"))
            .form(&[("file", value.as_str()), ("name", "b.pdf")])
            .send()
            .unwrap();
        let j: Value = r.json().unwrap();
        assert_eq!(j["status"], 200, "{j}");
        assert_eq!(get_bytes(j["url"].as_str().unwrap()).2, pdf);
    }
    // From another server's URL.
    let remote = serve_once(pdf.clone(), "/docs/c.pdf?x=1&y=2");
    let (status, j) = post_json(
        &s.url("/file/upload/url"),
        &json!({"url": remote, "name": "c.pdf"}),
    );
    assert_eq!(status, 200, "{j}");
    assert_eq!(get_bytes(j["url"].as_str().unwrap()).2, pdf);
    // A multipart PUT to a presigned URL stores the file part, and the URL works once.
    let (_, p) = s.get_json("/file/upload/get-presigned-url?name=d.pdf");
    let form = reqwest::blocking::multipart::Form::new().part(
        "file",
        reqwest::blocking::multipart::Part::bytes(pdf.clone()).file_name("d.pdf"),
    );
    let put = client()
        .put(p["presignedUrl"].as_str().unwrap())
        .multipart(form)
        .send()
        .unwrap();
    assert_eq!(put.status().as_u16(), 200);
    assert_eq!(get_bytes(p["url"].as_str().unwrap()).2, pdf);
    assert_eq!(
        get_bytes(p["presignedUrl"].as_str().unwrap()).2,
        pdf,
        "GET on the presigned URL serves the file"
    );
    let again = client()
        .put(p["presignedUrl"].as_str().unwrap())
        .body(b"other".to_vec())
        .send()
        .unwrap();
    assert_eq!(again.status().as_u16(), 403);
    assert_eq!(get_bytes(p["url"].as_str().unwrap()).2, pdf);
    // Delete, sample style: query `file`, empty body.
    let r = client()
        .post(s.url(&format!("/file/delete?file={}", p["url"].as_str().unwrap())))
        .send()
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(get_bytes(p["url"].as_str().unwrap()).0, 404);
    let r = client()
        .post(s.url(&format!("/file/delete?file={}", p["url"].as_str().unwrap())))
        .send()
        .unwrap();
    assert_eq!(r.status().as_u16(), 404);
}

/// Serve `body` once over plain HTTP on a free port; returns the URL (with `path`).
fn serve_once(body: Vec<u8>, path: &str) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(4) {
            let mut stream = stream.unwrap();
            let mut buf = [0u8; 4096];
            let _ = stream.read(&mut buf);
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/pdf\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&body);
        }
    });
    format!("http://127.0.0.1:{port}{path}")
}

#[test]
fn convert_from_another_servers_url_and_a_file_part() {
    let s = Server::start(&["--fetch-allow", "127.0.0.1/32"]);
    let pdf = std::fs::read(fixture("qpdf-boxes.pdf")).unwrap();
    // Unencoded foreign URL with its own `&`, followed by real parameters.
    let remote = serve_once(pdf.clone(), "/get?id=7&token=abc");
    let (status, j) = s.get_json(&format!("/pdf/convert/to/png?url={remote}&pages=0"));
    assert_eq!(status, 200, "{j}");
    assert_eq!(j["pageCount"], 1);
    // `file` part straight to the convert endpoint (Node "not recommended" samples).
    let form = reqwest::blocking::multipart::Form::new()
        .text("pages", "1-2")
        .text("async", "False")
        .part(
            "file",
            reqwest::blocking::multipart::Part::bytes(pdf).file_name("boxes.pdf"),
        );
    let j: Value = client()
        .post(s.url("/pdf/convert/to/jpg"))
        .multipart(form)
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(j["pageCount"], 2, "{j}");
    assert!(j["urls"][0].as_str().unwrap().ends_with("/boxes-1.jpg"));
}

#[test]
fn lenient_parameters() {
    let s = Server::start(&[]);
    let url = s.upload(&fixture("qpdf-rotated.pdf"));
    let expect_pages = |j: &Value, n: u64| assert_eq!(j["pageCount"], n, "{j}");
    // Case-insensitive names, /v1, upper-case path, trailing slash, unknown params ignored.
    let (_, j) = s.get_json(&format!(
        "/V1/PDF/Convert/To/PNG/?PAGES=0,1&lang=eng&unwrap=false&URL={url}"
    ));
    expect_pages(&j, 2);
    // JSON without a content type (C# WebClient.UploadString).
    let r = client()
        .post(s.url("/pdf/convert/to/png"))
        .body(json!({"url": url, "pages": "3", "inline": "False"}).to_string())
        .send()
        .unwrap();
    expect_pages(&r.json().unwrap(), 1);
    // Form-urlencoded (Python requests data=).
    let r = client()
        .post(s.url("/pdf/convert/to/png"))
        .form(&[("url", url.as_str()), ("pages", "0-2"), ("password", "")])
        .send()
        .unwrap();
    expect_pages(&r.json().unwrap(), 3);
    // Multipart under a JSON content type (curl --form with -H content-type: application/json).
    let boundary = "XyZ123";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"url\"\r\n\r\n{url}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"pages\"\r\n\r\n!0\r\n--{boundary}--\r\n"
    );
    let r = client()
        .post(s.url("/pdf/convert/to/png"))
        .header(
            "content-type",
            format!("application/json; boundary={boundary}"),
        )
        .body(body.clone())
        .send()
        .unwrap();
    expect_pages(&r.json().unwrap(), 1);
    // ... and with no content type at all: detected from the leading `--`.
    let r = client()
        .post(s.url("/pdf/convert/to/png"))
        .body(body)
        .send()
        .unwrap();
    expect_pages(&r.json().unwrap(), 1);
    // POST with parameters in the query and an empty body (PHP CURLOPT_POST).
    let r = client()
        .post(s.url(&format!("/pdf/convert/to/png?pages=5&url={url}")))
        .send()
        .unwrap();
    expect_pages(&r.json().unwrap(), 1);
    // Body overrides query.
    let r = client()
        .post(s.url(&format!("/pdf/convert/to/png?pages=0-9&url={url}")))
        .json(&json!({"pages": "1"}))
        .send()
        .unwrap();
    expect_pages(&r.json().unwrap(), 1);
    // Booleans as "1"/"True"; JSON numbers; url first then other params (PHP async samples).
    let (_, j) = s.get_json(&format!(
        "/pdf/convert/to/png?url={url}&password=&pages=0&async=1"
    ));
    assert!(j["jobId"].is_string(), "{j}");
    let (status, j) = post_json(
        &s.url("/job/check"),
        &json!({"jobId": j["jobId"], "force": "True"}),
    );
    assert_eq!(status, 200, "{j}");
    // Profiles as an object in JSON, and as lenient single-quoted JSON with comments.
    let (_, j) = post_json(
        &s.url("/pdf/convert/to/png"),
        &json!({"url": url, "pages": "0", "profiles": {"ImageBitsPerPixel": "BPP1"}}),
    );
    let png = get_bytes(j["urls"][0].as_str().unwrap()).2;
    assert_eq!(png[24], 1, "1-bit PNG");
    let (_, j) = s.get_json(&format!(
        "/pdf/convert/to/png?pages=0&profiles={{ 'RenderingResolution': 36 /* dpi */ }}&url={url}"
    ));
    assert_eq!(
        png_size(&get_bytes(j["urls"][0].as_str().unwrap()).2),
        (306, 396)
    );
    // CORS preflight from a browser.
    let r = client()
        .request(
            reqwest::Method::OPTIONS,
            s.url("/file/upload/get-presigned-url"),
        )
        .header("origin", "http://example.com")
        .header("access-control-request-method", "GET")
        .header("access-control-request-headers", "x-api-key")
        .send()
        .unwrap();
    assert!(r.status().is_success());
    assert_eq!(r.headers()["access-control-allow-origin"], "*");
    // Job check: form POST with `jobid`, unknown id.
    let r = client()
        .post(s.url("/job/check"))
        .form(&[("jobid", "0123456789abcdef0123456789abcdef")])
        .send()
        .unwrap();
    let j: Value = r.json().unwrap();
    assert_eq!(j["status"], "unknown");
    let (_, j) = s.get_json("/account/credit/balance");
    assert!(j["remainingCredits"].as_u64().unwrap() > 0);
}

#[test]
fn pdf_info() {
    let s = Server::start(&[]);
    let url = s.upload(&fixture("qpdf-c-r4.pdf"));
    let (status, j) = s.get_json(&format!("/pdf/info?password=user2&url={url}"));
    assert_eq!(status, 200, "{j}");
    assert_eq!(j["info"]["PageCount"], 30);
    assert_eq!(j["info"]["Encrypted"], true);
    assert_eq!(j["info"]["PageRectangle"]["Width"], 612.0);
    let url = s.upload(&fixture("pysf-minimal-document.pdf"));
    let (_, j) = s.get_json(&format!("/pdf/info?url={url}"));
    assert_eq!(j["info"]["Encrypted"], false);
    assert_eq!(j["info"]["PageCount"], 1);
}

fn assert_error(resp: reqwest::blocking::Response, code: u16, needle: &str) {
    assert_eq!(resp.status().as_u16(), code);
    let reason = resp.status().canonical_reason();
    let j: Value = resp.json().unwrap();
    assert_eq!(j["error"], true, "{j}");
    assert_eq!(j["status"], code, "{j}");
    let msg = j["message"].as_str().unwrap();
    assert!(
        msg.contains(needle),
        "{code}: '{msg}' should mention '{needle}' ({reason:?})"
    );
}

#[test]
fn error_codes() {
    let s = Server::start(&["--sync-timeout-secs", "0"]);
    let c = client();
    let enc = s.upload(&fixture("qpdf-c-r4.pdf"));
    let ok = s.upload(&fixture("qpdf-rotated.pdf"));
    let get = |q: &str| c.get(s.url(q)).send().unwrap();
    assert_error(get("/pdf/convert/to/png"), 400, "'url'");
    assert_error(
        get(&format!("/pdf/convert/to/png?async=maybe&url={ok}")),
        400,
        "async",
    );
    assert_error(get("/no/such/route"), 404, "Not found");
    assert_error(
        get(&format!("/files/{}/x.pdf", "0".repeat(32))),
        404,
        "not found",
    );
    assert_error(
        get(&format!(
            "/pdf/convert/to/png?async=true&url={enc}&profiles={{bad"
        )),
        444,
        "Profiles",
    );
    assert_error(
        get(&format!(
            "/pdf/convert/to/png?async=true&pages=1-x&url={ok}"
        )),
        450,
        "page range",
    );
    assert_error(
        get("/pdf/convert/to/png?url=ht!tp:/nope"),
        452,
        "Invalid URL",
    );
    assert_error(
        get("/pdf/convert/to/png?url=ftp://example.com/a.pdf"),
        452,
        "http",
    );
    // With a sync budget of 0 s every synchronous conversion answers 445.
    assert_error(
        get(&format!("/pdf/convert/to/png?url={ok}")),
        445,
        "async=true",
    );
    // Async jobs report conversion errors through /job/check with the PDF.co code.
    let bad = s.upload(&fixture("ATTRIBUTION.md"));
    for (q, code, needle) in [
        (format!("url={enc}"), 441, "Password"),
        (format!("url={enc}&password=wrong"), 441, "Password"),
        (format!("url={bad}"), 442, "Damaged"),
        (format!("url={ok}&pages=25"), 449, "out of range"),
    ] {
        let (_, j) = s.get_json(&format!("/pdf/convert/to/png?async=true&{q}"));
        let job = s.wait_job(j["jobId"].as_str().unwrap(), Duration::from_secs(30));
        assert_eq!(job["status"], "failed", "{job}");
        assert_eq!(job["errorCode"], code, "{job}");
        assert!(job["message"].as_str().unwrap().contains(needle), "{job}");
    }

    // Synchronous errors carry the HTTP status and a reason phrase naming it.
    let s2 = Server::start(&[]);
    let enc2 = s2.upload(&fixture("qpdf-c-r4.pdf"));
    let r = client()
        .get(s2.url(&format!("/pdf/convert/to/png?url={enc2}")))
        .send()
        .unwrap();
    assert_error(r, 441, "Password");
    let raw = raw_status_line(s2.port, &format!("/pdf/convert/to/png?url={enc2}"));
    assert_eq!(raw, "HTTP/1.1 441 Invalid Password");
    let ok2 = s2.upload(&fixture("qpdf-rotated.pdf"));
    assert_error(
        client()
            .get(s2.url(&format!("/pdf/convert/to/png?pages=20&url={ok2}")))
            .send()
            .unwrap(),
        449,
        "out of range",
    );

    // 500: the storage fails underneath (the files directory replaced by a plain file).
    std::fs::remove_dir_all(s2.data_dir.join("files")).unwrap();
    std::fs::write(s2.data_dir.join("files"), b"not a directory").unwrap();
    let form = reqwest::blocking::multipart::Form::new().part(
        "file",
        reqwest::blocking::multipart::Part::bytes(b"%PDF-1.4".to_vec()).file_name("x.pdf"),
    );
    assert_error(
        client()
            .post(s2.url("/file/upload"))
            .multipart(form)
            .send()
            .unwrap(),
        500,
        "storage",
    );
}

fn raw_status_line(port: u16, path: &str) -> String {
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    out.lines().next().unwrap().to_string()
}

#[test]
fn api_keys_when_configured() {
    let s = Server::start(&["--api-keys", "k1,secret-two"]);
    let c = client();
    let r = c
        .get(s.url("/file/upload/get-presigned-url?name=a.pdf"))
        .send()
        .unwrap();
    assert_error(r, 401, "API key");
    let r = c
        .get(s.url("/file/upload/get-presigned-url?name=a.pdf"))
        .header("x-api-key", "secret-tw")
        .send()
        .unwrap();
    assert_eq!(r.status().as_u16(), 401);
    let r = c
        .get(s.url("/file/upload/get-presigned-url?name=a.pdf"))
        .header("x-api-key", "secret-two")
        .send()
        .unwrap();
    let j: Value = r.json().unwrap();
    assert_eq!(j["status"], 200);
    // Capability URLs need no key.
    let put = c
        .put(j["presignedUrl"].as_str().unwrap())
        .body(std::fs::read(fixture("pysf-minimal-document.pdf")).unwrap())
        .send()
        .unwrap();
    assert_eq!(put.status().as_u16(), 200);
    assert_eq!(get_bytes(j["url"].as_str().unwrap()).0, 200);
    // Key as a query parameter.
    let (status, _) = s.get_json(&format!(
        "/pdf/info?x-api-key=k1&url={}",
        j["url"].as_str().unwrap()
    ));
    assert_eq!(status, 200);
}

#[test]
fn async_job_survives_kill_9_in_the_middle() {
    let s = Server::start(&[
        "--job-lease-secs",
        "3",
        "--render-threads",
        "1",
        "--workers",
        "1",
    ]);
    let url = s.upload(&fixture("qpdf-rotated.pdf"));
    let (_, j) = s.get_json(&format!(
        "/pdf/convert/to/png?async=true&profiles={{'RenderingResolution':400}}&url={url}"
    ));
    let job_id = j["jobId"].as_str().unwrap().to_string();
    // Wait until the job is visibly half-way, then kill the server hard.
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    loop {
        let (_, c) = s.get_json(&format!("/job/check?jobid={job_id}"));
        assert_eq!(c["status"], "working", "finished before the crash: {c}");
        if c["pagesDone"].as_u64().unwrap_or(0) > 0 {
            break;
        }
        assert!(std::time::Instant::now() < deadline);
        std::thread::sleep(Duration::from_millis(50));
    }
    let s = s.crash_and_restart();
    let job = s.wait_job(&job_id, Duration::from_secs(120));
    assert_eq!(job["status"], "success", "{job}");
    assert_eq!(job["pageCount"], 20);
    let (st, _, list) = get_bytes(j["url"].as_str().unwrap());
    assert_eq!(st, 200);
    let urls: Vec<String> = serde_json::from_slice(&list).unwrap();
    assert_eq!(urls.len(), 20);
    for u in urls {
        let (st, _, png) = get_bytes(&u);
        assert_eq!(st, 200);
        png_size(&png);
    }
}

#[test]
fn sigterm_stops_gracefully_and_the_job_is_not_lost() {
    let s = Server::start(&["--workers", "1", "--render-threads", "1"]);
    let url = s.upload(&fixture("qpdf-rotated.pdf"));
    let (_, j) = s.get_json(&format!(
        "/pdf/convert/to/png?async=true&profiles={{'RenderingResolution':300}}&url={url}"
    ));
    let job_id = j["jobId"].as_str().unwrap().to_string();
    let mut s = s;
    let status = std::process::Command::new("kill")
        .args(["-TERM", &s.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    let exit = loop {
        if let Some(code) = s.child.try_wait().unwrap() {
            break code;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no exit after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(exit.success(), "{exit:?}");
    assert!(
        std::net::TcpStream::connect(("127.0.0.1", s.port)).is_err(),
        "still accepting"
    );
    // Finished during the grace period, or resumed now: either way it succeeds.
    let s = s.crash_and_restart();
    let job = s.wait_job(&job_id, Duration::from_secs(120));
    assert_eq!(job["status"], "success", "{job}");
    assert_eq!(job["pageCount"], 20);
}
