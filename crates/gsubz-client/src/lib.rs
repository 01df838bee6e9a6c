//! A typed, safe client for the [GSUBZ](https://gsubz.com) API (Nigeria): airtime, data
//! plans, TV subscriptions and electricity, in both the older API of the original doc and the
//! newer one.
//!
//! # Quick start
//!
//! ```no_run
//! use gsubz_client::{Client, ConfirmOptions, Decimal, Outcome, PayRequest};
//!
//! # async fn run() -> gsubz_client::Result<()> {
//! let client = Client::builder(std::env::var("GSUBZ_API_KEY").unwrap_or_default())
//!     .sandbox(true) // purchases go to `testpay`, status queries to `testverfy`
//!     .build()?;
//!
//! // Airtime: a flexible purchase. The requestID is generated now: store it first.
//! let request = PayRequest::flexible("mtn", "07031234567", Decimal::from(100)).build()?;
//! println!("purchase {}", request.request_id());
//!
//! // Pay once, then ask for the status with the same requestID until it is final.
//! let confirmed = client.purchase_and_confirm(&request, &ConfirmOptions::default()).await?;
//! match confirmed.outcome {
//!     Outcome::Delivered => println!("delivered"),
//!     Outcome::Failed => println!("failed: {:?}", confirmed.transaction().description()),
//!     _ => println!("not final yet: ask again later with {}", confirmed.request_id),
//! }
//!
//! // A data plan: the plan goes in the field the plans answer names (`PlanName`).
//! let plans = client.plans("mtn_cg").await?;
//! if let Some(plan) = plans.find("213") {
//!     let request = PayRequest::for_plan("mtn_cg", &plans, plan, "07031234567").build()?;
//!     let fields = client.fields("mtn_cg").await?;
//!     let tx = client.pay_checked(&request, &fields).await?; // checks each field's regExp first
//!     println!("{}: {}", tx.request_id, tx.outcome);
//! }
//! # Ok(())
//! # }
//! ```
//!
//! # What a purchase's answer means
//!
//! [`Client::pay`] sends a purchase once and classifies the answer into a
//! [`vas_common::Outcome`] (see [`classify`]): an HTTP 200 with a failed status is `Failed`;
//! a timeout, a dropped connection, a 502, an HTML page or an unknown shape is `Unknown` and
//! keeps the raw body: ask with [`Client::verify`] and the same `requestID`, never pay again
//! with a new one. GSUBZ answers a reused `requestID` with 406 (in the body or as the HTTP
//! status) and the original transaction, which is classified as such
//! ([`Transaction::is_duplicate`]), unless its `serviceID` or phone shows it is another
//! purchase's: then `Unknown`. Redirects are never followed: a 30x is `Unknown`.
//!
//! # The two APIs
//!
//! | | [`ApiVersion::Current`] (default) | [`ApiVersion::Legacy`] |
//! | --- | --- | --- |
//! | base URL | `https://api.gsubz.com/api/` | `https://gsubz.com/api/` |
//! | paths | `pay/`, `verify/`, `balance/`, `verify-customer/` | `category`, `service`, `fields`, `plans`, `variation`, `pay`, `verify`, `balance` |
//! | sandbox | `testpay/`, `testverfy/` | `testpay`, `testverfy` |
//!
//! Every call sends the API key as `Authorization: Bearer`, and every form body also as the
//! field `api`. Bodies are form-encoded with the documented field names; every value is text.
#![deny(missing_docs)]

mod client;
pub mod doc_examples;
mod error;
pub mod models;
mod request_id;
mod transaction;

pub use client::{ApiVersion, Client, ClientBuilder, ConfirmOptions, Confirmed, Endpoint};
pub use error::{Error, Result};
pub use models::{
    Balance, BalanceContent, BalanceRequest, Category, CategoryName, CustomerInfo, Field,
    FieldType, Gateway, PayContent, PayRequest, PayRequestBuilder, PayResponse, Plan, Plans,
    ProductType, ResponseCode, ServiceFields, TransactionStatus, VerifyCustomerRequest,
    VerifyRequest,
};
pub use request_id::RequestId;
pub use rust_decimal::Decimal;

/// The README's example, compiled as a doc test.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
pub use transaction::{Call, Transaction, classify};
pub use vas_common::{Backoff, Outcome};
