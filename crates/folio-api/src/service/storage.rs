//! What may be stored: a quota on the whole store (uploads and results together), a cap on one
//! conversion's output, and the removal of a failed conversion's files.
//!
//! Both bounds are checked before bytes are stored, against the sizes in the file records plus
//! the uploads this node has admitted and is still writing ([`Admitted`]): parallel uploads to one
//! node cannot pass the quota together. Across nodes, and against conversions' pages landing at
//! the same moment, the quota stays soft by the writes in flight on the other nodes.

use folio_render::Code;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use super::naming::job_tag;
use crate::{ApiError, AppState};

/// How long a conversion trusts the store total it last read; between reads it adds its own
/// pages, so a 10,000-page conversion does not sum the file records 10,000 times.
const TOTAL_REFRESH: Duration = Duration::from_secs(1);

const MIB: f64 = 1024.0 * 1024.0;

/// Refuse an upload of `size` bytes (`None`: not known yet, e.g. before a presigned URL is handed
/// out or a body is read) that the store has no room for. The bytes admitted count as stored
/// until the returned guard is dropped: hold it until the upload's record has its size.
pub async fn check_upload(state: &AppState, size: Option<u64>) -> Result<Admitted<'_>, ApiError> {
    let quota = state.config.max_store_bytes;
    let incoming = size.unwrap_or(0);
    let admitted = Admitted::new(state, incoming);
    if quota == 0 {
        return Ok(admitted);
    }
    let recorded = state.files.stored_bytes().await?;
    // Every admitted upload of this node, this one included.
    let storing = state.storing.load(Ordering::SeqCst);
    let stored = recorded.saturating_add(storing - incoming);
    if recorded.saturating_add(storing) > quota || (size.is_none() && stored >= quota) {
        return Err(store_full(stored, incoming, quota));
    }
    Ok(admitted)
}

/// Bytes of an upload admitted under the quota and not recorded yet (see [`check_upload`]).
#[must_use = "the bytes count as stored only while this is held"]
pub struct Admitted<'a> {
    state: &'a AppState,
    bytes: u64,
}

impl<'a> Admitted<'a> {
    fn new(state: &'a AppState, bytes: u64) -> Self {
        state.storing.fetch_add(bytes, Ordering::SeqCst);
        Self { state, bytes }
    }
}

impl Drop for Admitted<'_> {
    fn drop(&mut self) {
        self.state.storing.fetch_sub(self.bytes, Ordering::SeqCst);
    }
}

/// 507: the store quota would be passed.
fn store_full(stored: u64, incoming: u64, quota: u64) -> ApiError {
    let what = if incoming > 0 {
        format!("{incoming} more bytes would pass it")
    } else {
        "it is full".to_string()
    };
    ApiError::new(
        Code::InsufficientStorage,
        format!(
            "Insufficient storage: the server's file store holds {:.1} MiB of its {:.1} MiB quota (--max-store-mib) and {what}. Delete files you no longer need with /file/delete, give a shorter 'expiration', or try again when older files have expired.",
            stored as f64 / MIB,
            quota as f64 / MIB,
        ),
    )
}

/// What one conversion may still store: its output against `--max-output-mib` (413), and the
/// store against `--max-store-mib` (507).
#[derive(Debug)]
pub struct OutputBudget {
    max_output: u64,
    max_store: u64,
    /// Bytes of output admitted so far.
    written: u64,
    /// The store total at the last look, when, and what this conversion admitted since.
    total: Option<(u64, Instant)>,
    since_total: u64,
}

impl OutputBudget {
    pub fn new(state: &AppState) -> Self {
        Self {
            max_output: state.config.max_output_bytes,
            max_store: state.config.max_store_bytes,
            written: 0,
            total: None,
            since_total: 0,
        }
    }

    /// A budget for output answered but not stored (inline text): only the output cap applies.
    pub fn unstored(state: &AppState) -> Self {
        Self {
            max_store: 0,
            ..Self::new(state)
        }
    }

    /// Admit `size` more bytes of output, before they are stored.
    pub async fn admit(&mut self, state: &AppState, size: u64) -> Result<(), ApiError> {
        let output = self.written.saturating_add(size);
        if self.max_output > 0 && output > self.max_output {
            return Err(ApiError::new(
                Code::PayloadTooLarge,
                format!(
                    "The conversion's output passed the limit of {:.1} MiB per conversion (--max-output-mib), so it was stopped and its pages deleted. Convert fewer pages, at a lower resolution (profiles RenderingResolution) or to a smaller format (jpg, webp).",
                    self.max_output as f64 / MIB
                ),
            ));
        }
        if self.max_store > 0 {
            let stored = match self.total {
                Some((total, at)) if at.elapsed() < TOTAL_REFRESH => total + self.since_total,
                _ => {
                    let total =
                        state.files.stored_bytes().await? + state.storing.load(Ordering::SeqCst);
                    self.total = Some((total, Instant::now()));
                    self.since_total = 0;
                    total
                }
            };
            if stored.saturating_add(size) > self.max_store {
                return Err(store_full(stored, size, self.max_store));
            }
            self.since_total += size;
        }
        self.written = output;
        Ok(())
    }

    /// Admit a file that grows in place (a TIFF being written) up to `total` bytes.
    pub async fn admit_total(&mut self, state: &AppState, total: u64) -> Result<(), ApiError> {
        let more = total.saturating_sub(self.written);
        self.admit(state, more).await
    }
}

/// Delete the files (records and bytes) of conversion `job_id`, which failed: pages stored before
/// it stopped, and an async job's placeholder. Errors are logged; the expiry sweep removes
/// whatever is left.
pub async fn discard_job_files(state: &AppState, job_id: &str) {
    let files = match state.files.take_job_files(job_id).await {
        Ok(files) => files,
        Err(e) => {
            tracing::warn!(%e, job = %job_tag(job_id), "removing a failed job's file records failed");
            return;
        }
    };
    for f in &files {
        if let Err(e) = state.store.delete(&f.key).await {
            tracing::warn!(%e, job = %job_tag(job_id), "deleting a failed job's file failed");
        }
    }
}
