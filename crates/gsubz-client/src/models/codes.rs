//! Response codes, transaction statuses and product types.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use vas_common::{Outcome, WireText};

/// A GSUBZ response code (the body's top-level `code`, a number or a string).
///
/// The documented codes, with the meanings the doc gives (and those of the newer doc):
///
/// | code | variant | meaning |
/// | --- | --- | --- |
/// | 200 | `TransactionSuccessful` | `TRANSACTION_SUCCESSFUL` (the request was handled; the `status` says how the transaction ended) |
/// | 204 | `RequiredContentNotSent` | `REQUIRED_CONTENT_NOT_SENT` |
/// | 206 | `InvalidContent` | `INVALID_CONTENT` |
/// | 401 | `AuthorizationFailed` | `AUTHORIZATION_FAILED` (also an invalid plan) |
/// | 402 | `ErrorInPayment` | `ERROR_IN_PAYMENT` (insufficient balance) |
/// | 404 | `ContentNotFound` | `CONTENT_NOT_FOUND` |
/// | 405 | `RequestMethodNotInPost` | `REQUEST_METHOD_NOT_IN_POST` |
/// | 406 | `NotAllowed` | `NOT_ALLOWED` (service disabled, or a duplicate `requestID`: the answer is then the original transaction's) |
/// | 429 | `TooManyRequests` | too many requests (newer doc) |
/// | 502 | `GatewayError` | `GATEWAY_ERROR` (the outcome is unknown: verify before anything else) |
///
/// ```
/// use gsubz_client::ResponseCode;
///
/// assert_eq!(ResponseCode::from_code("406"), ResponseCode::NotAllowed);
/// assert_eq!(ResponseCode::from_code("299"), ResponseCode::Unknown("299".into()));
/// assert_eq!(ResponseCode::GatewayError.meaning(), "GATEWAY_ERROR");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ResponseCode {
    /// 200 `TRANSACTION_SUCCESSFUL`.
    TransactionSuccessful,
    /// 204 `REQUIRED_CONTENT_NOT_SENT`.
    RequiredContentNotSent,
    /// 206 `INVALID_CONTENT`.
    InvalidContent,
    /// 401 `AUTHORIZATION_FAILED`.
    AuthorizationFailed,
    /// 402 `ERROR_IN_PAYMENT`.
    ErrorInPayment,
    /// 404 `CONTENT_NOT_FOUND`.
    ContentNotFound,
    /// 405 `REQUEST_METHOD_NOT_IN_POST`.
    RequestMethodNotInPost,
    /// 406 `NOT_ALLOWED`.
    NotAllowed,
    /// 429 too many requests.
    TooManyRequests,
    /// 502 `GATEWAY_ERROR`.
    GatewayError,
    /// A code this crate does not know, kept as its text.
    Unknown(String),
}

impl ResponseCode {
    /// The code for a body's `code` text (surrounding white space ignored).
    pub fn from_code(code: &str) -> Self {
        match code.trim() {
            "200" => ResponseCode::TransactionSuccessful,
            "204" => ResponseCode::RequiredContentNotSent,
            "206" => ResponseCode::InvalidContent,
            "401" => ResponseCode::AuthorizationFailed,
            "402" => ResponseCode::ErrorInPayment,
            "404" => ResponseCode::ContentNotFound,
            "405" => ResponseCode::RequestMethodNotInPost,
            "406" => ResponseCode::NotAllowed,
            "429" => ResponseCode::TooManyRequests,
            "502" => ResponseCode::GatewayError,
            _ => ResponseCode::Unknown(code.to_owned()),
        }
    }

    /// The code for an HTTP status.
    pub fn from_http(status: u16) -> Self {
        ResponseCode::from_code(&status.to_string())
    }

    /// The code as text (`"200"`).
    pub fn as_str(&self) -> &str {
        match self {
            ResponseCode::TransactionSuccessful => "200",
            ResponseCode::RequiredContentNotSent => "204",
            ResponseCode::InvalidContent => "206",
            ResponseCode::AuthorizationFailed => "401",
            ResponseCode::ErrorInPayment => "402",
            ResponseCode::ContentNotFound => "404",
            ResponseCode::RequestMethodNotInPost => "405",
            ResponseCode::NotAllowed => "406",
            ResponseCode::TooManyRequests => "429",
            ResponseCode::GatewayError => "502",
            ResponseCode::Unknown(s) => s,
        }
    }

    /// The meaning the doc gives (`TRANSACTION_SUCCESSFUL`), or `UNKNOWN_CODE`.
    pub fn meaning(&self) -> &'static str {
        match self {
            ResponseCode::TransactionSuccessful => "TRANSACTION_SUCCESSFUL",
            ResponseCode::RequiredContentNotSent => "REQUIRED_CONTENT_NOT_SENT",
            ResponseCode::InvalidContent => "INVALID_CONTENT",
            ResponseCode::AuthorizationFailed => "AUTHORIZATION_FAILED",
            ResponseCode::ErrorInPayment => "ERROR_IN_PAYMENT",
            ResponseCode::ContentNotFound => "CONTENT_NOT_FOUND",
            ResponseCode::RequestMethodNotInPost => "REQUEST_METHOD_NOT_IN_POST",
            ResponseCode::NotAllowed => "NOT_ALLOWED",
            ResponseCode::TooManyRequests => "TOO_MANY_REQUESTS",
            ResponseCode::GatewayError => "GATEWAY_ERROR",
            ResponseCode::Unknown(_) => "UNKNOWN_CODE",
        }
    }

    /// A code that rejects a purchase request before it is processed (204, 206, 401, 402,
    /// 404, 405, 429): the purchase was not made.
    pub fn rejects_purchase(&self) -> bool {
        matches!(
            self,
            ResponseCode::RequiredContentNotSent
                | ResponseCode::InvalidContent
                | ResponseCode::AuthorizationFailed
                | ResponseCode::ErrorInPayment
                | ResponseCode::ContentNotFound
                | ResponseCode::RequestMethodNotInPost
                | ResponseCode::TooManyRequests
        )
    }
}

impl From<&WireText> for ResponseCode {
    fn from(code: &WireText) -> Self {
        ResponseCode::from_code(code.as_str())
    }
}

impl fmt::Display for ResponseCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for ResponseCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ResponseCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        WireText::deserialize(deserializer).map(|w| ResponseCode::from(&w))
    }
}

wire_enum! {
    /// A transaction's `status`, as spelled by the excerpt (`TRANSACTION_SUCCESSFUL`,
    /// `TRANSACTION_FAILED`), the newer purchase answer (`successful`, `failed`) and the newer
    /// requery answer (`success`).
    ///
    /// ```
    /// use gsubz_client::TransactionStatus;
    /// use vas_common::Outcome;
    ///
    /// assert_eq!(TransactionStatus::from("success").outcome(), Outcome::Delivered);
    /// assert_eq!(TransactionStatus::from("TRANSACTION_FAILED").outcome(), Outcome::Failed);
    /// assert_eq!(TransactionStatus::from("pending").outcome(), Outcome::Pending);
    /// assert_eq!(TransactionStatus::from("reversed?").outcome(), Outcome::Unknown);
    /// ```
    pub enum TransactionStatus {
        /// `TRANSACTION_SUCCESSFUL` (excerpt).
        TransactionSuccessful = "TRANSACTION_SUCCESSFUL",
        /// `successful` (newer purchase answer).
        Successful = "successful",
        /// `success` (newer requery answer).
        Success = "success",
        /// `TRANSACTION_FAILED` (excerpt).
        TransactionFailed = "TRANSACTION_FAILED",
        /// `failed` (newer purchase answer).
        Failed = "failed",
    }
}

impl TransactionStatus {
    /// What the status alone says about the transaction.
    ///
    /// The five documented spellings are `Delivered` or `Failed`; an unknown value is
    /// compared without regard to case (`Successful`, `FAILED`), `pending` and `processing`
    /// are `Pending`, and anything else is `Unknown`.
    pub fn outcome(&self) -> Outcome {
        let text = match self {
            TransactionStatus::TransactionSuccessful
            | TransactionStatus::Successful
            | TransactionStatus::Success => return Outcome::Delivered,
            TransactionStatus::TransactionFailed | TransactionStatus::Failed => {
                return Outcome::Failed;
            }
            TransactionStatus::Unknown(s) => s.trim().to_ascii_lowercase(),
        };
        match text.as_str() {
            "transaction_successful" | "successful" | "success" => Outcome::Delivered,
            "transaction_failed" | "failed" => Outcome::Failed,
            "pending" | "processing" | "transaction_pending" | "transaction_processing" => {
                Outcome::Pending
            }
            _ => Outcome::Unknown,
        }
    }
}

wire_enum! {
    /// A service's product type: `flexible` (an amount of the caller's choice, such as
    /// airtime) or `fix` (a plan with a fixed price, such as a TV bouquet or a data bundle).
    pub enum ProductType {
        /// `flexible`.
        Flexible = "flexible",
        /// `fix`.
        Fix = "fix",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_documented_code_round_trips() {
        for code in ["200", "204", "206", "401", "402", "404", "405", "406", "429", "502"] {
            let c = ResponseCode::from_code(code);
            assert!(!matches!(c, ResponseCode::Unknown(_)), "{code}");
            assert_eq!(c.as_str(), code);
        }
        let n: ResponseCode = serde_json::from_str("402").unwrap();
        let s: ResponseCode = serde_json::from_str("\"402\"").unwrap();
        assert_eq!(n, ResponseCode::ErrorInPayment);
        assert_eq!(s, ResponseCode::ErrorInPayment);
        assert_eq!(ResponseCode::from_code("000"), ResponseCode::Unknown("000".into()));
    }

    #[test]
    fn statuses_keep_their_spelling() {
        for s in ["TRANSACTION_SUCCESSFUL", "successful", "success", "TRANSACTION_FAILED", "failed"]
        {
            let t: TransactionStatus = serde_json::from_value(serde_json::json!(s)).unwrap();
            assert!(!matches!(t, TransactionStatus::Unknown(_)));
            assert_eq!(serde_json::to_value(&t).unwrap(), serde_json::json!(s));
        }
        assert_eq!(TransactionStatus::from("Successful").outcome(), Outcome::Delivered);
        assert_eq!(TransactionStatus::from("FAILED").outcome(), Outcome::Failed);
        assert_eq!(TransactionStatus::from("").outcome(), Outcome::Unknown);
    }
}
