//! An in-memory provider for the unit tests: scripted answers and call counters.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use async_trait::async_trait;
use rust_decimal_macros::dec;
use vas_common::{Outcome, SecretString};

use crate::{
    CatalogQuery, Currency, Delivered, Error, ErrorKind, FieldKind, FieldSpec, Money, Pattern,
    PreparedPurchase, Price, Product, ProductKind, RawResponse, Receipt, Recipient, RecipientInfo,
    Reference, Result, VasProvider, Vendor,
};

/// One scripted answer.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Answer {
    Is(Outcome),
    Fails(ErrorKind),
}

#[derive(Default)]
pub(crate) struct Calls {
    pub catalog: AtomicUsize,
    pub product: AtomicUsize,
    pub validate: AtomicUsize,
    pub purchase: AtomicUsize,
    pub status: AtomicUsize,
}

impl Calls {
    pub(crate) fn get(&self) -> [usize; 5] {
        [&self.catalog, &self.product, &self.validate, &self.purchase, &self.status]
            .map(|c| c.load(Ordering::SeqCst))
    }
}

pub(crate) struct Fake {
    pub vendor: Vendor,
    pub products: Vec<Product>,
    pub delay: Duration,
    pub status_delay: Duration,
    pub catalog_fails: Mutex<Option<ErrorKind>>,
    pub purchase: Mutex<Answer>,
    /// Answers to status queries in turn; the last one repeats.
    pub statuses: Mutex<VecDeque<Answer>>,
    pub calls: Calls,
    pub purchased: Mutex<Vec<PreparedPurchase>>,
}

pub(crate) const TOKEN: &str = "5501-2278-3391-0046-1172";
pub(crate) const PIN: &str = "772615390044";

impl Fake {
    pub(crate) fn new(vendor: Vendor) -> Self {
        Self {
            vendor,
            products: catalog(vendor),
            delay: Duration::from_millis(50),
            status_delay: Duration::ZERO,
            catalog_fails: Mutex::new(None),
            purchase: Mutex::new(Answer::Is(Outcome::Delivered)),
            statuses: Mutex::new(VecDeque::from([Answer::Is(Outcome::Delivered)])),
            calls: Calls::default(),
            purchased: Mutex::new(Vec::new()),
        }
    }

    pub(crate) fn purchase_answers(self, answer: Answer) -> Self {
        *self.purchase.lock().unwrap() = answer;
        self
    }

    pub(crate) fn status_answers(self, answers: &[Answer]) -> Self {
        *self.statuses.lock().unwrap() = answers.iter().copied().collect();
        self
    }

    pub(crate) fn catalog_fails(self, kind: ErrorKind) -> Self {
        *self.catalog_fails.lock().unwrap() = Some(kind);
        self
    }

    fn answer(&self, answer: Answer, reference: &Reference) -> Result<Receipt> {
        match answer {
            Answer::Fails(kind) => Err(Error::new(kind, format!("scripted {kind}"))),
            Answer::Is(outcome) => {
                let mut r = Receipt::new(self.vendor, outcome, reference.clone())
                    .with_transaction_id(format!("tx-{reference}"))
                    .with_message(outcome.as_str())
                    .with_raw(RawResponse::Json(
                        serde_json::json!({"status": outcome.as_str(), "token": TOKEN, "pin": PIN}),
                    ));
                if outcome == Outcome::Delivered {
                    r = r.with_amount(Money::ngn(dec!(100))).with_delivered(Delivered {
                        token: Some(SecretString::from(TOKEN)),
                        pin: Some(SecretString::from(PIN)),
                        serial: Some("SER-1".into()),
                        units: Some("32.6 kWh".into()),
                    });
                }
                Ok(r)
            }
        }
    }
}

/// A small catalog: variable airtime, fixed data, prepaid electricity with extra fields, a
/// South African product.
pub(crate) fn catalog(vendor: Vendor) -> Vec<Product> {
    let phone = || {
        FieldSpec::required("phone", FieldKind::Phone)
            .with_pattern(Pattern::new(r"0\d{10}").unwrap())
    };
    vec![
        Product::new(
            vendor,
            "mtn",
            "MTN Airtime",
            ProductKind::Airtime,
            Price::range(Currency::Ngn, Some(dec!(50)), Some(dec!(50000))),
        )
        .with_operator("MTN")
        .with_country("NG")
        .with_field(phone()),
        Product::new(
            vendor,
            "mtn-data/mtn-1gb",
            "MTN 1GB",
            ProductKind::Data,
            Price::fixed(dec!(300.00), Currency::Ngn),
        )
        .with_operator("MTN")
        .with_country("NG")
        .with_field(phone()),
        Product::new(
            vendor,
            "glo",
            "Glo Airtime",
            ProductKind::Airtime,
            Price::range(Currency::Ngn, Some(dec!(100)), None),
        )
        .with_operator("Glo")
        .with_country("NG")
        .with_field(phone()),
        Product::new(
            vendor,
            "ikeja-electric/prepaid",
            "Ikeja Electric Prepaid",
            ProductKind::Electricity,
            Price::range(Currency::Ngn, Some(dec!(500)), Some(dec!(200000))),
        )
        .with_operator("Ikeja Electric")
        .with_country("NG")
        .with_field(
            FieldSpec::required("billersCode", FieldKind::Meter)
                .with_pattern(Pattern::new(r"\d{11,13}").unwrap()),
        )
        .with_field(phone())
        .with_field(FieldSpec::optional("email", FieldKind::Email))
        .with_field(
            FieldSpec::optional("subscription_type", FieldKind::Text)
                .with_choices(["change", "renew"]),
        ),
        Product::new(
            vendor,
            "vodacom",
            "Vodacom Airtime",
            ProductKind::Airtime,
            Price::range(Currency::Zar, Some(dec!(5)), Some(dec!(1000))),
        )
        .with_operator("Vodacom")
        .with_country("ZA")
        .with_field(FieldSpec::required("msisdn", FieldKind::Phone)),
    ]
}

#[async_trait]
impl VasProvider for Fake {
    fn vendor(&self) -> Vendor {
        self.vendor
    }

    async fn catalog(&self, query: &CatalogQuery) -> Result<Vec<Product>> {
        self.calls.catalog.fetch_add(1, Ordering::SeqCst);
        tokio::time::sleep(self.delay).await;
        if let Some(kind) = *self.catalog_fails.lock().unwrap() {
            return Err(Error::new(kind, "scripted catalog failure"));
        }
        // Ignores `query.kind` on purpose: `Vas` filters again.
        Ok(self
            .products
            .iter()
            .filter(|p| query.country.as_ref().is_none_or(|c| p.country.as_ref() == Some(c)))
            .cloned()
            .collect())
    }

    async fn product(&self, id: &str) -> Result<Option<Product>> {
        self.calls.product.fetch_add(1, Ordering::SeqCst);
        tokio::time::sleep(self.delay).await;
        Ok(self.products.iter().find(|p| p.id == id).cloned())
    }

    async fn validate_recipient(
        &self,
        _product: &Product,
        recipient: &Recipient,
    ) -> Result<RecipientInfo> {
        self.calls.validate.fetch_add(1, Ordering::SeqCst);
        Ok(RecipientInfo::verified(
            Some(format!("Customer {}", recipient.value())),
            serde_json::json!({}),
        ))
    }

    fn new_reference(&self) -> Reference {
        Reference::random("T", 15)
    }

    async fn purchase(&self, purchase: &PreparedPurchase) -> Result<Receipt> {
        self.calls.purchase.fetch_add(1, Ordering::SeqCst);
        self.purchased.lock().unwrap().push(purchase.clone());
        let answer = *self.purchase.lock().unwrap();
        self.answer(answer, purchase.reference())
    }

    async fn status(&self, reference: &Reference) -> Result<Receipt> {
        self.calls.status.fetch_add(1, Ordering::SeqCst);
        tokio::time::sleep(self.status_delay).await;
        let answer = {
            let mut s = self.statuses.lock().unwrap();
            if s.len() > 1 { s.pop_front() } else { s.front().copied() }
        };
        self.answer(answer.unwrap_or(Answer::Fails(ErrorKind::NotFound)), reference)
    }
}
