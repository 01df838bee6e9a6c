//! The purchase request (flexible and fixed), the status request and their answer.

use std::fmt;

use rust_decimal::Decimal;
use serde::de::{self, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};
use vas_common::{WireDecimal, WireText};

use super::catalog::{Plan, Plans};
use super::codes::{ProductType, ResponseCode, TransactionStatus};
use crate::{Error, RequestId, Result};

/// Form field names of a purchase, as documented.
const SERVICE_ID: &str = "serviceID";
const AMOUNT: &str = "amount";
const CUSTOMER_ID: &str = "customerID";
const PHONE: &str = "phone";
const EMAIL: &str = "email";
const REQUEST_ID: &str = "requestID";
/// Names no extra or plan field may take: the documented fields and the API key.
const RESERVED: &[&str] = &[SERVICE_ID, AMOUNT, CUSTOMER_ID, PHONE, EMAIL, REQUEST_ID, "api"];
/// Plan field names recognised when decoding a request (`PlanName` values of the docs).
const KNOWN_PLAN_FIELDS: &[&str] = &["plan", "variation_code"];

/// A purchase (`POST pay`), as the form fields GSUBZ documents.
///
/// Two kinds, which GSUBZ tells apart by itself:
/// - **flexible** (airtime): `serviceID`, `phone`, `email` (optional), `amount`, `requestID`;
/// - **fixed** (TV, data plans, electricity): the same plus the plan, sent in the field named
///   by the plans answer's `PlanName` (`plan`, `variation_code`), and `customerID` (smartcard
///   or meter number) where the service needs one.
///
/// The `requestID` is generated when the request is built unless the caller gives one; read
/// it with [`request_id`](PayRequest::request_id) and store it before sending. Every value is
/// checked when the request is built, so that bad input never reaches the network.
///
/// The client adds the API key as the form field `api`; it is not part of this type.
///
/// ```
/// use gsubz_client::PayRequest;
/// use rust_decimal::Decimal;
///
/// let airtime = PayRequest::flexible("mtn", "07031234567", Decimal::from(1000))
///     .email("name@example.com")
///     .build()?;
/// let fields: Vec<&str> = airtime.form_fields().into_iter().map(|(k, _)| k).collect();
/// assert_eq!(fields, ["serviceID", "amount", "phone", "email", "requestID"]);
///
/// let gotv = PayRequest::fixed("gotv", "plan", "gotv-plus", Decimal::from(1900), "07031234567")
///     .customer_id("7017725579")
///     .build()?;
/// assert_eq!(gotv.field_value("plan").as_deref(), Some("gotv-plus"));
/// # Ok::<(), gsubz_client::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct PayRequest {
    service_id: String,
    plan: Option<(String, String)>,
    amount: WireDecimal,
    customer_id: Option<String>,
    phone: String,
    email: Option<String>,
    request_id: RequestId,
    extra: Vec<(String, String)>,
}

impl PayRequest {
    /// A flexible purchase (airtime): any amount of the service's range.
    pub fn flexible(
        service_id: impl Into<String>,
        phone: impl Into<String>,
        amount: Decimal,
    ) -> PayRequestBuilder {
        PayRequestBuilder::new(service_id.into(), None, amount, phone.into())
    }

    /// A fixed purchase: `plan_value` sent in the form field `plan_field` (the plans answer's
    /// `PlanName`), for `amount` (the plan's price).
    pub fn fixed(
        service_id: impl Into<String>,
        plan_field: impl Into<String>,
        plan_value: impl Into<String>,
        amount: Decimal,
        phone: impl Into<String>,
    ) -> PayRequestBuilder {
        PayRequestBuilder::new(
            service_id.into(),
            Some((plan_field.into(), plan_value.into())),
            amount,
            phone.into(),
        )
    }

    /// A fixed purchase of one plan of a plans (or variation) answer: the plan's `value` in
    /// the field named by `PlanName`, for the plan's price.
    ///
    /// The doc is not consistent here: its variation example for GoTV names `PlanName`
    /// `gotv-plan`, while its GoTV purchase example sends the plan as `plan`. The newer doc
    /// says `PlanName` is the field (`plan`, `variation_code`). Where GSUBZ answers a
    /// `PlanName` that is not a field name, use [`PayRequest::fixed`] with `plan`.
    pub fn for_plan(
        service_id: impl Into<String>,
        plans: &Plans,
        plan: &Plan,
        phone: impl Into<String>,
    ) -> PayRequestBuilder {
        PayRequest::fixed(
            service_id,
            plans.plan_name.clone(),
            plan.value.as_str(),
            plan.price.value(),
            phone,
        )
    }

    /// The `requestID`: store it before sending.
    pub fn request_id(&self) -> &RequestId {
        &self.request_id
    }

    /// The `serviceID`.
    pub fn service_id(&self) -> &str {
        &self.service_id
    }

    /// The amount.
    pub fn amount(&self) -> Decimal {
        self.amount.value()
    }

    /// The phone number.
    pub fn phone(&self) -> &str {
        &self.phone
    }

    /// The `customerID` (smartcard or meter number), if any.
    pub fn customer_id(&self) -> Option<&str> {
        self.customer_id.as_deref()
    }

    /// The plan as `(form field, value)`, for a fixed purchase.
    pub fn plan(&self) -> Option<(&str, &str)> {
        self.plan.as_ref().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// Whether this is a fixed (plan-based) purchase.
    pub fn is_fixed(&self) -> bool {
        self.plan.is_some()
    }

    /// The form fields in the order they are sent, every value as text: `serviceID`, the
    /// plan field, `amount`, `customerID`, `phone`, `email`, `requestID`, then any extra
    /// fields. Fields without a value are left out.
    pub fn form_fields(&self) -> Vec<(&str, String)> {
        let mut out = vec![(SERVICE_ID, self.service_id.clone())];
        if let Some((k, v)) = &self.plan {
            out.push((k.as_str(), v.clone()));
        }
        out.push((AMOUNT, amount_text(&self.amount)));
        if let Some(c) = &self.customer_id {
            out.push((CUSTOMER_ID, c.clone()));
        }
        out.push((PHONE, self.phone.clone()));
        if let Some(e) = &self.email {
            out.push((EMAIL, e.clone()));
        }
        out.push((REQUEST_ID, self.request_id.as_str().to_owned()));
        for (k, v) in &self.extra {
            out.push((k.as_str(), v.clone()));
        }
        out
    }

    /// The value this request sends in the form field `name`, if any (used to check a
    /// request against a service's [`Field`](super::Field)s). The documented names are
    /// matched without regard to case (`Phone`, `phone`); the plan and extra fields exactly.
    pub fn field_value(&self, name: &str) -> Option<String> {
        if let Some((k, v)) = &self.plan
            && k == name
        {
            return Some(v.clone());
        }
        if let Some((_, v)) = self.extra.iter().find(|(k, _)| k == name) {
            return Some(v.clone());
        }
        self.form_fields()
            .into_iter()
            .find(|(k, _)| RESERVED.contains(k) && k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    }
}

fn amount_text(amount: &WireDecimal) -> String {
    // `WireDecimal::text` keeps the text it was built from; serialize gives exactly it.
    match serde_json::to_value(amount) {
        Ok(Value::String(s)) => s,
        _ => amount.value().to_string(),
    }
}

/// Builds a [`PayRequest`], checking every value in [`build`](PayRequestBuilder::build).
#[derive(Clone, Debug)]
#[must_use = "call .build() to get the request"]
pub struct PayRequestBuilder {
    service_id: String,
    plan: Option<(String, String)>,
    amount: Decimal,
    customer_id: Option<String>,
    phone: String,
    email: Option<String>,
    request_id: Option<RequestId>,
    extra: Vec<(String, String)>,
}

impl PayRequestBuilder {
    fn new(
        service_id: String,
        plan: Option<(String, String)>,
        amount: Decimal,
        phone: String,
    ) -> Self {
        Self {
            service_id,
            plan,
            amount,
            customer_id: None,
            phone,
            email: None,
            request_id: None,
            extra: Vec::new(),
        }
    }

    /// The `customerID`: the smartcard (TV) or meter (electricity) number.
    pub fn customer_id(mut self, customer_id: impl Into<String>) -> Self {
        self.customer_id = Some(customer_id.into());
        self
    }

    /// The optional `email`.
    pub fn email(mut self, email: impl Into<String>) -> Self {
        self.email = Some(email.into());
        self
    }

    /// Uses the caller's `requestID` instead of a generated one (for instance to send again a
    /// request that was not sent).
    pub fn request_id(mut self, request_id: RequestId) -> Self {
        self.request_id = Some(request_id);
        self
    }

    /// Adds a field a service lists beyond the documented ones (its [`Field`](super::Field)
    /// `name` and the value).
    pub fn field(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.extra.push((name.into(), value.into()));
        self
    }

    /// Checks every value and builds the request; generates the `requestID` if none was
    /// given.
    ///
    /// Rejected, before anything is sent: an empty or spaced `serviceID`; an amount that is
    /// not positive or has more than two decimals; a phone number that is not 11 digits
    /// starting with 0 or 10 digits (GSUBZ wants it without country code, so `+234…` and
    /// `234…` are rejected); an email without `@`; an empty `customerID`, plan or extra field;
    /// a plan or extra field named like a documented field or `api`.
    pub fn build(self) -> Result<PayRequest> {
        token(SERVICE_ID, &self.service_id)?;
        let amount = self.amount.normalize();
        if amount <= Decimal::ZERO {
            return Err(Error::input(AMOUNT, format!("{} is not a positive amount", self.amount)));
        }
        if amount.scale() > 2 {
            return Err(Error::input(
                AMOUNT,
                format!("{} has more than two decimals", self.amount),
            ));
        }
        check_phone(&self.phone)?;
        if let Some(e) = &self.email {
            check_email(e)?;
        }
        if let Some(c) = &self.customer_id {
            token(CUSTOMER_ID, c)?;
        }
        if let Some((k, v)) = &self.plan {
            field_name(k)?;
            token(k, v)?;
        }
        for (k, v) in &self.extra {
            field_name(k)?;
            if self.plan.as_ref().is_some_and(|(p, _)| p == k)
                || self.extra.iter().filter(|(o, _)| o == k).count() > 1
            {
                return Err(Error::input(k.clone(), "is given twice"));
            }
            if v.is_empty() {
                return Err(Error::input(k.clone(), "is empty"));
            }
            if v.chars().any(char::is_control) {
                return Err(Error::input(k.clone(), "contains control characters"));
            }
        }
        Ok(PayRequest {
            service_id: self.service_id,
            plan: self.plan,
            amount: WireDecimal::text(amount),
            customer_id: self.customer_id,
            phone: self.phone,
            email: self.email,
            request_id: self.request_id.unwrap_or_else(RequestId::generate),
            extra: self.extra,
        })
    }
}

/// A non-empty value without white space or control characters, at most 100 characters.
fn token(field: &str, value: &str) -> Result<()> {
    if value.is_empty() {
        return Err(Error::input(field, "is empty"));
    }
    if value.len() > 100 || value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(Error::input(field, format!("{value:?} is not a valid identifier")));
    }
    Ok(())
}

fn field_name(name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'));
    if !ok {
        return Err(Error::input(name, "is not a valid form field name"));
    }
    if RESERVED.iter().any(|r| r.eq_ignore_ascii_case(name)) {
        return Err(Error::input(name, "is a documented field and cannot be set this way"));
    }
    Ok(())
}

fn check_phone(phone: &str) -> Result<()> {
    let digits = phone.bytes().all(|b| b.is_ascii_digit());
    let ok = digits
        && ((phone.len() == 11 && phone.starts_with('0'))
            || (phone.len() == 10 && !phone.starts_with('0')));
    if ok {
        return Ok(());
    }
    let reason = if phone.starts_with('+') || (digits && phone.starts_with("234")) {
        format!("{phone:?} has a country code; GSUBZ wants the local number (0803…)")
    } else {
        format!("{phone:?} is not a Nigerian phone number (11 digits starting with 0)")
    };
    Err(Error::input(PHONE, reason))
}

fn check_email(email: &str) -> Result<()> {
    let ok = match email.split_once('@') {
        Some((user, host)) => {
            !user.is_empty()
                && host.contains('.')
                && !host.contains('@')
                && !email.chars().any(|c| c.is_whitespace() || c.is_control())
        }
        None => false,
    };
    if ok { Ok(()) } else { Err(Error::input(EMAIL, format!("{email:?} is not an email address"))) }
}

impl Serialize for PayRequest {
    /// The JSON object of the form fields, every value a string.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let fields = self.form_fields();
        let mut map = serializer.serialize_map(Some(fields.len()))?;
        for (k, v) in &fields {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for PayRequest {
    /// Reads the JSON object of the form fields and checks it as [`PayRequestBuilder::build`]
    /// does. `plan` and `variation_code` are read as the plan field; any other unknown name
    /// is kept as an extra field.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct FormVisitor;
        impl<'de> Visitor<'de> for FormVisitor {
            type Value = PayRequest;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of purchase form fields")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<PayRequest, A::Error> {
                let mut fields: Vec<(String, String)> = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, WireText>()? {
                    fields.push((k, v.as_str().to_owned()));
                }
                let take = |fields: &mut Vec<(String, String)>, name: &str| {
                    fields.iter().position(|(k, _)| k == name).map(|i| fields.remove(i).1)
                };
                let service_id = take(&mut fields, SERVICE_ID)
                    .ok_or_else(|| de::Error::missing_field("serviceID"))?;
                let amount =
                    take(&mut fields, AMOUNT).ok_or_else(|| de::Error::missing_field("amount"))?;
                let phone =
                    take(&mut fields, PHONE).ok_or_else(|| de::Error::missing_field("phone"))?;
                let request_id = take(&mut fields, REQUEST_ID)
                    .ok_or_else(|| de::Error::missing_field("requestID"))?;
                let amount_value = vas_common::decimal::parse_exact(&amount)
                    .ok_or_else(|| de::Error::custom(format!("{amount:?} is not an amount")))?;
                let mut plan = None;
                for name in KNOWN_PLAN_FIELDS {
                    if let Some(v) = take(&mut fields, name) {
                        plan = Some(((*name).to_owned(), v));
                        break;
                    }
                }
                let mut b = PayRequestBuilder::new(service_id, plan, amount_value, phone)
                    .request_id(RequestId::parse(&request_id).map_err(de::Error::custom)?);
                if let Some(c) = take(&mut fields, CUSTOMER_ID) {
                    b = b.customer_id(c);
                }
                if let Some(e) = take(&mut fields, EMAIL) {
                    b = b.email(e);
                }
                for (k, v) in fields {
                    b = b.field(k, v);
                }
                let mut request = b.build().map_err(de::Error::custom)?;
                // Keep the amount's text as sent ("1900.00" stays "1900.00").
                request.amount =
                    WireDecimal::deserialize(Value::String(amount)).map_err(de::Error::custom)?;
                Ok(request)
            }
        }
        deserializer.deserialize_map(FormVisitor)
    }
}

/// The status query (`POST verify`, requery by `requestID`).
///
/// The client adds the API key as the form field `api`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerifyRequest {
    /// The purchase's `requestID`.
    #[serde(rename = "requestID")]
    pub request_id: RequestId,
}

impl VerifyRequest {
    /// The status query for `request_id`.
    pub fn new(request_id: RequestId) -> Self {
        Self { request_id }
    }

    /// The form fields, every value as text.
    pub fn form_fields(&self) -> Vec<(&str, String)> {
        vec![(REQUEST_ID, self.request_id.as_str().to_owned())]
    }
}

/// The answer to a purchase (`pay`) and to a status query (`verify`).
///
/// Both documented shapes decode into it:
/// - the excerpt's: `code`, `status`, `description`, and the transaction nested in `content`,
///   with a `gateway` block;
/// - the newer doc's flat one: `code`, `status` and the transaction's fields at the top level
///   (`transactionID`, `amount`, `amountPaid`, `initialBalance`, `finalBalance`, `date`,
///   `api_response`).
///
/// `code` is a number in one and a string in the other (`200`, `"200"`); each is written back
/// as it came. Fields this crate does not know are kept in `other`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PayResponse {
    /// The response code (see [`ResponseCode`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<WireText>,
    /// The transaction's status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<TransactionStatus>,
    /// A description (`TRANSACTION_SUCCESSFUL`, `INSUFFICIENT_BALANCE`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The transaction (excerpt shape).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<PayContent>,
    /// Where the request came from, as GSUBZ saw it (excerpt shape).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gateway: Option<Gateway>,
    /// GSUBZ's transaction id (flat shape).
    #[serde(rename = "transactionID", default, skip_serializing_if = "Option::is_none")]
    pub transaction_id: Option<WireText>,
    /// The caller's `requestID` (flat shape).
    #[serde(rename = "requestID", default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<WireText>,
    /// The amount (flat shape).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<WireDecimal>,
    /// The phone number (flat shape).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<WireText>,
    /// The `serviceID` (flat shape).
    #[serde(rename = "serviceID", default, skip_serializing_if = "Option::is_none")]
    pub service_id: Option<String>,
    /// What the account was charged (flat shape).
    #[serde(rename = "amountPaid", default, skip_serializing_if = "Option::is_none")]
    pub amount_paid: Option<WireDecimal>,
    /// The account balance before (flat shape).
    #[serde(rename = "initialBalance", default, skip_serializing_if = "Option::is_none")]
    pub initial_balance: Option<WireDecimal>,
    /// The account balance after (flat shape).
    #[serde(rename = "finalBalance", default, skip_serializing_if = "Option::is_none")]
    pub final_balance: Option<WireDecimal>,
    /// The date (flat shape).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<WireText>,
    /// The provider's own answer (flat shape), as sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_response: Option<Value>,
    /// Fields this crate does not know, kept as sent.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

impl PayResponse {
    /// The top-level response code.
    pub fn response_code(&self) -> Option<ResponseCode> {
        self.code.as_ref().map(ResponseCode::from)
    }

    /// The transaction's status: the top-level one, else the one in `content`.
    pub fn transaction_status(&self) -> Option<&TransactionStatus> {
        self.status.as_ref().or_else(|| self.content.as_ref().and_then(|c| c.status.as_ref()))
    }

    /// GSUBZ's transaction id, from either shape.
    pub fn transaction_id(&self) -> Option<&str> {
        self.transaction_id
            .as_ref()
            .or_else(|| self.content.as_ref().and_then(|c| c.transaction_id.as_ref()))
            .map(WireText::as_str)
            .filter(|s| !s.is_empty())
    }

    /// The `requestID` the answer names, from either shape.
    pub fn answered_request_id(&self) -> Option<&str> {
        self.request_id
            .as_ref()
            .or_else(|| self.content.as_ref().and_then(|c| c.request_id.as_ref()))
            .map(WireText::as_str)
            .filter(|s| !s.is_empty())
    }

    /// The amount, from either shape.
    pub fn amount(&self) -> Option<Decimal> {
        self.amount
            .as_ref()
            .or_else(|| self.content.as_ref().and_then(|c| c.amount.as_ref()))
            .map(WireDecimal::value)
    }
}

/// The transaction, as nested in `content` (excerpt shape). Every field is optional: GSUBZ
/// leaves blank what does not apply to the service.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PayContent {
    /// GSUBZ's transaction id.
    #[serde(rename = "transactionID", default, skip_serializing_if = "Option::is_none")]
    pub transaction_id: Option<WireText>,
    /// The caller's `requestID`.
    #[serde(rename = "requestID", default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<WireText>,
    /// The amount.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<WireDecimal>,
    /// The phone number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<WireText>,
    /// The `serviceID`.
    #[serde(rename = "serviceID", default, skip_serializing_if = "Option::is_none")]
    pub service_id: Option<String>,
    /// The email.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// The smartcard or meter number, empty when not applicable.
    #[serde(rename = "customerID", default, skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<WireText>,
    /// The plan, empty when not applicable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan: Option<WireText>,
    /// The product's image URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    /// The convenience fee (`convinience_fee`, as GSUBZ spells it).
    #[serde(rename = "convinience_fee", default, skip_serializing_if = "Option::is_none")]
    pub convenience_fee: Option<WireDecimal>,
    /// `flexible` or `fix`.
    #[serde(rename = "productType", default, skip_serializing_if = "Option::is_none")]
    pub product_type: Option<ProductType>,
    /// The service's name (`MTN Airtime VTU`).
    #[serde(rename = "serviceName", default, skip_serializing_if = "Option::is_none")]
    pub service_name: Option<String>,
    /// The transaction's status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<TransactionStatus>,
    /// The processor's code (`000` success, `016` insufficient balance).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<WireText>,
    /// A description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The date (`2019-03-22T11:16:05+01:00`), as sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<WireText>,
    /// Fields this crate does not know, kept as sent.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// The `gateway` block of the excerpt's answer.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Gateway {
    /// The referring page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referrer: Option<String>,
    /// The host.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    /// The caller's IP address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip: Option<String>,
    /// Fields this crate does not know, kept as sent.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field_of(result: Result<PayRequest>) -> String {
        match result {
            Err(Error::InvalidInput { field, .. }) => field,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn every_bad_value_is_rejected_naming_its_field() {
        let airtime = || PayRequest::flexible("mtn", "07031234567", Decimal::from(100));
        assert_eq!(field_of(airtime().field("Date", "").build()), "Date");
        assert_eq!(field_of(airtime().field("Date", "a\nb").build()), "Date");
        assert_eq!(field_of(airtime().field("api", "x").build()), "api");
        assert_eq!(field_of(airtime().email("no-at-sign").build()), "email");
        assert_eq!(field_of(airtime().customer_id("").build()), "customerID");
        assert_eq!(
            field_of(PayRequest::flexible("mtn", "+2347031234567", Decimal::ONE).build()),
            "phone"
        );
        assert_eq!(
            field_of(PayRequest::flexible("mtn", "07031234567", Decimal::new(-1, 0)).build()),
            "amount"
        );
        assert_eq!(
            field_of(PayRequest::flexible("", "07031234567", Decimal::ONE).build()),
            "serviceID"
        );
        assert!(airtime().field("Date", "2024-01-01").build().is_ok());
    }
}
