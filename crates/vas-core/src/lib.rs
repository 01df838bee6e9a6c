//! One model and one safe purchase across VTpass, Ukheshe Eclipse, DT One Goods & Services
//! and GSUBZ.
//!
//! Each vendor crate (`vtpass-client`, `eclipse-vas`, `dtone-gs`, `gsubz-client`) speaks its
//! vendor's wire format. This crate puts them behind one model ([`Product`], [`Recipient`],
//! [`PurchaseRequest`], [`Receipt`], [`Money`]), one trait ([`VasProvider`], with an adapter
//! per vendor in [`adapters`], each behind a cargo feature named after the vendor, all on by
//! default), and one client, [`Vas`], that:
//!
//! - lists every vendor's products, merged and filtered by country, operator and kind, with
//!   a cache (time-to-live per vendor and query; concurrent misses make one request);
//! - routes a purchase to the product's vendor;
//! - makes purchases safely: [`Vas::prepare`] checks the request and gives the reference
//!   before anything is sent, [`Vas::execute`] sends once and then asks for the status until it
//!   is final or a deadline passes, and [`Vas::status`] / [`Vas::resume`] pick up later, after a
//!   restart too. A reference is never paid twice, and nothing is called `Failed` unless the
//!   vendor says so.
//!
//! # Quick start
//!
//! ```no_run
//! use rust_decimal_macros::dec;
//! use vas_core::{CatalogQuery, Outcome, ProductKind, PurchaseRequest, Recipient, Vas};
//!
//! async fn top_up(vas: &Vas, store: impl Fn(&str)) -> vas_core::Result<()> {
//!     // Nigerian MTN airtime from whichever vendor lists it.
//!     let query = CatalogQuery::all().country("NG").operator("MTN").kind(ProductKind::Airtime);
//!     let catalog = vas.catalog(&query).await?;
//!     let Some(product) = catalog.products.first() else { return Ok(()) };
//!
//!     // Checked before anything is sent; the reference exists from here on.
//!     let prepared = vas
//!         .prepare(PurchaseRequest::new(product, Recipient::phone("0803 123 4567")).amount(dec!(100)))
//!         .await?;
//!     store(&prepared.key().to_string()); // e.g. "vtpass:202611231415x8Yt2bq0"
//!
//!     let receipt = vas.execute(&prepared).await?;
//!     match receipt.outcome {
//!         Outcome::Delivered => println!("delivered, vendor id {:?}", receipt.vendor_transaction_id),
//!         Outcome::Failed => println!("failed: {:?}", receipt.message),
//!         // Pending: ask again later with `vas.status_of(&key)`; never buy again.
//!         _ => println!("pending: {}", receipt.key()),
//!     }
//!     Ok(())
//! }
//! ```
//!
//! # Setting up
//!
//! Build each vendor crate's client, wrap it in its adapter, and give the adapters to
//! [`Vas`]. Against the offline simulator (`vas-sandbox`), pass its base URLs and the
//! credentials in `vas_sandbox::credentials`.
//!
//! ```no_run
//! # #[cfg(all(feature = "vtpass", feature = "eclipse", feature = "dtone", feature = "gsubz"))]
//! # fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use std::time::Duration;
//! use vas_core::adapters::{dtone::DtoneProvider, eclipse::EclipseProvider};
//! use vas_core::adapters::{gsubz::GsubzProvider, vtpass::VtpassProvider};
//! use vas_core::{Backoff, Vas};
//!
//! let vtpass = vtpass_client::Client::builder().basic_auth("you@example.com", "password").build()?;
//! let eclipse = eclipse_vas::Client::builder().tenant(6658).credentials("api-user", "password").build()?;
//! let dtone = dtone_gs::Client::builder().credentials("api-key", "api-secret").build()?;
//! let gsubz = gsubz_client::Client::new("ap_your-key")?;
//!
//! let vas = Vas::builder()
//!     .provider(VtpassProvider::new(vtpass))
//!     .provider(EclipseProvider::new(eclipse).wallet(830989))
//!     .provider(DtoneProvider::new(dtone).live())
//!     .provider(GsubzProvider::new(gsubz))
//!     .catalog_ttl(Duration::from_secs(600))
//!     .poll_backoff(Backoff::new(Duration::from_secs(2)).max_delay(Duration::from_secs(20)))
//!     .poll_deadline(Duration::from_secs(90))
//!     .build()?;
//! # let _ = vas; Ok(()) }
//! ```
//!
//! # Errors
//!
//! Every call returns [`Error`], whose [`ErrorKind`] says what to do, and whose
//! [`source`](std::error::Error::source) is the vendor crate's own error (with the vendor's
//! code and raw body), reachable with [`Error::vendor_error`].
#![deny(missing_docs)]

pub mod adapters;
mod cache;
mod error;
mod money;
mod product;
mod provider;
mod purchase;
mod recipient;
mod vas;
mod vendor;

#[cfg(test)]
mod fake;
#[cfg(test)]
mod tests;

pub use error::{Error, ErrorKind, Result};
pub use money::{Currency, Money};
pub use product::{
    CatalogQuery, FieldKind, FieldSpec, Pattern, Price, Product, ProductKind, ProductRef,
};
pub use provider::{RecipientInfo, VasProvider};
pub use purchase::{
    Delivered, PreparedPurchase, PurchaseKey, PurchaseRequest, RawResponse, Receipt, Reference,
};
pub use recipient::{MeterType, Phone, Recipient, RecipientKind};
pub use vas::{Catalog, Vas, VasBuilder};
pub use vendor::Vendor;

pub use rust_decimal::Decimal;
pub use vas_common::{Backoff, ExposeSecret, Outcome, SecretString};
