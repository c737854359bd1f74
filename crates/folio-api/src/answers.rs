//! What the API answers on success: the JSON bodies as types. Handlers build these and
//! serialise them, and the OpenAPI document derives its schemas from the same types, so the two
//! cannot drift. (Errors: [`crate::error::Failure`]; `/job/check`: [`crate::service::status`].)

use axum::http::StatusCode;
use axum::response::Response;
use folio_render::PdfDate;
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use crate::json_response;

/// Fields every success answer carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Envelope {
    /// Always `false` on success.
    pub error: bool,
    /// Always `200` on success (a number, unlike `/job/check`'s `status`).
    pub status: u16,
    /// Always 0: a self-hosted server does not charge.
    pub credits: u64,
    /// A constant: clients read the field.
    pub remaining_credits: u64,
}

impl Envelope {
    pub fn success() -> Self {
        Self {
            error: false,
            status: 200,
            credits: 0,
            remaining_credits: crate::routes::CREDITS,
        }
    }
}

/// Answers are success answers: a default envelope is [`Envelope::success`].
impl Default for Envelope {
    fn default() -> Self {
        Self::success()
    }
}

/// A success answer: HTTP 200 with `answer` as JSON.
pub(crate) fn ok(answer: &impl Serialize) -> Response {
    json_response(StatusCode::OK, answer)
}

/// A conversion's answer. Sync images: `url` (first page) and `urls`; TIFF and text: `url`;
/// text with `inline=true`: `body`; `async=true`: `jobId` and a placeholder `url` that serves
/// the result once the job succeeds (for PNG/JPG/WebP a JSON array of the page URLs).
#[derive(Debug, Default, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Conversion {
    #[serde(flatten)]
    pub envelope: Envelope,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub urls: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page_count: Option<u64>,
    /// Milliseconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration: Option<u64>,
    /// ISO-8601 UTC.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_link_valid_till: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub job_id: Option<String>,
    /// What pages could not show ("page 0: 5 glyphs of font MS-Mincho not drawn: …"): the
    /// conversion succeeded, but the output lacks this. Absent when nothing is missing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warnings: Option<Vec<String>>,
}

/// `/file/upload/get-presigned-url`'s answer.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Presigned {
    #[serde(flatten)]
    pub envelope: Envelope,
    /// PUT the bytes here (once), with any content type.
    pub presigned_url: String,
    /// Use as `url=` afterwards; GET serves the file.
    pub url: String,
    pub name: String,
    /// ISO-8601 UTC.
    pub output_link_valid_till: String,
}

/// An upload's answer.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Uploaded {
    #[serde(flatten)]
    pub envelope: Envelope,
    pub url: String,
    pub name: String,
    /// ISO-8601 UTC.
    pub output_link_valid_till: String,
}

/// `/file/hash`'s answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct Hashed {
    #[serde(flatten)]
    pub envelope: Envelope,
    /// SHA-256 of the file, lower-case hex.
    pub hash: String,
}

/// `/pdf/info`'s `info`, PascalCase as PDF.co.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct PdfInfo {
    pub page_count: u64,
    pub title: String,
    pub author: String,
    pub subject: String,
    pub keywords: String,
    pub creator: String,
    pub producer: String,
    /// .NET `M/d/yyyy h:mm:ss tt`, empty when absent.
    pub creation_date: String,
    pub modification_date: String,
    pub bookmarks: String,
    pub encrypted: bool,
    pub encryption_algorithm: u32,
    /// The first page's box in points, in .NET's `RectangleF` shape.
    #[schema(value_type = Object)]
    pub page_rectangle: serde_json::Value,
    pub permission_printing: bool,
    pub permission_modify_document: bool,
    pub permission_content_extraction: bool,
    pub permission_modify_annotations: bool,
    pub permission_fill_forms: bool,
    pub permission_accessibility: bool,
    pub permission_assemble: bool,
    pub permission_high_quality_print: bool,
    /// `/pdf/info/fields` only: `{"Fields": [{PageIndex, Type, FieldName, Value, Left, Top,
    /// Width, Height}]}`, boxes in points from the displayed page's top-left corner.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub fields_info: Option<serde_json::Value>,
}

impl PdfInfo {
    /// PDF.co's shape of what the render sandbox read. Permissions are reported as granted:
    /// the engine does not expose the permission flags.
    pub fn of(doc: &folio_sandbox::DocumentInfo) -> Self {
        let meta = &doc.info;
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        let date = |d: &Option<PdfDate>| d.as_ref().map(dotnet_date).unwrap_or_default();
        let (w, h) = (
            doc.first_page.width_pt.round(),
            doc.first_page.height_pt.round(),
        );
        PdfInfo {
            page_count: doc.page_count as u64,
            title: text(&meta.title),
            author: text(&meta.author),
            subject: text(&meta.subject),
            keywords: text(&meta.keywords),
            creator: text(&meta.creator),
            producer: text(&meta.producer),
            creation_date: date(&meta.created),
            modification_date: date(&meta.modified),
            bookmarks: String::new(),
            encrypted: doc.encrypted,
            encryption_algorithm: 0,
            page_rectangle: json!({
                "Location": {"IsEmpty": true, "X": 0, "Y": 0},
                "Size": format!("{w}, {h}"),
                "X": 0, "Y": 0, "Width": w, "Height": h,
                "Left": 0, "Top": 0, "Right": w, "Bottom": h, "IsEmpty": false
            }),
            permission_printing: true,
            permission_modify_document: true,
            permission_content_extraction: true,
            permission_modify_annotations: true,
            permission_fill_forms: true,
            permission_accessibility: true,
            permission_assemble: true,
            permission_high_quality_print: true,
            fields_info: doc
                .fields
                .as_ref()
                .map(|fields| serde_json::json!({ "Fields": fields })),
        }
    }
}

/// .NET's `M/d/yyyy h:mm:ss tt`, the format PDF.co's info uses.
fn dotnet_date(d: &PdfDate) -> String {
    let (h12, ampm) = match d.hour {
        0 => (12, "AM"),
        1..=11 => (d.hour, "AM"),
        12 => (12, "PM"),
        h => (h - 12, "PM"),
    };
    format!(
        "{}/{}/{} {}:{:02}:{:02} {}",
        d.month, d.day, d.year, h12, d.minute, d.second, ampm
    )
}

/// `/pdf/info`'s answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct Info {
    #[serde(flatten)]
    pub envelope: Envelope,
    pub info: PdfInfo,
    pub name: String,
    /// Milliseconds.
    pub duration: u64,
}

/// `/health`'s answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// `ok`.
    pub status: &'static str,
}

/// `/ready`'s answer, with 200 or 503.
#[derive(Debug, Serialize, ToSchema)]
pub struct Readiness {
    /// `ready` or `unavailable`.
    pub status: &'static str,
    /// `ok` or `failed`.
    pub store: &'static str,
    /// `ok` or `failed`.
    pub queue: &'static str,
}
