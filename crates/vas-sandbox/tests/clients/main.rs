//! Each vendor's client crate driven through its whole flow against the sandbox: catalog,
//! verify or lookup, purchase and status, for every documented scenario.

mod dtone;
mod eclipse;
mod gsubz;
mod vtpass;

use std::time::Duration;

use vas_sandbox::{Sandbox, SandboxConfig};

/// Short settle and timeout times: every scenario completes in well under a second.
pub async fn start() -> Sandbox {
    Sandbox::start(
        SandboxConfig::default()
            .settle_after(Duration::from_millis(150))
            .timeout_delay(Duration::from_millis(900)),
    )
    .await
    .expect("sandbox starts")
}

/// The client timeout used against the sandbox: below its timeout delay.
pub const CLIENT_TIMEOUT: Duration = Duration::from_millis(400);
