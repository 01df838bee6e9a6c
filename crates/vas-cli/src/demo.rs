//! `vas demo`: all four vendors on the embedded sandbox, offline, in a few seconds.
//!
//! The demo uses the same code as real use: the sandbox's variables go through the same
//! credential loading, the same vendor clients and the same vas-core adapters as
//! `vas buy --base-url …` would.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use rust_decimal::Decimal;
use serde_json::{Value, json};
use vas_core::{
    Backoff, CatalogQuery, Outcome, Product, PurchaseRequest, Receipt, Recipient, Reference, Vas,
    VasProvider, Vendor,
};
use vas_sandbox::{Sandbox, SandboxConfig};

use crate::cli::{DemoArgs, VendorArg};
use crate::commands;
use crate::config::Settings;
use crate::error::{CliError, CliResult, Exit};
use crate::output::{self, Out};
use crate::render;
use crate::sandbox_cmd;

const VENDORS: [VendorArg; 4] =
    [VendorArg::Vtpass, VendorArg::Eclipse, VendorArg::Dtone, VendorArg::Gsubz];

fn sandbox_vendor(v: Vendor) -> vas_sandbox::Vendor {
    match v {
        Vendor::Eclipse => vas_sandbox::Vendor::Eclipse,
        Vendor::Dtone => vas_sandbox::Vendor::Dtone,
        Vendor::Gsubz => vas_sandbox::Vendor::Gsubz,
        _ => vas_sandbox::Vendor::Vtpass,
    }
}

/// The sandbox endpoint that takes a vendor's purchases.
fn pay_endpoint(v: Vendor) -> &'static str {
    match v {
        Vendor::Eclipse => "initiate-payment",
        Vendor::Dtone => "transactions",
        _ => "pay",
    }
}

/// How the demo asks: a purchase goes through the full safe purchase (`execute`), or is sent
/// once and then followed by status queries one by one, to show each answer.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Flow {
    Execute,
    StepByStep,
}

/// One purchase of the walk-through.
struct Scenario {
    title: &'static str,
    vendor: Vendor,
    /// What the sandbox is told to do, in words.
    setup: &'static str,
    flow: Flow,
    expected: Outcome,
    pick: fn(&Product) -> bool,
    recipient: fn(&Product) -> String,
    amount: Option<Decimal>,
}

/// What happened to one scenario.
struct Row {
    title: &'static str,
    vendor: Vendor,
    product: String,
    recipient: String,
    reference: String,
    first: String,
    outcome: Outcome,
    expected: Outcome,
    status_queries: u32,
    pays: u64,
    millis: u128,
}

impl Row {
    fn as_expected(&self) -> bool {
        self.outcome == self.expected && self.pays == 1
    }
}

fn scenarios() -> Vec<Scenario> {
    vec![
        Scenario {
            title: "delivered",
            vendor: Vendor::Vtpass,
            setup: "VTpass's documented success number",
            flow: Flow::Execute,
            expected: Outcome::Delivered,
            pick: |p| p.id == "mtn",
            recipient: |_| "08011111111".into(),
            amount: Some(Decimal::new(100, 0)),
        },
        Scenario {
            title: "pending → confirmed",
            vendor: Vendor::Eclipse,
            setup: "Eclipse answers PENDING and settles a moment later",
            flow: Flow::StepByStep,
            expected: Outcome::Delivered,
            pick: |p| has_phone(p) && p.kind == vas_core::ProductKind::Airtime,
            recipient: |p| number_for(p, "123456"),
            amount: Some(Decimal::new(10, 0)),
        },
        Scenario {
            title: "failed",
            vendor: Vendor::Gsubz,
            setup: "a number ending in 000001 fails",
            flow: Flow::Execute,
            expected: Outcome::Failed,
            pick: |p| p.id == "mtn" || has_phone(p),
            recipient: |p| number_for(p, "000001"),
            amount: Some(Decimal::new(100, 0)),
        },
        Scenario {
            title: "unknown → resolved",
            vendor: Vendor::Dtone,
            setup: "takes the payment, then drops the connection (number ending 000003)",
            flow: Flow::StepByStep,
            expected: Outcome::Delivered,
            pick: |_| true,
            recipient: |p| number_for(p, "000003"),
            amount: None,
        },
    ]
}

fn has_phone(p: &Product) -> bool {
    p.recipient_field().is_some_and(|f| f.kind == vas_core::FieldKind::Phone)
}

/// A valid recipient for the product (a phone number of its country, or an account number)
/// whose last six digits are `tail`: the sandbox decides a purchase's fate by them.
fn number_for(p: &Product, tail: &str) -> String {
    if !has_phone(p) {
        return format!("10{tail}");
    }
    match p.country.as_deref() {
        Some("NG") | None => format!("0803{}{tail}", '1'),
        Some("ZA") => format!("082{}{tail}", '1'),
        Some("KE") => format!("0712{tail}"),
        Some("UG") => format!("0772{tail}"),
        Some("BW") => format!("71{tail}"),
        Some("GT") => format!("+502 50{tail}"),
        Some(_) => format!("+1 555 5{tail}"),
    }
}

/// Runs the demo.
pub async fn run(args: DemoArgs, out: Out) -> CliResult<Exit> {
    let started = Instant::now();
    let settle = Duration::from_millis(args.pending_ms);
    let config = SandboxConfig::default()
        .settle_after(settle)
        .timeout_delay(Duration::from_millis(args.pending_ms.max(200) * 2));
    let sandbox = Sandbox::start(config)
        .await
        .map_err(|e| CliError::other(format!("cannot start the embedded sandbox: {e}")))?;
    let result = walk_through(&sandbox, settle, out).await;
    sandbox.shutdown().await;
    let rows = result?;
    let ok = rows.iter().all(Row::as_expected);
    summary(&rows, started.elapsed(), out);
    if ok {
        Ok(Exit::Ok)
    } else {
        Err(CliError::other("the demo did not go as expected (see the summary above)"))
    }
}

async fn walk_through(sandbox: &Sandbox, settle: Duration, out: Out) -> CliResult<Vec<Row>> {
    out.say("vas demo: four vendors, offline, on the embedded sandbox (test credentials only).");
    out.say(
        "Every call below is real HTTP to simulators of VTpass, Ukheshe Eclipse, DT One and GSUBZ",
    );
    out.say("on this machine, through the same clients and adapters as real use.");

    // The sandbox's variables, through the same credential loading as real use.
    let vars: Vec<(&str, String)> = vas_sandbox::Vendor::ALL
        .into_iter()
        .flat_map(|v| sandbox_cmd::env_for(sandbox, v))
        .collect();
    let settings = Settings::from_vars(&vars);
    let mut providers: BTreeMap<Vendor, Arc<dyn VasProvider>> = BTreeMap::new();
    let mut builder = Vas::builder()
        .poll_backoff(
            Backoff::new(Duration::from_millis(100)).max_delay(Duration::from_millis(400)),
        )
        .poll_deadline(Duration::from_secs(10));
    for v in VENDORS {
        let url = crate::clients::base_url(&settings, v, None)?;
        let p = commands::provider(&settings, v, &url)?;
        providers.insert(commands::core_vendor(v), p.clone());
        builder = builder.shared_provider(p);
    }
    let vas = builder.build().map_err(|e| render::core_error(&e))?;

    // 1. Catalogs.
    out.heading("1. Catalogs: what each vendor sells");
    let spinner = out.spinner("reading four catalogs");
    let catalog = vas.catalog(&CatalogQuery::all()).await;
    spinner.finish_and_clear();
    let catalog = catalog.map_err(|e| render::core_error(&e))?;
    if let Some(e) = catalog.errors.first() {
        return Err(render::core_error(e));
    }
    // Up to three products per vendor, of different kinds where the vendor has them.
    let mut counts: BTreeMap<Vendor, usize> = BTreeMap::new();
    for p in &catalog.products {
        *counts.entry(p.vendor).or_default() += 1;
    }
    let mut shown: Vec<Product> = Vec::new();
    for pass in 0..2 {
        for p in &catalog.products {
            let same_vendor = shown.iter().filter(|s| s.vendor == p.vendor).count();
            let kind_seen = shown.iter().any(|s| s.vendor == p.vendor && s.kind == p.kind);
            let already = shown.iter().any(|s| s.vendor == p.vendor && s.id == p.id);
            if same_vendor < 3 && !already && (pass == 1 || !kind_seen) {
                shown.push(p.clone());
            }
        }
    }
    shown.sort_by_key(|p| p.vendor);
    out.table(&render::product_table(&shown, true, false));
    out.say(format!(
        "{} products in all ({}); up to three of each vendor are shown. `vas catalog <vendor>` lists them all.",
        catalog.products.len(),
        counts.iter().map(|(v, n)| format!("{v} {n}")).collect::<Vec<_>>().join(", ")
    ));

    // Choose each scenario's product from the catalog.
    let scenarios = scenarios();
    let mut chosen = Vec::new();
    for s in &scenarios {
        let product = catalog
            .products
            .iter()
            .find(|p| p.vendor == s.vendor && (s.pick)(p))
            .cloned()
            .ok_or_else(|| {
                CliError::other(format!("the {} catalog has no product for the demo", s.vendor))
            })?;
        let recipient = (s.recipient)(&product);
        chosen.push((product, recipient));
    }

    // 2. Recipient checks.
    out.heading("2. Recipient checks, before paying");
    let mut t = output::table(&["vendor", "product", "recipient", "result"]);
    let mut checks: Vec<(Product, String)> = Vec::new();
    if let Some(dstv) =
        catalog.products.iter().find(|p| p.vendor == Vendor::Vtpass && p.id == "dstv")
    {
        checks.push((dstv.clone(), "1212121212".into()));
    }
    checks.extend(chosen.iter().map(|(p, r)| (p.clone(), r.clone())));
    let mut check_json = Vec::new();
    for (product, number) in &checks {
        let recipient = commands::recipient_for(product, number, None);
        let answer = vas.validate_recipient(&product.product_ref(), &recipient).await;
        let result = match &answer {
            Ok(info) if info.verified => match &info.name {
                Some(n) => format!("known to {}: {n}", product.vendor),
                None => format!("known to {}", product.vendor),
            },
            Ok(_) => "format checked (no vendor lookup for this product)".to_string(),
            Err(e) => format!("refused: {}", e.message()),
        };
        t.add_row([product.vendor.to_string(), product.id.clone(), number.clone(), result.clone()]);
        check_json.push(json!({
            "vendor": product.vendor.as_str(), "product": product.id, "recipient": number, "result": result
        }));
    }
    out.table(&t);

    // 3. Purchases.
    let mut rows = Vec::new();
    for (i, (s, (product, recipient))) in scenarios.iter().zip(chosen).enumerate() {
        let what = match s.title {
            "delivered" => "is delivered",
            "failed" => "fails",
            "pending → confirmed" => "is pending, then confirmed by status queries",
            _ => "has an unknown outcome, resolved without paying twice",
        };
        out.heading(&format!(
            "{}. A purchase that {what}: {}",
            3 + i,
            product.vendor.display_name()
        ));
        out.say(format!("  sandbox: {}", s.setup));
        rows.push(purchase(&vas, &providers, sandbox, s, product, recipient, settle, out).await?);
    }
    out.json_line(&json!({"recipient_checks": check_json}));
    Ok(rows)
}

#[allow(clippy::too_many_arguments)]
async fn purchase(
    vas: &Vas,
    providers: &BTreeMap<Vendor, Arc<dyn VasProvider>>,
    sandbox: &Sandbox,
    s: &Scenario,
    product: Product,
    recipient_text: String,
    settle: Duration,
    out: Out,
) -> CliResult<Row> {
    let started = Instant::now();
    let recipient: Recipient = commands::recipient_for(&product, &recipient_text, None);
    let mut request = PurchaseRequest::new(&product, recipient);
    if product.price.is_variable() {
        request = request.amount(s.amount.unwrap_or(Decimal::new(100, 0)));
    }
    let prepared = vas.prepare(request).await.map_err(|e| render::core_error(&e))?;
    let key = prepared.key();
    out.say(format!(
        "  {} ({}) for {} at {}",
        product.name,
        product.id,
        recipient_text,
        prepared.amount()
    ));
    out.say(format!("  reference {} (made before sending, to be stored first)", key.reference));

    let mut queries = 0u32;
    let (first, receipt) = match s.flow {
        Flow::Execute => {
            let spinner = out.spinner("sent once; waiting for the answer");
            let r = vas.execute(&prepared).await;
            spinner.finish_and_clear();
            let r = r.map_err(|e| render::core_error(&e))?;
            out.say(format!("  sent once → {}", describe(&r)));
            (r.outcome.as_str().to_string(), r)
        }
        Flow::StepByStep => {
            let provider = providers
                .get(&s.vendor)
                .ok_or_else(|| CliError::other(format!("no provider for {}", s.vendor)))?;
            let first = match provider.purchase(&prepared).await {
                Ok(r) => {
                    out.say(format!("  sent once → {}", describe(&r)));
                    r.outcome
                }
                Err(e) if e.is_unknown_outcome() => {
                    out.say(format!("  sent once → outcome UNKNOWN: {}", e.message()));
                    Outcome::Unknown
                }
                Err(e) => return Err(render::core_error(&e)),
            };
            out.say(format!(
                "  never pay again: ask for the status of {} until it is final",
                key.reference
            ));
            let spinner = out.spinner(format!("status query 1 for {}", key.reference));
            let deadline = Instant::now() + settle * 6 + Duration::from_secs(5);
            let mut last = None;
            while Instant::now() < deadline {
                queries += 1;
                spinner.set_message(format!("status query {queries} for {}", key.reference));
                match vas.status(s.vendor, &key.reference).await {
                    Ok(r) if r.outcome.is_final() => {
                        last = Some(r);
                        break;
                    }
                    Ok(r) => last = Some(r),
                    Err(e) => tracing::debug!(error = %e, "status query failed"),
                }
                // A short, steady pace: the sandbox settles within the demo's pending time.
                tokio::time::sleep(Duration::from_millis(300)).await;
            }
            spinner.finish_and_clear();
            let r = last.unwrap_or_else(|| {
                Receipt::new(s.vendor, Outcome::Pending, Reference::new(key.reference.as_str()))
            });
            out.say(format!(
                "  {queries} status quer{} → {}",
                if queries == 1 { "y" } else { "ies" },
                describe(&r)
            ));
            (first.as_str().to_string(), r)
        }
    };
    let pays = sandbox.count(sandbox_vendor(s.vendor), pay_endpoint(s.vendor));
    out.say(format!(
        "  the sandbox's pay counter for {}: {pays}{}",
        s.vendor,
        if pays == 1 { " (paid once)" } else { " (UNEXPECTED)" }
    ));
    Ok(Row {
        title: s.title,
        vendor: s.vendor,
        product: product.id.clone(),
        recipient: recipient_text,
        reference: key.reference.to_string(),
        first,
        outcome: receipt.outcome,
        expected: s.expected,
        status_queries: queries,
        pays,
        millis: started.elapsed().as_millis(),
    })
}

fn describe(r: &Receipt) -> String {
    let mut s = r.outcome.as_str().to_uppercase();
    if let Some(m) = &r.message {
        s.push_str(&format!(" ({m})"));
    }
    if let Some(id) = &r.vendor_transaction_id {
        s.push_str(&format!(", vendor transaction {id}"));
    }
    s
}

fn summary(rows: &[Row], elapsed: Duration, out: Out) {
    let all_ok = rows.iter().all(Row::as_expected);
    if out.json {
        let scenarios: Vec<Value> = rows
            .iter()
            .map(|r| {
                json!({
                    "scenario": r.title,
                    "vendor": r.vendor.as_str(),
                    "product": r.product,
                    "recipient": r.recipient,
                    "reference": r.reference,
                    "first_answer": r.first,
                    "outcome": r.outcome.as_str(),
                    "expected": r.expected.as_str(),
                    "status_queries": r.status_queries,
                    "pay_requests": r.pays,
                    "as_expected": r.as_expected(),
                    "millis": r.millis,
                })
            })
            .collect();
        out.json_line(&json!({
            "summary": scenarios,
            "all_as_expected": all_ok,
            "millis": elapsed.as_millis(),
        }));
        return;
    }
    out.heading("Summary");
    let mut t = output::table(&[
        "scenario",
        "vendor",
        "product",
        "recipient",
        "first answer",
        "final outcome",
        "status queries",
        "pays",
        "as expected",
    ]);
    for r in rows {
        t.add_row([
            r.title.to_string(),
            r.vendor.to_string(),
            r.product.clone(),
            r.recipient.clone(),
            r.first.clone(),
            r.outcome.as_str().to_string(),
            r.status_queries.to_string(),
            r.pays.to_string(),
            if r.as_expected() { "yes" } else { "NO" }.to_string(),
        ]);
    }
    out.table(&t);
    out.say(format!(
        "{} in {:.1} s. Every purchase was sent exactly once; pending and unknown outcomes were settled by status queries with the same reference.",
        if all_ok { "All four scenarios went as expected" } else { "Some scenarios did NOT go as expected" },
        elapsed.as_secs_f64()
    ));
    out.say("Next: `vas sandbox` for your own tests, `vas --help` for real use.");
}
