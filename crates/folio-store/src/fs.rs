//! [`FsStore`]: the [`Store`] on a local directory, via `object_store`'s `LocalFileSystem`.

use std::path::Path as FsPath;

use object_store::local::LocalFileSystem;

use crate::StoreError;
use crate::objects::{Objects, impl_store_via_objects};

/// Size of the parts `put_file` reads and writes: bounds its memory use to a few of these.
const PART_SIZE: usize = 4 * 1024 * 1024;

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
///
/// `list_older_than` walks the directory; files whose names are not valid keys (not written
/// through a store) are left out. No presigned URLs (the trait's default): Folio serves uploads
/// and downloads itself.
#[derive(Debug, Clone)]
pub struct FsStore {
    objects: Objects<LocalFileSystem>,
    root: std::path::PathBuf,
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
        Ok(Self {
            objects: Objects::new(inner, None, PART_SIZE),
            root: root.to_path_buf(),
        })
    }
}

/// Staging files (`<dest>#<n>`) under `dir` last modified before `cutoff`, deleted; keys never
/// contain `#`, so nothing else matches. Depth is bounded like keys are.
fn remove_staging(dir: &FsPath, cutoff: std::time::SystemTime, depth: usize) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() && depth < 64 {
            removed += remove_staging(&entry.path(), cutoff, depth + 1);
        } else if kind.is_file()
            && entry.file_name().to_string_lossy().contains('#')
            && entry
                .metadata()
                .and_then(|m| m.modified())
                .is_ok_and(|t| t < cutoff)
            && std::fs::remove_file(entry.path()).is_ok()
        {
            removed += 1;
        }
    }
    removed
}

impl_store_via_objects!(FsStore {
    async fn sweep_staging(
        &self,
        cutoff: ::std::time::SystemTime,
    ) -> Result<usize, StoreError> {
        let root = self.root.clone();
        tokio::task::spawn_blocking(move || remove_staging(&root, cutoff, 0))
            .await
            .map_err(|e| StoreError::Backend(e.to_string()))
    }
});
