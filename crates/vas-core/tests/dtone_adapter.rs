//! The DT One adapter against a mock DT One (httpmock on 127.0.0.1), in the answers where a
//! purchase could be misread: an external id already used, a refusal of the credentials that is
//! not certain, and a lookup that returns another transaction; and how many product lists the
//! catalog asks for at once. Nothing here touches the internet.
#![cfg(feature = "dtone")]

mod common;

use std::time::Duration;

use httpmock::{Mock, MockServer};
use vas_common::Backoff;
use vas_core::adapters::dtone::DtoneProvider;
use vas_core::{
    CatalogQuery, ErrorKind, Outcome, PurchaseRequest, Recipient, Reference, Vas, Vendor,
};

const OPERATORS: &str = r#"{"operators":[{"operator_id":1959,"operator":"Claro TV Guatemala USD","country_id":756,"country":"Guatemala"}]}"#;
const PRODUCTS: &str = r#"{"fixed_value_vouchers":[],"fixed_value_recharges":[{"product_id":64,"product_name":"$14 Basic","operator_id":1959,"operator":"Claro TV Guatemala USD","country_id":756,"country":"Guatemala","service_id":1,"service":"television","product_value":14,"product_currency":"USD"}],"fixed_value_payments":[],"variable_value_vouchers":[],"variable_value_recharges":[],"variable_value_payments":[]}"#;
const CREATED: &str = r#"{"transaction_id":2237,"status":"0","external_id":"order-1001","product_id":64,"account_number":"50212345678","simulation":"1"}"#;
const NOT_FOUND: &str = r#"{"errors":[{"code":1000404,"message":"Transaction not found"}]}"#;

/// A mock DT One (httpmock on 127.0.0.1) that counts the requests of every route.
struct Server {
    mock: MockServer,
    /// (`METHOD /path`, mock id) of every route, in the order they answer.
    routes: Vec<(String, usize)>,
}

impl Server {
    /// `extra`: (method, path under `/v1.1/`, status, body), answering first; then the catalog
    /// (operator 1959 and its products); every other operator sells nothing, every other
    /// request is a 404 with an empty body.
    async fn start(extra: Vec<(&'static str, &str, u16, String)>) -> Server {
        let mut server = Server { mock: MockServer::start_async().await, routes: Vec::new() };
        for (method, path, status, body) in extra {
            server.route(method, &format!("/v1.1/{path}"), status, body).await;
        }
        server.route("GET", "/v1.1/operators", 200, OPERATORS.into()).await;
        server.route("GET", "/v1.1/operators/1959/products", 200, PRODUCTS.into()).await;
        // The purchase and its lookup are counted even when the test gives them no answer.
        for request in [CREATE, LOOKUP] {
            let (method, path) = request.split_once(' ').unwrap();
            server.route(method, path, 404, String::new()).await;
        }
        server
            .mock
            .mock_async(|when, then| {
                when.method("GET").path_matches(r"^/v1\.1/operators/[^/]+/products$");
                then.status(200).header("content-type", "application/json").body("{}");
            })
            .await;
        server
            .mock
            .mock_async(|when, then| {
                when.any_request();
                then.status(404).header("content-type", "application/json");
            })
            .await;
        server
    }

    /// Answers `method path` (exactly; any query) with `status` and `body`.
    async fn route(&mut self, method: &str, path: &str, status: u16, body: String) {
        let mock = self
            .mock
            .mock_async(|when, then| {
                when.method(method).path(path);
                then.status(status).header("content-type", "application/json").body(body);
            })
            .await;
        self.routes.push((format!("{method} {path}"), mock.id()));
    }

    fn url(&self) -> String {
        self.mock.url("/v1.1")
    }

    /// How many requests `METHOD /path` received.
    async fn count(&self, request: &str) -> usize {
        let mut n = 0;
        for (_, id) in self.routes.iter().filter(|(r, _)| r == request) {
            n += Mock::new(*id, &self.mock).calls_async().await;
        }
        n
    }
}

fn vas(url: &str) -> Vas {
    let client = dtone_gs::Client::builder()
        .credentials("test-key", "test-secret")
        .base_url(url)
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
    let server = Server::start(vec![
        (
            "POST",
            "transactions/fixed_value_recharges",
            400,
            r#"{"errors":[{"code":1000990,"message":"external_id already used"}]}"#.into(),
        ),
        ("GET", "transactions/fixed_value_recharges/ext-order-1001", 200, CREATED.into()),
    ])
    .await;
    let receipt = buy(&vas(&server.url())).await.unwrap();
    assert_eq!(receipt.outcome, Outcome::Delivered);
    assert_eq!(server.count(CREATE).await, 1);
    assert_eq!(server.count(LOOKUP).await, 1);
}

#[tokio::test]
async fn an_already_used_reference_of_another_purchase_is_refused_not_delivered() {
    let server = Server::start(vec![
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
    ])
    .await;
    let err = buy(&vas(&server.url())).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::VendorRejected, "{err}");
    assert_eq!(err.reference().map(Reference::as_str), Some("order-1001"));
    assert!(err.to_string().contains("product_id"), "{err}");
    assert_eq!(server.count(CREATE).await, 1, "never a second purchase");
}

#[tokio::test]
async fn a_5xx_mentioning_unauthorized_is_an_unknown_outcome_not_an_auth_error() {
    let server = Server::start(vec![
        (
            "POST",
            "transactions/fixed_value_recharges",
            500,
            r#"{"errors":[{"code":1000401,"message":"Unauthorized"}]}"#.into(),
        ),
        ("GET", "transactions/fixed_value_recharges/ext-order-1001", 200, CREATED.into()),
    ])
    .await;
    let receipt = buy(&vas(&server.url())).await.unwrap();
    assert_eq!(receipt.outcome, Outcome::Delivered, "the lookup found it delivered");
    assert_eq!(server.count(CREATE).await, 1);
    assert_eq!(server.count(LOOKUP).await, 1);
}

#[tokio::test]
async fn a_certain_refusal_of_the_credentials_is_an_auth_error() {
    let server = Server::start(vec![(
        "POST",
        "transactions/fixed_value_recharges",
        401,
        r#"{"errors":[{"code":1000401,"message":"Unauthorized"}]}"#.into(),
    )])
    .await;
    let err = buy(&vas(&server.url())).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Auth);
    assert_eq!(server.count(CREATE).await, 1);
    assert_eq!(server.count(LOOKUP).await, 0);
}

#[tokio::test]
async fn a_status_answer_for_another_external_id_is_not_taken() {
    let server = Server::start(vec![(
        "GET",
        "transactions/fixed_value_recharges/ext-order-1001",
        200,
        CREATED.replace("order-1001", "order-0999"),
    )])
    .await;
    let err =
        vas(&server.url()).status(Vendor::Dtone, &Reference::new("order-1001")).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnknownOutcome, "{err}");
    assert_eq!(server.count(LOOKUP).await, 1);
}

#[tokio::test]
async fn a_create_answered_with_another_product_is_settled_by_lookups() {
    let server = Server::start(vec![
        (
            "POST",
            "transactions/fixed_value_recharges",
            201,
            CREATED.replace("\"product_id\":64", "\"product_id\":65"),
        ),
        ("GET", "transactions/fixed_value_recharges/ext-order-1001", 404, NOT_FOUND.into()),
    ])
    .await;
    let receipt = buy(&vas(&server.url())).await.unwrap();
    assert_eq!(receipt.outcome, Outcome::Pending, "not the other product's Delivered");
    assert_eq!(server.count(CREATE).await, 1);
    assert!(server.count(LOOKUP).await >= 1);
}

#[tokio::test]
async fn an_already_used_reference_of_the_other_type_is_refused_not_delivered() {
    let server = Server::start(vec![
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
    ])
    .await;
    let err = buy(&vas(&server.url())).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::VendorRejected, "{err}");
    assert!(err.to_string().contains("fixed_value_vouchers"), "{err}");
    assert_eq!(server.count(CREATE).await, 1, "never a second purchase");
}

#[tokio::test]
async fn not_found_after_a_5xx_create_is_pending_never_failed() {
    let server = Server::start(vec![
        (
            "POST",
            "transactions/fixed_value_recharges",
            503,
            "<html>Service Unavailable</html>".into(),
        ),
        ("GET", "transactions/fixed_value_recharges/ext-order-1001", 404, NOT_FOUND.into()),
        ("GET", "transactions/fixed_value_vouchers/ext-order-1001", 404, NOT_FOUND.into()),
    ])
    .await;
    let receipt = buy(&vas(&server.url())).await.unwrap();
    assert_eq!(receipt.outcome, Outcome::Pending);
    assert_eq!(receipt.reference.as_str(), "order-1001");
    assert_eq!(server.count(CREATE).await, 1);
    assert!(server.count(LOOKUP).await >= 2, "looked up until the deadline");
}

#[tokio::test]
async fn the_catalog_asks_for_a_few_operators_at_a_time() {
    let operators: Vec<String> = (1..=24)
        .map(|id| {
            format!(r#"{{"operator_id":{id},"operator":"Operator {id}","country":"Guatemala"}}"#)
        })
        .collect();
    let operators = format!(r#"{{"operators":[{}]}}"#, operators.join(","));
    // httpmock cannot tell whether requests overlapped: see `common::Overlap`.
    let server =
        common::Overlap::start("/products", Duration::from_millis(30), move |method, path| {
            match (method, path) {
                ("GET", "/v1.1/operators") => (200, operators.clone()),
                ("GET", "/v1.1/operators/1959/products") => (200, PRODUCTS.into()),
                // Every other operator sells nothing.
                ("GET", p) if p.starts_with("/v1.1/operators/") && p.ends_with("/products") => {
                    (200, "{}".into())
                }
                _ => (404, String::new()),
            }
        });
    let catalog = vas(&format!("{}/v1.1", server.url))
        .catalog(&CatalogQuery::all().vendor(Vendor::Dtone))
        .await
        .unwrap();
    assert!(catalog.products.is_empty());
    let asked = server.seen().iter().filter(|r| r.ends_with("/products")).count();
    assert_eq!(asked, 24);
    let most = server.most();
    assert!((1..=4).contains(&most), "{most} product lists asked for at once");
}
