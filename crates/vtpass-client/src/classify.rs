//! What a pay or requery answer means: [`Outcome`] plus VTpass detail.
//!
//! The documented rule: `000` means "processed" and the transaction status decides; only
//! `delivered` is success; `016` and `091` are final failures; `040` (or status `reversed`) is
//! a reversal, a final failure whose money went back to the wallet; `099` and `089` are still
//! processing; `001` (a query answer) is decided by its status like `000`. Codes that refuse a
//! payment before processing it (`010`-`013`, `015`, `017`-`019`, `021`-`028`, `030`-`032`,
//! `034`, `035`, `085`, `087`) are failures of that payment: nothing was charged. A failure
//! code is believed only when the answer has no transaction status, or a `failed` or
//! `reversed` one; beside any other status it is [`Detail::Contradictory`]. Anything else —
//! a code or status the documentation does not list, a timeout, a dropped connection, a
//! redirect, a 5xx, a body that cannot be read or that names another request id — is not
//! final: ask again with [`crate::Client::requery`] and the same request id, and never pay
//! again with a new one.

use std::fmt;

use vas_common::{Outcome, SendState};

use crate::codes::{ResponseCode, TransactionStatus};
use crate::error::Error;
use crate::models::TransactionResponse;

/// Why a pay or requery answer got its [`Outcome`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Detail {
    /// Code `000` and status `delivered`: the value was delivered.
    Delivered,
    /// A final failure: code `016` or `091`, or status `failed`.
    Failed,
    /// The purchase was refused before it was processed (invalid variation, low wallet
    /// balance, account locked, …): nothing was charged.
    Rejected,
    /// Code `040` or status `reversed`: charged, then refunded to the wallet.
    Reversed,
    /// Still processing: codes `099` and `089`, or status `initiated` / `pending`.
    Processing,
    /// Code `044` or status `resolved`: VTpass support resolved the transaction; the answer
    /// does not say how. Check with VTpass before giving value or refunding.
    Resolved,
    /// A pay answered `014`: a transaction with this request id already exists. Its outcome
    /// is that of the earlier payment: requery.
    DuplicateRequestId,
    /// A requery answered `015`: VTpass has no transaction with this request id (yet).
    NotFound,
    /// A code or status the documentation does not list, or a `000` without a transaction.
    Unlisted,
    /// The answer contradicts itself (a failure code beside a status that is not `failed`
    /// or `reversed`).
    Contradictory,
    /// No usable answer: timeout, dropped connection, 5xx, unreadable body.
    NoAnswer(NoAnswer),
}

/// Why there was no usable answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum NoAnswer {
    /// The client stopped waiting after sending.
    TimedOut,
    /// The connection broke after sending (including closed without an answer).
    Interrupted,
    /// An HTTP error status without a VTpass body.
    HttpStatus(u16),
    /// A body that is not a VTpass answer.
    Unreadable,
}

impl Detail {
    /// The [`Outcome`] this detail maps to.
    pub fn outcome(&self) -> Outcome {
        match self {
            Detail::Delivered => Outcome::Delivered,
            Detail::Failed | Detail::Rejected | Detail::Reversed => Outcome::Failed,
            Detail::Processing => Outcome::Pending,
            Detail::Resolved
            | Detail::DuplicateRequestId
            | Detail::NotFound
            | Detail::Unlisted
            | Detail::Contradictory
            | Detail::NoAnswer(_) => Outcome::Unknown,
        }
    }
}

impl fmt::Display for Detail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Detail::Delivered => f.write_str("delivered"),
            Detail::Failed => f.write_str("failed"),
            Detail::Rejected => f.write_str("rejected before processing"),
            Detail::Reversed => f.write_str("reversed to the wallet"),
            Detail::Processing => f.write_str("processing"),
            Detail::Resolved => f.write_str("resolved by VTpass support"),
            Detail::DuplicateRequestId => f.write_str("request id already used"),
            Detail::NotFound => f.write_str("no transaction with this request id"),
            Detail::Unlisted => f.write_str("undocumented answer"),
            Detail::Contradictory => f.write_str("contradictory answer"),
            Detail::NoAnswer(NoAnswer::TimedOut) => f.write_str("timed out"),
            Detail::NoAnswer(NoAnswer::Interrupted) => f.write_str("connection interrupted"),
            Detail::NoAnswer(NoAnswer::HttpStatus(s)) => write!(f, "HTTP status {s}"),
            Detail::NoAnswer(NoAnswer::Unreadable) => f.write_str("unreadable answer"),
        }
    }
}

/// A pay or requery answer, classified.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Classification {
    /// The outcome: `Delivered` and `Failed` are final; `Pending` and `Unknown` mean "requery
    /// with the same request id".
    pub outcome: Outcome,
    /// Why.
    pub detail: Detail,
    /// The response code, when there was an answer.
    pub code: Option<ResponseCode>,
    /// The transaction status, when the answer had one.
    pub status: Option<TransactionStatus>,
}

impl Classification {
    fn new(detail: Detail, code: Option<ResponseCode>, status: Option<TransactionStatus>) -> Self {
        Self { outcome: detail.outcome(), detail, code, status }
    }

    /// Whether nothing more will change (`Delivered` or `Failed`).
    pub fn is_final(&self) -> bool {
        self.outcome.is_final()
    }
}

/// Which call the answer came from: the same code means different things.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Call {
    Pay,
    Requery,
}

fn classify_response(r: &TransactionResponse, call: Call) -> Classification {
    use ResponseCode as C;
    let code = r.response_code();
    let status = r.status();
    let by_status = |s: &TransactionStatus| match s {
        TransactionStatus::Delivered => Detail::Delivered,
        TransactionStatus::Failed => Detail::Failed,
        TransactionStatus::Reversed => Detail::Reversed,
        TransactionStatus::Initiated | TransactionStatus::Pending => Detail::Processing,
        TransactionStatus::Resolved => Detail::Resolved,
        TransactionStatus::Unknown(_) => Detail::Unlisted,
    };
    // A failure code is only believed when the transaction, if the answer has one, agrees:
    // no status, or a failed or reversed one. Any other status (delivered, pending,
    // resolved, one the documentation does not list) leaves the outcome open.
    let failure = |d: Detail| match &status {
        None | Some(TransactionStatus::Failed | TransactionStatus::Reversed) => d,
        Some(_) => Detail::Contradictory,
    };
    let detail = match &code {
        None => Detail::Unlisted,
        Some(C::TransactionProcessed) => status.as_ref().map_or(Detail::Unlisted, by_status),
        // `001` answers a query with the transaction: its status decides.
        Some(C::TransactionQuery) => status.as_ref().map_or(Detail::Processing, by_status),
        // Still processing, whatever the status says so far: the next requery decides.
        Some(C::TransactionProcessing | C::RequestProcessing) => Detail::Processing,
        Some(C::TransactionFailed | C::TransactionNotProcessed) => failure(Detail::Failed),
        Some(C::TransactionReversal) => failure(Detail::Reversed),
        Some(C::TransactionResolved) => Detail::Resolved,
        Some(C::RequestIdAlreadyExists) if call == Call::Pay => Detail::DuplicateRequestId,
        Some(C::InvalidRequestId) if call == Call::Requery => Detail::NotFound,
        Some(c) if c.is_rejection() && call == Call::Pay => failure(Detail::Rejected),
        Some(_) => Detail::Unlisted,
    };
    Classification::new(detail, code, status)
}

/// Classifies the answer of `POST pay`.
///
/// ```
/// use vas_common::Outcome;
/// use vtpass_client::{classify_pay, PayResponse};
///
/// let body = r#"{"code":"000","content":{"transactions":{"status":"delivered"}}}"#;
/// let r: PayResponse = serde_json::from_str(body).unwrap();
/// assert_eq!(classify_pay(&r).outcome, Outcome::Delivered);
///
/// let r: PayResponse = serde_json::from_str(r#"{"code":"099"}"#).unwrap();
/// assert_eq!(classify_pay(&r).outcome, Outcome::Pending);
///
/// let r: PayResponse = serde_json::from_str(r#"{"code":"777"}"#).unwrap();
/// assert_eq!(classify_pay(&r).outcome, Outcome::Unknown);
/// ```
pub fn classify_pay(response: &TransactionResponse) -> Classification {
    classify_response(response, Call::Pay)
}

/// Classifies the answer of `POST requery` (or a `transaction-update` webhook's data).
///
/// Differs from [`classify_pay`] in two codes: `015` means "no such transaction" (not
/// final: the payment may not have arrived yet), and validation codes such as `018`, which
/// a requery cannot cause about the payment, are not taken as a failure of the payment.
pub fn classify_requery(response: &TransactionResponse) -> Classification {
    classify_response(response, Call::Requery)
}

/// Classifies a failed call: an error raised before sending is not a purchase at all
/// (`Failed` with [`Detail::Rejected`]: nothing was sent, nothing charged); anything that may
/// have reached VTpass is `Unknown`.
pub fn classify_error(error: &Error) -> Classification {
    let detail = match error {
        Error::Config { .. } | Error::InvalidInput { .. } | Error::NotSent { .. } => {
            Detail::Rejected
        }
        Error::Timeout { .. } => Detail::NoAnswer(NoAnswer::TimedOut),
        Error::Interrupted { .. } => Detail::NoAnswer(NoAnswer::Interrupted),
        Error::Http { status, .. } => Detail::NoAnswer(NoAnswer::HttpStatus(*status)),
        Error::Decode { .. } | Error::Vendor { .. } => Detail::NoAnswer(NoAnswer::Unreadable),
    };
    let code = error.code().cloned();
    Classification::new(detail, code, None)
}

/// Classifies the result of [`crate::Client::pay`].
pub fn classify_pay_result(result: &crate::Result<TransactionResponse>) -> Classification {
    match result {
        Ok(r) => classify_pay(r),
        Err(e) => classify_error(e),
    }
}

/// Classifies the result of [`crate::Client::requery`].
pub fn classify_requery_result(result: &crate::Result<TransactionResponse>) -> Classification {
    match result {
        Ok(r) => classify_requery(r),
        Err(e) => classify_error(e),
    }
}

/// The [`Outcome`] of a pay result (shortcut for `classify_pay_result(r).outcome`).
pub fn classify(result: &crate::Result<TransactionResponse>) -> Outcome {
    classify_pay_result(result).outcome
}

impl From<SendState> for NoAnswer {
    fn from(s: SendState) -> Self {
        match s {
            SendState::TimedOut => NoAnswer::TimedOut,
            _ => NoAnswer::Interrupted,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resp(code: Option<&str>, status: Option<&str>) -> TransactionResponse {
        let mut v = serde_json::json!({});
        if let Some(c) = code {
            v["code"] = c.into();
        }
        if let Some(s) = status {
            v["content"] = serde_json::json!({"transactions": {"status": s}});
        }
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn the_documented_rule() {
        use Outcome::*;
        let cases: &[(Option<&str>, Option<&str>, Outcome, Outcome)] = &[
            // (code, status, pay outcome, requery outcome)
            (Some("000"), Some("delivered"), Delivered, Delivered),
            (Some("000"), Some("initiated"), Pending, Pending),
            (Some("000"), Some("pending"), Pending, Pending),
            (Some("000"), Some("reversed"), Failed, Failed),
            (Some("000"), Some("failed"), Failed, Failed),
            (Some("000"), Some("resolved"), Unknown, Unknown),
            (Some("000"), Some("on-hold"), Unknown, Unknown),
            (Some("000"), None, Unknown, Unknown),
            (Some("099"), None, Pending, Pending),
            (Some("089"), None, Pending, Pending),
            (Some("099"), Some("delivered"), Pending, Pending),
            (Some("001"), Some("delivered"), Delivered, Delivered),
            (Some("001"), Some("failed"), Failed, Failed),
            (Some("001"), None, Pending, Pending),
            (Some("016"), Some("failed"), Failed, Failed),
            (Some("016"), None, Failed, Failed),
            (Some("016"), Some("delivered"), Unknown, Unknown),
            (Some("091"), None, Failed, Failed),
            (Some("040"), None, Failed, Failed),
            (Some("044"), None, Unknown, Unknown),
            (Some("014"), None, Unknown, Unknown),
            (Some("015"), None, Failed, Unknown),
            (Some("018"), None, Failed, Unknown),
            (Some("010"), None, Failed, Unknown),
            (Some("083"), None, Unknown, Unknown),
            (Some("020"), None, Unknown, Unknown),
            (Some("999"), None, Unknown, Unknown),
            (None, Some("delivered"), Unknown, Unknown),
        ];
        for (code, status, pay, requery) in cases {
            let r = resp(*code, *status);
            assert_eq!(classify_pay(&r).outcome, *pay, "pay {code:?} {status:?}");
            assert_eq!(classify_requery(&r).outcome, *requery, "requery {code:?} {status:?}");
        }
        assert_eq!(classify_pay(&resp(Some("040"), None)).detail, Detail::Reversed);
        assert_eq!(classify_pay(&resp(Some("000"), Some("reversed"))).detail, Detail::Reversed);
        assert_eq!(classify_requery(&resp(Some("015"), None)).detail, Detail::NotFound);
    }

    #[test]
    fn a_failure_code_is_believed_only_when_the_transaction_status_agrees() {
        use Outcome::*;
        let cases: &[(&str, Option<&str>, Outcome, Outcome)] = &[
            // (code, status, pay outcome, requery outcome)
            ("016", None, Failed, Failed),
            ("016", Some("failed"), Failed, Failed),
            ("016", Some("reversed"), Failed, Failed),
            ("040", Some("reversed"), Failed, Failed),
            ("018", Some("failed"), Failed, Unknown),
            // A status that is not a failure leaves the outcome open.
            ("016", Some("resolved"), Unknown, Unknown),
            ("091", Some("on-hold"), Unknown, Unknown),
            ("040", Some("pending"), Unknown, Unknown),
            ("018", Some("initiated"), Unknown, Unknown),
            ("087", Some("processing"), Unknown, Unknown),
            ("021", Some("resolved"), Unknown, Unknown),
        ];
        for (code, status, pay, requery) in cases {
            let r = resp(Some(code), *status);
            assert_eq!(classify_pay(&r).outcome, *pay, "pay {code} {status:?}");
            assert_eq!(classify_requery(&r).outcome, *requery, "requery {code} {status:?}");
        }
        assert_eq!(
            classify_pay(&resp(Some("016"), Some("resolved"))).detail,
            Detail::Contradictory
        );
    }

    #[test]
    fn an_odd_field_in_the_transaction_does_not_hide_its_status() {
        let r: TransactionResponse = serde_json::from_value(serde_json::json!({
            "code": "000",
            "content": {"transactions": {"status": "delivered", "discount": "", "commission": "N4"}},
            "transaction_date": 1644255012
        }))
        .unwrap();
        assert!(r.transaction().is_none());
        assert_eq!(r.status(), Some(TransactionStatus::Delivered));
        assert_eq!(classify_pay(&r).outcome, Outcome::Delivered);
        assert!(r.transaction_date.as_ref().unwrap().date().is_none());
    }
}
