use serde::{Deserialize, Serialize};
use vas_common::WireDecimal;

use super::Extra;
use crate::error::{Error, Result};
use crate::{PartnerId, PaymentData};

/// A VAS partner and its products: one entry of the `vas/catalogs` array.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Partner {
    /// The partner id (the first part of `paymentData`).
    pub partner_id: PartnerId,
    /// The partner's name (`Vodacom`, `DTBUGVasProvider`, `FrontierWebServices`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partner_name: Option<String>,
    /// The provider id (the `N` of the tenant config `destination.wallet.config.VAS.N`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider_id: Option<u32>,
    /// The products.
    #[serde(default)]
    pub products: Vec<Product>,
    /// Fields not named above.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A product of a partner's catalog.
///
/// For the account-query catalogs (DTB tax, NWSC, UMEME, Kganya, Cellulant) the product is the
/// customer's account, and its `additionalFields` carry the account details as default values
/// ([`Product::default_value`]): `CustName`, `OutstandingBal`, `TotalAmount`, …
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Product {
    /// The partner id.
    pub partner_id: PartnerId,
    /// The product type (`AIRTIME`, `DATA`, `SMS`, `BILL`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_type_name: Option<ProductType>,
    /// The product id (the second part of `paymentData`; may contain `_`).
    pub product_id: String,
    /// The product's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_name: Option<String>,
    /// The product's category (`BILL`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_category: Option<ProductType>,
    /// A description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_description: Option<String>,
    /// The fixed price including tax; `0.00` for products whose amount the customer chooses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fixed_price_incl: Option<WireDecimal>,
    /// Whether the product is a PIN voucher.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pinned_product: Option<bool>,
    /// The fields the customer fills in, and the account details as default values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub additional_fields: Option<Vec<FieldSpec>>,
    /// Fields not named above.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Product {
    /// The `paymentData` that buys this product: `<partnerId>_<productId>`.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when the catalog gave an empty or unusable product id.
    pub fn payment_data(&self) -> Result<PaymentData> {
        PaymentData::new(self.partner_id, self.product_id.clone())
    }

    /// The field spec with this id, if the product has one.
    pub fn field(&self, id: &str) -> Option<&FieldSpec> {
        self.additional_fields.as_deref().unwrap_or_default().iter().find(|f| f.id == id)
    }

    /// The default value of a field (an account detail such as `OutstandingBal`).
    pub fn default_value(&self, id: &str) -> Option<&str> {
        self.field(id)?.default_value.as_deref()
    }

    /// The price, when the product has a fixed one (not `0`).
    pub fn fixed_price(&self) -> Option<rust_decimal::Decimal> {
        self.fixed_price_incl.as_ref().map(WireDecimal::value).filter(|p| !p.is_zero())
    }

    /// Checks a caller's value for the field `id` against its spec (see
    /// [`FieldSpec::validate`]); a field the product does not list is accepted as is.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] naming the field when the value fails its spec.
    pub fn validate_field(&self, id: &str, value: &str) -> Result<()> {
        match self.field(id) {
            Some(spec) => spec.validate(value),
            None => Ok(()),
        }
    }
}

/// A field of a product (`additionalFields` in a catalog): what the customer must fill in
/// (`title`, `type`, `regex`), or an account detail (`defaultValue`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FieldSpec {
    /// The field id, sent back as the `id` of a [`crate::models::FieldValue`].
    pub id: String,
    /// The label to show.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The value type.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub field_type: Option<FieldType>,
    /// The pattern a value must match (Java syntax; the documented ones, e.g.
    /// `^[0-9]{8,16}$`, mean the same in Rust's `regex`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regex: Option<String>,
    /// The default value (for account details, the detail itself).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_value: Option<String>,
    /// Fields not named above.
    #[serde(flatten)]
    pub extra: Extra,
}

impl FieldSpec {
    /// Checks a caller's value: not empty, digits only for a `NUMERIC` field, and matching
    /// `regex` when there is one. A regex the vendor sends that cannot be compiled rejects
    /// every value (better than sending an unchecked one).
    ///
    /// ```
    /// use eclipse_vas::models::FieldSpec;
    ///
    /// let spec: FieldSpec = serde_json::from_str(
    ///     r#"{"id":"msisdn","title":"Phone number","type":"NUMERIC","regex":"^[0-9]{8,16}$"}"#,
    /// ).unwrap();
    /// assert!(spec.validate("26771234567").is_ok());
    /// assert!(spec.validate("1234").is_err());
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidInput`] naming the field.
    pub fn validate(&self, value: &str) -> Result<()> {
        let field = format!("additionalFields.{}", self.id);
        if value.is_empty() {
            return Err(Error::invalid(field, "must not be empty"));
        }
        if self.field_type == Some(FieldType::Numeric) && !value.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(Error::invalid(field, "must contain digits only"));
        }
        if let Some(pattern) = &self.regex {
            let re = regex::Regex::new(pattern).map_err(|e| {
                Error::invalid(field.clone(), format!("the catalog's pattern cannot be used: {e}"))
            })?;
            if !re.is_match(value) {
                return Err(Error::invalid(field, format!("does not match {pattern}")));
            }
        }
        Ok(())
    }
}

macro_rules! wire_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $wire:literal,)* }) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $($(#[$vdoc])* $variant,)*
            /// A value this crate does not know yet, kept as received.
            Unknown(String),
        }

        impl $name {
            /// The value as written on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $wire,)*
                    $name::Unknown(s) => s,
                }
            }

            /// Reads a wire value; an unknown one becomes `Unknown`.
            pub fn from_wire(s: &str) -> Self {
                match s {
                    $($wire => $name::$variant,)*
                    other => $name::Unknown(other.to_string()),
                }
            }
        }

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                match self {
                    $name::Unknown(s) => write!(f, "Unknown({s:?})"),
                    other => f.write_str(other.as_str()),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
                <String as serde::Deserialize>::deserialize(deserializer).map(|s| Self::from_wire(&s))
            }
        }
    };
}
pub(crate) use wire_enum;

wire_enum!(
    /// A product type or category.
    ProductType {
        /// `AIRTIME`.
        Airtime = "AIRTIME",
        /// `DATA`.
        Data = "DATA",
        /// `SMS`.
        Sms = "SMS",
        /// `BILL`.
        Bill = "BILL",
    }
);

wire_enum!(
    /// The type of a product field.
    FieldType {
        /// `NUMERIC`: digits only.
        Numeric = "NUMERIC",
    }
);
