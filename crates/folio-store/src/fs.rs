//! [`FsStore`]: the [`Store`] on a local directory, via `object_store`'s `LocalFileSystem`.

use std::path::Path as FsPath;
use std::time::SystemTime;

use bytes::{Bytes, BytesMut};
use futures::{StreamExt, TryStreamExt};
use object_store::local::LocalFileSystem;
use object_store::path::Path;
use object_store::{ObjectMeta, ObjectStore, ObjectStoreExt, PutPayload, WriteMultipart};
use tokio::io::AsyncReadExt;

use crate::{ByteStream, ObjectInfo, Store, StoreError, validate_key, validate_prefix};

/// Size of the parts `put_file` reads and writes: bounds its memory use to a few of these.
const PART_SIZE: usize = 4 * 1024 * 1024;

/// Parts of one `put_file` in flight at once (plus the one being read).
const PARTS_IN_FLIGHT: usize = 2;

/// Blobs as files under a root directory.
///
/// Atomicity comes from `LocalFileSystem` (object_store 0.14, `local.rs`): both `put` and a
/// multipart upload first write a fresh staging file `<dest>#<n>` (opened with `create_new`, so
/// concurrent writers never share one) and only then `rename` it over `<dest>`. A POSIX rename
/// within one directory replaces the name atomically, so readers see the old file or the new one,
/// never a partial one, and concurrent writers leave exactly one complete value (the last
/// rename). Staging files are skipped by listings and unreachable by keys, which cannot contain
/// `#`. `fsync` is on so that this also holds after a crash: without it the rename could reach
/// the disk before the data, leaving a complete-looking truncated object.
#[derive(Debug, Clone)]
pub struct FsStore {
    inner: LocalFileSystem,
}

impl FsStore {
    /// A store rooted at `root`, which is created if missing.
    pub fn new(root: impl AsRef<FsPath>) -> Result<Self, StoreError> {
        let root = root.as_ref();
        std::fs::create_dir_all(root).map_err(|e| {
            StoreError::Backend(format!("cannot create store root {}: {e}", root.display()))
        })?;
        let inner = LocalFileSystem::new_with_prefix(root)
            .map_err(|e| StoreError::Backend(e.to_string()))?
            .with_fsync(true);
        Ok(Self { inner })
    }
}

/// The object_store path of a key, after checking the key's form: this check is what keeps every
/// operation inside the root.
fn location(key: &str) -> Result<Path, StoreError> {
    validate_key(key)?;
    Path::parse(key).map_err(|_| StoreError::InvalidKey(key.to_owned()))
}

/// `NotFound` keeps its meaning (callers answer 404 on it); anything else is a backend failure.
fn store_error(key: &str, e: object_store::Error) -> StoreError {
    match e {
        object_store::Error::NotFound { .. } => StoreError::NotFound(key.to_owned()),
        e => StoreError::Backend(e.to_string()),
    }
}

fn object_info(meta: ObjectMeta) -> ObjectInfo {
    ObjectInfo {
        key: meta.location.to_string(),
        size: meta.size,
        last_modified: meta.last_modified.into(),
    }
}

/// Reads up to `PART_SIZE` bytes (fewer only at end of file).
async fn read_part(file: &mut tokio::fs::File) -> std::io::Result<Bytes> {
    let mut buf = BytesMut::with_capacity(PART_SIZE);
    while buf.len() < PART_SIZE {
        if file.read_buf(&mut buf).await? == 0 {
            break;
        }
    }
    Ok(buf.freeze())
}

#[async_trait::async_trait]
impl Store for FsStore {
    async fn put(&self, key: &str, data: Bytes) -> Result<(), StoreError> {
        let loc = location(key)?;
        self.inner
            .put(&loc, PutPayload::from_bytes(data))
            .await
            .map_err(|e| store_error(key, e))?;
        Ok(())
    }

    /// Streams the file in `PART_SIZE` parts through a multipart upload, which `LocalFileSystem`
    /// stages and renames into place on `finish` just like `put`. On any failure the upload is
    /// aborted, removing the staging file and leaving the previous object untouched.
    async fn put_file(&self, key: &str, path: &FsPath) -> Result<(), StoreError> {
        let loc = location(key)?;
        let mut file = tokio::fs::File::open(path)
            .await
            .map_err(|e| StoreError::Backend(format!("cannot open {}: {e}", path.display())))?;
        let upload = self
            .inner
            .put_multipart(&loc)
            .await
            .map_err(|e| store_error(key, e))?;
        let mut writer = WriteMultipart::new_with_chunk_size(upload, PART_SIZE);
        loop {
            let next_part = match writer.wait_for_capacity(PARTS_IN_FLIGHT).await {
                Err(e) => Err(store_error(key, e)),
                Ok(()) => read_part(&mut file).await.map_err(|e| {
                    StoreError::Backend(format!("cannot read {}: {e}", path.display()))
                }),
            };
            match next_part {
                Ok(part) if part.is_empty() => break,
                Ok(part) => writer.put(part),
                Err(e) => {
                    // The original error is the one worth reporting; a failed cleanup only leaves
                    // a staging file, invisible to keys and listings.
                    let _ = writer.abort().await;
                    return Err(e);
                }
            }
        }
        writer.finish().await.map_err(|e| store_error(key, e))?;
        Ok(())
    }

    async fn get(&self, key: &str) -> Result<Bytes, StoreError> {
        let loc = location(key)?;
        let result = self
            .inner
            .get(&loc)
            .await
            .map_err(|e| store_error(key, e))?;
        result.bytes().await.map_err(|e| store_error(key, e))
    }

    async fn get_stream(&self, key: &str) -> Result<ByteStream, StoreError> {
        let loc = location(key)?;
        let result = self
            .inner
            .get(&loc)
            .await
            .map_err(|e| store_error(key, e))?;
        let size = result.meta.size;
        let key = key.to_owned();
        let stream = result
            .into_stream()
            .map_err(move |e| store_error(&key, e))
            .boxed();
        Ok(ByteStream { size, stream })
    }

    async fn head(&self, key: &str) -> Result<ObjectInfo, StoreError> {
        let loc = location(key)?;
        let meta = self
            .inner
            .head(&loc)
            .await
            .map_err(|e| store_error(key, e))?;
        Ok(object_info(meta))
    }

    async fn delete(&self, key: &str) -> Result<(), StoreError> {
        let loc = location(key)?;
        match self.inner.delete(&loc).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(store_error(key, e)),
        }
    }

    /// Walks the directory under `prefix`. Files whose names are not valid keys (not written
    /// through a store) are left out: the sweeper could not delete them by key anyway.
    async fn list_older_than(
        &self,
        prefix: &str,
        cutoff: SystemTime,
    ) -> Result<Vec<ObjectInfo>, StoreError> {
        validate_prefix(prefix)?;
        let dir = Path::parse(prefix).map_err(|_| StoreError::InvalidKey(prefix.to_owned()))?;
        self.inner
            .list(Some(&dir))
            .map_err(|e| store_error(prefix, e))
            .try_filter_map(|meta| async move {
                let info = object_info(meta);
                let keep = info.last_modified < cutoff && validate_key(&info.key).is_ok();
                Ok(keep.then_some(info))
            })
            .try_collect()
            .await
    }
}
