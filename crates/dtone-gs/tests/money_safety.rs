//! Purchases against a local mock server in the answers that could cost money: redirects,
//! transactions that are not the one sent, and nonces shared by several clients.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use dtone_gs::{Client, ConfirmOptions, Error, Outcome, TransactionRequest};
use httpmock::prelude::*;
use vas_common::Backoff;

const KEY: &str = "test-api-key-0001";
const SECRET: &str = "test-api-secret-0002";

const CREATED: &str = r#"{"transaction_id":2237,"status":"0","status_message":"Transaction successful","external_id":"order-1001","product_id":64,"account_number":"50212345678","simulation":"1"}"#;

fn client(server: &MockServer) -> Client {
    Client::builder()
        .credentials(KEY, SECRET)
        .base_url(server.url("/v1.1"))
        .timeout(Duration::from_secs(5))
        .read_retries(0)
        .build()
        .unwrap()
}

fn fast_confirm() -> ConfirmOptions {
    ConfirmOptions {
        backoff: Backoff::new(Duration::from_millis(10))
            .max_delay(Duration::from_millis(20))
            .no_jitter(),
        deadline: Duration::from_secs(5),
    }
}

#[tokio::test]
async fn a_307_on_a_purchase_is_not_followed_and_not_failed() {
    let server = MockServer::start_async().await;
    let create = server
        .mock_async(|when, then| {
            when.method(POST).path("/v1.1/transactions/fixed_value_recharges");
            then.status(307).header("location", "/v1.1/elsewhere").body("");
        })
        .await;
    let elsewhere = server
        .mock_async(|when, then| {
            when.path("/v1.1/elsewhere");
            then.status(201).body(CREATED);
        })
        .await;
    let request = TransactionRequest::fixed_value_recharge(64, "50212345678", "order-1001");
    let err = client(&server).create_transaction(&request).await.unwrap_err();
    assert!(matches!(err, Error::Status { status: 307, .. }), "{err:?}");
    assert_eq!(err.outcome(), Outcome::Unknown);
    create.assert_calls_async(1).await;
    // Neither the purchase nor the signed headers went anywhere else.
    elsewhere.assert_calls_async(0).await;
}

#[tokio::test]
async fn an_injected_client_that_follows_a_redirect_gives_no_result() {
    let server = MockServer::start_async().await;
    let create = server
        .mock_async(|when, then| {
            when.method(POST).path("/v1.1/transactions/fixed_value_recharges");
            then.status(302).header("location", "/v1.1/elsewhere").body("");
        })
        .await;
    let elsewhere = server
        .mock_async(|when, then| {
            when.path("/v1.1/elsewhere");
            then.status(200).body(CREATED);
        })
        .await;
    let client = Client::builder()
        .credentials(KEY, SECRET)
        .base_url(server.url("/v1.1"))
        .http_client(reqwest::Client::new()) // follows redirects, as reqwest does by default
        .build()
        .unwrap();
    let request = TransactionRequest::fixed_value_recharge(64, "50212345678", "order-1001");
    let err = client.create_transaction(&request).await.unwrap_err();
    match &err {
        Error::Redirected { status, to } => {
            assert_eq!(*status, 200);
            assert!(to.ends_with("/v1.1/elsewhere"), "{to}");
        }
        other => panic!("expected Redirected, got {other:?}"),
    }
    assert_eq!(err.outcome(), Outcome::Unknown);
    assert!(!err.is_not_sent());
    create.assert_calls_async(1).await;
    elsewhere.assert_calls_async(1).await;

    // The same through purchase_and_confirm: a lookup follows, and its answer decides.
    let lookup = server
        .mock_async(|when, then| {
            when.method(GET).path("/v1.1/transactions/fixed_value_recharges/ext-order-1001");
            then.status(200).body(CREATED);
        })
        .await;
    let c = client.purchase_and_confirm(&request, &fast_confirm()).await.unwrap();
    assert_eq!(c.outcome, Outcome::Delivered);
    assert_eq!(c.lookups, 1);
    lookup.assert_calls_async(1).await;
}

#[tokio::test]
async fn an_external_id_used_before_for_another_product_is_not_delivered() {
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
            when.method(GET).path("/v1.1/transactions/fixed_value_recharges/ext-order-1001");
            // An older purchase of product 65 under the same external id.
            then.status(200).body(CREATED.replace("\"product_id\":64", "\"product_id\":65"));
        })
        .await;
    let request = TransactionRequest::fixed_value_recharge(64, "50212345678", "order-1001");
    let c = client(&server).purchase_and_confirm(&request, &fast_confirm()).await.unwrap();
    assert_eq!(c.outcome, Outcome::Unknown, "another purchase's status is not this one's");
    assert_eq!(c.lookups, 1, "a mismatch does not get better by asking again");
    match c.error {
        Some(Error::Mismatch { field, ref sent, ref received }) => {
            assert_eq!((field, sent.as_str(), received.as_str()), ("product_id", "64", "65"));
        }
        ref other => panic!("expected a mismatch, got {other:?}"),
    }
    create.assert_calls_async(1).await;
    lookup.assert_calls_async(1).await;
}

#[tokio::test]
async fn a_live_purchase_answered_as_a_simulation_is_not_delivered() {
    let server = MockServer::start_async().await;
    let create = server
        .mock_async(|when, then| {
            when.method(POST);
            then.status(201).body(CREATED); // "simulation":"1"
        })
        .await;
    let lookup = server
        .mock_async(|when, then| {
            when.method(GET);
            then.status(200).body(CREATED);
        })
        .await;
    let request = TransactionRequest::fixed_value_recharge(64, "50212345678", "order-1001").live();
    let c = client(&server).purchase_and_confirm(&request, &fast_confirm()).await.unwrap();
    assert_eq!(c.outcome, Outcome::Unknown);
    assert!(matches!(c.error, Some(Error::Mismatch { field: "simulation", .. })), "{:?}", c.error);
    create.assert_calls_async(1).await;
    lookup.assert_calls_async(1).await;
}

#[tokio::test]
async fn a_create_answer_for_another_external_id_is_looked_up() {
    let server = MockServer::start_async().await;
    let create = server
        .mock_async(|when, then| {
            when.method(POST);
            then.status(201).body(CREATED.replace("order-1001", "order-0999"));
        })
        .await;
    let lookup = server
        .mock_async(|when, then| {
            when.method(GET).path("/v1.1/transactions/fixed_value_recharges/ext-order-1001");
            then.status(200).body(CREATED.replace("\"status\":\"0\"", "\"status\":\"1000214\""));
        })
        .await;
    let request = TransactionRequest::fixed_value_recharge(64, "50212345678", "order-1001");
    let c = client(&server).purchase_and_confirm(&request, &fast_confirm()).await.unwrap();
    assert_eq!(c.outcome, Outcome::Failed, "the lookup of this external id decides");
    assert_eq!(c.lookups, 1);
    assert!(c.error.is_none());
    create.assert_calls_async(1).await;
    lookup.assert_calls_async(1).await;
}

#[tokio::test]
async fn a_refusal_that_also_carries_a_delivered_transaction_is_not_failed() {
    let server = MockServer::start_async().await;
    let body = r#"{"errors":[{"code":1000777,"message":"Insufficient balance"}],"transaction_id":2237,"status":"0","external_id":"order-1001"}"#;
    let create = server
        .mock_async(|when, then| {
            when.method(POST);
            then.status(400).body(body);
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
    create.assert_calls_async(1).await;
    lookup.assert_calls_async(1).await;
}

#[tokio::test]
async fn clients_built_separately_never_share_a_nonce() {
    let server = MockServer::start_async().await;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let recorder = Arc::clone(&seen);
    let ping = server
        .mock_async(move |when, then| {
            when.method(GET).path("/v1.1/ping").is_true(move |req| {
                let nonce = req
                    .headers()
                    .get("x-transferto-nonce")
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.parse::<u64>().ok());
                recorder.lock().unwrap().extend(nonce);
                true
            });
            then.status(200).body(r#"{"status":"up"}"#);
        })
        .await;
    // Four clients of the same key, each with the default nonce source.
    let clients: Vec<Client> = (0..4).map(|_| client(&server)).collect();
    let calls: Vec<_> = (0..200)
        .map(|i| {
            let c = clients[i % clients.len()].clone();
            tokio::spawn(async move { c.ping().await })
        })
        .collect();
    for c in calls {
        assert!(c.await.unwrap().unwrap().is_up());
    }
    ping.assert_calls_async(200).await;
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 200);
    assert_eq!(seen.iter().collect::<HashSet<_>>().len(), 200, "two clients sent the same nonce");
}

#[tokio::test]
async fn bad_input_names_its_field_and_sends_nothing() {
    use dtone_gs::{Party, ProductCategory};
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(201).body(CREATED);
        })
        .await;
    let client = client(&server);
    let base = || TransactionRequest::fixed_value_recharge(64, "50212345678", "ok-1");
    let cases = [
        ("product_id", TransactionRequest::fixed_value_recharge(0, "50212345678", "ok-1")),
        ("account_number", TransactionRequest::fixed_value_recharge(64, "", "ok-1")),
        ("account_number", TransactionRequest::fixed_value_recharge(64, "502\t1234", "ok-1")),
        ("account_number", TransactionRequest::fixed_value_recharge(64, "5".repeat(65), "ok-1")),
        ("external_id", TransactionRequest::fixed_value_recharge(64, "50212345678", "é")),
        ("recipient", base().recipient(Party::with_mobile("+12"))),
        ("sender", base().sender(Party { first_name: Some("a\u{0}".into()), ..Party::default() })),
        ("sender", base().sender(Party { email: Some("a@b@c.d".into()), ..Party::default() })),
        ("sender_sms_text", base().sender_sms_text("bell\u{7}")),
        ("recipient_sms_text", base().recipient_sms_text("esc\u{1b}")),
    ];
    for (field, request) in &cases {
        for err in [
            client.create_transaction(request).await.unwrap_err(),
            client.purchase_and_confirm(request, &fast_confirm()).await.unwrap_err(),
        ] {
            match err {
                Error::InvalidInput { field: f, .. } => assert_eq!(f, *field, "{request:?}"),
                other => panic!("{request:?}: {other:?}"),
            }
        }
    }
    for (number, field) in [("", "account_number"), ("a b", "account_number")] {
        let err = client.verify_account_number(64, number).await.unwrap_err();
        assert!(matches!(err, Error::InvalidInput { field: f, .. } if f == field), "{err:?}");
    }
    let err = client
        .transaction_by_external_id(ProductCategory::FixedValueVouchers, "x?y")
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput { field: "external_id", .. }), "{err:?}");
    any.assert_calls_async(0).await;
}

#[tokio::test]
async fn a_body_longer_than_the_limit_is_not_read_to_its_end() {
    let server = MockServer::start_async().await;
    let padded = CREATED
        .replace("\"status\":\"0\"", &format!("\"pad\":\"{}\",\"status\":\"0\"", "x".repeat(4000)));
    let create = server
        .mock_async(|when, then| {
            when.method(POST);
            then.status(201).body(&padded);
        })
        .await;
    let lookup = server
        .mock_async(|when, then| {
            when.method(GET).path("/v1.1/transactions/fixed_value_recharges/ext-order-1001");
            then.status(200).body(CREATED);
        })
        .await;
    let client = Client::builder()
        .credentials(KEY, SECRET)
        .base_url(server.url("/v1.1"))
        .max_body_bytes(1024)
        .read_retries(0)
        .build()
        .unwrap();
    let request = TransactionRequest::fixed_value_recharge(64, "50212345678", "order-1001");
    let err = client.create_transaction(&request).await.unwrap_err();
    match &err {
        Error::Decode { status: 201, body, message, .. } => {
            assert_eq!(body.len(), 1024);
            assert!(message.contains("1024"), "{message}");
        }
        other => panic!("expected Decode, got {other:?}"),
    }
    assert_eq!(err.outcome(), Outcome::Unknown);
    // A body within the limit is read as usual: the lookup settles it.
    let c = client.purchase_and_confirm(&request, &fast_confirm()).await.unwrap();
    assert_eq!(c.outcome, Outcome::Delivered);
    create.assert_calls_async(2).await;
    lookup.assert_calls_async(1).await;
}
