//! Errors: where a call failed, and what that means for a purchase.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use vas_common::{Outcome, SendState};

/// What can go wrong with a call to the DT One GS API.
///
/// Each variant names where the call failed. For a purchase, [`Error::outcome`] tells what the
/// error means: [`Outcome::Failed`] only when nothing was bought for certain (the request was
/// never sent, or the vendor answered with a documented final error code); everything else is
/// [`Outcome::Unknown`] and must be followed by a lookup with the same external id.
///
/// `Debug` prints every raw body except one that may carry a voucher PIN (any body with `pin`
/// in it), which it replaces by its length; [`Error::raw_body`] still gives it whole.
#[derive(thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The client is misconfigured (missing or malformed credentials, bad base URL).
    #[error("configuration error: {reason}")]
    Config {
        /// What is wrong.
        reason: String,
    },
    /// The caller's input was rejected before anything was sent.
    #[error("invalid {field}: {reason}")]
    InvalidInput {
        /// The offending field, as the vendor names it.
        field: &'static str,
        /// Why it was rejected.
        reason: String,
    },
    /// The request was not sent (no connection could be made). Sending it again is safe.
    #[error("request not sent: {source}")]
    NotSent {
        /// The transport error.
        #[source]
        source: reqwest::Error,
    },
    /// The client stopped waiting after the request was (or may have been) sent.
    #[error("timed out after sending: {source}")]
    Timeout {
        /// The transport error.
        #[source]
        source: reqwest::Error,
    },
    /// The connection broke after the request may have been sent.
    #[error("interrupted after sending: {source}")]
    Interrupted {
        /// The transport error.
        #[source]
        source: reqwest::Error,
    },
    /// The vendor answered with its error body `{"errors":[{"code","message"}]}`.
    #[error("DT One error (HTTP {status}): {}", describe(errors))]
    Vendor {
        /// The HTTP status.
        status: u16,
        /// The errors, in the vendor's order (never empty).
        errors: Vec<ApiError>,
        /// The raw response body.
        body: String,
    },
    /// An HTTP error status without the vendor's error body (an HTML page, an empty body).
    #[error("HTTP {status} without a DT One error body")]
    Status {
        /// The HTTP status.
        status: u16,
        /// The raw response body.
        body: String,
    },
    /// The answer came from another URL than the one asked: an injected `reqwest::Client`
    /// followed a redirect (see [`ClientBuilder::http_client`](crate::ClientBuilder::http_client)).
    /// The request may have been sent twice; for a purchase the outcome is unknown.
    #[error("the request was redirected to {to} (HTTP {status} there); redirects are not followed")]
    Redirected {
        /// The HTTP status of the final answer.
        status: u16,
        /// Where the request ended up.
        to: String,
    },
    /// The vendor returned a transaction that is not the one asked about: another external
    /// id, another product, or a simulation where a live purchase was sent. Its status says
    /// nothing about this purchase, whose outcome stays unknown.
    #[error(
        "the transaction returned does not match the request: {field} is {received:?}, {sent:?} was sent"
    )]
    Mismatch {
        /// The field that differs (`external_id`, `product_id`, `simulation`).
        field: &'static str,
        /// The value sent.
        sent: String,
        /// The value returned.
        received: String,
    },
    /// A response body that does not have the documented shape.
    #[error("cannot decode the response (HTTP {status}) at {path}: {message}")]
    Decode {
        /// The HTTP status.
        status: u16,
        /// The JSON path of the problem (`.` when the body is not JSON at all).
        path: String,
        /// What was wrong.
        message: String,
        /// The raw response body.
        body: String,
    },
}

/// A raw body for `Debug`: as received, unless it may hold a voucher PIN.
struct Body<'a>(&'a str);

impl fmt::Debug for Body<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.to_ascii_lowercase().contains("pin") {
            write!(f, "[{} bytes withheld: may hold a PIN]", self.0.len())
        } else {
            fmt::Debug::fmt(self.0, f)
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Config { reason } => f.debug_struct("Config").field("reason", reason).finish(),
            Error::InvalidInput { field, reason } => f
                .debug_struct("InvalidInput")
                .field("field", field)
                .field("reason", reason)
                .finish(),
            Error::NotSent { source } => f.debug_struct("NotSent").field("source", source).finish(),
            Error::Timeout { source } => f.debug_struct("Timeout").field("source", source).finish(),
            Error::Interrupted { source } => {
                f.debug_struct("Interrupted").field("source", source).finish()
            }
            Error::Vendor { status, errors, body } => f
                .debug_struct("Vendor")
                .field("status", status)
                .field("errors", errors)
                .field("body", &Body(body))
                .finish(),
            Error::Status { status, body } => {
                f.debug_struct("Status").field("status", status).field("body", &Body(body)).finish()
            }
            Error::Redirected { status, to } => {
                f.debug_struct("Redirected").field("status", status).field("to", to).finish()
            }
            Error::Mismatch { field, sent, received } => f
                .debug_struct("Mismatch")
                .field("field", field)
                .field("sent", sent)
                .field("received", received)
                .finish(),
            Error::Decode { status, path, message, body } => f
                .debug_struct("Decode")
                .field("status", status)
                .field("path", path)
                .field("message", message)
                .field("body", &Body(body))
                .finish(),
        }
    }
}

/// Whether an error body also carries a transaction (`transaction_id` or `status`): an answer
/// that says both "refused" and "here is the transaction" is not a certain failure.
fn carries_transaction(body: &str) -> bool {
    serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(body).is_ok_and(|m| {
        ["transaction_id", "status"].iter().any(|k| m.get(*k).is_some_and(|v| !v.is_null()))
    })
}

fn describe(errors: &[ApiError]) -> String {
    errors.iter().map(|e| format!("{} {}", e.code, e.message)).collect::<Vec<_>>().join("; ")
}

impl Error {
    pub(crate) fn invalid(field: &'static str, reason: impl Into<String>) -> Self {
        Error::InvalidInput { field, reason: reason.into() }
    }

    pub(crate) fn config(reason: impl Into<String>) -> Self {
        Error::Config { reason: reason.into() }
    }

    /// For a transport error: how far the request got. `None` for every other error.
    pub fn send_state(&self) -> Option<SendState> {
        match self {
            Error::NotSent { .. } => Some(SendState::NotSent),
            Error::Timeout { .. } => Some(SendState::TimedOut),
            Error::Interrupted { .. } => Some(SendState::Interrupted),
            _ => None,
        }
    }

    /// True when the request certainly did not reach the vendor (bad configuration, bad input,
    /// no connection). Such a purchase can be sent again with the same external id.
    pub fn is_not_sent(&self) -> bool {
        matches!(self, Error::Config { .. } | Error::InvalidInput { .. } | Error::NotSent { .. })
    }

    /// The HTTP status, when the vendor answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Vendor { status, .. }
            | Error::Status { status, .. }
            | Error::Decode { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The raw response body, when the vendor answered.
    pub fn raw_body(&self) -> Option<&str> {
        match self {
            Error::Vendor { body, .. }
            | Error::Status { body, .. }
            | Error::Decode { body, .. } => Some(body),
            _ => None,
        }
    }

    /// The vendor's error list (empty unless this is [`Error::Vendor`]).
    pub fn vendor_errors(&self) -> &[ApiError] {
        match self {
            Error::Vendor { errors, .. } => errors,
            _ => &[],
        }
    }

    /// Whether the vendor answered with `code`.
    pub fn has_code(&self, code: ErrorCode) -> bool {
        self.vendor_errors().iter().any(|e| e.code == code)
    }

    /// What this error, returned by a purchase (transaction create), says about the purchase.
    ///
    /// - [`Outcome::Failed`]: nothing was sent ([`Error::is_not_sent`]), or the vendor
    ///   answered with a 4xx and only documented final error codes
    ///   ([`ErrorCode::is_final_failure`]), and the body carries no transaction besides.
    /// - [`Outcome::Unknown`]: everything else: a timeout or broken connection after sending,
    ///   a 5xx, a body that cannot be read, an HTTP error without the error body, a timeout
    ///   or internal error code, an undocumented code, or `1000990` (the external id is
    ///   already used: the purchase may be an earlier send of this very request), a followed
    ///   redirect ([`Error::Redirected`]) or a returned transaction that is not this one
    ///   ([`Error::Mismatch`]). Look the transaction up by its external id; never buy again
    ///   with a new one.
    pub fn outcome(&self) -> Outcome {
        match self {
            Error::Config { .. } | Error::InvalidInput { .. } | Error::NotSent { .. } => {
                Outcome::Failed
            }
            Error::Vendor { status, errors, body }
                if (400..500).contains(status)
                    && !errors.is_empty()
                    && errors.iter().all(|e| e.code.is_final_failure())
                    && !carries_transaction(body) =>
            {
                Outcome::Failed
            }
            _ => Outcome::Unknown,
        }
    }

    /// [`Error::outcome`] is [`Outcome::Failed`]: the purchase certainly did not happen.
    pub fn is_final_failure(&self) -> bool {
        self.outcome() == Outcome::Failed
    }

    /// [`Error::outcome`] is [`Outcome::Unknown`]: only a lookup by external id can tell.
    pub fn is_outcome_unknown(&self) -> bool {
        self.outcome() == Outcome::Unknown
    }

    /// Whether a read (a catalog call or a lookup) that failed this way is worth repeating.
    pub(crate) fn is_retryable_read(&self) -> bool {
        match self {
            Error::NotSent { .. } | Error::Timeout { .. } | Error::Interrupted { .. } => true,
            Error::Status { status, .. } | Error::Vendor { status, .. } => {
                matches!(status, 502..=504)
            }
            _ => false,
        }
    }
}

/// One entry of the vendor's error list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApiError {
    /// The error code.
    pub code: ErrorCode,
    /// The vendor's message.
    #[serde(default)]
    pub message: String,
    /// Any other field, kept as sent.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// The vendor's error body: `{"errors":[{"code":1000304,"message":"…"}]}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// The errors.
    pub errors: Vec<ApiError>,
    /// Any other field, kept as sent.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

macro_rules! error_codes {
    ($($(#[$doc:meta])* $name:ident = $code:literal,)*) => {
        /// A DT One GS error code. Codes this crate does not know survive as
        /// [`ErrorCode::Unknown`].
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ErrorCode {
            $($(#[$doc])* $name,)*
            /// A code this crate does not know.
            Unknown(u64),
        }

        impl ErrorCode {
            /// The numeric code.
            pub fn code(self) -> u64 {
                match self {
                    $(ErrorCode::$name => $code,)*
                    ErrorCode::Unknown(c) => c,
                }
            }

            /// The code for a number.
            pub fn from_code(code: u64) -> Self {
                match code {
                    $($code => ErrorCode::$name,)*
                    other => ErrorCode::Unknown(other),
                }
            }

            /// Every known code.
            pub const KNOWN: &'static [ErrorCode] = &[$(ErrorCode::$name,)*];
        }
    };
}

error_codes! {
    /// `1000777`: the master account's balance is too low.
    InsufficientBalanceMaster = 1000777,
    /// `1000888`: the retailer account's balance is too low.
    InsufficientBalanceRetailer = 1000888,
    /// `1000999`: a parameter is invalid.
    InvalidParameter = 1000999,
    /// `1000204`: the account number is incorrect.
    AccountNumberIncorrect = 1000204,
    /// `1000207`: the amount limit is exceeded.
    AmountLimitExceeded = 1000207,
    /// `1000212`: the bill is already paid.
    AlreadyPaid = 1000212,
    /// `1000213`: the transaction repeats a recent one and was refused.
    Repeated = 1000213,
    /// `1000214`: the transaction was rejected.
    Rejected = 1000214,
    /// `1000218`: the operator timed out; the outcome is unknown.
    Timeout = 1000218,
    /// `1000230`: the recipient reached the maximum number of transactions.
    RecipientMaxTransactions = 1000230,
    /// `1000301`: the product is not available.
    ProductNotAvailable = 1000301,
    /// `1000302`: the product is not compatible.
    ProductNotCompatible = 1000302,
    /// `1000303`: the product type is incorrect.
    ProductTypeIncorrect = 1000303,
    /// `1000304`: account verification is not available for this product.
    AccountVerificationNotAvailable = 1000304,
    /// `1000990`: the external id is already used.
    ExternalIdAlreadyUsed = 1000990,
    /// `1000401`: the request is not authorised (bad key, secret or nonce).
    Unauthorized = 1000401,
    /// `1000404`: no transaction was found.
    TransactionNotFound = 1000404,
    /// `1000500`: an internal error at the vendor; the outcome is unknown.
    InternalError = 1000500,
}

impl ErrorCode {
    /// Whether a purchase refused with this code certainly did not happen.
    ///
    /// True for the balance, parameter, account, limit, already paid, repeated, rejected,
    /// product, verification and unauthorised codes. False for [`ErrorCode::Timeout`],
    /// [`ErrorCode::InternalError`], [`ErrorCode::ExternalIdAlreadyUsed`] (a transaction with
    /// this external id exists: look it up), [`ErrorCode::TransactionNotFound`] (an answer to a
    /// lookup, not to a purchase) and every unknown code.
    pub fn is_final_failure(self) -> bool {
        use ErrorCode::*;
        matches!(
            self,
            InsufficientBalanceMaster
                | InsufficientBalanceRetailer
                | InvalidParameter
                | AccountNumberIncorrect
                | AmountLimitExceeded
                | AlreadyPaid
                | Repeated
                | Rejected
                | RecipientMaxTransactions
                | ProductNotAvailable
                | ProductNotCompatible
                | ProductTypeIncorrect
                | AccountVerificationNotAvailable
                | Unauthorized
        )
    }

    /// The opposite of [`ErrorCode::is_final_failure`]: after this code only a lookup by
    /// external id tells what happened to a purchase.
    pub fn leaves_outcome_unknown(self) -> bool {
        !self.is_final_failure()
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.code())
    }
}

impl From<u64> for ErrorCode {
    fn from(code: u64) -> Self {
        ErrorCode::from_code(code)
    }
}

impl Serialize for ErrorCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u64(self.code())
    }
}

impl<'de> Deserialize<'de> for ErrorCode {
    /// Reads a number, or a string of digits.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        crate::models::id::deserialize(deserializer).map(ErrorCode::from_code)
    }
}

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_known_code_round_trips_and_unknown_survives() {
        for code in ErrorCode::KNOWN {
            assert_eq!(ErrorCode::from_code(code.code()), *code);
        }
        assert_eq!(ErrorCode::KNOWN.len(), 18);
        let c: ErrorCode = serde_json::from_str("1234567").unwrap();
        assert_eq!(c, ErrorCode::Unknown(1234567));
        assert_eq!(serde_json::to_string(&c).unwrap(), "1234567");
        let s: ErrorCode = serde_json::from_str("\"1000304\"").unwrap();
        assert_eq!(s, ErrorCode::AccountVerificationNotAvailable);
    }

    #[test]
    fn final_failures_and_unknown_outcomes() {
        use ErrorCode::*;
        for c in [
            InsufficientBalanceMaster,
            InsufficientBalanceRetailer,
            InvalidParameter,
            AlreadyPaid,
            Rejected,
            Unauthorized,
        ] {
            assert!(c.is_final_failure(), "{c:?}");
        }
        for c in [Timeout, InternalError, ExternalIdAlreadyUsed, TransactionNotFound, Unknown(1)] {
            assert!(c.leaves_outcome_unknown(), "{c:?}");
        }
    }

    fn vendor(status: u16, codes: &[u64]) -> Error {
        Error::Vendor {
            status,
            errors: codes
                .iter()
                .map(|c| ApiError {
                    code: ErrorCode::from_code(*c),
                    message: String::new(),
                    extra: Default::default(),
                })
                .collect(),
            body: String::new(),
        }
    }

    #[test]
    fn a_body_that_may_hold_a_pin_is_not_in_debug() {
        let truncated = r#"{"status":"0","pin_code":"1111-2222""#;
        let e = crate::client::interpret::<crate::Transaction>(201, truncated.into()).unwrap_err();
        assert!(matches!(e, Error::Decode { .. }), "{e:?}");
        let d = format!("{e:?}");
        assert!(!d.contains("1111-2222"), "{d}");
        assert!(d.contains("withheld"), "{d}");
        assert_eq!(e.raw_body(), Some(truncated));
        let plain = Error::Status { status: 502, body: "<html>bad gateway</html>".into() };
        assert!(format!("{plain:?}").contains("bad gateway"));
    }

    #[test]
    fn error_outcomes() {
        assert_eq!(vendor(400, &[1000777]).outcome(), Outcome::Failed);
        assert_eq!(vendor(400, &[1000777, 1000218]).outcome(), Outcome::Unknown);
        assert_eq!(vendor(500, &[1000999]).outcome(), Outcome::Unknown);
        assert_eq!(vendor(400, &[1000990]).outcome(), Outcome::Unknown);
        assert_eq!(vendor(400, &[]).outcome(), Outcome::Unknown);
        let mut with_tx = vendor(400, &[1000777]);
        if let Error::Vendor { body, .. } = &mut with_tx {
            *body = r#"{"errors":[{"code":1000777}],"transaction_id":5}"#.into();
        }
        assert_eq!(with_tx.outcome(), Outcome::Unknown, "refused, yet a transaction");
        let redirected = Error::Redirected { status: 200, to: "http://elsewhere/".into() };
        assert_eq!(redirected.outcome(), Outcome::Unknown);
        assert!(!redirected.is_retryable_read());
        assert_eq!(
            Error::Status { status: 400, body: "<html>".into() }.outcome(),
            Outcome::Unknown
        );
        assert!(Error::invalid("external_id", "empty").is_final_failure());
        assert!(Error::invalid("external_id", "empty").is_not_sent());
    }
}
