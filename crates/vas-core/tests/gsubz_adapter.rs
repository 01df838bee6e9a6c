//! The GSUBZ adapter against a small local HTTP responder (127.0.0.1; no internet): how
//! `pay` and `verify` answers become receipts or errors through `Vas`.
#![cfg(feature = "gsubz")]

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rust_decimal_macros::dec;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use vas_core::adapters::gsubz::GsubzProvider;
use vas_core::{
    Backoff, ErrorKind, Outcome, ProductRef, PurchaseRequest, Recipient, Reference, Vas, Vendor,
};

/// One canned answer per endpoint (`pay/`, `verify/`, …): status, extra headers, body.
type Answer = (u16, Vec<(String, String)>, String);

/// Answers each endpoint as told; every request is counted.
#[derive(Clone, Default)]
struct Responder {
    answers: Arc<Mutex<BTreeMap<String, Answer>>>,
    calls: Arc<Mutex<BTreeMap<String, usize>>>,
}

impl Responder {
    fn answer(&self, endpoint: &str, status: u16, body: Value) {
        self.answer_raw(endpoint, status, &[], &body.to_string());
    }

    fn answer_raw(&self, endpoint: &str, status: u16, headers: &[(&str, &str)], body: &str) {
        let headers = headers.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        self.answers.lock().unwrap().insert(endpoint.to_owned(), (status, headers, body.into()));
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
                    let (status, headers, body) =
                        me.answers.lock().unwrap().get(&endpoint).cloned().unwrap_or((
                            404,
                            Vec::new(),
                            "<html>not found</html>".into(),
                        ));
                    let mut head = format!(
                        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n",
                        body.len()
                    );
                    for (k, v) in headers {
                        head.push_str(&format!("{k}: {v}\r\n"));
                    }
                    head.push_str("\r\n");
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

const REFERENCE: &str = "1795000000000123456";
const PHONE: &str = "07031234567";

/// A responder whose `mtn` service takes an amount and a phone number.
async fn setup() -> (Responder, Vas) {
    let r = Responder::default();
    r.answer(
        "fields/",
        200,
        json!({"service": "mtn", "field": [
            {"displayName": "Amount", "name": "amount", "type": "number", "description": "", "regExp": "[0-9]+", "required": true},
            {"displayName": "Phone", "name": "phone", "type": "text", "description": "", "regExp": "[0-9]+", "required": true}
        ]}),
    );
    let base = r.start().await;
    let client = gsubz_client::Client::builder("ap_test_key")
        .base_url(base)
        .timeout(Duration::from_millis(500))
        .read_retries(0)
        .build()
        .unwrap();
    let vas = Vas::builder()
        .provider(GsubzProvider::new(client))
        .poll_backoff(Backoff::new(Duration::from_millis(5)).no_jitter())
        .poll_deadline(Duration::from_millis(150))
        .build()
        .unwrap();
    (r, vas)
}

fn airtime() -> PurchaseRequest {
    PurchaseRequest::new(ProductRef::new(Vendor::Gsubz, "mtn"), Recipient::phone(PHONE))
        .amount(dec!(100))
        .reference(Reference::new(REFERENCE))
}

/// The newer doc's flat answer for this purchase.
fn answer(code: Value, status: &str) -> Value {
    json!({"code": code, "status": status, "transactionID": "189584034893843",
        "requestID": REFERENCE, "amount": "100", "phone": PHONE, "serviceID": "mtn"})
}

#[tokio::test]
async fn a_406_whose_body_says_200_is_the_original_result() {
    for (code, http) in [(json!(200), 406), (json!("406"), 200), (json!(406), 406)] {
        let (r, vas) = setup().await;
        r.answer("pay/", http, answer(code.clone(), "successful"));
        let receipt = vas.execute(&vas.prepare(airtime()).await.unwrap()).await.unwrap();
        assert_eq!(receipt.outcome, Outcome::Delivered, "{code} under HTTP {http}");
        assert_eq!(receipt.vendor_transaction_id.as_deref(), Some("189584034893843"));
        assert_eq!((r.calls("pay/"), r.calls("verify/")), (1, 0));
    }
}

#[tokio::test]
async fn refusals_before_processing_are_failed_receipts_but_not_beside_a_transaction() {
    for code in [204, 206, 401, 402, 404, 405, 429] {
        let (r, vas) = setup().await;
        r.answer("pay/", 200, json!({"code": code, "description": "REFUSED"}));
        let receipt = vas.execute(&vas.prepare(airtime()).await.unwrap()).await.unwrap();
        assert_eq!(receipt.outcome, Outcome::Failed, "{code}");
        assert_eq!((r.calls("pay/"), r.calls("verify/")), (1, 0), "{code}");

        // The same code beside a transactionID: something was processed; ask.
        let (r, vas) = setup().await;
        r.answer("pay/", 200, json!({"code": code, "transactionID": "77", "requestID": REFERENCE}));
        r.answer("verify/", 200, answer(json!("200"), "success"));
        let receipt = vas.execute(&vas.prepare(airtime()).await.unwrap()).await.unwrap();
        assert_eq!(receipt.outcome, Outcome::Delivered, "{code}");
        assert_eq!(r.calls("pay/"), 1, "{code}");
        assert!(r.calls("verify/") >= 1, "{code}");
    }
}

#[tokio::test]
async fn a_redirected_purchase_is_not_followed_then_its_status_is_asked() {
    let (r, vas) = setup().await;
    r.answer_raw("pay/", 307, &[("location", "/api/elsewhere/")], "");
    r.answer("elsewhere/", 200, json!({"code": 405}));
    r.answer("verify/", 200, answer(json!("200"), "failed"));
    let receipt = vas.execute(&vas.prepare(airtime()).await.unwrap()).await.unwrap();
    assert_eq!(receipt.outcome, Outcome::Failed);
    assert_eq!((r.calls("pay/"), r.calls("elsewhere/")), (1, 0));
    assert!(r.calls("verify/") >= 1);
}

#[tokio::test]
async fn a_502_page_then_a_status_query_not_found_saying_failed_is_never_failed() {
    let (r, vas) = setup().await;
    r.answer_raw("pay/", 502, &[("content-type", "text/html")], "<html>502 Bad Gateway</html>");
    r.answer("verify/", 200, json!({"code": 404, "status": "failed", "description": "NOT FOUND"}));
    let receipt = vas.execute(&vas.prepare(airtime()).await.unwrap()).await.unwrap();
    assert!(!receipt.outcome.is_final(), "{receipt:?}");
    assert_eq!(r.calls("pay/"), 1);
    assert!(r.calls("verify/") >= 1);
    let e = vas.status(Vendor::Gsubz, &Reference::new(REFERENCE)).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound, "{e}");
    // A second execute of the same reference is refused without a request.
    let again = vas.prepare(airtime()).await;
    assert!(again.is_err());
    assert_eq!(r.calls("pay/"), 1);
}

#[tokio::test]
async fn a_reference_gsubz_would_read_as_another_integer_is_refused_before_sending() {
    let (r, vas) = setup().await;
    for bad in ["0123", "99999999999999999999", "12ab"] {
        let e = vas.prepare(airtime().reference(Reference::new(bad))).await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::CallerInput, "{bad}: {e}");
    }
    assert_eq!(r.calls("pay/"), 0);
}

#[tokio::test]
async fn a_reference_gsubz_knows_as_another_purchase_is_never_settled_by_that_purchase() {
    let (r, vas) = setup().await;
    let mut theirs = answer(json!(406), "successful");
    theirs["phone"] = json!("08099999999");
    r.answer("pay/", 406, theirs.clone());
    r.answer("verify/", 200, theirs);
    let receipt = vas.execute(&vas.prepare(airtime()).await.unwrap()).await.unwrap();
    assert!(!receipt.outcome.is_final(), "{receipt:?}");
    assert!(
        receipt.message.as_deref().unwrap_or_default().contains("another purchase"),
        "{receipt:?}"
    );
    assert_eq!((r.calls("pay/"), r.calls("verify/")), (1, 0));
    let e = vas.status(Vendor::Gsubz, &Reference::new(REFERENCE)).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::CallerInput, "{e}");
    assert_eq!(r.calls("verify/"), 0);
}
