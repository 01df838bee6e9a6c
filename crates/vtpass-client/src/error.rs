//! Errors, named after where the call failed.

use std::fmt;

use vas_common::SendState;

use crate::codes::ResponseCode;
use crate::models::wire::{redact, redact_text};

/// The result of every fallible call in this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A raw response body kept for diagnosis.
///
/// [`RawBody::as_str`] gives the exact text. `Debug` shows the body with the values of
/// sensitive fields (PINs, tokens, `purchased_code`) redacted, and at most 2,000 characters
/// of a body that is not JSON.
#[derive(Clone, PartialEq, Eq)]
pub struct RawBody(String);

impl RawBody {
    pub(crate) fn new(text: impl Into<String>) -> Self {
        Self(text.into())
    }

    /// The exact body as received. It may contain PINs or tokens: do not log it as is.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for RawBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match serde_json::from_str::<serde_json::Value>(&self.0) {
            Ok(v) => write!(f, "{}", redact(&v)),
            Err(_) => {
                // Not JSON (an error page, a truncated answer): the values after sensitive
                // keys are still hidden.
                let text = redact_text(&self.0);
                let cut: String = text.chars().take(2000).collect();
                if cut.len() < text.len() { write!(f, "{cut:?}…") } else { write!(f, "{cut:?}") }
            }
        }
    }
}

/// Everything that can go wrong, named after where the call failed.
///
/// What a failed purchase means is answered by [`Error::maybe_sent`]: when it is `true` the
/// purchase may have happened, so ask with [`crate::Client::requery`] using the same request
/// id; never pay again with a new one. [`crate::classify_error`] turns an error into an
/// [`vas_common::Outcome`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The client could not be built (bad base URL, bad credentials text, TLS setup).
    #[error("configuration error: {message}")]
    Config {
        /// What is wrong.
        message: String,
    },
    /// The caller's input was rejected before anything was sent.
    #[error("invalid {field}: {message}")]
    InvalidInput {
        /// The wire name of the field (`request_id`, `serviceID`, `amount`, …).
        field: &'static str,
        /// What is wrong.
        message: String,
    },
    /// The request was not sent (no connection could be made). Sending it again is safe.
    #[error("{endpoint}: request not sent: {source}")]
    NotSent {
        /// The endpoint path (`pay`, `requery`, …).
        endpoint: &'static str,
        /// The underlying error.
        #[source]
        source: reqwest::Error,
    },
    /// The client stopped waiting after the request was (or may have been) sent.
    #[error("{endpoint}: timed out after sending")]
    Timeout {
        /// The endpoint path.
        endpoint: &'static str,
        /// The underlying error.
        #[source]
        source: reqwest::Error,
    },
    /// The connection broke, or the body could not be read, after the request may have been
    /// sent (including a connection closed without an answer).
    #[error("{endpoint}: interrupted after sending: {source}")]
    Interrupted {
        /// The endpoint path.
        endpoint: &'static str,
        /// The underlying error.
        #[source]
        source: reqwest::Error,
    },
    /// VTpass answered with an HTTP error status and no usable VTpass body.
    #[error("{endpoint}: HTTP status {status}")]
    Http {
        /// The endpoint path.
        endpoint: &'static str,
        /// The HTTP status code.
        status: u16,
        /// The response body.
        body: RawBody,
    },
    /// VTpass answered a read (catalog, balance, verification) with an error code.
    #[error("{endpoint}: VTpass code {code}: {}", description.as_deref().unwrap_or("no description"))]
    Vendor {
        /// The endpoint path.
        endpoint: &'static str,
        /// The response code.
        code: ResponseCode,
        /// `response_description`.
        description: Option<String>,
        /// The response body.
        body: RawBody,
    },
    /// The body could not be decoded (not JSON, truncated, an HTML page, wrong types).
    #[error("{endpoint}: cannot decode the response at {path}: {message}")]
    Decode {
        /// The endpoint path (or `webhook`).
        endpoint: &'static str,
        /// The JSON path of the failure (`.` when the body is not JSON at all).
        path: String,
        /// What went wrong.
        message: String,
        /// The HTTP status of the response, when there was one.
        status: Option<u16>,
        /// The response body.
        body: RawBody,
    },
}

impl Error {
    pub(crate) fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        Error::InvalidInput { field, message: message.into() }
    }

    pub(crate) fn config(message: impl Into<String>) -> Self {
        Error::Config { message: message.into() }
    }

    pub(crate) fn transport(endpoint: &'static str, source: reqwest::Error) -> Self {
        match vas_common::transport::classify(&source) {
            SendState::NotSent => Error::NotSent { endpoint, source },
            SendState::TimedOut => Error::Timeout { endpoint, source },
            _ => Error::Interrupted { endpoint, source },
        }
    }

    /// How far a failed request got, for transport failures.
    pub fn send_state(&self) -> Option<SendState> {
        match self {
            Error::NotSent { .. } => Some(SendState::NotSent),
            Error::Timeout { .. } => Some(SendState::TimedOut),
            Error::Interrupted { .. } => Some(SendState::Interrupted),
            _ => None,
        }
    }

    /// Whether VTpass may have received and acted on the request. `false` only for errors
    /// raised before sending ([`Error::Config`], [`Error::InvalidInput`], [`Error::NotSent`]).
    pub fn maybe_sent(&self) -> bool {
        !matches!(self, Error::Config { .. } | Error::InvalidInput { .. } | Error::NotSent { .. })
    }

    /// Whether the client stopped waiting for the answer.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout { .. })
    }

    /// The HTTP status, when VTpass answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Http { status, .. } => Some(*status),
            Error::Decode { status, .. } => *status,
            _ => None,
        }
    }

    /// The raw response body, when there was one.
    pub fn raw_body(&self) -> Option<&RawBody> {
        match self {
            Error::Http { body, .. } | Error::Vendor { body, .. } | Error::Decode { body, .. } => {
                Some(body)
            }
            _ => None,
        }
    }

    /// The VTpass response code, for [`Error::Vendor`].
    pub fn code(&self) -> Option<&ResponseCode> {
        match self {
            Error::Vendor { code, .. } => Some(code),
            _ => None,
        }
    }
}
