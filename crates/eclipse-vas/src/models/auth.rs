use std::fmt;

use secrecy::{ExposeSecret, SecretString};
use serde::ser::SerializeStruct;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use vas_common::secret::{REDACTED, redact_opt};

/// The body of `POST authentication/login`.
#[derive(Clone)]
pub struct LoginRequest {
    /// The user's identity (user name or e-mail).
    pub identity: String,
    /// The password.
    pub password: SecretString,
}

impl Serialize for LoginRequest {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("LoginRequest", 2)?;
        s.serialize_field("identity", &self.identity)?;
        s.serialize_field("password", self.password.expose_secret())?;
        s.end()
    }
}

impl fmt::Debug for LoginRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoginRequest")
            .field("identity", &self.identity)
            .field("password", &REDACTED)
            .finish()
    }
}

/// The body of `POST authentication/renew`: `{"jwt": "<token>"}`.
#[derive(Clone)]
pub struct RenewRequest {
    /// The token to renew.
    pub jwt: SecretString,
}

impl Serialize for RenewRequest {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("RenewRequest", 1)?;
        s.serialize_field("jwt", self.jwt.expose_secret())?;
        s.end()
    }
}

impl fmt::Debug for RenewRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RenewRequest").field("jwt", &REDACTED).finish()
    }
}

fn secret<'de, D: Deserializer<'de>>(d: D) -> Result<SecretString, D::Error> {
    String::deserialize(d).map(SecretString::from)
}

fn secret_opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<SecretString>, D::Error> {
    Option::<String>::deserialize(d).map(|s| s.map(SecretString::from))
}

/// The answer to a login or renew: the header to send (`Authorization: Bearer <jwt>`) and when
/// the token expires.
///
/// The header value, session id and CSRF token are secrets: `Debug` never prints them.
#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LoginResponse {
    /// The header to send the token in (`Authorization`).
    #[serde(default)]
    pub header_name: Option<String>,
    /// The header value (`Bearer <jwt>`).
    #[serde(deserialize_with = "secret")]
    pub header_value: SecretString,
    /// The session id.
    #[serde(default, deserialize_with = "secret_opt")]
    pub session_id: Option<SecretString>,
    /// The user's roles.
    #[serde(default)]
    pub roles: Option<serde_json::Value>,
    /// The CSRF header name.
    #[serde(default)]
    pub csrf_header_name: Option<String>,
    /// The CSRF token.
    #[serde(default, deserialize_with = "secret_opt")]
    pub csrf_token: Option<SecretString>,
    /// When the token expires, in seconds since the Unix epoch.
    #[serde(default)]
    pub expires_epoch_secs: Option<i64>,
}

impl LoginResponse {
    /// The JWT alone (the header value without `Bearer `).
    pub fn jwt(&self) -> SecretString {
        let v = self.header_value.expose_secret();
        let token = v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")).unwrap_or(v);
        SecretString::from(token.trim().to_string())
    }
}

impl fmt::Debug for LoginResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoginResponse")
            .field("header_name", &self.header_name)
            .field("header_value", &REDACTED)
            .field("session_id", &redact_opt(&self.session_id))
            .field("roles", &self.roles)
            .field("csrf_header_name", &self.csrf_header_name)
            .field("csrf_token", &redact_opt(&self.csrf_token))
            .field("expires_epoch_secs", &self.expires_epoch_secs)
            .finish()
    }
}
