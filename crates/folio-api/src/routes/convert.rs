//! `/pdf/convert/to/{png,jpg,webp,tiff,text}`: synchronous (answer the page URLs, or the text
//! file's, or with `inline=true` the text itself) or `async=true` (answer a `jobId` and a
//! placeholder URL at once; a worker converts).

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use axum::extract::State;
use axum::response::Response;
use folio_jobs::{NewJob, now_millis};
use folio_render::{Code, Format};

use crate::answers::{Conversion, ok};
use crate::extract::P;
use crate::ops::tag_job;
use crate::params::Params;
use crate::service::conversion::{ConvertJob, Output, Progress, run};
use crate::service::naming::{download_url, file_record, iso_time, new_token};
use crate::service::storage::discard_job_files;
use crate::{ApiError, AppState};

pub async fn png(State(s): State<AppState>, P(p): P) -> Result<Response, ApiError> {
    convert(s, Output::Image(Format::Png), p).await
}
pub async fn jpg(State(s): State<AppState>, P(p): P) -> Result<Response, ApiError> {
    convert(s, Output::Image(Format::Jpeg), p).await
}
pub async fn webp(State(s): State<AppState>, P(p): P) -> Result<Response, ApiError> {
    convert(s, Output::Image(Format::Webp), p).await
}
pub async fn tiff(State(s): State<AppState>, P(p): P) -> Result<Response, ApiError> {
    convert(s, Output::Image(Format::Tiff), p).await
}

pub async fn text(State(s): State<AppState>, P(p): P) -> Result<Response, ApiError> {
    convert(s, Output::Text, p).await
}

async fn convert(state: AppState, output: Output, p: Params) -> Result<Response, ApiError> {
    let is_async = p.bool("async", false)?;
    let job = ConvertJob::from_params(&state, output, &p).await?;
    let id = new_token();
    if is_async {
        return enqueue(&state, id, job).await;
    }
    let deadline = tokio::time::Instant::now() + state.config.sync_timeout;
    let outcome = run(
        &state,
        &id,
        &job,
        Arc::new(Progress::default()),
        Arc::new(AtomicBool::new(false)),
        Some(deadline),
    )
    .await;
    // The conversion has stopped (a timed-out one was dropped): what it stored is of no use.
    let outcome = match outcome {
        Ok(outcome) => outcome,
        Err(e) => {
            discard_job_files(&state, &id).await;
            return Err(e);
        }
    };
    let mut conversion = Conversion {
        name: job.file_name(None),
        ..Default::default()
    };
    conversion.page_count = Some(outcome.page_count as u64);
    conversion.duration = Some(outcome.duration_ms);
    conversion.warnings = (!outcome.warnings.is_empty()).then_some(outcome.warnings);
    match outcome.body {
        Some(text) => conversion.body = Some(text),
        None => {
            conversion.url = outcome.urls.first().cloned();
            conversion.output_link_valid_till = Some(iso_time(outcome.expires_at));
        }
    }
    if !output.single_file() {
        conversion.urls = Some(outcome.urls);
    }
    Ok(ok(&conversion))
}

/// Record the job durably (and its placeholder file) before answering its id.
async fn enqueue(state: &AppState, id: String, mut job: ConvertJob) -> Result<Response, ApiError> {
    let queued = state.jobs.queued_count().await?;
    if queued >= state.config.max_queued_jobs {
        return Err(ApiError::new(
            Code::TooManyRequests,
            format!(
                "Too many requests: {queued} jobs are already waiting. Try again in a little while."
            ),
        ));
    }
    let token = new_token();
    let name = job.placeholder_name();
    let now = now_millis();
    let expires_at = now
        + (job.expiration_minutes * 60_000) as i64
        + state.config.job_timeout.as_millis() as i64;
    state
        .files
        .insert_file(file_record(&token, &name, None, Some(&id), expires_at))
        .await?;
    job.placeholder = Some(token.clone());
    let params = serde_json::to_value(&job).map_err(|e| ApiError::internal("job parameters", e))?;
    let (params, secrets) = crate::service::secrets::split(params);
    state
        .jobs
        .enqueue(NewJob {
            id: id.clone(),
            kind: "convert".into(),
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
    let answer = ok(&started);
    Ok(tag_job(answer, &id))
}
