//! The expiry sweeper removes expired files (records and bytes) and finished jobs, and hands
//! running jobs whose worker vanished back to the queue.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use folio_api::worker::{sweep_once, sweep_orphans};
use folio_api::{ApiConfig, AppState};
use folio_jobs::{
    FileIndex, FileRecord, FileState, JobQueue, JobState, NewJob, SqliteRepo, now_millis,
};
use folio_store::Store;
use folio_testkit::Backends;

fn record(token: &str, expires_at: i64) -> FileRecord {
    FileRecord {
        token: token.into(),
        key: format!("files/{token}"),
        name: "a.png".into(),
        content_type: "image/png".into(),
        size: Some(3),
        state: FileState::Ready,
        job_id: None,
        created_at: now_millis(),
        expires_at,
    }
}

fn job(id: &str, expires_at: i64) -> NewJob {
    NewJob {
        id: id.into(),
        kind: "convert".into(),
        params: serde_json::json!({}),
        secrets: None,
        expires_at,
    }
}

/// A store and a database in a temporary directory, and the API state over them (defaults).
async fn setup() -> (
    tempfile::TempDir,
    Arc<folio_store::FsStore>,
    Arc<SqliteRepo>,
    AppState,
) {
    let Backends { dir, store, repo } = Backends::new().await;
    let state = AppState::new(
        ApiConfig::default(),
        store.clone(),
        repo.clone(),
        repo.clone(),
    );
    (dir, store, repo, state)
}

#[tokio::test]
async fn expired_files_and_jobs_are_swept() {
    let (_dir, store, repo, state) = setup().await;
    let now = now_millis();
    let (old, fresh) = ("a".repeat(32), "b".repeat(32));
    for (token, exp) in [(&old, now - 1), (&fresh, now + 3_600_000)] {
        store
            .put(&format!("files/{token}"), Bytes::from_static(b"png"))
            .await
            .unwrap();
        repo.insert_file(record(token, exp)).await.unwrap();
    }
    repo.enqueue(job("done-old", now - 1)).await.unwrap();
    repo.enqueue(job("queued-old", now - 1)).await.unwrap();
    let j = repo
        .claim("w1", Duration::from_secs(60))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(j.id, "done-old");
    assert!(
        repo.complete("done-old", "w1", serde_json::json!({}))
            .await
            .unwrap()
    );

    sweep_once(&state).await.unwrap();

    assert!(repo.get_file(&old, now_millis()).await.unwrap().is_none());
    assert!(matches!(
        store.get(&format!("files/{old}")).await,
        Err(folio_store::StoreError::NotFound(_))
    ));
    assert!(repo.get_file(&fresh, now_millis()).await.unwrap().is_some());
    assert!(store.get(&format!("files/{fresh}")).await.is_ok());
    assert!(
        repo.get("done-old").await.unwrap().is_none(),
        "finished and expired: swept"
    );
    assert_eq!(
        repo.get("queued-old").await.unwrap().unwrap().state,
        JobState::Queued,
        "unfinished jobs stay"
    );

    // A worker claims a job and dies: once its lease is over, the sweeper requeues the job.
    let stuck = repo
        .claim("dying", Duration::from_millis(1))
        .await
        .unwrap()
        .unwrap();
    tokio::time::sleep(Duration::from_millis(20)).await;
    sweep_once(&state).await.unwrap();
    let again = repo.get(&stuck.id).await.unwrap().unwrap();
    assert_eq!(again.state, JobState::Queued);
    assert_eq!(again.worker, None);
}

/// Objects older than any record may live, and named by no record, are deleted by their age;
/// younger ones, and old ones a record still names, stay.
#[tokio::test]
async fn orphaned_objects_are_swept_by_their_age() {
    let (dir, store, repo, state) = setup().await;
    let max_life = Duration::from_secs((state.config.max_expiration_minutes + 61) * 60);
    let (orphan, young, named) = ("c".repeat(32), "d".repeat(32), "e".repeat(32));
    for token in [&orphan, &young, &named] {
        store
            .put(&format!("files/{token}"), Bytes::from_static(b"png"))
            .await
            .unwrap();
    }
    repo.insert_file(record(&named, now_millis() + 3_600_000))
        .await
        .unwrap();
    let long_ago = std::time::SystemTime::now() - max_life;
    for token in [&orphan, &named] {
        std::fs::File::options()
            .write(true)
            .open(dir.path().join("files/files").join(token))
            .unwrap()
            .set_modified(long_ago)
            .unwrap();
    }
    assert_eq!(sweep_orphans(&state).await.unwrap(), 1);
    assert!(store.head(&format!("files/{orphan}")).await.is_err());
    assert!(store.head(&format!("files/{young}")).await.is_ok());
    assert!(store.head(&format!("files/{named}")).await.is_ok());
}
