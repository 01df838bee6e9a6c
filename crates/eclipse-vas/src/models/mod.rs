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

use std::fmt;
use std::ops::{Deref, DerefMut};

use serde::{Deserialize, Serialize};

/// Fields a model does not name, kept so that they survive a round trip.
///
/// It dereferences to the JSON map. Its `Debug` output hides the values of keys that name a
/// secret (see [`is_sensitive_name`]): an electricity UnPin or token may arrive in a field this
/// crate does not know.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Extra(pub serde_json::Map<String, serde_json::Value>);

impl Deref for Extra {
    type Target = serde_json::Map<String, serde_json::Value>;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl DerefMut for Extra {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.0
    }
}

impl fmt::Debug for Extra {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.0.iter().map(|(k, v)| (k, Shown::new(k, v)))).finish()
    }
}

/// A value for `Debug`, hidden when its name says it is a secret.
pub(crate) struct Shown<'a, T: fmt::Debug>(Option<&'a T>);

impl<'a, T: fmt::Debug> Shown<'a, T> {
    pub(crate) fn new(name: &str, value: &'a T) -> Self {
        Self(if is_sensitive_name(name) { None } else { Some(value) })
    }
}

impl<T: fmt::Debug> fmt::Debug for Shown<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(v) => v.fmt(f),
            None => f.write_str(vas_common::secret::REDACTED),
        }
    }
}

/// Whether a field name names a secret whose value `Debug` output must hide: a PIN or UnPin
/// (`unPin`, `voucherPin`, `pinCode`), a token, a password or a secret. Case, `_` and `-` are
/// ignored.
pub fn is_sensitive_name(name: &str) -> bool {
    let n: String =
        name.chars().filter(char::is_ascii_alphanumeric).collect::<String>().to_ascii_lowercase();
    n.contains("unpin")
        || n.ends_with("pin")
        || n.contains("pincode")
        || n.contains("token")
        || n.contains("password")
        || n.contains("secret")
}
