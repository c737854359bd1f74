//! `/job/check`: the state of an async job, as PDF.co reports it.
//!
//! Deliberate deviation: PDF.co answers `working` for an id it does not know (unless `force`),
//! which makes polling clients loop forever on a typo or an expired job. Folio answers `unknown`
//! for ids it never issued or has swept, and `working` only for jobs that are queued or running.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use folio_jobs::JobState;
use serde_json::json;

use crate::extract::P;
use crate::ops::tag_job;
use crate::routes::misc::CREDITS;
use crate::{ApiError, AppState, json_response};

pub async fn check(State(state): State<AppState>, P(p): P) -> Result<Response, ApiError> {
    let id = p
        .get("jobid")
        .ok_or_else(|| ApiError::bad_request("Bad request. The 'jobid' parameter is required."))?
        .trim()
        .to_ascii_lowercase();
    let mut body = json!({"jobId": id, "error": false, "credits": 0, "remainingCredits": CREDITS});
    let Some(job) = state.jobs.get(&id).await? else {
        body["status"] = json!("unknown");
        body["message"] =
            json!("No such job: the id is wrong, or the job expired and was removed.");
        return Ok(tag_job(json_response(StatusCode::OK, &body), &id));
    };
    body["pagesDone"] = json!(job.pages_done);
    body["pagesTotal"] = json!(job.pages_total);
    body["progress"] = json!(
        (job.pages_done * 100)
            .checked_div(job.pages_total)
            .unwrap_or(0)
    );
    match job.state {
        JobState::Queued | JobState::Running => body["status"] = json!("working"),
        JobState::Success => {
            body["status"] = json!("success");
            body["message"] = json!("Success");
            if let Some(result) = &job.result {
                // Heartbeats report progress while running; a finished job is done with every page.
                let count = result
                    .get("pageCount")
                    .cloned()
                    .unwrap_or(json!(job.pages_total));
                body["pagesDone"] = count.clone();
                body["pagesTotal"] = count;
                body["progress"] = json!(100);
                for key in [
                    "url",
                    "urls",
                    "pageCount",
                    "duration",
                    "outputLinkValidTill",
                    "name",
                ] {
                    if let Some(v) = result.get(key) {
                        body[key] = v.clone();
                    }
                }
            }
            if let (Some(s), Some(f)) = (job.started_at, job.finished_at) {
                body["jobDuration"] = json!(f - s);
            }
        }
        JobState::Failed => {
            body["status"] = json!("failed");
            body["message"] = json!(job.error_message.unwrap_or_else(|| "Failed".into()));
            body["errorCode"] = json!(job.error_code.unwrap_or(500));
        }
        JobState::Aborted => {
            body["status"] = json!("aborted");
            body["message"] = json!(job.error_message.unwrap_or_else(|| "Aborted".into()));
            body["errorCode"] = json!(job.error_code.unwrap_or(445));
        }
    }
    Ok(tag_job(json_response(StatusCode::OK, &body), &id))
}
