//! The real-use commands: `vas catalog`, `vas verify`, `vas buy`, `vas status`, through
//! vas-core against one vendor.

use std::collections::BTreeMap;
use std::io::IsTerminal as _;
use std::str::FromStr as _;
use std::sync::Arc;
use std::time::Duration;

use rust_decimal::Decimal;
use serde_json::json;
use vas_core::{
    Backoff, CatalogQuery, MeterType, Product, ProductKind, ProductRef, PurchaseRequest, Recipient,
    RecipientKind, Reference, Vas, VasProvider, Vendor,
};

use crate::cli::{
    BuyArgs, CatalogArgs, KindArg, MeterTypeArg, StatusArgs, Target, VendorArg, VerifyArgs,
};
use crate::clients;
use crate::config::Settings;
use crate::error::{CliError, CliResult, Exit};
use crate::output::Out;
use crate::render;

/// The vas-core vendor for a command-line vendor.
pub fn core_vendor(v: VendorArg) -> Vendor {
    match v {
        VendorArg::Vtpass => Vendor::Vtpass,
        VendorArg::Eclipse => Vendor::Eclipse,
        VendorArg::Dtone => Vendor::Dtone,
        VendorArg::Gsubz => Vendor::Gsubz,
    }
}

/// The vas-core adapter for `vendor`, with its client built from `settings`.
pub fn provider(
    settings: &Settings,
    vendor: VendorArg,
    base_url: &str,
) -> CliResult<Arc<dyn VasProvider>> {
    provider_with(settings, vendor, base_url, None)
}

/// Like [`provider`]; for Eclipse, `payment` tells the adapter the payment id of a reference.
fn provider_with(
    settings: &Settings,
    vendor: VendorArg,
    base_url: &str,
    payment: Option<(Reference, u64)>,
) -> CliResult<Arc<dyn VasProvider>> {
    use vas_core::adapters;
    Ok(match vendor {
        VendorArg::Vtpass => {
            Arc::new(adapters::vtpass::VtpassProvider::new(clients::vtpass(settings, base_url)?))
        }
        VendorArg::Eclipse => {
            let (client, wallet) = clients::eclipse(settings, base_url)?;
            let p = adapters::eclipse::EclipseProvider::new(client).wallet(wallet);
            if let Some((reference, id)) = payment {
                p.remember_payment(reference, id);
            }
            Arc::new(p)
        }
        VendorArg::Dtone => Arc::new(dtone_provider(settings, base_url)?),
        VendorArg::Gsubz => {
            Arc::new(adapters::gsubz::GsubzProvider::new(clients::gsubz(settings, base_url)?))
        }
    })
}

/// DT One purchases are real unless `DTONE_SIMULATION=1` (DT One's own `simulation` flag: the
/// transaction is checked and nothing is debited).
fn dtone_provider(
    settings: &Settings,
    base_url: &str,
) -> CliResult<vas_core::adapters::dtone::DtoneProvider> {
    let p = vas_core::adapters::dtone::DtoneProvider::new(clients::dtone(settings, base_url)?);
    Ok(if settings.dtone_simulation()? { p } else { p.live() })
}

/// A vas-core client for one vendor, and the base URL it talks to.
struct Connection {
    vas: Vas,
    base_url: String,
    vendor: Vendor,
}

/// Builds the client: credentials are checked first (a missing variable is named before the
/// base URL), then the base URL.
fn connect(settings: &Settings, target: &Target, wait: Duration) -> CliResult<Connection> {
    connect_with(settings, target, wait, None)
}

fn connect_with(
    settings: &Settings,
    target: &Target,
    wait: Duration,
    payment: Option<(Reference, u64)>,
) -> CliResult<Connection> {
    match target.vendor {
        VendorArg::Vtpass => settings.vtpass().map(drop)?,
        VendorArg::Eclipse => settings.eclipse().map(drop)?,
        VendorArg::Dtone => settings.dtone().map(drop)?,
        VendorArg::Gsubz => settings.gsubz().map(drop)?,
    }
    let base_url = clients::base_url(settings, target.vendor, target.base_url.as_deref())?;
    let provider = provider_with(settings, target.vendor, &base_url, payment)?;
    let vas = Vas::builder()
        .shared_provider(provider)
        .poll_backoff(poll_backoff(wait))
        .poll_deadline(wait)
        .build()
        .map_err(|e| render::core_error(&e))?;
    Ok(Connection { vas, base_url, vendor: core_vendor(target.vendor) })
}

/// Status queries: every second, doubling up to 15 s; faster when the wait is short.
fn poll_backoff(wait: Duration) -> Backoff {
    if wait <= Duration::from_secs(5) {
        Backoff::new(Duration::from_millis(250)).max_delay(Duration::from_secs(1))
    } else {
        Backoff::new(Duration::from_secs(1)).max_delay(Duration::from_secs(15))
    }
}

fn core_kind(k: KindArg) -> ProductKind {
    match k {
        KindArg::Airtime => ProductKind::Airtime,
        KindArg::Data => ProductKind::Data,
        KindArg::Tv => ProductKind::Tv,
        KindArg::Electricity => ProductKind::Electricity,
        KindArg::Water => ProductKind::Water,
        KindArg::Tax => ProductKind::Tax,
        KindArg::Bill => ProductKind::Bill,
        KindArg::Voucher => ProductKind::Voucher,
        KindArg::Sms => ProductKind::Sms,
        KindArg::WalletTopUp => ProductKind::WalletTopUp,
        KindArg::Other => ProductKind::Other("other".into()),
    }
}

/// `vas catalog`.
pub async fn catalog(args: CatalogArgs, settings: &Settings, out: Out) -> CliResult<Exit> {
    let conn = connect(settings, &args.target, Duration::ZERO)?;
    let mut query = CatalogQuery::all().vendor(conn.vendor);
    if let Some(c) = &args.country {
        query = query.country(c);
    }
    if let Some(o) = &args.operator {
        query = query.operator(o);
    }
    if let Some(k) = args.kind {
        query = query.kind(core_kind(k));
    }
    let spinner = out.spinner(format!("reading the {} catalog", conn.vendor));
    let catalog = conn.vas.catalog(&query).await;
    spinner.finish_and_clear();
    let catalog = catalog.map_err(|e| render::core_error(&e))?;
    if out.json {
        let products: Vec<_> = catalog.products.iter().map(render::product_json).collect();
        out.json_line(&json!({ "vendor": conn.vendor.as_str(), "products": products }));
    } else if catalog.products.is_empty() {
        out.say(format!("{} lists no product matching this query.", conn.vendor.display_name()));
    } else {
        out.table(&render::product_table(&catalog.products, false, true));
        out.say(format!(
            "{} products from {} (fields marked * are required; the recipient fills the first phone, meter, smartcard or account field)",
            catalog.products.len(),
            conn.vendor.display_name()
        ));
    }
    Ok(Exit::Ok)
}

/// The product `id` of the connected vendor, or an input error naming it.
async fn find_product(conn: &Connection, id: &str) -> CliResult<Product> {
    let product_ref = ProductRef::new(conn.vendor, id);
    match conn.vas.product(&product_ref).await {
        Ok(Some(p)) => Ok(p),
        Ok(None) => Err(CliError::input(format!(
            "the product `{id}` is not in {}'s catalog",
            conn.vendor.display_name()
        ))
        .hint(format!("list the product ids with `vas catalog {}`", conn.vendor))),
        Err(e) => Err(render::core_error(&e)),
    }
}

/// The recipient as the product expects it (a phone, a meter, a smartcard, ...).
pub fn recipient_for(product: &Product, value: &str, meter: Option<MeterType>) -> Recipient {
    let kind = product.recipient_field().and_then(|f| f.kind.recipient_kind());
    match kind {
        Some(RecipientKind::Meter) => Recipient::meter(value, meter),
        Some(RecipientKind::Smartcard) => Recipient::smartcard(value),
        Some(RecipientKind::Account) => Recipient::account(value),
        Some(RecipientKind::Prn) => Recipient::prn(value),
        _ if meter.is_some() => Recipient::meter(value, meter),
        _ => Recipient::phone(value),
    }
}

fn meter_type(m: Option<MeterTypeArg>) -> Option<MeterType> {
    m.map(|m| match m {
        MeterTypeArg::Prepaid => MeterType::Prepaid,
        MeterTypeArg::Postpaid => MeterType::Postpaid,
    })
}

/// `vas verify`.
pub async fn verify(args: VerifyArgs, settings: &Settings, out: Out) -> CliResult<Exit> {
    let conn = connect(settings, &args.target, Duration::ZERO)?;
    let product = find_product(&conn, &args.product).await?;
    let recipient = recipient_for(&product, &args.recipient, meter_type(args.meter_type));
    let spinner = out.spinner(format!("asking {} about {}", conn.vendor, args.recipient));
    let info = conn.vas.validate_recipient(&product.product_ref(), &recipient).await;
    spinner.finish_and_clear();
    let info = info.map_err(|e| render::core_error(&e))?;
    if out.json {
        let mut v = render::recipient_json(&info);
        v["vendor"] = json!(conn.vendor.as_str());
        v["product"] = json!(product.id);
        v["recipient"] = json!(args.recipient);
        out.json_line(&v);
    } else {
        let mut t = crate::output::table(&[]);
        t.add_row(["product".to_string(), format!("{} ({})", product.name, product.id)]);
        t.add_row(["recipient".to_string(), args.recipient.clone()]);
        let checked = if info.verified {
            format!("known to {}", conn.vendor.display_name())
        } else {
            "format checked (the vendor offers no lookup for this product)".to_string()
        };
        t.add_row(["checked".to_string(), checked]);
        if let Some(n) = &info.name {
            t.add_row(["customer".to_string(), n.clone()]);
        }
        if let Some(a) = &info.address {
            t.add_row(["address".to_string(), a.clone()]);
        }
        out.table(&t);
    }
    Ok(Exit::Ok)
}

/// Parses `--amount`.
pub fn parse_amount(text: Option<&str>) -> CliResult<Option<Decimal>> {
    let Some(text) = text else { return Ok(None) };
    let t = text.trim().replace(['_', ','], "");
    let d = Decimal::from_str(&t).map_err(|_| {
        CliError::input(format!("--amount: `{text}` is not a number"))
            .hint("write the amount in units of the currency, e.g. 100 or 100.50")
    })?;
    if d <= Decimal::ZERO {
        return Err(CliError::input(format!("--amount: the amount must be positive, not {text}")));
    }
    Ok(Some(d))
}

fn parse_fields(fields: &[String]) -> CliResult<BTreeMap<String, String>> {
    fields
        .iter()
        .map(|f| match f.split_once('=') {
            Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_string(), v.to_string())),
            _ => Err(CliError::input(format!("--field: `{f}` is not NAME=VALUE"))),
        })
        .collect()
}

/// `vas buy`.
pub async fn buy(args: BuyArgs, settings: &Settings, out: Out) -> CliResult<Exit> {
    let wait = Duration::from_secs(args.wait);
    let conn = connect(settings, &args.target, wait)?;
    let amount = parse_amount(args.amount.as_deref())?;
    let fields = parse_fields(&args.fields)?;
    let must_confirm = !clients::is_local(&conn.base_url) && !args.yes;
    let interactive = std::io::stdin().is_terminal();
    if must_confirm && !interactive {
        // Refused before anything is asked of the vendor: nobody could say yes.
        ask("", &conn.base_url, false, &mut std::io::empty(), &mut std::io::sink())?;
    }
    let product = find_product(&conn, &args.product).await?;
    let recipient = recipient_for(&product, &args.recipient, meter_type(args.meter_type));
    let mut request = PurchaseRequest::new(&product, recipient);
    if let Some(a) = amount {
        request = request.amount(a);
    }
    if let Some(r) = &args.reference {
        request = request.reference(Reference::new(r.trim()));
    }
    for (k, v) in fields {
        request = request.field(k, v);
    }
    let prepared = conn.vas.prepare(request).await.map_err(|e| render::core_error(&e))?;
    let key = prepared.key();
    let summary = format!(
        "{} ({}) for {} at {}",
        product.name,
        product.id,
        args.recipient.trim(),
        prepared.amount()
    );

    if must_confirm {
        confirm(&summary, &conn, interactive)?;
    }

    // Listen for Ctrl-C from here on (registered now, before anything is sent).
    let mut interrupted = Interrupt::listen();

    // The reference exists before anything is sent: show it first.
    if out.json {
        out.json_line(&json!({
            "prepared": {
                "vendor": conn.vendor.as_str(),
                "reference": key.reference.as_str(),
                "key": key.to_string(),
                "product": product.id,
                "recipient": args.recipient.trim(),
                "amount": {"amount": prepared.amount().amount.to_string(), "currency": prepared.amount().currency.code()},
            }
        }));
    } else {
        out.say(format!("Buying {summary} from {}.", conn.vendor.display_name()));
        out.say(format!(
            "Reference {} (if this command is interrupted: vas status {} {})",
            key.reference, key.vendor, key.reference
        ));
    }
    let spinner = out.spinner(format!("sent once; waiting for {} to confirm", conn.vendor));
    // Ctrl-C while waiting: the purchase may already be with the vendor, so say how to learn
    // its outcome rather than dying silently.
    let result = tokio::select! {
        r = conn.vas.execute(&prepared) => r,
        () = interrupted.recv() => {
            spinner.finish_and_clear();
            let status = if conn.vendor == Vendor::Eclipse {
                format!("vas status eclipse {} --vendor-id <payment id>", key.reference)
            } else {
                format!("vas status {} {}", key.vendor, key.reference)
            };
            return Err(CliError::new(
                Exit::Unknown,
                format!("interrupted: purchase {key} may have been sent"),
            )
            .hint(format!("ask with `{status}`; never buy again with a new reference")));
        }
    };
    spinner.finish_and_clear();
    let receipt = result.map_err(|e| render::core_error(&e))?;
    print_receipt(&receipt, out);
    Ok(render::exit_for(receipt.outcome))
}

/// Ctrl-C, listened for from the moment it is created.
struct Interrupt {
    #[cfg(unix)]
    signal: Option<tokio::signal::unix::Signal>,
}

impl Interrupt {
    fn listen() -> Self {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Self { signal: signal(SignalKind::interrupt()).ok() }
        }
        #[cfg(not(unix))]
        {
            Self {}
        }
    }

    /// Resolves on Ctrl-C (never, if no listener could be set up).
    async fn recv(&mut self) {
        #[cfg(unix)]
        {
            match self.signal.as_mut() {
                Some(s) => {
                    s.recv().await;
                }
                None => std::future::pending::<()>().await,
            }
        }
        #[cfg(not(unix))]
        {
            if tokio::signal::ctrl_c().await.is_err() {
                std::future::pending::<()>().await;
            }
        }
    }
}

/// Asks the person to confirm a purchase on a URL that is not on this machine.
fn confirm(summary: &str, conn: &Connection, interactive: bool) -> CliResult<()> {
    let question = format!(
        "Buy {summary} from {} at {}? This spends real money. [y/N] ",
        conn.vendor.display_name(),
        conn.base_url
    );
    ask(
        &question,
        &conn.base_url,
        interactive,
        &mut std::io::stdin().lock(),
        &mut std::io::stderr(),
    )
}

/// The confirmation itself: refused when stdin is not a terminal (a script must say `--yes`),
/// accepted only on `y` or `yes`.
fn ask(
    question: &str,
    base_url: &str,
    interactive: bool,
    input: &mut dyn std::io::BufRead,
    prompt: &mut dyn std::io::Write,
) -> CliResult<()> {
    let refuse = |why: &str| {
        CliError::new(Exit::NotConfirmed, format!("not bought: {why}")).hint(format!(
            "{base_url} is not on this machine; pass --yes to buy without being asked"
        ))
    };
    if !interactive {
        return Err(refuse(
            "a purchase on a live URL needs confirmation, and stdin is not a terminal",
        ));
    }
    let _ = write!(prompt, "{question}");
    let _ = prompt.flush();
    let mut answer = String::new();
    let _ = input.read_line(&mut answer);
    if matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes") {
        Ok(())
    } else {
        Err(refuse("declined"))
    }
}

fn print_receipt(receipt: &vas_core::Receipt, out: Out) {
    if out.json {
        out.json_line(&render::receipt_json(receipt));
    } else {
        out.table(&render::receipt_table(receipt));
        if let Some(advice) = render::outcome_advice(receipt) {
            out.say(advice);
        }
    }
}

/// `vas status`.
pub async fn status(args: StatusArgs, settings: &Settings, out: Out) -> CliResult<Exit> {
    let wait = Duration::from_secs(args.wait);
    let vendor = core_vendor(args.target.vendor);
    // Accept `vendor:REF` as `vas buy` prints it, when the vendor matches.
    let raw = args.reference.trim();
    let reference = match raw.split_once(':') {
        Some((v, r)) if v.eq_ignore_ascii_case(vendor.as_str()) => r,
        _ => raw,
    };
    let reference = Reference::new(reference);
    let payment = match (args.vendor_id, vendor) {
        (Some(id), Vendor::Eclipse) => Some((reference.clone(), id)),
        (Some(_), _) => {
            return Err(CliError::input("--vendor-id is only needed (and used) for Eclipse"));
        }
        (None, _) => None,
    };
    let conn = connect_with(settings, &args.target, wait, payment)?;
    reference.check_common().map_err(|e| render::core_error(&e))?;
    let spinner = out.spinner(format!("asking {} about {reference}", conn.vendor));
    let result = if wait.is_zero() {
        conn.vas.status(conn.vendor, &reference).await
    } else {
        conn.vas.resume(&vas_core::PurchaseKey::new(conn.vendor, reference.clone())).await
    };
    spinner.finish_and_clear();
    let receipt = result.map_err(|e| {
        let mut c = render::core_error(&e);
        if conn.vendor == Vendor::Eclipse && args.vendor_id.is_none() {
            c = c.hint(format!(
                "Eclipse finds a payment by its id: run `vas status eclipse {reference} --vendor-id <ID>` with the \"vendor transaction\" id `vas buy` printed"
            ));
        } else if e.kind() == vas_core::ErrorKind::NotFound {
            c = c.hint(
                "the vendor does not know this reference (yet): ask again later; only when that stays so for several minutes is it safe to buy again, with a new reference",
            );
        }
        c
    })?;
    print_receipt(&receipt, out);
    Ok(render::exit_for(receipt.outcome))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_exact_and_positive() {
        assert_eq!(parse_amount(Some("100.50")).ok().flatten(), Some(Decimal::new(10050, 2)));
        assert_eq!(parse_amount(Some("1,000")).ok().flatten(), Some(Decimal::new(1000, 0)));
        assert_eq!(parse_amount(None).ok().flatten(), None);
        let e = parse_amount(Some("ten")).err().map(|e| (e.exit, e.message));
        assert_eq!(e, Some((Exit::Input, "--amount: `ten` is not a number".into())));
        assert!(parse_amount(Some("-5")).is_err());
        assert!(parse_amount(Some("0")).is_err());
    }

    #[test]
    fn a_live_purchase_needs_a_yes() {
        let url = "https://api-service.vtpass.com/api/";
        let q = "Buy MTN Airtime VTU (mtn) for 08031234567 at 100 NGN from VTpass at https://api-service.vtpass.com/api/? This spends real money. [y/N] ";
        for (answer, ok) in
            [("y\n", true), ("YES\n", true), ("\n", false), ("n\n", false), ("", false)]
        {
            let mut shown = Vec::new();
            let r = ask(q, url, true, &mut answer.as_bytes(), &mut shown);
            assert_eq!(r.is_ok(), ok, "{answer:?}");
            assert_eq!(String::from_utf8_lossy(&shown), q);
            if let Err(e) = r {
                assert_eq!(e.exit, Exit::NotConfirmed);
                assert_eq!(e.message, "not bought: declined");
            }
        }
        // Not a terminal: refused without asking, even if "y" is waiting on stdin.
        let mut shown = Vec::new();
        let r = ask(q, url, false, &mut "y\n".as_bytes(), &mut shown);
        assert_eq!(r.err().map(|e| e.exit), Some(Exit::NotConfirmed));
        assert!(shown.is_empty());
    }

    #[test]
    fn fields_are_name_value() {
        let f = parse_fields(&["a=1".into(), "b = x=y".into()]).unwrap_or_default();
        assert_eq!(f.get("a").map(String::as_str), Some("1"));
        assert_eq!(f.get("b").map(String::as_str), Some(" x=y"));
        assert!(parse_fields(&["novalue".into()]).is_err());
    }
}
