//! Every documented answer, cut at every byte, and a few hostile bodies, through the same
//! decoding and classification as real answers: nothing panics, and an incomplete body is
//! never `Delivered` or `Failed`.

use std::path::PathBuf;

use vas_common::Outcome;

use crate::client::{Answer, Client};
use crate::models::catalog::read_code;
use crate::models::{ServiceVariationsResponse, TransactionResponse};
use crate::{Result, classify_pay_result, classify_requery_result, decode_webhook};

fn fixtures() -> Vec<(String, String)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/vtpass");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("fixtures/vtpass") {
        let path = entry.expect("dir entry").path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_owned();
        if name.ends_with(".response.json") {
            out.push((name, std::fs::read_to_string(&path).expect("fixture text")));
        }
    }
    out.sort();
    assert!(out.len() >= 6, "expected the six VTpass response fixtures, found {}", out.len());
    out
}

/// Every prefix of `body` that ends on a character boundary, the full body excluded.
fn prefixes(body: &str) -> impl Iterator<Item = &str> {
    (0..body.len()).filter(|&i| body.is_char_boundary(i)).filter_map(|i| body.get(..i))
}

fn transaction(endpoint: &'static str, status: u16, body: &str) -> Result<TransactionResponse> {
    Client::decode_transaction(
        endpoint,
        Answer { status, body: body.to_owned(), redirected: false },
        None,
    )
}

fn is_final(o: Outcome) -> bool {
    matches!(o, Outcome::Delivered | Outcome::Failed)
}

/// The PINs of the documented answers: never in a `Debug`.
const PINS: &[&str] = &["08999186"];

#[test]
fn every_fixture_cut_at_every_byte_is_never_final_and_never_panics() {
    for (name, body) in fixtures() {
        let full = body.trim_end();
        let mut cuts = 0;
        for cut in prefixes(full) {
            cuts += 1;
            for status in [200, 400] {
                let paid = transaction("pay", status, cut);
                let c = classify_pay_result(&paid);
                assert!(
                    !is_final(c.outcome),
                    "{name} cut at {} (HTTP {status}): pay {c:?}",
                    cut.len()
                );
                let asked = transaction("requery", status, cut);
                let c = classify_requery_result(&asked);
                assert!(
                    !is_final(c.outcome),
                    "{name} cut at {} (HTTP {status}): requery {c:?}",
                    cut.len()
                );
                let shown = format!("{paid:?} {asked:?}");
                for pin in PINS {
                    assert!(!shown.contains(pin), "{name} cut at {}: PIN in {shown}", cut.len());
                }
            }
            let variations = Client::decode_read::<ServiceVariationsResponse>(
                "service-variations",
                Answer { status: 200, body: cut.to_owned(), redirected: false },
                &["000"],
                |r| read_code(r.code.as_ref(), r.response_description.as_deref()),
            );
            assert!(variations.is_err(), "{name} cut at {} decoded as variations", cut.len());
            let hook = format!(r#"{{"type":"transaction-update","data":{cut}"#);
            match decode_webhook(hook.as_bytes()) {
                Ok(event) => panic!("{name} cut at {}: webhook decoded as {event:?}", cut.len()),
                Err(e) => {
                    let shown = format!("{e:?} {e}");
                    assert!(PINS.iter().all(|p| !shown.contains(p)), "{shown}");
                }
            }
        }
        assert_eq!(cuts, full.chars().count(), "{name}");
        // The whole body still decodes (the cuts above were the only failures).
        assert!(transaction("pay", 200, full).is_ok(), "{name} whole");
    }
}

#[test]
fn hostile_bodies_are_never_final_and_never_panic() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let deep_content =
        format!(r#"{{"code":"000","content":{}{}}}"#, "{\"a\":".repeat(5_000), "1}".repeat(5_000));
    let hostile: Vec<(&str, String)> = vec![
        ("empty", String::new()),
        ("html", "<html><body><h1>502 Bad Gateway</h1></body></html>".into()),
        ("null", "null".into()),
        ("list", "[]".into()),
        ("string", r#""000""#.into()),
        ("number", "0".into()),
        ("true", "true".into()),
        ("code null", r#"{"code":null}"#.into()),
        (
            "code object",
            r#"{"code":{"a":1},"content":{"transactions":{"status":"delivered"}}}"#.into(),
        ),
        (
            "code list",
            r#"{"code":["000"],"content":{"transactions":{"status":"delivered"}}}"#.into(),
        ),
        ("code huge", r#"{"code":1e400,"content":{"transactions":{"status":"delivered"}}}"#.into()),
        ("code huge integer", r#"{"code":123456789012345678901234567890}"#.into()),
        ("code negative", r#"{"code":-16}"#.into()),
        ("code fraction", r#"{"code":16.5}"#.into()),
        ("status number", r#"{"code":"000","content":{"transactions":{"status":1}}}"#.into()),
        (
            "status list",
            r#"{"code":"000","content":{"transactions":{"status":["delivered"]}}}"#.into(),
        ),
        ("status null", r#"{"code":"000","content":{"transactions":{"status":null}}}"#.into()),
        ("status empty", r#"{"code":"000","content":{"transactions":{"status":""}}}"#.into()),
        (
            "transactions list",
            r#"{"code":"000","content":{"transactions":[{"status":"delivered"}]}}"#.into(),
        ),
        ("content string", r#"{"code":"000","content":"delivered"}"#.into()),
        (
            "amount huge",
            r#"{"code":"000","amount":1e400,"content":{"transactions":{"status":"delivered"}}}"#
                .into(),
        ),
        (
            "amount words",
            r#"{"code":"000","amount":"a lot","content":{"transactions":{"status":"delivered"}}}"#
                .into(),
        ),
        ("deeply nested", deep),
        ("deeply nested content", deep_content),
        ("not utf-8 escapes", r#"{"code":"\ud800"}"#.into()),
        (
            "trailing garbage",
            r#"{"code":"000","content":{"transactions":{"status":"delivered"}}} x"#.into(),
        ),
        (
            "two bodies",
            r#"{"code":"099"}{"code":"000","content":{"transactions":{"status":"delivered"}}}"#
                .into(),
        ),
    ];
    for (what, body) in &hostile {
        for status in [200, 302, 400, 404, 500, 503] {
            for endpoint in ["pay", "requery"] {
                let r = transaction(endpoint, status, body);
                let c = if endpoint == "pay" {
                    classify_pay_result(&r)
                } else {
                    classify_requery_result(&r)
                };
                assert!(!is_final(c.outcome), "{what} (HTTP {status}) {endpoint}: {:?}", c);
                let _ = format!("{r:?}");
                if let Err(e) = &r {
                    let _ = e.to_string();
                }
            }
        }
        let hook = format!(r#"{{"type":"transaction-update","data":{body}}}"#);
        if let Ok(event) = decode_webhook(hook.as_bytes()) {
            let c = event.classify();
            assert!(c.as_ref().is_none_or(|c| !is_final(c.outcome)), "{what} webhook: {c:?}");
        }
        let _ = decode_webhook(body.as_bytes());
    }
}

#[test]
fn a_secret_in_a_value_of_the_wrong_type_is_not_quoted_in_the_error() {
    for body in [
        r#"{"code":"000","cards":"PIN: 5550001111, S/N: 42"}"#,
        r#"{"code":"000","cards":[{"serialNumber":"42","pin":["5550001111"]}]}"#,
        r#"{"code":"000","cards":[{"serialNumber":"42","pin":{"code":"5550001111"}}]}"#,
        r#"{"code":"000","purchased_code":["Token : 5550001111"]}"#,
    ] {
        let e = transaction("pay", 200, body).unwrap_err();
        let shown = format!("{e} {e:?}");
        assert!(!shown.contains("5550001111"), "{shown}");
        assert!(matches!(&e, crate::Error::Decode { .. }), "{e:?}");
    }
    // Elsewhere the value stays in the message, for diagnosis.
    let e = transaction("pay", 200, r#"{"code":"000","amount":"a lot"}"#).unwrap_err();
    assert!(e.to_string().contains("a lot"), "{e}");
}
