//! The HTTP surface: the route table ([`table`]) and the router built from it. Paths are the
//! normalised ones (lower case, no `/v1`, no trailing slash). Handlers are thin: operations go
//! to [`crate::queue`], files and uploads to [`crate::service`].

mod account;
mod files;
mod jobs;
mod page;
mod probes;
pub(crate) mod table;
mod upload;

pub(crate) use account::CREDITS;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::MethodRouter;
use folio_render::Code;
use tower_http::cors::{AllowOrigin, Any, CorsLayer};
use utoipa::openapi::path::HttpMethod;

use crate::extract::{normalize_path, require_api_key};
use crate::{ApiError, AppState};
use table::{Access, Route};

/// What a documented method is to the router.
fn filter(method: &HttpMethod) -> axum::routing::MethodFilter {
    use axum::routing::MethodFilter as F;
    match method {
        HttpMethod::Get => F::GET,
        HttpMethod::Post => F::POST,
        HttpMethod::Put => F::PUT,
        HttpMethod::Delete => F::DELETE,
        HttpMethod::Patch => F::PATCH,
        HttpMethod::Head => F::HEAD,
        HttpMethod::Options => F::OPTIONS,
        HttpMethod::Trace => F::TRACE,
    }
}

/// One row's methods, with the request layers its access calls for. Layers added later wrap
/// those added earlier, so the key check comes first: a HEAD without a key is refused.
fn serve(route: &Route, state: &AppState) -> MethodRouter<AppState> {
    let mut router = route
        .handlers
        .iter()
        .fold(MethodRouter::new(), |r, (method, handler)| {
            r.merge(handler(filter(method)))
        });
    if route.access != Access::Open {
        router = router
            .route_layer(axum::middleware::from_fn(crate::headers::head_without_work))
            .route_layer(axum::middleware::from_fn(
                crate::headers::refuse_fetch_loops,
            ));
    }
    if route.access == Access::Keyed {
        router = router.route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            require_api_key,
        ));
    }
    router
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
    let api = table::table()
        .iter()
        .fold(Router::new(), |r, route| {
            r.route(route.path, serve(route, &state))
        })
        .fallback(|| async {
            ApiError::not_found(
                "Not found: no such API endpoint. See the API documentation for the list.",
            )
        })
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
