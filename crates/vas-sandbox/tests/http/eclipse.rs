use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::HeaderMap;
use base64::Engine;
use hmac::{Hmac, KeyInit, Mac};
use serde_json::{Value, json};
use sha2::Sha256;
use vas_sandbox::{Sandbox, SandboxConfig, Vendor, credentials as c};

use crate::{after_settle, body, fast_config, http};

const V1: &str = "/eclipse-conductor/rest/v1";

async fn login(sb: &Sandbox) -> Value {
    let r = http()
        .post(format!("{}{V1}/authentication/login", sb.base_url(Vendor::Eclipse)))
        .json(&json!({"identity": c::ECLIPSE_IDENTITY, "password": c::ECLIPSE_PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    body(r).await
}

fn bearer(session: &Value) -> String {
    session["headerValue"].as_str().unwrap().to_string()
}

async fn get(sb: &Sandbox, auth: &str, path: &str) -> reqwest::Response {
    http()
        .get(format!("{}{V1}{path}", sb.base_url(Vendor::Eclipse)))
        .header("Authorization", auth)
        .send()
        .await
        .unwrap()
}

async fn send(
    sb: &Sandbox,
    auth: &str,
    method: reqwest::Method,
    path: &str,
    payload: Value,
) -> reqwest::Result<reqwest::Response> {
    http()
        .request(method, format!("{}{V1}{path}", sb.base_url(Vendor::Eclipse)))
        .header("Authorization", auth)
        .json(&payload)
        .send()
        .await
}

#[tokio::test]
async fn login_expiry_renew_and_bad_credentials() {
    let sb =
        Sandbox::start(fast_config().eclipse_token_ttl(Duration::from_millis(700))).await.unwrap();
    let session = login(&sb).await;
    assert_eq!(session["headerName"], "Authorization");
    let auth = bearer(&session);
    assert!(auth.starts_with("Bearer ey"));
    let jwt = auth.trim_start_matches("Bearer ");
    let claims = jwt.split('.').nth(1).unwrap();
    let claims: Value = serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(claims).unwrap(),
    )
    .unwrap();
    assert_eq!(claims["uid"], c::ECLIPSE_CUSTOMER_ID);
    assert!(session["expiresEpochSecs"].as_i64().unwrap() >= claims["iat"].as_i64().unwrap());
    assert_eq!(get(&sb, &auth, "/tenants/6658/vas/catalogs?catalogQuery=20").await.status(), 200);

    // Renew gives a new token that works.
    let r = http()
        .post(format!("{}{V1}/authentication/renew", sb.base_url(Vendor::Eclipse)))
        .json(&json!({"jwt": jwt}))
        .send()
        .await
        .unwrap();
    let renewed = bearer(&body(r).await);
    assert_ne!(renewed, auth);

    tokio::time::sleep(Duration::from_millis(800)).await;
    let r = get(&sb, &auth, "/tenants/6658/vas/catalogs?catalogQuery=20").await;
    assert_eq!(r.status(), 401);
    let v = body(r).await;
    assert!(v[0]["code"].is_string() && v[0]["traceId"].is_string(), "{v}");
    let r = http()
        .post(format!("{}{V1}/authentication/renew", sb.base_url(Vendor::Eclipse)))
        .json(&json!({"jwt": jwt}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401, "an expired token cannot be renewed");

    let fresh = bearer(&login(&sb).await);
    assert_eq!(get(&sb, &fresh, "/tenants/6658/vas/catalogs?catalogQuery=20").await.status(), 200);
    sb.expire_eclipse_tokens();
    assert_eq!(get(&sb, &fresh, "/tenants/6658/vas/catalogs?catalogQuery=20").await.status(), 401);

    let r = http()
        .post(format!("{}{V1}/authentication/login", sb.base_url(Vendor::Eclipse)))
        .json(&json!({"identity": c::ECLIPSE_IDENTITY, "password": "wrong"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    assert_eq!(body(r).await[0]["code"], "USR002");
    assert_eq!(sb.count(Vendor::Eclipse, "login"), 3);
    assert_eq!(sb.count(Vendor::Eclipse, "renew"), 2);
}

#[tokio::test]
async fn msisdn_lookup_and_catalog_queries() {
    let sb = crate::start().await;
    let auth = bearer(&login(&sb).await);
    let v = body(get(&sb, &auth, "/tenants/6658/vas/27831234567").await).await;
    assert_eq!((v["partnerId"].as_u64(), v["partnerName"].as_str()), (Some(4), Some("MTN")));
    let v = body(get(&sb, &auth, "/tenants/6658/vas/0821234567").await).await;
    assert_eq!(v["partnerName"], "Vodacom");
    assert_eq!(get(&sb, &auth, "/tenants/6658/vas/255700000000").await.status(), 404);

    let docs = [
        (
            "catalogQuery=20",
            include_str!("../../../../fixtures/eclipse/frontierweb-catalog.response.json"),
        ),
        (
            "catalogQuery=21_LOCAL-CATALOG",
            include_str!("../../../../fixtures/eclipse/dtb-ug-local-catalog.response.json"),
        ),
        (
            "catalogQuery=21_NWSC_21117391_Kampala",
            include_str!("../../../../fixtures/eclipse/dtb-ug-nwsc-catalog.response.json"),
        ),
        (
            "catalogQuery=21_UMEME_200166426",
            include_str!("../../../../fixtures/eclipse/dtb-ug-umeme-catalog.response.json"),
        ),
        (
            "21_ETAX_2240000621955",
            include_str!("../../../../fixtures/eclipse/dtb-ug-ura-tax-catalog.response.json"),
        ),
        (
            "19_ETAX_10202300000582380",
            include_str!("../../../../fixtures/eclipse/dtb-ke-tax-catalog.response.json"),
        ),
    ];
    for (query, doc) in docs {
        let text = get(&sb, &auth, &format!("/tenants/6658/vas/catalogs?{query}"))
            .await
            .text()
            .await
            .unwrap();
        assert_eq!(text, doc, "{query}");
    }
    let all = body(get(&sb, &auth, "/tenants/6658/vas/catalogs").await).await;
    let partners: Vec<u64> =
        all.as_array().unwrap().iter().map(|p| p["partnerId"].as_u64().unwrap()).collect();
    assert_eq!(partners, vec![4, 5, 20, 21]);
    assert_eq!(
        body(get(&sb, &auth, "/tenants/6658/vas/catalogs?catalogQuery=99_X").await).await,
        json!([])
    );
    assert_eq!(sb.count(Vendor::Eclipse, "catalogs"), 8);
    assert_eq!(sb.count(Vendor::Eclipse, "msisdn"), 3);
}

type Seen = Arc<Mutex<Vec<(HeaderMap, String)>>>;

async fn callback_receiver() -> (String, Seen) {
    let seen: Seen = Arc::default();
    let store = seen.clone();
    let app = axum::Router::new().route(
        "/cb",
        axum::routing::post(move |headers: HeaderMap, body: String| {
            let store = store.clone();
            async move {
                store.lock().unwrap().push((headers, body));
                "ok"
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/cb", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, seen)
}

/// Waits (at most 3 s) until `done` holds.
async fn wait_until(done: impl Fn() -> bool) {
    for _ in 0..150 {
        if done() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn verify_signature(key: &str, header: &str, body: &str) -> bool {
    let Some((t, v1)) = header.split_once(',') else { return false };
    let (t, v1) = (t.trim_start_matches("t="), v1.trim_start_matches("v1="));
    let mut mac = Hmac::<Sha256>::new_from_slice(key.as_bytes()).unwrap();
    mac.update(format!("{t}.{body}").as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes()) == v1
}

#[tokio::test]
async fn payment_lifecycle_with_signed_callback() {
    let sb = Sandbox::start(fast_config().eclipse_webhook_key("HelloWorld")).await.unwrap();
    let auth = bearer(&login(&sb).await);
    let (cb, seen) = callback_receiver().await;
    // Scan to Pay style: no amount at initiation; the update completes it.
    let r = send(
        &sb,
        &auth,
        reqwest::Method::POST,
        "/tenants/6658/customers/723689/payments",
        json!({
            "additionalFields": [{"id": "msisdn", "value": "27831234567"}],
            "callbackUrl": cb, "externalUniqueId": "abcd1234", "paymentData": "5_VD50",
            "type": "GLOBAL_VAS", "currency": "ZAR", "walletId": 830989
        }),
    )
    .await
    .unwrap();
    let v = body(r).await;
    assert_eq!(v["status"], "PENDING");
    let id = v["paymentId"].as_u64().unwrap();
    after_settle().await;
    let v = body(get(&sb, &auth, &format!("/tenants/6658/payments/{id}")).await).await;
    assert_eq!(v["status"], "PENDING", "no amount yet: it waits for the update");
    let r = send(
        &sb,
        &auth,
        reqwest::Method::PUT,
        &format!("/tenants/6658/payments/{id}"),
        json!({"amount": 155, "walletId": 830989, "landingUrl": "https://www.google.com/"}),
    )
    .await
    .unwrap();
    let text = r.text().await.unwrap();
    assert!(text.contains("\"amount\":155.000000000"), "{text}");
    assert!(text.contains("\"fee\":0E-9"), "{text}");
    after_settle().await;
    let v = body(get(&sb, &auth, &format!("/tenants/6658/payments/{id}")).await).await;
    assert_eq!(v["status"], "SUCCESSFUL");
    let list =
        body(get(&sb, &auth, "/tenants/6658/payments?externalUniqueId=abcd1234").await).await;
    assert_eq!(list[0]["paymentId"], id);
    wait_until(|| !seen.lock().unwrap().is_empty()).await;
    let calls = seen.lock().unwrap().clone();
    assert_eq!(calls.len(), 1);
    let (headers, body_text) = &calls[0];
    let signature = headers["eclipse-signature"].to_str().unwrap();
    assert!(verify_signature("HelloWorld", signature, body_text), "{signature}");
    let sent: Value = serde_json::from_str(body_text).unwrap();
    assert_eq!(
        (sent["paymentId"].as_u64(), sent["status"].as_str()),
        (Some(id), Some("SUCCESSFUL"))
    );
    let records = sb.eclipse_callbacks();
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].outcome, Ok(200));

    // A documented example URL is never called from a test.
    let r = send(&sb, &auth, reqwest::Method::POST, "/tenants/6658/customers/723689/payments", json!({
        "callbackUrl": "http://www.callback.com", "externalUniqueId": "ext-2", "paymentData": "19_KE-STARTIMES_1234567890",
        "type": "GLOBAL_VAS", "amount": 100, "currency": "KES", "walletId": 836788
    })).await.unwrap();
    assert_eq!(r.status(), 200);
    // Duplicate externalUniqueId.
    let r = send(&sb, &auth, reqwest::Method::POST, "/tenants/6658/customers/723689/payments", json!({
        "externalUniqueId": "ext-2", "paymentData": "19_KE-STARTIMES_1234567890", "type": "GLOBAL_VAS", "amount": 100
    })).await.unwrap();
    assert_eq!(r.status(), 409);
    wait_until(|| sb.eclipse_callbacks().len() >= 2).await;
    let records = sb.eclipse_callbacks();
    assert_eq!(records.len(), 2);
    assert!(records[1].outcome.is_err());
    assert_eq!(sb.count(Vendor::Eclipse, "initiate-payment"), 3);
    assert_eq!(sb.count(Vendor::Eclipse, "update-payment"), 1);
}

#[tokio::test]
async fn scenarios_error_and_unknown_but_successful() {
    let sb = Sandbox::start(
        SandboxConfig::default()
            .settle_after(Duration::from_millis(300))
            .timeout_delay(Duration::from_millis(700)),
    )
    .await
    .unwrap();
    let auth = bearer(&login(&sb).await);
    let pay = |ext: &str, msisdn: &str| {
        json!({"externalUniqueId": ext, "paymentData": "4_M512", "type": "GLOBAL_VAS", "amount": 49,
               "currency": "ZAR", "additionalFields": [{"id": "msisdn", "value": msisdn}], "walletId": 1})
    };
    let path = "/tenants/6658/customers/723689/payments";
    let failed = body(
        send(&sb, &auth, reqwest::Method::POST, path, pay("e1", "27830000001")).await.unwrap(),
    )
    .await;
    assert_eq!(failed["status"], "PENDING");
    assert!(send(&sb, &auth, reqwest::Method::POST, path, pay("e3", "27830000003")).await.is_err());
    assert_eq!(
        send(&sb, &auth, reqwest::Method::POST, path, pay("e4", "27830000004"))
            .await
            .unwrap()
            .status(),
        502
    );
    assert!(
        send(&sb, &auth, reqwest::Method::POST, path, pay("e5", "27830000005"))
            .await
            .unwrap_err()
            .is_timeout()
    );
    after_settle().await;
    let by_ext = |ext: &'static str| {
        let (sb, auth) = (&sb, &auth);
        async move {
            body(get(sb, auth, &format!("/tenants/6658/payments?externalUniqueId={ext}")).await)
                .await[0]["status"]
                .clone()
        }
    };
    assert_eq!(by_ext("e1").await, "ERROR");
    for ext in ["e3", "e4", "e5"] {
        assert_eq!(by_ext(ext).await, "SUCCESSFUL", "{ext}");
    }
}
