//! Catalog reads: service variations, categories, services, options and the wallet balance.

use serde::{Deserialize, Serialize};
use vas_common::{WireDecimal, WireText};

use super::wire::Extra;
use crate::codes::ResponseCode;

/// The answer of `GET service-variations?serviceID=…`.
///
/// Catalog answers carry `"response_description": "000"` and usually no `code`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServiceVariationsResponse {
    /// `code`, when present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<WireText>,
    /// `response_description` (`"000"` on success).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_description: Option<String>,
    /// `content`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<VariationsContent>,
    /// Fields not named above.
    #[serde(flatten)]
    pub extra: Extra,
}

impl ServiceVariationsResponse {
    /// The plans: `variations`, or `varations` when only that key is present; empty when
    /// neither is.
    pub fn variations(&self) -> &[Variation] {
        self.content.as_ref().map(VariationsContent::variations).unwrap_or_default()
    }
}

/// `content` of a service-variations answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VariationsContent {
    /// `ServiceName`.
    #[serde(rename = "ServiceName", default, skip_serializing_if = "Option::is_none")]
    pub service_name: Option<String>,
    /// `serviceID`.
    #[serde(rename = "serviceID", default, skip_serializing_if = "Option::is_none")]
    pub service_id: Option<String>,
    /// `convinience_fee` (wire spelling), e.g. `"0 %"`.
    #[serde(rename = "convinience_fee", default, skip_serializing_if = "Option::is_none")]
    pub convenience_fee: Option<WireText>,
    /// `variations` (one spelling).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variations: Option<Vec<Variation>>,
    /// `varations` (the other spelling; some answers carry both).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub varations: Option<Vec<Variation>>,
    /// Fields not named above.
    #[serde(flatten)]
    pub extra: Extra,
}

impl VariationsContent {
    /// `variations` when present and not empty, else `varations`, else nothing.
    pub fn variations(&self) -> &[Variation] {
        match (&self.variations, &self.varations) {
            (Some(v), _) if !v.is_empty() => v,
            (_, Some(v)) => v,
            (Some(v), None) => v,
            (None, None) => &[],
        }
    }
}

/// One plan of a service.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Variation {
    /// `variation_code`: what to send in a payment.
    pub variation_code: String,
    /// `name`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `variation_amount`: a number in some answers, a string `"100.00"` in others.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variation_amount: Option<WireDecimal>,
    /// `fixedPrice`: `"Yes"` or `"No"`.
    #[serde(rename = "fixedPrice", default, skip_serializing_if = "Option::is_none")]
    pub fixed_price: Option<String>,
    /// Fields not named above.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Variation {
    /// Whether the price is fixed by the plan (`fixedPrice` is `Yes`).
    pub fn is_fixed_price(&self) -> bool {
        self.fixed_price.as_deref().is_some_and(|s| s.eq_ignore_ascii_case("yes"))
    }
}

/// The answer of `GET service-categories`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServiceCategoriesResponse {
    /// `code`, when present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<WireText>,
    /// `response_description` (`"000"` on success).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_description: Option<String>,
    /// `content`: the categories.
    #[serde(default)]
    pub content: Vec<ServiceCategory>,
    /// Fields not named above.
    #[serde(flatten)]
    pub extra: Extra,
}

/// One category (`airtime`, `data`, `tv-subscription`, `electricity-bill`, …).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServiceCategory {
    /// `identifier`: what to pass to [`crate::Client::services`].
    pub identifier: String,
    /// `name`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Fields not named above.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The answer of `GET services?identifier=…`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServicesResponse {
    /// `code`, when present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<WireText>,
    /// `response_description` (`"000"` on success).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_description: Option<String>,
    /// `content`: the services.
    #[serde(default)]
    pub content: Vec<ServiceInfo>,
    /// Fields not named above.
    #[serde(flatten)]
    pub extra: Extra,
}

/// One service of a category.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServiceInfo {
    /// `serviceID`.
    #[serde(rename = "serviceID")]
    pub service_id: String,
    /// `name`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `minimium_amount` (wire spelling).
    #[serde(rename = "minimium_amount", default, skip_serializing_if = "Option::is_none")]
    pub minimum_amount: Option<WireDecimal>,
    /// `maximum_amount`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maximum_amount: Option<WireDecimal>,
    /// `convinience_fee` (wire spelling).
    #[serde(rename = "convinience_fee", default, skip_serializing_if = "Option::is_none")]
    pub convenience_fee: Option<WireText>,
    /// `product_type` (`fix` or `flexible`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_type: Option<String>,
    /// `image`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    /// Fields not named above.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The answer of `GET options?serviceID=…&name=…`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OptionsResponse {
    /// `code`, when present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<WireText>,
    /// `response_description` (`"000"` on success).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_description: Option<String>,
    /// `content`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<OptionsContent>,
    /// Fields not named above.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `content` of an options answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OptionsContent {
    /// `ServiceName`.
    #[serde(rename = "ServiceName", default, skip_serializing_if = "Option::is_none")]
    pub service_name: Option<String>,
    /// `serviceID`.
    #[serde(rename = "serviceID", default, skip_serializing_if = "Option::is_none")]
    pub service_id: Option<String>,
    /// `optionName`.
    #[serde(rename = "optionName", default, skip_serializing_if = "Option::is_none")]
    pub option_name: Option<String>,
    /// `optionType`.
    #[serde(rename = "optionType", default, skip_serializing_if = "Option::is_none")]
    pub option_type: Option<String>,
    /// `optionLabel`.
    #[serde(rename = "optionLabel", default, skip_serializing_if = "Option::is_none")]
    pub option_label: Option<String>,
    /// `options`: a list or a map, depending on the service; kept as received.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub options: Option<serde_json::Value>,
    /// Fields not named above.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The answer of `GET balance`: the payload is under `contents` (and `content` is accepted).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BalanceResponse {
    /// `code` (`1` on success in the answers seen).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<WireText>,
    /// `response_description`, when present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_description: Option<String>,
    /// `contents`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contents: Option<Balance>,
    /// `content` (the other spelling).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<Balance>,
    /// Fields not named above.
    #[serde(flatten)]
    pub extra: Extra,
}

impl BalanceResponse {
    /// The wallet balance, from `contents` or `content`.
    pub fn balance(&self) -> Option<rust_decimal::Decimal> {
        self.contents.as_ref().or(self.content.as_ref()).map(|b| b.balance.value())
    }
}

/// The wallet balance.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Balance {
    /// `balance`.
    pub balance: WireDecimal,
    /// Fields not named above.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The code a read answered with: `code` when present, otherwise a `response_description`
/// that is a three-digit code. `None` when the answer carries neither.
pub(crate) fn read_code(
    code: Option<&WireText>,
    description: Option<&str>,
) -> Option<ResponseCode> {
    if let Some(c) = code {
        return Some(ResponseCode::from_wire(c));
    }
    let d = description?.trim();
    (d.len() == 3 && d.bytes().all(|b| b.is_ascii_digit())).then(|| ResponseCode::parse(d))
}
