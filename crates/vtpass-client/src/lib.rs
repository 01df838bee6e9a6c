//! A typed, safe client for the [VTpass](https://vtpass.com) API (Nigeria): airtime, data,
//! TV, electricity, education and internet services, all through one set of endpoints
//! parameterised by `serviceID`.
//!
//! # Quick start
//!
//! ```no_run
//! use rust_decimal_macros::dec;
//! use vas_common::Outcome;
//! use vtpass_client::{Client, ConfirmOptions, Environment, PayRequest, ServiceId};
//!
//! # async fn run() -> vtpass_client::Result<()> {
//! let client = Client::builder()
//!     .environment(Environment::Sandbox)
//!     .basic_auth("you@example.com", "your-password")
//!     .build()?;
//!
//! // 1. The plans of a service.
//! let plans = client.service_variations(&ServiceId::SPECTRANET).await?;
//! for plan in plans.variations() {
//!     println!("{} {:?} {:?}", plan.variation_code, plan.name, plan.variation_amount);
//! }
//!
//! // 2. Build the payment; its request id exists before anything is sent: store it.
//! let request = client
//!     .pay_request(ServiceId::SPECTRANET)
//!     .billers_code("1212121212")
//!     .variation_code("vt-1000")
//!     .amount(dec!(1000))
//!     .quantity(1)
//!     .phone("08011111111")
//!     .build()?;
//! println!("request id: {}", request.request_id());
//!
//! // 3. Pay once, then requery with the same id until the outcome is final.
//! let done = client.purchase_and_confirm(&request, &ConfirmOptions::default()).await?;
//! match done.outcome {
//!     Outcome::Delivered => println!("delivered"),
//!     Outcome::Failed => println!("failed: {}", done.classification.detail),
//!     // Not final yet: requery `done.request_id` later. Never pay again with a new id.
//!     _ => println!("pending: {}", done.request_id),
//! }
//! # Ok(()) }
//! ```
//!
//! # What this crate guarantees
//!
//! - **One payment per request id.** [`Client::pay`] is never retried. A payment that
//!   times out, is dropped, gets a 5xx or an unreadable answer is *unknown*, never failed:
//!   [`Client::purchase_and_confirm`] follows it with [`Client::requery`] using the same
//!   [`RequestId`], on a backoff schedule, and returns `Pending` with the id if the
//!   deadline passes first. Redirects are never followed (a `307` or `308` would send the
//!   payment again): a redirect is an HTTP status, and the payment's outcome unknown.
//! - **Only a whole, matching answer is final.** A truncated body, a body with anything
//!   after its JSON, or an answer whose `requestId` names another payment is a
//!   [`Error::Decode`] (unknown outcome, requery), never `Delivered` or `Failed`.
//! - **The documented outcome rule.** [`classify_pay`] and [`classify_requery`] map every
//!   answer to a [`vas_common::Outcome`] (with VTpass [`Detail`]): `000` + `delivered` is
//!   the only success; `016`, `091`, status `failed` and refusals before processing are
//!   failures (a failure code beside a transaction status that is not `failed` or
//!   `reversed` is contradictory, so unknown); `040` / `reversed` is a reversal (failed,
//!   refunded); `099` / `089` / `initiated` / `pending` are pending; anything else is
//!   unknown.
//! - **Bad input never leaves the process.** A malformed request id, an empty `serviceID`, a
//!   negative amount or a malformed phone number is an [`Error::InvalidInput`] before any
//!   request is sent.
//! - **Secrets stay secret.** The password, API keys, voucher PINs and `purchased_code` are
//!   [`secrecy::SecretString`]s; auth headers are marked sensitive; no `Debug` output or
//!   error message shows them.
//! - **Faithful, lenient models.** Wire names and typos are kept (`varations`,
//!   `convinience_fee`, `minimium_amount`); amounts decode exactly from numbers or strings;
//!   `transaction_date` may be an object or a string; `content` or `contents`; unknown
//!   fields survive in each model's `extra`.
//!
//! # Map
//!
//! | item | what |
//! | --- | --- |
//! | [`Client`], [`ClientBuilder`], [`Environment`], [`Credentials`], [`Config`] | the client: sandbox or live or any base URL; Basic or API-key auth; timeouts |
//! | [`Client::service_variations`], [`Client::service_categories`], [`Client::services`], [`Client::options`], [`Client::balance`], [`Client::merchant_verify`] | reads (retried on transport failures and 5xx) |
//! | [`Client::pay`], [`Client::requery`], [`Client::purchase_and_confirm`] | purchases |
//! | [`PayRequest`], [`VerifyRequest`], [`RequestId`], [`RequestIdGenerator`], [`ServiceId`] | inputs, checked before sending |
//! | [`TransactionResponse`] and [`models`] | answers |
//! | [`ResponseCode`], [`TransactionStatus`] | the documented codes and statuses, with `Unknown` |
//! | [`classify_pay`], [`classify_requery`], [`classify_error`], [`classify()`] | outcomes ([`Detail`] for the VTpass reason) |
//! | [`webhook`] | the callback decoder and its reply |
#![deny(missing_docs)]

pub mod classify;
mod client;
pub mod codes;
mod error;
pub mod models;
mod request_id;
mod service;
pub mod webhook;

#[cfg(test)]
mod robustness_tests;

pub use classify::{
    Classification, Detail, NoAnswer, classify, classify_error, classify_pay, classify_pay_result,
    classify_requery, classify_requery_result,
};
pub use client::{
    Client, ClientBuilder, Config, ConfirmOptions, Confirmation, Credentials, Environment,
    LIVE_API_SERVICE_URL, LIVE_URL, SANDBOX_URL,
};
pub use codes::{ResponseCode, TransactionStatus};
pub use error::{Error, RawBody, Result};
pub use models::{
    Card, MeterType, PayRequest, PayRequestBuilder, PayResponse, RequeryResponse, SubscriptionType,
    Transaction, TransactionDate, TransactionResponse, VerifyRequest, VerifyResponse,
};
pub use request_id::{RequestId, RequestIdGenerator, lagos};
pub use service::ServiceId;
pub use vas_common::Outcome;
pub use webhook::{WEBHOOK_REPLY, WebhookEvent, decode_webhook, webhook_reply};

/// The README's examples, compiled as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

pub mod doc_examples {
    //! The vendor's documented request examples, built with this crate's typed builders.
    //!
    //! The VTpass pages document request payloads as field tables only, with no JSON
    //! example, so there is nothing to build yet.

    /// Each documented request example as `(fixture file name, JSON body)`.
    pub fn requests() -> Vec<(&'static str, serde_json::Value)> {
        Vec::new()
    }
}
