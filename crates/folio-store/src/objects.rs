//! The [`Store`](crate::Store) operations on any `object_store` backend, shared by [`FsStore`]
//! and [`S3Store`] so that key checks, error mapping and the streamed `put_file` exist once.
//!
//! [`FsStore`]: crate::FsStore
//! [`S3Store`]: crate::S3Store

use std::path::Path as FsPath;
use std::time::SystemTime;

use bytes::{Bytes, BytesMut};
use futures::{StreamExt, TryStreamExt};
use object_store::path::Path;
use object_store::{
    GetResult, ObjectMeta, ObjectStore, ObjectStoreExt, PutPayload, WriteMultipart,
};
use tokio::io::AsyncReadExt;

use crate::{ByteStream, ObjectInfo, StoreError, validate_key, validate_prefix};

/// Parts of one `put_file` in flight at once (plus the one being read): with the part size, this
/// bounds its memory use.
const PARTS_IN_FLIGHT: usize = 2;

/// An `object_store` backend seen through Folio keys, optionally below a fixed key prefix.
#[derive(Debug, Clone)]
pub(crate) struct Objects<O> {
    pub(crate) inner: O,
    /// `<prefix>/` put before every key, or empty.
    root: String,
    /// Size of the parts `put_file` reads and uploads.
    part_size: usize,
}

impl<O: ObjectStore> Objects<O> {
    /// `prefix`, when given, must be a valid key (checked by the caller's constructor).
    pub(crate) fn new(inner: O, prefix: Option<&str>, part_size: usize) -> Self {
        let root = prefix.map(|p| format!("{p}/")).unwrap_or_default();
        Self {
            inner,
            root,
            part_size,
        }
    }

    /// The backend path of a key, after checking the key's form: this check is what keeps every
    /// operation inside the store's root.
    pub(crate) fn location(&self, key: &str) -> Result<Path, StoreError> {
        validate_key(key)?;
        Path::parse(format!("{}{key}", self.root))
            .map_err(|_| StoreError::InvalidKey(key.to_owned()))
    }

    /// The key of a listed object, or `None` for one that no key can name (outside the prefix,
    /// or a name a store never writes): the sweeper could not delete it by key anyway.
    fn object_info(&self, meta: ObjectMeta) -> Option<ObjectInfo> {
        let key = meta.location.as_ref().strip_prefix(&self.root)?;
        validate_key(key).ok()?;
        Some(ObjectInfo {
            key: key.to_owned(),
            size: meta.size,
            last_modified: meta.last_modified.into(),
        })
    }

    pub(crate) async fn put(&self, key: &str, data: Bytes) -> Result<(), StoreError> {
        let loc = self.location(key)?;
        self.inner
            .put(&loc, PutPayload::from_bytes(data))
            .await
            .map_err(|e| store_error(key, e))?;
        Ok(())
    }

    /// A file that fits in one part goes up in a single `put`; a larger one streams through a
    /// multipart upload, whose object only appears when `finish` completes it. On any failure
    /// the upload is aborted, leaving the previous object untouched.
    pub(crate) async fn put_file(&self, key: &str, path: &FsPath) -> Result<(), StoreError> {
        let loc = self.location(key)?;
        let read_error =
            |e: std::io::Error| StoreError::Backend(format!("cannot read {}: {e}", path.display()));
        let mut file = tokio::fs::File::open(path)
            .await
            .map_err(|e| StoreError::Backend(format!("cannot open {}: {e}", path.display())))?;
        let first = read_part(&mut file, self.part_size)
            .await
            .map_err(read_error)?;
        if first.len() < self.part_size {
            return self.put(key, first).await;
        }
        let upload = self
            .inner
            .put_multipart(&loc)
            .await
            .map_err(|e| store_error(key, e))?;
        let mut writer = WriteMultipart::new_with_chunk_size(upload, self.part_size);
        writer.put(first);
        loop {
            let next_part = match writer.wait_for_capacity(PARTS_IN_FLIGHT).await {
                Err(e) => Err(store_error(key, e)),
                Ok(()) => read_part(&mut file, self.part_size)
                    .await
                    .map_err(read_error),
            };
            match next_part {
                Ok(part) if part.is_empty() => break,
                Ok(part) => writer.put(part),
                Err(e) => {
                    // The original error is the one worth reporting; a failed abort only leaves
                    // unfinished parts, invisible to keys and listings.
                    let _ = writer.abort().await;
                    return Err(e);
                }
            }
        }
        writer.finish().await.map_err(|e| store_error(key, e))?;
        Ok(())
    }

    async fn get_result(&self, key: &str) -> Result<GetResult, StoreError> {
        let loc = self.location(key)?;
        self.inner.get(&loc).await.map_err(|e| store_error(key, e))
    }

    pub(crate) async fn get(&self, key: &str) -> Result<Bytes, StoreError> {
        let result = self.get_result(key).await?;
        result.bytes().await.map_err(|e| store_error(key, e))
    }

    pub(crate) async fn get_stream(&self, key: &str) -> Result<ByteStream, StoreError> {
        let result = self.get_result(key).await?;
        let size = result.meta.size;
        let key = key.to_owned();
        let stream = result
            .into_stream()
            .map_err(move |e| store_error(&key, e))
            .boxed();
        Ok(ByteStream { size, stream })
    }

    pub(crate) async fn head(&self, key: &str) -> Result<ObjectInfo, StoreError> {
        let loc = self.location(key)?;
        let meta = self
            .inner
            .head(&loc)
            .await
            .map_err(|e| store_error(key, e))?;
        Ok(ObjectInfo {
            key: key.to_owned(),
            size: meta.size,
            last_modified: meta.last_modified.into(),
        })
    }

    pub(crate) async fn delete(&self, key: &str) -> Result<(), StoreError> {
        let loc = self.location(key)?;
        match self.inner.delete(&loc).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(store_error(key, e)),
        }
    }

    pub(crate) async fn list_older_than(
        &self,
        prefix: &str,
        cutoff: SystemTime,
    ) -> Result<Vec<ObjectInfo>, StoreError> {
        validate_prefix(prefix)?;
        let dir = Path::parse(format!("{}{prefix}", self.root))
            .map_err(|_| StoreError::InvalidKey(prefix.to_owned()))?;
        self.inner
            .list(Some(&dir))
            .map_err(|e| store_error(prefix, e))
            .try_filter_map(|meta| async move {
                let info = self.object_info(meta);
                Ok(info.filter(|info| info.last_modified < cutoff))
            })
            .try_collect()
            .await
    }
}

/// `NotFound` keeps its meaning (callers answer 404 on it); anything else is a backend failure.
pub(crate) fn store_error(key: &str, e: object_store::Error) -> StoreError {
    match e {
        object_store::Error::NotFound { .. } => StoreError::NotFound(key.to_owned()),
        e => StoreError::Backend(e.to_string()),
    }
}

/// Reads up to `size` bytes (fewer only at end of file).
async fn read_part(file: &mut tokio::fs::File, size: usize) -> std::io::Result<Bytes> {
    let mut buf = BytesMut::with_capacity(size);
    while buf.len() < size {
        if file.read_buf(&mut buf).await? == 0 {
            break;
        }
    }
    Ok(buf.freeze())
}

/// `impl Store for $store { ... }` for a store whose `objects` field is an [`Objects`]: the
/// operations every backend shares are delegated to it, and the block adds what differs
/// (presigned URLs). A macro rather than a blanket impl so that each store stays its own public
/// type; it writes the whole impl because `async_trait` must see every `async fn` in it.
macro_rules! impl_store_via_objects {
    ($store:ty { $($extra:tt)* }) => {
        #[async_trait::async_trait]
        impl $crate::Store for $store {
            async fn put(&self, key: &str, data: ::bytes::Bytes) -> Result<(), $crate::StoreError> {
                self.objects.put(key, data).await
            }

            async fn put_file(
                &self,
                key: &str,
                path: &::std::path::Path,
            ) -> Result<(), $crate::StoreError> {
                self.objects.put_file(key, path).await
            }

            async fn get(&self, key: &str) -> Result<::bytes::Bytes, $crate::StoreError> {
                self.objects.get(key).await
            }

            async fn get_stream(
                &self,
                key: &str,
            ) -> Result<$crate::ByteStream, $crate::StoreError> {
                self.objects.get_stream(key).await
            }

            async fn head(&self, key: &str) -> Result<$crate::ObjectInfo, $crate::StoreError> {
                self.objects.head(key).await
            }

            async fn delete(&self, key: &str) -> Result<(), $crate::StoreError> {
                self.objects.delete(key).await
            }

            async fn list_older_than(
                &self,
                prefix: &str,
                cutoff: ::std::time::SystemTime,
            ) -> Result<Vec<$crate::ObjectInfo>, $crate::StoreError> {
                self.objects.list_older_than(prefix, cutoff).await
            }

            $($extra)*
        }
    };
}
pub(crate) use impl_store_via_objects;
