//! Every VTpass fixture decodes into its model, re-encodes to the same JSON, and is pinned by
//! a snapshot (secrets redacted). Request fixtures are also built with the typed builders.

use vas_common::testing::{check, check_built, check_coverage, manifest};
use vtpass_client::models::ServiceVariationsResponse;
use vtpass_client::{PayResponse, RequeryResponse};

const VENDOR: &str = "vtpass";

type Checker = fn(&str, &str) -> Result<String, String>;

/// Every fixture file mapped to its model type, in one place.
const MAPPED: &[(&str, Checker)] = &[
    ("spectranet-service-variations.response.json", check::<ServiceVariationsResponse>),
    ("spectranet-pay.response.json", check::<PayResponse>),
    ("spectranet-requery.response.json", check::<RequeryResponse>),
    ("etisalat-data-service-variations.response.json", check::<ServiceVariationsResponse>),
    ("etisalat-data-pay.response.json", check::<PayResponse>),
    ("etisalat-data-requery.response.json", check::<RequeryResponse>),
];

/// Fixtures without a model yet. Must stay empty.
const NOT_YET_MODELLED: &[&str] = &[];

#[test]
fn every_fixture_is_mapped() {
    let mapped: Vec<&str> = MAPPED.iter().map(|(f, _)| *f).collect();
    check_coverage(VENDOR, &mapped, NOT_YET_MODELLED).unwrap();
    assert!(NOT_YET_MODELLED.is_empty());
}

#[test]
fn every_fixture_round_trips_and_is_pinned() {
    let mut failures = Vec::new();
    for (file, checker) in MAPPED {
        match checker(VENDOR, file) {
            Ok(debug) => {
                assert!(!debug.contains("08999186"), "{file}: a PIN shows in Debug");
                insta::assert_snapshot!(file.trim_end_matches(".json"), debug);
            }
            Err(e) => failures.push(e),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_request_fixture_is_built_by_the_typed_builders() {
    let built = vtpass_client::doc_examples::requests();
    let requests: Vec<String> =
        manifest(VENDOR).into_iter().filter(|e| e.direction == "request").map(|e| e.file).collect();
    let built_names: Vec<&str> = built.iter().map(|(f, _)| *f).collect();
    for r in &requests {
        assert!(built_names.contains(&r.as_str()), "{r}: no typed builder output");
    }
    for (file, value) in &built {
        check_built(VENDOR, file, value).unwrap();
    }
    // The VTpass pages document request payloads as tables only.
    assert!(requests.is_empty() && built.is_empty());
}

#[test]
fn documented_examples_read_as_documented() {
    use rust_decimal_macros::dec;
    use vas_common::Outcome;
    use vtpass_client::{TransactionStatus, classify_pay, classify_requery};

    let spectranet: ServiceVariationsResponse = serde_json::from_value(vas_common::testing::load(
        VENDOR,
        "spectranet-service-variations.response.json",
    ))
    .unwrap();
    let plans = spectranet.variations();
    assert_eq!(plans.len(), 2);
    assert_eq!(plans[1].variation_code, "vt-2000");
    assert_eq!(plans[1].variation_amount.as_ref().unwrap().value(), dec!(2000));

    // Only `varations` here, with string amounts.
    let nine: ServiceVariationsResponse = serde_json::from_value(vas_common::testing::load(
        VENDOR,
        "etisalat-data-service-variations.response.json",
    ))
    .unwrap();
    assert_eq!(nine.variations()[0].variation_code, "eti-100");
    assert_eq!(nine.variations()[0].variation_amount.as_ref().unwrap().value(), dec!(100.00));
    assert!(nine.variations()[0].is_fixed_price());

    let pay: PayResponse =
        serde_json::from_value(vas_common::testing::load(VENDOR, "spectranet-pay.response.json"))
            .unwrap();
    assert_eq!(classify_pay(&pay).outcome, Outcome::Delivered);
    assert_eq!(classify_requery(&pay).outcome, Outcome::Delivered);
    assert_eq!(pay.status(), Some(TransactionStatus::Delivered));
    assert_eq!(pay.amount.as_ref().unwrap().value(), dec!(1000.00));
    assert_eq!(pay.transaction().unwrap().total_amount.as_ref().unwrap().value(), dec!(960));
    assert_eq!(pay.transaction_date.as_ref().unwrap().date(), Some("2022-04-04 10:08:47.000000"));
    assert_eq!(pay.cards().len(), 1);
    use secrecy::ExposeSecret as _;
    assert_eq!(pay.cards()[0].pin.as_ref().unwrap().expose_secret(), "08999186");
    assert_eq!(pay.purchased_code().unwrap().expose_secret(), "PIN: 08999186, S/N:81560189");

    let nine_pay: PayResponse = serde_json::from_value(vas_common::testing::load(
        VENDOR,
        "etisalat-data-pay.response.json",
    ))
    .unwrap();
    assert!(nine_pay.purchased_code().is_none(), "an empty purchased_code is no code");
    assert_eq!(nine_pay.request_id.as_deref(), Some("3476we129909djd"));
}
