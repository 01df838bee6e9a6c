//! Wire types, named and spelled as the vendor does (`camelCase` on the wire).
//!
//! Every optional field is skipped when absent, so a decoded value re-encodes to what was
//! received; fields this crate does not know yet are kept in `extra` maps.

mod auth;
mod catalog;
mod error_body;
mod extra_info;
mod lookup;
mod payment;
mod timestamp;

pub use auth::{LoginRequest, LoginResponse, RenewRequest};
pub use catalog::{FieldSpec, FieldType, Partner, Product, ProductType};
pub use error_body::ApiError;
pub use extra_info::{DtbExtraInfo, ExtraInfo};
pub use lookup::MsisdnLookup;
pub use payment::{
    AcsElectricity, FieldValue, InitiatePayment, InitiatePaymentBuilder, Payment,
    PaymentInstrumentInfo, PaymentStatus, PaymentType, UpdatePayment, UpdatePaymentBuilder,
    UpdateResponse,
};
pub use timestamp::Timestamp;

/// Unknown fields, kept so that they survive a round trip.
pub type Extra = serde_json::Map<String, serde_json::Value>;
