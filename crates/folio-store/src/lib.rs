//! Folio's storage room: put, get, delete and expire blobs by key. It knows nothing of PDFs or HTTP.
//!
//! Keys are `/`-separated relative paths made of `[A-Za-z0-9._-]` segments (no empty, `.` or `..`
//! segment), chosen by Folio itself (random ids plus a sanitised file name), so no client input can
//! address anything outside the store's root. Writes are atomic: a reader sees the whole old object,
//! the whole new one, or nothing — never a partial file.
//!
//! Implementations, both on `object_store`: [`FsStore`] (a local directory) and [`S3Store`] (an
//! S3 bucket, or any S3-compatible server).

mod fs;
mod objects;
mod s3;

use std::time::{Duration, SystemTime};

use bytes::Bytes;
use futures::stream::BoxStream;

pub use fs::FsStore;
pub use s3::{S3Config, S3Store};

/// Errors of a store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// No object under this key.
    #[error("not found: {0}")]
    NotFound(String),
    /// The key is not of the allowed form (see the crate docs).
    #[error("invalid storage key '{0}'")]
    InvalidKey(String),
    /// The backend failed (I/O error, network, permissions).
    #[error("storage failure: {0}")]
    Backend(String),
}

/// Size and age of a stored object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectInfo {
    pub key: String,
    pub size: u64,
    pub last_modified: SystemTime,
}

/// A stream of an object's bytes, for serving large files without buffering them.
pub struct ByteStream {
    pub size: u64,
    pub stream: BoxStream<'static, Result<Bytes, StoreError>>,
}

/// Blob storage. Object-safe: the server holds an `Arc<dyn Store>` chosen by configuration.
#[async_trait::async_trait]
pub trait Store: Send + Sync + 'static {
    /// Store `data` under `key`, replacing any previous object, atomically.
    async fn put(&self, key: &str, data: Bytes) -> Result<(), StoreError>;

    /// Store the content of a local file under `key`, atomically, without reading it all into
    /// memory (large results such as a multi-page TIFF).
    async fn put_file(&self, key: &str, path: &std::path::Path) -> Result<(), StoreError>;

    /// The whole object.
    async fn get(&self, key: &str) -> Result<Bytes, StoreError>;

    /// The object as a stream of chunks, with its size.
    async fn get_stream(&self, key: &str) -> Result<ByteStream, StoreError>;

    /// Size and age of the object.
    async fn head(&self, key: &str) -> Result<ObjectInfo, StoreError>;

    /// Remove the object. Removing a missing object is not an error.
    async fn delete(&self, key: &str) -> Result<(), StoreError>;

    /// Objects under `prefix` (a key prefix ending in `/`, or empty for all) last modified before
    /// `cutoff`: the expiry sweeper's view of orphans.
    async fn list_older_than(
        &self,
        prefix: &str,
        cutoff: SystemTime,
    ) -> Result<Vec<ObjectInfo>, StoreError>;

    /// Remove what writes interrupted by a crash left behind (a filesystem store's staging
    /// files) when older than `cutoff`; returns how many. Stores with nothing of the kind (S3:
    /// an unfinished multipart upload is the bucket's lifecycle rule's to expire) do nothing.
    async fn sweep_staging(&self, _cutoff: SystemTime) -> Result<usize, StoreError> {
        Ok(0)
    }

    /// A URL through which a client can upload the object under `key` itself, with a plain HTTP
    /// `PUT` of the bytes, until `expires_in` has passed: large uploads then bypass Folio.
    ///
    /// `None` means the backend has no such URLs (the default, e.g. [`FsStore`]): Folio takes the
    /// upload itself and calls [`Store::put`]. Whoever holds the URL can write that one key, so
    /// hand it only to the client the key was made for.
    async fn presign_put(
        &self,
        key: &str,
        _expires_in: Duration,
    ) -> Result<Option<String>, StoreError> {
        no_presigned_url(key)
    }

    /// A URL through which a client can download the object under `key` with a plain HTTP `GET`
    /// until `expires_in` has passed. The object need not exist yet (nothing is checked).
    ///
    /// `None` means the backend has no such URLs (the default, e.g. [`FsStore`]): Folio serves
    /// the bytes itself from [`Store::get_stream`].
    async fn presign_get(
        &self,
        key: &str,
        _expires_in: Duration,
    ) -> Result<Option<String>, StoreError> {
        no_presigned_url(key)
    }
}

/// The default of the `presign_*` methods: still rejects an invalid key, like every method.
fn no_presigned_url(key: &str) -> Result<Option<String>, StoreError> {
    validate_key(key)?;
    Ok(None)
}

/// Check that `key` has the allowed form (see the crate docs).
pub fn validate_key(key: &str) -> Result<(), StoreError> {
    let ok = !key.is_empty()
        && key.len() <= 1024
        && key.split('/').all(|seg| {
            !seg.is_empty()
                && seg != "."
                && seg != ".."
                && seg
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
        });
    if ok {
        Ok(())
    } else {
        Err(StoreError::InvalidKey(key.chars().take(100).collect()))
    }
}

/// Check that `prefix` is empty or a valid key followed by `/`, the form
/// [`Store::list_older_than`] takes: a bare `files/ab` is rejected rather than silently read as
/// either a string prefix or a directory, since backends would disagree on which.
pub fn validate_prefix(prefix: &str) -> Result<(), StoreError> {
    if prefix.is_empty() {
        return Ok(());
    }
    match prefix.strip_suffix('/') {
        Some(dir) if validate_key(dir).is_ok() => Ok(()),
        _ => Err(StoreError::InvalidKey(prefix.chars().take(100).collect())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validate_key_accepts_folio_keys() {
        for key in [
            "files/abc123/report-0.png",
            "jobs/AbC_-9/x.tiff",
            "a",
            "a.b/c..d",
        ] {
            assert!(validate_key(key).is_ok(), "{key}");
        }
    }

    #[test]
    fn validate_key_rejects_escapes_and_odd_bytes() {
        let long = "a".repeat(2000);
        for key in [
            "", "../x", "/abs", "a//b", "a/./b", "a\\b", "x\0y", "a/b/..", "a/", "a b", "é", &long,
        ] {
            assert!(
                matches!(validate_key(key), Err(StoreError::InvalidKey(_))),
                "{key:?}"
            );
        }
    }

    #[test]
    fn validate_prefix_wants_empty_or_trailing_slash() {
        assert!(validate_prefix("").is_ok());
        assert!(validate_prefix("files/").is_ok());
        assert!(validate_prefix("files/abc/").is_ok());
        for prefix in ["files", "/", "../", "files//", "./"] {
            assert!(
                matches!(validate_prefix(prefix), Err(StoreError::InvalidKey(_))),
                "{prefix:?}"
            );
        }
    }
}
