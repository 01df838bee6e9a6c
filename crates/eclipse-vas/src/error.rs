//! The one error type of this crate, named after where a call failed.

use std::fmt;

use vas_common::SendState;

use crate::models::ApiError;

/// The result type of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong, named after where the call failed.
///
/// What a payment caller may do next depends on [`Error::maybe_sent`]: when it is `true` the
/// vendor may have received the request, so the payment must be looked up (by its payment id,
/// or reconciled by its `externalUniqueId`), never sent again under a new reference.
///
/// No variant ever holds a password or a token: the raw bodies of login and renew responses
/// are not kept.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The client is misconfigured (bad base URL, missing credentials, TLS set-up failed).
    #[error("configuration error: {0}")]
    Config(String),

    /// Caller input rejected before anything was sent.
    #[error("invalid {field}: {reason}")]
    InvalidInput {
        /// The offending field or argument (`tenantId`, `paymentData`, `msisdn`, …).
        field: String,
        /// Why it was rejected.
        reason: String,
    },

    /// The HTTP call failed on the wire; `state` tells whether the request may have been sent.
    #[error("transport error ({state}): {source}")]
    Transport {
        /// How far the request got.
        state: SendState,
        /// The underlying error.
        #[source]
        source: reqwest::Error,
    },

    /// The vendor answered with an error status and its documented error array.
    #[error("HTTP {status}: {}", describe(errors))]
    Vendor {
        /// The HTTP status.
        status: u16,
        /// The decoded error array (at least one entry).
        errors: Vec<ApiError>,
        /// The raw body.
        body: String,
    },

    /// The vendor answered with an error status and a body that is not its error array (an
    /// HTML page from a proxy, an empty body).
    #[error("HTTP {status} with an unrecognised body ({} bytes)", body.len())]
    Status {
        /// The HTTP status.
        status: u16,
        /// The raw body.
        body: String,
    },

    /// A success response whose body does not have the documented shape.
    #[error("cannot decode the response at {path}: {message}")]
    Decode {
        /// The JSON path of the first error (`$` for the whole body).
        path: String,
        /// What was wrong.
        message: String,
        /// The raw body (`[REDACTED]` for login and renew responses, which carry the token).
        body: String,
    },

    /// A callback whose `Eclipse-Signature` header is missing, malformed, stale or wrong.
    #[error("callback signature rejected: {0}")]
    Signature(#[from] crate::callback::SignatureError),
}

fn describe(errors: &[ApiError]) -> String {
    let parts: Vec<String> = errors
        .iter()
        .map(|e| {
            let code = e.code.as_deref().unwrap_or("?");
            match &e.description {
                Some(d) => format!("{code} {d}"),
                None => code.to_string(),
            }
        })
        .collect();
    parts.join("; ")
}

impl From<std::convert::Infallible> for Error {
    fn from(never: std::convert::Infallible) -> Self {
        match never {}
    }
}

impl Error {
    pub(crate) fn invalid(field: impl Into<String>, reason: impl fmt::Display) -> Self {
        Error::InvalidInput { field: field.into(), reason: reason.to_string() }
    }

    /// Whether the vendor may have received the request (a timeout or a broken connection
    /// after sending, or a 5xx). A payment request for which this is `true` must be followed
    /// by a status query, never by a second payment.
    pub fn maybe_sent(&self) -> bool {
        match self {
            Error::Transport { state, .. } => state.maybe_sent(),
            Error::Vendor { status, .. } | Error::Status { status, .. } => *status >= 500,
            Error::Decode { .. } => true,
            Error::Config(_) | Error::InvalidInput { .. } | Error::Signature(_) => false,
        }
    }

    /// The HTTP status, when the vendor answered with an error status.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Vendor { status, .. } | Error::Status { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// Whether the vendor answered 401 (a bad login, `USR002`, or an expired token).
    pub fn is_unauthorized(&self) -> bool {
        self.status() == Some(401)
    }

    /// The vendor's error codes (`USR002`, `WAL009`, …), if any.
    pub fn vendor_codes(&self) -> Vec<&str> {
        match self {
            Error::Vendor { errors, .. } => {
                errors.iter().filter_map(|e| e.code.as_deref()).collect()
            }
            _ => Vec::new(),
        }
    }

    /// The raw response body, when there was one.
    pub fn body(&self) -> Option<&str> {
        match self {
            Error::Vendor { body, .. }
            | Error::Status { body, .. }
            | Error::Decode { body, .. } => Some(body),
            _ => None,
        }
    }
}
