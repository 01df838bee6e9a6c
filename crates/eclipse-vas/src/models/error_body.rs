use serde::{Deserialize, Serialize};

use super::Extra;

/// One entry of the vendor's error array: every Eclipse error body is a JSON array of these.
///
/// ```
/// let body = r#"[{"type":"BUSINESS","severity":"LOW","description":"Insufficient funds","code":"WAL009","traceId":"a1","spanId":"b2"}]"#;
/// let errors: Vec<eclipse_vas::models::ApiError> = serde_json::from_str(body).unwrap();
/// assert_eq!(errors[0].code.as_deref(), Some("WAL009"));
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiError {
    /// The kind of error (`BUSINESS`, `SYSTEM`, …).
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// The severity (`LOW`, `MEDIUM`, `HIGH`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<String>,
    /// A readable description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The error code, e.g. `USR002` (bad login) or `WAL009` (insufficient funds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// The trace id, for the vendor's support.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trace_id: Option<String>,
    /// The span id, for the vendor's support.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub span_id: Option<String>,
    /// Fields not named above.
    #[serde(flatten)]
    pub extra: Extra,
}
