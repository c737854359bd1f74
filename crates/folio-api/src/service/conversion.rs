//! Running one [`Task`]: the same for a synchronous request and an async job, whatever the
//! operation. Every operation parses the untrusted document in the render sandbox (worker
//! processes under the page time budget and the memory ceiling), under a render slot.
//!
//! Results are written to the store as they are produced, under tokens derived from a random
//! seed kept with the job ([`Task::result_token`]), so a job that runs again after a crash
//! overwrites the same keys and hands out the same URLs: running twice cannot produce two
//! different results. The job id (logged, answered) and one page's URL reveal no other's. An
//! async job's placeholder file (the `url` answered at once) is written last, so it exists only
//! for a complete result. Text is one file, like a TIFF or a PDF: the pages' text joined by form
//! feeds.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::time::Instant;

use bytes::Bytes;
use folio_jobs::{RepoError, now_millis};
use folio_render::{Code, ColorMode, Format, RenderOptions, Resolution};
use folio_sandbox::{DocumentInfo, Event, JobKind, RenderJob};
use serde::{Deserialize, Serialize};

use super::input::load;
use super::naming::{download_url, file_key, file_record};
use super::storage::OutputBudget;
use super::task::{Operation, Task};
use crate::{ApiError, AppState};

/// Pages done / total (shared with the heartbeat that reports it), and warnings so far.
#[derive(Debug, Default)]
pub struct Progress {
    pub done: AtomicU32,
    pub total: AtomicU32,
    /// What pages done so far could not show, at most [`MAX_WARNINGS`].
    pub warnings: std::sync::Mutex<Vec<String>>,
}

/// What an operation produced.
#[derive(Debug, Clone, PartialEq)]
pub enum Produced {
    /// Stored files: one per page (PNG, JPEG, WebP), or the single TIFF, text, PDF or data file.
    Files(Vec<String>),
    /// Text answered inline (a synchronous `inline=true` text request): nothing stored.
    Text(String),
    /// A document's information; for an async job also stored as JSON at the placeholder.
    Info(Box<DocumentInfo>),
    /// A data answer's fields (`{"barcodes": […]}`), merged into the answer; an async job
    /// stores them as JSON at the placeholder.
    Data(serde_json::Map<String, serde_json::Value>),
}

/// A finished operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub produced: Produced,
    pub page_count: usize,
    pub duration_ms: u64,
    pub expires_at: i64,
    /// What pages could not show (glyphs no installed font has, text without Unicode); the
    /// operation succeeded nonetheless. At most [`MAX_WARNINGS`].
    pub warnings: Vec<String>,
}

impl Produced {
    /// The stored files' URLs (none for inline answers).
    pub fn urls(&self) -> &[String] {
        match self {
            Produced::Files(urls) => urls,
            Produced::Text(_) | Produced::Info(_) | Produced::Data(_) => &[],
        }
    }
}

/// A finished async job's result, as the worker records it and `/job/check` reads it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JobResult {
    /// The placeholder: the single result file, or a JSON file listing the page URLs.
    pub url: String,
    /// Every result file's URL.
    pub urls: Vec<String>,
    pub page_count: u64,
    /// Milliseconds.
    pub duration: u64,
    /// ISO-8601 UTC.
    pub output_link_valid_till: String,
    pub name: String,
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

/// The rendering options of `profiles` (lenient JSON: quotes, comments, flat or wrapped).
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Profiles {
    pub jpeg_quality: Option<u8>,
    pub color: Option<ColorMode>,
    pub dpi: Option<f32>,
    /// Merge: `RenameMatchingFieldsDuringMerge`.
    pub rename_fields: Option<bool>,
    /// Merge: `GenerateBookmarks`.
    pub bookmarks: Option<bool>,
    /// Optimize: `ImageOptimizationFormat`.
    pub image_format: Option<folio_pdf::ImageFormat>,
    /// Optimize: `ResampleImages`.
    pub resample: Option<bool>,
    /// Optimize: `ResamplingResolution` (DPI).
    pub resampling_dpi: Option<u32>,
    /// Barcodes: `Angle` (degrees, quarter turns).
    pub angle: Option<u32>,
    /// Barcodes: `NarrowBarWidth` (pixels per module).
    pub narrow_bar_width: Option<u32>,
    /// Barcodes: `Options.QRErrorCorrectionLevel`.
    pub qr_correction: Option<folio_barcode::Correction>,
}

impl Profiles {
    pub(crate) fn parse(text: Option<&str>) -> Result<Self, ApiError> {
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
                        "BPP1" => ColorMode::Bw,
                        "BPP8" => ColorMode::Gray,
                        "BPP24" | "BPP32" => ColorMode::Rgb,
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
                "renamematchingfieldsduringmerge" => out.rename_fields = Some(flag(&k, &v)?),
                "generatebookmarks" => out.bookmarks = Some(flag(&k, &v)?),
                "angle" => {
                    out.angle = Some(num.filter(|a| *a >= 0.0 && a.fract() == 0.0).ok_or_else(|| {
                        ApiError::new(Code::ProfilesParsing, format!("Profiles parsing error: Angle must be 0, 90, 180 or 270, got {v}."))
                    })? as u32)
                }
                "imageoptimizationformat" => {
                    out.image_format = Some(match v.as_str().map(|s| s.trim().to_ascii_uppercase()).as_deref() {
                        Some("JPEG" | "JPG") => folio_pdf::ImageFormat::Jpeg,
                        Some("PNG") => folio_pdf::ImageFormat::Png,
                        _ => return Err(ApiError::new(Code::ProfilesParsing, format!("Profiles parsing error: ImageOptimizationFormat must be JPEG or PNG, got {v}."))),
                    })
                }
                "resampleimages" => out.resample = Some(flag(&k, &v)?),
                "resamplingresolution" => {
                    out.resampling_dpi = Some(num.filter(|d| (10.0..=1200.0).contains(d)).ok_or_else(|| {
                        ApiError::new(Code::ProfilesParsing, format!("Profiles parsing error: ResamplingResolution must be a DPI from 10 to 1200, got {v}."))
                    })? as u32)
                }
                "narrowbarwidth" => {
                    out.narrow_bar_width = Some(num.filter(|w| (1.0..=20.0).contains(w)).ok_or_else(|| {
                        ApiError::new(Code::ProfilesParsing, format!("Profiles parsing error: NarrowBarWidth must be 1 to 20 pixels, got {v}."))
                    })? as u32)
                }
                "qrerrorcorrectionlevel" => {
                    out.qr_correction = Some(v.as_str().and_then(folio_barcode::Correction::from_name).ok_or_else(|| {
                        ApiError::new(Code::ProfilesParsing, format!("Profiles parsing error: QRErrorCorrectionLevel must be Low, Medium, Quarter or High, got {v}."))
                    })?)
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

/// A boolean profile: `true`/`false`, also as a string in any case.
fn flag(key: &str, v: &serde_json::Value) -> Result<bool, ApiError> {
    let text = v.as_str().map(|s| s.trim().to_ascii_lowercase());
    match (v.as_bool(), text.as_deref()) {
        (Some(b), _) => Ok(b),
        (_, Some("true")) => Ok(true),
        (_, Some("false")) => Ok(false),
        _ => Err(ApiError::new(
            Code::ProfilesParsing,
            format!("Profiles parsing error: {key} must be true or false, got {v}."),
        )),
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

/// Run a task: load the input, run its operation into the store, write the placeholder (async)
/// and say what was produced. `cancel` stops it between pages.
///
/// The input is fetched *before* a render slot is taken, so a slow remote server holds only its
/// own request, not one of the few slots every conversion needs. With a `deadline` (synchronous
/// requests) a slot not free by then answers 429 (nothing was started: the client may retry),
/// and an operation still running then is stopped and answers 445.
pub async fn run(
    state: &AppState,
    job_id: &str,
    task: &Task,
    progress: Arc<Progress>,
    cancel: Arc<AtomicBool>,
    deadline: Option<tokio::time::Instant>,
) -> Result<Outcome, ApiError> {
    let started = Instant::now();
    let mut inputs = Vec::with_capacity(task.sources.len());
    for source in &task.sources {
        inputs.push(load(state, source).await?);
    }
    let _slot = render_slot(state, deadline).await?;
    let work = run_loaded(state, job_id, task, inputs, &progress, &cancel);
    let (produced, page_count, expires_at, warnings) = match deadline {
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
        produced,
        page_count,
        duration_ms: started.elapsed().as_millis() as u64,
        expires_at,
        warnings,
    })
}

/// What [`run_loaded`] produced: the product, pages, expiry, warnings.
type Ran = (Produced, usize, i64, Vec<String>);

/// The operation proper, once the input is here and a render slot is held.
async fn run_loaded(
    state: &AppState,
    job_id: &str,
    task: &Task,
    inputs: Vec<super::input::Input>,
    progress: &Progress,
    cancel: &AtomicBool,
) -> Result<Ran, ApiError> {
    let (bytes, input_sizes) = payload(state, inputs).await?;
    let expires_at = now_millis() + task.expiration_minutes as i64 * 60_000;
    let rendering = Instant::now();
    let out = Output {
        state,
        job_id,
        task,
        expires_at,
        input_sizes,
    };
    let produced = match &task.operation {
        Operation::Render { format, .. } if *format != Format::Tiff => {
            Produced::Files(out.pages(bytes, progress, cancel).await?)
        }
        Operation::Split | Operation::Attachments => {
            Produced::Files(out.parts(bytes, progress, cancel).await?)
        }
        Operation::Text => out.text(bytes, progress, cancel).await?,
        Operation::Info | Operation::Fields => out.info(bytes).await?,
        Operation::ReadBarcodes { .. } => out.data(bytes, progress, cancel).await?,
        Operation::Barcode { .. } if task.answers_inline() => {
            Produced::Files(vec![out.inline_file(bytes, progress, cancel).await?])
        }
        Operation::Render { .. }
        | Operation::Rotate { .. }
        | Operation::Merge { .. }
        | Operation::DeletePages
        | Operation::Protect { .. }
        | Operation::Unprotect
        | Operation::Optimize { .. }
        | Operation::FromImage
        | Operation::Merge2 { .. }
        | Operation::FromTable { .. }
        | Operation::Barcode { .. } => {
            Produced::Files(vec![out.one_file(bytes, progress, cancel).await?])
        }
    };
    let warnings =
        std::mem::take(&mut *progress.warnings.lock().unwrap_or_else(|e| e.into_inner()));
    // Pages produced (images, text), written (a PDF), or of the input (a split).
    let page_count = match &produced {
        Produced::Info(info) => info.page_count,
        _ => progress.total.load(Ordering::Relaxed) as usize,
    };
    state
        .metrics
        .conversion(page_count, rendering.elapsed(), warnings.len());
    for w in &warnings {
        tracing::warn!(job = %super::naming::job_tag(job_id), "{w}");
    }
    if let Some(token) = &task.placeholder
        && !task.operation.single_file()
    {
        let list = Bytes::from(serde_json::to_vec(produced.urls()).unwrap_or_default());
        out.complete_placeholder(token, list).await?;
    }
    Ok((produced, page_count, expires_at, warnings))
}

/// The inputs' bytes for the sandbox, one after the other, with their sizes when there are
/// several. Together they are one document's worth: `--max-input-mib` bounds the sum.
async fn payload(
    state: &AppState,
    inputs: Vec<super::input::Input>,
) -> Result<(Vec<u8>, Vec<u64>), ApiError> {
    let several = inputs.len() > 1;
    let mut bytes = Vec::new();
    let mut sizes = Vec::new();
    for input in inputs {
        let one = input.into_vec(state).await?;
        sizes.push(one.len() as u64);
        let total = bytes.len() as u64 + one.len() as u64;
        if total > state.config.limits.max_input_bytes {
            return Err(ApiError::new(
                Code::PayloadTooLarge,
                format!(
                    "The source files are larger together than the limit of {} bytes for one request's inputs.",
                    state.config.limits.max_input_bytes
                ),
            ));
        }
        if bytes.is_empty() {
            bytes = one;
        } else {
            bytes.extend_from_slice(&one);
        }
    }
    Ok((bytes, if several { sizes } else { Vec::new() }))
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

/// Where one task's results go: the store, under the task's tokens, recorded and expiring
/// together.
struct Output<'a> {
    state: &'a AppState,
    job_id: &'a str,
    task: &'a Task,
    expires_at: i64,
    /// Sizes of the inputs in the payload, when there are several.
    input_sizes: Vec<u64>,
}

impl Output<'_> {
    /// The job for the sandbox: the task's password and pages, the server's limits.
    fn sandbox_job(&self, kind: JobKind, output_path: Option<std::path::PathBuf>) -> RenderJob {
        let cfg = &self.state.config;
        let options = match &self.task.operation {
            Operation::Render {
                format,
                color,
                dpi,
                jpeg_quality,
            } => RenderOptions {
                format: *format,
                color: *color,
                resolution: Resolution::Dpi(*dpi),
                jpeg_quality: *jpeg_quality,
                threads: cfg.render_threads,
            },
            _ => RenderOptions::default(),
        };
        RenderJob {
            password: self.task.password.clone(),
            pages: self.task.pages.as_str().to_string(),
            options,
            limits: cfg.limits,
            output_path,
            kind,
            input_sizes: self.input_sizes.clone(),
        }
    }

    /// What the sandbox runs for this task.
    fn sandbox_kind(&self) -> JobKind {
        match &self.task.operation {
            Operation::Render { .. } => JobKind::Render,
            Operation::Text => JobKind::Text,
            Operation::Info => JobKind::Info,
            Operation::Rotate { angle } => JobKind::Rotate { angle: *angle },
            Operation::Merge { options } => JobKind::Merge(options.clone()),
            Operation::Split => JobKind::Split,
            Operation::DeletePages => JobKind::DeletePages,
            Operation::Protect { protection } => JobKind::Protect(protection.clone()),
            Operation::Unprotect => JobKind::Unprotect,
            Operation::Optimize { lossy } => JobKind::Optimize(*lossy),
            Operation::FromImage => JobKind::FromImages,
            Operation::Merge2 { options } => JobKind::Merge2(options.clone()),
            Operation::Fields => JobKind::Fields,
            Operation::Attachments => JobKind::Attachments,
            Operation::Barcode { request } => JobKind::Barcode(request.clone()),
            Operation::FromTable { worksheet } => JobKind::FromTable {
                worksheet: *worksheet,
            },
            Operation::ReadBarcodes { kinds } => JobKind::ReadBarcodes {
                kinds: kinds.clone(),
            },
        }
    }

    /// Page images, one file each, stored as they arrive. Dropping this future, or `cancel`,
    /// stops the renderer.
    async fn pages(
        &self,
        bytes: Vec<u8>,
        progress: &Progress,
        cancel: &AtomicBool,
    ) -> Result<Vec<String>, ApiError> {
        let state = self.state;
        let job = self.sandbox_job(JobKind::Render, None);
        let mut run = state.renderer.start(job, bytes).await?;
        let mut urls = Vec::new();
        let mut budget = OutputBudget::new(state);
        while let Some(event) = next_event(&mut run, cancel, progress).await? {
            match event {
                Event::Page(img) => {
                    let name = self.task.file_name(Some(img.page));
                    urls.push(
                        self.store_result(&mut budget, img.seq, &name, img.data)
                            .await?,
                    );
                    progress.done.fetch_add(1, Ordering::Relaxed);
                }
                Event::Warning(w) => warn(progress, w),
                _ => {}
            }
        }
        Ok(urls)
    }

    /// Store result `seq` of several (a page image, a split part) within the output budget,
    /// record it and give its URL.
    async fn store_result(
        &self,
        budget: &mut OutputBudget,
        seq: usize,
        name: &str,
        data: Vec<u8>,
    ) -> Result<String, ApiError> {
        let state = self.state;
        let token = self.task.result_token(self.job_id, seq);
        let size = data.len() as u64;
        budget.admit(state, size).await?;
        state
            .store
            .put(&file_key(&token), Bytes::from(data))
            .await?;
        self.record(&token, name, size).await?;
        download_url(state, &token, name, self.expires_at).await
    }

    /// A spool file for a one-file result that the sandbox writes (swept with the others after a
    /// crash).
    fn output_file(&self) -> Result<tempfile::NamedTempFile, ApiError> {
        tempfile::Builder::new()
            .prefix("spool-out-")
            .tempfile_in(self.state.spool.dir())
            .map_err(|e| ApiError::internal("temporary file", e))
    }

    /// The files of a split (`name-1.pdf`, …) or the embedded files (by their own names), one
    /// result each, stored as they arrive.
    async fn parts(
        &self,
        bytes: Vec<u8>,
        progress: &Progress,
        cancel: &AtomicBool,
    ) -> Result<Vec<String>, ApiError> {
        let state = self.state;
        let mut run = state
            .renderer
            .start(self.sandbox_job(self.sandbox_kind(), None), bytes)
            .await?;
        let mut urls = Vec::new();
        let mut budget = OutputBudget::new(state);
        while let Some(event) = next_event(&mut run, cancel, progress).await? {
            if let Event::Document(part) = event {
                let name = match &part.name {
                    Some(own) => super::naming::sanitize_name(own, "attachment.bin"),
                    None => self.task.file_name(Some(part.seq + 1)),
                };
                urls.push(
                    self.store_result(&mut budget, part.seq, &name, part.data)
                        .await?,
                );
                progress
                    .done
                    .fetch_add(part.page_count as u32, Ordering::Relaxed);
            }
        }
        Ok(urls)
    }

    /// An output that is one file written by the sandbox (a TIFF, a PDF): into a spool file
    /// (swept with the others after a crash), watched against the output budget as it grows,
    /// then stored whole.
    async fn one_file(
        &self,
        bytes: Vec<u8>,
        progress: &Progress,
        cancel: &AtomicBool,
    ) -> Result<String, ApiError> {
        let state = self.state;
        let tmp = self.output_file()?;
        let job = self.sandbox_job(self.sandbox_kind(), Some(tmp.path().to_path_buf()));
        let mut run = state.renderer.start(job, bytes).await?;
        let mut budget = OutputBudget::new(state);
        while let Some(event) = next_event(&mut run, cancel, progress).await? {
            match event {
                Event::FileProgress(n) => {
                    progress.done.store(n as u32, Ordering::Relaxed);
                    budget.admit_total(state, file_size(tmp.path())).await?;
                }
                Event::Warning(w) => warn(progress, w),
                _ => {}
            }
        }
        let token = self.single_file_token();
        let size = file_size(tmp.path());
        budget.admit_total(state, size).await?;
        state.store.put_file(&file_key(&token), tmp.path()).await?;
        self.single_file_stored(&token, size).await
    }

    /// The selected pages' text in the sandbox (text interprets the same hostile content
    /// streams rendering does), joined with form feeds. Stored as one `.txt`, unless a
    /// synchronous request asked for it inline: then nothing is stored.
    async fn text(
        &self,
        bytes: Vec<u8>,
        progress: &Progress,
        cancel: &AtomicBool,
    ) -> Result<Produced, ApiError> {
        let state = self.state;
        let mut run = state
            .renderer
            .start(self.sandbox_job(JobKind::Text, None), bytes)
            .await?;
        let mut text = String::new();
        let inline = self.task.answers_inline();
        let mut budget = match inline {
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
                _ => {}
            }
        }
        if inline {
            return Ok(Produced::Text(text));
        }
        let token = self.single_file_token();
        let size = text.len() as u64;
        state
            .store
            .put(&file_key(&token), Bytes::from(text))
            .await?;
        Ok(Produced::Files(vec![
            self.single_file_stored(&token, size).await?,
        ]))
    }

    /// A data answer from the sandbox (the barcodes found): `{"barcodes": […]}`; an async job
    /// stores it as JSON at its placeholder.
    async fn data(
        &self,
        bytes: Vec<u8>,
        progress: &Progress,
        cancel: &AtomicBool,
    ) -> Result<Produced, ApiError> {
        let mut run = self
            .state
            .renderer
            .start(self.sandbox_job(self.sandbox_kind(), None), bytes)
            .await?;
        let mut list = serde_json::Value::Array(Vec::new());
        while let Some(event) = next_event(&mut run, cancel, progress).await? {
            match event {
                Event::Data(json) => {
                    list = serde_json::from_slice(&json)
                        .map_err(|e| ApiError::internal("the sandbox's answer", e))?
                }
                Event::FileProgress(n) => progress.done.store(n as u32, Ordering::Relaxed),
                _ => {}
            }
        }
        let mut fields = serde_json::Map::new();
        fields.insert("barcodes".into(), list);
        if let Some(token) = &self.task.placeholder {
            let data = serde_json::to_vec(&fields)
                .map_err(|e| ApiError::internal("the data answer", e))?;
            self.complete_placeholder(token, Bytes::from(data)).await?;
        }
        Ok(Produced::Data(fields))
    }

    /// A one-file result answered in the response as a `data:` URI (a synchronous barcode with
    /// `inline=true`): nothing is stored.
    async fn inline_file(
        &self,
        bytes: Vec<u8>,
        progress: &Progress,
        cancel: &AtomicBool,
    ) -> Result<String, ApiError> {
        let tmp = self.output_file()?;
        let job = self.sandbox_job(self.sandbox_kind(), Some(tmp.path().to_path_buf()));
        let mut run = self.state.renderer.start(job, bytes).await?;
        while next_event(&mut run, cancel, progress).await?.is_some() {}
        let data = tokio::fs::read(tmp.path())
            .await
            .map_err(|e| ApiError::internal("reading the result", e))?;
        use base64::Engine;
        Ok(format!(
            "data:image/png;base64,{}",
            base64::engine::general_purpose::STANDARD.encode(data)
        ))
    }

    /// A document's information; an async job stores it as JSON at its placeholder.
    async fn info(&self, bytes: Vec<u8>) -> Result<Produced, ApiError> {
        let state = self.state;
        let info = state
            .renderer
            .info(self.sandbox_job(self.sandbox_kind(), None), bytes)
            .await?;
        if let Some(token) = &self.task.placeholder {
            let data = serde_json::to_vec(&crate::answers::PdfInfo::of(&info))
                .map_err(|e| ApiError::internal("document information", e))?;
            self.complete_placeholder(token, Bytes::from(data)).await?;
        }
        Ok(Produced::Info(Box::new(info)))
    }

    /// Write an async job's placeholder file (written last: it exists only for a whole result).
    async fn complete_placeholder(&self, token: &str, body: Bytes) -> Result<(), ApiError> {
        let size = body.len() as u64;
        self.state.store.put(&file_key(token), body).await?;
        self.state
            .files
            .mark_result_stored(token, size, now_millis())
            .await?;
        Ok(())
    }

    /// Record a stored result; a re-run after a crash records the same token again, harmlessly.
    async fn record(&self, token: &str, name: &str, size: u64) -> Result<(), ApiError> {
        let rec = file_record(token, name, Some(size), Some(self.job_id), self.expires_at);
        match self.state.files.insert_file(rec).await {
            Ok(()) | Err(RepoError::Duplicate(_)) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }

    /// Where a single-file result goes: the async placeholder, else a token of the job.
    fn single_file_token(&self) -> String {
        self.task
            .placeholder
            .clone()
            .unwrap_or_else(|| self.task.result_token(self.job_id, 0))
    }

    /// Record a single-file result just stored under `token` (completing the async
    /// placeholder's record, or a new one) and give its URL.
    async fn single_file_stored(&self, token: &str, size: u64) -> Result<String, ApiError> {
        let name = self.task.file_name(None);
        if self.task.placeholder.is_some() {
            self.state
                .files
                .mark_result_stored(token, size, now_millis())
                .await?;
        } else {
            self.record(token, &name, size).await?;
        }
        download_url(self.state, token, &name, self.expires_at).await
    }
}

/// The next output of a sandbox run (a page, its text, file progress), unless the task was
/// cancelled meanwhile. The run's start, which says how many pages will come, is recorded in
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn profiles_shapes_and_leniency() {
        let p = Profiles::parse(Some("{ 'ImageBitsPerPixel': 'BPP1' }")).unwrap();
        assert_eq!(p.color, Some(ColorMode::Bw));
        let p = Profiles::parse(Some(
            r#"{ "profiles": [ { "profile1": { "JPEGQuality": "40", /* comment */ "imagebitsperpixel": "bpp8" } } ] }"#,
        ))
        .unwrap();
        assert_eq!((p.jpeg_quality, p.color), (Some(40), Some(ColorMode::Gray)));
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
