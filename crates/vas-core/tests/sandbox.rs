//! The façade against the offline sandbox of all four vendors: the same scenario (catalog,
//! validate, purchase, status) through `Vas` for each vendor, caller errors that never reach
//! the vendor, and unknown outcomes resolved by status queries with one purchase per
//! reference. The sandbox's request counters are the proof.
#![cfg(all(feature = "vtpass", feature = "eclipse", feature = "dtone", feature = "gsubz"))]

use std::time::Duration;

use rust_decimal_macros::dec;
use vas_core::adapters::dtone::DtoneProvider;
use vas_core::adapters::eclipse::EclipseProvider;
use vas_core::adapters::gsubz::GsubzProvider;
use vas_core::adapters::vtpass::VtpassProvider;
use vas_core::{
    Backoff, CatalogQuery, Currency, ErrorKind, ExposeSecret, MeterType, Money, Outcome, Price,
    ProductKind, ProductRef, PurchaseRequest, Receipt, Recipient, Vas, Vendor,
};
use vas_sandbox::credentials as cred;
use vas_sandbox::{Sandbox, SandboxConfig, Vendor as Sim};

/// The client timeout: shorter than the sandbox's held answers, so "timeout" scenarios time
/// out.
const TIMEOUT: Duration = Duration::from_millis(400);

async fn sandbox() -> Sandbox {
    let config = SandboxConfig::default()
        .settle_after(Duration::from_millis(150))
        .timeout_delay(Duration::from_millis(900));
    Sandbox::start(config).await.expect("sandbox starts")
}

fn vas(sandbox: &Sandbox) -> Vas {
    let vtpass = vtpass_client::Client::builder()
        .base_url(sandbox.base_url(Sim::Vtpass))
        .basic_auth(cred::VTPASS_EMAIL, cred::VTPASS_PASSWORD)
        .timeout(TIMEOUT)
        .build()
        .expect("vtpass client");
    let eclipse = eclipse_vas::Client::builder()
        .base_url(sandbox.base_url(Sim::Eclipse))
        .tenant(cred::ECLIPSE_TENANT_ID)
        .credentials(cred::ECLIPSE_IDENTITY, cred::ECLIPSE_PASSWORD)
        .timeout(TIMEOUT)
        .build()
        .expect("eclipse client");
    let dtone = dtone_gs::Client::builder()
        .base_url(sandbox.base_url(Sim::Dtone))
        .credentials(cred::DTONE_API_KEY, cred::DTONE_API_SECRET)
        .timeout(TIMEOUT)
        .build()
        .expect("dtone client");
    let gsubz = gsubz_client::Client::builder(cred::GSUBZ_API_KEY)
        .base_url(sandbox.base_url(Sim::Gsubz))
        .timeout(TIMEOUT)
        .build()
        .expect("gsubz client");
    Vas::builder()
        .provider(VtpassProvider::new(vtpass))
        .provider(EclipseProvider::new(eclipse).wallet(830989))
        .provider(DtoneProvider::new(dtone))
        .provider(GsubzProvider::new(gsubz))
        .poll_backoff(
            Backoff::new(Duration::from_millis(100))
                .max_delay(Duration::from_millis(300))
                .jitter(0.1),
        )
        .poll_deadline(Duration::from_millis(1500))
        .build()
        .expect("vas")
}

/// The purchase and status counters of a vendor: (purchases, status queries).
fn counts(sandbox: &Sandbox, vendor: Sim) -> (u64, u64) {
    let (pay, status) = match vendor {
        Sim::Vtpass => ("pay", "requery"),
        Sim::Eclipse => ("initiate-payment", "get-payment"),
        Sim::Dtone => ("transactions", "transaction-status"),
        Sim::Gsubz => ("pay", "verify"),
    };
    (sandbox.count(vendor, pay), sandbox.count(vendor, status))
}

fn check_receipt(receipt: &Receipt, vendor: Vendor, reference: &vas_core::Reference) {
    assert_eq!(receipt.vendor, vendor);
    assert_eq!(&receipt.reference, reference);
    assert!(
        receipt.vendor_transaction_id.as_deref().is_some_and(|id| !id.is_empty()),
        "{receipt:?}"
    );
    assert!(
        receipt.raw.as_ref().and_then(|r| r.as_json()).is_some(),
        "the vendor's answer is kept: {receipt:?}"
    );
}

// ---- the same scenario for each vendor ----

#[tokio::test]
async fn vtpass_catalog_validate_purchase_status() {
    let sandbox = sandbox().await;
    let vas = vas(&sandbox);

    let catalog =
        vas.catalog(&CatalogQuery::all().vendor(Vendor::Vtpass).operator("MTN")).await.unwrap();
    assert!(catalog.errors.is_empty());
    let mtn = catalog.products.iter().find(|p| p.id == "mtn").expect("MTN airtime is listed");
    assert_eq!(mtn.kind, ProductKind::Airtime);
    assert_eq!(mtn.country.as_deref(), Some("NG"));
    assert_eq!(mtn.price, Price::range(Currency::Ngn, Some(dec!(50)), Some(dec!(50000))));
    let data = vas
        .catalog(&CatalogQuery::all().vendor(Vendor::Vtpass).kind(ProductKind::Data))
        .await
        .unwrap();
    let spectranet =
        data.products.iter().find(|p| p.id == "spectranet/vt-1000").expect("a documented plan");
    assert_eq!(spectranet.price, Price::fixed(dec!(1000), Currency::Ngn));
    assert_eq!(spectranet.detail["variation"]["variation_code"], "vt-1000");

    let meter = ProductRef::new(Vendor::Vtpass, "ikeja-electric/prepaid");
    let info = vas
        .validate_recipient(&meter, &Recipient::meter("1111111111111", Some(MeterType::Prepaid)))
        .await
        .unwrap();
    assert!(info.verified);
    assert_eq!(info.name.as_deref(), Some("TEST SANDBOX METER"));
    let wrong =
        vas.validate_recipient(&meter, &Recipient::meter("2222222222222", None)).await.unwrap_err();
    assert_eq!((wrong.kind(), wrong.vendor()), (ErrorKind::NotFound, Some(Vendor::Vtpass)));

    let prepared = vas
        .prepare(PurchaseRequest::new(mtn, Recipient::phone("+234 801 111 1111")).amount(dec!(100)))
        .await
        .unwrap();
    assert_eq!(counts(&sandbox, Sim::Vtpass), (0, 0), "prepare sends nothing");
    let receipt = vas.execute(&prepared).await.unwrap();
    assert_eq!(receipt.outcome, Outcome::Delivered);
    check_receipt(&receipt, Vendor::Vtpass, prepared.reference());
    assert_eq!(receipt.amount, Some(Money::ngn(dec!(100))));

    let status = vas.status_of(&prepared.key()).await.unwrap();
    assert_eq!(status.outcome, Outcome::Delivered);
    assert_eq!(status.vendor_transaction_id, receipt.vendor_transaction_id);
    assert_eq!(counts(&sandbox, Sim::Vtpass), (1, 1));

    // Electricity delivers a token, kept as a secret.
    let power = vas
        .prepare(
            PurchaseRequest::new(
                meter,
                Recipient::meter("1111111111111", Some(MeterType::Prepaid)),
            )
            .amount(dec!(1500))
            .field("phone", "08011111111"),
        )
        .await
        .unwrap();
    let receipt = vas.execute(&power).await.unwrap();
    assert_eq!(receipt.outcome, Outcome::Delivered);
    let token =
        receipt.delivered.token.as_ref().map(|t| t.expose_secret().to_owned()).expect("a token");
    assert!(token.starts_with("4567 8901 2345"), "{token}");
    assert!(!format!("{receipt:?}").contains(&token));
    sandbox.shutdown().await;
}

#[tokio::test]
async fn gsubz_catalog_validate_purchase_status() {
    let sandbox = sandbox().await;
    let vas = vas(&sandbox);

    let catalog = vas
        .catalog(&CatalogQuery::all().vendor(Vendor::Gsubz).kind(ProductKind::Data))
        .await
        .unwrap();
    let plan = catalog.products.iter().find(|p| p.id == "mtn_cg/213").expect("the 1GB plan");
    assert_eq!(plan.price, Price::fixed(dec!(245), Currency::Ngn));
    assert_eq!(plan.operator.as_deref(), Some("MTN"));
    let airtime = vas
        .catalog(&CatalogQuery::all().vendor(Vendor::Gsubz).kind(ProductKind::Airtime))
        .await
        .unwrap();
    let mtn = airtime.products.iter().find(|p| p.id == "mtn").expect("MTN airtime");
    let phone = mtn.fields.iter().find(|f| f.name == "phone").expect("the documented phone field");
    assert_eq!(phone.pattern.as_ref().map(|p| p.as_str()), Some("[0-9]+"));

    let info = vas
        .validate_recipient(&plan.product_ref(), &Recipient::phone("08031234567"))
        .await
        .unwrap();
    assert!(!info.verified, "GSUBZ has no lookup for phones: only local checks");

    let prepared =
        vas.prepare(PurchaseRequest::new(plan, Recipient::phone("0803 123 4567"))).await.unwrap();
    assert!(prepared.reference().as_str().bytes().all(|b| b.is_ascii_digit()));
    let receipt = vas.execute(&prepared).await.unwrap();
    assert_eq!(receipt.outcome, Outcome::Delivered);
    check_receipt(&receipt, Vendor::Gsubz, prepared.reference());
    assert_eq!(receipt.amount.map(|m| m.amount), Some(dec!(245)));

    let status = vas.status(Vendor::Gsubz, prepared.reference()).await.unwrap();
    assert_eq!(
        (status.outcome, &status.vendor_transaction_id),
        (Outcome::Delivered, &receipt.vendor_transaction_id)
    );
    assert_eq!(counts(&sandbox, Sim::Gsubz), (1, 1));
    sandbox.shutdown().await;
}

#[tokio::test]
async fn dtone_catalog_validate_purchase_status() {
    let sandbox = sandbox().await;
    let vas = vas(&sandbox);

    let catalog =
        vas.catalog(&CatalogQuery::all().vendor(Vendor::Dtone).country("GT")).await.unwrap();
    let product =
        catalog.products.iter().find(|p| p.id == "64").expect("the documented product 64");
    assert_eq!(product.kind, ProductKind::Tv);
    assert_eq!(product.operator.as_deref(), Some("Claro TV Guatemala USD"));
    assert_eq!(product.price, Price::fixed(dec!(14), Currency::Usd));
    assert_eq!(product.detail["category"], "fixed_value_recharges");
    assert_eq!(product.detail["product"]["wholesale_price"], serde_json::json!(12.5));

    let info = vas
        .validate_recipient(&product.product_ref(), &Recipient::account("50212345678"))
        .await
        .unwrap();
    assert!(info.verified);
    assert_eq!(sandbox.count(Sim::Dtone, "account-status"), 1);

    let prepared = vas
        .prepare(PurchaseRequest::new(product, Recipient::account("50212345678")))
        .await
        .unwrap();
    let receipt = vas.execute(&prepared).await.unwrap();
    assert_eq!(receipt.outcome, Outcome::Delivered);
    check_receipt(&receipt, Vendor::Dtone, prepared.reference());
    assert_eq!(receipt.amount, Some(Money::new(dec!(14), Currency::Usd)));

    let status = vas.status(Vendor::Dtone, prepared.reference()).await.unwrap();
    assert_eq!(
        (status.outcome, &status.vendor_transaction_id),
        (Outcome::Delivered, &receipt.vendor_transaction_id)
    );
    assert_eq!(counts(&sandbox, Sim::Dtone), (1, 1));
    sandbox.shutdown().await;
}

#[tokio::test]
async fn eclipse_catalog_validate_purchase_status() {
    let sandbox = sandbox().await;
    let vas = vas(&sandbox);

    let catalog = vas
        .catalog(
            &CatalogQuery::all()
                .vendor(Vendor::Eclipse)
                .country("ZA")
                .operator("MTN")
                .kind(ProductKind::Airtime),
        )
        .await
        .unwrap();
    let product = catalog.products.iter().find(|p| p.id == "4_M500").expect("MTN pinless airtime");
    assert_eq!(product.price, Price::range(Currency::Zar, None, None));
    let msisdn = product.fields.iter().find(|f| f.name == "msisdn").expect("the msisdn field");
    assert!(msisdn.pattern.is_some());

    let info = vas
        .validate_recipient(&product.product_ref(), &Recipient::phone("083 123 4567"))
        .await
        .unwrap();
    assert!(!info.verified);

    let prepared = vas
        .prepare(PurchaseRequest::new(product, Recipient::phone("0831234567")).amount(dec!(10)))
        .await
        .unwrap();
    let receipt = vas.execute(&prepared).await.unwrap();
    assert_eq!(receipt.outcome, Outcome::Delivered, "{receipt:?}");
    check_receipt(&receipt, Vendor::Eclipse, prepared.reference());
    assert_eq!(receipt.amount, Some(Money::new(dec!(10), Currency::Zar)));

    let status = vas.status(Vendor::Eclipse, prepared.reference()).await.unwrap();
    assert_eq!(
        (status.outcome, &status.vendor_transaction_id),
        (Outcome::Delivered, &receipt.vendor_transaction_id)
    );
    let (purchases, statuses) = counts(&sandbox, Sim::Eclipse);
    assert_eq!(purchases, 1);
    assert!(statuses >= 2, "the payment settles after being pending: {statuses}");
    sandbox.shutdown().await;
}

// ---- caller errors ----

#[tokio::test]
async fn caller_errors_never_reach_the_vendors() {
    let sandbox = sandbox().await;
    let vas = vas(&sandbox);
    let vt = |id: &str| ProductRef::new(Vendor::Vtpass, id);
    let gs = |id: &str| ProductRef::new(Vendor::Gsubz, id);
    let dt = |id: &str| ProductRef::new(Vendor::Dtone, id);
    let ec = |id: &str| ProductRef::new(Vendor::Eclipse, id);
    // Look the products up once, so that the checks below need no request at all.
    for p in [
        vt("mtn"),
        vt("ikeja-electric/prepaid"),
        gs("mtn_cg/213"),
        gs("mtn"),
        dt("64"),
        ec("4_M500"),
    ] {
        assert!(vas.product(&p).await.unwrap().is_some(), "{p}");
    }
    let before = sandbox.counts();

    let cases: Vec<(&str, PurchaseRequest, &str)> = vec![
        (
            "VTpass: amount below the minimum",
            PurchaseRequest::new(vt("mtn"), Recipient::phone("08011111111")).amount(dec!(49)),
            "amount",
        ),
        (
            "VTpass: amount above the maximum",
            PurchaseRequest::new(vt("mtn"), Recipient::phone("08011111111")).amount(dec!(50001)),
            "amount",
        ),
        (
            "VTpass: phone failing the field's format",
            PurchaseRequest::new(vt("mtn"), Recipient::phone("06011111111")).amount(dec!(100)),
            "recipient",
        ),
        (
            "VTpass: malformed phone",
            PurchaseRequest::new(vt("mtn"), Recipient::phone("0801111")).amount(dec!(100)),
            "recipient",
        ),
        (
            "VTpass: meter for an airtime product",
            PurchaseRequest::new(vt("mtn"), Recipient::meter("1111111111111", None))
                .amount(dec!(100)),
            "recipient",
        ),
        (
            "VTpass: required phone field missing",
            PurchaseRequest::new(
                vt("ikeja-electric/prepaid"),
                Recipient::meter("1111111111111", None),
            )
            .amount(dec!(1000)),
            "phone",
        ),
        (
            "VTpass: request id not in VTpass's format",
            PurchaseRequest::new(vt("mtn"), Recipient::phone("08011111111"))
                .amount(dec!(100))
                .reference("abc"),
            "reference",
        ),
        (
            "GSUBZ: amount other than the plan's price",
            PurchaseRequest::new(gs("mtn_cg/213"), Recipient::phone("08031234567"))
                .amount(dec!(200)),
            "amount",
        ),
        (
            "GSUBZ: phone of another country",
            PurchaseRequest::new(gs("mtn"), Recipient::phone("+27821234567")).amount(dec!(100)),
            "recipient",
        ),
        (
            "GSUBZ: email failing its kind",
            PurchaseRequest::new(gs("mtn"), Recipient::phone("08031234567"))
                .amount(dec!(100))
                .field("email", "no-at-sign"),
            "email",
        ),
        (
            "DT One: phone for an account product",
            PurchaseRequest::new(dt("64"), Recipient::phone("+50212345678")),
            "recipient",
        ),
        (
            "DT One: amount other than the price",
            PurchaseRequest::new(dt("64"), Recipient::account("50212345678")).amount(dec!(15)),
            "amount",
        ),
        (
            "Eclipse: amount with too many decimals",
            PurchaseRequest::new(ec("4_M500"), Recipient::phone("0831234567")).amount(dec!(10.001)),
            "amount",
        ),
        (
            "Eclipse: negative amount",
            PurchaseRequest::new(ec("4_M500"), Recipient::phone("0831234567")).amount(dec!(-10)),
            "amount",
        ),
    ];
    for (name, request, field) in cases {
        let e = vas.prepare(request).await.expect_err(name);
        assert_eq!((e.kind(), e.field()), (ErrorKind::CallerInput, Some(field)), "{name}: {e}");
    }
    assert_eq!(sandbox.counts(), before, "not a single request for any of them");

    // A product unknown to the catalog costs a catalog read, never a purchase.
    for p in [vt("mtn-99"), gs("mtn_cg/999"), dt("99999"), ec("4_NOPE")] {
        let e = vas
            .prepare(
                PurchaseRequest::new(p.clone(), Recipient::phone("08011111111")).amount(dec!(100)),
            )
            .await
            .unwrap_err();
        assert_eq!((e.kind(), e.field()), (ErrorKind::CallerInput, Some("product")), "{p}: {e}");
    }
    for vendor in Sim::ALL {
        assert_eq!(counts(&sandbox, vendor), (0, 0), "{vendor}: no purchase, no status query");
    }
    sandbox.shutdown().await;
}

// ---- unknown outcomes ----

#[tokio::test]
async fn unknown_outcomes_are_resolved_by_status_with_one_purchase_per_reference() {
    let sandbox = sandbox().await;
    let vas = vas(&sandbox);
    // Each scenario is processed by the sandbox, then its answer is lost: held past the
    // client's timeout, dropped, replaced by a 502 page, or an undocumented code.
    let vtpass = |billers: &str| {
        PurchaseRequest::new(
            ProductRef::new(Vendor::Vtpass, "spectranet/vt-1000"),
            Recipient::account(billers),
        )
        .field("phone", "08011111111")
    };
    let cases: Vec<(Sim, PurchaseRequest)> = vec![
        (Sim::Vtpass, vtpass("300000000000")),
        (Sim::Vtpass, vtpass("400000000000")),
        (Sim::Vtpass, vtpass("500000000000")),
        (
            Sim::Gsubz,
            PurchaseRequest::new(
                ProductRef::new(Vendor::Gsubz, "mtn"),
                Recipient::phone("08000000003"),
            )
            .amount(dec!(100)),
        ),
        (
            Sim::Gsubz,
            PurchaseRequest::new(
                ProductRef::new(Vendor::Gsubz, "mtn"),
                Recipient::phone("08000000004"),
            )
            .amount(dec!(100)),
        ),
        (
            Sim::Gsubz,
            PurchaseRequest::new(
                ProductRef::new(Vendor::Gsubz, "mtn"),
                Recipient::phone("08000000005"),
            )
            .amount(dec!(100)),
        ),
        (
            Sim::Dtone,
            PurchaseRequest::new(
                ProductRef::new(Vendor::Dtone, "64"),
                Recipient::account("50200000003"),
            ),
        ),
        (
            Sim::Dtone,
            PurchaseRequest::new(
                ProductRef::new(Vendor::Dtone, "64"),
                Recipient::account("50200000004"),
            ),
        ),
        (
            Sim::Dtone,
            PurchaseRequest::new(
                ProductRef::new(Vendor::Dtone, "64"),
                Recipient::account("50200000005"),
            ),
        ),
        (
            Sim::Eclipse,
            PurchaseRequest::new(
                ProductRef::new(Vendor::Eclipse, "4_M500"),
                Recipient::phone("0830000003"),
            )
            .amount(dec!(10)),
        ),
        (
            Sim::Eclipse,
            PurchaseRequest::new(
                ProductRef::new(Vendor::Eclipse, "4_M500"),
                Recipient::phone("0830000004"),
            )
            .amount(dec!(10)),
        ),
        (
            Sim::Eclipse,
            PurchaseRequest::new(
                ProductRef::new(Vendor::Eclipse, "4_M500"),
                Recipient::phone("0830000005"),
            )
            .amount(dec!(10)),
        ),
    ];
    // The vendors run side by side; each vendor's cases run one after the other, so that its
    // counters tell each reference's requests apart.
    let run_vendor = |vendor: Sim| {
        let mine: Vec<PurchaseRequest> =
            cases.iter().filter(|(v, _)| *v == vendor).map(|(_, r)| r.clone()).collect();
        let (vas, sandbox) = (&vas, &sandbox);
        async move {
            for request in mine {
                let what = format!("{vendor} {}", request.recipient.value());
                let (pay_before, status_before) = counts(sandbox, vendor);
                let prepared = vas.prepare(request).await.expect(&what);
                let receipt = vas.execute(&prepared).await.expect(&what);
                let (pay, status) = counts(sandbox, vendor);
                assert_eq!(pay - pay_before, 1, "{what}: exactly one purchase for the reference");
                assert_eq!(&receipt.reference, prepared.reference(), "{what}");
                match vendor {
                    // Eclipse: without a payment id (the initiate answer was lost) the adapter
                    // cannot ask Eclipse by reference, so the purchase stays pending; never
                    // failed, never sent again.
                    Sim::Eclipse => {
                        assert_eq!(receipt.outcome, Outcome::Pending, "{what}: {receipt:?}");
                        let note = receipt.message.as_deref().unwrap_or_default();
                        assert!(note.contains("not known"), "{what}: {receipt:?}");
                        let e = vas.status_of(&prepared.key()).await.unwrap_err();
                        assert_eq!(
                            (e.kind(), e.reference()),
                            (ErrorKind::Config, Some(prepared.reference()))
                        );
                    }
                    _ => {
                        assert_eq!(receipt.outcome, Outcome::Delivered, "{what}: {receipt:?}");
                        assert!(status > status_before, "{what}: resolved by a status query");
                    }
                }
                // Executing the same purchase again is refused: nothing more is sent.
                let again = vas.execute(&prepared).await.unwrap_err();
                assert_eq!(again.kind(), ErrorKind::CallerInput, "{what}");
                assert_eq!(counts(sandbox, vendor).0, pay, "{what}");
            }
        }
    };
    futures::future::join_all(Sim::ALL.map(run_vendor)).await;
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_purchase_still_pending_at_the_deadline_is_pending_with_its_reference() {
    let sandbox = Sandbox::start(SandboxConfig::default().settle_after(Duration::from_secs(30)))
        .await
        .unwrap();
    let vtpass = vtpass_client::Client::builder()
        .base_url(sandbox.base_url(Sim::Vtpass))
        .basic_auth(cred::VTPASS_EMAIL, cred::VTPASS_PASSWORD)
        .build()
        .unwrap();
    let vas = Vas::builder()
        .provider(VtpassProvider::new(vtpass))
        .poll_backoff(Backoff::new(Duration::from_millis(100)).no_jitter())
        .poll_deadline(Duration::from_millis(800))
        .build()
        .unwrap();
    let prepared = vas
        .prepare(
            PurchaseRequest::new(
                ProductRef::new(Vendor::Vtpass, "spectranet/vt-2000"),
                Recipient::account("201000000000"),
            )
            .field("phone", "08011111111"),
        )
        .await
        .unwrap();
    let receipt = vas.execute(&prepared).await.unwrap();
    assert_eq!(receipt.outcome, Outcome::Pending);
    assert_eq!(receipt.key(), prepared.key());
    // Waits of 100, 200 and 400 ms fit in the deadline (fewer when the machine is slow); the
    // next 800 ms do not. One purchase, whatever happened.
    let requeries = sandbox.count(Sim::Vtpass, "requery");
    assert_eq!(sandbox.count(Sim::Vtpass, "pay"), 1);
    assert!((1..=3).contains(&requeries), "{requeries} status queries");
    sandbox.shutdown().await;
}

// ---- refused credentials and secrets ----

#[tokio::test]
async fn refused_credentials_are_auth_errors_with_the_vendor_error_reachable() {
    let sandbox = sandbox().await;
    let vtpass = vtpass_client::Client::builder()
        .base_url(sandbox.base_url(Sim::Vtpass))
        .basic_auth(cred::VTPASS_EMAIL, "not-the-password")
        .build()
        .unwrap();
    let eclipse = eclipse_vas::Client::builder()
        .base_url(sandbox.base_url(Sim::Eclipse))
        .tenant(cred::ECLIPSE_TENANT_ID)
        .credentials(cred::ECLIPSE_IDENTITY, "not-the-password")
        .build()
        .unwrap();
    let dtone = dtone_gs::Client::builder()
        .base_url(sandbox.base_url(Sim::Dtone))
        .credentials(cred::DTONE_API_KEY, "not-the-secret")
        .build()
        .unwrap();
    let gsubz = gsubz_client::Client::builder("ap_not-the-key")
        .base_url(sandbox.base_url(Sim::Gsubz))
        .build()
        .unwrap();
    let vas = Vas::builder()
        .provider(VtpassProvider::new(vtpass))
        .provider(EclipseProvider::new(eclipse))
        .provider(DtoneProvider::new(dtone))
        .provider(GsubzProvider::new(gsubz))
        .build()
        .unwrap();
    for vendor in Vendor::ALL {
        let e = match vendor {
            // GSUBZ's catalog needs no key (as documented); its status query does.
            Vendor::Gsubz => {
                vas.status(vendor, &vas_core::Reference::new("8755965695964845")).await.unwrap_err()
            }
            _ => vas.catalog(&CatalogQuery::all().vendor(vendor)).await.unwrap_err(),
        };
        assert_eq!((e.kind(), e.vendor()), (ErrorKind::Auth, Some(vendor)), "{vendor}: {e:?}");
        let reachable = match vendor {
            Vendor::Vtpass => e.vendor_error::<vtpass_client::Error>().is_some(),
            Vendor::Eclipse => e.vendor_error::<eclipse_vas::Error>().is_some(),
            Vendor::Dtone => e.vendor_error::<dtone_gs::Error>().is_some(),
            _ => e.vendor_error::<gsubz_client::Error>().is_some(),
        };
        assert!(reachable, "{vendor}: the vendor crate's error is the source");
        assert!(std::error::Error::source(&e).is_some());
        let shown = format!("{e} {e:?}");
        for secret in ["not-the-password", "not-the-secret", "ap_not-the-key"] {
            assert!(!shown.contains(secret), "{vendor}: {shown}");
        }
    }
    let shown = format!("{vas:?}");
    assert!(!shown.contains("not-the"), "{shown}");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn no_credential_in_the_debug_of_the_providers() {
    let sandbox = sandbox().await;
    let vtpass = vtpass_client::Client::builder()
        .base_url(sandbox.base_url(Sim::Vtpass))
        .basic_auth(cred::VTPASS_EMAIL, cred::VTPASS_PASSWORD)
        .build()
        .unwrap();
    let eclipse = eclipse_vas::Client::builder()
        .base_url(sandbox.base_url(Sim::Eclipse))
        .tenant(cred::ECLIPSE_TENANT_ID)
        .credentials(cred::ECLIPSE_IDENTITY, cred::ECLIPSE_PASSWORD)
        .build()
        .unwrap();
    let dtone = dtone_gs::Client::builder()
        .base_url(sandbox.base_url(Sim::Dtone))
        .credentials(cred::DTONE_API_KEY, cred::DTONE_API_SECRET)
        .build()
        .unwrap();
    let gsubz = gsubz_client::Client::builder(cred::GSUBZ_API_KEY)
        .base_url(sandbox.base_url(Sim::Gsubz))
        .build()
        .unwrap();
    let shown = format!(
        "{:?} {:?} {:?} {:?}",
        VtpassProvider::new(vtpass),
        EclipseProvider::new(eclipse),
        DtoneProvider::new(dtone),
        GsubzProvider::new(gsubz)
    );
    for secret in
        [cred::VTPASS_PASSWORD, cred::ECLIPSE_PASSWORD, cred::DTONE_API_SECRET, cred::GSUBZ_API_KEY]
    {
        assert!(!shown.contains(secret), "{secret} in {shown}");
    }
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_reference_the_vendor_never_received_is_not_found_never_failed() {
    let sandbox = sandbox().await;
    let vas = vas(&sandbox);
    for vendor in [Vendor::Vtpass, Vendor::Gsubz, Vendor::Dtone] {
        let prepared = vas
            .prepare(match vendor {
                Vendor::Vtpass => PurchaseRequest::new(
                    ProductRef::new(vendor, "mtn"),
                    Recipient::phone("08011111111"),
                )
                .amount(dec!(100)),
                Vendor::Gsubz => PurchaseRequest::new(
                    ProductRef::new(vendor, "mtn"),
                    Recipient::phone("08011111111"),
                )
                .amount(dec!(100)),
                _ => PurchaseRequest::new(
                    ProductRef::new(vendor, "64"),
                    Recipient::account("50212345678"),
                ),
            })
            .await
            .unwrap();
        // Prepared and stored, never executed (say the process stopped): the vendor does not
        // know the reference, which is an error of its own kind, not a failed purchase.
        let e = vas.status_of(&prepared.key()).await.unwrap_err();
        assert_eq!(
            (e.kind(), e.reference()),
            (ErrorKind::NotFound, Some(prepared.reference())),
            "{vendor}: {e}"
        );
    }
    for vendor in Sim::ALL {
        assert_eq!(counts(&sandbox, vendor).0, 0);
    }
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_hundred_concurrent_catalog_misses_make_one_request_per_vendor_endpoint() {
    let sandbox = sandbox().await;
    let vas = vas(&sandbox);
    let query = CatalogQuery::all();
    let answers = futures::future::join_all((0..100).map(|_| vas.catalog(&query))).await;
    let sizes: Vec<usize> =
        answers.into_iter().map(|a| a.map(|c| c.products.len()).unwrap()).collect();
    assert!(sizes[0] > 0 && sizes.iter().all(|n| *n == sizes[0]), "{sizes:?}");
    // One catalog answer per vendor: each endpoint it needs was asked once, not 100 times.
    for (vendor, endpoint, once) in [
        (Sim::Vtpass, "service-categories", 1),
        (Sim::Vtpass, "services", 4),
        (Sim::Vtpass, "service-variations", 2),
        (Sim::Eclipse, "catalogs", 1),
        (Sim::Dtone, "operators", 1),
        (Sim::Dtone, "operator-products", 1),
        (Sim::Gsubz, "fields", 1),
        (Sim::Gsubz, "plans", 2),
    ] {
        assert_eq!(sandbox.count(vendor, endpoint), once, "{vendor} {endpoint}");
    }
    // Within the time-to-live, the next call is answered from the cache.
    let before = sandbox.counts();
    vas.catalog(&query).await.unwrap();
    assert_eq!(sandbox.counts(), before);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_pending_purchase_is_resumed_by_a_new_client_from_its_stored_key() {
    let sandbox = Sandbox::start(SandboxConfig::default().settle_after(Duration::from_millis(700)))
        .await
        .unwrap();
    // Three of the vendors, with a deadline shorter than the settle time.
    let impatient = |sandbox: &Sandbox| {
        Vas::builder()
            .provider(VtpassProvider::new(
                vtpass_client::Client::builder()
                    .base_url(sandbox.base_url(Sim::Vtpass))
                    .basic_auth(cred::VTPASS_EMAIL, cred::VTPASS_PASSWORD)
                    .build()
                    .unwrap(),
            ))
            .provider(DtoneProvider::new(
                dtone_gs::Client::builder()
                    .base_url(sandbox.base_url(Sim::Dtone))
                    .credentials(cred::DTONE_API_KEY, cred::DTONE_API_SECRET)
                    .build()
                    .unwrap(),
            ))
            .provider(GsubzProvider::new(
                gsubz_client::Client::builder(cred::GSUBZ_API_KEY)
                    .base_url(sandbox.base_url(Sim::Gsubz))
                    .build()
                    .unwrap(),
            ))
            .poll_backoff(Backoff::new(Duration::from_millis(50)).no_jitter())
            .poll_deadline(Duration::from_millis(200))
            .build()
            .unwrap()
    };
    let requests = [
        (
            Sim::Vtpass,
            PurchaseRequest::new(
                ProductRef::new(Vendor::Vtpass, "spectranet/vt-1000"),
                Recipient::account("201000000000"),
            )
            .field("phone", "08011111111"),
        ),
        (
            Sim::Gsubz,
            PurchaseRequest::new(
                ProductRef::new(Vendor::Gsubz, "mtn_cg/213"),
                Recipient::phone("08000000002"),
            ),
        ),
        (
            Sim::Dtone,
            PurchaseRequest::new(
                ProductRef::new(Vendor::Dtone, "64"),
                Recipient::account("50200000002"),
            ),
        ),
    ];
    let mut stored = Vec::new();
    {
        let first = impatient(&sandbox);
        for (vendor, request) in requests {
            let prepared = first.prepare(request).await.unwrap();
            let receipt = first.execute(&prepared).await.unwrap();
            assert_eq!(receipt.outcome, Outcome::Pending, "{vendor}: {receipt:?}");
            stored.push((vendor, prepared.key().to_string()));
        }
    }
    // A new process: a new client and the stored keys only.
    let later = vas(&sandbox);
    for (vendor, key) in stored {
        let key: vas_core::PurchaseKey = key.parse().unwrap();
        let receipt = later.resume(&key).await.unwrap();
        assert_eq!((receipt.outcome, receipt.key()), (Outcome::Delivered, key.clone()), "{vendor}");
        assert_eq!(counts(&sandbox, vendor).0, 1, "{vendor}: resuming never buys again");
    }
    sandbox.shutdown().await;
}
