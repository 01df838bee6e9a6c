use std::fmt;

use rust_decimal::Decimal;
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use vas_common::{Outcome, WireDecimal};

use super::catalog::wire_enum;
use super::{Extra, ExtraInfo, Product, Timestamp};
use crate::error::{Error, Result};
use crate::{CustomerId, PaymentData, PaymentId, WalletId};

/// A field value sent with a payment (and echoed in the payment): `{"id", "value"}`.
///
/// `Debug` hides the value of a field whose id names a secret (an UnPin, a token; see
/// [`super::is_sensitive_name`]).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldValue {
    /// The field id (`msisdn`, `accountNumber`, `destinationName`, …).
    pub id: String,
    /// The value.
    pub value: String,
}

impl fmt::Debug for FieldValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FieldValue")
            .field("id", &self.id)
            .field("value", &super::Shown::new(&self.id, &self.value))
            .finish()
    }
}

impl FieldValue {
    /// A field value.
    pub fn new(id: impl Into<String>, value: impl Into<String>) -> Self {
        Self { id: id.into(), value: value.into() }
    }
}

wire_enum!(
    /// The payment type. VAS purchases are `GLOBAL_VAS`.
    PaymentType {
        /// `GLOBAL_VAS`: a value-added service purchase.
        GlobalVas = "GLOBAL_VAS",
    }
);

wire_enum!(
    /// The status of a payment.
    ///
    /// The documentation shows `PENDING` and says a payment is "finalised (either successful or
    /// error)"; `SUCCESSFUL` and `ERROR` are the final statuses. Anything else is kept in
    /// `Unknown` and classified [`Outcome::Unknown`], never as a failure.
    PaymentStatus {
        /// `PENDING`: accepted, not final.
        Pending = "PENDING",
        /// `SUCCESSFUL`: delivered.
        Successful = "SUCCESSFUL",
        /// `ERROR`: final failure.
        Error = "ERROR",
    }
);

impl PaymentStatus {
    /// The outcome: `PENDING` pending, `SUCCESSFUL` delivered, `ERROR` failed, anything else
    /// unknown.
    pub fn outcome(&self) -> Outcome {
        match self {
            PaymentStatus::Pending => Outcome::Pending,
            PaymentStatus::Successful => Outcome::Delivered,
            PaymentStatus::Error => Outcome::Failed,
            PaymentStatus::Unknown(_) => Outcome::Unknown,
        }
    }
}

fn check_reference(value: &str) -> Result<()> {
    if value.is_empty() {
        return Err(Error::invalid("externalUniqueId", "must not be empty"));
    }
    if value.len() > 100 {
        return Err(Error::invalid("externalUniqueId", "must be at most 100 characters"));
    }
    if !value.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(Error::invalid("externalUniqueId", "must be printable ASCII without spaces"));
    }
    Ok(())
}

fn check_amount(amount: Decimal) -> Result<()> {
    if amount <= Decimal::ZERO {
        return Err(Error::invalid("amount", format!("must be positive, not {amount}")));
    }
    Ok(())
}

fn check_url(field: &'static str, url: &str) -> Result<()> {
    if !(url.starts_with("https://") || url.starts_with("http://")) || url.len() < 9 {
        return Err(Error::invalid(field, "must be an http(s) URL"));
    }
    Ok(())
}

fn check_phone(field: &'static str, phone: &str) -> Result<()> {
    let digits = phone.strip_prefix('+').unwrap_or(phone);
    if digits.len() < 5 || digits.len() > 16 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::invalid(field, "must be 5 to 16 digits, optionally after `+`"));
    }
    Ok(())
}

/// The body of `POST tenants/{tenantId}/customers/{customerId}/payments` for a VAS purchase.
///
/// Build it with [`InitiatePayment::builder`], which checks every value before anything is
/// sent and generates the `externalUniqueId` unless one is given. Keep the reference: it
/// identifies the purchase if the answer is lost.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InitiatePayment {
    /// The caller's unique reference for this purchase.
    pub external_unique_id: String,
    /// Always `GLOBAL_VAS` for VAS.
    #[serde(rename = "type")]
    pub payment_type: PaymentType,
    /// `<partnerId>_<productId>`.
    pub payment_data: PaymentData,
    /// The amount (DTB payments send it here; other providers in the update).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<WireDecimal>,
    /// The currency (`ZAR`, `KES`, `UGX`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// The product's fields, filled in.
    #[serde(default)]
    pub additional_fields: Vec<FieldValue>,
    /// Where a browser returns after a hosted step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub landing_url: Option<String>,
    /// Where Eclipse posts the final payment (see [`crate::callback`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callback_url: Option<String>,
    /// The wallet to pay from (its type decides Eclipse wallet or DTB bank account).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wallet_id: Option<WalletId>,
    /// The customer's phone (EasyPay).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// A description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Whether to run the tenant's custom fraud checks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_fraud_checks: Option<bool>,
}

impl InitiatePayment {
    /// A builder for a `GLOBAL_VAS` payment of `payment_data`, with a new random (UUID v4)
    /// `externalUniqueId` unless [`InitiatePaymentBuilder::external_unique_id`] sets one.
    pub fn builder(payment_data: PaymentData) -> InitiatePaymentBuilder {
        InitiatePaymentBuilder {
            body: InitiatePayment {
                external_unique_id: uuid::Uuid::new_v4().to_string(),
                payment_type: PaymentType::GlobalVas,
                payment_data,
                amount: None,
                currency: None,
                additional_fields: Vec::new(),
                landing_url: None,
                callback_url: None,
                wallet_id: None,
                phone: None,
                description: None,
                custom_fraud_checks: None,
            },
            errors: Vec::new(),
        }
    }

    /// Checks every value (what the builder checks), e.g. for a body decoded from elsewhere.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] naming the first bad field.
    pub fn validate(&self) -> Result<()> {
        check_reference(&self.external_unique_id)?;
        if let Some(a) = &self.amount {
            check_amount(a.value())?;
        }
        if let Some(c) = &self.currency
            && (c.len() != 3 || !c.bytes().all(|b| b.is_ascii_uppercase()))
        {
            return Err(Error::invalid("currency", "must be three upper-case letters"));
        }
        for f in &self.additional_fields {
            if f.id.is_empty() {
                return Err(Error::invalid("additionalFields", "a field id is empty"));
            }
        }
        if let Some(u) = &self.landing_url {
            check_url("landingUrl", u)?;
        }
        if let Some(u) = &self.callback_url {
            check_url("callbackUrl", u)?;
        }
        if let Some(p) = &self.phone {
            check_phone("phone", p)?;
        }
        Ok(())
    }
}

/// Builds an [`InitiatePayment`], checking every value.
///
/// ```
/// use eclipse_vas::{InitiatePayment, PaymentData, PartnerId, WalletId};
///
/// let body = InitiatePayment::builder(PaymentData::new(PartnerId::VODACOM, "VD50")?)
///     .external_unique_id("abcd1234")
///     .field("msisdn", "27831234567")
///     .currency("ZAR")
///     .wallet_id(WalletId(830989))
///     .build()?;
/// assert_eq!(body.payment_data.to_string(), "5_VD50");
/// # Ok::<(), eclipse_vas::Error>(())
/// ```
#[derive(Debug)]
#[must_use]
pub struct InitiatePaymentBuilder {
    body: InitiatePayment,
    errors: Vec<Error>,
}

impl InitiatePaymentBuilder {
    /// Sets the caller's reference (instead of a generated UUID).
    pub fn external_unique_id(mut self, id: impl Into<String>) -> Self {
        self.body.external_unique_id = id.into();
        self
    }

    /// The reference this payment will be sent with.
    pub fn reference(&self) -> &str {
        &self.body.external_unique_id
    }

    /// Adds a field value.
    pub fn field(mut self, id: impl Into<String>, value: impl Into<String>) -> Self {
        self.body.additional_fields.push(FieldValue::new(id, value));
        self
    }

    /// Adds a field value after checking it against the product's spec for that field
    /// ([`crate::models::FieldSpec::validate`]); a failure is reported by [`Self::build`].
    pub fn checked_field(mut self, product: &Product, id: &str, value: impl Into<String>) -> Self {
        let value = value.into();
        if let Err(e) = product.validate_field(id, &value) {
            self.errors.push(e);
        }
        self.body.additional_fields.push(FieldValue::new(id, value));
        self
    }

    /// Sets the amount (sent as a JSON number).
    pub fn amount(mut self, amount: Decimal) -> Self {
        self.body.amount = Some(WireDecimal::number(amount));
        self
    }

    /// Sets the currency (`ZAR`, `KES`, `UGX`).
    pub fn currency(mut self, currency: impl Into<String>) -> Self {
        self.body.currency = Some(currency.into());
        self
    }

    /// Sets the landing URL.
    pub fn landing_url(mut self, url: impl Into<String>) -> Self {
        self.body.landing_url = Some(url.into());
        self
    }

    /// Sets the callback URL.
    pub fn callback_url(mut self, url: impl Into<String>) -> Self {
        self.body.callback_url = Some(url.into());
        self
    }

    /// Sets the wallet to pay from.
    pub fn wallet_id(mut self, wallet: WalletId) -> Self {
        self.body.wallet_id = Some(wallet);
        self
    }

    /// Sets the customer's phone.
    pub fn phone(mut self, phone: impl Into<String>) -> Self {
        self.body.phone = Some(phone.into());
        self
    }

    /// Sets the description.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.body.description = Some(description.into());
        self
    }

    /// Sets `customFraudChecks`.
    pub fn custom_fraud_checks(mut self, on: bool) -> Self {
        self.body.custom_fraud_checks = Some(on);
        self
    }

    /// Checks everything and returns the body.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] naming the first bad field.
    pub fn build(self) -> Result<InitiatePayment> {
        if let Some(e) = self.errors.into_iter().next() {
            return Err(e);
        }
        self.body.validate()?;
        Ok(self.body)
    }
}

/// The body of `PUT tenants/{tenantId}/payments/{paymentId}`: completes (or updates) a payment
/// with the amount and the wallet to pay from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdatePayment {
    /// The amount.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<WireDecimal>,
    /// The wallet to pay from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wallet_id: Option<WalletId>,
    /// The landing URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub landing_url: Option<String>,
    /// The payment's reference (Pay@ and EasyPay send it again).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_unique_id: Option<String>,
}

impl UpdatePayment {
    /// A builder; at least one field must be set.
    pub fn builder() -> UpdatePaymentBuilder {
        UpdatePaymentBuilder {
            body: UpdatePayment {
                amount: None,
                wallet_id: None,
                landing_url: None,
                external_unique_id: None,
            },
        }
    }

    /// Checks every value (what the builder checks).
    ///
    /// # Errors
    /// [`Error::InvalidInput`] naming the first bad field.
    pub fn validate(&self) -> Result<()> {
        if self.amount.is_none()
            && self.wallet_id.is_none()
            && self.landing_url.is_none()
            && self.external_unique_id.is_none()
        {
            return Err(Error::invalid("update", "sets nothing"));
        }
        if let Some(a) = &self.amount {
            check_amount(a.value())?;
        }
        if let Some(u) = &self.landing_url {
            check_url("landingUrl", u)?;
        }
        if let Some(r) = &self.external_unique_id {
            check_reference(r)?;
        }
        Ok(())
    }
}

/// Builds an [`UpdatePayment`].
///
/// ```
/// use eclipse_vas::{UpdatePayment, WalletId};
/// use rust_decimal::Decimal;
///
/// let body = UpdatePayment::builder().amount(Decimal::from(155)).wallet_id(WalletId(830989)).build()?;
/// assert_eq!(serde_json::to_string(&body).unwrap(), r#"{"amount":155,"walletId":830989}"#);
/// # Ok::<(), eclipse_vas::Error>(())
/// ```
#[derive(Clone, Debug)]
#[must_use]
pub struct UpdatePaymentBuilder {
    body: UpdatePayment,
}

impl UpdatePaymentBuilder {
    /// Sets the amount (sent as a JSON number).
    pub fn amount(mut self, amount: Decimal) -> Self {
        self.body.amount = Some(WireDecimal::number(amount));
        self
    }

    /// Sets the wallet to pay from.
    pub fn wallet_id(mut self, wallet: WalletId) -> Self {
        self.body.wallet_id = Some(wallet);
        self
    }

    /// Sets the landing URL.
    pub fn landing_url(mut self, url: impl Into<String>) -> Self {
        self.body.landing_url = Some(url.into());
        self
    }

    /// Sends the payment's reference again.
    pub fn external_unique_id(mut self, id: impl Into<String>) -> Self {
        self.body.external_unique_id = Some(id.into());
        self
    }

    /// Checks everything and returns the body.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] naming the first bad field.
    pub fn build(self) -> Result<UpdatePayment> {
        self.body.validate()?;
        Ok(self.body)
    }
}

/// `paymentInstrumentInfo` of a payment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PaymentInstrumentInfo {
    /// The phone of the paying card or wallet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card_phone: Option<String>,
    /// Fields not named above.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A payment, as returned by the initiate call, `GET payments/{paymentId}` and the callback.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Payment {
    /// The payment id.
    pub payment_id: PaymentId,
    /// The caller's reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_unique_id: Option<String>,
    /// The status; see [`Payment::outcome`].
    pub status: PaymentStatus,
    /// The amount, exact (`29182.000000000` decodes to 29182).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<WireDecimal>,
    /// The description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The currency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// The field values sent with the payment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub additional_fields: Option<Vec<FieldValue>>,
    /// Accepted card schemes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accepted_card_schemes: Option<Vec<serde_json::Value>>,
    /// The phone of the paying card or wallet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card_phone: Option<String>,
    /// The customer's phone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Accepted payment mechanisms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accepted_payment_mechanisms: Option<Vec<serde_json::Value>>,
    /// The payment type (`EFT` in the examples).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_type: Option<String>,
    /// The error description (`": "` on a pending payment in the examples: not an error).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_description: Option<String>,
    /// When the payment was created.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<Timestamp>,
    /// Provider details, JSON inside a string (DTB: [`ExtraInfo::dtb`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_info: Option<ExtraInfo>,
    /// Details of the paying instrument.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_instrument_info: Option<PaymentInstrumentInfo>,
    /// The fee, exact (`0E-9` decodes to 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fee: Option<WireDecimal>,
    /// The provider's reference (PRN, meter, phone, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_reference: Option<String>,
    /// The wallet paid from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wallet_id: Option<WalletId>,
    /// The customer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<CustomerId>,
    /// The gateway's transaction id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gateway_transaction_id: Option<String>,
    /// Terminal data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_terminal_data: Option<Extra>,
    /// Fields not named above.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Payment {
    /// The outcome of the purchase: `PENDING` pending, `SUCCESSFUL` delivered, `ERROR` failed,
    /// anything else unknown.
    pub fn outcome(&self) -> Outcome {
        self.status.outcome()
    }

    /// The outcome for the purchase sent with `reference`: [`Payment::outcome`], except that
    /// an answer naming another `externalUniqueId` contradicts the request and is
    /// [`Outcome::Unknown`] whatever its status says.
    pub fn outcome_for(&self, reference: &str) -> Outcome {
        match &self.external_unique_id {
            Some(other) if other != reference => Outcome::Unknown,
            _ => self.outcome(),
        }
    }

    /// The exact amount.
    pub fn amount(&self) -> Option<Decimal> {
        self.amount.as_ref().map(WireDecimal::value)
    }

    /// The exact fee.
    pub fn fee(&self) -> Option<Decimal> {
        self.fee.as_ref().map(WireDecimal::value)
    }

    /// The value of a field sent with the payment.
    pub fn field(&self, id: &str) -> Option<&str> {
        self.additional_fields
            .as_deref()
            .unwrap_or_default()
            .iter()
            .find(|f| f.id == id)
            .map(|f| f.value.as_str())
    }

    /// The ACS electricity voucher: the UnPin (to show on the success screen; it works only
    /// after the customer dials the USSD string) and the USSD string, when the payment carries
    /// them.
    ///
    /// The documentation says both must be displayed but names neither field; this looks, in
    /// order, at the payment's field values, its other top-level fields, its `extraInfo` object
    /// and its `paymentInstrumentInfo`, for a name containing `unpin` and one containing
    /// `ussd` (ignoring case, `_` and `-`).
    pub fn acs_electricity(&self) -> Option<AcsElectricity> {
        fn norm(k: &str) -> String {
            k.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_ascii_lowercase()
        }
        fn text(v: &serde_json::Value) -> Option<String> {
            match v {
                serde_json::Value::String(s) if !s.is_empty() => Some(s.clone()),
                serde_json::Value::Number(n) => Some(n.to_string()),
                _ => None,
            }
        }
        let mut pairs: Vec<(String, String)> = Vec::new();
        for f in self.additional_fields.as_deref().unwrap_or_default() {
            pairs.push((norm(&f.id), f.value.clone()));
        }
        let maps = [
            Some(&self.extra),
            self.extra_info.as_ref().and_then(ExtraInfo::object),
            self.payment_instrument_info.as_ref().map(|p| &p.extra),
        ];
        for map in maps.into_iter().flatten() {
            for (k, v) in map.iter() {
                if let Some(t) = text(v) {
                    pairs.push((norm(k), t));
                }
            }
        }
        let unpin = pairs.iter().find(|(k, v)| k.contains("unpin") && !v.is_empty())?.1.clone();
        let ussd =
            pairs.iter().find(|(k, v)| k.contains("ussd") && !v.is_empty()).map(|p| p.1.clone());
        Some(AcsElectricity { unpin: SecretString::from(unpin), ussd })
    }
}

/// The ACS electricity voucher of a payment: the UnPin and the USSD string the customer dials
/// to turn it into the PIN for the prepaid meter. Show both on the success screen.
///
/// The UnPin is a voucher secret: `Debug` does not print it; read it with
/// [`secrecy::ExposeSecret`].
#[derive(Clone)]
pub struct AcsElectricity {
    /// The UnPin (sent to the customer by SMS too).
    pub unpin: SecretString,
    /// The USSD string to dial, when the payment carries it.
    pub ussd: Option<String>,
}

impl fmt::Debug for AcsElectricity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AcsElectricity")
            .field("unpin", &vas_common::secret::REDACTED)
            .field("ussd", &self.ussd)
            .finish()
    }
}

/// The answer to `PUT payments/{paymentId}`.
///
/// The documentation says the providers return "a success response string" once the payment
/// is completed; the body is kept, and decoded as a [`Payment`] when it is one.
///
/// `Debug` hides the values of secret-named fields in the raw body (a voucher PIN may be in
/// it).
#[derive(Clone, PartialEq)]
pub struct UpdateResponse {
    /// The body as received.
    pub raw: String,
    /// The payment, when the body is one.
    pub payment: Option<Payment>,
}

impl fmt::Debug for UpdateResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UpdateResponse")
            .field("raw", &crate::error::redacted_body(&self.raw))
            .field("payment", &self.payment)
            .finish()
    }
}

impl UpdateResponse {
    pub(crate) fn from_body(raw: String) -> Self {
        let payment = serde_json::from_str(&raw).ok();
        Self { raw, payment }
    }

    /// The outcome the answer tells: the payment's, or `Unknown` for a bare success string
    /// (only the payment's status is authoritative; look it up).
    pub fn outcome(&self) -> Outcome {
        self.payment.as_ref().map_or(Outcome::Unknown, Payment::outcome)
    }
}
