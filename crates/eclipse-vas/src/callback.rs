//! The payment result Eclipse posts to a payment's `callbackUrl`, and its signature.
//!
//! Eclipse signs each callback with the header
//! `Eclipse-Signature: t=<epoch milliseconds>,v1=<signature>`, where the signature is the
//! base64 of HMAC-SHA256 over `<t>.<raw body>` keyed with the tenant's callback secret.
//! [`Verifier`] checks it in constant time and rejects a `t` outside a tolerance window
//! (default five minutes) so that a captured callback cannot be replayed later.
//!
//! ```
//! use eclipse_vas::callback::{Verifier, sign};
//! use secrecy::SecretString;
//!
//! let secret = SecretString::from("HelloWorld");
//! let body = br#"{"paymentId":172565,"status":"SUCCESSFUL"}"#;
//! let t = 1_700_000_000_000;
//! let header = format!("t={t},v1={}", sign(&secret, t, body));
//! let verifier = Verifier::new(secret);
//! let payment = verifier.verify_and_decode_at(&header, body, t + 1_000)?;
//! assert_eq!(payment.payment_id.as_str(), "172565");
//! # Ok::<(), eclipse_vas::Error>(())
//! ```

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use hmac::{Hmac, KeyInit, Mac};
use secrecy::{ExposeSecret, SecretString};
use sha2::Sha256;

use crate::error::Result;
use crate::models::Payment;

/// The name of the signature header.
pub const SIGNATURE_HEADER: &str = "Eclipse-Signature";

/// Why a callback signature was rejected.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SignatureError {
    /// The header has no `t=`.
    #[error("the header has no timestamp (t=)")]
    MissingTimestamp,
    /// The header has no `v1=`.
    #[error("the header has no v1 signature")]
    MissingSignature,
    /// A part of the header cannot be read.
    #[error("malformed header: {0}")]
    Malformed(String),
    /// `t` is further from now than the tolerance.
    #[error("the timestamp is {age_ms} ms away from now, beyond the tolerance")]
    OutsideTolerance {
        /// How far `t` is from now, in milliseconds.
        age_ms: i64,
    },
    /// No `v1` signature matches the body.
    #[error("the signature does not match the body")]
    Mismatch,
}

type HmacSha256 = Hmac<Sha256>;

fn mac(secret: &SecretString, timestamp_ms: i64, body: &[u8]) -> HmacSha256 {
    // HMAC accepts keys of any length, so this cannot fail.
    let mut m = <HmacSha256 as KeyInit>::new_from_slice(secret.expose_secret().as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
    m.update(timestamp_ms.to_string().as_bytes());
    m.update(b".");
    m.update(body);
    m
}

/// The `v1` signature of `body` at `timestamp_ms`: base64 of HMAC-SHA256 over
/// `<timestamp_ms>.<body>`.
pub fn sign(secret: &SecretString, timestamp_ms: i64, body: &[u8]) -> String {
    let tag = mac(secret, timestamp_ms, body).finalize().into_bytes();
    base64::engine::general_purpose::STANDARD.encode(tag)
}

/// A parsed `Eclipse-Signature` header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignatureHeader {
    /// `t`: epoch milliseconds.
    pub timestamp_ms: i64,
    /// Every `v1` signature, decoded from base64.
    pub signatures: Vec<Vec<u8>>,
}

impl SignatureHeader {
    /// Parses `t=<ms>,v1=<base64>[,v1=…]`; unknown keys are ignored.
    ///
    /// # Errors
    /// [`SignatureError`] when `t` or `v1` is missing or unreadable.
    pub fn parse(header: &str) -> Result<Self, SignatureError> {
        let mut timestamp = None;
        let mut signatures = Vec::new();
        for part in header.split(',') {
            let Some((k, v)) = part.trim().split_once('=') else {
                continue;
            };
            match k.trim() {
                "t" => {
                    let t = v.trim().parse::<i64>().map_err(|_| {
                        SignatureError::Malformed(format!("t is not a number: {:?}", v.trim()))
                    })?;
                    timestamp = Some(t);
                }
                "v1" => {
                    let sig = base64::engine::general_purpose::STANDARD
                        .decode(v.trim())
                        .map_err(|_| SignatureError::Malformed("v1 is not base64".into()))?;
                    signatures.push(sig);
                }
                _ => {}
            }
        }
        let timestamp_ms = timestamp.ok_or(SignatureError::MissingTimestamp)?;
        if signatures.is_empty() {
            return Err(SignatureError::MissingSignature);
        }
        Ok(Self { timestamp_ms, signatures })
    }
}

/// Checks callback signatures with the tenant's callback secret.
#[derive(Clone)]
pub struct Verifier {
    secret: SecretString,
    tolerance: Duration,
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Verifier")
            .field("secret", &vas_common::secret::REDACTED)
            .field("tolerance", &self.tolerance)
            .finish()
    }
}

impl Verifier {
    /// A verifier with a five-minute tolerance.
    pub fn new(secret: impl Into<SecretString>) -> Self {
        Self { secret: secret.into(), tolerance: Duration::from_secs(300) }
    }

    /// How far `t` may be from now.
    #[must_use]
    pub fn tolerance(mut self, tolerance: Duration) -> Self {
        self.tolerance = tolerance;
        self
    }

    /// Verifies `header` against the raw `body` now.
    ///
    /// # Errors
    /// [`SignatureError`] naming what is wrong.
    pub fn verify(&self, header: &str, body: &[u8]) -> Result<(), SignatureError> {
        let now = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64);
        self.verify_at(header, body, now)
    }

    /// Verifies `header` against the raw `body` at the instant `now_ms` (epoch milliseconds).
    ///
    /// # Errors
    /// [`SignatureError`] naming what is wrong.
    pub fn verify_at(&self, header: &str, body: &[u8], now_ms: i64) -> Result<(), SignatureError> {
        let parsed = SignatureHeader::parse(header)?;
        let age_ms = now_ms.saturating_sub(parsed.timestamp_ms);
        let tolerance = i64::try_from(self.tolerance.as_millis()).unwrap_or(i64::MAX);
        if age_ms.abs() > tolerance {
            return Err(SignatureError::OutsideTolerance { age_ms });
        }
        let expected = mac(&self.secret, parsed.timestamp_ms, body);
        for sig in &parsed.signatures {
            // `verify_slice` compares in constant time.
            if expected.clone().verify_slice(sig).is_ok() {
                return Ok(());
            }
        }
        Err(SignatureError::Mismatch)
    }

    /// Verifies the signature now, then decodes the payment.
    ///
    /// # Errors
    /// [`crate::Error::Signature`], or [`crate::Error::Decode`] naming the JSON path.
    pub fn verify_and_decode(&self, header: &str, body: &[u8]) -> Result<Payment> {
        self.verify(header, body)?;
        decode_payment(body)
    }

    /// Verifies the signature at `now_ms`, then decodes the payment.
    ///
    /// # Errors
    /// [`crate::Error::Signature`], or [`crate::Error::Decode`] naming the JSON path.
    pub fn verify_and_decode_at(&self, header: &str, body: &[u8], now_ms: i64) -> Result<Payment> {
        self.verify_at(header, body, now_ms)?;
        decode_payment(body)
    }
}

/// Decodes a callback body (a payment) without checking its signature.
///
/// # Errors
/// [`crate::Error::Decode`] naming the JSON path, with the raw body.
pub fn decode_payment(body: &[u8]) -> Result<Payment> {
    let text = String::from_utf8_lossy(body);
    crate::client::decode(&text)
}
