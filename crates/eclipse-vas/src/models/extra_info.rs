use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::Extra;

/// The `extraInfo` of a payment: a JSON object written inside a JSON string.
///
/// The string is kept exactly as received (re-encoding writes it back unchanged); when it holds
/// a JSON object, the object is decoded too, and the Diamond Trust Bank fields are available
/// typed through [`ExtraInfo::dtb`].
///
/// ```
/// use eclipse_vas::models::ExtraInfo;
///
/// let info = ExtraInfo::parse(r#"{"dtbCallingCustomerId":723689,"dtbSourceCountryCode":"UG"}"#);
/// let dtb = info.dtb().unwrap();
/// assert_eq!(dtb.source_country_code.as_deref(), Some("UG"));
/// assert_eq!(dtb.calling_customer_id, Some(723689));
/// assert_eq!(dtb.to_json_string().unwrap(), info.raw());
/// ```
#[derive(Clone, PartialEq)]
pub struct ExtraInfo {
    raw: String,
    object: Option<Extra>,
    dtb: Option<DtbExtraInfo>,
}

impl ExtraInfo {
    /// Decodes the text of an `extraInfo` string.
    pub fn parse(raw: impl Into<String>) -> Self {
        let raw = raw.into();
        let object: Option<Extra> = serde_json::from_str(&raw).ok();
        let dtb = object.as_ref().and_then(|o| {
            if o.keys().any(|k| k.starts_with("dtb")) {
                serde_json::from_value(serde_json::Value::Object(o.0.clone())).ok()
            } else {
                None
            }
        });
        Self { raw, object, dtb }
    }

    /// The string exactly as received.
    pub fn raw(&self) -> &str {
        &self.raw
    }

    /// The decoded object, when the string holds a JSON object.
    pub fn object(&self) -> Option<&Extra> {
        self.object.as_ref()
    }

    /// The Diamond Trust Bank details, when the object has `dtb…` fields.
    pub fn dtb(&self) -> Option<&DtbExtraInfo> {
        self.dtb.as_ref()
    }
}

impl fmt::Debug for ExtraInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.dtb, &self.object) {
            (Some(dtb), _) => f.debug_tuple("ExtraInfo::Dtb").field(dtb).finish(),
            (None, Some(obj)) => f.debug_tuple("ExtraInfo::Object").field(obj).finish(),
            (None, None) => f
                .debug_tuple("ExtraInfo::Text")
                .field(&crate::error::redacted_body(&self.raw))
                .finish(),
        }
    }
}

impl Serialize for ExtraInfo {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.raw)
    }
}

impl<'de> Deserialize<'de> for ExtraInfo {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self::parse)
    }
}

/// The Diamond Trust Bank details in a payment's `extraInfo` (Kenya and Uganda).
///
/// Fields are declared in the order the vendor writes them, so that
/// [`DtbExtraInfo::to_json_string`] gives back the documented strings byte for byte.
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct DtbExtraInfo {
    /// `dtbCallingCustomerCif`: the calling customer's CIF (a UUID in the examples).
    #[serde(rename = "dtbCallingCustomerCif", default, skip_serializing_if = "Option::is_none")]
    pub calling_customer_cif: Option<String>,
    /// `dtbCallingCustomerId`: the Eclipse customer id.
    #[serde(rename = "dtbCallingCustomerId", default, skip_serializing_if = "Option::is_none")]
    pub calling_customer_id: Option<u64>,
    /// `dtbCallingCustomerOrganisation`.
    #[serde(
        rename = "dtbCallingCustomerOrganisation",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub calling_customer_organisation: Option<String>,
    /// `dtbSourceAccountNumber`.
    #[serde(rename = "dtbSourceAccountNumber", default, skip_serializing_if = "Option::is_none")]
    pub source_account_number: Option<String>,
    /// `dtbSourceBranchCode`.
    #[serde(rename = "dtbSourceBranchCode", default, skip_serializing_if = "Option::is_none")]
    pub source_branch_code: Option<String>,
    /// `dtbSourceBankCode`.
    #[serde(rename = "dtbSourceBankCode", default, skip_serializing_if = "Option::is_none")]
    pub source_bank_code: Option<String>,
    /// `dtbSourceCountryCode` (`KE`, `UG`).
    #[serde(rename = "dtbSourceCountryCode", default, skip_serializing_if = "Option::is_none")]
    pub source_country_code: Option<String>,
    /// `dtbSourceCurrency` (`KES`, `UGX`).
    #[serde(rename = "dtbSourceCurrency", default, skip_serializing_if = "Option::is_none")]
    pub source_currency: Option<String>,
    /// `dtbSourceName`.
    #[serde(rename = "dtbSourceName", default, skip_serializing_if = "Option::is_none")]
    pub source_name: Option<String>,
    /// `dtbSourcePhone`.
    #[serde(rename = "dtbSourcePhone", default, skip_serializing_if = "Option::is_none")]
    pub source_phone: Option<String>,
    /// `dtbSourceType` (`DTB_WALLET`, `DTB_BANK_ACCOUNT`).
    #[serde(rename = "dtbSourceType", default, skip_serializing_if = "Option::is_none")]
    pub source_type: Option<String>,
    /// `dtbDestinationType` (`MTN_WALLET`, `UMEME_ACCOUNT`).
    #[serde(rename = "dtbDestinationType", default, skip_serializing_if = "Option::is_none")]
    pub destination_type: Option<String>,
    /// `dtbDestinationAccountNumber`.
    #[serde(
        rename = "dtbDestinationAccountNumber",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub destination_account_number: Option<String>,
    /// `dtbDestinationBankCode`.
    #[serde(rename = "dtbDestinationBankCode", default, skip_serializing_if = "Option::is_none")]
    pub destination_bank_code: Option<String>,
    /// `dtbDestinationCountryCode`.
    #[serde(
        rename = "dtbDestinationCountryCode",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub destination_country_code: Option<String>,
    /// `dtbDestinationCurrency`.
    #[serde(rename = "dtbDestinationCurrency", default, skip_serializing_if = "Option::is_none")]
    pub destination_currency: Option<String>,
    /// `dtbDestinationName`.
    #[serde(rename = "dtbDestinationName", default, skip_serializing_if = "Option::is_none")]
    pub destination_name: Option<String>,
    /// `dtbDestinationPhone`.
    #[serde(rename = "dtbDestinationPhone", default, skip_serializing_if = "Option::is_none")]
    pub destination_phone: Option<String>,
    /// Fields not named above.
    #[serde(flatten)]
    pub extra: Extra,
}

impl DtbExtraInfo {
    /// The compact JSON text of these details, as the vendor writes it into `extraInfo`.
    pub fn to_json_string(&self) -> serde_json::Result<String> {
        serde_json::to_string(self)
    }
}
