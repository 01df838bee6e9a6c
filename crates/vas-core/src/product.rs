//! Products: what can be bought, at what price, with which customer details.

use std::fmt;

use regex::Regex;
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::{Currency, Error, Money, Vendor};

/// What kind of service a product is.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum ProductKind {
    /// Mobile airtime.
    Airtime,
    /// Mobile or fixed data bundles.
    Data,
    /// Pay-TV subscriptions (DStv, GOtv, StarTimes).
    Tv,
    /// Electricity (prepaid tokens or postpaid bills).
    Electricity,
    /// Water bills.
    Water,
    /// Taxes and government payments.
    Tax,
    /// Other bills (education, insurance, internet subscriptions).
    Bill,
    /// Vouchers and gift cards (a PIN is delivered).
    Voucher,
    /// SMS bundles.
    Sms,
    /// Wallet or account top-ups.
    WalletTopUp,
    /// Anything else, with the vendor's own name for it.
    Other(String),
}

const KIND_NAMES: [(ProductKind, &str); 10] = [
    (ProductKind::Airtime, "airtime"),
    (ProductKind::Data, "data"),
    (ProductKind::Tv, "tv"),
    (ProductKind::Electricity, "electricity"),
    (ProductKind::Water, "water"),
    (ProductKind::Tax, "tax"),
    (ProductKind::Bill, "bill"),
    (ProductKind::Voucher, "voucher"),
    (ProductKind::Sms, "sms"),
    (ProductKind::WalletTopUp, "wallet-top-up"),
];

impl ProductKind {
    /// A lower-case kebab name: `airtime`, `wallet-top-up`; `Other` gives its own text.
    pub fn as_str(&self) -> &str {
        match self {
            ProductKind::Other(s) => s,
            known => KIND_NAMES.iter().find(|(k, _)| k == known).map(|(_, n)| *n).unwrap_or(""),
        }
    }

    /// The inverse of [`as_str`](ProductKind::as_str), in any case; unknown names become
    /// [`ProductKind::Other`].
    pub fn from_name(name: &str) -> Self {
        let name = name.trim();
        KIND_NAMES
            .iter()
            .find(|(_, n)| n.eq_ignore_ascii_case(name))
            .map(|(k, _)| k.clone())
            .unwrap_or_else(|| ProductKind::Other(name.to_owned()))
    }
}

impl fmt::Display for ProductKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for ProductKind {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ProductKind {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(ProductKind::from_name(&String::deserialize(d)?))
    }
}

/// What a product costs the customer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
#[non_exhaustive]
pub enum Price {
    /// One amount; the purchase request may leave the amount out.
    Fixed(Money),
    /// The caller chooses the amount, within optional bounds (inclusive).
    Range {
        /// The currency of the amount.
        currency: Currency,
        /// The smallest amount, if the vendor sets one.
        min: Option<Decimal>,
        /// The largest amount, if the vendor sets one.
        max: Option<Decimal>,
    },
}

impl Price {
    /// A fixed price.
    pub fn fixed(amount: Decimal, currency: Currency) -> Self {
        Price::Fixed(Money::new(amount, currency))
    }

    /// A variable price between `min` and `max` (inclusive).
    pub fn range(currency: Currency, min: Option<Decimal>, max: Option<Decimal>) -> Self {
        Price::Range { currency, min, max }
    }

    /// The currency of the price.
    pub fn currency(&self) -> &Currency {
        match self {
            Price::Fixed(m) => &m.currency,
            Price::Range { currency, .. } => currency,
        }
    }

    /// Whether the caller chooses the amount.
    pub fn is_variable(&self) -> bool {
        matches!(self, Price::Range { .. })
    }

    /// Checks a caller's amount against the price and returns the amount to pay.
    ///
    /// A fixed price accepts no amount or the same amount; a range needs an amount within its
    /// bounds. The amount must be positive and have no more decimal places than the currency.
    pub fn check(&self, amount: Option<Decimal>) -> Result<Money, Error> {
        let bad = |m: String| Error::caller_input("amount", m);
        if let Some(a) = amount {
            if a <= Decimal::ZERO {
                return Err(bad(format!("the amount must be positive, not {a}")));
            }
            if let Some(places) = self.currency().minor_units()
                && a.normalize().scale() > places
            {
                return Err(bad(format!(
                    "{a} has more decimal places than {} allows ({places})",
                    self.currency()
                )));
            }
        }
        match (self, amount) {
            (Price::Fixed(m), None) => Ok(m.clone()),
            (Price::Fixed(m), Some(a)) if a == m.amount => Ok(m.clone()),
            (Price::Fixed(m), Some(a)) => {
                Err(bad(format!("the product's price is fixed at {m}, not {a}")))
            }
            (Price::Range { .. }, None) => Err(bad("the product needs an amount".to_owned())),
            (Price::Range { currency, min, max }, Some(a)) => {
                if let Some(min) = min.filter(|min| a < *min) {
                    return Err(bad(format!(
                        "{a} {currency} is below the product's minimum of {min}"
                    )));
                }
                if let Some(max) = max.filter(|max| a > *max) {
                    return Err(bad(format!(
                        "{a} {currency} is above the product's maximum of {max}"
                    )));
                }
                Ok(Money::new(a, currency.clone()))
            }
        }
    }
}

/// What a customer field holds; decides how it is checked before sending.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum FieldKind {
    /// A phone number, checked and normalised for the product's country.
    Phone,
    /// An account or customer number.
    Account,
    /// An electricity or water meter number.
    Meter,
    /// A TV decoder smartcard or IUC number.
    Smartcard,
    /// A payment reference number for a tax or government payment.
    Prn,
    /// An e-mail address.
    Email,
    /// A whole number.
    Number,
    /// Free text.
    Text,
}

impl FieldKind {
    /// The recipient kind a field of this kind identifies, if any.
    pub fn recipient_kind(self) -> Option<crate::RecipientKind> {
        use crate::RecipientKind as R;
        match self {
            FieldKind::Phone => Some(R::Phone),
            FieldKind::Account => Some(R::Account),
            FieldKind::Meter => Some(R::Meter),
            FieldKind::Smartcard => Some(R::Smartcard),
            FieldKind::Prn => Some(R::Prn),
            FieldKind::Email | FieldKind::Number | FieldKind::Text => None,
        }
    }
}

/// A regular expression that a whole field value must match.
#[derive(Clone)]
pub struct Pattern {
    source: String,
    regex: Regex,
}

impl Pattern {
    /// Compiles `source`; the value must match it entirely (it is anchored). `\d`, `\w` and
    /// `\s` mean ASCII digits, word characters and spaces, as in the vendors' own regex
    /// dialects: `٠١٢` or `０１２` are not digits to a vendor.
    pub fn new(source: &str) -> Result<Self, Error> {
        let regex = Regex::new(&format!("^(?:{})$", ascii_classes(source)))
            .map_err(|e| Error::config(format!("bad field pattern `{source}`")).with_source(e))?;
        Ok(Self { source: source.to_owned(), regex })
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// Whether `value` matches entirely.
    pub fn is_match(&self, value: &str) -> bool {
        self.regex.is_match(value)
    }
}

/// `source` with `\d`, `\w` and `\s` limited to ASCII (they match any Unicode digit, letter or
/// space in the `regex` crate).
fn ascii_classes(source: &str) -> String {
    let mut out = String::with_capacity(source.len() + 16);
    let mut chars = source.chars();
    // Inside `[...]`: a class cannot hold a group, so the ranges are written out.
    let mut in_class = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let Some(next) = chars.next() else {
                    out.push(c);
                    break;
                };
                match (next, in_class) {
                    ('d', false) => out.push_str("[0-9]"),
                    ('w', false) => out.push_str("[0-9A-Za-z_]"),
                    ('s', false) => out.push_str("[\\t\\n\\x0B\\x0C\\r ]"),
                    ('d', true) => out.push_str("0-9"),
                    ('w', true) => out.push_str("0-9A-Za-z_"),
                    ('s', true) => out.push_str("\\t\\n\\x0B\\x0C\\r "),
                    _ => {
                        out.push(c);
                        out.push(next);
                    }
                }
            }
            '[' if !in_class => {
                in_class = true;
                out.push(c);
                // A `]` or `^]` right after the opening bracket is a literal.
                let rest = chars.as_str();
                let lead = if rest.starts_with("^]") {
                    2
                } else if rest.starts_with(']') || rest.starts_with('^') {
                    1
                } else {
                    0
                };
                for _ in 0..lead {
                    if let Some(l) = chars.next() {
                        out.push(l);
                    }
                }
            }
            ']' if in_class => {
                in_class = false;
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

impl fmt::Debug for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Pattern({:?})", self.source)
    }
}

impl PartialEq for Pattern {
    fn eq(&self, other: &Self) -> bool {
        self.source == other.source
    }
}

impl Eq for Pattern {}

impl Serialize for Pattern {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.source)
    }
}

impl<'de> Deserialize<'de> for Pattern {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Pattern::new(&String::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

/// A detail the vendor needs from the customer, with its rules.
///
/// The first field whose kind identifies a recipient ([`FieldKind::recipient_kind`]) is filled
/// from the purchase's [`Recipient`](crate::Recipient); every other field comes from
/// [`PurchaseRequest::field`](crate::PurchaseRequest::field), under its `name`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldSpec {
    /// The name the vendor uses for the field (`billersCode`, `phone`, `subscription_type`).
    pub name: String,
    /// A label to show to people, if the vendor gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// What the field holds.
    pub kind: FieldKind,
    /// Whether the purchase needs it.
    pub required: bool,
    /// A pattern the whole value must match. For a phone field it is checked against the
    /// national form (`08031234567`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<Pattern>,
    /// The values allowed, if the vendor lists them (empty: any).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub choices: Vec<String>,
}

impl FieldSpec {
    /// A required field without a pattern.
    pub fn required(name: impl Into<String>, kind: FieldKind) -> Self {
        Self {
            name: name.into(),
            label: None,
            kind,
            required: true,
            pattern: None,
            choices: Vec::new(),
        }
    }

    /// An optional field without a pattern.
    pub fn optional(name: impl Into<String>, kind: FieldKind) -> Self {
        Self { required: false, ..Self::required(name, kind) }
    }

    /// Adds a pattern the whole value must match.
    pub fn with_pattern(mut self, pattern: Pattern) -> Self {
        self.pattern = Some(pattern);
        self
    }

    /// Adds a label.
    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// Restricts the value to a list.
    pub fn with_choices<I: IntoIterator<Item = S>, S: Into<String>>(mut self, choices: I) -> Self {
        self.choices = choices.into_iter().map(Into::into).collect();
        self
    }
}

/// Names one product of one vendor.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ProductRef {
    /// The vendor selling it.
    pub vendor: Vendor,
    /// The vendor's id for it (as [`Product::id`]).
    pub id: String,
}

impl ProductRef {
    /// A vendor and its product id.
    pub fn new(vendor: Vendor, id: impl Into<String>) -> Self {
        Self { vendor, id: id.into() }
    }
}

impl fmt::Display for ProductRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.vendor, self.id)
    }
}

/// One product of one vendor, in the shared model.
///
/// `detail` keeps the vendor's own description of the product (its wire JSON), so nothing the
/// vendor says is lost in translation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Product {
    /// The vendor selling it.
    pub vendor: Vendor,
    /// The vendor's id for it, as the vendor's adapter understands it (for VTpass,
    /// `serviceID/variation_code`).
    pub id: String,
    /// A name to show to people.
    pub name: String,
    /// What kind of service it is.
    pub kind: ProductKind,
    /// The operator or biller (`MTN`, `Ikeja Electric`, `DStv`), if known.
    pub operator: Option<String>,
    /// The country, ISO 3166-1 alpha-2 (`NG`), if known.
    pub country: Option<String>,
    /// The price.
    pub price: Price,
    /// The customer details the vendor needs.
    pub fields: Vec<FieldSpec>,
    /// The vendor's own description of the product.
    pub detail: serde_json::Value,
}

impl Product {
    /// A product with no operator, country, fields or detail.
    pub fn new(
        vendor: Vendor,
        id: impl Into<String>,
        name: impl Into<String>,
        kind: ProductKind,
        price: Price,
    ) -> Self {
        Self {
            vendor,
            id: id.into(),
            name: name.into(),
            kind,
            operator: None,
            country: None,
            price,
            fields: Vec::new(),
            detail: serde_json::Value::Null,
        }
    }

    /// Sets the operator.
    pub fn with_operator(mut self, operator: impl Into<String>) -> Self {
        self.operator = Some(operator.into());
        self
    }

    /// Sets the country (ISO 3166-1 alpha-2; upper-cased).
    pub fn with_country(mut self, country: impl Into<String>) -> Self {
        self.country = Some(country.into().trim().to_ascii_uppercase());
        self
    }

    /// Adds a customer field.
    pub fn with_field(mut self, field: FieldSpec) -> Self {
        self.fields.push(field);
        self
    }

    /// Keeps the vendor's own description.
    pub fn with_detail(mut self, detail: serde_json::Value) -> Self {
        self.detail = detail;
        self
    }

    /// The vendor and id.
    pub fn product_ref(&self) -> ProductRef {
        ProductRef::new(self.vendor, self.id.clone())
    }

    /// The field filled from the recipient: the first whose kind identifies a recipient.
    pub fn recipient_field(&self) -> Option<&FieldSpec> {
        self.fields.iter().find(|f| f.kind.recipient_kind().is_some())
    }
}

/// Which products to list. Empty matches everything; every set filter must match.
///
/// Country and operator compare without regard to case.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CatalogQuery {
    /// Only this vendor.
    pub vendor: Option<Vendor>,
    /// Only this country (ISO 3166-1 alpha-2, stored upper-case).
    pub country: Option<String>,
    /// Only this operator (stored lower-case).
    pub operator: Option<String>,
    /// Only this kind.
    pub kind: Option<ProductKind>,
}

impl CatalogQuery {
    /// Everything.
    pub fn all() -> Self {
        Self::default()
    }

    /// Only `vendor`.
    pub fn vendor(mut self, vendor: Vendor) -> Self {
        self.vendor = Some(vendor);
        self
    }

    /// Only `country` (ISO 3166-1 alpha-2).
    pub fn country(mut self, country: &str) -> Self {
        self.country = Some(country.trim().to_ascii_uppercase());
        self
    }

    /// Only `operator`.
    pub fn operator(mut self, operator: &str) -> Self {
        self.operator = Some(operator.trim().to_lowercase());
        self
    }

    /// Only `kind`.
    pub fn kind(mut self, kind: ProductKind) -> Self {
        self.kind = Some(kind);
        self
    }

    /// The same query with country upper-case and operator lower-case, as the builder
    /// methods store them (so that equal queries share a cache entry).
    pub(crate) fn normalized(&self) -> Self {
        Self {
            vendor: self.vendor,
            country: self.country.as_deref().map(|c| c.trim().to_ascii_uppercase()),
            operator: self.operator.as_deref().map(|o| o.trim().to_lowercase()),
            kind: self.kind.clone(),
        }
    }

    /// Whether `product` passes every filter.
    pub fn matches(&self, product: &Product) -> bool {
        let eq = |want: &Option<String>, have: &Option<String>| match (want, have) {
            (None, _) => true,
            (Some(w), Some(h)) => w.trim().to_lowercase() == h.trim().to_lowercase(),
            (Some(_), None) => false,
        };
        self.vendor.is_none_or(|v| v == product.vendor)
            && eq(&self.country, &product.country)
            && eq(&self.operator, &product.operator)
            && self.kind.as_ref().is_none_or(|k| *k == product.kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn airtime() -> Product {
        Product::new(
            Vendor::Vtpass,
            "mtn",
            "MTN Airtime",
            ProductKind::Airtime,
            Price::range(Currency::Ngn, Some(dec!(50)), Some(dec!(50000))),
        )
        .with_operator("MTN")
        .with_country("ng")
    }

    #[test]
    fn digit_word_and_space_classes_are_ascii_as_the_vendors_mean_them() {
        let p = |s: &str| Pattern::new(s).unwrap();
        let eleven = p(r"\d{11}");
        assert!(eleven.is_match("08031234567"));
        for unicode in ["٠٨٠٣١٢٣٤٥٦٧", "０８０３１２３４５６７", "0803123456७"]
        {
            assert!(!eleven.is_match(unicode), "{unicode}");
        }
        let class = p(r"[\d\s-]{3}");
        assert!(class.is_match("1 2") && class.is_match("1-2"));
        assert!(!class.is_match("١-٢") && !class.is_match("1\u{3000}2"));
        let word = p(r"\w+");
        assert!(word.is_match("Abc_12") && !word.is_match("Zoë"));
        // Escapes, literal brackets and other classes are left as written.
        assert!(p(r"\\d").is_match("\\d"));
        assert!(p(r"[]d]+").is_match("]d") && !p(r"[]d]+").is_match("5"));
        assert!(p(r"[^]\d]").is_match("x") && !p(r"[^]\d]").is_match("7"));
        assert!(p(r"[[:alpha:]\d]+").is_match("ab12") && !p(r"[[:alpha:]\d]+").is_match("٣"));
        assert!(p(r"\p{Lu}\D").is_match("Ax"));
        assert_eq!(p(r"\d{11}").as_str(), r"\d{11}", "shown as the vendor wrote it");
    }

    #[test]
    fn a_range_checks_bounds_sign_and_decimal_places() {
        let p = airtime().price;
        assert_eq!(p.check(Some(dec!(100))).ok(), Some(Money::ngn(dec!(100))));
        assert_eq!(p.check(Some(dec!(50))).ok(), Some(Money::ngn(dec!(50))));
        assert_eq!(p.check(Some(dec!(50000.00))).ok(), Some(Money::ngn(dec!(50000.00))));
        for bad in [
            Some(dec!(49.99)),
            Some(dec!(50000.01)),
            Some(dec!(0)),
            Some(dec!(-100)),
            Some(dec!(100.001)),
            None,
        ] {
            let e = p.check(bad).err();
            assert_eq!(
                e.as_ref().map(|e| e.kind()),
                Some(crate::ErrorKind::CallerInput),
                "{bad:?}"
            );
            assert_eq!(e.as_ref().and_then(|e| e.field()), Some("amount"));
        }
        let ugx = Price::range(Currency::Ugx, None, None);
        assert!(ugx.check(Some(dec!(1000.5))).is_err());
        assert!(ugx.check(Some(dec!(1000.0))).is_ok());
    }

    #[test]
    fn a_fixed_price_accepts_no_amount_or_the_same() {
        let p = Price::fixed(dec!(100.00), Currency::Ngn);
        assert_eq!(p.check(None).ok(), Some(Money::ngn(dec!(100.00))));
        assert!(p.check(Some(dec!(100))).is_ok());
        assert!(p.check(Some(dec!(200))).is_err());
    }

    #[test]
    fn patterns_are_anchored() {
        let p = Pattern::new(r"\d{11}").ok();
        assert_eq!(p.as_ref().map(|p| p.is_match("08031234567")), Some(true));
        assert_eq!(p.as_ref().map(|p| p.is_match("080312345678")), Some(false));
        assert_eq!(p.as_ref().map(|p| p.is_match("x08031234567")), Some(false));
        assert_eq!(Pattern::new("(").err().map(|e| e.kind()), Some(crate::ErrorKind::Config));
    }

    #[test]
    fn queries_filter_without_regard_to_case() {
        let p = airtime();
        assert!(CatalogQuery::all().matches(&p));
        assert!(
            CatalogQuery::all()
                .country("NG")
                .operator("mtn")
                .kind(ProductKind::Airtime)
                .matches(&p)
        );
        assert!(!CatalogQuery::all().country("ZA").matches(&p));
        assert!(!CatalogQuery::all().operator("Glo").matches(&p));
        assert!(!CatalogQuery::all().kind(ProductKind::Data).matches(&p));
        assert!(!CatalogQuery::all().vendor(Vendor::Gsubz).matches(&p));
    }

    #[test]
    fn products_serialize_with_their_rules() {
        let p = airtime().with_field(
            FieldSpec::required("phone", FieldKind::Phone)
                .with_pattern(Pattern::new(r"0\d{10}").unwrap()),
        );
        let json = serde_json::to_value(&p).unwrap();
        assert_eq!(json["kind"], "airtime");
        assert_eq!(
            json["price"],
            serde_json::json!({"type": "range", "currency": "NGN", "min": "50", "max": "50000"})
        );
        assert_eq!(json["fields"][0]["pattern"], r"0\d{10}");
        let back: Product = serde_json::from_value(json).unwrap();
        assert_eq!(back, p);
    }
}
