//! Ukheshe Eclipse (South Africa, Kenya, Uganda, Botswana), through `eclipse-vas`.
//!
//! | shared model | Eclipse |
//! | --- | --- |
//! | product id | `paymentData`: `<partnerId>_<productId>` |
//! | catalog | `vas/catalogs` (the whole catalog; the account-query catalogs of bills and tax are reached with `eclipse_vas::CatalogQuery` directly) |
//! | country, currency | from the partner: MTN, Vodacom, Pay@, EasyPay, Kganya → ZA, ZAR; DTB Kenya → KE, KES; DTB Uganda → UG, UGX; FrontierWeb → BW, BWP |
//! | fields | the product's `additionalFields` with their `regex`; `msisdn` is the phone recipient |
//! | reference | `externalUniqueId` |
//! | purchase | `POST customers/{customerId}/payments` with the amount (and the wallet, when one is set), sent once |
//! | status | `GET payments/{paymentId}`, `PENDING` / `SUCCESSFUL` / `ERROR` |
//!
//! **Limitation.** `eclipse-vas` cannot look a payment up by its `externalUniqueId`, only by
//! the `paymentId` the initiate call answers. The adapter remembers the payment id of every
//! reference it initiated, so [`Vas::execute`](crate::Vas::execute) and
//! [`Vas::status`](crate::Vas::status) work within one process; after a restart, a status query
//! for a reference whose payment id is not known (or after an initiate call whose answer was
//! lost) fails with [`ErrorKind::Config`]: this setup cannot ask.
//! It is never `NotFound`, which would invite a second purchase, and
//! [`Vas::execute`](crate::Vas::execute) then returns the purchase as `Pending`. Reconcile
//! such references through Eclipse's callback or its back office, and tell the adapter the
//! payment id with [`EclipseProvider::remember_payment`].

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use async_trait::async_trait;
use eclipse_vas::{CustomerId, InitiatePayment, PartnerId, PaymentData, PaymentId, WalletId};
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
    use eclipse_vas::Error as E;
    let kind = match &e {
        E::Config(_) => ErrorKind::Config,
        E::InvalidInput { .. } => ErrorKind::CallerInput,
        E::Vendor { status, .. } | E::Status { status, .. } => {
            super::common::kind_of_http_status(*status)
        }
        _ => ErrorKind::Transient,
    };
    wrap(V, kind, e)
}

fn receipt(reference: &Reference, p: &eclipse_vas::Payment) -> Receipt {
    let mut r =
        Receipt::new(V, p.outcome(), reference.clone()).with_transaction_id(p.payment_id.as_str());
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
        let mut b = InitiatePayment::builder(data)
            .external_unique_id(p.reference().as_str())
            .amount(p.amount().amount)
            .currency(p.amount().currency.code());
        if let Some(w) = self.wallet {
            b = b.wallet_id(w);
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
        let customer: CustomerId = self.client.customer_id().await.map_err(read_error)?;
        match self.client.initiate_payment(&customer, &body).await {
            Ok(payment) => {
                self.payments
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .insert(p.reference().clone(), payment.payment_id.clone());
                Ok(receipt(p.reference(), &payment))
            }
            Err(e) if e.maybe_sent() => Err(unknown_outcome(V, e)),
            Err(e) if e.is_unauthorized() => Err(wrap(V, ErrorKind::Auth, e)),
            Err(e @ (eclipse_vas::Error::Vendor { .. } | eclipse_vas::Error::Status { .. })) => {
                if e.status() == Some(409) {
                    // A payment with this reference already exists: its outcome is unknown here.
                    return Err(unknown_outcome(V, e));
                }
                // A 4xx refusal of the initiate call: no payment was created.
                let mut r = Receipt::new(V, Outcome::Failed, p.reference().clone())
                    .with_message(e.to_string());
                if let Some(body) = e.body() {
                    r = r.with_raw(super::common::raw_body(body));
                }
                Ok(r)
            }
            Err(e) => {
                let kind = match &e {
                    eclipse_vas::Error::Config(_) => ErrorKind::Config,
                    eclipse_vas::Error::InvalidInput { .. } => ErrorKind::CallerInput,
                    _ => ErrorKind::Transient,
                };
                Err(wrap(V, kind, e))
            }
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
        let payment = self
            .client
            .get_payment(&id)
            .await
            .map_err(|e| read_error(e).with_reference(reference.clone()))?;
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
