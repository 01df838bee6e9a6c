//! A typed, careful client for the DT One Goods & Services API (v1.1): vouchers, recharges
//! and bill payments for operators around the world.
//!
//! - **Authentication**: every request is signed with the `X-TransferTo-apikey` /
//!   `X-TransferTo-nonce` / `X-TransferTo-hmac` headers ([`auth`]); nonces are unique and
//!   strictly increasing across the whole process, also under heavy concurrency. The API key
//!   and secret never appear in `Debug` output, errors or logs.
//! - **Discovery**: [`Client::ping`], [`Client::services`], [`Client::countries`],
//!   [`Client::operators`], [`Client::country_services`], and the product lists
//!   [`Client::operator_products`], [`Client::country_products`], [`Client::service_products`]
//!   as one [`ProductList`] grouped under the vendor's six keys, each [`Product`] knowing its
//!   [`ProductCategory`] and [`ProductType`]; [`Client::suggested_values`];
//!   [`Client::verify_account_number`] (where "not available for this product" is an answer,
//!   not an error).
//! - **Purchases**: [`TransactionRequest`] (simulation on unless turned off with
//!   [`TransactionRequest::live`]), [`Client::create_transaction`] (sent once, never
//!   repeated), [`Client::transaction_by_external_id`], and [`Client::purchase_and_confirm`],
//!   which sends once and then looks the transaction up by its external id until the
//!   [`Outcome`] is final. A transaction returned for another external id or product, or as
//!   a simulation of a live request, never decides an outcome ([`Transaction::mismatch`]).
//!   Redirects are never followed (a followed 307 would send a purchase twice).
//!   [`Transaction::from_response`] reads a stored answer exactly as the client does.
//! - **Errors**: one [`Error`] naming where a call failed and keeping the raw body; the
//!   vendor's codes as [`ErrorCode`]; [`Error::outcome`] tells a certain failure from an
//!   unknown outcome.
//!
//! Money is exact: prices are [`vas_common::WireDecimal`] (a `rust_decimal::Decimal` that
//! remembers whether the vendor sent a number or a string).
//!
//! # Quick start
//!
//! ```no_run
//! use dtone_gs::{Client, ConfirmOptions, Outcome, TransactionRequest, generate_external_id};
//!
//! # async fn run() -> dtone_gs::Result<()> {
//! let client = Client::builder()
//!     .credentials("your-api-key", "your-api-secret")
//!     .build()?;
//!
//! // What does operator 1959 sell?
//! let products = client.operator_products(1959).await?;
//! for product in products.iter() {
//!     println!(
//!         "{} ({}): {:?} for {:?} {:?}",
//!         product.product_id,
//!         product.category(),
//!         product.product_name,
//!         product.wholesale_price,
//!         product.account_currency,
//!     );
//! }
//!
//! // Buy one. Store the external id before sending: it finds the transaction again.
//! let external_id = generate_external_id();
//! let request = TransactionRequest::fixed_value_recharge(64, "50212345678", &external_id);
//! // Simulation is on: nothing is debited until you add `.live()`.
//! let confirmation = client.purchase_and_confirm(&request, &ConfirmOptions::default()).await?;
//! match confirmation.outcome {
//!     Outcome::Delivered => println!("delivered"),
//!     Outcome::Failed => println!("failed, not charged: {:?}", confirmation.error),
//!     _ => println!("not final yet: look up {external_id} again later, never buy again"),
//! }
//! # Ok(()) }
//! ```
#![deny(missing_docs)]

pub mod auth;
mod client;
pub mod error;
pub mod models;

pub use auth::{ClockNonce, Credentials, NonceSource};
pub use client::{
    Client, ClientBuilder, CountryProductsFilter, DEFAULT_MAX_BODY_BYTES, LEGACY_URL,
    PRODUCTION_URL, ServiceProductsFilter,
};
pub use error::{ApiError, Error, ErrorBody, ErrorCode, Result};
pub use models::discovery::{
    Country, CountryList, Operator, OperatorList, Ping, Service, ServiceList,
};
pub use models::products::{
    AccountStatus, AccountVerification, Product, ProductCategory, ProductInfo, ProductList,
    ProductType, SuggestedValue, SuggestedValues,
};
pub use models::transactions::{
    ConfirmOptions, Confirmation, Flag, MAX_EXTERNAL_ID_LEN, Party, Transaction,
    TransactionRequest, generate_external_id, validate_external_id,
};
pub use vas_common::{Outcome, WireDecimal, WireText};

/// The README's example, compiled as a doc test.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

pub mod doc_examples {
    //! The vendor's documented request examples, built with this crate's typed builders.
    //!
    //! The documentation excerpt has no request body examples (only responses), so there is
    //! nothing to build yet.

    /// Each documented request example as `(fixture file name, JSON body)`.
    pub fn requests() -> Vec<(&'static str, serde_json::Value)> {
        Vec::new()
    }
}
