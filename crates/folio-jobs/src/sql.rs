//! What the SQL backends share: row decoding, conversions, error mapping, and the statements
//! that are the same on both.
//!
//! The backends differ only in how they enqueue, claim and requeue (PostgreSQL adds `NOTIFY` and
//! `FOR UPDATE SKIP LOCKED`); every other statement is written once, in [`impl_repo!`], with
//! positional `$N` parameters, which SQLite accepts too. A macro rather than generic code: each
//! expansion is ordinary code on one concrete pool type, with none of the higher-ranked bounds
//! that code generic over sqlx databases needs.

use std::time::Duration;

use sqlx::{ColumnIndex, Decode, Row, Type};

use crate::{FileRecord, FileState, Job, JobState, RepoError};

/// A result row of either backend, read by column name. Both store text as TEXT and every number
/// (times, counts, sizes) as a 64-bit integer, so two column types cover every record.
pub(crate) trait RecordRow {
    fn text(&self, column: &str) -> Result<Option<String>, RepoError>;
    fn int(&self, column: &str) -> Result<Option<i64>, RepoError>;
}

impl<R> RecordRow for R
where
    R: Row,
    for<'a> &'a str: ColumnIndex<R>,
    for<'r> Option<String>: Decode<'r, R::Database> + Type<R::Database>,
    for<'r> Option<i64>: Decode<'r, R::Database> + Type<R::Database>,
{
    fn text(&self, column: &str) -> Result<Option<String>, RepoError> {
        self.try_get(column).map_err(db_err)
    }

    fn int(&self, column: &str) -> Result<Option<i64>, RepoError> {
        self.try_get(column).map_err(db_err)
    }
}

/// A column the schema declares `NOT NULL`.
fn required<T>(value: Option<T>, column: &str) -> Result<T, RepoError> {
    value.ok_or_else(|| RepoError::Database(format!("{column} is NULL")))
}

pub(crate) fn job_from_row(row: &impl RecordRow) -> Result<Job, RepoError> {
    let text = |column| required(row.text(column)?, column);
    let int = |column| required(row.int(column)?, column);
    let state = text("state")?;
    Ok(Job {
        id: text("id")?,
        kind: text("kind")?,
        params: from_json(&text("params")?)?,
        secrets: row.text("secrets")?.as_deref().map(from_json).transpose()?,
        state: JobState::from_name(&state)
            .ok_or_else(|| RepoError::Database(format!("unknown job state {state:?}")))?,
        attempts: to_int(int("attempts")?, "attempts")?,
        pages_done: to_int(int("pages_done")?, "pages_done")?,
        pages_total: to_int(int("pages_total")?, "pages_total")?,
        result: row.text("result")?.as_deref().map(from_json).transpose()?,
        error_code: row
            .int("error_code")?
            .map(|c| to_int(c, "error_code"))
            .transpose()?,
        error_message: row.text("error_message")?,
        worker: row.text("worker")?,
        lease_until: row.int("lease_until")?,
        created_at: int("created_at")?,
        started_at: row.int("started_at")?,
        finished_at: row.int("finished_at")?,
        expires_at: int("expires_at")?,
    })
}

pub(crate) fn file_from_row(row: &impl RecordRow) -> Result<FileRecord, RepoError> {
    let text = |column| required(row.text(column)?, column);
    let int = |column| required(row.int(column)?, column);
    let state = text("state")?;
    Ok(FileRecord {
        token: text("token")?,
        key: text("key")?,
        name: text("name")?,
        content_type: text("content_type")?,
        size: row.int("size")?.map(|s| to_int(s, "size")).transpose()?,
        state: FileState::from_name(&state)
            .ok_or_else(|| RepoError::Database(format!("unknown file state {state:?}")))?,
        job_id: row.text("job_id")?,
        created_at: int("created_at")?,
        expires_at: int("expires_at")?,
    })
}

/// Integer conversion between the database's `i64` and the records' narrower or unsigned types.
pub(crate) fn to_int<T, U>(value: U, column: &str) -> Result<T, RepoError>
where
    T: TryFrom<U>,
    U: Copy + std::fmt::Display,
{
    T::try_from(value).map_err(|_| RepoError::Database(format!("{column} out of range: {value}")))
}

pub(crate) fn to_json(value: &serde_json::Value) -> Result<String, RepoError> {
    serde_json::to_string(value).map_err(|e| RepoError::Database(format!("encoding JSON: {e}")))
}

fn from_json(text: &str) -> Result<serde_json::Value, RepoError> {
    serde_json::from_str(text).map_err(|e| RepoError::Database(format!("stored JSON: {e}")))
}

/// `now + lease` in milliseconds, saturating rather than wrapping for absurd leases.
pub(crate) fn lease_end(now: i64, lease: Duration) -> i64 {
    now.saturating_add(i64::try_from(lease.as_millis()).unwrap_or(i64::MAX))
}

pub(crate) fn db_err(e: sqlx::Error) -> RepoError {
    RepoError::Database(e.to_string())
}

pub(crate) fn migrate_err(e: sqlx::migrate::MigrateError) -> RepoError {
    RepoError::Database(format!("migration failed: {e}"))
}

/// Like [`db_err`], but a primary-key clash is the caller's mistake: [`RepoError::Duplicate`].
pub(crate) fn insert_err(e: sqlx::Error, id: &str) -> RepoError {
    match e.as_database_error() {
        Some(d) if d.is_unique_violation() => RepoError::Duplicate(id.to_owned()),
        _ => db_err(e),
    }
}

/// Implements [`JobQueue`](crate::JobQueue) and [`FileIndex`](crate::FileIndex) for `$repo`, a
/// struct with a `pool` of database `$db` and a `work: Arc<Notify>`, given the backend's own
/// statements:
///
/// - `enqueue`: inserts a queued job from `$1` id, `$2` kind, `$3` params, `$4` now,
///   `$5` expires_at, `$6` secrets;
/// - `claim`: takes the oldest claimable job for `$1` worker with `$2` lease end at `$3` now,
///   `RETURNING *`;
/// - `requeue`: puts running jobs whose lease ended before `$1` back to `queued`; its affected
///   row count is the number requeued.
///
/// `$repo` also provides `fn secrets_erased(&self)`, called after a job's secrets were set to
/// NULL, for whatever the backend must do so that the erased values leave its files too.
macro_rules! impl_repo {
    ($repo:ty, $db:ty, enqueue: $enqueue:expr, claim: $claim:expr, requeue: $requeue:expr $(,)?) => {
        impl $repo {
            /// Run a conditional state change: true if it changed the one row it names.
            async fn changed_one<'q>(
                &self,
                query: sqlx::query::Query<'q, $db, <$db as sqlx::Database>::Arguments>,
            ) -> Result<bool, $crate::RepoError> {
                let done = query
                    .execute(&self.pool)
                    .await
                    .map_err($crate::sql::db_err)?;
                Ok(done.rows_affected() == 1)
            }

            /// [`changed_one`](Self::changed_one) for a statement that ends a job (and erases
            /// its secrets).
            async fn ended<'q>(
                &self,
                query: sqlx::query::Query<'q, $db, <$db as sqlx::Database>::Arguments>,
            ) -> Result<bool, $crate::RepoError> {
                let ended = self.changed_one(query).await?;
                if ended {
                    self.secrets_erased();
                }
                Ok(ended)
            }
        }

        #[async_trait::async_trait]
        impl $crate::JobQueue for $repo {
            async fn enqueue(&self, job: $crate::NewJob) -> Result<(), $crate::RepoError> {
                sqlx::query($enqueue)
                    .bind(&job.id)
                    .bind(&job.kind)
                    .bind($crate::sql::to_json(&job.params)?)
                    .bind($crate::now_millis())
                    .bind(job.expires_at)
                    .bind(job.secrets.as_ref().map($crate::sql::to_json).transpose()?)
                    .execute(&self.pool)
                    .await
                    .map_err(|e| $crate::sql::insert_err(e, &job.id))?;
                // `notify_one` stores a permit when nobody is waiting yet, so a worker between a
                // failed claim and its wait still sees this job.
                self.work.notify_one();
                Ok(())
            }

            async fn claim(
                &self,
                worker: &str,
                lease: std::time::Duration,
            ) -> Result<Option<$crate::Job>, $crate::RepoError> {
                let now = $crate::now_millis();
                let row = sqlx::query($claim)
                    .bind(worker)
                    .bind($crate::sql::lease_end(now, lease))
                    .bind(now)
                    .fetch_optional(&self.pool)
                    .await
                    .map_err($crate::sql::db_err)?;
                let Some(row) = row else {
                    return Ok(None);
                };
                // Pass the signal on: several enqueues before anyone waited leave a single
                // permit, so each successful claim wakes one more worker to look for the rest.
                // The cost is one empty claim after a burst.
                self.work.notify_one();
                $crate::sql::job_from_row(&row).map(Some)
            }

            async fn heartbeat(
                &self,
                id: &str,
                worker: &str,
                lease: std::time::Duration,
                pages_done: u32,
                pages_total: u32,
            ) -> Result<bool, $crate::RepoError> {
                self.changed_one(
                    sqlx::query(
                        "UPDATE jobs SET lease_until = $1, pages_done = $2, pages_total = $3
                         WHERE id = $4 AND state = 'running' AND worker = $5",
                    )
                    .bind($crate::sql::lease_end($crate::now_millis(), lease))
                    .bind(i64::from(pages_done))
                    .bind(i64::from(pages_total))
                    .bind(id)
                    .bind(worker),
                )
                .await
            }

            async fn complete(
                &self,
                id: &str,
                worker: &str,
                result: serde_json::Value,
            ) -> Result<bool, $crate::RepoError> {
                self.ended(
                    sqlx::query(
                        "UPDATE jobs
                         SET state = 'success', result = $1, finished_at = $2, lease_until = NULL,
                             secrets = NULL
                         WHERE id = $3 AND state = 'running' AND worker = $4",
                    )
                    .bind($crate::sql::to_json(&result)?)
                    .bind($crate::now_millis())
                    .bind(id)
                    .bind(worker),
                )
                .await
            }

            async fn fail(
                &self,
                id: &str,
                worker: &str,
                code: u16,
                message: &str,
            ) -> Result<bool, $crate::RepoError> {
                self.ended(
                    sqlx::query(
                        "UPDATE jobs
                         SET state = 'failed', error_code = $1, error_message = $2, finished_at = $3,
                             lease_until = NULL, secrets = NULL
                         WHERE id = $4 AND state = 'running' AND worker = $5",
                    )
                    .bind(i64::from(code))
                    .bind(message)
                    .bind($crate::now_millis())
                    .bind(id)
                    .bind(worker),
                )
                .await
            }

            async fn abort(&self, id: &str, message: &str) -> Result<bool, $crate::RepoError> {
                // The worker column stays for the record; clearing the lease keeps claim from
                // reviving it.
                self.ended(
                    sqlx::query(
                        "UPDATE jobs
                         SET state = 'aborted', error_message = $1, finished_at = $2,
                             lease_until = NULL, secrets = NULL
                         WHERE id = $3 AND state IN ('queued', 'running')",
                    )
                    .bind(message)
                    .bind($crate::now_millis())
                    .bind(id),
                )
                .await
            }

            async fn get(&self, id: &str) -> Result<Option<$crate::Job>, $crate::RepoError> {
                let row = sqlx::query("SELECT * FROM jobs WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await
                    .map_err($crate::sql::db_err)?;
                row.as_ref().map($crate::sql::job_from_row).transpose()
            }

            async fn queued_count(&self) -> Result<u64, $crate::RepoError> {
                let count: i64 =
                    sqlx::query_scalar("SELECT COUNT(*) FROM jobs WHERE state = 'queued'")
                        .fetch_one(&self.pool)
                        .await
                        .map_err($crate::sql::db_err)?;
                $crate::sql::to_int(count, "COUNT(*)")
            }

            async fn requeue_expired(&self, now: i64) -> Result<u64, $crate::RepoError> {
                let done = sqlx::query($requeue)
                    .bind(now)
                    .execute(&self.pool)
                    .await
                    .map_err($crate::sql::db_err)?;
                let count = done.rows_affected();
                if count > 0 {
                    self.work.notify_one();
                }
                Ok(count)
            }

            async fn delete_expired_jobs(
                &self,
                now: i64,
            ) -> Result<Vec<String>, $crate::RepoError> {
                sqlx::query_scalar(
                    "DELETE FROM jobs
                     WHERE state IN ('success', 'failed', 'aborted') AND expires_at < $1
                     RETURNING id",
                )
                .bind(now)
                .fetch_all(&self.pool)
                .await
                .map_err($crate::sql::db_err)
            }

            async fn wait_for_work(&self, max_wait: std::time::Duration) {
                // Timing out is the normal "nothing happened" outcome, not an error.
                let _ = tokio::time::timeout(max_wait, self.work.notified()).await;
            }
        }

        #[async_trait::async_trait]
        impl $crate::FileIndex for $repo {
            async fn insert_file(&self, file: $crate::FileRecord) -> Result<(), $crate::RepoError> {
                let size = file
                    .size
                    .map(|s| $crate::sql::to_int::<i64, _>(s, "size"))
                    .transpose()?;
                sqlx::query(
                    "INSERT INTO files
                         (token, key, name, content_type, size, state, job_id, created_at,
                          expires_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
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
                .map_err(|e| $crate::sql::insert_err(e, &file.token))?;
                Ok(())
            }

            async fn get_file(
                &self,
                token: &str,
                now: i64,
            ) -> Result<Option<$crate::FileRecord>, $crate::RepoError> {
                let row = sqlx::query("SELECT * FROM files WHERE token = $1 AND expires_at > $2")
                    .bind(token)
                    .bind(now)
                    .fetch_optional(&self.pool)
                    .await
                    .map_err($crate::sql::db_err)?;
                row.as_ref().map($crate::sql::file_from_row).transpose()
            }

            async fn begin_upload(&self, token: &str, now: i64) -> Result<bool, $crate::RepoError> {
                // One statement: of several racing uploads exactly one sees 'pending' and wins.
                self.changed_one(
                    sqlx::query(
                        "UPDATE files SET state = 'uploading'
                         WHERE token = $1 AND state = 'pending' AND expires_at > $2
                           AND job_id IS NULL",
                    )
                    .bind(token)
                    .bind(now),
                )
                .await
            }

            async fn abort_upload(&self, token: &str) -> Result<bool, $crate::RepoError> {
                self.changed_one(
                    sqlx::query(
                        "UPDATE files SET state = 'pending'
                         WHERE token = $1 AND state = 'uploading' AND job_id IS NULL",
                    )
                    .bind(token),
                )
                .await
            }

            async fn mark_uploaded(
                &self,
                token: &str,
                size: u64,
                now: i64,
            ) -> Result<bool, $crate::RepoError> {
                // The state condition makes a second completion a no-op.
                self.changed_one(
                    sqlx::query(
                        "UPDATE files SET state = 'ready', size = $1
                         WHERE token = $2 AND state IN ('pending', 'uploading') AND expires_at > $3
                           AND job_id IS NULL",
                    )
                    .bind($crate::sql::to_int::<i64, _>(size, "size")?)
                    .bind(token)
                    .bind(now),
                )
                .await
            }

            async fn mark_result_stored(
                &self,
                token: &str,
                size: u64,
                now: i64,
            ) -> Result<bool, $crate::RepoError> {
                self.changed_one(
                    sqlx::query(
                        "UPDATE files SET state = 'ready', size = $1
                         WHERE token = $2 AND state IN ('pending', 'ready') AND expires_at > $3
                           AND job_id IS NOT NULL",
                    )
                    .bind($crate::sql::to_int::<i64, _>(size, "size")?)
                    .bind(token)
                    .bind(now),
                )
                .await
            }

            async fn stored_bytes(&self) -> Result<u64, $crate::RepoError> {
                // PostgreSQL's SUM of BIGINT is NUMERIC: cast back, as both backends decode i64.
                let total: i64 =
                    sqlx::query_scalar("SELECT CAST(COALESCE(SUM(size), 0) AS BIGINT) FROM files")
                        .fetch_one(&self.pool)
                        .await
                        .map_err($crate::sql::db_err)?;
                $crate::sql::to_int(total, "SUM(size)")
            }

            async fn take_job_files(
                &self,
                job_id: &str,
            ) -> Result<Vec<$crate::FileRecord>, $crate::RepoError> {
                let rows = sqlx::query("DELETE FROM files WHERE job_id = $1 RETURNING *")
                    .bind(job_id)
                    .fetch_all(&self.pool)
                    .await
                    .map_err($crate::sql::db_err)?;
                rows.iter().map($crate::sql::file_from_row).collect()
            }

            async fn delete_file(
                &self,
                token: &str,
            ) -> Result<Option<$crate::FileRecord>, $crate::RepoError> {
                let row = sqlx::query("DELETE FROM files WHERE token = $1 RETURNING *")
                    .bind(token)
                    .fetch_optional(&self.pool)
                    .await
                    .map_err($crate::sql::db_err)?;
                row.as_ref().map($crate::sql::file_from_row).transpose()
            }

            async fn take_expired_files(
                &self,
                now: i64,
            ) -> Result<Vec<$crate::FileRecord>, $crate::RepoError> {
                // A single statement is a single transaction: a record is returned iff it was
                // deleted.
                let rows = sqlx::query("DELETE FROM files WHERE expires_at < $1 RETURNING *")
                    .bind(now)
                    .fetch_all(&self.pool)
                    .await
                    .map_err($crate::sql::db_err)?;
                rows.iter().map($crate::sql::file_from_row).collect()
            }
        }
    };
}

pub(crate) use impl_repo;
