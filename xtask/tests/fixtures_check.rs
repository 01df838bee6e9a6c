//! `cargo xtask fixtures --check` passes on the committed tree and fails after a hand edit.

use std::path::{Path, PathBuf};
use std::process::Command;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A private copy of `fixtures/` under the system temp folder.
fn copy_of_fixtures(name: &str) -> PathBuf {
    let root = std::env::temp_dir().join(format!("vas-xtask-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    copy_dir(&workspace().join("fixtures"), &root.join("fixtures"));
    root
}

fn run(root: &Path, args: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .env("VAS_XTASK_ROOT", root)
        .output()
        .unwrap();
    let text =
        format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.success(), text)
}

/// The first fixture listed in a vendor's manifest.
fn first_fixture(root: &Path, vendor: &str) -> PathBuf {
    let dir = root.join("fixtures").join(vendor);
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap();
    let file = manifest["fixtures"][0]["file"].as_str().expect("the manifest lists a fixture");
    dir.join(file)
}

#[test]
fn check_passes_on_the_committed_fixtures() {
    let (ok, text) = run(&workspace(), &["fixtures", "--check"]);
    assert!(ok, "{text}");
    assert!(text.contains("up to date"), "{text}");
}

#[test]
fn check_fails_after_a_value_is_edited_by_hand() {
    for vendor in ["vtpass", "eclipse", "dtone", "gsubz"] {
        let root = copy_of_fixtures(&format!("edit-{vendor}"));
        let path = first_fixture(&root, vendor);
        // Change one value, keeping the normalised formatting.
        let text = std::fs::read_to_string(&path).unwrap();
        let mut value: serde_json::Value = serde_json::from_str(&text).unwrap();
        match &mut value {
            serde_json::Value::Object(m) => {
                m.insert("hand_edit".into(), serde_json::Value::Bool(true));
            }
            serde_json::Value::Array(a) => a.push(serde_json::Value::Null),
            _ => panic!("a fixture is an object or an array"),
        }
        let mut edited = serde_json::to_string_pretty(&value).unwrap();
        edited.push('\n');
        std::fs::write(&path, edited).unwrap();

        let (ok, out) = run(&root, &["fixtures", "--check"]);
        assert!(!ok, "{vendor}: the check passed after an edit:\n{out}");
        assert!(out.contains("run `cargo xtask fixtures` and commit"), "{out}");
        assert!(out.contains("INDEX.md"), "{vendor}: {out}");

        // Regenerating makes it fresh again.
        let (ok, out) = run(&root, &["fixtures"]);
        assert!(ok, "{out}");
        let (ok, out) = run(&root, &["fixtures", "--check"]);
        assert!(ok, "{out}");
        let _ = std::fs::remove_dir_all(&root);
    }
}

#[test]
fn check_fails_after_formatting_is_changed_by_hand() {
    let root = copy_of_fixtures("format");
    let path = first_fixture(&root, "dtone");
    let compact = serde_json::to_string(
        &serde_json::from_str::<serde_json::Value>(&std::fs::read_to_string(&path).unwrap())
            .unwrap(),
    )
    .unwrap();
    std::fs::write(&path, compact).unwrap();
    let (ok, out) = run(&root, &["fixtures", "--check"]);
    assert!(!ok, "{out}");
    assert!(out.contains(path.file_name().unwrap().to_str().unwrap()), "{out}");
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn check_fails_on_a_fixture_missing_from_the_manifest() {
    let root = copy_of_fixtures("unlisted");
    std::fs::write(root.join("fixtures/gsubz/stray.response.json"), "{}\n").unwrap();
    let (ok, out) = run(&root, &["fixtures", "--check"]);
    assert!(!ok, "{out}");
    assert!(out.contains("stray.response.json is not listed"), "{out}");
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn no_arguments_prints_help() {
    let (ok, out) = run(&workspace(), &[]);
    assert!(ok);
    assert!(out.contains("fixtures --check"), "{out}");
}
