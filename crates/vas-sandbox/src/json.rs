//! Small JSON helpers: numbers written exactly as given (`29182.000000000`, `0E-9`, `12.5`)
//! without going through `f64`, and request-body parsing that never panics.

use rust_decimal::Decimal;
use serde_json::Value;

/// The marker a raw number is carried in until the value is serialized.
const MARK: char = '\u{1}';

/// A JSON number written verbatim (`text` must be a valid JSON number).
pub(crate) fn raw(text: impl Into<String>) -> Value {
    Value::String(format!("{MARK}{}", text.into()))
}

/// A decimal as a JSON number, exactly (`1000`, `12.50`).
pub(crate) fn num(d: Decimal) -> Value {
    raw(d.to_string())
}

/// Serializes `value`, writing raw numbers verbatim.
pub(crate) fn to_string(value: &Value) -> String {
    let text = serde_json::to_string(value).unwrap_or_else(|_| "null".to_string());
    // serde_json writes the marker as `\u0001`; a raw number is `"\u0001<digits>"`.
    const OPEN: &str = "\"\\u0001";
    if !text.contains(OPEN) {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(start) = rest.find(OPEN) {
        out.push_str(&rest[..start]);
        let after = &rest[start + OPEN.len()..];
        match after.find('"').filter(|end| is_number(&after[..*end])) {
            Some(end) => {
                out.push_str(&after[..end]);
                rest = &after[end + 1..];
            }
            // Not one of ours (a string that merely starts with the marker): keep it as is.
            None => {
                out.push_str(&rest[start..start + OPEN.len()]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Whether `t` has the form of a JSON number (`-12`, `0.5`, `29182.000000000`, `0E-9`).
fn is_number(t: &str) -> bool {
    let t = t.strip_prefix('-').unwrap_or(t);
    let (mantissa, exponent) = match t.find(['e', 'E']) {
        Some(i) => (&t[..i], Some(&t[i + 1..])),
        None => (t, None),
    };
    let (int, frac) = match mantissa.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (mantissa, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    digits(int)
        && (int == "0" || !int.starts_with('0'))
        && frac.is_none_or(digits)
        && exponent.is_none_or(|e| digits(e.strip_prefix(['+', '-']).unwrap_or(e)))
}

/// Parses a JSON request body; `None` when it is not a JSON object.
pub(crate) fn parse_object(body: &[u8]) -> Option<serde_json::Map<String, Value>> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Some(map),
        _ => None,
    }
}

/// A field as text: strings as they are, numbers in their JSON form, anything else `None`.
pub(crate) fn text(map: &serde_json::Map<String, Value>, key: &str) -> Option<String> {
    match map.get(key)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A field as a decimal (number or numeric string).
pub(crate) fn decimal(map: &serde_json::Map<String, Value>, key: &str) -> Option<Decimal> {
    let t = text(map, key)?;
    parse_decimal(&t)
}

/// Parses `12`, `12.50`, `1.2e3`, `0E-9` exactly.
pub(crate) fn parse_decimal(t: &str) -> Option<Decimal> {
    let t = t.trim();
    t.parse::<Decimal>().ok().or_else(|| Decimal::from_scientific(t).ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn raw_numbers_are_written_verbatim() {
        let v = json!({"a": raw("29182.000000000"), "b": [raw("0E-9")], "c": "x\"y"});
        assert_eq!(to_string(&v), r#"{"a":29182.000000000,"b":[0E-9],"c":"x\"y"}"#);
    }

    #[test]
    fn a_marker_in_caller_text_stays_a_string() {
        let v = json!({"description": "\u{1}not a number", "n": raw("12.50")});
        let text = to_string(&v);
        assert_eq!(text, r#"{"description":"\u0001not a number","n":12.50}"#);
        assert!(serde_json::from_str::<Value>(&text).is_ok());
        assert!(is_number("0E-9") && is_number("-1.5e+3") && is_number("0"));
        assert!(!is_number("01") && !is_number("1.") && !is_number("") && !is_number("1e"));
    }

    #[test]
    fn decimals_parse_exactly() {
        assert_eq!(parse_decimal("0E-9"), Some(Decimal::ZERO));
        assert_eq!(parse_decimal("100.00").map(|d| d.to_string()), Some("100.00".into()));
    }
}
