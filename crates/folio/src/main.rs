//! The `folio` binary: a thin shell that wires the library crates from the command line.

mod backends;
mod config_cmd;
mod connections;
mod convert_cmd;
mod pdf_cmd;
mod serve_cmd;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

/// mimalloc instead of glibc malloc: with glibc, the server's resident memory grew pass after
/// pass over the benchmark corpus (249 → 721 MB over 8 passes, never returned, from per-thread
/// arena fragmentation); render buffers come and go in many threads.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

unsafe extern "C" {
    /// mimalloc's own collector (linked with the allocator; the `mimalloc` crate exposes it only
    /// with a feature that pulls in another crate).
    fn mi_collect(force: bool);
}

/// Give memory freed by a render job back to the system. mimalloc purges freed pages only
/// after a delay and only when the process allocates again, so an idle render worker otherwise
/// keeps the peak of its last job resident.
fn release_memory() {
    // SAFETY: mi_collect takes no pointers and may be called from any thread at any time.
    unsafe { mi_collect(true) }
}

/// Folio: a self-hosted, PDF.co-compatible PDF API server and converter.
///
/// With no subcommand, `folio` serves the API (same as `folio serve`).
#[derive(Parser)]
#[command(name = "folio", version, about, args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    serve: serve_cmd::ServeArgs,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the PDF.co-compatible HTTP API (the default).
    Serve(Box<serve_cmd::ServeArgs>),
    /// Print the effective configuration of `serve` (flags > environment > --config file >
    /// defaults) with each setting's source, secrets masked; exit 1 if a setting is invalid.
    Config(Box<serve_cmd::ServeArgs>),
    /// Convert the pages of a PDF into image files (PNG, JPEG, WebP or one multi-page TIFF).
    Convert(convert_cmd::ConvertArgs),
    /// The PDF tools on local files: merge, split, optimize.
    Pdf(pdf_cmd::PdfArgs),
    /// Internal: a render worker process, started and fed by the server on stdin/stdout.
    #[command(hide = true)]
    RenderWorker {
        /// Writable-memory ceiling (RLIMIT_DATA) in MiB (0 = none).
        #[arg(long, default_value_t = 0)]
        memory_mib: u64,
    },
}

fn main() -> std::process::ExitCode {
    let from_file = match config_cmd::apply_file() {
        Ok(keys) => keys,
        Err(e) => {
            eprintln!("error: {e:#}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let matches = Cli::command().get_matches();
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    let serve = |args| match serve_cmd::run(args) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    };
    match cli.command {
        Some(Command::Convert(args)) => convert_cmd::run(args),
        Some(Command::Pdf(args)) => pdf_cmd::run(args),
        Some(Command::Serve(args)) => serve(*args),
        Some(Command::Config(args)) => {
            let sub = matches.subcommand_matches("config").unwrap_or(&matches);
            std::process::ExitCode::from(config_cmd::print(sub, &args, &from_file) as u8)
        }
        Some(Command::RenderWorker { memory_mib }) => {
            let memory_bytes = (memory_mib > 0).then(|| memory_mib.saturating_mul(1024 * 1024));
            let code = folio_sandbox::worker_main(folio_sandbox::WorkerOptions {
                memory_bytes,
                after_job: release_memory,
            });
            std::process::ExitCode::from(code as u8)
        }
        None => serve(cli.serve),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The README's settings table is the operator's reference: every flag of `folio serve` has
    /// its row with the right environment variable and default, and every row is a flag.
    #[test]
    fn the_readme_settings_table_matches_the_flags() {
        let readme = include_str!("../../../README.md");
        let rows: std::collections::BTreeMap<String, (String, String)> = readme
            .lines()
            .filter(|l| l.starts_with("| `--"))
            .map(|l| {
                let cells: Vec<&str> = l.split(" | ").map(|c| c.trim_matches(['|', ' '])).collect();
                let flag = cells[0].trim_matches('`').to_string();
                (flag, (cells[1].to_string(), cells[2].to_string()))
            })
            .collect();
        let cmd = Cli::command();
        let serve = cmd.find_subcommand("serve").unwrap();
        let mut flags = 0;
        for arg in serve.get_arguments() {
            let Some(long) = arg.get_long() else { continue };
            if ["help", "version"].contains(&long) {
                continue;
            }
            flags += 1;
            let flag = format!("--{long}");
            let (env, default) = rows
                .get(&flag)
                .unwrap_or_else(|| panic!("the README's settings table has no row for {flag}"));
            if let Some(e) = arg.get_env() {
                let e = e.to_str().unwrap();
                assert!(
                    env.contains(&format!("`{e}`")),
                    "{flag}: README says {env}, the flag reads {e}"
                );
            }
            if let Some(d) = arg.get_default_values().first() {
                let d = d.to_str().unwrap();
                // The README's first word, without backticks ("0 (= cores)" → "0").
                let shown = default
                    .split_whitespace()
                    .next()
                    .unwrap_or("")
                    .trim_matches('`');
                let same = match (shown.parse::<f64>(), d.parse::<f64>()) {
                    (Ok(a), Ok(b)) => (a - b).abs() <= 0.05 * b.abs().max(1e-9),
                    _ => shown == d,
                };
                assert!(
                    same,
                    "{flag}: README says default {default}, the flag's is {d}"
                );
            }
        }
        for flag in rows.keys() {
            let long = flag.trim_start_matches("--");
            assert!(
                serve.get_arguments().any(|a| a.get_long() == Some(long)),
                "the README documents {flag}, which `folio serve` does not take"
            );
        }
        assert!(flags > 40, "{flags}");
    }
}
