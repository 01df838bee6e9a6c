use std::time::Duration;

use dtone_gs::{
    AccountVerification, Client, ConfirmOptions, CountryProductsFilter, Error, ErrorCode, Outcome,
    ProductCategory, TransactionRequest, generate_external_id,
};
use vas_sandbox::{Vendor, credentials as c};

use crate::{CLIENT_TIMEOUT, start};

/// Lookups every 60 ms for at most 3 s.
fn options() -> ConfirmOptions {
    let defaults = ConfirmOptions::default();
    ConfirmOptions {
        backoff: defaults.backoff.max_delay(Duration::from_millis(60)).no_jitter(),
        deadline: Duration::from_secs(3),
    }
}

/// The account numbers of the sandbox's scenarios and the outcome each must end in.
const SCENARIOS: [(&str, &str, Outcome, bool); 6] = [
    ("50212345678", "success", Outcome::Delivered, false),
    ("50200000001", "rejected", Outcome::Failed, false),
    ("50200000002", "pending, then successful", Outcome::Delivered, true),
    ("50200000003", "connection dropped, in fact successful", Outcome::Delivered, true),
    ("50200000004", "502 page, in fact successful", Outcome::Delivered, true),
    ("50200000005", "timeout, in fact successful", Outcome::Delivered, true),
];

#[tokio::test]
async fn whole_flow_for_every_scenario() {
    let sb = start().await;
    let client = Client::builder()
        .credentials(c::DTONE_API_KEY, c::DTONE_API_SECRET)
        .base_url(sb.base_url(Vendor::Dtone))
        .timeout(CLIENT_TIMEOUT)
        .build()
        .unwrap();

    // Discovery and catalog.
    assert!(client.ping().await.unwrap().is_up());
    assert_eq!(client.services().await.unwrap().services[0].service_id, 1);
    assert_eq!(client.countries().await.unwrap().countries[0].country_id, 756);
    assert_eq!(client.operators().await.unwrap().operators[0].operator_id, 1959);
    let products = client.operator_products(1959).await.unwrap();
    let ids: Vec<u64> = products.iter().map(|p| p.product_id).collect();
    assert_eq!(ids, [64, 65]);
    let country = client.country_products(756, CountryProductsFilter::default()).await.unwrap();
    assert_eq!(country.iter().count(), 1);
    let suggested = client.suggested_values(1).await.unwrap();
    assert_eq!(suggested.suggested_values.len(), 2);

    // Verify.
    assert_eq!(
        client.verify_account_number(64, "50212345678").await.unwrap(),
        AccountVerification::Valid
    );
    assert_eq!(
        client.verify_account_number(64, "50200000001").await.unwrap(),
        AccountVerification::Invalid
    );
    assert!(matches!(
        client.verify_account_number(65, "50212345678").await.unwrap(),
        AccountVerification::NotAvailable { .. }
    ));

    // Purchase and status, one per scenario.
    for (account, name, expected, looked_up) in SCENARIOS {
        let external_id = generate_external_id();
        let request = TransactionRequest::fixed_value_recharge(64, account, &external_id);
        let done = client.purchase_and_confirm(&request, &options()).await.unwrap();
        assert_eq!(done.outcome, expected, "{name}: {done:?}");
        assert_eq!(done.lookups > 0, looked_up, "{name}: {done:?}");
        assert_eq!(done.external_id, external_id);
        let tx = client
            .transaction_by_external_id(ProductCategory::FixedValueRecharges, &external_id)
            .await
            .unwrap();
        assert_eq!(tx.outcome(), expected, "{name}: lookup");
    }
    assert_eq!(sb.count(Vendor::Dtone, "transactions"), SCENARIOS.len() as u64);

    // A reused external id is refused with 1000990 and buys nothing.
    let external_id = generate_external_id();
    let request = TransactionRequest::fixed_value_recharge(64, "50212345678", &external_id);
    client.create_transaction(&request).await.unwrap();
    match client.create_transaction(&request).await {
        Err(Error::Vendor { errors, .. }) => {
            assert_eq!(errors[0].code, ErrorCode::from_code(1000990));
        }
        other => panic!("expected the reused external id to be refused: {other:?}"),
    }
    // An unknown external id.
    let missing =
        client.transaction_by_external_id(ProductCategory::FixedValueRecharges, "never-sent").await;
    assert!(matches!(missing, Err(Error::Vendor { .. })), "{missing:?}");
}

/// Under each fault the purchase goes through but no answer can be read: the client must not
/// call it final (never failed, never bought twice), and a lookup once the fault is gone finds
/// it delivered.
#[tokio::test]
async fn faults_leave_the_purchase_unsettled_never_failed_nor_repeated() {
    use vas_sandbox::Fault;
    let sb = start().await;
    let client = Client::builder()
        .credentials(c::DTONE_API_KEY, c::DTONE_API_SECRET)
        .base_url(sb.base_url(Vendor::Dtone))
        .timeout(CLIENT_TIMEOUT)
        .read_retries(0)
        .build()
        .unwrap();
    let short = ConfirmOptions { deadline: Duration::from_millis(300), ..options() };
    let faults = [
        Fault::BadGateway,
        Fault::TruncatedBody,
        Fault::DropAfterRead,
        Fault::Latency(CLIENT_TIMEOUT * 2),
    ];
    for (n, fault) in faults.into_iter().enumerate() {
        sb.set_fault(Vendor::Dtone, Some(fault.clone()));
        let external_id = generate_external_id();
        let request = TransactionRequest::fixed_value_recharge(64, "50212345678", &external_id);
        let done = client.purchase_and_confirm(&request, &short).await.unwrap();
        assert!(!done.outcome.is_final(), "{fault:?}: {done:?}");
        assert_eq!(sb.count(Vendor::Dtone, "transactions"), n as u64 + 1, "{fault:?}: bought once");
        sb.set_fault(Vendor::Dtone, None);
        let tx = client
            .transaction_by_external_id(ProductCategory::FixedValueRecharges, &external_id)
            .await
            .unwrap();
        assert_eq!(tx.outcome(), Outcome::Delivered, "{fault:?}");
    }
}
