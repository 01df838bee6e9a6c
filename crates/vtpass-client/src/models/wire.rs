//! Small serde helpers shared by the models: unknown fields kept, `null` kept apart from
//! absent, secrets read from and written to the wire but never shown by `Debug`.

use std::fmt;

use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};
use vas_common::secret::REDACTED;

/// Parts of a JSON key that mark its value as a secret in `Debug` output (PINs, tokens,
/// keys).
const SENSITIVE_PARTS: &[&str] =
    &["pin", "token", "purchased_code", "password", "secret", "api-key", "apikey", "api_key"];

/// Whether a JSON key names a value that must not be printed.
pub(crate) fn is_sensitive_key(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    SENSITIVE_PARTS.iter().any(|part| k.contains(part))
}

/// Whether the value of `key` is hidden whole: a sensitive key's, or a `cards` value that is
/// not the documented list of objects (a PIN sent as text, say).
fn hides(key: &str, value: &Value) -> bool {
    if value.is_null() {
        return false;
    }
    let cards = key.eq_ignore_ascii_case("cards")
        && !value.as_array().is_some_and(|items| items.iter().all(Value::is_object));
    cards || is_sensitive_key(key)
}

/// A copy of `value` with every sensitive key's value replaced by `[REDACTED]`.
pub(crate) fn redact(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| {
                    let v =
                        if hides(k, v) { Value::String(REDACTED.to_string()) } else { redact(v) };
                    (k.clone(), v)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(redact).collect()),
        other => other.clone(),
    }
}

/// A copy of a body that is not JSON (an HTML page, a truncated answer) with the value
/// after every sensitive-looking key (`"pin": "…"`, `purchased_code=…`) replaced by
/// `[REDACTED]`. A quoted value runs to its closing quote, or to the end of a truncated
/// body; an unquoted one to the next `,`, `}`, `]`, `<`, `&` or line end.
pub(crate) fn redact_text(text: &str) -> String {
    let lower = text.to_ascii_lowercase();
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    while pos < bytes.len() {
        let hit = SENSITIVE_PARTS
            .iter()
            .filter_map(|part| lower.get(pos..)?.find(part).map(|i| (pos + i, part.len())))
            .min();
        let Some((at, len)) = hit else { break };
        // The rest of the key (`mainToken"`, `pin_code`), then `:` or `=`.
        let mut j = at + len;
        while j < bytes.len()
            && (bytes[j].is_ascii_alphanumeric() || matches!(bytes[j], b'_' | b'-' | b'"' | b'\\'))
        {
            j += 1;
        }
        while j < bytes.len() && bytes[j].is_ascii_whitespace() {
            j += 1;
        }
        if j >= bytes.len() || !matches!(bytes[j], b':' | b'=') {
            out.push_str(text.get(pos..j).unwrap_or_default());
            pos = j.max(at + len);
            continue;
        }
        j += 1;
        while j < bytes.len() && bytes[j].is_ascii_whitespace() {
            j += 1;
        }
        out.push_str(text.get(pos..j).unwrap_or_default());
        let quoted = bytes.get(j) == Some(&b'"');
        let mut end = if quoted { j + 1 } else { j };
        if quoted {
            while end < bytes.len() && bytes[end] != b'"' {
                end += if bytes[end] == b'\\' { 2 } else { 1 };
            }
            end = end.min(bytes.len());
            out.push('"');
        } else {
            while end < bytes.len()
                && !matches!(bytes[end], b',' | b'}' | b']' | b'<' | b'&' | b'\n' | b'\r')
            {
                end += 1;
            }
        }
        if end > j {
            out.push_str(REDACTED);
        }
        pos = end;
    }
    out.push_str(text.get(pos..).unwrap_or_default());
    out
}

/// Fields the models do not name, kept so that they survive a round trip.
///
/// `Debug` prints them with the values of sensitive-looking keys (`pin`, `token`, …)
/// redacted.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Extra(pub Map<String, Value>);

impl Extra {
    /// Whether no unnamed field was present.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The value of an unnamed field.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.get(key)
    }
}

impl fmt::Debug for Extra {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut m = f.debug_map();
        for (k, v) in &self.0 {
            if hides(k, v) {
                m.entry(k, &format_args!("{REDACTED}"));
            } else {
                m.entry(k, &redact(v));
            }
        }
        m.finish()
    }
}

/// `deserialize_with` for `Option<Option<T>>`: absent stays `None` (through `default`),
/// `null` becomes `Some(None)`.
pub(crate) fn nullable<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

/// `deserialize_with` for `Option<Value>`: absent stays `None`, `null` becomes
/// `Some(Value::Null)`.
pub(crate) fn present<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Value>, D::Error> {
    Value::deserialize(deserializer).map(Some)
}

/// `deserialize_with` for an `Option<String>` that may arrive as a number (an all-digit
/// `requestId`); absent stays `None` (through `default`).
pub(crate) fn text_opt<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<String>, D::Error> {
    let v = Option::<vas_common::WireText>::deserialize(deserializer)?;
    Ok(v.map(|t| t.as_str().to_owned()))
}

/// `#[serde(with = "…")]` for an `Option<SecretString>` that arrives as a string or a number.
pub(crate) mod secret_opt {
    use super::*;

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<SecretString>, D::Error> {
        let v = Option::<vas_common::WireText>::deserialize(deserializer)?;
        Ok(v.map(|t| SecretString::from(t.as_str().to_owned())))
    }

    pub(crate) fn serialize<S: Serializer>(
        value: &Option<SecretString>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(s) => serializer.serialize_str(s.expose_secret()),
            None => serializer.serialize_none(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn redacts_values_after_sensitive_keys_in_text_that_is_not_json() {
        let cut = r#"{"code":"000","purchased_code":"PIN: 08999186, S/N:81560189","cards":[{"serialNumber":"81560189","pin":"0899"#;
        let r = redact_text(cut);
        assert!(!r.contains("08999186") && !r.contains("0899\""), "{r}");
        assert!(r.contains(r#""serialNumber":"81560189""#), "{r}");
        assert!(r.starts_with(r#"{"code":"000","purchased_code":"[REDACTED]","#), "{r}");
        assert!(r.ends_with(r#""pin":"[REDACTED]"#), "{r}");
        let escaped = r#"{"mainToken" : "12\"34", "units": 5"#;
        assert_eq!(redact_text(escaped), r#"{"mainToken" : "[REDACTED]", "units": 5"#);
        assert_eq!(redact_text("token=9876&x=1"), "token=[REDACTED]&x=1");
        assert_eq!(redact_text("<p>Token : 1234 5678</p>"), "<p>Token : [REDACTED]</p>");
        for plain in
            ["<html>502 Bad Gateway</html>", "", "pin", "\"pin\":", "spinach soup", "é pin é: ü"]
        {
            assert_eq!(redact_text(plain), plain);
        }
    }

    #[test]
    fn redacts_nested_sensitive_keys_only() {
        let v = json!({"a": 1, "cards": [{"pin": "1234", "serialNumber": "9"}], "mainToken": "t",
            "purchased_code": "PIN: 1", "name": null});
        let r = redact(&v);
        assert_eq!(
            r,
            json!({"a": 1, "cards": [{"pin": "[REDACTED]", "serialNumber": "9"}],
                "mainToken": "[REDACTED]", "purchased_code": "[REDACTED]", "name": null})
        );
        // `cards` in another shape than a list of objects is hidden whole.
        for odd in [json!("PIN: 1234"), json!(["1234"]), json!({"pin": "1234"}), json!(1234)] {
            assert_eq!(redact(&json!({"cards": odd})), json!({"cards": "[REDACTED]"}));
        }
    }
}
