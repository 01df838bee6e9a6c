//! The Eclipse adapter against a mock Eclipse (httpmock on 127.0.0.1): each partner's
//! documented payment flow (DTB: the amount in the initiate call; the South African providers:
//! initiate, then complete with `PUT payments/{paymentId}`), the exact bodies sent, every call
//! sent once whatever the answer (401, a refusal, a lost answer, an HTML page), and status by
//! reference after a restart, which Eclipse cannot answer: never `NotFound`, never `Failed`.
#![cfg(feature = "eclipse")]

use std::time::Duration;

use httpmock::{Mock, MockServer, Then, When};
use rust_decimal_macros::dec;
use serde_json::{Value, json};
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

type Answer = (u16, String);

/// Answers with `status` and `body`: an HTML page when it looks like one, else JSON.
fn reply(then: Then, (status, body): &Answer) {
    let kind = if body.trim_start().starts_with('<') { "text/html" } else { "application/json" };
    then.status(*status).header("content-type", kind).body(body);
}

/// A mock Eclipse that logs in and serves the catalog; the tests add the other calls.
struct Eclipse {
    server: MockServer,
    login: usize,
}

impl Eclipse {
    async fn start() -> Eclipse {
        let server = MockServer::start_async().await;
        let login = json!({"headerName": "Authorization", "headerValue": format!("Bearer {JWT}"),
                           "expiresEpochSecs": 4102444800u64});
        let login = on(
            &server,
            |w| w.method("POST").path(format!("{API}/authentication/login")),
            &(200, login.to_string()),
        )
        .await
        .id();
        on(
            &server,
            |w| w.method("GET").path(format!("{TENANT}/vas/catalogs")),
            &(200, catalog().to_string()),
        )
        .await;
        Eclipse { server, login }
    }

    /// The logins received.
    async fn logins(&self) -> usize {
        Mock::new(self.login, &self.server).calls_async().await
    }
}

/// Answers the calls `when` selects with `answer`, unless a mock made before takes them; the
/// mock counts them.
async fn on<'a>(
    server: &'a MockServer,
    when: impl FnOnce(When) -> When,
    answer: &Answer,
) -> Mock<'a> {
    server
        .mock_async(|w, then| {
            when(w);
            reply(then, answer);
        })
        .await
}

/// Every call no other mock takes, answered with one answer; POST and PUT counted apart.
struct Rest<'a> {
    post: Mock<'a>,
    put: Mock<'a>,
    other: Mock<'a>,
}

/// Made after the test's own mocks, so that it takes only what they leave.
async fn rest<'a>(server: &'a MockServer, answer: &Answer) -> Rest<'a> {
    Rest {
        post: on(server, |w| w.method("POST"), answer).await,
        put: on(server, |w| w.method("PUT"), answer).await,
        other: on(server, |w| w.any_request(), answer).await,
    }
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

fn vas_for(eclipse: &Eclipse) -> Vas {
    let client = eclipse_vas::Client::builder()
        .base_url(eclipse.server.base_url())
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

/// The South African flow's mocks.
struct TwoStep<'a> {
    /// `POST customers/184132/payments`: PENDING without an amount.
    initiate: Mock<'a>,
    /// `PUT payments/172565`.
    complete: Mock<'a>,
    /// `GET payments/172565`.
    status: Mock<'a>,
    /// Everything else: a 404 page.
    rest: Rest<'a>,
}

/// The initiate call (whose request also satisfies `initiate`) answers PENDING without an
/// amount; the completion (whose request also satisfies `complete`) answers `put`; the status
/// query answers `get`. A call satisfying none of them gets a 404 page from `rest`.
async fn two_step<'a>(
    server: &'a MockServer,
    initiate: impl FnOnce(When) -> When,
    complete: impl FnOnce(When) -> When,
    put: Answer,
    get: Answer,
) -> TwoStep<'a> {
    let pending = (200, payment(172565, REF, "PENDING", None, "ZAR"));
    TwoStep {
        initiate: on(
            server,
            |w| initiate(w.method("POST").path(format!("{TENANT}/customers/184132/payments"))),
            &pending,
        )
        .await,
        complete: on(
            server,
            |w| complete(w.method("PUT").path(format!("{TENANT}/payments/172565"))),
            &put,
        )
        .await,
        status: on(server, |w| w.method("GET").path(format!("{TENANT}/payments/172565")), &get)
            .await,
        rest: rest(server, &(404, "<html>no route</html>".into())).await,
    }
}

/// Counts of a two-step flow: (initiate calls, completion calls), each with any other POST or
/// PUT.
async fn payment_calls(flow: &TwoStep<'_>) -> (usize, usize) {
    (
        flow.initiate.calls_async().await + flow.rest.post.calls_async().await,
        flow.complete.calls_async().await + flow.rest.put.calls_async().await,
    )
}

fn mtn() -> PurchaseRequest {
    PurchaseRequest::new(ProductRef::new(Vendor::Eclipse, "4_M500"), Recipient::phone("0831234567"))
        .amount(dec!(10))
        .reference(Reference::new(REF))
}

#[tokio::test]
async fn south_african_products_initiate_without_the_amount_then_complete_it_with_put() {
    let eclipse = Eclipse::start().await;
    let flow = two_step(
        &eclipse.server,
        |w| {
            w.json_body(json!({"externalUniqueId": REF, "type": "GLOBAL_VAS", "paymentData": "4_M500",
                   "currency": "ZAR", "additionalFields": [{"id": "msisdn", "value": "27831234567"}],
                   "walletId": WALLET}))
        },
        |w| w.body(format!(r#"{{"amount":10,"walletId":{WALLET}}}"#)),
        (200, payment(172565, REF, "PENDING", Some("10.000000000"), "ZAR")),
        (200, payment(172565, REF, "SUCCESSFUL", Some("10.000000000"), "ZAR")),
    )
    .await;
    let vas = vas_for(&eclipse);
    let prepared = vas.prepare(mtn()).await.unwrap();
    let receipt = vas.execute(&prepared).await.unwrap();
    // Each call once, with exactly the body its mock requires, and no other POST or PUT. The
    // completion came second: its path carries the payment id only the initiate answer gave.
    flow.initiate.assert_calls_async(1).await;
    flow.complete.assert_calls_async(1).await;
    assert_eq!(payment_calls(&flow).await, (1, 1));
    assert_eq!(receipt.outcome, Outcome::Delivered, "{receipt:?}");
    assert_eq!(receipt.amount, Some(Money::new(dec!(10), Currency::Zar)));
    assert_eq!(receipt.vendor_transaction_id.as_deref(), Some("172565"));
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
        let eclipse = Eclipse::start().await;
        let flow = two_step(
            &eclipse.server,
            |w| w.json_body(initiate),
            |w| w.json_body(complete),
            (200, "\"success\"".into()),
            (200, payment(172565, REF, "SUCCESSFUL", Some("150"), "ZAR")),
        )
        .await;
        let vas = vas_for(&eclipse);
        let prepared =
            vas.prepare(request.amount(dec!(150)).reference(Reference::new(REF))).await.unwrap();
        let receipt = vas.execute(&prepared).await.unwrap();
        // Each call once, with exactly the body its mock requires (the completion on
        // `payments/172565`), and no other POST or PUT.
        flow.initiate.assert_calls_async(1).await;
        flow.complete.assert_calls_async(1).await;
        assert_eq!(payment_calls(&flow).await, (1, 1));
        assert_eq!(receipt.outcome, Outcome::Delivered, "{receipt:?}");
    }
}

#[tokio::test]
async fn dtb_sends_the_amount_in_the_initiate_call_and_nothing_else() {
    let eclipse = Eclipse::start().await;
    let server = &eclipse.server;
    let initiate = on(
        server,
        |w| {
            w.method("POST").json_body_includes(
                json!({"amount": 71683, "currency": "UGX", "walletId": WALLET}).to_string(),
            )
        },
        &(200, payment(453209, REF, "PENDING", Some("71683"), "UGX")),
    )
    .await;
    on(
        server,
        |w| w.method("GET").path_suffix("/payments/453209"),
        &(200, payment(453209, REF, "SUCCESSFUL", Some("71683.000000000"), "UGX")),
    )
    .await;
    let rest = rest(server, &(404, "<html>no route</html>".into())).await;
    let vas = vas_for(&eclipse);
    let request = PurchaseRequest::new(
        ProductRef::new(Vendor::Eclipse, "21_NWSC_21117391"),
        Recipient::phone("256772123456"),
    )
    .amount(dec!(71683))
    .reference(Reference::new(REF));
    let prepared = vas.prepare(request).await.unwrap();
    let receipt = vas.execute(&prepared).await.unwrap();
    // One initiate call carrying the amount, currency and wallet; no completion for DTB.
    initiate.assert_calls_async(1).await;
    assert_eq!((rest.post.calls_async().await, rest.put.calls_async().await), (0, 0));
    assert_eq!(receipt.outcome, Outcome::Delivered, "{receipt:?}");
}

#[tokio::test]
async fn a_401_on_either_payment_call_is_an_auth_error_and_nothing_is_sent_again() {
    // On the completion.
    let eclipse = Eclipse::start().await;
    let flow = two_step(&eclipse.server, |w| w, |w| w, (401, usr002()), (200, "{}".into())).await;
    let vas = vas_for(&eclipse);
    let prepared = vas.prepare(mtn()).await.unwrap();
    let err = vas.execute(&prepared).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Auth, "{err:?}");
    assert_eq!(err.reference(), Some(prepared.reference()));
    assert_eq!(payment_calls(&flow).await, (1, 1));
    assert_eq!(eclipse.logins().await, 1, "no login to send it again");
    assert_eq!(vas.execute(&prepared).await.unwrap_err().kind(), ErrorKind::CallerInput);
    assert_eq!(payment_calls(&flow).await.1, 1);

    // On the initiate call.
    let eclipse = Eclipse::start().await;
    let rest = rest(&eclipse.server, &(401, usr002())).await;
    let vas = vas_for(&eclipse);
    let prepared = vas.prepare(mtn()).await.unwrap();
    let err = vas.execute(&prepared).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Auth, "{err:?}");
    assert_eq!((rest.post.calls_async().await, rest.put.calls_async().await), (1, 0));
}

#[tokio::test]
async fn a_refused_completion_is_failed_and_a_lost_one_is_resolved_by_status() {
    // Refused with the vendor's error array: nothing was bought.
    let eclipse = Eclipse::start().await;
    let flow = two_step(&eclipse.server, |w| w, |w| w, (400, wal009()), (200, "{}".into())).await;
    let vas = vas_for(&eclipse);
    let receipt = vas.execute(&vas.prepare(mtn()).await.unwrap()).await.unwrap();
    assert_eq!(receipt.outcome, Outcome::Failed, "{receipt:?}");
    assert!(receipt.message.as_deref().unwrap_or("").contains("WAL009"), "{receipt:?}");
    assert_eq!(receipt.vendor_transaction_id.as_deref(), Some("172565"));
    assert_eq!(payment_calls(&flow).await.1, 1);

    // Lost behind a proxy error, a timeout-like 504, a conflict or a redirect: maybe processed.
    for lost in [
        (502, "<html>Bad Gateway</html>".to_string()),
        (504, String::new()),
        (409, json!([{"code": "PAY002", "description": "already final"}]).to_string()),
        (307, String::new()),
        (404, "<html>Not Found</html>".to_string()),
    ] {
        let eclipse = Eclipse::start().await;
        let flow = two_step(
            &eclipse.server,
            |w| w,
            |w| w,
            lost.clone(),
            (200, payment(172565, REF, "SUCCESSFUL", Some("10"), "ZAR")),
        )
        .await;
        let vas = vas_for(&eclipse);
        let receipt = vas.execute(&vas.prepare(mtn()).await.unwrap()).await.unwrap();
        assert_eq!(receipt.outcome, Outcome::Delivered, "{lost:?}: {receipt:?}");
        assert_eq!(payment_calls(&flow).await, (1, 1), "{lost:?}");
        assert!(flow.status.calls_async().await >= 1, "{lost:?}");
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
        let eclipse = Eclipse::start().await;
        let rest = rest(&eclipse.server, &answer).await;
        let vas = vas_for(&eclipse);
        let prepared = vas.prepare(mtn()).await.unwrap();
        let receipt = vas.execute(&prepared).await.unwrap();
        assert_eq!(receipt.outcome, Outcome::Pending, "{receipt:?}");
        assert_eq!(&receipt.reference, prepared.reference());
        assert_eq!((rest.post.calls_async().await, rest.put.calls_async().await), (1, 0));
    }
    // The vendor's own refusal of the initiate call is a failure: nothing was bought.
    let eclipse = Eclipse::start().await;
    rest(&eclipse.server, &(400, wal009())).await;
    let vas = vas_for(&eclipse);
    let receipt = vas.execute(&vas.prepare(mtn()).await.unwrap()).await.unwrap();
    assert_eq!(receipt.outcome, Outcome::Failed, "{receipt:?}");
}

#[tokio::test]
async fn an_answer_naming_another_reference_is_not_completed_nor_trusted() {
    let eclipse = Eclipse::start().await;
    let rest = rest(
        &eclipse.server,
        &(200, payment(172565, "someone-else", "SUCCESSFUL", Some("10"), "ZAR")),
    )
    .await;
    let vas = vas_for(&eclipse);
    let receipt = vas.execute(&vas.prepare(mtn()).await.unwrap()).await.unwrap();
    assert_ne!(receipt.outcome, Outcome::Delivered, "{receipt:?}");
    assert_ne!(receipt.outcome, Outcome::Failed, "{receipt:?}");
    assert_eq!(rest.post.calls_async().await, 1);
    assert_eq!(rest.put.calls_async().await, 0);
}

#[tokio::test]
async fn status_by_reference_after_a_restart_is_a_config_error_never_not_found_or_failed() {
    let eclipse = Eclipse::start().await;
    let flow = two_step(
        &eclipse.server,
        |w| w,
        |w| w,
        (200, payment(172565, REF, "PENDING", Some("10"), "ZAR")),
        (200, payment(172565, REF, "SUCCESSFUL", Some("10"), "ZAR")),
    )
    .await;
    // Status queries: the payment's, or any other GET.
    let asked = async || flow.status.calls_async().await + flow.rest.other.calls_async().await;
    let first = vas_for(&eclipse);
    first.execute(&first.prepare(mtn()).await.unwrap()).await.unwrap();
    let before = asked().await;
    // A new process knows only the reference.
    let later = vas_for(&eclipse);
    let err = later.status(Vendor::Eclipse, &Reference::new(REF)).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Config, "{err:?}");
    assert!(err.to_string().contains("externalUniqueId"), "{err}");
    assert_eq!(asked().await, before, "nothing to ask");
    // Told the payment id (e.g. from a stored callback), it asks.
    let client = eclipse_vas::Client::builder()
        .base_url(eclipse.server.base_url())
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
    let eclipse = Eclipse::start().await;
    on(
        &eclipse.server,
        |w| w.method("GET"),
        &(404, json!([{"code": "PAY404", "description": "Payment not found"}]).to_string()),
    )
    .await;
    rest(&eclipse.server, &(500, String::new())).await;
    let client = eclipse_vas::Client::builder()
        .base_url(eclipse.server.base_url())
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
