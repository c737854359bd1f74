//! `FsStore` against a real temporary directory.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use folio_store::{ByteStream, FsStore, ObjectInfo, Store, StoreError};
use futures::TryStreamExt;
use tempfile::TempDir;

const MIB: usize = 1024 * 1024;

/// A store in `<tmp>/root`, so tests can watch `<tmp>` for anything written beside the root.
fn store() -> (TempDir, PathBuf, FsStore) {
    let tmp = TempDir::new().unwrap();
    let root = tmp.path().join("root");
    let store = FsStore::new(&root).unwrap();
    (tmp, root, store)
}

/// Deterministic, position-dependent bytes, so a shifted or truncated copy never compares equal.
fn pattern(len: usize, seed: u8) -> Vec<u8> {
    (0..len)
        .map(|i| (i as u32).wrapping_mul(2_654_435_761).to_le_bytes()[3] ^ seed)
        .collect()
}

/// Every path under `dir`, relative to it.
fn tree(dir: &Path) -> BTreeSet<PathBuf> {
    let mut out = BTreeSet::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                todo.push(path.clone());
            }
            out.insert(path.strip_prefix(dir).unwrap().to_path_buf());
        }
    }
    out
}

#[tokio::test]
async fn new_creates_missing_root() {
    let tmp = TempDir::new().unwrap();
    let root = tmp.path().join("a/b/c");
    FsStore::new(&root).unwrap();
    assert!(root.is_dir());
}

#[tokio::test]
async fn put_get_roundtrip() {
    let (_tmp, _root, store) = store();
    store
        .put("files/abc123/report-0.png", Bytes::from_static(b"hello"))
        .await
        .unwrap();
    assert_eq!(
        store.get("files/abc123/report-0.png").await.unwrap(),
        "hello"
    );
}

#[tokio::test]
async fn put_empty_object() {
    let (_tmp, _root, store) = store();
    store.put("empty", Bytes::new()).await.unwrap();
    assert_eq!(store.get("empty").await.unwrap(), "");
    assert_eq!(store.head("empty").await.unwrap().size, 0);
}

#[tokio::test]
async fn overwrite_replaces() {
    let (_tmp, _root, store) = store();
    store.put("k", Bytes::from(vec![1u8; 1000])).await.unwrap();
    store.put("k", Bytes::from_static(b"short")).await.unwrap();
    assert_eq!(store.get("k").await.unwrap(), "short");
}

#[tokio::test]
async fn missing_is_not_found() {
    let (_tmp, _root, store) = store();
    store
        .put("files/present", Bytes::from_static(b"x"))
        .await
        .unwrap();
    for key in ["nope", "files/nope", "files"] {
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

#[tokio::test]
async fn delete_is_idempotent() {
    let (_tmp, _root, store) = store();
    store.put("a/b", Bytes::from_static(b"x")).await.unwrap();
    store.delete("a/b").await.unwrap();
    assert!(matches!(
        store.get("a/b").await,
        Err(StoreError::NotFound(_))
    ));
    store.delete("a/b").await.unwrap();
    store.delete("never/was").await.unwrap();
}

#[tokio::test]
async fn head_reports_size_and_age() {
    let (_tmp, _root, store) = store();
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

#[tokio::test]
async fn get_stream_yields_whole_object() {
    let (_tmp, _root, store) = store();
    let data = pattern(3 * MIB + 17, 7);
    store.put("big", Bytes::from(data.clone())).await.unwrap();
    let ByteStream { size, stream } = store.get_stream("big").await.unwrap();
    assert_eq!(size, data.len() as u64);
    let chunks: Vec<Bytes> = stream.try_collect().await.unwrap();
    assert!(chunks.len() > 1);
    assert_eq!(chunks.concat(), data);
}

#[tokio::test]
async fn put_file_roundtrips_20_mib() {
    let (tmp, root, store) = store();
    let data = pattern(20 * MIB + 3, 42);
    let src = tmp.path().join("src.bin");
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
    // No staging file left behind.
    let files: Vec<_> = tree(&root)
        .into_iter()
        .filter(|p| root.join(p).is_file())
        .collect();
    assert_eq!(files, [PathBuf::from("jobs/j1/out.tiff")]);
}

#[tokio::test]
async fn put_file_of_empty_file() {
    let (tmp, _root, store) = store();
    let src = tmp.path().join("empty");
    std::fs::write(&src, b"").unwrap();
    store.put_file("e", &src).await.unwrap();
    assert_eq!(store.get("e").await.unwrap(), "");
}

#[tokio::test]
async fn put_file_missing_source_keeps_old_object() {
    let (tmp, _root, store) = store();
    store.put("k", Bytes::from_static(b"old")).await.unwrap();
    let err = store
        .put_file("k", &tmp.path().join("absent"))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Backend(_)), "{err:?}");
    assert_eq!(store.get("k").await.unwrap(), "old");
}

#[tokio::test]
async fn invalid_keys_are_rejected_and_touch_nothing() {
    let (tmp, root, store) = store();
    let src = tmp.path().join("src.bin");
    std::fs::write(&src, b"payload").unwrap();
    let outside = tree(tmp.path());
    let long = "a".repeat(2000);
    let keys = [
        "../x",
        "/abs",
        "a//b",
        "a/./b",
        "a\\b",
        "x\0y",
        "",
        &long,
        "a/b/..",
        "../root/x",
    ];
    for key in keys {
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
    assert_eq!(tree(tmp.path()), outside);
    assert!(tree(&root).is_empty());
}

#[tokio::test]
async fn list_older_than_filters_by_age_and_prefix() {
    let (_tmp, _root, store) = store();
    store
        .put("files/a/1.png", Bytes::from_static(b"1"))
        .await
        .unwrap();
    store
        .put("files/b/2.png", Bytes::from_static(b"22"))
        .await
        .unwrap();
    store
        .put("jobs/c/3.tiff", Bytes::from_static(b"333"))
        .await
        .unwrap();
    let future = SystemTime::now() + Duration::from_secs(60);
    let past = SystemTime::now() - Duration::from_secs(60);

    let keys = |v: Vec<ObjectInfo>| v.into_iter().map(|i| i.key).collect::<BTreeSet<_>>();
    assert_eq!(
        keys(store.list_older_than("files/", future).await.unwrap()),
        BTreeSet::from(["files/a/1.png".to_owned(), "files/b/2.png".to_owned()])
    );
    assert_eq!(
        keys(store.list_older_than("", future).await.unwrap()).len(),
        3
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
    assert_eq!(info[0].size, 3);
    assert!(matches!(
        store.list_older_than("files", future).await,
        Err(StoreError::InvalidKey(_))
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_puts_leave_one_complete_value() {
    let (tmp, root, store) = store();
    let store = Arc::new(store);
    let patterns: Arc<Vec<Vec<u8>>> = Arc::new((0..16).map(|i| pattern(MIB, i)).collect());
    store
        .put("race", Bytes::from(patterns[0].clone()))
        .await
        .unwrap();

    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..patterns.len() {
        let (store, patterns) = (store.clone(), patterns.clone());
        let src = tmp.path().join(format!("src{i}"));
        std::fs::write(&src, &patterns[i]).unwrap();
        tasks.spawn(async move {
            for _ in 0..4 {
                if i % 2 == 0 {
                    store
                        .put("race", Bytes::from(patterns[i].clone()))
                        .await
                        .unwrap();
                } else {
                    store.put_file("race", &src).await.unwrap();
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
    let files: Vec<_> = tree(&root)
        .into_iter()
        .filter(|p| root.join(p).is_file())
        .collect();
    assert_eq!(files, [PathBuf::from("race")]);
}
