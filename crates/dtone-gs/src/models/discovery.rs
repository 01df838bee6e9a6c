//! `ping`, `services`, `countries`, `operators` and `countries/{id}/services`.
//!
//! These shapes come from public client code rather than the excerpt of the vendor's
//! documentation, so every field but the id is optional and unknown fields are kept.

use serde::{Deserialize, Serialize};

use super::Extra;

/// `GET ping`: `{"status":"up"}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Ping {
    /// `up` when the API is available.
    pub status: String,
    /// Any other field, kept as sent.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Ping {
    /// Whether the status is `up`.
    pub fn is_up(&self) -> bool {
        self.status.eq_ignore_ascii_case("up")
    }
}

/// A service (`television`, `mobile`, …).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Service {
    /// The service id.
    #[serde(with = "super::id")]
    pub service_id: u64,
    /// The service's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    /// Any other field, kept as sent.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `GET services` and `GET countries/{country_id}/services`: `{"services":[…]}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServiceList {
    /// The services.
    #[serde(default)]
    pub services: Vec<Service>,
    /// Any other field (the country, for a country's services), kept as sent.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A country.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Country {
    /// The country id (DT One's own numbering, e.g. 756 for Guatemala).
    #[serde(with = "super::id")]
    pub country_id: u64,
    /// The country's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Any other field, kept as sent.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `GET countries`: `{"countries":[…]}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CountryList {
    /// The countries.
    #[serde(default)]
    pub countries: Vec<Country>,
    /// Any other field, kept as sent.
    #[serde(flatten)]
    pub extra: Extra,
}

/// An operator.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Operator {
    /// The operator id.
    #[serde(with = "super::id")]
    pub operator_id: u64,
    /// The operator's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operator: Option<String>,
    /// The operator's country id.
    #[serde(default, with = "super::id::opt", skip_serializing_if = "Option::is_none")]
    pub country_id: Option<u64>,
    /// The operator's country.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Any other field, kept as sent.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `GET operators`: `{"operators":[…]}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OperatorList {
    /// The operators.
    #[serde(default)]
    pub operators: Vec<Operator>,
    /// Any other field, kept as sent.
    #[serde(flatten)]
    pub extra: Extra,
}
