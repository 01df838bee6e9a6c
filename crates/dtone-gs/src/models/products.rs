//! Products: the six-key product lists, suggested values and account number verification.

use std::fmt;
use std::ops::Deref;

use serde::{Deserialize, Serialize, Serializer};
use vas_common::{WireDecimal, WireText};

use super::Extra;

/// What a product does for the beneficiary.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ProductType {
    /// The beneficiary receives a voucher or PIN code, usually by SMS.
    Vouchers,
    /// The beneficiary's account is recharged in real time.
    Recharges,
    /// A bill of the beneficiary is paid in real time.
    Payments,
}

impl ProductType {
    /// `vouchers`, `recharges` or `payments`.
    pub fn as_str(self) -> &'static str {
        match self {
            ProductType::Vouchers => "vouchers",
            ProductType::Recharges => "recharges",
            ProductType::Payments => "payments",
        }
    }
}

impl fmt::Display for ProductType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The key a product is listed under: fixed or variable value, times its [`ProductType`].
///
/// The vendor's prose names four categories; its product lists have six keys, all modelled
/// here. The key is also the path segment of the transaction endpoints
/// (`transactions/fixed_value_vouchers`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ProductCategory {
    /// `fixed_value_vouchers`: a denomination; a PIN is sent to the user.
    FixedValueVouchers,
    /// `fixed_value_recharges`: a recharge of a pre-defined value.
    FixedValueRecharges,
    /// `fixed_value_payments`.
    FixedValuePayments,
    /// `variable_value_vouchers`.
    VariableValueVouchers,
    /// `variable_value_recharges`: a recharge of any valid amount (one product per operator).
    VariableValueRecharges,
    /// `variable_value_payments`: the amount to pay is retrieved first; full payment only.
    VariableValuePayments,
}

impl ProductCategory {
    /// The six categories, in the vendor's key order.
    pub const ALL: [ProductCategory; 6] = [
        ProductCategory::FixedValueVouchers,
        ProductCategory::FixedValueRecharges,
        ProductCategory::FixedValuePayments,
        ProductCategory::VariableValueVouchers,
        ProductCategory::VariableValueRecharges,
        ProductCategory::VariableValuePayments,
    ];

    /// The vendor's key, e.g. `fixed_value_recharges`.
    pub fn as_str(self) -> &'static str {
        match self {
            ProductCategory::FixedValueVouchers => "fixed_value_vouchers",
            ProductCategory::FixedValueRecharges => "fixed_value_recharges",
            ProductCategory::FixedValuePayments => "fixed_value_payments",
            ProductCategory::VariableValueVouchers => "variable_value_vouchers",
            ProductCategory::VariableValueRecharges => "variable_value_recharges",
            ProductCategory::VariableValuePayments => "variable_value_payments",
        }
    }

    /// The category for a vendor key.
    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == key)
    }

    /// Vouchers, recharges or payments.
    pub fn product_type(self) -> ProductType {
        match self {
            ProductCategory::FixedValueVouchers | ProductCategory::VariableValueVouchers => {
                ProductType::Vouchers
            }
            ProductCategory::FixedValueRecharges | ProductCategory::VariableValueRecharges => {
                ProductType::Recharges
            }
            ProductCategory::FixedValuePayments | ProductCategory::VariableValuePayments => {
                ProductType::Payments
            }
        }
    }

    /// Whether the product has a pre-defined value.
    pub fn is_fixed_value(self) -> bool {
        matches!(
            self,
            ProductCategory::FixedValueVouchers
                | ProductCategory::FixedValueRecharges
                | ProductCategory::FixedValuePayments
        )
    }
}

impl fmt::Display for ProductCategory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A product's fields, as the vendor sends them.
///
/// Prices are exact decimals that remember their wire form (numbers here). Only the id is
/// required: the excerpt documents fixed value products, and variable value products may
/// leave fields out.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProductInfo {
    /// The product id, used to buy it.
    #[serde(with = "super::id")]
    pub product_id: u64,
    /// The product's name, e.g. `$14 Basic`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_name: Option<String>,
    /// A short description (spelled as the vendor spells it, typos included).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_short_desc: Option<String>,
    /// The operator id.
    #[serde(default, with = "super::id::opt", skip_serializing_if = "Option::is_none")]
    pub operator_id: Option<u64>,
    /// The operator's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operator: Option<String>,
    /// The country id.
    #[serde(default, with = "super::id::opt", skip_serializing_if = "Option::is_none")]
    pub country_id: Option<u64>,
    /// The country's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// The service id.
    #[serde(default, with = "super::id::opt", skip_serializing_if = "Option::is_none")]
    pub service_id: Option<u64>,
    /// The service's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    /// The face value, in `product_currency`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_value: Option<WireDecimal>,
    /// The currency of `product_value`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_currency: Option<String>,
    /// The value received, in `local_currency`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub local_value: Option<WireDecimal>,
    /// The currency of `local_value`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub local_currency: Option<String>,
    /// The currency of the prices below (the account's currency).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_currency: Option<String>,
    /// What the account is debited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wholesale_price: Option<WireDecimal>,
    /// The recommended retail price.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retail_price: Option<WireDecimal>,
    /// The fee.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fee: Option<WireDecimal>,
    /// Any other field, kept as sent.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A product together with the key it was listed under.
///
/// Dereferences to its [`ProductInfo`], so `product.retail_price` reads the wire field.
/// Encodes as the vendor's product object (the category is the key of the list, not a field).
#[derive(Clone, Debug, PartialEq)]
pub struct Product {
    category: ProductCategory,
    info: ProductInfo,
}

impl Product {
    /// A product of `category`.
    pub fn new(category: ProductCategory, info: ProductInfo) -> Self {
        Self { category, info }
    }

    /// The key the product was listed under.
    pub fn category(&self) -> ProductCategory {
        self.category
    }

    /// Vouchers, recharges or payments.
    pub fn product_type(&self) -> ProductType {
        self.category.product_type()
    }

    /// The wire fields.
    pub fn info(&self) -> &ProductInfo {
        &self.info
    }

    /// The wire fields, by value.
    pub fn into_info(self) -> ProductInfo {
        self.info
    }
}

impl Deref for Product {
    type Target = ProductInfo;

    fn deref(&self) -> &ProductInfo {
        &self.info
    }
}

impl Serialize for Product {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.info.serialize(serializer)
    }
}

/// The answer of every product discovery call: products grouped under six keys.
///
/// Each [`Product`] knows its [`ProductCategory`] (and so its [`ProductType`]). A missing key
/// decodes as an empty list; keys this crate does not know are kept in `extra`.
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
#[serde(from = "RawProductList")]
pub struct ProductList {
    /// `fixed_value_vouchers`.
    pub fixed_value_vouchers: Vec<Product>,
    /// `fixed_value_recharges`.
    pub fixed_value_recharges: Vec<Product>,
    /// `fixed_value_payments`.
    pub fixed_value_payments: Vec<Product>,
    /// `variable_value_vouchers`.
    pub variable_value_vouchers: Vec<Product>,
    /// `variable_value_recharges`.
    pub variable_value_recharges: Vec<Product>,
    /// `variable_value_payments`.
    pub variable_value_payments: Vec<Product>,
    /// Any other key, kept as sent.
    #[serde(flatten)]
    pub extra: Extra,
}

#[derive(Deserialize)]
struct RawProductList {
    #[serde(default)]
    fixed_value_vouchers: Vec<ProductInfo>,
    #[serde(default)]
    fixed_value_recharges: Vec<ProductInfo>,
    #[serde(default)]
    fixed_value_payments: Vec<ProductInfo>,
    #[serde(default)]
    variable_value_vouchers: Vec<ProductInfo>,
    #[serde(default)]
    variable_value_recharges: Vec<ProductInfo>,
    #[serde(default)]
    variable_value_payments: Vec<ProductInfo>,
    #[serde(flatten)]
    extra: Extra,
}

impl From<RawProductList> for ProductList {
    fn from(raw: RawProductList) -> Self {
        use ProductCategory::*;
        let tag = |category, list: Vec<ProductInfo>| {
            list.into_iter().map(|info| Product { category, info }).collect()
        };
        ProductList {
            fixed_value_vouchers: tag(FixedValueVouchers, raw.fixed_value_vouchers),
            fixed_value_recharges: tag(FixedValueRecharges, raw.fixed_value_recharges),
            fixed_value_payments: tag(FixedValuePayments, raw.fixed_value_payments),
            variable_value_vouchers: tag(VariableValueVouchers, raw.variable_value_vouchers),
            variable_value_recharges: tag(VariableValueRecharges, raw.variable_value_recharges),
            variable_value_payments: tag(VariableValuePayments, raw.variable_value_payments),
            extra: raw.extra,
        }
    }
}

impl ProductList {
    /// The products listed under `category`.
    pub fn by_category(&self, category: ProductCategory) -> &[Product] {
        match category {
            ProductCategory::FixedValueVouchers => &self.fixed_value_vouchers,
            ProductCategory::FixedValueRecharges => &self.fixed_value_recharges,
            ProductCategory::FixedValuePayments => &self.fixed_value_payments,
            ProductCategory::VariableValueVouchers => &self.variable_value_vouchers,
            ProductCategory::VariableValueRecharges => &self.variable_value_recharges,
            ProductCategory::VariableValuePayments => &self.variable_value_payments,
        }
    }

    /// Every product, category by category in the vendor's key order.
    pub fn iter(&self) -> impl Iterator<Item = &Product> + '_ {
        ProductCategory::ALL.into_iter().flat_map(move |c| self.by_category(c).iter())
    }

    /// The products of one [`ProductType`] (fixed and variable value).
    pub fn of_type(&self, product_type: ProductType) -> impl Iterator<Item = &Product> + '_ {
        self.iter().filter(move |p| p.product_type() == product_type)
    }

    /// The product with `product_id`, if listed.
    pub fn find(&self, product_id: u64) -> Option<&Product> {
        self.iter().find(|p| p.product_id == product_id)
    }

    /// How many products are listed.
    pub fn len(&self) -> usize {
        ProductCategory::ALL.iter().map(|c| self.by_category(*c).len()).sum()
    }

    /// Whether no product is listed.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// One suggested value of a variable value recharge product.
///
/// The vendor sends its prices as strings (`"0.14"`) and the local value and fee as numbers;
/// both are decoded exactly and written back in the form they came in.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SuggestedValue {
    /// The value received, in `local_currency`.
    pub local_value: WireDecimal,
    /// The currency of `local_value`.
    pub local_currency: String,
    /// The plan's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The plan's description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Extra information, e.g. `type:2G Plan`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub additional_info_1: Option<String>,
    /// Extra information, e.g. `validity:1 Day`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub additional_info_2: Option<String>,
    /// Extra information, e.g. `data_amount:50 MB`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub additional_info_3: Option<String>,
    /// What the account is debited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wholesale_price: Option<WireDecimal>,
    /// The recommended retail price.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retail_price: Option<WireDecimal>,
    /// The fee.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fee: Option<WireDecimal>,
    /// Any other field, kept as sent.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `GET product/variable_value_recharges/{product_id}/suggested_values`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SuggestedValues {
    /// The suggested values.
    #[serde(default)]
    pub suggested_values: Vec<SuggestedValue>,
    /// Any other field, kept as sent.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The HTTP 200 body of `GET products/{product_id}/account_number/{account_number}/status`:
/// `{"verified":1}` or `{"verified":0}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AccountStatus {
    /// `1` when the account number is valid, `0` when not.
    pub verified: WireText,
    /// Any other field, kept as sent.
    #[serde(flatten)]
    pub extra: Extra,
}

impl AccountStatus {
    /// `Some(true)` for `1`, `Some(false)` for `0`, `None` for anything else.
    pub fn is_verified(&self) -> Option<bool> {
        match self.verified.as_str().trim() {
            "1" | "true" => Some(true),
            "0" | "false" => Some(false),
            _ => None,
        }
    }
}

/// The answer to an account number verification.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AccountVerification {
    /// `verified: 1`: the account number is valid for the product.
    Valid,
    /// `verified: 0`: the account number is not valid for the product.
    Invalid,
    /// Error `1000304` (HTTP 400): the product does not offer account verification. This is
    /// an answer, not a failure: the purchase can still be made.
    NotAvailable {
        /// The vendor's message.
        message: String,
    },
}

impl AccountVerification {
    /// `Some(true)` when valid, `Some(false)` when invalid, `None` when verification is not
    /// available for the product.
    pub fn is_valid(&self) -> Option<bool> {
        match self {
            AccountVerification::Valid => Some(true),
            AccountVerification::Invalid => Some(false),
            AccountVerification::NotAvailable { .. } => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_map_to_keys_and_types() {
        for c in ProductCategory::ALL {
            assert_eq!(ProductCategory::from_key(c.as_str()), Some(c));
        }
        assert_eq!(ProductCategory::VariableValuePayments.product_type(), ProductType::Payments);
        assert!(!ProductCategory::VariableValueVouchers.is_fixed_value());
        assert_eq!(ProductCategory::from_key("fixed_value"), None);
    }

    #[test]
    fn missing_keys_are_empty_and_unknown_keys_kept() {
        let list: ProductList = serde_json::from_str(
            r#"{"variable_value_recharges":[{"product_id":"7"}],"bundles":[1]}"#,
        )
        .unwrap();
        assert_eq!(list.len(), 1);
        let p = list.find(7).unwrap();
        assert_eq!(p.category(), ProductCategory::VariableValueRecharges);
        assert_eq!(p.product_type(), ProductType::Recharges);
        assert_eq!(list.extra["bundles"], serde_json::json!([1]));
    }
}
