//! `folio pdf`: the PDF tools of the API on local files, without a server (scripts, and the
//! benchmarks that compare them with qpdf). Same code as the endpoints, run in this process.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};
use folio_render::{Base, PageSpec};

#[derive(Args)]
pub struct PdfArgs {
    #[command(subcommand)]
    tool: Tool,
    /// Open password of the inputs.
    #[arg(long, global = true, default_value = "")]
    password: String,
}

#[derive(Subcommand)]
enum Tool {
    /// Join PDFs into one, in order (`/pdf/merge`).
    Merge {
        /// The output file.
        output: PathBuf,
        /// The inputs.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
    },
    /// One PDF per item of the 1-based `--pages` (`1-2,3-`), or per page (`/pdf/split`):
    /// `<dir>/<stem>-1.pdf`, …
    Split {
        input: PathBuf,
        /// The directory the parts go to (created if missing).
        dir: PathBuf,
        #[arg(long, default_value = "")]
        pages: String,
    },
    /// The same pages in fewer bytes, losslessly (`/pdf/optimize`).
    Optimize { input: PathBuf, output: PathBuf },
}

pub fn run(args: PdfArgs) -> ExitCode {
    match run_tool(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run_tool(args: PdfArgs) -> anyhow::Result<()> {
    use anyhow::Context;
    let read = |p: &PathBuf| std::fs::read(p).with_context(|| format!("reading {}", p.display()));
    let max_pages = usize::MAX;
    match args.tool {
        Tool::Merge { output, inputs } => {
            let data = inputs.iter().map(read).collect::<Result<Vec<_>, _>>()?;
            let slices: Vec<&[u8]> = data.iter().map(Vec::as_slice).collect();
            let options = folio_pdf::MergeOptions {
                rename_fields: true,
                ..Default::default()
            };
            let merged = folio_pdf::merge(&slices, &args.password, &options, max_pages)?;
            std::fs::write(&output, merged.pdf)?;
            eprintln!("{}: {} pages", output.display(), merged.page_count);
        }
        Tool::Split { input, dir, pages } => {
            let spec = PageSpec::parse_based(&pages, Base::One)?;
            let parts = folio_pdf::split(&read(&input)?, &args.password, |n| {
                spec.resolve_groups(n, max_pages)
            })?;
            std::fs::create_dir_all(&dir)?;
            let stem = input.file_stem().unwrap_or_default().to_string_lossy();
            for (i, part) in parts.iter().enumerate() {
                std::fs::write(dir.join(format!("{stem}-{}.pdf", i + 1)), &part.pdf)?;
            }
            eprintln!("{}: {} files", dir.display(), parts.len());
        }
        Tool::Optimize { input, output } => {
            let data = read(&input)?;
            let out = folio_pdf::optimize(&data, &args.password, &folio_pdf::Lossy::default())?;
            std::fs::write(&output, &out.written.pdf)?;
            eprintln!(
                "{}: {} → {} bytes{}",
                output.display(),
                data.len(),
                out.written.pdf.len(),
                if out.unchanged { " (unchanged)" } else { "" }
            );
        }
    }
    Ok(())
}
