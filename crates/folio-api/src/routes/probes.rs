//! `/health`, `/ready` and `/metrics`: for load balancers and scrapers, so open without a key.

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::answers::{Health, Readiness, ok};
use crate::ops::{probe_queue, probe_store};
use crate::{AppState, json_response};

/// Liveness: answering at all is the whole check.
pub async fn health() -> Response {
    ok(&Health { status: "ok" })
}

/// Readiness: 200 when the store and the queue answer, else 503 naming the one that failed
/// (the reason goes to the log, not to an unauthenticated caller).
pub async fn ready(State(state): State<AppState>) -> Response {
    let (store, queue) = tokio::join!(probe_store(&state), probe_queue(&state));
    let word = |failure: Option<&String>, backend: &str| match failure {
        None => "ok",
        Some(e) => {
            tracing::warn!(backend, error = %e, "readiness probe failed");
            "failed"
        }
    };
    let (status, overall) = if store.is_ok() && queue.is_ok() {
        (StatusCode::OK, "ready")
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "unavailable")
    };
    let body = Readiness {
        status: overall,
        store: word(store.as_ref().err(), "store"),
        queue: word(queue.as_ref().err(), "queue"),
    };
    json_response(status, &body)
}

/// Prometheus scrape, OpenMetrics text format.
pub async fn metrics(State(state): State<AppState>) -> Response {
    let queued = probe_queue(&state).await.ok();
    let content_type =
        HeaderValue::from_static("application/openmetrics-text; version=1.0.0; charset=utf-8");
    (
        [(header::CONTENT_TYPE, content_type)],
        state.metrics.render(queued),
    )
        .into_response()
}
