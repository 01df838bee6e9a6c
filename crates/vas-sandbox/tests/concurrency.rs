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
