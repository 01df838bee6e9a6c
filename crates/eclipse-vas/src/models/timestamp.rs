use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A timestamp as the vendor wrote it (`2024-02-21T07:31:33.000Z`), with its parsed value.
///
/// The text is kept so that re-encoding gives back exactly what was received; [`Timestamp::utc`]
/// is `None` when the text is not RFC 3339.
#[derive(Clone, PartialEq, Eq)]
pub struct Timestamp {
    raw: String,
    utc: Option<DateTime<Utc>>,
}

impl Timestamp {
    /// Parses `raw` (RFC 3339, e.g. `2024-02-21T07:31:33.000Z`), keeping the text.
    pub fn parse(raw: impl Into<String>) -> Self {
        let raw = raw.into();
        let utc = DateTime::parse_from_rfc3339(&raw).ok().map(|d| d.with_timezone(&Utc));
        Self { raw, utc }
    }

    /// The text as received.
    pub fn as_str(&self) -> &str {
        &self.raw
    }

    /// The instant, when the text is RFC 3339.
    pub fn utc(&self) -> Option<DateTime<Utc>> {
        self.utc
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.utc {
            Some(utc) => write!(f, "{:?} ({})", self.raw, utc.to_rfc3339()),
            None => write!(f, "{:?} (unparsed)", self.raw),
        }
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.raw)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self::parse)
    }
}
