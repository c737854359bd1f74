//! Stored files as clients act on them: download, delete, hash, and the single-use PUT of a
//! presigned upload URL. The routes only read the request and shape the answer.

use folio_jobs::{FileRecord, FileState, now_millis};
use folio_render::Code;
use futures::StreamExt;
use sha2::Digest;

use super::input::current_file;
use super::storage::check_upload;
use crate::body::Blob;
use crate::{ApiError, AppState};

/// A ready file's record (for its name and type) and its bytes as a stream.
pub async fn open(
    state: &AppState,
    token: &str,
) -> Result<(FileRecord, folio_store::ByteStream), ApiError> {
    let rec = current_file(state, token).await?.ok_or_else(|| {
        ApiError::not_found("The file was not found: it may have expired or been deleted.")
    })?;
    if rec.state != FileState::Ready {
        return Err(ApiError::not_found(
            "The file is not ready yet: its job is still running (poll /job/check) or its upload has not happened.",
        ));
    }
    let stream = state.store.get_stream(&rec.key).await?;
    Ok((rec, stream))
}

/// Remove a file's record, then its bytes.
pub async fn delete(state: &AppState, token: &str) -> Result<(), ApiError> {
    let rec = state.files.delete_file(token).await?.ok_or_else(|| {
        ApiError::not_found("The file was not found: it may have expired or been deleted already.")
    })?;
    state.store.delete(&rec.key).await?;
    Ok(())
}

/// SHA-256 of a ready file, lower-case hex, read as a stream.
pub async fn sha256(state: &AppState, token: &str) -> Result<String, ApiError> {
    let (_, stored) = open(state, token).await?;
    let mut stream = stored.stream;
    let mut hasher = sha2::Sha256::new();
    while let Some(chunk) = stream.next().await {
        hasher.update(chunk?);
    }
    Ok(hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

/// Record a pending upload for a presigned URL, if the store has room: its token and expiry
/// (the longer of `minutes` and `--presigned-upload-minutes`).
pub async fn reserve_upload(
    state: &AppState,
    name: &str,
    content_type: String,
    minutes: u64,
) -> Result<(String, i64), ApiError> {
    drop(check_upload(state, None).await?);
    let token = super::naming::new_token();
    let expires_at =
        now_millis() + minutes.max(state.config.presigned_upload_minutes) as i64 * 60_000;
    state
        .files
        .insert_file(FileRecord {
            content_type,
            ..super::naming::file_record(&token, name, None, None, expires_at)
        })
        .await?;
    Ok((token, expires_at))
}

/// The upload a presigned URL may still take: known, unexpired, an upload (not a job's result,
/// whose URL only downloads: writing through it would forge the result), and not used yet.
pub async fn pending_upload(state: &AppState, token: &str) -> Result<FileRecord, ApiError> {
    let rec = state.files.get_file(token, now_millis()).await?.ok_or_else(|| {
        ApiError::not_found("This upload URL is unknown or has expired: request a new one with /file/upload/get-presigned-url.")
    })?;
    if rec.job_id.is_some() {
        return Err(ApiError::new(
            Code::Forbidden,
            "This is a conversion result's URL, not an upload URL: results cannot be written. Request an upload URL with /file/upload/get-presigned-url.",
        ));
    }
    if rec.state != FileState::Pending {
        return Err(used());
    }
    Ok(rec)
}

fn used() -> ApiError {
    ApiError::new(
        Code::Forbidden,
        "This upload URL has already been used: request a new one.",
    )
}

/// Store the bytes PUT to a presigned URL. The URL is reserved before writing, so that of racing
/// uploads exactly one is stored; a failed write gives it back.
pub async fn complete_upload(
    state: &AppState,
    rec: &FileRecord,
    data: Blob,
) -> Result<(), ApiError> {
    let token = &rec.token;
    if !state.files.begin_upload(token, now_millis()).await? {
        return Err(used());
    }
    let size = data.len();
    let _admitted = match check_upload(state, Some(size)).await {
        Ok(admitted) => admitted,
        Err(e) => {
            let _ = state.files.abort_upload(token).await;
            return Err(e);
        }
    };
    if let Err(e) = data.store(state.store.as_ref(), &rec.key).await {
        let _ = state.files.abort_upload(token).await;
        return Err(e.into());
    }
    state.files.mark_uploaded(token, size, now_millis()).await?;
    Ok(())
}
