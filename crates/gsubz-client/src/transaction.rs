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
///    else); an HTTP 1xx or 3xx (a redirect, never followed) is not GSUBZ's answer: `Unknown`;
/// 2. a success status (`TRANSACTION_SUCCESSFUL`, `successful`, `success`): `Delivered` when
///    the code is absent, 200, or 406 (a duplicate `requestID` answered with the original
///    transaction) and the HTTP status is 2xx or 406; otherwise `Unknown` (the answer
///    contradicts itself);
/// 3. a failure status (`TRANSACTION_FAILED`, `failed`): `Failed`, even under HTTP 200;
/// 4. `pending`/`processing`: `Pending`; any other status: `Unknown`;
///    ([`Transaction::from_answer`] also makes `Unknown` a status query's failed status under
///    a code that refuses the query (204, 206, 401, 404, 405, 429) when the answer names no
///    `requestID`: "not found" is not "failed");
/// 5. no status: for a purchase, a code that rejects the request before processing (204,
///    206, 401, 402, 404, 405, 429) is `Failed`; anything else (200 without a status, 406,
///    an unlisted code) is `Unknown`. For a status query, always `Unknown`.
///
/// Why those seven codes are refusals of a purchase and cannot follow a processed one: each
/// names a check GSUBZ makes before it buys anything: 204 and 206 the form (a required field
/// missing, a value invalid), 401 the key or the plan, 402 the account's balance
/// (`INSUFFICIENT_BALANCE`), 404 the service, 405 the method, 429 the rate limit. A
/// transaction that was processed is answered with its `status` (step 2 or 3), as in the
/// doc's own 402 answer, whose `TRANSACTION_FAILED` status decides. On top of this function,
/// [`Client::pay`](crate::Client::pay) treats as `Unknown` a refusal code whose answer still
/// carries a `transactionID` (a transaction exists, so it was not refused before processing)
/// and any answer with a key written twice (it says two things).
///
/// A duplicate `requestID` is answered with 406 in the body's `code`, the HTTP status or both,
/// and the original transaction's `status`, which decides: the original is the purchase.
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
    let gsubz_answer = (200..300).contains(&http_status) || (400..500).contains(&http_status);
    if !gsubz_answer || code == Some(&ResponseCode::GatewayError) {
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
    /// Set when the answer is another purchase's with the same `requestID`.
    pub(crate) other_purchase: bool,
}

impl Transaction {
    /// Whether the outcome is final (`Delivered` or `Failed`).
    pub fn is_final(&self) -> bool {
        self.outcome.is_final()
    }

    /// Whether GSUBZ answered 406 (in the body's `code` or as the HTTP status) with a
    /// transaction: the `requestID` was already used and this is the original purchase's
    /// result (nothing was charged again).
    pub fn is_duplicate(&self) -> bool {
        (self.code == Some(ResponseCode::NotAllowed) || self.http_status == Some(406))
            && self.status.is_some()
    }

    /// Whether the answer is another purchase's: GSUBZ answered the `requestID` with a
    /// transaction whose `serviceID` or phone is not the request's (the `requestID` was used
    /// before). The outcome is then `Unknown`, and a status query with this `requestID` tells
    /// that other purchase's status, not this one's: reconcile it by hand.
    pub fn is_other_purchase(&self) -> bool {
        self.other_purchase
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
            other_purchase: false,
        }
    }

    /// An `Unknown` transaction for an answer that cannot be GSUBZ's (it came from a
    /// redirect's target), with its body kept.
    pub(crate) fn untrusted(
        request_id: RequestId,
        http_status: u16,
        body: String,
        reason: String,
    ) -> Self {
        Transaction {
            request_id,
            outcome: Outcome::Unknown,
            http_status: Some(http_status),
            code: None,
            status: None,
            response: None,
            problem: Some(Error::UnexpectedResponse { reason, body: body.clone() }),
            raw_body: Some(body),
            other_purchase: false,
        }
    }

    /// Classifies an answer received for `request_id` (what [`Client::pay`](crate::Client::pay)
    /// and [`Client::verify`](crate::Client::verify) do with what they receive; also useful
    /// to classify again a stored raw answer). Never panics: a body that is not a whole JSON
    /// object is `Unknown`.
    pub fn from_answer(call: Call, request_id: RequestId, http_status: u16, body: String) -> Self {
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
                    other_purchase: false,
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

        let has_transaction_id = [Some(&object), object.get("content").and_then(Value::as_object)]
            .into_iter()
            .flatten()
            .filter_map(|o| o.get("transactionID").and_then(text))
            .any(|id| !id.trim().is_empty());
        let mut outcome = classify(call, http_status, code.as_ref(), status.as_ref());
        if outcome == Outcome::Failed && status.is_none() && has_transaction_id {
            outcome = Outcome::Unknown;
            problem = Some(Error::UnexpectedResponse {
                reason: format!(
                    "code {} refuses the purchase, yet the answer names a transactionID",
                    code.as_ref().map_or("?", ResponseCode::as_str)
                ),
                body: body.clone(),
            });
        }
        // A status query refused as such (not found yet, key, rate limit, form) may still
        // say `failed`: that is the query's failure unless the answer is about this
        // purchase's requestID, as the doc's own 402 requery answer is.
        if call == Call::Verify
            && outcome == Outcome::Failed
            && answered_id.is_none()
            && code.as_ref().is_some_and(refuses_query)
        {
            outcome = Outcome::Unknown;
            problem = Some(Error::UnexpectedResponse {
                reason: format!(
                    "the status query was refused with code {} and a failed status that names \
                     no requestID",
                    code.as_ref().map_or("?", ResponseCode::as_str)
                ),
                body: body.clone(),
            });
        }
        if let Some(key) = duplicate_key(&body) {
            outcome = Outcome::Unknown;
            problem = Some(Error::UnexpectedResponse {
                reason: format!("the answer has the key {key:?} twice"),
                body: body.clone(),
            });
        }
        if let Some(reason) = contradiction {
            outcome = Outcome::Unknown;
            problem = Some(Error::UnexpectedResponse { reason, body: body.clone() });
        }
        if let Some(answered) = answered_id.as_deref().filter(|a| *a != request_id.as_str()) {
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
            other_purchase: false,
        }
    }
}

/// A code that refuses a status query itself rather than tells the purchase's result.
fn refuses_query(code: &ResponseCode) -> bool {
    matches!(
        code,
        ResponseCode::RequiredContentNotSent
            | ResponseCode::InvalidContent
            | ResponseCode::AuthorizationFailed
            | ResponseCode::ContentNotFound
            | ResponseCode::RequestMethodNotInPost
            | ResponseCode::TooManyRequests
    )
}

/// The first key written twice in one object of a JSON text, at any depth (`None` for a
/// text without one, or that is not JSON).
fn duplicate_key(body: &str) -> Option<String> {
    use serde::de::{Deserialize, Deserializer, Error as _, MapAccess, SeqAccess, Visitor};
    use std::collections::HashSet;

    /// Walks any JSON value; fails with the first duplicated key.
    struct Walk;
    impl<'de> Deserialize<'de> for Walk {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            d.deserialize_any(Walk)
        }
    }
    impl<'de> Visitor<'de> for Walk {
        type Value = Walk;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("any JSON value")
        }
        fn visit_bool<E>(self, _: bool) -> Result<Walk, E> {
            Ok(Walk)
        }
        fn visit_i64<E>(self, _: i64) -> Result<Walk, E> {
            Ok(Walk)
        }
        fn visit_u64<E>(self, _: u64) -> Result<Walk, E> {
            Ok(Walk)
        }
        fn visit_f64<E>(self, _: f64) -> Result<Walk, E> {
            Ok(Walk)
        }
        fn visit_str<E>(self, _: &str) -> Result<Walk, E> {
            Ok(Walk)
        }
        fn visit_unit<E>(self) -> Result<Walk, E> {
            Ok(Walk)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Walk, A::Error> {
            while seq.next_element::<Walk>()?.is_some() {}
            Ok(Walk)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Walk, A::Error> {
            let mut seen = HashSet::new();
            while let Some(key) = map.next_key::<String>()? {
                if !seen.insert(key.clone()) {
                    return Err(A::Error::custom(format!("\u{0}{key}")));
                }
                map.next_value::<Walk>()?;
            }
            Ok(Walk)
        }
    }
    match serde_json::from_str::<Walk>(body) {
        Err(e) if e.is_data() => {
            let message = e.to_string();
            let key = message.split_once('\u{0}')?.1;
            // serde_json appends " at line L column C".
            Some(key.rsplit_once(" at line ").map_or(key, |(k, _)| k).to_owned())
        }
        _ => None,
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
    fn an_http_406_is_a_duplicate_even_when_the_body_says_200() {
        let id = RequestId::from_u64(42);
        let body = r#"{"code":200,"status":"successful","requestID":"42","transactionID":"9"}"#;
        let tx = Transaction::from_answer(Call::Pay, id.clone(), 406, body.into());
        assert_eq!(tx.outcome, Outcome::Delivered);
        assert!(tx.is_duplicate());
        let body = r#"{"code":"406","status":"failed","requestID":"42"}"#;
        let tx = Transaction::from_answer(Call::Pay, id.clone(), 200, body.into());
        assert_eq!(tx.outcome, Outcome::Failed);
        assert!(tx.is_duplicate());
        // A 406 without a transaction is not the original result.
        let tx = Transaction::from_answer(Call::Pay, id.clone(), 406, r#"{"code":406}"#.into());
        assert_eq!(tx.outcome, Outcome::Unknown);
        assert!(!tx.is_duplicate());
        let body = r#"{"code":200,"status":"successful","requestID":"42"}"#;
        assert!(!Transaction::from_answer(Call::Pay, id, 200, body.into()).is_duplicate());
    }

    #[test]
    fn a_redirect_status_is_never_final() {
        for http in [301, 302, 303, 307, 308, 100] {
            for s in ["successful", "failed"] {
                assert_eq!(
                    classify(Call::Pay, http, None, Some(&status(s))),
                    Outcome::Unknown,
                    "{http} {s}"
                );
            }
            assert_eq!(
                classify(Call::Pay, http, Some(&ResponseCode::InvalidContent), None),
                Outcome::Unknown
            );
        }
    }

    #[test]
    fn a_refusal_code_with_a_transaction_id_is_not_failed() {
        let id = RequestId::from_u64(42);
        for code in ["204", "206", "401", "402", "404", "405", "429"] {
            let refused = format!(r#"{{"code":{code},"description":"NO"}}"#);
            let tx = Transaction::from_answer(Call::Pay, id.clone(), 200, refused);
            assert_eq!(tx.outcome, Outcome::Failed, "{code}");
            let flat = format!(r#"{{"code":{code},"transactionID":"77","requestID":"42"}}"#);
            let tx = Transaction::from_answer(Call::Pay, id.clone(), 200, flat);
            assert_eq!(tx.outcome, Outcome::Unknown, "{code}");
            assert!(matches!(tx.problem, Some(Error::UnexpectedResponse { .. })));
            let nested = format!(r#"{{"code":"{code}","content":{{"transactionID":77}}}}"#);
            let tx = Transaction::from_answer(Call::Pay, id.clone(), 200, nested);
            assert_eq!(tx.outcome, Outcome::Unknown, "{code}");
            // An empty transactionID, as GSUBZ leaves blank what does not apply, is none.
            let blank = format!(r#"{{"code":{code},"transactionID":""}}"#);
            let tx = Transaction::from_answer(Call::Pay, id.clone(), 200, blank);
            assert_eq!(tx.outcome, Outcome::Failed, "{code}");
        }
    }

    #[test]
    fn a_refused_status_query_saying_failed_is_not_the_purchase_failing() {
        let id = RequestId::from_u64(42);
        for code in ["204", "206", "401", "404", "405", "429"] {
            let body = format!(r#"{{"code":{code},"status":"failed","description":"NOT FOUND"}}"#);
            let tx = Transaction::from_answer(Call::Verify, id.clone(), 200, body.clone());
            assert_eq!(tx.outcome, Outcome::Unknown, "{code}");
            // The same answer to a purchase refuses the purchase.
            let tx = Transaction::from_answer(Call::Pay, id.clone(), 200, body);
            assert_eq!(tx.outcome, Outcome::Failed, "{code}");
            // Naming the requestID, it is the purchase's status.
            let named = format!(r#"{{"code":{code},"status":"failed","requestID":"42"}}"#);
            let tx = Transaction::from_answer(Call::Verify, id.clone(), 200, named);
            assert_eq!(tx.outcome, Outcome::Failed, "{code}");
        }
        // The doc's requery answer: 402 with TRANSACTION_FAILED is the purchase's result.
        let body =
            r#"{"code":402,"status":"TRANSACTION_FAILED","description":"INSUFFICIENT_BALANCE"}"#;
        let tx = Transaction::from_answer(Call::Verify, id.clone(), 200, body.into());
        assert_eq!(tx.outcome, Outcome::Failed);
        let ok = r#"{"code":"200","status":"failed"}"#;
        assert_eq!(
            Transaction::from_answer(Call::Verify, id, 200, ok.into()).outcome,
            Outcome::Failed
        );
    }

    #[test]
    fn a_key_written_twice_makes_the_answer_unknown() {
        let id = RequestId::from_u64(42);
        for body in [
            r#"{"code":200,"status":"failed","status":"successful"}"#,
            r#"{"code":200,"status":"successful","code":402}"#,
            r#"{"code":200,"content":{"status":"failed","status":"failed"}}"#,
        ] {
            let tx = Transaction::from_answer(Call::Pay, id.clone(), 200, body.into());
            assert_eq!(tx.outcome, Outcome::Unknown, "{body}");
            match tx.problem {
                Some(Error::UnexpectedResponse { reason, .. }) => {
                    assert!(reason.contains("twice"), "{reason}")
                }
                other => panic!("{other:?}"),
            }
        }
        assert_eq!(duplicate_key(r#"{"a":{"b":1,"b":2}}"#).as_deref(), Some("b"));
        assert_eq!(duplicate_key(r#"{"a":1,"b":{"a":1}}"#), None);
        assert_eq!(duplicate_key("not json"), None);
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
