//! `paymentData`: what a payment buys, `<partnerId>_<productId>`.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::PartnerId;
use crate::error::{Error, Result};
use crate::query::{digits, parse_partner};

/// What a payment buys: `<partnerId>_<productId>`, e.g. `5_VD50`.
///
/// The product id may itself contain `_`: parsing splits at the first `_` only, so
/// `16_0310564280_T089775335322_3` is partner 16, product `0310564280_T089775335322_3`.
///
/// ```
/// use eclipse_vas::{PartnerId, PaymentData};
///
/// let pd: PaymentData = "16_0310564280_T089775335322_3".parse()?;
/// assert_eq!(pd.partner_id(), PartnerId::KGANYA);
/// assert_eq!(pd.product_id(), "0310564280_T089775335322_3");
/// assert_eq!(pd.to_string(), "16_0310564280_T089775335322_3");
/// assert!("VD50".parse::<PaymentData>().is_err());
/// # Ok::<(), eclipse_vas::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct PaymentData {
    partner: PartnerId,
    product: String,
}

fn check_product(product: &str) -> Result<()> {
    if product.is_empty() {
        return Err(Error::invalid("paymentData", "the product id must not be empty"));
    }
    if product.len() > 200 {
        return Err(Error::invalid("paymentData", "the product id is longer than 200 characters"));
    }
    if !product.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(Error::invalid(
            "paymentData",
            "the product id must be printable ASCII without spaces",
        ));
    }
    Ok(())
}

fn check_part(field: &'static str, value: &str) -> Result<()> {
    if value.is_empty()
        || value.contains('_')
        || !value.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
    {
        return Err(Error::invalid(
            field,
            "must be non-empty ASCII letters, digits, `-` or `.` (`_` separates the parts)",
        ));
    }
    Ok(())
}

impl PaymentData {
    /// `<partner>_<product id>`, checked: the product id must be non-empty printable ASCII.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for an empty or unprintable product id.
    pub fn new(partner: PartnerId, product_id: impl Into<String>) -> Result<Self> {
        let product = product_id.into();
        check_product(&product)?;
        Ok(Self { partner, product })
    }

    fn join(partner: PartnerId, parts: &[&str]) -> Self {
        Self { partner, product: parts.join("_") }
    }

    /// DTB Kenya tax: `19_ETAX_<prn>`.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a malformed PRN.
    pub fn dtb_kenya_tax(prn: &str) -> Result<Self> {
        check_part("prn", prn)?;
        Ok(Self::join(PartnerId::DTB_KENYA, &["ETAX", prn]))
    }

    /// DTB Kenya VAS: `19_<utility code>_<reference>`, e.g. `19_KE-STARTIMES_1234567890`.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a malformed code or reference.
    pub fn dtb_kenya_vas(utility_code: &str, reference: &str) -> Result<Self> {
        check_part("utilityCode", utility_code)?;
        check_part("reference", reference)?;
        Ok(Self::join(PartnerId::DTB_KENYA, &[utility_code, reference]))
    }

    /// DTB Uganda NWSC water: `21_NWSC_<customer reference>`.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a malformed reference.
    pub fn dtb_uganda_nwsc(customer_ref: &str) -> Result<Self> {
        check_part("customerRef", customer_ref)?;
        Ok(Self::join(PartnerId::DTB_UGANDA, &["NWSC", customer_ref]))
    }

    /// DTB Uganda UMEME electricity: `21_UMEME_<customer reference>`.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a malformed reference.
    pub fn dtb_uganda_umeme(customer_ref: &str) -> Result<Self> {
        check_part("customerRef", customer_ref)?;
        Ok(Self::join(PartnerId::DTB_UGANDA, &["UMEME", customer_ref]))
    }

    /// DTB Uganda URA tax: `21_ETAX_<reference>`. The documented example appends the
    /// taxpayer's TIN (`21_ETAX_1001307092`, "append with TIN") and sends the PRN as the
    /// description, while the prose says `{partnerId}{taxUtilitCode} {prn}`; pass what your
    /// DTB contact confirms.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a malformed reference.
    pub fn dtb_uganda_tax(reference: &str) -> Result<Self> {
        check_part("reference", reference)?;
        Ok(Self::join(PartnerId::DTB_UGANDA, &["ETAX", reference]))
    }

    /// DTB Uganda MTN Mobile Money wallet top-up: `21_MTN_<phone>`.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a phone that is not 5 to 16 digits.
    pub fn dtb_uganda_mtn(phone: &str) -> Result<Self> {
        digits("phone", phone)?;
        Ok(Self::join(PartnerId::DTB_UGANDA, &["MTN", phone]))
    }

    /// Cellulant: `17_<msisdn or 0>_<account>_<service code>_<product code>`, e.g.
    /// `17_254707720002_042381176772_KE-DSTV_DSTVTESTKE`.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a malformed part.
    pub fn cellulant(
        msisdn: Option<&str>,
        account: &str,
        service_code: &str,
        product_code: &str,
    ) -> Result<Self> {
        let m = match msisdn {
            None | Some("0") => "0",
            Some(m) => {
                digits("msisdn", m)?;
                m
            }
        };
        check_part("accountNumber", account)?;
        check_part("serviceCode", service_code)?;
        check_part("productCode", product_code)?;
        Ok(Self::join(PartnerId::CELLULANT, &[m, account, service_code, product_code]))
    }

    /// The partner.
    pub fn partner_id(&self) -> PartnerId {
        self.partner
    }

    /// The product id (everything after the first `_`).
    pub fn product_id(&self) -> &str {
        &self.product
    }
}

impl FromStr for PaymentData {
    type Err = Error;

    /// Parses `<partnerId>_<productId>`, splitting at the first `_`.
    fn from_str(s: &str) -> Result<Self> {
        let Some((id, product)) = s.split_once('_') else {
            return Err(Error::invalid(
                "paymentData",
                format!("{s:?} is not <partnerId>_<productId>"),
            ));
        };
        let partner = parse_partner("paymentData", id)?;
        Self::new(partner, product)
    }
}

impl fmt::Display for PaymentData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}_{}", self.partner, self.product)
    }
}

impl fmt::Debug for PaymentData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PaymentData({:?})", self.to_string())
    }
}

impl Serialize for PaymentData {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PaymentData {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}
