//! The VTpass adapter against a small local HTTP responder (127.0.0.1; no internet): how
//! `pay` and `requery` answers become receipts or errors through `Vas`.
#![cfg(feature = "vtpass")]

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rust_decimal_macros::dec;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use vas_core::adapters::vtpass::VtpassProvider;
use vas_core::{
    Backoff, ErrorKind, Outcome, ProductRef, PurchaseRequest, Recipient, Reference, Vas, Vendor,
};

/// One canned answer per endpoint (`pay`, `requery`, …); every request is counted.
#[derive(Clone, Default)]
struct Responder {
    answers: Arc<Mutex<BTreeMap<String, (u16, Value)>>>,
    calls: Arc<Mutex<BTreeMap<String, usize>>>,
}

impl Responder {
    fn answer(&self, endpoint: &str, status: u16, body: Value) {
        self.answers.lock().unwrap().insert(endpoint.to_owned(), (status, body));
    }

    fn calls(&self, endpoint: &str) -> usize {
        self.calls.lock().unwrap().get(endpoint).copied().unwrap_or(0)
    }

    /// Serves on a free local port until the test ends; returns the base URL.
    async fn start(&self) -> String {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let me = self.clone();
        tokio::spawn(async move {
            while let Ok((mut sock, _)) = listener.accept().await {
                let me = me.clone();
                tokio::spawn(async move {
                    let Some(path) = read_request(&mut sock).await else { return };
                    let endpoint = path.trim_start_matches("/api/").to_owned();
                    *me.calls.lock().unwrap().entry(endpoint.clone()).or_default() += 1;
                    let (status, body) = me
                        .answers
                        .lock()
                        .unwrap()
                        .get(&endpoint)
                        .cloned()
                        .unwrap_or((404, json!({"response_description": "no such endpoint"})));
                    let body = body.to_string();
                    let head = format!(
                        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                        body.len()
                    );
                    let _ = sock.write_all(head.as_bytes()).await;
                    let _ = sock.write_all(body.as_bytes()).await;
                    let _ = sock.shutdown().await;
                });
            }
        });
        format!("http://{addr}/api/")
    }
}

/// Reads one request (head and `content-length` body); returns its path without the query.
async fn read_request(sock: &mut tokio::net::TcpStream) -> Option<String> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        let n = sock.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
    let length = head
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("content-length").then(|| v.trim().parse::<usize>().ok())?
        })
        .unwrap_or(0);
    while buf.len() < head_end + length {
        let n = sock.read(&mut chunk).await.ok()?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let target = head.split_whitespace().nth(1)?;
    Some(target.split('?').next().unwrap_or(target).to_owned())
}

/// A responder whose catalog lists MTN airtime (any amount from 50 to 50,000).
async fn setup() -> (Responder, Vas) {
    let r = Responder::default();
    r.answer(
        "service-categories",
        200,
        json!({"response_description": "000", "content": [{"identifier": "airtime", "name": "Airtime Recharge"}]}),
    );
    r.answer(
        "services",
        200,
        json!({"response_description": "000", "content": [{"serviceID": "mtn", "name": "MTN Airtime VTU",
            "minimium_amount": "50", "maximum_amount": 50000, "convinience_fee": "0 %", "product_type": "flexible"}]}),
    );
    let base = r.start().await;
    let client = vtpass_client::Client::builder()
        .base_url(base)
        .basic_auth("sandbox@example.com", "pw")
        .timeout(Duration::from_millis(500))
        .read_retries(0)
        .build()
        .unwrap();
    let vas = Vas::builder()
        .provider(VtpassProvider::new(client))
        .poll_backoff(Backoff::new(Duration::from_millis(5)).no_jitter())
        .poll_deadline(Duration::from_millis(150))
        .build()
        .unwrap();
    (r, vas)
}

const REFERENCE: &str = "202611230600abcdef";

fn airtime() -> PurchaseRequest {
    PurchaseRequest::new(ProductRef::new(Vendor::Vtpass, "mtn"), Recipient::phone("08011111111"))
        .amount(dec!(100))
        .reference(Reference::new(REFERENCE))
}

#[tokio::test]
async fn an_access_refusal_on_pay_is_an_auth_error_not_a_failed_receipt() {
    for (code, http) in [
        ("087", 401),
        ("087", 200),
        ("021", 200),
        ("022", 200),
        ("023", 200),
        ("024", 200),
        ("027", 200),
    ] {
        let (r, vas) = setup().await;
        r.answer("pay", http, json!({"code": code, "response_description": "REFUSED"}));
        r.answer("requery", 200, json!({"code": "015"}));
        let prepared = vas.prepare(airtime()).await.unwrap();
        let e = vas.execute(&prepared).await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Auth, "{code} (HTTP {http}): {e}");
        assert_eq!(e.vendor(), Some(Vendor::Vtpass));
        assert_eq!(e.reference().map(Reference::as_str), Some(REFERENCE));
        assert!(e.to_string().contains(code), "{e}");
        assert_eq!((r.calls("pay"), r.calls("requery")), (1, 0), "{code}");
    }
}

#[tokio::test]
async fn other_refusals_stay_failed_receipts() {
    let (r, vas) = setup().await;
    r.answer("pay", 200, json!({"code": "018", "response_description": "LOW WALLET BALANCE"}));
    let prepared = vas.prepare(airtime()).await.unwrap();
    let receipt = vas.execute(&prepared).await.unwrap();
    assert_eq!(receipt.outcome, Outcome::Failed);
    assert_eq!((r.calls("pay"), r.calls("requery")), (1, 0));
}

#[tokio::test]
async fn an_access_code_beside_a_transaction_is_not_taken_as_a_refusal() {
    // Contradictory: the transaction decides, and it is not final, so the status is asked.
    let (r, vas) = setup().await;
    r.answer(
        "pay",
        200,
        json!({"code": "087", "content": {"transactions": {"status": "pending"}}}),
    );
    r.answer(
        "requery",
        200,
        json!({"code": "000", "content": {"transactions": {"status": "delivered"}}}),
    );
    let prepared = vas.prepare(airtime()).await.unwrap();
    let receipt = vas.execute(&prepared).await.unwrap();
    assert_eq!(receipt.outcome, Outcome::Delivered);
    assert_eq!(r.calls("pay"), 1);
    assert!(r.calls("requery") >= 1);
}

#[tokio::test]
async fn an_access_refusal_on_requery_is_an_auth_error_and_stops_the_polling() {
    let (r, vas) = setup().await;
    r.answer("requery", 200, json!({"code": "087", "response_description": "INVALID CREDENTIALS"}));
    let e = vas.status(Vendor::Vtpass, &Reference::new(REFERENCE)).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Auth, "{e}");
    assert_eq!(r.calls("requery"), 1);

    // After a payment that timed out: one payment, one status query, then Pending (never
    // Failed, never a second payment).
    r.answer("pay", 504, json!({"message": "gateway timeout"}));
    let prepared = vas.prepare(airtime()).await.unwrap();
    let receipt = vas.execute(&prepared).await.unwrap();
    assert_eq!(receipt.outcome, Outcome::Pending);
    assert!(receipt.message.as_deref().unwrap_or_default().contains("087"), "{receipt:?}");
    assert_eq!((r.calls("pay"), r.calls("requery")), (1, 2));
}
