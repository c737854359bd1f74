//! Folio's jobs room: durable job records, the queue that hands them to workers, and the records of
//! stored files (owner, expiry, single-use upload state). It knows nothing of rendering or HTTP:
//! job parameters and results are opaque JSON to it.
//!
//! A job moves `queued → running → success | failed` (or `aborted`). A worker claims a job with a
//! lease and renews it with heartbeats; a job whose lease ran out (its worker died, the server was
//! killed) goes back to `queued` and runs again. Completion is guarded by the worker id, so a worker
//! that lost its lease cannot overwrite the result of the one that took over.
//!
//! Implementations, behind the same traits and with the same semantics: [`SqliteRepo`] (embedded,
//! the zero-configuration default for a single node) and [`PgRepo`] (PostgreSQL, shared by several
//! nodes: any node may claim any job, and an idle node wakes when any node enqueues). Times are
//! Unix milliseconds.

mod postgres;
mod sql;
mod sqlite;

use std::time::Duration;

pub use postgres::PgRepo;
pub use sqlite::SqliteRepo;

/// Errors of the job and file records.
#[derive(Debug, thiserror::Error)]
pub enum RepoError {
    /// The database failed or could not be reached.
    #[error("database failure: {0}")]
    Database(String),
    /// A record with this id already exists.
    #[error("duplicate id: {0}")]
    Duplicate(String),
}

/// Where a job is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum JobState {
    Queued,
    Running,
    Success,
    Failed,
    Aborted,
}

impl JobState {
    pub fn as_str(self) -> &'static str {
        match self {
            JobState::Queued => "queued",
            JobState::Running => "running",
            JobState::Success => "success",
            JobState::Failed => "failed",
            JobState::Aborted => "aborted",
        }
    }

    /// The inverse of [`JobState::as_str`], for reading stored records.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "queued" => Some(JobState::Queued),
            "running" => Some(JobState::Running),
            "success" => Some(JobState::Success),
            "failed" => Some(JobState::Failed),
            "aborted" => Some(JobState::Aborted),
            _ => None,
        }
    }
}

/// A job to enqueue.
#[derive(Debug, Clone, PartialEq)]
pub struct NewJob {
    /// Random, unguessable id chosen by the caller.
    pub id: String,
    /// What to do, e.g. `"convert"`.
    pub kind: String,
    /// Everything the worker needs, opaque to the queue.
    pub params: serde_json::Value,
    /// What the worker needs but nobody should read afterwards (passwords): kept apart from
    /// `params` and erased when the job ends, so that finished jobs, which linger until they
    /// expire, hold no credentials.
    pub secrets: Option<serde_json::Value>,
    /// When the record (and its results) may be swept.
    pub expires_at: i64,
}

/// A job record as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    pub id: String,
    pub kind: String,
    pub params: serde_json::Value,
    /// [`NewJob::secrets`] while the job is queued or running (also across a requeue); `None`
    /// once it has ended.
    pub secrets: Option<serde_json::Value>,
    pub state: JobState,
    /// Times it was claimed (1 on the first run; more after a crash or a lost lease).
    pub attempts: u32,
    pub pages_done: u32,
    pub pages_total: u32,
    /// Set on success: opaque JSON written by the worker.
    pub result: Option<serde_json::Value>,
    /// Set on failure: the PDF.co error code and message.
    pub error_code: Option<u16>,
    pub error_message: Option<String>,
    /// The worker holding the lease while running.
    pub worker: Option<String>,
    pub lease_until: Option<i64>,
    pub created_at: i64,
    pub started_at: Option<i64>,
    pub finished_at: Option<i64>,
    pub expires_at: i64,
}

/// The durable job queue.
#[async_trait::async_trait]
pub trait JobQueue: Send + Sync + 'static {
    /// Record a new `queued` job. When this returns the job survives a crash.
    async fn enqueue(&self, job: NewJob) -> Result<(), RepoError>;

    /// Atomically take the oldest `queued` job (or a `running` one whose lease has expired),
    /// mark it `running` for `worker` with a lease of `lease`, and increment `attempts`.
    /// Two concurrent callers never get the same job.
    async fn claim(&self, worker: &str, lease: Duration) -> Result<Option<Job>, RepoError>;

    /// Renew `worker`'s lease on job `id` and record progress. Returns false if the job is no
    /// longer running under this worker (it was taken over or aborted): the worker should stop.
    async fn heartbeat(
        &self,
        id: &str,
        worker: &str,
        lease: Duration,
        pages_done: u32,
        pages_total: u32,
    ) -> Result<bool, RepoError>;

    /// Mark job `id` `success` with `result`, only if it is running under `worker`. Like
    /// [`fail`](JobQueue::fail) and [`abort`](JobQueue::abort), it erases the job's secrets in the
    /// same statement: no moment exists at which a job has ended and still holds them.
    async fn complete(
        &self,
        id: &str,
        worker: &str,
        result: serde_json::Value,
    ) -> Result<bool, RepoError>;

    /// Mark job `id` `failed` with a PDF.co error code and message, only if running under `worker`.
    async fn fail(
        &self,
        id: &str,
        worker: &str,
        code: u16,
        message: &str,
    ) -> Result<bool, RepoError>;

    /// Mark a queued or running job `aborted` (e.g. over its time budget). Returns false if it had
    /// already finished.
    async fn abort(&self, id: &str, message: &str) -> Result<bool, RepoError>;

    /// The job record, if it exists (and has not been swept).
    async fn get(&self, id: &str) -> Result<Option<Job>, RepoError>;

    /// Jobs waiting to run.
    async fn queued_count(&self) -> Result<u64, RepoError>;

    /// Put every `running` job whose lease ended before `now` back to `queued`. Returns how many.
    async fn requeue_expired(&self, now: i64) -> Result<u64, RepoError>;

    /// Delete finished jobs whose `expires_at` is before `now`; returns their ids.
    async fn delete_expired_jobs(&self, now: i64) -> Result<Vec<String>, RepoError>;

    /// Wait until new work may be available (a job was enqueued in this process, or, with a
    /// shared database, by another node; or `max_wait` passed). Cheap to call in a loop.
    async fn wait_for_work(&self, max_wait: Duration);
}

/// Upload state of a stored file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileState {
    /// A presigned upload URL was handed out (or an async result announced); no bytes yet.
    Pending,
    /// One upload to the presigned URL is under way; others are refused.
    Uploading,
    /// The bytes are in the store.
    Ready,
}

impl FileState {
    pub fn as_str(self) -> &'static str {
        match self {
            FileState::Pending => "pending",
            FileState::Uploading => "uploading",
            FileState::Ready => "ready",
        }
    }

    /// The inverse of [`FileState::as_str`], for reading stored records.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "pending" => Some(FileState::Pending),
            "uploading" => Some(FileState::Uploading),
            "ready" => Some(FileState::Ready),
            _ => None,
        }
    }
}

/// A file Folio stores and serves: an upload or a result.
#[derive(Debug, Clone, PartialEq)]
pub struct FileRecord {
    /// Random, unguessable id used in URLs (`/files/<token>/<name>`).
    pub token: String,
    /// Where the bytes are in the store.
    pub key: String,
    /// File name shown in URLs and downloads.
    pub name: String,
    pub content_type: String,
    pub size: Option<u64>,
    pub state: FileState,
    /// The job that produced it, for results.
    pub job_id: Option<String>,
    pub created_at: i64,
    pub expires_at: i64,
}

/// Records of stored files.
#[async_trait::async_trait]
pub trait FileIndex: Send + Sync + 'static {
    /// Add a record (upload announced, or result written).
    async fn insert_file(&self, file: FileRecord) -> Result<(), RepoError>;

    /// The record for `token`, if it exists and has not expired at `now`.
    async fn get_file(&self, token: &str, now: i64) -> Result<Option<FileRecord>, RepoError>;

    /// Reserve a `Pending` client upload for one upload (`Pending → Uploading`). Returns false if
    /// it was not pending (already used, being uploaded, unknown or expired) or is a job's result:
    /// a presigned upload URL accepts one upload, even when several race for it, and a result's
    /// token is a download capability only, never a way to write the result.
    async fn begin_upload(&self, token: &str, now: i64) -> Result<bool, RepoError>;

    /// Give a reservation back after a failed upload (`Uploading → Pending`), so the client may
    /// retry with the same URL.
    async fn abort_upload(&self, token: &str) -> Result<bool, RepoError>;

    /// Move a `Pending` or `Uploading` client upload to `Ready` with its size. Returns false if it
    /// was neither (already ready, unknown or expired) or is a job's result.
    async fn mark_uploaded(&self, token: &str, size: u64, now: i64) -> Result<bool, RepoError>;

    /// Move a job's result (an async placeholder) to `Ready` with its size, once its worker has
    /// stored the bytes; a re-run after a crash records the size again. Returns false for client
    /// uploads, unknown and expired files.
    async fn mark_result_stored(&self, token: &str, size: u64, now: i64)
    -> Result<bool, RepoError>;

    /// Bytes of every recorded file (uploads and results, expired but not yet swept included;
    /// pending files count nothing until their size is known): what a store quota is checked
    /// against.
    async fn stored_bytes(&self) -> Result<u64, RepoError>;

    /// Remove and return every record of job `job_id`'s files (its pages and its placeholder),
    /// for a job that failed: their bytes are the caller's to delete.
    async fn take_job_files(&self, job_id: &str) -> Result<Vec<FileRecord>, RepoError>;

    /// Remove the record; returns it if it existed.
    async fn delete_file(&self, token: &str) -> Result<Option<FileRecord>, RepoError>;

    /// Remove and return records that expired before `now` (their bytes are the caller's to delete).
    async fn take_expired_files(&self, now: i64) -> Result<Vec<FileRecord>, RepoError>;
}

/// Milliseconds since the Unix epoch.
pub fn now_millis() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}
