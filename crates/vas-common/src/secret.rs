//! Keeping secrets out of logs: sensitive header values and redacted `Debug` output.

use base64::Engine as _;
use reqwest::header::{HeaderValue, InvalidHeaderValue};
use secrecy::{ExposeSecret, SecretString};

/// What `Debug` prints in place of a secret.
pub const REDACTED: &str = "[REDACTED]";

/// A header value built from a secret, marked sensitive so that `reqwest` and `http` never
/// print it.
///
/// ```
/// use vas_common::secret::sensitive_header;
///
/// let v = sensitive_header("Bearer abc").unwrap();
/// assert!(v.is_sensitive());
/// assert!(!format!("{v:?}").contains("abc"));
/// ```
pub fn sensitive_header(value: &str) -> Result<HeaderValue, InvalidHeaderValue> {
    let mut v = HeaderValue::from_str(value)?;
    v.set_sensitive(true);
    Ok(v)
}

/// `Bearer <token>`, marked sensitive.
pub fn bearer(token: &SecretString) -> Result<HeaderValue, InvalidHeaderValue> {
    sensitive_header(&format!("Bearer {}", token.expose_secret()))
}

/// `Basic base64(<user>:<password>)`, marked sensitive.
pub fn basic(user: &str, password: &SecretString) -> Result<HeaderValue, InvalidHeaderValue> {
    let raw = format!("{user}:{}", password.expose_secret());
    sensitive_header(&format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(raw)))
}

/// Formats an optional secret for `Debug`: `Some([REDACTED])` or `None`.
pub fn redact_opt<T>(value: &Option<T>) -> &'static str {
    if value.is_some() { "Some([REDACTED])" } else { "None" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auth_headers_are_sensitive_and_hidden_from_debug() {
        let h = basic("me@example.com", &SecretString::from("hunter2")).unwrap();
        assert!(h.is_sensitive());
        assert_eq!(h.to_str().unwrap(), "Basic bWVAZXhhbXBsZS5jb206aHVudGVyMg==");
        assert!(!format!("{h:?}").contains("bWVA"));
        let b = bearer(&SecretString::from("tok")).unwrap();
        assert!(b.is_sensitive());
        assert_eq!(b.to_str().unwrap(), "Bearer tok");
        assert!(sensitive_header("bad\nvalue").is_err());
    }
}
