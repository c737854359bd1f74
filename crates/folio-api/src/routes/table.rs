//! The route table: every path the server answers, once. Each row says which methods go to which
//! handler, who may call it (key, capability URL, open) and how it is documented. The router
//! ([`super::router`]), the API-key layer and the OpenAPI document ([`crate::openapi`]) are all
//! built from these rows, so they cannot disagree.
//!
//! An operation endpoint is one [`operation`] row: its handler is [`queue::submit`] with the
//! row's [`OperationKind`].

use std::sync::Arc;

use axum::extract::State;
use axum::routing::{MethodFilter, MethodRouter, on};
use folio_render::{Code, Format};
use utoipa::openapi::path::HttpMethod;
use utoipa::{IntoParams, ToSchema};

use super::{account, files, jobs, page, probes, upload};
use crate::AppState;
use crate::openapi::{Input, schema::*};
use crate::params::Params;
use crate::queue;
use crate::service::task::OperationKind;

/// Builds the method router of one method of a row.
pub(crate) type Handler = Arc<dyn Fn(MethodFilter) -> MethodRouter<AppState> + Send + Sync>;

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Access {
    /// Needs `x-api-key` when the server has API keys.
    Keyed,
    /// A capability URL (a file, an upload URL) or the web page: the URL itself is the right to
    /// use it. No key, but the API's request layers (HEAD, fetch loops) apply.
    Capability,
    /// Load balancers, scrapers, readers of the docs: no key, no API layers.
    Open,
}

/// One path.
pub(crate) struct Route {
    pub path: &'static str,
    /// Methods in documentation order, each with its handler.
    pub handlers: Vec<(HttpMethod, Handler)>,
    pub access: Access,
    pub tag: &'static str,
    pub summary: &'static str,
    pub input: Input,
    /// Media type and schema name of the 200 answer (`None`: the media type's raw bytes).
    pub ok: (&'static str, Option<&'static str>),
    /// Codes answered in the error envelope.
    pub errors: &'static [Code],
    /// When set, 503 also answers with the success body, for this reason (`/ready`: a load
    /// balancer reads the body, not an error envelope).
    pub unavailable: Option<&'static str>,
}

impl Route {
    /// The methods this path answers (HEAD goes with GET).
    pub fn methods(&self) -> impl Iterator<Item = &HttpMethod> {
        self.handlers.iter().map(|(m, _)| m)
    }
}

pub(crate) const JSON: &str = "application/json";
/// Stored files keep the content type they were uploaded or rendered with.
const ANY: &str = "*/*";
const GET_POST: &[HttpMethod] = &[HttpMethod::Get, HttpMethod::Post];

/// Every way an operation can fail before or while it runs.
const OPERATION_ERRORS: &[Code] = &[
    Code::BadRequest,
    Code::Unauthorized,
    Code::Forbidden,
    Code::NotFound,
    Code::RequestTimeout,
    Code::PayloadTooLarge,
    Code::TooManyRequests,
    Code::InvalidPassword,
    Code::Damaged,
    Code::ProfilesParsing,
    Code::Timeout,
    Code::InvalidIndexRange,
    Code::InvalidPageRange,
    Code::InvalidUrl,
    Code::InsufficientStorage,
];

/// The same handler on each of `methods`.
fn each(methods: &[HttpMethod], handler: Handler) -> Vec<(HttpMethod, Handler)> {
    methods
        .iter()
        .map(|m| (m.clone(), handler.clone()))
        .collect()
}

/// A keyed GET/POST endpoint taking lenient parameters `P` and answering JSON schema `ok`.
fn api<P: IntoParams + ToSchema>(
    path: &'static str,
    tag: &'static str,
    summary: &'static str,
    ok: &'static str,
    errors: &'static [Code],
    handler: Handler,
) -> Route {
    Route {
        path,
        handlers: each(GET_POST, handler),
        access: Access::Keyed,
        tag,
        summary,
        input: Input::lenient::<P>(),
        ok: (JSON, Some(ok)),
        errors,
        unavailable: None,
    }
}

/// An operation: GET/POST with lenient parameters `P`, run by [`queue::submit`] sync or async.
fn operation<P: IntoParams + ToSchema>(
    path: &'static str,
    tag: &'static str,
    summary: &'static str,
    kind: OperationKind,
    ok: &'static str,
) -> Route {
    let handler: Handler = Arc::new(move |m| {
        on(m, move |State(s): State<AppState>, p: Params| {
            queue::submit(s, kind, p)
        })
    });
    api::<P>(path, tag, summary, ok, OPERATION_ERRORS, handler)
}

/// A GET without parameters or key.
fn open(
    path: &'static str,
    summary: &'static str,
    ok: (&'static str, Option<&'static str>),
    handler: Handler,
) -> Route {
    Route {
        path,
        handlers: vec![(HttpMethod::Get, handler)],
        access: Access::Open,
        tag: "Operations",
        summary,
        input: Input::None,
        ok,
        errors: &[],
        unavailable: None,
    }
}

/// A handler from an axum handler function.
macro_rules! h {
    ($f:expr) => {
        Arc::new(|m| on(m, $f)) as Handler
    };
}

pub(crate) fn table() -> Vec<Route> {
    use OperationKind::*;
    let image = |path, summary, format| {
        operation::<ConvertParams>(path, "Convert", summary, Image(format), "Conversion")
    };
    vec![
        image(
            "/pdf/convert/to/png",
            "PDF pages to PNG images",
            Format::Png,
        ),
        image(
            "/pdf/convert/to/jpg",
            "PDF pages to JPEG images",
            Format::Jpeg,
        ),
        image(
            "/pdf/convert/to/webp",
            "PDF pages to WebP images",
            Format::Webp,
        ),
        image(
            "/pdf/convert/to/tiff",
            "PDF pages to one multi-page TIFF",
            Format::Tiff,
        ),
        operation::<ConvertParams>(
            "/pdf/convert/to/text",
            "Convert",
            "PDF text, pages separated by form feeds",
            Text,
            "Conversion",
        ),
        operation::<ConvertParams>(
            "/pdf/convert/to/text-simple",
            "Convert",
            "PDF.co's plain-text variant: the same text as /pdf/convert/to/text",
            Text,
            "Conversion",
        ),
        operation::<InfoParams>(
            "/pdf/info",
            "Convert",
            "Page count, metadata and page size (async: `url` serves the `info` object as JSON)",
            Info,
            "Info",
        ),
        operation::<RotateParams>(
            "/pdf/edit/rotate",
            "Edit",
            "Turn pages clockwise by 90, 180 or 270 degrees (added to their rotation), into a new PDF",
            Rotate,
            "Conversion",
        ),
        operation::<MergeParams>(
            "/pdf/merge",
            "Assemble",
            "Join PDFs (a comma-separated `url`) into one, keeping forms and outlines",
            Merge,
            "Conversion",
        ),
        operation::<SplitParams>(
            "/pdf/split",
            "Assemble",
            "One PDF per 1-based `pages` item (`1-2,3-`), or per page (`*`, empty): `urls`",
            Split,
            "Conversion",
        ),
        operation::<DeletePagesParams>(
            "/pdf/edit/delete-pages",
            "Assemble",
            "The PDF without the 1-based `pages`",
            DeletePages,
            "Conversion",
        ),
        operation::<Merge2Params>(
            "/pdf/merge2",
            "Assemble",
            "Join PDFs and images (a comma-separated `url`) into one PDF",
            Merge2,
            "Conversion",
        ),
        operation::<OptimizeParams>(
            "/pdf/optimize",
            "Edit",
            "The same pages in fewer bytes (lossless; never larger than the input)",
            Optimize,
            "Conversion",
        ),
        operation::<OptimizeParams>(
            "/v2/pdf/compress",
            "Edit",
            "PDF.co's newer name of /pdf/optimize",
            Optimize,
            "Conversion",
        ),
        operation::<InfoParams>(
            "/pdf/info/fields",
            "Convert",
            "The /pdf/info answer with the form fields in `info.FieldsInfo.Fields`",
            Fields,
            "Info",
        ),
        operation::<InfoParams>(
            "/pdf/attachments/extract",
            "Convert",
            "The embedded files, one URL each in `urls` (none: an empty list)",
            Attachments,
            "Conversion",
        ),
        operation::<FromImageParams>(
            "/pdf/convert/from/image",
            "Create",
            "Images (a comma-separated `url`) to one PDF, a page per image or TIFF frame",
            FromImage,
            "Conversion",
        ),
        operation::<FromCsvParams>(
            "/pdf/convert/from/csv",
            "Create",
            "A CSV, XLS, XLSX or ODS table to a PDF (header on every page, text searchable)",
            FromTable,
            "Conversion",
        ),
        operation::<BarcodeGenerateParams>(
            "/barcode/generate",
            "Barcodes",
            "A barcode (QR, DataMatrix, PDF417, Aztec, Code128/39/93, EAN, UPC, ITF, Codabar) as a PNG",
            Barcode,
            "Conversion",
        ),
        operation::<BarcodeReadParams>(
            "/barcode/read/from/url",
            "Barcodes",
            "The barcodes on the pages of a PDF or in an image: `barcodes[]`",
            ReadBarcodes,
            "Barcodes",
        ),
        operation::<SecurityAddParams>(
            "/pdf/security/add",
            "Security",
            "Protect a PDF with passwords (RC4 40/128, AES-128, AES-256) and permissions",
            Protect,
            "Conversion",
        ),
        operation::<SecurityRemoveParams>(
            "/pdf/security/remove",
            "Security",
            "The PDF opened with its user or owner password and written unencrypted",
            Unprotect,
            "Conversion",
        ),
        api::<PresignParams>(
            "/file/upload/get-presigned-url",
            "Files",
            "A URL to PUT a file to, and the URL it will be served at",
            "Presigned",
            &[
                Code::BadRequest,
                Code::Unauthorized,
                Code::InsufficientStorage,
            ],
            h!(upload::presigned),
        ),
        Route {
            path: "/file/upload",
            handlers: vec![(HttpMethod::Post, h!(upload::multipart))],
            access: Access::Keyed,
            tag: "Files",
            summary: "Upload a file in a multipart body",
            input: Input::Body {
                schema: Some("MultipartUpload"),
                media: &["multipart/form-data"],
            },
            ok: (JSON, Some("Uploaded")),
            errors: UPLOAD_ERRORS,
            unavailable: None,
        },
        Route {
            path: "/file/upload/base64",
            handlers: vec![(HttpMethod::Post, h!(upload::base64))],
            access: Access::Keyed,
            tag: "Files",
            summary: "Upload a file given in base64",
            input: Input::Body {
                schema: Some("Base64Upload"),
                media: &[
                    JSON,
                    "application/x-www-form-urlencoded",
                    "multipart/form-data",
                ],
            },
            ok: (JSON, Some("Uploaded")),
            errors: UPLOAD_ERRORS,
            unavailable: None,
        },
        api::<FetchParams>(
            "/file/upload/url",
            "Files",
            "Copy a file from another server",
            "Uploaded",
            &[
                Code::BadRequest,
                Code::Unauthorized,
                Code::Forbidden,
                Code::NotFound,
                Code::PayloadTooLarge,
                Code::InvalidUrl,
                Code::InsufficientStorage,
            ],
            h!(upload::from_url),
        ),
        api::<FileParams>(
            "/file/delete",
            "Files",
            "Delete a stored file",
            "Envelope",
            FILE_ERRORS,
            h!(files::delete),
        ),
        api::<FileParams>(
            "/file/hash",
            "Files",
            "SHA-256 of a stored file",
            "Hashed",
            FILE_ERRORS,
            h!(files::hash),
        ),
        api::<JobParams>(
            "/job/check",
            "Jobs",
            "The state of an async job",
            "JobStatus",
            &[Code::BadRequest, Code::Unauthorized],
            h!(jobs::check),
        ),
        Route {
            input: Input::None,
            ..api::<JobParams>(
                "/account/credit/balance",
                "Operations",
                "Credits (a constant on a self-hosted server)",
                "Envelope",
                &[Code::Unauthorized],
                h!(account::balance),
            )
        },
        Route {
            access: Access::Capability,
            tag: "Files",
            errors: &[Code::NotFound],
            ..open(
                "/files/{token}/{name}",
                "Download a stored file or result (a capability URL: no key)",
                (ANY, None),
                h!(files::download),
            )
        },
        Route {
            path: "/file/upload/put/{token}/{name}",
            handlers: vec![
                (HttpMethod::Put, h!(upload::put)),
                (HttpMethod::Get, h!(files::download)),
            ],
            access: Access::Capability,
            tag: "Files",
            summary: "A presigned upload URL: PUT the bytes once (raw or multipart); GET serves them",
            input: Input::Body {
                schema: None,
                media: &["application/octet-stream", "multipart/form-data"],
            },
            ok: (ANY, None),
            errors: &[
                Code::BadRequest,
                Code::Forbidden,
                Code::NotFound,
                Code::RequestTimeout,
                Code::PayloadTooLarge,
                Code::TooManyRequests,
                Code::InsufficientStorage,
            ],
            unavailable: None,
        },
        open(
            "/health",
            "Liveness",
            (JSON, Some("Health")),
            h!(probes::health),
        ),
        Route {
            unavailable: Some("The store or the queue does not answer"),
            ..open(
                "/ready",
                "Readiness: 200 when the store and the queue answer, else 503 with the same body",
                (JSON, Some("Readiness")),
                h!(probes::ready),
            )
        },
        open(
            "/metrics",
            "Prometheus metrics (OpenMetrics text)",
            ("application/openmetrics-text", None),
            h!(probes::metrics),
        ),
        open(
            "/openapi.json",
            "This document",
            (JSON, None),
            h!(crate::openapi::json),
        ),
        open(
            "/docs",
            "This document, browsable (Swagger UI)",
            ("text/html", None),
            h!(crate::openapi::docs_page),
        ),
        Route {
            errors: &[Code::NotFound],
            ..open(
                "/docs/{file}",
                "Swagger UI's scripts and styles",
                (ANY, None),
                h!(crate::openapi::docs_file),
            )
        },
        Route {
            access: Access::Capability,
            ..open(
                "/",
                "The web page: convert a PDF in the browser",
                ("text/html", None),
                h!(page::index),
            )
        },
    ]
}

const UPLOAD_ERRORS: &[Code] = &[
    Code::BadRequest,
    Code::Unauthorized,
    Code::RequestTimeout,
    Code::PayloadTooLarge,
    Code::TooManyRequests,
    Code::InsufficientStorage,
];

const FILE_ERRORS: &[Code] = &[
    Code::BadRequest,
    Code::Unauthorized,
    Code::NotFound,
    Code::InvalidUrl,
];
