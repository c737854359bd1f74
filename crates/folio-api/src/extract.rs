//! Request plumbing shared by all routes: the parameter extractor, path normalisation, API keys.

use axum::extract::{FromRequest, Request};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use folio_render::Code;

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::body::Blob;
use crate::params::Params;
use crate::{ApiError, AppState};

/// A handler's parameters: the query and any body merged (see [`Params`]).
impl FromRequest<AppState> for Params {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, ApiError> {
        let query = req.uri().query().map(str::to_string);
        let content_type = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let body = read_body(req, state).await?;
        Params::parse_spooled(
            query.as_deref(),
            content_type.as_deref(),
            body,
            &state.spool,
        )
        .await
    }
}

/// The whole body, spooled (in memory when small, else on disk), refused with 413 past
/// `max_body_bytes` (at once when the declared length says so) and with 408 when it has not
/// fully arrived within `body_timeout` (a client trickling bytes cannot hold a connection
/// forever).
pub async fn read_body(req: Request, state: &AppState) -> Result<Blob, ApiError> {
    crate::body::spool_request(
        req,
        &state.spool,
        state.config.max_body_bytes as u64,
        state.config.body_timeout,
    )
    .await
}

/// Accept every route with or without `/v1`, in any letter case, with a trailing slash.
/// Tokens in file URLs are lower-case, so lower-casing the whole path is safe.
pub async fn normalize_path(mut req: Request, next: Next) -> Response {
    let uri = req.uri();
    let path = uri.path();
    let mut p = path.to_ascii_lowercase();
    if p.starts_with("/v1/") || p == "/v1" {
        p = p[3..].to_string();
    }
    while p.len() > 1 && p.ends_with('/') {
        p.pop();
    }
    if p.is_empty() {
        p.push('/');
    }
    if p != path {
        let pq = match uri.query() {
            Some(q) => format!("{p}?{q}"),
            None => p,
        };
        let mut parts = uri.clone().into_parts();
        if let Ok(pq) = pq.parse() {
            parts.path_and_query = Some(pq);
            if let Ok(new) = axum::http::Uri::from_parts(parts) {
                *req.uri_mut() = new;
            }
        }
    }
    next.run(req).await
}

/// With API keys configured, keyed routes need `x-api-key` (header or query). The route table
/// puts this layer on keyed rows only: file URLs and presigned upload URLs are capability URLs
/// and stay open, as on PDF.co.
pub async fn require_api_key(
    axum::extract::State(state): axum::extract::State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    if state.config.api_keys.is_empty() {
        return next.run(req).await;
    }
    let from_header = req
        .headers()
        .get("x-api-key")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let from_query = req.uri().query().and_then(|q| {
        q.split('&').find_map(|kv| {
            let (k, v) = kv.split_once('=')?;
            k.eq_ignore_ascii_case("x-api-key").then(|| {
                percent_encoding::percent_decode_str(v)
                    .decode_utf8_lossy()
                    .into_owned()
            })
        })
    });
    let ok = [from_header, from_query]
        .into_iter()
        .flatten()
        .any(|k| key_matches(&k, &state.config.api_keys));
    if ok {
        next.run(req).await
    } else {
        ApiError::new(
            Code::Unauthorized,
            "Unauthorized: a valid API key is required in the 'x-api-key' header.",
        )
        .into_response()
    }
}

/// Whether `given` is one of the configured `keys`, in time that reveals neither how much of a
/// key was right nor its length: both sides are hashed to SHA-256 first (so a right prefix gives
/// no head start) and every digest is compared in constant time, each one, without stopping at
/// the first match.
pub(crate) fn key_matches(given: &str, keys: &[String]) -> bool {
    let given = Sha256::digest(given.as_bytes());
    keys.iter().fold(false, |found, key| {
        found | bool::from(Sha256::digest(key.as_bytes()).ct_eq(&given))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    #[test]
    fn only_a_whole_configured_key_matches() {
        let keys = vec!["alpha-key".to_string(), "beta".to_string()];
        assert!(key_matches("beta", &keys));
        assert!(key_matches("alpha-key", &keys));
        for wrong in [
            "",
            "alpha",
            "alpha-key ",
            "ALPHA-KEY",
            "beta\0",
            "alpha-kex",
        ] {
            assert!(!key_matches(wrong, &keys), "{wrong:?}");
        }
        assert!(!key_matches("beta", &[]));
    }

    /// A guess that has all of a (long) key right but its last byte takes as long to refuse as
    /// one wrong from the first byte. A plain `==` fails this by orders of magnitude: it stops
    /// at the first differing byte.
    #[test]
    fn refusal_time_does_not_depend_on_how_much_of_the_key_is_right() {
        let key = "k".repeat(1 << 16);
        let keys = vec![key.clone()];
        let almost = format!("{}x", &key[..key.len() - 1]);
        let nothing = format!("x{}", &key[1..]);
        let time = |guess: &str| {
            let t = Instant::now();
            assert!(!key_matches(std::hint::black_box(guess), &keys));
            t.elapsed().as_nanos() as f64
        };
        let (mut a, mut b) = (vec![], vec![]);
        for _ in 0..201 {
            a.push(time(&almost));
            b.push(time(&nothing));
        }
        let median = |v: &mut Vec<f64>| {
            v.sort_by(f64::total_cmp);
            v[v.len() / 2]
        };
        let ratio = median(&mut a) / median(&mut b);
        assert!(
            (0.5..2.0).contains(&ratio),
            "almost-right guesses take {ratio:.2}× as long as wrong ones"
        );
    }
}
