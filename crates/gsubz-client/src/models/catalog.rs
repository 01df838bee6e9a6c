//! The catalog: categories, a service's fields, plans and variations.

use regex::Regex;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use vas_common::{WireDecimal, WireText};

use crate::{Error, PayRequest, Result};

/// One entry of `GET category`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Category {
    /// The name to show (`Electricity Billl`, as GSUBZ spells it).
    #[serde(rename = "displayName")]
    pub display_name: String,
    /// The category's identifier.
    pub name: CategoryName,
}

wire_enum! {
    /// A category identifier. Airtime is spelled `artime` by GSUBZ, and kept so on the wire.
    ///
    /// ```
    /// use gsubz_client::CategoryName;
    ///
    /// let airtime: CategoryName = serde_json::from_str("\"artime\"").unwrap();
    /// assert_eq!(airtime, CategoryName::Airtime);
    /// assert_eq!(serde_json::to_string(&airtime).unwrap(), "\"artime\"");
    /// assert!(CategoryName::from("airtime").is_airtime());
    /// ```
    pub enum CategoryName {
        /// `electricity`.
        Electricity = "electricity",
        /// `tv`.
        Tv = "tv",
        /// `data`.
        Data = "data",
        /// `artime` (sic).
        Airtime = "artime",
        /// `transfer`.
        Transfer = "transfer",
    }
}

impl CategoryName {
    /// Airtime, spelled `artime` as GSUBZ does or `airtime`.
    pub fn is_airtime(&self) -> bool {
        match self {
            CategoryName::Airtime => true,
            CategoryName::Unknown(s) => s.eq_ignore_ascii_case("airtime"),
            _ => false,
        }
    }
}

/// The answer of `GET service?service=…` and `GET fields?service=…`: a service and the
/// fields a purchase of it takes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServiceFields {
    /// The service's name (`MTN Airtime`) or identifier (`mtn`).
    pub service: String,
    /// The fields (GSUBZ names the list `field`).
    #[serde(rename = "field", default)]
    pub fields: Vec<Field>,
}

impl ServiceFields {
    /// The field named `name`.
    pub fn get(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// Checks a purchase against every field: each required field must have a value, and each
    /// value must match the field's `regExp`. Returns the first problem as
    /// [`Error::InvalidInput`] naming the field.
    ///
    /// The request's value for a field is looked up by the field's name (see
    /// [`PayRequest::field_value`]).
    pub fn check(&self, request: &PayRequest) -> Result<()> {
        for field in &self.fields {
            field.check(request.field_value(&field.name).as_deref())?;
        }
        Ok(())
    }
}

/// One field of a service.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Field {
    /// The label to show (`Phone`).
    #[serde(rename = "displayName")]
    pub display_name: String,
    /// The form field's name (`phone`, `amount`, `Date`).
    pub name: String,
    /// The input type (`text`, `number`, `email`, `date`).
    #[serde(rename = "type")]
    pub kind: FieldType,
    /// A description, often empty.
    #[serde(default)]
    pub description: String,
    /// The pattern the value must match, empty for none (`[0-9]+`).
    #[serde(rename = "regExp", default)]
    pub reg_exp: String,
    /// Whether a value is required.
    #[serde(default)]
    pub required: bool,
}

impl Field {
    /// The compiled `regExp`, matching the whole value (as an HTML `pattern` does): `[0-9]+`
    /// accepts `1000` and rejects `10.50`. `None` when the field has no pattern.
    pub fn pattern(&self) -> Result<Option<Regex>> {
        let raw = self.reg_exp.trim();
        if raw.is_empty() {
            return Ok(None);
        }
        Regex::new(&format!("^(?:{raw})$")).map(Some).map_err(|e| {
            Error::input(
                self.name.clone(),
                format!("GSUBZ's pattern {raw:?} for this field cannot be used: {e}"),
            )
        })
    }

    /// Checks a caller's value for this field before it is sent.
    ///
    /// - a required field without a value (or with an empty one) is rejected;
    /// - a value is rejected unless the whole of it matches `regExp`;
    /// - a pattern that cannot be compiled rejects every value, so that nothing unchecked is
    ///   sent.
    ///
    /// ```
    /// use gsubz_client::{Field, FieldType};
    ///
    /// let amount = Field {
    ///     display_name: "Amount".into(),
    ///     name: "amount".into(),
    ///     kind: FieldType::Number,
    ///     description: String::new(),
    ///     reg_exp: "[0-9]+".into(),
    ///     required: true,
    /// };
    /// assert!(amount.check(Some("1000")).is_ok());
    /// assert!(amount.check(Some("10.50")).is_err());
    /// assert!(amount.check(None).is_err());
    /// ```
    pub fn check(&self, value: Option<&str>) -> Result<()> {
        let value = value.filter(|v| !v.is_empty());
        let Some(value) = value else {
            return if self.required {
                Err(Error::input(self.name.clone(), "is required by the service"))
            } else {
                Ok(())
            };
        };
        match self.pattern()? {
            Some(re) if !re.is_match(value) => Err(Error::input(
                self.name.clone(),
                format!("{value:?} does not match the service's pattern {:?}", self.reg_exp),
            )),
            _ => Ok(()),
        }
    }
}

wire_enum! {
    /// A field's input type.
    pub enum FieldType {
        /// `text`.
        Text = "text",
        /// `number`.
        Number = "number",
        /// `email`.
        Email = "email",
        /// `date`.
        Date = "date",
    }
}

/// The answer of `GET plans?service=…` and `GET variation?service=…&value=…`.
///
/// `plan_name` (`PlanName`) names the form field in which a purchase sends the chosen plan's
/// `value` (`plan`, `variation_code`); [`PayRequest::for_plan`] does this.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Plans {
    /// The service's name (`GoTV`).
    pub service: String,
    /// The form field that carries the plan in a purchase.
    #[serde(rename = "PlanName")]
    pub plan_name: String,
    /// Whether the plans' prices are fixed.
    #[serde(rename = "fixedPrice")]
    pub fixed_price: bool,
    /// A discount (newer doc), as sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discount: Option<WireText>,
    /// The plans.
    #[serde(default)]
    pub plans: Vec<Plan>,
}

impl Plans {
    /// The plan whose `value` is `value`.
    pub fn find(&self, value: &str) -> Option<&Plan> {
        self.plans.iter().find(|p| p.value.as_str() == value)
    }
}

/// One plan (or variation) of a service.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    /// The name to show (`1GB - 30days`).
    #[serde(rename = "displayName")]
    pub display_name: String,
    /// What to send in the plan field (`213`, `gotv-plus`).
    pub value: WireText,
    /// The price in naira, exact (sent as a string: `"2450"`).
    pub price: WireDecimal,
    /// The price charged to API users (newer doc).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_price: Option<WireDecimal>,
}

impl Plan {
    /// The price as a decimal.
    pub fn price(&self) -> Decimal {
        self.price.value()
    }
}
