//! The vendor's documented request examples, built with this crate's typed builders.
//!
//! `cargo xtask fixtures` writes them to `fixtures/gsubz/built/`, and the crate's tests
//! compare each with its fixture, so the builders are proven to produce the documented
//! bodies.

use rust_decimal::Decimal;
use secrecy::SecretString;
use serde_json::Value;

use crate::RequestId;
use crate::models::{BalanceRequest, PayRequest, VerifyRequest};

/// Each documented request example as `(fixture file name, JSON object of its form fields)`.
pub fn requests() -> Vec<(&'static str, Value)> {
    let mut out = Vec::new();
    // "Request Flexible Payment" under Flexible Payment: a fixed GoTV purchase in fact.
    let fixed = PayRequest::fixed("gotv", "plan", "gotv-plus", Decimal::from(1900), "07031234567")
        .customer_id("111111")
        .email("name@example.com")
        .request_id(RequestId::from_u64(3_414_793_352))
        .build();
    if let Ok(v) = fixed.and_then(|r| to_value(&r)) {
        out.push(("pay-fixed.request.json", v));
    }
    // "Request Flexible Payment" under FIX Payment: a flexible MTN airtime purchase in fact.
    let flexible = PayRequest::flexible("mtn", "07031234567", Decimal::from(1000))
        .email("name@example.com")
        .request_id(RequestId::from_u64(897_439_437_848))
        .build();
    if let Ok(v) = flexible.and_then(|r| to_value(&r)) {
        out.push(("pay-flexible.request.json", v));
    }
    let verify = VerifyRequest::new(RequestId::from_u64(8_755_965_695_964_845));
    if let Ok(v) = to_value(&verify) {
        out.push(("verify.request.json", v));
    }
    // The doc's placeholder key, not a credential.
    let balance = BalanceRequest::new(SecretString::from("ap_xxxxxxxxxxxxxxxxxxx"));
    if let Ok(v) = to_value(&balance) {
        out.push(("balance.request.json", v));
    }
    out
}

fn to_value<T: serde::Serialize>(value: &T) -> crate::Result<Value> {
    serde_json::to_value(value).map_err(|e| crate::Error::input("example", e.to_string()))
}
