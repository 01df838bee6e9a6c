//! Project tasks. Run `cargo xtask` for help.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde::Deserialize;
use sha2::{Digest, Sha256};

const HELP: &str = "\
cargo xtask <task>

Tasks:
  fixtures          regenerate what is generated under fixtures/: normalised JSON formatting,
                    each vendor's INDEX.md (from its manifest.json), and built/ (the request
                    bodies built by the crates' typed builders)
  fixtures --check  change nothing; exit 1 if anything generated is stale
  help              this text
";

/// The vendors, as (fixtures folder, requests built by the crate's typed builders).
type Builder = fn() -> Vec<(&'static str, serde_json::Value)>;
const VENDORS: &[(&str, Builder)] = &[
    ("vtpass", vtpass_client::doc_examples::requests),
    ("eclipse", eclipse_vas::doc_examples::requests),
    ("dtone", dtone_gs::doc_examples::requests),
    ("gsubz", gsubz_client::doc_examples::requests),
];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    vendor: String,
    docs: Vec<String>,
    fixtures: Vec<Entry>,
    #[serde(default)]
    left_out: Vec<LeftOut>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    file: String,
    doc: String,
    section: String,
    method: String,
    endpoint: String,
    direction: String,
    #[serde(default)]
    changes: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LeftOut {
    doc: String,
    section: String,
    why: String,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["fixtures"] => run_fixtures(false),
        ["fixtures", "--check"] => run_fixtures(true),
        [] | ["help"] | ["--help"] | ["-h"] => {
            print!("{HELP}");
            ExitCode::SUCCESS
        }
        other => {
            eprint!("unknown arguments: {}\n\n{HELP}", other.join(" "));
            ExitCode::from(2)
        }
    }
}

/// The workspace root, or `VAS_XTASK_ROOT` when set (the tests run the check on a copy).
fn root() -> PathBuf {
    if let Some(dir) = std::env::var_os("VAS_XTASK_ROOT") {
        return PathBuf::from(dir);
    }
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

/// A file's wanted content, computed from the sources.
struct Output {
    path: PathBuf,
    content: String,
}

fn pretty(value: &serde_json::Value) -> String {
    let mut s = serde_json::to_string_pretty(value).expect("a JSON value always serializes");
    s.push('\n');
    s
}

/// Re-indents valid JSON text the way `serde_json::to_string_pretty` does, but copies every
/// number and string token verbatim, so that documented literals such as `0E-9`,
/// `29182.000000000` and `10.00` survive normalisation.
fn pretty_preserving(raw: &str) -> String {
    let chars: Vec<char> = raw.chars().collect();
    let mut out = String::with_capacity(raw.len());
    let mut depth = 0usize;
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        for _ in 0..depth {
            out.push_str("  ");
        }
    };
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '"' => {
                out.push('"');
                i += 1;
                while i < chars.len() {
                    let d = chars[i];
                    out.push(d);
                    if d == '\\' {
                        if let Some(&e) = chars.get(i + 1) {
                            out.push(e);
                        }
                        i += 2;
                        continue;
                    }
                    if d == '"' {
                        break;
                    }
                    i += 1;
                }
            }
            '{' | '[' => {
                let close = if c == '{' { '}' } else { ']' };
                let mut j = i + 1;
                while j < chars.len() && chars[j].is_whitespace() {
                    j += 1;
                }
                if chars.get(j) == Some(&close) {
                    out.push(c);
                    out.push(close);
                    i = j;
                } else {
                    out.push(c);
                    depth += 1;
                    newline(&mut out, depth);
                }
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(c);
            }
            ',' => {
                out.push(',');
                newline(&mut out, depth);
            }
            ':' => out.push_str(": "),
            c if c.is_whitespace() => {}
            c => out.push(c),
        }
        i += 1;
    }
    out.push('\n');
    out
}

fn run_fixtures(check: bool) -> ExitCode {
    let mut outputs = Vec::new();
    let mut errors = Vec::new();
    for (vendor, build) in VENDORS {
        if let Err(e) = vendor_outputs(vendor, *build, &mut outputs) {
            errors.push(format!("fixtures/{vendor}: {e}"));
        }
    }
    if !errors.is_empty() {
        for e in errors {
            eprintln!("error: {e}");
        }
        return ExitCode::FAILURE;
    }
    let root = root();
    let mut stale = Vec::new();
    for out in &outputs {
        let current = std::fs::read_to_string(&out.path).ok();
        if current.as_deref() != Some(out.content.as_str()) {
            stale.push(out.path.strip_prefix(&root).unwrap_or(&out.path).display().to_string());
            if !check {
                if let Some(dir) = out.path.parent()
                    && let Err(e) = std::fs::create_dir_all(dir)
                {
                    eprintln!("error: cannot create {}: {e}", dir.display());
                    return ExitCode::FAILURE;
                }
                if let Err(e) = std::fs::write(&out.path, &out.content) {
                    eprintln!("error: cannot write {}: {e}", out.path.display());
                    return ExitCode::FAILURE;
                }
            }
        }
    }
    // Files under built/ that no builder produces any more.
    let wanted: BTreeSet<&PathBuf> = outputs.iter().map(|o| &o.path).collect();
    for (vendor, _) in VENDORS {
        let built = root.join("fixtures").join(vendor).join("built");
        for path in json_files(&built) {
            if !wanted.contains(&path) {
                stale.push(path.strip_prefix(&root).unwrap_or(&path).display().to_string());
                if !check {
                    let _ = std::fs::remove_file(&path);
                }
            }
        }
    }
    if stale.is_empty() {
        println!("fixtures are up to date ({} generated files checked)", outputs.len());
        ExitCode::SUCCESS
    } else if check {
        eprintln!("stale generated files:");
        for s in &stale {
            eprintln!("  {s}");
        }
        eprintln!("run `cargo xtask fixtures` and commit");
        ExitCode::FAILURE
    } else {
        for s in &stale {
            println!("wrote {s}");
        }
        ExitCode::SUCCESS
    }
}

fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
}

fn vendor_outputs(vendor: &str, build: Builder, outputs: &mut Vec<Output>) -> Result<(), String> {
    let dir = root().join("fixtures").join(vendor);
    let manifest_path = dir.join("manifest.json");
    let text =
        std::fs::read_to_string(&manifest_path).map_err(|e| format!("manifest.json: {e}"))?;
    let manifest: Manifest =
        serde_json::from_str(&text).map_err(|e| format!("manifest.json is malformed: {e}"))?;

    let listed: BTreeSet<&str> = manifest.fixtures.iter().map(|f| f.file.as_str()).collect();
    if listed.len() != manifest.fixtures.len() {
        return Err("manifest.json lists a file twice".into());
    }
    for path in json_files(&dir) {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        if name != "manifest.json" && !listed.contains(name) {
            return Err(format!("{name} is not listed in manifest.json"));
        }
    }

    let mut rows = String::new();
    let (mut requests, mut responses) = (0, 0);
    for (i, f) in manifest.fixtures.iter().enumerate() {
        match f.direction.as_str() {
            "request" => requests += 1,
            "response" => responses += 1,
            other => {
                return Err(format!(
                    "{}: direction must be request or response, not {other}",
                    f.file
                ));
            }
        }
        if !manifest.docs.contains(&f.doc) {
            return Err(format!("{}: doc {} is not in the manifest's docs", f.file, f.doc));
        }
        let path = dir.join(&f.file);
        let raw = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", f.file))?;
        let value: serde_json::Value =
            serde_json::from_str(&raw).map_err(|e| format!("{} is not valid JSON: {e}", f.file))?;
        let content = pretty_preserving(&raw);
        if serde_json::from_str::<serde_json::Value>(&content).ok().as_ref() != Some(&value) {
            return Err(format!("{}: normalising its formatting would change it", f.file));
        }
        let digest = Sha256::digest(content.as_bytes());
        let hash: String = digest.iter().take(6).map(|b| format!("{b:02x}")).collect();
        let changes = if f.changes.is_empty() { "none".to_string() } else { f.changes.join("; ") };
        let _ = writeln!(
            rows,
            "| {} | `{}` | {} § {} | {} | `{}` | {} | {} | `{}` |",
            i + 1,
            f.file,
            f.doc,
            f.section,
            f.method,
            f.endpoint,
            f.direction,
            changes.replace('|', "\\|"),
            hash
        );
        outputs.push(Output { path, content });
    }

    let mut index = String::new();
    let _ = writeln!(index, "# {} fixtures\n", manifest.vendor);
    let _ = writeln!(
        index,
        "Generated by `cargo xtask fixtures` from `manifest.json`; edit that file, not this one.\n"
    );
    let _ = writeln!(
        index,
        "{} fixtures ({requests} requests, {responses} responses), one per JSON example in {}.\n",
        manifest.fixtures.len(),
        manifest.docs.iter().map(|d| format!("`{d}`")).collect::<Vec<_>>().join(", ")
    );
    let _ = writeln!(
        index,
        "The hash is the start of the SHA-256 of the file: `cargo xtask fixtures --check` fails \
         when a fixture changes without this index being regenerated.\n"
    );
    let _ = writeln!(
        index,
        "| # | file | source § section | method | endpoint | direction | changes made to the example | sha256 |"
    );
    let _ = writeln!(index, "| --- | --- | --- | --- | --- | --- | --- | --- |");
    index.push_str(&rows);
    if !manifest.left_out.is_empty() {
        let _ = writeln!(index, "\n## Not fixtures\n");
        for l in &manifest.left_out {
            let _ = writeln!(index, "- {} § {}: {}", l.doc, l.section, l.why);
        }
    }
    let built = build();
    if !built.is_empty() {
        let _ = writeln!(
            index,
            "\n## Built by the typed builders\n\n`built/` holds the request bodies that the crate's typed \
             builders produce for the documented request examples; the crate's tests check each \
             against its fixture.\n"
        );
    }
    for (file, value) in &built {
        if !listed.contains(file) {
            return Err(format!("the typed builders produce {file}, which is not a fixture"));
        }
        let _ = writeln!(index, "- `built/{file}`");
        outputs.push(Output { path: dir.join("built").join(file), content: pretty(value) });
    }
    outputs.push(Output { path: dir.join("INDEX.md"), content: index });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalising_keeps_number_and_string_literals() {
        let raw = "{ \"fee\":0E-9,\"amount\" : 29182.000000000, \"p\":[10.00, \"a\\\"b\" ],\"e\":{ },\"l\":[]}";
        assert_eq!(
            pretty_preserving(raw),
            "{\n  \"fee\": 0E-9,\n  \"amount\": 29182.000000000,\n  \"p\": [\n    10.00,\n    \"a\\\"b\"\n  ],\n  \"e\": {},\n  \"l\": []\n}\n"
        );
    }

    #[test]
    fn normalising_matches_serde_json_for_plain_values() {
        let v = serde_json::json!({"a": [1, {"b": null, "c": true}], "d": "x", "e": [], "f": {}});
        assert_eq!(pretty_preserving(&v.to_string()), pretty(&v));
    }
}
