//! Customer verification (newer API): check a smartcard or meter number before paying.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use vas_common::WireText;

use super::codes::ResponseCode;
use crate::{Error, Result};

/// `POST verify-customer/`: `serviceID`, `billersCode` (the smartcard or meter number) and,
/// for meters, `type` (`prepaid`, `postpaid`).
///
/// The client adds the API key as the form field `api`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerifyCustomerRequest {
    /// The service (`gotv`, `ikeja-electric`).
    #[serde(rename = "serviceID")]
    pub service_id: String,
    /// The smartcard or meter number.
    #[serde(rename = "billersCode")]
    pub billers_code: String,
    /// The meter type, where the service needs one.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
}

impl VerifyCustomerRequest {
    /// A verification of `billers_code` for `service_id`; checks that both are non-empty
    /// and free of white space.
    pub fn new(service_id: impl Into<String>, billers_code: impl Into<String>) -> Result<Self> {
        let r =
            Self { service_id: service_id.into(), billers_code: billers_code.into(), kind: None };
        r.check()?;
        Ok(r)
    }

    /// Checks every value (the fields are public, so a request may be built without
    /// [`new`](VerifyCustomerRequest::new)): `serviceID`, `billersCode` and, if given, `type`
    /// must be non-empty and free of white space. The client checks before sending.
    pub fn check(&self) -> Result<()> {
        let fields =
            [("serviceID", Some(&self.service_id)), ("billersCode", Some(&self.billers_code))];
        for (field, value) in fields.into_iter().chain([("type", self.kind.as_ref())]) {
            let Some(value) = value else { continue };
            if value.is_empty() || value.chars().any(|c| c.is_whitespace() || c.is_control()) {
                return Err(Error::input(field, format!("{value:?} is not a valid identifier")));
            }
        }
        Ok(())
    }

    /// Sets the meter type (`prepaid`, `postpaid`).
    pub fn kind(mut self, kind: impl Into<String>) -> Self {
        self.kind = Some(kind.into());
        self
    }

    /// The form fields, every value as text.
    pub fn form_fields(&self) -> Vec<(&str, String)> {
        let mut out = vec![
            ("serviceID", self.service_id.clone()),
            ("billersCode", self.billers_code.clone()),
        ];
        if let Some(k) = &self.kind {
            out.push(("type", k.clone()));
        }
        out
    }
}

/// The answer of `verify-customer/`. Its shape is not documented beyond the usual `code`,
/// `status` and `description`; everything else is kept in `other` as sent, and
/// [`customer_name`](CustomerInfo::customer_name) looks for the name where GSUBZ-like APIs
/// put it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CustomerInfo {
    /// The response code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<WireText>,
    /// The status, as sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<WireText>,
    /// A description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Everything else, as sent.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

impl CustomerInfo {
    /// The response code.
    pub fn response_code(&self) -> Option<ResponseCode> {
        self.code.as_ref().map(ResponseCode::from)
    }

    /// The customer's name, if the answer carries one (`Customer_Name`, `customerName`,
    /// `customer_name` or `name`, at the top level or in `content`).
    pub fn customer_name(&self) -> Option<&str> {
        find_name(&self.other)
            .or_else(|| self.other.get("content").and_then(Value::as_object).and_then(find_name))
    }
}

fn find_name(m: &Map<String, Value>) -> Option<&str> {
    const KEYS: [&str; 4] = ["Customer_Name", "customerName", "customer_name", "name"];
    KEYS.iter().find_map(|k| m.get(*k).and_then(Value::as_str)).filter(|s| !s.is_empty())
}
