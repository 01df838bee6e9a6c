//! The sandbox's behaviour over raw HTTP (reqwest + `serde_json::Value`), vendor by vendor,
//! with the fault switches.

mod dtone;
mod eclipse;
mod faults;
mod gsubz;
mod vtpass;

use std::time::Duration;

use vas_sandbox::{Sandbox, SandboxConfig};

/// Short settle and timeout times, so that every scenario completes in well under a second.
pub fn fast_config() -> SandboxConfig {
    SandboxConfig::default()
        .settle_after(Duration::from_millis(300))
        .timeout_delay(Duration::from_millis(700))
}

pub async fn start() -> Sandbox {
    Sandbox::start(fast_config()).await.expect("sandbox starts")
}

/// A plain client with a timeout below the sandbox's timeout delay.
pub fn http() -> reqwest::Client {
    reqwest::Client::builder().timeout(Duration::from_millis(350)).build().expect("client")
}

/// Reads a body as JSON, failing with the text when it is not.
pub async fn body(response: reqwest::Response) -> serde_json::Value {
    let text = response.text().await.expect("body");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// Waits until the sandbox's settle time has passed.
pub async fn after_settle() {
    tokio::time::sleep(Duration::from_millis(450)).await;
}
