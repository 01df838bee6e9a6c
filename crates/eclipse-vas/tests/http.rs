//! The client against a local mock of the Eclipse API: login, renewal, 401 handling, every
//! endpoint, the whole purchase flow, and input rejected before anything is sent.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use eclipse_vas::models::UpdatePayment;
use eclipse_vas::{
    CatalogQuery, Client, ConfirmOptions, CustomerId, Error, InitiatePayment, Outcome, PartnerId,
    PaymentData, PaymentId, WalletId,
};
use httpmock::{Mock, MockServer};
use rust_decimal_macros::dec;
use serde_json::{Value, json};
use vas_common::Backoff;
use vas_common::testing::load;

const API: &str = "/eclipse-conductor/rest/v1";
const TENANT: &str = "/eclipse-conductor/rest/v1/tenants/6658";
const PASSWORD: &str = "correct-horse-battery";

fn now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() as i64
}

/// An unsigned JWT with these claims (the client reads `uid` and `exp`, the server checks).
fn jwt(claims: Value) -> String {
    let b64 = |v: &Value| {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(serde_json::to_vec(v).unwrap())
    };
    format!("{}.{}.c2ln", b64(&json!({"alg": "HS256"})), b64(&claims))
}

fn login_answer(token: &str, expires: i64) -> Value {
    json!({
        "headerName": "Authorization",
        "headerValue": format!("Bearer {token}"),
        "sessionId": "session-1",
        "roles": ["CUSTOMER"],
        "csrfHeaderName": "X-CSRF-TOKEN",
        "csrfToken": "csrf-1",
        "expiresEpochSecs": expires
    })
}

async fn mock_login<'a>(server: &'a MockServer, token: &str, expires: i64) -> Mock<'a> {
    let answer = login_answer(token, expires);
    server
        .mock_async(|when, then| {
            when.method("POST")
                .path(format!("{API}/authentication/login"))
                .json_body(json!({"identity": "api@example.com", "password": PASSWORD}));
            then.status(200).json_body(answer);
        })
        .await
}

async fn mock_renew<'a>(server: &'a MockServer, old: &str, new: &str, expires: i64) -> Mock<'a> {
    let answer = login_answer(new, expires);
    server
        .mock_async(|when, then| {
            when.method("POST")
                .path(format!("{API}/authentication/renew"))
                .json_body(json!({"jwt": old}));
            then.status(200).json_body(answer);
        })
        .await
}

async fn mock_catalog<'a>(server: &'a MockServer, token: &str) -> Mock<'a> {
    let body = load("eclipse", "dtb-ug-local-catalog.response.json");
    server
        .mock_async(|when, then| {
            when.method("GET")
                .path(format!("{TENANT}/vas/catalogs"))
                .header("Authorization", format!("Bearer {token}"))
                .query_param_missing("catalogQuery");
            then.status(200).json_body(body);
        })
        .await
}

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.base_url())
        .tenant(6658)
        .credentials("api@example.com", PASSWORD)
        .connect_timeout(Duration::from_millis(200))
        .timeout(Duration::from_millis(500))
        .build()
        .unwrap()
}

fn usr002() -> Value {
    json!([{"type": "BUSINESS", "severity": "LOW", "description": "Invalid credentials",
            "code": "USR002", "traceId": "trace-1", "spanId": "span-1"}])
}

fn fast() -> ConfirmOptions {
    ConfirmOptions {
        backoff: Backoff::new(Duration::from_millis(10)).no_jitter(),
        deadline: Duration::from_millis(300),
    }
}

#[tokio::test]
async fn logs_in_once_and_sends_the_bearer_token() {
    let server = MockServer::start_async().await;
    let login = mock_login(&server, "tok-1", now() + 3600).await;
    let catalog = mock_catalog(&server, "tok-1").await;
    let c = client(&server);
    let partners = c.catalogs(None).await.unwrap();
    assert_eq!(partners[0].partner_id, PartnerId::DTB_UGANDA);
    assert_eq!(partners[0].products.len(), 3);
    c.clone().catalogs(None).await.unwrap();
    assert_eq!(login.calls_async().await, 1);
    assert_eq!(catalog.calls_async().await, 2);
}

#[tokio::test]
async fn catalog_queries_are_sent_as_the_catalog_query_parameter() {
    let server = MockServer::start_async().await;
    let _login = mock_login(&server, "tok-1", now() + 3600).await;
    let cases = [
        (
            CatalogQuery::dtb_uganda_nwsc("21117391", "Kampala").unwrap(),
            "dtb-ug-nwsc-catalog.response.json",
        ),
        (
            CatalogQuery::dtb_uganda_umeme("200166426").unwrap(),
            "dtb-ug-umeme-catalog.response.json",
        ),
        (
            CatalogQuery::dtb_uganda_tax("2240000621955").unwrap(),
            "dtb-ug-ura-tax-catalog.response.json",
        ),
        (
            CatalogQuery::dtb_kenya_tax("10202300000582380").unwrap(),
            "dtb-ke-tax-catalog.response.json",
        ),
        (CatalogQuery::frontierweb(), "frontierweb-catalog.response.json"),
    ];
    let c = client(&server);
    for (query, fixture) in cases {
        let body = load("eclipse", fixture);
        let m = server
            .mock_async(|when, then| {
                when.method("GET")
                    .path(format!("{TENANT}/vas/catalogs"))
                    .query_param("catalogQuery", query.as_str());
                then.status(200).json_body(body);
            })
            .await;
        let partners = c.catalogs(Some(&query)).await.unwrap();
        assert_eq!(partners[0].partner_id, query.partner_id(), "{query}");
        assert_eq!(m.calls_async().await, 1, "{query}");
    }
}

#[tokio::test]
async fn renews_the_token_before_it_lapses() {
    let server = MockServer::start_async().await;
    // Expires in 30 s: inside the default 120 s renewal margin.
    let login = mock_login(&server, "tok-1", now() + 30).await;
    let renew = mock_renew(&server, "tok-1", "tok-2", now() + 3600).await;
    let old = mock_catalog(&server, "tok-1").await;
    let new = mock_catalog(&server, "tok-2").await;
    let c = client(&server);
    c.catalogs(None).await.unwrap();
    c.catalogs(None).await.unwrap();
    c.catalogs(None).await.unwrap();
    assert_eq!(login.calls_async().await, 1);
    assert_eq!(renew.calls_async().await, 1);
    assert_eq!(old.calls_async().await, 1);
    assert_eq!(new.calls_async().await, 2);
}

#[tokio::test]
async fn a_failed_renewal_falls_back_to_logging_in() {
    let server = MockServer::start_async().await;
    let login = mock_login(&server, "tok-1", now() + 30).await;
    let renew = server
        .mock_async(|when, then| {
            when.method("POST").path(format!("{API}/authentication/renew"));
            then.status(401).json_body(usr002());
        })
        .await;
    let catalog = mock_catalog(&server, "tok-1").await;
    let c = client(&server);
    c.catalogs(None).await.unwrap();
    c.catalogs(None).await.unwrap();
    assert_eq!(renew.calls_async().await, 1);
    assert_eq!(login.calls_async().await, 2);
    assert_eq!(catalog.calls_async().await, 2);
}

#[tokio::test]
async fn an_expired_token_is_replaced_by_a_new_login() {
    let server = MockServer::start_async().await;
    let login = mock_login(&server, "tok-1", now() - 5).await;
    let renew = mock_renew(&server, "tok-1", "tok-2", now() + 3600).await;
    let catalog = mock_catalog(&server, "tok-1").await;
    let c = client(&server);
    c.catalogs(None).await.unwrap();
    c.catalogs(None).await.unwrap();
    assert_eq!(login.calls_async().await, 2);
    assert_eq!(renew.calls_async().await, 0);
    assert_eq!(catalog.calls_async().await, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_calls_share_one_login() {
    let server = MockServer::start_async().await;
    let answer = login_answer("tok-1", now() + 3600);
    let login = server
        .mock_async(|when, then| {
            when.method("POST").path(format!("{API}/authentication/login"));
            then.status(200).delay(Duration::from_millis(150)).json_body(answer);
        })
        .await;
    let catalog = mock_catalog(&server, "tok-1").await;
    let c = client(&server);
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..8 {
        let c = c.clone();
        tasks.spawn(async move { c.catalogs(None).await.map(|p| p.len()) });
    }
    while let Some(r) = tasks.join_next().await {
        assert_eq!(r.unwrap().unwrap(), 1);
    }
    assert_eq!(login.calls_async().await, 1);
    assert_eq!(catalog.calls_async().await, 8);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_calls_share_one_renewal() {
    let server = MockServer::start_async().await;
    let login = mock_login(&server, "tok-1", now() + 30).await;
    let answer = login_answer("tok-2", now() + 3600);
    let renew = server
        .mock_async(|when, then| {
            when.method("POST")
                .path(format!("{API}/authentication/renew"))
                .json_body(json!({"jwt": "tok-1"}));
            then.status(200).delay(Duration::from_millis(150)).json_body(answer);
        })
        .await;
    let old = mock_catalog(&server, "tok-1").await;
    let new = mock_catalog(&server, "tok-2").await;
    let c = client(&server);
    c.login().await.unwrap();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..8 {
        let c = c.clone();
        tasks.spawn(async move { c.catalogs(None).await.map(|p| p.len()) });
    }
    while let Some(r) = tasks.join_next().await {
        assert_eq!(r.unwrap().unwrap(), 1);
    }
    assert_eq!(login.calls_async().await, 1);
    assert_eq!(renew.calls_async().await, 1);
    assert_eq!(old.calls_async().await, 0);
    assert_eq!(new.calls_async().await, 8);
}

#[tokio::test]
async fn a_401_on_a_read_logs_in_again_and_retries_once() {
    let server = MockServer::start_async().await;
    let first = mock_login(&server, "tok-1", now() + 3600).await;
    let c = client(&server);
    c.login().await.unwrap();
    first.delete_async().await;
    // The server forgot tok-1 (e.g. restarted): it answers 401, and a new login gives tok-2.
    let second = mock_login(&server, "tok-2", now() + 3600).await;
    let rejected = server
        .mock_async(|when, then| {
            when.method("GET")
                .path(format!("{TENANT}/payments/172565"))
                .header("Authorization", "Bearer tok-1");
            then.status(401).json_body(usr002());
        })
        .await;
    let body = load("eclipse", "dtb-ug-mtn-initiate-payment.response.json");
    let accepted = server
        .mock_async(|when, then| {
            when.method("GET")
                .path(format!("{TENANT}/payments/172565"))
                .header("Authorization", "Bearer tok-2");
            then.status(200).json_body(body);
        })
        .await;
    let p = c.get_payment(&PaymentId::from(172565)).await.unwrap();
    assert_eq!(p.outcome(), Outcome::Pending);
    assert_eq!(rejected.calls_async().await, 1);
    assert_eq!(second.calls_async().await, 1);
    assert_eq!(accepted.calls_async().await, 1);
}

#[tokio::test]
async fn a_second_401_is_returned_and_not_retried_again() {
    let server = MockServer::start_async().await;
    let login = mock_login(&server, "tok-1", now() + 3600).await;
    let rejected = server
        .mock_async(|when, then| {
            when.method("GET").path(format!("{TENANT}/vas/catalogs"));
            then.status(401).json_body(usr002());
        })
        .await;
    let err = client(&server).catalogs(None).await.unwrap_err();
    assert!(err.is_unauthorized(), "{err:?}");
    assert_eq!(err.vendor_codes(), ["USR002"]);
    assert_eq!(login.calls_async().await, 2);
    assert_eq!(rejected.calls_async().await, 2);
}

#[tokio::test]
async fn a_401_on_a_payment_is_returned_without_sending_it_again() {
    let server = MockServer::start_async().await;
    let login = mock_login(&server, "tok-1", now() + 3600).await;
    let pay = server
        .mock_async(|when, then| {
            when.method("POST").path(format!("{TENANT}/customers/184132/payments"));
            then.status(401).json_body(usr002());
        })
        .await;
    let body = InitiatePayment::builder(PaymentData::dtb_uganda_umeme("200166426").unwrap())
        .amount(dec!(29182))
        .build()
        .unwrap();
    let err = client(&server).initiate_payment(&CustomerId::from(184132), &body).await.unwrap_err();
    assert!(err.is_unauthorized());
    assert!(!err.maybe_sent());
    assert_eq!(pay.calls_async().await, 1);
    assert_eq!(login.calls_async().await, 1);
}

#[tokio::test]
async fn a_bad_login_is_a_vendor_error_that_names_no_secret() {
    let server = MockServer::start_async().await;
    let login = server
        .mock_async(|when, then| {
            when.method("POST").path(format!("{API}/authentication/login"));
            then.status(401).json_body(usr002());
        })
        .await;
    let catalog = mock_catalog(&server, "tok-1").await;
    let err = client(&server).catalogs(None).await.unwrap_err();
    assert!(matches!(&err, Error::Vendor { status: 401, .. }), "{err:?}");
    assert_eq!(err.vendor_codes(), ["USR002"]);
    for text in [format!("{err:?}"), err.to_string()] {
        assert!(!text.contains(PASSWORD), "{text}");
    }
    assert_eq!(login.calls_async().await, 1);
    assert_eq!(catalog.calls_async().await, 0);
}

#[tokio::test]
async fn an_unreadable_login_answer_does_not_leak_the_token() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method("POST").path(format!("{API}/authentication/login"));
            then.status(200).json_body(
                json!({"headerValue": "Bearer leaked-jwt-value", "expiresEpochSecs": "soon"}),
            );
        })
        .await;
    let err = client(&server).catalogs(None).await.unwrap_err();
    match &err {
        Error::Decode { path, body, .. } => {
            assert_eq!(path, "expiresEpochSecs");
            assert_eq!(body, "[REDACTED]");
        }
        other => panic!("{other:?}"),
    }
    assert!(!format!("{err:?}").contains("leaked-jwt-value"));
    assert!(!err.to_string().contains("leaked-jwt-value"));
}

#[tokio::test]
async fn a_caller_supplied_token_is_used_without_logging_in() {
    let server = MockServer::start_async().await;
    let login = mock_login(&server, "tok-1", now() + 3600).await;
    let token = jwt(json!({"uid": 184132, "exp": now() + 3600}));
    let catalog = mock_catalog(&server, &token).await;
    let c =
        Client::builder().base_url(server.base_url()).tenant("6658").token(token).build().unwrap();
    c.catalogs(None).await.unwrap();
    assert_eq!(c.customer_id().await.unwrap(), CustomerId::from(184132));
    assert_eq!(login.calls_async().await, 0);
    assert_eq!(catalog.calls_async().await, 1);
}

#[tokio::test]
async fn a_caller_supplied_token_is_renewed_before_it_lapses_and_a_401_is_returned() {
    let server = MockServer::start_async().await;
    let login = mock_login(&server, "tok-1", now() + 3600).await;
    let renew = mock_renew(&server, "own-token", "tok-2", now() + 3600).await;
    let catalog = mock_catalog(&server, "tok-2").await;
    let c = Client::builder()
        .base_url(server.base_url())
        .tenant(6658)
        .token_expiring("own-token", now() + 30)
        .build()
        .unwrap();
    c.catalogs(None).await.unwrap();
    c.catalogs(None).await.unwrap();
    assert_eq!(renew.calls_async().await, 1);
    assert_eq!(catalog.calls_async().await, 2);
    // A 401 cannot be fixed by logging in: it is returned.
    let rejected = server
        .mock_async(|when, then| {
            when.method("GET").path(format!("{TENANT}/payments/1"));
            then.status(401).json_body(usr002());
        })
        .await;
    assert!(c.get_payment(&PaymentId::from(1)).await.unwrap_err().is_unauthorized());
    assert_eq!(rejected.calls_async().await, 1);
    assert_eq!(login.calls_async().await, 0);
}

#[tokio::test]
async fn the_customer_id_is_the_uid_claim_of_the_login_token() {
    let server = MockServer::start_async().await;
    let token = jwt(json!({"uid": 723689, "exp": now() + 3600}));
    let login = mock_login(&server, &token, now() + 3600).await;
    assert_eq!(client(&server).customer_id().await.unwrap(), CustomerId::from(723689));
    assert_eq!(login.calls_async().await, 1);
}

#[tokio::test]
async fn the_whole_flow_lookup_catalog_initiate_update_get() {
    let server = MockServer::start_async().await;
    let _login = mock_login(&server, "tok-1", now() + 3600).await;
    let lookup = server
        .mock_async(|when, then| {
            when.method("GET").path(format!("{TENANT}/vas/27831234567"));
            then.status(200).json_body(json!({"partnerId": 5, "partnerName": "Vodacom"}));
        })
        .await;
    let umeme = load("eclipse", "dtb-ug-umeme-catalog.response.json");
    let catalog = server
        .mock_async(|when, then| {
            when.method("GET")
                .path(format!("{TENANT}/vas/catalogs"))
                .query_param("catalogQuery", "21_UMEME_200166426");
            then.status(200).json_body(umeme);
        })
        .await;
    let request = load("eclipse", "dtb-ug-umeme-initiate-payment.request.json");
    let pending = load("eclipse", "dtb-ug-umeme-initiate-payment.response.json");
    let initiate = server
        .mock_async(|when, then| {
            when.method("POST")
                .path(format!("{TENANT}/customers/184132/payments"))
                .header("Authorization", "Bearer tok-1")
                .header("Content-Type", "application/json")
                .json_body(request);
            then.status(200).json_body(pending.clone());
        })
        .await;
    let update = server
        .mock_async(|when, then| {
            when.method("PUT")
                .path(format!("{TENANT}/payments/142607"))
                .json_body(json!({"amount": 29182, "walletId": 206744}));
            then.status(200).body("success");
        })
        .await;
    let mut successful = pending.clone();
    successful["status"] = json!("SUCCESSFUL");
    let get = server
        .mock_async(|when, then| {
            when.method("GET").path(format!("{TENANT}/payments/142607"));
            then.status(200).json_body(successful);
        })
        .await;

    let c = client(&server);
    let network = c.lookup_msisdn("27831234567").await.unwrap();
    assert_eq!(network.partner_id(), Some(PartnerId::VODACOM));
    assert_eq!(network.partner_name(), Some("Vodacom"));

    let partners =
        c.catalogs(Some(&CatalogQuery::dtb_uganda_umeme("200166426").unwrap())).await.unwrap();
    let product = &partners[0].products[0];
    assert_eq!(product.default_value("customerName"), Some("BAFUKAWA RONALD"));
    let pd = product.payment_data().unwrap();
    assert_eq!(pd.to_string(), "21_UMEME_200166426");

    let body = InitiatePayment::builder(pd)
        .external_unique_id("48d9b276-ad03-4ee9-9a4b-6377eb383502")
        .amount(dec!(29182))
        .currency("UGX")
        .field("destinationBranchCode", "001")
        .field("destinationName", "BASEKANAKYO DEBULA")
        .field("destinationType", "UMEME_ACCOUNT")
        .field("destinationPhone", "704263087")
        .wallet_id(WalletId(206744))
        .description("POSTPAID")
        .custom_fraud_checks(false)
        .build()
        .unwrap();
    let complete =
        UpdatePayment::builder().amount(dec!(29182)).wallet_id(WalletId(206744)).build().unwrap();
    let purchase = c
        .purchase_and_confirm(&CustomerId::from(184132), &body, Some(&complete), &fast())
        .await
        .unwrap();
    assert_eq!(purchase.outcome, Outcome::Delivered);
    assert_eq!(purchase.reference, "48d9b276-ad03-4ee9-9a4b-6377eb383502");
    assert_eq!(purchase.payment_id, Some(PaymentId::from(142607)));
    let update_answer = purchase.update.as_ref().unwrap();
    assert_eq!(update_answer.raw, "success");
    assert_eq!(update_answer.outcome(), Outcome::Unknown);
    let payment = purchase.payment.as_ref().unwrap();
    assert_eq!(payment.amount(), Some(dec!(29182)));
    assert_eq!(payment.fee(), Some(dec!(0)));
    assert_eq!(purchase.status_queries, 1);
    assert!(purchase.error.is_none());

    // The single calls too.
    let got = c.get_payment(&PaymentId::from(142607)).await.unwrap();
    assert_eq!(got.outcome(), Outcome::Delivered);
    let answer = c.update_payment(&PaymentId::from(142607), &complete).await.unwrap();
    assert_eq!(answer.raw, "success");

    assert_eq!(lookup.calls_async().await, 1);
    assert_eq!(catalog.calls_async().await, 1);
    assert_eq!(initiate.calls_async().await, 1);
    assert_eq!(update.calls_async().await, 2);
    assert_eq!(get.calls_async().await, 2);
}

async fn mock_initiate<'a>(
    server: &'a MockServer,
    status: u16,
    body: Value,
    delay: u64,
) -> Mock<'a> {
    server
        .mock_async(|when, then| {
            when.method("POST").path(format!("{TENANT}/customers/184132/payments"));
            then.status(status).delay(Duration::from_millis(delay)).json_body(body);
        })
        .await
}

const MTN_REFERENCE: &str = "2b204a21-d686-489e-980c-9c1ff3c1ca1a";

fn mtn_body() -> InitiatePayment {
    InitiatePayment::builder(PaymentData::dtb_uganda_mtn("256779999703").unwrap())
        // The reference of the documented answer, which the mocks below send back.
        .external_unique_id(MTN_REFERENCE)
        .amount(dec!(29182))
        .currency("UGX")
        .wallet_id(WalletId(204142))
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_payment_still_pending_at_the_deadline_is_pending() {
    let server = MockServer::start_async().await;
    let _login = mock_login(&server, "tok-1", now() + 3600).await;
    let pending = load("eclipse", "dtb-ug-mtn-initiate-payment.response.json");
    let initiate = mock_initiate(&server, 200, pending.clone(), 0).await;
    let get = server
        .mock_async(|when, then| {
            when.method("GET").path(format!("{TENANT}/payments/172565"));
            then.status(200).json_body(pending);
        })
        .await;
    let confirm = ConfirmOptions {
        backoff: Backoff::new(Duration::from_millis(10)).no_jitter(),
        deadline: Duration::from_millis(250),
    };
    let p = client(&server)
        .purchase_and_confirm(&CustomerId::from(184132), &mtn_body(), None, &confirm)
        .await
        .unwrap();
    assert_eq!(p.outcome, Outcome::Pending);
    assert_eq!(p.payment_id, Some(PaymentId::from(172565)));
    assert!(p.status_queries >= 1, "{}", p.status_queries);
    assert_eq!(get.calls_async().await, p.status_queries as usize);
    assert_eq!(initiate.calls_async().await, 1);
}

#[tokio::test]
async fn an_error_status_is_failed() {
    let server = MockServer::start_async().await;
    let _login = mock_login(&server, "tok-1", now() + 3600).await;
    let pending = load("eclipse", "dtb-ug-mtn-initiate-payment.response.json");
    let mut failed = pending.clone();
    failed["status"] = json!("ERROR");
    failed["errorDescription"] = json!("WAL009: Insufficient funds");
    let _initiate = mock_initiate(&server, 200, pending, 0).await;
    let _get = server
        .mock_async(|when, then| {
            when.method("GET").path(format!("{TENANT}/payments/172565"));
            then.status(200).json_body(failed);
        })
        .await;
    let p = client(&server)
        .purchase_and_confirm(&CustomerId::from(184132), &mtn_body(), None, &fast())
        .await
        .unwrap();
    assert_eq!(p.outcome, Outcome::Failed);
}

#[tokio::test]
async fn a_timeout_after_sending_is_unknown_and_the_payment_is_not_sent_again() {
    let server = MockServer::start_async().await;
    let _login = mock_login(&server, "tok-1", now() + 3600).await;
    let pending = load("eclipse", "dtb-ug-mtn-initiate-payment.response.json");
    let initiate = mock_initiate(&server, 200, pending, 1_500).await;
    let get = server
        .mock_async(|when, then| {
            when.method("GET").path(format!("{TENANT}/payments/172565"));
            then.status(200).json_body(json!({}));
        })
        .await;
    let p = client(&server)
        .purchase_and_confirm(&CustomerId::from(184132), &mtn_body(), None, &fast())
        .await
        .unwrap();
    assert_eq!(p.outcome, Outcome::Unknown);
    assert_eq!(p.reference, MTN_REFERENCE);
    assert_eq!(p.payment_id, None);
    let err = p.error.as_ref().unwrap();
    assert!(err.maybe_sent(), "{err:?}");
    assert!(
        matches!(err, Error::Transport { state: vas_common::SendState::TimedOut, .. }),
        "{err:?}"
    );
    assert_eq!(initiate.calls_async().await, 1);
    assert_eq!(get.calls_async().await, 0);
}

#[tokio::test]
async fn a_5xx_or_unreadable_answer_to_a_payment_is_unknown() {
    for (status, body) in
        [(500u16, "<html>Internal error</html>"), (200, "{\"paymentId\": 1, \"sta")]
    {
        let server = MockServer::start_async().await;
        let _login = mock_login(&server, "tok-1", now() + 3600).await;
        let initiate = server
            .mock_async(|when, then| {
                when.method("POST").path(format!("{TENANT}/customers/184132/payments"));
                then.status(status).body(body);
            })
            .await;
        let p = client(&server)
            .purchase_and_confirm(&CustomerId::from(184132), &mtn_body(), None, &fast())
            .await
            .unwrap();
        assert_eq!(p.outcome, Outcome::Unknown, "{status}");
        assert_eq!(p.error.as_ref().unwrap().body(), Some(body));
        assert_eq!(initiate.calls_async().await, 1, "a payment is never retried");
    }
}

#[tokio::test]
async fn a_4xx_answer_to_a_payment_is_an_error_naming_the_vendor_code() {
    let server = MockServer::start_async().await;
    let _login = mock_login(&server, "tok-1", now() + 3600).await;
    let wal009 = json!([{"type": "BUSINESS", "severity": "LOW", "description": "Insufficient funds",
                         "code": "WAL009", "traceId": "t", "spanId": "s"}]);
    let initiate = mock_initiate(&server, 400, wal009, 0).await;
    let err = client(&server)
        .purchase_and_confirm(&CustomerId::from(184132), &mtn_body(), None, &fast())
        .await
        .unwrap_err();
    assert_eq!(err.vendor_codes(), ["WAL009"]);
    assert_eq!(err.status(), Some(400));
    assert!(!err.maybe_sent());
    match &err {
        Error::Vendor { errors, .. } => {
            assert_eq!(errors[0].kind.as_deref(), Some("BUSINESS"));
            assert_eq!(errors[0].trace_id.as_deref(), Some("t"));
            assert_eq!(errors[0].span_id.as_deref(), Some("s"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(initiate.calls_async().await, 1);
}

#[tokio::test]
async fn reads_are_retried_after_a_bad_gateway_and_payments_are_not() {
    let server = MockServer::start_async().await;
    let _login = mock_login(&server, "tok-1", now() + 3600).await;
    let get = server
        .mock_async(|when, then| {
            when.method("GET").path(format!("{TENANT}/payments/5"));
            then.status(502).body("<html>Bad Gateway</html>");
        })
        .await;
    let put = server
        .mock_async(|when, then| {
            when.method("PUT").path(format!("{TENANT}/payments/5"));
            then.status(502).body("<html>Bad Gateway</html>");
        })
        .await;
    let c = client(&server);
    let err = c.get_payment(&PaymentId::from(5)).await.unwrap_err();
    assert!(
        matches!(&err, Error::Status { status: 502, body } if body == "<html>Bad Gateway</html>"),
        "{err:?}"
    );
    assert_eq!(get.calls_async().await, 2);
    let update = UpdatePayment::builder().amount(dec!(10)).build().unwrap();
    let err = c.update_payment(&PaymentId::from(5), &update).await.unwrap_err();
    assert!(err.maybe_sent());
    assert_eq!(put.calls_async().await, 1);
}

#[tokio::test]
async fn a_truncated_catalog_is_a_decode_error_with_its_path_and_body() {
    let server = MockServer::start_async().await;
    let _login = mock_login(&server, "tok-1", now() + 3600).await;
    server
        .mock_async(|when, then| {
            when.method("GET").path(format!("{TENANT}/vas/catalogs"));
            then.status(200).body(r#"[{"partnerId":"twenty-one","products":[]}]"#);
        })
        .await;
    let err = client(&server).catalogs(None).await.unwrap_err();
    match err {
        Error::Decode { path, body, .. } => {
            assert_eq!(path, "[0].partnerId");
            assert_eq!(body, r#"[{"partnerId":"twenty-one","products":[]}]"#);
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn bad_input_is_rejected_before_anything_is_sent() {
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|_when, then| {
            then.status(200).json_body(json!({}));
        })
        .await;
    let c = client(&server);
    let customer = CustomerId::from(184132);

    // An empty tenant id.
    assert!(
        Client::builder()
            .base_url(server.base_url())
            .tenant("")
            .credentials("a", "b")
            .build()
            .is_err()
    );
    // Invalid paymentData cannot make a body.
    assert!("21UMEME200166426".parse::<PaymentData>().is_err());
    // A body with a bad reference or amount (built by hand, bypassing the builder).
    let mut body = mtn_body();
    body.external_unique_id = String::new();
    assert!(matches!(c.initiate_payment(&customer, &body).await, Err(Error::InvalidInput { .. })));
    let mut body = mtn_body();
    body.amount = Some(vas_common::WireDecimal::number(dec!(-1)));
    assert!(matches!(
        c.purchase_and_confirm(&customer, &body, None, &fast()).await,
        Err(Error::InvalidInput { .. })
    ));
    // A field value failing its regex.
    let catalog: Vec<eclipse_vas::Partner> =
        serde_json::from_value(load("eclipse", "frontierweb-catalog.response.json")).unwrap();
    let product = &catalog[0].products[0];
    let built = InitiatePayment::builder(product.payment_data().unwrap())
        .checked_field(product, "msisdn", "123")
        .build();
    assert!(matches!(built, Err(Error::InvalidInput { .. })));
    // Bad ids and numbers.
    assert!(CustomerId::new("").is_err());
    assert!(PaymentId::new("1/../2").is_err());
    assert!(matches!(c.lookup_msisdn("0821234abc").await, Err(Error::InvalidInput { .. })));
    assert!(matches!(c.lookup_msisdn("").await, Err(Error::InvalidInput { .. })));
    let empty_update = UpdatePayment {
        amount: None,
        wallet_id: None,
        landing_url: None,
        external_unique_id: None,
    };
    assert!(matches!(
        c.update_payment(&PaymentId::from(1), &empty_update).await,
        Err(Error::InvalidInput { .. })
    ));

    assert_eq!(any.calls_async().await, 0, "nothing may be sent, not even a login");
}

#[tokio::test]
async fn a_redirect_answer_to_a_payment_is_not_followed_and_the_outcome_is_unknown() {
    let server = MockServer::start_async().await;
    let _login = mock_login(&server, "tok-1", now() + 3600).await;
    let elsewhere = server
        .mock_async(|when, then| {
            when.path_includes("/elsewhere");
            then.status(200)
                .json_body(load("eclipse", "dtb-ug-mtn-initiate-payment.response.json"));
        })
        .await;
    for status in [301u16, 302, 307, 308] {
        let location = server.url(format!("/elsewhere/{status}"));
        let initiate = server
            .mock_async(|when, then| {
                when.method("POST").path(format!("{TENANT}/customers/184132/payments"));
                then.status(status).header("location", location);
            })
            .await;
        let p = client(&server)
            .purchase_and_confirm(&CustomerId::from(184132), &mtn_body(), None, &fast())
            .await
            .unwrap();
        assert_eq!(p.outcome, Outcome::Unknown, "{status}");
        let err = p.error.as_ref().unwrap();
        assert_eq!(err.status(), Some(status));
        assert!(err.maybe_sent(), "{status}");
        assert_eq!(initiate.calls_async().await, 1, "{status}");
        initiate.delete_async().await;
    }
    assert_eq!(elsewhere.calls_async().await, 0, "a redirect must never re-send a payment");
}

#[tokio::test]
async fn a_4xx_that_may_follow_processing_or_is_not_the_vendor_error_array_is_unknown() {
    let array = |code: &str| {
        json!([{"type": "BUSINESS", "severity": "LOW", "description": "x", "code": code}])
            .to_string()
    };
    let cases = [
        (409u16, array("PAY001")),
        (408, array("GEN001")),
        (404, "<html><body>Not Found</body></html>".to_string()),
        (400, String::new()),
        (422, "null".to_string()),
    ];
    for (status, body) in cases {
        let server = MockServer::start_async().await;
        let _login = mock_login(&server, "tok-1", now() + 3600).await;
        let initiate = server
            .mock_async(|when, then| {
                when.method("POST").path(format!("{TENANT}/customers/184132/payments"));
                then.status(status).body(body.clone());
            })
            .await;
        let p = client(&server)
            .purchase_and_confirm(&CustomerId::from(184132), &mtn_body(), None, &fast())
            .await
            .unwrap_or_else(|e| panic!("{status} {body}: {e:?}"));
        assert_eq!(p.outcome, Outcome::Unknown, "{status} {body}");
        assert_eq!(p.reference, MTN_REFERENCE);
        assert_eq!(p.error.as_ref().and_then(Error::status), Some(status));
        assert_eq!(initiate.calls_async().await, 1);
    }
}

#[tokio::test]
async fn an_answer_naming_another_reference_is_unknown_whatever_its_status() {
    let server = MockServer::start_async().await;
    let _login = mock_login(&server, "tok-1", now() + 3600).await;
    let mut other = load("eclipse", "dtb-ug-mtn-initiate-payment.response.json");
    other["externalUniqueId"] = json!("someone-elses-purchase");
    other["status"] = json!("SUCCESSFUL");
    let initiate = mock_initiate(&server, 200, other.clone(), 0).await;
    let get = server
        .mock_async(|when, then| {
            when.method("GET").path(format!("{TENANT}/payments/172565"));
            then.status(200).json_body(other);
        })
        .await;
    let put = server
        .mock_async(|when, then| {
            when.method("PUT").path(format!("{TENANT}/payments/172565"));
            then.status(200).body("success");
        })
        .await;
    let update = UpdatePayment::builder().amount(dec!(155)).build().unwrap();
    let p = client(&server)
        .purchase_and_confirm(&CustomerId::from(184132), &mtn_body(), Some(&update), &fast())
        .await
        .unwrap();
    assert_eq!(p.outcome, Outcome::Unknown);
    assert!(get.calls_async().await >= 1);
    assert_eq!(initiate.calls_async().await, 1);
    assert_eq!(put.calls_async().await, 0, "another purchase's payment is never completed");
}

#[tokio::test]
async fn a_401_on_the_completing_put_is_returned_without_sending_it_again() {
    let server = MockServer::start_async().await;
    let login = mock_login(&server, "tok-1", now() + 3600).await;
    let put = server
        .mock_async(|when, then| {
            when.method("PUT").path(format!("{TENANT}/payments/172565"));
            then.status(401).json_body(usr002());
        })
        .await;
    let update =
        UpdatePayment::builder().amount(dec!(155)).wallet_id(WalletId(830989)).build().unwrap();
    let err = client(&server).update_payment(&PaymentId::from(172565), &update).await.unwrap_err();
    assert!(err.is_unauthorized(), "{err:?}");
    assert!(!err.maybe_sent());
    assert_eq!(put.calls_async().await, 1);
    assert_eq!(login.calls_async().await, 1);
}
