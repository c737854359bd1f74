//! Layered configuration: flags win over environment variables, which win over a TOML file
//! (`--config FILE` or `FOLIO_CONFIG`), which wins over the defaults; and `folio config`, which
//! prints the result.
//!
//! The file's keys are the flag names of `folio serve` (`max-upload-mib = 512`; `_` works for
//! `-`). It is applied by setting each key's `FOLIO_*` variable, unless the environment already
//! sets it, before the command line is parsed: clap then does the rest of the layering, and every
//! setting keeps one parser and one validation whatever its source.

use std::collections::BTreeSet;
use std::ffi::OsString;
use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::parser::ValueSource;
use clap::{ArgMatches, Args, Command};

use crate::serve_cmd::ServeArgs;

/// The `folio serve` arguments as clap sees them.
fn serve_command() -> Command {
    ServeArgs::augment_args(Command::new("serve"))
}

/// The `--config` file named on the command line (`--config F`, `--config=F`) or by
/// `FOLIO_CONFIG`.
fn config_path(args: &[OsString]) -> Option<PathBuf> {
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let a = a.to_string_lossy();
        if a == "--config" {
            return it.next().map(PathBuf::from);
        }
        if let Some(path) = a.strip_prefix("--config=") {
            return Some(PathBuf::from(path));
        }
    }
    std::env::var_os("FOLIO_CONFIG").map(PathBuf::from)
}

/// Apply the configuration file, if one is named, under the environment. Returns the ids of
/// the settings it provided (for `folio config` to name their source).
///
/// Must run at the very start of `main`, before any thread exists: it sets environment variables.
pub fn apply_file() -> anyhow::Result<BTreeSet<String>> {
    let args: Vec<OsString> = std::env::args_os().collect();
    let Some(path) = config_path(&args) else {
        return Ok(BTreeSet::new());
    };
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("reading the configuration file {}", path.display()))?;
    let table: toml::Table = text
        .parse()
        .with_context(|| format!("{} is not valid TOML", path.display()))?;
    let cmd = serve_command();
    let mut applied = BTreeSet::new();
    for (key, value) in table {
        let long = key.replace('_', "-");
        let Some(arg) = cmd
            .get_arguments()
            .find(|a| a.get_long() == Some(long.as_str()) && long != "config")
        else {
            bail!(
                "{}: unknown setting '{key}'; settings are the flags of `folio serve --help` without the dashes",
                path.display()
            );
        };
        let Some(env) = arg.get_env() else {
            bail!("{}: '{key}' cannot be set from a file", path.display());
        };
        let text =
            scalar_list(&value).with_context(|| format!("{}: setting '{key}'", path.display()))?;
        if std::env::var_os(env).is_none() {
            // SAFETY: called first thing in `main`, before any other thread is started, so no
            // other thread can be reading the environment.
            unsafe { std::env::set_var(env, text) };
            applied.insert(arg.get_id().to_string());
        }
    }
    Ok(applied)
}

/// A TOML value as the text a flag would take: scalars as themselves, arrays comma-separated.
fn scalar_list(value: &toml::Value) -> anyhow::Result<String> {
    Ok(match value {
        toml::Value::String(s) => s.clone(),
        toml::Value::Integer(i) => i.to_string(),
        toml::Value::Float(f) => f.to_string(),
        toml::Value::Boolean(b) => b.to_string(),
        toml::Value::Array(items) => items
            .iter()
            .map(|v| match v {
                toml::Value::Array(_) | toml::Value::Table(_) => {
                    bail!("lists may hold only plain values")
                }
                v => scalar_list(v),
            })
            .collect::<anyhow::Result<Vec<_>>>()?
            .join(","),
        toml::Value::Datetime(d) => d.to_string(),
        toml::Value::Table(_) => bail!("a table is not a setting; give a value"),
    })
}

/// `folio config`: check the settings as `serve` would, then print each with its source, in a
/// form that can be pasted into a configuration file. Secrets are masked.
pub fn print(matches: &ArgMatches, args: &ServeArgs, from_file: &BTreeSet<String>) -> i32 {
    if let Err(e) = args.validate() {
        eprintln!("error: {e:#}");
        return 1;
    }
    for arg in serve_command().get_arguments() {
        let id = arg.get_id().as_str();
        let Some(long) = arg.get_long() else { continue };
        if long == "config" {
            continue;
        }
        let value = matches.get_raw(id).map(|vals| {
            vals.map(|v| v.to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join(",")
        });
        let source = match matches.value_source(id) {
            Some(ValueSource::CommandLine) => "flag",
            Some(ValueSource::EnvVariable) if from_file.contains(id) => "file",
            Some(ValueSource::EnvVariable) => "environment",
            Some(ValueSource::DefaultValue) => "default",
            _ => "unset",
        };
        match value {
            Some(_) if arg.is_hide_env_values_set() => {
                println!("{long} = \"********\"  # {source}")
            }
            Some(v) => println!("{long} = {}  # {source}", toml::Value::String(v)),
            None => println!("# {long} = (unset)"),
        }
    }
    0
}
