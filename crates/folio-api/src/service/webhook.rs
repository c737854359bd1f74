//! Webhooks: when an async job with a `callback` URL ends, POST its `/job/check` body there.
//!
//! Sent through the same SSRF-guarded client as input fetches (loopback, private and link-local
//! destinations refused unless `--fetch-allow` lists them, checked after DNS and on redirects).
//! With `--webhook-secret`, each request is signed the Standard Webhooks way
//! (<https://www.standardwebhooks.com/>): `webhook-id`, `webhook-timestamp` (Unix seconds) and
//! `webhook-signature: v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`. Signing the
//! timestamp lets receivers refuse a recorded call replayed later (the libraries allow 5 minutes);
//! the id, the same on every retry, lets them drop duplicates. Delivery is retried with exponential backoff on network errors, 5xx, 408 and 429;
//! other answers end it. Deliveries live in memory: a node that stops drops the ones it has
//! not made (the job's result stays available from `/job/check`).

use std::time::Duration;

use folio_render::Code;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use url::Url;

use super::fetch::check_url;
use super::naming::job_tag;
use super::status::job_status;
use crate::{ApiError, AppState};

/// Check a `callback` parameter when the job is submitted, so a wrong one is refused at once.
pub fn parse_callback(state: &AppState, raw: &str) -> Result<String, ApiError> {
    let url = Url::parse(raw.trim()).map_err(|e| {
        ApiError::new(
            Code::InvalidUrl,
            format!("Invalid 'callback' URL '{}': {e}.", raw.trim()),
        )
    })?;
    check_url(&url, &state.config.fetch_allow).map_err(|blocked| {
        ApiError::new(
            Code::Forbidden,
            format!(
                "The 'callback' URL is refused: {blocked}. An administrator can allow it with --fetch-allow."
            ),
        )
    })?;
    Ok(url.to_string())
}

/// The HMAC key of a `--webhook-secret`: a `whsec_` secret (as Standard Webhooks libraries and
/// services hand out) is base64 of the key bytes; any other secret is its UTF-8 bytes.
pub fn signing_key(secret: &str) -> Result<Vec<u8>, String> {
    use base64::Engine;
    use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
    let Some(encoded) = secret.strip_prefix("whsec_") else {
        return Ok(secret.as_bytes().to_vec());
    };
    let lenient = GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
    );
    match lenient.decode(encoded) {
        Ok(key) if !key.is_empty() => Ok(key),
        Ok(_) => Err("a whsec_ secret needs key bytes after the prefix".into()),
        Err(e) => Err(format!("the part after whsec_ is not base64: {e}")),
    }
}

/// The `webhook-signature` value of message `id` sent at `timestamp` (Unix seconds).
pub fn signature(key: &[u8], id: &str, timestamp: u64, body: &[u8]) -> String {
    use base64::Engine;
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC accepts keys of any length");
    mac.update(format!("{id}.{timestamp}.").as_bytes());
    mac.update(body);
    let digest = mac.finalize().into_bytes();
    format!(
        "v1,{}",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// Deliver job `id`'s final state to `url` in the background.
pub fn notify(state: &AppState, url: String, id: String) {
    let state = state.clone();
    tokio::spawn(async move {
        let job = match state.jobs.get(&id).await {
            Ok(job) => job,
            Err(e) => {
                tracing::warn!(%e, job = %job_tag(&id), "webhook: reading the job failed; not sent");
                return;
            }
        };
        let body = serde_json::to_vec(&job_status(&id, job)).unwrap_or_default();
        deliver(&state, &url, &id, body).await;
    });
}

async fn deliver(state: &AppState, url: &str, id: &str, body: Vec<u8>) {
    let attempts = state.config.webhook_attempts.max(1);
    // Start-up refused a secret that does not decode.
    let key = state
        .config
        .webhook_secret
        .as_deref()
        .and_then(|secret| signing_key(secret).ok());
    // One job finishes once: its id names the message, the same on every retry.
    let message_id = format!("msg_{id}");
    let mut wait = Duration::from_secs(1);
    for attempt in 1..=attempts {
        let mut req = state
            .http
            .post(url)
            .header("content-type", "application/json")
            .header("x-folio-event", "job.finished")
            .header("x-folio-job-id", id)
            .header("webhook-id", &message_id);
        if let Some(key) = &key {
            // Signed at each attempt: a retry minutes later is still fresh to the receiver.
            let timestamp = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs());
            req = req
                .header("webhook-timestamp", timestamp.to_string())
                .header(
                    "webhook-signature",
                    signature(key, &message_id, timestamp, &body),
                );
        }
        let outcome = req.body(body.clone()).send().await;
        let retry = match &outcome {
            Ok(r) if r.status().is_success() => {
                tracing::info!(job = %job_tag(id), attempt, "webhook delivered");
                return;
            }
            Ok(r) => {
                let s = r.status().as_u16();
                tracing::warn!(job = %job_tag(id), attempt, status = s, "webhook answered an error");
                s >= 500 || s == 408 || s == 429
            }
            Err(e) => {
                let error = super::fetch::redact_error(e);
                tracing::warn!(job = %job_tag(id), attempt, error, "webhook not delivered");
                super::fetch::blocked_cause(e).is_none()
            }
        };
        if !retry || attempt == attempts {
            break;
        }
        tokio::time::sleep(wait).await;
        wait = (wait * 2).min(Duration::from_secs(60));
    }
    tracing::warn!(job = %job_tag(id), url = super::fetch::redact(url), "webhook given up");
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The test vector of the Standard Webhooks specification and its libraries.
    #[test]
    fn signature_matches_the_standard_webhooks_vector() {
        let key = signing_key("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
        assert_eq!(
            signature(
                &key,
                "msg_p5jXN8AQM9LWM0D4loKWxJek",
                1614265330,
                br#"{"test": 2432232314}"#
            ),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        );
    }

    /// A plain secret is its bytes (value from Python's hmac and base64 modules).
    #[test]
    fn a_plain_secret_is_its_utf8_bytes() {
        let key = signing_key("s3cret").unwrap();
        assert_eq!(key, b"s3cret");
        assert_eq!(
            signature(&key, "msg_1", 1700000000, b"{}"),
            "v1,uNtIplUOMTIs6G1RRPpb6NsRUZZLxUiBZsZiXV3ycuM="
        );
    }

    #[test]
    fn a_whsec_secret_must_be_base64_of_some_bytes() {
        assert!(signing_key("whsec_not base64!").is_err());
        assert!(signing_key("whsec_").is_err());
        assert_eq!(signing_key("whsec_AAE=").unwrap(), [0, 1]);
        assert_eq!(signing_key("whsec_AAE").unwrap(), [0, 1]);
    }
}
