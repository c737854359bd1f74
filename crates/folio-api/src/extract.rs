//! Request plumbing shared by all routes: the parameter extractor, path normalisation, API keys.

use axum::extract::{FromRequest, Request};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use subtle::ConstantTimeEq;

use crate::params::Params;
use crate::{ApiError, AppState};

/// The merged parameters of a request (query + any body), see [`Params`].
pub struct P(pub Params);

impl FromRequest<AppState> for P {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, ApiError> {
        let query = req.uri().query().map(str::to_string);
        let content_type = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let body = read_body(req, state).await?;
        Ok(P(Params::parse(
            query.as_deref(),
            content_type.as_deref(),
            body,
        )
        .await?))
    }
}

/// The whole body, refused with 413 past `max_body_bytes` and with 408 when it has not fully
/// arrived within `body_timeout` (a client trickling bytes cannot hold a connection forever).
pub async fn read_body(req: Request, state: &AppState) -> Result<bytes::Bytes, ApiError> {
    let (limit, timeout) = (state.config.max_body_bytes, state.config.body_timeout);
    let read = axum::body::to_bytes(req.into_body(), limit);
    let result = tokio::time::timeout(timeout, read).await.map_err(|_| {
        ApiError::new(
            408,
            format!(
                "The request body was not received within {} s.",
                timeout.as_secs()
            ),
        )
    })?;
    result.map_err(|e| {
        let too_large = std::error::Error::source(&e)
            .is_some_and(|s| s.is::<http_body_util::LengthLimitError>())
            || e.to_string().contains("length limit");
        if too_large {
            ApiError::new(
                413,
                format!("The request body is larger than the limit of {limit} bytes."),
            )
        } else {
            ApiError::new(400, format!("The request body could not be read: {e}."))
        }
    })
}

/// Accept every route with or without `/v1`, in any letter case, with a trailing slash.
/// Tokens in file URLs are lower-case, so lower-casing the whole path is safe.
pub async fn normalize_path(mut req: Request, next: Next) -> Response {
    let uri = req.uri();
    let path = uri.path();
    let mut p = path.to_ascii_lowercase();
    if p.starts_with("/v1/") || p == "/v1" {
        p = p[3..].to_string();
    }
    while p.len() > 1 && p.ends_with('/') {
        p.pop();
    }
    if p.is_empty() {
        p.push('/');
    }
    if p != path {
        let pq = match uri.query() {
            Some(q) => format!("{p}?{q}"),
            None => p,
        };
        let mut parts = uri.clone().into_parts();
        if let Ok(pq) = pq.parse() {
            parts.path_and_query = Some(pq);
            if let Ok(new) = axum::http::Uri::from_parts(parts) {
                *req.uri_mut() = new;
            }
        }
    }
    next.run(req).await
}

/// With API keys configured, API routes need `x-api-key` (header or query). File URLs and
/// presigned upload URLs are capability URLs and stay open, as on PDF.co.
pub async fn require_api_key(
    axum::extract::State(state): axum::extract::State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    if state.config.api_keys.is_empty() || is_capability_path(req.uri().path()) {
        return next.run(req).await;
    }
    let from_header = req
        .headers()
        .get("x-api-key")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let from_query = req.uri().query().and_then(|q| {
        q.split('&').find_map(|kv| {
            let (k, v) = kv.split_once('=')?;
            k.eq_ignore_ascii_case("x-api-key").then(|| {
                percent_encoding::percent_decode_str(v)
                    .decode_utf8_lossy()
                    .into_owned()
            })
        })
    });
    let ok = [from_header, from_query].into_iter().flatten().any(|k| {
        // Constant-time comparison: response time does not reveal how much of a key matched.
        state
            .config
            .api_keys
            .iter()
            .any(|valid| bool::from(valid.as_bytes().ct_eq(k.as_bytes())))
    });
    if ok {
        next.run(req).await
    } else {
        ApiError::new(
            401,
            "Unauthorized: a valid API key is required in the 'x-api-key' header.",
        )
        .into_response()
    }
}

pub fn is_capability_path(path: &str) -> bool {
    path.starts_with("/files/") || path.starts_with("/file/upload/put/")
}
