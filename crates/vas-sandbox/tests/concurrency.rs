//! The sandbox under load: 2,000 purchases in flight at once keep their own state. A binary
//! of its own, so that its load does not slow the timing-sensitive tests.

use std::sync::Arc;
use std::time::Duration;

use serde_json::json;
use vas_sandbox::{Sandbox, SandboxConfig, Vendor, credentials as c};

/// 2,000 purchases in flight at once, a third each succeeding, failing and pending: every
/// requery must return its own purchase's outcome and details.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_thousand_concurrent_purchases_keep_their_own_outcome() {
    const N: usize = 2000;
    let sb = Arc::new(
        Sandbox::start(SandboxConfig::default().settle_after(Duration::from_secs(60)))
            .await
            .unwrap(),
    );
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .pool_max_idle_per_host(N)
        .build()
        .unwrap();
    let url = sb.base_url(Vendor::Vtpass);
    let prefix = (chrono::Utc::now() + chrono::Duration::hours(1)).format("%Y%m%d%H%M").to_string();
    let case = |i: usize| -> (String, &'static str, &'static str) {
        let id = format!("{prefix}conc{i:05}");
        match i % 3 {
            0 => (id, "1212121212", "delivered"),
            1 => (id, "7000000000", "failed"),
            _ => (id, "201000000000", "pending"),
        }
    };
    let barrier = Arc::new(tokio::sync::Barrier::new(N));
    let mut tasks = Vec::with_capacity(N);
    for i in 0..N {
        let (client, url, barrier) = (client.clone(), url.clone(), barrier.clone());
        let (id, number, _) = case(i);
        tasks.push(tokio::spawn(async move {
            barrier.wait().await;
            let payload = json!({
                "request_id": id, "serviceID": "spectranet", "billersCode": number,
                "variation_code": if i % 2 == 0 { "vt-1000" } else { "vt-2000" },
                "phone": format!("070{i:08}"),
            });
            let r = client
                .post(format!("{url}pay"))
                .basic_auth(c::VTPASS_EMAIL, Some(c::VTPASS_PASSWORD))
                .json(&payload)
                .send()
                .await
                .expect("pay sent");
            r.json::<serde_json::Value>().await.expect("pay answer")
        }));
    }
    for (i, t) in tasks.into_iter().enumerate() {
        let v = t.await.unwrap();
        let (id, number, outcome) = case(i);
        assert_eq!(v["requestId"], id.as_str());
        assert_eq!(v["content"]["transactions"]["status"], outcome);
        assert_eq!(v["content"]["transactions"]["unique_element"], number);
    }
    let mut tasks = Vec::with_capacity(N);
    for i in 0..N {
        let (client, url) = (client.clone(), url.clone());
        let (id, _, _) = case(i);
        tasks.push(tokio::spawn(async move {
            client
                .post(format!("{url}requery"))
                .basic_auth(c::VTPASS_EMAIL, Some(c::VTPASS_PASSWORD))
                .json(&json!({"request_id": id}))
                .send()
                .await
                .expect("requery sent")
                .json::<serde_json::Value>()
                .await
                .expect("requery answer")
        }));
    }
    let mut ids = std::collections::HashSet::new();
    for (i, t) in tasks.into_iter().enumerate() {
        let v = t.await.unwrap();
        let (id, number, outcome) = case(i);
        assert_eq!(v["requestId"], id.as_str());
        let tx = &v["content"]["transactions"];
        assert_eq!(tx["status"], outcome);
        assert_eq!(tx["unique_element"], number);
        assert_eq!(tx["phone"], format!("070{i:08}"));
        assert_eq!(v["amount"], if i % 2 == 0 { "1000.00" } else { "2000.00" });
        assert!(ids.insert(tx["transactionId"].as_str().unwrap().to_string()), "unique ids");
    }
    assert_eq!(sb.count(Vendor::Vtpass, "pay"), N as u64);
    assert_eq!(sb.count(Vendor::Vtpass, "requery"), N as u64);
}

/// 2,000 purchases at once spread over the four vendors (500 each, a third each succeeding,
/// failing and pending where the vendor has a pending state): every status query returns its
/// own purchase, with its own outcome and details.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_thousand_concurrent_purchases_across_the_four_vendors() {
    use base64::Engine;
    use hmac::{Hmac, KeyInit, Mac};
    use sha2::Sha256;
    use std::sync::atomic::{AtomicU64, Ordering};

    const PER_VENDOR: usize = 500;
    // Settling at once makes every final state observable right after the purchases.
    let sb = Arc::new(
        Sandbox::start(SandboxConfig::default().settle_after(Duration::ZERO)).await.unwrap(),
    );
    let client = reqwest::Client::builder().timeout(Duration::from_secs(60)).build().unwrap();
    let nonce = Arc::new(AtomicU64::new(1_800_000_000_000_000));
    let signed = {
        let nonce = nonce.clone();
        move |rb: reqwest::RequestBuilder| {
            let n = nonce.fetch_add(1, Ordering::SeqCst).to_string();
            let mut mac = Hmac::<Sha256>::new_from_slice(c::DTONE_API_SECRET.as_bytes()).unwrap();
            mac.update(format!("{}{n}", c::DTONE_API_KEY).as_bytes());
            let h = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
            rb.header("X-TransferTo-apikey", c::DTONE_API_KEY)
                .header("X-TransferTo-nonce", n)
                .header("X-TransferTo-hmac", h)
        }
    };
    let eclipse_auth = {
        let v: serde_json::Value = client
            .post(format!(
                "{}/eclipse-conductor/rest/v1/authentication/login",
                sb.base_url(Vendor::Eclipse)
            ))
            .json(&json!({"identity": c::ECLIPSE_IDENTITY, "password": c::ECLIPSE_PASSWORD}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        v["headerValue"].as_str().unwrap().to_string()
    };
    let prefix = (chrono::Utc::now() + chrono::Duration::hours(1)).format("%Y%m%d%H%M").to_string();
    // The number of purchase `i`: its last six digits pick the scenario (0 success, 1 failed,
    // 2 pending), the rest make it unique.
    let number = |i: usize| match i % 3 {
        0 => format!("08{i:04}123456"),
        1 => format!("08{i:04}000001"),
        _ => format!("08{i:04}000002"),
    };
    // VTpass has its own documented numbers: the success number, any other (failed), and the
    // pending one.
    let vtpass_number = |i: usize, n: &str| match i % 3 {
        0 => "08011111111".to_string(),
        1 => n.to_string(),
        _ => "201000000000".to_string(),
    };
    let barrier = Arc::new(tokio::sync::Barrier::new(4 * PER_VENDOR));
    let mut tasks = Vec::with_capacity(4 * PER_VENDOR);
    for vendor in Vendor::ALL {
        for i in 0..PER_VENDOR {
            let (client, barrier, sb, signed) =
                (client.clone(), barrier.clone(), sb.clone(), signed.clone());
            let (auth, number, prefix) = (eclipse_auth.clone(), number(i), prefix.clone());
            tasks.push(tokio::spawn(async move {
                barrier.wait().await;
                let base = sb.base_url(vendor);
                let request = match vendor {
                    Vendor::Vtpass => client
                        .post(format!("{base}pay"))
                        .basic_auth(c::VTPASS_EMAIL, Some(c::VTPASS_PASSWORD))
                        .json(&json!({"request_id": format!("{prefix}mix{i:05}"), "serviceID": "mtn", "amount": 100 + i, "phone": vtpass_number(i, &number)})),
                    Vendor::Gsubz => client
                        .post(format!("{base}pay"))
                        .bearer_auth(c::GSUBZ_API_KEY)
                        .form(&[("serviceID", "mtn".to_string()), ("amount", (100 + i).to_string()), ("phone", number), ("requestID", format!("mix{i}"))]),
                    Vendor::Dtone => signed(client.post(format!("{base}/transactions/fixed_value_recharges")))
                        .json(&json!({"account_number": number, "product_id": 64, "external_id": format!("mix{i}")})),
                    Vendor::Eclipse => client
                        .post(format!("{base}/eclipse-conductor/rest/v1/tenants/6658/customers/723689/payments"))
                        .header("Authorization", auth)
                        .json(&json!({"externalUniqueId": format!("mix{i}"), "paymentData": "4_M512", "type": "GLOBAL_VAS",
                                      "amount": 100 + i, "additionalFields": [{"id": "msisdn", "value": number}]})),
                };
                request.send().await.expect("purchase sent").status().as_u16()
            }));
        }
    }
    for t in tasks {
        let status = t.await.unwrap();
        assert!(matches!(status, 200 | 201 | 400), "{status}");
    }

    for i in 0..PER_VENDOR {
        let n = number(i);
        let scenario = i % 3;
        // VTpass: requery by request_id.
        let v: serde_json::Value = client
            .post(format!("{}requery", sb.base_url(Vendor::Vtpass)))
            .basic_auth(c::VTPASS_EMAIL, Some(c::VTPASS_PASSWORD))
            .json(&json!({"request_id": format!("{prefix}mix{i:05}")}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let expected = if scenario == 1 { "failed" } else { "delivered" };
        assert_eq!(v["content"]["transactions"]["status"], expected, "vtpass {i}");
        assert_eq!(v["content"]["transactions"]["unique_element"], vtpass_number(i, &n));
        assert_eq!(v["content"]["transactions"]["amount"], json!(100 + i));
        // GSUBZ: verify by requestID.
        let v: serde_json::Value = client
            .post(format!("{}verify", sb.base_url(Vendor::Gsubz)))
            .bearer_auth(c::GSUBZ_API_KEY)
            .form(&[("requestID", format!("mix{i}"))])
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let expected = if scenario == 1 { "TRANSACTION_FAILED" } else { "TRANSACTION_SUCCESSFUL" };
        assert_eq!(v["status"], expected, "gsubz {i}");
        assert_eq!(
            (v["content"]["phone"].as_str(), v["content"]["amount"].clone()),
            (Some(n.as_str()), json!(100 + i))
        );
        // DT One: lookup by external id.
        let v: serde_json::Value = signed(client.get(format!(
            "{}/transactions/fixed_value_recharges/ext-mix{i}",
            sb.base_url(Vendor::Dtone)
        )))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
        assert_eq!(v["status"], if scenario == 1 { "1000214" } else { "0" }, "dtone {i}");
        assert_eq!(v["account_number"], n.as_str());
        // Eclipse: list by externalUniqueId.
        let v: serde_json::Value = client
            .get(format!(
                "{}/eclipse-conductor/rest/v1/tenants/6658/payments",
                sb.base_url(Vendor::Eclipse)
            ))
            .query(&[("externalUniqueId", format!("mix{i}"))])
            .header("Authorization", &eclipse_auth)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(v.as_array().map(Vec::len), Some(1));
        assert_eq!(
            v[0]["status"],
            if scenario == 1 { "ERROR" } else { "SUCCESSFUL" },
            "eclipse {i}"
        );
        assert_eq!(v[0]["additionalFields"][0]["value"], n.as_str());
    }
    assert_eq!(sb.count(Vendor::Vtpass, "pay"), PER_VENDOR as u64);
    assert_eq!(sb.count(Vendor::Gsubz, "pay"), PER_VENDOR as u64);
    assert_eq!(sb.count(Vendor::Dtone, "transactions"), PER_VENDOR as u64);
    assert_eq!(sb.count(Vendor::Eclipse, "initiate-payment"), PER_VENDOR as u64);
}
