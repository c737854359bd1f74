//! `FsStore` against a real temporary directory: the shared contract, plus what only a directory
//! can show (no staging files left, nothing written outside the root).

mod contract;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use contract::{Fixture, contract_tests};
use folio_store::FsStore;
use tempfile::TempDir;

/// A store in `<scratch>/root`, so tests can watch `<scratch>` for anything written beside it.
fn fixture(_test: &str) -> Option<Fixture> {
    let scratch = TempDir::new().unwrap();
    let store = Arc::new(FsStore::new(root(&scratch)).unwrap());
    Some(Fixture { store, scratch })
}

fn root(scratch: &TempDir) -> PathBuf {
    scratch.path().join("root")
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

/// The files under the root: the stored objects plus anything a write left behind.
fn files(scratch: &TempDir) -> Vec<PathBuf> {
    let root = root(scratch);
    tree(&root)
        .into_iter()
        .filter(|p| root.join(p).is_file())
        .collect()
}

contract_tests!(fixture =>
    put_get_roundtrip,
    put_empty_object,
    overwrite_replaces,
    missing_is_not_found,
    prefix_of_a_key_is_not_found,
    delete_is_idempotent,
    head_reports_size_and_age,
    get_stream_yields_whole_object,
    put_file_of_small_and_empty_files,
    put_file_missing_source_keeps_old_object,
    list_older_than_filters_by_age_and_prefix,
);

#[tokio::test]
async fn new_creates_missing_root() {
    let tmp = TempDir::new().unwrap();
    let root = tmp.path().join("a/b/c");
    FsStore::new(&root).unwrap();
    assert!(root.is_dir());
}

#[tokio::test]
async fn put_file_roundtrips_20_mib_leaving_no_staging_file() {
    let f = fixture("").unwrap();
    contract::put_file_roundtrips_20_mib(f.store.clone(), f.scratch.path()).await;
    assert_eq!(files(&f.scratch), [PathBuf::from("jobs/j1/out.tiff")]);
}

#[tokio::test]
async fn invalid_keys_are_rejected_and_touch_nothing() {
    let f = fixture("").unwrap();
    contract::invalid_keys_are_rejected(f.store.clone(), f.scratch.path()).await;
    assert_eq!(
        tree(f.scratch.path()),
        BTreeSet::from(["root".into(), "src.bin".into()])
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_puts_leave_one_complete_value() {
    let f = fixture("").unwrap();
    contract::concurrent_puts_leave_one_complete_value(f.store.clone(), f.scratch.path()).await;
    assert_eq!(files(&f.scratch), [PathBuf::from("race")]);
}

/// Folio serves a directory's objects itself: no URLs to hand out.
#[tokio::test]
async fn presigned_urls_are_none() {
    let f = fixture("").unwrap();
    f.store.put("k", "x".into()).await.unwrap();
    let hour = Duration::from_secs(3600);
    assert_eq!(f.store.presign_put("k", hour).await.unwrap(), None);
    assert_eq!(f.store.presign_get("k", hour).await.unwrap(), None);
}
