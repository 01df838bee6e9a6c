//! Printing: readable tables for people, JSON for scripts, and a spinner while waiting.

use std::io::{IsTerminal as _, Write as _};
use std::time::Duration;

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{ContentArrangement, Table};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Where and how a command prints.
#[derive(Clone, Copy, Debug)]
pub struct Out {
    /// Print JSON instead of tables and prose.
    pub json: bool,
    /// stdout is a terminal (colours, spinners and prompts make sense).
    pub tty: bool,
}

impl Out {
    /// Output settings for this process.
    pub fn new(json: bool) -> Self {
        Self { json, tty: std::io::stdout().is_terminal() }
    }

    /// Prints a line of prose (not in JSON mode).
    pub fn say(&self, line: impl AsRef<str>) {
        if !self.json {
            println_flush(line.as_ref());
        }
    }

    /// Prints a heading (not in JSON mode).
    pub fn heading(&self, text: &str) {
        if !self.json {
            println_flush("");
            println_flush(&format!("== {text}"));
        }
    }

    /// Prints a JSON value on one line (in JSON mode only).
    pub fn json_line(&self, value: &serde_json::Value) {
        if self.json {
            println_flush(&value.to_string());
        }
    }

    /// Prints a table (not in JSON mode).
    pub fn table(&self, table: &Table) {
        if !self.json {
            println_flush(&table.to_string());
        }
    }

    /// A spinner with `message`, drawn on stdout only when it is a terminal and not in JSON
    /// mode; otherwise hidden.
    pub fn spinner(&self, message: impl Into<String>) -> ProgressBar {
        if self.json || !self.tty {
            return ProgressBar::hidden();
        }
        let pb = ProgressBar::with_draw_target(None, ProgressDrawTarget::stdout());
        if let Ok(style) = ProgressStyle::with_template("  {spinner} {msg} ({elapsed})") {
            pb.set_style(style);
        }
        pb.set_message(message.into());
        pb.enable_steady_tick(Duration::from_millis(80));
        pb
    }
}

/// A table with the house style, fitting the terminal width when there is one.
pub fn table(header: &[&str]) -> Table {
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED).set_content_arrangement(ContentArrangement::Dynamic);
    // Not a terminal, or one that does not tell its size: a stable width for logs and tests.
    if t.width().is_none_or(|w| w < 40) {
        t.set_width(120);
    }
    if !header.is_empty() {
        t.set_header(header.iter().copied());
    }
    t
}

fn println_flush(s: &str) {
    let mut out = std::io::stdout().lock();
    // A closed pipe (e.g. `vas catalog | head`) is not an error worth a panic.
    let _ = writeln!(out, "{s}");
    let _ = out.flush();
}
