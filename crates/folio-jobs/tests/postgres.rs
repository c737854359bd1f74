//! The PostgreSQL repository against the `JobQueue` and `FileIndex` contracts, and as several
//! nodes sharing one database.
//!
//! Needs a server: `FOLIO_TEST_POSTGRES_URL` names it with a role that may create databases (start
//! one with `eval "$(.ci/postgres.sh start)"`). Each test runs in a database of its own, created
//! for it and dropped after it, so tests run in parallel. Without the variable the tests are
//! skipped, except under CI, which must run them.

mod contract;

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use contract::{Harness, LEASE, new_job};
use folio_jobs::{JobQueue, JobState, PgRepo, now_millis};
use serde_json::json;
use sqlx::{AssertSqlSafe, Connection, PgConnection};

/// A database created for one test, dropped (with any connections left) when this is dropped.
struct PgHarness {
    /// The server's URL as given, for creating and dropping databases.
    admin_url: String,
    /// The same server, this test's database.
    url: String,
    database: String,
}

impl Harness for PgHarness {
    type Repo = PgRepo;

    async fn open(&self) -> PgRepo {
        PgRepo::connect(&self.url).await.unwrap()
    }

    async fn close(&self, repo: PgRepo) {
        repo.close().await;
    }
}

impl PgHarness {
    /// A connection of the test's own (not a repo's) to its database.
    async fn connection(&self) -> PgConnection {
        PgConnection::connect(&self.url).await.unwrap()
    }
}

impl Drop for PgHarness {
    fn drop(&mut self) {
        // Drop runs inside the test's runtime, which cannot block on itself: use a thread with a
        // runtime of its own. FORCE ends connections a failed test left open.
        let admin_url = self.admin_url.clone();
        let sql = format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", self.database);
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            runtime.block_on(async {
                let mut admin = PgConnection::connect(&admin_url).await?;
                sqlx::query(AssertSqlSafe(sql)).execute(&mut admin).await?;
                admin.close().await?;
                Ok::<_, Box<dyn std::error::Error + Send + Sync>>(())
            })
        })
        .join();
        if !matches!(dropped, Ok(Ok(()))) {
            eprintln!(
                "could not drop test database {}: {dropped:?}",
                self.database
            );
        }
    }
}

/// A fresh database for `test`, or `None` (the test is skipped) when no server is configured.
async fn setup(test: &str) -> Option<PgHarness> {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let Ok(admin_url) = std::env::var("FOLIO_TEST_POSTGRES_URL") else {
        assert!(
            std::env::var_os("CI").is_none(),
            "{test}: FOLIO_TEST_POSTGRES_URL not set; CI must run the PostgreSQL tests \
             (eval \"$(.ci/postgres.sh start)\")"
        );
        eprintln!("SKIPPED {test}: FOLIO_TEST_POSTGRES_URL not set");
        return None;
    };
    // Unique across the tests of this run and across runs (or test binaries) at the same time.
    let database = format!(
        "folio_test_{}_{}_{}",
        std::process::id(),
        now_millis(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    );
    let mut admin = PgConnection::connect(&admin_url).await.unwrap();
    sqlx::query(AssertSqlSafe(format!("CREATE DATABASE \"{database}\"")))
        .execute(&mut admin)
        .await
        .unwrap();
    admin.close().await.unwrap();
    Some(PgHarness {
        url: with_database(&admin_url, &database),
        admin_url,
        database,
    })
}

/// `url` with its database (the path) replaced by `database`, keeping any query parameters.
fn with_database(url: &str, database: &str) -> String {
    let (base, query) = url.split_at(url.find('?').unwrap_or(url.len()));
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let host_end = base[authority_start..]
        .find('/')
        .map_or(base.len(), |i| authority_start + i);
    format!("{}/{database}{query}", &base[..host_end])
}

contract::contract_tests!(setup);

#[test]
fn with_database_replaces_only_the_path() {
    assert_eq!(
        with_database("postgres://u:p@h:5432/postgres", "t1"),
        "postgres://u:p@h:5432/t1"
    );
    assert_eq!(
        with_database("postgres://u:p@h:5432/postgres?sslmode=disable", "t1"),
        "postgres://u:p@h:5432/t1?sslmode=disable"
    );
    assert_eq!(with_database("postgres://h", "t1"), "postgres://h/t1");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_nodes_never_hand_out_a_job_twice() {
    let Some(h) = setup("two_nodes_never_hand_out_a_job_twice").await else {
        return;
    };
    let ran_by = contract::claim_everything_concurrently(&[h.open().await, h.open().await]).await;
    for node in ["node0", "node1"] {
        assert!(
            ran_by.values().any(|worker| worker.starts_with(node)),
            "{node} ran no job"
        );
    }
}

#[tokio::test]
async fn a_lapsed_lease_moves_to_another_node() {
    let Some(h) = setup("a_lapsed_lease_moves_to_another_node").await else {
        return;
    };
    let (a, b) = (h.open().await, h.open().await);
    a.enqueue(new_job("a")).await.unwrap();
    a.claim("node-a", Duration::from_millis(1))
        .await
        .unwrap()
        .unwrap();
    tokio::time::sleep(Duration::from_millis(10)).await;

    let taken = b.claim("node-b", LEASE).await.unwrap().unwrap();
    assert_eq!(taken.id, "a");
    assert_eq!(taken.attempts, 2);
    assert!(!a.heartbeat("a", "node-a", LEASE, 1, 1).await.unwrap());
    assert!(!a.complete("a", "node-a", json!("stale")).await.unwrap());
    assert!(b.complete("a", "node-b", json!("fresh")).await.unwrap());
    let job = a.get("a").await.unwrap().unwrap();
    assert_eq!(job.worker.as_deref(), Some("node-b"));
    assert_eq!(job.result, Some(json!("fresh")));
}

/// Waits on `node` with a long `max_wait`, and asserts that an enqueue on `other` wakes it soon.
async fn assert_enqueue_wakes(node: &PgRepo, other: &PgRepo, id: &str) {
    let waiter = {
        let node = node.clone();
        tokio::spawn(async move {
            let start = Instant::now();
            node.wait_for_work(Duration::from_secs(10)).await;
            start.elapsed()
        })
    };
    tokio::time::sleep(Duration::from_millis(100)).await;
    other.enqueue(new_job(id)).await.unwrap();
    let waited = tokio::time::timeout(Duration::from_secs(5), waiter)
        .await
        .expect("the other node's enqueue did not wake the waiter")
        .unwrap();
    assert!(waited < Duration::from_secs(2), "waited {waited:?}");
}

#[tokio::test]
async fn an_enqueue_on_one_node_wakes_another() {
    let Some(h) = setup("an_enqueue_on_one_node_wakes_another").await else {
        return;
    };
    let (a, b) = (h.open().await, h.open().await);
    assert_enqueue_wakes(&b, &a, "a").await;
    assert_eq!(b.claim("node-b", LEASE).await.unwrap().unwrap().id, "a");
}

#[tokio::test]
async fn notifications_resume_after_the_listening_connection_drops() {
    let Some(h) = setup("notifications_resume_after_the_listening_connection_drops").await else {
        return;
    };
    let (a, b) = (h.open().await, h.open().await);
    let mut conn = h.connection().await;
    let listeners = "SELECT pid FROM pg_stat_activity
                     WHERE datname = current_database() AND query LIKE 'LISTEN%'
                     ORDER BY pid";
    let before: Vec<i32> = sqlx::query_scalar(listeners)
        .fetch_all(&mut conn)
        .await
        .unwrap();
    assert_eq!(before.len(), 2, "one listener per node: {before:?}");

    // Cut node b's listener (the newer connection) as a network failure or a restart would.
    let killed: bool = sqlx::query_scalar("SELECT pg_terminate_backend($1)")
        .bind(before[1])
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert!(killed);
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let now: Vec<i32> = sqlx::query_scalar(listeners)
            .fetch_all(&mut conn)
            .await
            .unwrap();
        if now.len() == 2 && !now.contains(&before[1]) {
            break;
        }
        assert!(Instant::now() < deadline, "no new listener: {now:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Which node's listener died is not known: take up the wake-up either gave on reconnecting.
    tokio::time::sleep(Duration::from_millis(200)).await;
    for node in [&a, &b] {
        node.wait_for_work(Duration::from_millis(100)).await;
    }

    assert_enqueue_wakes(&b, &a, "a").await;
    assert_enqueue_wakes(&a, &b, "b").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn nodes_starting_together_migrate_once() {
    let Some(h) = setup("nodes_starting_together_migrate_once").await else {
        return;
    };
    let mut starting = tokio::task::JoinSet::new();
    for _ in 0..4 {
        let url = h.url.clone();
        starting.spawn(async move { PgRepo::connect(&url).await });
    }
    let nodes: Vec<PgRepo> = starting
        .join_all()
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();
    // A later start finds the schema up to date.
    let late = h.open().await;
    nodes[0].enqueue(new_job("a")).await.unwrap();
    assert_eq!(
        late.get("a").await.unwrap().unwrap().state,
        JobState::Queued
    );

    let mut conn = h.connection().await;
    let applied: Vec<i64> =
        sqlx::query_scalar("SELECT version FROM _sqlx_migrations ORDER BY version")
            .fetch_all(&mut conn)
            .await
            .unwrap();
    assert_eq!(applied, [1, 2]);
    for node in nodes {
        h.close(node).await;
    }
    h.close(late).await;
}

/// `url` with `params` (`k=v&…`) added to its query string.
fn with_params(url: &str, params: &str) -> String {
    let joiner = if url.contains('?') { '&' } else { '?' };
    format!("{url}{joiner}{params}")
}

/// Whether this session's connection to the server is encrypted.
async fn is_tls(conn: &mut PgConnection) -> bool {
    sqlx::query_scalar("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
        .fetch_one(conn)
        .await
        .unwrap()
}

#[tokio::test]
async fn the_queue_works_over_tls() {
    let Some(h) = setup("the_queue_works_over_tls").await else {
        return;
    };
    let url = with_params(&h.url, "sslmode=require");
    let mut conn = PgConnection::connect(&url).await.unwrap();
    assert!(is_tls(&mut conn).await, "sslmode=require but not encrypted");

    let repo = PgRepo::connect(&url).await.unwrap();
    repo.enqueue(new_job("a")).await.unwrap();
    let job = repo.claim("node", LEASE).await.unwrap().unwrap();
    assert_eq!(job.id, "a");
    assert!(repo.complete("a", "node", json!("done")).await.unwrap());
    // Every connection to this test's database (the repo's pool and its listener, and ours) is
    // encrypted.
    let (tls, plain): (i64, i64) = sqlx::query_as(
        "SELECT count(*) FILTER (WHERE s.ssl), count(*) FILTER (WHERE NOT s.ssl)
         FROM pg_stat_activity a JOIN pg_stat_ssl s USING (pid)
         WHERE a.datname = current_database()",
    )
    .fetch_one(&mut conn)
    .await
    .unwrap();
    assert!(tls >= 2 && plain == 0, "tls {tls}, plain {plain}");
    repo.close().await;

    // With the server's certificate as the root, the strictest mode works too.
    if let Ok(ca) = std::env::var("FOLIO_TEST_POSTGRES_CA") {
        let url = with_params(&h.url, &format!("sslmode=verify-full&sslrootcert={ca}"));
        let mut verified = PgConnection::connect(&url).await.unwrap();
        assert!(is_tls(&mut verified).await);
        verified.close().await.unwrap();
    }
    conn.close().await.unwrap();
}
