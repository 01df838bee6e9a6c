//! The client against a local mock server: authentication, every endpoint, errors, input
//! validation, and purchase confirmation. Nothing here touches the internet.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use dtone_gs::auth::{ClockNonce, Credentials, NonceSource, sign};
use dtone_gs::{
    AccountVerification, Client, ConfirmOptions, CountryProductsFilter, Error, ErrorCode, Outcome,
    Party, ProductCategory, ServiceProductsFilter, TransactionRequest,
};
use httpmock::prelude::*;
use httpmock::{HttpMockRequest, When};
use rust_decimal_macros::dec;
use secrecy::SecretString;
use serde_json::json;
use vas_common::Backoff;

const KEY: &str = "test-api-key-0001";
const SECRET: &str = "test-api-secret-0002";

fn fixture(file: &str) -> String {
    vas_common::testing::read("dtone", file)
}

fn client(server: &MockServer) -> Client {
    Client::builder()
        .credentials(KEY, SECRET)
        .base_url(server.url("/v1.1"))
        .timeout(Duration::from_secs(5))
        .read_retries(0)
        .build()
        .unwrap()
}

/// True when the request carries the API key, a numeric nonce and the HMAC of both.
fn signature_ok(req: &HttpMockRequest) -> bool {
    let headers = req.headers();
    let get = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let (Some(key), Some(nonce), Some(hmac)) =
        (get("x-transferto-apikey"), get("x-transferto-nonce"), get("x-transferto-hmac"))
    else {
        return false;
    };
    let Ok(nonce) = nonce.parse::<u64>() else { return false };
    key == KEY && hmac == sign(KEY, &SecretString::from(SECRET), nonce)
}

/// The request must be signed.
fn signed(when: When) -> When {
    when.header("x-transferto-apikey", KEY)
        .header_exists("x-transferto-nonce")
        .header_exists("x-transferto-hmac")
        .is_true(signature_ok)
}

/// Lookups every 10-20 ms; generous deadline for tests that end with a final answer.
fn fast_confirm() -> ConfirmOptions {
    ConfirmOptions {
        backoff: Backoff::new(Duration::from_millis(10))
            .max_delay(Duration::from_millis(20))
            .no_jitter(),
        deadline: Duration::from_secs(5),
    }
}

/// The same schedule with a short deadline, for tests that run out of time on purpose.
fn short_confirm() -> ConfirmOptions {
    ConfirmOptions { deadline: Duration::from_millis(300), ..fast_confirm() }
}

// ---------------------------------------------------------------------------------------------
// Authentication

#[test]
fn hmac_matches_an_independently_computed_value() {
    // printf '%s' 'test-api-key-00011700000000123456' \
    //   | openssl dgst -sha256 -hmac 'test-api-secret-0002' -binary | base64
    let expected = "8ZAGTG+fB5S1ptJUtXUYNL9T66FrTC2HXJRBzPi8sAU=";
    assert_eq!(sign(KEY, &SecretString::from(SECRET), 1_700_000_000_123_456), expected);

    let credentials = Credentials::new(KEY, SECRET);
    let headers = credentials.headers(1_700_000_000_123_456).unwrap();
    assert_eq!(headers["x-transferto-apikey"], KEY);
    assert_eq!(headers["x-transferto-nonce"], "1700000000123456");
    assert_eq!(headers["x-transferto-hmac"], expected);
    assert!(headers["x-transferto-apikey"].is_sensitive());
    assert!(headers["x-transferto-hmac"].is_sensitive());
    assert!(!format!("{headers:?}").contains(expected));
}

#[tokio::test]
async fn a_request_carries_the_openssl_signature_for_its_nonce() {
    // printf '%s' 'test-api-key-00011700000000000042' \
    //   | openssl dgst -sha256 -hmac 'test-api-secret-0002' -binary | base64
    let server = MockServer::start_async().await;
    let ping = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1.1/ping")
                .header("X-TransferTo-apikey", KEY)
                .header("X-TransferTo-nonce", "1700000000000042")
                .header("X-TransferTo-hmac", "fMxNW28ubsAK8YNBkbaDg/p3Pp2XIUyQZmP+JxMg6O4=");
            then.status(200).body(r#"{"status":"up"}"#);
        })
        .await;
    let client = Client::builder()
        .credentials(KEY, SECRET)
        .base_url(server.url("/v1.1"))
        .nonce_source(|| 1_700_000_000_000_042_u64)
        .build()
        .unwrap();
    let pong = client.ping().await.unwrap();
    assert!(pong.is_up());
    assert_eq!(pong.status, "up");
    ping.assert_calls_async(1).await;
}

#[tokio::test]
async fn a_wrong_secret_does_not_pass_the_signature_check() {
    let server = MockServer::start_async().await;
    let ping = server
        .mock_async(|when, then| {
            signed(when.method(GET).path("/v1.1/ping"));
            then.status(200).body(r#"{"status":"up"}"#);
        })
        .await;
    let wrong = Client::builder()
        .credentials(KEY, "another-secret")
        .base_url(server.url("/v1.1"))
        .read_retries(0)
        .build()
        .unwrap();
    let err = wrong.ping().await.unwrap_err();
    assert_eq!(err.status(), Some(404), "{err:?}");
    ping.assert_calls_async(0).await;
    assert!(client(&server).ping().await.unwrap().is_up());
    ping.assert_calls_async(1).await;
}

#[test]
fn nonces_are_unique_and_increasing_across_10000_concurrent_calls() {
    let source = Arc::new(ClockNonce::new());
    let threads: Vec<_> = (0..8)
        .map(|_| {
            let source = Arc::clone(&source);
            std::thread::spawn(move || (0..1250).map(|_| source.next_nonce()).collect::<Vec<_>>())
        })
        .collect();
    let mut all = HashSet::new();
    for t in threads {
        let seq = t.join().unwrap();
        assert!(seq.windows(2).all(|w| w[0] < w[1]), "a thread saw a nonce go back");
        all.extend(seq);
    }
    assert_eq!(all.len(), 10_000);

    // The process-wide source, used by every client by default, from many tasks at once.
    let global = ClockNonce::global();
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(4).build().unwrap();
    let nonces: Vec<u64> = rt.block_on(async {
        let tasks: Vec<_> =
            (0..10_000).map(|_| tokio::spawn(async move { global.next_nonce() })).collect();
        let mut out = Vec::with_capacity(tasks.len());
        for t in tasks {
            out.push(t.await.unwrap());
        }
        out
    });
    assert_eq!(nonces.iter().collect::<HashSet<_>>().len(), 10_000);
}

#[tokio::test]
async fn concurrent_requests_send_distinct_nonces_and_valid_signatures() {
    let server = MockServer::start_async().await;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let recorder = Arc::clone(&seen);
    let ping = server
        .mock_async(move |when, then| {
            signed(when.method(GET).path("/v1.1/ping")).is_true(move |req| {
                let nonce = req
                    .headers()
                    .get("x-transferto-nonce")
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.parse::<u64>().ok());
                if let Some(n) = nonce {
                    recorder.lock().unwrap().push(n);
                }
                true
            });
            then.status(200).body(r#"{"status":"up"}"#);
        })
        .await;
    let client = client(&server);
    let calls: Vec<_> = (0..100)
        .map(|_| {
            let c = client.clone();
            tokio::spawn(async move { c.ping().await })
        })
        .collect();
    for c in calls {
        assert!(c.await.unwrap().unwrap().is_up());
    }
    ping.assert_calls_async(100).await;
    let seen = seen.lock().unwrap();
    assert_eq!(seen.iter().collect::<HashSet<_>>().len(), 100, "{} nonces seen", seen.len());
}

// ---------------------------------------------------------------------------------------------
// Discovery

#[tokio::test]
async fn services_countries_and_operators() {
    let server = MockServer::start_async().await;
    let services = server
        .mock_async(|when, then| {
            signed(when.method(GET).path("/v1.1/services"));
            then.status(200).body(r#"{"services":[{"service_id":1,"service":"television"}]}"#);
        })
        .await;
    let countries = server
        .mock_async(|when, then| {
            signed(when.method(GET).path("/v1.1/countries"));
            then.status(200).body(r#"{"countries":[{"country_id":756,"country":"Guatemala"}]}"#);
        })
        .await;
    let operators = server
        .mock_async(|when, then| {
            signed(when.method(GET).path("/v1.1/operators"));
            then.status(200).body(
                r#"{"operators":[{"operator_id":1959,"operator":"Claro TV Guatemala USD","country_id":756,"country":"Guatemala"}]}"#,
            );
        })
        .await;
    let country_services = server
        .mock_async(|when, then| {
            signed(when.method(GET).path("/v1.1/countries/756/services"));
            then.status(200).body(r#"{"services":[{"service_id":"1","service":"television"}]}"#);
        })
        .await;
    let client = client(&server);

    let s = client.services().await.unwrap();
    assert_eq!(s.services[0].service_id, 1);
    assert_eq!(s.services[0].service.as_deref(), Some("television"));
    let c = client.countries().await.unwrap();
    assert_eq!(c.countries[0].country_id, 756);
    let o = client.operators().await.unwrap();
    assert_eq!(o.operators[0].operator_id, 1959);
    assert_eq!(o.operators[0].country_id, Some(756));
    let cs = client.country_services(756).await.unwrap();
    assert_eq!(cs.services[0].service_id, 1, "an id sent as a string is read as a number");

    for m in [&services, &countries, &operators, &country_services] {
        m.assert_calls_async(1).await;
    }
}

#[tokio::test]
async fn product_lists_with_and_without_filters() {
    let server = MockServer::start_async().await;
    let operator = server
        .mock_async(|when, then| {
            signed(when.method(GET).path("/v1.1/operators/1959/products"));
            then.status(200).body(fixture("operator-products.response.json"));
        })
        .await;
    let country_filtered = server
        .mock_async(|when, then| {
            signed(when.method(GET).path("/v1.1/countries/756/products"))
                .query_param("operator_id", "1959")
                .query_param("service_id", "1");
            then.status(200).body(fixture("country-products.response.json"));
        })
        .await;
    let country_plain = server
        .mock_async(|when, then| {
            signed(when.method(GET).path("/v1.1/countries/757/products"))
                .query_param_missing("operator_id")
                .query_param_missing("service_id");
            then.status(200).body(fixture("country-products.response.json"));
        })
        .await;
    let service_filtered = server
        .mock_async(|when, then| {
            signed(when.method(GET).path("/v1.1/services/1/products"))
                .query_param("operator_id", "1959")
                .query_param("country_id", "756");
            then.status(200).body(fixture("service-products.response.json"));
        })
        .await;
    let service_by_country = server
        .mock_async(|when, then| {
            signed(when.method(GET).path("/v1.1/services/2/products"))
                .query_param_missing("operator_id")
                .query_param("country_id", "756");
            then.status(200).body(fixture("service-products.response.json"));
        })
        .await;
    let client = client(&server);

    let list = client.operator_products(1959).await.unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list.find(64).unwrap().category(), ProductCategory::FixedValueRecharges);
    assert_eq!(list.find(65).unwrap().retail_price.as_ref().unwrap().value(), dec!(19.3));

    let filter = CountryProductsFilter { operator_id: Some(1959), service_id: Some(1) };
    let list = client.country_products(756, filter).await.unwrap();
    assert_eq!(list.find(64).unwrap().product_short_desc.as_deref(), Some("14 USD Baisc"));
    assert_eq!(client.country_products(757, Default::default()).await.unwrap().len(), 1);

    let filter = ServiceProductsFilter { operator_id: Some(1959), country_id: Some(756) };
    assert_eq!(client.service_products(1, filter).await.unwrap().len(), 1);
    let filter = ServiceProductsFilter { country_id: Some(756), ..Default::default() };
    assert_eq!(client.service_products(2, filter).await.unwrap().len(), 1);

    for m in [&operator, &country_filtered, &country_plain, &service_filtered, &service_by_country]
    {
        m.assert_calls_async(1).await;
    }
}

#[tokio::test]
async fn suggested_values_of_a_variable_value_recharge() {
    let server = MockServer::start_async().await;
    let m = server
        .mock_async(|when, then| {
            signed(
                when.method(GET)
                    .path("/v1.1/product/variable_value_recharges/4321/suggested_values"),
            );
            then.status(200)
                .body(fixture("variable-value-recharge-suggested-values.response.json"));
        })
        .await;
    let values = client(&server).suggested_values(4321).await.unwrap();
    assert_eq!(values.suggested_values.len(), 2);
    assert_eq!(values.suggested_values[1].wholesale_price.as_ref().unwrap().value(), dec!(0.3));
    assert_eq!(values.suggested_values[1].local_value.value(), dec!(19));
    m.assert_calls_async(1).await;
}

#[tokio::test]
async fn account_number_verification_answers() {
    let server = MockServer::start_async().await;
    let valid = server
        .mock_async(|when, then| {
            signed(when.method(GET).path("/v1.1/products/64/account_number/50212345678/status"));
            then.status(200).body(fixture("account-number-status-verified.response.json"));
        })
        .await;
    let invalid = server
        .mock_async(|when, then| {
            signed(when.method(GET).path("/v1.1/products/64/account_number/000/status"));
            then.status(200).body(r#"{"verified":0}"#);
        })
        .await;
    let not_available = server
        .mock_async(|when, then| {
            signed(when.method(GET).path("/v1.1/products/65/account_number/50212345678/status"));
            then.status(400).body(fixture("account-number-status-not-available.response.json"));
        })
        .await;
    let other_error = server
        .mock_async(|when, then| {
            signed(when.method(GET).path("/v1.1/products/66/account_number/50212345678/status"));
            then.status(400)
                .body(r#"{"errors":[{"code":1000301,"message":"Product not available"}]}"#);
        })
        .await;
    let client = client(&server);

    assert_eq!(
        client.verify_account_number(64, "50212345678").await.unwrap(),
        AccountVerification::Valid
    );
    assert_eq!(
        client.verify_account_number(64, "000").await.unwrap(),
        AccountVerification::Invalid
    );
    let answer = client.verify_account_number(65, "50212345678").await.unwrap();
    assert_eq!(
        answer,
        AccountVerification::NotAvailable {
            message: "Account verification not available for this product".into()
        }
    );
    assert_eq!(answer.is_valid(), None);
    let err = client.verify_account_number(66, "50212345678").await.unwrap_err();
    assert!(err.has_code(ErrorCode::ProductNotAvailable), "{err:?}");

    let rejected = client.verify_account_number(64, "").await.unwrap_err();
    assert!(matches!(rejected, Error::InvalidInput { field: "account_number", .. }));
    for m in [&valid, &invalid, &not_available, &other_error] {
        m.assert_calls_async(1).await;
    }
}

// ---------------------------------------------------------------------------------------------
// Transactions

const CREATED: &str = r#"{
  "transaction_id": 2237,
  "status": "0",
  "status_message": "Transaction successful",
  "external_id": "order-1001",
  "operator_reference": "OPREF-77",
  "product_id": 64,
  "account_number": "50212345678",
  "simulation": "1",
  "wholesale_price": 12.5,
  "retail_price": 13.5,
  "fee": 0,
  "account_currency": "USD"
}"#;

#[tokio::test]
async fn create_a_fixed_value_recharge_in_simulation_by_default() {
    let server = MockServer::start_async().await;
    let m = server
        .mock_async(|when, then| {
            signed(when.method(POST).path("/v1.1/transactions/fixed_value_recharges"))
                .header("content-type", "application/json")
                .json_body(json!({
                    "account_number": "50212345678",
                    "product_id": "64",
                    "external_id": "order-1001",
                    "simulation": "1",
                    "sender_sms_notification": "1",
                    "sender_sms_text": "Sent with love",
                    "recipient_sms_notification": "0",
                    "sender": {"first_name": "Ada", "mobile": "+447700900123"},
                    "recipient": {"mobile": "50212345678"}
                }));
            then.status(201).body(CREATED);
        })
        .await;
    let request = TransactionRequest::fixed_value_recharge(64, "50212345678", "order-1001")
        .sender(Party { first_name: Some("Ada".into()), ..Party::with_mobile("+447700900123") })
        .recipient(Party::with_mobile("50212345678"))
        .sender_sms_notification(true)
        .sender_sms_text("Sent with love")
        .recipient_sms_notification(false);
    assert!(request.is_simulation());
    let tx = client(&server).create_transaction(&request).await.unwrap();
    assert_eq!(tx.outcome(), Outcome::Delivered);
    assert_eq!(tx.transaction_id.as_ref().unwrap().as_str(), "2237");
    assert_eq!(tx.operator_reference.as_ref().unwrap().as_str(), "OPREF-77");
    assert_eq!(tx.wholesale_price.as_ref().unwrap().value(), dec!(12.5));
    m.assert_calls_async(1).await;
}

#[tokio::test]
async fn create_a_live_fixed_value_voucher() {
    let server = MockServer::start_async().await;
    let m = server
        .mock_async(|when, then| {
            signed(when.method(POST).path("/v1.1/transactions/fixed_value_vouchers")).json_body(
                json!({
                    "account_number": "50212345678",
                    "product_id": "12",
                    "external_id": "voucher-1",
                    "simulation": "0"
                }),
            );
            then.status(201).body(r#"{"transaction_id":"9","status":"0","external_id":"voucher-1","pin_code":"1111-2222"}"#);
        })
        .await;
    let request = TransactionRequest::fixed_value_voucher(12, "50212345678", "voucher-1").live();
    assert!(!request.is_simulation());
    let tx = client(&server).create_transaction(&request).await.unwrap();
    assert_eq!(tx.outcome(), Outcome::Delivered);
    assert_eq!(tx.extra["pin_code"], "1111-2222");
    assert!(!format!("{tx:?}").contains("1111-2222"), "a voucher PIN leaked into Debug");
    m.assert_calls_async(1).await;
}

#[tokio::test]
async fn look_a_transaction_up_by_external_id() {
    let server = MockServer::start_async().await;
    let m = server
        .mock_async(|when, then| {
            signed(
                when.method(GET).path("/v1.1/transactions/fixed_value_recharges/ext-order-1001"),
            );
            then.status(200).body(CREATED);
        })
        .await;
    let tx = client(&server)
        .transaction_by_external_id(ProductCategory::FixedValueRecharges, "order-1001")
        .await
        .unwrap();
    assert_eq!(tx.external_id.as_deref(), Some("order-1001"));
    assert_eq!(tx.outcome(), Outcome::Delivered);
    m.assert_calls_async(1).await;
}

#[tokio::test]
async fn a_400_error_body_becomes_the_typed_error_with_the_raw_body() {
    let server = MockServer::start_async().await;
    let body = r#"{"errors":[{"code":1000777,"message":"Insufficient balance"},{"code":1234567,"message":"Something new"}]}"#;
    let m = server
        .mock_async(|when, then| {
            signed(when.method(POST).path("/v1.1/transactions/fixed_value_recharges"));
            then.status(400).body(body);
        })
        .await;
    let request = TransactionRequest::fixed_value_recharge(64, "50212345678", "order-1002");
    let err = client(&server).create_transaction(&request).await.unwrap_err();
    match &err {
        Error::Vendor { status, errors, body: raw } => {
            assert_eq!(*status, 400);
            assert_eq!(errors.len(), 2);
            assert_eq!(errors[0].code, ErrorCode::InsufficientBalanceMaster);
            assert_eq!(errors[0].message, "Insufficient balance");
            assert_eq!(errors[1].code, ErrorCode::Unknown(1234567));
            assert_eq!(raw, body);
        }
        other => panic!("expected a vendor error, got {other:?}"),
    }
    assert_eq!(err.raw_body(), Some(body));
    assert_eq!(err.status(), Some(400));
    // An unknown code next to a final one leaves the outcome unknown.
    assert_eq!(err.outcome(), Outcome::Unknown);
    m.assert_calls_async(1).await;
}

#[tokio::test]
async fn a_documented_final_error_is_a_failed_purchase() {
    let server = MockServer::start_async().await;
    let create = server
        .mock_async(|when, then| {
            signed(when.method(POST).path("/v1.1/transactions/fixed_value_recharges"));
            then.status(400)
                .body(r#"{"errors":[{"code":1000888,"message":"Insufficient balance"}]}"#);
        })
        .await;
    let lookup = server
        .mock_async(|when, then| {
            when.method(GET);
            then.status(200).body(CREATED);
        })
        .await;
    let request = TransactionRequest::fixed_value_recharge(64, "50212345678", "order-1003");
    let c = client(&server).purchase_and_confirm(&request, &fast_confirm()).await.unwrap();
    assert_eq!(c.outcome, Outcome::Failed);
    assert!(c.error.as_ref().unwrap().has_code(ErrorCode::InsufficientBalanceRetailer));
    assert!(c.error.as_ref().unwrap().is_final_failure());
    assert_eq!(c.lookups, 0);
    create.assert_calls_async(1).await;
    lookup.assert_calls_async(0).await;
}

#[tokio::test]
async fn bad_external_ids_are_rejected_before_sending() {
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(201).body(CREATED);
        })
        .await;
    let client = client(&server);
    let too_long = "x".repeat(41);
    for bad in ["", too_long.as_str(), "has space", "a/b"] {
        let request = TransactionRequest::fixed_value_recharge(64, "50212345678", bad);
        let err = client.create_transaction(&request).await.unwrap_err();
        assert!(
            matches!(err, Error::InvalidInput { field: "external_id", .. }),
            "{bad:?}: {err:?}"
        );
        assert!(err.is_not_sent() && err.is_final_failure());
        let err = client.purchase_and_confirm(&request, &fast_confirm()).await.unwrap_err();
        assert!(matches!(err, Error::InvalidInput { field: "external_id", .. }));
        let err = client
            .transaction_by_external_id(ProductCategory::FixedValueRecharges, bad)
            .await
            .unwrap_err();
        assert!(matches!(err, Error::InvalidInput { field: "external_id", .. }));
    }
    // Other bad input, also before sending.
    let cases = [
        TransactionRequest::fixed_value_recharge(0, "50212345678", "ok-1"),
        TransactionRequest::fixed_value_recharge(64, "", "ok-1"),
        TransactionRequest::fixed_value_recharge(64, "502 1234", "ok-1"),
        TransactionRequest::fixed_value_recharge(64, "50212345678", "ok-1")
            .recipient(Party::with_mobile("phone")),
        TransactionRequest::fixed_value_recharge(64, "50212345678", "ok-1")
            .sender(Party { email: Some("not-an-email".into()), ..Party::default() }),
        TransactionRequest::fixed_value_recharge(64, "50212345678", "ok-1")
            .sender_sms_text("bell\u{7}"),
    ];
    for request in &cases {
        let err = client.create_transaction(request).await.unwrap_err();
        assert!(matches!(err, Error::InvalidInput { .. }), "{request:?}: {err:?}");
    }
    // Exactly 40 characters is fine.
    let ok = TransactionRequest::fixed_value_recharge(64, "50212345678", "y".repeat(40));
    assert!(ok.validate().is_ok());
    any.assert_calls_async(0).await;
}

// ---------------------------------------------------------------------------------------------
// Purchase confirmation

#[tokio::test]
async fn a_final_create_answer_needs_no_lookup() {
    let server = MockServer::start_async().await;
    let create = server
        .mock_async(|when, then| {
            signed(when.method(POST).path("/v1.1/transactions/fixed_value_recharges"));
            then.status(201).body(CREATED);
        })
        .await;
    let lookup = server
        .mock_async(|when, then| {
            when.method(GET);
            then.status(200).body(CREATED);
        })
        .await;
    let request = TransactionRequest::fixed_value_recharge(64, "50212345678", "order-1001");
    let c = client(&server).purchase_and_confirm(&request, &fast_confirm()).await.unwrap();
    assert_eq!(c.outcome, Outcome::Delivered);
    assert_eq!(c.external_id, "order-1001");
    assert_eq!(c.lookups, 0);
    create.assert_calls_async(1).await;
    lookup.assert_calls_async(0).await;
}

#[tokio::test]
async fn a_5xx_create_is_looked_up_and_not_found_is_not_failure() {
    let server = MockServer::start_async().await;
    let create = server
        .mock_async(|when, then| {
            signed(when.method(POST).path("/v1.1/transactions/fixed_value_recharges"));
            then.status(500).body(r#"{"errors":[{"code":1000500,"message":"Internal error"}]}"#);
        })
        .await;
    let not_found = server
        .mock_async(|when, then| {
            signed(
                when.method(GET).path("/v1.1/transactions/fixed_value_recharges/ext-order-1004"),
            );
            then.status(404)
                .body(r#"{"errors":[{"code":1000404,"message":"Transaction not found"}]}"#)
                .up_to_n_times(2);
        })
        .await;
    let found = server
        .mock_async(|when, then| {
            signed(
                when.method(GET).path("/v1.1/transactions/fixed_value_recharges/ext-order-1004"),
            );
            then.status(200).body(CREATED.replace("order-1001", "order-1004"));
        })
        .await;
    let request = TransactionRequest::fixed_value_recharge(64, "50212345678", "order-1004");
    let c = client(&server).purchase_and_confirm(&request, &fast_confirm()).await.unwrap();
    assert_eq!(c.outcome, Outcome::Delivered);
    assert_eq!(c.lookups, 3);
    assert!(c.error.is_none());
    create.assert_calls_async(1).await;
    not_found.assert_calls_async(2).await;
    found.assert_calls_async(1).await;
}

#[tokio::test]
async fn a_timed_out_create_that_is_never_found_stays_unknown() {
    let server = MockServer::start_async().await;
    let create = server
        .mock_async(|when, then| {
            signed(when.method(POST).path("/v1.1/transactions/fixed_value_vouchers"));
            then.status(201).body(CREATED).delay(Duration::from_millis(1500));
        })
        .await;
    let not_found = server
        .mock_async(|when, then| {
            signed(when.method(GET).path("/v1.1/transactions/fixed_value_vouchers/ext-order-1005"));
            then.status(404)
                .body(r#"{"errors":[{"code":1000404,"message":"Transaction not found"}]}"#);
        })
        .await;
    let client = Client::builder()
        .credentials(KEY, SECRET)
        .base_url(server.url("/v1.1"))
        .timeout(Duration::from_millis(200))
        .read_retries(0)
        .build()
        .unwrap();
    let request = TransactionRequest::fixed_value_voucher(12, "50212345678", "order-1005");
    let c = client.purchase_and_confirm(&request, &short_confirm()).await.unwrap();
    assert_eq!(c.outcome, Outcome::Unknown, "never Failed: the purchase may have happened");
    assert!(c.lookups >= 1, "{} lookups", c.lookups);
    let last = c.error.as_ref().unwrap();
    assert!(last.has_code(ErrorCode::TransactionNotFound));
    assert!(last.is_outcome_unknown());
    create.assert_calls_async(1).await;
    not_found.assert_calls_async(c.lookups as usize).await;
}

#[tokio::test]
async fn a_timeout_on_create_is_an_unknown_outcome_error() {
    let server = MockServer::start_async().await;
    let create = server
        .mock_async(|when, then| {
            when.method(POST);
            then.status(201).body(CREATED).delay(Duration::from_millis(1500));
        })
        .await;
    let client = Client::builder()
        .credentials(KEY, SECRET)
        .base_url(server.url("/v1.1"))
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let request = TransactionRequest::fixed_value_voucher(12, "50212345678", "order-1006");
    let err = client.create_transaction(&request).await.unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    assert!(err.is_outcome_unknown());
    assert_eq!(err.send_state(), Some(vas_common::SendState::TimedOut));
    create.assert_calls_async(1).await;
}

#[tokio::test]
async fn an_already_used_external_id_is_looked_up_not_failed() {
    let server = MockServer::start_async().await;
    let create = server
        .mock_async(|when, then| {
            when.method(POST);
            then.status(400)
                .body(r#"{"errors":[{"code":1000990,"message":"external_id already used"}]}"#);
        })
        .await;
    let lookup = server
        .mock_async(|when, then| {
            signed(
                when.method(GET).path("/v1.1/transactions/fixed_value_recharges/ext-order-1001"),
            );
            then.status(200).body(CREATED);
        })
        .await;
    let request = TransactionRequest::fixed_value_recharge(64, "50212345678", "order-1001");
    let c = client(&server).purchase_and_confirm(&request, &fast_confirm()).await.unwrap();
    assert_eq!(c.outcome, Outcome::Delivered);
    assert_eq!(c.lookups, 1);
    create.assert_calls_async(1).await;
    lookup.assert_calls_async(1).await;
}

#[tokio::test]
async fn a_pending_transaction_stays_pending_at_the_deadline() {
    let server = MockServer::start_async().await;
    let pending = r#"{"transaction_id":1,"status":"1000001","status_message":"In progress","external_id":"order-1007"}"#;
    let create = server
        .mock_async(|when, then| {
            when.method(POST);
            then.status(201).body(pending);
        })
        .await;
    let lookup = server
        .mock_async(|when, then| {
            when.method(GET).path("/v1.1/transactions/fixed_value_recharges/ext-order-1007");
            then.status(200).body(pending);
        })
        .await;
    let request = TransactionRequest::fixed_value_recharge(64, "50212345678", "order-1007");
    let c = client(&server).purchase_and_confirm(&request, &short_confirm()).await.unwrap();
    assert_eq!(c.outcome, Outcome::Pending);
    assert!(c.lookups >= 1);
    create.assert_calls_async(1).await;
    lookup.assert_calls_async(c.lookups as usize).await;
}

// ---------------------------------------------------------------------------------------------
// Bad vendor answers and retries

#[tokio::test]
async fn unreadable_bodies_keep_the_raw_body() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/v1.1/operators/1/products");
            then.status(200)
                .body(r#"{"fixed_value_recharges":[{"product_id":64,"retail_price":"abc"}]}"#);
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/v1.1/operators/2/products");
            then.status(200).body("<html>maintenance</html>");
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(POST);
            then.status(502).body("<html>bad gateway</html>");
        })
        .await;
    let client = client(&server);
    match client.operator_products(1).await.unwrap_err() {
        Error::Decode { status, path, body, .. } => {
            assert_eq!(status, 200);
            assert_eq!(path, "fixed_value_recharges[0].retail_price");
            assert!(body.contains("\"abc\""));
        }
        other => panic!("{other:?}"),
    }
    let err = client.operator_products(2).await.unwrap_err();
    assert!(matches!(err, Error::Decode { .. }));
    assert_eq!(err.raw_body(), Some("<html>maintenance</html>"));

    let request = TransactionRequest::fixed_value_recharge(64, "50212345678", "order-1008");
    let err = client.create_transaction(&request).await.unwrap_err();
    assert!(matches!(err, Error::Status { status: 502, .. }), "{err:?}");
    assert_eq!(err.outcome(), Outcome::Unknown);
}

#[tokio::test]
async fn reads_are_repeated_and_purchases_are_not() {
    let server = MockServer::start_async().await;
    let reads = server
        .mock_async(|when, then| {
            when.method(GET).path("/v1.1/services");
            then.status(503).body("busy");
        })
        .await;
    let writes = server
        .mock_async(|when, then| {
            when.method(POST);
            then.status(503).body("busy");
        })
        .await;
    let client = Client::builder()
        .credentials(KEY, SECRET)
        .base_url(server.url("/v1.1"))
        .read_retries(2)
        .read_retry_delay(Duration::from_millis(10))
        .build()
        .unwrap();
    let err = client.services().await.unwrap_err();
    assert!(matches!(err, Error::Status { status: 503, .. }));
    reads.assert_calls_async(3).await;
    let request = TransactionRequest::fixed_value_recharge(64, "50212345678", "order-1009");
    let err = client.create_transaction(&request).await.unwrap_err();
    assert!(err.is_outcome_unknown());
    writes.assert_calls_async(1).await;
}

#[tokio::test]
async fn a_refused_connection_is_not_sent() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let client = Client::builder()
        .credentials(KEY, SECRET)
        .base_url(format!("http://127.0.0.1:{port}/v1.1"))
        .read_retries(0)
        .build()
        .unwrap();
    let request = TransactionRequest::fixed_value_recharge(64, "50212345678", "order-1010");
    let err = client.purchase_and_confirm(&request, &fast_confirm()).await.unwrap_err();
    assert!(matches!(err, Error::NotSent { .. }), "{err:?}");
    assert!(err.is_not_sent());
}

// ---------------------------------------------------------------------------------------------
// Secrets

#[tokio::test]
async fn no_secret_in_any_debug_output() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.any_request();
            then.status(401).body(r#"{"errors":[{"code":1000401,"message":"Unauthorized"}]}"#);
        })
        .await;
    let builder =
        Client::builder().credentials(KEY, SECRET).base_url(server.url("/v1.1")).read_retries(0);
    let builder_debug = format!("{builder:?}");
    let client = builder.build().unwrap();
    let credentials = Credentials::new(KEY, SECRET);
    let err = client.ping().await.unwrap_err();
    assert!(err.has_code(ErrorCode::Unauthorized));
    let request = TransactionRequest::fixed_value_recharge(64, "50212345678", "order-1011");
    let confirmation = client.purchase_and_confirm(&request, &fast_confirm()).await.unwrap();
    assert_eq!(confirmation.outcome, Outcome::Failed);
    let config_err = Client::builder().credentials(KEY, "").build().unwrap_err();

    let hmac = sign(KEY, &SecretString::from(SECRET), 1);
    for text in [
        builder_debug,
        format!("{client:?}"),
        format!("{credentials:?}"),
        format!("{err:?}"),
        format!("{err}"),
        format!("{confirmation:?}"),
        format!("{config_err:?}"),
        format!("{config_err}"),
    ] {
        assert!(!text.contains(SECRET), "secret in {text}");
        assert!(!text.contains(KEY), "API key in {text}");
        assert!(!text.contains(&hmac), "signature in {text}");
    }
}
