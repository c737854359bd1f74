//! Folio's API room: the PDF.co / ByteScout Cloud API Server HTTP surface.
//!
//! Three places: the HTTP surface (`routes`: the route table and thin handlers), a task's life
//! ([`queue`]: sync run or async job, claim, run, finish) and the operations behind it
//! ([`service`]: typed tasks, inputs, running them in the render sandbox, storing results).
//! Rendering lives in `folio-render` and `folio-sandbox`, PDF writing in `folio-pdf`, blobs in
//! `folio-store`, job and file records in `folio-jobs`; the [`worker`] loops drive the queue.

pub mod answers;
pub mod body;
pub mod config;
mod error;
mod extract;
mod headers;
pub mod openapi;
pub mod ops;
pub mod params;
pub mod queue;
mod routes;
pub mod service;
pub mod worker;

use std::sync::Arc;

use axum::Router;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;

pub use answers::Envelope;
pub use config::ApiConfig;
pub use error::ApiError;
use folio_jobs::{FileIndex, JobQueue};
use folio_store::Store;

/// Everything a handler or worker needs, cheap to clone.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

pub struct Inner {
    pub config: ApiConfig,
    pub store: Arc<dyn Store>,
    pub jobs: Arc<dyn JobQueue>,
    pub files: Arc<dyn FileIndex>,
    /// Conversions rendering at once (sync requests and async workers together).
    pub renders: tokio::sync::Semaphore,
    /// Synchronous requests waiting for a render slot now (bounded by `max_waiting_sync`).
    pub sync_waiting: std::sync::atomic::AtomicUsize,
    /// Bytes of uploads admitted under the store quota and still being written on this node.
    pub storing: std::sync::atomic::AtomicU64,
    /// Client for fetching `url` inputs from other servers.
    pub http: reqwest::Client,
    /// Runs conversions (in worker processes, under the page time budget).
    pub renderer: folio_sandbox::Renderer,
    /// The series `/metrics` serves.
    pub metrics: ops::Metrics,
    /// Where large bodies and fetched inputs wait on disk, and the parse-memory budget.
    pub spool: body::Spool,
}

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl AppState {
    pub fn new(
        config: ApiConfig,
        store: Arc<dyn Store>,
        jobs: Arc<dyn JobQueue>,
        files: Arc<dyn FileIndex>,
    ) -> Self {
        let http = service::fetch::guarded_client(config.fetch_timeout, config.fetch_allow.clone())
            .expect("HTTP client configuration is valid");
        let renders = tokio::sync::Semaphore::new(config.max_concurrent_renders.max(1));
        let renderer = folio_sandbox::Renderer::new(config.sandbox.clone());
        let spool = body::Spool::new(
            config.spool_dir.clone(),
            config.max_parse_memory_bytes,
            config.max_spool_bytes,
        );
        Self(Arc::new(Inner {
            config,
            store,
            jobs,
            files,
            renders,
            sync_waiting: Default::default(),
            storing: Default::default(),
            http,
            renderer,
            metrics: ops::Metrics::default(),
            spool,
        }))
    }
}

/// The whole HTTP application: routes, path normalisation, CORS, body limit.
pub fn app(state: AppState) -> Router {
    routes::router(state)
}

/// A JSON answer sent in one piece with `Content-Length` and `application/json; charset=utf-8`
/// (PowerShell and jQuery parse by content type; Node samples parse the first data chunk).
pub(crate) fn json_response(status: StatusCode, body: &impl serde::Serialize) -> Response {
    let bytes = serde_json::to_vec(body).unwrap_or_else(|_| b"{}".to_vec());
    let mut resp = Response::new(axum::body::Body::from(bytes));
    *resp.status_mut() = status;
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    resp
}
