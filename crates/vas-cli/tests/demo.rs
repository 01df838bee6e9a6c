//! `vas demo` as a process: all four vendors on the embedded sandbox, no credentials, no
//! network, and a summary that says every scenario went as expected.

mod common;

use common::{code, last_json, stderr, stdout, vas};

/// Short sandbox delays keep the test fast.
const PENDING_MS: &str = "200";

#[test]
fn the_demo_summary_in_json() {
    let o = vas()
        .args(["--json", "demo"])
        .env("VAS_DEMO_PENDING_MS", PENDING_MS)
        .output()
        .expect("runs");
    assert_eq!(code(&o), 0, "stdout: {}\nstderr: {}", stdout(&o), stderr(&o));
    let v = last_json(&o);
    assert_eq!(v["all_as_expected"], true, "{v}");
    let rows = v["summary"].as_array().expect("summary rows");
    let got: Vec<(&str, &str, &str, &str, u64)> = rows
        .iter()
        .map(|r| {
            (
                r["scenario"].as_str().unwrap_or(""),
                r["vendor"].as_str().unwrap_or(""),
                r["first_answer"].as_str().unwrap_or(""),
                r["outcome"].as_str().unwrap_or(""),
                r["pay_requests"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("delivered", "vtpass", "delivered", "delivered", 1),
            ("pending → confirmed", "eclipse", "pending", "delivered", 1),
            ("failed", "gsubz", "failed", "failed", 1),
            ("unknown → resolved", "dtone", "unknown", "delivered", 1),
        ]
    );
    // The pending and unknown purchases were settled by status queries, with the reference
    // made before sending.
    for r in rows {
        assert!(r["reference"].as_str().is_some_and(|s| !s.is_empty()), "{r}");
        let queries = r["status_queries"].as_u64().unwrap_or(0);
        match r["first_answer"].as_str() {
            Some("pending" | "unknown") => assert!(queries >= 1, "{r}"),
            _ => assert_eq!(queries, 0, "{r}"),
        }
    }
    // The recipient checks include VTpass's documented smartcard, with its customer name.
    let lines: Vec<serde_json::Value> =
        stdout(&o).lines().filter_map(|l| serde_json::from_str(l).ok()).collect();
    let checks = lines.iter().find_map(|l| l.get("recipient_checks")).expect("recipient checks");
    assert!(
        checks.as_array().is_some_and(|c| c.iter().any(|c| c["recipient"] == "1212121212"
            && c["result"].as_str().is_some_and(|s| s.starts_with("known to vtpass")))),
        "{checks}"
    );
}

#[test]
fn the_demo_for_people() {
    let o = vas().arg("demo").env("VAS_DEMO_PENDING_MS", PENDING_MS).output().expect("runs");
    assert_eq!(code(&o), 0, "stdout: {}\nstderr: {}", stdout(&o), stderr(&o));
    let out = stdout(&o);
    for needle in [
        "== 1. Catalogs",
        "== 2. Recipient checks",
        "TEST SANDBOX CUSTOMER",
        "sent once → PENDING",
        "sent once → FAILED",
        "sent once → outcome UNKNOWN",
        "the sandbox's pay counter for dtone: 1 (paid once)",
        "== Summary",
        "All four scenarios went as expected",
    ] {
        assert!(out.contains(needle), "missing {needle:?} in:\n{out}");
    }
    // Not a terminal: no spinner drawing, no colour codes.
    assert!(!out.contains('\u{1b}'), "escape codes in:\n{out}");
    assert_eq!(stderr(&o), "", "nothing on stderr");
}
