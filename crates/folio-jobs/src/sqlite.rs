//! The embedded SQLite implementation of [`JobQueue`](crate::JobQueue) and
//! [`FileIndex`](crate::FileIndex).
//!
//! Every state change is a single SQL statement (`UPDATE … RETURNING`, `DELETE … RETURNING`), so
//! each is atomic on its own and concurrent callers sharing the pool never need explicit
//! transactions: SQLite serialises writers, and the busy timeout makes a writer wait its turn
//! instead of failing. The statements shared with PostgreSQL are in `sql.rs`.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use tokio::sync::Notify;
use tokio::task::JoinHandle;

use crate::RepoError;
use crate::sql::{db_err, impl_repo, migrate_err};

/// Schema migrations, embedded at build time.
static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

/// How long a statement waits for another connection's write lock before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Connections in the pool. SQLite runs one writer at a time anyway; a few connections let
/// reads (status polls, file lookups) proceed beside a write under WAL.
const MAX_CONNECTIONS: u32 = 4;

/// Job and file records in one SQLite database file.
///
/// Cheap to clone: clones share the connection pool and the work signal.
#[derive(Debug, Clone)]
pub struct SqliteRepo {
    pool: SqlitePool,
    /// Signalled when work may have appeared, to wake
    /// [`JobQueue::wait_for_work`](crate::JobQueue::wait_for_work).
    work: Arc<Notify>,
    /// Signalled when a job's secrets were erased; see [`scrub_wal`].
    scrub: Arc<Notify>,
    scrubber: Arc<ScrubTask>,
}

/// The background task running [`scrub_wal`]; stopped when the last clone of the repo goes.
#[derive(Debug)]
struct ScrubTask(JoinHandle<()>);

impl Drop for ScrubTask {
    fn drop(&mut self) {
        self.0.abort();
    }
}

impl SqliteRepo {
    /// Open (creating if missing) the database at `path` and bring its schema up to date.
    pub async fn open(path: &Path) -> Result<Self, RepoError> {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            // WAL lets readers run beside the single writer instead of blocking on it.
            .journal_mode(SqliteJournalMode::Wal)
            // In WAL mode, NORMAL may lose the last commits on power loss or an OS crash; FULL
            // syncs the log on every commit, so a job we acknowledged to a client is on disk.
            .synchronous(SqliteSynchronous::Full)
            // Freed cell and page content is zeroed instead of left in the file: an erased job
            // secret must not survive in free space.
            .pragma("secure_delete", "ON")
            .busy_timeout(BUSY_TIMEOUT);
        let pool = SqlitePoolOptions::new()
            .max_connections(MAX_CONNECTIONS)
            .connect_with(options)
            .await
            .map_err(db_err)?;
        MIGRATOR.run(&pool).await.map_err(migrate_err)?;
        let scrub = Arc::new(Notify::new());
        let scrubber = tokio::spawn(scrub_wal(pool.clone(), scrub.clone()));
        Ok(Self {
            pool,
            work: Arc::new(Notify::new()),
            scrub,
            scrubber: Arc::new(ScrubTask(scrubber)),
        })
    }

    /// Close every connection, waiting for them to finish. Later calls on this repo (or its
    /// clones) fail.
    pub async fn close(&self) {
        self.scrubber.0.abort();
        self.pool.close().await;
    }

    fn secrets_erased(&self) {
        self.scrub.notify_one();
    }
}

/// Pause before checkpointing again when readers kept the log from being emptied.
const SCRUB_RETRY: Duration = Duration::from_secs(1);

/// Whenever signalled, checkpoint the write-ahead log into the database and truncate it. Until
/// then the log keeps the page images of earlier commits, among them the erased secrets as they
/// were enqueued (and `secure_delete` has already zeroed them in the page written now). Bursts of
/// signals collapse into one checkpoint; one kept from finishing by readers of an older snapshot
/// is tried again.
async fn scrub_wal(pool: SqlitePool, signal: Arc<Notify>) {
    loop {
        signal.notified().await;
        let done: Result<(i64, i64, i64), _> = sqlx::query_as("PRAGMA wal_checkpoint(TRUNCATE)")
            .fetch_one(&pool)
            .await;
        match done {
            Ok((0, _, _)) => {}
            Ok(_) => {
                tokio::time::sleep(SCRUB_RETRY).await;
                signal.notify_one();
            }
            Err(_) if pool.is_closed() => return,
            Err(e) => {
                tracing::warn!(error = %e, "checkpointing the job database failed; retrying");
                tokio::time::sleep(SCRUB_RETRY).await;
                signal.notify_one();
            }
        }
    }
}

impl_repo!(
    SqliteRepo,
    sqlx::Sqlite,
    enqueue: "INSERT INTO jobs (id, kind, params, state, created_at, expires_at, secrets)
              VALUES ($1, $2, $3, 'queued', $4, $5, $6)",
    // One statement: SQLite takes the write lock before evaluating the subquery, so two callers
    // cannot select the same row. The candidate is the oldest queued job or the oldest lapsed
    // lease, each found by walking the (state, created_at) index and stopping at the first hit,
    // so a long backlog is never sorted. `rowid` orders jobs created in the same millisecond by
    // insertion.
    claim: "UPDATE jobs
            SET state = 'running', worker = $1, lease_until = $2, attempts = attempts + 1,
                started_at = COALESCE(started_at, $3)
            WHERE id = (
                SELECT id FROM (
                    SELECT * FROM (
                        SELECT id, created_at, rowid AS seq FROM jobs
                        WHERE state = 'queued'
                        ORDER BY created_at, rowid LIMIT 1
                    )
                    UNION ALL
                    SELECT * FROM (
                        SELECT id, created_at, rowid AS seq FROM jobs
                        WHERE state = 'running' AND lease_until < $3
                        ORDER BY created_at, rowid LIMIT 1
                    )
                )
                ORDER BY created_at, seq LIMIT 1
            )
            RETURNING *",
    requeue: "UPDATE jobs SET state = 'queued', worker = NULL, lease_until = NULL
              WHERE state = 'running' AND lease_until < $1",
);
