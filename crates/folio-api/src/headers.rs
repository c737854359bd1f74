//! Response headers that keep a stranger's upload from acting on this origin.
//!
//! Folio serves files that strangers uploaded, on the same origin as its web page (which keeps
//! the API key in the browser's storage). A stored `text/html` or SVG opened in a browser must
//! not run: every stored file is served with `nosniff`, a sandboxing CSP and, unless its type is
//! one a browser only displays, as an attachment — whatever type the uploader declared.

use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::service::fetch::FETCH_MARK;

/// Every answer: no MIME sniffing, never framed by another site, no token-bearing URL leaked in
/// a `Referer`.
pub async fn security_headers(req: Request, next: Next) -> Response {
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("frame-ancestors 'none'"),
        );
    }
    resp
}

/// The policy of a stored file: no script, no plugin, no form, no fetch; images and inline
/// styles still display (a browser shows a PNG under it as usual).
pub const STORED_FILE_CSP: &str = "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox; frame-ancestors 'none'";

/// Types a browser displays without running anything in them: shown inline. Everything else
/// (HTML, SVG, XML, JavaScript, unknown types) is an attachment.
fn displays_inertly(content_type: &str) -> bool {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    matches!(
        essence.as_str(),
        "image/png"
            | "image/jpeg"
            | "image/webp"
            | "image/gif"
            | "image/tiff"
            | "image/bmp"
            | "application/pdf"
            | "application/json"
            | "text/plain"
            | "text/csv"
            | "application/octet-stream"
    )
}

/// Headers of a stored file's download: its type as recorded, the sandboxing policy, and a
/// disposition that downloads anything a browser would run.
pub fn stored_file(h: &mut HeaderMap, content_type: &str, name: &str) {
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(content_type)
            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(STORED_FILE_CSP),
    );
    let disposition = if displays_inertly(content_type) {
        "inline"
    } else {
        "attachment"
    };
    // Names are sanitised to `[A-Za-z0-9._-]` when stored, so quoting them is enough.
    if let Ok(v) = HeaderValue::from_str(&format!("{disposition}; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
}

/// `HEAD` on an API operation answers its headers without doing the work: through axum's
/// GET routing it would run a whole conversion only for hyper to drop the body. Downloads keep
/// their real `HEAD` (size and type, no body), which costs a lookup only.
pub async fn head_without_work(req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let download = path.starts_with("/files/") || path.starts_with("/file/upload/put/");
    if req.method() == Method::HEAD && !download && path != "/" {
        let mut resp = crate::json_response(axum::http::StatusCode::OK, &());
        *resp.body_mut() = axum::body::Body::empty();
        return resp.into_response();
    }
    next.run(req).await
}

/// An API call made by a Folio input fetcher (it carries [`FETCH_MARK`]) is refused unless it
/// downloads a stored file: a conversion's `url` must name a document, not another call.
pub async fn refuse_fetch_loops(req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let download = path.starts_with("/files/") || path.starts_with("/file/upload/put/");
    if req.headers().contains_key(FETCH_MARK) && !download {
        return crate::ApiError::bad_request(
            "This request came from a Folio server fetching an input URL, and that URL names one of Folio's own API calls. An input URL must name a document (a /files/ URL or another server's file), not a conversion.",
        )
        .into_response();
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_inert_types_are_inline() {
        for t in [
            "image/png",
            "IMAGE/JPEG",
            "text/plain; charset=utf-8",
            "application/pdf",
        ] {
            assert!(displays_inertly(t), "{t}");
        }
        for t in [
            "text/html",
            "text/html; charset=utf-8",
            "image/svg+xml",
            "application/xhtml+xml",
            "text/xml",
            "application/javascript",
            "multipart/x-mixed-replace",
            "",
        ] {
            assert!(!displays_inertly(t), "{t}");
        }
    }
}
