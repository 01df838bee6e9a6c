//! `vas`: buy value-added services through VTpass, Ukheshe Eclipse, DT One and GSUBZ from the
//! command line, or try everything offline with `vas demo` and `vas sandbox`.
//!
//! Run `vas --help` for the commands, the credential variables and the exit codes.

mod balance;
mod cli;
mod clients;
mod commands;
mod config;
mod demo;
mod error;
mod output;
mod render;
mod sandbox_cmd;

use std::process::ExitCode;

use clap::Parser as _;

use crate::cli::{Cli, Command};
use crate::error::{CliError, Exit};
use crate::output::Out;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version go to stdout with code 0; usage errors to stderr with code 2,
            // and, when `--json` was asked for, as a JSON error on stdout too.
            let _ = e.print();
            if !e.use_stderr() {
                return ExitCode::SUCCESS;
            }
            if wants_json(std::env::args_os().skip(1)) {
                Out { json: true, tty: false }.json_line(&usage_error(&e).to_json());
            }
            return ExitCode::from(Exit::Usage.code());
        }
    };
    init_tracing(cli.verbose);
    let out = Out::new(cli.json);
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            return report(out, CliError::other(format!("cannot start the async runtime: {e}")));
        }
    };
    match runtime.block_on(run(cli, out)) {
        Ok(exit) => ExitCode::from(exit.code()),
        Err(e) => report(out, e),
    }
}

/// Whether the command line asks for `--json` (before a `--` that ends the options), for the
/// errors found before it could be parsed.
fn wants_json(args: impl Iterator<Item = std::ffi::OsString>) -> bool {
    args.take_while(|a| a != "--").any(|a| a == "--json")
}

/// clap's message for a usage error as an error for `--json`: its first line (without the
/// `error: ` prefix), and the indented lines under it (the missing arguments, the possible
/// values) as details.
fn usage_error(e: &clap::Error) -> CliError {
    let text = e.render().to_string();
    let mut lines = text.lines().skip_while(|l| l.trim().is_empty());
    let first = lines.next().unwrap_or_default().trim();
    let first = first.strip_prefix("error:").unwrap_or(first).trim();
    let mut usage = CliError::new(
        Exit::Usage,
        if first.is_empty() { "the command line is wrong" } else { first },
    )
    .hint("run `vas --help`, or `vas <command> --help`");
    for line in lines.take_while(|l| l.starts_with(' ')) {
        usage = usage.detail(line.trim());
    }
    usage
}

/// Prints an error (as JSON on stdout too with `--json`) and returns its exit code.
fn report(out: Out, e: CliError) -> ExitCode {
    out.json_line(&e.to_json());
    eprintln!("{e}");
    ExitCode::from(e.exit.code())
}

fn init_tracing(verbose: u8) {
    use tracing_subscriber::EnvFilter;
    let default = match verbose {
        0 => "warn",
        1 => "info",
        2 => "debug",
        _ => "trace",
    };
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_target(verbose >= 2)
        .try_init();
}

async fn run(cli: Cli, out: Out) -> Result<Exit, CliError> {
    let settings = || config::Settings::load(cli.config.as_deref());
    match cli.command {
        Command::Demo(a) => demo::run(a, out).await,
        Command::Sandbox(a) => sandbox_cmd::run(a, out).await,
        Command::Catalog(a) => commands::catalog(a, &settings()?, out).await,
        Command::Verify(a) => commands::verify(a, &settings()?, out).await,
        Command::Buy(a) => commands::buy(a, &settings()?, out).await,
        Command::Status(a) => commands::status(a, &settings()?, out).await,
        Command::Balance(a) => balance::run(a, &settings()?, out).await,
    }
}
