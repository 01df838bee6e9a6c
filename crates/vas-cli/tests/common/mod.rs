//! Helpers to run `vas` as a process.

#![allow(dead_code)]

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Command, Output};

/// The variables `vas` reads; removed from every child so the developer's own settings never
/// leak into a test.
pub const VARS: &[&str] = &[
    "VTPASS_API_KEY",
    "VTPASS_PUBLIC_KEY",
    "VTPASS_SECRET_KEY",
    "VTPASS_EMAIL",
    "VTPASS_PASSWORD",
    "VTPASS_BASE_URL",
    "ECLIPSE_IDENTITY",
    "ECLIPSE_PASSWORD",
    "ECLIPSE_TENANT_ID",
    "ECLIPSE_WALLET_ID",
    "ECLIPSE_BASE_URL",
    "DTONE_API_KEY",
    "DTONE_API_SECRET",
    "DTONE_BASE_URL",
    "GSUBZ_API_KEY",
    "GSUBZ_BASE_URL",
    "VAS_CONFIG",
    "RUST_LOG",
    "XDG_CONFIG_HOME",
];

/// A `vas` command with a clean environment: none of [`VARS`], and a home directory with no
/// credentials file.
pub fn vas() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_vas"));
    for v in VARS {
        cmd.env_remove(v);
    }
    cmd.env("HOME", empty_home());
    cmd
}

/// An empty directory to use as `$HOME`.
pub fn empty_home() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("vas-cli-test-home-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    dir
}

/// stdout as text.
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// stderr as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The exit code (-1 if killed by a signal).
pub fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

/// The last line of stdout parsed as JSON.
pub fn last_json(o: &Output) -> serde_json::Value {
    let out = stdout(o);
    let line = out.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("");
    serde_json::from_str(line)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {out}\nstderr: {}", stderr(o)))
}

/// The first of four consecutive free loopback ports (the sandbox serves one vendor on each).
pub fn four_free_ports() -> u16 {
    for _ in 0..200 {
        let Ok(l) = TcpListener::bind("127.0.0.1:0") else { continue };
        let Ok(addr) = l.local_addr() else { continue };
        let first = addr.port();
        if first > 65_000 {
            continue;
        }
        let rest: Vec<_> =
            (1..4).filter_map(|i| TcpListener::bind(("127.0.0.1", first + i)).ok()).collect();
        if rest.len() == 3 {
            return first;
        }
    }
    panic!("no four consecutive free ports");
}
