//! The command line: every command, argument and flag of `vas`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Buy value-added services (airtime, data, TV, electricity, bills, vouchers) through VTpass,
/// Ukheshe Eclipse, DT One and GSUBZ, or try it all offline on the embedded sandbox.
#[derive(Debug, Parser)]
#[command(
    name = "vas",
    version,
    after_help = AFTER_HELP,
)]
pub struct Cli {
    /// Print machine-readable JSON on stdout instead of tables.
    #[arg(long, global = true)]
    pub json: bool,

    /// Log more (-v info, -vv debug, -vvv trace) on stderr. `RUST_LOG` overrides it.
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,

    /// A credentials file of `NAME=value` lines with the same names as the environment
    /// variables (the environment wins). Default: `$VAS_CONFIG`, else
    /// `$XDG_CONFIG_HOME/vas/credentials` or `~/.config/vas/credentials` when it exists.
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

const AFTER_HELP: &str = "\
Start here:
  vas demo                       all four vendors on the embedded sandbox, offline, in seconds
  vas sandbox --port 8080        the simulator for your own integration tests

Real use (credentials from the environment or --config; see `vas help buy`):
  vas catalog vtpass --kind data
  vas verify vtpass --product dstv --recipient 1212121212
  vas buy vtpass --product mtn --recipient 08011111111 --amount 100
  vas status vtpass 202611230930a1b2c3d4
  vas balance gsubz

Credentials (environment variables):
  VTpass   VTPASS_API_KEY + VTPASS_PUBLIC_KEY + VTPASS_SECRET_KEY, or VTPASS_EMAIL + VTPASS_PASSWORD
  Eclipse  ECLIPSE_IDENTITY, ECLIPSE_PASSWORD, ECLIPSE_TENANT_ID, ECLIPSE_WALLET_ID, ECLIPSE_BASE_URL
  DT One   DTONE_API_KEY, DTONE_API_SECRET (DTONE_SIMULATION=1: DT One checks, debits nothing)
  GSUBZ    GSUBZ_API_KEY
  Base URL <VENDOR>_BASE_URL (e.g. VTPASS_BASE_URL) or --base-url; default: the vendor's live
           API (Eclipse hosts are per tenant: ECLIPSE_BASE_URL is required)
  A purchase on a URL that is not on this machine asks for confirmation, or needs --yes.

Exit codes:
  0 delivered / done    10 failed           11 pending          12 outcome unknown
  1 error               2 usage             3 configuration (e.g. missing credential)
  4 invalid input       5 purchase not confirmed";

const BUY_HELP: &str = "\
The reference is printed before anything is sent. If the outcome is not final when --wait
passes (exit 11 pending, 12 unknown), ask later with `vas status`: never buy again.

With --json, stdout has two lines: {\"prepared\": {reference, key, amount, ...}} before the
purchase is sent, then the receipt {vendor, reference, key, outcome, exit_code,
status_command, vendor_transaction_id, amount, message, delivered, raw}.

Examples:
  vas buy vtpass --product mtn --recipient 08031234567 --amount 100
  vas buy vtpass --product dstv --recipient 1212121212 --amount 1850 --field phone=08031234567
  vas buy vtpass --product ikeja-electric/prepaid --recipient 1111111111111 --amount 1000 \\
      --field phone=08031234567";

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Walk through all four vendors on the embedded sandbox: catalog, recipient check and
    /// purchases that are delivered, pending, failed and of unknown outcome.
    Demo(DemoArgs),
    /// Run the offline simulator of all four vendors and print each vendor's base URL and test
    /// credentials; stop with Ctrl-C.
    Sandbox(SandboxArgs),
    /// List a vendor's products.
    Catalog(CatalogArgs),
    /// Check a recipient (phone, smartcard, meter, account) before buying.
    Verify(VerifyArgs),
    /// Buy a product: send once, then ask for the status until it is final or --wait passes.
    #[command(after_help = BUY_HELP)]
    Buy(BuyArgs),
    /// Ask for the status of an earlier purchase by its reference (never pays again).
    Status(StatusArgs),
    /// Show the balance of your account with a vendor.
    Balance(BalanceArgs),
}

/// A vendor.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, ValueEnum)]
pub enum VendorArg {
    /// VTpass (Nigeria).
    Vtpass,
    /// Ukheshe Eclipse (South Africa, Kenya, Uganda, Botswana).
    Eclipse,
    /// DT One Goods & Services (global).
    Dtone,
    /// GSUBZ (Nigeria).
    Gsubz,
}

/// Options of `vas demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// How long the sandbox keeps a purchase pending before it is delivered, in milliseconds.
    #[arg(long, hide = true, env = "VAS_DEMO_PENDING_MS", default_value_t = 1500)]
    pub pending_ms: u64,
}

/// Options of `vas sandbox`.
#[derive(Debug, Args)]
pub struct SandboxArgs {
    /// The first of four consecutive ports (one per vendor); 0 or absent: free ports.
    #[arg(long, short)]
    pub port: Option<u16>,

    /// How long a pending purchase stays pending before it is final, in milliseconds.
    #[arg(long, value_name = "MS")]
    pub settle_ms: Option<u64>,

    /// How long the "timeout" scenarios hold their answer, in milliseconds.
    #[arg(long, value_name = "MS")]
    pub timeout_delay_ms: Option<u64>,
}

/// Where to reach a vendor.
#[derive(Debug, Args)]
pub struct Target {
    /// The vendor.
    #[arg(value_enum)]
    pub vendor: VendorArg,

    /// The vendor API's base URL, e.g. one printed by `vas sandbox` or the vendor's own
    /// sandbox. Default: `<VENDOR>_BASE_URL`, else the vendor's live API.
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
}

/// Options of `vas catalog`.
#[derive(Debug, Args)]
pub struct CatalogArgs {
    #[command(flatten)]
    pub target: Target,
    /// Only products of this country (ISO 3166 alpha-2, e.g. NG, ZA).
    #[arg(long)]
    pub country: Option<String>,
    /// Only products of this operator (e.g. MTN), case-insensitive.
    #[arg(long)]
    pub operator: Option<String>,
    /// Only products of this kind.
    #[arg(long, value_enum)]
    pub kind: Option<KindArg>,
}

/// A kind of product.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum KindArg {
    /// Airtime.
    Airtime,
    /// Mobile data.
    Data,
    /// TV subscriptions.
    Tv,
    /// Electricity.
    Electricity,
    /// Water.
    Water,
    /// Tax.
    Tax,
    /// Other bills.
    Bill,
    /// Vouchers.
    Voucher,
    /// SMS bundles.
    Sms,
    /// Wallet top-ups.
    WalletTopUp,
    /// Anything else.
    Other,
}

/// Options of `vas verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    #[command(flatten)]
    pub target: Target,
    /// The product id as `vas catalog` lists it.
    #[arg(long)]
    pub product: String,
    /// The recipient: phone number, smartcard, meter or account number.
    #[arg(long)]
    pub recipient: String,
    /// For an electricity meter: prepaid or postpaid.
    #[arg(long, value_enum)]
    pub meter_type: Option<MeterTypeArg>,
}

/// An electricity meter type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum MeterTypeArg {
    /// A token is delivered.
    Prepaid,
    /// A bill is paid.
    Postpaid,
}

/// Options of `vas buy`.
#[derive(Debug, Args)]
pub struct BuyArgs {
    #[command(flatten)]
    pub target: Target,
    /// The product id as `vas catalog` lists it.
    #[arg(long)]
    pub product: String,
    /// The recipient: phone number, smartcard, meter or account number.
    #[arg(long)]
    pub recipient: String,
    /// The amount, for products whose price is not fixed (e.g. 100 or 100.50).
    #[arg(long)]
    pub amount: Option<String>,
    /// For an electricity meter: prepaid or postpaid.
    #[arg(long, value_enum)]
    pub meter_type: Option<MeterTypeArg>,
    /// Your own reference for this purchase (default: a new one in the vendor's format). A
    /// reference names one purchase: to learn its outcome later use `vas status`, never `buy`.
    #[arg(long)]
    pub reference: Option<String>,
    /// A field the product needs, as NAME=VALUE (repeatable).
    #[arg(long = "field", value_name = "NAME=VALUE")]
    pub fields: Vec<String>,
    /// Do not ask for confirmation before buying on a URL that is not on this machine.
    #[arg(long, short)]
    pub yes: bool,
    /// How long to keep asking for the status of a pending purchase, in seconds (at most
    /// 86400).
    #[arg(long, default_value_t = 60, value_name = "SECONDS", value_parser = wait_seconds())]
    pub wait: u64,
}

/// Options of `vas status`.
#[derive(Debug, Args)]
pub struct StatusArgs {
    #[command(flatten)]
    pub target: Target,
    /// The reference `vas buy` printed (`REF` or `vendor:REF`).
    pub reference: String,
    /// Eclipse only: the payment id `vas buy` printed as "vendor transaction" (Eclipse cannot
    /// find a payment by its reference alone).
    #[arg(long, value_name = "ID")]
    pub vendor_id: Option<u64>,
    /// Keep asking until the purchase is final or this many seconds pass (0: ask once; at
    /// most 86400).
    #[arg(long, default_value_t = 0, value_name = "SECONDS", value_parser = wait_seconds())]
    pub wait: u64,
}

/// Options of `vas balance`.
#[derive(Debug, Args)]
pub struct BalanceArgs {
    #[command(flatten)]
    pub target: Target,
}

/// `--wait`: whole seconds, at most a day, checked before anything is sent (a purchase is
/// never left half-done by a wait the program cannot represent).
fn wait_seconds() -> clap::builder::RangedU64ValueParser<u64> {
    clap::value_parser!(u64).range(0..=86_400)
}
