//! Background loops: the async job workers (their work is [`crate::queue`]'s) and the expiry
//! sweeper. Every loop watches the shutdown channel.

use std::time::Duration;

use folio_jobs::now_millis;
use tokio::sync::watch;

use crate::queue::work_loop;
use crate::{ApiError, AppState};

/// Start `state.config.workers` job workers and the sweeper; they stop when `shutdown` turns true.
pub fn spawn_all(
    state: &AppState,
    node: &str,
    shutdown: watch::Receiver<bool>,
) -> Vec<tokio::task::JoinHandle<()>> {
    let mut handles: Vec<_> = (0..state.config.workers.max(1))
        .map(|i| {
            let (state, rx) = (state.clone(), shutdown.clone());
            let name = format!("{node}-w{i}");
            tokio::spawn(async move { work_loop(state, name, rx).await })
        })
        .collect();
    let (state, rx) = (state.clone(), shutdown);
    handles.push(tokio::spawn(async move { sweep_loop(state, rx).await }));
    handles
}

/// Requeue jobs whose worker vanished, and delete expired jobs and files.
/// Sweeps between two searches for orphaned objects (listing a whole bucket is not free).
const ORPHAN_SWEEP_EVERY: u64 = 60;

async fn sweep_loop(state: AppState, mut shutdown: watch::Receiver<bool>) {
    for n in 0u64.. {
        if let Err(e) = sweep_once(&state).await {
            tracing::warn!(%e, "expiry sweep failed");
        }
        if n % ORPHAN_SWEEP_EVERY == 0
            && let Err(e) = sweep_orphans(&state).await
        {
            tracing::warn!(%e, "orphan sweep failed");
        }
        tokio::select! {
            _ = tokio::time::sleep(state.config.sweep_interval) => {}
            _ = shutdown.changed() => return,
        }
    }
}

/// Delete stored files older than any record may live (`--max-expiration-minutes` plus an hour)
/// that no record names: bytes left behind by a crash between a record's removal and its
/// object's, or by an upload straight to S3 whose record is gone. Judged by the stored object's
/// own age, so it works for objects Folio never saw written. Returns how many were deleted.
pub async fn sweep_orphans(state: &AppState) -> Result<usize, ApiError> {
    let now = now_millis();
    let max_life = Duration::from_secs((state.config.max_expiration_minutes + 60) * 60);
    let cutoff = std::time::SystemTime::now() - max_life;
    let mut deleted = 0;
    for obj in state.store.list_older_than("files/", cutoff).await? {
        let token = obj.key.trim_start_matches("files/");
        if state.files.get_file(token, now).await?.is_none() {
            state.store.delete(&obj.key).await?;
            deleted += 1;
        }
    }
    if deleted > 0 {
        tracing::info!(deleted, "orphaned files swept");
    }
    Ok(deleted)
}

/// One pass of the sweeper; public so tests and operators can trigger it. Besides expired jobs
/// and files it removes what a crash left behind: spool files (bodies, fetched inputs) and the
/// store's staging files, once older than any request or job may run.
pub async fn sweep_once(state: &AppState) -> Result<(), ApiError> {
    let cfg = &state.config;
    let leftover_age =
        cfg.job_timeout.max(cfg.sync_timeout) + cfg.body_timeout + Duration::from_secs(3600);
    let spooled = state.spool.sweep(leftover_age);
    let staged = state
        .store
        .sweep_staging(std::time::SystemTime::now() - leftover_age)
        .await?;
    if spooled + staged > 0 {
        tracing::info!(spooled, staged, "files left by interrupted requests swept");
    }
    let now = now_millis();
    let requeued = state.jobs.requeue_expired(now).await?;
    let jobs = state.jobs.delete_expired_jobs(now).await?;
    let files = state.files.take_expired_files(now).await?;
    for f in &files {
        state.store.delete(&f.key).await?;
    }
    if requeued + jobs.len() as u64 + files.len() as u64 > 0 {
        tracing::info!(requeued, jobs = jobs.len(), files = files.len(), "sweep");
    }
    Ok(())
}
