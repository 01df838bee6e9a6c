//! VTpass wire types, grouped by endpoint.
//!
//! Field names follow the wire through `#[serde(rename)]` (typos included: `varations`,
//! `convinience_fee`, `minimium_amount`); every model keeps the fields it does not name in
//! an [`Extra`] map, so nothing the vendor sends is lost on a round trip. Amounts are exact
//! ([`vas_common::WireDecimal`]) whether they arrive as numbers or strings.

pub mod catalog;
pub mod transaction;
pub mod verify;
pub(crate) mod wire;

pub use catalog::{
    Balance, BalanceResponse, OptionsContent, OptionsResponse, ServiceCategoriesResponse,
    ServiceCategory, ServiceInfo, ServiceVariationsResponse, ServicesResponse, Variation,
    VariationsContent,
};
pub use transaction::{
    Card, PayRequest, PayRequestBuilder, PayResponse, RequeryRequest, RequeryResponse,
    SubscriptionType, Transaction, TransactionContent, TransactionDate, TransactionResponse,
};
pub use verify::{MeterType, VerifyContent, VerifyRequest, VerifyResponse};
pub use wire::Extra;
