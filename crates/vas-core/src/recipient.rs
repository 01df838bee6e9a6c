//! Who receives a purchase: a phone, an account, a meter, a smartcard or a payment reference.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::Error;

/// Whether an electricity meter is prepaid (a token is delivered) or postpaid (a bill is paid).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MeterType {
    /// A token is delivered.
    Prepaid,
    /// A bill is paid.
    Postpaid,
}

impl MeterType {
    /// `prepaid` or `postpaid`.
    pub fn as_str(self) -> &'static str {
        match self {
            MeterType::Prepaid => "prepaid",
            MeterType::Postpaid => "postpaid",
        }
    }
}

/// The kind of a [`Recipient`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum RecipientKind {
    /// A phone number.
    Phone,
    /// An account or customer number.
    Account,
    /// A meter number.
    Meter,
    /// A smartcard or IUC number.
    Smartcard,
    /// A payment reference number.
    Prn,
}

impl RecipientKind {
    /// A lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            RecipientKind::Phone => "phone",
            RecipientKind::Account => "account",
            RecipientKind::Meter => "meter",
            RecipientKind::Smartcard => "smartcard",
            RecipientKind::Prn => "prn",
        }
    }
}

impl fmt::Display for RecipientKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who receives the purchase, as the caller typed it.
///
/// A phone number may be in national form (`08031234567`) or international (`+234 803 123
/// 4567`); [`Vas::prepare`](crate::Vas::prepare) checks it against the product's country and
/// hands the adapter a [`Phone`] with both forms.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "lowercase")]
#[non_exhaustive]
pub enum Recipient {
    /// A phone number.
    Phone(String),
    /// An account or customer number.
    Account(String),
    /// A meter number, and its type when the product needs it.
    Meter {
        /// The meter number.
        number: String,
        /// Prepaid or postpaid, if known.
        meter_type: Option<MeterType>,
    },
    /// A smartcard or IUC number.
    Smartcard(String),
    /// A payment reference number.
    Prn(String),
}

impl Recipient {
    /// A phone number, national or international.
    pub fn phone(number: impl Into<String>) -> Self {
        Recipient::Phone(number.into())
    }

    /// An account number.
    pub fn account(number: impl Into<String>) -> Self {
        Recipient::Account(number.into())
    }

    /// A meter number.
    pub fn meter(number: impl Into<String>, meter_type: Option<MeterType>) -> Self {
        Recipient::Meter { number: number.into(), meter_type }
    }

    /// A smartcard number.
    pub fn smartcard(number: impl Into<String>) -> Self {
        Recipient::Smartcard(number.into())
    }

    /// A payment reference number.
    pub fn prn(number: impl Into<String>) -> Self {
        Recipient::Prn(number.into())
    }

    /// The kind.
    pub fn kind(&self) -> RecipientKind {
        match self {
            Recipient::Phone(_) => RecipientKind::Phone,
            Recipient::Account(_) => RecipientKind::Account,
            Recipient::Meter { .. } => RecipientKind::Meter,
            Recipient::Smartcard(_) => RecipientKind::Smartcard,
            Recipient::Prn(_) => RecipientKind::Prn,
        }
    }

    /// The number as typed.
    pub fn value(&self) -> &str {
        match self {
            Recipient::Phone(v)
            | Recipient::Account(v)
            | Recipient::Smartcard(v)
            | Recipient::Prn(v) => v,
            Recipient::Meter { number, .. } => number,
        }
    }

    /// The meter type, for a meter.
    pub fn meter_type(&self) -> Option<MeterType> {
        match self {
            Recipient::Meter { meter_type, .. } => *meter_type,
            _ => None,
        }
    }

    /// The same recipient with surrounding spaces removed, after checking that what is left is
    /// plausible for its kind (not empty, no control characters, at most 64 characters;
    /// meters and smartcards: letters, digits and `-` only). Phones are checked by
    /// [`Phone::parse`].
    pub fn checked(&self) -> Result<Recipient, Error> {
        let value = self.value().trim();
        let kind = self.kind();
        let bad = |m: String| Error::caller_input("recipient", m);
        if value.is_empty() {
            return Err(bad(format!("the {kind} number is empty")));
        }
        if value.chars().count() > 64 || value.chars().any(char::is_control) {
            return Err(bad(format!("the {kind} number is not plausible")));
        }
        if matches!(kind, RecipientKind::Meter | RecipientKind::Smartcard)
            && !value.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            return Err(bad(format!(
                "the {kind} number `{}` may hold only letters, digits and `-`",
                crate::error::shown(value)
            )));
        }
        let v = value.to_owned();
        Ok(match self {
            Recipient::Phone(_) => Recipient::Phone(v),
            Recipient::Account(_) => Recipient::Account(v),
            Recipient::Meter { meter_type, .. } => {
                Recipient::Meter { number: v, meter_type: *meter_type }
            }
            Recipient::Smartcard(_) => Recipient::Smartcard(v),
            Recipient::Prn(_) => Recipient::Prn(v),
        })
    }
}

/// A country's phone numbering: calling code, trunk prefix, and national number lengths.
struct Plan {
    country: &'static str,
    code: &'static str,
    trunk: Option<char>,
    lengths: &'static [usize],
}

const PLANS: [Plan; 12] = [
    Plan { country: "NG", code: "234", trunk: Some('0'), lengths: &[10] },
    Plan { country: "ZA", code: "27", trunk: Some('0'), lengths: &[9] },
    Plan { country: "KE", code: "254", trunk: Some('0'), lengths: &[9] },
    Plan { country: "UG", code: "256", trunk: Some('0'), lengths: &[9] },
    Plan { country: "BW", code: "267", trunk: None, lengths: &[7, 8] },
    Plan { country: "GH", code: "233", trunk: Some('0'), lengths: &[9] },
    Plan { country: "TZ", code: "255", trunk: Some('0'), lengths: &[9] },
    Plan { country: "RW", code: "250", trunk: Some('0'), lengths: &[9] },
    Plan { country: "ZM", code: "260", trunk: Some('0'), lengths: &[9] },
    Plan { country: "ZW", code: "263", trunk: Some('0'), lengths: &[9] },
    Plan { country: "MW", code: "265", trunk: Some('0'), lengths: &[9] },
    Plan { country: "NA", code: "264", trunk: Some('0'), lengths: &[8, 9] },
];

fn plan_of_country(country: &str) -> Option<&'static Plan> {
    PLANS.iter().find(|p| p.country.eq_ignore_ascii_case(country.trim()))
}

fn plan_of_digits(digits: &str) -> Option<&'static Plan> {
    PLANS.iter().find(|p| digits.starts_with(p.code))
}

/// A checked phone number, in E.164 and in the national form vendors often want.
///
/// Nigerian, South African, Kenyan, Ugandan, Botswanan and a few more African numbering plans
/// are known: their numbers are checked for length, and the national form is derived
/// (`08031234567` ⇄ `+2348031234567`, `0821234567` ⇄ `+27821234567`). Other countries'
/// numbers are accepted in international form only.
///
/// ```
/// use vas_core::Phone;
///
/// let p = Phone::parse("0803 123 4567", Some("NG")).unwrap();
/// assert_eq!(p.e164(), "+2348031234567");
/// assert_eq!(p.national(), "08031234567");
/// assert_eq!(p.international(), "2348031234567");
/// assert_eq!(Phone::parse("+27 82 123 4567", None).unwrap().national(), "0821234567");
/// assert!(Phone::parse("0803123", Some("NG")).is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Phone {
    /// Digits of the international number, without `+`.
    digits: String,
    /// Where the national significant number starts in `digits`, when the plan is known.
    national_start: Option<usize>,
    country: Option<&'static str>,
}

impl Phone {
    /// Parses a number typed by a person: spaces, `-`, `.`, `(` and `)` are ignored; the
    /// number is national (needs `country`, ISO 3166-1 alpha-2), or international with `+`,
    /// `00`, or the calling code. When `country` is given, an international number must belong
    /// to it.
    pub fn parse(input: &str, country: Option<&str>) -> Result<Phone, Error> {
        let bad = |m: String| Error::caller_input("recipient", m);
        let cleaned: String =
            input.chars().filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')')).collect();
        // From here on, `input` is only quoted in messages.
        let input = &crate::error::shown(input);
        let (plus, body) = match cleaned.strip_prefix('+') {
            Some(rest) => (true, rest),
            None => match cleaned.strip_prefix("00") {
                Some(rest) => (true, rest),
                None => (false, cleaned.as_str()),
            },
        };
        if body.is_empty() || !body.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad(format!("`{input}` is not a phone number")));
        }
        let wanted = match country {
            Some(c) => match plan_of_country(c) {
                Some(plan) => Some(plan),
                None if !plus => {
                    return Err(bad(format!(
                        "`{input}` must be in international form (+…) for country `{c}`"
                    )));
                }
                None => None,
            },
            None => None,
        };
        let international = if plus {
            body.to_owned()
        } else if let Some(plan) = wanted {
            if let Some(national) = plan.trunk.and_then(|t| body.strip_prefix(t)) {
                format!("{}{national}", plan.code)
            } else if body.starts_with(plan.code)
                && plan.lengths.contains(&(body.len() - plan.code.len()))
            {
                body.to_owned()
            } else if plan.lengths.contains(&body.len()) {
                format!("{}{body}", plan.code)
            } else {
                return Err(bad(format!("`{input}` is not a valid {} phone number", plan.country)));
            }
        } else if plan_of_digits(body)
            .is_some_and(|p| p.lengths.contains(&(body.len() - p.code.len())))
        {
            // International digits without `+`, recognisable by their calling code.
            body.to_owned()
        } else {
            return Err(bad(format!(
                "`{input}` needs a country: write it with + and the calling code"
            )));
        };
        Self::from_international(input, international, wanted.map(|p| p.country).or(country))
    }

    fn from_international(
        input: &str,
        mut digits: String,
        country: Option<&str>,
    ) -> Result<Phone, Error> {
        let bad = |m: String| Error::caller_input("recipient", m);
        match plan_of_digits(&digits) {
            Some(plan) => {
                let code = plan.code.len();
                // A trunk prefix written after the calling code (+234 0803…) is dropped.
                if let Some(t) = plan.trunk {
                    let after = digits.get(code..).unwrap_or_default();
                    if after.starts_with(t) && plan.lengths.contains(&(after.len() - 1)) {
                        digits.remove(code);
                    }
                }
                if !plan.lengths.contains(&digits.len().saturating_sub(code)) {
                    return Err(bad(format!(
                        "`{input}` is not a valid {} phone number",
                        plan.country
                    )));
                }
                if let Some(c) = country.filter(|c| !c.eq_ignore_ascii_case(plan.country)) {
                    return Err(bad(format!(
                        "`{input}` is a {} number, not a {} one",
                        plan.country,
                        c.to_ascii_uppercase()
                    )));
                }
                Ok(Phone { digits, national_start: Some(code), country: Some(plan.country) })
            }
            None => {
                if !(8..=15).contains(&digits.len()) || digits.starts_with('0') {
                    return Err(bad(format!(
                        "`{input}` is not a valid international phone number"
                    )));
                }
                // Another country's number, whose calling code has no plan here: it is still
                // not a number of the product's country when that country has one.
                if let Some(plan) = country.and_then(plan_of_country) {
                    return Err(bad(format!(
                        "`{input}` is not a {} number (+{}…)",
                        plan.country, plan.code
                    )));
                }
                Ok(Phone { digits, national_start: None, country: None })
            }
        }
    }

    /// E.164: `+2348031234567`.
    pub fn e164(&self) -> String {
        format!("+{}", self.digits)
    }

    /// The international digits without `+`: `2348031234567`.
    pub fn international(&self) -> &str {
        &self.digits
    }

    /// The national form: the trunk prefix and the national number (`08031234567`), or the
    /// national number alone where the country has no trunk prefix (Botswana). For a country
    /// whose plan is not known, the international digits.
    pub fn national(&self) -> String {
        match (self.national_start, self.country.and_then(plan_of_country)) {
            (Some(start), Some(plan)) => {
                let nsn = self.digits.get(start..).unwrap_or_default();
                match plan.trunk {
                    Some(t) => format!("{t}{nsn}"),
                    None => nsn.to_owned(),
                }
            }
            _ => self.digits.clone(),
        }
    }

    /// The country (ISO 3166-1 alpha-2), when the numbering plan is known.
    pub fn country(&self) -> Option<&'static str> {
        self.country
    }
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "+{}", self.digits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(input: &str, country: Option<&str>) -> (String, String) {
        let p = Phone::parse(input, country).unwrap_or_else(|e| panic!("{input}: {e}"));
        (p.e164(), p.national())
    }

    #[test]
    fn national_and_international_forms_convert_both_ways() {
        let ng = ("+2348031234567".to_owned(), "08031234567".to_owned());
        for input in [
            "08031234567",
            "0803 123 4567",
            "+2348031234567",
            "2348031234567",
            "002348031234567",
            "+234 (0) 803-123-4567",
            "8031234567",
        ] {
            assert_eq!(ok(input, Some("NG")), ng, "{input}");
        }
        assert_eq!(ok("+2348031234567", None), ng);
        assert_eq!(ok("0821234567", Some("ZA")), ("+27821234567".into(), "0821234567".into()));
        assert_eq!(ok("+27821234567", Some("za")), ("+27821234567".into(), "0821234567".into()));
        assert_eq!(ok("0712345678", Some("KE")), ("+254712345678".into(), "0712345678".into()));
        assert_eq!(ok("0772123456", Some("UG")), ("+256772123456".into(), "0772123456".into()));
        assert_eq!(ok("71234567", Some("BW")), ("+26771234567".into(), "71234567".into()));
        assert_eq!(
            ok("+6281234567890", Some("ID")),
            ("+6281234567890".into(), "6281234567890".into())
        );
        assert_eq!(
            Phone::parse("08031234567", Some("NG")).map(|p| p.country()).ok(),
            Some(Some("NG"))
        );
    }

    #[test]
    fn malformed_numbers_are_caller_errors() {
        for (input, country) in [
            ("", Some("NG")),
            ("phone", Some("NG")),
            ("0803123456", Some("NG")),
            ("080312345678", Some("NG")),
            ("+27821234567", Some("NG")),
            ("08031234567", None),
            ("08031234567", Some("ID")),
            ("+12", None),
            ("+0123456789", None),
            ("0803123456a", Some("NG")),
            // Another country's number, for a product of a country with a known plan.
            ("+14155550123", Some("NG")),
            ("+447700900123", Some("ZA")),
            ("+6281234567890", Some("KE")),
            ("+33612345678", Some("UG")),
            ("+4915112345678", Some("BW")),
            // A trunk zero doubled by mistake reads as an international prefix.
            ("0080312345678", Some("NG")),
        ] {
            let e = Phone::parse(input, country).err();
            assert_eq!(
                e.as_ref().map(|e| e.kind()),
                Some(crate::ErrorKind::CallerInput),
                "{input}"
            );
            assert_eq!(e.as_ref().and_then(|e| e.field()), Some("recipient"));
        }
    }

    #[test]
    fn recipients_are_trimmed_and_checked() {
        assert_eq!(
            Recipient::smartcard(" 1212121212 ").checked().ok(),
            Some(Recipient::smartcard("1212121212"))
        );
        assert_eq!(
            Recipient::meter("1111111111111", Some(MeterType::Prepaid))
                .checked()
                .ok()
                .map(|r| r.meter_type()),
            Some(Some(MeterType::Prepaid))
        );
        for bad in [
            Recipient::account("  "),
            Recipient::smartcard("12 34"),
            Recipient::meter("11;1", None),
            Recipient::prn("a\nb"),
            Recipient::account("9".repeat(65)),
        ] {
            assert!(bad.checked().is_err(), "{bad:?}");
        }
    }

    /// Odd, hostile and huge inputs: never a panic; an answer is either a caller error about
    /// the recipient, or a number in E.164 that parses again to itself.
    #[test]
    fn no_input_makes_phone_parsing_panic() {
        let huge_digits = "9".repeat(1 << 20);
        let huge_code = "234".repeat(100_000);
        let pieces = [
            "",
            "+",
            "++",
            "00",
            "0",
            "000",
            "234",
            "27",
            "254",
            "256",
            "267",
            "8031234567",
            "0803",
            "(0)",
            " ",
            "-",
            ".",
            "٠١٢٣٤٥٦٧٨٩",
            "\u{ff0b}234",
            "０８０",
            "📱",
            "\u{202e}",
            "\0",
            "\n",
            "é",
            "𝟎𝟖𝟎",
            "+-",
            "1",
            "7",
            "12345678901234567890",
        ];
        let countries = [
            None,
            Some("NG"),
            Some(" ng "),
            Some(""),
            Some("ZZ"),
            Some("ÑG"),
            Some("BW"),
            Some("KE"),
        ];
        let mut inputs: Vec<String> =
            vec![huge_digits.clone(), huge_code, format!("+{huge_digits}")];
        for a in pieces {
            for b in pieces {
                inputs.push(format!("{a}{b}"));
                for c in ["8031234567", "71234567", "772123456"] {
                    inputs.push(format!("{a}{b}{c}"));
                }
            }
        }
        for input in &inputs {
            for country in countries {
                match Phone::parse(input, country) {
                    Ok(p) => {
                        let e164 = p.e164();
                        let digits = e164.strip_prefix('+').unwrap_or_default();
                        assert!(
                            (8..=15).contains(&digits.len())
                                && digits.bytes().all(|b| b.is_ascii_digit()),
                            "{input:?} {country:?} gave {e164}"
                        );
                        assert!(p.national().bytes().all(|b| b.is_ascii_digit()));
                        let again = Phone::parse(&e164, country).map(|q| q.e164()).ok();
                        assert_eq!(again, Some(e164.clone()), "{input:?} {country:?}");
                    }
                    Err(e) => {
                        assert_eq!(e.kind(), crate::ErrorKind::CallerInput);
                        assert_eq!(e.field(), Some("recipient"));
                    }
                }
            }
            for r in [
                Recipient::phone(input.as_str()),
                Recipient::meter(input.as_str(), None),
                Recipient::prn(input.as_str()),
            ] {
                if let Err(e) = r.checked() {
                    assert_eq!(e.field(), Some("recipient"));
                }
            }
        }
    }
}
