//! `vas sandbox`: the offline simulator of all four vendors, as a process.

use std::time::Duration;

use vas_sandbox::{Sandbox, SandboxConfig, Vendor, credentials as c};

use crate::cli::SandboxArgs;
use crate::error::{CliError, CliResult, Exit};
use crate::output::{self, Out};

/// The variables a client needs to use the sandbox for `vendor`: base URL and credentials.
///
/// The sandbox's credentials are fixed, public test values (they work nowhere else), so
/// printing them is safe.
pub fn env_for(sandbox: &Sandbox, vendor: Vendor) -> Vec<(&'static str, String)> {
    let url = sandbox.base_url(vendor);
    match vendor {
        Vendor::Vtpass => vec![
            ("VTPASS_BASE_URL", url),
            ("VTPASS_API_KEY", c::VTPASS_API_KEY.into()),
            ("VTPASS_PUBLIC_KEY", c::VTPASS_PUBLIC_KEY.into()),
            ("VTPASS_SECRET_KEY", c::VTPASS_SECRET_KEY.into()),
        ],
        Vendor::Eclipse => vec![
            ("ECLIPSE_BASE_URL", url),
            ("ECLIPSE_IDENTITY", c::ECLIPSE_IDENTITY.into()),
            ("ECLIPSE_PASSWORD", c::ECLIPSE_PASSWORD.into()),
            ("ECLIPSE_TENANT_ID", c::ECLIPSE_TENANT_ID.to_string()),
            ("ECLIPSE_WALLET_ID", SANDBOX_ECLIPSE_WALLET_ID.to_string()),
        ],
        Vendor::Dtone => vec![
            ("DTONE_BASE_URL", url),
            ("DTONE_API_KEY", c::DTONE_API_KEY.into()),
            ("DTONE_API_SECRET", c::DTONE_API_SECRET.into()),
        ],
        Vendor::Gsubz => vec![("GSUBZ_BASE_URL", url), ("GSUBZ_API_KEY", c::GSUBZ_API_KEY.into())],
    }
}

/// The wallet the demo and the printed sandbox variables pay Eclipse purchases from (the
/// sandbox accepts any wallet id).
pub const SANDBOX_ECLIPSE_WALLET_ID: u64 = 830989;

/// Runs `vas sandbox` until Ctrl-C (or SIGTERM).
pub async fn run(args: SandboxArgs, out: Out) -> CliResult<Exit> {
    let mut config = SandboxConfig::default();
    if let Some(ms) = args.settle_ms {
        config = config.settle_after(Duration::from_millis(ms));
    }
    if let Some(ms) = args.timeout_delay_ms {
        config = config.timeout_delay(Duration::from_millis(ms));
    }
    let started = match args.port.filter(|p| *p != 0) {
        Some(port) => Sandbox::start_on_port(port, config).await,
        None => Sandbox::start(config).await,
    };
    let sandbox = started.map_err(|e| {
        CliError::config(format!("cannot start the sandbox: {e}"))
            .hint("choose another --port: the sandbox needs four consecutive free ports")
    })?;

    if out.json {
        let mut vendors = serde_json::Map::new();
        for v in Vendor::ALL {
            let env: serde_json::Map<_, _> =
                env_for(&sandbox, v).into_iter().map(|(k, v)| (k.to_string(), v.into())).collect();
            vendors.insert(
                v.name().to_string(),
                serde_json::json!({ "base_url": sandbox.base_url(v), "env": env }),
            );
        }
        out.json_line(&serde_json::json!({ "sandbox": "running", "vendors": vendors }));
    } else {
        let mut t = output::table(&["vendor", "base URL"]);
        for v in Vendor::ALL {
            t.add_row([v.name().to_string(), sandbox.base_url(v)]);
        }
        out.say("The VAS sandbox is running on this machine (offline; test credentials only).");
        out.table(&t);
        out.say("");
        out.say("For `vas` and your own tests, these variables point each vendor at it:");
        out.say("");
        for v in Vendor::ALL {
            for (k, val) in env_for(&sandbox, v) {
                out.say(format!("export {k}={val}"));
            }
        }
        out.say("");
        for line in [
            "Scenarios: VTpass uses its documented test numbers (08011111111 delivered; Spectranet",
            "201000000000 pending, 400000000000 no answer; smartcard 1212121212). For Eclipse, DT One",
            "and GSUBZ a number ending in 000001 fails, 000002 stays pending a while, 000003 drops",
            "the connection, 000004 answers 502, 000005 times out; any other number succeeds.",
        ] {
            out.say(line);
        }
        out.say("");
        out.say("Press Ctrl-C to stop.");
    }

    let signal = wait_for_stop().await;
    sandbox.shutdown().await;
    out.say("Sandbox stopped.");
    out.json_line(&serde_json::json!({ "sandbox": "stopped" }));
    signal.map(|()| Exit::Ok).map_err(|e| CliError::other(format!("cannot listen for Ctrl-C: {e}")))
}

/// Waits for Ctrl-C (SIGINT) or, on Unix, SIGTERM.
async fn wait_for_stop() -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut term = signal(SignalKind::terminate())?;
        tokio::select! {
            r = tokio::signal::ctrl_c() => r,
            _ = term.recv() => Ok(()),
        }
    }
    #[cfg(not(unix))]
    {
        tokio::signal::ctrl_c().await
    }
}
