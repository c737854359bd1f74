//! `folio convert`: the rendering library on the command line.
//!
//! Output names are fixed because other tooling depends on them: `DIR/<stem>-<index>.<ext>` with
//! the 0-based page index, or `DIR/<stem>.tiff`. Files are written under a temporary name and
//! renamed, so a crash never leaves a truncated image behind under its final name.

use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Args, ValueEnum};
use folio_render::{
    ColorMode, Document, Error, Format, Limits, PageSpec, RenderOptions, Resolution, convert,
    convert_tiff,
};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

#[derive(Args)]
pub struct ConvertArgs {
    /// The PDF to convert.
    input: PathBuf,
    /// Directory for the images (created if missing).
    #[arg(long)]
    out: PathBuf,
    /// Image format: one file per page, or one multi-page TIFF.
    #[arg(long, value_enum, default_value_t = FormatArg::Png)]
    format: FormatArg,
    /// Resolution in dots per inch.
    #[arg(long, default_value_t = 150.0, conflicts_with_all = ["width", "height"])]
    dpi: f32,
    /// Target width in pixels instead of a DPI (height keeps the page's aspect ratio).
    #[arg(long, conflicts_with = "height")]
    width: Option<u32>,
    /// Target height in pixels instead of a DPI (width keeps the page's aspect ratio).
    #[arg(long)]
    height: Option<u32>,
    /// Pages to convert, 0-based PDF.co syntax: "0,2-5,7-", "!0" = last page. Empty = all.
    #[arg(long, default_value = "")]
    pages: String,
    /// User password of an encrypted PDF.
    #[arg(long, default_value = "")]
    password: String,
    /// Colour mode.
    #[arg(long, value_enum, default_value_t = ColorArg::Rgb)]
    color: ColorArg,
    /// JPEG quality, 1-100.
    #[arg(long, default_value_t = 85, value_parser = clap::value_parser!(u8).range(1..=100))]
    jpeg_quality: u8,
    /// Worker threads; 0 = one per core.
    #[arg(long, default_value_t = 0)]
    threads: usize,
    /// Largest input accepted, in MiB.
    #[arg(long, default_value_t = Limits::default().max_input_bytes / (1024 * 1024))]
    max_input_mib: u64,
    /// Most pixels of one rendered page, in megapixels.
    #[arg(long, default_value_t = Limits::default().max_page_pixels as f64 / 1e6)]
    max_page_megapixels: f64,
    /// Most bytes one image inside the PDF may decode to, in MiB (decompression-bomb guard).
    #[arg(long, default_value_t = Limits::default().max_image_bytes / (1024 * 1024))]
    max_image_mib: u64,
    /// Most pages converted in one run.
    #[arg(long, default_value_t = Limits::default().max_pages)]
    max_pages: usize,
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    Png,
    #[value(alias = "jpeg")]
    Jpg,
    Webp,
    #[value(alias = "tif")]
    Tiff,
}

#[derive(Clone, Copy, ValueEnum)]
enum ColorArg {
    Rgb,
    #[value(alias = "grey")]
    Gray,
    Bw,
}

pub fn run(args: ConvertArgs) -> ExitCode {
    match convert_file(&args) {
        Ok(0) => ExitCode::SUCCESS,
        Ok(failed_pages) => {
            eprintln!("error: {failed_pages} page(s) could not be rendered (see above)");
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("error: {}: {e}", args.input.display());
            ExitCode::FAILURE
        }
    }
}

/// Returns the number of pages that failed; a document-level failure is an `Err`.
fn convert_file(args: &ConvertArgs) -> anyhow::Result<usize> {
    let started = Instant::now();
    let limits = Limits {
        max_input_bytes: args.max_input_mib.saturating_mul(1024 * 1024),
        max_page_pixels: (args.max_page_megapixels * 1e6) as u64,
        max_pages: args.max_pages,
        max_image_bytes: args.max_image_mib.saturating_mul(1024 * 1024),
    };
    let opts = RenderOptions {
        format: match args.format {
            FormatArg::Png => Format::Png,
            FormatArg::Jpg => Format::Jpeg,
            FormatArg::Webp => Format::Webp,
            FormatArg::Tiff => Format::Tiff,
        },
        color: match args.color {
            ColorArg::Rgb => ColorMode::Rgb,
            ColorArg::Gray => ColorMode::Gray,
            ColorArg::Bw => ColorMode::Bw,
        },
        resolution: match (args.width, args.height) {
            (Some(w), _) => Resolution::Width(w),
            (_, Some(h)) => Resolution::Height(h),
            _ => Resolution::Dpi(args.dpi),
        },
        jpeg_quality: args.jpeg_quality,
        threads: args.threads,
    };
    // Check the cheap things before reading a possibly large file.
    let spec = PageSpec::parse(&args.pages)?;
    limits.check_input_size(fs::metadata(&args.input)?.len())?;
    let doc = Document::open(fs::read(&args.input)?, &args.password, &limits)?;
    let pages = spec.resolve(doc.page_count(), limits.max_pages)?;
    fs::create_dir_all(&args.out)?;
    let stem = args
        .input
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "page".into());

    let bar = progress_bar(pages.len());
    let mut failed = 0;
    let summary = if opts.format == Format::Tiff {
        let path = args.out.join(format!("{stem}.tiff"));
        let tmp = tmp_path(&path);
        let file = BufWriter::new(fs::File::create(&tmp)?);
        let result = convert_tiff(&doc, &pages, &opts, &limits, file, |n, warnings| {
            bar.set_position(n as u64);
            warnings
                .iter()
                .for_each(|w| bar.suspend(|| eprintln!("warning: {w}")));
        });
        match result {
            Ok(s) => {
                fs::rename(&tmp, &path)?;
                s
            }
            Err(e) => {
                let _ = fs::remove_file(&tmp);
                return Err(e.into());
            }
        }
    } else {
        convert(&doc, &pages, &opts, &limits, |page| {
            bar.inc(1);
            match page {
                Ok(img) => {
                    img.warnings
                        .iter()
                        .for_each(|w| bar.suspend(|| eprintln!("warning: {w}")));
                    let path =
                        args.out
                            .join(format!("{stem}-{}.{}", img.page, opts.format.extension()));
                    write_atomically(&path, &img.data)
                }
                Err(e) => {
                    failed += 1;
                    bar.suspend(|| eprintln!("warning: {e}"));
                    Ok(())
                }
            }
        })?
    };
    bar.finish_and_clear();
    let secs = started.elapsed().as_secs_f64();
    let bytes: u64 = if opts.format == Format::Tiff {
        fs::metadata(args.out.join(format!("{stem}.tiff")))?.len()
    } else {
        summary.bytes
    };
    println!(
        "{}: {} page(s) to {} in {:.2} s ({:.1} pages/s), {:.1} MiB in {}",
        args.input.display(),
        summary.pages,
        opts.format.extension().to_uppercase(),
        secs,
        summary.pages as f64 / secs.max(1e-9),
        bytes as f64 / (1024.0 * 1024.0),
        args.out.display()
    );
    Ok(failed)
}

fn progress_bar(len: usize) -> ProgressBar {
    // Draws only when stderr is a terminal; scripts and CI get no bar.
    let bar = ProgressBar::with_draw_target(Some(len as u64), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} pages, {per_sec}, eta {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar
}

fn tmp_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".tmp");
    path.with_file_name(name)
}

fn write_atomically(path: &Path, data: &[u8]) -> Result<(), Error> {
    let tmp = tmp_path(path);
    let mut file = fs::File::create(&tmp)?;
    file.write_all(data)?;
    drop(file);
    fs::rename(&tmp, path)?;
    Ok(())
}
