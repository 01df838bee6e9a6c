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
/// are not kept. Other raw bodies are kept whole (read them with [`Error::body`]), but `Debug`
/// hides the values of fields that name a secret (an UnPin, a PIN, a token; see
/// [`crate::models::is_sensitive_name`]), and a body that is not JSON and mentions one is
/// shown by its length only.
#[derive(thiserror::Error)]
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

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Config(m) => f.debug_tuple("Config").field(m).finish(),
            Error::InvalidInput { field, reason } => f
                .debug_struct("InvalidInput")
                .field("field", field)
                .field("reason", reason)
                .finish(),
            Error::Transport { state, source } => {
                f.debug_struct("Transport").field("state", state).field("source", source).finish()
            }
            Error::Vendor { status, errors, body } => f
                .debug_struct("Vendor")
                .field("status", status)
                .field("errors", errors)
                .field("body", &redacted_body(body))
                .finish(),
            Error::Status { status, body } => f
                .debug_struct("Status")
                .field("status", status)
                .field("body", &redacted_body(body))
                .finish(),
            Error::Decode { path, message, body } => f
                .debug_struct("Decode")
                .field("path", path)
                .field("message", message)
                .field("body", &redacted_body(body))
                .finish(),
            Error::Signature(e) => f.debug_tuple("Signature").field(e).finish(),
        }
    }
}

/// A raw body for `Debug`: JSON with the values of secret-named fields (and of `{"id", "value"}`
/// pairs whose id names a secret, also inside JSON-in-a-string such as `extraInfo`) replaced by
/// `[REDACTED]`; other text as is unless it mentions a secret, then only its length.
pub(crate) fn redacted_body(body: &str) -> String {
    match serde_json::from_str::<serde_json::Value>(body) {
        Ok(mut value) => {
            redact(&mut value);
            value.to_string()
        }
        Err(_) => {
            let lower = body.to_ascii_lowercase();
            if ["pin", "token", "password", "secret", "bearer"].iter().any(|w| lower.contains(w)) {
                format!("[REDACTED: {} bytes that are not JSON]", body.len())
            } else {
                body.to_string()
            }
        }
    }
}

fn redact(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            let secret_pair =
                map.get("id").and_then(Value::as_str).is_some_and(crate::models::is_sensitive_name);
            for (key, v) in map.iter_mut() {
                if crate::models::is_sensitive_name(key) || (secret_pair && key == "value") {
                    *v = Value::String(vas_common::secret::REDACTED.to_string());
                    continue;
                }
                if let Value::String(text) = v
                    && text.trim_start().starts_with(['{', '['])
                {
                    *text = redacted_body(text);
                    continue;
                }
                redact(v);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(redact),
        _ => {}
    }
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

    /// Whether the vendor may have received (and acted on) the request. A payment request for
    /// which this is `true` must be followed by a status query, never by a second payment.
    ///
    /// `true` for a timeout or a broken connection after sending, an unreadable success body,
    /// any 5xx, a redirect (never followed), 408 and 409 (a payment with this reference may
    /// already exist), and any 4xx whose body is not the vendor's error array (an HTML page
    /// from a proxy says nothing about the payment) except 401, 403 and 429. `false` only for
    /// errors raised before sending and for 4xx answers carrying the documented error array
    /// (and 401, 403 and 429 answers, which are refused before any processing).
    pub fn maybe_sent(&self) -> bool {
        match self {
            Error::Transport { state, .. } => state.maybe_sent(),
            Error::Vendor { status, .. } => {
                !(400..500).contains(status) || matches!(status, 408 | 409)
            }
            Error::Status { status, .. } => !matches!(status, 401 | 403 | 429),
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
