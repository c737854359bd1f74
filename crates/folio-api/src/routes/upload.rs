//! Uploads: presigned URL + PUT, multipart, base64 (plain or data URI), and from another URL.

use axum::extract::{Path, Request, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use bytes::Bytes;
use folio_jobs::now_millis;
use folio_render::Code;

use crate::answers::{Envelope, Presigned, Uploaded, ok};
use crate::body::Blob;
use crate::extract::read_body;
use crate::params::Params;
use crate::params::multipart_boundary;
use crate::service::files;
use crate::service::input::{content_type_for, load, store_upload};
use crate::service::naming::{download_url, sanitize_name, upload_url};
use crate::service::storage::check_upload;
use crate::service::task::expiration;
use crate::{ApiError, AppState};

/// Standard base64 that does not insist on `=` padding (clients strip it).
const LENIENT_BASE64: base64::engine::GeneralPurpose = base64::engine::GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    base64::engine::GeneralPurposeConfig::new()
        .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
);

/// The success envelope of an upload.
async fn uploaded(
    state: &AppState,
    token: &str,
    name: &str,
    expires_at: i64,
) -> Result<Response, ApiError> {
    Ok(ok(&Uploaded {
        envelope: Envelope::success(),
        url: download_url(state, token, name, expires_at).await?,
        name: name.to_string(),
        output_link_valid_till: crate::service::naming::iso_time(expires_at),
    }))
}

/// `GET /file/upload/get-presigned-url?name=…&contenttype=…` → `{presignedUrl, url}`.
///
/// With an S3 store `presignedUrl` is the bucket's own presigned PUT URL, as with PDF.co: the
/// bytes bypass Folio, and the file becomes ready when first read and found in the bucket. Unlike
/// Folio's own upload URL it is not single-use: S3 accepts PUTs to it until it expires.
pub async fn presigned(State(state): State<AppState>, p: Params) -> Result<Response, ApiError> {
    let name = sanitize_name(p.get("name").unwrap_or("file.pdf"), "file.pdf");
    let content_type = p
        .get("contenttype")
        .and_then(media_type)
        .unwrap_or_else(|| content_type_for(&name).to_string());
    let minutes = expiration(&state, &p)?;
    let (token, expires_at) = files::reserve_upload(&state, &name, content_type, minutes).await?;
    Ok(ok(&Presigned {
        envelope: Envelope::success(),
        presigned_url: upload_url(&state, &token, &name).await?,
        url: download_url(&state, &token, &name, expires_at).await?,
        name,
        output_link_valid_till: crate::service::naming::iso_time(expires_at),
    }))
}

/// `contenttype` is served back as the file's `Content-Type`, so only a media type is kept;
/// anything else (PDF.co takes it, and S3 would store it) means "guess from the name".
fn media_type(given: &str) -> Option<String> {
    given
        .trim()
        .parse::<mime::Mime>()
        .ok()
        // mime 0.3 takes `type/` with an empty subtype.
        .filter(|m| !m.subtype().as_str().is_empty())
        .map(|m| m.to_string())
}

/// `PUT <presignedUrl>`: the raw bytes (or a multipart body, whose file part is kept). Once only.
pub async fn put(
    State(state): State<AppState>,
    Path((token, _name)): Path<(String, String)>,
    req: Request,
) -> Result<Response, ApiError> {
    let rec = files::pending_upload(&state, &token).await?;
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    drop(check_upload(&state, content_length(&req)).await?);
    let body = read_body(req, &state).await?;
    let head = body
        .head(512)
        .await
        .map_err(|e| ApiError::internal("reading a spooled body", e))?;
    let data = if content_type.to_ascii_lowercase().starts_with("multipart/")
        || multipart_boundary(&content_type, &head).is_some()
    {
        let p = crate::params::Params::parse_spooled(None, Some(&content_type), body, &state.spool)
            .await?;
        p.file
            .map(|f| f.data)
            .ok_or_else(|| ApiError::bad_request("The multipart body has no file part."))?
    } else {
        body
    };
    files::complete_upload(&state, &rec, data).await?;
    Ok((axum::http::StatusCode::OK, "").into_response())
}

/// The body size a request announces, if it does.
fn content_length(req: &Request) -> Option<u64> {
    req.headers()
        .get(header::CONTENT_LENGTH)?
        .to_str()
        .ok()?
        .parse()
        .ok()
}

/// `POST /file/upload` with a multipart `file`.
pub async fn multipart(State(state): State<AppState>, p: Params) -> Result<Response, ApiError> {
    let file = p.file.clone().ok_or_else(|| {
        ApiError::bad_request(
            "Bad request. Send the file as a multipart/form-data field named 'file'.",
        )
    })?;
    let name = sanitize_name(
        p.get("name").or(file.filename.as_deref()).unwrap_or(""),
        "file.pdf",
    );
    save(&state, &p, &name, file.data).await
}

/// `POST /file/upload/base64` with `file` = base64 or a `data:…;base64,…` URI.
pub async fn base64(State(state): State<AppState>, p: Params) -> Result<Response, ApiError> {
    let raw = p.get("file").ok_or_else(|| {
        ApiError::bad_request(
            "Bad request. The 'file' parameter must hold the file as base64 (or a data: URI).",
        )
    })?;
    let data = decode_base64_file(raw)?;
    let name = sanitize_name(p.get("name").unwrap_or("file"), "file");
    save(&state, &p, &name, Blob::Memory(Bytes::from(data))).await
}

/// The bytes of a base64 `file` parameter: plain or a `data:…;base64,…` URI, padding optional,
/// whitespace and line breaks ignored (clients wrap at 76 columns).
fn decode_base64_file(raw: &str) -> Result<Vec<u8>, ApiError> {
    let b64 = match raw.split_once(";base64,") {
        Some((prefix, data)) if prefix.trim_start().starts_with("data:") => data,
        _ => raw,
    };
    let cleaned: String = b64.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    LENIENT_BASE64.decode(cleaned.as_bytes()).map_err(|e| {
        ApiError::bad_request(format!("The 'file' parameter is not valid base64: {e}."))
    })
}

/// `POST /file/upload/url` with `url` (and `name`): fetch another server's file into storage.
pub async fn from_url(State(state): State<AppState>, p: Params) -> Result<Response, ApiError> {
    let (source, source_name) = crate::service::input::source_from_params(&state, &p).await?;
    let data = load(&state, &source).await?.into_blob(&state).await?;
    let name = sanitize_name(p.get("name").unwrap_or(&source_name), "file.pdf");
    save(&state, &p, &name, data).await
}

async fn save(
    state: &AppState,
    p: &crate::params::Params,
    name: &str,
    data: Blob,
) -> Result<Response, ApiError> {
    if data.len() > state.config.max_body_bytes as u64 {
        return Err(ApiError::new(
            Code::PayloadTooLarge,
            format!(
                "The file is larger than the limit of {} bytes.",
                state.config.max_body_bytes
            ),
        ));
    }
    let minutes = expiration(state, p)?;
    let token = store_upload(state, name, data, minutes).await?;
    uploaded(state, &token, name, now_millis() + minutes as i64 * 60_000).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn contenttype_is_kept_only_when_it_is_a_media_type() {
        assert_eq!(
            media_type(" application/pdf ").as_deref(),
            Some("application/pdf")
        );
        assert_eq!(
            media_type("text/plain; charset=utf-8").as_deref(),
            Some("text/plain; charset=utf-8")
        );
        for bad in [
            "i",
            "\u{bb}>\u{e9}\u{be}",
            "application/",
            "a b/c",
            "text/plain\r\nX: y",
        ] {
            assert_eq!(media_type(bad), None, "{bad:?}");
        }
    }

    proptest! {
        /// Whatever bytes, however a client wraps, pads or prefixes their base64, they come back.
        #[test]
        fn base64_files_round_trip(
            data in proptest::collection::vec(any::<u8>(), 0..300),
            pad in any::<bool>(),
            data_uri in any::<bool>(),
            wrap in 1usize..100,
        ) {
            let mut text = base64::engine::general_purpose::STANDARD.encode(&data);
            if !pad {
                text = text.trim_end_matches('=').to_string();
            }
            let wrapped: Vec<String> = text.as_bytes().chunks(wrap).map(|c| String::from_utf8_lossy(c).into_owned()).collect();
            let mut text = wrapped.join("\r\n");
            if data_uri {
                text = format!("data:application/pdf;base64,{text}");
            }
            prop_assert_eq!(decode_base64_file(&text).unwrap(), data);
        }

        /// Anything else decodes or is a 400, never a panic.
        #[test]
        fn any_base64_text_decodes_or_is_400(text in "(data:[a-z/]{0,10};base64,)?[A-Za-z0-9+/=\\s\\-_.!]{0,120}") {
            if let Err(e) = decode_base64_file(&text) {
                prop_assert_eq!(e.status, 400);
            }
        }
    }
}
