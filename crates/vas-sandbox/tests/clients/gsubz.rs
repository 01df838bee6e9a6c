use std::time::Duration;

use gsubz_client::{ApiVersion, Client, ConfirmOptions, Decimal, Outcome, PayRequest};
use vas_sandbox::{Sandbox, Vendor, credentials as c};

use crate::{CLIENT_TIMEOUT, start};

/// Status queries every 60 ms for at most 3 s.
fn options() -> ConfirmOptions {
    let defaults = ConfirmOptions::default();
    ConfirmOptions::new(
        defaults.backoff.max_delay(Duration::from_millis(60)).no_jitter(),
        Duration::from_secs(3),
    )
}

fn client(sb: &Sandbox, version: ApiVersion, sandbox_paths: bool) -> Client {
    Client::builder(c::GSUBZ_API_KEY.to_string())
        .api_version(version)
        .base_url(sb.base_url(Vendor::Gsubz))
        .sandbox(sandbox_paths)
        .timeout(CLIENT_TIMEOUT)
        .build()
        .unwrap()
}

/// The phone numbers of the sandbox's scenarios and the outcome each must end in.
const SCENARIOS: [(&str, &str, Outcome, u32); 6] = [
    ("07031234567", "success", Outcome::Delivered, 0),
    ("08000000001", "failed", Outcome::Failed, 0),
    ("08000000002", "pending, then successful", Outcome::Delivered, 1),
    ("08000000003", "connection dropped, in fact successful", Outcome::Delivered, 1),
    ("08000000004", "502 page, in fact successful", Outcome::Delivered, 1),
    ("08000000005", "timeout, in fact successful", Outcome::Delivered, 1),
];

async fn whole_flow(version: ApiVersion, sandbox_paths: bool) {
    let sb = start().await;
    let client = client(&sb, version, sandbox_paths);
    let (pay, verify) = if sandbox_paths { ("testpay", "testverfy") } else { ("pay", "verify") };

    // Catalog.
    let categories = client.categories().await.unwrap();
    assert_eq!(categories.len(), 5);
    let plans = client.plans("mtn_cg").await.unwrap();
    let plan = plans.find("213").expect("the documented 1GB plan");
    assert_eq!(plan.price(), Decimal::from(245));
    let gotv = client.variation("gotv", "gotv-plus").await.unwrap();
    assert_eq!(gotv.plans.len(), 1);
    let fields = client.fields("mtn").await.unwrap();

    let balance_before = client.balance().await.unwrap().amount().expect("a balance");

    // A fixed-price plan, then the flexible scenarios.
    let request = PayRequest::for_plan("mtn_cg", &plans, plan, "07031234567").build().unwrap();
    let done = client.purchase_and_confirm(&request, &options()).await.unwrap();
    assert_eq!(done.outcome, Outcome::Delivered);
    let mut charged = Decimal::from(245);
    for (phone, name, expected, min_queries) in SCENARIOS {
        let request = PayRequest::flexible("mtn", phone, Decimal::from(100)).build().unwrap();
        let done = if phone == "07031234567" {
            let tx = client.pay_checked(&request, &fields).await.unwrap();
            assert_eq!(tx.outcome, Outcome::Delivered);
            // Sending the same requestID again is answered 406 with the original purchase.
            let again = client.purchase_and_confirm(&request, &options()).await;
            assert!(again.as_ref().is_ok_and(|d| d.payment.is_duplicate()), "{name}");
            again
        } else {
            client.purchase_and_confirm(&request, &options()).await
        }
        .unwrap();
        assert_eq!(done.outcome, expected, "{name}: {:?}", done.transaction());
        assert!(done.status_queries >= min_queries, "{name}");
        assert_eq!(&done.request_id, request.request_id());
        let status = client.verify(request.request_id()).await.unwrap();
        assert_eq!(status.outcome, expected, "{name}: status query");
        if expected == Outcome::Delivered {
            charged += Decimal::from(100);
        }
    }
    // One purchase per request id (the success one was sent twice on purpose), whatever
    // happened to the answers.
    assert_eq!(sb.count(Vendor::Gsubz, pay), 1 + SCENARIOS.len() as u64 + 1);
    assert!(sb.count(Vendor::Gsubz, verify) >= 4 + SCENARIOS.len() as u64);

    let balance_after = client.balance().await.unwrap().amount().unwrap();
    if sandbox_paths {
        assert_eq!(balance_after, balance_before, "test payments are not charged");
    } else {
        assert_eq!(balance_before - balance_after, charged);
    }
}

#[tokio::test]
async fn whole_flow_current_api_live_paths() {
    whole_flow(ApiVersion::Current, false).await;
}

#[tokio::test]
async fn whole_flow_legacy_api_test_paths() {
    whole_flow(ApiVersion::Legacy, true).await;
}

/// Under each fault the purchase goes through but no answer can be read: the client must not
/// call it final (never failed, never paid twice), and a status query once the fault is gone
/// finds it delivered.
#[tokio::test]
async fn faults_leave_the_purchase_unsettled_never_failed_nor_repeated() {
    use vas_sandbox::Fault;
    let sb = start().await;
    let client = Client::builder(c::GSUBZ_API_KEY.to_string())
        .base_url(sb.base_url(Vendor::Gsubz))
        .timeout(CLIENT_TIMEOUT)
        .read_retries(0)
        .build()
        .unwrap();
    let short = ConfirmOptions::new(options().backoff, Duration::from_millis(300));
    let faults = [
        Fault::BadGateway,
        Fault::TruncatedBody,
        Fault::DropAfterRead,
        Fault::Latency(CLIENT_TIMEOUT * 2),
    ];
    for (n, fault) in faults.into_iter().enumerate() {
        sb.set_fault(Vendor::Gsubz, Some(fault.clone()));
        let request =
            PayRequest::flexible("mtn", "07031234567", Decimal::from(100)).build().unwrap();
        let done = client.purchase_and_confirm(&request, &short).await.unwrap();
        assert!(!done.outcome.is_final(), "{fault:?}: {:?}", done.transaction());
        assert_eq!(sb.count(Vendor::Gsubz, "pay"), n as u64 + 1, "{fault:?}: paid once");
        sb.set_fault(Vendor::Gsubz, None);
        let status = client.verify(request.request_id()).await.unwrap();
        assert_eq!(status.outcome, Outcome::Delivered, "{fault:?}");
    }
}
