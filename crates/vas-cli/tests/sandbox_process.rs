//! `vas sandbox` as a process, driven by `vas buy`, `vas status` and `vas balance` as
//! processes, with `--json` output parsed.

mod common;

use std::collections::BTreeMap;
use std::io::{BufRead as _, BufReader};
use std::process::{Child, ChildStdout, Command, Stdio};

use common::{code, last_json, stderr, stdout, vas};
use serde_json::Value;

/// A running `vas sandbox` process; stopped with SIGINT (as Ctrl-C does) when dropped.
struct SandboxProcess {
    child: Child,
    stdout: BufReader<ChildStdout>,
    /// The variables it printed, per vendor.
    env: BTreeMap<String, String>,
    first_port: u16,
}

impl SandboxProcess {
    fn start(extra: &[&str]) -> SandboxProcess {
        // The ports can be taken between the probe and the bind: try a few times.
        for _ in 0..5 {
            let port = common::four_free_ports();
            let mut child = vas()
                .args(["--json", "sandbox", "--port", &port.to_string()])
                .args(extra)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("vas sandbox starts");
            let mut stdout = BufReader::new(child.stdout.take().expect("piped stdout"));
            let mut line = String::new();
            let _ = stdout.read_line(&mut line);
            let Ok(v) = serde_json::from_str::<Value>(&line) else {
                let _ = child.wait();
                continue;
            };
            assert_eq!(v["sandbox"], "running", "{line}");
            let mut env = BTreeMap::new();
            for vendor in ["vtpass", "eclipse", "dtone", "gsubz"] {
                let vars = v["vendors"][vendor]["env"].as_object().expect("env object");
                for (k, val) in vars {
                    env.insert(k.clone(), val.as_str().unwrap_or_default().to_string());
                }
            }
            return SandboxProcess { child, stdout, env, first_port: port };
        }
        panic!("vas sandbox did not start");
    }

    /// `vas` with the sandbox's variables set.
    fn vas(&self) -> Command {
        let mut cmd = vas();
        cmd.envs(&self.env);
        cmd
    }

    /// Sends SIGINT, as Ctrl-C does, and returns the exit code and the rest of stdout.
    fn interrupt(mut self) -> (i32, String) {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill").args(["-INT", &pid]).status().expect("kill runs");
        assert!(sent.success());
        let mut rest = String::new();
        for line in (&mut self.stdout).lines().map_while(Result::ok) {
            rest.push_str(&line);
            rest.push('\n');
        }
        let status = self.child.wait().expect("wait");
        (status.code().unwrap_or(-1), rest)
    }
}

impl Drop for SandboxProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn sandbox_prints_base_urls_serves_balance_and_stops_on_ctrl_c() {
    let sb = SandboxProcess::start(&[]);
    let p = sb.first_port;
    assert_eq!(sb.env["VTPASS_BASE_URL"], format!("http://127.0.0.1:{p}/api/"));
    assert_eq!(sb.env["ECLIPSE_BASE_URL"], format!("http://127.0.0.1:{}", p + 1));
    assert_eq!(sb.env["DTONE_BASE_URL"], format!("http://127.0.0.1:{}/v1.1", p + 2));
    assert_eq!(sb.env["GSUBZ_BASE_URL"], format!("http://127.0.0.1:{}/api/", p + 3));

    let o = sb.vas().args(["--json", "balance", "vtpass"]).output().expect("runs");
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let v = last_json(&o);
    assert_eq!(v["vendor"], "vtpass");
    assert_eq!(v["balance"]["currency"], "NGN");
    let before: f64 = v["balance"]["amount"].as_str().and_then(|s| s.parse().ok()).unwrap_or(-1.0);
    assert!(before > 0.0, "{v}");

    let o = sb.vas().args(["--json", "balance", "gsubz"]).output().expect("runs");
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(last_json(&o)["vendor"], "gsubz");

    // A wrong key: the vendor's refusal, exit 1, and the key is not printed.
    let o = sb
        .vas()
        .args(["--json", "balance", "gsubz"])
        .env("GSUBZ_API_KEY", "ap_wrong-key-value")
        .output()
        .expect("runs");
    assert_eq!(code(&o), 1);
    assert!(stderr(&o).contains("401"), "{}", stderr(&o));
    assert!(!format!("{}{}", stdout(&o), stderr(&o)).contains("ap_wrong-key-value"));

    let (code, rest) = sb.interrupt();
    assert_eq!(code, 0, "{rest}");
    assert!(rest.contains(r#"{"sandbox":"stopped"}"#), "{rest}");
}

/// Runs `vas --json <args>` against the sandbox; returns the exit code and every JSON line.
fn run_json(sb: &SandboxProcess, args: &[&str]) -> (i32, Vec<Value>) {
    let o = sb.vas().arg("--json").args(args).output().expect("vas runs");
    let lines: Vec<Value> = stdout(&o)
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            serde_json::from_str(l)
                .unwrap_or_else(|e| panic!("not JSON ({e}): {l}\n{}", stderr(&o)))
        })
        .collect();
    assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
    (code(&o), lines)
}

fn last(lines: &[Value]) -> &Value {
    lines.last().expect("at least one JSON line")
}

#[test]
fn buy_and_status_as_processes_with_json() {
    let sb = SandboxProcess::start(&["--settle-ms", "600"]);

    // Delivered: VTpass's documented success number. The reference is printed before the
    // purchase is sent, and the receipt names the same one.
    let (code, lines) = run_json(
        &sb,
        &["buy", "vtpass", "--product", "mtn", "--recipient", "08011111111", "--amount", "100"],
    );
    assert_eq!(code, 0, "{lines:?}");
    assert_eq!(lines.len(), 2, "{lines:?}");
    let prepared = &lines[0]["prepared"];
    let receipt = &lines[1];
    let reference = prepared["reference"].as_str().expect("a reference").to_string();
    assert_eq!(prepared["amount"]["amount"], "100");
    assert_eq!(prepared["amount"]["currency"], "NGN");
    assert_eq!(receipt["reference"], reference.as_str());
    assert_eq!(receipt["key"], format!("vtpass:{reference}"));
    assert_eq!(receipt["outcome"], "delivered");
    assert_eq!(receipt["exit_code"], 0);
    assert_eq!(receipt["amount"]["amount"], "100.00");
    assert!(receipt["vendor_transaction_id"].is_string(), "{receipt}");

    // The status of the same reference, by `REF` and by `vendor:REF`.
    for r in [reference.clone(), format!("vtpass:{reference}")] {
        let (code, lines) = run_json(&sb, &["status", "vtpass", &r]);
        assert_eq!(code, 0);
        assert_eq!(last(&lines)["outcome"], "delivered");
        assert_eq!(last(&lines)["reference"], reference.as_str());
    }

    // Pending: the Spectranet pending number; `--wait 0` returns at once with exit 11 …
    let (code, lines) = run_json(
        &sb,
        &[
            "buy",
            "vtpass",
            "--product",
            "spectranet/vt-1000",
            "--recipient",
            "201000000000",
            "--field",
            "phone=08011111111",
            "--wait",
            "0",
        ],
    );
    assert_eq!(code, 11, "{lines:?}");
    let pending = last(&lines);
    assert_eq!(pending["outcome"], "pending");
    let pending_ref = pending["reference"].as_str().expect("reference").to_string();
    assert_eq!(pending["status_command"], format!("vas status vtpass {pending_ref}"));
    // … and `vas status --wait` asks until the sandbox settles it: delivered, with its PIN.
    let (code, lines) = run_json(&sb, &["status", "vtpass", &pending_ref, "--wait", "5"]);
    assert_eq!(code, 0, "{lines:?}");
    assert_eq!(last(&lines)["outcome"], "delivered");

    // Failed: a GSUBZ number ending in 000001; exit 10, and the status says the same.
    let (code, lines) = run_json(
        &sb,
        &["buy", "gsubz", "--product", "mtn", "--recipient", "08031000001", "--amount", "100"],
    );
    assert_eq!(code, 10, "{lines:?}");
    assert_eq!(last(&lines)["outcome"], "failed");
    let failed_ref = last(&lines)["reference"].as_str().expect("reference").to_string();
    let (code, lines) = run_json(&sb, &["status", "gsubz", &failed_ref]);
    assert_eq!(code, 10, "{lines:?}");
    assert_eq!(last(&lines)["outcome"], "failed");

    // Unknown: DT One takes the payment and drops the connection; `buy` asks for the status
    // with the same reference and reports it delivered.
    let (code, lines) =
        run_json(&sb, &["buy", "dtone", "--product", "64", "--recipient", "10000003"]);
    assert_eq!(code, 0, "{lines:?}");
    assert_eq!(last(&lines)["outcome"], "delivered");
    assert_eq!(last(&lines)["reference"], lines[0]["prepared"]["reference"]);

    // Eclipse: pending at first; its status needs the payment id `buy` printed.
    let (code, lines) = run_json(
        &sb,
        &[
            "buy",
            "eclipse",
            "--product",
            "4_11",
            "--recipient",
            "0821000123",
            "--amount",
            "10",
            "--wait",
            "0",
        ],
    );
    assert_eq!(code, 11, "{lines:?}");
    let r = last(&lines);
    let eclipse_ref = r["reference"].as_str().expect("reference").to_string();
    let payment_id = r["vendor_transaction_id"].as_str().expect("payment id").to_string();
    assert_eq!(
        r["status_command"],
        format!("vas status eclipse {eclipse_ref} --vendor-id {payment_id}")
    );
    let (code, lines) = run_json(
        &sb,
        &["status", "eclipse", &eclipse_ref, "--vendor-id", &payment_id, "--wait", "5"],
    );
    assert_eq!(code, 0, "{lines:?}");
    assert_eq!(last(&lines)["outcome"], "delivered");

    let (code, _) = sb.interrupt();
    assert_eq!(code, 0);
}

#[test]
fn bad_input_is_named_before_anything_is_sent() {
    let sb = SandboxProcess::start(&[]);
    let cases: [(&[&str], &str, &str); 4] = [
        (
            &["buy", "vtpass", "--product", "mtn", "--recipient", "0801111", "--amount", "100"],
            "recipient",
            "`0801111` is not a valid NG phone number",
        ),
        (
            &["buy", "vtpass", "--product", "mtn", "--recipient", "08011111111", "--amount", "10"],
            "amount",
            "below the product's minimum of 50",
        ),
        (
            &["buy", "vtpass", "--product", "mtn", "--recipient", "08011111111", "--amount", "ten"],
            "",
            "--amount: `ten` is not a number",
        ),
        (
            &["buy", "vtpass", "--product", "no-such-product", "--recipient", "08011111111"],
            "",
            "the product `no-such-product` is not in VTpass's catalog",
        ),
    ];
    for (args, field, message) in cases {
        let (code, lines) = run_json(&sb, args);
        assert_eq!(code, 4, "{args:?}: {lines:?}");
        let e = &last(&lines)["error"];
        assert_eq!(e["kind"], "invalid_input", "{e}");
        assert!(e["message"].as_str().unwrap_or("").contains(message), "{e}");
        if !field.is_empty() {
            assert_eq!(e["details"][0], format!("field: {field}"), "{e}");
        }
        // No `prepared` line: nothing was about to be sent.
        assert!(lines.iter().all(|l| l.get("prepared").is_none()), "{lines:?}");
    }

    // A reference the vendor does not know: exit 1 and advice, not a guess.
    let (code, lines) = run_json(&sb, &["status", "vtpass", "202611230606doesnotexist"]);
    assert_eq!(code, 1, "{lines:?}");
    assert!(last(&lines)["error"]["message"].as_str().unwrap_or("").contains("not found"));
}

#[test]
fn catalog_and_verify_as_json() {
    let sb = SandboxProcess::start(&[]);
    let (code, lines) = run_json(&sb, &["catalog", "vtpass", "--kind", "airtime"]);
    assert_eq!(code, 0, "{lines:?}");
    let products = last(&lines)["products"].as_array().expect("products").clone();
    assert!(!products.is_empty());
    assert!(products.iter().all(|p| p["kind"] == "airtime" && p["vendor"] == "vtpass"));
    let mtn = products.iter().find(|p| p["id"] == "mtn").expect("mtn airtime");
    assert_eq!(mtn["price"]["type"], "range");
    assert_eq!(mtn["price"]["currency"], "NGN");
    assert_eq!(mtn["price"]["min"], "50");
    assert_eq!(mtn["fields"][0]["kind"], "phone");

    // VTpass's documented test smartcard: the customer's name comes back.
    let (code, lines) =
        run_json(&sb, &["verify", "vtpass", "--product", "dstv", "--recipient", "1212121212"]);
    assert_eq!(code, 0, "{lines:?}");
    assert_eq!(last(&lines)["verified"], true);
    assert!(last(&lines)["name"].as_str().is_some_and(|n| !n.is_empty()), "{lines:?}");

    // An unknown smartcard: the vendor's words, exit 1.
    let (code, lines) =
        run_json(&sb, &["verify", "vtpass", "--product", "dstv", "--recipient", "9999999999"]);
    assert_eq!(code, 1, "{lines:?}");
    assert_eq!(last(&lines)["error"]["kind"], "error");
}

#[test]
fn no_secret_is_printed_even_at_trace_level() {
    let sb = SandboxProcess::start(&["--settle-ms", "100"]);
    let secrets: Vec<String> = sb
        .env
        .iter()
        .filter(|(k, _)| k.contains("KEY") || k.contains("SECRET") || k.contains("PASSWORD"))
        .map(|(_, v)| v.clone())
        .collect();
    assert_eq!(secrets.len(), 7, "{secrets:?}");
    let runs: [&[&str]; 5] = [
        &["buy", "vtpass", "--product", "mtn", "--recipient", "08011111111", "--amount", "100"],
        &["buy", "eclipse", "--product", "4_11", "--recipient", "0821000123", "--amount", "10"],
        &["buy", "dtone", "--product", "64", "--recipient", "10000003"],
        &["buy", "gsubz", "--product", "mtn", "--recipient", "08031234567", "--amount", "100"],
        &["balance", "gsubz"],
    ];
    for args in runs {
        for json in [false, true] {
            let mut cmd = sb.vas();
            if json {
                cmd.arg("--json");
            }
            let o = cmd.arg("-vvv").args(args).env("RUST_LOG", "trace").output().expect("runs");
            assert_eq!(code(&o), 0, "{args:?}: {}", stderr(&o));
            let all = format!("{}{}", stdout(&o), stderr(&o));
            assert!(all.len() > 1000, "trace logging is on");
            for s in &secrets {
                assert!(!all.contains(s.as_str()), "{args:?} printed a secret");
            }
            // No bearer token (the Eclipse JWT) either.
            assert!(!all.contains("Bearer ey"), "{args:?} printed a token");
        }
    }
}

#[test]
fn ctrl_c_while_waiting_says_how_to_learn_the_outcome() {
    // The VTpass timeout number: the sandbox holds the answer far longer than the test runs.
    let sb = SandboxProcess::start(&["--timeout-delay-ms", "30000"]);
    let mut child = sb
        .vas()
        .args(["--json", "buy", "vtpass", "--product", "spectranet/vt-1000"])
        .args(["--recipient", "300000000000", "--field", "phone=08011111111"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("vas buy starts");
    let mut out = BufReader::new(child.stdout.take().expect("stdout"));
    let mut first = String::new();
    let _ = out.read_line(&mut first);
    let prepared: Value = serde_json::from_str(&first).expect("the prepared line");
    let reference = prepared["prepared"]["reference"].as_str().expect("reference").to_string();
    let pid = child.id().to_string();
    assert!(Command::new("kill").args(["-INT", &pid]).status().expect("kill").success());
    let mut rest = String::new();
    for line in out.lines().map_while(Result::ok) {
        rest.push_str(&line);
    }
    let status = child.wait().expect("wait");
    assert_eq!(status.code(), Some(12), "{rest}");
    let v: Value = serde_json::from_str(&rest).expect("an error object");
    assert_eq!(v["error"]["kind"], "unknown");
    assert_eq!(
        v["error"]["hint"],
        format!("ask with `vas status vtpass {reference}`; never buy again with a new reference")
    );
}
