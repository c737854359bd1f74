//! Webhooks: when an async job with a `callback` URL ends, POST its `/job/check` body there.
//!
//! Sent through the same SSRF-guarded client as input fetches (loopback, private and link-local
//! destinations refused unless `--fetch-allow` lists them, checked after DNS and on redirects).
//! With `--webhook-secret`, each request carries `X-Folio-Signature: sha256=<hex>`, the
//! HMAC-SHA256 of the exact body under that secret, so receivers can tell Folio's calls from
//! forgeries. Delivery is retried with exponential backoff on network errors, 5xx, 408 and 429;
//! other answers end it. Deliveries live in memory: a node that stops drops the ones it has
//! not made (the job's result stays available from `/job/check`).

use std::time::Duration;

use hmac::{Hmac, Mac};
use sha2::Sha256;
use url::Url;

use super::fetch::check_url;
use super::status::job_status;
use crate::{ApiError, AppState};

/// Check a `callback` parameter when the job is submitted, so a wrong one is refused at once.
pub fn parse_callback(state: &AppState, raw: &str) -> Result<String, ApiError> {
    let url = Url::parse(raw.trim()).map_err(|e| {
        ApiError::new(
            452,
            format!("Invalid 'callback' URL '{}': {e}.", raw.trim()),
        )
    })?;
    check_url(&url, &state.config.fetch_allow).map_err(|blocked| {
        ApiError::new(
            403,
            format!(
                "The 'callback' URL is refused: {blocked}. An administrator can allow it with --fetch-allow."
            ),
        )
    })?;
    Ok(url.to_string())
}

/// `sha256=<hex>` of `body` under `secret`.
pub fn signature(secret: &str, body: &[u8]) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC accepts keys of any length");
    mac.update(body);
    let hex: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("sha256={hex}")
}

/// Deliver job `id`'s final state to `url` in the background.
pub fn notify(state: &AppState, url: String, id: String) {
    let state = state.clone();
    tokio::spawn(async move {
        let job = match state.jobs.get(&id).await {
            Ok(job) => job,
            Err(e) => {
                tracing::warn!(%e, job = %id, "webhook: reading the job failed; not sent");
                return;
            }
        };
        let body = serde_json::to_vec(&job_status(&id, job)).unwrap_or_default();
        deliver(&state, &url, &id, body).await;
    });
}

async fn deliver(state: &AppState, url: &str, id: &str, body: Vec<u8>) {
    let attempts = state.config.webhook_attempts.max(1);
    let mut wait = Duration::from_secs(1);
    for attempt in 1..=attempts {
        let mut req = state
            .http
            .post(url)
            .header("content-type", "application/json")
            .header("x-folio-event", "job.finished")
            .header("x-folio-job-id", id);
        if let Some(secret) = &state.config.webhook_secret {
            req = req.header("x-folio-signature", signature(secret, &body));
        }
        let outcome = req.body(body.clone()).send().await;
        let retry = match &outcome {
            Ok(r) if r.status().is_success() => {
                tracing::info!(job = %id, attempt, "webhook delivered");
                return;
            }
            Ok(r) => {
                let s = r.status().as_u16();
                tracing::warn!(job = %id, attempt, status = s, "webhook answered an error");
                s >= 500 || s == 408 || s == 429
            }
            Err(e) => {
                let error = super::fetch::redact_error(e);
                tracing::warn!(job = %id, attempt, error, "webhook not delivered");
                super::fetch::blocked_cause(e).is_none()
            }
        };
        if !retry || attempt == attempts {
            break;
        }
        tokio::time::sleep(wait).await;
        wait = (wait * 2).min(Duration::from_secs(60));
    }
    tracing::warn!(job = %id, url = super::fetch::redact(url), "webhook given up");
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 4231, test case 2.
    #[test]
    fn signature_is_hmac_sha256() {
        assert_eq!(
            signature("Jefe", b"what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
