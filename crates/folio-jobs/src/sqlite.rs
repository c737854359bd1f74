//! The embedded SQLite implementation of [`JobQueue`] and [`FileIndex`].
//!
//! Every state change is a single SQL statement (`UPDATE … RETURNING`, `DELETE … RETURNING`), so
//! each is atomic on its own and concurrent callers sharing the pool never need explicit
//! transactions: SQLite serialises writers, and the busy timeout makes a writer wait its turn
//! instead of failing.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use sqlx::Row;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteRow,
    SqliteSynchronous,
};
use tokio::sync::Notify;

use crate::{
    FileIndex, FileRecord, FileState, Job, JobQueue, JobState, NewJob, RepoError, now_millis,
};

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
    /// Signalled when work may have appeared, to wake [`JobQueue::wait_for_work`].
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
        MIGRATOR
            .run(&pool)
            .await
            .map_err(|e| RepoError::Database(format!("migration failed: {e}")))?;
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

#[async_trait::async_trait]
impl JobQueue for SqliteRepo {
    async fn enqueue(&self, job: NewJob) -> Result<(), RepoError> {
        sqlx::query(
            "INSERT INTO jobs (id, kind, params, state, created_at, expires_at)
             VALUES (?1, ?2, ?3, 'queued', ?4, ?5)",
        )
        .bind(&job.id)
        .bind(&job.kind)
        .bind(to_json(&job.params)?)
        .bind(now_millis())
        .bind(job.expires_at)
        .execute(&self.pool)
        .await
        .map_err(|e| insert_err(e, &job.id))?;
        // `notify_one` stores a permit when nobody is waiting yet, so a worker between a failed
        // claim and its wait still sees this job.
        self.work.notify_one();
        Ok(())
    }

    async fn claim(&self, worker: &str, lease: Duration) -> Result<Option<Job>, RepoError> {
        let now = now_millis();
        // One statement: SQLite takes the write lock before evaluating the subquery, so two
        // callers cannot select the same row. The candidate is the oldest queued job or the oldest
        // lapsed lease, each found by walking the (state, created_at) index and stopping at the
        // first hit, so a long backlog is never sorted. `rowid` orders jobs created in the same
        // millisecond by insertion.
        let row = sqlx::query(
            "UPDATE jobs
             SET state = 'running', worker = ?1, lease_until = ?2, attempts = attempts + 1,
                 started_at = COALESCE(started_at, ?3)
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
                         WHERE state = 'running' AND lease_until < ?3
                         ORDER BY created_at, rowid LIMIT 1
                     )
                 )
                 ORDER BY created_at, seq LIMIT 1
             )
             RETURNING *",
        )
        .bind(worker)
        .bind(lease_end(now, lease))
        .bind(now)
        .fetch_optional(&self.pool)
        .await
        .map_err(db_err)?;
        let Some(row) = row else {
            return Ok(None);
        };
        // Pass the signal on: several enqueues before anyone waited leave a single permit, so
        // each successful claim wakes one more worker to look for the rest. The cost is one
        // empty claim after a burst.
        self.work.notify_one();
        job_from_row(&row).map(Some)
    }

    async fn heartbeat(
        &self,
        id: &str,
        worker: &str,
        lease: Duration,
        pages_done: u32,
        pages_total: u32,
    ) -> Result<bool, RepoError> {
        let done = sqlx::query(
            "UPDATE jobs SET lease_until = ?1, pages_done = ?2, pages_total = ?3
             WHERE id = ?4 AND state = 'running' AND worker = ?5",
        )
        .bind(lease_end(now_millis(), lease))
        .bind(i64::from(pages_done))
        .bind(i64::from(pages_total))
        .bind(id)
        .bind(worker)
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(done.rows_affected() == 1)
    }

    async fn complete(
        &self,
        id: &str,
        worker: &str,
        result: serde_json::Value,
    ) -> Result<bool, RepoError> {
        let done = sqlx::query(
            "UPDATE jobs SET state = 'success', result = ?1, finished_at = ?2, lease_until = NULL
             WHERE id = ?3 AND state = 'running' AND worker = ?4",
        )
        .bind(to_json(&result)?)
        .bind(now_millis())
        .bind(id)
        .bind(worker)
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(done.rows_affected() == 1)
    }

    async fn fail(
        &self,
        id: &str,
        worker: &str,
        code: u16,
        message: &str,
    ) -> Result<bool, RepoError> {
        let done = sqlx::query(
            "UPDATE jobs
             SET state = 'failed', error_code = ?1, error_message = ?2, finished_at = ?3,
                 lease_until = NULL
             WHERE id = ?4 AND state = 'running' AND worker = ?5",
        )
        .bind(i64::from(code))
        .bind(message)
        .bind(now_millis())
        .bind(id)
        .bind(worker)
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(done.rows_affected() == 1)
    }

    async fn abort(&self, id: &str, message: &str) -> Result<bool, RepoError> {
        // The worker column stays for the record; clearing the lease keeps claim from reviving it.
        let done = sqlx::query(
            "UPDATE jobs
             SET state = 'aborted', error_message = ?1, finished_at = ?2, lease_until = NULL
             WHERE id = ?3 AND state IN ('queued', 'running')",
        )
        .bind(message)
        .bind(now_millis())
        .bind(id)
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(done.rows_affected() == 1)
    }

    async fn get(&self, id: &str) -> Result<Option<Job>, RepoError> {
        let row = sqlx::query("SELECT * FROM jobs WHERE id = ?1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?;
        row.as_ref().map(job_from_row).transpose()
    }

    async fn queued_count(&self) -> Result<u64, RepoError> {
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM jobs WHERE state = 'queued'")
            .fetch_one(&self.pool)
            .await
            .map_err(db_err)?;
        to_int(count, "COUNT(*)")
    }

    async fn requeue_expired(&self, now: i64) -> Result<u64, RepoError> {
        let done = sqlx::query(
            "UPDATE jobs SET state = 'queued', worker = NULL, lease_until = NULL
             WHERE state = 'running' AND lease_until < ?1",
        )
        .bind(now)
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        let count = done.rows_affected();
        if count > 0 {
            self.work.notify_one();
        }
        Ok(count)
    }

    async fn delete_expired_jobs(&self, now: i64) -> Result<Vec<String>, RepoError> {
        sqlx::query_scalar(
            "DELETE FROM jobs
             WHERE state IN ('success', 'failed', 'aborted') AND expires_at < ?1
             RETURNING id",
        )
        .bind(now)
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)
    }

    async fn wait_for_work(&self, max_wait: Duration) {
        // Timing out is the normal "nothing happened" outcome, not an error.
        let _ = tokio::time::timeout(max_wait, self.work.notified()).await;
    }
}

#[async_trait::async_trait]
impl FileIndex for SqliteRepo {
    async fn insert_file(&self, file: FileRecord) -> Result<(), RepoError> {
        let size = file.size.map(|s| to_int::<i64, _>(s, "size")).transpose()?;
        sqlx::query(
            "INSERT INTO files
                 (token, key, name, content_type, size, state, job_id, created_at, expires_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )
        .bind(&file.token)
        .bind(&file.key)
        .bind(&file.name)
        .bind(&file.content_type)
        .bind(size)
        .bind(file.state.as_str())
        .bind(&file.job_id)
        .bind(file.created_at)
        .bind(file.expires_at)
        .execute(&self.pool)
        .await
        .map_err(|e| insert_err(e, &file.token))?;
        Ok(())
    }

    async fn get_file(&self, token: &str, now: i64) -> Result<Option<FileRecord>, RepoError> {
        let row = sqlx::query("SELECT * FROM files WHERE token = ?1 AND expires_at > ?2")
            .bind(token)
            .bind(now)
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?;
        row.as_ref().map(file_from_row).transpose()
    }

    async fn begin_upload(&self, token: &str, now: i64) -> Result<bool, RepoError> {
        // One statement: of several racing uploads exactly one sees 'pending' and wins.
        let done = sqlx::query(
            "UPDATE files SET state = 'uploading'
             WHERE token = ?1 AND state = 'pending' AND expires_at > ?2",
        )
        .bind(token)
        .bind(now)
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(done.rows_affected() == 1)
    }

    async fn abort_upload(&self, token: &str) -> Result<bool, RepoError> {
        let done = sqlx::query(
            "UPDATE files SET state = 'pending' WHERE token = ?1 AND state = 'uploading'",
        )
        .bind(token)
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(done.rows_affected() == 1)
    }

    async fn mark_uploaded(&self, token: &str, size: u64, now: i64) -> Result<bool, RepoError> {
        // The state condition makes a second completion a no-op.
        let done = sqlx::query(
            "UPDATE files SET state = 'ready', size = ?1
             WHERE token = ?2 AND state IN ('pending', 'uploading') AND expires_at > ?3",
        )
        .bind(to_int::<i64, _>(size, "size")?)
        .bind(token)
        .bind(now)
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(done.rows_affected() == 1)
    }

    async fn delete_file(&self, token: &str) -> Result<Option<FileRecord>, RepoError> {
        let row = sqlx::query("DELETE FROM files WHERE token = ?1 RETURNING *")
            .bind(token)
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?;
        row.as_ref().map(file_from_row).transpose()
    }

    async fn take_expired_files(&self, now: i64) -> Result<Vec<FileRecord>, RepoError> {
        // A single statement is a single transaction: a record is returned iff it was deleted.
        let rows = sqlx::query("DELETE FROM files WHERE expires_at < ?1 RETURNING *")
            .bind(now)
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        rows.iter().map(file_from_row).collect()
    }
}

fn job_from_row(row: &SqliteRow) -> Result<Job, RepoError> {
    let state: String = get(row, "state")?;
    let result: Option<String> = get(row, "result")?;
    let error_code: Option<i64> = get(row, "error_code")?;
    Ok(Job {
        id: get(row, "id")?,
        kind: get(row, "kind")?,
        params: from_json(&get::<String>(row, "params")?)?,
        state: JobState::from_name(&state)
            .ok_or_else(|| RepoError::Database(format!("unknown job state {state:?}")))?,
        attempts: to_int(get::<i64>(row, "attempts")?, "attempts")?,
        pages_done: to_int(get::<i64>(row, "pages_done")?, "pages_done")?,
        pages_total: to_int(get::<i64>(row, "pages_total")?, "pages_total")?,
        result: result.as_deref().map(from_json).transpose()?,
        error_code: error_code.map(|c| to_int(c, "error_code")).transpose()?,
        error_message: get(row, "error_message")?,
        worker: get(row, "worker")?,
        lease_until: get(row, "lease_until")?,
        created_at: get(row, "created_at")?,
        started_at: get(row, "started_at")?,
        finished_at: get(row, "finished_at")?,
        expires_at: get(row, "expires_at")?,
    })
}

fn file_from_row(row: &SqliteRow) -> Result<FileRecord, RepoError> {
    let state: String = get(row, "state")?;
    let size: Option<i64> = get(row, "size")?;
    Ok(FileRecord {
        token: get(row, "token")?,
        key: get(row, "key")?,
        name: get(row, "name")?,
        content_type: get(row, "content_type")?,
        size: size.map(|s| to_int(s, "size")).transpose()?,
        state: FileState::from_name(&state)
            .ok_or_else(|| RepoError::Database(format!("unknown file state {state:?}")))?,
        job_id: get(row, "job_id")?,
        created_at: get(row, "created_at")?,
        expires_at: get(row, "expires_at")?,
    })
}

fn get<'r, T>(row: &'r SqliteRow, column: &str) -> Result<T, RepoError>
where
    T: sqlx::Decode<'r, sqlx::Sqlite> + sqlx::Type<sqlx::Sqlite>,
{
    row.try_get(column).map_err(db_err)
}

/// Integer conversion between the database's `i64` and the records' narrower or unsigned types.
fn to_int<T, U>(value: U, column: &str) -> Result<T, RepoError>
where
    T: TryFrom<U>,
    U: Copy + std::fmt::Display,
{
    T::try_from(value).map_err(|_| RepoError::Database(format!("{column} out of range: {value}")))
}

fn to_json(value: &serde_json::Value) -> Result<String, RepoError> {
    serde_json::to_string(value).map_err(|e| RepoError::Database(format!("encoding JSON: {e}")))
}

fn from_json(text: &str) -> Result<serde_json::Value, RepoError> {
    serde_json::from_str(text).map_err(|e| RepoError::Database(format!("stored JSON: {e}")))
}

/// `now + lease` in milliseconds, saturating rather than wrapping for absurd leases.
fn lease_end(now: i64, lease: Duration) -> i64 {
    now.saturating_add(i64::try_from(lease.as_millis()).unwrap_or(i64::MAX))
}

fn db_err(e: sqlx::Error) -> RepoError {
    RepoError::Database(e.to_string())
}

/// Like [`db_err`], but a primary-key clash is the caller's mistake: [`RepoError::Duplicate`].
fn insert_err(e: sqlx::Error, id: &str) -> RepoError {
    match e.as_database_error() {
        Some(d) if d.is_unique_violation() => RepoError::Duplicate(id.to_owned()),
        _ => db_err(e),
    }
}
