use std::time::Duration;

use serde_json::json;
use vas_sandbox::{Fault, Vendor};

use crate::vtpass::{pay_body, post, request_id};
use crate::{body, http, start};

fn status(v: &serde_json::Value) -> &str {
    v["content"]["transactions"]["status"].as_str().unwrap_or("")
}

#[tokio::test]
async fn bad_gateway_is_an_html_502_and_the_purchase_still_happens() {
    let sb = start().await;
    sb.set_fault(Vendor::Vtpass, Some(Fault::BadGateway));
    let id = request_id();
    let r =
        post(&sb, "pay", pay_body(&id, "spectranet", "1212121212", Some("vt-1000"))).await.unwrap();
    assert_eq!(r.status(), 502);
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    assert!(r.text().await.unwrap().contains("502 Bad Gateway"));
    // Other vendors are not affected.
    let g = http().get(format!("{}category", sb.base_url(Vendor::Gsubz))).send().await.unwrap();
    assert_eq!(g.status(), 200);
    sb.set_fault(Vendor::Vtpass, None);
    let v = body(post(&sb, "requery", json!({"request_id": id})).await.unwrap()).await;
    assert_eq!(status(&v), "delivered");
    assert_eq!(sb.count(Vendor::Vtpass, "pay"), 1);
}

#[tokio::test]
async fn truncated_body_is_cut_json_with_a_matching_length() {
    let sb = start().await;
    sb.set_fault(Vendor::Vtpass, Some(Fault::TruncatedBody));
    let id = request_id();
    let r =
        post(&sb, "pay", pay_body(&id, "spectranet", "1212121212", Some("vt-1000"))).await.unwrap();
    assert_eq!(r.status(), 200);
    let text = r.text().await.expect("a complete HTTP body");
    assert!(text.starts_with("{\"code\":\"000\""), "{text}");
    assert!(serde_json::from_str::<serde_json::Value>(&text).is_err());
    sb.set_fault(Vendor::Vtpass, None);
    let v = body(post(&sb, "requery", json!({"request_id": id})).await.unwrap()).await;
    assert_eq!(status(&v), "delivered");
}

#[tokio::test]
async fn drop_after_read_closes_without_an_answer_and_latency_delays() {
    let sb = start().await;
    sb.set_fault(Vendor::Gsubz, Some(Fault::DropAfterRead));
    let r = http()
        .post(format!("{}pay", sb.base_url(Vendor::Gsubz)))
        .bearer_auth(vas_sandbox::credentials::GSUBZ_API_KEY)
        .form(&[
            ("serviceID", "mtn"),
            ("amount", "100"),
            ("phone", "08031234567"),
            ("requestID", "77001"),
        ])
        .send()
        .await;
    let err = r.expect_err("dropped");
    assert!(!err.is_timeout() && !err.is_connect(), "{err:?}");
    sb.set_fault(Vendor::Gsubz, Some(Fault::Latency(Duration::from_millis(500))));
    let r = http()
        .post(format!("{}verify", sb.base_url(Vendor::Gsubz)))
        .bearer_auth(vas_sandbox::credentials::GSUBZ_API_KEY)
        .form(&[("requestID", "77001")])
        .send()
        .await;
    assert!(r.expect_err("slow").is_timeout());
    sb.set_fault(Vendor::Gsubz, None);
    let v = body(
        http()
            .post(format!("{}verify", sb.base_url(Vendor::Gsubz)))
            .bearer_auth(vas_sandbox::credentials::GSUBZ_API_KEY)
            .form(&[("requestID", "77001")])
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(v["status"], "TRANSACTION_SUCCESSFUL", "the dropped purchase went through: {v}");
    assert_eq!(sb.count(Vendor::Gsubz, "pay"), 1);
    assert_eq!(sb.count(Vendor::Gsubz, "verify"), 2);
}

#[tokio::test]
async fn unmatched_paths_are_counted_and_shutdown_stops_serving() {
    let sb = start().await;
    let base = sb.base_url(Vendor::Dtone);
    let r = http().get(format!("{base}/nowhere")).send().await.unwrap();
    assert_eq!(r.status(), 404);
    assert_eq!(sb.count(Vendor::Dtone, "unmatched"), 1);
    assert_eq!(sb.counts().get(&(Vendor::Dtone, "unmatched".to_string())), Some(&1));
    sb.shutdown().await;
    let err = http().get(format!("{base}/ping")).send().await.expect_err("stopped");
    assert!(err.is_connect(), "{err:?}");
}

#[tokio::test]
async fn fixed_ports_are_consecutive_in_vendor_order() {
    use vas_sandbox::{Sandbox, SandboxError};
    assert!(matches!(
        Sandbox::start_on_port(0, crate::fast_config()).await,
        Err(SandboxError::PortRange(0))
    ));
    assert!(matches!(
        Sandbox::start_on_port(65534, crate::fast_config()).await,
        Err(SandboxError::PortRange(65534))
    ));
    // Candidate ranges below Linux's ephemeral range (32768 and up), so that no outgoing
    // connection of a test running at the same time can hold one of the ports.
    let mut started = None;
    let mut errors = Vec::new();
    for first in (0..60u16).map(|i| 20_011 + i * 197) {
        match Sandbox::start_on_port(first, crate::fast_config()).await {
            Ok(sb) => {
                started = Some((first, sb));
                break;
            }
            Err(e) => errors.push(format!("{first}: {e}")),
        }
    }
    let (first, sb) = started.unwrap_or_else(|| panic!("no free port range: {errors:?}"));
    for (i, vendor) in Vendor::ALL.into_iter().enumerate() {
        assert_eq!(sb.addr(vendor).port(), first + i as u16);
    }
    assert_eq!(sb.base_url(Vendor::Vtpass), format!("http://127.0.0.1:{first}/api/"));
    assert_eq!(sb.base_url(Vendor::Eclipse), format!("http://127.0.0.1:{}", first + 1));
    assert_eq!(sb.base_url(Vendor::Dtone), format!("http://127.0.0.1:{}/v1.1", first + 2));
    assert_eq!(sb.base_url(Vendor::Gsubz), format!("http://127.0.0.1:{}/api/", first + 3));
    // A second sandbox cannot take the same ports.
    assert!(matches!(
        Sandbox::start_on_port(first, crate::fast_config()).await,
        Err(SandboxError::Bind { .. })
    ));
    sb.shutdown().await;
}
