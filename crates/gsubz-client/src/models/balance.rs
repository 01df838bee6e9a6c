//! The account balance.

use std::fmt;

use rust_decimal::Decimal;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};
use vas_common::{WireDecimal, WireText};

/// The balance query (`POST balance`): its only form field is the API key, `api`.
///
/// `Debug` never shows the key. Serializing it writes the key: that is the request body.
#[derive(Clone)]
pub struct BalanceRequest {
    api: SecretString,
}

impl BalanceRequest {
    /// The balance query sent with `api_key`.
    pub fn new(api_key: SecretString) -> Self {
        Self { api: api_key }
    }
}

impl fmt::Debug for BalanceRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BalanceRequest").field("api", &vas_common::secret::REDACTED).finish()
    }
}

impl PartialEq for BalanceRequest {
    fn eq(&self, other: &Self) -> bool {
        self.api.expose_secret() == other.api.expose_secret()
    }
}

impl Serialize for BalanceRequest {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(1))?;
        map.serialize_entry("api", self.api.expose_secret())?;
        map.end()
    }
}

impl<'de> Deserialize<'de> for BalanceRequest {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Raw {
            api: String,
        }
        let raw = Raw::deserialize(deserializer)?;
        Ok(Self { api: SecretString::from(raw.api) })
    }
}

/// The balance, in either documented shape:
/// - the excerpt's `{"response_description": "000", "content": {"balance": "841"}}`;
/// - the newer doc's `{"balance": "747.5"}`.
///
/// ```
/// use gsubz_client::Balance;
/// use rust_decimal::Decimal;
///
/// let old: Balance = serde_json::from_str(r#"{"response_description":"000","content":{"balance":"841"}}"#)?;
/// let new: Balance = serde_json::from_str(r#"{"balance":"747.5"}"#)?;
/// assert_eq!(old.amount(), Some(Decimal::from(841)));
/// assert_eq!(new.amount(), Some(Decimal::new(7475, 1)));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Balance {
    /// `000` when the query succeeded (excerpt shape).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_description: Option<WireText>,
    /// The balance (excerpt shape).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<BalanceContent>,
    /// The balance (newer shape).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub balance: Option<WireDecimal>,
    /// Fields this crate does not know, kept as sent.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

impl Balance {
    /// The balance in naira, from either shape.
    pub fn amount(&self) -> Option<Decimal> {
        self.balance
            .as_ref()
            .or_else(|| self.content.as_ref().map(|c| &c.balance))
            .map(WireDecimal::value)
    }
}

/// The excerpt's `content` block of the balance.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BalanceContent {
    /// The balance, exact (a string on the wire).
    pub balance: WireDecimal,
    /// Fields this crate does not know, kept as sent.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}
