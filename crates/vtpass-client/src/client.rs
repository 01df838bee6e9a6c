//! [`Client`] and [`ClientBuilder`]: credentials, base URL, timeouts, and every endpoint.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderName};
use reqwest::{Method, Url};
use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;
use serde::de::DeserializeOwned;
use vas_common::secret::{REDACTED, basic, sensitive_header};
use vas_common::{Outcome, Polled, Step};

use crate::classify::{Classification, classify_pay_result, classify_requery_result};
use crate::codes::ResponseCode;
use crate::error::{Error, RawBody, Result};
use crate::models::catalog::read_code;
use crate::models::wire::is_sensitive_key;
use crate::models::{
    BalanceResponse, OptionsResponse, PayRequest, PayRequestBuilder, RequeryRequest,
    ServiceCategoriesResponse, ServiceVariationsResponse, ServicesResponse, TransactionResponse,
    VerifyRequest, VerifyResponse,
};
use crate::request_id::{RequestId, RequestIdGenerator};
use crate::service::ServiceId;

/// The sandbox API: `https://sandbox.vtpass.com/api/`.
pub const SANDBOX_URL: &str = "https://sandbox.vtpass.com/api/";
/// The live API as the service pages name it: `https://vtpass.com/api/`.
pub const LIVE_URL: &str = "https://vtpass.com/api/";
/// The live API as newer pages name it: `https://api-service.vtpass.com/api/`.
pub const LIVE_API_SERVICE_URL: &str = "https://api-service.vtpass.com/api/";

/// Which VTpass API to talk to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Environment {
    /// [`SANDBOX_URL`]: test money, scenario phone numbers.
    Sandbox,
    /// [`LIVE_URL`]: real money.
    Live,
    /// [`LIVE_API_SERVICE_URL`]: real money, the newer host.
    LiveApiService,
}

impl Environment {
    /// The base URL (ends with `/`).
    pub fn base_url(self) -> &'static str {
        match self {
            Environment::Sandbox => SANDBOX_URL,
            Environment::Live => LIVE_URL,
            Environment::LiveApiService => LIVE_API_SERVICE_URL,
        }
    }
}

/// How requests are authenticated.
///
/// `Debug` never shows the password or keys.
#[derive(Clone)]
#[non_exhaustive]
pub enum Credentials {
    /// HTTP Basic `email:password` on every request.
    Basic {
        /// The VTpass account e-mail.
        username: String,
        /// The account password.
        password: SecretString,
    },
    /// `api-key` on every request, plus `public-key` on GET and `secret-key` on POST.
    ApiKeys {
        /// `api-key`.
        api_key: SecretString,
        /// `public-key` (`PK_…`), sent on GET requests.
        public_key: SecretString,
        /// `secret-key` (`SK_…`), sent on POST requests.
        secret_key: SecretString,
    },
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credentials::Basic { username, .. } => f
                .debug_struct("Basic")
                .field("username", username)
                .field("password", &format_args!("{REDACTED}"))
                .finish(),
            Credentials::ApiKeys { .. } => f
                .debug_struct("ApiKeys")
                .field("api_key", &format_args!("{REDACTED}"))
                .field("public_key", &format_args!("{REDACTED}"))
                .field("secret_key", &format_args!("{REDACTED}"))
                .finish(),
        }
    }
}

impl Credentials {
    /// The auth headers for a request with `method`, marked sensitive.
    fn headers(&self, method: &Method) -> Result<HeaderMap> {
        let bad = |what: &str| Error::config(format!("the {what} is not a valid header value"));
        let mut h = HeaderMap::new();
        match self {
            Credentials::Basic { username, password } => {
                h.insert(AUTHORIZATION, basic(username, password).map_err(|_| bad("password"))?);
            }
            Credentials::ApiKeys { api_key, public_key, secret_key } => {
                let v = sensitive_header(api_key.expose_secret()).map_err(|_| bad("api-key"))?;
                h.insert(HeaderName::from_static("api-key"), v);
                if method == Method::GET {
                    let v = sensitive_header(public_key.expose_secret())
                        .map_err(|_| bad("public-key"))?;
                    h.insert(HeaderName::from_static("public-key"), v);
                } else {
                    let v = sensitive_header(secret_key.expose_secret())
                        .map_err(|_| bad("secret-key"))?;
                    h.insert(HeaderName::from_static("secret-key"), v);
                }
            }
        }
        Ok(h)
    }
}

/// The settings a [`Client`] runs with. `Debug` never shows a secret.
#[derive(Clone, Debug)]
pub struct Config {
    /// The API base URL (ends with `/`).
    pub base_url: Url,
    /// The credentials.
    pub credentials: Credentials,
    /// How long to wait for a connection.
    pub connect_timeout: Duration,
    /// How long to wait for a whole request, answer included.
    pub timeout: Duration,
    /// How many times a read (catalog, balance, verification, requery) is retried after a
    /// transport failure or a 5xx. Payments are never retried.
    pub read_retries: u32,
    /// The wait before the first read retry (doubled for each next one).
    pub retry_delay: Duration,
}

/// Builds a [`Client`].
///
/// ```no_run
/// use std::time::Duration;
/// use vtpass_client::{Client, Environment};
///
/// # fn main() -> vtpass_client::Result<()> {
/// let client = Client::builder()
///     .environment(Environment::Sandbox)
///     .api_keys("api-key", "PK_public", "SK_secret")
///     .timeout(Duration::from_secs(60))
///     .build()?;
/// # let _ = client; Ok(()) }
/// ```
#[must_use]
pub struct ClientBuilder {
    base_url: String,
    credentials: Option<Credentials>,
    connect_timeout: Duration,
    timeout: Duration,
    read_retries: u32,
    retry_delay: Duration,
    http: Option<reqwest::Client>,
    request_ids: RequestIdGenerator,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("credentials", &self.credentials)
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("read_retries", &self.read_retries)
            .field("retry_delay", &self.retry_delay)
            .field("http", &self.http.as_ref().map(|_| "custom"))
            .finish()
    }
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            base_url: SANDBOX_URL.to_owned(),
            credentials: None,
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(60),
            read_retries: 2,
            retry_delay: Duration::from_millis(500),
            http: None,
            request_ids: RequestIdGenerator::new(),
        }
    }
}

impl ClientBuilder {
    /// Sandbox (the default) or live.
    pub fn environment(mut self, env: Environment) -> Self {
        self.base_url = env.base_url().to_owned();
        self
    }

    /// Any base URL (a proxy, a local simulator); a missing trailing `/` is added.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// HTTP Basic authentication with the VTpass account e-mail and password.
    pub fn basic_auth(mut self, email: impl Into<String>, password: impl Into<String>) -> Self {
        self.credentials = Some(Credentials::Basic {
            username: email.into(),
            password: SecretString::from(password.into()),
        });
        self
    }

    /// API-key authentication: `api-key` always, `public-key` on GET, `secret-key` on POST.
    pub fn api_keys(
        mut self,
        api_key: impl Into<String>,
        public_key: impl Into<String>,
        secret_key: impl Into<String>,
    ) -> Self {
        self.credentials = Some(Credentials::ApiKeys {
            api_key: SecretString::from(api_key.into()),
            public_key: SecretString::from(public_key.into()),
            secret_key: SecretString::from(secret_key.into()),
        });
        self
    }

    /// Credentials built elsewhere.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// How long to wait for a connection (default 10 s). Not applied to an injected
    /// [`reqwest::Client`], which keeps its own.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long to wait for a whole request, answer included (default 60 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// How many times a read is retried after a transport failure or a 5xx (default 2).
    pub fn read_retries(mut self, retries: u32) -> Self {
        self.read_retries = retries;
        self
    }

    /// The wait before the first read retry (default 500 ms, doubled for each next one).
    pub fn retry_delay(mut self, delay: Duration) -> Self {
        self.retry_delay = delay;
        self
    }

    /// Uses this `reqwest::Client` (connection pool, proxy, TLS settings) instead of a new
    /// one.
    ///
    /// Build it with `.redirect(reqwest::redirect::Policy::none())`: reqwest follows
    /// redirects by default, and a `307` or `308` answer to `pay` would then send the payment
    /// a second time, to another address. The client this crate builds itself never follows
    /// redirects; a pay or requery answer that an injected client got after a redirect is
    /// never final (an [`Error::Decode`]: requery).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// The generator of [`Client::new_request_id`] and [`Client::pay_request`] (to inject a
    /// clock or a random source).
    pub fn request_id_generator(mut self, generator: RequestIdGenerator) -> Self {
        self.request_ids = generator;
        self
    }

    /// Checks the settings and builds the client.
    pub fn build(self) -> Result<Client> {
        let credentials = self.credentials.ok_or_else(|| {
            Error::config("credentials are required: call basic_auth or api_keys")
        })?;
        match &credentials {
            Credentials::Basic { username, password } => {
                if username.trim().is_empty() || password.expose_secret().is_empty() {
                    return Err(Error::config("the e-mail and password must not be empty"));
                }
            }
            Credentials::ApiKeys { api_key, public_key, secret_key } => {
                if [api_key, public_key, secret_key].iter().any(|k| k.expose_secret().is_empty()) {
                    return Err(Error::config("the api, public and secret keys must not be empty"));
                }
            }
        }
        // Catch header-unsafe secrets now rather than on the first request.
        credentials.headers(&Method::GET)?;
        credentials.headers(&Method::POST)?;
        let mut base = self.base_url.trim().to_owned();
        if !base.ends_with('/') {
            base.push('/');
        }
        let base_url = Url::parse(&base)
            .map_err(|e| Error::config(format!("base URL {base:?} is not a URL: {e}")))?;
        if !matches!(base_url.scheme(), "http" | "https") || base_url.cannot_be_a_base() {
            return Err(Error::config(format!("base URL {base:?} is not an http(s) URL")));
        }
        if self.timeout.is_zero() {
            return Err(Error::config("the timeout must be more than zero"));
        }
        let http = match self.http {
            Some(h) => h,
            // Never follow redirects: a 307 or 308 answer to `pay` would make reqwest send the
            // payment again to another address. A redirect is returned as an HTTP status.
            None => vas_common::transport::http_client(
                concat!("vtpass-client/", env!("CARGO_PKG_VERSION")),
                self.connect_timeout,
                None,
            )
            .map_err(|e| Error::config(format!("cannot build the HTTP client: {e}")))?,
        };
        let config = Config {
            base_url,
            credentials,
            connect_timeout: self.connect_timeout,
            timeout: self.timeout,
            read_retries: self.read_retries,
            retry_delay: self.retry_delay,
        };
        Ok(Client { inner: Arc::new(Inner { config, http, request_ids: self.request_ids }) })
    }
}

struct Inner {
    config: Config,
    http: reqwest::Client,
    request_ids: RequestIdGenerator,
}

/// A VTpass API client. Cheap to clone; clones share one connection pool.
///
/// Every endpoint is generic over [`ServiceId`]. Payments are sent once: [`Client::pay`]
/// never retries, and [`Client::purchase_and_confirm`] follows a payment with
/// [`Client::requery`] calls using the same request id.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client").field("config", &self.inner.config).finish_non_exhaustive()
    }
}

/// One HTTP answer: status and body text.
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) body: String,
    /// The answer came from another address than the one asked (an injected
    /// `reqwest::Client` followed a redirect).
    pub(crate) redirected: bool,
}

pub use vas_common::ConfirmOptions;

/// The result of [`Client::purchase_and_confirm`].
#[derive(Debug)]
pub struct Confirmation {
    /// The purchase's reference: store it; requery with it later when the outcome is not
    /// final.
    pub request_id: RequestId,
    /// `Delivered` or `Failed` when final; `Pending` when the deadline passed first.
    pub outcome: Outcome,
    /// The last classification (of the payment, or of the last requery).
    pub classification: Classification,
    /// The last VTpass answer received (payment or requery), if any.
    pub response: Option<TransactionResponse>,
    /// The payment's own error, when the payment got no usable answer.
    pub pay_error: Option<Error>,
    /// How many requeries were made.
    pub requeries: u32,
}

impl Client {
    /// A builder (sandbox by default).
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A new request id from this client's generator.
    pub fn new_request_id(&self) -> RequestId {
        self.inner.request_ids.generate()
    }

    /// Starts a payment for `service_id` whose request id comes from this client's
    /// generator.
    pub fn pay_request(&self, service_id: ServiceId) -> PayRequestBuilder {
        PayRequest::builder(service_id).request_id(self.new_request_id())
    }

    /// The settings this client runs with.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    fn url(&self, endpoint: &str) -> Result<Url> {
        self.inner
            .config
            .base_url
            .join(endpoint)
            .map_err(|e| Error::config(format!("cannot build the URL of {endpoint}: {e}")))
    }

    /// Sends one request; no retry.
    async fn send_once<B: Serialize + ?Sized>(
        &self,
        method: Method,
        endpoint: &'static str,
        query: &[(&str, &str)],
        body: Option<&B>,
    ) -> Result<Answer> {
        let cfg = &self.inner.config;
        let url = self.url(endpoint)?;
        let mut rb = self
            .inner
            .http
            .request(method.clone(), url.clone())
            .headers(cfg.credentials.headers(&method)?)
            .timeout(cfg.timeout);
        if !query.is_empty() {
            rb = rb.query(query);
        }
        if let Some(b) = body {
            rb = rb.json(b);
        }
        let resp = rb.send().await.map_err(|e| Error::transport(endpoint, e))?;
        let status = resp.status().as_u16();
        let final_url = resp.url();
        let redirected = final_url.origin() != url.origin() || final_url.path() != url.path();
        if redirected {
            tracing::warn!(endpoint, "the HTTP client followed a redirect");
        }
        let body = resp.text().await.map_err(|e| Error::transport(endpoint, e))?;
        tracing::debug!(endpoint, status, "VTpass answered");
        Ok(Answer { status, body, redirected })
    }

    /// Sends a read, retrying transport failures and 5xx answers.
    async fn send_read<B: Serialize + ?Sized>(
        &self,
        method: Method,
        endpoint: &'static str,
        query: &[(&str, &str)],
        body: Option<&B>,
    ) -> Result<Answer> {
        let cfg = &self.inner.config;
        let mut delay = cfg.retry_delay;
        let mut attempt = 0;
        loop {
            let result = self.send_once(method.clone(), endpoint, query, body).await;
            let retry = match &result {
                Ok(a) => a.status >= 500,
                Err(e) => e.send_state().is_some(),
            };
            if !retry || attempt >= cfg.read_retries {
                return result;
            }
            attempt += 1;
            tracing::debug!(endpoint, attempt, "retrying a read");
            tokio::time::sleep(delay).await;
            delay = delay.saturating_mul(2);
        }
    }

    /// Decodes a read's answer and turns a VTpass error code into [`Error::Vendor`].
    pub(crate) fn decode_read<T: DeserializeOwned>(
        endpoint: &'static str,
        answer: Answer,
        ok_codes: &[&str],
        code_of: impl Fn(&T) -> Option<ResponseCode>,
    ) -> Result<T> {
        let ok_status = (200..300).contains(&answer.status);
        let value = match decode::<T>(endpoint, &answer) {
            Ok(v) => v,
            // An error page (HTML, proxy text) says more by its status than by its body.
            Err(_) if !ok_status => return Err(http_error(endpoint, answer)),
            Err(e) => return Err(e),
        };
        if let Some(code) = code_of(&value).filter(|c| !ok_codes.contains(&c.as_str())) {
            let description = serde_json::from_str::<serde_json::Value>(&answer.body)
                .ok()
                .and_then(|j| j.get("response_description")?.as_str().map(str::to_owned));
            return Err(Error::Vendor {
                endpoint,
                code,
                description,
                body: RawBody::new(answer.body),
            });
        }
        if !ok_status {
            return Err(http_error(endpoint, answer));
        }
        Ok(value)
    }

    /// Decodes a pay or requery answer: any VTpass answer with a `code` is returned, whatever
    /// the HTTP status (below 500), so that it can be classified.
    ///
    /// An answer that names another request id (`requestId`) than `expected` is not about
    /// this payment: it is an [`Error::Decode`] at `requestId`, never an outcome.
    pub(crate) fn decode_transaction(
        endpoint: &'static str,
        answer: Answer,
        expected: Option<&str>,
    ) -> Result<TransactionResponse> {
        if answer.status >= 500 {
            return Err(http_error(endpoint, answer));
        }
        if answer.redirected {
            // Only an injected client follows redirects; a 307/308 has sent the request
            // again elsewhere, so this answer cannot settle the payment.
            return Err(Error::Decode {
                endpoint,
                path: ".".to_owned(),
                message: "the answer came after a redirect, from another address: requery"
                    .to_owned(),
                status: Some(answer.status),
                body: RawBody::new(answer.body),
            });
        }
        let r = match decode::<TransactionResponse>(endpoint, &answer) {
            Ok(r) if r.code.is_some() || (200..300).contains(&answer.status) => r,
            Ok(_) => return Err(http_error(endpoint, answer)),
            Err(_) if !(200..300).contains(&answer.status) => {
                return Err(http_error(endpoint, answer));
            }
            Err(e) => return Err(e),
        };
        let echoed = r.request_id.as_deref().map(str::trim).filter(|id| !id.is_empty());
        if let (Some(expected), Some(echoed)) = (expected, echoed)
            && echoed != expected
        {
            return Err(Error::Decode {
                endpoint,
                path: "requestId".to_owned(),
                message: format!("the answer is about request id {echoed:?}, not {expected:?}"),
                status: Some(answer.status),
                body: RawBody::new(answer.body),
            });
        }
        Ok(r)
    }

    /// `GET service-variations?serviceID=…`: the plans of a service.
    pub async fn service_variations(
        &self,
        service: &ServiceId,
    ) -> Result<ServiceVariationsResponse> {
        ServiceId::check(service.as_str())?;
        let a = self
            .send_read::<()>(
                Method::GET,
                "service-variations",
                &[("serviceID", service.as_str())],
                None,
            )
            .await?;
        Self::decode_read("service-variations", a, &["000"], |r: &ServiceVariationsResponse| {
            read_code(r.code.as_ref(), r.response_description.as_deref())
        })
    }

    /// `GET service-categories`: the categories (`airtime`, `data`, …).
    pub async fn service_categories(&self) -> Result<ServiceCategoriesResponse> {
        let a = self.send_read::<()>(Method::GET, "service-categories", &[], None).await?;
        Self::decode_read("service-categories", a, &["000"], |r: &ServiceCategoriesResponse| {
            read_code(r.code.as_ref(), r.response_description.as_deref())
        })
    }

    /// `GET services?identifier=…`: the services of a category.
    pub async fn services(&self, identifier: &str) -> Result<ServicesResponse> {
        if identifier.trim().is_empty() {
            return Err(Error::invalid("identifier", "must not be empty"));
        }
        let a = self
            .send_read::<()>(Method::GET, "services", &[("identifier", identifier)], None)
            .await?;
        Self::decode_read("services", a, &["000"], |r: &ServicesResponse| {
            read_code(r.code.as_ref(), r.response_description.as_deref())
        })
    }

    /// `GET options?serviceID=…&name=…`: the choices of one option of a service.
    pub async fn options(&self, service: &ServiceId, name: &str) -> Result<OptionsResponse> {
        ServiceId::check(service.as_str())?;
        if name.trim().is_empty() {
            return Err(Error::invalid("name", "must not be empty"));
        }
        let a = self
            .send_read::<()>(
                Method::GET,
                "options",
                &[("serviceID", service.as_str()), ("name", name)],
                None,
            )
            .await?;
        Self::decode_read("options", a, &["000"], |r: &OptionsResponse| {
            read_code(r.code.as_ref(), r.response_description.as_deref())
        })
    }

    /// `GET balance`: the wallet balance.
    pub async fn balance(&self) -> Result<BalanceResponse> {
        let a = self.send_read::<()>(Method::GET, "balance", &[], None).await?;
        Self::decode_read("balance", a, &["000", "001"], |r: &BalanceResponse| {
            // Success is `"code": 1` with `contents`; an error carries a code and no balance.
            match (r.balance(), &r.code) {
                (None, Some(c)) => Some(ResponseCode::from_wire(c)),
                _ => None,
            }
        })
    }

    /// `POST merchant-verify`: checks a smartcard, meter or account number.
    ///
    /// A number VTpass does not know is not an error: see [`VerifyResponse::error_message`].
    pub async fn merchant_verify(&self, request: &VerifyRequest) -> Result<VerifyResponse> {
        request.validate()?;
        let a = self.send_read(Method::POST, "merchant-verify", &[], Some(request)).await?;
        Self::decode_read("merchant-verify", a, &["000", "020"], |r: &VerifyResponse| {
            r.response_code()
        })
    }

    /// `POST pay`: sends the payment once. Never retried.
    ///
    /// Any VTpass answer is `Ok`, failures included: classify it with
    /// [`crate::classify_pay`]. An `Err` that [`Error::maybe_sent`] is a payment that may
    /// have happened: requery with the same request id, never pay again with a new one.
    pub async fn pay(&self, request: &PayRequest) -> Result<TransactionResponse> {
        request.validate()?;
        tracing::info!(request_id = %request.request_id(), service = %request.service_id(), "paying");
        let a = self.send_once(Method::POST, "pay", &[], Some(request)).await?;
        Self::decode_transaction("pay", a, Some(request.request_id().as_str()))
    }

    /// `POST requery`: the status of the payment with this request id (retried as a read).
    pub async fn requery(&self, request_id: &RequestId) -> Result<TransactionResponse> {
        RequestId::parse(request_id.as_str())?;
        let body = RequeryRequest { request_id };
        let a = self.send_read(Method::POST, "requery", &[], Some(&body)).await?;
        Self::decode_transaction("requery", a, Some(request_id.as_str()))
    }

    /// Pays once, then requeries with the same request id on `options.backoff` until the
    /// outcome is final or `options.deadline` passes.
    ///
    /// Returns `Err` only when nothing was sent (invalid input, configuration, no
    /// connection): then nothing was charged and the same request may be sent again. Every
    /// other case is a [`Confirmation`]: `Delivered`, `Failed`, or `Pending` with the
    /// request id when the deadline passed first (requery later; never pay again with a new
    /// id). A payment that times out, is dropped, gets a 5xx or an unreadable answer is
    /// requeried, never repeated.
    pub async fn purchase_and_confirm(
        &self,
        request: &PayRequest,
        options: &ConfirmOptions,
    ) -> Result<Confirmation> {
        let request_id = request.request_id().clone();
        let paid = self.pay(request).await;
        let first = classify_pay_result(&paid);
        let (mut response, pay_error) = match paid {
            Ok(r) => (Some(r), None),
            Err(e) if !e.maybe_sent() => return Err(e),
            Err(e) => (None, Some(e)),
        };
        if first.is_final() {
            return Ok(Confirmation {
                request_id,
                outcome: first.outcome,
                classification: first,
                response,
                pay_error,
                requeries: 0,
            });
        }
        tracing::info!(request_id = %request_id, detail = %first.detail, "payment not final; requerying");
        let id = &request_id;
        let polled = vas_common::poll::poll(&options.backoff, options.deadline, |_| async move {
            let r = self.requery(id).await;
            let c = classify_requery_result(&r);
            let step_value = (c.clone(), r.ok());
            if c.is_final() { Step::Done(step_value) } else { Step::Again(step_value) }
        })
        .await;
        let (classification, last, requeries, outcome) = match polled {
            Polled::Final { value: (c, r), attempts } => {
                let outcome = c.outcome;
                (c, r, attempts, outcome)
            }
            Polled::GaveUp { last: Some((c, r)), attempts } => (c, r, attempts, Outcome::Pending),
            Polled::GaveUp { last: None, attempts } => (first, None, attempts, Outcome::Pending),
        };
        if last.is_some() {
            response = last;
        }
        Ok(Confirmation { request_id, outcome, classification, response, pay_error, requeries })
    }
}

fn http_error(endpoint: &'static str, answer: Answer) -> Error {
    Error::Http { endpoint, status: answer.status, body: RawBody::new(answer.body) }
}

fn decode<T: DeserializeOwned>(endpoint: &'static str, answer: &Answer) -> Result<T> {
    let failed = |path: String, message: String| Error::Decode {
        endpoint,
        path,
        message,
        status: Some(answer.status),
        body: RawBody::new(answer.body.clone()),
    };
    let de = &mut serde_json::Deserializer::from_str(&answer.body);
    let value = serde_path_to_error::deserialize(&mut *de).map_err(|e| {
        let path = e.path().to_string();
        let message = e.into_inner().to_string();
        // serde quotes the offending value (`invalid type: string "PIN: 1234", expected a
        // sequence`): not when the value sits under a sensitive key or in `cards`.
        let message = if is_sensitive_key(&path) || path.to_ascii_lowercase().contains("cards") {
            redact_quoted(&message)
        } else {
            message
        };
        failed(path, message)
    })?;
    // One JSON document and nothing after it: `{"code":"016"}{"code":"000",…}` or a body
    // with text appended is not an answer to believe.
    de.end().map_err(|e| failed(".".to_owned(), e.to_string()))?;
    Ok(value)
}

/// `message` with everything between its first and last quote (`"` or `` ` ``) replaced by
/// `[REDACTED]`.
fn redact_quoted(message: &str) -> String {
    let first = message.find(['"', '`']);
    let last = message.rfind(['"', '`']);
    match (first, last) {
        (Some(a), Some(b)) if a < b => {
            format!(
                "{}{REDACTED}{}",
                message.get(..=a).unwrap_or(""),
                message.get(b..).unwrap_or("")
            )
        }
        (Some(a), _) => format!("{}{REDACTED}", message.get(..=a).unwrap_or("")),
        _ => message.to_owned(),
    }
}

/// Decodes a body that did not come from an HTTP call of this client (a webhook).
pub(crate) fn decode_text<T: DeserializeOwned>(endpoint: &'static str, body: &str) -> Result<T> {
    decode(endpoint, &Answer { status: 0, body: body.to_owned(), redirected: false }).map_err(|e| {
        match e {
            Error::Decode { endpoint, path, message, body, .. } => {
                Error::Decode { endpoint, path, message, status: None, body }
            }
            other => other,
        }
    })
}
