//! Wire types of the DT One GS API, by endpoint group.
//!
//! Field names are the vendor's. Every response type keeps fields it does not model in an
//! `extra` map, so nothing the vendor sends is lost and re-encoding gives back what was sent.

pub mod discovery;
pub mod products;
pub mod transactions;

/// Ids that arrive as a JSON number or a string of digits; written back as a number.
pub(crate) mod id {
    use serde::de::{self, Visitor};
    use serde::{Deserialize, Deserializer, Serializer};
    use std::fmt;

    struct IdVisitor;

    impl Visitor<'_> for IdVisitor {
        type Value = u64;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a non-negative integer, as a number or a string of digits")
        }

        fn visit_u64<E: de::Error>(self, v: u64) -> Result<u64, E> {
            Ok(v)
        }

        fn visit_i64<E: de::Error>(self, v: i64) -> Result<u64, E> {
            u64::try_from(v).map_err(|_| E::custom(format!("{v} is negative")))
        }

        fn visit_f64<E: de::Error>(self, v: f64) -> Result<u64, E> {
            // Only integers an f64 holds exactly (below 2^53).
            if v.fract() == 0.0 && (0.0..9_007_199_254_740_992.0).contains(&v) {
                #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                Ok(v as u64)
            } else {
                Err(E::custom(format!("{v} is not an integer id")))
            }
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<u64, E> {
            let t = v.trim();
            if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
                t.parse().map_err(|_| E::custom(format!("{v:?} is out of range")))
            } else {
                Err(E::custom(format!("{v:?} is not an integer id")))
            }
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
        d.deserialize_any(IdVisitor)
    }

    pub(crate) fn serialize<S: Serializer>(v: &u64, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(*v)
    }

    /// The same for an optional id: `null` or absent is `None`.
    pub(crate) mod opt {
        use super::*;

        pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
            d: D,
        ) -> Result<Option<u64>, D::Error> {
            let v = Option::<serde_json::Value>::deserialize(d)?;
            match v {
                None | Some(serde_json::Value::Null) => Ok(None),
                Some(v) => super::deserialize(v).map(Some).map_err(de::Error::custom),
            }
        }

        pub(crate) fn serialize<S: Serializer>(v: &Option<u64>, s: S) -> Result<S::Ok, S::Error> {
            match v {
                Some(v) => s.serialize_u64(*v),
                None => s.serialize_none(),
            }
        }
    }
}

/// Fields of answers whose shape is known from public client code only: a value of an
/// unexpected type is read as absent instead of failing the whole answer.
pub(crate) mod lenient {
    use serde::de::DeserializeOwned;
    use serde::{Deserialize, Deserializer};
    use serde_json::Value;

    /// `T` when the value decodes as one, else `None`.
    pub(crate) fn opt<'de, D: Deserializer<'de>, T: DeserializeOwned>(
        d: D,
    ) -> Result<Option<T>, D::Error> {
        Ok(Option::<Value>::deserialize(d)?.and_then(|v| serde_json::from_value(v).ok()))
    }

    /// An id as a number or a string of digits; `None` for anything else.
    pub(crate) fn id<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
        Ok(Option::<Value>::deserialize(d)?.and_then(|v| super::id::deserialize(v).ok()))
    }

    /// A string, or the text of a number or boolean; `None` for anything else.
    pub(crate) fn text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        Ok(match Option::<Value>::deserialize(d)? {
            Some(Value::String(s)) => Some(s),
            Some(Value::Number(n)) => Some(n.to_string()),
            Some(Value::Bool(b)) => Some(b.to_string()),
            _ => None,
        })
    }
}

/// Unknown fields, kept as sent.
pub type Extra = serde_json::Map<String, serde_json::Value>;
