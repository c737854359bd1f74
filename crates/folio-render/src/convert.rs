//! The parallel, streaming page pipeline.
//!
//! Workers (scoped threads, one per core by default) claim pages in selection order, render and
//! encode them, and send them back; the calling thread reorders and hands them to the caller's
//! sink one by one. A window of `2 × workers` permits bounds the pages rendered but not yet
//! consumed, so a 1,000-page job holds only a handful of pages in memory whatever its length.

use std::collections::BTreeMap;
use std::io::{Seek, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, mpsc};
use std::time::{Duration, Instant};

use crate::encode::{TiffWriter, encode_page};
use crate::raster::{Raster, Rasterizer};
use crate::{Document, Error, Format, Limits, RenderOptions, Resolution};

/// One encoded page.
#[derive(Debug, Clone)]
pub struct PageImage {
    /// Position in the selection (0 = first page produced).
    pub seq: usize,
    /// 0-based page index in the document.
    pub page: usize,
    pub width: u32,
    pub height: u32,
    /// The encoded file.
    pub data: Vec<u8>,
    /// What the page could not show, each starting "page N:" (0-based, as PDF.co counts).
    pub warnings: Vec<String>,
}

/// `warnings` of page `page`, prefixed with its number as the answers give them.
pub(crate) fn page_warnings(page: usize, warnings: Vec<String>) -> Vec<String> {
    warnings
        .into_iter()
        .map(|w| format!("page {page}: {w}"))
        .collect()
}

/// What a conversion did.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    /// Pages handed to the sink successfully.
    pub pages: usize,
    /// Pages that failed (each was reported to the sink as an error).
    pub failed: usize,
    /// Sum of encoded bytes.
    pub bytes: u64,
    pub elapsed: Duration,
}

/// Render `pages` of `doc` as PNG, JPEG or WebP files, calling `sink` once per page in order.
///
/// A page that fails (engine panic, encoder error) reaches the sink as `Err(Error::PageFailed)`
/// and the others go on. If the sink returns an error, work stops and that error is returned.
/// Sizes of all pages are checked against `limits` before any rendering starts.
pub fn convert(
    doc: &Document,
    pages: &[usize],
    opts: &RenderOptions,
    limits: &Limits,
    mut sink: impl FnMut(Result<PageImage, Error>) -> Result<(), Error>,
) -> Result<Summary, Error> {
    if opts.format == Format::Tiff {
        return Err(Error::InvalidOption(
            "TIFF is one multi-page file: use convert_tiff".into(),
        ));
    }
    let sizes = check_sizes(doc, pages, opts.resolution, limits)?;
    let dpi = dpi_of(opts.resolution);
    let start = Instant::now();
    let mut summary = Summary::default();
    run_parallel(
        doc,
        pages,
        &sizes,
        opts,
        |raster| {
            encode_page(&raster, opts.format, opts.jpeg_quality, dpi)
                .map(|data| (data, raster.warnings))
        },
        |seq, result| {
            let page = pages[seq];
            let item = result.map(|(data, warnings)| {
                let (width, height) = sizes[seq];
                PageImage {
                    seq,
                    page,
                    width,
                    height,
                    data,
                    warnings: page_warnings(page, warnings),
                }
            });
            match &item {
                Ok(img) => {
                    summary.pages += 1;
                    summary.bytes += img.data.len() as u64;
                }
                Err(_) => summary.failed += 1,
            }
            sink(item)
        },
    )?;
    summary.elapsed = start.elapsed();
    Ok(summary)
}

/// Render `pages` into one multi-page TIFF written to `out`. `progress` is called after each page
/// with the number of pages written so far and that page's warnings. Any failed page fails the
/// whole file, since a TIFF with a missing page would silently renumber the rest.
pub fn convert_tiff<W: Write + Seek>(
    doc: &Document,
    pages: &[usize],
    opts: &RenderOptions,
    limits: &Limits,
    out: W,
    mut progress: impl FnMut(usize, Vec<String>),
) -> Result<Summary, Error> {
    let sizes = check_sizes(doc, pages, opts.resolution, limits)?;
    let dpi = dpi_of(opts.resolution);
    let start = Instant::now();
    let mut tiff = TiffWriter::new(out)?;
    let mut done = 0;
    run_parallel(doc, pages, &sizes, opts, Ok, |seq, raster| {
        let raster = raster?;
        tiff.add_page(&raster, dpi)?;
        done += 1;
        progress(done, page_warnings(pages[seq], raster.warnings));
        Ok(())
    })?;
    Ok(Summary {
        pages: done,
        failed: 0,
        bytes: 0,
        elapsed: start.elapsed(),
    })
}

fn dpi_of(r: Resolution) -> Option<f32> {
    match r {
        Resolution::Dpi(d) => Some(d),
        _ => None,
    }
}

fn check_sizes(
    doc: &Document,
    pages: &[usize],
    resolution: Resolution,
    limits: &Limits,
) -> Result<Vec<(u32, u32)>, Error> {
    if pages.len() > limits.max_pages {
        return Err(Error::TooManyPages {
            requested: pages.len(),
            limit: limits.max_pages,
        });
    }
    let count = doc.page_count();
    pages
        .iter()
        .map(|&p| {
            if p >= count {
                return Err(Error::PageOutOfRange {
                    page: p.to_string(),
                    page_count: count,
                    first: 0,
                });
            }
            doc.pixel_size(p, resolution, limits)
        })
        .collect()
}

/// A counting semaphore: the window of pages allowed in flight.
struct Permits {
    free: Mutex<usize>,
    freed: Condvar,
}

impl Permits {
    fn acquire(&self, stop: &AtomicBool) -> bool {
        let mut free = self.free.lock().unwrap_or_else(|e| e.into_inner());
        while *free == 0 {
            if stop.load(Ordering::Relaxed) {
                return false;
            }
            free = self.freed.wait(free).unwrap_or_else(|e| e.into_inner());
        }
        *free -= 1;
        true
    }

    fn release(&self) {
        *self.free.lock().unwrap_or_else(|e| e.into_inner()) += 1;
        self.freed.notify_one();
    }

    fn wake_all(&self) {
        let _guard = self.free.lock().unwrap_or_else(|e| e.into_inner());
        self.freed.notify_all();
    }
}

/// Render every page on worker threads, apply `finish` to each raster on the worker, and feed
/// the results to `sink` in selection order on the calling thread.
fn run_parallel<T: Send>(
    doc: &Document,
    pages: &[usize],
    sizes: &[(u32, u32)],
    opts: &RenderOptions,
    finish: impl Fn(Raster) -> Result<T, String> + Sync,
    mut sink: impl FnMut(usize, Result<T, Error>) -> Result<(), Error>,
) -> Result<(), Error> {
    if pages.is_empty() {
        return Ok(());
    }
    let available = std::thread::available_parallelism().map_or(1, |n| n.get());
    let workers = match opts.threads {
        0 => available,
        n => n,
    }
    .min(pages.len());
    let permits = Permits {
        free: Mutex::new(workers * 2),
        freed: Condvar::new(),
    };
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let all_pages = doc.pdf().pages();

    std::thread::scope(|scope| {
        let (tx, rx) = mpsc::channel::<(usize, Result<T, Error>)>();
        for _ in 0..workers {
            let tx = tx.clone();
            let (permits, next, stop, finish) = (&permits, &next, &stop, &finish);
            scope.spawn(move || {
                let mut rasterizer = Rasterizer::new();
                loop {
                    if stop.load(Ordering::Relaxed) || !permits.acquire(stop) {
                        return;
                    }
                    let seq = next.fetch_add(1, Ordering::Relaxed);
                    if seq >= pages.len() {
                        return;
                    }
                    let page_index = pages[seq];
                    let (w, h) = sizes[seq];
                    let page = &all_pages[page_index];
                    let outcome = catch_unwind(AssertUnwindSafe(|| {
                        finish(rasterizer.render(page, w, h, opts.color))
                    }));
                    let result = match outcome {
                        Ok(Ok(v)) => Ok(v),
                        Ok(Err(reason)) => Err(Error::PageFailed {
                            page: page_index,
                            reason,
                        }),
                        Err(panic) => {
                            // The engine's caches may be half-updated: start this worker afresh.
                            rasterizer = Rasterizer::new();
                            Err(Error::PageFailed {
                                page: page_index,
                                reason: format!(
                                    "the rendering engine failed: {}",
                                    panic_message(&panic)
                                ),
                            })
                        }
                    };
                    if tx.send((seq, result)).is_err() {
                        return;
                    }
                }
            });
        }
        drop(tx);

        let mut pending = BTreeMap::new();
        let mut emit = 0;
        let mut outcome = Ok(());
        for (seq, result) in rx.iter() {
            pending.insert(seq, result);
            while let Some(result) = pending.remove(&emit) {
                emit += 1;
                permits.release();
                if let Err(e) = sink(emit - 1, result) {
                    outcome = Err(e);
                    break;
                }
            }
            if outcome.is_err() {
                stop.store(true, Ordering::Relaxed);
                permits.wake_all();
                break;
            }
        }
        outcome
    })
}

pub(crate) fn engine_failure(page: usize, panic: &Box<dyn std::any::Any + Send>) -> Error {
    Error::PageFailed {
        page,
        reason: format!("the rendering engine failed: {}", panic_message(panic)),
    }
}

fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testpdf;

    fn doc(pages: usize) -> Document {
        Document::open(
            testpdf::with_pages(pages, 100.0, 50.0),
            "",
            &Limits::default(),
        )
        .unwrap()
    }

    #[test]
    fn pages_arrive_in_selection_order_with_duplicates() {
        let doc = doc(30);
        let pages: Vec<usize> = (0..30).rev().chain([3, 3]).collect();
        let opts = RenderOptions {
            threads: 3,
            ..Default::default()
        };
        let mut seen = vec![];
        let s = convert(&doc, &pages, &opts, &Limits::default(), |img| {
            let img = img?;
            assert_eq!((img.width, img.height), (209, 105));
            seen.push((img.seq, img.page));
            Ok(())
        })
        .unwrap();
        assert_eq!(seen, pages.iter().copied().enumerate().collect::<Vec<_>>());
        assert_eq!((s.pages, s.failed), (32, 0));
    }

    /// Counts values alive at once, to prove the pipeline's memory window.
    struct Tracked<'a>(&'a AtomicUsize);
    impl<'a> Tracked<'a> {
        fn new(alive: &'a AtomicUsize, peak: &'a AtomicUsize) -> Self {
            let now = alive.fetch_add(1, Ordering::SeqCst) + 1;
            peak.fetch_max(now, Ordering::SeqCst);
            Self(alive)
        }
    }
    impl Drop for Tracked<'_> {
        fn drop(&mut self) {
            self.0.fetch_sub(1, Ordering::SeqCst);
        }
    }

    #[test]
    fn a_slow_consumer_bounds_the_pages_in_memory() {
        let doc = doc(200);
        let pages: Vec<usize> = (0..200).collect();
        let sizes = vec![(20, 20); 200];
        let (alive, peak) = (AtomicUsize::new(0), AtomicUsize::new(0));
        let opts = RenderOptions {
            threads: 2,
            ..Default::default()
        };
        let mut count = 0;
        run_parallel(
            &doc,
            &pages,
            &sizes,
            &opts,
            |_| Ok(Tracked::new(&alive, &peak)),
            |_, t| {
                std::thread::sleep(Duration::from_micros(300));
                drop(t?);
                count += 1;
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(count, 200);
        let peak = peak.load(Ordering::SeqCst);
        assert!(peak <= 2 * 2 + 1, "{peak} pages were held at once");
    }

    #[test]
    fn a_panicking_page_fails_alone() {
        let doc = doc(12);
        let pages: Vec<usize> = (0..12).collect();
        let sizes = vec![(20, 20); 12];
        let opts = RenderOptions {
            threads: 2,
            ..Default::default()
        };
        let calls = AtomicUsize::new(0);
        let mut results = vec![];
        run_parallel(
            &doc,
            &pages,
            &sizes,
            &opts,
            |r| {
                // The 5th page to finish rendering blows up, as an engine bug would.
                if calls.fetch_add(1, Ordering::SeqCst) == 4 {
                    panic!("engine bug");
                }
                Ok(r.width)
            },
            |seq, r| {
                results.push((seq, r));
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(results.len(), 12);
        let failed: Vec<_> = results.iter().filter(|(_, r)| r.is_err()).collect();
        assert_eq!(failed.len(), 1);
        let Err(Error::PageFailed { reason, .. }) = &failed[0].1 else {
            panic!()
        };
        assert!(reason.contains("engine bug"), "{reason}");
    }

    #[test]
    fn a_failing_sink_stops_the_work() {
        let doc = doc(100);
        let pages: Vec<usize> = (0..100).collect();
        let mut n = 0;
        let err = convert(
            &doc,
            &pages,
            &RenderOptions::default(),
            &Limits::default(),
            |_| {
                n += 1;
                if n == 3 {
                    Err(Error::Output("disk full".into()))
                } else {
                    Ok(())
                }
            },
        )
        .unwrap_err();
        assert!(matches!(err, Error::Output(_)));
        assert_eq!(n, 3);
    }

    #[test]
    fn oversized_pages_are_refused_before_rendering() {
        // 20,000 × 20,000 inches declared in a few hundred bytes.
        let bomb = Document::open(
            testpdf::with_pages(1, 1.44e6, 1.44e6),
            "",
            &Limits::default(),
        )
        .unwrap();
        let mut called = false;
        let err = convert(
            &bomb,
            &[0],
            &RenderOptions::default(),
            &Limits::default(),
            |_| {
                called = true;
                Ok(())
            },
        )
        .unwrap_err();
        assert_eq!(err.code(), 400, "{err}");
        assert!(err.to_string().contains("megapixels"), "{err}");
        assert!(!called);
    }

    #[test]
    fn panic_messages_are_kept() {
        let p = catch_unwind(|| panic!("boom {}", 1)).unwrap_err();
        assert_eq!(panic_message(&p), "boom 1");
    }
}
