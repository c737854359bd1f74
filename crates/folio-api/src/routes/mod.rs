//! The route table. Paths here are the normalised ones (lower case, no `/v1`, no trailing slash).

mod convert;
mod files;
mod jobs;
mod misc;
mod ops;
mod upload;

pub(crate) use misc::CREDITS;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{MethodRouter, get, post, put};
use folio_render::Code;
use tower_http::cors::{AllowOrigin, Any, CorsLayer};

use crate::extract::{normalize_path, require_api_key};
use crate::{ApiError, AppState};

/// Routes behind the API key (when keys are configured; capability URLs and the web page are
/// let through by [`require_api_key`]). Conversion and info endpoints answer GET and POST (and
/// HEAD, through GET), as PDF.co's do.
fn keyed_routes() -> Vec<(&'static str, MethodRouter<AppState>)> {
    vec![
        (
            "/file/upload/get-presigned-url",
            get(upload::presigned).post(upload::presigned),
        ),
        ("/file/upload", post(upload::multipart)),
        ("/file/upload/base64", post(upload::base64)),
        (
            "/file/upload/url",
            get(upload::from_url).post(upload::from_url),
        ),
        ("/file/delete", get(files::delete).post(files::delete)),
        ("/file/hash", get(files::hash).post(files::hash)),
        ("/pdf/convert/to/png", get(convert::png).post(convert::png)),
        ("/pdf/convert/to/jpg", get(convert::jpg).post(convert::jpg)),
        (
            "/pdf/convert/to/webp",
            get(convert::webp).post(convert::webp),
        ),
        (
            "/pdf/convert/to/tiff",
            get(convert::tiff).post(convert::tiff),
        ),
        (
            "/pdf/convert/to/text",
            get(convert::text).post(convert::text),
        ),
        (
            "/pdf/convert/to/text-simple",
            get(convert::text).post(convert::text),
        ),
        ("/pdf/info", get(misc::info).post(misc::info)),
        ("/job/check", get(jobs::check).post(jobs::check)),
        (
            "/account/credit/balance",
            get(misc::balance).post(misc::balance),
        ),
        ("/", get(misc::index)),
        ("/files/{token}/{name}", get(files::download)),
        (
            "/file/upload/put/{token}/{name}",
            put(upload::put).get(files::download),
        ),
    ]
}

/// Routes that never need a key: load balancers, scrapers and readers of the docs call them.
fn open_routes() -> Vec<(&'static str, MethodRouter<AppState>)> {
    vec![
        ("/health", get(ops::health)),
        ("/ready", get(ops::ready)),
        ("/metrics", get(ops::metrics)),
        ("/openapi.json", get(crate::openapi::json)),
        ("/docs", get(crate::openapi::docs_page)),
        ("/docs/{file}", get(crate::openapi::docs_file)),
    ]
}

/// Every path the router serves; the OpenAPI test checks each is documented.
pub fn paths() -> Vec<&'static str> {
    keyed_routes()
        .into_iter()
        .chain(open_routes())
        .map(|(path, _)| path)
        .collect()
}

/// A router serving `table`'s rows.
fn serve(table: Vec<(&'static str, MethodRouter<AppState>)>) -> Router<AppState> {
    table
        .into_iter()
        .fold(Router::new(), |r, (path, handler)| r.route(path, handler))
}

/// Which web pages may call the API from a browser: any (`*`), the origins listed, or none.
fn cors(origins: &[String]) -> CorsLayer {
    let layer = CorsLayer::new()
        .allow_headers(Any)
        .allow_methods(Any)
        .expose_headers(Any);
    if origins.iter().any(|o| o == "*") {
        return layer.allow_origin(Any);
    }
    let listed: Vec<axum::http::HeaderValue> = origins
        .iter()
        .filter_map(|o| axum::http::HeaderValue::from_str(o).ok())
        .collect();
    layer.allow_origin(AllowOrigin::list(listed))
}

pub fn router(state: AppState) -> Router {
    let api = serve(keyed_routes())
        .fallback(|| async {
            ApiError::not_found(
                "Not found: no such API endpoint. See the API documentation for the list.",
            )
        })
        // Inside the key check (route layers added later wrap those added earlier): a HEAD
        // without a key is still refused.
        .route_layer(axum::middleware::from_fn(crate::headers::head_without_work))
        .route_layer(axum::middleware::from_fn(crate::headers::refuse_fetch_loops))
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            require_api_key,
        ))
        // After the key layer, so that it does not apply to them.
        .merge(serve(open_routes()))
        .method_not_allowed_fallback(|method: axum::http::Method| async move {
            ApiError::new(
                Code::MethodNotAllowed,
                format!("Method not allowed: this endpoint does not answer {method}. See /openapi.json for the methods each path takes."),
            )
        })
        // Inside routing, so that it sees the matched route template.
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::ops::observe,
        ))
        .layer(DefaultBodyLimit::disable())
        .layer(axum::middleware::from_fn(crate::headers::security_headers))
        .layer(cors(&state.config.cors_origins))
        .with_state(state);
    // Path normalisation must wrap the router so that it runs before routing.
    Router::new()
        .fallback_service(api)
        .layer(axum::middleware::from_fn(normalize_path))
}
