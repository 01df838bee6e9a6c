//! Vendor input never panics and an incomplete answer is never final: every response fixture,
//! truncated at every byte, and hostile bodies, through the decoding and classification of
//! payment answers (initiate, update, status, callback) and catalogs, and through the client.

use std::path::PathBuf;
use std::time::Duration;

use eclipse_vas::models::UpdatePayment;
use eclipse_vas::{
    Client, ConfirmOptions, CustomerId, Error, InitiatePayment, Outcome, Partner, PaymentData,
    PaymentId, WalletId, callback,
};
use httpmock::MockServer;
use rust_decimal_macros::dec;
use vas_common::Backoff;

fn fixtures() -> Vec<(String, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/eclipse");
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".response.json"))
        .map(|p| {
            (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&p).unwrap())
        })
        .collect();
    out.sort();
    assert!(out.len() >= 8, "{} response fixtures", out.len());
    out
}

fn deep(n: usize) -> String {
    format!("{}{}", "[".repeat(n), "]".repeat(n))
}

fn hostile() -> Vec<String> {
    let mut bodies: Vec<String> = [
        "",
        " ",
        "<html><body><h1>502 Bad Gateway</h1></body></html>",
        "null",
        "[]",
        "{}",
        "true",
        "\"SUCCESSFUL\"",
        "42",
        "1e999999",
        r#"{"status":"SUCCESSFUL"}"#,
        r#"{"paymentId":null,"status":"SUCCESSFUL"}"#,
        r#"{"paymentId":1e400,"status":"SUCCESSFUL"}"#,
        r#"{"paymentId":-1,"status":"SUCCESSFUL"}"#,
        r#"{"paymentId":"../../admin","status":"SUCCESSFUL"}"#,
        r#"{"paymentId":1,"status":["SUCCESSFUL"]}"#,
        r#"{"paymentId":1,"status":7}"#,
        r#"{"paymentId":1,"status":"SUCCESSFUL","amount":1e999999}"#,
        r#"{"paymentId":1,"status":"SUCCESSFUL","amount":"99999999999999999999999999999999999999"}"#,
        r#"{"paymentId":1,"status":"ERROR","amount":{"value":1}}"#,
        r#"{"paymentId":1,"status":"ERROR","fee":"abc"}"#,
        r#"{"paymentId":1,"status":"SUCCESSFUL","additionalFields":{"id":"x"}}"#,
        r#"{"paymentId":1,"status":"ERROR","created":12}"#,
        r#"{"paymentId":1,"status":"SUCCESSFUL","walletId":"wallet"}"#,
        "\u{feff}{\"paymentId\":1,\"status\":\"SUCCESSFUL\"",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    bodies.push(deep(100_000));
    bodies.push(format!(r#"{{"paymentId":1,"status":"SUCCESSFUL","extra":{}}}"#, deep(5_000)));
    bodies.push(format!(
        r#"{{"paymentId":1,"status":"PENDING","extraInfo":{}}}"#,
        serde_json::to_string(&deep(50_000)).unwrap()
    ));
    bodies
}

/// What the crate makes of a payment answer: the decoded payment's outcome, or an error.
fn classify(body: &[u8]) -> Result<Outcome, Error> {
    callback::decode_payment(body).map(|p| p.outcome_for("ref-1"))
}

#[test]
fn every_fixture_truncated_at_every_byte_is_never_final_and_never_panics() {
    for (name, bytes) in fixtures() {
        for cut in 0..bytes.len() {
            let part = &bytes[..cut];
            if let Ok(outcome) = classify(part) {
                assert!(!outcome.is_final(), "{name} cut at {cut}: {outcome}");
            }
            // The update answer is kept as text and decoded when it is a payment.
            if let Ok(p) = serde_json::from_slice::<eclipse_vas::Payment>(part) {
                assert!(!p.outcome().is_final(), "{name} cut at {cut}");
            }
            let _ = serde_json::from_slice::<Vec<Partner>>(part);
            let _ = serde_json::from_slice::<eclipse_vas::models::MsisdnLookup>(part);
            // An error's Debug output (which hides secrets) must not panic either.
            if let Err(e) = callback::decode_payment(part) {
                let _ = format!("{e:?} {e}");
            }
        }
        // Whole, every payment fixture is a pending payment.
        if name.contains("payment.response") {
            let p = callback::decode_payment(&bytes).unwrap();
            assert_eq!(p.outcome(), Outcome::Pending, "{name}");
        }
    }
}

#[test]
fn hostile_bodies_are_errors_or_not_final() {
    for body in hostile() {
        let shown = &body[..body.len().min(60)];
        match classify(body.as_bytes()) {
            Ok(outcome) => assert!(!outcome.is_final(), "{shown}: {outcome}"),
            Err(e) => {
                assert!(matches!(e, Error::Decode { .. }), "{shown}: {e:?}");
                assert_eq!(e.body(), Some(body.as_str()), "the raw body is kept");
                assert!(e.maybe_sent(), "an unreadable answer may follow processing");
                let _ = format!("{e:?}");
            }
        }
        let _ = serde_json::from_str::<Vec<Partner>>(&body);
    }
}

#[test]
fn a_voucher_pin_in_an_unreadable_answer_stays_out_of_debug_output() {
    let body = r#"{"paymentId":1,"status":"SUCCESSFUL","amount":"lots","additionalFields":[{"id":"unPin","value":"4821-7730-1299"}],"extraInfo":"{\"voucherPin\":\"55554444\",\"ussd\":\"*120*1#\"}","token":"998877"}"#;
    let err = callback::decode_payment(body.as_bytes()).unwrap_err();
    let debug = format!("{err:?}");
    for secret in ["4821-7730-1299", "55554444", "998877"] {
        assert!(!debug.contains(secret), "{debug}");
    }
    assert!(debug.contains("*120*1#"), "what is not a secret stays readable: {debug}");
    assert_eq!(err.body(), Some(body), "the caller can still read the raw body");
    // Text that is not JSON is shown by its length when it mentions a secret.
    let truncated = &body[..body.len() - 3];
    let debug = format!("{:?}", callback::decode_payment(truncated.as_bytes()).unwrap_err());
    assert!(!debug.contains("4821-7730-1299"), "{debug}");
}

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.base_url())
        .tenant(6658)
        .token_expiring("tok-1", i64::MAX / 2)
        .timeout(Duration::from_secs(2))
        .build()
        .unwrap()
}

#[tokio::test]
async fn hostile_answers_to_initiate_update_and_status_are_unknown_and_sent_once() {
    let tenant = "/eclipse-conductor/rest/v1/tenants/6658";
    let confirm = ConfirmOptions {
        backoff: Backoff::new(Duration::from_millis(10)).no_jitter(),
        deadline: Duration::from_millis(60),
    };
    let body = InitiatePayment::builder(PaymentData::dtb_uganda_mtn("256779999703").unwrap())
        .external_unique_id("ref-1")
        .amount(dec!(29182))
        .currency("UGX")
        .wallet_id(WalletId(204142))
        .build()
        .unwrap();
    let update =
        UpdatePayment::builder().amount(dec!(155)).wallet_id(WalletId(830989)).build().unwrap();
    let pending = r#"{"paymentId":7,"externalUniqueId":"ref-1","status":"PENDING"}"#;
    for hostile in hostile().into_iter().filter(|b| b.len() < 1_000) {
        // The initiate answer is hostile.
        let server = MockServer::start_async().await;
        let initiate = server
            .mock_async(|when, then| {
                when.method("POST").path(format!("{tenant}/customers/184132/payments"));
                then.status(200).body(hostile.clone());
            })
            .await;
        let p = client(&server)
            .purchase_and_confirm(&CustomerId::from(184132), &body, None, &confirm)
            .await
            .unwrap();
        assert!(!p.outcome.is_final(), "{hostile}: {:?}", p.outcome);
        assert_eq!(initiate.calls_async().await, 1, "{hostile}");

        // The update and status answers are hostile.
        let server = MockServer::start_async().await;
        let initiate = server
            .mock_async(|when, then| {
                when.method("POST").path(format!("{tenant}/customers/184132/payments"));
                then.status(200).body(pending);
            })
            .await;
        let put = server
            .mock_async(|when, then| {
                when.method("PUT").path(format!("{tenant}/payments/7"));
                then.status(200).body(hostile.clone());
            })
            .await;
        let get = server
            .mock_async(|when, then| {
                when.method("GET").path(format!("{tenant}/payments/7"));
                then.status(200).body(hostile.clone());
            })
            .await;
        let p = client(&server)
            .purchase_and_confirm(&CustomerId::from(184132), &body, Some(&update), &confirm)
            .await
            .unwrap();
        assert!(!p.outcome.is_final(), "{hostile}: {:?}", p.outcome);
        assert_eq!(p.payment_id, Some(PaymentId::from(7)));
        assert_eq!((initiate.calls_async().await, put.calls_async().await), (1, 1), "{hostile}");
        assert!(get.calls_async().await >= 1);
    }
}

#[tokio::test]
async fn a_voucher_pin_in_a_completion_answer_stays_out_of_debug_output() {
    let server = MockServer::start_async().await;
    let answer = r#"{"result":"success","voucherPin":"4821-7730-1299","extraInfo":"{\"unPin\":\"55554444\"}"}"#;
    server
        .mock_async(|when, then| {
            when.method("PUT").path("/eclipse-conductor/rest/v1/tenants/6658/payments/7");
            then.status(200).body(answer);
        })
        .await;
    let update = UpdatePayment::builder().amount(dec!(155)).build().unwrap();
    let got = client(&server).update_payment(&PaymentId::from(7), &update).await.unwrap();
    assert_eq!(got.raw, answer, "the raw answer is kept");
    let debug = format!("{got:?}");
    for secret in ["4821-7730-1299", "55554444"] {
        assert!(!debug.contains(secret), "{debug}");
    }
    assert!(debug.contains("success"), "{debug}");
    // extraInfo that is not JSON but mentions a PIN.
    let info = eclipse_vas::models::ExtraInfo::parse("unPin=99887766;ussd=*120*1#");
    assert!(!format!("{info:?}").contains("99887766"));
}
