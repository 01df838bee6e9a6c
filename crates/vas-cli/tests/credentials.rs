//! A missing or invalid credential is a clear message and exit code 3, never a panic, and no
//! secret is ever printed.

mod common;

use common::{code, last_json, stderr, stdout, vas};

const CONFIG: i32 = 3;

#[test]
fn a_missing_credential_names_the_variable_and_exits_3() {
    let o = vas()
        .args(["buy", "gsubz", "--product", "mtn", "--recipient", "08011111111", "--amount", "100"])
        .env("GSUBZ_BASE_URL", "http://127.0.0.1:9/api/")
        .output()
        .expect("vas runs");
    assert_eq!(code(&o), CONFIG, "stderr: {}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("error: missing GSUBZ credential: GSUBZ_API_KEY is not set"), "{err}");
    assert!(err.contains("hint: set GSUBZ_API_KEY in the environment"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(stdout(&o), "", "nothing on stdout without --json");
}

#[test]
fn every_vendor_names_its_own_variables() {
    let cases = [
        ("vtpass", "VTPASS_API_KEY, VTPASS_PUBLIC_KEY, VTPASS_SECRET_KEY"),
        ("eclipse", "ECLIPSE_IDENTITY, ECLIPSE_PASSWORD, ECLIPSE_TENANT_ID, ECLIPSE_WALLET_ID"),
        ("dtone", "DTONE_API_KEY, DTONE_API_SECRET"),
        ("gsubz", "GSUBZ_API_KEY"),
    ];
    for (vendor, names) in cases {
        for args in
            [vec!["catalog", vendor], vec!["balance", vendor], vec!["status", vendor, "ref-1"]]
        {
            let o = vas().args(&args).output().expect("vas runs");
            assert_eq!(code(&o), CONFIG, "{args:?}: {}", stderr(&o));
            assert!(stderr(&o).contains(names), "{args:?}: {}", stderr(&o));
        }
    }
}

#[test]
fn with_json_the_error_is_an_object_on_stdout() {
    let o = vas()
        .args(["--json", "catalog", "dtone"])
        .env("DTONE_API_KEY", "key-that-must-not-be-printed")
        .output()
        .expect("vas runs");
    assert_eq!(code(&o), CONFIG);
    let v = last_json(&o);
    assert_eq!(v["error"]["kind"], "config");
    assert_eq!(v["error"]["exit_code"], CONFIG);
    assert_eq!(v["error"]["message"], "missing DT One credential: DTONE_API_SECRET is not set");
    let all = format!("{}{}", stdout(&o), stderr(&o));
    assert!(!all.contains("key-that-must-not-be-printed"), "{all}");
}

#[test]
fn a_credentials_file_is_read_and_its_values_never_echoed() {
    let dir = common::empty_home().join("cfg-bad");
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("credentials");
    std::fs::write(&file, "GSUBZ_API_KEY=secret-in-file\nnot a valid line with secret-in-file\n")
        .expect("write");
    let o = vas().args(["--config"]).arg(&file).args(["balance", "gsubz"]).output().expect("runs");
    assert_eq!(code(&o), CONFIG, "{}", stderr(&o));
    assert!(stderr(&o).contains("line 2: expected NAME=value"), "{}", stderr(&o));
    assert!(!stderr(&o).contains("secret-in-file"), "{}", stderr(&o));

    let o = vas()
        .args(["--config"])
        .arg(dir.join("does-not-exist"))
        .args(["balance", "gsubz"])
        .output()
        .expect("runs");
    assert_eq!(code(&o), CONFIG);
    assert!(stderr(&o).contains("cannot read the credentials file"), "{}", stderr(&o));
}

#[test]
fn usage_errors_exit_2_and_help_exits_0() {
    let o = vas().args(["buy", "nosuchvendor"]).output().expect("runs");
    assert_eq!(code(&o), 2);
    let o = vas().args(["--help"]).output().expect("runs");
    assert_eq!(code(&o), 0);
    let help = stdout(&o);
    for needle in ["demo", "sandbox", "GSUBZ_API_KEY", "Exit codes", "12 outcome unknown"] {
        assert!(help.contains(needle), "{needle} missing from --help: {help}");
    }
}

#[test]
fn a_purchase_on_a_live_url_without_yes_is_refused_before_anything_is_sent() {
    // `.invalid` never resolves; the refusal comes before any request is attempted.
    let o = vas()
        .args(["--json", "buy", "gsubz", "--product", "mtn", "--recipient", "08031234567"])
        .args(["--amount", "100", "--base-url", "https://gsubz.invalid/api/"])
        .env("GSUBZ_API_KEY", "ap_live-key-never-printed")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("runs");
    assert_eq!(code(&o), 5, "{}", stderr(&o));
    let v = last_json(&o);
    assert_eq!(v["error"]["kind"], "not_confirmed");
    assert!(v["error"]["hint"].as_str().unwrap_or("").contains("--yes"), "{v}");
    assert!(!format!("{}{}", stdout(&o), stderr(&o)).contains("ap_live-key-never-printed"));
}

#[test]
fn with_json_a_usage_error_is_a_json_object_on_stdout_too() {
    for args in [
        &["--json", "buy", "nosuchvendor"][..],
        &["buy", "gsubz", "--json", "--product"],
        &["status", "--json"],
        &["--json", "--no-such-flag"],
    ] {
        let o = vas().args(args).output().expect("runs");
        assert_eq!(code(&o), 2, "{args:?}");
        let out = stdout(&o);
        let v: serde_json::Value = serde_json::from_str(out.trim())
            .unwrap_or_else(|e| panic!("{args:?}: stdout is not one JSON value ({e}): {out:?}"));
        assert_eq!(v["error"]["kind"], "usage", "{args:?}");
        assert_eq!(v["error"]["exit_code"], 2, "{args:?}");
        let message = v["error"]["message"].as_str().unwrap_or_default();
        assert!(!message.is_empty() && !message.starts_with("error"), "{args:?}: {v}");
        // People still get clap's full message on stderr.
        assert!(stderr(&o).starts_with("error: "), "{args:?}: {}", stderr(&o));
    }
    let o = vas().args(["status", "--json"]).output().expect("runs");
    let v: serde_json::Value = serde_json::from_str(stdout(&o).trim()).expect("JSON");
    assert_eq!(v["error"]["details"], serde_json::json!(["<VENDOR>", "<REFERENCE>"]));
    // Without --json, stdout stays empty; after `--`, `--json` is not an option.
    let o = vas().args(["buy", "nosuchvendor", "--", "--json"]).output().expect("runs");
    assert_eq!(code(&o), 2);
    assert_eq!(stdout(&o), "");
}

#[test]
fn a_wait_too_long_to_count_is_a_usage_error_not_a_crash() {
    for args in [
        &["--json", "status", "gsubz", "abc123", "--wait", "18446744073709551615"][..],
        &["--json", "buy", "gsubz", "--product", "mtn", "--recipient", "08031234567"],
    ] {
        let mut cmd = vas();
        cmd.args(args).env("GSUBZ_API_KEY", "k").env("GSUBZ_BASE_URL", "http://127.0.0.1:9/api/");
        if args.contains(&"buy") {
            cmd.args(["--wait", "86401"]);
        }
        let o = cmd.output().expect("runs");
        assert_eq!(code(&o), 2, "{args:?}: {}", stderr(&o));
        assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
        assert_eq!(last_json(&o)["error"]["kind"], "usage");
        assert!(stderr(&o).contains("--wait"), "{}", stderr(&o));
    }
}
