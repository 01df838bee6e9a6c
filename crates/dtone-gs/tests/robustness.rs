//! No vendor answer makes the crate panic, and no incomplete or hostile answer to a purchase or
//! a lookup is ever read as delivered or failed.

use dtone_gs::{AccountStatus, ErrorBody, Outcome, ProductList, SuggestedValues, Transaction};

/// A created transaction as the vendor's public client code shows it.
const CREATED: &str = r#"{
  "transaction_id": 2237,
  "status": "0",
  "status_message": "Transaction successful",
  "external_id": "order-1001",
  "operator_reference": "OPREF-77",
  "product_id": 64,
  "account_number": "50212345678",
  "simulation": "1",
  "wholesale_price": 12.5,
  "retail_price": 13.5,
  "fee": 0,
  "account_currency": "USD"
}
"#;

/// Answers whose complete form is final (delivered or refused), besides the fixtures.
const FINAL_ANSWERS: &[&str] = &[
    CREATED,
    r#"{"transaction_id":"9","status":"1000214","status_message":"Rejected","external_id":"a"}"#,
    r#"{"errors":[{"code":1000777,"message":"Insufficient balance"}]}"#,
    r#"{"errors":[{"code":"1000999","message":"Invalid parameter"},{"code":1000204,"message":"Account number incorrect"}]}"#,
    r#"{"transaction_id":5,"status":"0","external_id":"x","pin_code":"1111-2222"}"#,
];

/// The HTTP statuses each body is tried with.
const STATUSES: &[u16] = &[200, 201, 400, 401, 404, 409, 500, 502];

/// What a purchase answer (create) says about the purchase.
fn purchase_outcome(status: u16, body: &str) -> Outcome {
    match Transaction::from_response(status, body) {
        Ok(tx) => tx.outcome(),
        Err(e) => {
            // Every error keeps the raw body and prints without panicking.
            assert_eq!(e.raw_body(), Some(body));
            let _ = (format!("{e}"), format!("{e:?}"));
            e.outcome()
        }
    }
}

/// What a lookup answer says: an error is never final (the lookup is asked again).
fn lookup_outcome(status: u16, body: &str) -> Outcome {
    match Transaction::from_response(status, body) {
        Ok(tx) => tx.outcome(),
        Err(_) => Outcome::Unknown,
    }
}

/// Every other decoder of the crate, for the no-panic half.
fn decode_everything(body: &str) {
    let _ = serde_json::from_str::<ProductList>(body);
    let _ = serde_json::from_str::<SuggestedValues>(body);
    let _ = serde_json::from_str::<AccountStatus>(body);
    let _ = serde_json::from_str::<ErrorBody>(body);
    let _ = serde_json::from_str::<dtone_gs::Ping>(body);
    let _ = serde_json::from_str::<dtone_gs::ServiceList>(body);
    let _ = serde_json::from_str::<dtone_gs::CountryList>(body);
    let _ = serde_json::from_str::<dtone_gs::OperatorList>(body);
    if let Ok(tx) = serde_json::from_str::<Transaction>(body) {
        let _ = format!("{tx:?}");
        let _ = tx.pin_fields();
    }
}

fn fixture_bodies() -> Vec<(String, String)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures/dtone");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.ends_with(".response.json") {
            out.push((name, std::fs::read_to_string(&path).unwrap()));
        }
    }
    out.sort();
    assert!(out.len() >= 6, "the DT One response fixtures were not found in {dir}");
    out
}

#[test]
fn every_answer_truncated_at_every_byte_is_never_delivered_nor_failed() {
    let mut bodies = fixture_bodies();
    bodies.extend(
        FINAL_ANSWERS.iter().enumerate().map(|(i, b)| (format!("answer {i}"), b.to_string())),
    );
    let mut checked = 0usize;
    for (name, full) in &bodies {
        for cut in 0..full.len() {
            if !full.is_char_boundary(cut) {
                continue;
            }
            let part = &full[..cut];
            decode_everything(part);
            if part.trim_end() == full.trim_end() {
                continue; // only white space was cut: the answer is complete
            }
            for &status in STATUSES {
                let p = purchase_outcome(status, part);
                assert!(
                    !p.is_final(),
                    "{name} cut at byte {cut} with HTTP {status} read as {p:?} for a purchase: {part:?}"
                );
                let l = lookup_outcome(status, part);
                assert!(
                    !l.is_final(),
                    "{name} cut at byte {cut}, HTTP {status}: lookup read as {l:?}"
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 10_000, "only {checked} truncated answers checked");
}

#[test]
fn complete_final_answers_are_still_read_as_final() {
    // The other half of the test above: it is the truncation, not the bodies, that is refused.
    assert_eq!(purchase_outcome(201, CREATED), Outcome::Delivered);
    assert_eq!(purchase_outcome(201, FINAL_ANSWERS[1]), Outcome::Failed);
    assert_eq!(purchase_outcome(400, FINAL_ANSWERS[2]), Outcome::Failed);
    assert_eq!(purchase_outcome(400, FINAL_ANSWERS[3]), Outcome::Failed);
    assert_eq!(purchase_outcome(201, FINAL_ANSWERS[4]), Outcome::Delivered);
    // The number zero, however written, is the status "0".
    assert_eq!(purchase_outcome(201, r#"{"status":0}"#), Outcome::Delivered);
    assert_eq!(purchase_outcome(201, r#"{"status":0.0}"#), Outcome::Delivered);
}

#[test]
fn hostile_answers_are_never_delivered_nor_failed() {
    let deep_array = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let deep_object =
        format!("{{\"status\":\"0\",\"x\":{}1{}}}", "{\"a\":".repeat(50_000), "}".repeat(50_000));
    let huge_string = format!("{{\"status\":\"{}\"}}", "9".repeat(1_000_000));
    let hostile: Vec<String> = [
        "",
        " ",
        "null",
        "[]",
        "{}",
        "0",
        "\"0\"",
        "true",
        "<html><body><h1>502 Bad Gateway</h1></body></html>",
        "<!DOCTYPE html><html>Transaction successful</html>",
        r#"{"status":null}"#,
        r#"{"status":""}"#,
        r#"{"status":["0"]}"#,
        r#"{"status":{"code":"0"}}"#,
        r#"{"status":true}"#,
        r#"{"status":false}"#,
        r#"{"status":-0}"#,
        r#"{"status":"00"}"#,
        r#"{"status":1e400}"#,
        r#"{"status":"0","wholesale_price":1e400}"#,
        r#"{"status":18446744073709551616}"#,
        r#"{"status":"0","errors":[{"code":1000999,"message":"Invalid parameter"}]}"#,
        r#"{"status":"1000401"}"#,
        r#"{"status":"1000304"}"#,
        r#"{"status":"1000218"}"#,
        r#"{"status":"SUCCESS"}"#,
        r#"{"status":"FAILED"}"#,
        r#"{"status":"1000214","status":"0"}"#,
        r#"{"errors":[]}"#,
        r#"{"errors":null}"#,
        r#"{"errors":{"code":1000777}}"#,
        r#"{"errors":[{"code":-1000777}]}"#,
        r#"{"errors":[{"code":1000777.5}]}"#,
        r#"{"errors":[{"code":99999999999999999999999}]}"#,
        r#"{"errors":[{"code":"abc"}]}"#,
        r#"{"errors":[{"message":"no code"}]}"#,
        r#"{"errors":[{"code":1000777}],"status":"0","transaction_id":12}"#,
        r#"{"errors":[{"code":1000777},{"code":1000218}]}"#,
        r#"{"errors":[{"code":1000990,"message":"external_id already used"}]}"#,
        r#"{"errors":[{"code":1234567}]}"#,
    ]
    .into_iter()
    .map(str::to_owned)
    .chain([deep_array, deep_object, huge_string])
    .collect();
    for body in &hostile {
        decode_everything(body);
        for &status in STATUSES {
            let p = purchase_outcome(status, body);
            let l = lookup_outcome(status, body);
            let shown: String = body.chars().take(80).collect();
            assert!(!p.is_final(), "HTTP {status} {shown:?}: a purchase read as {p:?}");
            assert!(!l.is_final(), "HTTP {status} {shown:?}: a lookup read as {l:?}");
        }
    }
}
