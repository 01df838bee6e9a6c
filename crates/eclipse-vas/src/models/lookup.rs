use serde::{Deserialize, Serialize};

use crate::PartnerId;

/// The answer of the MSISDN network lookup (`GET vas/{msisdn}`).
///
/// The documentation shows no example of this response, only that it gives "the partner ID
/// for the provided mobile number". The body is kept as received and [`MsisdnLookup::partner_id`]
/// reads the partner id from the shapes seen in practice: an object with `partnerId`, an array
/// of such objects (the first one), or a bare number.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct MsisdnLookup(pub serde_json::Value);

impl MsisdnLookup {
    /// The network partner id of the number (e.g. [`PartnerId::MTN`] or
    /// [`PartnerId::VODACOM`]), when the response names one.
    pub fn partner_id(&self) -> Option<PartnerId> {
        fn from_value(v: &serde_json::Value) -> Option<PartnerId> {
            match v {
                serde_json::Value::Number(n) => {
                    n.as_u64().and_then(|n| u32::try_from(n).ok()).map(PartnerId)
                }
                serde_json::Value::String(s) => s.trim().parse().ok().map(PartnerId),
                serde_json::Value::Object(o) => o.get("partnerId").and_then(from_value),
                serde_json::Value::Array(a) => a.first().and_then(from_value),
                _ => None,
            }
        }
        from_value(&self.0)
    }

    /// The network name (`partnerName`), when the response has one.
    pub fn partner_name(&self) -> Option<&str> {
        let obj = match &self.0 {
            serde_json::Value::Array(a) => a.first()?,
            other => other,
        };
        obj.get("partnerName")?.as_str()
    }
}
