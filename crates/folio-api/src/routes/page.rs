//! The web page at `/`: pick a PDF, convert it through this API, see and download the pages.

/// Plain HTML and JavaScript compiled into the binary: no build step, no files to deploy.
pub async fn index() -> axum::response::Html<&'static str> {
    axum::response::Html(include_str!("index.html"))
}
