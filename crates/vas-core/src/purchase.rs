//! A purchase: the request, the prepared purchase, its reference, and the receipt.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use rand::RngExt as _;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use vas_common::secret::REDACTED;
use vas_common::{Outcome, SecretString};

use crate::{Error, Money, Phone, Product, ProductRef, Recipient, Vendor};

/// The caller's reference for one purchase, in the vendor's format (VTpass `request_id`,
/// DT One `external_id`, Eclipse `externalUniqueId`, GSUBZ `requestID`).
///
/// One reference names one purchase: it is sent once, and every later question about the
/// purchase (its status) uses the same reference.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Reference(String);

impl Reference {
    /// Wraps a reference as given (it is checked by [`Vas::prepare`](crate::Vas::prepare)).
    pub fn new(reference: impl Into<String>) -> Self {
        Reference(reference.into())
    }

    /// `prefix` followed by `len` random letters and digits.
    pub fn random(prefix: &str, len: usize) -> Self {
        const CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        let mut rng = rand::rng();
        let suffix: String = (0..len)
            .map(|_| {
                CHARS.get(rng.random_range(0..CHARS.len())).copied().map(char::from).unwrap_or('0')
            })
            .collect();
        Reference(format!("{prefix}{suffix}"))
    }

    /// The reference as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The rule every vendor accepts: 1 to 64 characters, ASCII letters, digits, `-`, `_`
    /// and `.`. Providers add their own rules on top.
    pub fn check_common(&self) -> Result<(), Error> {
        let r = &self.0;
        if r.is_empty()
            || r.len() > 64
            || !r.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        {
            return Err(Error::caller_input(
                "reference",
                format!(
                    "`{}` is not a valid reference: use 1 to 64 letters, digits, `-`, `_` or `.`",
                    crate::error::shown(r)
                ),
            ));
        }
        Ok(())
    }
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for Reference {
    fn from(s: &str) -> Self {
        Reference::new(s)
    }
}

impl From<String> for Reference {
    fn from(s: String) -> Self {
        Reference::new(s)
    }
}

/// A vendor and a reference: all that is needed to ask for a purchase's status, after a
/// restart too. Its text form is `vendor:reference` (`vtpass:202611230615abcd`), one string to
/// store next to the order.
///
/// ```
/// use vas_core::{PurchaseKey, Vendor};
///
/// let key: PurchaseKey = "vtpass:202611230615abcd".parse().unwrap();
/// assert_eq!(key.vendor, Vendor::Vtpass);
/// assert_eq!(key.reference.as_str(), "202611230615abcd");
/// assert_eq!(key.to_string(), "vtpass:202611230615abcd");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PurchaseKey {
    /// The vendor.
    pub vendor: Vendor,
    /// The reference.
    pub reference: Reference,
}

impl PurchaseKey {
    /// A vendor and a reference.
    pub fn new(vendor: Vendor, reference: Reference) -> Self {
        Self { vendor, reference }
    }
}

impl fmt::Display for PurchaseKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.vendor, self.reference)
    }
}

impl FromStr for PurchaseKey {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        let (vendor, reference) = s.split_once(':').ok_or_else(|| {
            Error::caller_input(
                "reference",
                format!("`{}` is not `vendor:reference`", crate::error::shown(s)),
            )
        })?;
        let reference = Reference::new(reference);
        reference.check_common()?;
        Ok(Self { vendor: vendor.parse()?, reference })
    }
}

/// What the caller wants to buy.
///
/// ```
/// use rust_decimal_macros::dec;
/// use vas_core::{ProductRef, PurchaseRequest, Recipient, Vendor};
///
/// let req = PurchaseRequest::new(ProductRef::new(Vendor::Vtpass, "mtn"), Recipient::phone("08011111111"))
///     .amount(dec!(100));
/// assert_eq!(req.amount, Some(dec!(100)));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct PurchaseRequest {
    /// The product.
    pub product: ProductRef,
    /// Who receives it.
    pub recipient: Recipient,
    /// The amount, for a product whose price is a range (may be left out for a fixed price).
    pub amount: Option<Decimal>,
    /// The reference to use; `None` lets the vendor's adapter make one.
    pub reference: Option<Reference>,
    /// The product's other fields, by name (see [`Product::fields`]).
    pub fields: BTreeMap<String, String>,
}

impl PurchaseRequest {
    /// A request for `product` for `recipient`.
    pub fn new(product: impl Into<ProductRef>, recipient: Recipient) -> Self {
        Self {
            product: product.into(),
            recipient,
            amount: None,
            reference: None,
            fields: BTreeMap::new(),
        }
    }

    /// Sets the amount.
    pub fn amount(mut self, amount: Decimal) -> Self {
        self.amount = Some(amount);
        self
    }

    /// Uses the caller's own reference instead of a new one.
    pub fn reference(mut self, reference: impl Into<Reference>) -> Self {
        self.reference = Some(reference.into());
        self
    }

    /// Sets one of the product's other fields.
    pub fn field(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.fields.insert(name.into(), value.into());
        self
    }
}

impl From<&Product> for ProductRef {
    fn from(p: &Product) -> Self {
        p.product_ref()
    }
}

/// A purchase checked against its product and given its reference, not sent yet.
///
/// Made by [`Vas::prepare`](crate::Vas::prepare); store [`key`](PreparedPurchase::key)
/// before calling [`Vas::execute`](crate::Vas::execute), so that a crash between the two can
/// be resolved with [`Vas::status`](crate::Vas::status).
#[derive(Clone, Debug, PartialEq)]
pub struct PreparedPurchase {
    pub(crate) reference: Reference,
    pub(crate) product: Product,
    pub(crate) recipient: Recipient,
    pub(crate) phone: Option<Phone>,
    pub(crate) amount: Money,
    pub(crate) fields: BTreeMap<String, String>,
}

impl PreparedPurchase {
    /// The vendor.
    pub fn vendor(&self) -> Vendor {
        self.product.vendor
    }

    /// The reference.
    pub fn reference(&self) -> &Reference {
        &self.reference
    }

    /// The vendor and the reference, to store.
    pub fn key(&self) -> PurchaseKey {
        PurchaseKey::new(self.vendor(), self.reference.clone())
    }

    /// The product, as found in the catalog.
    pub fn product(&self) -> &Product {
        &self.product
    }

    /// The recipient, trimmed.
    pub fn recipient(&self) -> &Recipient {
        &self.recipient
    }

    /// For a phone recipient: the number, checked for the product's country.
    pub fn phone(&self) -> Option<&Phone> {
        self.phone.as_ref()
    }

    /// The amount to pay: the caller's, or the product's fixed price.
    pub fn amount(&self) -> &Money {
        &self.amount
    }

    /// The product's other fields, checked, by name.
    pub fn fields(&self) -> &BTreeMap<String, String> {
        &self.fields
    }

    /// One of the product's other fields.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields.get(name).map(String::as_str)
    }
}

/// The vendor's response as received: JSON, or text when it was not JSON.
///
/// It may hold the delivered token or PIN, so its `Debug` shows only its size.
#[derive(Clone, PartialEq)]
#[non_exhaustive]
pub enum RawResponse {
    /// A JSON body.
    Json(serde_json::Value),
    /// A body that is not JSON (an HTML error page, a truncated body).
    Text(String),
}

impl RawResponse {
    /// The JSON body, if it was JSON.
    pub fn as_json(&self) -> Option<&serde_json::Value> {
        match self {
            RawResponse::Json(v) => Some(v),
            RawResponse::Text(_) => None,
        }
    }

    /// The body as text.
    pub fn to_text(&self) -> String {
        match self {
            RawResponse::Json(v) => v.to_string(),
            RawResponse::Text(t) => t.clone(),
        }
    }
}

impl fmt::Debug for RawResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RawResponse::Json(v) => write!(f, "Json({REDACTED}, {} bytes)", v.to_string().len()),
            RawResponse::Text(t) => write!(f, "Text({REDACTED}, {} bytes)", t.len()),
        }
    }
}

/// What the customer received, when the vendor says: an electricity token, a voucher PIN and
/// serial, units. The token and PIN are secrets: `Debug` never shows them.
#[derive(Clone, Default)]
#[non_exhaustive]
pub struct Delivered {
    /// A token to type into a meter (prepaid electricity).
    pub token: Option<SecretString>,
    /// A voucher or gift card PIN.
    pub pin: Option<SecretString>,
    /// A voucher serial number.
    pub serial: Option<String>,
    /// Units delivered, as the vendor writes them (`32.6 kWh`, `1GB`).
    pub units: Option<String>,
}

impl Delivered {
    /// Whether nothing was delivered that can be shown.
    pub fn is_empty(&self) -> bool {
        self.token.is_none() && self.pin.is_none() && self.serial.is_none() && self.units.is_none()
    }
}

impl PartialEq for Delivered {
    fn eq(&self, other: &Self) -> bool {
        use vas_common::ExposeSecret as _;
        let s = |a: &Option<SecretString>| a.as_ref().map(|s| s.expose_secret().to_owned());
        s(&self.token) == s(&other.token)
            && s(&self.pin) == s(&other.pin)
            && self.serial == other.serial
            && self.units == other.units
    }
}

impl fmt::Debug for Delivered {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use vas_common::secret::redact_opt;
        f.debug_struct("Delivered")
            .field("token", &format_args!("{}", redact_opt(&self.token)))
            .field("pin", &format_args!("{}", redact_opt(&self.pin)))
            .field("serial", &self.serial)
            .field("units", &self.units)
            .finish()
    }
}

/// The answer about one purchase, in the shared model.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Receipt {
    /// The vendor.
    pub vendor: Vendor,
    /// What happened. [`Vas::execute`](crate::Vas::execute) returns `Delivered`, `Failed`
    /// (only when the vendor says so) or `Pending` (ask again later with the reference).
    pub outcome: Outcome,
    /// The caller's reference.
    pub reference: Reference,
    /// The vendor's id for the transaction, if it gave one.
    pub vendor_transaction_id: Option<String>,
    /// The amount charged or delivered, if the vendor said.
    pub amount: Option<Money>,
    /// The vendor's own words about the outcome (`TRANSACTION SUCCESSFUL`, a status name).
    pub message: Option<String>,
    /// What the customer received.
    pub delivered: Delivered,
    /// The vendor's response, as received.
    pub raw: Option<RawResponse>,
}

impl Receipt {
    /// A receipt with nothing but its outcome.
    pub fn new(vendor: Vendor, outcome: Outcome, reference: Reference) -> Self {
        Self {
            vendor,
            outcome,
            reference,
            vendor_transaction_id: None,
            amount: None,
            message: None,
            delivered: Delivered::default(),
            raw: None,
        }
    }

    /// Sets the vendor's transaction id.
    pub fn with_transaction_id(mut self, id: impl Into<String>) -> Self {
        self.vendor_transaction_id = Some(id.into());
        self
    }

    /// Sets the amount.
    pub fn with_amount(mut self, amount: Money) -> Self {
        self.amount = Some(amount);
        self
    }

    /// Sets the vendor's message.
    pub fn with_message(mut self, message: impl Into<String>) -> Self {
        self.message = Some(message.into());
        self
    }

    /// Sets what was delivered.
    pub fn with_delivered(mut self, delivered: Delivered) -> Self {
        self.delivered = delivered;
        self
    }

    /// Keeps the vendor's response.
    pub fn with_raw(mut self, raw: RawResponse) -> Self {
        self.raw = Some(raw);
        self
    }

    /// The vendor and reference, to store.
    pub fn key(&self) -> PurchaseKey {
        PurchaseKey::new(self.vendor, self.reference.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use vas_common::ExposeSecret as _;

    #[test]
    fn references_are_checked_and_random_ones_are_valid() {
        let r = Reference::random("VAS", 20);
        assert_eq!(r.as_str().len(), 23);
        assert!(r.as_str().starts_with("VAS"));
        assert!(r.check_common().is_ok());
        assert_ne!(Reference::random("", 20), Reference::random("", 20));
        for bad in ["", "has space", "semi;colon", "ünï", &"x".repeat(65)] {
            assert_eq!(
                Reference::new(bad).check_common().err().and_then(|e| e.field().map(str::to_owned)),
                Some("reference".into())
            );
        }
    }

    #[test]
    fn keys_round_trip_and_reject_garbage() {
        let key = PurchaseKey::new(Vendor::Dtone, Reference::new("ext-42"));
        assert_eq!(key.to_string().parse::<PurchaseKey>().ok(), Some(key));
        assert!("nocolon".parse::<PurchaseKey>().is_err());
        assert!("paypal:abc".parse::<PurchaseKey>().is_err());
        assert!("gsubz:".parse::<PurchaseKey>().is_err());
    }

    /// Stored keys come back from databases and files: odd, truncated or hostile text never
    /// panics, and what parses prints back to the same text.
    #[test]
    fn no_stored_string_makes_key_parsing_panic() {
        let huge = "a".repeat(1 << 20);
        let inputs = [
            "",
            ":",
            "::",
            "vtpass:",
            ":abc",
            "vtpass::abc",
            "vtpass:a:b",
            " vtpass:abc",
            "VTPASS:abc",
            "vtpass :abc",
            "vtpass: abc",
            "vtpass:abc ",
            "vtpass:ab\0c",
            "vtpass:ünï",
            "vtpass:📱",
            "vtpass:\u{202e}abc",
            "ｖｔｐａｓｓ:abc",
            "vtpass\n:abc",
            "gsubz:a.b-c_d",
            "eclipse:x",
            "dtone:1",
            &huge,
            &format!("vtpass:{huge}"),
            &format!("{huge}:abc"),
        ];
        for input in inputs {
            match input.parse::<PurchaseKey>() {
                Ok(key) => {
                    assert!(key.reference.check_common().is_ok(), "{input:?}");
                    let text = key.to_string();
                    assert_eq!(text.parse::<PurchaseKey>().ok(), Some(key), "{input:?}");
                }
                Err(e) => {
                    assert_eq!(e.kind(), crate::ErrorKind::CallerInput, "{input:?}");
                    assert!(e.field().is_some(), "{input:?}");
                }
            }
            let _ = Reference::new(input).check_common();
            let _ = serde_json::from_value::<PurchaseKey>(serde_json::json!({
                "vendor": input, "reference": input
            }));
        }
        assert_eq!(
            "VTPASS:abc".parse::<PurchaseKey>().ok(),
            Some(PurchaseKey::new(Vendor::Vtpass, Reference::new("abc")))
        );
    }

    #[test]
    fn no_secret_in_the_debug_of_a_receipt() {
        let receipt = Receipt::new(Vendor::Vtpass, Outcome::Delivered, Reference::new("r1"))
            .with_delivered(Delivered {
                token: Some(SecretString::from("4921-0233-1122-7788")),
                pin: Some(SecretString::from("981276354410")),
                serial: Some("SN-1".into()),
                units: Some("32.6 kWh".into()),
            })
            .with_raw(RawResponse::Json(serde_json::json!({"purchased_code": "Token : 4921-0233-1122-7788", "pin": "981276354410"})));
        let dbg = format!("{receipt:?} {:#?}", receipt);
        for secret in ["4921-0233-1122-7788", "4921", "981276354410", "purchased_code"] {
            assert!(!dbg.contains(secret), "{secret} leaked: {dbg}");
        }
        assert!(dbg.contains("SN-1") && dbg.contains("32.6 kWh") && dbg.contains(REDACTED));
        // The values stay reachable on purpose.
        assert_eq!(
            receipt.delivered.token.as_ref().map(|t| t.expose_secret().to_owned()),
            Some("4921-0233-1122-7788".into())
        );
        assert_eq!(
            receipt.raw.as_ref().and_then(|r| r.as_json()).map(|j| j["pin"].clone()),
            Some(serde_json::json!("981276354410"))
        );
        let text = RawResponse::Text("<html>PIN 1234</html>".into());
        assert!(!format!("{text:?}").contains("1234"));
    }
}
