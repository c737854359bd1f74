//! Serving, deleting and hashing stored files.

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::Response;
use folio_render::Code;
use futures::StreamExt;

use crate::answers::{Envelope, Hashed, ok};
use crate::params::Params;
use crate::service::files;
use crate::service::naming::own_token;
use crate::{ApiError, AppState};

/// `GET /files/{token}/{name}` (and GET on a presigned upload URL): stream the bytes.
pub async fn download(
    State(state): State<AppState>,
    Path((token, _name)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let (rec, stored) = files::open(&state, &token).await?;
    let body = Body::from_stream(stored.stream.map(|r| r.map_err(std::io::Error::other)));
    let mut resp = Response::new(body);
    let h = resp.headers_mut();
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(stored.size));
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
pub async fn delete(State(state): State<AppState>, p: Params) -> Result<Response, ApiError> {
    files::delete(&state, &target_token(&p)?).await?;
    Ok(ok(&Envelope::success()))
}

/// `POST /file/hash {"url": …}` → SHA-256 of the file, hex.
pub async fn hash(State(state): State<AppState>, p: Params) -> Result<Response, ApiError> {
    let hash = files::sha256(&state, &target_token(&p)?).await?;
    Ok(ok(&Hashed {
        envelope: Envelope::success(),
        hash,
    }))
}
