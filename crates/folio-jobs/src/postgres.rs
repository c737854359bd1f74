//! The PostgreSQL implementation of [`JobQueue`](crate::JobQueue) and
//! [`FileIndex`](crate::FileIndex), for several Folio nodes sharing one database.
//!
//! Every state change is a single statement, atomic on its own; the statements shared with SQLite
//! are in `sql.rs`. Claiming takes its row `FOR UPDATE SKIP LOCKED`, so concurrent claimers on any
//! node never get the same job and never wait on each other.
//!
//! Enqueueing (and requeueing) sends a `NOTIFY` in the same statement; each repo keeps one
//! connection `LISTEN`ing and turns notifications into wake-ups of its local waiters, so an idle
//! node starts on a job another node enqueued at once. Notifications are only a hint: should the
//! listening connection drop, waiters still poll every `max_wait`.
//!
//! Lease times come from each node's clock, as with SQLite: nodes need synchronised clocks (NTP),
//! which leases of tens of seconds make forgiving.

use std::sync::Arc;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgListener, PgPool, PgPoolOptions};
use tokio::sync::Notify;
use tokio::task::JoinHandle;

use crate::RepoError;
use crate::sql::{db_err, impl_repo, migrate_err};

/// Schema migrations, embedded at build time. sqlx holds a PostgreSQL advisory lock (per
/// database) while it applies them, so nodes starting together apply each migration once.
static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// The `NOTIFY` channel that announces new work. Its name is repeated in the statements below.
const CHANNEL: &str = "folio_jobs";

/// Connections in the pool (the listener has its own). Statements are short; this bounds what
/// one node asks of the server.
const MAX_CONNECTIONS: u32 = 10;

/// First and longest pause between attempts to restore the listening connection.
const MIN_BACKOFF: Duration = Duration::from_millis(250);
const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// Job and file records in a PostgreSQL database, shared by every node that connects to it.
///
/// Cheap to clone: clones share the connection pool, the work signal and the listener.
#[derive(Debug, Clone)]
pub struct PgRepo {
    pool: PgPool,
    /// Signalled when work may have appeared (here or, through `NOTIFY`, on another node), to wake
    /// [`JobQueue::wait_for_work`](crate::JobQueue::wait_for_work).
    work: Arc<Notify>,
    listener: Arc<ListenerTask>,
}

/// The background task forwarding notifications; stopped when the last clone of the repo goes.
#[derive(Debug)]
struct ListenerTask(JoinHandle<()>);

impl Drop for ListenerTask {
    fn drop(&mut self) {
        self.0.abort();
    }
}

impl PgRepo {
    /// Connect to the database at `url` (`postgres://user:password@host:port/database`), bring
    /// its schema up to date and start listening for work enqueued by any node.
    pub async fn connect(url: &str) -> Result<Self, RepoError> {
        let options: PgConnectOptions = url.parse().map_err(db_err)?;
        migrate(&options).await?;
        let pool = PgPoolOptions::new()
            .max_connections(MAX_CONNECTIONS)
            .connect_with(options.clone())
            .await
            .map_err(db_err)?;
        // The listener pool only serves to reconnect the single listening connection, which is
        // held for good: no lifetime or idle limits.
        let listener_pool = PgPoolOptions::new()
            .max_connections(1)
            .max_lifetime(None)
            .idle_timeout(None)
            .connect_lazy_with(options);
        // Subscribe before returning, so no enqueue after `connect` goes unheard.
        let listener = subscribe(&listener_pool).await.map_err(db_err)?;
        let work = Arc::new(Notify::new());
        let task = tokio::spawn(forward_notifications(listener_pool, listener, work.clone()));
        Ok(Self {
            pool,
            work,
            listener: Arc::new(ListenerTask(task)),
        })
    }

    /// Stop listening and close every connection, waiting for them to finish. Later calls on this
    /// repo (or its clones) fail.
    pub async fn close(&self) {
        self.listener.0.abort();
        self.pool.close().await;
    }

    /// Nothing to do at once: the row version that held the secrets is dead and goes with the
    /// next (auto)vacuum of `jobs`.
    fn secrets_erased(&self) {}
}

/// Apply the migrations through a pool of their own and close it, whatever the outcome: should a
/// migration fail, closing takes sqlx's advisory lock with the connection, instead of leaving it
/// held in the main pool where it would block every other node's start. (A pool rather than a
/// bare connection: `Migrator::run` on `&mut PgConnection` makes `connect` unusable in
/// `tokio::spawn`.)
async fn migrate(options: &PgConnectOptions) -> Result<(), RepoError> {
    let pool = PgPoolOptions::new()
        .max_connections(1)
        .connect_with(options.clone())
        .await
        .map_err(db_err)?;
    let migrated = MIGRATOR.run(&pool).await.map_err(migrate_err);
    pool.close().await;
    migrated
}

async fn subscribe(pool: &PgPool) -> Result<PgListener, sqlx::Error> {
    let mut listener = PgListener::connect_with(pool).await?;
    listener.listen(CHANNEL).await?;
    Ok(listener)
}

/// Wake a local waiter for every notification, for as long as the repo lives. Notifications sent
/// while the connection was down are lost, so each reconnection wakes a waiter too, to look once.
/// Errors are logged and retried with backoff; meanwhile waiters fall back to polling.
async fn forward_notifications(pool: PgPool, listener: PgListener, work: Arc<Notify>) {
    let mut listener = Some(listener);
    let mut backoff = MIN_BACKOFF;
    loop {
        let Some(active) = listener.as_mut() else {
            tokio::time::sleep(backoff).await;
            match subscribe(&pool).await {
                Ok(restored) => {
                    tracing::info!("job notifications restored");
                    listener = Some(restored);
                    backoff = MIN_BACKOFF;
                    work.notify_one();
                }
                Err(e) => {
                    backoff = (backoff * 2).min(MAX_BACKOFF);
                    tracing::warn!(
                        error = %e,
                        retry_in = ?backoff,
                        "job notifications still unavailable"
                    );
                }
            }
            continue;
        };
        match active.try_recv().await {
            Ok(Some(_)) => work.notify_one(),
            // PgListener noticed the connection drop and re-established it (and the LISTEN).
            Ok(None) => {
                tracing::info!("job notification connection re-established");
                work.notify_one();
            }
            Err(e) => {
                tracing::warn!(
                    error = %e,
                    retry_in = ?backoff,
                    "job notifications interrupted; workers poll until they are restored"
                );
                listener = None;
            }
        }
    }
}

impl_repo!(
    PgRepo,
    sqlx::Postgres,
    // The notification is delivered when the insert commits, and not at all if it fails.
    enqueue: "WITH inserted AS (
                  INSERT INTO jobs (id, kind, params, state, created_at, expires_at, secrets)
                  VALUES ($1, $2, $3, 'queued', $4, $5, $6)
                  RETURNING id
              )
              SELECT pg_notify('folio_jobs', '') FROM inserted",
    // The subquery locks the oldest claimable job, skipping rows other claimers hold locked, and
    // rechecks a row changed since the statement began; the update then owns it. Two claimers on
    // any nodes thus never take the same job. The partial index `jobs_claim` serves the walk.
    claim: "UPDATE jobs
            SET state = 'running', worker = $1, lease_until = $2, attempts = attempts + 1,
                started_at = COALESCE(started_at, $3)
            WHERE id = (
                SELECT id FROM jobs
                WHERE state = 'queued' OR (state = 'running' AND lease_until < $3)
                ORDER BY created_at, seq
                LIMIT 1
                FOR UPDATE SKIP LOCKED
            )
            RETURNING *",
    // One row per requeued job, so the affected count is theirs; PostgreSQL folds the identical
    // notifications of one transaction into one.
    requeue: "WITH requeued AS (
                  UPDATE jobs SET state = 'queued', worker = NULL, lease_until = NULL
                  WHERE state = 'running' AND lease_until < $1
                  RETURNING id
              )
              SELECT pg_notify('folio_jobs', '') FROM requeued",
);
