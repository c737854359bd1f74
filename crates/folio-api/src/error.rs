//! The PDF.co error envelope: `{"error":true,"status":N,"message":"..."}` with HTTP status N.
//!
//! Every room's error converts into [`ApiError`] here, once, at the edge.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
pub use folio_render::Code;

/// An error answered to a client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// PDF.co code, also used as the HTTP status.
    pub status: Code,
    pub message: String,
}

impl ApiError {
    pub fn new(status: Code, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
        }
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(Code::BadRequest, message)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(Code::NotFound, message)
    }

    pub fn internal(context: &str, err: impl std::fmt::Display) -> Self {
        tracing::error!(%err, "{context}");
        Self::new(
            Code::Internal,
            format!("Something went wrong ({context}). Please try again or contact support."),
        )
    }
}

/// The PDF.co error envelope as sent; the HTTP status equals `status` (44x codes included).
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Failure {
    /// Always `true`.
    error: bool,
    status: u16,
    /// What went wrong and what to do about it.
    message: String,
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.status, self.message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status =
            StatusCode::from_u16(self.status.as_u16()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = Failure {
            error: true,
            status: self.status.as_u16(),
            message: self.message,
        };
        let mut resp = crate::json_response(status, &body);
        // Clients that print `response.reason` show what went wrong, not an empty phrase.
        resp.extensions_mut().insert(
            hyper::ext::ReasonPhrase::try_from(self.status.reason().as_bytes().to_vec())
                .expect("static reason phrases are valid"),
        );
        resp.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        resp
    }
}

impl From<folio_render::Error> for ApiError {
    fn from(e: folio_render::Error) -> Self {
        match &e {
            folio_render::Error::Output(_) => ApiError::internal("writing results", &e),
            _ => ApiError::new(e.code(), e.to_string()),
        }
    }
}

impl From<folio_sandbox::Failure> for ApiError {
    fn from(f: folio_sandbox::Failure) -> Self {
        match f.code {
            Code::Internal => ApiError::internal("rendering", f),
            code => ApiError::new(code, f.message),
        }
    }
}

impl From<folio_store::StoreError> for ApiError {
    fn from(e: folio_store::StoreError) -> Self {
        match e {
            folio_store::StoreError::NotFound(_) => {
                ApiError::not_found("The file was not found: it may have expired or been deleted.")
            }
            other => ApiError::internal("storage", other),
        }
    }
}

impl From<folio_jobs::RepoError> for ApiError {
    fn from(e: folio_jobs::RepoError) -> Self {
        ApiError::internal("database", e)
    }
}
