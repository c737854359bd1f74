//! Operations: Prometheus metrics, the per-request log line with its request id, and the
//! readiness probes behind `/ready`.
//!
//! Metrics use `prometheus-client`, the Prometheus project's own Rust client: its registry is a
//! value owned by [`AppState`] rather than a process-wide recorder (as with the `metrics` crate),
//! so every state — and every test — counts on its own, and it renders the text format with no
//! HTTP listener or push gateway to switch off.

use std::time::{Duration, Instant};

use axum::body::{Body, HttpBody};
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use http_body_util::BodyExt;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;
use tracing::Instrument;

use crate::AppState;
use crate::service::naming::new_token;

/// Correlates a client's request with the server's log line; echoed on every answer.
pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The route label of requests that matched no route: raw paths would let any client create
/// series at will.
const UNMATCHED: &str = "unmatched";

/// A probe of a backend that does not answer within this counts as a failure, so that `/ready`
/// answers before a load balancer's own check times out.
const PROBE_TIMEOUT: Duration = Duration::from_secs(5);

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OutcomeLabels {
    outcome: &'static str,
}

/// The server's series. Labels are route templates and fixed words only, never tokens or ids.
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    bytes_in: Counter,
    bytes_out: Counter,
    pages: Counter,
    warnings: Counter,
    render_seconds: Histogram,
    jobs_finished: Family<OutcomeLabels, Counter>,
    queued: Gauge,
}

impl Default for Metrics {
    fn default() -> Self {
        let mut m = Self {
            registry: Registry::default(),
            requests: Family::default(),
            bytes_in: Counter::default(),
            bytes_out: Counter::default(),
            pages: Counter::default(),
            warnings: Counter::default(),
            // 10 ms to about 80 s: a one-page sync conversion to a long async job.
            render_seconds: Histogram::new(exponential_buckets(0.01, 2.0, 14)),
            jobs_finished: Family::default(),
            queued: Gauge::default(),
        };
        let r = &mut m.registry;
        r.register(
            "folio_http_requests",
            "HTTP requests answered, by route template and status",
            m.requests.clone(),
        );
        r.register(
            "folio_http_request_body_bytes",
            "Bytes of request bodies received (uploads, posted PDFs and parameters)",
            m.bytes_in.clone(),
        );
        r.register(
            "folio_http_response_body_bytes",
            "Bytes of response bodies sent (JSON answers and file downloads)",
            m.bytes_out.clone(),
        );
        r.register(
            "folio_pages_rendered",
            "Pages rendered by finished conversions, sync and async",
            m.pages.clone(),
        );
        r.register(
            "folio_page_warnings",
            "Warnings of finished conversions: glyphs no installed font has, text without Unicode",
            m.warnings.clone(),
        );
        r.register(
            "folio_render_duration_seconds",
            "Time to render and store one conversion's pages",
            m.render_seconds.clone(),
        );
        r.register(
            "folio_jobs_finished",
            "Async jobs finished by this node, by outcome (success, failed)",
            m.jobs_finished.clone(),
        );
        r.register(
            "folio_jobs_queued",
            "Async jobs waiting in the queue (all nodes), read at scrape time",
            m.queued.clone(),
        );
        m
    }
}

impl Metrics {
    /// A finished conversion of `pages` pages whose rendering took `elapsed`, with `warnings`
    /// about what its pages could not show.
    pub fn conversion(&self, pages: usize, elapsed: Duration, warnings: usize) {
        self.pages.inc_by(pages as u64);
        self.warnings.inc_by(warnings as u64);
        self.render_seconds.observe(elapsed.as_secs_f64());
    }

    /// An async job this node finished; `outcome` is a fixed word.
    pub fn job_finished(&self, outcome: &'static str) {
        self.jobs_finished
            .get_or_create(&OutcomeLabels { outcome })
            .inc();
    }

    /// The OpenMetrics text of every series, with the queue depth read now (`None`: the queue
    /// did not answer, and the last value stays).
    pub fn render(&self, queued: Option<u64>) -> String {
        if let Some(n) = queued {
            self.queued.set(i64::try_from(n).unwrap_or(i64::MAX));
        }
        let mut out = String::new();
        // Writing into a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut out, &self.registry);
        out
    }
}

/// The job a request created or asked about, set by handlers on their response so that the
/// request's log line names it by its [`job_tag`](crate::service::naming::job_tag).
#[derive(Clone)]
pub struct JobTag(pub String);

/// Attach the job's log tag to a response for the request log.
pub fn tag_job(mut resp: Response, id: &str) -> Response {
    resp.extensions_mut()
        .insert(JobTag(crate::service::naming::job_tag(id)));
    resp
}

/// Count, log and tag every request: one log line when the answer's head is ready (latency is
/// to that point; a streamed download's body follows), `x-request-id` taken from the request
/// when sensible or made up, and echoed. Runs inside routing, so the route is the matched
/// template (`/files/{token}/{name}`), never a raw URL with its tokens.
pub async fn observe(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or(UNMATCHED, MatchedPath::as_str)
        .to_owned();
    let method = req.method().clone();
    let request_id = req
        .headers()
        .get(&REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|id| is_sane_request_id(id))
        .map_or_else(|| new_token()[..16].to_owned(), str::to_owned);
    let req = req.map(|body| count_frames(body, state.metrics.bytes_in.clone()));
    let span = tracing::info_span!("request", request_id = %request_id);
    let resp = next.run(req).instrument(span).await;

    let status = resp.status().as_u16();
    state
        .metrics
        .requests
        .get_or_create(&RequestLabels {
            route: route.clone(),
            status,
        })
        .inc();
    let job = resp.extensions().get::<JobTag>().map(|j| j.0.clone());
    tracing::info!(
        parent: None,
        method = %method,
        path = %route,
        status,
        latency_ms = started.elapsed().as_secs_f64() * 1000.0,
        request_id = %request_id,
        job = job.as_deref(),
        "request"
    );
    // A body of known size is counted up front, not wrapped: wrapping would hide its size and
    // turn `Content-Length` answers into chunked ones, which some clients parse badly.
    let out = state.metrics.bytes_out.clone();
    let mut resp = match resp.body().size_hint().exact() {
        Some(n) => {
            out.inc_by(n);
            resp
        }
        None => resp.map(|body| count_frames(body, out)),
    };
    if let Ok(v) = HeaderValue::from_str(&request_id) {
        resp.headers_mut().insert(REQUEST_ID, v);
    }
    resp
}

/// A body that adds the size of each data frame to `counter` as it passes.
fn count_frames(body: Body, counter: Counter) -> Body {
    Body::new(body.map_frame(move |frame| {
        if let Some(data) = frame.data_ref() {
            counter.inc_by(data.len() as u64);
        }
        frame
    }))
}

/// Client request ids are echoed into headers and logs: short printable ASCII only.
fn is_sane_request_id(id: &str) -> bool {
    (1..=128).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_graphic())
}

/// Whether the store answers: a `head` of a key never written is answered `NotFound` by a
/// reachable store and fails otherwise.
pub async fn probe_store(state: &AppState) -> Result<(), String> {
    match within_probe_timeout(state.store.head("folio-readiness-probe")).await? {
        Ok(_) | Err(folio_store::StoreError::NotFound(_)) => Ok(()),
        Err(e) => Err(e.to_string()),
    }
}

/// The number of queued jobs, which also shows that the queue answers.
pub async fn probe_queue(state: &AppState) -> Result<u64, String> {
    within_probe_timeout(state.jobs.queued_count())
        .await?
        .map_err(|e| e.to_string())
}

async fn within_probe_timeout<T>(probe: impl Future<Output = T>) -> Result<T, String> {
    tokio::time::timeout(PROBE_TIMEOUT, probe)
        .await
        .map_err(|_| format!("no answer within {} s", PROBE_TIMEOUT.as_secs()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_ids_from_clients_are_short_and_printable() {
        assert!(is_sane_request_id("abc-123_x.y"));
        assert!(!is_sane_request_id(""));
        assert!(!is_sane_request_id("a b"));
        assert!(!is_sane_request_id("é"));
        assert!(!is_sane_request_id(&"x".repeat(129)));
    }

    #[test]
    fn metrics_render_every_series_without_ids() {
        let m = Metrics::default();
        m.conversion(3, Duration::from_millis(120), 1);
        m.job_finished("success");
        let text = m.render(Some(7));
        for series in [
            "folio_pages_rendered_total 3",
            "folio_page_warnings_total 1",
            "folio_render_duration_seconds_count 1",
            "folio_jobs_finished_total{outcome=\"success\"} 1",
            "folio_jobs_queued 7",
        ] {
            assert!(text.contains(series), "{series} missing from:\n{text}");
        }
    }
}
