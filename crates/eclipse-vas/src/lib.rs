//! A typed, careful client for the value-added services (VAS) of the Ukheshe Eclipse platform:
//! airtime, data, bills, water, electricity and tax through the providers Eclipse integrates
//! in South Africa (Scan to Pay, ACS, Kganya, Pay@, EasyPay), Kenya and Uganda (Diamond Trust
//! Bank), Botswana (FrontierWeb Services) and globally (Cellulant).
//!
//! A purchase has four steps, each a method of [`Client`]:
//!
//! 1. find the network of a mobile number ([`Client::lookup_msisdn`], airtime only);
//! 2. fetch the catalog, whole or for a [`CatalogQuery`] ([`Client::catalogs`]): for bills and
//!    tax, the query looks up the customer's account and the answer carries the amount owed;
//! 3. initiate the payment of a product ([`Client::initiate_payment`]) with a
//!    [`PaymentData`] (`<partnerId>_<productId>`) and a unique reference;
//! 4. complete it with the amount and wallet ([`Client::update_payment`]) and wait for the
//!    final status ([`Client::get_payment`], or the signed [`callback`]).
//!
//! [`Client::purchase_and_confirm`] does 3 and 4 safely: the payment is sent once, and a
//! timeout or an unreadable answer yields outcome `Unknown` with the reference, never a
//! second payment.
//!
//! # Quick start
//!
//! ```no_run
//! use eclipse_vas::{CatalogQuery, Client, ConfirmOptions, InitiatePayment, UpdatePayment, WalletId};
//! use rust_decimal::Decimal;
//!
//! # async fn run() -> eclipse_vas::Result<()> {
//! let client = Client::builder()
//!     .tenant(6658)
//!     .credentials("api-user@example.com", std::env::var("ECLIPSE_PASSWORD").unwrap_or_default())
//!     .build()?;
//!
//! // Look up a UMEME electricity account: the product carries the customer's details.
//! let catalog = client.catalogs(Some(&CatalogQuery::dtb_uganda_umeme("200166426")?)).await?;
//! let product = &catalog[0].products[0];
//! println!("paying for {:?}", product.default_value("customerName"));
//!
//! let body = InitiatePayment::builder(product.payment_data()?)
//!     .amount(Decimal::from(29182))
//!     .currency("UGX")
//!     .wallet_id(WalletId(206744))
//!     .field("destinationType", "UMEME_ACCOUNT")
//!     .checked_field(product, "msisdn", "256775555466")
//!     .build()?;
//! println!("store this reference first: {}", body.external_unique_id);
//!
//! let customer = client.customer_id().await?;
//! let purchase = client.purchase_and_confirm(&customer, &body, None, &ConfirmOptions::default()).await?;
//! println!("{}: {:?}", purchase.outcome, purchase.payment.as_ref().map(|p| &p.status));
//! # let _ = UpdatePayment::builder();
//! # Ok(())
//! # }
//! ```
//!
//! # Authentication
//!
//! With [`ClientBuilder::credentials`] the client logs in (`POST authentication/login`) on
//! first use, keeps the token's `expiresEpochSecs`, renews it (`POST authentication/renew`)
//! shortly before it lapses, one renewal at a time however many calls run concurrently, and
//! logs in again once when a read gets a 401. [`ClientBuilder::token`] uses a token obtained
//! elsewhere instead. Passwords and tokens never appear in `Debug` output or errors.
//!
//! # Two payment flows
//!
//! Diamond Trust Bank (Kenya 19, Uganda 21) takes the amount in the initiate call. The South
//! African providers (Scan to Pay and ACS: MTN 4, Vodacom 5; Pay@ 14; EasyPay 15; Kganya 16)
//! and Cellulant (17) initiate without an amount and complete the payment with
//! `PUT payments/{paymentId}` carrying the amount and wallet ([`UpdatePayment`], the third
//! argument of [`Client::purchase_and_confirm`]); Pay@ and EasyPay send the
//! `externalUniqueId` again in it.
//!
//! # Outcomes
//!
//! A payment's status maps to a [`vas_common::Outcome`]: `PENDING` is pending, `SUCCESSFUL`
//! delivered, `ERROR` failed, and any other status unknown (ask again; never pay again). An
//! answer naming another `externalUniqueId` than the one sent is unknown too.
//!
//! # Limits
//!
//! - A payment can be looked up only by its `paymentId`: the documentation names no lookup by
//!   `externalUniqueId`. When the answer to the initiate call is lost (timeout, dropped
//!   connection, 5xx, an HTML page), the outcome is `Unknown` with no payment id to ask
//!   about: reconcile the reference through the [`callback`] or Eclipse's back office, and do
//!   not buy again under a new reference until you know.
//! - Redirects are never followed (reqwest would send a payment again to the new location);
//!   build an injected client ([`ClientBuilder::http_client`]) the same way.
//!
//! # Documentation inconsistencies this crate settles
//!
//! - Some catalog examples print the URL without the parameter name
//!   (`vas/catalogs?19_ETAX_10202300000582380`); the others use `?catalogQuery=…`. The client
//!   always sends `catalogQuery=`.
//! - Pay@'s prose says partner 13; its example `paymentData` is `14_14577`:
//!   [`PartnerId::PAY_AT`] is 14.
//! - DTB Kenya's prose says "Partner ID for DTB VAS payments is 1"; its query is
//!   `19_LOCAL-CATALOG`: [`PartnerId::DTB_KENYA`] is 19.
//! - ACS's prose says `4_VD50` for an example whose body sends `4_M512`; `VD50` is a Vodacom
//!   product (partner 5).
//! - The URA tax example appends the TIN to `paymentData` while the prose says the PRN (see
//!   [`PaymentData::dtb_uganda_tax`]).
#![deny(missing_docs)]

pub mod callback;
mod client;
pub mod doc_examples;
mod error;
mod ids;
pub mod models;
mod payment_data;
mod purchase;
mod query;

pub use client::{Client, ClientBuilder, SANDBOX_URL};
pub use error::{Error, Result};
pub use ids::{CustomerId, PartnerId, PaymentId, TenantId, WalletId};
pub use models::{InitiatePayment, Partner, Payment, PaymentStatus, Product, UpdatePayment};
pub use payment_data::PaymentData;
pub use purchase::{ConfirmOptions, Purchase};
pub use query::CatalogQuery;
pub use vas_common::Outcome;
