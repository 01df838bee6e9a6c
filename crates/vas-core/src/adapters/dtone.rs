//! DT One Goods & Services (global), through `dtone-gs`.
//!
//! | shared model | DT One |
//! | --- | --- |
//! | product id | `product_id`; the catalog holds the fixed value recharges and vouchers (what `dtone-gs` can buy) |
//! | catalog | `operators`, then `operators/{id}/products` per operator |
//! | country | the ISO 3166-1 alpha-2 code of the product's country name, for the countries in a built-in table; `None` otherwise (then phone numbers must be written with `+`) |
//! | reference | `external_id` |
//! | purchase / status | `POST transactions/{type}` / `GET transactions/{type}/ext-{external_id}` (each purchasable type is tried) |
//! | recipient lookup | `products/{id}/account_number/{number}/status` |
//!
//! Purchases are simulations (DT One's `simulation` flag, on by default) unless the provider is
//! made with [`DtoneProvider::live`].
//!
//! A create refused with `1000990` (external id already used) is never bought again: the
//! transaction under that id is looked up; if it matches the request it gives the receipt, if
//! it is of another product or a simulation of a live purchase the purchase is refused
//! ([`ErrorKind::VendorRejected`]: the vendor did not make it). A transaction returned for
//! another external id or product never decides a purchase's outcome.

use async_trait::async_trait;
use dtone_gs::{AccountVerification, ErrorCode, ProductCategory, TransactionRequest};
use futures::stream::{self, StreamExt as _};
use vas_common::Outcome;

use super::common::{
    bad_reference, kind_of_http_status, raw_body, raw_json, unknown_outcome, wrap,
};
use crate::{
    CatalogQuery, Currency, Delivered, Error, ErrorKind, FieldKind, FieldSpec, Money,
    PreparedPurchase, Price, Product, ProductKind, Receipt, Recipient, RecipientInfo, Reference,
    Result, VasProvider, Vendor,
};

const V: Vendor = Vendor::Dtone;

/// How many operators' product lists the catalog asks for at once.
const CATALOG_CONCURRENCY: usize = 4;

/// The product types `dtone-gs` can buy, in the order a status lookup tries them.
const BUYABLE: [ProductCategory; 2] =
    [ProductCategory::FixedValueRecharges, ProductCategory::FixedValueVouchers];

/// DT One as a [`VasProvider`].
#[derive(Debug)]
pub struct DtoneProvider {
    client: dtone_gs::Client,
    live: bool,
}

impl DtoneProvider {
    /// Wraps a client. Purchases are simulations (nothing is debited) until
    /// [`live`](DtoneProvider::live) is called.
    pub fn new(client: dtone_gs::Client) -> Self {
        Self { client, live: false }
    }

    /// Makes purchases real: they debit the account.
    pub fn live(mut self) -> Self {
        self.live = true;
        self
    }

    /// The client.
    pub fn client(&self) -> &dtone_gs::Client {
        &self.client
    }
}

/// ISO 3166-1 alpha-2 codes of the country names DT One uses, for a set of countries.
const COUNTRIES: [(&str, &str); 40] = [
    ("Nigeria", "NG"),
    ("South Africa", "ZA"),
    ("Kenya", "KE"),
    ("Uganda", "UG"),
    ("Botswana", "BW"),
    ("Ghana", "GH"),
    ("Tanzania", "TZ"),
    ("Rwanda", "RW"),
    ("Zambia", "ZM"),
    ("Zimbabwe", "ZW"),
    ("Malawi", "MW"),
    ("Namibia", "NA"),
    ("Cameroon", "CM"),
    ("Senegal", "SN"),
    ("Ivory Coast", "CI"),
    ("Egypt", "EG"),
    ("Morocco", "MA"),
    ("Ethiopia", "ET"),
    ("India", "IN"),
    ("Pakistan", "PK"),
    ("Bangladesh", "BD"),
    ("Nepal", "NP"),
    ("Philippines", "PH"),
    ("Indonesia", "ID"),
    ("Vietnam", "VN"),
    ("China", "CN"),
    ("Mexico", "MX"),
    ("Guatemala", "GT"),
    ("El Salvador", "SV"),
    ("Honduras", "HN"),
    ("Nicaragua", "NI"),
    ("Haiti", "HT"),
    ("Dominican Republic", "DO"),
    ("Jamaica", "JM"),
    ("Colombia", "CO"),
    ("Peru", "PE"),
    ("Brazil", "BR"),
    ("United States", "US"),
    ("United Kingdom", "GB"),
    ("France", "FR"),
];

fn country_code(name: &str) -> Option<&'static str> {
    COUNTRIES.iter().find(|(n, _)| n.eq_ignore_ascii_case(name.trim())).map(|(_, c)| *c)
}

fn kind_of(product: &dtone_gs::Product) -> ProductKind {
    let service = product.service.as_deref().unwrap_or_default().to_ascii_lowercase();
    match service.as_str() {
        s if s.contains("television") || s == "tv" => ProductKind::Tv,
        s if s.contains("data") => ProductKind::Data,
        s if s.contains("mobile") || s.contains("airtime") || s.contains("top-up") => {
            ProductKind::Airtime
        }
        s if s.contains("electric") => ProductKind::Electricity,
        s if s.contains("water") => ProductKind::Water,
        s if s.contains("gift") || s.contains("voucher") => ProductKind::Voucher,
        _ if product.category() == ProductCategory::FixedValueVouchers => ProductKind::Voucher,
        "" => ProductKind::Other("unknown".to_owned()),
        other => ProductKind::Other(other.to_owned()),
    }
}

fn currency(code: Option<&str>) -> Currency {
    code.and_then(|c| Currency::from_code(c).ok()).unwrap_or_else(Currency::unknown)
}

fn to_product(p: &dtone_gs::Product) -> Product {
    let kind = kind_of(p);
    let value = p.product_value.as_ref().or(p.local_value.as_ref()).map(|v| v.value());
    let cur = currency(p.product_currency.as_deref().or(p.local_currency.as_deref()));
    let price = match value {
        Some(v) => Price::fixed(v, cur),
        None => Price::range(cur, None, None),
    };
    let name = p
        .product_name
        .clone()
        .or_else(|| p.product_short_desc.clone())
        .unwrap_or_else(|| p.product_id.to_string());
    let mut out = Product::new(V, p.product_id.to_string(), name, kind.clone(), price).with_detail(
        serde_json::json!({
            "category": p.category().as_str(),
            "product": serde_json::to_value(p).unwrap_or_default(),
        }),
    );
    if let Some(op) = &p.operator {
        out = out.with_operator(op.clone());
    }
    if let Some(c) = p.country.as_deref().and_then(country_code) {
        out = out.with_country(c);
    }
    let recipient = match kind {
        ProductKind::Airtime | ProductKind::Data => FieldKind::Phone,
        _ => FieldKind::Account,
    };
    out.with_field(FieldSpec::required("account_number", recipient).with_label("Account number"))
}

fn read_error(e: dtone_gs::Error) -> Error {
    use dtone_gs::Error as E;
    let kind = match &e {
        E::Config { .. } => ErrorKind::Config,
        E::InvalidInput { .. } => ErrorKind::CallerInput,
        E::Vendor { .. } if e.has_code(ErrorCode::Unauthorized) => ErrorKind::Auth,
        E::Vendor { .. } if e.has_code(ErrorCode::TransactionNotFound) => ErrorKind::NotFound,
        E::Vendor { .. } if e.has_code(ErrorCode::ProductNotAvailable) => ErrorKind::NotFound,
        E::Vendor { status, .. } | E::Status { status, .. } => match kind_of_http_status(*status) {
            ErrorKind::NotFound if matches!(e, E::Vendor { .. }) => ErrorKind::VendorRejected,
            k => k,
        },
        _ => ErrorKind::Transient,
    };
    wrap(V, kind, e)
}

fn receipt(reference: &Reference, tx: &dtone_gs::Transaction) -> Receipt {
    let mut r = Receipt::new(V, tx.outcome(), reference.clone());
    if let Some(id) = &tx.transaction_id {
        r = r.with_transaction_id(id.as_str());
    }
    if let Some(v) = tx.product_value.as_ref().or(tx.local_value.as_ref()) {
        r = r.with_amount(Money::new(
            v.value(),
            currency(tx.product_currency.as_deref().or(tx.local_currency.as_deref())),
        ));
    }
    let status = tx.status.as_ref().map(|s| format!("status {}", s.as_str()));
    let message =
        [status, tx.status_message.clone()].into_iter().flatten().collect::<Vec<_>>().join(": ");
    if !message.is_empty() {
        r = r.with_message(message);
    }
    if r.outcome == Outcome::Delivered {
        r = r.with_delivered(Delivered {
            pin: tx.pin_fields().into_iter().next().map(|(_, pin)| pin),
            serial: tx.operator_reference.as_ref().map(|s| s.as_str().to_owned()),
            ..Delivered::default()
        });
    }
    match raw_json(tx) {
        Some(raw) => r.with_raw(raw),
        None => r,
    }
}

#[async_trait]
impl VasProvider for DtoneProvider {
    fn vendor(&self) -> Vendor {
        V
    }

    async fn catalog(&self, _query: &CatalogQuery) -> Result<Vec<Product>> {
        let operators = self.client.operators().await.map_err(read_error)?;
        // One request per operator, a few at a time: DT One lists hundreds of operators.
        let ids: Vec<u64> = operators.operators.iter().map(|o| o.operator_id).collect();
        let lists: Vec<_> = stream::iter(ids)
            .map(|id| {
                let client = self.client.clone();
                async move { client.operator_products(id).await }
            })
            .buffered(CATALOG_CONCURRENCY)
            .collect()
            .await;
        let mut products = Vec::new();
        for list in lists {
            let list = list.map_err(read_error)?;
            for category in BUYABLE {
                products.extend(list.by_category(category).iter().map(to_product));
            }
        }
        Ok(products)
    }

    fn new_reference(&self) -> Reference {
        Reference::new(dtone_gs::generate_external_id())
    }

    fn check_reference(&self, reference: &Reference) -> Result<()> {
        dtone_gs::validate_external_id(reference.as_str()).map_err(bad_reference)
    }

    async fn validate_recipient(
        &self,
        product: &Product,
        recipient: &Recipient,
    ) -> Result<RecipientInfo> {
        let Ok(id) = product.id.parse::<u64>() else {
            return Err(Error::caller_input(
                "product",
                format!("`{}` is not a DT One product id", product.id),
            ));
        };
        let number = account_number(product, recipient);
        let answer = self.client.verify_account_number(id, &number).await.map_err(read_error)?;
        match answer {
            AccountVerification::Valid => Ok(RecipientInfo::verified(
                None,
                serde_json::json!({"account_number": number, "verified": true}),
            )),
            AccountVerification::Invalid => {
                Err(Error::new(ErrorKind::NotFound, "DT One says the account number is not valid")
                    .with_vendor(V)
                    .with_field("recipient"))
            }
            _ => Ok(RecipientInfo::unverified()),
        }
    }

    async fn purchase(&self, p: &PreparedPurchase) -> Result<Receipt> {
        let product = p.product();
        let id = product.id.parse::<u64>().map_err(|_| {
            Error::caller_input("product", format!("`{}` is not a DT One product id", product.id))
        })?;
        let category = product
            .detail
            .get("category")
            .and_then(|c| c.as_str())
            .and_then(ProductCategory::from_key);
        let number = match p.phone() {
            Some(phone) => phone.international().to_owned(),
            None => p.recipient().value().to_owned(),
        };
        let reference = p.reference().as_str();
        let mut request = match category {
            Some(ProductCategory::FixedValueRecharges) => {
                TransactionRequest::fixed_value_recharge(id, number, reference)
            }
            Some(ProductCategory::FixedValueVouchers) => {
                TransactionRequest::fixed_value_voucher(id, number, reference)
            }
            other => {
                return Err(Error::config(format!(
                    "DT One products of type {} cannot be bought through this adapter",
                    other.map(|c| c.as_str()).unwrap_or("unknown")
                ))
                .with_vendor(V));
            }
        };
        if self.live {
            request = request.live();
        }
        match self.client.create_transaction(&request).await {
            Ok(tx) => match tx.mismatch(&request) {
                None => Ok(receipt(p.reference(), &tx)),
                // Not this purchase's transaction: its status says nothing about it.
                Some(mismatch) => Err(unknown_outcome(V, mismatch)),
            },
            Err(e) if e.is_not_sent() => {
                let kind = match &e {
                    dtone_gs::Error::Config { .. } => ErrorKind::Config,
                    dtone_gs::Error::InvalidInput { .. } => ErrorKind::CallerInput,
                    _ => ErrorKind::Transient,
                };
                Err(wrap(V, kind, e))
            }
            Err(e) if e.has_code(ErrorCode::ExternalIdAlreadyUsed) => {
                self.already_used(&request, p.reference(), e).await
            }
            // Only a certain refusal of the credentials is an authentication error: a 5xx or
            // an answer mixing 1000401 with other codes leaves the purchase unknown.
            Err(e) if e.is_final_failure() && e.has_code(ErrorCode::Unauthorized) => {
                Err(wrap(V, ErrorKind::Auth, e))
            }
            Err(e) if e.is_final_failure() => {
                // DT One refused the purchase with a documented final code: nothing was bought.
                let mut r = Receipt::new(V, Outcome::Failed, p.reference().clone())
                    .with_message(e.to_string());
                if let Some(body) = e.raw_body() {
                    r = r.with_raw(raw_body(body));
                }
                Ok(r)
            }
            Err(e) => Err(unknown_outcome(V, e)),
        }
    }

    async fn status(&self, reference: &Reference) -> Result<Receipt> {
        self.check_reference(reference)?;
        for category in BUYABLE {
            match self.client.transaction_by_external_id(category, reference.as_str()).await {
                Ok(tx) => match tx.external_id.as_deref() {
                    Some(id) if id != reference.as_str() => {
                        let mismatch = dtone_gs::Error::Mismatch {
                            field: "external_id",
                            sent: reference.as_str().to_owned(),
                            received: id.to_owned(),
                        };
                        return Err(wrap(V, ErrorKind::UnknownOutcome, mismatch)
                            .with_reference(reference.clone()));
                    }
                    _ => return Ok(receipt(reference, &tx)),
                },
                Err(e) if e.has_code(ErrorCode::TransactionNotFound) => continue,
                Err(e) => return Err(read_error(e).with_reference(reference.clone())),
            }
        }
        Err(Error::new(ErrorKind::NotFound, "DT One has no transaction with this external id")
            .with_vendor(V)
            .with_reference(reference.clone()))
    }
}

impl DtoneProvider {
    /// A create refused with `1000990`: a transaction with this external id exists. It is
    /// this purchase's when it matches the request (an earlier send of it): its receipt, or
    /// an unknown outcome when it cannot be read. One of another product or account is not:
    /// the vendor refused this request, so nothing was bought for it.
    async fn already_used(
        &self,
        request: &TransactionRequest,
        reference: &Reference,
        refusal: dtone_gs::Error,
    ) -> Result<Receipt> {
        let external_id = request.external_id();
        let refused = |why: String, refusal: dtone_gs::Error| {
            Err(Error::new(
                ErrorKind::VendorRejected,
                format!(
                    "DT One refused the purchase: its reference is already used by another \
                     purchase ({why}); nothing was bought for this one"
                ),
            )
            .with_vendor(V)
            .with_reference(reference.clone())
            .with_source(refusal))
        };
        match self.client.transaction_by_external_id(request.category(), external_id).await {
            Ok(tx) => match tx.mismatch(request) {
                None => Ok(receipt(reference, &tx)),
                Some(mismatch) => refused(mismatch.to_string(), refusal),
            },
            Err(e) if e.has_code(ErrorCode::TransactionNotFound) => {
                // Not of this type: a transaction of the other type under this id is another
                // purchase; none at all leaves the outcome unknown.
                let other = BUYABLE.into_iter().find(|c| *c != request.category());
                let found = match other {
                    Some(other) => {
                        self.client.transaction_by_external_id(other, external_id).await.ok()
                    }
                    None => None,
                };
                match (other, found) {
                    (Some(other), Some(_)) => {
                        refused(format!("a transaction of type {other}"), refusal)
                    }
                    _ => Err(unknown_outcome(V, refusal)),
                }
            }
            Err(_) => Err(unknown_outcome(V, refusal)),
        }
    }
}

fn account_number(product: &Product, recipient: &Recipient) -> String {
    match recipient {
        Recipient::Phone(n) => crate::Phone::parse(n, product.country.as_deref())
            .map(|p| p.international().to_owned())
            .unwrap_or_else(|_| n.clone()),
        other => other.value().to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn country_names_and_currencies() {
        assert_eq!(country_code("Guatemala"), Some("GT"));
        assert_eq!(country_code(" nigeria "), Some("NG"));
        assert_eq!(country_code("Atlantis"), None);
        assert_eq!(currency(Some("usd")), Currency::Usd);
        assert_eq!(currency(None), Currency::unknown());
        assert_eq!(currency(Some("dollars")), Currency::unknown());
    }

    #[test]
    fn references_are_external_ids() {
        let p =
            DtoneProvider::new(dtone_gs::Client::builder().credentials("k", "s").build().unwrap());
        let r = p.new_reference();
        assert!(p.check_reference(&r).is_ok(), "{r}");
        assert!(p.check_reference(&Reference::new("x".repeat(41))).is_err());
        assert!(p.check_reference(&Reference::new("a/b")).is_err());
    }
}
