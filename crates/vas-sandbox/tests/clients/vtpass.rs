use std::time::Duration;

use rust_decimal::Decimal;
use vas_sandbox::{Vendor, credentials as c};
use vtpass_client::{
    Client, ConfirmOptions, MeterType, Outcome, ResponseCode, ServiceId, VerifyRequest,
    classify_pay, classify_requery,
};

use crate::{CLIENT_TIMEOUT, start};

/// Requery every 60 ms for at most 3 s.
fn options() -> ConfirmOptions {
    let defaults = ConfirmOptions::default();
    ConfirmOptions {
        backoff: defaults.backoff.max_delay(Duration::from_millis(60)).no_jitter(),
        deadline: Duration::from_secs(3),
    }
}

#[tokio::test]
async fn whole_flow_for_every_documented_scenario() {
    let sb = start().await;
    let client = Client::builder()
        .base_url(sb.base_url(Vendor::Vtpass))
        .basic_auth(c::VTPASS_EMAIL, c::VTPASS_PASSWORD)
        .timeout(CLIENT_TIMEOUT)
        .build()
        .unwrap();

    // Catalog.
    let plans = client.service_variations(&ServiceId::SPECTRANET).await.unwrap();
    let codes: Vec<&str> = plans.variations().iter().map(|v| v.variation_code.as_str()).collect();
    assert_eq!(codes, ["vt-1000", "vt-2000"]);
    let nine = client.service_variations(&ServiceId::ETISALAT_DATA).await.unwrap();
    assert_eq!(nine.variations().len(), 2);
    let categories = client.service_categories().await.unwrap();
    assert!(categories.content.iter().any(|c| c.identifier == "data"));
    let data = client.services("data").await.unwrap();
    let ids: Vec<&str> = data.content.iter().map(|s| s.service_id.as_str()).collect();
    assert_eq!(ids, ["spectranet", "etisalat-data"]);

    // Verify: the documented smartcard and meters, and a wrong number.
    let card = client
        .merchant_verify(&VerifyRequest::new(ServiceId::DSTV, "1212121212").unwrap())
        .await
        .unwrap();
    assert!(card.is_valid(), "{card:?}");
    assert!(card.customer_name().is_some());
    let wrong = client
        .merchant_verify(&VerifyRequest::new(ServiceId::DSTV, "1234567890").unwrap())
        .await
        .unwrap();
    assert!(!wrong.is_valid());
    assert!(wrong.error_message().is_some());
    for (meter, kind) in
        [("1111111111111", MeterType::Prepaid), ("1010101010101", MeterType::Postpaid)]
    {
        let v = VerifyRequest::new(ServiceId::IKEJA_ELECTRIC, meter).unwrap().meter_type(kind);
        assert!(client.merchant_verify(&v).await.unwrap().is_valid(), "{meter}");
    }

    let balance_before = client.balance().await.unwrap().balance().expect("a balance");

    // Purchase and status, one per documented scenario.
    let cases: [(&str, &str, Outcome, bool); 6] = [
        ("1212121212", "success", Outcome::Delivered, false),
        ("201000000000", "pending", Outcome::Delivered, false),
        ("500000000000", "unexpected response", Outcome::Delivered, false),
        ("400000000000", "no response", Outcome::Delivered, true),
        ("300000000000", "timeout", Outcome::Delivered, true),
        ("08099999999", "any other number", Outcome::Failed, false),
    ];
    for (number, name, expected, pay_error) in cases {
        let request = client
            .pay_request(ServiceId::SPECTRANET)
            .billers_code(number)
            .variation_code("vt-1000")
            .amount(Decimal::from(1000))
            .quantity(1)
            .phone("07061933309")
            .build()
            .unwrap();
        let done = client.purchase_and_confirm(&request, &options()).await.unwrap();
        assert_eq!(done.outcome, expected, "{name}: {:?}", done.classification);
        assert_eq!(done.request_id, *request.request_id());
        assert_eq!(done.pay_error.is_some(), pay_error, "{name}: {:?}", done.pay_error);
        if name == "success" || name == "any other number" {
            assert_eq!(done.requeries, 0, "{name}: final at once");
        } else {
            assert!(done.requeries >= 1, "{name}: confirmed by requery");
        }
        let again = client.requery(request.request_id()).await.unwrap();
        assert_eq!(again.request_id.as_deref(), Some(request.request_id().as_str()), "{name}");
    }
    // The 9mobile sandbox number.
    let request = client
        .pay_request(ServiceId::ETISALAT_DATA)
        .billers_code("08011111111")
        .variation_code("eti-100")
        .phone("08011111111")
        .build()
        .unwrap();
    let done = client.purchase_and_confirm(&request, &options()).await.unwrap();
    assert_eq!(done.outcome, Outcome::Delivered);

    // Exactly one payment per purchase, whatever happened to its answer.
    assert_eq!(sb.count(Vendor::Vtpass, "pay"), 7);

    // A repeated request id is refused with 014 and pays nothing.
    let dup = client.pay(&request).await.unwrap();
    assert_eq!(dup.response_code(), Some(ResponseCode::RequestIdAlreadyExists));
    assert_ne!(classify_pay(&dup).outcome, Outcome::Delivered);

    // Five delivered Spectranet purchases (960 each after commission) and one 9mobile (96).
    let balance_after = client.balance().await.unwrap().balance().unwrap();
    assert_eq!(balance_before - balance_after, Decimal::from(5 * 960 + 96));
}

/// Under each fault the payment goes through but no answer can be read: the client must
/// report it pending (never failed, never paid twice), and a requery once the fault is gone
/// finds it delivered.
#[tokio::test]
async fn faults_leave_the_purchase_pending_never_failed_nor_repeated() {
    use vas_sandbox::Fault;
    let sb = start().await;
    let client = Client::builder()
        .base_url(sb.base_url(Vendor::Vtpass))
        .api_keys(c::VTPASS_API_KEY, c::VTPASS_PUBLIC_KEY, c::VTPASS_SECRET_KEY)
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
        sb.set_fault(Vendor::Vtpass, Some(fault.clone()));
        let request = client
            .pay_request(ServiceId::SPECTRANET)
            .billers_code("1212121212")
            .variation_code("vt-2000")
            .phone("07061933309")
            .build()
            .unwrap();
        let done = client.purchase_and_confirm(&request, &short).await.unwrap();
        assert_eq!(done.outcome, Outcome::Pending, "{fault:?}: {:?}", done.classification);
        assert!(done.pay_error.is_some(), "{fault:?}");
        assert_eq!(sb.count(Vendor::Vtpass, "pay"), n as u64 + 1, "{fault:?}: paid once");
        sb.set_fault(Vendor::Vtpass, None);
        let after = client.requery(request.request_id()).await.unwrap();
        assert_eq!(classify_requery(&after).outcome, Outcome::Delivered, "{fault:?}");
    }
}
