//! VTpass callbacks: VTpass POSTs `{"type": …, "data": …}` to the URL set in the dashboard
//! and expects [`WEBHOOK_REPLY`] back, or it retries (up to 5 times).
//!
//! A callback carries no signature: anyone who learns the URL can post one. Take it as a
//! hint that something changed, and confirm with [`crate::Client::requery`] (same request
//! id) before giving value or refunding.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::classify::{Classification, classify_requery};
use crate::client::decode_text;
use crate::error::Result;
use crate::models::wire::redact;
use crate::models::{Extra, TransactionResponse};

/// The body to answer every webhook with (HTTP 200, `application/json`).
pub const WEBHOOK_REPLY: &str = r#"{"response":"success"}"#;

/// [`WEBHOOK_REPLY`] as a JSON value.
pub fn webhook_reply() -> Value {
    serde_json::json!({"response": "success"})
}

/// The `type` of a transaction status callback.
pub const TRANSACTION_UPDATE: &str = "transaction-update";

/// A webhook body as received: `{"type": …, "data": …}`.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct WebhookBody {
    /// `type`, e.g. `transaction-update`.
    #[serde(rename = "type")]
    pub kind: String,
    /// `data`, kept as received.
    #[serde(default)]
    pub data: Value,
    /// Fields not named above.
    #[serde(flatten)]
    pub extra: Extra,
}

impl fmt::Debug for WebhookBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebhookBody")
            .field("kind", &self.kind)
            .field("data", &redact(&self.data))
            .field("extra", &self.extra)
            .finish()
    }
}

/// A decoded webhook. `Debug` never shows PINs or tokens.
#[derive(Clone)]
#[non_exhaustive]
pub enum WebhookEvent {
    /// `transaction-update`: the data is shaped like a requery answer.
    TransactionUpdate(Box<TransactionResponse>),
    /// Any other type, kept as received.
    Other {
        /// `type`.
        kind: String,
        /// `data`.
        data: Value,
    },
}

impl fmt::Debug for WebhookEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WebhookEvent::TransactionUpdate(r) => {
                f.debug_tuple("TransactionUpdate").field(r).finish()
            }
            WebhookEvent::Other { kind, data } => {
                f.debug_struct("Other").field("kind", kind).field("data", &redact(data)).finish()
            }
        }
    }
}

impl WebhookEvent {
    /// The classification of a `transaction-update` (as for a requery answer). The callback
    /// is not signed: confirm a final outcome with [`crate::Client::requery`] before acting
    /// on it.
    pub fn classify(&self) -> Option<Classification> {
        match self {
            WebhookEvent::TransactionUpdate(r) => Some(classify_requery(r)),
            WebhookEvent::Other { .. } => None,
        }
    }

    /// The request id a `transaction-update` is about.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            WebhookEvent::TransactionUpdate(r) => r.request_id.as_deref(),
            WebhookEvent::Other { .. } => None,
        }
    }
}

/// Decodes a webhook body. A body that is not `{"type", "data"}`, or a `transaction-update`
/// whose data is not a transaction answer, is an [`crate::Error::Decode`] keeping the body.
///
/// ```
/// use vtpass_client::webhook::{decode_webhook, WebhookEvent, WEBHOOK_REPLY};
/// use vas_common::Outcome;
///
/// let body = br#"{"type":"transaction-update","data":{"code":"000","requestId":"202202071830YUs83meikd",
///   "content":{"transactions":{"status":"delivered"}}}}"#;
/// let event = decode_webhook(body).unwrap();
/// assert_eq!(event.request_id(), Some("202202071830YUs83meikd"));
/// assert_eq!(event.classify().unwrap().outcome, Outcome::Delivered);
/// assert_eq!(WEBHOOK_REPLY, r#"{"response":"success"}"#);
/// ```
pub fn decode_webhook(body: &[u8]) -> Result<WebhookEvent> {
    let text = String::from_utf8_lossy(body);
    let raw: WebhookBody = decode_text("webhook", &text)?;
    if raw.kind == TRANSACTION_UPDATE {
        let data = raw.data.to_string();
        let r: TransactionResponse = decode_text("webhook", &data).map_err(|e| match e {
            crate::Error::Decode { endpoint, path, message, status, .. } => crate::Error::Decode {
                endpoint,
                path: if path == "." { "data".to_owned() } else { format!("data.{path}") },
                message,
                status,
                body: crate::error::RawBody::new(text.to_string()),
            },
            other => other,
        })?;
        Ok(WebhookEvent::TransactionUpdate(Box::new(r)))
    } else {
        Ok(WebhookEvent::Other { kind: raw.kind, data: raw.data })
    }
}
