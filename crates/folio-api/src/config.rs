//! What the API needs to know from the operator. The binary fills it from flags and environment.

use std::time::Duration;

use folio_render::Limits;
use folio_sandbox::{Isolation, SandboxConfig};

use crate::service::fetch::AllowList;

/// API settings; every limit is named here with its default ([`ApiConfig::default`], which the
/// binary's flags take theirs from).
#[derive(Debug, Clone)]
pub struct ApiConfig {
    /// Base of every URL handed out, without a trailing slash (e.g. `http://127.0.0.1:8080`).
    pub public_url: String,
    /// Accepted `x-api-key` values; empty means authentication is off.
    pub api_keys: Vec<String>,
    /// Lifetime of uploads and results when the request gives no `expiration` (minutes).
    pub default_expiration_minutes: u64,
    /// Longest `expiration` a request may ask for (minutes).
    pub max_expiration_minutes: u64,
    /// Lifetime of a presigned upload URL before its PUT (minutes). With a store that hands out
    /// its own upload URLs (S3) such a URL accepts PUTs until then, so keep it short.
    pub presigned_upload_minutes: u64,
    /// Hand out the store's presigned GET URLs (S3) as file and result URLs instead of Folio's
    /// own `/files/…` URLs; stores without presigned URLs keep the own ones.
    pub presigned_downloads: bool,
    /// Rendering limits: input size, pixels per page, pages per request.
    pub limits: Limits,
    /// Resolution when the request does not set one.
    pub default_dpi: f32,
    /// Largest request body (uploads, multipart conversions), in bytes.
    pub max_body_bytes: usize,
    /// Directory for request bodies too large to keep in memory and for fetched inputs.
    pub spool_dir: std::path::PathBuf,
    /// Memory all requests together may use to parse large JSON or form bodies (base64
    /// uploads); past it such requests answer 429.
    pub max_parse_memory_bytes: u64,
    /// Most bytes of all spooled bodies and fetched inputs together (0 = no bound); a body that
    /// would pass it answers 429.
    pub max_spool_bytes: u64,
    /// Most bytes of all stored files together, uploads and results (0 = no quota); beyond it
    /// uploads and conversions answer 507.
    pub max_store_bytes: u64,
    /// Most bytes one conversion may store (0 = no cap); beyond it the conversion fails with 413.
    pub max_output_bytes: u64,
    /// A request body not fully received in this time answers 408 (slow-loris uploads).
    pub body_timeout: Duration,
    /// A synchronous conversion that takes longer answers 445 (use `async=true`).
    pub sync_timeout: Duration,
    /// Wall-clock budget of one async job.
    pub job_timeout: Duration,
    /// Conversions rendering at once, sync and async together.
    pub max_concurrent_renders: usize,
    /// Synchronous conversions that may wait for a render slot; more answer 429 at once.
    pub max_waiting_sync: usize,
    /// Most sources one request may name (a merge's comma-separated `url`).
    pub max_inputs: usize,
    /// Render threads per conversion (0 = one per core).
    pub render_threads: usize,
    /// Async worker tasks claiming jobs.
    pub workers: usize,
    /// Most queued jobs before new async requests get 429.
    pub max_queued_jobs: u64,
    /// Lease of a running job; renewed by heartbeats at a third of it.
    pub job_lease: Duration,
    /// Time and size limits for fetching `url` inputs from other servers.
    pub fetch_timeout: Duration,
    /// Ranges and host names fetched from although refused by default (loopback, private,
    /// link-local…): for intranet servers holding the PDFs.
    pub fetch_allow: AllowList,
    /// Web origins whose pages may call the API from a browser (CORS): `["*"]` any, empty none.
    pub cors_origins: Vec<String>,
    /// Seconds between expiry sweeps.
    pub sweep_interval: Duration,
    /// Secret of the Standard Webhooks signature on webhook calls (`whsec_<base64>` or plain
    /// text, see [`crate::service::webhook::signing_key`]); `None` sends them unsigned.
    pub webhook_secret: Option<String>,
    /// Tries of one webhook delivery (backoff 1 s, 2 s, 4 s, … up to 60 s between them).
    pub webhook_attempts: u32,
    /// Where conversions render and the per-page time budget. The library default renders
    /// in-process; the `folio` binary runs supervised worker processes.
    pub sandbox: SandboxConfig,
}

impl Default for ApiConfig {
    fn default() -> Self {
        Self {
            public_url: "http://127.0.0.1:8080".into(),
            api_keys: vec![],
            default_expiration_minutes: 60,
            max_expiration_minutes: 7 * 24 * 60,
            presigned_upload_minutes: 30,
            presigned_downloads: false,
            limits: Limits::default(),
            default_dpi: 150.0,
            max_body_bytes: 256 * 1024 * 1024,
            spool_dir: std::env::temp_dir().join("folio-spool"),
            max_parse_memory_bytes: 512 << 20,
            max_spool_bytes: 4096 << 20,
            max_store_bytes: 10 * 1024 * 1024 * 1024,
            max_output_bytes: 1024 * 1024 * 1024,
            body_timeout: Duration::from_secs(300),
            sync_timeout: Duration::from_secs(120),
            job_timeout: Duration::from_secs(30 * 60),
            max_concurrent_renders: 2,
            max_waiting_sync: 64,
            max_inputs: 100,
            render_threads: 0,
            workers: 2,
            max_queued_jobs: 1000,
            job_lease: Duration::from_secs(30),
            fetch_timeout: Duration::from_secs(60),
            fetch_allow: AllowList::default(),
            cors_origins: vec!["*".into()],
            sweep_interval: Duration::from_secs(60),
            webhook_secret: None,
            webhook_attempts: 5,
            sandbox: SandboxConfig {
                isolation: Isolation::InProcess,
                page_timeout: Duration::from_secs(60),
                job_cpu_seconds: 0,
            },
        }
    }
}
