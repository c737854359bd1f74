//! The `folio` binary: a thin shell over the library crates, wired from the command line.

mod convert_cmd;

use clap::{Parser, Subcommand};

/// Folio: a self-hosted, PDF.co-compatible PDF API server and converter.
#[derive(Parser)]
#[command(name = "folio", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Convert the pages of a PDF into image files (PNG, JPEG, WebP or one multi-page TIFF).
    Convert(convert_cmd::ConvertArgs),
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Convert(args) => convert_cmd::run(args),
    }
}
