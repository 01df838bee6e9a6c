//! The HTTP client.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::Method;
use reqwest::header::{ACCEPT, HeaderValue};
use serde::Serialize;
use serde::de::DeserializeOwned;
use vas_common::Outcome;
use vas_common::poll::{Polled, Step, poll};
use vas_common::transport::{SendState, classify};

use crate::auth::{ClockNonce, Credentials, NonceSource};
use crate::error::{Error, ErrorBody, ErrorCode, Result};
use crate::models::discovery::{CountryList, OperatorList, Ping, ServiceList};
use crate::models::products::{
    AccountStatus, AccountVerification, ProductCategory, ProductList, SuggestedValues,
};
use crate::models::transactions::{
    ConfirmOptions, Confirmation, Transaction, TransactionRequest, validate_account_number,
    validate_external_id,
};

/// The production base URL.
pub const PRODUCTION_URL: &str = "https://gs-api.dtone.com/v1.1";
/// The former (TransferTo) base URL of the same API.
pub const LEGACY_URL: &str = "https://api.transferto.com/v1.1";

/// The default of [`ClientBuilder::max_body_bytes`].
pub const DEFAULT_MAX_BODY_BYTES: usize = 32 * 1024 * 1024;

/// Optional filters of [`Client::country_products`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CountryProductsFilter {
    /// Only this operator's products (`operator_id`).
    pub operator_id: Option<u64>,
    /// Only this service's products (`service_id`).
    pub service_id: Option<u64>,
}

/// Optional filters of [`Client::service_products`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ServiceProductsFilter {
    /// Only this operator's products (`operator_id`).
    pub operator_id: Option<u64>,
    /// Only this country's products (`country_id`).
    pub country_id: Option<u64>,
}

/// Builds a [`Client`].
pub struct ClientBuilder {
    api_key: Option<String>,
    api_secret: Option<secrecy::SecretString>,
    base_url: String,
    connect_timeout: Duration,
    timeout: Duration,
    http: Option<reqwest::Client>,
    nonce: Option<Arc<dyn NonceSource>>,
    read_retries: u32,
    read_retry_delay: Duration,
    max_body_bytes: usize,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("api_key", &vas_common::secret::redact_opt(&self.api_key))
            .field("api_secret", &vas_common::secret::redact_opt(&self.api_secret))
            .field("base_url", &self.base_url)
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("read_retries", &self.read_retries)
            .finish_non_exhaustive()
    }
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            api_key: None,
            api_secret: None,
            base_url: PRODUCTION_URL.to_string(),
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(60),
            http: None,
            nonce: None,
            read_retries: 2,
            read_retry_delay: Duration::from_millis(500),
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
        }
    }
}

impl ClientBuilder {
    /// The API key and secret.
    pub fn credentials(
        mut self,
        api_key: impl Into<String>,
        api_secret: impl Into<String>,
    ) -> Self {
        self.api_key = Some(api_key.into());
        self.api_secret = Some(secrecy::SecretString::from(api_secret.into()));
        self
    }

    /// The API's base URL, up to and including the version (default [`PRODUCTION_URL`]).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// How long to wait for a connection (default 10 s). Ignored with
    /// [`ClientBuilder::http_client`].
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long a whole call may take (default 60 s); applied to every request, also with an
    /// injected `reqwest::Client`.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Uses this `reqwest::Client` (proxies, custom TLS, connection pools shared with other code).
    ///
    /// Build it with `.redirect(reqwest::redirect::Policy::none())`: `reqwest` follows
    /// redirects by default, and a followed 307/308 sends a purchase a second time (and the
    /// signed headers to the redirect's host). A response that arrives from another URL than
    /// the one asked is [`Error::Redirected`], never a result.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Uses this nonce source instead of the process-wide [`ClockNonce`]. Nonces must be
    /// unique and increasing for the key; share one source between all clients of a key.
    pub fn nonce_source(mut self, source: impl NonceSource + 'static) -> Self {
        self.nonce = Some(Arc::new(source));
        self
    }

    /// How many times a read (catalog, verification, lookup) is repeated after a transport
    /// error or an HTTP 502/503/504 (default 2). Purchases are never repeated.
    pub fn read_retries(mut self, retries: u32) -> Self {
        self.read_retries = retries;
        self
    }

    /// The wait before the first repeat of a read, doubled for each next one (default 500 ms).
    pub fn read_retry_delay(mut self, delay: Duration) -> Self {
        self.read_retry_delay = delay;
        self
    }

    /// The largest response body read (default 32 MiB). A longer one is not read to its end:
    /// it is [`Error::Decode`] with the part read (for a purchase: an unknown outcome).
    pub fn max_body_bytes(mut self, bytes: usize) -> Self {
        self.max_body_bytes = bytes;
        self
    }

    /// Checks the configuration and builds the client.
    pub fn build(self) -> Result<Client> {
        let api_key = self.api_key.ok_or_else(|| Error::config("the API key is missing"))?;
        let api_secret =
            self.api_secret.ok_or_else(|| Error::config("the API secret is missing"))?;
        if api_key.trim().is_empty() {
            return Err(Error::config("the API key is empty"));
        }
        if !api_key.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(Error::config("the API key has characters a header cannot carry"));
        }
        if secrecy::ExposeSecret::expose_secret(&api_secret).is_empty() {
            return Err(Error::config("the API secret is empty"));
        }
        let base = self.base_url.trim().trim_end_matches('/').to_string();
        let url = reqwest::Url::parse(&base)
            .map_err(|e| Error::config(format!("the base URL {base:?} is invalid: {e}")))?;
        if !matches!(url.scheme(), "http" | "https") || url.cannot_be_a_base() {
            return Err(Error::config(format!("the base URL {base:?} is not an http(s) URL")));
        }
        let http = match self.http {
            Some(h) => h,
            None => vas_common::transport::http_client(
                concat!("dtone-gs/", env!("CARGO_PKG_VERSION")),
                self.connect_timeout,
                Some(self.timeout),
            )
            .map_err(|e| Error::config(format!("cannot build the HTTP client: {e}")))?,
        };
        let credentials =
            Credentials::new(api_key, secrecy::ExposeSecret::expose_secret(&api_secret));
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url: base,
                credentials,
                nonce: self.nonce.unwrap_or_else(|| Arc::new(ClockNonce::global())),
                timeout: self.timeout,
                read_retries: self.read_retries,
                read_retry_delay: self.read_retry_delay,
                max_body_bytes: self.max_body_bytes,
            }),
        })
    }
}

/// A DT One Goods & Services API client. Cheap to clone (shares one connection pool).
///
/// ```no_run
/// # async fn run() -> dtone_gs::Result<()> {
/// let client = dtone_gs::Client::new("api-key", "api-secret")?;
/// let products = client.operator_products(1959).await?;
/// for p in products.iter() {
///     println!("{} {:?} {:?}", p.category(), p.product_name, p.retail_price);
/// }
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base_url: String,
    credentials: Credentials,
    nonce: Arc<dyn NonceSource>,
    timeout: Duration,
    read_retries: u32,
    read_retry_delay: Duration,
    max_body_bytes: usize,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("credentials", &self.inner.credentials)
            .field("timeout", &self.inner.timeout)
            .field("read_retries", &self.inner.read_retries)
            .finish_non_exhaustive()
    }
}

/// Percent-encodes one path segment (everything but unreserved characters).
fn segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

impl Client {
    /// A client for the production API with these credentials.
    pub fn new(api_key: impl Into<String>, api_secret: impl Into<String>) -> Result<Client> {
        Client::builder().credentials(api_key, api_secret).build()
    }

    /// A builder, to set the base URL, timeouts, an HTTP client or a nonce source.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The base URL in use.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Sends one request and returns the status and the body.
    async fn send_once<B: Serialize + ?Sized>(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, String)],
        body: Option<&B>,
    ) -> Result<(u16, String)> {
        let url = format!("{}/{}", self.inner.base_url, path);
        let nonce = self.inner.nonce.next_nonce();
        let headers = self
            .inner
            .credentials
            .headers(nonce)
            .map_err(|_| Error::config("the API key cannot be sent in a header"))?;
        let mut request = self
            .inner
            .http
            .request(method.clone(), &url)
            .timeout(self.inner.timeout)
            .headers(headers)
            .header(ACCEPT, HeaderValue::from_static("application/json"));
        if !query.is_empty() {
            request = request.query(query);
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        let request =
            request.build().map_err(|e| Error::config(format!("cannot build the request: {e}")))?;
        let asked = request.url().clone();
        tracing::debug!(%method, path, "DT One request");
        let response = self.inner.http.execute(request).await.map_err(|e| match classify(&e) {
            SendState::NotSent => Error::NotSent { source: e },
            SendState::TimedOut => Error::Timeout { source: e },
            _ => Error::Interrupted { source: e },
        })?;
        let status = response.status().as_u16();
        if response.url() != &asked {
            // Only an injected `reqwest::Client` follows redirects: the request may have been
            // sent again, elsewhere. Nothing it answered can be trusted.
            let to = response.url().clone();
            tracing::warn!(%method, path, status, "DT One request was redirected");
            return Err(Error::Redirected { status, to: to.to_string() });
        }
        let mut response = response;
        let mut bytes = Vec::new();
        let max = self.inner.max_body_bytes;
        while let Some(chunk) = response.chunk().await.map_err(|e| match classify(&e) {
            SendState::TimedOut => Error::Timeout { source: e },
            _ => Error::Interrupted { source: e },
        })? {
            if bytes.len().saturating_add(chunk.len()) > max {
                let room = max.saturating_sub(bytes.len());
                bytes.extend_from_slice(chunk.get(..room).unwrap_or_default());
                return Err(Error::Decode {
                    status,
                    path: ".".into(),
                    message: format!("the body is longer than {max} bytes; the rest was not read"),
                    body: String::from_utf8_lossy(&bytes).into_owned(),
                });
            }
            bytes.extend_from_slice(&chunk);
        }
        let text = String::from_utf8_lossy(&bytes).into_owned();
        tracing::debug!(%method, path, status, "DT One response");
        Ok((status, text))
    }
}

/// Interprets a response: the typed body on 2xx, the vendor's error list, or an error keeping
/// the raw body.
pub(crate) fn interpret<T: DeserializeOwned>(status: u16, body: String) -> Result<T> {
    let error_body =
        || serde_json::from_str::<ErrorBody>(&body).ok().filter(|e| !e.errors.is_empty());
    if (200..300).contains(&status) {
        let de = &mut serde_json::Deserializer::from_str(&body);
        match serde_path_to_error::deserialize::<_, T>(de) {
            Ok(value) => Ok(value),
            Err(e) => match error_body() {
                Some(errors) => Err(Error::Vendor { status, errors: errors.errors, body }),
                None => Err(Error::Decode {
                    status,
                    path: e.path().to_string(),
                    message: e.inner().to_string(),
                    body,
                }),
            },
        }
    } else {
        match error_body() {
            Some(errors) => Err(Error::Vendor { status, errors: errors.errors, body }),
            None => Err(Error::Status { status, body }),
        }
    }
}

impl Client {
    /// A GET, repeated on transport errors and 502/503/504 up to the configured number of
    /// times.
    async fn get<T: DeserializeOwned>(&self, path: &str, query: &[(&str, String)]) -> Result<T> {
        let mut attempt = 0u32;
        loop {
            let result = match self.send_once::<()>(Method::GET, path, query, None).await {
                Ok((status, body)) => interpret(status, body),
                Err(e) => Err(e),
            };
            match result {
                Err(e) if e.is_retryable_read() && attempt < self.inner.read_retries => {
                    let wait = self.inner.read_retry_delay.saturating_mul(1 << attempt.min(16));
                    tracing::debug!(path, attempt, error = %e, "repeating a DT One read");
                    tokio::time::sleep(wait).await;
                    attempt += 1;
                }
                other => return other,
            }
        }
    }

    /// `GET ping`: whether the API is up.
    pub async fn ping(&self) -> Result<Ping> {
        self.get("ping", &[]).await
    }

    /// `GET services`: every service.
    pub async fn services(&self) -> Result<ServiceList> {
        self.get("services", &[]).await
    }

    /// `GET countries`: every country.
    pub async fn countries(&self) -> Result<CountryList> {
        self.get("countries", &[]).await
    }

    /// `GET operators`: every operator.
    pub async fn operators(&self) -> Result<OperatorList> {
        self.get("operators", &[]).await
    }

    /// `GET countries/{country_id}/services`: the services offered in a country.
    pub async fn country_services(&self, country_id: u64) -> Result<ServiceList> {
        self.get(&format!("countries/{country_id}/services"), &[]).await
    }

    /// `GET operators/{operator_id}/products`: an operator's products.
    pub async fn operator_products(&self, operator_id: u64) -> Result<ProductList> {
        self.get(&format!("operators/{operator_id}/products"), &[]).await
    }

    /// `GET countries/{country_id}/products[?operator_id=…&service_id=…]`: a country's
    /// products, optionally of one operator and/or one service.
    pub async fn country_products(
        &self,
        country_id: u64,
        filter: CountryProductsFilter,
    ) -> Result<ProductList> {
        let mut query = Vec::new();
        if let Some(id) = filter.operator_id {
            query.push(("operator_id", id.to_string()));
        }
        if let Some(id) = filter.service_id {
            query.push(("service_id", id.to_string()));
        }
        self.get(&format!("countries/{country_id}/products"), &query).await
    }

    /// `GET services/{service_id}/products[?operator_id=…&country_id=…]`: a service's
    /// products, optionally of one operator and/or one country.
    pub async fn service_products(
        &self,
        service_id: u64,
        filter: ServiceProductsFilter,
    ) -> Result<ProductList> {
        let mut query = Vec::new();
        if let Some(id) = filter.operator_id {
            query.push(("operator_id", id.to_string()));
        }
        if let Some(id) = filter.country_id {
            query.push(("country_id", id.to_string()));
        }
        self.get(&format!("services/{service_id}/products"), &query).await
    }

    /// `GET product/variable_value_recharges/{product_id}/suggested_values`: the suggested
    /// values of a variable value recharge product.
    pub async fn suggested_values(&self, product_id: u64) -> Result<SuggestedValues> {
        self.get(&format!("product/variable_value_recharges/{product_id}/suggested_values"), &[])
            .await
    }

    /// `GET products/{product_id}/account_number/{account_number}/status`: whether an
    /// account number is valid for a product.
    ///
    /// The vendor's `1000304` error (verification not available for this product) is the
    /// answer [`AccountVerification::NotAvailable`], not an error.
    pub async fn verify_account_number(
        &self,
        product_id: u64,
        account_number: &str,
    ) -> Result<AccountVerification> {
        validate_account_number(account_number)?;
        let path =
            format!("products/{product_id}/account_number/{}/status", segment(account_number));
        match self.get::<AccountStatus>(&path, &[]).await {
            Ok(status) => match status.is_verified() {
                Some(true) => Ok(AccountVerification::Valid),
                Some(false) => Ok(AccountVerification::Invalid),
                None => Err(Error::Decode {
                    status: 200,
                    path: "verified".into(),
                    message: format!("expected 1 or 0, got {}", status.verified),
                    body: serde_json::to_string(&status).unwrap_or_default(),
                }),
            },
            Err(Error::Vendor { errors, status, body }) => {
                match errors.iter().find(|e| e.code == ErrorCode::AccountVerificationNotAvailable) {
                    Some(e) => Ok(AccountVerification::NotAvailable { message: e.message.clone() }),
                    None => Err(Error::Vendor { errors, status, body }),
                }
            }
            Err(e) => Err(e),
        }
    }

    /// `POST transactions/{fixed_value_vouchers|fixed_value_recharges}`: sends a purchase,
    /// **once**.
    ///
    /// The request is validated first ([`TransactionRequest::validate`]); invalid input is
    /// [`Error::InvalidInput`] and nothing is sent. This call is never repeated: on an error,
    /// read [`Error::outcome`], and unless it is `Failed`, look the transaction up with
    /// [`Client::transaction_by_external_id`] (or use [`Client::purchase_and_confirm`]).
    pub async fn create_transaction(&self, request: &TransactionRequest) -> Result<Transaction> {
        request.validate()?;
        let path = format!("transactions/{}", request.category());
        let (status, body) = self.send_once(Method::POST, &path, &[], Some(request)).await?;
        interpret(status, body)
    }

    /// `GET transactions/{category}/ext-{external_id}`: a transaction by your external id.
    ///
    /// A transaction that does not exist (yet) is an [`Error::Vendor`] with
    /// [`ErrorCode::TransactionNotFound`] (usually HTTP 404).
    pub async fn transaction_by_external_id(
        &self,
        category: ProductCategory,
        external_id: &str,
    ) -> Result<Transaction> {
        validate_external_id(external_id)?;
        self.get(&format!("transactions/{category}/ext-{}", segment(external_id)), &[]).await
    }

    /// Buys once, then looks the transaction up by its external id until the outcome is final
    /// or `options.deadline` passes.
    ///
    /// - Invalid input, a configuration error, or a create that could not be sent: `Err`
    ///   (nothing was bought; the same request can be sent again).
    /// - A create refused with a documented final error code: `Ok` with
    ///   [`Outcome::Failed`] and the error.
    /// - A create answered with a final status: `Ok` with that outcome, no lookup.
    /// - Anything else (a timeout, a 5xx, an unreadable body, a pending status, an unknown
    ///   code): lookups with the same external id. A "transaction not found" answer is not a
    ///   failure (the vendor may not have recorded it yet): the lookups go on. When the
    ///   deadline passes first, the outcome is [`Outcome::Pending`] if the vendor returned
    ///   the transaction, [`Outcome::Unknown`] if not: look it up later, never buy again.
    /// - A transaction returned with another external id or product id, or as a simulation
    ///   when the request was live ([`Transaction::mismatch`]), is not taken for this
    ///   purchase: a lookup that finds one ends with [`Outcome::Unknown`] and
    ///   [`Error::Mismatch`] (the external id was probably used before for another purchase).
    pub async fn purchase_and_confirm(
        &self,
        request: &TransactionRequest,
        options: &ConfirmOptions,
    ) -> Result<Confirmation> {
        request.validate()?;
        let external_id = request.external_id().to_string();
        let category = request.category();
        let mut confirmation = Confirmation {
            external_id: external_id.clone(),
            category,
            outcome: Outcome::Unknown,
            transaction: None,
            error: None,
            lookups: 0,
        };
        match self.create_transaction(request).await {
            Ok(tx) => match tx.mismatch(request) {
                None => {
                    let outcome = tx.outcome();
                    confirmation.transaction = Some(tx);
                    confirmation.outcome = outcome;
                    if outcome.is_final() {
                        return Ok(confirmation);
                    }
                }
                Some(e) => {
                    tracing::warn!(external_id, error = %e, "DT One answered with another transaction; looking it up");
                    confirmation.error = Some(e);
                }
            },
            Err(e) if e.is_not_sent() => return Err(e),
            Err(e) if e.is_final_failure() => {
                confirmation.outcome = Outcome::Failed;
                confirmation.error = Some(e);
                return Ok(confirmation);
            }
            Err(e) => {
                tracing::warn!(external_id, error = %e, "DT One purchase outcome unknown; looking it up");
                confirmation.error = Some(e);
            }
        }

        let polled = poll(&options.backoff, options.deadline, |_| {
            let external_id = external_id.clone();
            async move {
                match self.transaction_by_external_id(category, &external_id).await {
                    // Another purchase under this external id (it was used before): asking
                    // again will not change that, and its status is not this purchase's.
                    Ok(tx) => match tx.mismatch(request) {
                        Some(e) => Step::Done(Err(e)),
                        None if tx.outcome().is_final() => Step::Done(Ok(tx)),
                        None => Step::Again(Ok(tx)),
                    },
                    Err(e) => Step::Again(Err(e)),
                }
            }
        })
        .await;
        let (last, attempts) = match polled {
            Polled::Final { value, attempts } => (Some(value), attempts),
            Polled::GaveUp { last, attempts } => (last, attempts),
        };
        confirmation.lookups = attempts;
        match last {
            Some(Ok(tx)) => {
                confirmation.outcome = tx.outcome();
                confirmation.transaction = Some(tx);
                confirmation.error = None;
            }
            Some(Err(e)) => {
                // Only a matching, not final transaction from the create can say more than
                // "unknown" here.
                confirmation.outcome = confirmation
                    .transaction
                    .as_ref()
                    .map(Transaction::outcome)
                    .filter(|o| !o.is_final())
                    .unwrap_or(Outcome::Unknown);
                confirmation.error = Some(e);
            }
            None => {}
        }
        Ok(confirmation)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_are_escaped() {
        assert_eq!(segment("abc-1_2.3~"), "abc-1_2.3~");
        assert_eq!(segment("a/b c?"), "a%2Fb%20c%3F");
    }

    #[test]
    fn config_errors() {
        assert!(matches!(Client::builder().build(), Err(Error::Config { .. })));
        assert!(matches!(Client::new("", "s"), Err(Error::Config { .. })));
        assert!(matches!(Client::new("k", ""), Err(Error::Config { .. })));
        assert!(matches!(Client::new("k y", "s"), Err(Error::Config { .. })));
        assert!(matches!(
            Client::builder().credentials("k", "s").base_url("ftp://x").build(),
            Err(Error::Config { .. })
        ));
        let c = Client::builder().credentials("k", "s").base_url("http://h/v1.1/").build();
        assert_eq!(c.unwrap().base_url(), "http://h/v1.1");
    }
}
