//! Values that a vendor sends as a number in one response and as a string in another.

use std::fmt;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A short value (a response code, an id) that arrives as a JSON number or a JSON string.
///
/// The text is what matters; the form is remembered so that re-encoding gives back what the
/// vendor sent. Equality looks at the text only.
///
/// ```
/// use vas_common::WireText;
///
/// let a: WireText = serde_json::from_str("200").unwrap();
/// let b: WireText = serde_json::from_str("\"200\"").unwrap();
/// assert_eq!(a, b);
/// assert_eq!(a.as_str(), "200");
/// assert_eq!(serde_json::to_string(&a).unwrap(), "200");
/// assert_eq!(serde_json::to_string(&b).unwrap(), "\"200\"");
/// ```
#[derive(Clone)]
pub struct WireText {
    text: String,
    number: bool,
}

impl WireText {
    /// A value written as a JSON string.
    pub fn text(text: impl Into<String>) -> Self {
        Self { text: text.into(), number: false }
    }

    /// A value written as a JSON number.
    pub fn number(value: u64) -> Self {
        Self { text: value.to_string(), number: true }
    }

    /// The value's text (for a number, its decimal digits).
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether the value came (or goes) as a JSON number.
    pub fn is_number(&self) -> bool {
        self.number
    }

    /// The value as an unsigned integer, if its text is one.
    pub fn as_u64(&self) -> Option<u64> {
        self.text.trim().parse().ok()
    }
}

impl PartialEq for WireText {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}
impl Eq for WireText {}

impl std::hash::Hash for WireText {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.text.hash(state);
    }
}

impl PartialEq<str> for WireText {
    fn eq(&self, other: &str) -> bool {
        self.text == other
    }
}

impl PartialEq<&str> for WireText {
    fn eq(&self, other: &&str) -> bool {
        self.text == *other
    }
}

impl fmt::Debug for WireText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.number { f.write_str(&self.text) } else { write!(f, "{:?}", self.text) }
    }
}

impl fmt::Display for WireText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl Serialize for WireText {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.number {
            if let Ok(u) = self.text.parse::<u64>() {
                return serializer.serialize_u64(u);
            }
            if let Ok(i) = self.text.parse::<i64>() {
                return serializer.serialize_i64(i);
            }
            if let Ok(f) = self.text.parse::<f64>() {
                return serializer.serialize_f64(f);
            }
        }
        serializer.serialize_str(&self.text)
    }
}

struct WireTextVisitor;

impl<'de> Visitor<'de> for WireTextVisitor {
    type Value = WireText;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string or a number")
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(WireText { text: v.to_string(), number: true })
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(WireText { text: v.to_string(), number: true })
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(WireText { text: format!("{v}"), number: true })
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(WireText { text: v.to_owned(), number: false })
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(WireText { text: v, number: false })
    }

    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        // Only reached when serde_json's `arbitrary_precision` feature is on.
        let key: Option<String> = map.next_key()?;
        match key.as_deref() {
            Some("$serde_json::private::Number") => {
                Ok(WireText { text: map.next_value()?, number: true })
            }
            _ => Err(de::Error::invalid_type(de::Unexpected::Map, &self)),
        }
    }
}

impl<'de> Deserialize<'de> for WireText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(WireTextVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_form_and_compares_by_text() {
        let n: WireText = serde_json::from_str("406").unwrap();
        let s: WireText = serde_json::from_str("\"406\"").unwrap();
        assert!(n.is_number() && !s.is_number());
        assert_eq!(n, s);
        assert_eq!(n.as_u64(), Some(406));
        assert_eq!(serde_json::to_string(&n).unwrap(), "406");
        let z: WireText = serde_json::from_str("\"000\"").unwrap();
        assert_eq!(serde_json::to_string(&z).unwrap(), "\"000\"");
        assert!(serde_json::from_str::<WireText>("[1]").is_err());
        assert!(serde_json::from_str::<WireText>("null").is_err());
    }
}
