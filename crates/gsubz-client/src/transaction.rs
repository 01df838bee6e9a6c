//! What a purchase or a status query tells: the [`Outcome`] and everything it is based on.

use serde_json::Value;
use vas_common::{Outcome, SendState};

use crate::models::{PayResponse, ResponseCode, TransactionStatus};
use crate::{Error, RequestId};

/// Which call an answer belongs to: it changes what an answer without a status means.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Call {
    /// A purchase (`pay`): a rejection code without a status means nothing was bought.
    Pay,
    /// A status query (`verify`): a rejection of the query says nothing about the purchase.
    Verify,
}

/// The outcome of an answer, from its HTTP status, its response `code` and its transaction
/// `status` (a pure function, applied by [`Client::pay`](crate::Client::pay) and
/// [`Client::verify`](crate::Client::verify)).
///
/// In this order:
/// 1. an HTTP 5xx, or the code 502 (`GATEWAY_ERROR`): `Unknown` (verify before anything
///    else);
/// 2. a success status (`TRANSACTION_SUCCESSFUL`, `successful`, `success`): `Delivered` when
///    the code is absent, 200, or 406 (a duplicate `requestID` answered with the original
///    transaction) and the HTTP status is 2xx or 406; otherwise `Unknown` (the answer
///    contradicts itself);
/// 3. a failure status (`TRANSACTION_FAILED`, `failed`): `Failed`, even under HTTP 200;
/// 4. `pending`/`processing`: `Pending`; any other status: `Unknown`;
/// 5. no status: for a purchase, a code that rejects the request before processing (204,
///    206, 401, 402, 404, 405, 429) is `Failed`; anything else (200 without a status, 406,
///    an unlisted code) is `Unknown`. For a status query, always `Unknown`.
///
/// ```
/// use gsubz_client::{classify, Call, ResponseCode, TransactionStatus};
/// use vas_common::Outcome;
///
/// let ok = TransactionStatus::from("successful");
/// let failed = TransactionStatus::from("failed");
/// let code = ResponseCode::TransactionSuccessful;
/// assert_eq!(classify(Call::Pay, 200, Some(&code), Some(&ok)), Outcome::Delivered);
/// assert_eq!(classify(Call::Pay, 200, Some(&code), Some(&failed)), Outcome::Failed);
/// assert_eq!(classify(Call::Pay, 502, None, None), Outcome::Unknown);
/// assert_eq!(classify(Call::Pay, 200, Some(&ResponseCode::ErrorInPayment), None), Outcome::Failed);
/// assert_eq!(classify(Call::Verify, 200, Some(&ResponseCode::ContentNotFound), None), Outcome::Unknown);
/// ```
pub fn classify(
    call: Call,
    http_status: u16,
    code: Option<&ResponseCode>,
    status: Option<&TransactionStatus>,
) -> Outcome {
    if http_status >= 500 || code == Some(&ResponseCode::GatewayError) {
        return Outcome::Unknown;
    }
    if let Some(status) = status {
        return match status.outcome() {
            Outcome::Delivered => {
                let http_ok = (200..300).contains(&http_status) || http_status == 406;
                let code_ok = matches!(
                    code,
                    None | Some(ResponseCode::TransactionSuccessful | ResponseCode::NotAllowed)
                );
                if http_ok && code_ok { Outcome::Delivered } else { Outcome::Unknown }
            }
            other => other,
        };
    }
    match call {
        Call::Pay if code.is_some_and(ResponseCode::rejects_purchase) => Outcome::Failed,
        _ => Outcome::Unknown,
    }
}

/// The answer to a purchase or a status query, classified.
///
/// `outcome` is what the caller acts on; the rest is what it is based on. When the request
/// may have reached GSUBZ but the answer cannot be read or trusted (a timeout, a 502 HTML
/// page, a body that is not the documented JSON, an answer naming another `requestID`), the
/// outcome is `Unknown`, `problem` says why and `raw_body` keeps what was received: ask again
/// with [`Client::verify`](crate::Client::verify) and the same `request_id`; never pay again
/// with a new one.
#[derive(Debug)]
#[non_exhaustive]
pub struct Transaction {
    /// The purchase's `requestID`.
    pub request_id: RequestId,
    /// What the answer tells.
    pub outcome: Outcome,
    /// The HTTP status, if an answer was received.
    pub http_status: Option<u16>,
    /// The response code: the body's `code`, else the HTTP status when it is not 2xx.
    pub code: Option<ResponseCode>,
    /// The transaction's status (top-level, else in `content`).
    pub status: Option<TransactionStatus>,
    /// The decoded answer, when it decoded.
    pub response: Option<PayResponse>,
    /// The raw body, as received.
    pub raw_body: Option<String>,
    /// Why the answer could not be read (or not fully: a body whose status is clear but whose
    /// other fields do not decode keeps its outcome and the decode error), or cannot be
    /// trusted (then the outcome is `Unknown`).
    pub problem: Option<Error>,
}

impl Transaction {
    /// Whether the outcome is final (`Delivered` or `Failed`).
    pub fn is_final(&self) -> bool {
        self.outcome.is_final()
    }

    /// Whether GSUBZ answered 406 with a transaction: the `requestID` was already used and
    /// this is the original purchase's result (nothing was charged again).
    pub fn is_duplicate(&self) -> bool {
        self.code == Some(ResponseCode::NotAllowed) && self.status.is_some()
    }

    /// GSUBZ's transaction id, if the answer has one.
    pub fn transaction_id(&self) -> Option<&str> {
        self.response.as_ref().and_then(PayResponse::transaction_id)
    }

    /// The answer's `description` (top-level, else in `content`).
    pub fn description(&self) -> Option<&str> {
        let r = self.response.as_ref()?;
        r.description.as_deref().or_else(|| r.content.as_ref()?.description.as_deref())
    }

    /// An `Unknown` transaction: the request may have been sent, and no answer was read.
    pub(crate) fn unknown(request_id: RequestId, http_status: Option<u16>, problem: Error) -> Self {
        Transaction {
            request_id,
            outcome: Outcome::Unknown,
            http_status,
            code: None,
            status: None,
            response: None,
            raw_body: None,
            problem: Some(problem),
        }
    }

    /// Classifies a received answer.
    pub(crate) fn from_answer(
        call: Call,
        request_id: RequestId,
        http_status: u16,
        body: String,
    ) -> Self {
        let http_code =
            (!(200..300).contains(&http_status)).then(|| ResponseCode::from_http(http_status));
        let object = match serde_json::from_str::<Value>(&body) {
            Ok(Value::Object(map)) => map,
            parsed => {
                let problem = match parsed {
                    _ if http_status >= 300 => {
                        Error::Http { status: http_status, body: body.clone() }
                    }
                    Err(e) => Error::Decode {
                        status: http_status,
                        path: "$".into(),
                        message: e.to_string(),
                        body: body.clone(),
                    },
                    Ok(_) => Error::UnexpectedResponse {
                        reason: "the answer is JSON but not an object".into(),
                        body: body.clone(),
                    },
                };
                return Transaction {
                    request_id,
                    outcome: Outcome::Unknown,
                    http_status: Some(http_status),
                    code: http_code,
                    status: None,
                    response: None,
                    raw_body: Some(body),
                    problem: Some(problem),
                };
            }
        };

        // Read code and status from the JSON itself, so that a body whose other fields do not
        // decode is still classified by what it says about the transaction.
        let text = |v: &Value| match v {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        };
        let code =
            object.get("code").and_then(text).map(|c| ResponseCode::from_code(&c)).or(http_code);
        let top_status =
            object.get("status").and_then(text).map(|s| TransactionStatus::from(s.as_str()));
        let content_status = object
            .get("content")
            .and_then(|c| c.get("status"))
            .and_then(text)
            .map(|s| TransactionStatus::from(s.as_str()));
        let contradiction = match (&top_status, &content_status) {
            (Some(a), Some(b)) if a.outcome() != b.outcome() => {
                Some(format!("the answer's status {a} contradicts the status {b} in its content"))
            }
            _ => None,
        };
        let status = top_status.or(content_status);
        let answered_id = object
            .get("requestID")
            .and_then(text)
            .or_else(|| object.get("content").and_then(|c| c.get("requestID")).and_then(text))
            .filter(|s| !s.is_empty());

        let mut problem = None;
        let response = {
            let de = &mut serde_json::Deserializer::from_str(&body);
            match serde_path_to_error::deserialize::<_, PayResponse>(de) {
                Ok(r) => Some(r),
                Err(e) => {
                    problem = Some(Error::Decode {
                        status: http_status,
                        path: e.path().to_string(),
                        message: e.inner().to_string(),
                        body: body.clone(),
                    });
                    None
                }
            }
        };

        let mut outcome = classify(call, http_status, code.as_ref(), status.as_ref());
        if let Some(reason) = contradiction {
            outcome = Outcome::Unknown;
            problem = Some(Error::UnexpectedResponse { reason, body: body.clone() });
        }
        if let Some(answered) = answered_id.filter(|a| a != request_id.as_str()) {
            outcome = Outcome::Unknown;
            problem = Some(Error::UnexpectedResponse {
                reason: format!("the answer is for requestID {answered}, not {request_id}"),
                body: body.clone(),
            });
        }
        if outcome == Outcome::Unknown && problem.is_none() && http_status >= 300 {
            problem = Some(Error::Http { status: http_status, body: body.clone() });
        }
        Transaction {
            request_id,
            outcome,
            http_status: Some(http_status),
            code,
            status,
            response,
            raw_body: Some(body),
            problem,
        }
    }
}

/// The error for a body that could not be read after the headers arrived.
pub(crate) fn body_error(source: reqwest::Error) -> Error {
    let state = if source.is_timeout() { SendState::TimedOut } else { SendState::Interrupted };
    Error::AfterSend { state, source }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(s: &str) -> TransactionStatus {
        TransactionStatus::from(s)
    }

    #[test]
    fn a_rejected_status_query_says_nothing_about_the_purchase() {
        for code in ["204", "206", "401", "402", "404", "405", "406", "429", "200", "777"] {
            let code = ResponseCode::from_code(code);
            assert_eq!(classify(Call::Verify, 200, Some(&code), None), Outcome::Unknown, "{code}");
        }
        assert_eq!(
            classify(Call::Pay, 200, Some(&ResponseCode::RequestMethodNotInPost), None),
            Outcome::Failed
        );
    }

    #[test]
    fn server_errors_and_gateway_codes_are_unknown_whatever_the_status() {
        for s in ["successful", "failed", "TRANSACTION_SUCCESSFUL"] {
            assert_eq!(classify(Call::Pay, 500, None, Some(&status(s))), Outcome::Unknown);
            assert_eq!(classify(Call::Verify, 503, None, Some(&status(s))), Outcome::Unknown);
            assert_eq!(
                classify(Call::Pay, 200, Some(&ResponseCode::GatewayError), Some(&status(s))),
                Outcome::Unknown
            );
        }
    }

    #[test]
    fn a_duplicate_answers_with_the_original_outcome() {
        let dup = ResponseCode::NotAllowed;
        assert_eq!(
            classify(Call::Pay, 406, Some(&dup), Some(&status("successful"))),
            Outcome::Delivered
        );
        assert_eq!(classify(Call::Pay, 200, Some(&dup), Some(&status("failed"))), Outcome::Failed);
        assert_eq!(classify(Call::Pay, 406, Some(&dup), None), Outcome::Unknown);
        assert_eq!(
            classify(
                Call::Pay,
                401,
                Some(&ResponseCode::AuthorizationFailed),
                Some(&status("success"))
            ),
            Outcome::Unknown
        );
    }

    #[test]
    fn from_answer_keeps_the_body_and_the_request_id() {
        let id = RequestId::from_u64(42);
        let tx = Transaction::from_answer(Call::Pay, id.clone(), 200, "not json".into());
        assert_eq!(tx.outcome, Outcome::Unknown);
        assert_eq!(tx.request_id, id);
        assert_eq!(tx.raw_body.as_deref(), Some("not json"));
        assert!(matches!(tx.problem, Some(Error::Decode { .. })));

        let body = r#"{"code":"200","status":"success","requestID":"42","amount":"100.50"}"#;
        let tx = Transaction::from_answer(Call::Verify, id, 200, body.into());
        assert_eq!(tx.outcome, Outcome::Delivered);
        assert!(tx.problem.is_none());
        let r = tx.response.unwrap();
        assert_eq!(r.amount(), Some(rust_decimal::Decimal::new(10050, 2)));
        assert_eq!(serde_json::to_string(&r).unwrap(), body);
    }
}
