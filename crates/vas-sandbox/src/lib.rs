//! DOCS_PLACEHOLDER
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
#[derive(Clone, Debug)]
pub struct SandboxConfig {
    settle_after: Duration,
    timeout_delay: Duration,
    eclipse_token_ttl: Duration,
    eclipse_webhook_key: String,
    callbacks_to_any_host: bool,
    vtpass_balance: Decimal,
    gsubz_balance: Decimal,
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
    /// `first_port + 3` does not fit in a port number.
    #[error("port {0} is too high: the sandbox needs four consecutive ports")]
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
        let last = first_port.checked_add(3).ok_or(SandboxError::PortRange(first_port))?;
        let _ = last;
        Self::start_with_ports([first_port, first_port + 1, first_port + 2, first_port + 3], config)
            .await
    }

    async fn start_with_ports(
        ports: [u16; 4],
        config: SandboxConfig,
    ) -> Result<Sandbox, SandboxError> {
        let shared = Arc::new(Shared::new(config));
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
        for task in &self.tasks {
            task.abort();
        }
    }
}
