//! `S3Store` against a real S3-compatible server (s3s-fs in CI: `eval "$(.ci/s3.sh start)"`).
//!
//! Environment: `FOLIO_TEST_S3_ENDPOINT` (e.g. `http://127.0.0.1:59000`; unset: every test is
//! skipped, or fails when `CI` is set), `FOLIO_TEST_S3_BUCKET` (must exist), and the credentials
//! `FOLIO_TEST_S3_ACCESS_KEY` / `FOLIO_TEST_S3_SECRET_KEY`, or when those are unset the standard
//! `AWS_*` variables. Each test works under its own fresh key prefix, so tests run in parallel
//! and reruns never see old objects; nothing is cleaned up, so point this at a scratch bucket.

mod contract;

use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use contract::{Fixture, contract_tests, keys, pattern};
use folio_store::{S3Config, S3Store, Store, StoreError};
use tempfile::TempDir;

/// The configuration for the test server, under `prefix`; `None` (after saying so) when no
/// server is configured.
fn config(test: &str, prefix: Option<String>) -> Option<S3Config> {
    let Ok(endpoint) = std::env::var("FOLIO_TEST_S3_ENDPOINT") else {
        if std::env::var_os("CI").is_some() {
            panic!("{test}: FOLIO_TEST_S3_ENDPOINT not set, and CI must run the S3 tests");
        }
        eprintln!("SKIPPED {test}: FOLIO_TEST_S3_ENDPOINT not set");
        return None;
    };
    Some(S3Config {
        bucket: std::env::var("FOLIO_TEST_S3_BUCKET").expect("FOLIO_TEST_S3_BUCKET"),
        prefix,
        endpoint: Some(endpoint),
        region: Some("us-east-1".into()),
        access_key_id: std::env::var("FOLIO_TEST_S3_ACCESS_KEY").ok(),
        secret_access_key: std::env::var("FOLIO_TEST_S3_SECRET_KEY").ok(),
        session_token: None,
        allow_http: true,
    })
}

/// A prefix no other test, and no earlier run, has used.
fn unique_prefix(test: &str) -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("test-{test}-{}-{nanos}-{n}", std::process::id())
}

/// A store seeing an empty bucket: its own fresh prefix.
fn fixture(test: &str) -> Option<Fixture> {
    let config = config(test, Some(unique_prefix(test)))?;
    let store = Arc::new(S3Store::new(config).unwrap());
    let scratch = TempDir::new().unwrap();
    Some(Fixture { store, scratch })
}

// `prefix_of_a_key_is_not_found` is left out: s3s-fs stores `files/present` as a file in a
// directory `files`, and answers a GET of `files` with a 500 (EISDIR) instead of `NoSuchKey`.
contract_tests!(fixture =>
    put_get_roundtrip,
    put_empty_object,
    overwrite_replaces,
    missing_is_not_found,
    delete_is_idempotent,
    head_reports_size_and_age,
    get_stream_yields_whole_object,
    put_file_roundtrips_20_mib,
    put_file_of_small_and_empty_files,
    put_file_missing_source_keeps_old_object,
    invalid_keys_are_rejected,
    list_older_than_filters_by_age_and_prefix,
    concurrent_puts_leave_one_complete_value,
);

fn http() -> reqwest::Client {
    reqwest::Client::new()
}

#[tokio::test]
async fn presign_put_accepts_a_plain_http_put() {
    let Some(f) = fixture("presign_put_accepts_a_plain_http_put") else {
        return;
    };
    let data = pattern(100_000, 9);
    let url = f
        .store
        .presign_put("uploads/u1/in.pdf", Duration::from_secs(300))
        .await
        .unwrap()
        .expect("S3 gives presigned URLs");
    assert!(url.contains("X-Amz-Signature="), "{url}");
    let response = http().put(&url).body(data.clone()).send().await.unwrap();
    assert!(response.status().is_success(), "{:?}", response.status());
    assert_eq!(f.store.get("uploads/u1/in.pdf").await.unwrap(), data);
}

#[tokio::test]
async fn presign_get_downloads_the_object() {
    let Some(f) = fixture("presign_get_downloads_the_object") else {
        return;
    };
    let data = pattern(300_000, 5);
    f.store
        .put("files/f1/out.png", Bytes::from(data.clone()))
        .await
        .unwrap();
    let url = f
        .store
        .presign_get("files/f1/out.png", Duration::from_secs(300))
        .await
        .unwrap()
        .expect("S3 gives presigned URLs");
    let response = http().get(&url).send().await.unwrap();
    assert!(response.status().is_success(), "{:?}", response.status());
    assert_eq!(response.bytes().await.unwrap(), data);
}

#[tokio::test]
async fn expired_presigned_urls_are_refused() {
    let Some(f) = fixture("expired_presigned_urls_are_refused") else {
        return;
    };
    f.store.put("k", Bytes::from_static(b"old")).await.unwrap();
    let second = Duration::from_secs(1);
    let get = f.store.presign_get("k", second).await.unwrap().unwrap();
    let put = f.store.presign_put("k", second).await.unwrap().unwrap();
    tokio::time::sleep(Duration::from_secs(2)).await;

    let response = http().get(&get).send().await.unwrap();
    assert_eq!(response.status(), reqwest::StatusCode::FORBIDDEN);
    let response = http().put(&put).body("new").send().await.unwrap();
    assert_eq!(response.status(), reqwest::StatusCode::FORBIDDEN);
    assert_eq!(f.store.get("k").await.unwrap(), "old");
}

/// The configured prefix is really where objects go, and stores on different prefixes of one
/// bucket do not see each other's objects.
#[tokio::test]
async fn prefix_scopes_the_store_within_the_bucket() {
    let test = "prefix_scopes_the_store_within_the_bucket";
    let Some(whole_bucket) = config(test, None) else {
        return;
    };
    let prefix = unique_prefix(test);
    let mut nested = config(test, Some(format!("{prefix}/a"))).unwrap();
    let bucket = S3Store::new(whole_bucket).unwrap();
    let a = S3Store::new(nested.clone()).unwrap();
    nested.prefix = Some(format!("{prefix}/b"));
    let b = S3Store::new(nested).unwrap();

    a.put("files/x", Bytes::from_static(b"from a"))
        .await
        .unwrap();
    b.put("files/y", Bytes::from_static(b"from b"))
        .await
        .unwrap();
    assert_eq!(
        bucket.get(&format!("{prefix}/a/files/x")).await.unwrap(),
        "from a"
    );
    assert!(matches!(
        a.get("files/y").await,
        Err(StoreError::NotFound(_))
    ));
    let future = SystemTime::now() + Duration::from_secs(60);
    assert_eq!(
        keys(a.list_older_than("", future).await.unwrap()),
        BTreeSet::from(["files/x".to_owned()])
    );
    assert_eq!(
        keys(
            bucket
                .list_older_than(&format!("{prefix}/"), future)
                .await
                .unwrap()
        ),
        BTreeSet::from([format!("{prefix}/a/files/x"), format!("{prefix}/b/files/y")])
    );
}

#[test]
fn invalid_prefix_is_rejected() {
    for prefix in ["/abs", "a//b", "../x", "a/"] {
        let config = S3Config {
            bucket: "b".into(),
            prefix: Some(prefix.into()),
            ..S3Config::default()
        };
        assert!(
            matches!(S3Store::new(config), Err(StoreError::InvalidKey(_))),
            "{prefix:?}"
        );
    }
}

#[test]
fn debug_hides_secrets() {
    let config = S3Config {
        bucket: "b".into(),
        access_key_id: Some("AKIDEXAMPLE".into()),
        secret_access_key: Some("very-secret".into()),
        session_token: Some("token-secret".into()),
        ..S3Config::default()
    };
    let shown = format!("{config:?}");
    assert!(shown.contains("AKIDEXAMPLE"), "{shown}");
    assert!(!shown.contains("very-secret"), "{shown}");
    assert!(!shown.contains("token-secret"), "{shown}");
}
