//! `POST merchant-verify`: check a smartcard, meter or account before paying.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use vas_common::{WireDecimal, WireText};

use super::wire::Extra;
use crate::codes::ResponseCode;
use crate::error::{Error, Result};
use crate::service::ServiceId;

/// `type` of an electricity meter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MeterType {
    /// `prepaid`.
    Prepaid,
    /// `postpaid`.
    Postpaid,
}

/// The body of `POST merchant-verify`: `{billersCode, serviceID, type}`.
///
/// ```
/// use vtpass_client::{MeterType, ServiceId, VerifyRequest};
///
/// let smartcard = VerifyRequest::new(ServiceId::DSTV, "1212121212").unwrap();
/// let meter = VerifyRequest::new(ServiceId::IKEJA_ELECTRIC, "1111111111111")
///     .unwrap()
///     .meter_type(MeterType::Prepaid);
/// assert_eq!(serde_json::to_value(&meter).unwrap()["type"], "prepaid");
/// assert!(VerifyRequest::new(ServiceId::DSTV, " ").is_err());
/// # let _ = smartcard;
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct VerifyRequest {
    #[serde(rename = "billersCode")]
    billers_code: String,
    #[serde(rename = "serviceID")]
    service_id: ServiceId,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    meter_type: Option<MeterType>,
}

impl VerifyRequest {
    /// Verifies `billers_code` (smartcard, meter or account number) for `service_id`.
    pub fn new(service_id: ServiceId, billers_code: impl Into<String>) -> Result<Self> {
        let req = Self { billers_code: billers_code.into(), service_id, meter_type: None };
        req.validate()?;
        Ok(req)
    }

    /// The meter type (electricity services).
    #[must_use]
    pub fn meter_type(mut self, kind: MeterType) -> Self {
        self.meter_type = Some(kind);
        self
    }

    /// `billersCode`.
    pub fn billers_code(&self) -> &str {
        &self.billers_code
    }

    /// `serviceID`.
    pub fn service_id(&self) -> &ServiceId {
        &self.service_id
    }

    /// Checks every field; [`crate::Client::merchant_verify`] calls this before sending.
    pub fn validate(&self) -> Result<()> {
        ServiceId::check(self.service_id.as_str())?;
        let b = self.billers_code.trim();
        if b.is_empty() {
            return Err(Error::invalid("billersCode", "must not be empty"));
        }
        if b.len() > 64 || b.chars().any(char::is_control) {
            return Err(Error::invalid("billersCode", "must be at most 64 printable characters"));
        }
        Ok(())
    }
}

/// The answer of `POST merchant-verify`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VerifyResponse {
    /// `code` (`000` when the request was processed; the customer may still be unknown).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<WireText>,
    /// `response_description`, when present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_description: Option<String>,
    /// `content`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<VerifyContent>,
    /// Fields not named above.
    #[serde(flatten)]
    pub extra: Extra,
}

impl VerifyResponse {
    /// The response code.
    pub fn response_code(&self) -> Option<ResponseCode> {
        self.code.as_ref().map(ResponseCode::from_wire)
    }

    /// Why the number was not accepted: `content.error`, or a note when `WrongBillersCode`
    /// is true. `None` when the customer was found.
    pub fn error_message(&self) -> Option<String> {
        let c = self.content.as_ref()?;
        if let Some(e) = c.error.as_ref().filter(|e| !e.trim().is_empty()) {
            return Some(e.clone());
        }
        match &c.wrong_billers_code {
            Some(Value::Bool(true)) => Some("wrong billers code".to_owned()),
            Some(Value::String(s)) if !s.is_empty() && s != "false" => Some(s.clone()),
            _ => None,
        }
    }

    /// Whether the customer was found (a name and no error).
    pub fn is_valid(&self) -> bool {
        self.error_message().is_none()
            && self.content.as_ref().is_some_and(|c| c.customer_name.is_some())
    }

    /// `content.Customer_Name`.
    pub fn customer_name(&self) -> Option<&str> {
        self.content.as_ref().and_then(|c| c.customer_name.as_deref())
    }
}

/// `content` of a merchant-verify answer. Fields differ by service; the common ones are
/// named, the rest kept in `extra`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VerifyContent {
    /// `Customer_Name`.
    #[serde(rename = "Customer_Name", default, skip_serializing_if = "Option::is_none")]
    pub customer_name: Option<String>,
    /// `Address` (electricity).
    #[serde(rename = "Address", default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// `Meter_Number` (electricity).
    #[serde(rename = "Meter_Number", default, skip_serializing_if = "Option::is_none")]
    pub meter_number: Option<WireText>,
    /// `Customer_Number` (TV).
    #[serde(rename = "Customer_Number", default, skip_serializing_if = "Option::is_none")]
    pub customer_number: Option<WireText>,
    /// `Customer_Type`, e.g. `PRIME` or `MD1`.
    #[serde(rename = "Customer_Type", default, skip_serializing_if = "Option::is_none")]
    pub customer_type: Option<String>,
    /// `Status` (TV).
    #[serde(rename = "Status", default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// `Due_Date` (TV).
    #[serde(rename = "Due_Date", default, skip_serializing_if = "Option::is_none")]
    pub due_date: Option<String>,
    /// `Current_Bouquet` (TV).
    #[serde(rename = "Current_Bouquet", default, skip_serializing_if = "Option::is_none")]
    pub current_bouquet: Option<String>,
    /// `Renewal_Amount` (TV).
    #[serde(rename = "Renewal_Amount", default, skip_serializing_if = "Option::is_none")]
    pub renewal_amount: Option<WireDecimal>,
    /// `Minimum_Amount` (electricity), when sent.
    #[serde(rename = "Minimum_Amount", default, skip_serializing_if = "Option::is_none")]
    pub minimum_amount: Option<WireDecimal>,
    /// `error`: why the number was not accepted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// `WrongBillersCode`: `true` when the number is not known.
    #[serde(rename = "WrongBillersCode", default, skip_serializing_if = "Option::is_none")]
    pub wrong_billers_code: Option<Value>,
    /// Fields not named above.
    #[serde(flatten)]
    pub extra: Extra,
}
