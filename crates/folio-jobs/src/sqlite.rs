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
            .busy_timeout(BUSY_TIMEOUT);
        let pool = SqlitePoolOptions::new()
            .max_connections(MAX_CONNECTIONS)
            .connect_with(options)
            .await
            .map_err(db_err)?;
        MIGRATOR.run(&pool).await.map_err(migrate_err)?;
        Ok(Self {
            pool,
            work: Arc::new(Notify::new()),
        })
    }

    /// Close every connection, waiting for them to finish. Later calls on this repo (or its
    /// clones) fail.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

impl_repo!(
    SqliteRepo,
    sqlx::Sqlite,
    enqueue: "INSERT INTO jobs (id, kind, params, state, created_at, expires_at)
              VALUES ($1, $2, $3, 'queued', $4, $5)",
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
