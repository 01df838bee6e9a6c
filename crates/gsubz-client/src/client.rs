//! The GSUBZ client.

use std::fmt;
use std::time::Duration;

use reqwest::header::{ACCEPT, AUTHORIZATION, HeaderMap, HeaderValue};
use reqwest::{RequestBuilder, Url};
use secrecy::{ExposeSecret, SecretString};
use serde::de::DeserializeOwned;
use serde_json::Value;
use vas_common::poll::{Polled, Step, poll};
use vas_common::{Outcome, SendState};

use crate::models::{
    Balance, Category, CustomerInfo, PayRequest, Plans, ResponseCode, ServiceFields,
    VerifyCustomerRequest, VerifyRequest,
};
use crate::transaction::{Call, Transaction, body_error};
use crate::{Error, RequestId, Result};

/// Which of GSUBZ's two documented APIs to speak.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ApiVersion {
    /// The newer API: base `https://api.gsubz.com/api/`, paths with a trailing slash
    /// (`pay/`, `verify/`, `balance/`, `verify-customer/`).
    #[default]
    Current,
    /// The older API of the original doc: base `https://gsubz.com/api/`, paths without a
    /// trailing slash (`category`, `fields`, `variation`, `pay`, `verify`, `balance`).
    Legacy,
}

impl ApiVersion {
    /// The production base URL.
    pub fn default_base_url(self) -> &'static str {
        match self {
            ApiVersion::Current => "https://api.gsubz.com/api/",
            ApiVersion::Legacy => "https://gsubz.com/api/",
        }
    }

    /// Whether paths end with a slash.
    pub fn trailing_slash(self) -> bool {
        matches!(self, ApiVersion::Current)
    }
}

/// A GSUBZ endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Endpoint {
    /// `GET category`.
    Category,
    /// `GET service?service=…`.
    Service,
    /// `GET fields?service=…`.
    Fields,
    /// `GET plans?service=…`.
    Plans,
    /// `GET variation?service=…&value=…`.
    Variation,
    /// `POST pay`, or `POST testpay` in sandbox mode.
    Pay,
    /// `POST verify`, or `POST testverfy` (sic) in sandbox mode.
    Verify,
    /// `POST balance`.
    Balance,
    /// `POST verify-customer`.
    VerifyCustomer,
}

impl Endpoint {
    /// The path, as GSUBZ spells it, without the trailing slash.
    pub fn path(self, sandbox: bool) -> &'static str {
        match self {
            Endpoint::Category => "category",
            Endpoint::Service => "service",
            Endpoint::Fields => "fields",
            Endpoint::Plans => "plans",
            Endpoint::Variation => "variation",
            Endpoint::Pay if sandbox => "testpay",
            Endpoint::Pay => "pay",
            Endpoint::Verify if sandbox => "testverfy",
            Endpoint::Verify => "verify",
            Endpoint::Balance => "balance",
            Endpoint::VerifyCustomer => "verify-customer",
        }
    }
}

pub use vas_common::ConfirmOptions;

/// The result of [`Client::purchase_and_confirm`].
#[derive(Debug)]
#[non_exhaustive]
pub struct Confirmed {
    /// The purchase's `requestID`.
    pub request_id: RequestId,
    /// The outcome: final if the purchase or a status query said so; otherwise `Pending`
    /// (some answer said pending) or `Unknown`. Never a guess.
    pub outcome: Outcome,
    /// The purchase's own answer.
    pub payment: Transaction,
    /// The last status query's answer, if any was received.
    pub last_status: Option<Transaction>,
    /// How many status queries were made.
    pub status_queries: u32,
}

impl Confirmed {
    /// The answer the outcome comes from: the last status query's, else the purchase's.
    pub fn transaction(&self) -> &Transaction {
        self.last_status.as_ref().unwrap_or(&self.payment)
    }
}

/// Builds a [`Client`].
#[must_use = "call .build() to get the client"]
pub struct ClientBuilder {
    api_key: SecretString,
    version: ApiVersion,
    base_url: Option<String>,
    sandbox: bool,
    connect_timeout: Duration,
    timeout: Duration,
    read_retries: u32,
    retry_delay: Duration,
    http: Option<reqwest::Client>,
    injected_follows_redirects: bool,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("api_key", &vas_common::secret::REDACTED)
            .field("version", &self.version)
            .field("base_url", &self.base_url)
            .field("sandbox", &self.sandbox)
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("read_retries", &self.read_retries)
            .field("retry_delay", &self.retry_delay)
            .field("http", &self.http.as_ref().map(|_| "custom"))
            .finish()
    }
}

impl ClientBuilder {
    /// The API version (default [`ApiVersion::Current`]); it sets the default base URL and
    /// whether paths end with a slash.
    pub fn api_version(mut self, version: ApiVersion) -> Self {
        self.version = version;
        self
    }

    /// Overrides the base URL (for a proxy, the sandbox simulator or a mock server). The
    /// endpoint paths are appended to it.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Sandbox mode: purchases go to `testpay` and status queries to `testverfy` (spelled as
    /// GSUBZ spells it). Default off.
    pub fn sandbox(mut self, on: bool) -> Self {
        self.sandbox = on;
        self
    }

    /// How long to wait for a connection (default 15 s). A connect timeout means nothing
    /// was sent.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long to wait for a whole call (default 90 s; GSUBZ asks for at least 60 s). A
    /// purchase that times out is `Unknown`, never `Failed`.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// How many times a read (catalog, balance, customer verification) is sent again after
    /// a transport error, a 5xx, a 502 code or a 429 (default 2). Purchases are never sent
    /// again; status queries are repeated by [`Client::purchase_and_confirm`].
    pub fn read_retries(mut self, retries: u32) -> Self {
        self.read_retries = retries;
        self
    }

    /// The wait before the first read retry, growing linearly (default 500 ms).
    pub fn retry_delay(mut self, delay: Duration) -> Self {
        self.retry_delay = delay;
        self
    }

    /// Uses the caller's `reqwest::Client` (its connection pool, proxy, TLS settings). The
    /// overall [`timeout`](ClientBuilder::timeout) is still applied to every call; the
    /// connect timeout is the given client's.
    ///
    /// Build it with `redirect(reqwest::redirect::Policy::none())`, as the client built here
    /// is: a redirect of a purchase may send it again elsewhere. Should the given client
    /// follow redirects, an answer to a purchase or status query that comes from another URL
    /// is `Unknown`, and, since a connection error may then come from a redirect's target
    /// after GSUBZ received the purchase, a purchase that fails to connect is `Unknown` too
    /// rather than "not sent". If you built it without redirects, say so with
    /// [`http_client_without_redirects`](ClientBuilder::http_client_without_redirects).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self.injected_follows_redirects = true;
        self
    }

    /// Uses the caller's `reqwest::Client`, which the caller built with
    /// `redirect(reqwest::redirect::Policy::none())`: a purchase that cannot connect is then
    /// known not to have been sent, as with the client built here.
    pub fn http_client_without_redirects(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self.injected_follows_redirects = false;
        self
    }

    /// Checks the settings and builds the client.
    pub fn build(self) -> Result<Client> {
        let key = self.api_key.expose_secret();
        if key.trim().is_empty() {
            return Err(Error::Config("the API key is empty".into()));
        }
        if vas_common::secret::bearer(&self.api_key).is_err() {
            return Err(Error::Config("the API key has characters a header cannot carry".into()));
        }
        let raw = self.base_url.as_deref().unwrap_or(self.version.default_base_url());
        let mut base = Url::parse(raw.trim())
            .map_err(|e| Error::Config(format!("base URL {raw:?} is not a URL: {e}")))?;
        if !matches!(base.scheme(), "http" | "https") || base.cannot_be_a_base() {
            return Err(Error::Config(format!("base URL {raw:?} is not an http(s) URL")));
        }
        if base.query().is_some() || base.fragment().is_some() {
            return Err(Error::Config(format!("base URL {raw:?} has a query or fragment")));
        }
        if !base.path().ends_with('/') {
            let path = format!("{}/", base.path());
            base.set_path(&path);
        }
        if self.timeout.is_zero() {
            return Err(Error::Config("the timeout is zero".into()));
        }
        // An injected client is taken to follow redirects unless the caller said otherwise.
        let follows_redirects = self.http.is_some() && self.injected_follows_redirects;
        let http = match self.http {
            Some(c) => c,
            // Redirects are never followed: a purchase POST answered with a 30x could be sent
            // again elsewhere (307/308), or turned into a GET whose answer says nothing about
            // the purchase (301/302/303), and a form body carries the key as `api`.
            None => vas_common::transport::http_client(
                concat!("gsubz-client/", env!("CARGO_PKG_VERSION")),
                self.connect_timeout,
                Some(self.timeout),
            )
            .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))?,
        };
        Ok(Client {
            http,
            api_key: self.api_key,
            base,
            version: self.version,
            sandbox: self.sandbox,
            timeout: self.timeout,
            read_retries: self.read_retries,
            retry_delay: self.retry_delay,
            follows_redirects,
        })
    }
}

/// A GSUBZ client. Cheap to clone (the connection pool is shared).
///
/// Every call sends the API key as `Authorization: Bearer …` (marked sensitive), and every
/// form body also carries it as the field `api`, as GSUBZ asks. `Debug` never shows it.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    api_key: SecretString,
    base: Url,
    version: ApiVersion,
    sandbox: bool,
    timeout: Duration,
    read_retries: u32,
    retry_delay: Duration,
    /// Whether the HTTP client may follow redirects (only an injected one can).
    follows_redirects: bool,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("api_key", &vas_common::secret::REDACTED)
            .field("base", &self.base.as_str())
            .field("version", &self.version)
            .field("sandbox", &self.sandbox)
            .field("timeout", &self.timeout)
            .field("read_retries", &self.read_retries)
            .field("follows_redirects", &self.follows_redirects)
            .finish()
    }
}

impl Client {
    /// A builder with the API key; everything else has defaults.
    pub fn builder(api_key: impl Into<SecretString>) -> ClientBuilder {
        ClientBuilder {
            api_key: api_key.into(),
            version: ApiVersion::default(),
            base_url: None,
            sandbox: false,
            connect_timeout: Duration::from_secs(15),
            timeout: Duration::from_secs(90),
            read_retries: 2,
            retry_delay: Duration::from_millis(500),
            http: None,
            injected_follows_redirects: true,
        }
    }

    /// A client for the production API with default settings.
    pub fn new(api_key: impl Into<SecretString>) -> Result<Client> {
        Client::builder(api_key).build()
    }

    /// Whether purchases and status queries go to the test endpoints.
    pub fn is_sandbox(&self) -> bool {
        self.sandbox
    }

    /// The API version spoken.
    pub fn api_version(&self) -> ApiVersion {
        self.version
    }

    /// The full URL of an endpoint.
    pub fn endpoint_url(&self, endpoint: Endpoint) -> Url {
        let mut path = endpoint.path(self.sandbox).to_owned();
        if self.version.trailing_slash() {
            path.push('/');
        }
        // The base ends with '/' and the path is a plain relative segment: joining cannot
        // fail, but fall back to the base rather than panic.
        self.base.join(&path).unwrap_or_else(|_| self.base.clone())
    }

    fn headers(&self) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(ACCEPT, HeaderValue::from_static("application/json"));
        // Checked in `build`.
        if let Ok(v) = vas_common::secret::bearer(&self.api_key) {
            h.insert(AUTHORIZATION, v);
        }
        h
    }

    /// The form body: the key as `api`, then the request's fields.
    fn keyed_form(&self, fields: Vec<(&str, String)>) -> Vec<(String, String)> {
        let mut form = Vec::with_capacity(fields.len() + 1);
        form.push(("api".to_owned(), self.api_key.expose_secret().to_owned()));
        form.extend(fields.into_iter().map(|(k, v)| (k.to_owned(), v)));
        form
    }

    fn get(&self, endpoint: Endpoint) -> RequestBuilder {
        self.http.get(self.endpoint_url(endpoint)).headers(self.headers()).timeout(self.timeout)
    }

    fn post_form(&self, endpoint: Endpoint, form: &[(String, String)]) -> RequestBuilder {
        self.post_form_to(self.endpoint_url(endpoint), form)
    }

    fn post_form_to(&self, url: Url, form: &[(String, String)]) -> RequestBuilder {
        self.http.post(url).headers(self.headers()).timeout(self.timeout).form(form)
    }

    /// Sends a read, again after retryable failures, and decodes its answer.
    async fn read<T: DeserializeOwned>(&self, make: impl Fn() -> RequestBuilder) -> Result<T> {
        let mut attempt = 0u32;
        loop {
            let result = self.read_once(make()).await;
            match result {
                Err(e) if attempt < self.read_retries && retryable(&e) => {
                    attempt += 1;
                    tracing::debug!(attempt, error = %e, "GSUBZ read failed; asking again");
                    tokio::time::sleep(self.retry_delay.saturating_mul(attempt)).await;
                }
                other => return other,
            }
        }
    }

    async fn read_once<T: DeserializeOwned>(&self, request: RequestBuilder) -> Result<T> {
        let response = request.send().await.map_err(Error::transport)?;
        let status = response.status().as_u16();
        let body = response.text().await.map_err(body_error)?;
        decode_read(status, body)
    }

    /// `GET category`: the categories (airtime is spelled `artime`).
    pub async fn categories(&self) -> Result<Vec<Category>> {
        self.read(|| self.get(Endpoint::Category)).await
    }

    /// `GET service?service=…`: a service's name and fields.
    pub async fn service(&self, service_id: &str) -> Result<ServiceFields> {
        check_id("service", service_id)?;
        self.read(|| self.get(Endpoint::Service).query(&[("service", service_id)])).await
    }

    /// `GET fields?service=…`: the fields a purchase of the service takes, with their
    /// `regExp` (check a request with [`ServiceFields::check`] or use
    /// [`pay_checked`](Client::pay_checked)).
    pub async fn fields(&self, service_id: &str) -> Result<ServiceFields> {
        check_id("service", service_id)?;
        self.read(|| self.get(Endpoint::Fields).query(&[("service", service_id)])).await
    }

    /// `GET plans?service=…`: a service's plans (data bundles, TV bouquets).
    pub async fn plans(&self, service_id: &str) -> Result<Plans> {
        check_id("service", service_id)?;
        self.read(|| self.get(Endpoint::Plans).query(&[("service", service_id)])).await
    }

    /// `GET variation?service=…&value=…`: one plan of a service.
    pub async fn variation(&self, service_id: &str, value: &str) -> Result<Plans> {
        check_id("service", service_id)?;
        check_id("value", value)?;
        self.read(|| {
            self.get(Endpoint::Variation).query(&[("service", service_id), ("value", value)])
        })
        .await
    }

    /// `POST balance`: the account balance (either documented shape).
    pub async fn balance(&self) -> Result<Balance> {
        // The body is the `BalanceRequest`: the key as `api`, nothing else.
        let form = self.keyed_form(Vec::new());
        self.read(|| self.post_form(Endpoint::Balance, &form)).await
    }

    /// `POST verify-customer/` (newer API): checks a smartcard or meter number.
    pub async fn verify_customer(&self, request: &VerifyCustomerRequest) -> Result<CustomerInfo> {
        request.check()?;
        let form = self.keyed_form(request.form_fields());
        self.read(|| self.post_form(Endpoint::VerifyCustomer, &form)).await
    }

    /// `POST pay` (or `testpay` in sandbox mode): sends the purchase **once**.
    ///
    /// Returns `Err` only when nothing reached GSUBZ (a connection could not be made); the
    /// request may then be sent again as it is (same `requestID`). Once the request may have
    /// been received, the answer is `Ok` with a [`Transaction`] whose outcome says what to do:
    /// `Delivered`, `Failed`, or `Pending`/`Unknown`: then ask with [`verify`](Client::verify)
    /// and the same `requestID` (or use
    /// [`purchase_and_confirm`](Client::purchase_and_confirm)); never pay again with a new one.
    pub async fn pay(&self, request: &PayRequest) -> Result<Transaction> {
        let form = self.keyed_form(request.form_fields());
        tracing::info!(
            request_id = %request.request_id(),
            service = request.service_id(),
            sandbox = self.sandbox,
            "sending GSUBZ purchase"
        );
        let tx =
            self.send_transaction(Call::Pay, Endpoint::Pay, &form, request.request_id()).await?;
        let tx = for_this_purchase(request, tx, false);
        tracing::info!(request_id = %tx.request_id, outcome = %tx.outcome, "GSUBZ purchase answered");
        Ok(tx)
    }

    /// Checks the purchase against the service's fields (each required field present, each
    /// value matching its `regExp`), then [`pay`](Client::pay)s. A value failing a check is
    /// rejected before anything is sent.
    pub async fn pay_checked(
        &self,
        request: &PayRequest,
        fields: &ServiceFields,
    ) -> Result<Transaction> {
        fields.check(request)?;
        self.pay(request).await
    }

    /// `POST verify` (or `testverfy` in sandbox mode): the status of the purchase with this
    /// `requestID`. Sent once per call; a status query that cannot be read is an `Unknown`
    /// transaction, like a purchase.
    pub async fn verify(&self, request_id: &RequestId) -> Result<Transaction> {
        let form = self.keyed_form(VerifyRequest::new(request_id.clone()).form_fields());
        self.send_transaction(Call::Verify, Endpoint::Verify, &form, request_id).await
    }

    async fn send_transaction(
        &self,
        call: Call,
        endpoint: Endpoint,
        form: &[(String, String)],
        request_id: &RequestId,
    ) -> Result<Transaction> {
        let url = self.endpoint_url(endpoint);
        let response = match self.post_form_to(url.clone(), form).send().await {
            Ok(r) => r,
            Err(e) => {
                // An injected client may have followed a redirect: a connection that fails
                // at the redirect's target comes after the request reached `url`, and
                // reqwest's error still names `url`.
                let error = if self.follows_redirects && !e.is_builder() {
                    Error::AfterSend { state: SendState::Interrupted, source: e }
                } else {
                    Error::transport(e)
                };
                if !error.maybe_sent() {
                    return Err(error);
                }
                return Ok(Transaction::unknown(request_id.clone(), None, error));
            }
        };
        let status = response.status().as_u16();
        let redirected_to = (*response.url() != url).then(|| response.url().to_string());
        match response.text().await {
            Ok(body) => match redirected_to {
                Some(to) => Ok(Transaction::untrusted(
                    request_id.clone(),
                    status,
                    body,
                    format!("the request was redirected to {to}; the answer is not GSUBZ's"),
                )),
                None => Ok(Transaction::from_answer(call, request_id.clone(), status, body)),
            },
            Err(e) => Ok(Transaction::unknown(request_id.clone(), Some(status), body_error(e))),
        }
    }

    /// Pays once, then, unless the answer is final, asks for the status with the same
    /// `requestID` on `options`' schedule until it is final or the deadline passes.
    ///
    /// The purchase is never sent twice: a timeout, a 502, an unreadable answer all lead to
    /// status queries. Returns `Err` only when the purchase was not sent (invalid input, no
    /// connection), so that it may be sent again as it is.
    ///
    /// Status answers naming another `serviceID` or phone are not taken as this purchase's,
    /// and when the purchase itself is answered 406 with another purchase's transaction (the
    /// `requestID` was already used), no status is asked: the outcome is `Unknown`.
    pub async fn purchase_and_confirm(
        &self,
        request: &PayRequest,
        options: &ConfirmOptions,
    ) -> Result<Confirmed> {
        let payment = self.pay(request).await?;
        let request_id = request.request_id().clone();
        // A requestID already used by another purchase: a status query would tell that one's.
        let taken = payment.is_other_purchase();
        if payment.is_final() || taken {
            return Ok(Confirmed {
                request_id,
                outcome: payment.outcome,
                payment,
                last_status: None,
                status_queries: 0,
            });
        }
        let id = &request_id;
        let polled = poll(&options.backoff, options.deadline, |attempt| async move {
            match self.verify(id).await.map(|tx| for_this_purchase(request, tx, true)) {
                Ok(tx) if tx.is_final() => Step::Done(Some(tx)),
                Ok(tx) => Step::Again(Some(tx)),
                Err(e) => {
                    tracing::debug!(attempt, error = %e, "GSUBZ status query not sent");
                    Step::Again(None)
                }
            }
        })
        .await;
        let (last_status, status_queries, finished) = match polled {
            Polled::Final { value, attempts } => (value, attempts, true),
            Polled::GaveUp { last, attempts } => (last.flatten(), attempts, false),
        };
        let outcome = match &last_status {
            Some(tx) if finished => tx.outcome,
            Some(tx) if tx.outcome == Outcome::Pending => Outcome::Pending,
            _ if payment.outcome == Outcome::Pending => Outcome::Pending,
            _ => Outcome::Unknown,
        };
        Ok(Confirmed { request_id, outcome, payment, last_status, status_queries })
    }
}

/// An answer naming the `requestID` as already used (406), and a status query's answer,
/// belong to the original purchase with that `requestID`. When its `serviceID` or phone
/// number is not this request's, the `requestID` was used before by another purchase (a
/// reference reused by the caller, or two processes that drew the same one): its result is
/// not this purchase's, so `Unknown`. `status_query`: check any answer, not only a 406.
fn for_this_purchase(request: &PayRequest, mut tx: Transaction, status_query: bool) -> Transaction {
    if let Some(reason) = other_purchase(request, &tx, status_query) {
        tx.outcome = Outcome::Unknown;
        tx.other_purchase = true;
        tx.problem = Some(Error::UnexpectedResponse {
            reason,
            body: tx.raw_body.clone().unwrap_or_default(),
        });
    }
    tx
}

/// Why `tx` is another purchase's answer, if it is (see [`for_this_purchase`]).
fn other_purchase(request: &PayRequest, tx: &Transaction, status_query: bool) -> Option<String> {
    let answer = tx.response.as_ref().filter(|_| status_query || tx.is_duplicate())?;
    let content = answer.content.as_ref();
    let service = answer.service_id.as_deref().or_else(|| content?.service_id.as_deref());
    let phone = answer.phone.as_ref().or_else(|| content?.phone.as_ref()).map(|p| p.as_str());
    let last_ten = |p: &str| -> String {
        let digits: Vec<char> = p.chars().filter(char::is_ascii_digit).collect();
        digits[digits.len().saturating_sub(10)..].iter().collect()
    };
    let mut differs = Vec::new();
    if let Some(s) = service.filter(|s| !s.trim().is_empty())
        && !s.trim().eq_ignore_ascii_case(request.service_id())
    {
        differs.push(format!("serviceID {s}"));
    }
    if let Some(p) = phone.filter(|p| p.chars().any(|c| c.is_ascii_digit()))
        && !p.contains('x')
        && last_ten(p) != last_ten(request.phone())
    {
        differs.push(format!("phone {p}"));
    }
    (!differs.is_empty()).then(|| {
        format!(
            "requestID {} was already used by another purchase ({}): its result is not this \
             purchase's",
            tx.request_id,
            differs.join(", ")
        )
    })
}

/// Whether a read may be sent again.
fn retryable(error: &Error) -> bool {
    match error {
        Error::NotSent { .. } | Error::AfterSend { .. } => true,
        Error::Http { status, .. } => *status >= 500 || *status == 429,
        Error::Vendor { status, code, .. } => {
            *status >= 500
                || matches!(code, ResponseCode::GatewayError | ResponseCode::TooManyRequests)
        }
        _ => false,
    }
}

fn check_id(field: &str, value: &str) -> Result<()> {
    if value.is_empty()
        || value.len() > 100
        || value.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(Error::input(field, format!("{value:?} is not a valid identifier")));
    }
    Ok(())
}

/// Decodes a read's answer; an error code in the body becomes [`Error::Vendor`].
fn decode_read<T: DeserializeOwned>(status: u16, body: String) -> Result<T> {
    let vendor_error = |json: &Value| -> Option<Error> {
        let obj = json.as_object()?;
        let code = match obj.get("code")? {
            Value::String(s) => ResponseCode::from_code(s),
            Value::Number(n) => ResponseCode::from_code(&n.to_string()),
            _ => return None,
        };
        if code == ResponseCode::TransactionSuccessful {
            return None;
        }
        let description = obj
            .get("description")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .unwrap_or_else(|| code.meaning().to_owned());
        Some(Error::Vendor { status, code, description, body: body.clone() })
    };
    let json: Option<Value> = serde_json::from_str(&body).ok();
    if !(200..300).contains(&status) {
        return Err(json
            .as_ref()
            .and_then(vendor_error)
            .unwrap_or_else(|| Error::Http { status, body: body.clone() }));
    }
    let de = &mut serde_json::Deserializer::from_str(&body);
    match serde_path_to_error::deserialize::<_, T>(de) {
        Ok(v) => Ok(v),
        Err(e) => Err(json.as_ref().and_then(vendor_error).unwrap_or_else(|| Error::Decode {
            status,
            path: e.path().to_string(),
            message: e.inner().to_string(),
            body: body.clone(),
        })),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every read's answer type, decoding `body` as the client does.
    fn decode_all(status: u16, body: &str) -> Vec<bool> {
        let b = || body.to_owned();
        vec![
            decode_read::<Vec<Category>>(status, b()).is_ok(),
            decode_read::<ServiceFields>(status, b()).is_ok(),
            decode_read::<Plans>(status, b()).is_ok(),
            decode_read::<Balance>(status, b()).is_ok(),
            decode_read::<CustomerInfo>(status, b()).is_ok(),
        ]
    }

    #[test]
    fn truncated_or_hostile_read_answers_are_errors_never_panics() {
        for entry in vas_common::testing::manifest("gsubz") {
            let text = vas_common::testing::read("gsubz", &entry.file);
            let whole = text.trim_end();
            for cut in (0..whole.len()).filter(|&i| whole.is_char_boundary(i)) {
                for status in [200, 404, 502] {
                    assert!(
                        decode_all(status, &whole[..cut]).iter().all(|ok| !ok),
                        "{} cut at {cut} decoded",
                        entry.file
                    );
                }
            }
        }
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        for body in ["", "null", "[]", "<html>502</html>", r#"{"balance":1e400}"#, &deep] {
            for status in [200, 301, 500] {
                let _ = decode_all(status, body);
            }
        }
        // `[]` is a valid (empty) category list, and nothing else.
        assert_eq!(decode_all(200, "[]"), [true, false, false, false, false]);
    }
}
