//! The `JobQueue` and `FileIndex` contract, as checks every implementation must pass. A test file
//! per backend runs them all through [`contract_tests!`], each on a fresh, empty database.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use folio_jobs::{
    FileIndex, FileRecord, FileState, JobQueue, JobState, NewJob, RepoError, now_millis,
};
use serde_json::json;

pub const LEASE: Duration = Duration::from_secs(60);

/// One fresh database of a backend, for one test.
pub trait Harness {
    type Repo: JobQueue + FileIndex + Clone;

    /// A repo on this harness's database. Each call connects anew, as a restarted node (or
    /// another node) would; all see the same records.
    async fn open(&self) -> Self::Repo;

    /// Close `repo`'s connections, as a node shutting down would.
    async fn close(&self, repo: Self::Repo);
}

/// Defines a `#[tokio::test]` per contract check, running it on the harness that the async
/// function `$setup(test_name) -> Option<impl Harness>` makes (`None`: the test is skipped).
macro_rules! contract_tests {
    ($setup:path) => {
        $crate::contract::contract_tests!(@each $setup;
            enqueue_and_get_round_trip,
            duplicate_enqueue_is_rejected,
            claim_takes_oldest_first_and_complete_stores_result,
            heartbeat_records_progress_and_renews_lease,
            lost_lease_cannot_overwrite_the_new_owner,
            fail_stores_code_and_message,
            abort_stops_queued_and_running_jobs,
            requeue_expired_returns_only_lapsed_leases,
            delete_expired_jobs_leaves_unfinished_jobs_alone,
            concurrent_claims_never_hand_out_a_job_twice(flavor = "multi_thread", worker_threads = 4),
            wait_for_work_wakes_on_enqueue,
            wait_for_work_sees_an_enqueue_that_came_before_the_wait,
            wait_for_work_times_out_without_work,
            a_burst_of_enqueues_wakes_every_idle_worker,
            jobs_survive_a_restart_and_lapsed_leases_run_again,
            upload_url_works_once,
            one_of_racing_uploads_wins_and_a_failed_one_can_retry,
            file_records_round_trip_and_reject_duplicates,
            expired_files_are_hidden_and_cannot_be_uploaded,
            take_expired_files_removes_and_returns_them,
            secrets_live_while_a_job_runs_and_die_with_it,
            uploads_never_write_a_jobs_result,
            stored_bytes_sums_every_recorded_size,
            take_job_files_removes_one_jobs_files,
        );
    };
    (@each $setup:path; $($name:ident $(($($flavor:tt)*))?,)*) => {
        $(
            #[tokio::test $(($($flavor)*))?]
            async fn $name() {
                if let Some(harness) = $setup(stringify!($name)).await {
                    $crate::contract::$name(&harness).await;
                }
            }
        )*
    };
}

pub(crate) use contract_tests;

pub fn new_job(id: &str) -> NewJob {
    NewJob {
        id: id.to_owned(),
        kind: "convert".to_owned(),
        params: json!({ "url": format!("https://example.com/{id}.pdf"), "pages": [1, 2] }),
        secrets: None,
        expires_at: now_millis() + 3_600_000,
    }
}

pub fn file(token: &str, expires_at: i64) -> FileRecord {
    FileRecord {
        token: token.to_owned(),
        key: format!("uploads/{token}"),
        name: "input.pdf".to_owned(),
        content_type: "application/pdf".to_owned(),
        size: None,
        state: FileState::Pending,
        job_id: None,
        created_at: now_millis(),
        expires_at,
    }
}

pub async fn enqueue_and_get_round_trip<H: Harness>(h: &H) {
    let repo = h.open().await;
    let job = new_job("a");
    repo.enqueue(job.clone()).await.unwrap();

    let stored = repo.get("a").await.unwrap().unwrap();
    assert_eq!(stored.id, "a");
    assert_eq!(stored.kind, "convert");
    assert_eq!(stored.params, job.params);
    assert_eq!(stored.state, JobState::Queued);
    assert_eq!(stored.attempts, 0);
    assert_eq!(stored.expires_at, job.expires_at);
    assert_eq!(stored.result, None);
    assert_eq!(stored.worker, None);
    assert_eq!(stored.started_at, None);
    assert_eq!(repo.queued_count().await.unwrap(), 1);
    assert_eq!(repo.get("missing").await.unwrap(), None);
}

pub async fn duplicate_enqueue_is_rejected<H: Harness>(h: &H) {
    let repo = h.open().await;
    repo.enqueue(new_job("a")).await.unwrap();
    match repo.enqueue(new_job("a")).await {
        Err(RepoError::Duplicate(id)) => assert_eq!(id, "a"),
        other => panic!("expected Duplicate, got {other:?}"),
    }
    assert_eq!(repo.queued_count().await.unwrap(), 1);
}

pub async fn claim_takes_oldest_first_and_complete_stores_result<H: Harness>(h: &H) {
    let repo = h.open().await;
    for id in ["first", "second", "third"] {
        repo.enqueue(new_job(id)).await.unwrap();
    }

    let mut order = Vec::new();
    while let Some(job) = repo.claim("w1", LEASE).await.unwrap() {
        assert_eq!(job.state, JobState::Running);
        assert_eq!(job.worker.as_deref(), Some("w1"));
        assert_eq!(job.attempts, 1);
        assert!(job.started_at.is_some());
        assert!(job.lease_until.unwrap() > now_millis());
        order.push(job.id);
    }
    assert_eq!(order, ["first", "second", "third"]);
    assert_eq!(repo.queued_count().await.unwrap(), 0);

    let result = json!({ "urls": ["https://example.com/out.png"], "pageCount": 2 });
    assert!(repo.complete("first", "w1", result.clone()).await.unwrap());
    let done = repo.get("first").await.unwrap().unwrap();
    assert_eq!(done.state, JobState::Success);
    assert_eq!(done.result, Some(result));
    assert!(done.finished_at.is_some());
    assert_eq!(done.lease_until, None);

    // Finished jobs stay finished.
    assert!(!repo.complete("first", "w1", json!(null)).await.unwrap());
    assert!(!repo.fail("first", "w1", 500, "late").await.unwrap());
    assert!(!repo.abort("first", "late").await.unwrap());
    assert_eq!(repo.claim("w1", LEASE).await.unwrap(), None);
}

pub async fn heartbeat_records_progress_and_renews_lease<H: Harness>(h: &H) {
    let repo = h.open().await;
    repo.enqueue(new_job("a")).await.unwrap();
    let claimed = repo
        .claim("w1", Duration::from_secs(1))
        .await
        .unwrap()
        .unwrap();

    assert!(repo.heartbeat("a", "w1", LEASE, 3, 10).await.unwrap());
    let job = repo.get("a").await.unwrap().unwrap();
    assert_eq!((job.pages_done, job.pages_total), (3, 10));
    assert!(job.lease_until.unwrap() > claimed.lease_until.unwrap());

    assert!(!repo.heartbeat("a", "w2", LEASE, 4, 10).await.unwrap());
    assert!(!repo.heartbeat("missing", "w1", LEASE, 4, 10).await.unwrap());
}

pub async fn lost_lease_cannot_overwrite_the_new_owner<H: Harness>(h: &H) {
    let repo = h.open().await;
    repo.enqueue(new_job("a")).await.unwrap();
    repo.claim("old", Duration::from_millis(1))
        .await
        .unwrap()
        .unwrap();
    tokio::time::sleep(Duration::from_millis(10)).await;

    let taken = repo.claim("new", LEASE).await.unwrap().unwrap();
    assert_eq!(taken.id, "a");
    assert_eq!(taken.worker.as_deref(), Some("new"));
    assert_eq!(taken.attempts, 2);

    assert!(!repo.heartbeat("a", "old", LEASE, 1, 1).await.unwrap());
    assert!(!repo.complete("a", "old", json!("stale")).await.unwrap());
    assert!(!repo.fail("a", "old", 500, "stale").await.unwrap());
    let job = repo.get("a").await.unwrap().unwrap();
    assert_eq!(job.state, JobState::Running);
    assert_eq!(job.worker.as_deref(), Some("new"));
    assert_eq!(job.result, None);

    assert!(repo.complete("a", "new", json!("fresh")).await.unwrap());
    assert_eq!(
        repo.get("a").await.unwrap().unwrap().result,
        Some(json!("fresh"))
    );
}

pub async fn fail_stores_code_and_message<H: Harness>(h: &H) {
    let repo = h.open().await;
    repo.enqueue(new_job("a")).await.unwrap();
    repo.claim("w1", LEASE).await.unwrap().unwrap();

    assert!(
        repo.fail("a", "w1", 441, "password required")
            .await
            .unwrap()
    );
    let job = repo.get("a").await.unwrap().unwrap();
    assert_eq!(job.state, JobState::Failed);
    assert_eq!(job.error_code, Some(441));
    assert_eq!(job.error_message.as_deref(), Some("password required"));
    assert!(job.finished_at.is_some());
    assert_eq!(job.lease_until, None);
    assert_eq!(job.result, None);
}

pub async fn abort_stops_queued_and_running_jobs<H: Harness>(h: &H) {
    let repo = h.open().await;
    repo.enqueue(new_job("queued")).await.unwrap();
    repo.enqueue(new_job("running")).await.unwrap();
    let running = repo.claim("w1", LEASE).await.unwrap().unwrap();
    assert_eq!(running.id, "queued");

    assert!(repo.abort("queued", "too slow").await.unwrap());
    let job = repo.get("queued").await.unwrap().unwrap();
    assert_eq!(job.state, JobState::Aborted);
    assert_eq!(job.error_message.as_deref(), Some("too slow"));
    assert!(job.finished_at.is_some());
    // Its worker learns on the next heartbeat, and cannot complete it.
    assert!(!repo.heartbeat("queued", "w1", LEASE, 1, 2).await.unwrap());
    assert!(!repo.complete("queued", "w1", json!(1)).await.unwrap());

    assert!(repo.abort("running", "cancelled").await.unwrap());
    assert_eq!(
        repo.get("running").await.unwrap().unwrap().state,
        JobState::Aborted
    );
    assert!(!repo.abort("running", "again").await.unwrap());
    assert!(!repo.abort("missing", "nothing").await.unwrap());
    // Aborted jobs are never claimed again.
    assert_eq!(repo.claim("w2", LEASE).await.unwrap(), None);
}

pub async fn requeue_expired_returns_only_lapsed_leases<H: Harness>(h: &H) {
    let repo = h.open().await;
    repo.enqueue(new_job("long")).await.unwrap();
    repo.claim("w2", LEASE).await.unwrap().unwrap();
    repo.enqueue(new_job("short")).await.unwrap();
    repo.claim("w1", Duration::from_millis(1))
        .await
        .unwrap()
        .unwrap();

    assert_eq!(repo.requeue_expired(now_millis() + 1_000).await.unwrap(), 1);
    let job = repo.get("short").await.unwrap().unwrap();
    assert_eq!(job.state, JobState::Queued);
    assert_eq!(job.worker, None);
    assert_eq!(job.lease_until, None);
    assert_eq!(job.attempts, 1);
    assert_eq!(
        repo.get("long").await.unwrap().unwrap().state,
        JobState::Running
    );
    assert_eq!(repo.requeue_expired(now_millis() + 1_000).await.unwrap(), 0);
}

pub async fn delete_expired_jobs_leaves_unfinished_jobs_alone<H: Harness>(h: &H) {
    let repo = h.open().await;
    let past = now_millis() - 1;
    let expired = |id: &str| NewJob {
        expires_at: past,
        ..new_job(id)
    };
    for id in ["done", "failed", "aborted", "running"] {
        repo.enqueue(expired(id)).await.unwrap();
        repo.claim("w", LEASE).await.unwrap().unwrap();
    }
    assert!(repo.complete("done", "w", json!({})).await.unwrap());
    assert!(repo.fail("failed", "w", 500, "boom").await.unwrap());
    assert!(repo.abort("aborted", "stop").await.unwrap());
    repo.enqueue(expired("queued")).await.unwrap();
    // Finished but not yet expired.
    repo.enqueue(new_job("fresh")).await.unwrap();
    assert!(repo.abort("fresh", "stop").await.unwrap());

    let mut deleted = repo.delete_expired_jobs(now_millis()).await.unwrap();
    deleted.sort();
    assert_eq!(deleted, ["aborted", "done", "failed"]);
    assert!(repo.get("done").await.unwrap().is_none());
    assert_eq!(
        repo.get("running").await.unwrap().unwrap().state,
        JobState::Running
    );
    assert_eq!(
        repo.get("queued").await.unwrap().unwrap().state,
        JobState::Queued
    );
    assert_eq!(
        repo.get("fresh").await.unwrap().unwrap().state,
        JobState::Aborted
    );
    assert!(
        repo.delete_expired_jobs(now_millis())
            .await
            .unwrap()
            .is_empty()
    );
}

pub async fn concurrent_claims_never_hand_out_a_job_twice<H: Harness>(h: &H) {
    claim_everything_concurrently(&[h.open().await]).await;
}

/// Enqueues 200 jobs spread over `nodes` (repos on one database), has 8 workers spread over them
/// claim and complete jobs concurrently until none is left, and asserts that each job ran exactly
/// once. Returns the worker that ran each job.
pub async fn claim_everything_concurrently<R>(nodes: &[R]) -> HashMap<String, String>
where
    R: JobQueue + Clone,
{
    const JOBS: usize = 200;
    const WORKERS: usize = 8;
    for i in 0..JOBS {
        nodes[i % nodes.len()]
            .enqueue(new_job(&format!("job-{i:03}")))
            .await
            .unwrap();
    }

    let claims: Arc<Mutex<HashMap<String, Vec<String>>>> = Arc::default();
    let mut tasks = Vec::new();
    for w in 0..WORKERS {
        let node = w % nodes.len();
        let repo = nodes[node].clone();
        let claims = claims.clone();
        tasks.push(tokio::spawn(async move {
            let worker = format!("node{node}-w{w}");
            while let Some(job) = repo.claim(&worker, LEASE).await.unwrap() {
                claims
                    .lock()
                    .unwrap()
                    .entry(job.id.clone())
                    .or_default()
                    .push(worker.clone());
                assert!(repo.complete(&job.id, &worker, json!(w)).await.unwrap());
            }
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }

    let claims = std::mem::take(&mut *claims.lock().unwrap());
    assert_eq!(claims.len(), JOBS);
    assert!(
        claims.values().all(|workers| workers.len() == 1),
        "double claims: {claims:?}"
    );
    for node in nodes {
        assert_eq!(node.queued_count().await.unwrap(), 0);
    }
    for i in 0..JOBS {
        let job = nodes[0].get(&format!("job-{i:03}")).await.unwrap().unwrap();
        assert_eq!(job.state, JobState::Success);
        assert_eq!(job.attempts, 1);
    }
    claims
        .into_iter()
        .map(|(id, mut workers)| (id, workers.remove(0)))
        .collect()
}

pub async fn wait_for_work_wakes_on_enqueue<H: Harness>(h: &H) {
    let repo = h.open().await;
    let waiter = {
        let repo = repo.clone();
        tokio::spawn(async move {
            let start = Instant::now();
            repo.wait_for_work(Duration::from_secs(30)).await;
            start.elapsed()
        })
    };
    tokio::time::sleep(Duration::from_millis(100)).await;
    repo.enqueue(new_job("a")).await.unwrap();

    let waited = tokio::time::timeout(Duration::from_secs(1), waiter)
        .await
        .expect("waiter did not wake within 1 s")
        .unwrap();
    assert!(waited < Duration::from_secs(1), "waited {waited:?}");
}

pub async fn wait_for_work_sees_an_enqueue_that_came_before_the_wait<H: Harness>(h: &H) {
    let repo = h.open().await;
    // A worker finds nothing, then a job arrives before it starts waiting.
    assert_eq!(repo.claim("w", LEASE).await.unwrap(), None);
    repo.enqueue(new_job("a")).await.unwrap();
    tokio::time::timeout(
        Duration::from_secs(1),
        repo.wait_for_work(Duration::from_secs(30)),
    )
    .await
    .expect("the enqueue signal was lost");
}

pub async fn wait_for_work_times_out_without_work<H: Harness>(h: &H) {
    let repo = h.open().await;
    let start = Instant::now();
    repo.wait_for_work(Duration::from_millis(50)).await;
    assert!(start.elapsed() >= Duration::from_millis(50));
}

pub async fn a_burst_of_enqueues_wakes_every_idle_worker<H: Harness>(h: &H) {
    let repo = h.open().await;
    // Two jobs arrive while both workers are between a failed claim and their wait: the two
    // signals collapse into one stored permit, yet both workers must get going.
    repo.enqueue(new_job("a")).await.unwrap();
    repo.enqueue(new_job("b")).await.unwrap();

    let mut workers = Vec::new();
    for w in 0..2 {
        let repo = repo.clone();
        workers.push(tokio::spawn(async move {
            let worker = format!("w{w}");
            loop {
                repo.wait_for_work(Duration::from_secs(30)).await;
                if let Some(job) = repo.claim(&worker, LEASE).await.unwrap() {
                    return job.id;
                }
            }
        }));
    }
    let mut ids = Vec::new();
    for worker in workers {
        let id = tokio::time::timeout(Duration::from_secs(1), worker)
            .await
            .expect("a worker slept while a job was queued")
            .unwrap();
        ids.push(id);
    }
    ids.sort();
    assert_eq!(ids, ["a", "b"]);
}

pub async fn jobs_survive_a_restart_and_lapsed_leases_run_again<H: Harness>(h: &H) {
    let repo = h.open().await;
    repo.enqueue(new_job("a")).await.unwrap();
    h.close(repo).await;

    let repo = h.open().await;
    assert_eq!(
        repo.get("a").await.unwrap().unwrap().state,
        JobState::Queued
    );
    let job = repo
        .claim("w1", Duration::from_millis(1))
        .await
        .unwrap()
        .unwrap();
    assert_eq!((job.id.as_str(), job.attempts), ("a", 1));
    h.close(repo).await;

    let repo = h.open().await;
    tokio::time::sleep(Duration::from_millis(5)).await;
    assert_eq!(repo.requeue_expired(now_millis()).await.unwrap(), 1);
    let job = repo.get("a").await.unwrap().unwrap();
    assert_eq!(job.state, JobState::Queued);
    assert_eq!(job.attempts, 1);
    let job = repo.claim("w2", LEASE).await.unwrap().unwrap();
    assert_eq!(job.worker.as_deref(), Some("w2"));
    assert_eq!(job.attempts, 2);
    h.close(repo).await;
}

pub async fn upload_url_works_once<H: Harness>(h: &H) {
    let repo = h.open().await;
    let now = now_millis();
    repo.insert_file(file("t1", now + 60_000)).await.unwrap();
    assert_eq!(
        repo.get_file("t1", now).await.unwrap().unwrap().state,
        FileState::Pending
    );

    assert!(repo.mark_uploaded("t1", 1234, now).await.unwrap());
    assert!(!repo.mark_uploaded("t1", 99, now).await.unwrap());
    let stored = repo.get_file("t1", now).await.unwrap().unwrap();
    assert_eq!(stored.state, FileState::Ready);
    assert_eq!(stored.size, Some(1234));
    assert!(!repo.mark_uploaded("missing", 1, now).await.unwrap());
}

pub async fn one_of_racing_uploads_wins_and_a_failed_one_can_retry<H: Harness>(h: &H) {
    let repo = h.open().await;
    let now = now_millis();
    repo.insert_file(file("t2", now + 60_000)).await.unwrap();
    let attempts: Vec<_> = (0..8)
        .map(|_| {
            let repo = repo.clone();
            tokio::spawn(async move { repo.begin_upload("t2", now_millis()).await.unwrap() })
        })
        .collect();
    let mut winners = 0;
    for a in attempts {
        winners += a.await.unwrap() as usize;
    }
    assert_eq!(winners, 1);
    assert_eq!(
        repo.get_file("t2", now).await.unwrap().unwrap().state,
        FileState::Uploading
    );
    // The winner's write failed: the URL becomes usable again.
    assert!(repo.abort_upload("t2").await.unwrap());
    assert!(!repo.abort_upload("t2").await.unwrap());
    assert!(repo.begin_upload("t2", now).await.unwrap());
    assert!(repo.mark_uploaded("t2", 5, now).await.unwrap());
    assert!(!repo.begin_upload("t2", now).await.unwrap(), "used once");
}

pub async fn file_records_round_trip_and_reject_duplicates<H: Harness>(h: &H) {
    let repo = h.open().await;
    let now = now_millis();
    let record = FileRecord {
        size: Some(42),
        state: FileState::Ready,
        job_id: Some("job-1".to_owned()),
        ..file("t1", now + 60_000)
    };
    repo.insert_file(record.clone()).await.unwrap();
    assert_eq!(
        repo.get_file("t1", now).await.unwrap(),
        Some(record.clone())
    );
    match repo.insert_file(record.clone()).await {
        Err(RepoError::Duplicate(token)) => assert_eq!(token, "t1"),
        other => panic!("expected Duplicate, got {other:?}"),
    }

    assert_eq!(repo.delete_file("t1").await.unwrap(), Some(record));
    assert_eq!(repo.get_file("t1", now).await.unwrap(), None);
    assert_eq!(repo.delete_file("t1").await.unwrap(), None);
}

pub async fn expired_files_are_hidden_and_cannot_be_uploaded<H: Harness>(h: &H) {
    let repo = h.open().await;
    let expires = now_millis() + 60_000;
    repo.insert_file(file("t1", expires)).await.unwrap();

    assert!(repo.get_file("t1", expires - 1).await.unwrap().is_some());
    assert_eq!(repo.get_file("t1", expires).await.unwrap(), None);
    assert!(!repo.mark_uploaded("t1", 10, expires).await.unwrap());
    assert!(repo.mark_uploaded("t1", 10, expires - 1).await.unwrap());
}

pub async fn take_expired_files_removes_and_returns_them<H: Harness>(h: &H) {
    let repo = h.open().await;
    let now = now_millis();
    repo.insert_file(file("old1", now - 10)).await.unwrap();
    repo.insert_file(file("old2", now - 1)).await.unwrap();
    repo.insert_file(file("live", now + 60_000)).await.unwrap();

    let mut taken: Vec<String> = repo
        .take_expired_files(now)
        .await
        .unwrap()
        .into_iter()
        .map(|f| f.token)
        .collect();
    taken.sort();
    assert_eq!(taken, ["old1", "old2"]);
    assert!(repo.take_expired_files(now).await.unwrap().is_empty());
    assert!(repo.delete_file("old1").await.unwrap().is_none());
    assert!(repo.get_file("live", now).await.unwrap().is_some());
}

pub async fn secrets_live_while_a_job_runs_and_die_with_it<H: Harness>(h: &H) {
    let repo = h.open().await;
    let secret = |id: &str| NewJob {
        secrets: Some(json!({ "password": format!("pw-{id}") })),
        ..new_job(id)
    };
    for id in ["done", "failed", "aborted-running", "aborted-queued"] {
        repo.enqueue(secret(id)).await.unwrap();
    }
    let queued = repo.get("done").await.unwrap().unwrap();
    assert_eq!(queued.secrets, Some(json!({ "password": "pw-done" })));

    // Running, and running again after a lapsed lease: the worker still needs them.
    repo.claim("w1", Duration::from_millis(1))
        .await
        .unwrap()
        .unwrap();
    tokio::time::sleep(Duration::from_millis(5)).await;
    assert_eq!(repo.requeue_expired(now_millis()).await.unwrap(), 1);
    for _ in 0..3 {
        let running = repo.claim("w2", LEASE).await.unwrap().unwrap();
        assert_eq!(running.state, JobState::Running);
        let want = format!("pw-{}", running.id);
        assert_eq!(running.secrets, Some(json!({ "password": want })));
    }

    assert!(repo.complete("done", "w2", json!({})).await.unwrap());
    assert!(repo.fail("failed", "w2", 441, "wrong").await.unwrap());
    assert!(repo.abort("aborted-running", "stop").await.unwrap());
    assert!(repo.abort("aborted-queued", "stop").await.unwrap());
    for id in ["done", "failed", "aborted-running", "aborted-queued"] {
        let ended = repo.get(id).await.unwrap().unwrap();
        assert!(
            matches!(
                ended.state,
                JobState::Success | JobState::Failed | JobState::Aborted
            ),
            "{id}: {:?}",
            ended.state
        );
        assert_eq!(ended.secrets, None, "{id} kept its secrets");
        assert_eq!(ended.params, new_job(id).params, "{id} lost its params");
    }
    // Also across a restart: erased, not merely hidden.
    h.close(repo).await;
    let repo = h.open().await;
    assert_eq!(repo.get("done").await.unwrap().unwrap().secrets, None);
    h.close(repo).await;
}

pub async fn uploads_never_write_a_jobs_result<H: Harness>(h: &H) {
    let repo = h.open().await;
    let now = now_millis();
    let result = FileRecord {
        job_id: Some("job-1".to_owned()),
        ..file("result", now + 60_000)
    };
    repo.insert_file(result).await.unwrap();
    repo.insert_file(file("upload", now + 60_000))
        .await
        .unwrap();

    assert!(!repo.begin_upload("result", now).await.unwrap());
    assert!(!repo.mark_uploaded("result", 5, now).await.unwrap());
    assert!(!repo.abort_upload("result").await.unwrap());
    assert_eq!(
        repo.get_file("result", now).await.unwrap().unwrap().state,
        FileState::Pending
    );
    // The worker's own way in, which in turn refuses client uploads.
    assert!(!repo.mark_result_stored("upload", 5, now).await.unwrap());
    assert!(repo.mark_result_stored("result", 7, now).await.unwrap());
    let stored = repo.get_file("result", now).await.unwrap().unwrap();
    assert_eq!((stored.state, stored.size), (FileState::Ready, Some(7)));
    // A re-run after a crash records its bytes again; an expired result is not revived.
    assert!(repo.mark_result_stored("result", 8, now).await.unwrap());
    assert!(
        !repo
            .mark_result_stored("result", 9, now + 60_000)
            .await
            .unwrap()
    );
    assert_eq!(
        repo.get_file("result", now).await.unwrap().unwrap().size,
        Some(8)
    );
    assert!(repo.begin_upload("upload", now).await.unwrap());
}

pub async fn stored_bytes_sums_every_recorded_size<H: Harness>(h: &H) {
    let repo = h.open().await;
    let now = now_millis();
    assert_eq!(repo.stored_bytes().await.unwrap(), 0);
    let sized = |token: &str, size: u64, expires_at: i64| FileRecord {
        size: Some(size),
        state: FileState::Ready,
        ..file(token, expires_at)
    };
    repo.insert_file(sized("a", 10, now + 60_000))
        .await
        .unwrap();
    repo.insert_file(FileRecord {
        job_id: Some("job".to_owned()),
        ..sized("b", 5_000_000_000, now + 60_000)
    })
    .await
    .unwrap();
    // Expired but not swept: its bytes are still on disk.
    repo.insert_file(sized("c", 2, now - 1)).await.unwrap();
    repo.insert_file(file("pending", now + 60_000))
        .await
        .unwrap();
    assert_eq!(repo.stored_bytes().await.unwrap(), 5_000_000_012);

    assert!(repo.mark_uploaded("pending", 100, now).await.unwrap());
    assert_eq!(repo.stored_bytes().await.unwrap(), 5_000_000_112);
    repo.delete_file("b").await.unwrap();
    repo.take_expired_files(now).await.unwrap();
    assert_eq!(repo.stored_bytes().await.unwrap(), 110);
}

pub async fn take_job_files_removes_one_jobs_files<H: Harness>(h: &H) {
    let repo = h.open().await;
    let now = now_millis();
    let of = |token: &str, job: Option<&str>| FileRecord {
        job_id: job.map(str::to_owned),
        ..file(token, now + 60_000)
    };
    for (token, job) in [
        ("j1p0", Some("j1")),
        ("j1p1", Some("j1")),
        ("j1-placeholder", Some("j1")),
        ("j2p0", Some("j2")),
        ("upload", None),
    ] {
        repo.insert_file(of(token, job)).await.unwrap();
    }

    let mut taken: Vec<String> = repo
        .take_job_files("j1")
        .await
        .unwrap()
        .into_iter()
        .map(|f| f.token)
        .collect();
    taken.sort();
    assert_eq!(taken, ["j1-placeholder", "j1p0", "j1p1"]);
    assert!(repo.get_file("j1p0", now).await.unwrap().is_none());
    assert!(repo.take_job_files("j1").await.unwrap().is_empty());
    assert!(repo.take_job_files("missing").await.unwrap().is_empty());
    assert!(repo.get_file("j2p0", now).await.unwrap().is_some());
    assert!(repo.get_file("upload", now).await.unwrap().is_some());
}
