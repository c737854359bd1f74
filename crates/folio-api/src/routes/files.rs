//! Serving, deleting and hashing stored files.

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::Response;
use folio_jobs::FileState;
use folio_render::Code;
use futures::StreamExt;
use sha2::Digest;

use crate::answers::{Envelope, Hashed, ok};
use crate::extract::P;
use crate::service::input::current_file;
use crate::service::naming::own_token;
use crate::{ApiError, AppState};

/// `GET /files/{token}/{name}` (and GET on a presigned upload URL): stream the bytes.
pub async fn download(
    State(state): State<AppState>,
    Path((token, _name)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let rec = current_file(&state, &token).await?.ok_or_else(|| {
        ApiError::not_found("The file was not found: it may have expired or been deleted.")
    })?;
    if rec.state != FileState::Ready {
        return Err(ApiError::not_found(
            "The file is not ready yet: its job is still running (poll /job/check) or its upload has not happened.",
        ));
    }
    let stream = state.store.get_stream(&rec.key).await?;
    let body = Body::from_stream(stream.stream.map(|r| r.map_err(std::io::Error::other)));
    let mut resp = Response::new(body);
    let h = resp.headers_mut();
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(stream.size));
    crate::headers::stored_file(h, &rec.content_type, &rec.name);
    Ok(resp)
}

/// The token of the file a request names with `file` (sample style) or `url` (docs style).
fn target_token(p: &crate::params::Params) -> Result<String, ApiError> {
    let raw = p.get("file").or(p.get("url")).ok_or_else(|| {
        ApiError::bad_request("Bad request. Name the file to act on with 'url' (or 'file').")
    })?;
    let url = url::Url::parse(raw.trim())
        .map_err(|e| ApiError::new(Code::InvalidUrl, format!("Invalid URL '{raw}': {e}.")))?;
    own_token(&url)
        .ok_or_else(|| ApiError::not_found("That URL is not a file stored on this server."))
}

/// `POST /file/delete?file=<url>` or `{"url": …}`.
pub async fn delete(State(state): State<AppState>, P(p): P) -> Result<Response, ApiError> {
    let token = target_token(&p)?;
    let rec = state.files.delete_file(&token).await?.ok_or_else(|| {
        ApiError::not_found("The file was not found: it may have expired or been deleted already.")
    })?;
    state.store.delete(&rec.key).await?;
    Ok(ok(&Envelope::success()))
}

/// `POST /file/hash {"url": …}` → SHA-256 of the file, hex.
pub async fn hash(State(state): State<AppState>, P(p): P) -> Result<Response, ApiError> {
    let token = target_token(&p)?;
    let rec = current_file(&state, &token)
        .await?
        .filter(|r| r.state == FileState::Ready)
        .ok_or_else(|| {
            ApiError::not_found("The file was not found: it may have expired or been deleted.")
        })?;
    let mut stream = state.store.get_stream(&rec.key).await?.stream;
    let mut hasher = sha2::Sha256::new();
    while let Some(chunk) = stream.next().await {
        hasher.update(chunk?);
    }
    let hex: String = hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Ok(ok(&Hashed {
        envelope: Envelope::success(),
        hash: hex,
    }))
}
