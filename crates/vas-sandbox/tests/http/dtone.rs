use std::sync::atomic::{AtomicU64, Ordering};

use base64::Engine;
use hmac::{Hmac, KeyInit, Mac};
use serde_json::{Value, json};
use sha2::Sha256;
use vas_sandbox::{Sandbox, Vendor, credentials as c};

use crate::{after_settle, body, http, start};

static NONCE: AtomicU64 = AtomicU64::new(1_700_000_000_000_000);

fn signed(rb: reqwest::RequestBuilder, nonce: u64) -> reqwest::RequestBuilder {
    let nonce = nonce.to_string();
    let mut mac = Hmac::<Sha256>::new_from_slice(c::DTONE_API_SECRET.as_bytes()).unwrap();
    mac.update(format!("{}{nonce}", c::DTONE_API_KEY).as_bytes());
    let hmac = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
    rb.header("X-TransferTo-apikey", c::DTONE_API_KEY)
        .header("X-TransferTo-nonce", nonce)
        .header("X-TransferTo-hmac", hmac)
}

fn next() -> u64 {
    NONCE.fetch_add(1, Ordering::SeqCst)
}

async fn get(sb: &Sandbox, path: &str) -> reqwest::Response {
    signed(http().get(format!("{}{path}", sb.base_url(Vendor::Dtone))), next())
        .send()
        .await
        .unwrap()
}

async fn buy(sb: &Sandbox, kind: &str, body: Value) -> reqwest::Result<reqwest::Response> {
    signed(http().post(format!("{}/transactions/{kind}", sb.base_url(Vendor::Dtone))), next())
        .json(&body)
        .send()
        .await
}

#[tokio::test]
async fn hmac_and_nonce_are_checked() {
    let sb = start().await;
    let url = format!("{}/ping", sb.base_url(Vendor::Dtone));
    let n = next();
    let r = signed(http().get(&url), n).send().await.unwrap();
    assert_eq!(body(r).await, json!({"status": "up"}));
    let r = signed(http().get(&url), n).send().await.unwrap();
    assert_eq!(r.status(), 401, "a reused nonce is refused");
    assert_eq!(body(r).await["errors"][0]["code"], 1000401);
    let r = http()
        .get(&url)
        .header("X-TransferTo-apikey", c::DTONE_API_KEY)
        .header("X-TransferTo-nonce", next().to_string())
        .header("X-TransferTo-hmac", "bm90IGEgbWFj")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    assert_eq!(sb.count(Vendor::Dtone, "ping"), 3);
}

#[tokio::test]
async fn discovery_and_products_are_the_documented_examples() {
    let sb = start().await;
    let text = get(&sb, "/operators/1959/products").await.text().await.unwrap();
    assert_eq!(text, include_str!("../../../../fixtures/dtone/operator-products.response.json"));
    let v = body(get(&sb, "/countries/756/products").await).await;
    assert_eq!(v["fixed_value_recharges"][0]["product_id"], 64);
    let v = body(get(&sb, "/services/1/products").await).await;
    assert_eq!(v["fixed_value_recharges"][0]["service"], "television");
    let v = body(get(&sb, "/product/variable_value_recharges/1/suggested_values").await).await;
    assert_eq!(v["suggested_values"][0]["wholesale_price"], "0.14");
    let v = body(get(&sb, "/operators").await).await;
    assert_eq!(v["operators"][0]["operator_id"], 1959);
    assert_eq!(
        body(get(&sb, "/products/64/account_number/50212345678/status").await).await,
        json!({"verified": 1})
    );
    assert_eq!(
        body(get(&sb, "/products/64/account_number/50200000001/status").await).await,
        json!({"verified": 0})
    );
    let r = get(&sb, "/products/65/account_number/50212345678/status").await;
    assert_eq!(r.status(), 400);
    assert_eq!(body(r).await["errors"][0]["code"], 1000304);
    let r = get(&sb, "/operators/1/products").await;
    assert_eq!(r.status(), 404);
}

#[tokio::test]
async fn transactions_lookup_reuse_and_bad_input() {
    let sb = start().await;
    let ok = json!({"account_number": "50212345678", "product_id": 64, "external_id": "ext-ok-1", "simulation": 1});
    let r = buy(&sb, "fixed_value_recharges", ok.clone()).await.unwrap();
    assert_eq!(r.status(), 201);
    let v = body(r).await;
    assert_eq!(v["status"], "0");
    assert_eq!(v["external_id"], "ext-ok-1");
    assert_eq!(v["simulation"], 1);
    assert_eq!(v["wholesale_price"], 12.5);
    let looked = body(get(&sb, "/transactions/fixed_value_recharges/ext-ext-ok-1").await).await;
    assert_eq!(looked, v);

    let r = buy(&sb, "fixed_value_recharges", ok).await.unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(body(r).await["errors"][0]["code"], 1000990);

    for (bad, code) in [
        (json!({"product_id": 64, "external_id": "x1"}), 1000999),
        (json!({"account_number": "1", "product_id": "abc", "external_id": "x2"}), 1000999),
        (json!({"account_number": "1", "product_id": 64}), 1000999),
        (json!({"account_number": "1", "product_id": 999, "external_id": "x3"}), 1000301),
    ] {
        let r = buy(&sb, "fixed_value_recharges", bad).await.unwrap();
        assert_eq!(r.status(), 400);
        assert_eq!(body(r).await["errors"][0]["code"], code);
    }
    let r = buy(
        &sb,
        "fixed_value_vouchers",
        json!({"account_number": "1", "product_id": 64, "external_id": "x4"}),
    )
    .await
    .unwrap();
    assert_eq!(body(r).await["errors"][0]["code"], 1000303);

    // Failed: an error body now, a rejected status on lookup.
    let r = buy(
        &sb,
        "fixed_value_recharges",
        json!({"account_number": "50200000001", "product_id": 64, "external_id": "f1"}),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(
        body(get(&sb, "/transactions/fixed_value_recharges/ext-f1").await).await["status"],
        "1000214"
    );
    // Pending, then successful.
    let v = body(
        buy(
            &sb,
            "fixed_value_recharges",
            json!({"account_number": "50200000002", "product_id": 64, "external_id": "p1"}),
        )
        .await
        .unwrap(),
    )
    .await;
    assert_eq!(v["status"], "1");
    after_settle().await;
    assert_eq!(
        body(get(&sb, "/transactions/fixed_value_recharges/ext-p1").await).await["status"],
        "0"
    );
    // Unknown outcomes that were in fact successful.
    assert!(
        buy(
            &sb,
            "fixed_value_recharges",
            json!({"account_number": "50200000003", "product_id": 64, "external_id": "d1"})
        )
        .await
        .is_err()
    );
    let r = buy(
        &sb,
        "fixed_value_recharges",
        json!({"account_number": "50200000004", "product_id": 64, "external_id": "g1"}),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 502);
    for ext in ["d1", "g1"] {
        let v =
            body(get(&sb, &format!("/transactions/fixed_value_recharges/ext-{ext}")).await).await;
        assert_eq!(v["status"], "0", "{ext}");
    }
    let r = get(&sb, "/transactions/fixed_value_recharges/ext-never").await;
    assert_eq!(r.status(), 404);
    assert_eq!(body(r).await["errors"][0]["code"], 1000404);
}
