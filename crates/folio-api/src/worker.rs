//! Background loops: the async job workers and the expiry sweeper.
//!
//! A worker claims a job with a lease, renews it by heartbeat (reporting progress) while the
//! conversion runs, and completes or fails it. Completion is guarded by the worker id, so a worker
//! whose lease was taken over cannot overwrite the other run's result. Every loop watches the
//! shutdown channel: on shutdown no new job is claimed; a job already rendering is given
//! `grace` to finish, or is left `running` to be claimed again after restart.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use folio_jobs::{Job, now_millis};
use folio_render::Code;
use serde_json::json;
use tokio::sync::watch;

use crate::service::conversion::{ConvertJob, Outcome, Progress, run};
use crate::service::naming::{download_url, iso_time, job_tag};
use crate::service::storage::discard_job_files;
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

async fn work_loop(state: AppState, worker: String, mut shutdown: watch::Receiver<bool>) {
    let lease = state.config.job_lease;
    // Nothing announces a lease running out (a dead node's job), so idle workers also look
    // every half lease: a job is taken over at most 1.5 leases after its node died.
    let idle_wait = (lease / 2).min(Duration::from_secs(5));
    while !*shutdown.borrow() {
        match state.jobs.claim(&worker, lease).await {
            Ok(Some(job)) => process(&state, &worker, job).await,
            Ok(None) => {
                tokio::select! {
                    _ = state.jobs.wait_for_work(idle_wait) => {}
                    _ = shutdown.changed() => {}
                }
            }
            Err(e) => {
                tracing::error!(%e, worker, "claiming a job failed; retrying");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
}

async fn process(state: &AppState, worker: &str, job: Job) {
    let id = job.id.clone();
    tracing::info!(job = %job_tag(&id), worker, attempt = job.attempts, "job started");
    let params = crate::service::secrets::merge(job.params.clone(), job.secrets.as_ref());
    let params: ConvertJob = match serde_json::from_value(params) {
        Ok(p) => p,
        Err(e) => {
            let message = format!("Unreadable job parameters: {e}");
            if let Ok(true) = state
                .jobs
                .fail(&id, worker, Code::Internal.as_u16(), &message)
                .await
            {
                discard_job_files(state, &id).await;
            }
            return;
        }
    };
    let progress = Arc::new(Progress::default());
    let cancel = Arc::new(AtomicBool::new(false));
    let heartbeat = {
        let (state, id, worker, progress, cancel) = (
            state.clone(),
            id.clone(),
            worker.to_string(),
            progress.clone(),
            cancel.clone(),
        );
        tokio::spawn(async move {
            let lease = state.config.job_lease;
            loop {
                tokio::time::sleep(lease / 3).await;
                let (done, total) = (
                    progress.done.load(Ordering::Relaxed),
                    progress.total.load(Ordering::Relaxed),
                );
                match state.jobs.heartbeat(&id, &worker, lease, done, total).await {
                    Ok(true) => {}
                    Ok(false) => {
                        // Taken over or aborted: stop rendering for nothing.
                        cancel.store(true, Ordering::Relaxed);
                        return;
                    }
                    Err(e) => tracing::warn!(%e, job = %job_tag(&id), "heartbeat failed"),
                }
            }
        })
    };
    let budget = state.config.job_timeout;
    let result = match tokio::time::timeout(
        budget,
        run(state, &id, &params, progress.clone(), cancel.clone(), None),
    )
    .await
    {
        Ok(r) => r,
        Err(_) => {
            cancel.store(true, Ordering::Relaxed);
            Err(ApiError::new(
                Code::Timeout,
                format!(
                    "Timeout error: the job ran longer than its budget of {} s.",
                    budget.as_secs()
                ),
            ))
        }
    };
    heartbeat.abort();
    let result = match result {
        Ok(outcome) => result_json(state, &params, &outcome).await,
        Err(e) => Err(e),
    };
    let outcome = if result.is_ok() { "success" } else { "failed" };
    let finished = match result {
        Ok(result) => {
            tracing::info!(job = %job_tag(&id), pages = %result["pageCount"], ms = %result["duration"], "job succeeded");
            state.jobs.complete(&id, worker, result).await
        }
        Err(e) => {
            tracing::info!(job = %job_tag(&id), code = e.status.as_u16(), message = %e.message, "job failed");
            state
                .jobs
                .fail(&id, worker, e.status.as_u16(), &e.message)
                .await
        }
    };
    match finished {
        Ok(true) => {
            // Only once the job is ours and over: a run that lost its lease must not delete the
            // pages the new owner is writing under the same tokens.
            if outcome == "failed" {
                discard_job_files(state, &id).await;
            }
            state.metrics.job_finished(outcome);
            if let Some(url) = params.callback.clone() {
                crate::service::webhook::notify(state, url, id.clone());
            }
        }
        Ok(false) => {
            tracing::warn!(job = %job_tag(&id), worker, "job was taken over by another worker; result discarded")
        }
        Err(e) => {
            tracing::error!(%e, job = %job_tag(&id), "recording the job's end failed; it will run again")
        }
    }
}

/// What `/job/check` reports of a finished job.
async fn result_json(
    state: &AppState,
    params: &ConvertJob,
    outcome: &Outcome,
) -> Result<serde_json::Value, ApiError> {
    let placeholder = params.placeholder.as_deref().unwrap_or_default();
    let name = params.placeholder_name();
    let mut result = json!({
        "url": download_url(state, placeholder, &name, outcome.expires_at).await?,
        "urls": outcome.urls,
        "pageCount": outcome.page_count,
        "duration": outcome.duration_ms,
        "outputLinkValidTill": iso_time(outcome.expires_at),
        "name": name,
    });
    if !outcome.warnings.is_empty() {
        result["warnings"] = json!(outcome.warnings);
    }
    Ok(result)
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
