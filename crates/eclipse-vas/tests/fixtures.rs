//! Every documented Eclipse example decodes into its model and re-encodes to the same JSON;
//! every documented request is also produced by the typed builders.

use eclipse_vas::models::{Partner, Payment};
use eclipse_vas::{InitiatePayment, UpdatePayment};
use vas_common::testing::{check, check_built, check_coverage, load};

const VENDOR: &str = "eclipse";

type Check = fn(&str, &str) -> Result<String, String>;

/// Each fixture and its model: the one place fixtures are mapped.
const MAPPED: &[(&str, Check)] = &[
    ("scan-to-pay-initiate-payment.request.json", check::<InitiatePayment>),
    ("scan-to-pay-update-payment.request.json", check::<UpdatePayment>),
    ("acs-initiate-payment.request.json", check::<InitiatePayment>),
    ("acs-update-payment.request.json", check::<UpdatePayment>),
    ("kganya-initiate-payment.request.json", check::<InitiatePayment>),
    ("kganya-update-payment.request.json", check::<UpdatePayment>),
    ("payat-initiate-payment.request.json", check::<InitiatePayment>),
    ("payat-update-payment.request.json", check::<UpdatePayment>),
    ("easypay-initiate-payment.request.json", check::<InitiatePayment>),
    ("easypay-update-payment.request.json", check::<UpdatePayment>),
    ("dtb-ke-tax-catalog.response.json", check::<Vec<Partner>>),
    ("dtb-ke-tax-initiate-payment.request.json", check::<InitiatePayment>),
    ("dtb-ke-tax-initiate-payment.response.json", check::<Payment>),
    ("dtb-ke-vas-initiate-payment.request.json", check::<InitiatePayment>),
    ("dtb-ke-vas-initiate-payment.response.json", check::<Payment>),
    ("dtb-ug-local-catalog.response.json", check::<Vec<Partner>>),
    ("dtb-ug-nwsc-catalog.response.json", check::<Vec<Partner>>),
    ("dtb-ug-nwsc-initiate-payment.request.json", check::<InitiatePayment>),
    ("dtb-ug-umeme-catalog.response.json", check::<Vec<Partner>>),
    ("dtb-ug-umeme-initiate-payment.request.json", check::<InitiatePayment>),
    ("dtb-ug-umeme-initiate-payment.response.json", check::<Payment>),
    ("dtb-ug-ura-tax-catalog.response.json", check::<Vec<Partner>>),
    ("dtb-ug-ura-tax-initiate-payment.request.json", check::<InitiatePayment>),
    ("dtb-ug-ura-tax-initiate-payment.response.json", check::<Payment>),
    ("dtb-ug-mtn-initiate-payment.request.json", check::<InitiatePayment>),
    ("dtb-ug-mtn-initiate-payment.response.json", check::<Payment>),
    ("cellulant-initiate-payment.request.json", check::<InitiatePayment>),
    ("cellulant-update-payment.request.json", check::<UpdatePayment>),
    ("frontierweb-catalog.response.json", check::<Vec<Partner>>),
];

/// Fixtures without a model yet. Must stay empty.
const NOT_YET_MODELLED: &[&str] = &[];

#[test]
fn every_fixture_is_mapped_or_listed() {
    let mapped: Vec<&str> = MAPPED.iter().map(|(f, _)| *f).collect();
    if let Err(e) = check_coverage(VENDOR, &mapped, NOT_YET_MODELLED) {
        panic!("{e}");
    }
    assert!(NOT_YET_MODELLED.is_empty());
    assert_eq!(MAPPED.len(), 29, "the documentation has 29 JSON examples");
}

#[test]
fn every_fixture_decodes_round_trips_and_matches_its_snapshot() {
    let mut failures = Vec::new();
    for (file, check) in MAPPED {
        match check(VENDOR, file) {
            Ok(debug) => {
                let name = file.trim_end_matches(".json");
                insta::assert_snapshot!(name, debug);
            }
            Err(e) => failures.push(e),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn every_request_fixture_is_built_by_the_typed_builders() {
    let built = eclipse_vas::doc_examples::requests();
    let requests: Vec<&str> = vas_common::testing::manifest(VENDOR)
        .into_iter()
        .filter(|e| e.direction == "request")
        .map(|e| MAPPED.iter().find(|(f, _)| *f == e.file).map(|(f, _)| *f).unwrap_or("?"))
        .collect();
    assert_eq!(requests.len(), 18);
    let mut names: Vec<&str> = built.iter().map(|(f, _)| *f).collect();
    names.sort_unstable();
    let mut want = requests.clone();
    want.sort_unstable();
    assert_eq!(names, want, "the builders must produce every request fixture, once");
    let mut failures = Vec::new();
    for (file, value) in &built {
        if let Err(e) = check_built(VENDOR, file, value) {
            failures.push(e);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn extra_info_reencodes_to_the_same_string() {
    for file in [
        "dtb-ke-tax-initiate-payment.response.json",
        "dtb-ke-vas-initiate-payment.response.json",
        "dtb-ug-umeme-initiate-payment.response.json",
        "dtb-ug-ura-tax-initiate-payment.response.json",
        "dtb-ug-mtn-initiate-payment.response.json",
    ] {
        let value = load(VENDOR, file);
        let payment: Payment = serde_json::from_value(value.clone()).unwrap();
        let info = payment.extra_info.as_ref().unwrap();
        assert_eq!(Some(info.raw()), value["extraInfo"].as_str(), "{file}");
        let dtb = info.dtb().unwrap_or_else(|| panic!("{file}: no DTB details"));
        assert_eq!(dtb.to_json_string().unwrap(), info.raw(), "{file}");
        assert!(dtb.extra.is_empty(), "{file}: unmodelled DTB fields {:?}", dtb.extra.keys());
    }
    let mtn: Payment =
        serde_json::from_value(load(VENDOR, "dtb-ug-mtn-initiate-payment.response.json")).unwrap();
    let dtb = mtn.extra_info.as_ref().and_then(|i| i.dtb()).unwrap();
    assert_eq!(dtb.calling_customer_id, Some(723689));
    assert_eq!(dtb.destination_type.as_deref(), Some("MTN_WALLET"));
    assert_eq!(dtb.destination_phone.as_deref(), Some("256779999703"));
}

#[test]
fn no_fixture_has_unmodelled_fields() {
    for (file, _) in MAPPED.iter().filter(|(f, _)| f.ends_with(".response.json")) {
        let value = load(VENDOR, file);
        if file.contains("catalog") {
            let partners: Vec<Partner> = serde_json::from_value(value).unwrap();
            for p in &partners {
                assert!(p.extra.is_empty(), "{file}: {:?}", p.extra.keys());
                for product in &p.products {
                    assert!(product.extra.is_empty(), "{file}: {:?}", product.extra.keys());
                    for f in product.additional_fields.as_deref().unwrap_or_default() {
                        assert!(f.extra.is_empty(), "{file}: {:?}", f.extra.keys());
                    }
                }
            }
        } else {
            let p: Payment = serde_json::from_value(value).unwrap();
            assert!(p.extra.is_empty(), "{file}: {:?}", p.extra.keys());
        }
    }
}
