//! The OpenAPI 3.1 description of the HTTP API, served at `/openapi.json` and browsable at `/docs`.
//!
//! Its paths are the rows of the route table ([`crate::routes::table`]), the one list the router
//! is built from too. Answers are the types the handlers serialise ([`crate::answers`],
//! [`crate::error::Failure`], [`crate::service::status::JobStatus`]); parameters, which the
//! lenient parser reads by name, are described by types of their own (`schema`). Schemathesis
//! checks in CI that real answers match these schemas.

use std::sync::{Arc, LazyLock};

use axum::extract::Path;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use folio_render::Code;
use utoipa::openapi::path::{HttpMethod, Operation, OperationBuilder, ParameterIn, PathItem};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{Content, OpenApi, Ref, Required, ResponseBuilder};
use utoipa::{IntoParams, OpenApi as _, ToSchema};

use crate::ApiError;
use crate::routes::table::{Access, JSON, Route, table};

/// The parameter types: the lenient parser reads parameters by name from the query or the body
/// (see [`crate::params`]), so these exist for their schemas and are never built.
#[allow(dead_code)]
pub(crate) mod schema {
    use utoipa::{IntoParams, ToSchema};

    /// Parameters of `/pdf/convert/to/{png,jpg,webp,tiff,text}`.
    #[derive(ToSchema, IntoParams)]
    #[into_params(parameter_in = Query)]
    #[serde(rename_all = "camelCase")]
    pub(crate) struct ConvertParams {
        /// The PDF: an http(s) URL, or a URL this server handed out (upload or result). Required
        /// unless a multipart `file` part is sent instead.
        url: Option<String>,
        /// 0-based pages: `0,2-5,7-`, `!0` = last page, empty = all.
        pages: Option<String>,
        /// The PDF's open password.
        password: Option<String>,
        /// `true`: answer a `jobId` at once and convert in the background (poll `/job/check`).
        #[serde(rename = "async")]
        r#async: Option<bool>,
        /// Output base name (`name-0.png`, …); taken from the source when empty.
        name: Option<String>,
        /// Text only: return the text in `body` instead of a URL.
        inline: Option<bool>,
        /// Minutes the result links stay valid (default 60, capped by the server).
        expiration: Option<i64>,
        /// Basic-auth user for fetching `url`.
        httpusername: Option<String>,
        /// Basic-auth password for fetching `url`.
        httppassword: Option<String>,
        /// Async only: a URL POSTed the `/job/check` body when the job ends (signed when a webhook
        /// secret is configured).
        callback: Option<String>,
        /// Rendering options as lenient JSON, e.g. `{"RenderingResolution": 150, "JPEGQuality": 85}`.
        profiles: Option<String>,
        /// Accepted for compatibility and ignored.
        encrypt: Option<bool>,
        /// Accepted for compatibility and ignored (no OCR).
        lang: Option<String>,
    }

    /// Parameters of `/pdf/info`.
    #[derive(ToSchema, IntoParams)]
    #[into_params(parameter_in = Query)]
    pub(crate) struct InfoParams {
        /// The PDF, as for the conversions.
        url: Option<String>,
        password: Option<String>,
        httpusername: Option<String>,
        httppassword: Option<String>,
    }

    /// An operation's parameter struct: its own fields, then those every operation takes
    /// (`async`, `expiration`, `httpusername`, `httppassword`, `callback`).
    macro_rules! job_params {
        ($(#[$meta:meta])* $name:ident { $($(#[$fmeta:meta])* $field:ident: $ty:ty,)* }) => {
            #[derive(ToSchema, IntoParams)]
            #[into_params(parameter_in = Query)]
            $(#[$meta])*
            pub(crate) struct $name {
                $($(#[$fmeta])* $field: $ty,)*
                /// `true`: answer a `jobId` at once and run in the background (poll
                /// `/job/check`); the answered `url` serves the result once the job succeeds.
                #[serde(rename = "async")]
                r#async: Option<bool>,
                /// Minutes the result links stay valid (default 60, capped by the server).
                expiration: Option<i64>,
                /// Basic-auth user for fetching `url`.
                httpusername: Option<String>,
                /// Basic-auth password for fetching `url`.
                httppassword: Option<String>,
                /// Async only: a URL POSTed the `/job/check` body when the job ends.
                callback: Option<String>,
            }
        };
    }

    job_params! {
        /// Parameters of `/pdf/edit/rotate`.
        RotateParams {
            /// The PDF, as for the conversions.
            url: Option<String>,
            /// Degrees clockwise, added to each page's rotation: 0, 90, 180 or 270 (any multiple of
            /// 90 is taken modulo 360).
            angle: i64,
            /// 0-based pages to turn: `0,2-5,7-`, `!0` = last page, empty = all.
            pages: Option<String>,
            /// The PDF's open password; the output is written without encryption.
            password: Option<String>,
            /// Output name (default: the source's name with `-rotated`).
            name: Option<String>,
        }
    }

    job_params! {
        /// Parameters of `/pdf/merge`.
        MergeParams {
            /// The PDFs, comma-separated, joined in this order (a URL holding a comma encodes it as
            /// `%2C`); a multipart `file` part comes first. At most `--max-inputs` of them.
            url: Option<String>,
            /// The open password, tried on every input; the output is written without encryption.
            password: Option<String>,
            /// Output name (default `merged.pdf`).
            name: Option<String>,
            /// `{"RenameMatchingFieldsDuringMerge": true}` (default true: a form field named like one
            /// of an earlier input is renamed `name_2`, … so both keep their values; false: it is left
            /// out of the form) and `{"GenerateBookmarks": true}` (one bookmark per input, titled by
            /// its file name, above its own outline; default false).
            profiles: Option<String>,
        }
    }

    job_params! {
        /// Parameters of `/pdf/split`.
        SplitParams {
            /// The PDF, as for the conversions.
            url: Option<String>,
            /// **1-based**; each comma item is one output file: `1-2,3-` → two files; `!1` is the
            /// last page; `*` or empty → one file per page.
            pages: Option<String>,
            password: Option<String>,
            /// Base name of the outputs (`name-1.pdf`, `name-2.pdf`, …; default `<input>-split`).
            name: Option<String>,
        }
    }

    job_params! {
        /// Parameters of `/pdf/edit/delete-pages`.
        DeletePagesParams {
            url: Option<String>,
            /// **1-based** pages to remove: `1,3-4`, `!1` = the last page. Removing every page is
            /// refused (400).
            pages: String,
            password: Option<String>,
            /// Output name (default `<input>-pages-deleted.pdf`).
            name: Option<String>,
        }
    }

    job_params! {
        /// Parameters of `/pdf/security/add` (names in any letter case).
        #[serde(rename_all = "camelCase")]
        SecurityAddParams {
            url: Option<String>,
            /// Gives every right; empty = the user password.
            owner_password: Option<String>,
            /// Needed to open the file; empty = it opens without one (with the rights below). One of
            /// the two passwords is required.
            user_password: Option<String>,
            /// `RC4_40bit`, `RC4_128bit`, `AES_128bit` (default) or `AES_256bit`.
            encryption_algorithm: Option<String>,
            allow_accessibility_support: Option<bool>,
            allow_assembly_document: Option<bool>,
            allow_print_document: Option<bool>,
            allow_fill_forms: Option<bool>,
            allow_modify_document: Option<bool>,
            allow_content_extraction: Option<bool>,
            allow_modify_annotations: Option<bool>,
            /// `HighResolution` (default) or `LowResolution` (degraded printing only).
            print_quality: Option<String>,
            /// The input's own open password, if it is encrypted already.
            password: Option<String>,
            /// Output name (default `<input>-protected.pdf`).
            name: Option<String>,
        }
    }

    job_params! {
        /// Parameters of `/pdf/security/remove`.
        SecurityRemoveParams {
            url: Option<String>,
            /// The user or the owner password.
            password: Option<String>,
            /// Output name (default `<input>-unprotected.pdf`).
            name: Option<String>,
        }
    }

    job_params! {
        /// Parameters of `/pdf/merge2`.
        Merge2Params {
            /// PDFs and images (PNG, JPEG, GIF, BMP, TIFF, WebP: a page each, as
            /// `/pdf/convert/from/image` makes them), comma-separated; the type is read from the
            /// bytes, not the name.
            url: Option<String>,
            password: Option<String>,
            /// Output name (default `merged.pdf`).
            name: Option<String>,
            /// As for `/pdf/merge`.
            profiles: Option<String>,
        }
    }

    job_params! {
        /// Parameters of `/pdf/convert/from/image`.
        FromImageParams {
            /// The images, comma-separated (PNG, JPEG, GIF, BMP, TIFF with all its frames, WebP):
            /// one page each, the size of the image at its own resolution (72 DPI when it gives
            /// none). JPEG is embedded without re-encoding.
            url: Option<String>,
            /// Output name (default: the first image's name).
            name: Option<String>,
        }
    }

    job_params! {
        /// Parameters of `/pdf/optimize` and `/v2/pdf/compress`.
        OptimizeParams {
            url: Option<String>,
            password: Option<String>,
            /// Output name (default `<input>-optimized.pdf`).
            name: Option<String>,
            /// Lossless unless asked: `{"ImageOptimizationFormat": "JPEG" | "PNG", "JPEGQuality":
            /// 25, "ResampleImages": true, "ResamplingResolution": 120}` re-encode 8-bit RGB and
            /// grey images (kept only when smaller) and scale them down to what the largest page
            /// needs at that DPI.
            profiles: Option<String>,
            /// `/v2/pdf/compress`'s settings object: accepted, read as `profiles` are.
            config: Option<String>,
        }
    }

    job_params! {
        /// Parameters of `/pdf/convert/from/csv`.
        #[serde(rename_all = "camelCase")]
        FromCsvParams {
            /// A CSV (comma, semicolon or tab separated, UTF-8) or a spreadsheet (XLS, XLSX,
            /// ODS): a table, the first row as the header repeated on each page.
            url: Option<String>,
            /// The sheet of a spreadsheet, counted from 1 (default 1).
            worksheet_index: Option<i64>,
            /// Accepted: columns are always as wide as their content, within a cap.
            autosize: Option<bool>,
            /// Output name (default: the input's name).
            name: Option<String>,
        }
    }

    job_params! {
        /// Parameters of `/barcode/generate`.
        #[serde(rename_all = "camelCase")]
        BarcodeGenerateParams {
            /// `QRCode` (default), `DataMatrix`, `PDF417`, `Aztec`, `Code128`, `Code39`,
            /// `Code93`, `EAN13`, `EAN8`, `UPCA`, `UPCE`, `ITF`, `Codabar`.
            r#type: Option<String>,
            /// The text to encode; a value the symbology cannot hold (letters in an EAN) is a
            /// 400 naming the rule.
            value: String,
            /// Output name (default `barcode.png`).
            name: Option<String>,
            /// `true`: `url` is a `data:image/png;base64,…` URI and nothing is stored.
            inline: Option<bool>,
            /// URL of an image drawn in the middle of a QR code (error correction High).
            decoration_image: Option<String>,
            /// `{"Angle": 90, "NarrowBarWidth": 4, "Options": {"QRErrorCorrectionLevel": "High"}}`
            /// (quarter turns; pixels per module, 1–20; Low, Medium, Quarter, High).
            profiles: Option<String>,
        }
    }

    job_params! {
        /// Parameters of `/barcode/read/from/url`.
        BarcodeReadParams {
            /// A PDF (its pages rendered at 200 DPI) or an image.
            url: Option<String>,
            /// Comma-separated symbologies to look for (names as `/barcode/generate` takes);
            /// empty = all.
            types: Option<String>,
            /// 0-based pages of a PDF, empty = all.
            pages: Option<String>,
            password: Option<String>,
        }
    }

    /// `/barcode/read/from/url`'s answer: the conversion answer's fields and `barcodes`.
    #[derive(ToSchema)]
    #[serde(rename_all = "camelCase")]
    pub(crate) struct Barcodes {
        error: bool,
        status: u16,
        name: String,
        page_count: Option<u64>,
        duration: Option<u64>,
        /// `{"Value", "RawData" (hex), "Type" (number), "TypeName", "Page" (0-based), "Rect"
        /// ("x y w h": points on a PDF page from its top-left, pixels in an image),
        /// "Confidence" (0–1)}` per barcode found.
        #[schema(value_type = Vec<Object>)]
        barcodes: Vec<serde_json::Value>,
    }

    /// Parameters of `/file/upload/get-presigned-url`.
    #[derive(ToSchema, IntoParams)]
    #[into_params(parameter_in = Query)]
    pub(crate) struct PresignParams {
        /// The file's name (default `file.pdf`); path parts are dropped.
        name: Option<String>,
        /// The MIME type the file will be served with.
        contenttype: Option<String>,
        /// Minutes the file stays available after upload.
        expiration: Option<i64>,
        /// Accepted for compatibility and ignored.
        encrypt: Option<bool>,
    }

    /// Parameters of `/file/upload/url`.
    #[derive(ToSchema, IntoParams)]
    #[into_params(parameter_in = Query)]
    pub(crate) struct FetchParams {
        /// The http(s) URL to copy into this server's storage.
        url: Option<String>,
        name: Option<String>,
        expiration: Option<i64>,
        httpusername: Option<String>,
        httppassword: Option<String>,
    }

    /// Body of `/file/upload/base64`.
    #[derive(ToSchema)]
    pub(crate) struct Base64Upload {
        /// The bytes in base64, optionally as a `data:` URI.
        file: String,
        name: Option<String>,
        expiration: Option<i64>,
    }

    /// Body of `/file/upload`.
    #[derive(ToSchema)]
    pub(crate) struct MultipartUpload {
        #[schema(value_type = String, format = Binary)]
        file: Vec<u8>,
        /// Overrides the file part's own name.
        name: Option<String>,
        expiration: Option<i64>,
    }

    /// Parameters of `/file/delete` and `/file/hash`: the file, by a URL this server handed out.
    #[derive(ToSchema, IntoParams)]
    #[into_params(parameter_in = Query)]
    pub(crate) struct FileParams {
        url: Option<String>,
        /// Same as `url` (the samples send `file`).
        file: Option<String>,
    }

    /// Parameters of `/job/check`.
    #[derive(ToSchema, IntoParams)]
    #[into_params(parameter_in = Query)]
    pub(crate) struct JobParams {
        /// The `jobId` an `async=true` request answered (also accepted as `jobId`).
        jobid: String,
        /// Accepted for compatibility: unknown ids answer `unknown` either way.
        force: Option<bool>,
    }

    #[derive(utoipa::OpenApi)]
    #[openapi(
        info(
            title = "Folio",
            description = "A self-hosted server for the PDF.co / ByteScout Cloud API Server API: PDF \
                to page images and text, information; merge, split, delete and rotate pages; add and remove \
                password protection; synchronously or as jobs.\n\nEvery path also answers under \
                `/v1`, in any letter case, with or without a trailing slash. Parameters may come in \
                the query, a JSON body, a form or a multipart body, in any case; booleans also as \
                `True`/`1`, numbers also as strings. Errors use the PDF.co envelope with the HTTP \
                status equal to `status`. When the server runs with API keys, send `x-api-key` \
                (header or query); file and upload URLs are capability URLs and need none.",
        ),
        tags(
            (name = "Convert", description = "PDF to images, text and information"),
            (name = "Edit", description = "New PDFs made from the input"),
            (name = "Assemble", description = "PDFs joined, split, and pages removed"),
            (name = "Security", description = "Password protection added or removed"),
            (name = "Create", description = "New PDFs from images"),
            (name = "Barcodes", description = "Barcodes made and read"),
            (name = "Files", description = "Uploads, downloads and stored files"),
            (name = "Jobs", description = "Async jobs started with `async=true`"),
            (name = "Operations", description = "Health, metrics, this document, the web page"),
        ),
        components(schemas(
            crate::answers::Envelope,
            crate::error::Failure,
            ConvertParams,
            InfoParams,
            RotateParams,
            MergeParams,
            SplitParams,
            DeletePagesParams,
            SecurityAddParams,
            SecurityRemoveParams,
            Merge2Params,
            FromImageParams,
            OptimizeParams,
            BarcodeGenerateParams,
            FromCsvParams,
            BarcodeReadParams,
            Barcodes,
            PresignParams,
            FetchParams,
            Base64Upload,
            MultipartUpload,
            FileParams,
            JobParams,
            crate::answers::Conversion,
            crate::answers::Presigned,
            crate::answers::Uploaded,
            crate::answers::Hashed,
            crate::answers::Info,
            crate::service::status::JobStatus,
            crate::answers::Health,
            crate::answers::Readiness
        ))
    )]
    pub(super) struct Doc;
}
use schema::*;

/// How an operation takes its parameters.
#[derive(Clone, Copy)]
pub(crate) enum Input {
    None,
    /// Query (GET), or query and a JSON or form body (POST), described by one type.
    Lenient {
        query: fn() -> Vec<utoipa::openapi::path::Parameter>,
        body: fn() -> std::borrow::Cow<'static, str>,
    },
    /// A body only (POST or PUT).
    Body {
        /// `None`: raw bytes.
        schema: Option<&'static str>,
        media: &'static [&'static str],
    },
}

impl Input {
    /// Lenient parameters described by `P`.
    pub(crate) fn lenient<P: IntoParams + ToSchema>() -> Self {
        Input::Lenient {
            query: || P::into_params(|| Some(ParameterIn::Query)),
            body: P::name,
        }
    }
}

fn schema_ref(name: &str) -> Ref {
    Ref::from_schema_name(name)
}

fn operation(e: &Route, method: HttpMethod) -> Operation {
    let verb = match method {
        HttpMethod::Get => "get",
        HttpMethod::Post => "post",
        HttpMethod::Put => "put",
        _ => "other",
    };
    let id: String = e
        .path
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .fold(verb.to_string(), |mut id, w| {
            let mut chars = w.chars();
            if let Some(first) = chars.next() {
                id.push(first.to_ascii_uppercase());
                id.extend(chars);
            }
            id
        });
    let (media, schema) = e.ok;
    let content = || match schema {
        Some(name) => Content::new(Some(schema_ref(name))),
        None => Content::new(None::<Ref>),
    };
    let mut op = OperationBuilder::new()
        .operation_id(Some(if id == verb {
            format!("{verb}Index")
        } else {
            id
        }))
        .tag(e.tag)
        .summary(Some(e.summary))
        .response(
            "200",
            ResponseBuilder::new()
                .description("Success")
                .content(media, content()),
        );
    if let Some(description) = e.unavailable {
        op = op.response(
            Code::Unavailable.as_u16().to_string(),
            ResponseBuilder::new()
                .description(description)
                .content(media, content()),
        );
    }
    let path_params: Vec<_> = e
        .path
        .split('/')
        .filter_map(|seg| seg.strip_prefix('{')?.strip_suffix('}'))
        .map(|name| {
            utoipa::openapi::path::ParameterBuilder::new()
                .name(name)
                .parameter_in(ParameterIn::Path)
                .required(Required::True)
                .schema(Some(
                    utoipa::openapi::ObjectBuilder::new()
                        .schema_type(utoipa::openapi::Type::String),
                ))
                .build()
        })
        .collect();
    let mut params = path_params;
    match (e.input, method) {
        (Input::Lenient { query, .. }, HttpMethod::Get) => params.extend(query()),
        // POST takes the query too (`POST /file/delete?file=…` with an empty body, as the
        // samples send it); the body wins where both name a parameter.
        (Input::Lenient { query, body }, _) => {
            params.extend(query());
            let mut rb = RequestBodyBuilder::new().required(Some(Required::False));
            for media in [JSON, "application/x-www-form-urlencoded"] {
                rb = rb.content(media, Content::new(Some(schema_ref(&body()))));
            }
            op = op.request_body(Some(rb.build()));
        }
        (Input::Body { schema, media }, HttpMethod::Post | HttpMethod::Put) => {
            let mut rb = RequestBodyBuilder::new().required(Some(Required::True));
            for m in media {
                let content = match schema {
                    Some(name) => Content::new(Some(schema_ref(name))),
                    None => Content::new(Some(
                        utoipa::openapi::ObjectBuilder::new()
                            .schema_type(utoipa::openapi::Type::String)
                            .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(
                                utoipa::openapi::KnownFormat::Binary,
                            ))),
                    )),
                };
                rb = rb.content(*m, content);
            }
            op = op.request_body(Some(rb.build()));
        }
        _ => {}
    }
    if !params.is_empty() {
        op = op.parameters(Some(params));
    }
    if e.access == Access::Keyed {
        // Optional: the server may run without keys (the default).
        op = op
            .security(SecurityRequirement::default())
            .security(SecurityRequirement::new("api_key", Vec::<String>::new()));
    }
    for code in e.errors {
        op = op.response(
            code.as_u16().to_string(),
            ResponseBuilder::new()
                .description(code.reason())
                .content(JSON, Content::new(Some(schema_ref("Failure")))),
        );
    }
    op.build()
}

/// The whole document, built once.
pub fn document() -> &'static OpenApi {
    static DOC: LazyLock<OpenApi> = LazyLock::new(|| {
        let mut doc = Doc::openapi();
        doc.info.version = env!("CARGO_PKG_VERSION").to_string();
        let mut paths = utoipa::openapi::Paths::new();
        for e in table() {
            let mut methods = e.methods().cloned();
            let Some(first) = methods.next() else {
                continue;
            };
            let mut item = PathItem::new(first.clone(), operation(&e, first));
            for m in methods {
                item.merge_operations(PathItem::new(m.clone(), operation(&e, m)));
            }
            paths.paths.insert(e.path.to_string(), item);
        }
        doc.paths = paths;
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "api_key",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::new("x-api-key"))),
        );
        doc
    });
    &DOC
}

/// `GET /openapi.json`.
pub async fn json() -> Response {
    static BODY: LazyLock<Vec<u8>> =
        LazyLock::new(|| serde_json::to_vec(document()).expect("the OpenAPI document serialises"));
    (
        [(header::CONTENT_TYPE, HeaderValue::from_static(JSON))],
        BODY.as_slice(),
    )
        .into_response()
}

/// `GET /docs`: Swagger UI (its files are compiled in from `utoipa-swagger-ui`'s vendored
/// copy, so the page works with no internet) pointed at `/openapi.json`.
pub async fn docs_page() -> axum::response::Html<&'static str> {
    axum::response::Html(include_str!("routes/docs.html"))
}

/// `GET /docs/{file}`: Swagger UI's scripts and styles.
pub async fn docs_file(Path(file): Path<String>) -> Response {
    static CONFIG: LazyLock<Arc<utoipa_swagger_ui::Config<'static>>> =
        LazyLock::new(|| Arc::new(utoipa_swagger_ui::Config::from("/openapi.json")));
    match utoipa_swagger_ui::serve(&file, CONFIG.clone()) {
        Ok(Some(f)) if file != "index.html" => (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_str(&f.content_type)
                    .unwrap_or(HeaderValue::from_static("application/octet-stream")),
            )],
            f.bytes.into_owned(),
        )
            .into_response(),
        _ => ApiError::not_found("No such file of the API documentation page.").into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// After an unencoded `url=`, only known parameter names start a new parameter: a
    /// documented name the parser does not know would be swallowed into the URL.
    #[test]
    fn every_documented_parameter_is_known_to_the_parser() {
        let mut checked = 0;
        for e in table() {
            if let Input::Lenient { query, .. } = e.input {
                for p in query() {
                    assert!(
                        crate::params::KNOWN.contains(&p.name.to_ascii_lowercase().as_str()),
                        "{} documents '{}', which params::KNOWN lacks",
                        e.path,
                        p.name
                    );
                    checked += 1;
                }
            }
        }
        assert!(checked > 50, "{checked}");
    }
}
