//! `vas balance`: the account balance with a vendor (read straight from the vendor crate).

use rust_decimal::Decimal;
use serde_json::json;

use crate::cli::{BalanceArgs, VendorArg};
use crate::clients;
use crate::config::Settings;
use crate::error::{CliError, CliResult, Exit};
use crate::output::{self, Out};

/// Runs `vas balance`.
pub async fn run(args: BalanceArgs, settings: &Settings, out: Out) -> CliResult<Exit> {
    let vendor = args.target.vendor;
    // Credentials first: a missing variable is named before anything else.
    let url = clients::base_url(settings, vendor, args.target.base_url.as_deref());
    let balance: Decimal = match vendor {
        VendorArg::Vtpass => {
            let client = clients::vtpass(settings, &url?)?;
            let r = client.balance().await.map_err(|e| vendor_error("VTpass", &e))?;
            r.balance().ok_or_else(|| no_balance("VTpass"))?
        }
        VendorArg::Gsubz => {
            let client = clients::gsubz(settings, &url?)?;
            let r = client.balance().await.map_err(|e| vendor_error("GSUBZ", &e))?;
            r.amount().ok_or_else(|| no_balance("GSUBZ"))?
        }
        VendorArg::Eclipse => {
            settings.eclipse()?;
            return Err(unsupported(
                "Ukheshe Eclipse",
                "the wallet balance is read through Eclipse's wallet API, which this tool does not cover",
            ));
        }
        VendorArg::Dtone => {
            settings.dtone()?;
            return Err(unsupported(
                "DT One",
                "the Goods & Services API has no balance endpoint; see the DT One portal",
            ));
        }
    };
    if out.json {
        out.json_line(&json!({
            "vendor": vendor_name(vendor),
            "balance": {"amount": balance.to_string(), "currency": "NGN"},
        }));
    } else {
        let mut t = output::table(&["vendor", "balance"]);
        t.add_row([vendor_name(vendor).to_string(), format!("{balance} NGN")]);
        out.table(&t);
    }
    Ok(Exit::Ok)
}

fn vendor_name(v: VendorArg) -> &'static str {
    match v {
        VendorArg::Vtpass => "vtpass",
        VendorArg::Eclipse => "eclipse",
        VendorArg::Dtone => "dtone",
        VendorArg::Gsubz => "gsubz",
    }
}

fn vendor_error(vendor: &str, e: &dyn std::error::Error) -> CliError {
    let mut c = CliError::other(format!("{vendor} did not give the balance"));
    c = c.detail(format!("{vendor} says: {e}"));
    let mut src = e.source();
    while let Some(s) = src {
        c = c.detail(s.to_string());
        src = s.source();
    }
    c
}

fn no_balance(vendor: &str) -> CliError {
    CliError::other(format!("{vendor} answered without a balance"))
}

fn unsupported(vendor: &str, why: &str) -> CliError {
    CliError::other(format!("{vendor}: no balance query: {why}"))
}
