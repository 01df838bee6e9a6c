//! The HTTP client: configuration, the login session, and one method per endpoint.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use reqwest::Method;
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderValue};
use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;
use serde::de::DeserializeOwned;
use tokio::sync::Mutex;
use vas_common::secret::{REDACTED, bearer};
use vas_common::transport::classify;

use crate::error::{Error, Result};
use crate::ids::check_path_id;
use crate::models::{
    ApiError, InitiatePayment, LoginRequest, LoginResponse, MsisdnLookup, Partner, Payment,
    RenewRequest, UpdatePayment, UpdateResponse,
};
use crate::query::digits;
use crate::{CatalogQuery, CustomerId, PaymentId, TenantId};

/// The Eclipse sandbox.
pub const SANDBOX_URL: &str = "https://eclipse-java-sandbox.ukheshe.rocks";

const API: &str = "/eclipse-conductor/rest/v1";

/// How the client authenticates.
#[derive(Clone)]
enum Credentials {
    /// Log in with identity and password; log in again when needed.
    Password { identity: String, password: SecretString },
    /// A token obtained elsewhere; renewed before it lapses when its expiry is known.
    Token { jwt: SecretString, expires_epoch_secs: Option<i64> },
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credentials::Password { identity, .. } => f
                .debug_struct("Password")
                .field("identity", identity)
                .field("password", &REDACTED)
                .finish(),
            Credentials::Token { expires_epoch_secs, .. } => f
                .debug_struct("Token")
                .field("jwt", &REDACTED)
                .field("expires_epoch_secs", expires_epoch_secs)
                .finish(),
        }
    }
}

/// A token in use.
#[derive(Clone)]
struct Session {
    jwt: SecretString,
    expires_epoch_secs: Option<i64>,
    generation: u64,
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("jwt", &REDACTED)
            .field("expires_epoch_secs", &self.expires_epoch_secs)
            .field("generation", &self.generation)
            .finish()
    }
}

/// Configures a [`Client`].
///
/// ```no_run
/// use std::time::Duration;
/// use eclipse_vas::Client;
///
/// let client = Client::builder()
///     .tenant(6658)
///     .credentials("api-user@example.com", std::env::var("ECLIPSE_PASSWORD").unwrap_or_default())
///     .timeout(Duration::from_secs(30))
///     .build()?;
/// # Ok::<(), eclipse_vas::Error>(())
/// ```
#[must_use]
pub struct ClientBuilder {
    base_url: String,
    tenant: Option<Result<TenantId>>,
    credentials: Option<Credentials>,
    connect_timeout: Duration,
    timeout: Duration,
    renew_before: Duration,
    read_retries: u32,
    http: Option<reqwest::Client>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("tenant", &self.tenant.as_ref().map(|t| t.as_ref().ok()))
            .field("credentials", &self.credentials)
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("renew_before", &self.renew_before)
            .field("read_retries", &self.read_retries)
            .finish_non_exhaustive()
    }
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            base_url: SANDBOX_URL.to_string(),
            tenant: None,
            credentials: None,
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
            renew_before: Duration::from_secs(120),
            read_retries: 1,
            http: None,
        }
    }
}

impl ClientBuilder {
    /// The API host (default [`SANDBOX_URL`]), without the `/eclipse-conductor/…` path.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// The tenant every call is made for (required). Accepts a number, a [`TenantId`] or
    /// text; text is checked by [`ClientBuilder::build`].
    pub fn tenant<T>(mut self, tenant: T) -> Self
    where
        T: TryInto<TenantId>,
        T::Error: Into<Error>,
    {
        self.tenant = Some(tenant.try_into().map_err(Into::into));
        self
    }

    /// Log in with this identity and password (`POST authentication/login`); the client logs
    /// in on first use, renews the token before it lapses and logs in again after a 401.
    pub fn credentials(mut self, identity: impl Into<String>, password: impl Into<String>) -> Self {
        self.credentials = Some(Credentials::Password {
            identity: identity.into(),
            password: SecretString::from(password.into()),
        });
        self
    }

    /// Use a token obtained elsewhere (without `Bearer `). Its expiry is read from the JWT's
    /// `exp` claim when there is one, and the token is renewed before it lapses; the client
    /// cannot log in again, so a 401 is returned to the caller.
    pub fn token(mut self, jwt: impl Into<String>) -> Self {
        let jwt = SecretString::from(jwt.into());
        let expires_epoch_secs = jwt_claims(&jwt).and_then(|c| c.get("exp")?.as_i64());
        self.credentials = Some(Credentials::Token { jwt, expires_epoch_secs });
        self
    }

    /// Like [`ClientBuilder::token`], with the expiry given (`expiresEpochSecs` of a login).
    pub fn token_expiring(mut self, jwt: impl Into<String>, expires_epoch_secs: i64) -> Self {
        self.credentials = Some(Credentials::Token {
            jwt: SecretString::from(jwt.into()),
            expires_epoch_secs: Some(expires_epoch_secs),
        });
        self
    }

    /// The longest wait for a connection (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The longest wait for a whole call (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// How long before its expiry a token is renewed (default 120 s; tokens last about an
    /// hour).
    pub fn renew_before(mut self, margin: Duration) -> Self {
        self.renew_before = margin;
        self
    }

    /// How many times a read (lookup, catalog, payment status) is retried after a transport
    /// error or a 502/503/504 (default 1). Payments are never retried.
    pub fn read_retries(mut self, retries: u32) -> Self {
        self.read_retries = retries;
        self
    }

    /// Use this `reqwest::Client` (its own timeouts apply too; the per-call timeout of this
    /// builder is set on every request).
    ///
    /// Build it with `.redirect(reqwest::redirect::Policy::none())`: reqwest follows redirects
    /// by default, and a 307 or 308 answer to a payment would send the payment a second time.
    /// The client built by this crate never follows redirects; a redirect answer is returned
    /// as [`Error::Status`], which for a payment counts as possibly sent.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Checks the configuration and builds the client. Nothing is sent.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a bad tenant id; [`Error::Config`] for a missing tenant or
    /// credentials, a bad base URL, or an HTTP client that cannot be built.
    pub fn build(self) -> Result<Client> {
        let tenant = match self.tenant {
            Some(t) => t?,
            None => return Err(Error::Config("a tenant id is required".into())),
        };
        let credentials = self
            .credentials
            .ok_or_else(|| Error::Config("credentials or a token are required".into()))?;
        let base = self.base_url.trim_end_matches('/').to_string();
        let parsed = reqwest::Url::parse(&base)
            .map_err(|e| Error::Config(format!("base URL {base:?}: {e}")))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(Error::Config(format!("base URL {base:?} is not http(s)")));
        }
        let http = match self.http {
            Some(h) => h,
            // Redirects are never followed (see `vas_common::transport::http_client`).
            None => vas_common::transport::http_client(
                concat!("eclipse-vas/", env!("CARGO_PKG_VERSION")),
                self.connect_timeout,
                Some(self.timeout),
            )
            .map_err(|e| Error::Config(format!("HTTP client: {e}")))?,
        };
        let generation = AtomicU64::new(1);
        let session = match &credentials {
            Credentials::Token { jwt, expires_epoch_secs } => Some(Session {
                jwt: jwt.clone(),
                expires_epoch_secs: *expires_epoch_secs,
                generation: generation.fetch_add(1, Ordering::Relaxed),
            }),
            Credentials::Password { .. } => None,
        };
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base,
                tenant,
                credentials,
                session: Mutex::new(session),
                generation,
                timeout: self.timeout,
                renew_before: self.renew_before,
                read_retries: self.read_retries,
            }),
        })
    }
}

impl TryFrom<&str> for TenantId {
    type Error = Error;
    fn try_from(id: &str) -> Result<Self> {
        TenantId::new(id)
    }
}

impl TryFrom<String> for TenantId {
    type Error = Error;
    fn try_from(id: String) -> Result<Self> {
        TenantId::new(id)
    }
}

struct Inner {
    http: reqwest::Client,
    base: String,
    tenant: TenantId,
    credentials: Credentials,
    session: Mutex<Option<Session>>,
    generation: AtomicU64,
    timeout: Duration,
    renew_before: Duration,
    read_retries: u32,
}

/// A client for one tenant of the Eclipse API. Cheap to clone; clones share the login session.
///
/// Every call checks its input before sending anything. Reads (lookup, catalogs, payment
/// status) log in again once after a 401 and are retried after transport errors; payment
/// calls are sent exactly once.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base)
            .field("tenant", &self.inner.tenant)
            .field("credentials", &self.inner.credentials)
            .field("timeout", &self.inner.timeout)
            .field("renew_before", &self.inner.renew_before)
            .field("read_retries", &self.inner.read_retries)
            .finish_non_exhaustive()
    }
}

fn now_epoch_secs() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
}

/// The claims of a JWT, read without checking its signature (the server checks it).
fn jwt_claims(jwt: &SecretString) -> Option<serde_json::Map<String, serde_json::Value>> {
    let payload = jwt.expose_secret().split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// Decodes a success body, naming the JSON path of the first error.
pub(crate) fn decode<T: DeserializeOwned>(body: &str) -> Result<T> {
    let de = &mut serde_json::Deserializer::from_str(body);
    serde_path_to_error::deserialize(de).map_err(|e| Error::Decode {
        path: e.path().to_string(),
        message: e.inner().to_string(),
        body: body.to_string(),
    })
}

/// The error for a non-success status.
fn status_error(status: u16, body: String) -> Error {
    let errors: Option<Vec<ApiError>> = serde_json::from_str::<Vec<ApiError>>(&body)
        .ok()
        .or_else(|| serde_json::from_str::<ApiError>(&body).ok().map(|e| vec![e]))
        .filter(|v| !v.is_empty() && v.iter().any(|e| e.code.is_some() || e.description.is_some()));
    match errors {
        Some(errors) => Error::Vendor { status, errors, body },
        None => Error::Status { status, body },
    }
}

/// Whether a request is safe to repeat.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Read,
    Payment,
}

impl Client {
    /// A builder.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The tenant this client works for.
    pub fn tenant(&self) -> &TenantId {
        &self.inner.tenant
    }

    fn url(&self, path: &str) -> String {
        format!("{}{API}{path}", self.inner.base)
    }

    fn tenant_url(&self, path: &str) -> String {
        format!("{}{API}/tenants/{}{path}", self.inner.base, self.inner.tenant)
    }

    /// Logs in now (otherwise the client logs in on first use). With a token supplied through
    /// [`ClientBuilder::token`], renews it instead.
    ///
    /// # Errors
    /// The login's error (a 401 with `USR002` for bad credentials).
    pub async fn login(&self) -> Result<()> {
        let mut guard = self.inner.session.lock().await;
        let session = self.fresh_session(guard.as_ref()).await?;
        *guard = Some(session);
        Ok(())
    }

    /// The logged-in customer's id: the `uid` claim of the JWT (logs in first if needed).
    ///
    /// # Errors
    /// The login's error, or [`Error::Config`] when the token has no `uid` claim.
    pub async fn customer_id(&self) -> Result<CustomerId> {
        let session = self.session().await?;
        let claims = jwt_claims(&session.jwt)
            .ok_or_else(|| Error::Config("the token is not a readable JWT".into()))?;
        match claims.get("uid") {
            Some(serde_json::Value::Number(n)) => n
                .as_u64()
                .map(CustomerId::from)
                .ok_or_else(|| Error::Config("the token's uid is not a customer id".into())),
            Some(serde_json::Value::String(s)) => CustomerId::new(s.clone()),
            _ => Err(Error::Config("the token has no uid claim".into())),
        }
    }

    /// Logs in (password credentials) or renews the current token (token credentials).
    async fn fresh_session(&self, current: Option<&Session>) -> Result<Session> {
        match &self.inner.credentials {
            Credentials::Password { identity, password } => {
                let body = LoginRequest { identity: identity.clone(), password: password.clone() };
                self.authenticate("/authentication/login", &body).await
            }
            Credentials::Token { jwt, .. } => {
                let jwt = current.map_or_else(|| jwt.clone(), |s| s.jwt.clone());
                self.authenticate("/authentication/renew", &RenewRequest { jwt }).await
            }
        }
    }

    /// Sends a login or renew body and turns the answer into a session. The raw body of a
    /// success answer is never kept in an error: it holds the token.
    async fn authenticate<B: Serialize>(&self, path: &str, body: &B) -> Result<Session> {
        tracing::debug!(path, "eclipse: authenticating");
        let (status, text) =
            self.send(Method::POST, &self.url(path), None, Some(body), None).await?;
        if !(200..300).contains(&status) {
            return Err(status_error(status, text));
        }
        let login: LoginResponse = decode(&text).map_err(|e| match e {
            Error::Decode { path, message, .. } => {
                Error::Decode { path, message, body: REDACTED.to_string() }
            }
            other => other,
        })?;
        let jwt = login.jwt();
        if jwt.expose_secret().is_empty() {
            return Err(Error::Decode {
                path: "headerValue".into(),
                message: "the login answer has no token".into(),
                body: REDACTED.to_string(),
            });
        }
        let expires_epoch_secs = login
            .expires_epoch_secs
            .or_else(|| jwt_claims(&jwt).and_then(|c| c.get("exp")?.as_i64()));
        Ok(Session {
            jwt,
            expires_epoch_secs,
            generation: self.inner.generation.fetch_add(1, Ordering::Relaxed),
        })
    }

    /// The current session, logging in or renewing first when needed. One caller at a time
    /// does this (the others wait on the lock and then use its result), so concurrent calls
    /// cause a single login or renewal.
    async fn session(&self) -> Result<Session> {
        let mut guard = self.inner.session.lock().await;
        let now = now_epoch_secs();
        let margin = self.inner.renew_before.as_secs() as i64;
        let current = guard.clone();
        let next = match &current {
            Some(s) => match s.expires_epoch_secs {
                None => return Ok(s.clone()),
                Some(exp) if now + margin < exp => return Ok(s.clone()),
                Some(exp) if now < exp => {
                    // Close to expiry but still valid: renew it.
                    match self
                        .authenticate("/authentication/renew", &RenewRequest { jwt: s.jwt.clone() })
                        .await
                    {
                        Ok(renewed) => renewed,
                        Err(e) => match &self.inner.credentials {
                            Credentials::Password { .. } => {
                                tracing::debug!(error = %e, "eclipse: renewal failed, logging in");
                                self.fresh_session(None).await?
                            }
                            // Still valid: use it until it lapses.
                            Credentials::Token { .. } => return Ok(s.clone()),
                        },
                    }
                }
                Some(_) => match &self.inner.credentials {
                    Credentials::Password { .. } => self.fresh_session(None).await?,
                    Credentials::Token { .. } => {
                        return Err(Error::Config(
                            "the supplied token has expired; supply a new one".into(),
                        ));
                    }
                },
            },
            None => self.fresh_session(None).await?,
        };
        *guard = Some(next.clone());
        Ok(next)
    }

    /// Forgets the session after a 401, unless another caller already replaced it.
    async fn invalidate(&self, generation: u64) {
        if let Credentials::Password { .. } = self.inner.credentials {
            let mut guard = self.inner.session.lock().await;
            if guard.as_ref().is_some_and(|s| s.generation == generation) {
                *guard = None;
            }
        }
    }

    /// Sends one request; returns the status and the body text.
    async fn send<B: Serialize>(
        &self,
        method: Method,
        url: &str,
        query: Option<(&str, &str)>,
        body: Option<&B>,
        token: Option<&SecretString>,
    ) -> Result<(u16, String)> {
        let mut req = self
            .inner
            .http
            .request(method, url)
            .timeout(self.inner.timeout)
            .header(ACCEPT, HeaderValue::from_static("application/json"));
        if let Some(q) = query {
            req = req.query(&[q]);
        }
        if let Some(token) = token {
            let auth = bearer(token)
                .map_err(|_| Error::Config("the token is not a valid header value".into()))?;
            req = req.header(AUTHORIZATION, auth);
        }
        if let Some(body) = body {
            let bytes = serde_json::to_vec(body)
                .map_err(|e| Error::invalid("body", format!("cannot be encoded: {e}")))?;
            req =
                req.header(CONTENT_TYPE, HeaderValue::from_static("application/json")).body(bytes);
        }
        let resp =
            req.send().await.map_err(|e| Error::Transport { state: classify(&e), source: e })?;
        let status = resp.status().as_u16();
        let text =
            resp.text().await.map_err(|e| Error::Transport { state: classify(&e), source: e })?;
        Ok((status, text))
    }

    /// An authenticated call. Reads log in again once after a 401 and are retried after
    /// transport errors and 502/503/504; payments are sent once.
    async fn call<B: Serialize>(
        &self,
        kind: Kind,
        method: Method,
        url: &str,
        query: Option<(&str, &str)>,
        body: Option<&B>,
    ) -> Result<String> {
        let mut relogged = false;
        let mut retries = 0;
        loop {
            let session = self.session().await?;
            let sent = self.send(method.clone(), url, query, body, Some(&session.jwt)).await;
            match sent {
                Ok((status, text)) if (200..300).contains(&status) => return Ok(text),
                Ok((401, text)) => {
                    self.invalidate(session.generation).await;
                    let can_relogin =
                        matches!(self.inner.credentials, Credentials::Password { .. });
                    if kind == Kind::Read && can_relogin && !relogged {
                        tracing::debug!(url, "eclipse: 401, logging in again");
                        relogged = true;
                        continue;
                    }
                    return Err(status_error(401, text));
                }
                Ok((status, text))
                    if kind == Kind::Read
                        && matches!(status, 502..=504)
                        && retries < self.inner.read_retries =>
                {
                    tracing::debug!(url, status, "eclipse: retrying a read");
                    retries += 1;
                    let _ = text;
                }
                Ok((status, text)) => return Err(status_error(status, text)),
                Err(Error::Transport { state, source })
                    if kind == Kind::Read && retries < self.inner.read_retries =>
                {
                    tracing::debug!(url, %state, error = %source, "eclipse: retrying a read");
                    retries += 1;
                }
                Err(e) => return Err(e),
            }
            tokio::time::sleep(Duration::from_millis(100 * u64::from(retries))).await;
        }
    }

    /// The network partner of a mobile number (`GET vas/{msisdn}`): MTN (4) or Vodacom (5).
    ///
    /// # Errors
    /// [`Error::InvalidInput`] (nothing sent) for a number that is not 5 to 16 digits; the
    /// call's error otherwise.
    pub async fn lookup_msisdn(&self, msisdn: &str) -> Result<MsisdnLookup> {
        digits("msisdn", msisdn)?;
        let url = self.tenant_url(&format!("/vas/{msisdn}"));
        let text = self.call::<()>(Kind::Read, Method::GET, &url, None, None).await?;
        decode(&text)
    }

    /// The VAS catalog (`GET vas/catalogs`), whole or for a query (`?catalogQuery=…`).
    ///
    /// # Errors
    /// The call's error, or [`Error::Decode`] naming the JSON path.
    pub async fn catalogs(&self, query: Option<&CatalogQuery>) -> Result<Vec<Partner>> {
        let url = self.tenant_url("/vas/catalogs");
        let q = query.map(|q| ("catalogQuery", q.as_str()));
        let text = self.call::<()>(Kind::Read, Method::GET, &url, q, None).await?;
        decode(&text)
    }

    /// Initiates a VAS payment (`POST customers/{customerId}/payments`), sent exactly once.
    ///
    /// Typically the answer is a `PENDING` payment. If this returns an error for which
    /// [`Error::maybe_sent`] is `true`, the payment may exist: do not send it again under a
    /// new reference (see [`Client::purchase_and_confirm`]).
    ///
    /// # Errors
    /// [`Error::InvalidInput`] (nothing sent) for a bad customer id or body; the call's error
    /// otherwise.
    pub async fn initiate_payment(
        &self,
        customer: &CustomerId,
        body: &InitiatePayment,
    ) -> Result<Payment> {
        check_path_id("customerId", customer.as_str())?;
        body.validate()?;
        let url = self.tenant_url(&format!("/customers/{customer}/payments"));
        tracing::debug!(reference = %body.external_unique_id, payment_data = %body.payment_data, "eclipse: initiating a payment");
        let text = self.call(Kind::Payment, Method::POST, &url, None, Some(body)).await?;
        decode(&text)
    }

    /// Completes or updates a payment (`PUT payments/{paymentId}`), sent exactly once.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] (nothing sent) for a bad body; the call's error otherwise.
    pub async fn update_payment(
        &self,
        payment: &PaymentId,
        body: &UpdatePayment,
    ) -> Result<UpdateResponse> {
        body.validate()?;
        let url = self.tenant_url(&format!("/payments/{payment}"));
        let text = self.call(Kind::Payment, Method::PUT, &url, None, Some(body)).await?;
        Ok(UpdateResponse::from_body(text))
    }

    /// A payment by id (`GET payments/{paymentId}`).
    ///
    /// # Errors
    /// The call's error, or [`Error::Decode`] naming the JSON path.
    pub async fn get_payment(&self, payment: &PaymentId) -> Result<Payment> {
        let url = self.tenant_url(&format!("/payments/{payment}"));
        let text = self.call::<()>(Kind::Read, Method::GET, &url, None, None).await?;
        decode(&text)
    }
}
