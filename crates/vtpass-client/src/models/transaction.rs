//! Purchases: the pay request, the requery request, and the transaction answer they share
//! (also the `data` of a `transaction-update` webhook).

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use vas_common::{WireDecimal, WireText};

use super::wire::{Extra, nullable, present, redact, secret_opt, text_opt};
use crate::codes::{ResponseCode, TransactionStatus};
use crate::error::{Error, Result};
use crate::request_id::RequestId;
use crate::service::ServiceId;

/// `subscription_type` of a DStv or GOtv payment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SubscriptionType {
    /// `change`: a new bouquet.
    Change,
    /// `renew`: renew the current bouquet.
    Renew,
}

/// The body of `POST pay`, checked when built.
///
/// Build it with [`PayRequest::builder`]. When no request id is given, one is generated:
/// read it with [`PayRequest::request_id`] and store it before paying.
///
/// ```
/// use rust_decimal_macros::dec;
/// use vtpass_client::{PayRequest, ServiceId};
///
/// let req = PayRequest::builder(ServiceId::SPECTRANET)
///     .billers_code("1212121212")
///     .variation_code("vt-1000")
///     .amount(dec!(1000))
///     .quantity(1)
///     .phone("08011111111")
///     .build()
///     .unwrap();
/// let body = serde_json::to_value(&req).unwrap();
/// assert_eq!(body["serviceID"], "spectranet");
/// assert_eq!(body["amount"], 1000);
/// assert_eq!(body["request_id"], req.request_id().as_str());
///
/// let negative = PayRequest::builder(ServiceId::MTN).phone("08011111111").amount(dec!(-5)).build();
/// assert!(negative.is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PayRequest {
    request_id: RequestId,
    #[serde(rename = "serviceID")]
    service_id: ServiceId,
    #[serde(rename = "billersCode", skip_serializing_if = "Option::is_none")]
    billers_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    variation_code: Option<String>,
    #[serde(with = "vas_common::decimal::lenient_opt", skip_serializing_if = "Option::is_none")]
    amount: Option<Decimal>,
    phone: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    quantity: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    subscription_type: Option<SubscriptionType>,
    #[serde(flatten)]
    fields: BTreeMap<String, String>,
}

impl PayRequest {
    /// Starts a payment for `service_id`.
    pub fn builder(service_id: ServiceId) -> PayRequestBuilder {
        PayRequestBuilder {
            request_id: None,
            service_id,
            billers_code: None,
            variation_code: None,
            amount: None,
            phone: None,
            quantity: None,
            subscription_type: None,
            fields: BTreeMap::new(),
        }
    }

    /// `request_id`: the reference to store before paying.
    pub fn request_id(&self) -> &RequestId {
        &self.request_id
    }
    /// `serviceID`.
    pub fn service_id(&self) -> &ServiceId {
        &self.service_id
    }
    /// `billersCode`.
    pub fn billers_code(&self) -> Option<&str> {
        self.billers_code.as_deref()
    }
    /// `variation_code`.
    pub fn variation_code(&self) -> Option<&str> {
        self.variation_code.as_deref()
    }
    /// `amount`.
    pub fn amount(&self) -> Option<Decimal> {
        self.amount
    }
    /// `phone`.
    pub fn phone(&self) -> &str {
        &self.phone
    }
    /// `quantity`.
    pub fn quantity(&self) -> Option<u32> {
        self.quantity
    }
    /// `subscription_type`.
    pub fn subscription_type(&self) -> Option<SubscriptionType> {
        self.subscription_type
    }
    /// Extra body fields some services need.
    pub fn fields(&self) -> &BTreeMap<String, String> {
        &self.fields
    }

    /// Checks every field; [`crate::Client::pay`] calls this before sending.
    pub fn validate(&self) -> Result<()> {
        RequestId::parse(self.request_id.as_str())?;
        ServiceId::check(self.service_id.as_str())?;
        if let Some(b) = &self.billers_code {
            check_text("billersCode", b)?;
        }
        if let Some(v) = &self.variation_code {
            check_text("variation_code", v)?;
        }
        if let Some(a) = self.amount {
            check_amount(a)?;
        }
        check_phone(&self.phone)?;
        if self.quantity == Some(0) {
            return Err(Error::invalid("quantity", "must be at least 1"));
        }
        for (k, v) in &self.fields {
            if k.is_empty() || RESERVED.contains(&k.as_str()) {
                return Err(Error::invalid(
                    "fields",
                    format!("{k:?} cannot be set as an extra field"),
                ));
            }
            if v.chars().any(char::is_control) {
                return Err(Error::invalid("fields", format!("{k:?} contains control characters")));
            }
        }
        Ok(())
    }
}

const RESERVED: &[&str] = &[
    "request_id",
    "serviceID",
    "billersCode",
    "variation_code",
    "amount",
    "phone",
    "quantity",
    "subscription_type",
];

fn check_text(field: &'static str, value: &str) -> Result<()> {
    if value.trim().is_empty() {
        return Err(Error::invalid(field, "must not be empty"));
    }
    if value.trim() != value {
        return Err(Error::invalid(field, format!("{value:?} has blanks around it")));
    }
    if value.len() > 64 {
        return Err(Error::invalid(field, "is longer than 64 characters"));
    }
    if value.chars().any(char::is_control) {
        return Err(Error::invalid(field, "contains control characters"));
    }
    Ok(())
}

pub(crate) fn check_amount(amount: Decimal) -> Result<()> {
    if amount.is_sign_negative() && !amount.is_zero() {
        return Err(Error::invalid("amount", format!("{amount} is negative")));
    }
    if amount.is_zero() {
        return Err(Error::invalid("amount", "must be more than zero"));
    }
    if amount.normalize().scale() > 2 {
        return Err(Error::invalid("amount", format!("{amount} has more than 2 decimal places")));
    }
    Ok(())
}

fn check_phone(phone: &str) -> Result<()> {
    let digits = phone.strip_prefix('+').unwrap_or(phone);
    if digits.len() < 7 || digits.len() > 15 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::invalid("phone", format!("{phone:?} is not 7 to 15 digits")));
    }
    Ok(())
}

/// Builds a [`PayRequest`]; [`PayRequestBuilder::build`] checks every field.
#[derive(Clone, Debug)]
#[must_use]
pub struct PayRequestBuilder {
    request_id: Option<RequestId>,
    service_id: ServiceId,
    billers_code: Option<String>,
    variation_code: Option<String>,
    amount: Option<Decimal>,
    phone: Option<String>,
    quantity: Option<u32>,
    subscription_type: Option<SubscriptionType>,
    fields: BTreeMap<String, String>,
}

impl PayRequestBuilder {
    /// The reference to use (otherwise one is generated by [`RequestId::generate`]).
    pub fn request_id(mut self, id: RequestId) -> Self {
        self.request_id = Some(id);
        self
    }
    /// `billersCode`: the phone number, smartcard, meter or account paid for.
    pub fn billers_code(mut self, code: impl Into<String>) -> Self {
        self.billers_code = Some(code.into());
        self
    }
    /// `variation_code`: the plan, from [`crate::Client::service_variations`].
    pub fn variation_code(mut self, code: impl Into<String>) -> Self {
        self.variation_code = Some(code.into());
        self
    }
    /// `amount` in naira: more than zero, at most 2 decimal places.
    pub fn amount(mut self, amount: Decimal) -> Self {
        self.amount = Some(amount);
        self
    }
    /// `phone`: the customer's phone number (7 to 15 digits, optional leading `+`).
    pub fn phone(mut self, phone: impl Into<String>) -> Self {
        self.phone = Some(phone.into());
        self
    }
    /// `quantity` (at least 1).
    pub fn quantity(mut self, quantity: u32) -> Self {
        self.quantity = Some(quantity);
        self
    }
    /// `subscription_type` (DStv and GOtv).
    pub fn subscription_type(mut self, kind: SubscriptionType) -> Self {
        self.subscription_type = Some(kind);
        self
    }
    /// Any other body field a service needs, sent as a string.
    pub fn field(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.fields.insert(name.into(), value.into());
        self
    }

    /// Checks every field and builds the request, generating a request id if none was given.
    pub fn build(self) -> Result<PayRequest> {
        let req = PayRequest {
            request_id: self.request_id.unwrap_or_else(RequestId::generate),
            service_id: self.service_id,
            billers_code: self.billers_code,
            variation_code: self.variation_code,
            amount: self.amount,
            phone: self.phone.ok_or_else(|| Error::invalid("phone", "is required"))?,
            quantity: self.quantity,
            subscription_type: self.subscription_type,
            fields: self.fields,
        };
        req.validate()?;
        Ok(req)
    }
}

/// The body of `POST requery`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RequeryRequest<'a> {
    /// `request_id`: the reference of the payment.
    pub request_id: &'a RequestId,
}

/// The answer of `POST pay`.
pub type PayResponse = TransactionResponse;
/// The answer of `POST requery`.
pub type RequeryResponse = TransactionResponse;

/// The answer of `POST pay` and `POST requery` (and the `data` of a `transaction-update`
/// webhook).
///
/// Read the outcome with [`crate::classify_pay`] or [`crate::classify_requery`]; the raw
/// `code` alone does not tell it (`000` means "processed", and the transaction status then
/// decides).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct TransactionResponse {
    /// `code`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<WireText>,
    /// `content`: `{"transactions": {…}}`, or whatever else the vendor put there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<TransactionContent>,
    /// `response_description`, e.g. `TRANSACTION SUCCESSFUL`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_description: Option<String>,
    /// `requestId`: the reference as VTpass echoes it (a string; a number is read as its
    /// digits).
    #[serde(
        rename = "requestId",
        default,
        deserialize_with = "text_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub request_id: Option<String>,
    /// `amount`: `"1000.00"` in some answers, `20` in others.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<WireDecimal>,
    /// `transaction_date`: an object or a string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transaction_date: Option<TransactionDate>,
    /// `purchased_code`: the PIN or token bought (secret; `""` when there is none).
    #[serde(with = "secret_opt", default, skip_serializing_if = "Option::is_none")]
    pub purchased_code: Option<SecretString>,
    /// `cards`: the vouchers bought (PINs secret).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cards: Option<Vec<Card>>,
    /// Fields not named above (tokens and PINs among them are redacted in `Debug`).
    #[serde(flatten)]
    pub extra: Extra,
}

impl TransactionResponse {
    /// The response code.
    pub fn response_code(&self) -> Option<ResponseCode> {
        self.code.as_ref().map(ResponseCode::from_wire)
    }

    /// `content.transactions`, when present.
    pub fn transaction(&self) -> Option<&Transaction> {
        match &self.content {
            Some(TransactionContent::Transactions { transactions, .. }) => transactions.as_deref(),
            _ => None,
        }
    }

    /// `content.transactions.status`, when present.
    ///
    /// When `content.transactions` did not fit [`Transaction`] (an odd field elsewhere in
    /// it), the status is still read from the raw value, so that an odd field never hides
    /// the outcome.
    pub fn status(&self) -> Option<TransactionStatus> {
        match &self.content {
            Some(TransactionContent::Transactions { transactions, .. }) => {
                transactions.as_ref().and_then(|t| t.status.clone())
            }
            Some(TransactionContent::Other(v)) => v
                .get("transactions")
                .and_then(|t| t.get("status"))
                .and_then(Value::as_str)
                .map(TransactionStatus::parse),
            None => None,
        }
    }

    /// `purchased_code` when it is not empty.
    pub fn purchased_code(&self) -> Option<&SecretString> {
        use secrecy::ExposeSecret as _;
        self.purchased_code.as_ref().filter(|s| !s.expose_secret().trim().is_empty())
    }

    /// The vouchers bought (empty when none).
    pub fn cards(&self) -> &[Card] {
        self.cards.as_deref().unwrap_or_default()
    }
}

/// `content` of a transaction answer.
///
/// `Debug` redacts sensitive-looking keys (`pin`, `token`, …) inside [`Self::Other`].
#[derive(Clone, Serialize, Deserialize)]
#[serde(untagged)]
pub enum TransactionContent {
    /// An object (normally with `transactions`).
    Transactions {
        /// `transactions`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        transactions: Option<Box<Transaction>>,
        /// Fields not named above (for example `error`).
        #[serde(flatten)]
        extra: Extra,
    },
    /// Anything else (a string, a list, or an object whose `transactions` does not fit).
    Other(Value),
}

impl std::fmt::Debug for TransactionContent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TransactionContent::Transactions { transactions, extra } => f
                .debug_struct("Transactions")
                .field("transactions", transactions)
                .field("extra", extra)
                .finish(),
            TransactionContent::Other(v) => f.debug_tuple("Other").field(&redact(v)).finish(),
        }
    }
}

/// `content.transactions`: the transaction itself.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Transaction {
    /// `status`: only `delivered` is success.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<TransactionStatus>,
    /// `product_name`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_name: Option<String>,
    /// `unique_element`: the phone, smartcard, meter or account paid for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unique_element: Option<WireText>,
    /// `unit_price`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_price: Option<WireDecimal>,
    /// `quantity`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<WireDecimal>,
    /// `service_verification` (often `null`; kept as received).
    #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
    pub service_verification: Option<Value>,
    /// `channel`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    /// `commission`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commission: Option<WireDecimal>,
    /// `total_amount`: what the wallet was charged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_amount: Option<WireDecimal>,
    /// `discount`: `Some(None)` when the vendor sent `null`.
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Option::is_none")]
    pub discount: Option<Option<WireDecimal>>,
    /// `type`, e.g. `Data Services`.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// `email`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// `phone`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<WireText>,
    /// `name`: `Some(None)` when the vendor sent `null`.
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Option::is_none")]
    pub name: Option<Option<String>>,
    /// `convinience_fee` (wire spelling).
    #[serde(rename = "convinience_fee", default, skip_serializing_if = "Option::is_none")]
    pub convenience_fee: Option<WireDecimal>,
    /// `amount`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<WireDecimal>,
    /// `platform`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform: Option<String>,
    /// `method`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// `transactionId`: VTpass's own id.
    #[serde(rename = "transactionId", default, skip_serializing_if = "Option::is_none")]
    pub transaction_id: Option<WireText>,
    /// Fields not named above (tokens among them are redacted in `Debug`).
    #[serde(flatten)]
    pub extra: Extra,
}

/// `transaction_date`: an object `{date, timezone_type, timezone}` or a string.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum TransactionDate {
    /// `{"date": "2022-04-04 10:08:47.000000", "timezone_type": 3, "timezone": "Africa/Lagos"}`.
    Object {
        /// `date`, local to `timezone`.
        date: String,
        /// `timezone_type`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        timezone_type: Option<i64>,
        /// `timezone`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        timezone: Option<String>,
    },
    /// A date string, e.g. `2022-04-04T10:08:47.000000Z`.
    Text(String),
    /// Anything else, kept as received.
    Other(Value),
}

impl TransactionDate {
    /// The date text, for the two documented forms.
    pub fn date(&self) -> Option<&str> {
        match self {
            TransactionDate::Object { date, .. } => Some(date),
            TransactionDate::Text(s) => Some(s),
            TransactionDate::Other(_) => None,
        }
    }
}

/// One voucher bought (`cards[]`). The PIN is secret: `Debug` never shows it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Card {
    /// `serialNumber`.
    #[serde(rename = "serialNumber", default, skip_serializing_if = "Option::is_none")]
    pub serial_number: Option<WireText>,
    /// `pin` (secret).
    #[serde(with = "secret_opt", default, skip_serializing_if = "Option::is_none")]
    pub pin: Option<SecretString>,
    /// `expiresOn`.
    #[serde(rename = "expiresOn", default, skip_serializing_if = "Option::is_none")]
    pub expires_on: Option<String>,
    /// `value`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<WireDecimal>,
    /// Fields not named above.
    #[serde(flatten)]
    pub extra: Extra,
}
