//! Exit codes and the errors a person can act on.

use std::fmt;

/// The process exit codes of `vas`.
///
/// Scripts can tell a delivered purchase from a failed, a pending and an unknown one without
/// parsing anything.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    /// The command did what was asked; for `buy` and `status`: the purchase was delivered.
    Ok = 0,
    /// An error: the vendor refused the call, the network failed, a response was unreadable.
    Error = 1,
    /// The command line was wrong (clap's own code).
    Usage = 2,
    /// The configuration is missing or invalid (e.g. a credential variable is not set).
    Config = 3,
    /// The input failed a rule before anything was sent (e.g. a malformed phone number).
    Input = 4,
    /// A purchase on a live URL was not confirmed.
    NotConfirmed = 5,
    /// The vendor says the purchase failed (not charged, or reversed).
    Failed = 10,
    /// The purchase is accepted and not final yet: ask again with `vas status`.
    Pending = 11,
    /// The purchase may or may not have happened: ask with `vas status`; never buy again.
    Unknown = 12,
}

impl Exit {
    /// The numeric code.
    pub fn code(self) -> u8 {
        self as u8
    }

    /// A short lower-case name, used in `--json` error objects.
    pub fn name(self) -> &'static str {
        match self {
            Exit::Ok => "ok",
            Exit::Error => "error",
            Exit::Usage => "usage",
            Exit::Config => "config",
            Exit::Input => "invalid_input",
            Exit::NotConfirmed => "not_confirmed",
            Exit::Failed => "failed",
            Exit::Pending => "pending",
            Exit::Unknown => "unknown",
        }
    }
}

/// An error that ends a command, with the exit code it maps to and what to do about it.
#[derive(Debug)]
pub struct CliError {
    /// The exit code.
    pub exit: Exit,
    /// What went wrong, in one sentence.
    pub message: String,
    /// What the person can do about it.
    pub hint: Option<String>,
    /// Further detail (the vendor's own words, the failing field), one item per line.
    pub details: Vec<String>,
}

impl CliError {
    /// A new error.
    pub fn new(exit: Exit, message: impl Into<String>) -> Self {
        Self { exit, message: message.into(), hint: None, details: Vec::new() }
    }

    /// A general error (exit code 1).
    pub fn other(message: impl Into<String>) -> Self {
        Self::new(Exit::Error, message)
    }

    /// A configuration error (exit code 3).
    pub fn config(message: impl Into<String>) -> Self {
        Self::new(Exit::Config, message)
    }

    /// Invalid input (exit code 4).
    pub fn input(message: impl Into<String>) -> Self {
        Self::new(Exit::Input, message)
    }

    /// Adds a hint.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Adds a line of detail.
    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.details.push(detail.into());
        self
    }

    /// The error as a JSON object for `--json` output.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "error": {
                "kind": self.exit.name(),
                "exit_code": self.exit.code(),
                "message": self.message,
                "hint": self.hint,
                "details": self.details,
            }
        })
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "error: {}", self.message)?;
        for d in &self.details {
            write!(f, "\n  {d}")?;
        }
        if let Some(h) = &self.hint {
            write!(f, "\nhint: {h}")?;
        }
        Ok(())
    }
}

impl std::error::Error for CliError {}

/// The result of a command.
pub type CliResult<T> = Result<T, CliError>;
