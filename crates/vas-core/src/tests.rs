//! Tests of `Vas` against the in-memory provider.

use std::sync::Arc;
use std::time::Duration;

use rust_decimal_macros::dec;
use vas_common::{ExposeSecret as _, Outcome};

use crate::fake::{Answer, Fake, PIN, TOKEN};
use crate::{
    Backoff, CatalogQuery, ErrorKind, ProductKind, ProductRef, PurchaseKey, PurchaseRequest,
    Recipient, Reference, Vas, VasProvider, Vendor,
};

const PURCHASE: usize = 3;

fn vas_with(fakes: &[&Arc<Fake>]) -> Vas {
    fakes
        .iter()
        .fold(Vas::builder(), |b, f| b.shared_provider(Arc::clone(f) as Arc<dyn VasProvider>))
        .poll_backoff(Backoff::new(Duration::from_secs(1)).no_jitter())
        .poll_deadline(Duration::from_secs(20))
        .build()
        .unwrap()
}

fn airtime(vendor: Vendor) -> PurchaseRequest {
    PurchaseRequest::new(ProductRef::new(vendor, "mtn"), Recipient::phone("08011111111"))
        .amount(dec!(100))
}

// ---- catalog and cache ----

#[tokio::test(start_paused = true)]
async fn a_hundred_concurrent_misses_make_one_vendor_call() {
    let fake = Arc::new(Fake::new(Vendor::Vtpass));
    let vas = vas_with(&[&fake]);
    let query = CatalogQuery::all().country("NG");
    let answers = futures::future::join_all((0..100).map(|_| vas.catalog(&query))).await;
    assert_eq!(fake.calls.catalog.load(std::sync::atomic::Ordering::SeqCst), 1);
    for a in answers {
        let ids: Vec<_> = a.unwrap().products.into_iter().map(|p| p.id).collect();
        assert_eq!(ids, ["mtn", "mtn-data/mtn-1gb", "glo", "ikeja-electric/prepaid"]);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_hundred_misses_from_many_threads_make_one_vendor_call() {
    let fake = Arc::new(Fake::new(Vendor::Vtpass));
    let vas = vas_with(&[&fake]);
    let barrier = Arc::new(tokio::sync::Barrier::new(100));
    let tasks: Vec<_> = (0..100)
        .map(|_| {
            let (vas, barrier) = (vas.clone(), barrier.clone());
            tokio::spawn(async move {
                barrier.wait().await;
                vas.catalog(&CatalogQuery::all().kind(ProductKind::Airtime))
                    .await
                    .map(|c| c.products.len())
            })
        })
        .collect();
    for t in tasks {
        assert_eq!(t.await.unwrap().unwrap(), 3);
    }
    assert_eq!(fake.calls.get()[0], 1);
}

#[tokio::test(start_paused = true)]
async fn concurrent_misses_share_one_failure_which_is_not_cached() {
    let fake = Arc::new(Fake::new(Vendor::Gsubz).catalog_fails(ErrorKind::Transient));
    let vas = vas_with(&[&fake]);
    let q = CatalogQuery::all();
    let answers = futures::future::join_all((0..100).map(|_| vas.catalog(&q))).await;
    assert_eq!(fake.calls.get()[0], 1);
    for a in answers {
        let e = a.unwrap_err();
        assert_eq!((e.kind(), e.vendor()), (ErrorKind::Transient, Some(Vendor::Gsubz)));
    }
    assert!(vas.catalog(&q).await.is_err());
    assert_eq!(fake.calls.get()[0], 2, "an error is not cached");
}

#[tokio::test(start_paused = true)]
async fn catalog_answers_expire_after_the_ttl() {
    let fake = Arc::new(Fake::new(Vendor::Vtpass));
    let vas = Vas::builder()
        .shared_provider(fake.clone())
        .catalog_ttl(Duration::from_secs(60))
        .build()
        .unwrap();
    let q = CatalogQuery::all();
    vas.catalog(&q).await.unwrap();
    tokio::time::advance(Duration::from_secs(59)).await;
    vas.catalog(&q).await.unwrap();
    assert_eq!(fake.calls.get()[0], 1);
    tokio::time::advance(Duration::from_secs(2)).await;
    vas.catalog(&q).await.unwrap();
    assert_eq!(fake.calls.get()[0], 2, "expired");
    vas.catalog(&q).await.unwrap();
    assert_eq!(fake.calls.get()[0], 2, "fresh again");
    vas.clear_catalog_cache();
    vas.catalog(&q).await.unwrap();
    assert_eq!(fake.calls.get()[0], 3, "cleared");
}

#[tokio::test(start_paused = true)]
async fn each_query_is_cached_on_its_own() {
    let fake = Arc::new(Fake::new(Vendor::Vtpass));
    let vas = vas_with(&[&fake]);
    vas.catalog(&CatalogQuery::all().country("NG")).await.unwrap();
    vas.catalog(&CatalogQuery::all().country("ng")).await.unwrap();
    assert_eq!(fake.calls.get()[0], 1, "same query once normalised");
    vas.catalog(&CatalogQuery::all().country("ZA")).await.unwrap();
    vas.catalog(&CatalogQuery::all()).await.unwrap();
    assert_eq!(fake.calls.get()[0], 3);
}

#[tokio::test(start_paused = true)]
async fn the_catalog_is_merged_across_vendors_and_filtered() {
    let (vt, gs) = (Arc::new(Fake::new(Vendor::Vtpass)), Arc::new(Fake::new(Vendor::Gsubz)));
    let vas = vas_with(&[&gs, &vt]);
    assert_eq!(vas.vendors(), [Vendor::Vtpass, Vendor::Gsubz]);
    let all = vas.catalog(&CatalogQuery::all()).await.unwrap();
    assert_eq!(all.products.len(), 10);
    assert!(all.errors.is_empty());
    let names = |c: crate::Catalog| {
        c.products.into_iter().map(|p| format!("{}:{}", p.vendor, p.id)).collect::<Vec<_>>()
    };
    let mtn =
        vas.catalog(&CatalogQuery::all().operator("mtn").kind(ProductKind::Airtime)).await.unwrap();
    assert_eq!(names(mtn), ["vtpass:mtn", "gsubz:mtn"]);
    let za = vas.catalog(&CatalogQuery::all().country("ZA").vendor(Vendor::Gsubz)).await.unwrap();
    assert_eq!(names(za), ["gsubz:vodacom"]);
    let none = vas.catalog(&CatalogQuery::all().kind(ProductKind::Water)).await.unwrap();
    assert!(none.products.is_empty());
    let e = vas.catalog(&CatalogQuery::all().vendor(Vendor::Dtone)).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Config);
}

#[tokio::test(start_paused = true)]
async fn one_vendor_down_does_not_hide_the_others() {
    let vt = Arc::new(Fake::new(Vendor::Vtpass));
    let gs = Arc::new(Fake::new(Vendor::Gsubz).catalog_fails(ErrorKind::Auth));
    let vas = vas_with(&[&vt, &gs]);
    let c = vas.catalog(&CatalogQuery::all().country("NG")).await.unwrap();
    assert_eq!(c.products.len(), 4);
    assert!(c.products.iter().all(|p| p.vendor == Vendor::Vtpass));
    assert_eq!(
        c.errors.iter().map(|e| (e.kind(), e.vendor())).collect::<Vec<_>>(),
        [(ErrorKind::Auth, Some(Vendor::Gsubz))]
    );
}

// ---- caller errors ----

#[tokio::test(start_paused = true)]
async fn caller_errors_are_rejected_before_any_purchase() {
    let fake = Arc::new(Fake::new(Vendor::Vtpass));
    let vas = vas_with(&[&fake]);
    let vt = |id: &str| ProductRef::new(Vendor::Vtpass, id);
    let meter = || {
        PurchaseRequest::new(vt("ikeja-electric/prepaid"), Recipient::meter("1111111111111", None))
            .amount(dec!(1000))
            .field("phone", "08011111111")
    };
    let cases: Vec<(&str, PurchaseRequest, &str)> = vec![
        ("amount below the minimum", airtime(Vendor::Vtpass).amount(dec!(49)), "amount"),
        ("amount above the maximum", airtime(Vendor::Vtpass).amount(dec!(50000.01)), "amount"),
        (
            "no amount for a range",
            PurchaseRequest::new(vt("mtn"), Recipient::phone("08011111111")),
            "amount",
        ),
        ("negative amount", airtime(Vendor::Vtpass).amount(dec!(-100)), "amount"),
        ("sub-kobo amount", airtime(Vendor::Vtpass).amount(dec!(100.001)), "amount"),
        (
            "wrong fixed price",
            PurchaseRequest::new(vt("mtn-data/mtn-1gb"), Recipient::phone("08011111111"))
                .amount(dec!(200)),
            "amount",
        ),
        (
            "product unknown to the catalog",
            PurchaseRequest::new(vt("mtn-99"), Recipient::phone("08011111111")).amount(dec!(100)),
            "product",
        ),
        (
            "empty product id",
            PurchaseRequest::new(vt(" "), Recipient::phone("08011111111")),
            "product",
        ),
        (
            "malformed phone",
            PurchaseRequest::new(vt("mtn"), Recipient::phone("0801111")).amount(dec!(100)),
            "recipient",
        ),
        (
            "phone of another country",
            PurchaseRequest::new(vt("mtn"), Recipient::phone("+27821234567")).amount(dec!(100)),
            "recipient",
        ),
        (
            "phone not a number",
            PurchaseRequest::new(vt("mtn"), Recipient::phone("call me")).amount(dec!(100)),
            "recipient",
        ),
        (
            "empty recipient",
            PurchaseRequest::new(vt("mtn"), Recipient::phone("   ")).amount(dec!(100)),
            "recipient",
        ),
        (
            "wrong recipient kind",
            PurchaseRequest::new(vt("mtn"), Recipient::smartcard("1212121212")).amount(dec!(100)),
            "recipient",
        ),
        (
            "meter failing the regex",
            PurchaseRequest::new(vt("ikeja-electric/prepaid"), Recipient::meter("12345", None))
                .amount(dec!(1000))
                .field("phone", "08011111111"),
            "recipient",
        ),
        (
            "required field missing",
            PurchaseRequest::new(
                vt("ikeja-electric/prepaid"),
                Recipient::meter("1111111111111", None),
            )
            .amount(dec!(1000)),
            "phone",
        ),
        ("field phone malformed", meter().field("phone", "12"), "phone"),
        ("field failing its kind", meter().field("email", "not-an-address"), "email"),
        (
            "field not among its choices",
            meter().field("subscription_type", "upgrade"),
            "subscription_type",
        ),
        ("field the product does not have", meter().field("colour", "red"), "colour"),
        (
            "field filled from the recipient",
            meter().field("billersCode", "1111111111111"),
            "billersCode",
        ),
        ("malformed reference", airtime(Vendor::Vtpass).reference("has spaces"), "reference"),
        ("vendor without provider", airtime(Vendor::Dtone), ""),
    ];
    for (name, request, field) in cases {
        let e = vas.prepare(request).await.expect_err(name);
        if field.is_empty() {
            assert_eq!(e.kind(), ErrorKind::Config, "{name}");
        } else {
            assert_eq!((e.kind(), e.field()), (ErrorKind::CallerInput, Some(field)), "{name}: {e}");
        }
    }
    assert_eq!(fake.calls.get()[PURCHASE..], [0, 0], "no purchase, no status");
    assert_eq!(fake.calls.get()[0], 0, "no catalog listing either");
    assert!(fake.purchased.lock().unwrap().is_empty());
}

#[tokio::test(start_paused = true)]
async fn input_that_needs_no_product_costs_no_request_at_all() {
    let fake = Arc::new(Fake::new(Vendor::Vtpass));
    let vas = vas_with(&[&fake]);
    for request in [
        airtime(Vendor::Vtpass).amount(dec!(0)),
        airtime(Vendor::Vtpass).reference(""),
        PurchaseRequest::new(ProductRef::new(Vendor::Vtpass, "mtn"), Recipient::account("")),
    ] {
        assert_eq!(vas.prepare(request).await.unwrap_err().kind(), ErrorKind::CallerInput);
    }
    assert_eq!(fake.calls.get(), [0; 5]);
}

#[tokio::test(start_paused = true)]
async fn prepare_checks_and_normalises_and_returns_the_reference() {
    let fake = Arc::new(Fake::new(Vendor::Vtpass));
    let vas = vas_with(&[&fake]);
    let p = vas
        .prepare(
            PurchaseRequest::new(
                ProductRef::new(Vendor::Vtpass, "ikeja-electric/prepaid"),
                Recipient::meter(" 1111111111111 ", None),
            )
            .amount(dec!(1000.50))
            .field("phone", "+234 801 111 1111")
            .field("email", "ada@example.com")
            .reference("202611230600abc"),
        )
        .await
        .unwrap();
    assert_eq!(p.reference().as_str(), "202611230600abc");
    assert_eq!(p.key().to_string(), "vtpass:202611230600abc");
    assert_eq!(p.recipient(), &Recipient::meter("1111111111111", None));
    assert_eq!(p.amount().to_string(), "1000.50 NGN");
    assert_eq!(p.field("phone"), Some("+2348011111111"));
    assert_eq!(p.field("email"), Some("ada@example.com"));
    assert_eq!(p.field("subscription_type"), None);
    assert_eq!(p.phone(), None);

    let fixed = vas
        .prepare(PurchaseRequest::new(
            ProductRef::new(Vendor::Vtpass, "mtn-data/mtn-1gb"),
            Recipient::phone("+2348011111111"),
        ))
        .await
        .unwrap();
    assert_eq!(fixed.amount().amount, dec!(300.00));
    assert_eq!(fixed.phone().map(|p| p.national()), Some("08011111111".to_owned()));
    assert_eq!(fixed.reference().as_str().len(), 16);
    assert_eq!(fake.calls.get()[PURCHASE..], [0, 0]);
    assert_eq!(fake.calls.get()[1], 2, "each product looked up once");
    vas.prepare(airtime(Vendor::Vtpass)).await.unwrap();
    vas.prepare(airtime(Vendor::Vtpass)).await.unwrap();
    assert_eq!(fake.calls.get()[1], 3, "product lookups are cached");
}

#[tokio::test(start_paused = true)]
async fn validate_recipient_checks_locally_then_asks_the_vendor() {
    let fake = Arc::new(Fake::new(Vendor::Vtpass));
    let vas = vas_with(&[&fake]);
    let product = ProductRef::new(Vendor::Vtpass, "ikeja-electric/prepaid");
    let e = vas.validate_recipient(&product, &Recipient::meter("11-11", None)).await.unwrap_err();
    assert_eq!((e.kind(), e.field()), (ErrorKind::CallerInput, Some("recipient")));
    let e = vas.validate_recipient(&product, &Recipient::phone("08011111111")).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::CallerInput);
    assert_eq!(fake.calls.get()[2], 0);
    let info =
        vas.validate_recipient(&product, &Recipient::meter("1111111111111", None)).await.unwrap();
    assert!(info.verified);
    assert_eq!(info.name.as_deref(), Some("Customer 1111111111111"));
    assert_eq!(fake.calls.get()[2], 1);
}

// ---- the safe purchase ----

#[tokio::test(start_paused = true)]
async fn a_purchase_is_routed_to_its_vendor_and_delivered_at_once() {
    let (vt, gs) = (Arc::new(Fake::new(Vendor::Vtpass)), Arc::new(Fake::new(Vendor::Gsubz)));
    let vas = vas_with(&[&vt, &gs]);
    let p = vas.prepare(airtime(Vendor::Gsubz)).await.unwrap();
    let r = vas.execute(&p).await.unwrap();
    assert_eq!(
        (r.vendor, r.outcome, &r.reference),
        (Vendor::Gsubz, Outcome::Delivered, p.reference())
    );
    assert_eq!(r.vendor_transaction_id, Some(format!("tx-{}", p.reference())));
    assert_eq!(
        r.delivered.token.as_ref().map(|t| t.expose_secret().to_owned()),
        Some(TOKEN.to_owned())
    );
    assert_eq!(gs.calls.get()[PURCHASE..], [1, 0]);
    assert_eq!(vt.calls.get(), [0; 5]);
    let sent = gs.purchased.lock().unwrap();
    assert_eq!(sent[0].phone().map(|p| p.e164()), Some("+2348011111111".to_owned()));
}

#[tokio::test(start_paused = true)]
async fn an_unknown_outcome_is_resolved_through_status_without_a_second_purchase() {
    for first in [
        Answer::Fails(ErrorKind::UnknownOutcome),
        Answer::Is(Outcome::Unknown),
        Answer::Is(Outcome::Pending),
    ] {
        let fake = Arc::new(Fake::new(Vendor::Vtpass).purchase_answers(first).status_answers(&[
            Answer::Fails(ErrorKind::NotFound),
            Answer::Fails(ErrorKind::Transient),
            Answer::Is(Outcome::Pending),
            Answer::Is(Outcome::Delivered),
        ]));
        let vas = vas_with(&[&fake]);
        let p = vas.prepare(airtime(Vendor::Vtpass)).await.unwrap();
        let r = vas.execute(&p).await.unwrap();
        assert_eq!((r.outcome, &r.reference), (Outcome::Delivered, p.reference()), "{first:?}");
        assert_eq!(fake.calls.get()[PURCHASE..], [1, 4], "{first:?}");
    }
}

#[tokio::test(start_paused = true)]
async fn the_deadline_gives_pending_with_the_reference_never_failed() {
    for status in [
        Answer::Is(Outcome::Pending),
        Answer::Is(Outcome::Unknown),
        Answer::Fails(ErrorKind::NotFound),
        Answer::Fails(ErrorKind::Transient),
    ] {
        let fake = Arc::new(
            Fake::new(Vendor::Vtpass)
                .purchase_answers(Answer::Fails(ErrorKind::UnknownOutcome))
                .status_answers(&[status]),
        );
        let vas = vas_with(&[&fake]);
        let p = vas.prepare(airtime(Vendor::Vtpass)).await.unwrap();
        let started = tokio::time::Instant::now();
        let r = vas.execute(&p).await.unwrap();
        assert_eq!(
            (r.outcome, &r.reference, r.vendor),
            (Outcome::Pending, p.reference(), Vendor::Vtpass),
            "{status:?}"
        );
        // Waits 1, 2, 4 and 8 s fit in the 20 s deadline; the next (16 s) does not.
        assert_eq!(fake.calls.get()[PURCHASE..], [1, 4], "{status:?}");
        assert_eq!(started.elapsed(), Duration::from_secs(15));
    }
}

#[tokio::test(start_paused = true)]
async fn a_status_query_that_hangs_does_not_hold_execute_past_the_deadline() {
    let mut fake = Fake::new(Vendor::Vtpass)
        .purchase_answers(Answer::Fails(ErrorKind::UnknownOutcome))
        .status_answers(&[Answer::Is(Outcome::Delivered)]);
    // The vendor takes an hour to answer a status query.
    fake.status_delay = Duration::from_secs(3600);
    let fake = Arc::new(fake);
    let vas = vas_with(&[&fake]);
    let p = vas.prepare(airtime(Vendor::Vtpass)).await.unwrap();
    let started = tokio::time::Instant::now();
    let r = vas.execute(&p).await.unwrap();
    assert_eq!((r.outcome, &r.reference), (Outcome::Pending, p.reference()));
    assert!(started.elapsed() <= Duration::from_secs(20), "took {:?}", started.elapsed());
    assert_eq!(fake.calls.get()[PURCHASE..], [1, 1]);
    let r = vas.resume(&p.key()).await.unwrap();
    assert_eq!(r.outcome, Outcome::Pending);
    assert!(started.elapsed() <= Duration::from_secs(40), "took {:?}", started.elapsed());
}

#[tokio::test(start_paused = true)]
async fn an_endless_deadline_does_not_crash_after_the_purchase_was_sent() {
    let fake = Arc::new(
        Fake::new(Vendor::Vtpass).purchase_answers(Answer::Fails(ErrorKind::UnknownOutcome)),
    );
    let vas = Vas::builder()
        .shared_provider(fake.clone())
        .poll_backoff(Backoff::new(Duration::from_secs(1)).no_jitter())
        .poll_deadline(Duration::MAX)
        .build()
        .unwrap();
    let p = vas.prepare(airtime(Vendor::Vtpass)).await.unwrap();
    assert_eq!(vas.execute(&p).await.unwrap().outcome, Outcome::Delivered);
    assert_eq!(vas.resume(&p.key()).await.unwrap().outcome, Outcome::Delivered);
    assert_eq!(fake.calls.get()[PURCHASE..], [1, 2]);
}

#[tokio::test(start_paused = true)]
async fn failed_only_when_the_vendor_says_so() {
    let fake = Arc::new(
        Fake::new(Vendor::Vtpass)
            .purchase_answers(Answer::Fails(ErrorKind::UnknownOutcome))
            .status_answers(&[Answer::Is(Outcome::Pending), Answer::Is(Outcome::Failed)]),
    );
    let vas = vas_with(&[&fake]);
    let r = vas.execute(&vas.prepare(airtime(Vendor::Vtpass)).await.unwrap()).await.unwrap();
    assert_eq!(r.outcome, Outcome::Failed);
    assert_eq!(fake.calls.get()[PURCHASE..], [1, 2]);

    let direct = Arc::new(Fake::new(Vendor::Vtpass).purchase_answers(Answer::Is(Outcome::Failed)));
    let vas = vas_with(&[&direct]);
    let r = vas.execute(&vas.prepare(airtime(Vendor::Vtpass)).await.unwrap()).await.unwrap();
    assert_eq!(r.outcome, Outcome::Failed);
    assert_eq!(direct.calls.get()[PURCHASE..], [1, 0]);
}

#[tokio::test(start_paused = true)]
async fn a_refusal_is_an_error_with_the_reference_and_no_status_query() {
    for kind in [ErrorKind::VendorRejected, ErrorKind::Auth, ErrorKind::Transient] {
        let fake = Arc::new(Fake::new(Vendor::Vtpass).purchase_answers(Answer::Fails(kind)));
        let vas = vas_with(&[&fake]);
        let p = vas.prepare(airtime(Vendor::Vtpass)).await.unwrap();
        let e = vas.execute(&p).await.unwrap_err();
        assert_eq!(
            (e.kind(), e.reference(), e.vendor()),
            (kind, Some(p.reference()), Some(Vendor::Vtpass))
        );
        assert_eq!(fake.calls.get()[PURCHASE..], [1, 0]);
    }
}

#[tokio::test(start_paused = true)]
async fn a_reference_is_never_sent_twice() {
    let fake = Arc::new(
        Fake::new(Vendor::Vtpass).purchase_answers(Answer::Fails(ErrorKind::UnknownOutcome)),
    );
    let vas = vas_with(&[&fake]);
    let p = vas.prepare(airtime(Vendor::Vtpass).reference("202611230600dup")).await.unwrap();
    let copy = p.clone();
    assert_eq!(vas.execute(&p).await.unwrap().outcome, Outcome::Delivered);
    for again in [vas.execute(&p).await, vas.clone().execute(&copy).await] {
        let e = again.unwrap_err();
        assert_eq!((e.kind(), e.field()), (ErrorKind::CallerInput, Some("reference")));
        assert_eq!(e.reference(), Some(p.reference()));
    }
    let e = vas.prepare(airtime(Vendor::Vtpass).reference("202611230600dup")).await.unwrap_err();
    assert_eq!((e.kind(), e.field()), (ErrorKind::CallerInput, Some("reference")));
    assert_eq!(fake.calls.get()[PURCHASE], 1);

    // Even concurrently, one of two executes of the same purchase is refused.
    let fake = Arc::new(Fake::new(Vendor::Vtpass));
    let vas = vas_with(&[&fake]);
    let p = vas.prepare(airtime(Vendor::Vtpass)).await.unwrap();
    let (a, b) = tokio::join!(vas.execute(&p), vas.execute(&p));
    assert!(a.is_ok() != b.is_ok());
    assert_eq!(fake.calls.get()[PURCHASE], 1);
}

#[tokio::test(start_paused = true)]
async fn two_prepares_of_one_reference_or_a_retry_after_an_error_send_once() {
    // Two different purchases prepared with the same caller reference: only the first is sent.
    let fake = Arc::new(Fake::new(Vendor::Vtpass));
    let vas = vas_with(&[&fake]);
    let one = vas.prepare(airtime(Vendor::Vtpass).reference("order-77")).await.unwrap();
    let two =
        vas.prepare(airtime(Vendor::Vtpass).amount(dec!(200)).reference("order-77")).await.unwrap();
    let (a, b) = tokio::join!(vas.execute(&two), vas.execute(&one));
    assert_eq!(a.unwrap().outcome, Outcome::Delivered);
    assert_eq!(b.unwrap_err().field(), Some("reference"));
    assert_eq!(fake.calls.get()[PURCHASE], 1);
    assert_eq!(fake.purchased.lock().unwrap()[0].amount().amount, dec!(200));

    // A purchase that ended in an error is not sent again by a retry of execute.
    for kind in [ErrorKind::Transient, ErrorKind::VendorRejected, ErrorKind::Auth] {
        let fake = Arc::new(Fake::new(Vendor::Vtpass).purchase_answers(Answer::Fails(kind)));
        let vas = vas_with(&[&fake]);
        let p = vas.prepare(airtime(Vendor::Vtpass)).await.unwrap();
        assert_eq!(vas.execute(&p).await.unwrap_err().kind(), kind);
        let again = vas.execute(&p).await.unwrap_err();
        assert_eq!((again.kind(), again.field()), (ErrorKind::CallerInput, Some("reference")));
        assert_eq!(fake.calls.get()[PURCHASE], 1, "{kind:?}");
    }
}

#[tokio::test(start_paused = true)]
async fn errors_quote_the_callers_value_without_terminal_escapes_or_megabytes() {
    let fake = Arc::new(Fake::new(Vendor::Vtpass));
    let vas = vas_with(&[&fake]);
    let meter = |email: &str| {
        PurchaseRequest::new(
            ProductRef::new(Vendor::Vtpass, "ikeja-electric/prepaid"),
            Recipient::meter("1111111111111", None),
        )
        .amount(dec!(1000))
        .field("phone", "08011111111")
        .field("email", email)
    };
    let hostile = "\x1b]0;owned\x07\x1b[2J\u{202e}x@y.z";
    let huge = "9".repeat(1 << 20);
    let mut messages = Vec::new();
    for request in [
        meter(hostile),
        meter(&format!("{huge}@x.y")),
        meter("a@b.c").field("subscription_type", hostile),
        airtime(Vendor::Vtpass).reference(hostile),
        airtime(Vendor::Vtpass).reference(huge.as_str()),
        PurchaseRequest::new(
            ProductRef::new(Vendor::Vtpass, "mtn"),
            Recipient::phone("0803\u{202e}1234567"),
        )
        .amount(dec!(100)),
    ] {
        let e = vas.prepare(request).await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::CallerInput);
        messages.push(e.to_string());
    }
    messages
        .push(crate::Phone::parse(&format!("\x1b[2J{huge}"), Some("NG")).unwrap_err().to_string());
    messages.push(format!("vtpass:\x1b[2J{huge}").parse::<PurchaseKey>().unwrap_err().to_string());
    messages.push(format!("\x1b{huge}").parse::<Vendor>().unwrap_err().to_string());
    for m in &messages {
        assert!(!m.chars().any(|c| c.is_control() || c == '\u{202e}'), "{m:?}");
        assert!(m.len() < 400, "{} bytes", m.len());
    }
    assert!(messages[0].contains("\\u{1b}]0;owned"), "{}", messages[0]);
    assert_eq!(fake.calls.get()[PURCHASE], 0);
}

#[tokio::test(start_paused = true)]
async fn status_resumes_after_a_restart_from_the_stored_key() {
    let fake = Arc::new(
        Fake::new(Vendor::Gsubz)
            .purchase_answers(Answer::Fails(ErrorKind::UnknownOutcome))
            .status_answers(&[Answer::Is(Outcome::Pending)]),
    );
    let stored = {
        let vas = vas_with(&[&fake]);
        let p = vas.prepare(airtime(Vendor::Gsubz)).await.unwrap();
        let key = p.key().to_string();
        assert_eq!(vas.execute(&p).await.unwrap().outcome, Outcome::Pending);
        key
    };
    // A new process: a new client, only the stored key.
    *fake.statuses.lock().unwrap() =
        [Answer::Is(Outcome::Pending), Answer::Is(Outcome::Delivered)].into();
    let vas = vas_with(&[&fake]);
    let key: PurchaseKey = stored.parse().unwrap();
    let once = vas.status_of(&key).await.unwrap();
    assert_eq!((once.outcome, once.key()), (Outcome::Pending, key.clone()));
    let done = vas.resume(&key).await.unwrap();
    assert_eq!((done.outcome, done.key()), (Outcome::Delivered, key.clone()));
    assert_eq!(fake.calls.get()[PURCHASE], 1, "resuming never purchases");

    let unknown = Reference::new("never-sent");
    *fake.statuses.lock().unwrap() = [Answer::Fails(ErrorKind::NotFound)].into();
    let e = vas.status(Vendor::Gsubz, &unknown).await.unwrap_err();
    assert_eq!((e.kind(), e.reference()), (ErrorKind::NotFound, Some(&unknown)));
}

#[tokio::test(start_paused = true)]
async fn a_status_query_that_cannot_succeed_stops_polling_with_pending() {
    let fake = Arc::new(
        Fake::new(Vendor::Vtpass)
            .purchase_answers(Answer::Is(Outcome::Pending))
            .status_answers(&[Answer::Fails(ErrorKind::Auth)]),
    );
    let vas = vas_with(&[&fake]);
    let p = vas.prepare(airtime(Vendor::Vtpass)).await.unwrap();
    let r = vas.execute(&p).await.unwrap();
    assert_eq!(r.outcome, Outcome::Pending);
    assert!(r.message.as_deref().unwrap_or_default().contains("authentication"), "{:?}", r.message);
    assert_eq!(
        r.vendor_transaction_id,
        Some(format!("tx-{}", p.reference())),
        "the purchase answer is kept"
    );
    assert_eq!(fake.calls.get()[PURCHASE..], [1, 1]);
}

#[tokio::test(start_paused = true)]
async fn no_secret_in_debug_of_receipts_purchases_or_the_client() {
    let fake = Arc::new(Fake::new(Vendor::Vtpass));
    let vas = vas_with(&[&fake]);
    let p = vas.prepare(airtime(Vendor::Vtpass)).await.unwrap();
    let r = vas.execute(&p).await.unwrap();
    assert_eq!(
        r.delivered.pin.as_ref().map(|s| s.expose_secret().to_owned()),
        Some(PIN.to_owned())
    );
    let shown = format!("{r:?} {r:#?} {p:?} {vas:?}");
    assert!(!shown.contains(TOKEN) && !shown.contains(PIN), "{shown}");
    assert!(!shown.contains("5501") && !shown.contains("7726"));
    assert!(shown.contains("SER-1"));
}

#[test]
fn building_needs_distinct_vendors() {
    assert_eq!(Vas::builder().build().unwrap_err().kind(), ErrorKind::Config);
    let e = Vas::builder()
        .provider(Fake::new(Vendor::Vtpass))
        .provider(Fake::new(Vendor::Vtpass))
        .build()
        .unwrap_err();
    assert_eq!((e.kind(), e.vendor()), (ErrorKind::Config, Some(Vendor::Vtpass)));
}

#[tokio::test(start_paused = true)]
async fn a_product_listed_by_a_cached_catalog_needs_no_lookup() {
    let fake = Arc::new(Fake::new(Vendor::Vtpass));
    let vas = vas_with(&[&fake]);
    vas.catalog(&CatalogQuery::all().country("NG")).await.unwrap();
    let p = vas.prepare(airtime(Vendor::Vtpass)).await.unwrap();
    assert_eq!(p.product().id, "mtn");
    assert_eq!(fake.calls.get()[..2], [1, 0], "one catalog call, no product lookup");
    let za = PurchaseRequest::new(
        ProductRef::new(Vendor::Vtpass, "vodacom"),
        Recipient::phone("0821234567"),
    );
    vas.prepare(za.clone().amount(dec!(10))).await.unwrap();
    assert_eq!(fake.calls.get()[..2], [1, 1], "a product outside the cached answer is looked up");
    tokio::time::advance(Duration::from_secs(301)).await;
    vas.prepare(airtime(Vendor::Vtpass)).await.unwrap();
    assert_eq!(fake.calls.get()[..2], [1, 2], "an expired answer is not used");
}
