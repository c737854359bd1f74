//! `/job/check`: the state of an async job, as PDF.co reports it (see [`job_status`]).

use axum::extract::State;
use axum::response::Response;

use crate::answers::ok;
use crate::ops::tag_job;
use crate::params::Params;
use crate::service::status::job_status;
use crate::{ApiError, AppState};

pub async fn check(State(state): State<AppState>, p: Params) -> Result<Response, ApiError> {
    let id = p
        .get("jobid")
        .ok_or_else(|| ApiError::bad_request("Bad request. The 'jobid' parameter is required."))?
        .trim()
        .to_ascii_lowercase();
    let job = state.jobs.get(&id).await?;
    Ok(tag_job(ok(&job_status(&id, job)), &id))
}
