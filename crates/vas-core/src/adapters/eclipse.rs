//! Ukheshe Eclipse (South Africa, Kenya, Uganda, Botswana), through `eclipse-vas`.
//!
//! | shared model | Eclipse |
//! | --- | --- |
//! | product id | `paymentData`: `<partnerId>_<productId>` |
//! | catalog | `vas/catalogs` (the whole catalog; the account-query catalogs of bills and tax are reached with `eclipse_vas::CatalogQuery` directly) |
//! | country, currency | from the partner: MTN, Vodacom, Pay@, EasyPay, Kganya → ZA, ZAR; DTB Kenya → KE, KES; DTB Uganda → UG, UGX; FrontierWeb → BW, BWP |
//! | fields | the product's `additionalFields` with their `regex`; `msisdn` is the phone recipient |
//! | reference | `externalUniqueId` |
//! | purchase | the partner's documented flow (below), each call sent once |
//! | status | `GET payments/{paymentId}`, `PENDING` / `SUCCESSFUL` / `ERROR` |
//!
//! **Two payment flows**, as the vendor's use-case pages describe them:
//!
//! - Diamond Trust Bank (Kenya 19, Uganda 21): one call, `POST customers/{customerId}/payments`
//!   with the amount, currency and wallet.
//! - Scan to Pay and ACS (MTN 4, Vodacom 5), Kganya 16 and Cellulant 17: initiate with the
//!   currency and wallet but no amount, then complete with `PUT payments/{paymentId}` carrying
//!   the amount and wallet. Pay@ 14 initiates with the fields only and EasyPay 15 with the
//!   wallet and the customer's `phone`; both complete with the amount, wallet and
//!   `externalUniqueId`. FrontierWeb 20 has no documented payment example; it follows the
//!   general flow of the documentation's overview (initiate, then complete).
//!
//! The payment id is remembered as soon as the initiate call answers, before the completion is
//! sent, so a completion whose answer is lost is resolved by a status query. A call the vendor
//! refuses with its error array (insufficient funds, a bad wallet) is `Failed`; a 401 or 403 is
//! an [`ErrorKind::Auth`] error, never retried. A refused completion leaves the payment
//! `PENDING` at Eclipse without an amount, so it is never processed (a later status query
//! still reads `PENDING`). A call that may have been processed (timeout, 5xx, 3xx, 408, 409,
//! an HTML page or any body that is not the vendor's error array) is an unknown outcome,
//! resolved by status queries; neither call is ever sent twice.
//!
//! **Limitation: no status by reference.** Eclipse's documentation names no lookup of a
//! payment by its `externalUniqueId`, only `GET payments/{paymentId}`. The adapter remembers
//! the payment id of every reference it initiated, so [`Vas::execute`](crate::Vas::execute)
//! and [`Vas::status`](crate::Vas::status) work within one process. After a restart, or after
//! an initiate call whose answer was lost, a status query for a reference whose payment id is
//! not known fails with [`ErrorKind::Config`]: this setup cannot ask. It is never `NotFound`
//! (which would invite a second purchase) and never `Failed`;
//! [`Vas::execute`](crate::Vas::execute) then returns the purchase as `Pending`. Reconcile such
//! references through Eclipse's signed payment callback (`eclipse_vas::callback`, which carries
//! the `externalUniqueId` and the `paymentId`) or its back office, store the payment id, and
//! tell the adapter with [`EclipseProvider::remember_payment`]. A 404 to the status query of a
//! known payment id is [`ErrorKind::Transient`], never `NotFound`: Eclipse gave that id.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use async_trait::async_trait;
use eclipse_vas::{
    CustomerId, InitiatePayment, PartnerId, PaymentData, PaymentId, UpdatePayment, WalletId,
};
use vas_common::Outcome;

use super::common::{raw_json, unknown_outcome, wrap};
use crate::{
    CatalogQuery, Currency, Delivered, Error, ErrorKind, FieldKind, FieldSpec, Money, Pattern,
    PreparedPurchase, Price, Product, ProductKind, Receipt, Reference, Result, VasProvider, Vendor,
};

const V: Vendor = Vendor::Eclipse;

/// Eclipse as a [`VasProvider`].
#[derive(Debug)]
pub struct EclipseProvider {
    client: eclipse_vas::Client,
    wallet: Option<WalletId>,
    payments: Mutex<HashMap<Reference, PaymentId>>,
}

impl EclipseProvider {
    /// Wraps a client (with its tenant and credentials set).
    pub fn new(client: eclipse_vas::Client) -> Self {
        Self { client, wallet: None, payments: Mutex::new(HashMap::new()) }
    }

    /// The wallet purchases are paid from.
    pub fn wallet(mut self, wallet: u64) -> Self {
        self.wallet = Some(WalletId(wallet));
        self
    }

    /// The client.
    pub fn client(&self) -> &eclipse_vas::Client {
        &self.client
    }

    /// Tells the adapter the payment id of a reference (for example from a stored callback),
    /// so that its status can be asked after a restart.
    pub fn remember_payment(&self, reference: Reference, payment_id: u64) {
        self.payments
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(reference, PaymentId::from(payment_id));
    }

    fn payment_id(&self, reference: &Reference) -> Option<PaymentId> {
        self.payments.lock().unwrap_or_else(PoisonError::into_inner).get(reference).cloned()
    }
}

/// What each call of a partner's payment carries, as its use-case page shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Flow {
    /// The amount goes in the initiate call and there is no completion (DTB).
    amount_in_initiate: bool,
    currency_in_initiate: bool,
    wallet_in_initiate: bool,
    /// The customer's phone as the top-level `phone` of the initiate call (EasyPay).
    phone_in_initiate: bool,
    /// The completion repeats the `externalUniqueId` (Pay@, EasyPay).
    reference_in_update: bool,
}

fn flow(partner: PartnerId) -> Flow {
    let complete = Flow {
        amount_in_initiate: false,
        currency_in_initiate: true,
        wallet_in_initiate: true,
        phone_in_initiate: false,
        reference_in_update: false,
    };
    match partner.get() {
        19 | 21 => Flow { amount_in_initiate: true, ..complete },
        14 => Flow {
            currency_in_initiate: false,
            wallet_in_initiate: false,
            reference_in_update: true,
            ..complete
        },
        15 => Flow {
            currency_in_initiate: false,
            phone_in_initiate: true,
            reference_in_update: true,
            ..complete
        },
        // Scan to Pay / ACS (4, 5), Kganya 16, Cellulant 17, and the documentation's general
        // flow for the others (FrontierWeb 20).
        _ => complete,
    }
}

fn market(partner: PartnerId) -> Option<(&'static str, Currency)> {
    match partner.get() {
        4 | 5 | 14 | 15 | 16 => Some(("ZA", Currency::Zar)),
        19 => Some(("KE", Currency::Kes)),
        20 => Some(("BW", Currency::Bwp)),
        21 => Some(("UG", Currency::Ugx)),
        _ => None,
    }
}

fn kind_of(name: &str) -> ProductKind {
    match name.to_ascii_uppercase().as_str() {
        "AIRTIME" | "PINLESS_AIRTIME" => ProductKind::Airtime,
        "DATA" => ProductKind::Data,
        "SMS" => ProductKind::Sms,
        "ELECTRICITY" | "PREPAID_ELECTRICITY" => ProductKind::Electricity,
        "WATER" => ProductKind::Water,
        "TAX" => ProductKind::Tax,
        "BILL" | "BILLS" | "BILL_PAYMENT" => ProductKind::Bill,
        "VOUCHER" => ProductKind::Voucher,
        "WALLET_TOPUP" | "WALLET" => ProductKind::WalletTopUp,
        "TV" => ProductKind::Tv,
        "" => ProductKind::Other("unknown".to_owned()),
        other => ProductKind::Other(other.to_ascii_lowercase()),
    }
}

fn field_kind(id: &str, product: ProductKind) -> FieldKind {
    let lower = id.to_ascii_lowercase();
    match lower.as_str() {
        "msisdn" | "phone" | "mobile" => FieldKind::Phone,
        s if s.contains("prn") => FieldKind::Prn,
        s if s.contains("meter") => FieldKind::Meter,
        s if s.contains("account") || s.contains("customerref") || s.contains("reference") => {
            match product {
                ProductKind::Tax => FieldKind::Prn,
                _ => FieldKind::Account,
            }
        }
        _ => FieldKind::Text,
    }
}

fn to_product(partner: &eclipse_vas::Partner, p: &eclipse_vas::models::Product) -> Product {
    let type_name = p
        .product_type_name
        .as_ref()
        .or(p.product_category.as_ref())
        .map(|t| t.as_str())
        .unwrap_or("");
    let kind = kind_of(type_name);
    let (country, currency) = match market(p.partner_id) {
        Some((c, cur)) => (Some(c), cur),
        None => (None, Currency::unknown()),
    };
    let price = match p.fixed_price() {
        Some(amount) => Price::fixed(amount, currency),
        None => Price::range(currency, None, None),
    };
    let id = format!("{}_{}", p.partner_id.get(), p.product_id);
    let name =
        p.product_name.clone().map(|n| n.trim().to_owned()).unwrap_or_else(|| p.product_id.clone());
    let mut out = Product::new(V, id, name, kind.clone(), price)
        .with_detail(serde_json::to_value(p).unwrap_or_default());
    if let Some(op) =
        partner.partner_name.clone().or_else(|| p.partner_id.name().map(str::to_owned))
    {
        out = out.with_operator(op);
    }
    if let Some(c) = country {
        out = out.with_country(c);
    }
    for f in p.additional_fields.iter().flatten() {
        let mut spec = FieldSpec {
            name: f.id.clone(),
            label: f.title.clone(),
            kind: field_kind(&f.id, kind.clone()),
            required: f.default_value.is_none(),
            pattern: None,
            choices: Vec::new(),
        };
        if let Some(re) = f.regex.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
            spec.pattern = Pattern::new(re).ok();
        }
        out = out.with_field(spec);
    }
    out
}

fn read_error(e: eclipse_vas::Error) -> Error {
    let kind = read_error_kind(&e);
    wrap(V, kind, e)
}

fn read_error_kind(e: &eclipse_vas::Error) -> ErrorKind {
    use eclipse_vas::Error as E;
    match e {
        E::Config(_) => ErrorKind::Config,
        E::InvalidInput { .. } => ErrorKind::CallerInput,
        E::Vendor { status, .. } | E::Status { status, .. } => {
            super::common::kind_of_http_status(*status)
        }
        _ => ErrorKind::Transient,
    }
}

fn receipt(reference: &Reference, p: &eclipse_vas::Payment) -> Receipt {
    // An answer naming another reference is not trusted (`Unknown`).
    let outcome = p.outcome_for(reference.as_str());
    let mut r =
        Receipt::new(V, outcome, reference.clone()).with_transaction_id(p.payment_id.as_str());
    if let Some(amount) = p.amount() {
        let currency = p
            .currency
            .as_deref()
            .and_then(|c| Currency::from_code(c).ok())
            .unwrap_or_else(Currency::unknown);
        r = r.with_amount(Money::new(amount, currency));
    }
    let status = Some(p.status.as_str().to_owned());
    let message =
        [status, p.error_description.clone()].into_iter().flatten().collect::<Vec<_>>().join(": ");
    r = r.with_message(message);
    if r.outcome == Outcome::Delivered {
        let mut d = Delivered::default();
        if let Some(acs) = p.acs_electricity() {
            d.token = Some(acs.unpin);
        }
        d.serial = p.gateway_transaction_id.clone().or_else(|| p.payment_reference.clone());
        r = r.with_delivered(d);
    }
    match raw_json(p) {
        Some(raw) => r.with_raw(raw),
        None => r,
    }
}

/// The answer to a payment call (initiate or complete) that failed: an unknown outcome when
/// Eclipse may have acted on it, an error when it was refused before any processing (auth,
/// rate limit, configuration), and `Failed` only when Eclipse refused it with its documented
/// error array.
fn refused_or_unknown(reference: &Reference, e: eclipse_vas::Error, step: &str) -> Result<Receipt> {
    use eclipse_vas::Error as E;
    if e.maybe_sent() {
        return Err(unknown_outcome(V, e));
    }
    match &e {
        E::Vendor { status, .. } | E::Status { status, .. } if matches!(status, 401 | 403) => {
            Err(wrap(V, ErrorKind::Auth, e))
        }
        E::Vendor { status: 400..=499, .. } if e.status() != Some(429) => {
            // Eclipse refused this call with its error array: the payment was not made.
            let mut r = Receipt::new(V, Outcome::Failed, reference.clone())
                .with_message(format!("Eclipse refused to {step} the payment: {e}"));
            if let Some(body) = e.body() {
                r = r.with_raw(super::common::raw_body(body));
            }
            Ok(r)
        }
        E::Vendor { status, .. } | E::Status { status, .. } => {
            Err(wrap(V, super::common::kind_of_http_status(*status), e))
        }
        E::Config(_) => Err(wrap(V, ErrorKind::Config, e)),
        E::InvalidInput { .. } => Err(wrap(V, ErrorKind::CallerInput, e)),
        _ => Err(wrap(V, ErrorKind::Transient, e)),
    }
}

#[async_trait]
impl VasProvider for EclipseProvider {
    fn vendor(&self) -> Vendor {
        V
    }

    async fn catalog(&self, _query: &CatalogQuery) -> Result<Vec<Product>> {
        let partners = self.client.catalogs(None).await.map_err(read_error)?;
        Ok(partners
            .iter()
            .flat_map(|partner| partner.products.iter().map(move |p| to_product(partner, p)))
            .collect())
    }

    fn new_reference(&self) -> Reference {
        Reference::random("vas-", 28)
    }

    async fn purchase(&self, p: &PreparedPurchase) -> Result<Receipt> {
        let product = p.product();
        if p.amount().currency.is_unknown() {
            return Err(Error::config(format!(
                "the currency of Eclipse partner products `{}` is not known to this adapter",
                product.id
            ))
            .with_vendor(V));
        }
        let data: PaymentData = product.id.parse().map_err(|e: eclipse_vas::Error| {
            wrap(V, ErrorKind::CallerInput, e).with_field("product")
        })?;
        let flow = flow(data.partner_id());
        let reference = p.reference();
        let mut b = InitiatePayment::builder(data).external_unique_id(reference.as_str());
        if flow.amount_in_initiate {
            b = b.amount(p.amount().amount);
        }
        if flow.currency_in_initiate {
            b = b.currency(p.amount().currency.code());
        }
        if flow.wallet_in_initiate
            && let Some(w) = self.wallet
        {
            b = b.wallet_id(w);
        }
        if flow.phone_in_initiate
            && let Some(phone) = p.phone()
        {
            b = b.phone(phone.international());
        }
        let recipient_field = product.recipient_field().map(|f| f.name.clone());
        if let Some(name) = &recipient_field {
            let value = match p.phone() {
                Some(phone) => phone.international().to_owned(),
                None => p.recipient().value().to_owned(),
            };
            b = b.field(name.clone(), value);
        }
        for (name, value) in p.fields() {
            let value = match crate::Phone::parse(value, None) {
                Ok(phone)
                    if product
                        .fields
                        .iter()
                        .any(|f| f.name == *name && f.kind == FieldKind::Phone) =>
                {
                    phone.international().to_owned()
                }
                _ => value.clone(),
            };
            b = b.field(name.clone(), value);
        }
        let body = b.build().map_err(|e| wrap(V, ErrorKind::CallerInput, e))?;
        // The completion is built (and checked) before anything is sent.
        let update = if flow.amount_in_initiate {
            None
        } else {
            let mut u = UpdatePayment::builder().amount(p.amount().amount);
            if let Some(w) = self.wallet {
                u = u.wallet_id(w);
            }
            if flow.reference_in_update {
                u = u.external_unique_id(reference.as_str());
            }
            Some(u.build().map_err(|e| wrap(V, ErrorKind::CallerInput, e))?)
        };
        let customer: CustomerId = self.client.customer_id().await.map_err(read_error)?;
        let payment = match self.client.initiate_payment(&customer, &body).await {
            Ok(payment) => payment,
            Err(e) => return refused_or_unknown(reference, e, "initiate"),
        };
        // Remembered before the completion is sent: a lost completion answer is then resolved
        // by a status query.
        self.payments
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(reference.clone(), payment.payment_id.clone());
        let Some(update) = update else {
            return Ok(receipt(reference, &payment));
        };
        if payment.outcome_for(reference.as_str()) != Outcome::Pending {
            // Final already, or an answer that contradicts the request: never complete it.
            return Ok(receipt(reference, &payment));
        }
        match self.client.update_payment(&payment.payment_id, &update).await {
            Ok(answer) => match &answer.payment {
                Some(updated) if updated.payment_id == payment.payment_id => {
                    Ok(receipt(reference, updated))
                }
                // A bare success string: the status query tells the outcome.
                _ => Ok(receipt(reference, &payment)),
            },
            Err(e) => refused_or_unknown(reference, e, "complete")
                .map(|r| r.with_transaction_id(payment.payment_id.as_str())),
        }
    }

    async fn status(&self, reference: &Reference) -> Result<Receipt> {
        let Some(id) = self.payment_id(reference) else {
            // Asking again cannot help, so this is not `Transient`; and it says nothing about
            // the purchase, so it is neither `NotFound` nor a failure.
            return Err(Error::new(
                ErrorKind::Config,
                "the Eclipse payment id of this reference is not known in this process, and eclipse-vas \
                 cannot look a payment up by externalUniqueId",
            )
            .with_vendor(V)
            .with_reference(reference.clone()));
        };
        let payment = self.client.get_payment(&id).await.map_err(|e| {
            // Eclipse gave this payment id for this reference, so the payment exists: a 404
            // (a proxy's page, a routing fault) must not read as "the vendor does not know
            // the purchase", which would invite a second one.
            let kind = match e.status() {
                Some(404) => ErrorKind::Transient,
                _ => read_error_kind(&e),
            };
            wrap(V, kind, e).with_reference(reference.clone())
        })?;
        Ok(receipt(reference, &payment))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partners_types_and_fields_map_to_the_model() {
        assert_eq!(market(PartnerId::MTN), Some(("ZA", Currency::Zar)));
        assert_eq!(market(PartnerId::DTB_UGANDA), Some(("UG", Currency::Ugx)));
        assert_eq!(market(PartnerId::FRONTIERWEB), Some(("BW", Currency::Bwp)));
        assert_eq!(market(PartnerId::CELLULANT), None);
        assert_eq!(kind_of("AIRTIME"), ProductKind::Airtime);
        assert_eq!(kind_of("sms"), ProductKind::Sms);
        assert_eq!(kind_of("LOTTO"), ProductKind::Other("lotto".into()));
        assert_eq!(field_kind("msisdn", ProductKind::Airtime), FieldKind::Phone);
        assert_eq!(field_kind("meterNumber", ProductKind::Electricity), FieldKind::Meter);
        assert_eq!(field_kind("accountNumber", ProductKind::Tax), FieldKind::Prn);
        assert_eq!(field_kind("accountNumber", ProductKind::Water), FieldKind::Account);
        assert_eq!(field_kind("amount", ProductKind::Water), FieldKind::Text);
    }
}
