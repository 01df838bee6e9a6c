//! How products, receipts and vas-core errors look on the terminal and in `--json`.

use std::error::Error as _;

use serde_json::{Value, json};
use vas_common::ExposeSecret as _;
use vas_core::{ErrorKind, Outcome, Price, Product, Receipt, RecipientInfo};

use crate::error::{CliError, Exit};
use crate::output;

/// A price as text: `100.00 NGN`, `50 – 50000 NGN`, `from 50 NGN`, `any amount (NGN)`.
pub fn price(p: &Price) -> String {
    match p {
        Price::Fixed(m) => m.to_string(),
        Price::Range { currency, min, max } => match (min, max) {
            (Some(a), Some(b)) => format!("{a} – {b} {currency}"),
            (Some(a), None) => format!("from {a} {currency}"),
            (None, Some(b)) => format!("up to {b} {currency}"),
            (None, None) => format!("any amount ({currency})"),
        },
        #[allow(unreachable_patterns)]
        other => format!("{other:?}"),
    }
}

/// What the customer must give: the product's fields, e.g. `phone*`, `variation_code* (1|2)`.
pub fn fields(p: &Product) -> String {
    p.fields
        .iter()
        .map(|f| {
            let mut s = f.name.clone();
            if f.required {
                s.push('*');
            }
            s
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A product table.
pub fn product_table(
    products: &[Product],
    with_vendor: bool,
    with_fields: bool,
) -> comfy_table::Table {
    let mut header = vec![];
    if with_vendor {
        header.push("vendor");
    }
    header.extend(["product id", "name", "kind", "operator", "country", "price"]);
    if with_fields {
        header.push("fields");
    }
    let mut t = output::table(&header);
    for p in products {
        let mut row = vec![];
        if with_vendor {
            row.push(p.vendor.to_string());
        }
        row.extend([
            p.id.clone(),
            p.name.clone(),
            p.kind.to_string(),
            p.operator.clone().unwrap_or_default(),
            p.country.clone().unwrap_or_default(),
            price(&p.price),
        ]);
        if with_fields {
            row.push(fields(p));
        }
        t.add_row(row);
    }
    // The id is what people copy into `vas buy`: never wrap it.
    let id_column = usize::from(with_vendor);
    if let Some(c) = t.column_mut(id_column) {
        c.set_constraint(comfy_table::ColumnConstraint::ContentWidth);
    }
    t
}

/// A product as JSON.
pub fn product_json(p: &Product) -> Value {
    let price = match &p.price {
        Price::Fixed(m) => {
            json!({"type": "fixed", "amount": m.amount.to_string(), "currency": m.currency.code()})
        }
        Price::Range { currency, min, max } => json!({
            "type": "range",
            "currency": currency.code(),
            "min": min.map(|d| d.to_string()),
            "max": max.map(|d| d.to_string()),
        }),
        #[allow(unreachable_patterns)]
        _ => Value::Null,
    };
    let fields: Vec<Value> = p
        .fields
        .iter()
        .map(|f| {
            json!({
                "name": f.name,
                "label": f.label,
                "kind": serde_json::to_value(f.kind).unwrap_or(Value::Null),
                "required": f.required,
                "pattern": f.pattern.as_ref().map(|x| x.as_str().to_string()),
                "choices": f.choices,
            })
        })
        .collect();
    json!({
        "vendor": p.vendor.as_str(),
        "id": p.id,
        "name": p.name,
        "kind": p.kind.as_str(),
        "operator": p.operator,
        "country": p.country,
        "price": price,
        "fields": fields,
    })
}

/// The exit code for a purchase outcome.
pub fn exit_for(outcome: Outcome) -> Exit {
    match outcome {
        Outcome::Delivered => Exit::Ok,
        Outcome::Failed => Exit::Failed,
        Outcome::Pending => Exit::Pending,
        _ => Exit::Unknown,
    }
}

/// A receipt as JSON. The delivered token and PIN are included: they are what was bought.
pub fn receipt_json(r: &Receipt) -> Value {
    let d = &r.delivered;
    json!({
        "vendor": r.vendor.as_str(),
        "reference": r.reference.as_str(),
        "key": r.key().to_string(),
        "outcome": r.outcome.as_str(),
        "exit_code": exit_for(r.outcome).code(),
        "status_command": status_command(r),
        "vendor_transaction_id": r.vendor_transaction_id,
        "amount": r.amount.as_ref().map(|m| json!({"amount": m.amount.to_string(), "currency": m.currency.code()})),
        "message": r.message,
        "delivered": {
            "token": d.token.as_ref().map(|s| s.expose_secret().to_string()),
            "pin": d.pin.as_ref().map(|s| s.expose_secret().to_string()),
            "serial": d.serial,
            "units": d.units,
        },
        "raw": r.raw.as_ref().map(|raw| raw.as_json().cloned().unwrap_or_else(|| Value::String(raw.to_text()))),
    })
}

/// A receipt as a two-column table.
pub fn receipt_table(r: &Receipt) -> comfy_table::Table {
    let mut t = output::table(&[]);
    t.add_row(["outcome".to_string(), r.outcome.as_str().to_uppercase()]);
    t.add_row(["reference".to_string(), r.key().to_string()]);
    if let Some(id) = &r.vendor_transaction_id {
        t.add_row(["vendor transaction".to_string(), id.clone()]);
    }
    if let Some(m) = &r.amount {
        t.add_row(["amount".to_string(), m.to_string()]);
    }
    if let Some(m) = &r.message {
        t.add_row(["vendor says".to_string(), m.clone()]);
    }
    let d = &r.delivered;
    if let Some(x) = &d.token {
        t.add_row(["token".to_string(), x.expose_secret().to_string()]);
    }
    if let Some(x) = &d.pin {
        t.add_row(["PIN".to_string(), x.expose_secret().to_string()]);
    }
    if let Some(x) = &d.serial {
        t.add_row(["serial".to_string(), x.clone()]);
    }
    if let Some(x) = &d.units {
        t.add_row(["units".to_string(), x.clone()]);
    }
    t
}

/// What to tell the person after a purchase or status query.
pub fn outcome_advice(r: &Receipt) -> Option<String> {
    let status = status_command(r);
    match r.outcome {
        Outcome::Delivered => None,
        Outcome::Failed => {
            Some("The vendor says the purchase failed; nothing was delivered.".into())
        }
        Outcome::Pending => Some(format!("Not final yet. Ask again later with: {status}")),
        _ => Some(format!(
            "The outcome is unknown. Ask with: {status} (never buy again with a new reference)"
        )),
    }
}

/// The command that asks for this receipt's status later.
pub fn status_command(r: &Receipt) -> String {
    match (r.vendor, &r.vendor_transaction_id) {
        (vas_core::Vendor::Eclipse, Some(id)) => {
            format!("vas status eclipse {} --vendor-id {id}", r.reference)
        }
        _ => format!("vas status {} {}", r.vendor, r.reference),
    }
}

/// A recipient check as JSON.
pub fn recipient_json(info: &RecipientInfo) -> Value {
    json!({
        "verified": info.verified,
        "name": info.name,
        "address": info.address,
        "detail": info.detail,
    })
}

/// Turns a vas-core error into one a person can act on, with the exit code for its kind.
pub fn core_error(e: &vas_core::Error) -> CliError {
    let exit = match e.kind() {
        ErrorKind::CallerInput => Exit::Input,
        ErrorKind::Config => Exit::Config,
        ErrorKind::UnknownOutcome => Exit::Unknown,
        _ => Exit::Error,
    };
    let mut c = CliError::new(exit, e.to_string());
    if let Some(field) = e.field() {
        c = c.detail(format!("field: {field}"));
    }
    // The vendor's own words: the chain of sources (codes, messages; never credentials).
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !text.is_empty() && !c.message.contains(&text) {
            c = c.detail(format!("vendor detail: {text}"));
        }
        source = s.source();
    }
    let hint = match e.kind() {
        ErrorKind::CallerInput => {
            Some("fix the value named above; no purchase was sent".to_string())
        }
        ErrorKind::Auth => Some("check the credential variables (see `vas --help`)".to_string()),
        ErrorKind::UnknownOutcome => e.reference().zip(e.vendor()).map(|(r, v)| {
            format!("ask with `vas status {v} {r}`; never buy again with a new reference")
        }),
        ErrorKind::Transient => Some("nothing took effect; try again later".to_string()),
        _ => None,
    };
    if let Some(h) = hint {
        c = c.hint(h);
    }
    c
}
