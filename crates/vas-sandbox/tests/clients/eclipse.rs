use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::HeaderMap;
use eclipse_vas::callback::Verifier;
use eclipse_vas::{
    CatalogQuery, Client, ConfirmOptions, InitiatePayment, Outcome, PartnerId, PaymentData,
    UpdatePayment, WalletId,
};
use rust_decimal::Decimal;
use serde_json::Value;
use vas_sandbox::{Sandbox, SandboxConfig, Vendor, credentials as c};

use crate::CLIENT_TIMEOUT;

const KEY: &str = "sandbox-test-webhook-key";

type Seen = Arc<Mutex<Vec<(String, String)>>>;

/// A local receiver for the payment callbacks: `(Eclipse-Signature, body)` of each.
async fn callback_receiver() -> (String, Seen) {
    let seen: Seen = Arc::default();
    let store = seen.clone();
    let app = axum::Router::new().route(
        "/eclipse/callback",
        axum::routing::post(move |headers: HeaderMap, body: String| {
            let store = store.clone();
            async move {
                let sig = headers
                    .get("eclipse-signature")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("")
                    .to_string();
                store.lock().unwrap().push((sig, body));
                "ok"
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/eclipse/callback", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, seen)
}

/// Status queries every 60 ms for at most 3 s.
fn confirm() -> ConfirmOptions {
    ConfirmOptions {
        backoff: ConfirmOptions::default().backoff.max_delay(Duration::from_millis(60)).no_jitter(),
        deadline: Duration::from_secs(3),
    }
}

/// The msisdn of each scenario, the outcome the client must report, and the status the
/// sandbox holds at the end (the truth a later reconciliation finds).
const SCENARIOS: [(&str, &str, Outcome, &str); 5] = [
    ("27830000001", "declined", Outcome::Failed, "ERROR"),
    ("27830000002", "slow: pending for a while, then successful", Outcome::Delivered, "SUCCESSFUL"),
    ("27830000003", "connection dropped, in fact successful", Outcome::Unknown, "SUCCESSFUL"),
    ("27830000004", "502 page, in fact successful", Outcome::Unknown, "SUCCESSFUL"),
    ("27830000005", "timeout, in fact successful", Outcome::Unknown, "SUCCESSFUL"),
];

/// The sandbox's own record of a payment, by reference (a raw call, as a reconciliation job
/// would make: the client crate has no lookup by reference).
async fn status_by_reference(sb: &Sandbox, reference: &str) -> String {
    let http = reqwest::Client::new();
    let base = sb.base_url(Vendor::Eclipse);
    let login: Value = http
        .post(format!("{base}/eclipse-conductor/rest/v1/authentication/login"))
        .json(
            &serde_json::json!({"identity": c::ECLIPSE_IDENTITY, "password": c::ECLIPSE_PASSWORD}),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let list: Value = http
        .get(format!("{base}/eclipse-conductor/rest/v1/tenants/6658/payments"))
        .query(&[("externalUniqueId", reference)])
        .header("Authorization", login["headerValue"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    list[0]["status"].as_str().unwrap_or("").to_string()
}

#[tokio::test]
async fn whole_flow_for_every_scenario() {
    let sb = Sandbox::start(
        SandboxConfig::default()
            .settle_after(Duration::from_millis(150))
            .timeout_delay(Duration::from_millis(900))
            .eclipse_webhook_key(KEY),
    )
    .await
    .unwrap();
    let (callback_url, seen) = callback_receiver().await;
    let client = Client::builder()
        .base_url(sb.base_url(Vendor::Eclipse))
        .tenant(c::ECLIPSE_TENANT_ID)
        .credentials(c::ECLIPSE_IDENTITY, c::ECLIPSE_PASSWORD)
        .timeout(CLIENT_TIMEOUT)
        .build()
        .unwrap();

    // Lookup and catalogs.
    let network = client.lookup_msisdn("27831234567").await.unwrap();
    assert_eq!(network.partner_id(), Some(PartnerId::MTN));
    assert_eq!(
        client.lookup_msisdn("27821234567").await.unwrap().partner_id(),
        Some(PartnerId::VODACOM)
    );
    let all = client.catalogs(None).await.unwrap();
    assert!(all.len() >= 2);
    let umeme =
        client.catalogs(Some(&CatalogQuery::dtb_uganda_umeme("200166426").unwrap())).await.unwrap();
    let product = &umeme[0].products[0];
    assert_eq!(product.default_value("customerName"), Some("BAFUKAWA RONALD"));
    let frontier = client.catalogs(Some(&CatalogQuery::frontierweb())).await.unwrap();
    assert_eq!(frontier[0].products.len(), 25);
    let customer = client.customer_id().await.unwrap();
    assert_eq!(customer.as_str(), c::ECLIPSE_CUSTOMER_ID.to_string());

    // Scan to Pay style: initiate without an amount, complete with the update.
    let body = InitiatePayment::builder(PaymentData::new(PartnerId::VODACOM, "VD50").unwrap())
        .field("msisdn", "27821234567")
        .currency("ZAR")
        .wallet_id(WalletId(830989))
        .callback_url(&callback_url)
        .build()
        .unwrap();
    let update = UpdatePayment::builder()
        .amount(Decimal::from(155))
        .wallet_id(WalletId(830989))
        .build()
        .unwrap();
    let done =
        client.purchase_and_confirm(&customer, &body, Some(&update), &confirm()).await.unwrap();
    assert_eq!(done.outcome, Outcome::Delivered, "{done:?}");
    assert!(done.update.is_some());
    assert_eq!(done.payment.as_ref().and_then(|p| p.amount()), Some(Decimal::from(155)));

    // DTB style: the amount in the initiate call; one per scenario.
    for (msisdn, name, expected, truth) in SCENARIOS {
        let body = InitiatePayment::builder(PaymentData::new(PartnerId::MTN, "M512").unwrap())
            .field("msisdn", msisdn)
            .amount(Decimal::from(49))
            .currency("ZAR")
            .wallet_id(WalletId(830989))
            .callback_url(&callback_url)
            .build()
            .unwrap();
        let done = client.purchase_and_confirm(&customer, &body, None, &confirm()).await.unwrap();
        assert_eq!(done.outcome, expected, "{name}: {done:?}");
        assert_eq!(done.reference, body.external_unique_id);
        assert_eq!(done.payment_id.is_none(), expected == Outcome::Unknown, "{name}");
        // Whatever the client saw, the sandbox recorded the payment and settles it.
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert_eq!(status_by_reference(&sb, &body.external_unique_id).await, truth, "{name}");
    }
    assert_eq!(sb.count(Vendor::Eclipse, "initiate-payment"), 1 + SCENARIOS.len() as u64);
    assert_eq!(sb.count(Vendor::Eclipse, "update-payment"), 1);

    // Every settled payment was called back, signed with the configured key.
    for _ in 0..50 {
        if seen.lock().unwrap().len() > SCENARIOS.len() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let verifier = Verifier::new(KEY.to_string());
    let calls = seen.lock().unwrap().clone();
    assert_eq!(calls.len(), 1 + SCENARIOS.len());
    for (signature, body) in &calls {
        let payment =
            verifier.verify_and_decode(signature, body.as_bytes()).expect("valid signature");
        assert!(payment.outcome().is_final());
    }
    assert!(
        Verifier::new("another key".to_string())
            .verify(&calls[0].0, calls[0].1.as_bytes())
            .is_err()
    );

    // An expired token: the client logs in again and the call succeeds.
    let logins = sb.count(Vendor::Eclipse, "login");
    sb.expire_eclipse_tokens();
    assert_eq!(client.catalogs(Some(&CatalogQuery::frontierweb())).await.unwrap().len(), 1);
    assert!(sb.count(Vendor::Eclipse, "login") + sb.count(Vendor::Eclipse, "renew") > logins);
}

/// Under each fault the payment is created but no answer can be read: the client reports it
/// unknown with its reference (never failed, never sent twice), and the sandbox's record shows
/// it went through.
#[tokio::test]
async fn faults_leave_the_payment_unknown_never_failed_nor_repeated() {
    use vas_sandbox::Fault;
    let sb = Sandbox::start(SandboxConfig::default().settle_after(Duration::from_millis(100)))
        .await
        .unwrap();
    let client = Client::builder()
        .base_url(sb.base_url(Vendor::Eclipse))
        .tenant(c::ECLIPSE_TENANT_ID)
        .credentials(c::ECLIPSE_IDENTITY, c::ECLIPSE_PASSWORD)
        .timeout(CLIENT_TIMEOUT)
        .read_retries(0)
        .build()
        .unwrap();
    let customer = client.customer_id().await.unwrap();
    let faults = [
        Fault::BadGateway,
        Fault::TruncatedBody,
        Fault::DropAfterRead,
        Fault::Latency(CLIENT_TIMEOUT * 2),
    ];
    for (n, fault) in faults.into_iter().enumerate() {
        sb.set_fault(Vendor::Eclipse, Some(fault.clone()));
        let body = InitiatePayment::builder(PaymentData::new(PartnerId::MTN, "M512").unwrap())
            .field("msisdn", "27831234567")
            .amount(Decimal::from(49))
            .currency("ZAR")
            .wallet_id(WalletId(830989))
            .build()
            .unwrap();
        let done = client.purchase_and_confirm(&customer, &body, None, &confirm()).await.unwrap();
        assert_eq!(done.outcome, Outcome::Unknown, "{fault:?}: {done:?}");
        assert!(done.error.is_some(), "{fault:?}");
        assert_eq!(
            sb.count(Vendor::Eclipse, "initiate-payment"),
            n as u64 + 1,
            "{fault:?}: sent once"
        );
        sb.set_fault(Vendor::Eclipse, None);
        tokio::time::sleep(Duration::from_millis(150)).await;
        assert_eq!(status_by_reference(&sb, &done.reference).await, "SUCCESSFUL", "{fault:?}");
    }
}
