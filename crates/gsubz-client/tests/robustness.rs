//! Whatever GSUBZ (or anything between it and us) sends, the classification of a purchase or
//! status answer never panics, and an incomplete or hostile body is never `Delivered` or
//! `Failed`.

use gsubz_client::{Call, RequestId, Transaction};
use vas_common::Outcome;

const CALLS: [Call; 2] = [Call::Pay, Call::Verify];
const STATUSES: [u16; 5] = [200, 402, 406, 429, 502];

/// Every fixture body, pretty (as stored) and compact (as a server would likely send it).
fn bodies() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for entry in vas_common::testing::manifest("gsubz") {
        let text = vas_common::testing::read("gsubz", &entry.file);
        let compact = vas_common::testing::load("gsubz", &entry.file).to_string();
        out.push((format!("{} (pretty)", entry.file), text));
        out.push((format!("{} (compact)", entry.file), compact));
    }
    out
}

#[test]
fn every_fixture_truncated_at_every_offset_is_unknown() {
    let id = RequestId::parse("897439437848").unwrap();
    let mut checked = 0usize;
    for (name, body) in bodies() {
        let whole = body.trim_end();
        for cut in (0..whole.len()).filter(|&i| whole.is_char_boundary(i)) {
            let prefix = &whole[..cut];
            for call in CALLS {
                for status in STATUSES {
                    let tx = Transaction::from_answer(call, id.clone(), status, prefix.to_owned());
                    assert_eq!(
                        tx.outcome,
                        Outcome::Unknown,
                        "{name} cut at {cut} ({call:?}, HTTP {status}): {prefix:?}"
                    );
                    assert_eq!(tx.raw_body.as_deref(), Some(prefix));
                    assert!(tx.problem.is_some(), "{name} cut at {cut}");
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 10_000, "only {checked} cases");
}

#[test]
fn the_whole_fixtures_are_final_so_the_truncation_test_means_something() {
    let pay = vas_common::testing::read("gsubz", "pay.response.json");
    let tx = Transaction::from_answer(
        Call::Pay,
        RequestId::parse("897439437848").unwrap(),
        200,
        pay.clone(),
    );
    assert_eq!(tx.outcome, Outcome::Delivered);
    let verify = vas_common::testing::read("gsubz", "verify.response.json");
    let tx = Transaction::from_answer(
        Call::Verify,
        RequestId::parse("3414793352").unwrap(),
        200,
        verify,
    );
    assert_eq!(tx.outcome, Outcome::Failed);
}

#[test]
fn hostile_bodies_are_unknown_and_kept() {
    let deep_array = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let deep_object = format!(
        "{}{}",
        r#"{"code":200,"status":"successful","content":"#.repeat(5_000),
        "}".repeat(5_000)
    );
    let huge_string = format!(r#"{{"code":200,"status":"{}"}}"#, "s".repeat(1_000_000));
    let hostile = [
        "",
        " ",
        "null",
        "[]",
        "[{\"code\":200,\"status\":\"successful\"}]",
        "\"successful\"",
        "200",
        "true",
        "<html><body><h1>502 Bad Gateway</h1></body></html>",
        "<!DOCTYPE html><html><head><title>Just a moment...</title></head></html>",
        "{}",
        r#"{"code":1e400}"#,
        r#"{"code":184467440737095516160000,"status":"pending"}"#,
        r#"{"code":-1,"status":-1}"#,
        r#"{"code":200.5,"status":1.0e308}"#,
        r#"{"code":[],"status":{}}"#,
        r#"{"code":{"status":"successful"}}"#,
        r#"{"code":null,"status":null,"content":null}"#,
        r#"{"code":200,"content":[]}"#,
        r#"{"code":200,"content":"successful"}"#,
        r#"{"code":200,"status":"successful","status":"successful","status":"failed"}"#,
        r#"{"code":200,"status":"successful","content":{"status":"failed"}}"#,
        r#"{"code":200,"status":"processing?","amount":"1e999999"}"#,
        r#"{"code":"\u0000","status":"\ud800"}"#,
        "{\"code\":200,\"status\":\"successful\"}{\"code\":402}",
        "\u{feff}{\"code\":200,\"status\":\"successful\"}",
        &deep_array,
        &deep_object,
        &huge_string,
    ];
    let id = RequestId::from_u64(42);
    for body in hostile {
        for call in CALLS {
            for status in [200, 301, 406, 500] {
                let tx = Transaction::from_answer(call, id.clone(), status, body.to_owned());
                let shown: String = body.chars().take(80).collect();
                assert!(
                    matches!(tx.outcome, Outcome::Unknown | Outcome::Pending),
                    "{shown:?} ({call:?}, HTTP {status}) was {}",
                    tx.outcome
                );
                assert_eq!(tx.raw_body.as_deref(), Some(body));
            }
        }
    }
}
