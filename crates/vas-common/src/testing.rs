//! The fixture round-trip harness used by the vendor crates' tests (feature `testing`).
//!
//! Every JSON example of the vendor documents is a file in `fixtures/<vendor>/`, listed in that
//! folder's `manifest.json`. A vendor crate's test maps each file to its model type and calls
//! [`check`], which decodes the file (naming the JSON path of a decode error), re-encodes the
//! value and compares it with the original, naming the JSON path of every difference. Numbers
//! are compared by value (`29182.000000000` equals `29182`), everything else exactly.
//! [`check_coverage`] fails when a fixture is neither mapped nor listed as not yet modelled.

use std::collections::BTreeSet;
use std::fmt::Debug;
use std::path::PathBuf;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// The workspace's `fixtures/` folder.
pub fn fixtures_root() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures"))
}

/// One entry of a vendor's `manifest.json`.
#[derive(Clone, Debug, serde::Deserialize)]
pub struct Entry {
    /// The fixture's file name.
    pub file: String,
    /// `request` or `response`.
    pub direction: String,
    /// The HTTP method.
    pub method: String,
    /// The endpoint, as documented.
    pub endpoint: String,
}

#[derive(serde::Deserialize)]
struct Manifest {
    fixtures: Vec<Entry>,
}

/// The entries of `fixtures/<vendor>/manifest.json`.
///
/// # Panics
/// When the manifest is missing or malformed (this is test support).
pub fn manifest(vendor: &str) -> Vec<Entry> {
    let path = fixtures_root().join(vendor).join("manifest.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let m: Manifest = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{} is not a valid manifest: {e}", path.display()));
    m.fixtures
}

/// The text of `fixtures/<vendor>/<file>`.
///
/// # Panics
/// When the file cannot be read.
pub fn read(vendor: &str, file: &str) -> String {
    let path = fixtures_root().join(vendor).join(file);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// The JSON value of `fixtures/<vendor>/<file>`.
///
/// # Panics
/// When the file cannot be read or is not JSON.
pub fn load(vendor: &str, file: &str) -> Value {
    serde_json::from_str(&read(vendor, file))
        .unwrap_or_else(|e| panic!("fixtures/{vendor}/{file} is not JSON: {e}"))
}

/// Decodes `text` into `T`, naming the JSON path of the first error.
pub fn decode<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    let de = &mut serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(de).map_err(|e| format!("decode error at {}: {}", e.path(), e))
}

/// Decodes the fixture into `T`, re-encodes it and compares with the original.
///
/// Returns the pretty `Debug` of the decoded value (for a snapshot), or a message naming the
/// JSON path of the decode error or of every difference.
pub fn check<T: DeserializeOwned + Serialize + Debug>(
    vendor: &str,
    file: &str,
) -> Result<String, String> {
    let text = read(vendor, file);
    let original: Value =
        serde_json::from_str(&text).map_err(|e| format!("{file}: not JSON: {e}"))?;
    let value: T = decode(&text).map_err(|e| format!("{file}: {e}"))?;
    let encoded = serde_json::to_value(&value).map_err(|e| format!("{file}: encode error: {e}"))?;
    let diffs = diff(&original, &encoded);
    if diffs.is_empty() {
        Ok(format!("{value:#?}"))
    } else {
        Err(format!("{file}: re-encoded value differs:\n  {}", diffs.join("\n  ")))
    }
}

/// Compares a value built by a typed request builder with the fixture it must equal.
pub fn check_built(vendor: &str, file: &str, built: &Value) -> Result<(), String> {
    let diffs = diff(&load(vendor, file), built);
    if diffs.is_empty() {
        Ok(())
    } else {
        Err(format!("{file}: the typed builder's body differs:\n  {}", diffs.join("\n  ")))
    }
}

/// Every difference between `expected` and `actual`, each named by its JSON path.
///
/// Numbers are equal when their values are (`1000` equals `1000.0`); strings, booleans,
/// nulls, arrays and objects must match exactly. A key present on one side only is a
/// difference even when its value is `null`.
pub fn diff(expected: &Value, actual: &Value) -> Vec<String> {
    let mut out = Vec::new();
    diff_at("$", expected, actual, &mut out);
    out
}

fn number_value(n: &serde_json::Number) -> Option<rust_decimal::Decimal> {
    if let Some(u) = n.as_u64() {
        return Some(u.into());
    }
    if let Some(i) = n.as_i64() {
        return Some(i.into());
    }
    n.as_f64().and_then(crate::decimal::from_json_f64)
}

fn diff_at(path: &str, expected: &Value, actual: &Value, out: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Number(a), Value::Number(b)) => {
            if number_value(a) != number_value(b) {
                out.push(format!("{path}: expected {a}, got {b}"));
            }
        }
        (Value::Object(a), Value::Object(b)) => {
            let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
            for k in keys {
                let p = format!("{path}.{k}");
                match (a.get(k), b.get(k)) {
                    (Some(x), Some(y)) => diff_at(&p, x, y, out),
                    (Some(x), None) => out.push(format!("{p}: dropped (was {x})")),
                    (None, Some(y)) => out.push(format!("{p}: added ({y})")),
                    (None, None) => {}
                }
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            if a.len() != b.len() {
                out.push(format!("{path}: expected {} items, got {}", a.len(), b.len()));
            }
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                diff_at(&format!("{path}[{i}]"), x, y, out);
            }
        }
        (a, b) if a == b => {}
        (a, b) => out.push(format!("{path}: expected {a}, got {b}")),
    }
}

/// Fails unless every fixture in the vendor's manifest is in exactly one of `mapped` and
/// `not_yet_modelled`, and every name in either list is a fixture.
pub fn check_coverage(
    vendor: &str,
    mapped: &[&str],
    not_yet_modelled: &[&str],
) -> Result<(), String> {
    let files: BTreeSet<String> = manifest(vendor).into_iter().map(|e| e.file).collect();
    let mut problems = Vec::new();
    for f in &files {
        let m = mapped.contains(&f.as_str());
        let n = not_yet_modelled.contains(&f.as_str());
        match (m, n) {
            (false, false) => problems
                .push(format!("{f}: neither mapped to a model nor listed as not yet modelled")),
            (true, true) => {
                problems.push(format!("{f}: both mapped and listed as not yet modelled"))
            }
            _ => {}
        }
    }
    for name in mapped.iter().chain(not_yet_modelled) {
        if !files.contains(*name) {
            problems.push(format!("{name}: listed but not in fixtures/{vendor}/manifest.json"));
        }
    }
    let mut seen = BTreeSet::new();
    for name in mapped {
        if !seen.insert(*name) {
            problems.push(format!("{name}: mapped twice"));
        }
    }
    if problems.is_empty() { Ok(()) } else { Err(problems.join("\n")) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn diff_names_paths_and_compares_numbers_by_value() {
        let a = json!({"a": 1000, "b": [1, {"c": "x"}], "d": null, "e": 0.0});
        let b = json!({"a": 1000.0, "b": [1, {"c": "y"}], "f": 2, "e": 0});
        let d = diff(&a, &b);
        assert_eq!(
            d,
            vec![
                "$.b[1].c: expected \"x\", got \"y\"".to_string(),
                "$.d: dropped (was null)".to_string(),
                "$.f: added (2)".to_string(),
            ]
        );
        assert!(diff(&json!("1000"), &json!(1000)).len() == 1);
    }
}
