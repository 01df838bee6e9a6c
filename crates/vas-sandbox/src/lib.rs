//! An offline simulator of the VTpass, Ukheshe Eclipse, DT One Goods & Services and GSUBZ
//! APIs, served on loopback, for tests, demos and benchmarks that must not touch the internet.
//!
//! Each vendor gets its own HTTP server on `127.0.0.1`, with the same paths as the vendor's
//! host, so a client only needs its base URL changed. The sandbox follows the vendors'
//! documentation, not any client: catalogs are the documented JSON examples (the files under
//! `fixtures/`, compiled in), answers are built in the documented shapes, and the scenario
//! numbers below make every outcome reproducible, including the one that matters most: a
//! purchase whose answer is lost (dropped connection, 502 page, timeout) although it went
//! through, so that only a status query with the same reference reveals it.
//!
//! # Quick start
//!
//! ```
//! use vas_sandbox::{Sandbox, SandboxConfig, Vendor, credentials};
//! use vtpass_client::{Client, ConfirmOptions, Outcome, ServiceId};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let sandbox = Sandbox::start(SandboxConfig::default()).await?;
//!
//! // Point a client at it: base URL and the sandbox's fixed test credentials.
//! let client = Client::builder()
//!     .base_url(sandbox.base_url(Vendor::Vtpass)) // http://127.0.0.1:PORT/api/
//!     .basic_auth(credentials::VTPASS_EMAIL, credentials::VTPASS_PASSWORD)
//!     .build()?;
//!
//! let request = client
//!     .pay_request(ServiceId::SPECTRANET)
//!     .billers_code("1212121212") // the documented "successful" number
//!     .variation_code("vt-1000")
//!     .phone("07061933309")
//!     .build()?;
//! let done = client.purchase_and_confirm(&request, &ConfirmOptions::default()).await?;
//! assert_eq!(done.outcome, Outcome::Delivered);
//!
//! // Every request is counted per vendor and endpoint: exactly one payment was sent.
//! assert_eq!(sandbox.count(Vendor::Vtpass, "pay"), 1);
//! sandbox.shutdown().await;
//! # Ok(())
//! # }
//! ```
//!
//! [`Sandbox::start_on_port`] serves the vendors on four consecutive fixed ports instead
//! (`vas sandbox --port N` does that); [`Sandbox::run_until_ctrl_c`] keeps a process serving.
//!
//! | vendor | [`Sandbox::base_url`] | credentials ([`credentials`]) |
//! | --- | --- | --- |
//! | VTpass | `http://127.0.0.1:P/api/` | Basic `VTPASS_EMAIL:VTPASS_PASSWORD`, or `api-key` + `public-key` (GET) / `secret-key` (POST) |
//! | Eclipse | `http://127.0.0.1:P` (paths `/eclipse-conductor/rest/v1/…`) | login `ECLIPSE_IDENTITY` / `ECLIPSE_PASSWORD` |
//! | DT One | `http://127.0.0.1:P/v1.1` | `DTONE_API_KEY`, HMAC with `DTONE_API_SECRET` |
//! | GSUBZ | `http://127.0.0.1:P/api/` | `Authorization: Bearer GSUBZ_API_KEY` or form field `api` |
//!
//! # Timing
//!
//! [`SandboxConfig`] sets how long a pending purchase stays pending
//! ([`settle_after`](SandboxConfig::settle_after), 1 s by default), how long the "timeout"
//! scenarios hold their answer ([`timeout_delay`](SandboxConfig::timeout_delay), 3 s; set it
//! above your client's timeout), and how long an Eclipse token lives
//! ([`eclipse_token_ttl`](SandboxConfig::eclipse_token_ttl), 1 hour; shorten it to test
//! expiry, or call [`Sandbox::expire_eclipse_tokens`]).
//!
//! # Scenarios
//!
//! ## VTpass (the documented sandbox numbers)
//!
//! The number is the `billersCode` (or `phone` when there is no `billersCode`).
//!
//! | number | `pay` answers | `requery` then says |
//! | --- | --- | --- |
//! | `1212121212`, `08011111111` (any service), `1111111111111`, `1010101010101` | `000`, `delivered` | `delivered` |
//! | `201000000000` | `099`, `pending` | `pending`, then `delivered` after `settle_after` |
//! | `500000000000` (unexpected response) | a body with an undocumented code and no transaction | `delivered` |
//! | `400000000000` (no response) | nothing: the connection is closed after the request is read | `delivered` |
//! | `300000000000` (timeout) | `000`, `delivered`, but only after `timeout_delay` | `delivered` |
//! | any other number (unless `phone` is `08011111111`) | `016`, `failed` | `failed` |
//!
//! Also checked: the `request_id` format (12+ characters, the first 12 a valid
//! `YYYYMMDDHHmm`, then letters and digits; otherwise `085`); a reused `request_id` gets `014`
//! and changes nothing; an unknown `request_id` on `requery` gets `015`; unknown services
//! `012`, unknown variation codes `010`, amounts out of range `013`/`017`, a low balance
//! `018`; bad credentials HTTP 401 with `087`. The balance (`GET balance`, under `contents`)
//! goes down by each purchase's `total_amount` (amount less commission); failed purchases
//! cost nothing. `merchant-verify` accepts the documented smartcard `1212121212` (`dstv`,
//! `gotv`, `startimes`) and the meters `1111111111111` (`type` `prepaid`) and `1010101010101`
//! (`postpaid`) on `*-electric` services; any other number gets `content.error`.
//! Services: `spectranet` and `etisalat-data` (variations from the documented examples), `mtn`
//! and `etisalat` airtime, `ikeja-electric`, `dstv` (by amount).
//!
//! ## DT One, GSUBZ and Eclipse (the sandbox's own triggers)
//!
//! The last six digits of the account number (DT One `account_number`), phone number (GSUBZ
//! `phone`, else `customerID`) or MSISDN (Eclipse: an `additionalFields` value with id
//! `msisdn`, `destinationPhone`, `accountNumber` or `phone`, the `phone` field, or the
//! reference at the end of `paymentData`) decide:
//!
//! | ends in | DT One `POST transactions/…` | GSUBZ `pay` / `testpay` | Eclipse initiate |
//! | --- | --- | --- | --- |
//! | `000001` | HTTP 400 `1000214` (rejected); lookup: status `"1000214"` | HTTP 200, code 402, `TRANSACTION_FAILED` | `PENDING`, then `ERROR` |
//! | `000002` | 201, status `"1"` (pending); `"0"` after `settle_after` | `TRANSACTION_PENDING`, then `TRANSACTION_SUCCESSFUL` | `PENDING` for 5 × `settle_after`, then `SUCCESSFUL` |
//! | `000003` | connection closed after the request is read; recorded as successful | same | same |
//! | `000004` | HTTP 502 HTML page; recorded as successful | same | same |
//! | `000005` | the successful answer after `timeout_delay` | same | same |
//! | anything else | 201, status `"0"` | code 200, `TRANSACTION_SUCCESSFUL` | `PENDING`, then `SUCCESSFUL` |
//!
//! DT One also checks the HMAC and refuses a reused nonce (HTTP 401, `1000401`), refuses a
//! reused `external_id` (`1000990`), answers bad input with the documented error body
//! (`{"errors":[{"code":1000999,…}]}`; unknown product `1000301`, wrong product type
//! `1000303`), finds transactions by `ext-<external_id>` or id, and echoes `simulation`
//! (default 1). Products: the documented operator 1959 / country 756 / service 1 lists;
//! account verification works on product 64 (`verified` 0 for a number ending in `000001`)
//! and answers `1000304` for the others.
//!
//! GSUBZ also checks the key (HTTP 401 `AUTHORIZATION_FAILED`), serves the documented
//! category, service, fields, plans (`mtn_cg`) and variation (`gotv`) examples, sells `mtn`
//! (flexible, by amount) and the plans of `mtn_cg` and `gotv`, answers a reused `requestID`
//! with HTTP 406, code 406 and the original transaction (not charged again), and keeps
//! `testpay`/`testverfy` purchases in a ledger of their own that is never charged. Paths work
//! with and without the trailing slash; `balance` answers the older documented shape and
//! `balance/` the newer one.
//!
//! Eclipse also issues JWTs (with the customer id in the `uid` claim) that expire after
//! `eclipse_token_ttl` (HTTP 401 with the documented error array afterwards), renews them,
//! looks up South African MSISDNs (MTN partner 4, Vodacom partner 5), serves the documented
//! catalog for each documented `catalogQuery` (with or without the `catalogQuery=` name; the
//! whole catalog without one; `[]` for others), and lists payments by `externalUniqueId`
//! (`GET tenants/{t}/payments?externalUniqueId=…`). A payment without an amount waits for the
//! `PUT` that gives it one; a payment settles `settle_after` after it has an amount; a
//! reused `externalUniqueId` gets HTTP 409. When it settles, the payment is POSTed to its
//! `callbackUrl` with `Eclipse-Signature: t=<ms>,v1=<base64 HMAC-SHA256("<t>.<body>")>`
//! under [`SandboxConfig::eclipse_webhook_key`] — only to loopback URLs unless
//! [`SandboxConfig::callbacks_to_any_host`] is on; [`Sandbox::eclipse_callbacks`] lists them.
//!
//! # Faults
//!
//! [`Sandbox::set_fault`] disturbs every answer of one vendor until it is switched off:
//! [`Fault::Latency`], [`Fault::BadGateway`] (a 502 HTML page), [`Fault::TruncatedBody`] (half
//! the JSON, with a matching `Content-Length`) and [`Fault::DropAfterRead`] (the connection
//! closed without an answer). The request is processed first, so a purchase made under a
//! fault did happen.
//!
//! # Endpoint names for [`Sandbox::count`]
//!
//! | vendor | names |
//! | --- | --- |
//! | VTpass | `service-categories`, `services`, `service-variations`, `merchant-verify`, `pay`, `requery`, `balance` |
//! | Eclipse | `login`, `renew`, `msisdn`, `catalogs`, `initiate-payment`, `update-payment`, `get-payment`, `list-payments` |
//! | DT One | `ping`, `services`, `countries`, `operators`, `country-services`, `operator-products`, `country-products`, `service-products`, `suggested-values`, `account-status`, `transactions` (every `POST transactions/{type}`), `transaction-status` |
//! | GSUBZ | `category`, `service`, `fields`, `plans`, `variation`, `pay`, `testpay`, `verify`, `testverfy`, `balance` |
//!
//! A request that matches no route counts as `unmatched`. Every request counts, including
//! those refused for bad credentials or disturbed by a fault.
//!
//! # Where the documentation is silent
//!
//! Some answers have no documented example; the sandbox then uses the shapes the vendors'
//! wider documentation and public clients describe, and says so here rather than inventing
//! silently: VTpass `service-categories`, `services`, `merchant-verify` and `balance`
//! (`{"code":1,"contents":{"balance":…}}`); DT One `ping`, `services`, `countries`,
//! `operators` (`{"services":[…]}` and so on, derived from the documented products) and the
//! transaction answer (the documented product fields plus `transaction_id`, `status`,
//! `status_message`, `external_id`, `operator_reference`; a pending status is `"1"`); the
//! Eclipse MSISDN lookup (`{"msisdn","partnerId","partnerName","providerId"}`), payment
//! statuses `SUCCESSFUL` and `ERROR`, and every Eclipse error code except `USR002` (the
//! sandbox's own `VAL…`, `VAS…`, `PAY…` codes in the documented error array); GSUBZ
//! `TRANSACTION_PENDING`. GSUBZ answers refusals before processing (codes 204, 206, 401 for
//! an unknown plan, 404) with HTTP 200, except bad keys (HTTP 401) and duplicates (HTTP 406).
//!
//! # Not simulated
//!
//! VTpass `options` and webhooks, GSUBZ `verify-customer` and multipart bodies, DT One
//! balances and debits (`simulation` is echoed only), and Eclipse wallets: those requests
//! count as `unmatched` (HTTP 404) or are accepted without effect.
#![deny(missing_docs)]

use std::collections::BTreeMap;
use std::fmt;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use rust_decimal::Decimal;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

pub mod credentials;
mod dtone;
mod eclipse;
mod gsubz;
mod json;
mod scenario;
mod server;
mod vtpass;

pub use eclipse::CallbackRecord;

/// The README's example, compiled as a doc test.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

use server::{KillableListener, Shared};

/// One of the four simulated vendors. Each is served on its own port.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Vendor {
    /// VTpass (Nigeria).
    Vtpass,
    /// Ukheshe Eclipse (South Africa, Kenya, Uganda, Botswana).
    Eclipse,
    /// DT One Goods & Services.
    Dtone,
    /// GSUBZ (Nigeria).
    Gsubz,
}

impl Vendor {
    /// All four, in port order (`start_on_port(n)` serves them on `n`, `n+1`, `n+2`, `n+3`).
    pub const ALL: [Vendor; 4] = [Vendor::Vtpass, Vendor::Eclipse, Vendor::Dtone, Vendor::Gsubz];

    /// A short lower-case name: `vtpass`, `eclipse`, `dtone`, `gsubz`.
    pub fn name(self) -> &'static str {
        match self {
            Vendor::Vtpass => "vtpass",
            Vendor::Eclipse => "eclipse",
            Vendor::Dtone => "dtone",
            Vendor::Gsubz => "gsubz",
        }
    }

    fn index(self) -> usize {
        match self {
            Vendor::Vtpass => 0,
            Vendor::Eclipse => 1,
            Vendor::Dtone => 2,
            Vendor::Gsubz => 3,
        }
    }
}

impl fmt::Display for Vendor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A fault switched on for every endpoint of one vendor with [`Sandbox::set_fault`].
///
/// The request is always read and processed first (a purchase is recorded, a balance goes
/// down), and only then is its answer disturbed: this is the case a client must survive, a
/// purchase that went through although the caller never learned so.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// The answer is held back this long.
    Latency(Duration),
    /// The answer is replaced by HTTP 502 with an HTML page, as a proxy in front of the vendor
    /// sends.
    BadGateway,
    /// The answer keeps its status and headers but only the first half of its body (with a
    /// matching `Content-Length`), so the JSON is cut short.
    TruncatedBody,
    /// The connection is closed without a byte of the answer.
    DropAfterRead,
}

/// How the sandbox behaves. `SandboxConfig::default()` suits tests and demos: purchases
/// settle quickly and the slow scenarios are slow enough to exceed a short client timeout.
///
/// ```
/// use std::time::Duration;
/// let config = vas_sandbox::SandboxConfig::default()
///     .settle_after(Duration::from_millis(200))
///     .timeout_delay(Duration::from_millis(800))
///     .eclipse_token_ttl(Duration::from_millis(500));
/// assert_eq!(config.get_settle_after(), Duration::from_millis(200));
/// ```
#[derive(Clone)]
pub struct SandboxConfig {
    settle_after: Duration,
    timeout_delay: Duration,
    eclipse_token_ttl: Duration,
    eclipse_webhook_key: String,
    callbacks_to_any_host: bool,
    vtpass_balance: Decimal,
    gsubz_balance: Decimal,
}

impl fmt::Debug for SandboxConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SandboxConfig")
            .field("settle_after", &self.settle_after)
            .field("timeout_delay", &self.timeout_delay)
            .field("eclipse_token_ttl", &self.eclipse_token_ttl)
            .field("eclipse_webhook_key", &"[REDACTED]")
            .field("callbacks_to_any_host", &self.callbacks_to_any_host)
            .field("vtpass_balance", &self.vtpass_balance)
            .field("gsubz_balance", &self.gsubz_balance)
            .finish()
    }
}

impl Default for SandboxConfig {
    fn default() -> Self {
        SandboxConfig {
            settle_after: Duration::from_secs(1),
            timeout_delay: Duration::from_secs(3),
            eclipse_token_ttl: Duration::from_secs(3600),
            eclipse_webhook_key: credentials::ECLIPSE_WEBHOOK_KEY.to_string(),
            callbacks_to_any_host: false,
            vtpass_balance: Decimal::new(1_000_000_000, 2),
            gsubz_balance: Decimal::new(1_000_000_000, 2),
        }
    }
}

impl SandboxConfig {
    /// How long a pending purchase stays pending before it turns final (VTpass pending →
    /// delivered, GSUBZ pending → successful, Eclipse PENDING → SUCCESSFUL or ERROR).
    /// Default 1 s.
    pub fn settle_after(mut self, d: Duration) -> Self {
        self.settle_after = d;
        self
    }

    /// How long the "timeout" scenarios hold their answer (set it above the client's
    /// timeout). Default 3 s.
    pub fn timeout_delay(mut self, d: Duration) -> Self {
        self.timeout_delay = d;
        self
    }

    /// How long an Eclipse JWT is valid. Default 1 hour.
    pub fn eclipse_token_ttl(mut self, d: Duration) -> Self {
        self.eclipse_token_ttl = d;
        self
    }

    /// The key Eclipse callbacks are signed with. Default
    /// [`credentials::ECLIPSE_WEBHOOK_KEY`].
    pub fn eclipse_webhook_key(mut self, key: impl Into<String>) -> Self {
        self.eclipse_webhook_key = key.into();
        self
    }

    /// Whether Eclipse callbacks may be POSTed to hosts other than loopback
    /// (`127.0.0.1`, `::1`, `localhost`). Default `false`: a test never reaches the internet
    /// because a payment carried a documented example URL.
    pub fn callbacks_to_any_host(mut self, allow: bool) -> Self {
        self.callbacks_to_any_host = allow;
        self
    }

    /// The VTpass wallet balance at start (NGN). Default 10,000,000.00.
    pub fn vtpass_balance(mut self, balance: Decimal) -> Self {
        self.vtpass_balance = balance;
        self
    }

    /// The GSUBZ wallet balance at start (NGN). Default 10,000,000.00.
    pub fn gsubz_balance(mut self, balance: Decimal) -> Self {
        self.gsubz_balance = balance;
        self
    }

    /// See [`SandboxConfig::settle_after`].
    pub fn get_settle_after(&self) -> Duration {
        self.settle_after
    }

    /// See [`SandboxConfig::timeout_delay`].
    pub fn get_timeout_delay(&self) -> Duration {
        self.timeout_delay
    }

    /// See [`SandboxConfig::eclipse_token_ttl`].
    pub fn get_eclipse_token_ttl(&self) -> Duration {
        self.eclipse_token_ttl
    }
}

/// Why the sandbox could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SandboxError {
    /// A port could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address that was asked for.
        addr: SocketAddr,
        /// Why binding failed.
        source: std::io::Error,
    },
    /// `first_port` is 0 (use [`Sandbox::start`] for ephemeral ports), or `first_port + 3`
    /// does not fit in a port number.
    #[error("port {0} cannot start four consecutive ports (use 1 to 65532)")]
    PortRange(u16),
}

/// A running sandbox: four HTTP servers on loopback, one per vendor.
pub struct Sandbox {
    shared: Arc<Shared>,
    addrs: [SocketAddr; 4],
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

impl fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sandbox").field("addrs", &self.addrs).finish_non_exhaustive()
    }
}

impl Sandbox {
    /// Starts the four servers on `127.0.0.1`, each on an ephemeral port.
    pub async fn start(config: SandboxConfig) -> Result<Sandbox, SandboxError> {
        Self::start_with_ports([0; 4], config).await
    }

    /// Starts the four servers on `127.0.0.1:first_port` (VTpass), `first_port + 1`
    /// (Eclipse), `first_port + 2` (DT One) and `first_port + 3` (GSUBZ).
    pub async fn start_on_port(
        first_port: u16,
        config: SandboxConfig,
    ) -> Result<Sandbox, SandboxError> {
        if first_port == 0 || first_port.checked_add(3).is_none() {
            return Err(SandboxError::PortRange(first_port));
        }
        Self::start_with_ports([first_port, first_port + 1, first_port + 2, first_port + 3], config)
            .await
    }

    async fn start_with_ports(
        ports: [u16; 4],
        config: SandboxConfig,
    ) -> Result<Sandbox, SandboxError> {
        let mut listeners = Vec::with_capacity(4);
        let mut addrs = [SocketAddr::from(([127, 0, 0, 1], 0)); 4];
        for (i, port) in ports.iter().enumerate() {
            let addr = SocketAddr::from(([127, 0, 0, 1], *port));
            let listener = TcpListener::bind(addr)
                .await
                .map_err(|source| SandboxError::Bind { addr, source })?;
            addrs[i] =
                listener.local_addr().map_err(|source| SandboxError::Bind { addr, source })?;
            listeners.push(listener);
        }
        let (stop, stop_rx) = watch::channel(false);
        let shared = Arc::new(Shared::new(config, stop_rx.clone()));
        let mut tasks = Vec::with_capacity(4);
        for (vendor, listener) in Vendor::ALL.into_iter().zip(listeners) {
            let router = match vendor {
                Vendor::Vtpass => vtpass::router(&shared),
                Vendor::Eclipse => eclipse::router(&shared),
                Vendor::Dtone => dtone::router(&shared),
                Vendor::Gsubz => gsubz::router(&shared),
            };
            let mut stop_rx = stop_rx.clone();
            let service = router.into_make_service_with_connect_info::<server::Conn>();
            let serve = axum::serve(KillableListener { inner: listener }, service)
                .with_graceful_shutdown(async move {
                    let _ = stop_rx.wait_for(|stop| *stop).await;
                });
            tasks.push(tokio::spawn(async move {
                let _ = serve.await;
            }));
        }
        Ok(Sandbox { shared, addrs, stop, tasks })
    }

    /// The socket address a vendor is served on.
    pub fn addr(&self, vendor: Vendor) -> SocketAddr {
        self.addrs[vendor.index()]
    }

    /// The base URL to give a client, with the same path layout as the vendor's own host:
    ///
    /// | vendor | base URL | example endpoint |
    /// | --- | --- | --- |
    /// | VTpass | `http://127.0.0.1:P/api/` | `…/api/pay` |
    /// | Eclipse | `http://127.0.0.1:P` | `…/eclipse-conductor/rest/v1/authentication/login` |
    /// | DT One | `http://127.0.0.1:P/v1.1` | `…/v1.1/transactions/fixed_value_recharges` |
    /// | GSUBZ | `http://127.0.0.1:P/api/` | `…/api/pay` |
    pub fn base_url(&self, vendor: Vendor) -> String {
        let addr = self.addr(vendor);
        match vendor {
            Vendor::Vtpass | Vendor::Gsubz => format!("http://{addr}/api/"),
            Vendor::Eclipse => format!("http://{addr}"),
            Vendor::Dtone => format!("http://{addr}/v1.1"),
        }
    }

    /// How many requests a vendor's endpoint received (every request counts, including those
    /// refused for bad credentials and those disturbed by a fault). The endpoint names are
    /// listed in the crate documentation; requests matching no route count as `"unmatched"`.
    pub fn count(&self, vendor: Vendor, endpoint: &str) -> u64 {
        self.shared.get_count(vendor, endpoint)
    }

    /// All request counts, keyed by vendor and endpoint name.
    pub fn counts(&self) -> BTreeMap<(Vendor, String), u64> {
        self.shared.all_counts()
    }

    /// Switches a fault on (`Some`) or off (`None`) for every endpoint of `vendor`.
    pub fn set_fault(&self, vendor: Vendor, fault: Option<Fault>) {
        self.shared.set_fault(vendor, fault);
    }

    /// The Eclipse callbacks sent so far (or skipped because their URL was not loopback), in
    /// the order they were made.
    pub fn eclipse_callbacks(&self) -> Vec<CallbackRecord> {
        server::lock(&self.shared.eclipse).callbacks.clone()
    }

    /// Makes every Eclipse JWT issued so far expire now (the next call with one gets 401).
    pub fn expire_eclipse_tokens(&self) {
        eclipse::expire_all(&self.shared);
    }

    /// Stops the servers: connections in progress get a short grace period, then everything
    /// is closed.
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        let tasks = std::mem::take(&mut self.tasks);
        for task in tasks {
            let abort = task.abort_handle();
            if tokio::time::timeout(Duration::from_millis(500), task).await.is_err() {
                abort.abort();
            }
        }
    }

    /// Runs until Ctrl-C, then shuts down. For a process that only serves the sandbox.
    pub async fn run_until_ctrl_c(self) -> std::io::Result<()> {
        let result = tokio::signal::ctrl_c().await;
        self.shutdown().await;
        result
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
        for task in &self.tasks {
            task.abort();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_webhook_key_stays_out_of_debug() {
        let config = SandboxConfig::default().eclipse_webhook_key("a-private-key");
        let text = format!("{config:?}");
        assert!(!text.contains("a-private-key"), "{text}");
        assert!(text.contains("[REDACTED]"));
    }
}
