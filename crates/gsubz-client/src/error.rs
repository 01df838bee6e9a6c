//! The one error type of this crate, named after where a call failed.

use vas_common::SendState;

use crate::models::ResponseCode;

/// The result type of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Why a call failed, named after where it failed.
///
/// | variant | where | may the vendor have received the request? |
/// | --- | --- | --- |
/// | [`Config`](Error::Config) | building the client | no |
/// | [`InvalidInput`](Error::InvalidInput) | checking the caller's input, before sending | no |
/// | [`NotSent`](Error::NotSent) | connecting | no |
/// | [`AfterSend`](Error::AfterSend) | waiting for or reading the answer | **yes** |
/// | [`Http`](Error::Http) | an HTTP error status without a GSUBZ answer | yes |
/// | [`Vendor`](Error::Vendor) | GSUBZ answered with an error code | yes |
/// | [`Decode`](Error::Decode) | the answer is not the documented JSON | yes |
/// | [`UnexpectedResponse`](Error::UnexpectedResponse) | the answer decodes but cannot be trusted | yes |
///
/// A purchase ([`Client::pay`](crate::Client::pay)) only returns the first three as errors:
/// once the request may have reached GSUBZ, the answer is a
/// [`Transaction`](crate::Transaction) whose outcome is `Unknown` and which keeps the error.
///
/// No variant ever holds the API key.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The client could not be built (bad base URL, bad key characters, TLS setup).
    #[error("configuration error: {0}")]
    Config(String),

    /// The caller's input was rejected before anything was sent.
    #[error("invalid {field}: {reason} (nothing was sent)")]
    InvalidInput {
        /// The form field or argument at fault (`phone`, `amount`, a vendor field name).
        field: String,
        /// What is wrong with it.
        reason: String,
    },

    /// The request was not sent: no connection could be made. Sending it again is safe.
    #[error("the request was not sent: {source}")]
    NotSent {
        /// The transport error.
        #[source]
        source: reqwest::Error,
    },

    /// The request may have reached GSUBZ, but no answer was read (timeout, broken connection).
    #[error("the request may have been received, {state}: {source}")]
    AfterSend {
        /// How far the request got.
        state: SendState,
        /// The transport error.
        #[source]
        source: reqwest::Error,
    },

    /// An HTTP error status whose body is not a GSUBZ answer (for instance an HTML error page).
    #[error("HTTP status {status}")]
    Http {
        /// The HTTP status code.
        status: u16,
        /// The raw body, as received.
        body: String,
    },

    /// GSUBZ answered with an error code.
    #[error("GSUBZ answered with code {code} ({description})")]
    Vendor {
        /// The HTTP status code.
        status: u16,
        /// The response code in the body.
        code: ResponseCode,
        /// The body's `description`, or the code's documented meaning.
        description: String,
        /// The raw body, as received.
        body: String,
    },

    /// The answer is not the documented JSON.
    #[error("cannot decode the answer (HTTP {status}) at {path}: {message}")]
    Decode {
        /// The HTTP status code.
        status: u16,
        /// The JSON path of the first error (`$` when the body is not JSON at all).
        path: String,
        /// What did not decode.
        message: String,
        /// The raw body, as received.
        body: String,
    },

    /// The answer decodes but cannot be trusted (it names another requestID, or it is a shape
    /// that says nothing about the transaction).
    #[error("unexpected answer: {reason}")]
    UnexpectedResponse {
        /// What is unexpected.
        reason: String,
        /// The raw body, as received.
        body: String,
    },
}

impl Error {
    pub(crate) fn input(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::InvalidInput { field: field.into(), reason: reason.into() }
    }

    /// Builds the error for a failed `reqwest` call, keeping whether it may have been sent.
    pub(crate) fn transport(source: reqwest::Error) -> Self {
        match vas_common::transport::classify(&source) {
            SendState::NotSent => Error::NotSent { source },
            state => Error::AfterSend { state, source },
        }
    }

    /// Whether GSUBZ may have received the request. `false` only for errors raised before
    /// anything reached the network.
    pub fn maybe_sent(&self) -> bool {
        !matches!(self, Error::Config(_) | Error::InvalidInput { .. } | Error::NotSent { .. })
    }

    /// Whether the client stopped waiting for an answer.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::AfterSend { state: SendState::TimedOut, .. })
    }

    /// The HTTP status of the answer, if one was received.
    pub fn http_status(&self) -> Option<u16> {
        match self {
            Error::Http { status, .. }
            | Error::Vendor { status, .. }
            | Error::Decode { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The raw body of the answer, if one was received.
    pub fn raw_body(&self) -> Option<&str> {
        match self {
            Error::Http { body, .. }
            | Error::Vendor { body, .. }
            | Error::Decode { body, .. }
            | Error::UnexpectedResponse { body, .. } => Some(body),
            _ => None,
        }
    }
}
