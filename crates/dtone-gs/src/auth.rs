//! The `X-TransferTo-*` HMAC authentication of the DT One GS API.
//!
//! Every request carries three headers:
//!
//! | header | value |
//! | --- | --- |
//! | `X-TransferTo-apikey` | the API key |
//! | `X-TransferTo-nonce` | a number used once |
//! | `X-TransferTo-hmac` | base64 of HMAC-SHA256, keyed with the API secret, of the API key followed by the nonce |
//!
//! The nonce comes from a [`NonceSource`]. The default, [`ClockNonce`], is shared by every
//! client of the process and hands out microseconds since the Unix epoch, bumped by one when
//! two calls land in the same microsecond, so nonces are unique and strictly increasing even
//! when many tasks sign at once.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use hmac::{Hmac, KeyInit, Mac};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use secrecy::{ExposeSecret, SecretString};
use sha2::Sha256;
use vas_common::secret::REDACTED;

/// The header carrying the API key.
pub const HEADER_API_KEY: &str = "X-TransferTo-apikey";
/// The header carrying the nonce.
pub const HEADER_NONCE: &str = "X-TransferTo-nonce";
/// The header carrying the signature.
pub const HEADER_HMAC: &str = "X-TransferTo-hmac";

/// The API key and secret of a DT One GS account.
///
/// Both are kept in [`SecretString`]; `Debug` prints neither.
#[derive(Clone)]
pub struct Credentials {
    api_key: SecretString,
    api_secret: SecretString,
}

impl Credentials {
    /// Credentials from an API key and its secret.
    pub fn new(api_key: impl Into<String>, api_secret: impl Into<String>) -> Self {
        Self {
            api_key: SecretString::from(api_key.into()),
            api_secret: SecretString::from(api_secret.into()),
        }
    }

    /// The API key (sent in clear in `X-TransferTo-apikey`, but still a credential).
    pub fn api_key(&self) -> &SecretString {
        &self.api_key
    }

    /// The signature for `nonce`: see [`sign`].
    pub fn sign(&self, nonce: u64) -> String {
        sign(self.api_key.expose_secret(), &self.api_secret, nonce)
    }

    /// The three authentication headers for `nonce`; the key and the signature are marked
    /// sensitive.
    pub fn headers(&self, nonce: u64) -> Result<HeaderMap, reqwest::header::InvalidHeaderValue> {
        let mut headers = HeaderMap::with_capacity(3);
        headers.insert(
            HeaderName::from_static("x-transferto-apikey"),
            vas_common::secret::sensitive_header(self.api_key.expose_secret())?,
        );
        headers.insert(HeaderName::from_static("x-transferto-nonce"), HeaderValue::from(nonce));
        headers.insert(
            HeaderName::from_static("x-transferto-hmac"),
            vas_common::secret::sensitive_header(&self.sign(nonce))?,
        );
        Ok(headers)
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("api_key", &REDACTED)
            .field("api_secret", &REDACTED)
            .finish()
    }
}

/// `base64(HMAC-SHA256(key = api_secret, message = api_key + nonce))`, the value of
/// `X-TransferTo-hmac`.
///
/// ```
/// use dtone_gs::auth::sign;
/// use secrecy::SecretString;
///
/// let hmac = sign("my-key", &SecretString::from("my-secret"), 1_700_000_000_000_000);
/// assert_eq!(hmac.len(), 44); // 32 bytes in base64
/// ```
pub fn sign(api_key: &str, api_secret: &SecretString, nonce: u64) -> String {
    // HMAC accepts a key of any length, so `new_from_slice` never fails; an empty signature
    // (rejected by the vendor as unauthorised) is the harmless answer should it ever do so.
    let Ok(mut mac) =
        <Hmac<Sha256> as KeyInit>::new_from_slice(api_secret.expose_secret().as_bytes())
    else {
        return String::new();
    };
    mac.update(api_key.as_bytes());
    mac.update(nonce.to_string().as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// Checks a received `X-TransferTo-hmac` value (for servers and test doubles that receive
/// signed requests). The comparison takes the same time wherever the values differ.
///
/// ```
/// use dtone_gs::auth::{sign, verify};
/// use secrecy::SecretString;
///
/// let secret = SecretString::from("my-secret");
/// let hmac = sign("my-key", &secret, 42);
/// assert!(verify("my-key", &secret, 42, &hmac));
/// assert!(!verify("my-key", &secret, 43, &hmac));
/// ```
pub fn verify(api_key: &str, api_secret: &SecretString, nonce: u64, hmac: &str) -> bool {
    let Ok(received) = base64::engine::general_purpose::STANDARD.decode(hmac.trim()) else {
        return false;
    };
    let Ok(mut mac) =
        <Hmac<Sha256> as KeyInit>::new_from_slice(api_secret.expose_secret().as_bytes())
    else {
        return false;
    };
    mac.update(api_key.as_bytes());
    mac.update(nonce.to_string().as_bytes());
    mac.verify_slice(&received).is_ok()
}

/// Hands out the nonce of each request.
///
/// Implementations must return a different, larger number on every call, also when called
/// from many threads at once. Any `Fn() -> u64 + Send + Sync` is a source (handy in tests).
pub trait NonceSource: Send + Sync {
    /// The next nonce.
    fn next_nonce(&self) -> u64;
}

impl<F: Fn() -> u64 + Send + Sync> NonceSource for F {
    fn next_nonce(&self) -> u64 {
        self()
    }
}

/// Microseconds since the Unix epoch, strictly increasing and unique across threads.
///
/// [`ClockNonce::global`] is shared by every client in the process (the default), so two
/// clients with the same key never send the same nonce. A clock that steps back does not make
/// nonces go back: the next nonce is then the last one plus one.
#[derive(Debug, Default)]
pub struct ClockNonce {
    last: AtomicU64,
}

static GLOBAL: ClockNonce = ClockNonce::new();

impl ClockNonce {
    /// A source of its own (most callers want [`ClockNonce::global`]).
    pub const fn new() -> Self {
        Self { last: AtomicU64::new(0) }
    }

    /// The process-wide source.
    pub fn global() -> &'static ClockNonce {
        &GLOBAL
    }

    fn now_micros() -> u64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| u64::try_from(d.as_micros()).unwrap_or(u64::MAX))
            .unwrap_or(0)
    }
}

impl NonceSource for ClockNonce {
    fn next_nonce(&self) -> u64 {
        let now = Self::now_micros();
        let next = |prev: u64| now.max(prev.saturating_add(1));
        match self.last.fetch_update(Ordering::AcqRel, Ordering::Acquire, |prev| Some(next(prev))) {
            Ok(prev) | Err(prev) => next(prev),
        }
    }
}

impl NonceSource for &'static ClockNonce {
    fn next_nonce(&self) -> u64 {
        (**self).next_nonce()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_nonces_increase_strictly() {
        let source = ClockNonce::new();
        let mut last = 0;
        for _ in 0..1000 {
            let n = source.next_nonce();
            assert!(n > last);
            last = n;
        }
    }

    #[test]
    fn a_nonce_in_the_past_does_not_go_back() {
        let source = ClockNonce { last: AtomicU64::new(u64::MAX - 2) };
        assert_eq!(source.next_nonce(), u64::MAX - 1);
    }
}
