//! The `/job/check` answer for a job record: what the route returns and what webhooks send.
//!
//! Deliberate deviation: PDF.co answers `working` for an id it does not know (unless `force`),
//! which makes polling clients loop forever on a typo or an expired job. Folio answers `unknown`
//! for ids it never issued or has swept, and `working` only for jobs that are queued or running.

use folio_jobs::{Job, JobState};
use folio_render::Code;
use serde::Serialize;
use utoipa::ToSchema;

use super::conversion::JobResult;
use crate::routes::CREDITS;

/// A job's state as clients see it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Working,
    Success,
    Failed,
    Aborted,
    /// Never issued, or expired and removed (PDF.co would say `working`).
    #[default]
    Unknown,
}

/// `/job/check`'s answer (HTTP 200 whatever the job's state; a failed job is `status: failed`
/// with `errorCode`). Also the body POSTed to a job's `callback`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct JobStatus {
    pub status: Status,
    pub job_id: String,
    /// `false`: the check itself worked.
    pub error: bool,
    pub credits: u64,
    pub remaining_credits: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The job's code when it failed (the code a sync request would have answered).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_code: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pages_done: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pages_total: Option<u64>,
    /// 0–100.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub progress: Option<u64>,
    /// Success: the result (for page images, a JSON file listing the page URLs).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Success, page images: each page's URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub urls: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page_count: Option<u64>,
    /// Milliseconds the conversion took.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration: Option<u64>,
    /// Milliseconds from the start to the end of the job's run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub job_duration: Option<i64>,
    /// ISO-8601 UTC.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_link_valid_till: Option<String>,
    /// Success: what pages could not show ("page 0: 5 glyphs of font MS-Mincho not drawn:
    /// …"); absent when nothing is missing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warnings: Option<Vec<String>>,
}

/// The PDF.co `/job/check` body for job `id` (`None`: no such job).
pub fn job_status(id: &str, job: Option<Job>) -> JobStatus {
    let mut body = JobStatus {
        job_id: id.to_string(),
        remaining_credits: CREDITS,
        ..Default::default()
    };
    let Some(job) = job else {
        body.message =
            Some("No such job: the id is wrong, or the job expired and was removed.".into());
        return body;
    };
    let (done, total) = (u64::from(job.pages_done), u64::from(job.pages_total));
    body.pages_done = Some(done);
    body.pages_total = Some(total);
    body.progress = Some((done * 100).checked_div(total).unwrap_or(0));
    match job.state {
        JobState::Queued | JobState::Running => body.status = Status::Working,
        JobState::Success => {
            body.status = Status::Success;
            body.message = Some("Success".into());
            match job.result.map(serde_json::from_value::<JobResult>) {
                Some(Ok(result)) => {
                    // Heartbeats report progress while running; a finished job is done with
                    // every page.
                    body.pages_done = Some(result.page_count);
                    body.pages_total = Some(result.page_count);
                    body.progress = Some(100);
                    body.url = Some(result.url);
                    body.urls = Some(result.urls);
                    body.name = Some(result.name);
                    body.page_count = Some(result.page_count);
                    body.duration = Some(result.duration);
                    body.output_link_valid_till = Some(result.output_link_valid_till);
                    body.warnings = (!result.warnings.is_empty()).then_some(result.warnings);
                }
                Some(Err(e)) => {
                    tracing::warn!(job = %super::naming::job_tag(id), %e, "a job's recorded result is unreadable")
                }
                None => {}
            }
            if let (Some(s), Some(f)) = (job.started_at, job.finished_at) {
                body.job_duration = Some(f - s);
            }
        }
        JobState::Failed => {
            body.status = Status::Failed;
            body.message = Some(job.error_message.unwrap_or_else(|| "Failed".into()));
            body.error_code = Some(job.error_code.unwrap_or(Code::Internal.as_u16()));
        }
        JobState::Aborted => {
            body.status = Status::Aborted;
            body.message = Some(job.error_message.unwrap_or_else(|| "Aborted".into()));
            body.error_code = Some(job.error_code.unwrap_or(Code::Timeout.as_u16()));
        }
    }
    body
}
