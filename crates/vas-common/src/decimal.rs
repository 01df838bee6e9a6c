//! Exact decoding of money amounts.
//!
//! Vendors send amounts as JSON numbers (`1000`, `19.3`, `29182.000000000`, `0E-9`) and as
//! strings (`"1000.00"`, `"0.14"`). Everything here decodes into [`Decimal`] without going
//! through a lossy float conversion for strings and integers. JSON numbers with a fraction
//! or exponent are parsed by `serde_json` as `f64`; they are turned into a decimal through
//! the shortest text that reads back as the same `f64`, which gives back the literal exactly
//! for every amount with up to 15 significant digits (all amounts in the vendors' documents;
//! a trailing-zero scale such as `29182.000000000` reads as `29182`, the same value). A number
//! with more significant digits than an `f64` holds, or out of range, is a decode error, never
//! a rounded amount. Amounts sent as strings are exact at any length.
//!
//! Two ways to use it:
//! - [`WireDecimal`] remembers whether the amount was a number or a string (and the exact
//!   text of a string) so that re-encoding gives back what the vendor sent;
//! - the [`lenient`] and [`lenient_opt`] modules, for `#[serde(with = "…")]` on a plain
//!   `Decimal` field that is written back as a JSON number.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The key `serde_json` uses for numbers when its `arbitrary_precision` feature is on.
const ARBITRARY_PRECISION_KEY: &str = "$serde_json::private::Number";

/// Parses decimal text exactly: plain (`"1000.00"`), signed, or with an exponent (`"0E-9"`).
///
/// Leading and trailing white space is ignored. Returns `None` for anything else (empty
/// text, thousands separators, currency signs, `NaN`).
pub fn parse_exact(text: &str) -> Option<Decimal> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    let valid =
        t.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E'));
    if !valid || !t.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    if t.contains(['e', 'E']) {
        Decimal::from_scientific(t).ok()
    } else {
        Decimal::from_str_exact(t.strip_prefix('+').unwrap_or(t)).ok()
    }
}

/// The most significant digits a JSON number with a fraction or an exponent may have: every
/// decimal literal of up to 15 significant digits survives the trip through an `f64`.
pub const MAX_FLOAT_DIGITS: usize = 15;

/// Converts an `f64` decoded from JSON into the decimal its shortest text spells.
///
/// Returns `None` for non-finite values, values out of `Decimal`'s range, and values whose
/// shortest text has more than [`MAX_FLOAT_DIGITS`] significant digits: the literal the
/// vendor wrote may have had digits an `f64` cannot hold, and a rounded amount is worse than
/// a decode error.
pub fn from_json_f64(value: f64) -> Option<Decimal> {
    if !value.is_finite() {
        return None;
    }
    // `Display` for f64 prints the shortest text that reads back as the same value and never
    // uses an exponent, so this is the literal the vendor wrote for every amount with up to
    // 15 significant digits.
    let text = format!("{value}");
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    let significant = digits.trim_start_matches('0').trim_end_matches('0').len();
    if significant > MAX_FLOAT_DIGITS {
        return None;
    }
    parse_exact(&text)
}

/// Writes `value` as a JSON number: an integer when it has no fraction, otherwise a float.
fn serialize_number<S: Serializer>(value: &Decimal, serializer: S) -> Result<S::Ok, S::Error> {
    let normalized = value.normalize();
    if normalized.scale() == 0 {
        if let Ok(i) = i64::try_from(normalized) {
            return serializer.serialize_i64(i);
        }
        if let Ok(u) = u64::try_from(normalized) {
            return serializer.serialize_u64(u);
        }
    }
    let f = f64::try_from(*value)
        .map_err(|_| serde::ser::Error::custom(format!("{value} cannot be written as a number")))?;
    serializer.serialize_f64(f)
}

/// What a decimal looked like on the wire.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Form {
    Number,
    Text(Box<str>),
}

/// An exact amount that remembers whether the vendor sent it as a number or a string.
///
/// Equality and hashing look at the value only: `1000` and `"1000.00"` are equal.
///
/// ```
/// use vas_common::WireDecimal;
/// use rust_decimal::Decimal;
///
/// let a: WireDecimal = serde_json::from_str("\"1000.00\"").unwrap();
/// let b: WireDecimal = serde_json::from_str("1000").unwrap();
/// assert_eq!(a, b);
/// assert_eq!(a.value(), Decimal::new(100000, 2));
/// assert_eq!(serde_json::to_string(&a).unwrap(), "\"1000.00\"");
/// assert_eq!(serde_json::to_string(&b).unwrap(), "1000");
///
/// let fee: WireDecimal = serde_json::from_str("0E-9").unwrap();
/// assert!(fee.value().is_zero());
/// ```
#[derive(Clone)]
pub struct WireDecimal {
    value: Decimal,
    form: Form,
}

impl WireDecimal {
    /// An amount that is written as a JSON number.
    pub fn number(value: Decimal) -> Self {
        Self { value, form: Form::Number }
    }

    /// An amount that is written as a JSON string (its plain decimal text, scale kept).
    pub fn text(value: Decimal) -> Self {
        Self { value, form: Form::Text(value.to_string().into_boxed_str()) }
    }

    /// The exact value.
    pub fn value(&self) -> Decimal {
        self.value
    }

    /// Whether the amount was (or will be) written as a JSON string.
    pub fn is_text(&self) -> bool {
        matches!(self.form, Form::Text(_))
    }
}

impl From<WireDecimal> for Decimal {
    fn from(w: WireDecimal) -> Self {
        w.value
    }
}

impl PartialEq for WireDecimal {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}
impl Eq for WireDecimal {}

impl std::hash::Hash for WireDecimal {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.value.normalize().hash(state);
    }
}

impl fmt::Debug for WireDecimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.form {
            Form::Number => write!(f, "{}", self.value),
            Form::Text(t) => write!(f, "{t:?}"),
        }
    }
}

impl fmt::Display for WireDecimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.value, f)
    }
}

impl Serialize for WireDecimal {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.form {
            Form::Number => serialize_number(&self.value, serializer),
            Form::Text(t) => serializer.serialize_str(t),
        }
    }
}

struct WireDecimalVisitor;

impl<'de> Visitor<'de> for WireDecimalVisitor {
    type Value = WireDecimal;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an amount as a JSON number or a decimal string")
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(WireDecimal::number(Decimal::from(v)))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(WireDecimal::number(Decimal::from(v)))
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Self::Value, E> {
        Decimal::from_str(&v.to_string())
            .map(WireDecimal::number)
            .map_err(|_| E::custom(format!("amount {v} is out of range")))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Self::Value, E> {
        Decimal::from_str(&v.to_string())
            .map(WireDecimal::number)
            .map_err(|_| E::custom(format!("amount {v} is out of range")))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        from_json_f64(v)
            .map(WireDecimal::number)
            .ok_or_else(|| E::custom(format!("amount {v} cannot be represented exactly")))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        match parse_exact(v) {
            Some(value) => Ok(WireDecimal { value, form: Form::Text(v.into()) }),
            None => Err(E::custom(format!("{v:?} is not a decimal amount"))),
        }
    }

    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        // Only reached when serde_json's `arbitrary_precision` feature is on.
        let key: Option<String> = map.next_key()?;
        match key.as_deref() {
            Some(ARBITRARY_PRECISION_KEY) => {
                let text: String = map.next_value()?;
                parse_exact(&text)
                    .map(WireDecimal::number)
                    .ok_or_else(|| de::Error::custom(format!("{text} is not a decimal amount")))
            }
            _ => Err(de::Error::invalid_type(de::Unexpected::Map, &self)),
        }
    }
}

impl<'de> Deserialize<'de> for WireDecimal {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(WireDecimalVisitor)
    }
}

/// `#[serde(with = "vas_common::decimal::lenient")]` for a `Decimal` field: reads a number or
/// a string exactly, writes a JSON number.
pub mod lenient {
    use super::*;

    /// Reads a number or a decimal string.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Decimal, D::Error> {
        WireDecimal::deserialize(deserializer).map(|w| w.value)
    }

    /// Writes a JSON number.
    pub fn serialize<S: Serializer>(value: &Decimal, serializer: S) -> Result<S::Ok, S::Error> {
        serialize_number(value, serializer)
    }
}

/// `#[serde(with = "vas_common::decimal::lenient_opt", default)]` for an `Option<Decimal>`
/// field: `null` and an empty string are `None`.
pub mod lenient_opt {
    use super::*;

    /// Reads `null`, `""`, a number or a decimal string.
    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Decimal>, D::Error> {
        let v = Option::<serde_json::Value>::deserialize(deserializer)?;
        match v {
            None | Some(serde_json::Value::Null) => Ok(None),
            Some(serde_json::Value::String(s)) if s.trim().is_empty() => Ok(None),
            Some(other) => {
                WireDecimal::deserialize(other).map(|w| Some(w.value)).map_err(de::Error::custom)
            }
        }
    }

    /// Writes `null` or a JSON number.
    pub fn serialize<S: Serializer>(
        value: &Option<Decimal>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(v) => serialize_number(v, serializer),
            None => serializer.serialize_none(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn decodes_every_documented_form_exactly() {
        for (json, want, text) in [
            ("1000", "1000", false),
            ("\"1000.00\"", "1000.00", true),
            ("19.3", "19.3", false),
            ("29182.000000000", "29182", false),
            ("0E-9", "0", false),
            ("\"0E-9\"", "0", true),
            ("52008620", "52008620", false),
            ("\"0.14\"", "0.14", true),
            ("-5", "-5", false),
            ("0.1", "0.1", false),
            ("123456789012.345", "123456789012.345", false),
        ] {
            let w: WireDecimal = serde_json::from_str(json).unwrap();
            assert_eq!(w.value(), dec(want), "{json}");
            assert_eq!(w.is_text(), text, "{json}");
        }
    }

    #[test]
    fn string_scale_and_text_survive_a_round_trip() {
        for json in ["\"100.00\"", "\"0E-9\"", "\" 5 \"", "\"747.5\""] {
            let w: WireDecimal = serde_json::from_str(json).unwrap();
            assert_eq!(serde_json::to_string(&w).unwrap(), json);
        }
        let w: WireDecimal = serde_json::from_str("19.3").unwrap();
        assert_eq!(serde_json::to_string(&w).unwrap(), "19.3");
    }

    #[test]
    fn refuses_to_round_numbers_an_f64_cannot_hold() {
        // 19 significant digits as a JSON number: an f64 cannot hold them, so decoding fails
        // instead of returning a rounded amount. The same digits as a string decode exactly.
        assert!(serde_json::from_str::<WireDecimal>("1234567890.123456789").is_err());
        assert!(serde_json::from_str::<WireDecimal>("12345678901234567.5").is_err());
        let w: WireDecimal = serde_json::from_str("\"1234567890.123456789\"").unwrap();
        assert_eq!(w.value(), dec("1234567890.123456789"));
        // Fifteen significant digits are fine, wherever the point is.
        let w: WireDecimal = serde_json::from_str("1234567890.12345").unwrap();
        assert_eq!(w.value(), dec("1234567890.12345"));
        let w: WireDecimal = serde_json::from_str("0.000000000000001").unwrap();
        assert_eq!(w.value(), dec("0.000000000000001"));
        // Large integers without a fraction never go through an f64.
        let w: WireDecimal = serde_json::from_str("12345678901234567890").unwrap();
        assert_eq!(w.value(), dec("12345678901234567890"));
    }

    #[test]
    fn rejects_what_is_not_an_amount() {
        for json in ["\"\"", "\"abc\"", "\"1,000\"", "\"N100\"", "true", "null", "[]", "{}"] {
            assert!(serde_json::from_str::<WireDecimal>(json).is_err(), "{json}");
        }
    }

    #[test]
    fn lenient_opt_treats_empty_as_none() {
        #[derive(Deserialize, Serialize)]
        struct T {
            #[serde(with = "lenient_opt", default)]
            a: Option<Decimal>,
        }
        let t: T = serde_json::from_str(r#"{"a":""}"#).unwrap();
        assert_eq!(t.a, None);
        let t: T = serde_json::from_str(r#"{"a":"2.50"}"#).unwrap();
        assert_eq!(t.a, Some(dec("2.50")));
        let t: T = serde_json::from_str(r#"{}"#).unwrap();
        assert_eq!(t.a, None);
        assert_eq!(serde_json::to_string(&T { a: Some(dec("2.5")) }).unwrap(), r#"{"a":2.5}"#);
    }

    #[test]
    fn equality_ignores_the_wire_form() {
        assert_eq!(WireDecimal::number(dec("10")), WireDecimal::text(dec("10.00")));
    }
}
