//! The GSUBZ adapter against a mock GSUBZ (httpmock on 127.0.0.1; no internet): how
//! `pay` and `verify` answers become receipts or errors through `Vas`.
#![cfg(feature = "gsubz")]

use std::time::Duration;

use httpmock::{Mock, MockServer};
use rust_decimal_macros::dec;
use serde_json::{Value, json};
use vas_core::adapters::gsubz::GsubzProvider;
use vas_core::{
    Backoff, ErrorKind, Outcome, ProductRef, PurchaseRequest, Recipient, Reference, Vas, Vendor,
};

/// Answers `endpoint` (`pay/`, `verify/`, …; any method, any query) with `status`, extra
/// `headers` and `body`; the mock counts its calls.
async fn answer_raw<'a>(
    server: &'a MockServer,
    endpoint: &str,
    status: u16,
    headers: &[(&str, &str)],
    body: &str,
) -> Mock<'a> {
    let path = format!("/api/{endpoint}");
    let json = !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("content-type"));
    server
        .mock_async(|when, then| {
            when.path(path);
            let mut then = then.status(status);
            if json {
                then = then.header("content-type", "application/json");
            }
            for (k, v) in headers {
                then = then.header(*k, *v);
            }
            then.body(body);
        })
        .await
}

/// Answers `endpoint` with `status` and the JSON `body`.
async fn answer<'a>(server: &'a MockServer, endpoint: &str, status: u16, body: Value) -> Mock<'a> {
    answer_raw(server, endpoint, status, &[], &body.to_string()).await
}

/// An endpoint the vendor does not answer, still counted.
async fn unanswered<'a>(server: &'a MockServer, endpoint: &str) -> Mock<'a> {
    answer_raw(server, endpoint, 404, &[], "<html>not found</html>").await
}

const REFERENCE: &str = "1795000000000123456";
const PHONE: &str = "07031234567";

/// A server whose `mtn` service takes an amount and a phone number.
async fn setup() -> (MockServer, Vas) {
    let server = MockServer::start_async().await;
    answer(
        &server,
        "fields/",
        200,
        json!({"service": "mtn", "field": [
            {"displayName": "Amount", "name": "amount", "type": "number", "description": "", "regExp": "[0-9]+", "required": true},
            {"displayName": "Phone", "name": "phone", "type": "text", "description": "", "regExp": "[0-9]+", "required": true}
        ]}),
    )
    .await;
    let client = gsubz_client::Client::builder("ap_test_key")
        .base_url(server.url("/api/"))
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
    (server, vas)
}

fn airtime() -> PurchaseRequest {
    PurchaseRequest::new(ProductRef::new(Vendor::Gsubz, "mtn"), Recipient::phone(PHONE))
        .amount(dec!(100))
        .reference(Reference::new(REFERENCE))
}

/// The newer doc's flat answer for this purchase.
fn answer_body(code: Value, status: &str) -> Value {
    json!({"code": code, "status": status, "transactionID": "189584034893843",
        "requestID": REFERENCE, "amount": "100", "phone": PHONE, "serviceID": "mtn"})
}

#[tokio::test]
async fn a_406_whose_body_says_200_is_the_original_result() {
    for (code, http) in [(json!(200), 406), (json!("406"), 200), (json!(406), 406)] {
        let (server, vas) = setup().await;
        let pay = answer(&server, "pay/", http, answer_body(code.clone(), "successful")).await;
        let verify = unanswered(&server, "verify/").await;
        let receipt = vas.execute(&vas.prepare(airtime()).await.unwrap()).await.unwrap();
        assert_eq!(receipt.outcome, Outcome::Delivered, "{code} under HTTP {http}");
        assert_eq!(receipt.vendor_transaction_id.as_deref(), Some("189584034893843"));
        assert_eq!((pay.calls_async().await, verify.calls_async().await), (1, 0));
    }
}

#[tokio::test]
async fn refusals_before_processing_are_failed_receipts_but_not_beside_a_transaction() {
    for code in [204, 206, 401, 402, 404, 405, 429] {
        let (server, vas) = setup().await;
        let pay =
            answer(&server, "pay/", 200, json!({"code": code, "description": "REFUSED"})).await;
        let verify = unanswered(&server, "verify/").await;
        let receipt = vas.execute(&vas.prepare(airtime()).await.unwrap()).await.unwrap();
        assert_eq!(receipt.outcome, Outcome::Failed, "{code}");
        assert_eq!((pay.calls_async().await, verify.calls_async().await), (1, 0), "{code}");

        // The same code beside a transactionID: something was processed; ask.
        let (server, vas) = setup().await;
        let pay = answer(
            &server,
            "pay/",
            200,
            json!({"code": code, "transactionID": "77", "requestID": REFERENCE}),
        )
        .await;
        let verify = answer(&server, "verify/", 200, answer_body(json!("200"), "success")).await;
        let receipt = vas.execute(&vas.prepare(airtime()).await.unwrap()).await.unwrap();
        assert_eq!(receipt.outcome, Outcome::Delivered, "{code}");
        assert_eq!(pay.calls_async().await, 1, "{code}");
        assert!(verify.calls_async().await >= 1, "{code}");
    }
}

#[tokio::test]
async fn a_redirected_purchase_is_not_followed_then_its_status_is_asked() {
    let (server, vas) = setup().await;
    let pay = answer_raw(&server, "pay/", 307, &[("location", "/api/elsewhere/")], "").await;
    let elsewhere = answer(&server, "elsewhere/", 200, json!({"code": 405})).await;
    let verify = answer(&server, "verify/", 200, answer_body(json!("200"), "failed")).await;
    let receipt = vas.execute(&vas.prepare(airtime()).await.unwrap()).await.unwrap();
    assert_eq!(receipt.outcome, Outcome::Failed);
    assert_eq!((pay.calls_async().await, elsewhere.calls_async().await), (1, 0));
    assert!(verify.calls_async().await >= 1);
}

#[tokio::test]
async fn a_502_page_then_a_status_query_not_found_saying_failed_is_never_failed() {
    let (server, vas) = setup().await;
    let pay = answer_raw(
        &server,
        "pay/",
        502,
        &[("content-type", "text/html")],
        "<html>502 Bad Gateway</html>",
    )
    .await;
    let verify = answer(
        &server,
        "verify/",
        200,
        json!({"code": 404, "status": "failed", "description": "NOT FOUND"}),
    )
    .await;
    let receipt = vas.execute(&vas.prepare(airtime()).await.unwrap()).await.unwrap();
    assert!(!receipt.outcome.is_final(), "{receipt:?}");
    assert_eq!(pay.calls_async().await, 1);
    assert!(verify.calls_async().await >= 1);
    let e = vas.status(Vendor::Gsubz, &Reference::new(REFERENCE)).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound, "{e}");
    // A second execute of the same reference is refused without a request.
    let again = vas.prepare(airtime()).await;
    assert!(again.is_err());
    assert_eq!(pay.calls_async().await, 1);
}

#[tokio::test]
async fn a_reference_gsubz_would_read_as_another_integer_is_refused_before_sending() {
    let (server, vas) = setup().await;
    let pay = unanswered(&server, "pay/").await;
    for bad in ["0123", "99999999999999999999", "12ab"] {
        let e = vas.prepare(airtime().reference(Reference::new(bad))).await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::CallerInput, "{bad}: {e}");
    }
    assert_eq!(pay.calls_async().await, 0);
}

#[tokio::test]
async fn a_reference_gsubz_knows_as_another_purchase_is_never_settled_by_that_purchase() {
    let (server, vas) = setup().await;
    let mut theirs = answer_body(json!(406), "successful");
    theirs["phone"] = json!("08099999999");
    let pay = answer(&server, "pay/", 406, theirs.clone()).await;
    let verify = answer(&server, "verify/", 200, theirs).await;
    let receipt = vas.execute(&vas.prepare(airtime()).await.unwrap()).await.unwrap();
    assert!(!receipt.outcome.is_final(), "{receipt:?}");
    assert!(
        receipt.message.as_deref().unwrap_or_default().contains("another purchase"),
        "{receipt:?}"
    );
    assert_eq!((pay.calls_async().await, verify.calls_async().await), (1, 0));
    let e = vas.status(Vendor::Gsubz, &Reference::new(REFERENCE)).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::CallerInput, "{e}");
    assert_eq!(verify.calls_async().await, 0);
}
