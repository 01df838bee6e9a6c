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
