//! Every DT One fixture decodes into its model, re-encodes to the same JSON, and is pinned by
//! a snapshot.

use dtone_gs::{
    AccountStatus, ErrorBody, ErrorCode, ProductCategory, ProductList, SuggestedValues,
};
use rust_decimal_macros::dec;
use vas_common::testing::{check, check_coverage, decode, read};

const VENDOR: &str = "dtone";

type Check = fn(&str, &str) -> Result<String, String>;

/// Every fixture, mapped to its model type (the one place this is decided).
const MAPPED: &[(&str, Check)] = &[
    ("operator-products.response.json", check::<ProductList>),
    ("country-products.response.json", check::<ProductList>),
    ("service-products.response.json", check::<ProductList>),
    ("variable-value-recharge-suggested-values.response.json", check::<SuggestedValues>),
    ("account-number-status-verified.response.json", check::<AccountStatus>),
    ("account-number-status-not-available.response.json", check::<ErrorBody>),
];

/// Fixtures without a model yet. Must stay empty.
const NOT_YET_MODELLED: &[&str] = &[];

#[test]
fn every_fixture_is_mapped() {
    let names: Vec<&str> = MAPPED.iter().map(|(f, _)| *f).collect();
    check_coverage(VENDOR, &names, NOT_YET_MODELLED).unwrap();
    assert!(NOT_YET_MODELLED.is_empty());
    assert_eq!(MAPPED.len(), 6);
}

#[test]
fn every_fixture_round_trips_and_matches_its_snapshot() {
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
fn documented_request_examples_are_built() {
    // The excerpt documents no request body, so there is nothing to build.
    assert!(dtone_gs::doc_examples::requests().is_empty());
    for entry in vas_common::testing::manifest(VENDOR) {
        assert_eq!(entry.direction, "response", "{}", entry.file);
    }
}

#[test]
fn operator_products_are_typed_and_exact() {
    let list: ProductList = decode(&read(VENDOR, "operator-products.response.json")).unwrap();
    assert_eq!(list.len(), 2);
    assert!(list.fixed_value_vouchers.is_empty() && list.variable_value_payments.is_empty());
    let p = list.find(65).unwrap();
    assert_eq!(p.category(), ProductCategory::FixedValueRecharges);
    assert_eq!(p.product_type(), dtone_gs::ProductType::Recharges);
    assert_eq!(p.product_name.as_deref(), Some("$20 Advanced"));
    assert_eq!(p.operator_id, Some(1959));
    assert_eq!(p.country_id, Some(756));
    assert_eq!(p.wholesale_price.as_ref().unwrap().value(), dec!(18));
    assert_eq!(p.retail_price.as_ref().unwrap().value(), dec!(19.3));
    assert!(!p.retail_price.as_ref().unwrap().is_text());
    assert_eq!(list.find(64).unwrap().wholesale_price.as_ref().unwrap().value(), dec!(12.5));
    assert!(list.find(66).is_none());
}

#[test]
fn suggested_values_keep_string_prices_exact() {
    let s: SuggestedValues =
        decode(&read(VENDOR, "variable-value-recharge-suggested-values.response.json")).unwrap();
    assert_eq!(s.suggested_values.len(), 2);
    let v = &s.suggested_values[0];
    assert_eq!(v.local_value.value(), dec!(9));
    let w = v.wholesale_price.as_ref().unwrap();
    assert!(w.is_text());
    assert_eq!(w.value(), dec!(0.14));
    assert_eq!(serde_json::to_string(w).unwrap(), "\"0.14\"");
    assert_eq!(s.suggested_values[1].retail_price.as_ref().unwrap().value(), dec!(0.14));
    assert_eq!(v.additional_info_3.as_deref(), Some("data_amount:50 MB"));
}

#[test]
fn account_status_and_not_available_error() {
    let s: AccountStatus =
        decode(&read(VENDOR, "account-number-status-verified.response.json")).unwrap();
    assert_eq!(s.is_verified(), Some(true));
    let e: ErrorBody =
        decode(&read(VENDOR, "account-number-status-not-available.response.json")).unwrap();
    assert_eq!(e.errors.len(), 1);
    assert_eq!(e.errors[0].code, ErrorCode::AccountVerificationNotAvailable);
    assert_eq!(e.errors[0].message, "Account verification not available for this product");
}
