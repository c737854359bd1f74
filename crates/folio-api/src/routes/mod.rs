//! The route table. Paths here are the normalised ones (lower case, no `/v1`, no trailing slash).

mod convert;
mod files;
mod jobs;
mod misc;
mod ops;
mod upload;

pub use misc::CREDITS;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{any, get, post};
use tower_http::cors::{Any, CorsLayer};

use crate::extract::{normalize_path, require_api_key};
use crate::{ApiError, AppState};

pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .route("/file/upload/get-presigned-url", any(upload::presigned))
        .route("/file/upload", post(upload::multipart))
        .route("/file/upload/base64", post(upload::base64))
        .route("/file/upload/url", any(upload::from_url))
        .route("/file/delete", any(files::delete))
        .route("/file/hash", any(files::hash))
        .route("/pdf/convert/to/png", any(convert::png))
        .route("/pdf/convert/to/jpg", any(convert::jpg))
        .route("/pdf/convert/to/webp", any(convert::webp))
        .route("/pdf/convert/to/tiff", any(convert::tiff))
        .route("/pdf/convert/to/text", any(convert::text))
        .route("/pdf/info", any(misc::info))
        .route("/job/check", any(jobs::check))
        .route("/account/credit/balance", any(misc::balance))
        .route("/", get(misc::index))
        .route("/files/{token}/{name}", get(files::download))
        .route(
            "/file/upload/put/{token}/{name}",
            axum::routing::put(upload::put).get(files::download),
        )
        .fallback(|| async {
            ApiError::not_found(
                "Not found: no such API endpoint. See the API documentation for the list.",
            )
        })
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            require_api_key,
        ))
        // After the key layer: load balancers and scrapers call these without a key.
        .route("/health", get(ops::health))
        .route("/ready", get(ops::ready))
        .route("/metrics", get(ops::metrics))
        // Inside routing, so that it sees the matched route template.
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::ops::observe,
        ))
        .layer(DefaultBodyLimit::disable())
        .layer(
            CorsLayer::new()
                .allow_origin(Any)
                .allow_headers(Any)
                .allow_methods(Any)
                .expose_headers(Any),
        )
        .with_state(state);
    // Path normalisation must wrap the router so that it runs before routing.
    Router::new()
        .fallback_service(api)
        .layer(axum::middleware::from_fn(normalize_path))
}
