//! The Eclipse adapter against a scripted local server: each partner's documented payment flow
//! (DTB: the amount in the initiate call; the South African providers: initiate, then complete
//! with `PUT payments/{paymentId}`), the exact bodies sent, every call sent once whatever the
//! answer (401, a refusal, a lost answer, an HTML page), and status by reference after a
//! restart, which Eclipse cannot answer: never `NotFound`, never `Failed`.
#![cfg(feature = "eclipse")]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use rust_decimal_macros::dec;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use vas_core::adapters::eclipse::EclipseProvider;
use vas_core::{
    Backoff, Currency, ErrorKind, Money, Outcome, ProductRef, PurchaseRequest, Recipient,
    Reference, Vas, Vendor,
};

const API: &str = "/eclipse-conductor/rest/v1";
const TENANT: &str = "/eclipse-conductor/rest/v1/tenants/6658";
/// A JWT whose claims are `{"uid":184132,"exp":4102444800}`.
const JWT: &str =
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ1aWQiOjE4NDEzMiwiZXhwIjo0MTAyNDQ0ODAwfQ.c2ln";
const WALLET: u64 = 830989;

/// One request the server received.
#[derive(Clone, Debug)]
struct Seen {
    method: String,
    path: String,
    body: String,
}

impl Seen {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
}

type Answer = (u16, String);
type Script = Arc<dyn Fn(&str, &str) -> Answer + Send + Sync>;

/// A minimal HTTP/1.1 server: logs in, serves a catalog, and answers payment calls with a
/// script of `(method, path) -> (status, body)`.
struct Server {
    base: String,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Server {
    async fn start(script: impl Fn(&str, &str) -> Answer + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let script: Script = Arc::new(script);
        let log = seen.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream, script.clone(), log.clone()));
            }
        });
        Server { base, seen }
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    /// The payment calls: initiate (POST) and complete (PUT), in order.
    fn payment_calls(&self) -> Vec<Seen> {
        self.seen()
            .into_iter()
            .filter(|s| s.method == "POST" || s.method == "PUT")
            .filter(|s| !s.path.contains("/authentication/"))
            .collect()
    }

    fn count(&self, method: &str, path_part: &str) -> usize {
        self.seen().iter().filter(|s| s.method == method && s.path.contains(path_part)).count()
    }
}

async fn serve(mut stream: TcpStream, script: Script, log: Arc<Mutex<Vec<Seen>>>) {
    let mut buf = Vec::new();
    loop {
        let head_end = loop {
            if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break i + 4;
            }
            let mut chunk = [0u8; 4096];
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        };
        let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
        let mut lines = head.lines();
        let mut first = lines.next().unwrap_or("").split(' ');
        let method = first.next().unwrap_or("").to_string();
        let path = first.next().unwrap_or("").split('?').next().unwrap_or("").to_string();
        let length = lines
            .filter_map(|l| l.split_once(':'))
            .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
            .and_then(|(_, v)| v.trim().parse::<usize>().ok())
            .unwrap_or(0);
        while buf.len() < head_end + length {
            let mut chunk = [0u8; 4096];
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        }
        let body = String::from_utf8_lossy(&buf[head_end..head_end + length]).to_string();
        buf.drain(..head_end + length);
        log.lock().unwrap().push(Seen { method: method.clone(), path: path.clone(), body });
        let (status, answer) = builtin(&method, &path).unwrap_or_else(|| script(&method, &path));
        let kind =
            if answer.trim_start().starts_with('<') { "text/html" } else { "application/json" };
        let response = format!(
            "HTTP/1.1 {status} X\r\ncontent-type: {kind}\r\ncontent-length: {}\r\n\r\n{answer}",
            answer.len()
        );
        if stream.write_all(response.as_bytes()).await.is_err() {
            return;
        }
    }
}

/// Login and catalog answers.
fn builtin(method: &str, path: &str) -> Option<Answer> {
    if method == "POST" && path == format!("{API}/authentication/login") {
        let login = json!({"headerName": "Authorization", "headerValue": format!("Bearer {JWT}"),
                           "expiresEpochSecs": 4102444800u64});
        return Some((200, login.to_string()));
    }
    if method == "GET" && path == format!("{TENANT}/vas/catalogs") {
        return Some((200, catalog().to_string()));
    }
    None
}

fn product(partner: u64, kind: &str, id: &str, field: (&str, &str)) -> Value {
    json!({"partnerId": partner, "productTypeName": kind, "productId": id, "productName": id,
           "pinnedProduct": false,
           "additionalFields": [{"id": field.0, "title": field.0, "type": "NUMERIC", "regex": field.1}]})
}

fn catalog() -> Value {
    let msisdn = ("msisdn", "^[0-9]{8,16}$");
    json!([
        {"partnerId": 4, "partnerName": "MTN", "providerId": 1,
         "products": [product(4, "AIRTIME", "M500", msisdn)]},
        {"partnerId": 14, "partnerName": "PayAt", "providerId": 14,
         "products": [product(14, "BILL", "14577", ("accountNumber", "^[0-9]{6,20}$"))]},
        {"partnerId": 15, "partnerName": "EasyPay", "providerId": 15,
         "products": [product(15, "AIRTIME", "1764", msisdn)]},
        {"partnerId": 16, "partnerName": "Kganya", "providerId": 16,
         "products": [product(16, "BILL", "0310564280_T089775335322_3", msisdn)]},
        {"partnerId": 21, "partnerName": "DTBUGVasProvider", "providerId": 21,
         "products": [product(21, "BILL", "NWSC_21117391", msisdn)]}
    ])
}

/// A payment as Eclipse answers it.
fn payment(id: u64, reference: &str, status: &str, amount: Option<&str>, currency: &str) -> String {
    let mut p = json!({"paymentId": id, "externalUniqueId": reference, "status": status,
                       "currency": currency, "paymentType": "EFT", "fee": 0});
    if let Some(a) = amount {
        p["amount"] = serde_json::from_str(a).unwrap();
    }
    p.to_string()
}

fn vas_for(server: &Server) -> Vas {
    let client = eclipse_vas::Client::builder()
        .base_url(&server.base)
        .tenant(6658)
        .credentials("api@example.com", "correct-horse-battery")
        .timeout(Duration::from_secs(2))
        .build()
        .unwrap();
    Vas::builder()
        .provider(EclipseProvider::new(client).wallet(WALLET))
        .poll_backoff(Backoff::new(Duration::from_millis(10)).no_jitter())
        .poll_deadline(Duration::from_millis(200))
        .build()
        .unwrap()
}

const REF: &str = "vas-ref-0001";

fn wal009() -> String {
    json!([{"type": "BUSINESS", "severity": "LOW", "description": "Insufficient funds",
            "code": "WAL009", "traceId": "t", "spanId": "s"}])
    .to_string()
}

fn usr002() -> String {
    json!([{"type": "BUSINESS", "severity": "LOW", "description": "Invalid credentials",
            "code": "USR002", "traceId": "t", "spanId": "s"}])
    .to_string()
}

/// A script: the initiate answer is PENDING without an amount; `put` answers the completion;
/// the status query answers `get`.
fn two_step(put: Answer, get: Answer) -> impl Fn(&str, &str) -> Answer + Send + Sync {
    move |method, path| match (method, path) {
        ("POST", p) if p == format!("{TENANT}/customers/184132/payments") => {
            (200, payment(172565, REF, "PENDING", None, "ZAR"))
        }
        ("PUT", p) if p == format!("{TENANT}/payments/172565") => put.clone(),
        ("GET", p) if p == format!("{TENANT}/payments/172565") => get.clone(),
        _ => (404, "<html>no route</html>".into()),
    }
}

fn mtn() -> PurchaseRequest {
    PurchaseRequest::new(ProductRef::new(Vendor::Eclipse, "4_M500"), Recipient::phone("0831234567"))
        .amount(dec!(10))
        .reference(Reference::new(REF))
}

#[tokio::test]
async fn south_african_products_initiate_without_the_amount_then_complete_it_with_put() {
    let server = Server::start(two_step(
        (200, payment(172565, REF, "PENDING", Some("10.000000000"), "ZAR")),
        (200, payment(172565, REF, "SUCCESSFUL", Some("10.000000000"), "ZAR")),
    ))
    .await;
    let vas = vas_for(&server);
    let prepared = vas.prepare(mtn()).await.unwrap();
    let receipt = vas.execute(&prepared).await.unwrap();
    assert_eq!(receipt.outcome, Outcome::Delivered, "{receipt:?}");
    assert_eq!(receipt.amount, Some(Money::new(dec!(10), Currency::Zar)));
    assert_eq!(receipt.vendor_transaction_id.as_deref(), Some("172565"));

    let calls = server.payment_calls();
    assert_eq!(calls.len(), 2, "{calls:?}");
    assert_eq!((calls[0].method.as_str(), calls[1].method.as_str()), ("POST", "PUT"));
    assert_eq!(
        calls[0].json(),
        json!({"externalUniqueId": REF, "type": "GLOBAL_VAS", "paymentData": "4_M500",
               "currency": "ZAR", "additionalFields": [{"id": "msisdn", "value": "27831234567"}],
               "walletId": WALLET})
    );
    assert_eq!(calls[1].body, format!(r#"{{"amount":10,"walletId":{WALLET}}}"#));
}

#[tokio::test]
async fn kganya_payat_and_easypay_send_their_documented_bodies() {
    let cases = [
        (
            PurchaseRequest::new(
                ProductRef::new(Vendor::Eclipse, "16_0310564280_T089775335322_3"),
                Recipient::phone("0831234567"),
            ),
            json!({"externalUniqueId": REF, "type": "GLOBAL_VAS",
                   "paymentData": "16_0310564280_T089775335322_3", "currency": "ZAR",
                   "additionalFields": [{"id": "msisdn", "value": "27831234567"}],
                   "walletId": WALLET}),
            json!({"amount": 150, "walletId": WALLET}),
        ),
        (
            PurchaseRequest::new(
                ProductRef::new(Vendor::Eclipse, "14_14577"),
                Recipient::account("1234567890"),
            ),
            json!({"externalUniqueId": REF, "type": "GLOBAL_VAS", "paymentData": "14_14577",
                   "additionalFields": [{"id": "accountNumber", "value": "1234567890"}]}),
            json!({"amount": 150, "walletId": WALLET, "externalUniqueId": REF}),
        ),
        (
            PurchaseRequest::new(
                ProductRef::new(Vendor::Eclipse, "15_1764"),
                Recipient::phone("0831234567"),
            ),
            json!({"externalUniqueId": REF, "type": "GLOBAL_VAS", "paymentData": "15_1764",
                   "additionalFields": [{"id": "msisdn", "value": "27831234567"}],
                   "walletId": WALLET, "phone": "27831234567"}),
            json!({"amount": 150, "walletId": WALLET, "externalUniqueId": REF}),
        ),
    ];
    for (request, initiate, complete) in cases {
        let server = Server::start(two_step(
            (200, "\"success\"".into()),
            (200, payment(172565, REF, "SUCCESSFUL", Some("150"), "ZAR")),
        ))
        .await;
        let vas = vas_for(&server);
        let prepared =
            vas.prepare(request.amount(dec!(150)).reference(Reference::new(REF))).await.unwrap();
        let receipt = vas.execute(&prepared).await.unwrap();
        assert_eq!(receipt.outcome, Outcome::Delivered, "{receipt:?}");
        let calls = server.payment_calls();
        assert_eq!(calls.len(), 2, "{calls:?}");
        assert_eq!(calls[0].json(), initiate);
        assert_eq!(calls[1].json(), complete);
        assert_eq!(calls[1].path, format!("{TENANT}/payments/172565"));
    }
}

#[tokio::test]
async fn dtb_sends_the_amount_in_the_initiate_call_and_nothing_else() {
    let server = Server::start(|method, path| match (method, path) {
        ("POST", _) => (200, payment(453209, REF, "PENDING", Some("71683"), "UGX")),
        ("GET", p) if p.ends_with("/payments/453209") => {
            (200, payment(453209, REF, "SUCCESSFUL", Some("71683.000000000"), "UGX"))
        }
        _ => (404, "<html>no route</html>".into()),
    })
    .await;
    let vas = vas_for(&server);
    let request = PurchaseRequest::new(
        ProductRef::new(Vendor::Eclipse, "21_NWSC_21117391"),
        Recipient::phone("256772123456"),
    )
    .amount(dec!(71683))
    .reference(Reference::new(REF));
    let prepared = vas.prepare(request).await.unwrap();
    let receipt = vas.execute(&prepared).await.unwrap();
    assert_eq!(receipt.outcome, Outcome::Delivered, "{receipt:?}");
    let calls = server.payment_calls();
    assert_eq!(calls.len(), 1, "no completion for DTB: {calls:?}");
    let body = calls[0].json();
    assert_eq!(body["amount"], json!(71683));
    assert_eq!(body["currency"], json!("UGX"));
    assert_eq!(body["walletId"], json!(WALLET));
}

#[tokio::test]
async fn a_401_on_either_payment_call_is_an_auth_error_and_nothing_is_sent_again() {
    // On the completion.
    let server = Server::start(two_step((401, usr002()), (200, "{}".into()))).await;
    let vas = vas_for(&server);
    let prepared = vas.prepare(mtn()).await.unwrap();
    let err = vas.execute(&prepared).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Auth, "{err:?}");
    assert_eq!(err.reference(), Some(prepared.reference()));
    assert_eq!((server.count("POST", "/payments"), server.count("PUT", "/payments")), (1, 1));
    assert_eq!(server.count("POST", "/authentication/login"), 1, "no login to send it again");
    assert_eq!(vas.execute(&prepared).await.unwrap_err().kind(), ErrorKind::CallerInput);
    assert_eq!(server.count("PUT", "/payments"), 1);

    // On the initiate call.
    let server = Server::start(|_, _| (401, usr002())).await;
    let vas = vas_for(&server);
    let prepared = vas.prepare(mtn()).await.unwrap();
    let err = vas.execute(&prepared).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Auth, "{err:?}");
    assert_eq!((server.count("POST", "/payments"), server.count("PUT", "/payments")), (1, 0));
}

#[tokio::test]
async fn a_refused_completion_is_failed_and_a_lost_one_is_resolved_by_status() {
    // Refused with the vendor's error array: nothing was bought.
    let server = Server::start(two_step((400, wal009()), (200, "{}".into()))).await;
    let vas = vas_for(&server);
    let receipt = vas.execute(&vas.prepare(mtn()).await.unwrap()).await.unwrap();
    assert_eq!(receipt.outcome, Outcome::Failed, "{receipt:?}");
    assert!(receipt.message.as_deref().unwrap_or("").contains("WAL009"), "{receipt:?}");
    assert_eq!(receipt.vendor_transaction_id.as_deref(), Some("172565"));
    assert_eq!(server.count("PUT", "/payments"), 1);

    // Lost behind a proxy error, a timeout-like 504, a conflict or a redirect: maybe processed.
    for lost in [
        (502, "<html>Bad Gateway</html>".to_string()),
        (504, String::new()),
        (409, json!([{"code": "PAY002", "description": "already final"}]).to_string()),
        (307, String::new()),
        (404, "<html>Not Found</html>".to_string()),
    ] {
        let server = Server::start(two_step(
            lost.clone(),
            (200, payment(172565, REF, "SUCCESSFUL", Some("10"), "ZAR")),
        ))
        .await;
        let vas = vas_for(&server);
        let receipt = vas.execute(&vas.prepare(mtn()).await.unwrap()).await.unwrap();
        assert_eq!(receipt.outcome, Outcome::Delivered, "{lost:?}: {receipt:?}");
        assert_eq!(server.count("PUT", "/payments"), 1, "{lost:?}");
        assert_eq!(server.count("POST", "/customers/"), 1, "{lost:?}");
        assert!(server.count("GET", "/payments/172565") >= 1, "{lost:?}");
    }
}

#[tokio::test]
async fn an_answer_to_the_initiate_call_that_is_not_a_refusal_is_never_failed() {
    for answer in [
        (404, "<html><body>Not Found</body></html>".to_string()),
        (400, String::new()),
        (409, json!([{"code": "PAY001", "description": "duplicate"}]).to_string()),
        (302, String::new()),
    ] {
        let server = Server::start(move |_, _| answer.clone()).await;
        let vas = vas_for(&server);
        let prepared = vas.prepare(mtn()).await.unwrap();
        let receipt = vas.execute(&prepared).await.unwrap();
        assert_eq!(receipt.outcome, Outcome::Pending, "{receipt:?}");
        assert_eq!(&receipt.reference, prepared.reference());
        assert_eq!((server.count("POST", "/payments"), server.count("PUT", "/payments")), (1, 0));
    }
    // The vendor's own refusal of the initiate call is a failure: nothing was bought.
    let server = Server::start(|_, _| (400, wal009())).await;
    let vas = vas_for(&server);
    let receipt = vas.execute(&vas.prepare(mtn()).await.unwrap()).await.unwrap();
    assert_eq!(receipt.outcome, Outcome::Failed, "{receipt:?}");
}

#[tokio::test]
async fn an_answer_naming_another_reference_is_not_completed_nor_trusted() {
    let server = Server::start(|method, _| match method {
        "POST" => (200, payment(172565, "someone-else", "SUCCESSFUL", Some("10"), "ZAR")),
        _ => (200, payment(172565, "someone-else", "SUCCESSFUL", Some("10"), "ZAR")),
    })
    .await;
    let vas = vas_for(&server);
    let receipt = vas.execute(&vas.prepare(mtn()).await.unwrap()).await.unwrap();
    assert_ne!(receipt.outcome, Outcome::Delivered, "{receipt:?}");
    assert_ne!(receipt.outcome, Outcome::Failed, "{receipt:?}");
    assert_eq!(server.count("PUT", "/payments"), 0);
}

#[tokio::test]
async fn status_by_reference_after_a_restart_is_a_config_error_never_not_found_or_failed() {
    let server = Server::start(two_step(
        (200, payment(172565, REF, "PENDING", Some("10"), "ZAR")),
        (200, payment(172565, REF, "SUCCESSFUL", Some("10"), "ZAR")),
    ))
    .await;
    let first = vas_for(&server);
    first.execute(&first.prepare(mtn()).await.unwrap()).await.unwrap();
    let asked = server.count("GET", "/payments/");
    // A new process knows only the reference.
    let later = vas_for(&server);
    let err = later.status(Vendor::Eclipse, &Reference::new(REF)).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Config, "{err:?}");
    assert!(err.to_string().contains("externalUniqueId"), "{err}");
    assert_eq!(server.count("GET", "/payments/"), asked, "nothing to ask");
    // Told the payment id (e.g. from a stored callback), it asks.
    let client = eclipse_vas::Client::builder()
        .base_url(&server.base)
        .tenant(6658)
        .credentials("api@example.com", "correct-horse-battery")
        .build()
        .unwrap();
    let provider = EclipseProvider::new(client);
    provider.remember_payment(Reference::new(REF), 172565);
    let later = Vas::builder().provider(provider).build().unwrap();
    let receipt = later.status(Vendor::Eclipse, &Reference::new(REF)).await.unwrap();
    assert_eq!(receipt.outcome, Outcome::Delivered);
}

#[tokio::test]
async fn a_404_for_a_known_payment_id_is_never_not_found() {
    let server = Server::start(|method, _| match method {
        "GET" => (404, json!([{"code": "PAY404", "description": "Payment not found"}]).to_string()),
        _ => (500, String::new()),
    })
    .await;
    let client = eclipse_vas::Client::builder()
        .base_url(&server.base)
        .tenant(6658)
        .credentials("api@example.com", "correct-horse-battery")
        .build()
        .unwrap();
    let provider = EclipseProvider::new(client);
    provider.remember_payment(Reference::new(REF), 172565);
    let vas = Vas::builder().provider(provider).build().unwrap();
    let err = vas.status(Vendor::Eclipse, &Reference::new(REF)).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transient, "{err:?}");
    assert_eq!(err.reference(), Some(&Reference::new(REF)));
}
