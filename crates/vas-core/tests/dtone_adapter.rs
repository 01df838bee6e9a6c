//! The DT One adapter against a small local HTTP server, in the answers where a purchase could
//! be misread: an external id already used, a refusal of the credentials that is not certain,
//! and a lookup that returns another transaction. Nothing here touches the internet.
#![cfg(feature = "dtone")]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use vas_common::Backoff;
use vas_core::adapters::dtone::DtoneProvider;
use vas_core::{
    CatalogQuery, ErrorKind, Outcome, PurchaseRequest, Recipient, Reference, Vas, Vendor,
};

const OPERATORS: &str = r#"{"operators":[{"operator_id":1959,"operator":"Claro TV Guatemala USD","country_id":756,"country":"Guatemala"}]}"#;
const PRODUCTS: &str = r#"{"fixed_value_vouchers":[],"fixed_value_recharges":[{"product_id":64,"product_name":"$14 Basic","operator_id":1959,"operator":"Claro TV Guatemala USD","country_id":756,"country":"Guatemala","service_id":1,"service":"television","product_value":14,"product_currency":"USD"}],"fixed_value_payments":[],"variable_value_vouchers":[],"variable_value_recharges":[],"variable_value_payments":[]}"#;
const CREATED: &str = r#"{"transaction_id":2237,"status":"0","external_id":"order-1001","product_id":64,"account_number":"50212345678","simulation":"1"}"#;
const NOT_FOUND: &str = r#"{"errors":[{"code":1000404,"message":"Transaction not found"}]}"#;

/// A one-route-table HTTP/1.1 server on 127.0.0.1 that records every request line.
struct Server {
    url: String,
    seen: Arc<Mutex<Vec<String>>>,
    /// Requests for product lists being answered at once: (now, most ever).
    most: Arc<Mutex<(usize, usize)>>,
}

type Routes = Vec<(&'static str, String, u16, String)>;

/// Answers one connection (one request: `connection: close`).
fn answer(
    mut stream: std::net::TcpStream,
    log: &Mutex<Vec<String>>,
    routes: &Routes,
    in_flight: &Mutex<(usize, usize)>,
) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let mut length = 0usize;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).is_err() || header.trim().is_empty() {
            break;
        }
        if let Some(v) = header.to_ascii_lowercase().strip_prefix("content-length:") {
            length = v.trim().parse().unwrap_or(0);
        }
    }
    let mut body = vec![0; length];
    let _ = reader.read_exact(&mut body);
    let mut parts = line.split_whitespace();
    let (method, path) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    log.lock().unwrap().push(format!("{method} {path}"));
    let products = path.ends_with("/products");
    if products {
        let mut n = in_flight.lock().unwrap();
        n.0 += 1;
        n.1 = n.1.max(n.0);
        drop(n);
        std::thread::sleep(Duration::from_millis(30));
    }
    let (status, answer) = routes
        .iter()
        .find(|(m, p, _, _)| *m == method && p == path)
        .map(|(_, _, s, b)| (*s, b.clone()))
        .unwrap_or_else(|| match path.strip_prefix("/v1.1/operators/") {
            // Every other operator sells nothing.
            Some(_) if products => (200, "{}".to_owned()),
            _ => (404, String::new()),
        });
    let _ = write!(
        stream,
        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{answer}",
        answer.len()
    );
    if products {
        in_flight.lock().unwrap().0 -= 1;
    }
}

impl Server {
    /// `routes`: (method, path, status, body); the first match answers, else 404.
    fn start(routes: Routes) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/v1.1", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&seen);
        let in_flight = Arc::new(Mutex::new((0usize, 0usize))); // (now, most)
        let most = Arc::clone(&in_flight);
        std::thread::spawn(move || {
            let routes = Arc::new(routes);
            for stream in listener.incoming() {
                let Ok(stream) = stream else { return };
                let (log, routes, in_flight) =
                    (Arc::clone(&log), Arc::clone(&routes), Arc::clone(&in_flight));
                std::thread::spawn(move || answer(stream, &log, &routes, &in_flight));
            }
        });
        Server { url, seen, most }
    }

    fn count(&self, request: &str) -> usize {
        self.seen.lock().unwrap().iter().filter(|r| r.as_str() == request).count()
    }
}

fn routes(
    extra: Vec<(&'static str, &str, u16, String)>,
) -> Vec<(&'static str, String, u16, String)> {
    let mut all: Vec<_> =
        extra.into_iter().map(|(m, p, s, b)| (m, format!("/v1.1/{p}"), s, b)).collect();
    all.push(("GET", "/v1.1/operators".into(), 200, OPERATORS.into()));
    all.push(("GET", "/v1.1/operators/1959/products".into(), 200, PRODUCTS.into()));
    all
}

fn vas(server: &Server) -> Vas {
    let client = dtone_gs::Client::builder()
        .credentials("test-key", "test-secret")
        .base_url(&server.url)
        .timeout(Duration::from_secs(5))
        .read_retries(0)
        .build()
        .unwrap();
    Vas::builder()
        .provider(DtoneProvider::new(client))
        .poll_backoff(Backoff::new(Duration::from_millis(10)).max_delay(Duration::from_millis(20)))
        .poll_deadline(Duration::from_millis(300))
        .build()
        .unwrap()
}

async fn buy(vas: &Vas) -> vas_core::Result<vas_core::Receipt> {
    let catalog = vas.catalog(&CatalogQuery::all().vendor(Vendor::Dtone)).await.unwrap();
    let product = catalog.products.iter().find(|p| p.id == "64").unwrap().clone();
    let prepared = vas
        .prepare(
            PurchaseRequest::new(&product, Recipient::account("50212345678"))
                .reference("order-1001"),
        )
        .await
        .unwrap();
    vas.execute(&prepared).await
}

const CREATE: &str = "POST /v1.1/transactions/fixed_value_recharges";
const LOOKUP: &str = "GET /v1.1/transactions/fixed_value_recharges/ext-order-1001";

#[tokio::test]
async fn an_already_used_reference_of_an_earlier_send_gives_its_receipt() {
    let server = Server::start(routes(vec![
        (
            "POST",
            "transactions/fixed_value_recharges",
            400,
            r#"{"errors":[{"code":1000990,"message":"external_id already used"}]}"#.into(),
        ),
        ("GET", "transactions/fixed_value_recharges/ext-order-1001", 200, CREATED.into()),
    ]));
    let receipt = buy(&vas(&server)).await.unwrap();
    assert_eq!(receipt.outcome, Outcome::Delivered);
    assert_eq!(server.count(CREATE), 1);
    assert_eq!(server.count(LOOKUP), 1);
}

#[tokio::test]
async fn an_already_used_reference_of_another_purchase_is_refused_not_delivered() {
    let server = Server::start(routes(vec![
        (
            "POST",
            "transactions/fixed_value_recharges",
            400,
            r#"{"errors":[{"code":1000990,"message":"external_id already used"}]}"#.into(),
        ),
        (
            "GET",
            "transactions/fixed_value_recharges/ext-order-1001",
            200,
            CREATED.replace("\"product_id\":64", "\"product_id\":65"),
        ),
    ]));
    let err = buy(&vas(&server)).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::VendorRejected, "{err}");
    assert_eq!(err.reference().map(Reference::as_str), Some("order-1001"));
    assert!(err.to_string().contains("product_id"), "{err}");
    assert_eq!(server.count(CREATE), 1, "never a second purchase");
}

#[tokio::test]
async fn a_5xx_mentioning_unauthorized_is_an_unknown_outcome_not_an_auth_error() {
    let server = Server::start(routes(vec![
        (
            "POST",
            "transactions/fixed_value_recharges",
            500,
            r#"{"errors":[{"code":1000401,"message":"Unauthorized"}]}"#.into(),
        ),
        ("GET", "transactions/fixed_value_recharges/ext-order-1001", 200, CREATED.into()),
    ]));
    let receipt = buy(&vas(&server)).await.unwrap();
    assert_eq!(receipt.outcome, Outcome::Delivered, "the lookup found it delivered");
    assert_eq!(server.count(CREATE), 1);
    assert_eq!(server.count(LOOKUP), 1);
}

#[tokio::test]
async fn a_certain_refusal_of_the_credentials_is_an_auth_error() {
    let server = Server::start(routes(vec![(
        "POST",
        "transactions/fixed_value_recharges",
        401,
        r#"{"errors":[{"code":1000401,"message":"Unauthorized"}]}"#.into(),
    )]));
    let err = buy(&vas(&server)).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Auth);
    assert_eq!(server.count(CREATE), 1);
    assert_eq!(server.count(LOOKUP), 0);
}

#[tokio::test]
async fn a_status_answer_for_another_external_id_is_not_taken() {
    let server = Server::start(routes(vec![(
        "GET",
        "transactions/fixed_value_recharges/ext-order-1001",
        200,
        CREATED.replace("order-1001", "order-0999"),
    )]));
    let err = vas(&server).status(Vendor::Dtone, &Reference::new("order-1001")).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnknownOutcome, "{err}");
    assert_eq!(server.count(LOOKUP), 1);
}

#[tokio::test]
async fn a_create_answered_with_another_product_is_settled_by_lookups() {
    let server = Server::start(routes(vec![
        (
            "POST",
            "transactions/fixed_value_recharges",
            201,
            CREATED.replace("\"product_id\":64", "\"product_id\":65"),
        ),
        ("GET", "transactions/fixed_value_recharges/ext-order-1001", 404, NOT_FOUND.into()),
    ]));
    let receipt = buy(&vas(&server)).await.unwrap();
    assert_eq!(receipt.outcome, Outcome::Pending, "not the other product's Delivered");
    assert_eq!(server.count(CREATE), 1);
    assert!(server.count(LOOKUP) >= 1);
}

#[tokio::test]
async fn an_already_used_reference_of_the_other_type_is_refused_not_delivered() {
    let server = Server::start(routes(vec![
        (
            "POST",
            "transactions/fixed_value_recharges",
            400,
            r#"{"errors":[{"code":1000990,"message":"external_id already used"}]}"#.into(),
        ),
        ("GET", "transactions/fixed_value_recharges/ext-order-1001", 404, NOT_FOUND.into()),
        (
            "GET",
            "transactions/fixed_value_vouchers/ext-order-1001",
            200,
            CREATED.replace("\"product_id\":64", "\"product_id\":12"),
        ),
    ]));
    let err = buy(&vas(&server)).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::VendorRejected, "{err}");
    assert!(err.to_string().contains("fixed_value_vouchers"), "{err}");
    assert_eq!(server.count(CREATE), 1, "never a second purchase");
}

#[tokio::test]
async fn not_found_after_a_5xx_create_is_pending_never_failed() {
    let server = Server::start(routes(vec![
        (
            "POST",
            "transactions/fixed_value_recharges",
            503,
            "<html>Service Unavailable</html>".into(),
        ),
        ("GET", "transactions/fixed_value_recharges/ext-order-1001", 404, NOT_FOUND.into()),
        ("GET", "transactions/fixed_value_vouchers/ext-order-1001", 404, NOT_FOUND.into()),
    ]));
    let receipt = buy(&vas(&server)).await.unwrap();
    assert_eq!(receipt.outcome, Outcome::Pending);
    assert_eq!(receipt.reference.as_str(), "order-1001");
    assert_eq!(server.count(CREATE), 1);
    assert!(server.count(LOOKUP) >= 2, "looked up until the deadline");
}

#[tokio::test]
async fn the_catalog_asks_for_a_few_operators_at_a_time() {
    let operators: Vec<String> = (1..=24)
        .map(|id| {
            format!(r#"{{"operator_id":{id},"operator":"Operator {id}","country":"Guatemala"}}"#)
        })
        .collect();
    let mut all = routes(vec![]);
    all.retain(|(_, path, _, _)| path != "/v1.1/operators");
    all.push((
        "GET",
        "/v1.1/operators".into(),
        200,
        format!(r#"{{"operators":[{}]}}"#, operators.join(",")),
    ));
    let server = Server::start(all);
    let catalog = vas(&server).catalog(&CatalogQuery::all().vendor(Vendor::Dtone)).await.unwrap();
    assert!(catalog.products.is_empty());
    let asked = server.seen.lock().unwrap().iter().filter(|r| r.ends_with("/products")).count();
    assert_eq!(asked, 24);
    let most = server.most.lock().unwrap().1;
    assert!((1..=4).contains(&most), "{most} product lists asked for at once");
}
