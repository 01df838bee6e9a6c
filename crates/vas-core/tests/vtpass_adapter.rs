//! The VTpass adapter against a mock VTpass (httpmock on 127.0.0.1; no internet): how
//! `pay` and `requery` answers become receipts or errors through `Vas`.
#![cfg(feature = "vtpass")]

use std::time::Duration;

use httpmock::{Mock, MockServer};
use rust_decimal_macros::dec;
use serde_json::{Value, json};
use vas_core::adapters::vtpass::VtpassProvider;
use vas_core::{
    Backoff, ErrorKind, Outcome, ProductRef, PurchaseRequest, Recipient, Reference, Vas, Vendor,
};

/// Answers `endpoint` (`pay`, `requery`, …; any method, any query) with `status` and `body`; the
/// mock counts its calls.
async fn answer<'a>(server: &'a MockServer, endpoint: &str, status: u16, body: Value) -> Mock<'a> {
    let path = format!("/api/{endpoint}");
    server
        .mock_async(|when, then| {
            when.path(path);
            then.status(status).header("content-type", "application/json").body(body.to_string());
        })
        .await
}

/// An endpoint the vendor does not answer, still counted.
async fn unanswered<'a>(server: &'a MockServer, endpoint: &str) -> Mock<'a> {
    answer(server, endpoint, 404, json!({"response_description": "no such endpoint"})).await
}

/// A server whose catalog lists MTN airtime (any amount from 50 to 50,000).
async fn setup() -> (MockServer, Vas) {
    let server = MockServer::start_async().await;
    answer(
        &server,
        "service-categories",
        200,
        json!({"response_description": "000", "content": [{"identifier": "airtime", "name": "Airtime Recharge"}]}),
    )
    .await;
    answer(
        &server,
        "services",
        200,
        json!({"response_description": "000", "content": [{"serviceID": "mtn", "name": "MTN Airtime VTU",
            "minimium_amount": "50", "maximum_amount": 50000, "convinience_fee": "0 %", "product_type": "flexible"}]}),
    )
    .await;
    let client = vtpass_client::Client::builder()
        .base_url(server.url("/api/"))
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
    (server, vas)
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
        let (server, vas) = setup().await;
        let pay =
            answer(&server, "pay", http, json!({"code": code, "response_description": "REFUSED"}))
                .await;
        let requery = answer(&server, "requery", 200, json!({"code": "015"})).await;
        let prepared = vas.prepare(airtime()).await.unwrap();
        let e = vas.execute(&prepared).await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Auth, "{code} (HTTP {http}): {e}");
        assert_eq!(e.vendor(), Some(Vendor::Vtpass));
        assert_eq!(e.reference().map(Reference::as_str), Some(REFERENCE));
        assert!(e.to_string().contains(code), "{e}");
        assert_eq!((pay.calls_async().await, requery.calls_async().await), (1, 0), "{code}");
    }
}

#[tokio::test]
async fn other_refusals_stay_failed_receipts() {
    let (server, vas) = setup().await;
    let pay = answer(
        &server,
        "pay",
        200,
        json!({"code": "018", "response_description": "LOW WALLET BALANCE"}),
    )
    .await;
    let requery = unanswered(&server, "requery").await;
    let prepared = vas.prepare(airtime()).await.unwrap();
    let receipt = vas.execute(&prepared).await.unwrap();
    assert_eq!(receipt.outcome, Outcome::Failed);
    assert_eq!((pay.calls_async().await, requery.calls_async().await), (1, 0));
}

#[tokio::test]
async fn an_access_code_beside_a_transaction_is_not_taken_as_a_refusal() {
    // Contradictory: the transaction decides, and it is not final, so the status is asked.
    let (server, vas) = setup().await;
    let pay = answer(
        &server,
        "pay",
        200,
        json!({"code": "087", "content": {"transactions": {"status": "pending"}}}),
    )
    .await;
    let requery = answer(
        &server,
        "requery",
        200,
        json!({"code": "000", "content": {"transactions": {"status": "delivered"}}}),
    )
    .await;
    let prepared = vas.prepare(airtime()).await.unwrap();
    let receipt = vas.execute(&prepared).await.unwrap();
    assert_eq!(receipt.outcome, Outcome::Delivered);
    assert_eq!(pay.calls_async().await, 1);
    assert!(requery.calls_async().await >= 1);
}

#[tokio::test]
async fn an_access_refusal_on_requery_is_an_auth_error_and_stops_the_polling() {
    let (server, vas) = setup().await;
    let requery = answer(
        &server,
        "requery",
        200,
        json!({"code": "087", "response_description": "INVALID CREDENTIALS"}),
    )
    .await;
    let pay = unanswered(&server, "pay").await;
    let e = vas.status(Vendor::Vtpass, &Reference::new(REFERENCE)).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Auth, "{e}");
    assert_eq!(requery.calls_async().await, 1);
    assert_eq!(pay.calls_async().await, 0);

    // After a payment that timed out: one payment, one status query, then Pending (never
    // Failed, never a second payment).
    pay.delete_async().await;
    let pay = answer(&server, "pay", 504, json!({"message": "gateway timeout"})).await;
    let prepared = vas.prepare(airtime()).await.unwrap();
    let receipt = vas.execute(&prepared).await.unwrap();
    assert_eq!(receipt.outcome, Outcome::Pending);
    assert!(receipt.message.as_deref().unwrap_or_default().contains("087"), "{receipt:?}");
    assert_eq!((pay.calls_async().await, requery.calls_async().await), (1, 2));
}
