//! Amounts of money: an exact decimal and an ISO 4217 currency.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::Error;

/// An ISO 4217 currency.
///
/// The currencies of the four vendors' markets have their own variants; any other code is kept
/// in [`Currency::Other`] (upper-cased), so nothing the vendor sends is lost.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Currency {
    /// Nigerian naira.
    Ngn,
    /// South African rand.
    Zar,
    /// Kenyan shilling.
    Kes,
    /// Ugandan shilling.
    Ugx,
    /// Botswana pula.
    Bwp,
    /// Ghanaian cedi.
    Ghs,
    /// Tanzanian shilling.
    Tzs,
    /// Rwandan franc.
    Rwf,
    /// Zambian kwacha.
    Zmw,
    /// West African CFA franc.
    Xof,
    /// Central African CFA franc.
    Xaf,
    /// United States dollar.
    Usd,
    /// Euro.
    Eur,
    /// Pound sterling.
    Gbp,
    /// Any other code, upper-case.
    Other(String),
}

const KNOWN: [(Currency, &str, u32); 14] = [
    (Currency::Ngn, "NGN", 2),
    (Currency::Zar, "ZAR", 2),
    (Currency::Kes, "KES", 2),
    (Currency::Ugx, "UGX", 0),
    (Currency::Bwp, "BWP", 2),
    (Currency::Ghs, "GHS", 2),
    (Currency::Tzs, "TZS", 2),
    (Currency::Rwf, "RWF", 0),
    (Currency::Zmw, "ZMW", 2),
    (Currency::Xof, "XOF", 0),
    (Currency::Xaf, "XAF", 0),
    (Currency::Usd, "USD", 2),
    (Currency::Eur, "EUR", 2),
    (Currency::Gbp, "GBP", 2),
];

impl Currency {
    /// Parses a three-letter code in any case; a code not listed as a variant becomes
    /// [`Currency::Other`].
    pub fn from_code(code: &str) -> Result<Self, Error> {
        let code = code.trim();
        if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_alphabetic()) {
            return Err(Error::caller_input(
                "currency",
                format!("`{code}` is not an ISO 4217 code"),
            ));
        }
        let upper = code.to_ascii_uppercase();
        Ok(KNOWN
            .iter()
            .find(|(_, c, _)| *c == upper)
            .map(|(v, _, _)| v.clone())
            .unwrap_or(Currency::Other(upper)))
    }

    /// The three-letter code, e.g. `NGN`.
    pub fn code(&self) -> &str {
        match self {
            Currency::Other(code) => code,
            known => KNOWN.iter().find(|(v, _, _)| v == known).map(|(_, c, _)| *c).unwrap_or(""),
        }
    }

    /// `XXX`, ISO 4217's code for "no currency": what an adapter reports when the vendor does
    /// not say, rather than guessing one.
    pub fn unknown() -> Self {
        Currency::Other("XXX".to_owned())
    }

    /// Whether this is [`Currency::unknown`].
    pub fn is_unknown(&self) -> bool {
        matches!(self, Currency::Other(c) if c == "XXX")
    }

    /// How many decimal places the currency has (2 for NGN, 0 for UGX), if known.
    pub fn minor_units(&self) -> Option<u32> {
        KNOWN.iter().find(|(v, _, _)| v == self).map(|(_, _, m)| *m)
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Currency {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        Currency::from_code(s)
    }
}

impl Serialize for Currency {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for Currency {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Currency::from_code(&s).map_err(serde::de::Error::custom)
    }
}

/// An exact amount in a currency.
///
/// ```
/// use rust_decimal::Decimal;
/// use vas_core::{Currency, Money};
///
/// let m = Money::new(Decimal::new(10050, 2), Currency::Ngn);
/// assert_eq!(m.to_string(), "100.50 NGN");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Money {
    /// The amount, exact.
    pub amount: Decimal,
    /// The currency.
    pub currency: Currency,
}

impl Money {
    /// An amount in a currency.
    pub fn new(amount: Decimal, currency: Currency) -> Self {
        Self { amount, currency }
    }

    /// Naira.
    pub fn ngn(amount: Decimal) -> Self {
        Self::new(amount, Currency::Ngn)
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.amount, self.currency)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_unknown_codes_survive() {
        for (v, code, _) in KNOWN.iter() {
            assert_eq!(&Currency::from_code(code).ok(), &Some(v.clone()));
            assert_eq!(v.code(), *code);
        }
        assert_eq!(Currency::from_code("ngn").ok(), Some(Currency::Ngn));
        let mwk = Currency::from_code("mwk").ok();
        assert_eq!(mwk, Some(Currency::Other("MWK".into())));
        assert_eq!(mwk.map(|c| c.code().to_owned()), Some("MWK".to_owned()));
        assert!(Currency::from_code("NAIRA").is_err());
        assert!(Currency::from_code("N1").is_err());
        assert_eq!(Currency::Ugx.minor_units(), Some(0));
        assert_eq!(Currency::Other("MWK".into()).minor_units(), None);
    }

    #[test]
    fn money_serializes_exactly() {
        let m = Money::new(Decimal::new(29_182_000_000_000, 9), Currency::Zar);
        let json = serde_json::to_value(&m).ok();
        assert_eq!(json, Some(serde_json::json!({"amount": "29182.000000000", "currency": "ZAR"})));
        let back: Option<Money> = json.and_then(|j| serde_json::from_value(j).ok());
        assert_eq!(back, Some(m));
    }
}
