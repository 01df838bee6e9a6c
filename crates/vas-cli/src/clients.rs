//! Vendor clients built from the credentials and base URLs in [`Settings`].

use vas_common::ExposeSecret as _;

use crate::cli::VendorArg;
use crate::config::{Settings, VtpassCredentials};
use crate::error::{CliError, CliResult};

/// The base URL a vendor uses when none is configured.
pub fn live_url(vendor: VendorArg) -> Option<&'static str> {
    match vendor {
        VendorArg::Vtpass => Some(vtpass_client::LIVE_API_SERVICE_URL),
        VendorArg::Dtone => Some(dtone_gs::PRODUCTION_URL),
        VendorArg::Gsubz => Some(gsubz_client::ApiVersion::Current.default_base_url()),
        // Eclipse hosts are per tenant: the base URL must be given.
        VendorArg::Eclipse => None,
    }
}

/// The base URL to use for `vendor`: `--base-url`, `<VENDOR>_BASE_URL`, or the live API.
pub fn base_url(settings: &Settings, vendor: VendorArg, flag: Option<&str>) -> CliResult<String> {
    if let Some(url) = settings.base_url(vendor, flag)? {
        return Ok(url);
    }
    live_url(vendor).map(str::to_string).ok_or_else(|| {
        CliError::config("missing Eclipse base URL: ECLIPSE_BASE_URL is not set").hint(
            "set ECLIPSE_BASE_URL to your tenant's host (e.g. https://eclipse-java-sandbox.ukheshe.rocks) or pass --base-url",
        )
    })
}

/// Whether `url` is on this machine (loopback): purchases there need no confirmation.
pub fn is_local(url: &str) -> bool {
    let rest = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority.rsplit_once('@').map(|(_, h)| h).unwrap_or(authority);
    let host = if let Some(v6) = host.strip_prefix('[') {
        v6.split(']').next().unwrap_or("")
    } else {
        host.split(':').next().unwrap_or("")
    };
    host.eq_ignore_ascii_case("localhost")
        || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

fn vendor_config_error(vendor: &str, e: impl std::fmt::Display) -> CliError {
    CliError::config(format!("cannot set up the {vendor} client: {e}"))
}

/// A VTpass client.
pub fn vtpass(settings: &Settings, base_url: &str) -> CliResult<vtpass_client::Client> {
    let b = vtpass_client::Client::builder().base_url(base_url);
    let b = match settings.vtpass()? {
        VtpassCredentials::ApiKeys { api_key, public_key, secret_key } => b.api_keys(
            api_key.expose_secret(),
            public_key.expose_secret(),
            secret_key.expose_secret(),
        ),
        VtpassCredentials::Basic { email, password } => {
            b.basic_auth(email, password.expose_secret())
        }
    };
    b.build().map_err(|e| vendor_config_error("VTpass", e))
}

/// A Ukheshe Eclipse client and the wallet to pay from.
pub fn eclipse(settings: &Settings, base_url: &str) -> CliResult<(eclipse_vas::Client, u64)> {
    let c = settings.eclipse()?;
    let client = eclipse_vas::Client::builder()
        .base_url(base_url)
        .tenant(c.tenant_id)
        .credentials(c.identity, c.password.expose_secret())
        .build()
        .map_err(|e| vendor_config_error("Eclipse", e))?;
    Ok((client, c.wallet_id))
}

/// A DT One client.
pub fn dtone(settings: &Settings, base_url: &str) -> CliResult<dtone_gs::Client> {
    let c = settings.dtone()?;
    dtone_gs::Client::builder()
        .credentials(c.api_key.expose_secret(), c.api_secret.expose_secret())
        .base_url(base_url)
        .build()
        .map_err(|e| vendor_config_error("DT One", e))
}

/// A GSUBZ client.
pub fn gsubz(settings: &Settings, base_url: &str) -> CliResult<gsubz_client::Client> {
    let c = settings.gsubz()?;
    gsubz_client::Client::builder(c.api_key)
        .base_url(base_url)
        .build()
        .map_err(|e| vendor_config_error("GSUBZ", e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_is_local() {
        for url in [
            "http://127.0.0.1:8080/api/",
            "http://localhost:1",
            "http://LOCALHOST",
            "http://[::1]:9/x",
            "http://127.3.4.5",
            "http://user@127.0.0.1:1/",
        ] {
            assert!(is_local(url), "{url}");
        }
        for url in [
            "https://vtpass.com/api/",
            "https://sandbox.vtpass.com/api/",
            "http://127.0.0.1.example.com/",
            "http://localhost.example.com",
            "http://10.0.0.1",
            "http://127.0.0.1@evil.example/",
        ] {
            assert!(!is_local(url), "{url}");
        }
    }
}
