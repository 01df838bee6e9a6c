//! The fixed test credentials the sandbox accepts. They are deliberately fake: nothing here
//! works against a real vendor, and a real credential never works against the sandbox.
//!
//! Any other value is refused the way the vendor refuses it (VTpass code `087`, Eclipse
//! `USR002` with HTTP 401, DT One error `1000401` with HTTP 401, GSUBZ code `401`).

/// VTpass Basic auth user name (`email:password`).
pub const VTPASS_EMAIL: &str = "sandbox@vtpass.example";
/// VTpass Basic auth password.
pub const VTPASS_PASSWORD: &str = "sandbox-vtpass-password";
/// VTpass `api-key` header (API-key scheme).
pub const VTPASS_API_KEY: &str = "sandbox-vtpass-api-key";
/// VTpass `public-key` header, sent on GET requests (API-key scheme).
pub const VTPASS_PUBLIC_KEY: &str = "PK_sandbox-vtpass-public";
/// VTpass `secret-key` header, sent on POST requests (API-key scheme).
pub const VTPASS_SECRET_KEY: &str = "SK_sandbox-vtpass-secret";

/// Eclipse login `identity`.
pub const ECLIPSE_IDENTITY: &str = "sandbox-eclipse-user";
/// Eclipse login `password`.
pub const ECLIPSE_PASSWORD: &str = "sandbox-eclipse-password";
/// The tenant id the sandbox's Eclipse tokens belong to (any tenant id in a path is
/// accepted; this one is only a convenient value for examples).
pub const ECLIPSE_TENANT_ID: u64 = 6658;
/// The customer id carried in the JWT's `uid` claim.
pub const ECLIPSE_CUSTOMER_ID: u64 = 723689;
/// The key Eclipse callbacks are signed with unless configured otherwise
/// ([`crate::SandboxConfig::eclipse_webhook_key`]).
pub const ECLIPSE_WEBHOOK_KEY: &str = "sandbox-eclipse-webhook-key";

/// DT One API key (`X-TransferTo-apikey`).
pub const DTONE_API_KEY: &str = "sandbox-dtone-api-key";
/// DT One API secret (the HMAC key).
pub const DTONE_API_SECRET: &str = "sandbox-dtone-api-secret";

/// GSUBZ API key (`Authorization: Bearer …` or form field `api`).
pub const GSUBZ_API_KEY: &str = "ap_sandbox-gsubz-api-key";
