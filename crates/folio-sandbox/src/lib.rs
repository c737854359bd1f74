//! Folio's render sandbox: one conversion (open, select pages, render, encode) run under a
//! wall-clock budget per page and, in worker processes, a memory and CPU ceiling.
//!
//! Why processes: the engine (`hayro`) has no cancellation hook, and a hostile document can make a
//! page render for hours (forms nested ten deep, each drawing the next ten times, is a few hundred
//! bytes) or allocate until the machine swaps. A thread cannot be stopped from outside; a process
//! can. So the server renders in a small pool of `folio render-worker` processes that it
//! supervises: it sends a job (the PDF bytes and options) down the worker's stdin, reads pages
//! back from its stdout, and kills the worker when no page arrives within the budget, or when the
//! job is cancelled. A killed or crashed worker is replaced by a fresh one on the next job; the
//! other conversions, in other workers, go on. Each worker limits its own writable memory
//! (`RLIMIT_DATA`) and CPU time (`RLIMIT_CPU`, re-armed per job) and dies with its parent.
//!
//! [`Isolation::InProcess`] keeps the old path (threads in the server) for platforms or setups
//! where spawning processes is unwanted: the budget is still reported as a timeout, but the
//! thread of a runaway page keeps running until it ends on its own.

mod pool;
mod protocol;
mod worker;

use std::path::PathBuf;
use std::time::Duration;

use folio_render::{
    Code, DocInfo, Document, Format, Limits, PageGeometry, PageImage, PageSpec, RenderOptions,
};
use serde::{Deserialize, Serialize};

pub use pool::{Renderer, Run};
pub use worker::{WorkerOptions, worker_main};

/// One conversion to run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RenderJob {
    /// User password, empty for none.
    pub password: String,
    /// The PDF.co `pages` selection (empty = all pages).
    pub pages: String,
    pub options: RenderOptions,
    pub limits: Limits,
    /// For outputs that are one file (a TIFF, a PDF): the local file it is written to (created
    /// by the caller), so that a large result never crosses the pipe in one frame.
    pub output_path: Option<PathBuf>,
    /// Render images (as `options` say) or extract text.
    #[serde(default)]
    pub kind: JobKind,
    /// Several inputs (a merge): the payload is their bytes one after the other, these long.
    /// Empty: the payload is one document.
    #[serde(default)]
    pub input_sizes: Vec<u64>,
}

/// What a job produces. Text runs in the sandbox too: reading a page's text interprets its whole
/// content stream, which a hostile document can make as slow or as hungry as rendering it. So
/// does [`JobKind::Info`]: opening a document inflates its object streams, and a megabyte of them
/// can inflate to gigabytes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobKind {
    #[default]
    Render,
    Text,
    /// Page count, metadata and first page geometry ([`Event::Info`]); `pages` is ignored.
    Info,
    /// The selected pages turned clockwise by `angle` degrees (a multiple of 90), written as a
    /// new PDF to `output_path`. Rewriting a document parses all of it, so it runs here too.
    Rotate {
        angle: i64,
    },
    /// The inputs (`input_sizes`) joined into one PDF at `output_path`.
    Merge(folio_pdf::MergeOptions),
    /// One PDF per item of the 1-based `pages` (one per page when empty), each sent back as
    /// [`Event::Document`].
    Split,
    /// The PDF without the pages of the 1-based `pages`, at `output_path`.
    DeletePages,
    /// The PDF encrypted, at `output_path`.
    Protect(folio_pdf::Protection),
    /// The PDF decrypted with `password`, at `output_path`.
    Unprotect,
    /// The PDF made smaller (without visible change unless `Lossy` asks), at `output_path`.
    Optimize(folio_pdf::Lossy),
    /// The inputs (images) as one PDF of one page per image or frame, at `output_path`.
    FromImages,
    /// Like [`JobKind::Merge`], with images among the inputs (a page each).
    Merge2(folio_pdf::MergeOptions),
    /// [`JobKind::Info`] with the form's fields.
    Fields,
    /// The embedded files, each sent back as [`Event::Document`] with its name.
    Attachments,
    /// A CSV or a spreadsheet's sheet `worksheet` (0-based) laid out as a table, a PDF at
    /// `output_path`.
    FromTable {
        worksheet: usize,
    },
    /// A barcode drawn as a PNG at `output_path`; the payload is the logo image, or empty.
    Barcode(folio_barcode::Request),
    /// The barcodes of these kinds (names; empty = all) on the selected pages of a PDF, or in
    /// an image: one [`Event::Data`] with the JSON list.
    ReadBarcodes {
        kinds: Vec<String>,
    },
}

impl JobKind {
    /// A kind that writes one new file to `output_path` (rather than pages, text or data).
    pub fn writes_file(&self) -> bool {
        matches!(
            self,
            JobKind::Rotate { .. }
                | JobKind::Merge(_)
                | JobKind::DeletePages
                | JobKind::Protect(_)
                | JobKind::Unprotect
                | JobKind::Optimize(_)
                | JobKind::FromImages
                | JobKind::Merge2(_)
                | JobKind::Barcode(_)
                | JobKind::FromTable { .. }
        )
    }
}

/// What `/pdf/info` reports about a document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentInfo {
    pub page_count: usize,
    /// Metadata strings are cut at [`MAX_INFO_CHARS`] characters each.
    pub info: DocInfo,
    pub first_page: PageGeometry,
    /// The file has an `/Encrypt` entry (also when it opens without a password).
    pub encrypted: bool,
    /// The form's fields ([`JobKind::Fields`] only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<Vec<folio_pdf::FormField>>,
}

/// Longest metadata string reported: a hostile `/Title` can be hundreds of megabytes, which the
/// server would otherwise receive, hold and answer whole.
pub const MAX_INFO_CHARS: usize = 4096;

/// What a running conversion reports, in this order: `Started`, then pages or TIFF progress.
#[derive(Debug, Clone)]
pub enum Event {
    /// The document opened; these page indices will be produced, in this order.
    Started { pages: Vec<usize> },
    /// One encoded page (PNG, JPEG, WebP).
    Page(PageImage),
    /// Pages written into the output file (TIFF, PDF) so far.
    FileProgress(usize),
    /// The text of one page (text jobs), in selection order.
    Text(PageText),
    /// One whole file of several (a split's PDFs, embedded files), in order from `seq` 0.
    Document(Part),
    /// The answer of an info job (its only event).
    Info(Box<DocumentInfo>),
    /// A data answer as JSON (the barcodes found).
    Data(Vec<u8>),
    /// What the page that comes next could not show ("page 0: 5 glyphs of font MS-Mincho not
    /// drawn: …"). Sent before that page; the conversion still succeeds.
    Warning(String),
}

/// One page's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageText {
    /// Position in the selection (0 = first page produced).
    pub seq: usize,
    /// 0-based page index in the document.
    pub page: usize,
    pub text: String,
}

/// One output file of several.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub seq: usize,
    /// Pages in it (a PDF); 0 for other files.
    pub page_count: usize,
    /// The file's own name (an embedded file's), when it has one.
    pub name: Option<String>,
    pub data: Vec<u8>,
}

/// Why a conversion did not finish: a PDF.co error code and a message for the person who sent
/// the document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Failure {
    pub code: Code,
    pub message: String,
}

impl Failure {
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.code, self.message)
    }
}

impl std::error::Error for Failure {}

impl From<folio_render::Error> for Failure {
    fn from(e: folio_render::Error) -> Self {
        Self::new(e.code(), e.to_string())
    }
}

/// Where conversions run.
#[derive(Debug, Clone, PartialEq)]
pub enum Isolation {
    /// On threads of this process: no process overhead, no way to stop a runaway page.
    InProcess,
    /// In supervised worker processes started as `program args…` (the `folio` binary with
    /// `render-worker`), which speak the protocol of [`worker_main`] on stdin/stdout.
    Processes {
        program: PathBuf,
        args: Vec<String>,
        /// The whole environment of the workers (allocator settings, backtraces off): nothing of
        /// the server's own is passed on.
        env: Vec<(String, String)>,
        /// A worker is retired after this many jobs, so a slow leak or heap fragmentation in
        /// the engine cannot grow without bound.
        jobs_per_worker: u32,
    },
}

/// How the [`Renderer`] runs and polices conversions.
#[derive(Debug, Clone, PartialEq)]
pub struct SandboxConfig {
    pub isolation: Isolation,
    /// Longest wait for the next page (or for the document to open). Past it the worker is
    /// killed and the conversion fails with 445.
    pub page_timeout: Duration,
    /// CPU seconds one job may use in a worker (all its threads together) before the kernel
    /// stops the worker: a backstop should the server itself hang and not enforce the budget.
    pub job_cpu_seconds: u64,
}

/// Run `job` on `pdf` here, on this thread and the render threads it starts, reporting each step
/// to `emit`. When `emit` returns false (nobody listens any more) the conversion stops.
///
/// This is the one conversion routine: the in-process renderer calls it on a blocking thread and
/// each worker process calls it for each job it receives.
pub fn execute(
    job: &RenderJob,
    pdf: Vec<u8>,
    mut emit: impl FnMut(Event) -> bool,
) -> Result<(), Failure> {
    let stopped = || folio_render::Error::Output("the conversion was stopped".into());
    if matches!(job.kind, JobKind::Info | JobKind::Fields) {
        let info = document_info(pdf, job)?;
        return if emit(Event::Info(Box::new(info))) {
            Ok(())
        } else {
            Err(stopped().into())
        };
    }
    if let JobKind::ReadBarcodes { kinds } = &job.kind {
        return read_barcodes(job, pdf, kinds, &mut emit);
    }
    if job.kind.writes_file() || matches!(job.kind, JobKind::Split | JobKind::Attachments) {
        return pdf_tool(job, pdf, &mut emit);
    }
    let doc = Document::open(pdf, &job.password, &job.limits)?;
    let pages = PageSpec::parse(&job.pages)?.resolve(doc.page_count(), job.limits.max_pages)?;
    if !emit(Event::Started {
        pages: pages.clone(),
    }) {
        return Err(stopped().into());
    }
    if job.kind == JobKind::Text {
        for (seq, &page) in pages.iter().enumerate() {
            let (text, warnings) = doc.page_text_and_warnings(page)?;
            let listening = warnings.into_iter().all(|w| emit(Event::Warning(w)));
            if !listening || !emit(Event::Text(PageText { seq, page, text })) {
                return Err(stopped().into());
            }
        }
        return Ok(());
    }
    if job.options.format == Format::Tiff {
        let file = output_file(job)?;
        let mut out = std::io::BufWriter::new(file);
        let mut listening = true;
        folio_render::convert_tiff(
            &doc,
            &pages,
            &job.options,
            &job.limits,
            &mut out,
            |n, warnings| {
                for w in warnings {
                    listening = listening && emit(Event::Warning(w));
                }
                listening = listening && emit(Event::FileProgress(n));
            },
        )?;
        use std::io::Write;
        out.flush().map_err(folio_render::Error::from)?;
        return if listening {
            Ok(())
        } else {
            Err(stopped().into())
        };
    }
    folio_render::convert(&doc, &pages, &job.options, &job.limits, |img| {
        let mut img = img?;
        let listening = std::mem::take(&mut img.warnings)
            .into_iter()
            .all(|w| emit(Event::Warning(w)));
        if listening && emit(Event::Page(img)) {
            Ok(())
        } else {
            Err(stopped())
        }
    })?;
    Ok(())
}

/// The file a one-file output is written to.
fn output_file(job: &RenderJob) -> Result<std::fs::File, Failure> {
    let path = job
        .output_path
        .as_ref()
        .ok_or_else(|| Failure::new(Code::Internal, "no output file was given"))?;
    Ok(std::fs::File::create(path).map_err(folio_render::Error::from)?)
}

/// The kinds that rewrite documents (folio-pdf). A new PDF goes to the output file, split parts
/// are sent back one by one; `Started` names the pages of the input (what `pageCount` answers).
fn pdf_tool(
    job: &RenderJob,
    input: Vec<u8>,
    emit: &mut impl FnMut(Event) -> bool,
) -> Result<(), Failure> {
    use folio_render::Base;
    let stopped = || {
        Failure::from(folio_render::Error::Output(
            "the conversion was stopped".into(),
        ))
    };
    job.limits.check_input_size(input.len() as u64)?;
    let (password, max) = (job.password.as_str(), job.limits.max_pages);
    let one_based = || PageSpec::parse_based(&job.pages, Base::One);
    let written = match &job.kind {
        JobKind::Rotate { angle } => {
            folio_pdf::rotate(&input, password, &PageSpec::parse(&job.pages)?, max, *angle)?
        }
        JobKind::Merge(options) => {
            let inputs = split_inputs(&input, &job.input_sizes)?;
            folio_pdf::merge(&inputs, password, options, max)?
        }
        JobKind::DeletePages => {
            let spec = one_based()?;
            folio_pdf::delete_pages(&input, password, |n| spec.resolve(n, max))?
        }
        JobKind::Protect(protection) => folio_pdf::protect(&input, password, protection)?,
        JobKind::Unprotect => folio_pdf::unprotect(&input, password)?,
        JobKind::Optimize(lossy) => folio_pdf::optimize(&input, password, lossy)?.written,
        JobKind::FromImages => {
            let inputs = split_inputs(&input, &job.input_sizes)?;
            folio_pdf::images_to_pdf(&inputs, image_limits(&job.limits))?
        }
        JobKind::Merge2(options) => {
            let inputs = split_inputs(&input, &job.input_sizes)?;
            folio_pdf::merge_mixed(&inputs, password, options, image_limits(&job.limits))?
        }
        JobKind::Attachments => {
            let files = folio_pdf::attachments(&input, password, job.limits.max_input_bytes)?;
            drop(input);
            if !emit(Event::Started { pages: Vec::new() }) {
                return Err(stopped());
            }
            for (seq, file) in files.into_iter().enumerate() {
                let part = Part {
                    seq,
                    page_count: 0,
                    name: Some(file.name),
                    data: file.data,
                };
                if !emit(Event::Document(part)) {
                    return Err(stopped());
                }
            }
            return Ok(());
        }
        JobKind::Split => {
            let spec = one_based()?;
            let mut input_pages = 0;
            let parts = folio_pdf::split(&input, password, |n| {
                input_pages = n;
                spec.resolve_groups(n, max)
            })?;
            drop(input);
            if !emit(Event::Started {
                pages: (0..input_pages).collect(),
            }) {
                return Err(stopped());
            }
            for (seq, part) in parts.into_iter().enumerate() {
                let part = Part {
                    seq,
                    page_count: part.page_count,
                    name: None,
                    data: part.pdf,
                };
                if !emit(Event::Document(part)) {
                    return Err(stopped());
                }
            }
            return Ok(());
        }
        JobKind::FromTable { worksheet } => {
            let limits = folio_pdf::TableLimits {
                max_cells: MAX_TABLE_CELLS,
                max_pages: max,
            };
            let rows = folio_pdf::read_table(&input, *worksheet, limits)?;
            folio_pdf::table_to_pdf(&rows, limits)?
        }
        JobKind::Barcode(request) => {
            let logo = (!input.is_empty()).then_some(input.as_slice());
            let png = folio_barcode::generate(request, logo)
                .map_err(|e| folio_render::Error::InvalidOption(e.to_string()))?;
            folio_pdf::Written {
                pdf: png,
                page_count: 1,
            }
        }
        JobKind::Render
        | JobKind::Text
        | JobKind::Info
        | JobKind::Fields
        | JobKind::ReadBarcodes { .. } => {
            return Err(Failure::new(Code::Internal, "not a PDF tool job"));
        }
    };
    drop(input);
    use std::io::Write;
    let mut file = output_file(job)?;
    file.write_all(&written.pdf)
        .and_then(|()| file.flush())
        .map_err(folio_render::Error::from)?;
    if emit(Event::Started {
        pages: (0..written.page_count).collect(),
    }) && emit(Event::FileProgress(written.page_count))
    {
        Ok(())
    } else {
        Err(stopped())
    }
}

/// Most cells of a table laid out (`/pdf/convert/from/csv`): a million-row CSV is refused
/// while it is read, not after pages of it were made.
pub const MAX_TABLE_CELLS: usize = 500_000;

/// Resolution PDF pages are rendered at to look for barcodes: narrow bars of printed codes
/// are a few tenths of a millimetre.
const BARCODE_DPI: f32 = 200.0;

/// [`JobKind::ReadBarcodes`]: render each selected page in grey (or decode the image) and
/// search it; rectangles in points for pages, pixels for images.
fn read_barcodes(
    job: &RenderJob,
    input: Vec<u8>,
    kinds: &[String],
    emit: &mut impl FnMut(Event) -> bool,
) -> Result<(), Failure> {
    let stopped = || Failure::from(folio_render::Error::Output("the search was stopped".into()));
    let formats = kinds
        .iter()
        .map(|k| folio_barcode::kind(k))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| folio_render::Error::InvalidOption(e.to_string()))?;
    let mut found = Vec::new();
    if folio_pdf::is_pdf(&input) {
        let doc = Document::open(input, &job.password, &job.limits)?;
        let pages = PageSpec::parse(&job.pages)?.resolve(doc.page_count(), job.limits.max_pages)?;
        if !emit(Event::Started {
            pages: pages.clone(),
        }) {
            return Err(stopped());
        }
        for (done, &page) in pages.iter().enumerate() {
            let raster = doc.render_page(
                page,
                folio_render::Resolution::Dpi(BARCODE_DPI),
                folio_render::ColorMode::Gray,
                &job.limits,
            )?;
            let folio_render::Pixels::Gray(luma) = raster.pixels else {
                return Err(Failure::new(Code::Internal, "a grey render was not grey"));
            };
            let scale = 72.0 / f64::from(BARCODE_DPI);
            found.extend(folio_barcode::read(
                luma,
                raster.width,
                raster.height,
                &formats,
                page,
                scale,
            ));
            if !emit(Event::FileProgress(done + 1)) {
                return Err(stopped());
            }
        }
    } else {
        let (luma, w, h) = folio_barcode::image_luma(&input, job.limits.max_page_pixels)
            .map_err(|e| folio_render::Error::InvalidOption(e.to_string()))?;
        drop(input);
        if !emit(Event::Started { pages: vec![0] }) {
            return Err(stopped());
        }
        found = folio_barcode::read(luma, w, h, &formats, 0, 1.0);
    }
    let json = serde_json::to_vec(&found)
        .map_err(|e| Failure::new(Code::Internal, format!("barcode list: {e}")))?;
    if emit(Event::Data(json)) {
        Ok(())
    } else {
        Err(stopped())
    }
}

/// What images may make a worker decode: a page's pixels, the job's pages.
fn image_limits(limits: &Limits) -> folio_pdf::ImageLimits {
    folio_pdf::ImageLimits {
        max_pixels: limits.max_page_pixels,
        max_pages: limits.max_pages,
    }
}

/// The documents of a several-input payload.
fn split_inputs<'a>(payload: &'a [u8], sizes: &[u64]) -> Result<Vec<&'a [u8]>, Failure> {
    if sizes.is_empty() {
        return Ok(vec![payload]);
    }
    let mut inputs = Vec::with_capacity(sizes.len());
    let mut rest = payload;
    for &size in sizes {
        let (one, tail) = usize::try_from(size)
            .ok()
            .and_then(|n| rest.split_at_checked(n))
            .ok_or_else(|| Failure::new(Code::Internal, "the inputs do not add up"))?;
        inputs.push(one);
        rest = tail;
    }
    Ok(inputs)
}

fn document_info(pdf: Vec<u8>, job: &RenderJob) -> Result<DocumentInfo, Failure> {
    // A heuristic on the raw bytes: files with an empty user password open without one, and the
    // engine does not say whether it decrypted.
    let encrypted = pdf.windows(8).any(|w| w == b"/Encrypt");
    // Fields are read by the writing layer (lopdf). A file only the renderer can open still
    // answers its information, with no fields; a wrong password is the same 441 either way.
    let fields = match job.kind {
        JobKind::Fields => match folio_pdf::form_fields(&pdf, &job.password) {
            Ok(fields) => Some(fields),
            Err(e @ folio_render::Error::InvalidPassword { .. }) => return Err(e.into()),
            Err(_) => Some(Vec::new()),
        },
        _ => None,
    };
    let doc = Document::open(pdf, &job.password, &job.limits)?;
    let cut = |v: Option<String>| v.map(|s| s.chars().take(MAX_INFO_CHARS).collect());
    let m = doc.info();
    Ok(DocumentInfo {
        page_count: doc.page_count(),
        info: DocInfo {
            title: cut(m.title),
            author: cut(m.author),
            subject: cut(m.subject),
            keywords: cut(m.keywords),
            creator: cut(m.creator),
            producer: cut(m.producer),
            ..m
        },
        first_page: doc.geometry(0),
        encrypted,
        fields,
    })
}
