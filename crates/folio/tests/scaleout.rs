//! Several Folio nodes on shared backends: the real binary against a real PostgreSQL and a real
//! S3-compatible server (s3s-fs), as `.ci/run` starts them (`eval "$(.ci/postgres.sh start)"`,
//! `eval "$(.ci/s3.sh start)"`). Each test has a database and a bucket prefix of its own. Without
//! `FOLIO_TEST_POSTGRES_URL` / `FOLIO_TEST_S3_ENDPOINT` the tests are skipped, except under CI.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use common::{Server, client, fixture, get_bytes, png_size};
use serde_json::Value;
use sqlx::{AssertSqlSafe, Connection, PgConnection, Row};

/// A database and an S3 prefix of one test; the database is dropped with it.
struct Backends {
    admin_url: String,
    database: String,
    url: String,
    s3_endpoint: String,
    args: Vec<String>,
}

/// Run `f` on a throw-away runtime (the tests themselves are blocking).
fn block_on<T>(f: impl Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(f)
}

fn admin_sql(admin_url: &str, sql: String) {
    block_on(async {
        let mut admin = PgConnection::connect(admin_url).await.unwrap();
        sqlx::query(AssertSqlSafe(sql))
            .execute(&mut admin)
            .await
            .unwrap();
        admin.close().await.unwrap();
    })
}

/// Fresh backends for `test`, or `None` (said so) when the servers are not configured.
fn backends(test: &str) -> Option<Backends> {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let (Ok(admin_url), Ok(s3_endpoint)) = (
        std::env::var("FOLIO_TEST_POSTGRES_URL"),
        std::env::var("FOLIO_TEST_S3_ENDPOINT"),
    ) else {
        assert!(
            std::env::var_os("CI").is_none(),
            "{test}: FOLIO_TEST_POSTGRES_URL and FOLIO_TEST_S3_ENDPOINT must be set under CI"
        );
        eprintln!("SKIPPED {test}: FOLIO_TEST_POSTGRES_URL or FOLIO_TEST_S3_ENDPOINT not set");
        return None;
    };
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let unique = format!(
        "{}_{nanos}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    );
    let database = format!("folio_scale_{unique}");
    admin_sql(&admin_url, format!("CREATE DATABASE \"{database}\""));
    // The `dbname` parameter overrides the URL's path: the same server, this test's database.
    let sep = if admin_url.contains('?') { '&' } else { '?' };
    let url = format!("{admin_url}{sep}dbname={database}");
    let var = |name: &str| std::env::var(name).unwrap_or_else(|_| panic!("{name} must be set"));
    let args = [
        "--store",
        "s3",
        "--s3-bucket",
        &var("FOLIO_TEST_S3_BUCKET"),
        "--s3-prefix",
        &format!("scaleout-{test}-{unique}"),
        "--s3-endpoint",
        &s3_endpoint,
        "--s3-region",
        "us-east-1",
        "--s3-access-key-id",
        &var("FOLIO_TEST_S3_ACCESS_KEY"),
        "--s3-secret-access-key",
        &var("FOLIO_TEST_S3_SECRET_KEY"),
        "--s3-allow-http",
        "--queue",
        "postgres",
        "--database-url",
        &url,
    ]
    .map(str::to_string)
    .to_vec();
    Some(Backends {
        admin_url,
        database,
        url,
        s3_endpoint,
        args,
    })
}

impl Backends {
    /// A node on these backends, with `extra` flags.
    fn node(&self, extra: &[&str]) -> Server {
        let args: Vec<&str> = self
            .args
            .iter()
            .map(String::as_str)
            .chain(extra.iter().copied())
            .collect();
        Server::start(&args)
    }

    /// `(state, attempts, worker)` of every job, by id, read from the shared database.
    fn jobs(&self) -> BTreeMap<String, (String, i64, Option<String>)> {
        block_on(async {
            let mut db = PgConnection::connect(&self.url).await.unwrap();
            let rows = sqlx::query("SELECT id, state, attempts::BIGINT, worker FROM jobs")
                .fetch_all(&mut db)
                .await
                .unwrap();
            db.close().await.unwrap();
            rows.iter()
                .map(|r| (r.get(0), (r.get(1), r.get(2), r.get(3))))
                .collect()
        })
    }
}

impl Drop for Backends {
    fn drop(&mut self) {
        let sql = format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", self.database);
        let admin_url = self.admin_url.clone();
        // A test failing mid-way must still not leave the database behind; never panic in drop.
        let _ = std::thread::spawn(move || admin_sql(&admin_url, sql)).join();
    }
}

/// `url` as served by `node` (own URLs are recognised on any host).
fn on(node: &Server, url: &str) -> String {
    let start = url.find("://").unwrap() + 3;
    let end = start + url[start..].find('/').unwrap();
    format!("{}127.0.0.1:{}{}", &url[..start], node.port, &url[end..])
}

/// Upload `pdf` through `node`'s presigned URL; returns the file URL. Asserts the URL is S3's.
fn upload_to_s3(b: &Backends, node: &Server, pdf: &std::path::Path) -> String {
    let (status, j) = node.get_json("/file/upload/get-presigned-url?name=doc.pdf");
    assert_eq!(status, 200, "{j}");
    let put_url = j["presignedUrl"].as_str().unwrap();
    assert!(
        put_url.starts_with(&b.s3_endpoint) && put_url.contains("X-Amz-Signature"),
        "not an S3 presigned URL: {put_url}"
    );
    let put = client()
        .put(put_url)
        .header("content-type", "application/pdf")
        .body(std::fs::read(pdf).unwrap())
        .send()
        .unwrap();
    assert!(put.status().is_success(), "S3 PUT: {}", put.status());
    j["url"].as_str().unwrap().to_string()
}

/// Start an async PNG conversion of `url` on `node`; the job id.
fn convert_async(node: &Server, url: &str, profiles: &str) -> String {
    let mut body = serde_json::json!({"url": url, "async": true, "name": "page"});
    if !profiles.is_empty() {
        body["profiles"] = profiles.into();
    }
    let r = client()
        .post(node.url("/pdf/convert/to/png"))
        .json(&body)
        .send()
        .unwrap();
    let status = r.status().as_u16();
    let j: Value = r.json().unwrap();
    assert_eq!(status, 200, "{j}");
    j["jobId"].as_str().unwrap().to_string()
}

/// Download every page URL of a finished job (through `node` when given), checking each is a
/// PNG; returns their sizes.
fn download_pages(job: &Value, node: Option<&Server>) -> Vec<(u32, u32)> {
    assert_eq!(job["status"], "success", "{job}");
    job["urls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            let u = u.as_str().unwrap();
            let u = node.map_or(u.to_string(), |n| on(n, u));
            let (status, ct, data) = get_bytes(&u);
            assert_eq!(status, 200, "{u}");
            // S3 serves objects without the type Folio knows; Folio's own URLs carry it.
            if !u.contains("X-Amz-Signature") {
                assert_eq!(ct, "image/png", "{u}");
            }
            png_size(&data)
        })
        .collect()
}

#[test]
fn seed_flow_on_s3_and_postgres() {
    let Some(b) = backends("seed_flow") else {
        return;
    };
    let node = b.node(&[]);
    let url = upload_to_s3(&b, &node, &fixture("qpdf-rotated.pdf"));
    let id = convert_async(&node, &url, "");
    let job = node.wait_job(&id, Duration::from_secs(120));
    assert_eq!(job["pageCount"], 20, "{job}");
    let pages = download_pages(&job, None);
    assert_eq!(pages.len(), 20);
    assert!(pages.iter().all(|&(w, h)| w > 0 && h > 0));
}

#[test]
fn presigned_downloads_come_from_s3_and_work_as_inputs() {
    let Some(b) = backends("presigned_downloads") else {
        return;
    };
    let node = b.node(&["--s3-downloads", "presigned"]);
    let url = upload_to_s3(&b, &node, &fixture("pysf-minimal-document.pdf"));
    assert!(url.starts_with(&b.s3_endpoint), "{url}");
    // The presigned GET URL of an upload is recognised as stored, not fetched over HTTP.
    let job = node.wait_job(&convert_async(&node, &url, ""), Duration::from_secs(60));
    let page = job["urls"][0].as_str().unwrap();
    assert!(page.starts_with(&b.s3_endpoint), "{page}");
    assert_eq!(download_pages(&job, None).len(), 1);
}

#[test]
fn two_nodes_share_uploads_jobs_and_files() {
    let Some(b) = backends("two_nodes") else {
        return;
    };
    let (a, bn) = (b.node(&[]), b.node(&[]));
    // Straight to S3 through A's presigned URL, and through A's own upload route.
    let direct = upload_to_s3(&b, &a, &fixture("qpdf-rotated.pdf"));
    let (_, j) = a.get_json("/file/upload/get-presigned-url?name=min.pdf");
    let token = j["url"].as_str().unwrap().split('/').nth(4).unwrap();
    let put = client()
        .put(a.url(&format!("/file/upload/put/{token}/min.pdf")))
        .body(std::fs::read(fixture("pysf-minimal-document.pdf")).unwrap())
        .send()
        .unwrap();
    assert_eq!(put.status().as_u16(), 200);
    let proxied = j["url"].as_str().unwrap().to_string();

    for (url, pages) in [(direct, 20), (proxied, 1)] {
        let id = convert_async(&bn, &on(&bn, &url), "");
        let on_b = bn.wait_job(&id, Duration::from_secs(120));
        let (_, on_a) = a.get_json(&format!("/job/check?jobid={id}"));
        assert_eq!(on_a, on_b, "/job/check differs between nodes");
        assert_eq!(on_b["pageCount"], pages);
        assert_eq!(
            download_pages(&on_b, Some(&a)),
            download_pages(&on_b, Some(&bn))
        );
    }
}

#[test]
fn a_killed_nodes_job_is_finished_by_the_other() {
    let Some(b) = backends("takeover") else {
        return;
    };
    let flags = [
        "--workers",
        "1",
        "--job-lease-secs",
        "3",
        "--render-threads",
        "1",
    ];
    let mut a = b.node(&flags);
    let url = upload_to_s3(&b, &a, &fixture("qpdf-rotated.pdf"));
    let id = convert_async(&a, &url, "{RenderingResolution: 600}");
    // Wait until A is rendering (pages done), then bring up B and kill A mid-job.
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let (_, j) = a.get_json(&format!("/job/check?jobid={id}"));
        assert_eq!(
            j["status"], "working",
            "A finished before it could be killed: {j}"
        );
        if j["pagesDone"].as_u64().unwrap_or(0) >= 1 {
            break;
        }
        assert!(Instant::now() < deadline, "A never started the job");
        std::thread::sleep(Duration::from_millis(50));
    }
    let bn = b.node(&flags);
    let (_, attempts_a, worker_a) = b.jobs()[&id].clone();
    assert_eq!(attempts_a, 1);
    a.child.kill().unwrap();
    let died = Instant::now();
    a.child.wait().unwrap();

    let mut claimed = None;
    let job = loop {
        let (_, attempts, worker) = b.jobs()[&id].clone();
        if claimed.is_none() && attempts == 2 {
            claimed = Some(died.elapsed());
            assert_ne!(
                worker, worker_a,
                "the job must be claimed by another worker"
            );
        }
        let (_, j) = bn.get_json(&format!("/job/check?jobid={id}"));
        if j["status"] != "working" {
            break j;
        }
        assert!(
            died.elapsed() < Duration::from_secs(180),
            "B never finished the job"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    let succeeded = died.elapsed();
    assert_eq!(job["pageCount"], 20, "{job}");
    assert_eq!(download_pages(&job, None).len(), 20);
    assert_eq!(b.jobs()[&id].1, 2, "run exactly twice: A (killed) and B");
    eprintln!(
        "takeover: claimed by B {:.2} s after kill -9 of A, succeeded after {:.2} s (lease 3 s)",
        claimed.map_or(f64::NAN, |d| d.as_secs_f64()),
        succeeded.as_secs_f64()
    );
}

#[test]
fn two_hundred_jobs_through_two_nodes() {
    let Some(b) = backends("two_hundred") else {
        return;
    };
    let nodes = [b.node(&[]), b.node(&[])];
    let url = upload_to_s3(&b, &nodes[0], &fixture("pysf-minimal-document.pdf"));
    let ids: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..4)
            .map(|t| {
                let (nodes, url) = (&nodes, &url);
                s.spawn(move || {
                    (0..50)
                        .map(|i| {
                            let n = &nodes[(t + i) % 2];
                            convert_async(n, &on(n, url), "")
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    assert_eq!(ids.iter().collect::<BTreeSet<_>>().len(), 200);
    let mut checked = 0;
    for (i, id) in ids.iter().enumerate() {
        let job = nodes[i % 2].wait_job(id, Duration::from_secs(300));
        let (_, other) = nodes[(i + 1) % 2].get_json(&format!("/job/check?jobid={id}"));
        assert_eq!(job, other, "/job/check differs between nodes");
        let urls = job["urls"].as_array().unwrap();
        assert_eq!(urls.len(), 1, "{job}");
        // Page files live under a token derived from the job's secret seed: a second run would
        // write the same ones, yet the token does not reveal (or follow from) the job id.
        let token = urls[0].as_str().unwrap().split("/files/").nth(1).unwrap();
        let token = token.split('/').next().unwrap();
        assert!(
            token.len() == 32
                && token.bytes().all(|b| b.is_ascii_hexdigit())
                && !token.contains(id.as_str()),
            "{token}"
        );
        checked += download_pages(&job, Some(&nodes[i % 2])).len();
    }
    assert_eq!(checked, 200);
    let jobs = b.jobs();
    assert_eq!(jobs.len(), 200);
    assert!(jobs.values().all(|(state, _, _)| state == "success"));
    let reruns = jobs
        .values()
        .filter(|(_, attempts, _)| *attempts != 1)
        .count();
    assert_eq!(reruns, 0, "no job should run twice without a crash");
    let per_node = jobs
        .values()
        .filter_map(|(_, _, w)| {
            w.as_deref()
                .map(|w| w.split('-').next().unwrap().to_string())
        })
        .fold(BTreeMap::<String, u32>::new(), |mut m, n| {
            *m.entry(n).or_default() += 1;
            m
        });
    eprintln!("jobs per node: {per_node:?}");
}

#[test]
fn invalid_backend_configuration_stops_start_up() {
    for (args, expected) in [
        (&["--store", "s3"][..], "--s3-bucket"),
        (&["--queue", "postgres"][..], "--database-url"),
        (
            &[
                "--queue",
                "postgres",
                "--database-url",
                "postgres://nobody:x@127.0.0.1:1/none",
            ][..],
            "connecting to the PostgreSQL job database",
        ),
    ] {
        let dir = std::env::temp_dir().join(format!("folio-badcfg-{}", std::process::id()));
        let out = Command::new(env!("CARGO_BIN_EXE_folio"))
            .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
            .arg(&dir)
            .args(args)
            .env_remove("DATABASE_URL")
            .env_remove("FOLIO_S3_BUCKET")
            .env_remove("FOLIO_DATABASE_URL")
            .output()
            .unwrap();
        let _ = std::fs::remove_dir_all(&dir);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?} started");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}
