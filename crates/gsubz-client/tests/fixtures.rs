//! Every GSUBZ fixture decodes into its model, re-encodes to the same JSON, and is pinned
//! with a snapshot; every request fixture is also what the typed builders produce.

use gsubz_client::models::{
    Balance, BalanceRequest, Category, PayRequest, PayResponse, Plans, ServiceFields, VerifyRequest,
};
use vas_common::testing::{check, check_built, check_coverage};

const VENDOR: &str = "gsubz";

type Check = fn(&str, &str) -> Result<String, String>;

/// Every fixture and its model type: the one place where fixtures are mapped.
const MAPPED: &[(&str, Check)] = &[
    ("category.response.json", check::<Vec<Category>>),
    ("service.response.json", check::<ServiceFields>),
    ("fields.response.json", check::<ServiceFields>),
    ("plans.response.json", check::<Plans>),
    ("variation.response.json", check::<Plans>),
    ("pay-fixed.request.json", check::<PayRequest>),
    ("pay-flexible.request.json", check::<PayRequest>),
    ("pay.response.json", check::<PayResponse>),
    ("verify.request.json", check::<VerifyRequest>),
    ("verify.response.json", check::<PayResponse>),
    ("balance.request.json", check::<BalanceRequest>),
    ("balance.response.json", check::<Balance>),
    ("balance-current.response.json", check::<Balance>),
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
fn every_fixture_decodes_and_round_trips() {
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
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn request_fixtures_are_what_the_typed_builders_build() {
    let built = gsubz_client::doc_examples::requests();
    let requests: Vec<String> = vas_common::testing::manifest(VENDOR)
        .into_iter()
        .filter(|e| e.direction == "request")
        .map(|e| e.file)
        .collect();
    let mut names: Vec<&str> = built.iter().map(|(f, _)| *f).collect();
    names.sort_unstable();
    let mut expected: Vec<&str> = requests.iter().map(String::as_str).collect();
    expected.sort_unstable();
    assert_eq!(names, expected, "every request fixture must be built");
    for (file, value) in &built {
        check_built(VENDOR, file, value).unwrap();
    }
}

#[test]
fn the_balance_request_snapshot_hides_the_key() {
    let debug = check::<BalanceRequest>(VENDOR, "balance.request.json").unwrap();
    assert!(!debug.contains("ap_x"), "{debug}");
    assert!(debug.contains("[REDACTED]"));
}
