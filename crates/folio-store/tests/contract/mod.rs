//! What every `Store` must do, written once against `dyn Store`: each backend's test file runs
//! these on a fresh, empty store and adds its own backend-specific checks.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use folio_store::{ByteStream, ObjectInfo, Store, StoreError};
use futures::TryStreamExt;

pub const MIB: usize = 1024 * 1024;

/// Keys that must be refused by every operation.
pub fn invalid_keys() -> Vec<String> {
    [
        "../x",
        "/abs",
        "a//b",
        "a/./b",
        "a\\b",
        "x\0y",
        "",
        "a/b/..",
        "../root/x",
        "a b",
        "é",
    ]
    .into_iter()
    .map(str::to_owned)
    .chain([("a".repeat(2000))])
    .collect()
}

/// Deterministic, position-dependent bytes, so a shifted or truncated copy never compares equal.
pub fn pattern(len: usize, seed: u8) -> Vec<u8> {
    (0..len)
        .map(|i| (i as u32).wrapping_mul(2_654_435_761).to_le_bytes()[3] ^ seed)
        .collect()
}

/// The keys of a listing.
pub fn keys(listing: Vec<ObjectInfo>) -> BTreeSet<String> {
    listing.into_iter().map(|i| i.key).collect()
}

pub async fn put_get_roundtrip(store: Arc<dyn Store>, _scratch: &Path) {
    store
        .put("files/abc123/report-0.png", Bytes::from_static(b"hello"))
        .await
        .unwrap();
    assert_eq!(
        store.get("files/abc123/report-0.png").await.unwrap(),
        "hello"
    );
}

pub async fn put_empty_object(store: Arc<dyn Store>, _scratch: &Path) {
    store.put("empty", Bytes::new()).await.unwrap();
    assert_eq!(store.get("empty").await.unwrap(), "");
    assert_eq!(store.head("empty").await.unwrap().size, 0);
}

pub async fn overwrite_replaces(store: Arc<dyn Store>, _scratch: &Path) {
    store.put("k", Bytes::from(vec![1u8; 1000])).await.unwrap();
    store.put("k", Bytes::from_static(b"short")).await.unwrap();
    assert_eq!(store.get("k").await.unwrap(), "short");
    assert_eq!(store.head("k").await.unwrap().size, 5);
}

pub async fn missing_is_not_found(store: Arc<dyn Store>, _scratch: &Path) {
    store
        .put("files/present", Bytes::from_static(b"x"))
        .await
        .unwrap();
    assert_not_found(&*store, &["nope", "files/nope"]).await;
}

/// `files` names no object when only `files/present` exists (on disk it is a directory).
/// Not run against s3s-fs, which answers 500 where S3 answers `NoSuchKey`.
#[allow(dead_code)]
pub async fn prefix_of_a_key_is_not_found(store: Arc<dyn Store>, _scratch: &Path) {
    store
        .put("files/present", Bytes::from_static(b"x"))
        .await
        .unwrap();
    assert_not_found(&*store, &["files"]).await;
}

async fn assert_not_found(store: &dyn Store, keys: &[&str]) {
    for &key in keys {
        assert!(
            matches!(store.get(key).await, Err(StoreError::NotFound(k)) if k == key),
            "{key}"
        );
        assert!(
            matches!(store.get_stream(key).await, Err(StoreError::NotFound(_))),
            "{key}"
        );
        assert!(
            matches!(store.head(key).await, Err(StoreError::NotFound(_))),
            "{key}"
        );
    }
}

pub async fn delete_is_idempotent(store: Arc<dyn Store>, _scratch: &Path) {
    store.put("a/b", Bytes::from_static(b"x")).await.unwrap();
    store.delete("a/b").await.unwrap();
    assert!(matches!(
        store.get("a/b").await,
        Err(StoreError::NotFound(_))
    ));
    store.delete("a/b").await.unwrap();
    store.delete("never/was").await.unwrap();
}

pub async fn head_reports_size_and_age(store: Arc<dyn Store>, _scratch: &Path) {
    let before = SystemTime::now() - Duration::from_secs(5);
    store
        .put("jobs/AbC_-9/x.tiff", Bytes::from(vec![0u8; 12345]))
        .await
        .unwrap();
    let info = store.head("jobs/AbC_-9/x.tiff").await.unwrap();
    assert_eq!(info.key, "jobs/AbC_-9/x.tiff");
    assert_eq!(info.size, 12345);
    assert!(info.last_modified > before);
    assert!(info.last_modified < SystemTime::now() + Duration::from_secs(5));
}

pub async fn get_stream_yields_whole_object(store: Arc<dyn Store>, _scratch: &Path) {
    let data = pattern(3 * MIB + 17, 7);
    store.put("big", Bytes::from(data.clone())).await.unwrap();
    let ByteStream { size, stream } = store.get_stream("big").await.unwrap();
    assert_eq!(size, data.len() as u64);
    let chunks: Vec<Bytes> = stream.try_collect().await.unwrap();
    assert!(chunks.len() > 1);
    assert_eq!(chunks.concat(), data);
}

/// Larger than both backends' part sizes (4 and 8 MiB), and not a multiple of either.
pub async fn put_file_roundtrips_20_mib(store: Arc<dyn Store>, scratch: &Path) {
    let data = pattern(20 * MIB + 3, 42);
    let src = scratch.join("src.bin");
    std::fs::write(&src, &data).unwrap();
    store
        .put("jobs/j1/out.tiff", Bytes::from_static(b"old"))
        .await
        .unwrap();
    store.put_file("jobs/j1/out.tiff", &src).await.unwrap();
    assert!(store.get("jobs/j1/out.tiff").await.unwrap() == data);
    assert_eq!(
        store.head("jobs/j1/out.tiff").await.unwrap().size,
        data.len() as u64
    );
}

pub async fn put_file_of_small_and_empty_files(store: Arc<dyn Store>, scratch: &Path) {
    for (key, len) in [("e", 0), ("s", 1000)] {
        let data = pattern(len, 3);
        let src = scratch.join(key);
        std::fs::write(&src, &data).unwrap();
        store.put_file(key, &src).await.unwrap();
        assert_eq!(store.get(key).await.unwrap(), data);
    }
}

pub async fn put_file_missing_source_keeps_old_object(store: Arc<dyn Store>, scratch: &Path) {
    store.put("k", Bytes::from_static(b"old")).await.unwrap();
    let err = store
        .put_file("k", &scratch.join("absent"))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Backend(_)), "{err:?}");
    assert_eq!(store.get("k").await.unwrap(), "old");
}

pub async fn invalid_keys_are_rejected(store: Arc<dyn Store>, scratch: &Path) {
    let src = scratch.join("src.bin");
    std::fs::write(&src, b"payload").unwrap();
    let hour = Duration::from_secs(3600);
    for key in invalid_keys() {
        let key = key.as_str();
        let invalid = |r: Result<(), StoreError>| matches!(r, Err(StoreError::InvalidKey(_)));
        assert!(
            invalid(store.put(key, Bytes::from_static(b"x")).await),
            "put {key:?}"
        );
        assert!(invalid(store.put_file(key, &src).await), "put_file {key:?}");
        assert!(invalid(store.get(key).await.map(drop)), "get {key:?}");
        assert!(
            invalid(store.get_stream(key).await.map(drop)),
            "get_stream {key:?}"
        );
        assert!(invalid(store.head(key).await.map(drop)), "head {key:?}");
        assert!(invalid(store.delete(key).await), "delete {key:?}");
        assert!(
            invalid(store.presign_put(key, hour).await.map(drop)),
            "presign_put {key:?}"
        );
        assert!(
            invalid(store.presign_get(key, hour).await.map(drop)),
            "presign_get {key:?}"
        );
        let prefix = format!("{key}/");
        assert!(
            invalid(
                store
                    .list_older_than(&prefix, SystemTime::now())
                    .await
                    .map(drop)
            ),
            "list {prefix:?}"
        );
    }
    assert!(
        store
            .list_older_than("", SystemTime::now() + hour)
            .await
            .unwrap()
            .is_empty()
    );
}

pub async fn list_older_than_filters_by_age_and_prefix(store: Arc<dyn Store>, _scratch: &Path) {
    store
        .put("files/a/1.png", Bytes::from_static(b"1"))
        .await
        .unwrap();
    store
        .put("files/b/2.png", Bytes::from_static(b"22"))
        .await
        .unwrap();
    store
        .put("filesx/3.png", Bytes::from_static(b"22"))
        .await
        .unwrap();
    store
        .put("jobs/c/3.tiff", Bytes::from_static(b"333"))
        .await
        .unwrap();
    let future = SystemTime::now() + Duration::from_secs(60);
    let past = SystemTime::now() - Duration::from_secs(60);

    assert_eq!(
        keys(store.list_older_than("files/", future).await.unwrap()),
        BTreeSet::from(["files/a/1.png".to_owned(), "files/b/2.png".to_owned()])
    );
    assert_eq!(
        keys(store.list_older_than("", future).await.unwrap()).len(),
        4
    );
    assert!(store.list_older_than("", past).await.unwrap().is_empty());
    assert!(
        store
            .list_older_than("nothing/here/", future)
            .await
            .unwrap()
            .is_empty()
    );

    let info = store.list_older_than("jobs/", future).await.unwrap();
    assert_eq!(info.len(), 1);
    assert_eq!(info[0].key, "jobs/c/3.tiff");
    assert_eq!(info[0].size, 3);
    assert!(matches!(
        store.list_older_than("files", future).await,
        Err(StoreError::InvalidKey(_))
    ));
}

/// Run on a multi-threaded runtime, so that writers and the reader really overlap. The files of
/// `put_file` writers are over `FsStore`'s part size, so its multipart path races too.
pub async fn concurrent_puts_leave_one_complete_value(store: Arc<dyn Store>, scratch: &Path) {
    let by_put_file = |i: u8| !i.is_multiple_of(2);
    let len = |i| if by_put_file(i) { 4 * MIB + 1 } else { MIB };
    let patterns: Arc<Vec<Vec<u8>>> = Arc::new((0..16).map(|i| pattern(len(i), i)).collect());
    store
        .put("race", Bytes::from(patterns[0].clone()))
        .await
        .unwrap();

    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..16u8 {
        let (store, patterns) = (store.clone(), patterns.clone());
        let src = scratch.join(format!("src{i}"));
        std::fs::write(&src, &patterns[usize::from(i)]).unwrap();
        tasks.spawn(async move {
            for _ in 0..4 {
                if by_put_file(i) {
                    store.put_file("race", &src).await.unwrap();
                } else {
                    let data = Bytes::from(patterns[usize::from(i)].clone());
                    store.put("race", data).await.unwrap();
                }
            }
        });
    }
    // A reader racing the writers must only ever see a whole value.
    let reader = {
        let (store, patterns) = (store.clone(), patterns.clone());
        tokio::spawn(async move {
            for _ in 0..50 {
                let got = store.get("race").await.unwrap();
                assert!(patterns.iter().any(|p| got == p[..]), "torn read");
            }
        })
    };
    while let Some(r) = tasks.join_next().await {
        r.unwrap();
    }
    reader.await.unwrap();

    let got = store.get("race").await.unwrap();
    assert!(patterns.iter().any(|p| got == p[..]));
}

/// A fresh, empty store, and a scratch directory for source files that outlives it.
pub struct Fixture {
    pub store: Arc<dyn Store>,
    pub scratch: tempfile::TempDir,
}

/// One test per named check above, each on a fresh store from `$fixture(test_name)`, which
/// returns `None` when the backend is unavailable and the test should be skipped.
macro_rules! contract_tests {
    ($fixture:path => $($check:ident),+ $(,)?) => {$(
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $check() {
            if let Some(f) = $fixture(stringify!($check)) {
                contract::$check(f.store.clone(), f.scratch.path()).await;
            }
        }
    )+};
}
pub(crate) use contract_tests;
