//! `/pdf/info`, `/account/credit/balance` and the web page.

use axum::extract::State;
use axum::response::Response;
use folio_render::{PdfDate, RenderOptions};
use folio_sandbox::{JobKind, RenderJob};
use serde_json::json;

use crate::answers::{Envelope, Info, PdfInfo, ok};
use crate::extract::P;
use crate::service::conversion::render_slot;
use crate::service::input::{load, source_from_params};
use crate::{ApiError, AppState};

/// Credits mean nothing on a self-hosted server; clients read the field, so it is a constant.
pub const CREDITS: u64 = 999_999_999;

/// The web page at `/`: pick a PDF, convert it through this API, see and download the pages.
/// Plain HTML and JavaScript compiled into the binary: no build step, no files to deploy.
pub async fn index() -> axum::response::Html<&'static str> {
    axum::response::Html(include_str!("index.html"))
}

pub async fn balance() -> Response {
    ok(&Envelope::success())
}

/// `/pdf/info`: page count, metadata and the first page's rectangle, PascalCase as PDF.co.
/// Permissions are reported as granted: the engine does not expose the permission flags.
///
/// The document is parsed in the render sandbox, under the render slots, the page budget and the
/// workers' memory ceiling like any conversion: opening inflates object streams, and a megabyte
/// of them can ask for gigabytes. The input is fetched before a render slot is taken, so a slow
/// remote URL holds none.
pub async fn info(State(state): State<AppState>, P(p): P) -> Result<Response, ApiError> {
    let started = std::time::Instant::now();
    let (source, name) = source_from_params(&state, &p).await?;
    let input = load(&state, &source).await?;
    let job = RenderJob {
        password: p.get("password").unwrap_or("").to_string(),
        pages: String::new(),
        options: RenderOptions::default(),
        limits: state.config.limits,
        tiff_path: None,
        kind: JobKind::Info,
    };
    let deadline = tokio::time::Instant::now() + state.config.sync_timeout;
    let _slot = render_slot(&state, Some(deadline)).await?;
    let bytes = input.into_vec(&state).await?;
    let doc = state.renderer.info(job, bytes).await?;
    let meta = &doc.info;
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let date = |d: &Option<PdfDate>| d.as_ref().map(dotnet_date).unwrap_or_default();
    let (w, h) = (
        doc.first_page.width_pt.round(),
        doc.first_page.height_pt.round(),
    );
    let info = PdfInfo {
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
    };
    Ok(ok(&Info {
        envelope: Envelope::success(),
        info,
        name,
        duration: started.elapsed().as_millis() as u64,
    }))
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
