//! `request_id`: the reference of a purchase, generated before anything is sent.

use std::fmt;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, FixedOffset, NaiveDateTime, Offset as _, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{Error, Result};

/// Africa/Lagos: UTC+1 all year (no daylight saving time).
pub fn lagos() -> FixedOffset {
    // 3600 s is within the valid range, so the fallback is never used.
    FixedOffset::east_opt(3600).unwrap_or(Utc.fix())
}

/// The length of the random suffix of a generated [`RequestId`].
pub const DEFAULT_SUFFIX_LEN: usize = 12;

/// The longest request id accepted.
pub const MAX_LEN: usize = 64;

/// The reference of a VTpass purchase (`request_id`).
///
/// Its first 12 characters are the date and time `YYYYMMDDHHmm` in Africa/Lagos time
/// (UTC+1), usually followed by an alphanumeric suffix; 12 to 64 characters in all. Generate one
/// with [`RequestId::generate`] (or a [`RequestIdGenerator`] with an injected clock and
/// random source), store it, then pay. A payment whose answer is lost is asked about with
/// the same id, never paid again with a new one.
///
/// ```
/// use vtpass_client::RequestId;
///
/// let id: RequestId = "202202071830YUs83meikd".parse().unwrap();
/// assert_eq!(id.as_str(), "202202071830YUs83meikd");
/// assert!("2022020718".parse::<RequestId>().is_err()); // too short
/// assert!("202213071830abc".parse::<RequestId>().is_err()); // month 13
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RequestId(String);

impl RequestId {
    /// A new id from the system clock and the thread's random generator.
    pub fn generate() -> Self {
        RequestIdGenerator::default().generate()
    }

    /// Checks a caller-supplied id: 12 to 64 ASCII letters and digits, the first 12 digits a
    /// real date and time `YYYYMMDDHHmm`. Add a random suffix: the 12 digits alone repeat
    /// every minute.
    pub fn parse(id: &str) -> Result<Self> {
        let bad = |why: &str| Err(Error::invalid("request_id", format!("{id:?} {why}")));
        if id.len() < 12 {
            return bad("is too short: it must start with 12 digits of date and time");
        }
        if id.len() > MAX_LEN {
            return bad("is longer than 64 characters");
        }
        if !id.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return bad("must contain only ASCII letters and digits");
        }
        let head = id.get(..12).unwrap_or_default();
        if !head.bytes().all(|b| b.is_ascii_digit()) {
            return bad("must start with 12 digits YYYYMMDDHHmm");
        }
        if NaiveDateTime::parse_from_str(head, "%Y%m%d%H%M").is_err() {
            return bad("does not start with a real date and time YYYYMMDDHHmm");
        }
        Ok(Self(id.to_owned()))
    }

    /// The id as sent on the wire.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The date and time (Africa/Lagos) the id starts with.
    pub fn timestamp(&self) -> Option<DateTime<FixedOffset>> {
        let head = self.0.get(..12)?;
        let naive = NaiveDateTime::parse_from_str(head, "%Y%m%d%H%M").ok()?;
        naive.and_local_timezone(lagos()).single()
    }
}

impl fmt::Debug for RequestId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RequestId({:?})", self.0)
    }
}

impl fmt::Display for RequestId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::str::FromStr for RequestId {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Self::parse(s)
    }
}

impl TryFrom<String> for RequestId {
    type Error = Error;
    fn try_from(s: String) -> Result<Self> {
        Self::parse(&s)
    }
}

impl AsRef<str> for RequestId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Serialize for RequestId {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for RequestId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        Self::parse(&s).map_err(serde::de::Error::custom)
    }
}

type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;
type Random = Arc<Mutex<dyn FnMut() -> u32 + Send>>;

const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// Makes [`RequestId`]s; the clock and the random source can be replaced (for tests).
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use vtpass_client::RequestIdGenerator;
///
/// let mut n = 0u32;
/// let g = RequestIdGenerator::new()
///     .clock(|| Utc.with_ymd_and_hms(2022, 2, 7, 17, 30, 0).unwrap())
///     .random(move || { n += 1; n });
/// // 17:30 UTC is 18:30 in Lagos.
/// assert_eq!(g.generate().as_str(), "202202071830BCDEFGHIJKLM");
/// ```
#[derive(Clone)]
pub struct RequestIdGenerator {
    clock: Clock,
    random: Random,
    suffix_len: usize,
}

impl Default for RequestIdGenerator {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for RequestIdGenerator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestIdGenerator").field("suffix_len", &self.suffix_len).finish()
    }
}

impl RequestIdGenerator {
    /// The system clock, the thread's random generator, a 12-character suffix.
    pub fn new() -> Self {
        Self {
            clock: Arc::new(Utc::now),
            random: Arc::new(Mutex::new(|| rand::Rng::next_u32(&mut rand::rng()))),
            suffix_len: DEFAULT_SUFFIX_LEN,
        }
    }

    /// Replaces the clock.
    pub fn clock(mut self, clock: impl Fn() -> DateTime<Utc> + Send + Sync + 'static) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// Replaces the random source: each call gives the next random number.
    pub fn random(mut self, random: impl FnMut() -> u32 + Send + 'static) -> Self {
        self.random = Arc::new(Mutex::new(random));
        self
    }

    /// Uses a `rand` generator (for example a seeded one) as the random source.
    pub fn rng(self, mut rng: impl rand::Rng + Send + 'static) -> Self {
        self.random(move || rng.next_u32())
    }

    /// The length of the random suffix (1 to 52; default 12).
    pub fn suffix_len(mut self, len: usize) -> Self {
        self.suffix_len = len.clamp(1, MAX_LEN - 12);
        self
    }

    /// A new request id.
    pub fn generate(&self) -> RequestId {
        let now = (self.clock)().with_timezone(&lagos());
        let mut id = now.format("%Y%m%d%H%M").to_string();
        // A poisoned lock only means another thread panicked while drawing a number; the
        // source itself is still usable.
        let mut random = match self.random.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        for _ in 0..self.suffix_len {
            let n = (random)() as usize % ALPHABET.len();
            id.push(char::from(ALPHABET.get(n).copied().unwrap_or(b'0')));
        }
        RequestId(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn generated_ids_use_lagos_time_and_validate() {
        let g = RequestIdGenerator::new()
            .clock(|| Utc.with_ymd_and_hms(2023, 12, 31, 23, 30, 0).unwrap())
            .random(|| 0);
        let id = g.generate();
        // 23:30 UTC on 31 December is 00:30 on 1 January in Lagos.
        assert_eq!(id.as_str(), "202401010030AAAAAAAAAAAA");
        assert_eq!(RequestId::parse(id.as_str()).unwrap(), id);
        assert_eq!(id.timestamp().unwrap().to_rfc3339(), "2024-01-01T00:30:00+01:00");
        let real = RequestId::generate();
        assert_eq!(real.as_str().len(), 24);
        assert!(RequestId::parse(real.as_str()).is_ok());
    }

    #[test]
    fn malformed_ids_are_rejected() {
        for bad in [
            "",
            "20220207183",
            "2022020718x0abc",
            "202202301830abc",
            "202202072460abc",
            "202202071830ab-c",
            "202202071830ab c",
            "202202071830\u{e9}",
        ] {
            assert!(RequestId::parse(bad).is_err(), "{bad:?}");
        }
        assert!(RequestId::parse(&format!("202202071830{}", "a".repeat(53))).is_err());
        assert!(RequestId::parse(&format!("202202071830{}", "a".repeat(52))).is_ok());
        assert!(RequestId::parse("202202071830").is_ok(), "12 characters are enough");
    }
}
