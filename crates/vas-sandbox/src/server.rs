//! The plumbing shared by the four vendor servers: a listener whose connections a handler can
//! drop without an answer, the per-endpoint counting middleware, and fault switches.

use std::collections::BTreeMap;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::Body;
use axum::extract::connect_info::{ConnectInfo, Connected};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{Next, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use axum::routing::MethodRouter;
use axum::serve::{IncomingStream, Listener};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};

use crate::{Fault, SandboxConfig, Vendor};

/// Locks a mutex, recovering the data if a panicking thread poisoned it (the sandbox state
/// stays usable: every update is a single assignment or insertion).
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// State shared by all four vendor servers.
pub(crate) struct Shared {
    pub(crate) config: SandboxConfig,
    counts: Mutex<BTreeMap<(Vendor, String), u64>>,
    faults: Mutex<BTreeMap<Vendor, Fault>>,
    pub(crate) vtpass: Mutex<crate::vtpass::State>,
    pub(crate) eclipse: Mutex<crate::eclipse::State>,
    pub(crate) dtone: Mutex<crate::dtone::State>,
    pub(crate) gsubz: Mutex<crate::gsubz::State>,
    /// Used to POST Eclipse callbacks.
    pub(crate) http: reqwest::Client,
    /// Turns `true` when the sandbox shuts down (pending callbacks are then dropped).
    pub(crate) stopped: tokio::sync::watch::Receiver<bool>,
}

impl Shared {
    pub(crate) fn new(
        config: SandboxConfig,
        stopped: tokio::sync::watch::Receiver<bool>,
    ) -> Shared {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()
            .unwrap_or_else(|_| reqwest::Client::new());
        Shared {
            vtpass: Mutex::new(crate::vtpass::State::new(&config)),
            eclipse: Mutex::new(crate::eclipse::State::default()),
            dtone: Mutex::new(crate::dtone::State::default()),
            gsubz: Mutex::new(crate::gsubz::State::new(&config)),
            config,
            counts: Mutex::new(BTreeMap::new()),
            faults: Mutex::new(BTreeMap::new()),
            http,
            stopped,
        }
    }

    pub(crate) fn count(&self, vendor: Vendor, endpoint: &str) {
        *lock(&self.counts).entry((vendor, endpoint.to_string())).or_insert(0) += 1;
    }

    pub(crate) fn get_count(&self, vendor: Vendor, endpoint: &str) -> u64 {
        lock(&self.counts).get(&(vendor, endpoint.to_string())).copied().unwrap_or(0)
    }

    pub(crate) fn all_counts(&self) -> BTreeMap<(Vendor, String), u64> {
        lock(&self.counts).clone()
    }

    pub(crate) fn set_fault(&self, vendor: Vendor, fault: Option<Fault>) {
        let mut faults = lock(&self.faults);
        match fault {
            Some(f) => faults.insert(vendor, f),
            None => faults.remove(&vendor),
        };
    }

    fn fault(&self, vendor: Vendor) -> Option<Fault> {
        lock(&self.faults).get(&vendor).cloned()
    }
}

/// What a handler asks the middleware to do with its answer (a response extension): used by
/// the scenario triggers, which behave like the fault switches but for one request.
#[derive(Clone, Debug)]
pub(crate) enum Action {
    /// Close the connection without an answer.
    Drop,
    /// Answer 502 with an HTML page instead.
    BadGateway,
    /// Hold the answer back this long.
    Delay(Duration),
}

/// Attaches an [`Action`] to a response.
pub(crate) fn with_action(mut response: Response, action: Action) -> Response {
    response.extensions_mut().insert(action);
    response
}

/// A JSON answer whose body is exactly `text` (already serialized).
pub(crate) fn json_text(status: StatusCode, text: String) -> Response {
    let mut response = (status, text).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

/// A JSON answer built from a value; numbers marked with [`crate::json::raw`] are written
/// verbatim.
pub(crate) fn json(status: StatusCode, value: &serde_json::Value) -> Response {
    json_text(status, crate::json::to_string(value))
}

const BAD_GATEWAY_PAGE: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

fn bad_gateway() -> Response {
    let mut response = (StatusCode::BAD_GATEWAY, BAD_GATEWAY_PAGE).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    response
}

#[derive(Clone)]
struct Endpoint {
    shared: Arc<Shared>,
    vendor: Vendor,
    name: &'static str,
}

/// Wraps a route: counts each request under `name`, then applies the handler's scenario
/// [`Action`] and the vendor's [`Fault`] to the answer.
pub(crate) fn endpoint<S>(
    shared: &Arc<Shared>,
    vendor: Vendor,
    name: &'static str,
    route: MethodRouter<S>,
) -> MethodRouter<S>
where
    S: Clone + Send + Sync + 'static,
{
    route.layer(from_fn_with_state(
        Endpoint { shared: shared.clone(), vendor, name },
        endpoint_middleware,
    ))
}

/// The fallback of every vendor router: counted as `"unmatched"`.
pub(crate) async fn unmatched(shared: Arc<Shared>, vendor: Vendor, req: Request) -> Response {
    shared.count(vendor, "unmatched");
    let kill = req.extensions().get::<ConnectInfo<Conn>>().map(|c| c.0.kill.clone());
    let response = match vendor {
        Vendor::Dtone => json(
            StatusCode::NOT_FOUND,
            &serde_json::json!({"errors": [{"code": 1000404, "message": "Not found"}]}),
        ),
        _ => json(
            StatusCode::NOT_FOUND,
            &serde_json::json!({"code": 404, "description": "CONTENT_NOT_FOUND"}),
        ),
    };
    apply_fault(&shared, vendor, kill, response).await
}

async fn endpoint_middleware(State(ep): State<Endpoint>, req: Request, next: Next) -> Response {
    ep.shared.count(ep.vendor, ep.name);
    let kill = req.extensions().get::<ConnectInfo<Conn>>().map(|c| c.0.kill.clone());
    let mut response = next.run(req).await;
    match response.extensions_mut().remove::<Action>() {
        Some(Action::Drop) => return drop_connection(kill, response),
        Some(Action::BadGateway) => return bad_gateway(),
        Some(Action::Delay(d)) => tokio::time::sleep(d).await,
        None => {}
    }
    apply_fault(&ep.shared, ep.vendor, kill, response).await
}

async fn apply_fault(
    shared: &Shared,
    vendor: Vendor,
    kill: Option<Arc<AtomicBool>>,
    response: Response,
) -> Response {
    match shared.fault(vendor) {
        None => response,
        Some(Fault::Latency(d)) => {
            tokio::time::sleep(d).await;
            response
        }
        Some(Fault::BadGateway) => bad_gateway(),
        Some(Fault::DropAfterRead) => drop_connection(kill, response),
        Some(Fault::TruncatedBody) => truncate(response).await,
    }
}

fn drop_connection(kill: Option<Arc<AtomicBool>>, response: Response) -> Response {
    match kill {
        Some(kill) => {
            kill.store(true, Ordering::SeqCst);
            response
        }
        // Not served through our listener (cannot happen in the sandbox): answer 502 instead.
        None => bad_gateway(),
    }
}

async fn truncate(response: Response) -> Response {
    let (mut parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX).await.unwrap_or_default();
    let cut = bytes.slice(..bytes.len() / 2);
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(cut))
}

/// Per-connection information handed to handlers: the switch that makes the connection close
/// instead of writing the answer.
#[derive(Clone, Debug)]
pub(crate) struct Conn {
    kill: Arc<AtomicBool>,
}

impl Connected<IncomingStream<'_, KillableListener>> for Conn {
    fn connect_info(stream: IncomingStream<'_, KillableListener>) -> Self {
        stream.remote_addr().clone()
    }
}

/// A TCP listener whose connections carry a kill switch.
pub(crate) struct KillableListener {
    pub(crate) inner: TcpListener,
}

impl Listener for KillableListener {
    type Io = KillableIo;
    type Addr = Conn;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            match self.inner.accept().await {
                Ok((stream, _)) => {
                    let _ = stream.set_nodelay(true);
                    let kill = Arc::new(AtomicBool::new(false));
                    return (KillableIo { inner: stream, kill: kill.clone() }, Conn { kill });
                }
                // Out of file descriptors and the like: wait a little and go on.
                Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
            }
        }
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        Ok(Conn { kill: Arc::new(AtomicBool::new(false)) })
    }
}

/// A TCP stream that refuses to write once its kill switch is on, so the server drops the
/// connection without sending a byte of the answer.
pub(crate) struct KillableIo {
    inner: TcpStream,
    kill: Arc<AtomicBool>,
}

impl KillableIo {
    fn killed(&self) -> bool {
        self.kill.load(Ordering::SeqCst)
    }
}

fn aborted() -> io::Error {
    io::Error::new(io::ErrorKind::ConnectionAborted, "sandbox: connection dropped on purpose")
}

impl AsyncRead for KillableIo {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if this.killed() {
            return Poll::Ready(Err(aborted()));
        }
        Pin::new(&mut this.inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for KillableIo {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        if this.killed() {
            return Poll::Ready(Err(aborted()));
        }
        Pin::new(&mut this.inner).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if this.killed() {
            return Poll::Ready(Err(aborted()));
        }
        Pin::new(&mut this.inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}
