//! A task's whole life, whatever its operation: read from the request, run at once (sync) or
//! recorded as a job (async), claimed by a worker, run under a lease with heartbeats, finished
//! (result or error recorded, callback sent). Sync and async share [`conversion::run`], so
//! budgets, progress, warnings and error answers are the same either way.
//!
//! A worker claims a job with a lease, renews it by heartbeat (reporting progress) while the
//! task runs, and completes or fails it. Completion is guarded by the worker id, so a worker
//! whose lease was taken over cannot overwrite the other run's result. On shutdown no new job is
//! claimed; a job already running is left `running` to be claimed again after restart.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use axum::response::Response;
use folio_jobs::{Job, NewJob, now_millis};
use folio_render::Code;
use tokio::sync::watch;

use crate::answers::{Conversion, Envelope, Info, PdfInfo, ok};
use crate::ops::tag_job;
use crate::params::Params;
use crate::service::conversion::{self, JobResult, Outcome, Produced, Progress};
use crate::service::naming::{download_url, file_record, iso_time, job_tag, new_token};
use crate::service::storage::discard_job_files;
use crate::service::task::{OperationKind, Task};
use crate::{ApiError, AppState};

/// The kind of job this version records: its parameters are a serialised [`Task`]. A worker
/// runs only jobs of this kind, so a record of another shape (from an older or newer Folio
/// sharing the queue) fails with a clear message instead of being misread.
pub const TASK_KIND: &str = "task";

/// The one handler of every operation route: read the task, then run it or queue it.
pub async fn submit(state: AppState, kind: OperationKind, p: Params) -> Result<Response, ApiError> {
    let is_async = p.bool("async", false)?;
    let task = Task::from_params(&state, kind, &p, is_async).await?;
    let id = new_token();
    if is_async {
        enqueue(&state, id, task).await
    } else {
        run_now(&state, &id, &task).await
    }
}

/// 429 when `--max-queued-jobs` are already waiting: checked before anything is stored.
pub async fn check_capacity(state: &AppState) -> Result<(), ApiError> {
    let queued = state.jobs.queued_count().await?;
    if queued >= state.config.max_queued_jobs {
        return Err(ApiError::new(
            Code::TooManyRequests,
            format!(
                "Too many requests: {queued} jobs are already waiting. Try again in a little while."
            ),
        ));
    }
    Ok(())
}

/// A synchronous request: run within `--sync-timeout-secs` and answer the result.
async fn run_now(state: &AppState, id: &str, task: &Task) -> Result<Response, ApiError> {
    let deadline = tokio::time::Instant::now() + state.config.sync_timeout;
    let outcome = conversion::run(
        state,
        id,
        task,
        Arc::new(Progress::default()),
        Arc::new(AtomicBool::new(false)),
        Some(deadline),
    )
    .await;
    match outcome {
        Ok(outcome) => Ok(answer(task, outcome)),
        Err(e) => {
            // The task has stopped (a timed-out one was dropped): what it stored is of no use.
            discard_job_files(state, id).await;
            Err(e)
        }
    }
}

/// The synchronous answer: the data itself for data operations, else the result URLs.
fn answer(task: &Task, outcome: Outcome) -> Response {
    let mut conversion = Conversion {
        name: task.file_name(None),
        page_count: Some(outcome.page_count as u64),
        duration: Some(outcome.duration_ms),
        warnings: (!outcome.warnings.is_empty()).then_some(outcome.warnings),
        ..Default::default()
    };
    match outcome.produced {
        Produced::Info(info) => {
            return ok(&Info {
                envelope: Envelope::success(),
                info: PdfInfo::of(&info),
                name: task.source_name.clone(),
                duration: outcome.duration_ms,
            });
        }
        Produced::Text(text) => conversion.body = Some(text),
        Produced::Data(fields) => {
            let mut answer = serde_json::to_value(&conversion).unwrap_or_default();
            if let Some(map) = answer.as_object_mut() {
                map.extend(fields);
            }
            return ok(&answer);
        }
        Produced::Files(urls) => {
            conversion.url = urls.first().cloned();
            conversion.output_link_valid_till = Some(iso_time(outcome.expires_at));
            if !task.operation.single_file() {
                conversion.urls = Some(urls);
            }
        }
    }
    ok(&conversion)
}

/// Record the job durably (and its placeholder file) before answering its id.
async fn enqueue(state: &AppState, id: String, mut task: Task) -> Result<Response, ApiError> {
    let token = new_token();
    let name = task.placeholder_name();
    let expires_at = now_millis()
        + (task.expiration_minutes * 60_000) as i64
        + state.config.job_timeout.as_millis() as i64;
    state
        .files
        .insert_file(file_record(&token, &name, None, Some(&id), expires_at))
        .await?;
    task.placeholder = Some(token.clone());
    let params =
        serde_json::to_value(&task).map_err(|e| ApiError::internal("job parameters", e))?;
    let (params, secrets) = crate::service::secrets::split(params);
    state
        .jobs
        .enqueue(NewJob {
            id: id.clone(),
            kind: TASK_KIND.into(),
            params,
            secrets,
            expires_at,
        })
        .await?;
    let started = Conversion {
        url: Some(download_url(state, &token, &name, expires_at).await?),
        output_link_valid_till: Some(iso_time(expires_at)),
        job_id: Some(id.clone()),
        name,
        ..Default::default()
    };
    Ok(tag_job(ok(&started), &id))
}

/// One async worker: claim, run, finish, until `shutdown` turns true.
pub(crate) async fn work_loop(
    state: AppState,
    worker: String,
    mut shutdown: watch::Receiver<bool>,
) {
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
    let read = match job.kind.as_str() {
        TASK_KIND => serde_json::from_value::<Task>(params).map_err(|e| e.to_string()),
        other => Err(format!(
            "this version of Folio does not run jobs of kind '{other}'"
        )),
    };
    let task = match read {
        Ok(t) => t,
        Err(e) => {
            let message = format!(
                "Unreadable job ({e}): it was recorded by another version of Folio. Submit it again."
            );
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
    let heartbeat = spawn_heartbeat(state, &id, worker, progress.clone(), cancel.clone());
    let budget = state.config.job_timeout;
    let ran = tokio::time::timeout(
        budget,
        conversion::run(state, &id, &task, progress, cancel.clone(), None),
    )
    .await;
    heartbeat.abort();
    let result = match ran {
        Ok(Ok(outcome)) => job_result(state, &task, outcome).await,
        Ok(Err(e)) => Err(e),
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
    let succeeded = result.is_ok();
    let finished = match result {
        Ok(result) => {
            tracing::info!(job = %job_tag(&id), pages = result.page_count, ms = result.duration, "job succeeded");
            match serde_json::to_value(&result) {
                Ok(value) => state.jobs.complete(&id, worker, value).await,
                Err(e) => {
                    let message = format!("the job's result could not be recorded: {e}");
                    state
                        .jobs
                        .fail(&id, worker, Code::Internal.as_u16(), &message)
                        .await
                }
            }
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
            if !succeeded {
                discard_job_files(state, &id).await;
            }
            state
                .metrics
                .job_finished(if succeeded { "success" } else { "failed" });
            if let Some(url) = task.callback.clone() {
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

/// Renew the lease every third of it, reporting progress; when the lease is lost (taken over,
/// aborted), set `cancel` so the task stops working for nothing.
fn spawn_heartbeat(
    state: &AppState,
    id: &str,
    worker: &str,
    progress: Arc<Progress>,
    cancel: Arc<AtomicBool>,
) -> tokio::task::JoinHandle<()> {
    let (state, id, worker) = (state.clone(), id.to_string(), worker.to_string());
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
                    cancel.store(true, Ordering::Relaxed);
                    return;
                }
                Err(e) => tracing::warn!(%e, job = %job_tag(&id), "heartbeat failed"),
            }
        }
    })
}

/// What `/job/check` reports of a finished job.
async fn job_result(
    state: &AppState,
    task: &Task,
    outcome: Outcome,
) -> Result<JobResult, ApiError> {
    let placeholder = task.placeholder.as_deref().unwrap_or_default();
    let name = task.placeholder_name();
    let url = download_url(state, placeholder, &name, outcome.expires_at).await?;
    Ok(JobResult {
        urls: match &outcome.produced {
            Produced::Files(urls) => urls.clone(),
            Produced::Text(_) | Produced::Info(_) | Produced::Data(_) => vec![url.clone()],
        },
        url,
        page_count: outcome.page_count as u64,
        duration: outcome.duration_ms,
        output_link_valid_till: iso_time(outcome.expires_at),
        name,
        warnings: outcome.warnings,
    })
}
