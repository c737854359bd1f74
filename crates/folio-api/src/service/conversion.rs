//! One PDF → images (or text) conversion, the same for a synchronous request and an async job.
//!
//! Pages are written to the store as they are rendered, under tokens derived from a random seed
//! kept with the job ([`ConvertJob::result_token`]), so a job that runs again after a crash
//! overwrites the same keys and hands out the same URLs: running twice cannot produce two
//! different results. The job id (logged, answered) and one page's URL reveal no other's. An async job's placeholder
//! file (the `url` answered at once) is written last, so it exists only for a complete result.
//! Text is one file, like a TIFF: the pages' text joined by form feeds.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::time::Instant;

use bytes::Bytes;
use folio_jobs::{RepoError, now_millis};
use folio_render::{Code, ColorMode, Format, PageSpec, RenderOptions, Resolution};
use folio_sandbox::{Event, JobKind, RenderJob};
use serde::{Deserialize, Serialize};

use super::input::{Source, load, source_from_params};
use super::naming::{download_url, file_key, file_record, new_token, sanitize_name, stem};
use super::storage::OutputBudget;
use crate::params::Params;
use crate::{ApiError, AppState};
use sha2::Digest;

/// Everything a conversion needs; stored as an async job's parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConvertJob {
    pub source: Source,
    /// `png`, `jpg`, `webp`, `tiff` or `txt`.
    pub format: String,
    pub pages: String,
    pub password: String,
    /// Base name of the results (no extension).
    pub name: String,
    /// `rgb`, `gray` or `bw`.
    pub color: String,
    pub dpi: f32,
    pub jpeg_quality: u8,
    pub expiration_minutes: u64,
    /// Token of the async placeholder file, filled when the job succeeds.
    pub placeholder: Option<String>,
    /// Where to POST the job's final state (async jobs only).
    #[serde(default)]
    pub callback: Option<String>,
    /// Text only: answer the text itself (`body`) instead of a URL; async jobs still store it.
    #[serde(default)]
    pub inline: bool,
    /// Random, kept with the job: result tokens derive from it, so a re-run after a crash lands
    /// on the same URLs while neither the job id nor one page's URL tells another page's.
    #[serde(default)]
    pub result_seed: String,
}

/// What a conversion produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    Image(Format),
    /// The pages' text, separated by form feeds, in one `.txt`.
    Text,
}

impl Output {
    fn extension(self) -> &'static str {
        match self {
            Output::Image(f) => f.extension(),
            Output::Text => "txt",
        }
    }

    /// One file for the whole document (TIFF, text) rather than one per page.
    pub fn single_file(self) -> bool {
        matches!(self, Output::Image(Format::Tiff) | Output::Text)
    }
}

/// Pages done / total (shared with the heartbeat that reports it), and warnings so far.
#[derive(Debug, Default)]
pub struct Progress {
    pub done: AtomicU32,
    pub total: AtomicU32,
    /// What pages done so far could not show, at most [`MAX_WARNINGS`].
    pub warnings: std::sync::Mutex<Vec<String>>,
}

/// A finished conversion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    /// One URL per page (PNG, JPEG, WebP), the single TIFF or text file, none for inline text.
    pub urls: Vec<String>,
    /// Inline text (a synchronous `inline=true` text request).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    pub page_count: usize,
    pub duration_ms: u64,
    pub expires_at: i64,
    /// What pages could not show (glyphs no installed font has, text without Unicode); the
    /// conversion succeeded nonetheless. At most [`MAX_WARNINGS`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// Most warnings one conversion reports; a note that more were left out takes the last place.
pub const MAX_WARNINGS: usize = 50;

/// Add a warning, keeping the list at [`MAX_WARNINGS`].
fn warn(progress: &Progress, w: String) {
    let mut warnings = progress.warnings.lock().unwrap_or_else(|e| e.into_inner());
    match warnings.len() {
        n if n + 1 < MAX_WARNINGS => warnings.push(w),
        n if n + 1 == MAX_WARNINGS => warnings.push("more warnings were left out".into()),
        _ => {}
    }
}

impl ConvertJob {
    /// Read and check a conversion request's parameters (before any input is fetched).
    pub async fn from_params(
        state: &AppState,
        output: Output,
        p: &Params,
    ) -> Result<Self, ApiError> {
        let pages = p.get("pages").unwrap_or("").to_string();
        PageSpec::parse(&pages)?;
        let profiles = Profiles::parse(p.get("profiles"))?;
        let expiration_minutes = expiration(state, p)?;
        let (source, source_name) = source_from_params(state, p).await?;
        let name = match p.get("name") {
            Some(n) => stem(&sanitize_name(n, "result")).to_string(),
            None => stem(&source_name).to_string(),
        };
        let cfg = &state.config;
        Ok(Self {
            source,
            format: output.extension().to_string(),
            pages,
            password: p.get("password").unwrap_or("").to_string(),
            name,
            color: profiles.color.unwrap_or("rgb").to_string(),
            dpi: profiles.dpi.unwrap_or(cfg.default_dpi),
            jpeg_quality: profiles.jpeg_quality.unwrap_or(85),
            expiration_minutes,
            placeholder: None,
            callback: p
                .get("callback")
                .map(|c| super::webhook::parse_callback(state, c))
                .transpose()?,
            inline: p.bool("inline", false)?,
            result_seed: new_token(),
        })
    }

    /// The token of result `seq` (a page, or 0 for a single file): the first 128 bits of
    /// SHA-256 over the seed, the job id and the number.
    pub fn result_token(&self, job_id: &str, seq: usize) -> String {
        let digest = sha2::Sha256::digest(format!("{}:{job_id}:{seq}", self.result_seed));
        digest[..16].iter().map(|b| format!("{b:02x}")).collect()
    }

    pub fn output(&self) -> Output {
        match self.format.as_str() {
            "txt" => Output::Text,
            f => Output::Image(f.parse().unwrap_or(Format::Png)),
        }
    }

    /// File name of page `page` (0-based) or of the single file (TIFF, text).
    pub fn file_name(&self, page: Option<usize>) -> String {
        let ext = self.output().extension();
        match page {
            Some(p) => format!("{}-{p}.{ext}", self.name),
            None => format!("{}.{ext}", self.name),
        }
    }

    /// Name of the async placeholder: the URL list (`.json`) or the single file itself.
    pub fn placeholder_name(&self) -> String {
        if self.output().single_file() {
            self.file_name(None)
        } else {
            format!("{}.json", self.name)
        }
    }
}

/// `expiration` in minutes, within the configured bounds.
pub fn expiration(state: &AppState, p: &Params) -> Result<u64, ApiError> {
    let cfg = &state.config;
    match p.int("expiration")? {
        None => Ok(cfg.default_expiration_minutes),
        Some(m) if m >= 1 => Ok((m as u64).min(cfg.max_expiration_minutes)),
        Some(m) => Err(ApiError::bad_request(format!(
            "Invalid 'expiration' {m}: give a number of minutes ≥ 1."
        ))),
    }
}

/// The rendering options of `profiles` (lenient JSON: quotes, comments, flat or wrapped).
#[derive(Debug, Default, PartialEq)]
struct Profiles {
    jpeg_quality: Option<u8>,
    color: Option<&'static str>,
    dpi: Option<f32>,
}

impl Profiles {
    fn parse(text: Option<&str>) -> Result<Self, ApiError> {
        let Some(text) = text else {
            return Ok(Self::default());
        };
        check_profiles_shape(text)?;
        let value: serde_json::Value = json5::from_str(text).map_err(|e| {
            ApiError::new(
                Code::ProfilesParsing,
                format!("Profiles parsing error: {e}. 'profiles' must be a JSON object."),
            )
        })?;
        if !value.is_object() {
            return Err(ApiError::new(
                Code::ProfilesParsing,
                "Profiles parsing error: 'profiles' must be a JSON object.",
            ));
        }
        let mut props = serde_json::Map::new();
        collect_props(&value, &mut props);
        let mut out = Self::default();
        for (k, v) in props {
            let num = v
                .as_f64()
                .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()));
            match k.to_ascii_lowercase().as_str() {
                "jpegquality" => {
                    let q = num.filter(|q| (0.0..=100.0).contains(q)).ok_or_else(|| {
                        ApiError::new(
                            Code::ProfilesParsing,
                            format!("Profiles parsing error: JPEGQuality must be 0-100, got {v}."),
                        )
                    })?;
                    out.jpeg_quality = Some((q as u8).max(1));
                }
                "imagebitsperpixel" => {
                    let s = v.as_str().unwrap_or("").to_ascii_uppercase();
                    out.color = Some(match s.as_str() {
                        "BPP1" => "bw",
                        "BPP8" => "gray",
                        "BPP24" | "BPP32" => "rgb",
                        _ => {
                            return Err(ApiError::new(
                                Code::ProfilesParsing,
                                format!(
                                    "Profiles parsing error: ImageBitsPerPixel must be BPP1, BPP8, BPP24 or BPP32, got {v}."
                                ),
                            ));
                        }
                    });
                }
                "renderingresolution" | "resolution" | "dpi" => {
                    let d = num.filter(|d| *d > 0.0 && *d <= folio_render::MAX_DPI as f64).ok_or_else(|| {
                        ApiError::new(Code::ProfilesParsing, format!("Profiles parsing error: {k} must be a DPI from 1 to {}, got {v}.", folio_render::MAX_DPI))
                    })?;
                    out.dpi = Some(d as f32);
                }
                _ => {}
            }
        }
        Ok(out)
    }
}

/// Longest `profiles` text: real ones are a few hundred bytes.
const MAX_PROFILES_LEN: usize = 64 * 1024;

/// Deepest nesting of objects and arrays in `profiles`: PDF.co's wrapped form
/// `{profiles:[{profile1:{…}}]}` is 4 deep.
const MAX_PROFILES_DEPTH: usize = 32;

/// Refuse `profiles` too long or too deeply nested *before* parsing: the JSON5 parser recurses
/// once per level without a limit, so `[` × 20,000 overflowed the stack and killed the server.
/// The scan follows JSON5's strings (both quotes, with escapes) and comments, so brackets inside
/// them do not count.
fn check_profiles_shape(text: &str) -> Result<(), ApiError> {
    if text.len() > MAX_PROFILES_LEN {
        return Err(ApiError::new(
            Code::ProfilesParsing,
            format!(
                "Profiles parsing error: 'profiles' is {} bytes long; the limit is {MAX_PROFILES_LEN}.",
                text.len()
            ),
        ));
    }
    let (mut depth, mut max) = (0usize, 0usize);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' | '\'' => {
                while let Some(d) = chars.next() {
                    match d {
                        '\\' => {
                            chars.next();
                        }
                        d if d == c => break,
                        _ => {}
                    }
                }
            }
            '/' if chars.peek() == Some(&'/') => {
                for d in chars.by_ref() {
                    if d == '\n' {
                        break;
                    }
                }
            }
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut star = false;
                for d in chars.by_ref() {
                    if star && d == '/' {
                        break;
                    }
                    star = d == '*';
                }
            }
            '{' | '[' => {
                depth += 1;
                max = max.max(depth);
            }
            '}' | ']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    if max > MAX_PROFILES_DEPTH {
        return Err(ApiError::new(
            Code::ProfilesParsing,
            format!(
                "Profiles parsing error: 'profiles' nests objects or arrays {max} deep; the limit is {MAX_PROFILES_DEPTH}."
            ),
        ));
    }
    Ok(())
}

/// Flatten `{ "profiles": [ { "profile1": {…} } ] }` and flat objects into one property map.
fn collect_props(v: &serde_json::Value, out: &mut serde_json::Map<String, serde_json::Value>) {
    match v {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                if v.is_object() || v.is_array() {
                    collect_props(v, out);
                } else {
                    out.insert(k.clone(), v.clone());
                }
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|i| collect_props(i, out)),
        _ => {}
    }
}

/// Run a conversion: load the input, render every selected page into the store, write the
/// placeholder (async) and return the URLs. `cancel` stops it between pages.
///
/// The input is fetched *before* a render slot is taken, so a slow remote server holds only its
/// own request, not one of the few slots every conversion needs. With a `deadline` (synchronous
/// requests) a slot not free by then answers 429 (nothing was started: the client may retry),
/// and a conversion still running then is stopped and answers 445.
pub async fn run(
    state: &AppState,
    job_id: &str,
    job: &ConvertJob,
    progress: Arc<Progress>,
    cancel: Arc<AtomicBool>,
    deadline: Option<tokio::time::Instant>,
) -> Result<Outcome, ApiError> {
    let started = Instant::now();
    let input = load(state, &job.source).await?;
    let _slot = render_slot(state, deadline).await?;
    let work = convert_loaded(state, job_id, job, input, &progress, &cancel);
    let (urls, body, page_count, expires_at, warnings) = match deadline {
        None => work.await?,
        Some(at) => match tokio::time::timeout_at(at, work).await {
            Ok(result) => result?,
            Err(_) => {
                cancel.store(true, Ordering::Relaxed);
                return Err(ApiError::new(
                    Code::Timeout,
                    format!(
                        "Timeout error: the conversion did not finish within {} s. Use async=true and poll /job/check, or convert fewer pages.",
                        state.config.sync_timeout.as_secs()
                    ),
                ));
            }
        },
    };
    Ok(Outcome {
        urls,
        body,
        page_count,
        duration_ms: started.elapsed().as_millis() as u64,
        expires_at,
        warnings,
    })
}

/// What [`convert_loaded`] produced: URLs, inline text, pages, expiry, warnings.
type Converted = (Vec<String>, Option<String>, usize, i64, Vec<String>);

/// The conversion proper, once the input is here and a render slot is held.
async fn convert_loaded(
    state: &AppState,
    job_id: &str,
    job: &ConvertJob,
    input: super::input::Input,
    progress: &Progress,
    cancel: &AtomicBool,
) -> Result<Converted, ApiError> {
    let bytes = input.into_vec(state).await?;
    let expires_at = now_millis() + job.expiration_minutes as i64 * 60_000;
    let rendering = Instant::now();
    let (urls, body) = match job.output() {
        Output::Text => {
            text_into_store(state, job_id, job, bytes, expires_at, progress, cancel).await?
        }
        Output::Image(_) => (
            render_into_store(state, job_id, job, bytes, expires_at, progress, cancel).await?,
            None,
        ),
    };
    let warnings =
        std::mem::take(&mut *progress.warnings.lock().unwrap_or_else(|e| e.into_inner()));
    let render_time = rendering.elapsed();
    let page_count = if job.output().single_file() {
        progress.total.load(Ordering::Relaxed) as usize
    } else {
        urls.len()
    };
    state
        .metrics
        .conversion(page_count, render_time, warnings.len());
    for w in &warnings {
        tracing::warn!(job = %super::naming::job_tag(job_id), "{w}");
    }
    if let Some(token) = &job.placeholder
        && !job.output().single_file()
    {
        let body = Bytes::from(serde_json::to_vec(&urls).unwrap_or_default());
        state.store.put(&file_key(token), body.clone()).await?;
        state
            .files
            .mark_result_stored(token, body.len() as u64, now_millis())
            .await?;
    }
    Ok((urls, body, page_count, expires_at, warnings))
}

/// One of the `--max-concurrent-renders` slots. Async workers (a bounded number) wait for one;
/// a synchronous request waits until its `deadline`, behind at most `max_waiting_sync` others,
/// and is answered 429 otherwise: backpressure instead of a queue without end.
pub(crate) async fn render_slot(
    state: &AppState,
    deadline: Option<tokio::time::Instant>,
) -> Result<tokio::sync::SemaphorePermit<'_>, ApiError> {
    let closed = |_| {
        ApiError::new(
            Code::Unavailable,
            "The server is shutting down; try again shortly.",
        )
    };
    let Some(at) = deadline else {
        return state.renders.acquire().await.map_err(closed);
    };
    if let Ok(permit) = state.renders.try_acquire() {
        return Ok(permit);
    }
    let busy = |why: String| {
        ApiError::new(
            Code::TooManyRequests,
            format!(
                "Too many requests: {why}. Nothing was started; try again in a few seconds, or use async=true."
            ),
        )
    };
    let waiting = state.sync_waiting.fetch_add(1, Ordering::SeqCst);
    let _leave = scopeguard(|| {
        state.sync_waiting.fetch_sub(1, Ordering::SeqCst);
    });
    if waiting >= state.config.max_waiting_sync {
        return Err(busy(format!(
            "{waiting} synchronous conversions are already waiting for a renderer"
        )));
    }
    match tokio::time::timeout_at(at, state.renders.acquire()).await {
        Ok(permit) => permit.map_err(closed),
        Err(_) => Err(busy(format!(
            "no renderer became free within {} s",
            state.config.sync_timeout.as_secs()
        ))),
    }
}

/// Runs `f` when dropped (also when the future holding it is cancelled).
fn scopeguard(f: impl FnOnce()) -> impl Drop {
    struct Guard<F: FnOnce()>(Option<F>);
    impl<F: FnOnce()> Drop for Guard<F> {
        fn drop(&mut self) {
            if let Some(f) = self.0.take() {
                f();
            }
        }
    }
    Guard(Some(f))
}

/// Render in the sandbox (worker processes under a page time budget) and store each page as it
/// arrives. Dropping this future, or `cancel`, stops the renderer.
async fn render_into_store(
    state: &AppState,
    job_id: &str,
    job: &ConvertJob,
    bytes: Vec<u8>,
    expires_at: i64,
    progress: &Progress,
    cancel: &AtomicBool,
) -> Result<Vec<String>, ApiError> {
    let cfg = &state.config;
    let Output::Image(format) = job.output() else {
        return Err(ApiError::new(Code::Internal, "not an image conversion"));
    };
    let tiff = match format {
        // In the spool, so that a crash's leftover is swept with the others.
        Format::Tiff => Some(
            tempfile::Builder::new()
                .prefix("spool-tiff-")
                .tempfile_in(state.spool.dir())
                .map_err(|e| ApiError::internal("temporary file", e))?,
        ),
        _ => None,
    };
    let render_job = RenderJob {
        password: job.password.clone(),
        pages: job.pages.clone(),
        options: RenderOptions {
            format,
            color: match job.color.as_str() {
                "gray" => ColorMode::Gray,
                "bw" => ColorMode::Bw,
                _ => ColorMode::Rgb,
            },
            resolution: Resolution::Dpi(job.dpi),
            jpeg_quality: job.jpeg_quality,
            threads: cfg.render_threads,
        },
        limits: cfg.limits,
        tiff_path: tiff.as_ref().map(|t| t.path().to_path_buf()),
        kind: JobKind::Render,
    };
    let mut run = state.renderer.start(render_job, bytes).await?;
    let mut urls = Vec::new();
    let mut budget = OutputBudget::new(state);
    while let Some(event) = next_event(&mut run, cancel, progress).await? {
        match event {
            Event::Page(img) => {
                let (token, name) = (
                    job.result_token(job_id, img.seq),
                    job.file_name(Some(img.page)),
                );
                let size = img.data.len() as u64;
                budget.admit(state, size).await?;
                state
                    .store
                    .put(&file_key(&token), Bytes::from(img.data))
                    .await?;
                record(state, job_id, expires_at, &token, &name, size).await?;
                urls.push(download_url(state, &token, &name, expires_at).await?);
                progress.done.fetch_add(1, Ordering::Relaxed);
            }
            Event::TiffProgress(n) => {
                progress.done.store(n as u32, Ordering::Relaxed);
                if let Some(tmp) = &tiff {
                    budget.admit_total(state, file_size(tmp.path())).await?;
                }
            }
            Event::Warning(w) => warn(progress, w),
            Event::Started { .. } | Event::Text(_) | Event::Info(_) => {}
        }
    }
    if let Some(tmp) = tiff {
        let token = single_file_token(job_id, job);
        let size = file_size(tmp.path());
        budget.admit_total(state, size).await?;
        state.store.put_file(&file_key(&token), tmp.path()).await?;
        urls.push(single_file_stored(state, job_id, job, &token, size, expires_at).await?);
    }
    Ok(urls)
}

/// Extract the selected pages' text in the sandbox (text interprets the same hostile content
/// streams rendering does, so it gets the same page budget and memory ceiling) and join them
/// with form feeds. Stored as one `.txt`, unless a synchronous request asked for it inline:
/// then it is returned as the body and nothing is stored.
async fn text_into_store(
    state: &AppState,
    job_id: &str,
    job: &ConvertJob,
    bytes: Vec<u8>,
    expires_at: i64,
    progress: &Progress,
    cancel: &AtomicBool,
) -> Result<(Vec<String>, Option<String>), ApiError> {
    let text_job = RenderJob {
        password: job.password.clone(),
        pages: job.pages.clone(),
        options: RenderOptions::default(),
        limits: state.config.limits,
        tiff_path: None,
        kind: JobKind::Text,
    };
    let mut run = state.renderer.start(text_job, bytes).await?;
    let mut text = String::new();
    let mut budget = match job.inline && job.placeholder.is_none() {
        true => OutputBudget::unstored(state),
        false => OutputBudget::new(state),
    };
    while let Some(event) = next_event(&mut run, cancel, progress).await? {
        match event {
            Event::Text(page) => {
                budget.admit(state, page.text.len() as u64 + 1).await?;
                if page.seq > 0 {
                    text.push('\u{c}');
                }
                text.push_str(&page.text);
                progress.done.fetch_add(1, Ordering::Relaxed);
            }
            Event::Warning(w) => warn(progress, w),
            Event::Started { .. } | Event::Page(_) | Event::TiffProgress(_) | Event::Info(_) => {}
        }
    }
    if job.inline && job.placeholder.is_none() {
        return Ok((Vec::new(), Some(text)));
    }
    let token = single_file_token(job_id, job);
    let size = text.len() as u64;
    state
        .store
        .put(&file_key(&token), Bytes::from(text))
        .await?;
    let url = single_file_stored(state, job_id, job, &token, size, expires_at).await?;
    Ok((vec![url], None))
}

/// The next output of a sandbox run (a page, its text, TIFF progress), unless the conversion
/// was cancelled meanwhile. The run's start, which says how many pages will come, is recorded in
/// `progress` here rather than handed on.
async fn next_event(
    run: &mut folio_sandbox::Run,
    cancel: &AtomicBool,
    progress: &Progress,
) -> Result<Option<Event>, ApiError> {
    loop {
        let event = run.next().await?;
        if event.is_some() && cancel.load(Ordering::Relaxed) {
            return Err(ApiError::new(
                Code::Timeout,
                "Timeout error: the conversion was stopped (out of time, or taken over by another worker).",
            ));
        }
        match event {
            Some(Event::Started { pages }) => {
                progress.total.store(pages.len() as u32, Ordering::Relaxed)
            }
            other => return Ok(other),
        }
    }
}

/// Size of a file being written, 0 if it cannot be read.
fn file_size(path: &std::path::Path) -> u64 {
    std::fs::metadata(path).map_or(0, |m| m.len())
}

/// Record a stored result; a re-run after a crash records the same token again, harmlessly.
async fn record(
    state: &AppState,
    job_id: &str,
    expires_at: i64,
    token: &str,
    name: &str,
    size: u64,
) -> Result<(), ApiError> {
    let rec = file_record(token, name, Some(size), Some(job_id), expires_at);
    match state.files.insert_file(rec).await {
        Ok(()) | Err(RepoError::Duplicate(_)) => Ok(()),
        Err(e) => Err(e.into()),
    }
}

/// Where a single-file result (TIFF, text) goes: the async placeholder, else a token of the job.
fn single_file_token(job_id: &str, job: &ConvertJob) -> String {
    job.placeholder
        .clone()
        .unwrap_or_else(|| job.result_token(job_id, 0))
}

/// Record a single-file result just stored under `token` (completing the async placeholder's
/// record, or a new one) and give its URL.
async fn single_file_stored(
    state: &AppState,
    job_id: &str,
    job: &ConvertJob,
    token: &str,
    size: u64,
    expires_at: i64,
) -> Result<String, ApiError> {
    let name = job.file_name(None);
    if job.placeholder.is_some() {
        state
            .files
            .mark_result_stored(token, size, now_millis())
            .await?;
    } else {
        record(state, job_id, expires_at, token, &name, size).await?;
    }
    download_url(state, token, &name, expires_at).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn profiles_shapes_and_leniency() {
        let p = Profiles::parse(Some("{ 'ImageBitsPerPixel': 'BPP1' }")).unwrap();
        assert_eq!(p.color, Some("bw"));
        let p = Profiles::parse(Some(
            r#"{ "profiles": [ { "profile1": { "JPEGQuality": "40", /* comment */ "imagebitsperpixel": "bpp8" } } ] }"#,
        ))
        .unwrap();
        assert_eq!((p.jpeg_quality, p.color), (Some(40), Some("gray")));
        let p = Profiles::parse(Some(
            "{RenderingResolution: 300, TextSmoothingMode: 'HighQuality'}",
        ))
        .unwrap();
        assert_eq!(p.dpi, Some(300.0));
        for bad in [
            "{bad",
            "'text'",
            "{JPEGQuality: 500}",
            "{ImageBitsPerPixel: 'BPP7'}",
            "{DPI: 0}",
        ] {
            assert_eq!(Profiles::parse(Some(bad)).unwrap_err().status, 444, "{bad}");
        }
    }

    /// `[` × 20,000 (the request that killed the server), and deep nesting of every kind, are
    /// refused with 444 before the parser sees them; brackets inside strings and comments do
    /// not count, so ordinary profiles still parse.
    #[test]
    fn deep_or_long_profiles_are_444_not_a_stack_overflow() {
        for bad in [
            "[".repeat(20_000),
            "{a:".repeat(20_000),
            format!("{{x:{}1{}}}", "[".repeat(40), "]".repeat(40)),
            format!("{{x:'{}'}}", "a".repeat(MAX_PROFILES_LEN)),
        ] {
            let e = Profiles::parse(Some(&bad)).unwrap_err();
            assert_eq!(e.status, 444, "{}", &bad[..40]);
        }
        let quoted = format!(
            "{{JPEGQuality: 40, note: '{}', other: \"{}\" /* {} */}}",
            "[".repeat(100),
            "{\\\"[".repeat(100),
            "[".repeat(100)
        );
        assert_eq!(
            Profiles::parse(Some(&quoted)).unwrap().jpeg_quality,
            Some(40)
        );
        let nested = format!(
            "{{p:{}{{JPEGQuality: 30}}{}}}",
            "[".repeat(32),
            "]".repeat(32)
        );
        assert_eq!(Profiles::parse(Some(&nested)).unwrap_err().status, 444);
        let wrapped = format!(
            "{{p:{}{{JPEGQuality: 30}}{}}}",
            "[".repeat(30),
            "]".repeat(30)
        );
        assert_eq!(
            Profiles::parse(Some(&wrapped)).unwrap().jpeg_quality,
            Some(30)
        );
    }

    proptest! {
        /// Any nesting of brackets, braces, keys and strings, however deep: parsed or 444.
        #[test]
        fn any_nesting_parses_or_is_444(
            open in proptest::collection::vec(prop_oneof![Just("["), Just("{a:"), Just("{'k':"), Just("[1,")], 0..3000),
            close in any::<bool>(),
        ) {
            let mut text: String = open.concat();
            if close {
                for piece in open.iter().rev() {
                    text.push(if piece.starts_with('[') { ']' } else { '}' });
                }
            }
            if let Err(e) = Profiles::parse(Some(&text)) {
                prop_assert_eq!(e.status, 444);
            }
        }

        #[test]
        fn any_profiles_text_parses_or_is_444(text in "[{}\\[\\]'\":,/* a-zA-Z0-9.-]{0,80}") {
            if let Err(e) = Profiles::parse(Some(&text)) {
                prop_assert_eq!(e.status, 444);
            }
        }
    }
}
