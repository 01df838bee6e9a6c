use std::sync::atomic::{AtomicU64, Ordering};

use rust_decimal::Decimal;
use serde_json::{Value, json};
use vas_sandbox::{Sandbox, Vendor, credentials as c};

use crate::{after_settle, body, http, start};

static SEQ: AtomicU64 = AtomicU64::new(0);

/// A request id in the documented form: `YYYYMMDDHHmm` (Lagos time) + a unique suffix.
pub fn request_id() -> String {
    let lagos = chrono::Utc::now() + chrono::Duration::hours(1);
    format!("{}sbx{}", lagos.format("%Y%m%d%H%M"), SEQ.fetch_add(1, Ordering::SeqCst))
}

fn url(sb: &Sandbox, path: &str) -> String {
    format!("{}{path}", sb.base_url(Vendor::Vtpass))
}

pub async fn post(sb: &Sandbox, path: &str, payload: Value) -> reqwest::Result<reqwest::Response> {
    http()
        .post(url(sb, path))
        .basic_auth(c::VTPASS_EMAIL, Some(c::VTPASS_PASSWORD))
        .json(&payload)
        .send()
        .await
}

pub fn pay_body(id: &str, service: &str, billers: &str, variation: Option<&str>) -> Value {
    let mut v = json!({"request_id": id, "serviceID": service, "billersCode": billers, "phone": "07061933309"});
    if let Some(code) = variation {
        v["variation_code"] = json!(code);
    } else {
        v["amount"] = json!(500);
    }
    v
}

async fn requery(sb: &Sandbox, id: &str) -> Value {
    body(post(sb, "requery", json!({"request_id": id})).await.expect("requery")).await
}

fn status(v: &Value) -> &str {
    v["content"]["transactions"]["status"].as_str().unwrap_or("")
}

#[tokio::test]
async fn variations_are_the_documented_examples_under_both_auth_schemes() {
    let sb = start().await;
    let basic = http()
        .get(url(&sb, "service-variations?serviceID=spectranet"))
        .basic_auth(c::VTPASS_EMAIL, Some(c::VTPASS_PASSWORD))
        .send()
        .await
        .unwrap();
    assert_eq!(basic.status(), 200);
    let text = basic.text().await.unwrap();
    assert_eq!(
        text,
        include_str!("../../../../fixtures/vtpass/spectranet-service-variations.response.json")
    );
    let keys = http()
        .get(url(&sb, "service-variations?serviceID=etisalat-data"))
        .header("api-key", c::VTPASS_API_KEY)
        .header("public-key", c::VTPASS_PUBLIC_KEY)
        .send()
        .await
        .unwrap();
    let v = body(keys).await;
    assert_eq!(v["content"]["varations"][0]["variation_code"], "eti-100");

    // A GET must carry the public key, a POST the secret key.
    let wrong = http()
        .get(url(&sb, "service-variations?serviceID=spectranet"))
        .header("api-key", c::VTPASS_API_KEY)
        .header("secret-key", c::VTPASS_SECRET_KEY)
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);
    assert_eq!(body(wrong).await["code"], "087");
    let wrong_pay = http()
        .post(url(&sb, "pay"))
        .header("api-key", c::VTPASS_API_KEY)
        .header("public-key", c::VTPASS_PUBLIC_KEY)
        .json(&pay_body(&request_id(), "spectranet", "1212121212", Some("vt-1000")))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong_pay.status(), 401);
    let ok_pay = http()
        .post(url(&sb, "pay"))
        .header("api-key", c::VTPASS_API_KEY)
        .header("secret-key", c::VTPASS_SECRET_KEY)
        .json(&pay_body(&request_id(), "spectranet", "1212121212", Some("vt-1000")))
        .send()
        .await
        .unwrap();
    assert_eq!(body(ok_pay).await["code"], "000");
    let bad_password = http()
        .get(url(&sb, "balance"))
        .basic_auth(c::VTPASS_EMAIL, Some("not-the-password"))
        .send()
        .await
        .unwrap();
    assert_eq!(bad_password.status(), 401);
    assert_eq!(sb.count(Vendor::Vtpass, "service-variations"), 3);
    assert_eq!(sb.count(Vendor::Vtpass, "pay"), 2);
    assert_eq!(sb.count(Vendor::Vtpass, "balance"), 1);
}

#[tokio::test]
async fn documented_scenarios_and_requery() {
    let sb = start().await;
    // Success: the documented shape, with the card.
    let ok = request_id();
    let v = body(
        post(&sb, "pay", pay_body(&ok, "spectranet", "1212121212", Some("vt-1000"))).await.unwrap(),
    )
    .await;
    assert_eq!(v["code"], "000");
    assert_eq!(status(&v), "delivered");
    assert_eq!(v["requestId"], ok.as_str());
    assert_eq!(v["amount"], "1000.00");
    assert_eq!(v["content"]["transactions"]["unit_price"], 1000);
    assert_eq!(v["content"]["transactions"]["commission"], json!(40));
    assert_eq!(v["content"]["transactions"]["total_amount"], json!(960));
    assert_eq!(v["transaction_date"]["timezone"], "Africa/Lagos");
    assert!(v["purchased_code"].as_str().unwrap().starts_with("PIN: "));
    assert_eq!(v["cards"].as_array().map(Vec::len), Some(1));
    assert_eq!(requery(&sb, &ok).await, v, "requery returns what pay decided");

    // 9mobile: the test number succeeds, any other fails.
    let nine = request_id();
    let v = body(
        post(&sb, "pay", pay_body(&nine, "etisalat-data", "08011111111", Some("eti-100")))
            .await
            .unwrap(),
    )
    .await;
    assert_eq!((v["code"].as_str(), status(&v)), (Some("000"), "delivered"));
    assert_eq!(v["amount"], "100.00");
    let nine_fail = request_id();
    let v = body(
        post(&sb, "pay", pay_body(&nine_fail, "etisalat-data", "08022222222", Some("eti-100")))
            .await
            .unwrap(),
    )
    .await;
    assert_eq!((v["code"].as_str(), status(&v)), (Some("016"), "failed"));
    assert_eq!(status(&requery(&sb, &nine_fail).await), "failed");

    // Any other Spectranet number fails.
    let failed = request_id();
    let v = body(
        post(&sb, "pay", pay_body(&failed, "spectranet", "123", Some("vt-2000"))).await.unwrap(),
    )
    .await;
    assert_eq!(v["code"], "016");

    // Pending turns delivered after the settle time.
    let pending = request_id();
    let v = body(
        post(&sb, "pay", pay_body(&pending, "spectranet", "201000000000", Some("vt-1000")))
            .await
            .unwrap(),
    )
    .await;
    assert_eq!((v["code"].as_str(), status(&v)), (Some("099"), "pending"));
    assert_eq!(status(&requery(&sb, &pending).await), "pending");
    after_settle().await;
    let v = requery(&sb, &pending).await;
    assert_eq!((v["code"].as_str(), status(&v)), (Some("000"), "delivered"));

    // Unexpected: a body that fits no documented code, but the purchase went through.
    let unexpected = request_id();
    let v = body(
        post(&sb, "pay", pay_body(&unexpected, "spectranet", "500000000000", Some("vt-1000")))
            .await
            .unwrap(),
    )
    .await;
    assert!(v.get("content").and_then(|c| c.get("transactions")).is_none(), "{v}");
    assert_ne!(v["code"], "000");
    assert_eq!(status(&requery(&sb, &unexpected).await), "delivered");

    // No response: the connection is closed without an answer; the purchase went through.
    let dropped = request_id();
    let err = post(&sb, "pay", pay_body(&dropped, "spectranet", "400000000000", Some("vt-1000")))
        .await
        .expect_err("no response");
    assert!(!err.is_timeout() && !err.is_connect(), "{err:?}");
    assert_eq!(status(&requery(&sb, &dropped).await), "delivered");

    // Timeout: the answer comes after the client gave up; the purchase went through.
    let slow = request_id();
    let err = post(&sb, "pay", pay_body(&slow, "spectranet", "300000000000", Some("vt-1000")))
        .await
        .expect_err("timeout");
    assert!(err.is_timeout(), "{err:?}");
    assert_eq!(status(&requery(&sb, &slow).await), "delivered");

    // Unknown request id.
    let v = requery(&sb, &request_id()).await;
    assert_eq!(v["code"], "015");
    assert_eq!(sb.count(Vendor::Vtpass, "pay"), 8);
}

#[tokio::test]
async fn duplicate_and_malformed_request_ids() {
    let sb = start().await;
    let id = request_id();
    let first = body(
        post(&sb, "pay", pay_body(&id, "spectranet", "1212121212", Some("vt-1000"))).await.unwrap(),
    )
    .await;
    assert_eq!(first["code"], "000");
    let again =
        body(post(&sb, "pay", pay_body(&id, "spectranet", "123", Some("vt-2000"))).await.unwrap())
            .await;
    assert_eq!(again["code"], "014");
    assert_eq!(requery(&sb, &id).await, first, "the duplicate changed nothing");

    for bad in ["12345", "2024130112000abc", "abcdefghijklmnop", "202401011200-x"] {
        let v = body(
            post(&sb, "pay", pay_body(bad, "spectranet", "1212121212", Some("vt-1000")))
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(v["code"], "085", "{bad}");
    }
    let v = body(
        post(&sb, "pay", pay_body(&request_id(), "spectranet", "1212121212", Some("vt-9")))
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(v["code"], "010");
    let v =
        body(post(&sb, "pay", pay_body(&request_id(), "nope", "1212121212", None)).await.unwrap())
            .await;
    assert_eq!(v["code"], "012");
    let v = body(
        post(
            &sb,
            "pay",
            pay_body(&request_id(), "mtn", "08011111111", None)
                .as_object()
                .map(|m| {
                    let mut m = m.clone();
                    m.insert("amount".into(), json!(10));
                    Value::Object(m)
                })
                .unwrap(),
        )
        .await
        .unwrap(),
    )
    .await;
    assert_eq!(v["code"], "013");
}

#[tokio::test]
async fn merchant_verify_test_numbers() {
    let sb = start().await;
    let verify = |service: &str, number: &str, kind: &str| {
        let payload = json!({"billersCode": number, "serviceID": service, "type": kind});
        let sb = &sb;
        async move { body(post(sb, "merchant-verify", payload).await.unwrap()).await }
    };
    let v = verify("dstv", "1212121212", "").await;
    assert_eq!(v["code"], "000");
    assert!(v["content"]["Customer_Name"].is_string());
    let v = verify("dstv", "1111111111", "").await;
    assert!(v["content"]["error"].is_string());
    let v = verify("ikeja-electric", "1111111111111", "prepaid").await;
    assert_eq!(v["content"]["Meter_Type"], "PREPAID");
    let v = verify("ikeja-electric", "1010101010101", "postpaid").await;
    assert_eq!(v["content"]["Meter_Type"], "POSTPAID");
    let v = verify("ikeja-electric", "1010101010101", "prepaid").await;
    assert!(v["content"]["error"].is_string());
    assert_eq!(sb.count(Vendor::Vtpass, "merchant-verify"), 5);
}

async fn balance(sb: &Sandbox) -> Decimal {
    let v = body(
        http()
            .get(url(sb, "balance"))
            .header("api-key", c::VTPASS_API_KEY)
            .header("public-key", c::VTPASS_PUBLIC_KEY)
            .send()
            .await
            .unwrap(),
    )
    .await;
    v["contents"]["balance"].to_string().parse().expect("a number")
}

#[tokio::test]
async fn balance_goes_down_by_each_purchase_and_not_by_failures() {
    let sb = start().await;
    let start_balance = balance(&sb).await;
    post(&sb, "pay", pay_body(&request_id(), "spectranet", "1212121212", Some("vt-1000")))
        .await
        .unwrap();
    assert_eq!(balance(&sb).await, start_balance - Decimal::from(960));
    post(&sb, "pay", pay_body(&request_id(), "spectranet", "99", Some("vt-1000"))).await.unwrap();
    assert_eq!(balance(&sb).await, start_balance - Decimal::from(960));
    post(&sb, "pay", pay_body(&request_id(), "etisalat-data", "08011111111", Some("eti-200")))
        .await
        .unwrap();
    assert_eq!(balance(&sb).await, start_balance - Decimal::from(960 + 192));
}
