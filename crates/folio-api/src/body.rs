//! Request bodies and fetched inputs, held in bounded memory.
//!
//! A body of up to [`MEMORY_MAX`] bytes stays in memory; a larger one is written to a file in
//! the spool directory as it arrives, so six 200 MiB uploads at once cost disk, not RAM, and
//! reach the store with [`folio_store::Store::put_file`] (streamed). Whatever must be parsed in
//! memory from a spooled file (a JSON or form body of parameters, a large multipart text field)
//! first takes its share of one budget shared by all requests ([`Spool::budget`]): when the
//! budget is spent the request answers 429 at once rather than waiting while holding memory.
//! Spool files are deleted when their [`Blob`] is dropped; files a crash left behind are swept
//! by age ([`Spool::sweep`]). The bytes of all spool files together are bounded too
//! ([`Spool::new`]'s `disk_bytes`): a body that would pass the bound answers 429, so many slow
//! large uploads at once cannot fill the disk.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use axum::extract::Request;
use axum::http::header;
use bytes::{Bytes, BytesMut};
use folio_render::Code;
use futures::{Stream, StreamExt};
use tokio::io::AsyncWriteExt;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::ApiError;

/// Largest body or part kept in memory; beyond it, the spool directory.
pub const MEMORY_MAX: usize = 64 * 1024;

/// Memory a parse of `n` bytes of text may take: the text, the parsed values and decoded base64.
const PARSE_FACTOR: u64 = 3;

/// Bytes of one request body, a multipart file part or a fetched input.
#[derive(Debug, Clone)]
pub enum Blob {
    Memory(Bytes),
    /// A spool file (deleted when the last clone is dropped) and its size.
    File(Arc<SpoolFile>, u64),
}

/// A file in the spool directory, deleted (and its bytes given back to the spool's disk bound)
/// when dropped.
#[derive(Debug)]
pub struct SpoolFile {
    path: tempfile::TempPath,
    _charge: DiskCharge,
}

impl SpoolFile {
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// Bytes counted against the spool's disk bound, given back when dropped.
#[derive(Debug)]
struct DiskCharge {
    held: Arc<AtomicU64>,
    max: u64,
    bytes: u64,
}

impl DiskCharge {
    /// Count `n` more bytes; false (and nothing counted) if that would pass the bound.
    fn grow(&mut self, n: u64) -> bool {
        let fits = self
            .held
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |held| {
                let next = held.saturating_add(n);
                (self.max == 0 || next <= self.max).then_some(next)
            })
            .is_ok();
        if fits {
            self.bytes += n;
        }
        fits
    }
}

impl Drop for DiskCharge {
    fn drop(&mut self) {
        self.held.fetch_sub(self.bytes, Ordering::SeqCst);
    }
}

impl PartialEq for Blob {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Blob::Memory(a), Blob::Memory(b)) => a == b,
            (Blob::File(a, _), Blob::File(b, _)) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }
}

impl Eq for Blob {}

impl Blob {
    pub fn len(&self) -> u64 {
        match self {
            Blob::Memory(b) => b.len() as u64,
            Blob::File(_, n) => *n,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The bytes, when they are in memory.
    pub fn bytes(&self) -> Option<&Bytes> {
        match self {
            Blob::Memory(b) => Some(b),
            Blob::File(..) => None,
        }
    }

    /// Up to `n` first bytes (to sniff a body's kind).
    pub async fn head(&self, n: usize) -> std::io::Result<Vec<u8>> {
        match self {
            Blob::Memory(b) => Ok(b[..b.len().min(n)].to_vec()),
            Blob::File(file, _) => {
                use tokio::io::AsyncReadExt;
                let mut f = tokio::fs::File::open(file.path()).await?;
                let mut buf = vec![0; n];
                let mut got = 0;
                while got < n {
                    let r = f.read(&mut buf[got..]).await?;
                    if r == 0 {
                        break;
                    }
                    got += r;
                }
                buf.truncate(got);
                Ok(buf)
            }
        }
    }

    /// The bytes as a stream of chunks.
    pub async fn stream(
        &self,
    ) -> std::io::Result<impl Stream<Item = std::io::Result<Bytes>> + Send + 'static> {
        let inner: futures::stream::BoxStream<'static, std::io::Result<Bytes>> = match self {
            Blob::Memory(b) => futures::stream::once(std::future::ready(Ok(b.clone()))).boxed(),
            Blob::File(file, _) => {
                let f = tokio::fs::File::open(file.path()).await?;
                // Keep the spool file alive while the stream reads it.
                let keep = file.clone();
                tokio_util::io::ReaderStream::with_capacity(f, 256 * 1024)
                    .map(move |chunk| {
                        let _ = &keep;
                        chunk
                    })
                    .boxed()
            }
        };
        Ok(inner)
    }

    /// Everything in memory: only for what is bounded already (the caller took a budget, or the
    /// blob is a document about to be handed to a renderer under the render limit).
    pub async fn into_vec(self) -> std::io::Result<Vec<u8>> {
        match self {
            Blob::Memory(b) => Ok(b.to_vec()),
            Blob::File(file, _) => tokio::fs::read(file.path()).await,
        }
    }

    /// Store the bytes under `key`: a spool file is streamed, never read whole.
    pub async fn store(
        &self,
        store: &dyn folio_store::Store,
        key: &str,
    ) -> Result<(), folio_store::StoreError> {
        match self {
            Blob::Memory(b) => store.put(key, b.clone()).await,
            Blob::File(file, _) => store.put_file(key, file.path()).await,
        }
    }
}

/// Parse memory held for a request's parameters; given back when dropped.
#[derive(Debug, Clone)]
pub struct Reservation(#[allow(dead_code)] Arc<OwnedSemaphorePermit>);

/// Reservations say nothing about a request's meaning.
impl PartialEq for Reservation {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for Reservation {}

/// Where bodies spill, and the memory budget for parsing them.
#[derive(Debug)]
pub struct Spool {
    dir: PathBuf,
    /// Kibibytes of parse memory left, shared by all requests.
    budget: Arc<Semaphore>,
    budget_kib: u32,
    /// Bytes of all spool files now, and their bound (0 = none).
    disk_held: Arc<AtomicU64>,
    disk_max: u64,
}

impl Spool {
    /// A spool in `dir` (created if missing) with `budget_bytes` of parse memory and at most
    /// `disk_bytes` in its files together (0 = no bound).
    pub fn new(dir: PathBuf, budget_bytes: u64, disk_bytes: u64) -> Self {
        // Created again on each use if it vanishes; failing here would only hide the reason.
        let _ = std::fs::create_dir_all(&dir);
        let budget_kib = (budget_bytes / 1024).clamp(1, u64::from(u32::MAX >> 4)) as u32;
        Self {
            dir,
            budget: Arc::new(Semaphore::new(budget_kib as usize)),
            budget_kib,
            disk_held: Arc::default(),
            disk_max: disk_bytes,
        }
    }

    /// Bytes in spool files now.
    #[cfg(test)]
    fn disk_bytes(&self) -> u64 {
        self.disk_held.load(Ordering::SeqCst)
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// A fresh spool file.
    pub fn file(&self) -> std::io::Result<(tokio::fs::File, tempfile::TempPath)> {
        std::fs::create_dir_all(&self.dir)?;
        let (file, path) = tempfile::Builder::new()
            .prefix("spool-")
            .tempfile_in(&self.dir)?
            .into_parts();
        Ok((tokio::fs::File::from_std(file), path))
    }

    /// Take parse memory for `bytes` of text, until the [`Reservation`] is dropped: 413 if more
    /// than the whole budget, 429 if the budget is in use by other requests now.
    pub fn reserve(&self, bytes: u64) -> Result<Reservation, ApiError> {
        let kib = (bytes.saturating_mul(PARSE_FACTOR) / 1024 + 1).min(u64::from(u32::MAX));
        if kib > u64::from(self.budget_kib) {
            return Err(ApiError::new(
                Code::PayloadTooLarge,
                format!(
                    "The request's parameters ({bytes} bytes) are too large to read: send large files as a multipart file part or with a PUT to a presigned upload URL."
                ),
            ));
        }
        self.budget
            .clone()
            .try_acquire_many_owned(kib as u32)
            .map(|p| Reservation(Arc::new(p)))
            .map_err(|_| {
                ApiError::new(
                    Code::TooManyRequests,
                    "Too many requests: the server is reading other large requests; try again in a few seconds.",
                )
            })
    }

    /// Collect `chunks` (at most `limit` bytes) in memory up to [`MEMORY_MAX`], then in a spool
    /// file. `too_large` says what to answer past the limit. A `declared` size (Content-Length)
    /// that will spill is counted against the disk bound before the first byte is read, so a
    /// refusal (429) comes while the client can still read it, not midway through its upload.
    pub async fn collect<S, E>(
        &self,
        chunks: S,
        declared: Option<u64>,
        limit: u64,
        too_large: impl Fn(u64) -> ApiError,
        read_error: impl Fn(E) -> ApiError,
    ) -> Result<Blob, ApiError>
    where
        S: Stream<Item = Result<Bytes, E>>,
    {
        let mut chunks = std::pin::pin!(chunks);
        let mut memory = BytesMut::new();
        let mut file: Option<(tokio::fs::File, tempfile::TempPath)> = None;
        let mut charge = DiskCharge {
            held: self.disk_held.clone(),
            max: self.disk_max,
            bytes: 0,
        };
        let mut size = 0u64;
        let io = |e: std::io::Error| ApiError::internal("spooling a request body", e);
        let full = |max: u64| {
            ApiError::new(
                Code::TooManyRequests,
                format!(
                    "Too many requests: the server is holding other large documents on disk ({} MiB, its limit for bodies and fetched files waiting to be processed); try again in a minute.",
                    max >> 20
                ),
            )
        };
        if let Some(n) = declared.filter(|&n| n > MEMORY_MAX as u64 && n <= limit)
            && !charge.grow(n)
        {
            return Err(full(self.disk_max));
        }
        while let Some(chunk) = chunks.next().await {
            let chunk = chunk.map_err(&read_error)?;
            size += chunk.len() as u64;
            if size > limit {
                return Err(too_large(limit));
            }
            if file.is_none() && memory.len() + chunk.len() <= MEMORY_MAX {
                memory.extend_from_slice(&chunk);
                continue;
            }
            // From here on every byte received is on disk (the memory part spills with it).
            if size > charge.bytes && !charge.grow(size - charge.bytes) {
                return Err(full(self.disk_max));
            }
            match &mut file {
                Some((f, _)) => f.write_all(&chunk).await.map_err(io)?,
                None => {
                    let (mut f, path) = self.file().map_err(io)?;
                    f.write_all(&memory).await.map_err(io)?;
                    f.write_all(&chunk).await.map_err(io)?;
                    memory = BytesMut::new();
                    file = Some((f, path));
                }
            }
        }
        match file {
            Some((mut f, path)) => {
                f.flush().await.map_err(io)?;
                let file = SpoolFile {
                    path,
                    _charge: charge,
                };
                Ok(Blob::File(Arc::new(file), size))
            }
            None => Ok(Blob::Memory(memory.freeze())),
        }
    }

    /// Delete spool files older than `max_age`: left by a crash, or by a request still running
    /// after far longer than any request may take. Returns how many.
    pub fn sweep(&self, max_age: Duration) -> usize {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return 0;
        };
        let cutoff = SystemTime::now() - max_age;
        entries
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().starts_with("spool-"))
            .filter(|e| {
                e.metadata()
                    .and_then(|m| m.modified())
                    .is_ok_and(|t| t < cutoff)
            })
            .filter(|e| std::fs::remove_file(e.path()).is_ok())
            .count()
    }
}

impl Default for Spool {
    /// The system's temporary directory, 512 MiB of parse memory and no disk bound (library use
    /// and tests).
    fn default() -> Self {
        Self::new(std::env::temp_dir().join("folio-spool"), 512 << 20, 0)
    }
}

/// A request's body, spooled: 413 at once for a declared `Content-Length` over `limit` (before
/// reading a byte) or as soon as more arrives, 408 when it has not arrived within `timeout`.
pub async fn spool_request(
    req: Request,
    spool: &Spool,
    limit: u64,
    timeout: Duration,
) -> Result<Blob, ApiError> {
    let too_large = |limit: u64| {
        ApiError::new(
            Code::PayloadTooLarge,
            format!("The request body is larger than the limit of {limit} bytes."),
        )
    };
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(too_large(limit));
    }
    let chunks = req.into_body().into_data_stream();
    let read = spool.collect(chunks, declared, limit, too_large, |e| {
        ApiError::bad_request(format!("The request body could not be read: {e}."))
    });
    tokio::time::timeout(timeout, read).await.map_err(|_| {
        ApiError::new(
            Code::RequestTimeout,
            format!(
                "The request body was not received within {} s.",
                timeout.as_secs()
            ),
        )
    })?
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunks(parts: Vec<Vec<u8>>) -> impl Stream<Item = Result<Bytes, std::io::Error>> {
        futures::stream::iter(parts.into_iter().map(|p| Ok(Bytes::from(p))))
    }

    #[tokio::test]
    async fn small_bodies_stay_in_memory_large_ones_spill_and_vanish_on_drop() {
        let dir = tempfile::tempdir().unwrap();
        let spool = Spool::new(dir.path().join("s"), 1 << 20, 0);
        let tl = |_| ApiError::new(Code::PayloadTooLarge, "big");
        let rd = |e: std::io::Error| ApiError::bad_request(e.to_string());
        let small = spool
            .collect(chunks(vec![vec![1; 10]]), None, 1 << 30, tl, rd)
            .await
            .unwrap();
        assert_eq!(small.bytes().map(|b| b.len()), Some(10));
        let parts = vec![vec![7u8; MEMORY_MAX - 1], vec![8u8; 5], vec![9u8; 300_000]];
        let whole: Vec<u8> = parts.concat();
        let big = spool
            .collect(chunks(parts), None, 1 << 30, tl, rd)
            .await
            .unwrap();
        let Blob::File(path, size) = &big else {
            panic!("a large body must spill")
        };
        assert_eq!(*size, whole.len() as u64);
        let path = path.path().to_path_buf();
        assert_eq!(big.head(4).await.unwrap(), vec![7; 4]);
        let mut streamed = Vec::new();
        let mut s = big.stream().await.unwrap();
        while let Some(c) = s.next().await {
            streamed.extend_from_slice(&c.unwrap());
        }
        assert_eq!(streamed, whole);
        assert_eq!(big.clone().into_vec().await.unwrap(), whole);
        drop(s);
        drop(big);
        assert!(!path.exists(), "the spool file is deleted with its blob");
    }

    #[tokio::test]
    async fn over_the_limit_is_refused_midway_and_leaves_no_file() {
        let dir = tempfile::tempdir().unwrap();
        let spool = Spool::new(dir.path().to_path_buf(), 1 << 20, 0);
        let parts = vec![vec![0u8; 100_000]; 5];
        let e = spool
            .collect(
                chunks(parts),
                None,
                250_000,
                |_| ApiError::new(Code::PayloadTooLarge, "big"),
                |e: std::io::Error| ApiError::bad_request(e.to_string()),
            )
            .await
            .unwrap_err();
        assert_eq!(e.status, 413);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[tokio::test]
    async fn spool_files_together_stay_under_the_disk_bound() {
        let dir = tempfile::tempdir().unwrap();
        let spool = Spool::new(dir.path().to_path_buf(), 1 << 20, 1 << 20);
        let tl = |_| ApiError::new(Code::PayloadTooLarge, "big");
        let rd = |e: std::io::Error| ApiError::bad_request(e.to_string());
        let body = || chunks(vec![vec![0u8; 100_000]; 6]);
        let first = spool.collect(body(), None, 1 << 30, tl, rd).await.unwrap();
        assert_eq!(spool.disk_bytes(), 600_000);
        let e = spool
            .collect(body(), None, 1 << 30, tl, rd)
            .await
            .unwrap_err();
        assert_eq!(e.status, 429, "{}", e.message);
        assert_eq!(
            spool.disk_bytes(),
            600_000,
            "a refused body gives its bytes back"
        );
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        let small = spool.collect(chunks(vec![vec![1; 10]]), None, 1 << 30, tl, rd);
        assert!(small.await.is_ok(), "bodies kept in memory are not on disk");
        drop(first);
        assert_eq!(spool.disk_bytes(), 0);
        assert!(spool.collect(body(), None, 1 << 30, tl, rd).await.is_ok());
    }

    #[tokio::test]
    async fn a_declared_size_is_counted_before_the_body_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let spool = Spool::new(dir.path().to_path_buf(), 1 << 20, 1 << 20);
        let tl = |_| ApiError::new(Code::PayloadTooLarge, "big");
        let rd = |e: std::io::Error| ApiError::bad_request(e.to_string());
        let never = futures::stream::pending::<Result<Bytes, std::io::Error>>();
        let e = spool
            .collect(never, Some(2 << 20), 1 << 30, tl, rd)
            .await
            .unwrap_err();
        assert_eq!(
            e.status, 429,
            "refused at once, not after waiting for the body"
        );
        let body = |parts| chunks(vec![vec![0u8; 100_000]; parts]);
        let held = spool
            .collect(body(3), Some(600_000), 1 << 30, tl, rd)
            .await
            .unwrap();
        assert_eq!(spool.disk_bytes(), 600_000);
        let e = spool
            .collect(body(5), Some(500_000), 1 << 30, tl, rd)
            .await
            .unwrap_err();
        assert_eq!(e.status, 429);
        drop(held);
        assert_eq!(spool.disk_bytes(), 0);
    }

    #[test]
    fn parse_memory_is_one_budget_for_all_requests() {
        let spool = Spool::new(std::env::temp_dir(), 3 << 20, 0);
        assert_eq!(spool.reserve(2 << 20).unwrap_err().status, 413);
        let held = spool.reserve(600 << 10).unwrap();
        assert_eq!(spool.reserve(600 << 10).unwrap_err().status, 429);
        drop(held);
        assert!(spool.reserve(600 << 10).is_ok());
    }

    #[test]
    fn sweep_removes_only_old_spool_files() {
        let dir = tempfile::tempdir().unwrap();
        let spool = Spool::new(dir.path().to_path_buf(), 1 << 20, 0);
        let (_, keep) = spool.file().unwrap();
        std::fs::write(dir.path().join("other"), b"x").unwrap();
        assert_eq!(spool.sweep(Duration::from_secs(3600)), 0);
        std::thread::sleep(Duration::from_millis(20));
        assert_eq!(spool.sweep(Duration::from_millis(10)), 1);
        assert!(!keep.exists());
        assert!(dir.path().join("other").exists());
    }
}
