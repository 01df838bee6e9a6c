use serde_json::Value;
use vas_sandbox::{Sandbox, Vendor, credentials as c};

use crate::{after_settle, body, http, start};

async fn form(sb: &Sandbox, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    http()
        .post(format!("{}{path}", sb.base_url(Vendor::Gsubz)))
        .bearer_auth(c::GSUBZ_API_KEY)
        .form(fields)
        .send()
        .await
        .expect("sent")
}

async fn pay(sb: &Sandbox, id: &str, phone: &str) -> reqwest::Result<reqwest::Response> {
    http()
        .post(format!("{}pay", sb.base_url(Vendor::Gsubz)))
        .bearer_auth(c::GSUBZ_API_KEY)
        .form(&[("serviceID", "mtn"), ("amount", "100"), ("phone", phone), ("requestID", id)])
        .send()
        .await
}

async fn verify(sb: &Sandbox, id: &str) -> Value {
    body(form(sb, "verify", &[("requestID", id)]).await).await
}

#[tokio::test]
async fn catalog_is_the_documented_examples() {
    let sb = start().await;
    let base = sb.base_url(Vendor::Gsubz);
    let get = |path: &str| http().get(format!("{base}{path}")).send();
    let text = get("category").await.unwrap().text().await.unwrap();
    assert_eq!(text, include_str!("../../../../fixtures/gsubz/category.response.json"));
    let v = body(get("plans?service=mtn_cg").await.unwrap()).await;
    assert_eq!(v["PlanName"], "plan");
    let v = body(get("fields?service=mtn").await.unwrap()).await;
    assert_eq!(v["field"][0]["name"], "amount");
    let v = body(get("service?service=mtn").await.unwrap()).await;
    assert_eq!(v["service"], "MTN Airtime");
    let v = body(get("variation?service=gotv&value=gotv-plus").await.unwrap()).await;
    assert_eq!(v["plans"][0]["price"], "100");
    let v = body(get("plans?service=nothing").await.unwrap()).await;
    assert_eq!(v["code"], 404);
    assert_eq!(sb.count(Vendor::Gsubz, "plans"), 2);
}

#[tokio::test]
async fn bearer_key_is_checked_and_form_key_accepted() {
    let sb = start().await;
    let r = http()
        .post(format!("{}pay", sb.base_url(Vendor::Gsubz)))
        .bearer_auth("ap_wrong")
        .form(&[
            ("serviceID", "mtn"),
            ("amount", "100"),
            ("phone", "08030000000"),
            ("requestID", "1"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    assert_eq!(body(r).await["status"], "AUTHORIZATION_FAILED");
    let r = http()
        .post(format!("{}balance/", sb.base_url(Vendor::Gsubz)))
        .form(&[("api", c::GSUBZ_API_KEY)])
        .send()
        .await
        .unwrap();
    assert_eq!(body(r).await["balance"], "10000000");
    assert_eq!(verify(&sb, "1").await["code"], 404, "the refused purchase was not recorded");
}

#[tokio::test]
async fn scenarios_duplicates_and_balance() {
    let sb = start().await;
    let v = body(pay(&sb, "5001", "08031234567").await.unwrap()).await;
    assert_eq!(
        (v["code"].as_i64(), v["status"].as_str()),
        (Some(200), Some("TRANSACTION_SUCCESSFUL"))
    );
    assert_eq!(v["content"]["requestID"], "5001");
    assert_eq!(v["content"]["amount"], 100);
    assert_eq!(v["content"]["code"], "000");

    // Failed: HTTP 200 with a failed status.
    let r = pay(&sb, "5002", "08000000001").await.unwrap();
    assert_eq!(r.status(), 200);
    let failed = body(r).await;
    assert_eq!(failed["status"], "TRANSACTION_FAILED");
    assert_eq!(failed["content"]["code"], "016");

    // Duplicate: 406 with the original result.
    let r = pay(&sb, "5002", "08031234567").await.unwrap();
    assert_eq!(r.status(), 406);
    let mut original = failed.clone();
    original["code"] = 406.into();
    assert_eq!(body(r).await, original);

    // Pending, then successful.
    let v = body(pay(&sb, "5003", "08000000002").await.unwrap()).await;
    assert_eq!(v["status"], "TRANSACTION_PENDING");
    after_settle().await;
    assert_eq!(verify(&sb, "5003").await["status"], "TRANSACTION_SUCCESSFUL");

    // Unknown outcomes that were in fact successful.
    let r = pay(&sb, "5004", "08000000003").await;
    assert!(r.is_err());
    let r = pay(&sb, "5005", "08000000004").await.unwrap();
    assert_eq!(r.status(), 502);
    let r = pay(&sb, "5006", "08000000005").await;
    assert!(r.expect_err("slow").is_timeout());
    for id in ["5004", "5005", "5006"] {
        assert_eq!(verify(&sb, id).await["status"], "TRANSACTION_SUCCESSFUL", "{id}");
    }
    // Five charged purchases of 100 each; the failed one is not charged.
    let v = body(form(&sb, "balance", &[]).await).await;
    assert_eq!(v["content"]["balance"], "9999500");

    // Fixed-price plan from the documented plans, and the test endpoints.
    let v = body(
        form(
            &sb,
            "testpay",
            &[
                ("serviceID", "gotv"),
                ("plan", "gotv-plus"),
                ("customerID", "7017725579"),
                ("phone", "09012345678"),
                ("requestID", "5007"),
            ],
        )
        .await,
    )
    .await;
    assert_eq!(v["content"]["amount"], 100);
    assert_eq!(v["content"]["productType"], "fix");
    assert_eq!(
        body(form(&sb, "testverfy", &[("requestID", "5007")]).await).await["status"],
        "TRANSACTION_SUCCESSFUL"
    );
    assert_eq!(verify(&sb, "5007").await["code"], 404, "test payments are a ledger of their own");
    assert_eq!(sb.count(Vendor::Gsubz, "pay"), 7);
    assert_eq!(sb.count(Vendor::Gsubz, "testpay"), 1);
}
