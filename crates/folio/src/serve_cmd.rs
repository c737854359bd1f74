//! `folio serve` (also the default with no subcommand): wire the rooms from configuration and run.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use clap::Args;
use folio_api::service::fetch::AllowList;
use folio_api::{ApiConfig, AppState};
use folio_render::Limits;
use folio_sandbox::{Isolation, SandboxConfig};

use crate::backends::BackendArgs;
use crate::connections;
use tokio::sync::watch;

/// The defaults of the settings the API takes: kept once, in [`ApiConfig::default`], and shown
/// by `--help`, `folio config` and the README's table (a test compares that table with these
/// flags).
static D: std::sync::LazyLock<ApiConfig> = std::sync::LazyLock::new(ApiConfig::default);

#[derive(Args, Debug, Clone)]
pub struct ServeArgs {
    /// TOML file of settings (keys are these flags' names): flags win over environment
    /// variables, which win over the file, which wins over the defaults. See `folio config`.
    #[arg(long, env = "FOLIO_CONFIG")]
    pub config: Option<std::path::PathBuf>,
    /// Address and port to listen on.
    #[arg(long, env = "FOLIO_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// Directory for files (`<dir>/files`) and the job database (`<dir>/folio.db`) with the
    /// embedded backends (--store fs, --queue sqlite).
    #[arg(long, env = "FOLIO_DATA_DIR", default_value = "./folio-data")]
    pub data_dir: PathBuf,
    #[command(flatten)]
    pub backends: BackendArgs,
    /// Base of every URL handed out, as clients reach this server (default: http://<listen>).
    /// Behind a load balancer: the balancer's URL, the same on every node.
    #[arg(long, env = "FOLIO_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Comma-separated API keys; when set, `x-api-key` is required on API routes.
    #[arg(
        long,
        env = "FOLIO_API_KEYS",
        value_delimiter = ',',
        hide_env_values = true
    )]
    pub api_keys: Vec<String>,
    /// Async worker tasks claiming jobs.
    #[arg(long, env = "FOLIO_WORKERS", default_value_t = D.workers)]
    pub workers: usize,
    /// Conversions rendering at once (sync requests and async jobs together).
    #[arg(long, env = "FOLIO_MAX_CONCURRENT_RENDERS", default_value_t = D.max_concurrent_renders)]
    pub max_concurrent_renders: usize,
    /// Render threads per conversion (0 = one per core).
    #[arg(long, env = "FOLIO_RENDER_THREADS", default_value_t = D.render_threads)]
    pub render_threads: usize,
    /// Queued async jobs beyond which new ones get 429.
    #[arg(long, env = "FOLIO_MAX_QUEUED_JOBS", default_value_t = D.max_queued_jobs)]
    pub max_queued_jobs: u64,
    /// Largest request body (uploads, multipart conversions), in MiB.
    #[arg(long, env = "FOLIO_MAX_UPLOAD_MIB", default_value_t = D.max_body_bytes >> 20)]
    pub max_upload_mib: usize,
    /// Directory where request bodies over 64 KiB and fetched inputs wait on disk instead of in
    /// memory (default: `<data-dir>/spool`). Files older than any request may take are swept.
    #[arg(long, env = "FOLIO_SPOOL_DIR")]
    pub spool_dir: Option<PathBuf>,
    /// Memory all requests together may use to parse large JSON or form bodies (base64
    /// uploads), in MiB; a request that would go past it answers 429.
    #[arg(long, env = "FOLIO_MAX_PARSE_MEMORY_MIB", default_value_t = D.max_parse_memory_bytes >> 20)]
    pub max_parse_memory_mib: u64,
    /// Most MiB of request bodies and fetched inputs waiting in the spool directory together
    /// (0 = no bound); a body that would pass it answers 429, so many large uploads at once
    /// cannot fill the disk.
    #[arg(long, env = "FOLIO_MAX_SPOOL_MIB", default_value_t = D.max_spool_bytes >> 20)]
    pub max_spool_mib: u64,
    /// Most MiB of all stored files together, uploads and results (0 = no quota). Uploads and
    /// conversions that would pass it answer 507 (Insufficient Storage).
    #[arg(long, env = "FOLIO_MAX_STORE_MIB", default_value_t = D.max_store_bytes >> 20)]
    pub max_store_mib: u64,
    /// Most MiB one conversion may store (0 = no cap); past it the conversion stops, its pages
    /// are deleted and it fails with 413.
    #[arg(long, env = "FOLIO_MAX_OUTPUT_MIB", default_value_t = D.max_output_bytes >> 20)]
    pub max_output_mib: u64,
    /// A request line and headers not received within this close the connection (slow clients).
    #[arg(long, env = "FOLIO_HEADER_TIMEOUT_SECS", default_value_t = 30)]
    pub header_timeout_secs: u64,
    /// Connections open at once (HTTP/1 and HTTP/2); beyond it new connections wait in the
    /// listen backlog until others close.
    #[arg(long, env = "FOLIO_MAX_CONNECTIONS", default_value_t = 1024)]
    pub max_connections: usize,
    /// Connections one client address (IPv6: one /64) may have open at once, 0 = no cap; its
    /// further connections are closed at once. Behind a load balancer every connection comes
    /// from the balancer: raise it to --max-connections or set 0 there.
    #[arg(long, env = "FOLIO_MAX_CONNECTIONS_PER_CLIENT", default_value_t = 128)]
    pub max_connections_per_client: usize,
    /// A connection with no request in flight for this long is closed (HTTP/2 with a GOAWAY),
    /// also one that never sends a byte.
    #[arg(long, env = "FOLIO_IDLE_TIMEOUT_SECS", default_value_t = 60)]
    pub idle_timeout_secs: u64,
    /// A request body not fully received within this answers 408 (slow uploads).
    #[arg(long, env = "FOLIO_BODY_TIMEOUT_SECS", default_value_t = D.body_timeout.as_secs())]
    pub body_timeout_secs: u64,
    /// Largest PDF accepted for conversion, in MiB.
    #[arg(long, env = "FOLIO_MAX_INPUT_MIB", default_value_t = D.limits.max_input_bytes >> 20)]
    pub max_input_mib: u64,
    /// Most pixels of one rendered page, in megapixels.
    #[arg(long, env = "FOLIO_MAX_PAGE_MEGAPIXELS", default_value_t = Limits::default().max_page_pixels as f64 / 1e6)]
    pub max_page_megapixels: f64,
    /// Most bytes one image inside a PDF may decode to, in MiB (decompression-bomb guard).
    #[arg(long, env = "FOLIO_MAX_IMAGE_MIB", default_value_t = Limits::default().max_image_bytes / (1024 * 1024))]
    pub max_image_mib: u64,
    /// Most pages one conversion may produce.
    #[arg(long, env = "FOLIO_MAX_PAGES", default_value_t = Limits::default().max_pages)]
    pub max_pages: usize,
    /// Resolution when a request sets none (profiles `RenderingResolution` overrides).
    #[arg(long, env = "FOLIO_DEFAULT_DPI", default_value_t = D.default_dpi)]
    pub default_dpi: f32,
    /// Lifetime of uploads and results without an `expiration` parameter, in minutes.
    #[arg(long, env = "FOLIO_DEFAULT_EXPIRATION_MINUTES", default_value_t = D.default_expiration_minutes)]
    pub default_expiration_minutes: u64,
    /// Longest `expiration` a request may ask for, in minutes.
    #[arg(long, env = "FOLIO_MAX_EXPIRATION_MINUTES", default_value_t = D.max_expiration_minutes)]
    pub max_expiration_minutes: u64,
    /// Life of a presigned upload URL (minutes). With --store s3 it is a real S3 presigned PUT
    /// URL, which accepts PUTs until then: keep it short.
    #[arg(long, env = "FOLIO_PRESIGNED_UPLOAD_MINUTES", default_value_t = D.presigned_upload_minutes)]
    pub presigned_upload_minutes: u64,
    /// Synchronous conversions that may wait for a free renderer; beyond them (and for those
    /// still waiting at --sync-timeout-secs) the answer is 429: nothing was started.
    #[arg(long, env = "FOLIO_MAX_WAITING_SYNC", default_value_t = D.max_waiting_sync)]
    pub max_waiting_sync: usize,
    /// Most source files one request may name (a merge's comma-separated `url`); together they
    /// may not exceed --max-input-mib either.
    #[arg(long, env = "FOLIO_MAX_INPUTS", default_value_t = D.max_inputs)]
    pub max_inputs: usize,
    /// A synchronous conversion running longer answers 445 (use async=true).
    #[arg(long, env = "FOLIO_SYNC_TIMEOUT_SECS", default_value_t = D.sync_timeout.as_secs())]
    pub sync_timeout_secs: u64,
    /// Wall-clock budget of one async job.
    #[arg(long, env = "FOLIO_JOB_TIMEOUT_SECS", default_value_t = D.job_timeout.as_secs())]
    pub job_timeout_secs: u64,
    /// Lease of a running job; a job whose worker stops renewing it runs again after this.
    #[arg(long, env = "FOLIO_JOB_LEASE_SECS", default_value_t = D.job_lease.as_secs())]
    pub job_lease_secs: u64,
    /// Time limit for fetching `url` inputs from other servers.
    #[arg(long, env = "FOLIO_FETCH_TIMEOUT_SECS", default_value_t = D.fetch_timeout.as_secs())]
    pub fetch_timeout_secs: u64,
    /// Comma-separated CIDR ranges, addresses or exact host names that `url` inputs may be
    /// fetched from although refused by default (loopback, private, link-local, …), e.g.
    /// `10.0.0.0/8,intranet.example`.
    #[arg(long, env = "FOLIO_FETCH_ALLOW", value_delimiter = ',')]
    pub fetch_allow: Vec<String>,
    /// Comma-separated web origins whose pages may call the API from a browser (CORS), e.g.
    /// `https://app.example`; `*` = any page (as PDF.co), `none` = no cross-origin calls. Keys in
    /// a header are never sent by a browser on its own, but a server without keys answers any
    /// page its users visit: name the origins there.
    #[arg(
        long,
        env = "FOLIO_CORS_ORIGINS",
        value_delimiter = ',',
        default_value = "*"
    )]
    pub cors_origins: Vec<String>,
    /// Comma-separated directories of more fonts (.ttf, .otf, .ttc), searched before the
    /// system's for text whose font the PDF does not embed (Chinese, Japanese, Korean, Arabic,
    /// Hebrew, Thai…). Glyphs no font has are reported in each answer's `warnings`.
    #[arg(long = "font-dir", env = "FOLIO_FONT_DIRS", value_delimiter = ',')]
    pub font_dirs: Vec<PathBuf>,
    /// Also search the system's font directories (/usr/share/fonts, /usr/local/share/fonts)
    /// for such text: Debian's fonts-noto-cjk and fonts-noto-core cover the scripts above.
    #[arg(long, env = "FOLIO_SYSTEM_FONTS", default_value_t = true, action = clap::ArgAction::Set)]
    pub system_fonts: bool,
    /// Where pages render: `process` (supervised worker processes: a runaway page is killed at
    /// --page-timeout-secs and memory is capped by --render-memory-mib) or `inline` (threads of
    /// the server: no process overhead, but a runaway page cannot be stopped).
    #[arg(
        long,
        env = "FOLIO_RENDER_ISOLATION",
        value_enum,
        default_value = "process"
    )]
    pub render_isolation: RenderIsolation,
    /// Longest wait for the next page of a conversion; past it the conversion fails with 445
    /// and its worker process is killed.
    #[arg(long, env = "FOLIO_PAGE_TIMEOUT_SECS", default_value_t = D.sandbox.page_timeout.as_secs())]
    pub page_timeout_secs: u64,
    /// Memory ceiling (RLIMIT_DATA) of each render worker process, in MiB (0 = none). Default:
    /// room for --max-image-mib, plus two page buffers (4 bytes × --max-page-megapixels) per
    /// render thread, plus 512 MiB: 2048 MiB on 2 cores with the other defaults.
    #[arg(long, env = "FOLIO_RENDER_MEMORY_MIB")]
    pub render_memory_mib: Option<u64>,
    /// A render worker process is replaced after this many conversions.
    #[arg(long, env = "FOLIO_RENDER_WORKER_JOBS", default_value_t = 200)]
    pub render_worker_jobs: u32,
    /// Key of the Standard Webhooks signature (`webhook-signature`, HMAC-SHA256 over id,
    /// timestamp and body) on webhook (`callback`) calls: `whsec_<base64 of the key bytes>`, or
    /// any other string, whose UTF-8 bytes are the key.
    #[arg(long, env = "FOLIO_WEBHOOK_SECRET", hide_env_values = true)]
    pub webhook_secret: Option<String>,
    /// Tries of one webhook delivery, with backoff (1 s, 2 s, 4 s, … up to 60 s).
    #[arg(long, env = "FOLIO_WEBHOOK_ATTEMPTS", default_value_t = D.webhook_attempts)]
    pub webhook_attempts: u32,
    /// Seconds between sweeps of expired files and jobs.
    #[arg(long, env = "FOLIO_SWEEP_INTERVAL_SECS", default_value_t = D.sweep_interval.as_secs())]
    pub sweep_interval_secs: u64,
    /// On SIGTERM/SIGINT, how long in-flight requests and running jobs together may take to
    /// finish before the remaining connections are closed and the process exits (unfinished jobs
    /// run again at the next start, or on another node once their lease ends).
    #[arg(long, env = "FOLIO_SHUTDOWN_GRACE_SECS", default_value_t = 30)]
    pub shutdown_grace_secs: u64,
    /// Log lines on stderr as `text` (for people) or `json` (one object a line, for log
    /// collectors).
    #[arg(long, env = "FOLIO_LOG_FORMAT", value_enum, default_value = "text")]
    pub log_format: LogFormat,
}

/// Values of `--log-format`.
#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

/// The environment of render workers. mimalloc reserves 1 GiB of address space per arena by
/// default, which a data-size ceiling counts; smaller arenas keep the ceiling about real use. A
/// panic backtrace in a worker would only bury the line that says what failed. The server's own
/// `MIMALLOC_*` settings are passed on (and win), so the allocator of both can be tuned at once.
fn worker_env(server: impl Iterator<Item = (String, String)>) -> Vec<(String, String)> {
    let mut env = vec![
        ("MIMALLOC_ARENA_RESERVE".into(), "64MiB".into()),
        ("RUST_BACKTRACE".into(), "0".into()),
    ];
    env.extend(server.filter(|(k, _)| k.starts_with("MIMALLOC_")));
    env.extend(folio_render::fonts::worker_env());
    env
}

/// Values of `--render-isolation`.
#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum RenderIsolation {
    Process,
    Inline,
}

impl ServeArgs {
    fn sandbox(&self) -> anyhow::Result<SandboxConfig> {
        anyhow::ensure!(
            self.page_timeout_secs >= 1,
            "--page-timeout-secs must be at least 1"
        );
        folio_render::fonts::configure(self.font_dirs.clone(), self.system_fonts);
        let threads = match self.render_threads {
            0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
            n => n,
        };
        let memory_mib = self.render_memory_mib.unwrap_or_else(|| {
            let page_mib = (self.max_page_megapixels * 1e6 * 4.0 / (1024.0 * 1024.0)).ceil() as u64;
            self.max_image_mib + threads as u64 * 2 * page_mib + 512
        });
        let isolation = match self.render_isolation {
            RenderIsolation::Inline => Isolation::InProcess,
            RenderIsolation::Process => Isolation::Processes {
                program: std::env::current_exe()
                    .context("finding the folio executable to start render workers")?,
                args: vec![
                    "render-worker".into(),
                    "--memory-mib".into(),
                    memory_mib.to_string(),
                ],
                env: worker_env(std::env::vars()),
                jobs_per_worker: self.render_worker_jobs.max(1),
            },
        };
        Ok(SandboxConfig {
            isolation,
            page_timeout: Duration::from_secs(self.page_timeout_secs),
            // The wall-clock budget is the real limit; this backstop only bites if the server
            // itself stops supervising (a job can use at most all its threads all the time).
            job_cpu_seconds: self.job_timeout_secs.max(self.sync_timeout_secs) * threads as u64
                + 60,
        })
    }

    /// Check every setting as start-up does, without starting anything.
    pub fn validate(&self) -> anyhow::Result<()> {
        self.api_config().map(|_| ())
    }

    fn api_config(&self) -> anyhow::Result<ApiConfig> {
        anyhow::ensure!(
            self.default_dpi > 0.0 && self.default_dpi <= folio_render::MAX_DPI,
            "--default-dpi must be 1..={}",
            folio_render::MAX_DPI
        );
        anyhow::ensure!(
            self.job_lease_secs >= 3,
            "--job-lease-secs must be at least 3"
        );
        anyhow::ensure!(
            self.max_connections >= 1,
            "--max-connections must be at least 1"
        );
        anyhow::ensure!(
            self.idle_timeout_secs >= 1,
            "--idle-timeout-secs must be at least 1"
        );
        let public_url = self
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", self.listen))
            .trim_end_matches('/')
            .to_string();
        anyhow::ensure!(
            public_url.starts_with("http://") || public_url.starts_with("https://"),
            "--public-url must start with http:// or https:// (got '{public_url}')"
        );
        if let Some(secret) = self.webhook_secret.as_deref().filter(|s| !s.is_empty()) {
            folio_api::service::webhook::signing_key(secret)
                .map_err(|e| anyhow::anyhow!("--webhook-secret: {e}"))?;
        }
        // Empty entries (an empty variable, a trailing comma) are skipped, not refused.
        let fetch_allow = AllowList::parse(&self.fetch_allow.join(","))
            .map_err(|e| anyhow::anyhow!("--fetch-allow: {e}"))?;
        let cors_origins: Vec<String> = self
            .cors_origins
            .iter()
            .map(|o| o.trim().trim_end_matches('/').to_string())
            .filter(|o| !o.is_empty() && !o.eq_ignore_ascii_case("none"))
            .collect();
        for origin in cors_origins.iter().filter(|o| *o != "*") {
            let url = url::Url::parse(origin).ok().filter(|u| {
                matches!(u.scheme(), "http" | "https") && u.host().is_some() && u.path() == "/"
            });
            anyhow::ensure!(
                url.is_some() && !origin.ends_with('/'),
                "--cors-origins: '{origin}' is not an origin (scheme://host[:port], e.g. https://app.example)"
            );
        }
        Ok(ApiConfig {
            public_url,
            api_keys: self
                .api_keys
                .iter()
                .map(|k| k.trim().to_string())
                .filter(|k| !k.is_empty())
                .collect(),
            default_expiration_minutes: self.default_expiration_minutes.max(1),
            max_expiration_minutes: self.max_expiration_minutes.max(1),
            presigned_upload_minutes: self.presigned_upload_minutes.max(1),
            limits: Limits {
                max_input_bytes: self.max_input_mib.saturating_mul(1024 * 1024),
                max_page_pixels: (self.max_page_megapixels * 1e6) as u64,
                max_pages: self.max_pages,
                max_image_bytes: self.max_image_mib.saturating_mul(1024 * 1024),
            },
            default_dpi: self.default_dpi,
            max_body_bytes: self.max_upload_mib.saturating_mul(1024 * 1024),
            spool_dir: self
                .spool_dir
                .clone()
                .unwrap_or_else(|| self.data_dir.join("spool")),
            max_parse_memory_bytes: self.max_parse_memory_mib.saturating_mul(1024 * 1024),
            max_spool_bytes: self.max_spool_mib.saturating_mul(1024 * 1024),
            max_waiting_sync: self.max_waiting_sync,
            max_inputs: self.max_inputs,
            max_store_bytes: self.max_store_mib.saturating_mul(1024 * 1024),
            max_output_bytes: self.max_output_mib.saturating_mul(1024 * 1024),
            body_timeout: Duration::from_secs(self.body_timeout_secs.max(1)),
            sync_timeout: Duration::from_secs(self.sync_timeout_secs),
            job_timeout: Duration::from_secs(self.job_timeout_secs),
            max_concurrent_renders: self.max_concurrent_renders.max(1),
            render_threads: self.render_threads,
            workers: self.workers.max(1),
            max_queued_jobs: self.max_queued_jobs,
            job_lease: Duration::from_secs(self.job_lease_secs),
            fetch_timeout: Duration::from_secs(self.fetch_timeout_secs),
            fetch_allow,
            cors_origins,
            sweep_interval: Duration::from_secs(self.sweep_interval_secs.max(1)),
            presigned_downloads: self.backends.presigned_downloads(),
            webhook_secret: self.webhook_secret.clone().filter(|s| !s.is_empty()),
            webhook_attempts: self.webhook_attempts.max(1),
            sandbox: self.sandbox()?,
        })
    }
}

pub fn run(args: ServeArgs) -> anyhow::Result<()> {
    let logs = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr);
    match args.log_format {
        LogFormat::Text => logs
            .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
            .init(),
        LogFormat::Json => logs.json().init(),
    }
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(serve(args))
}

async fn serve(args: ServeArgs) -> anyhow::Result<()> {
    let config = args.api_config()?;
    let node = node_id();
    tracing::info!(
        node,
        host = %hostname(),
        pid = std::process::id(),
        store = ?args.backends.store,
        queue = ?args.backends.queue,
        "Folio node starting"
    );
    if args.backends.uses_data_dir() {
        std::fs::create_dir_all(&args.data_dir)
            .with_context(|| format!("creating the data directory {}", args.data_dir.display()))?;
    }
    let store = args.backends.open_store(&args.data_dir, &node).await?;
    let records = args.backends.open_records(&args.data_dir).await?;
    // One node owns an embedded database: jobs left running by a previous process run again now.
    // A shared database's running jobs may be other live nodes': they come back when their lease
    // runs out, and claiming takes them then.
    if records.exclusive {
        let requeued = records.jobs.requeue_expired(i64::MAX).await?;
        if requeued > 0 {
            tracing::info!(requeued, "resuming jobs interrupted by the last shutdown");
        }
    }
    let state = AppState::new(config.clone(), store, records.jobs, records.files);
    let (stop_tx, stop_rx) = watch::channel(false);
    let workers = folio_api::worker::spawn_all(&state, &node, stop_rx.clone());

    raise_file_limit(args.max_connections);
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("listening on {}", args.listen))?;
    tracing::info!(listen = %args.listen, public_url = %config.public_url, "Folio is serving");
    // One deadline for connections and jobs together, set when the signal arrives.
    let (deadline_tx, deadline_rx) = watch::channel(None);
    let grace = Duration::from_secs(args.shutdown_grace_secs);
    tokio::spawn(async move {
        shutdown_signal().await;
        tracing::info!("shutting down: no new requests or jobs; letting running work finish");
        let _ = deadline_tx.send(Some(tokio::time::Instant::now() + grace));
        let _ = stop_tx.send(true);
    });
    let limits = connections::Limits {
        max_connections: args.max_connections,
        max_per_client: args.max_connections_per_client,
        idle_timeout: Duration::from_secs(args.idle_timeout_secs),
        header_timeout: Duration::from_secs(args.header_timeout_secs.max(1)),
    };
    let mut deadline = deadline_rx.clone();
    let jobs = async move {
        let Ok(at) = deadline.wait_for(Option::is_some).await.map(|d| *d) else {
            return;
        };
        let at = at.unwrap_or_else(tokio::time::Instant::now);
        if tokio::time::timeout_at(at, futures_join_all(workers))
            .await
            .is_err()
        {
            tracing::warn!(
                "jobs still running after the grace period; they will run again at the next start (or on another node after their lease)"
            );
        }
    };
    tokio::join!(
        connections::serve(listener, folio_api::app(state), limits, deadline_rx),
        jobs
    );
    Ok(())
}

/// Make room for `max_connections` sockets under the open-file limit: raise the soft limit
/// towards the hard one (as a systemd `LimitNOFILE=` would), and warn when even that is short.
fn raise_file_limit(max_connections: usize) {
    use rustix::process::{Resource, getrlimit, setrlimit};
    // Database, store, render worker pipes, log files: descriptors beside the connections.
    let wanted = max_connections as u64 + 256;
    let mut limit = getrlimit(Resource::Nofile);
    let Some(soft) = limit.current else {
        return;
    };
    if soft < wanted {
        let raised = limit.maximum.map_or(wanted, |hard| hard.min(wanted));
        if raised > soft {
            limit.current = Some(raised);
            if setrlimit(Resource::Nofile, limit).is_err() {
                limit.current = Some(soft);
            }
        }
    }
    let have = limit.current.unwrap_or(u64::MAX);
    if have < wanted {
        tracing::warn!(
            open_files = have,
            max_connections,
            "the open-file limit is below --max-connections + 256; lower --max-connections or raise the limit (LimitNOFILE=)"
        );
    }
}

/// This process's name in job records (`worker` = `<node>-w<n>`): 64 random bits, since process
/// ids repeat across machines sharing a queue. Logged with the host name and pid at start.
fn node_id() -> String {
    folio_api::service::naming::new_token()[..16].to_string()
}

fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_string())
        .unwrap_or_else(|_| "unknown".into())
}

async fn futures_join_all(handles: Vec<tokio::task::JoinHandle<()>>) {
    for h in handles {
        let _ = h.await;
    }
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            .expect("installing the SIGTERM handler");
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = ctrl_c.await;
    }
}
