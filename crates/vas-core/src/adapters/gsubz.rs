//! GSUBZ (Nigeria), through `gsubz-client`.
//!
//! GSUBZ lists categories but not the services in them, so the adapter is given the services
//! to offer ([`GsubzService`]); the default list holds the services the GSUBZ documentation
//! shows (`mtn` airtime, `mtn_cg` data plans, `gotv` TV plans). For each, the catalog asks
//! `fields` (flexible services: the fields and their `regExp`) or `plans` (one product per
//! plan, id `serviceID/value`).
//!
//! | shared model | GSUBZ |
//! | --- | --- |
//! | reference | `requestID` (digits) |
//! | purchase / status | `pay` / `verify`, classified by `gsubz-client` |

use std::collections::HashSet;
use std::sync::{Mutex, PoisonError};

use async_trait::async_trait;
use futures::future::join_all;
use gsubz_client::{FieldType, PayRequest, RequestId, ResponseCode, Transaction};
use vas_common::Outcome;

use super::common::{bad_reference, kind_of_http_status, raw_body, unknown_outcome, wrap};
use crate::{
    CatalogQuery, Currency, Error, ErrorKind, FieldKind, FieldSpec, Money, Pattern,
    PreparedPurchase, Price, Product, ProductKind, Receipt, Reference, Result, VasProvider, Vendor,
};

const V: Vendor = Vendor::Gsubz;

/// A GSUBZ service the adapter offers.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct GsubzService {
    /// The `serviceID` (`mtn`, `mtn_cg`, `gotv`).
    pub id: String,
    /// What it sells.
    pub kind: ProductKind,
    /// The operator.
    pub operator: String,
    /// Whether it is sold by plan (`plans?service=`) rather than by amount.
    pub plans: bool,
    /// For a flexible service: the smallest amount, if known.
    pub min: Option<rust_decimal::Decimal>,
    /// For a flexible service: the largest amount, if known.
    pub max: Option<rust_decimal::Decimal>,
}

impl GsubzService {
    /// A service sold by amount (airtime).
    pub fn flexible(id: impl Into<String>, kind: ProductKind, operator: impl Into<String>) -> Self {
        Self { id: id.into(), kind, operator: operator.into(), plans: false, min: None, max: None }
    }

    /// A service sold by plan (data bundles, TV bouquets).
    pub fn plans(id: impl Into<String>, kind: ProductKind, operator: impl Into<String>) -> Self {
        Self { plans: true, ..Self::flexible(id, kind, operator) }
    }

    /// Bounds for the amount of a flexible service.
    pub fn amount_range(
        mut self,
        min: Option<rust_decimal::Decimal>,
        max: Option<rust_decimal::Decimal>,
    ) -> Self {
        self.min = min;
        self.max = max;
        self
    }

    fn needs_customer_id(&self) -> bool {
        matches!(self.kind, ProductKind::Tv | ProductKind::Electricity)
    }
}

/// GSUBZ as a [`VasProvider`].
///
/// When GSUBZ answers a purchase's `requestID` with another purchase's transaction (the
/// reference was used before, see [`gsubz_client::Transaction::is_other_purchase`]), the
/// receipt is `Unknown`, and status queries for that reference from this provider are refused
/// ([`ErrorKind::CallerInput`]) instead of reporting the other purchase's status as this
/// one's: such a purchase is reconciled by hand.
#[derive(Debug)]
pub struct GsubzProvider {
    client: gsubz_client::Client,
    services: Vec<GsubzService>,
    /// References GSUBZ answered with another purchase's transaction.
    taken: Mutex<HashSet<String>>,
}

impl GsubzProvider {
    /// Wraps a client, offering the documented services (`mtn`, `mtn_cg`, `gotv`).
    pub fn new(client: gsubz_client::Client) -> Self {
        Self {
            client,
            services: vec![
                GsubzService::flexible("mtn", ProductKind::Airtime, "MTN"),
                GsubzService::plans("mtn_cg", ProductKind::Data, "MTN"),
                GsubzService::plans("gotv", ProductKind::Tv, "GOtv"),
            ],
            taken: Mutex::default(),
        }
    }

    /// Offers exactly these services instead.
    pub fn services(mut self, services: impl IntoIterator<Item = GsubzService>) -> Self {
        self.services = services.into_iter().collect();
        self
    }

    /// The client.
    pub fn client(&self) -> &gsubz_client::Client {
        &self.client
    }

    async fn service_products(&self, s: &GsubzService) -> Result<Vec<Product>> {
        let phone = FieldSpec::required("phone", FieldKind::Phone).with_label("Phone number");
        let customer =
            FieldSpec::required("customerID", FieldKind::Smartcard).with_label("Customer number");
        if s.plans {
            let plans = self.client.plans(&s.id).await.map_err(read_error)?;
            let plan_field = plans.plan_name.clone();
            return Ok(plans
                .plans
                .iter()
                .map(|plan| {
                    let mut p = Product::new(
                        V,
                        format!("{}/{}", s.id, plan.value.as_str()),
                        format!("{} {}", plans.service, plan.display_name),
                        s.kind.clone(),
                        Price::fixed(plan.price(), Currency::Ngn),
                    )
                    .with_operator(s.operator.clone())
                    .with_country("NG")
                    .with_detail(serde_json::json!({
                        "service": s.id,
                        "PlanName": plan_field,
                        "fixedPrice": plans.fixed_price,
                        "plan": serde_json::to_value(plan).unwrap_or_default(),
                    }));
                    if s.needs_customer_id() {
                        p = p.with_field(customer.clone());
                    }
                    p.with_field(phone.clone())
                })
                .collect());
        }
        let fields = self.client.fields(&s.id).await.map_err(read_error)?;
        let mut p = Product::new(
            V,
            s.id.clone(),
            fields.service.clone(),
            s.kind.clone(),
            Price::range(Currency::Ngn, s.min, s.max),
        )
        .with_operator(s.operator.clone())
        .with_country("NG")
        .with_detail(serde_json::json!({"service": s.id, "fields": serde_json::to_value(&fields).unwrap_or_default()}));
        if s.needs_customer_id() {
            p = p.with_field(customer);
        }
        let mut has_phone = false;
        for f in &fields.fields {
            let name = f.name.as_str();
            if name.eq_ignore_ascii_case("amount") || name.eq_ignore_ascii_case("requestID") {
                continue;
            }
            let kind = if name.eq_ignore_ascii_case("phone") {
                has_phone = true;
                FieldKind::Phone
            } else {
                match f.kind {
                    FieldType::Email => FieldKind::Email,
                    FieldType::Number => FieldKind::Number,
                    _ => FieldKind::Text,
                }
            };
            let mut spec = FieldSpec {
                name: if kind == FieldKind::Phone { "phone".to_owned() } else { f.name.clone() },
                label: Some(f.display_name.clone()),
                kind,
                required: f.required,
                pattern: None,
                choices: Vec::new(),
            };
            let raw = f.reg_exp.trim();
            if !raw.is_empty() {
                spec.pattern = Pattern::new(raw).ok();
            }
            p = p.with_field(spec);
        }
        if !has_phone {
            p = p.with_field(phone);
        }
        // The recipient field must come first among the recipient-like fields.
        p.fields.sort_by_key(|f| {
            if f.kind.recipient_kind().is_some() && f.kind != FieldKind::Phone { 0 } else { 1 }
        });
        if !s.needs_customer_id() {
            p.fields.sort_by_key(|f| if f.kind == FieldKind::Phone { 0 } else { 1 });
        }
        Ok(vec![p])
    }
}

fn read_error(e: gsubz_client::Error) -> Error {
    use gsubz_client::Error as E;
    let kind = match &e {
        E::Config(_) => ErrorKind::Config,
        E::InvalidInput { .. } => ErrorKind::CallerInput,
        E::Http { status, .. } => kind_of_http_status(*status),
        E::Vendor { code, status, .. } => match code {
            ResponseCode::AuthorizationFailed => ErrorKind::Auth,
            ResponseCode::ContentNotFound => ErrorKind::NotFound,
            ResponseCode::TooManyRequests | ResponseCode::GatewayError => ErrorKind::Transient,
            _ => match kind_of_http_status(*status) {
                k @ (ErrorKind::NotFound | ErrorKind::Auth | ErrorKind::Transient) => k,
                // A vendor code under HTTP 200 is a refusal.
                _ => ErrorKind::VendorRejected,
            },
        },
        _ => ErrorKind::Transient,
    };
    wrap(V, kind, e)
}

fn request_id(reference: &Reference) -> Result<RequestId> {
    RequestId::parse(reference.as_str()).map_err(bad_reference)
}

fn receipt(reference: &Reference, tx: &Transaction) -> Receipt {
    let mut r = Receipt::new(V, tx.outcome, reference.clone());
    if let Some(id) = tx.transaction_id() {
        r = r.with_transaction_id(id);
    }
    let amount = tx.response.as_ref().and_then(|p| {
        p.amount
            .as_ref()
            .or(p.amount_paid.as_ref())
            .or_else(|| p.content.as_ref().and_then(|c| c.amount.as_ref()))
    });
    if let Some(a) = amount {
        r = r.with_amount(Money::new(a.value(), Currency::Ngn));
    }
    let words =
        [tx.status.as_ref().map(|s| s.as_str().to_owned()), tx.description().map(str::to_owned)];
    let mut message = words.into_iter().flatten().collect::<Vec<_>>().join(": ");
    if let Some(problem) = &tx.problem {
        message =
            if message.is_empty() { problem.to_string() } else { format!("{message} ({problem})") };
    }
    if !message.is_empty() {
        r = r.with_message(message);
    }
    match &tx.raw_body {
        Some(body) => r.with_raw(raw_body(body)),
        None => r,
    }
}

#[async_trait]
impl VasProvider for GsubzProvider {
    fn vendor(&self) -> Vendor {
        V
    }

    async fn catalog(&self, query: &CatalogQuery) -> Result<Vec<Product>> {
        if query.country.as_deref().is_some_and(|c| !c.eq_ignore_ascii_case("NG")) {
            return Ok(Vec::new());
        }
        let wanted = self
            .services
            .iter()
            .filter(|s| query.kind.as_ref().is_none_or(|k| *k == s.kind))
            .filter(|s| query.operator.as_ref().is_none_or(|o| s.operator.eq_ignore_ascii_case(o)))
            .map(|s| self.service_products(s));
        let mut products = Vec::new();
        for list in join_all(wanted).await {
            products.extend(list?);
        }
        Ok(products)
    }

    async fn product(&self, id: &str) -> Result<Option<Product>> {
        let service = id.split('/').next().unwrap_or(id);
        let Some(s) = self.services.iter().find(|s| s.id == service) else { return Ok(None) };
        Ok(self.service_products(s).await?.into_iter().find(|p| p.id == id))
    }

    fn new_reference(&self) -> Reference {
        Reference::new(RequestId::generate().as_str())
    }

    fn check_reference(&self, reference: &Reference) -> Result<()> {
        request_id(reference).map(|_| ())
    }

    async fn purchase(&self, p: &PreparedPurchase) -> Result<Receipt> {
        let rid = request_id(p.reference())?;
        let product = p.product();
        let service = product.id.split('/').next().unwrap_or(&product.id).to_owned();
        let phone = match p.phone() {
            Some(phone) => phone.national(),
            None => p
                .field("phone")
                .and_then(|f| crate::Phone::parse(f, Some("NG")).ok())
                .map(|ph| ph.national())
                .unwrap_or_default(),
        };
        let amount = p.amount().amount;
        let mut b = match product.detail.get("plan").and_then(|plan| plan.get("value")) {
            Some(value) => {
                let value = value.as_str().map(str::to_owned).unwrap_or_else(|| value.to_string());
                let field =
                    product.detail.get("PlanName").and_then(|f| f.as_str()).unwrap_or("plan");
                // The doc's GoTV example names `PlanName` `gotv-plan` but sends `plan`.
                let field = if field.contains('-') { "plan" } else { field };
                PayRequest::fixed(service, field, value, amount, phone)
            }
            None => PayRequest::flexible(service, phone, amount),
        };
        if p.phone().is_none() {
            b = b.customer_id(p.recipient().value());
        }
        for (name, value) in p.fields() {
            match name.as_str() {
                "phone" | "customerID" => {}
                "email" => b = b.email(value.clone()),
                other => b = b.field(other, value.clone()),
            }
        }
        let request = b.request_id(rid).build().map_err(|e| wrap(V, ErrorKind::CallerInput, e))?;
        match self.client.pay(&request).await {
            Ok(tx) => {
                if tx.is_other_purchase() {
                    self.taken
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .insert(p.reference().as_str().to_owned());
                }
                Ok(receipt(p.reference(), &tx))
            }
            Err(e) if e.maybe_sent() => Err(unknown_outcome(V, e)),
            Err(e) => {
                let kind = match &e {
                    gsubz_client::Error::Config(_) => ErrorKind::Config,
                    gsubz_client::Error::InvalidInput { .. } => ErrorKind::CallerInput,
                    _ => ErrorKind::Transient,
                };
                Err(wrap(V, kind, e))
            }
        }
    }

    async fn status(&self, reference: &Reference) -> Result<Receipt> {
        let rid = request_id(reference)?;
        if self.taken.lock().unwrap_or_else(PoisonError::into_inner).contains(reference.as_str()) {
            return Err(Error::caller_input(
                "reference",
                "GSUBZ answered this requestID with another purchase's transaction: its status \
                 would be that purchase's; reconcile this one by hand",
            )
            .with_vendor(V)
            .with_reference(reference.clone()));
        }
        let mut tx = self.client.verify(&rid).await.map_err(read_error)?;
        // GSUBZ writes a refusal's name in `status` (`CONTENT_NOT_FOUND`), so the outcome,
        // not the presence of a status, tells a refusal of the query from a transaction.
        if tx.outcome == Outcome::Unknown && tx.code == Some(ResponseCode::ContentNotFound) {
            return Err(Error::new(
                ErrorKind::NotFound,
                "GSUBZ has no transaction with this requestID",
            )
            .with_vendor(V)
            .with_reference(reference.clone()));
        }
        // A status query refused as such says nothing about the purchase.
        if tx.outcome == Outcome::Unknown
            && let Some(code @ (ResponseCode::AuthorizationFailed | ResponseCode::TooManyRequests)) =
                tx.code.clone()
        {
            let kind = if code == ResponseCode::AuthorizationFailed {
                ErrorKind::Auth
            } else {
                ErrorKind::Transient
            };
            let refusal = gsubz_client::Error::Vendor {
                status: tx.http_status.unwrap_or(200),
                description: tx.description().unwrap_or(code.meaning()).to_owned(),
                code,
                body: tx.raw_body.clone().unwrap_or_default(),
            };
            return Err(wrap(V, kind, refusal).with_reference(reference.clone()));
        }
        // A status query that got no readable answer is a failed read.
        if tx.outcome == Outcome::Unknown
            && tx.response.is_none()
            && let Some(problem) = tx.problem.take()
        {
            return Err(read_error(problem).with_reference(reference.clone()));
        }
        Ok(receipt(reference, &tx))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_errors_keep_their_kind_and_source() {
        let e =
            read_error(gsubz_client::Error::Http { status: 503, body: "<html>down</html>".into() });
        assert_eq!((e.kind(), e.vendor()), (ErrorKind::Transient, Some(Vendor::Gsubz)));
        assert_eq!(
            e.vendor_error::<gsubz_client::Error>().and_then(|v| v.raw_body()),
            Some("<html>down</html>")
        );
        let e = read_error(gsubz_client::Error::Vendor {
            status: 200,
            code: ResponseCode::AuthorizationFailed,
            description: "AUTHORIZATION_FAILED".into(),
            body: "{}".into(),
        });
        assert_eq!(e.kind(), ErrorKind::Auth);
        let e = read_error(gsubz_client::Error::Vendor {
            status: 200,
            code: ResponseCode::ErrorInPayment,
            description: "INSUFFICIENT_BALANCE".into(),
            body: "{}".into(),
        });
        assert_eq!(e.kind(), ErrorKind::VendorRejected);
    }

    #[test]
    fn references_are_digits() {
        let p = GsubzProvider::new(gsubz_client::Client::new("ap_key").unwrap());
        assert!(p.check_reference(&p.new_reference()).is_ok());
        assert!(p.check_reference(&Reference::new("abc")).is_err());
        assert_eq!(
            p.services.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(),
            ["mtn", "mtn_cg", "gotv"]
        );
    }
}
