//! Wire types, faithful to GSUBZ's JSON and form fields (typos included).
//!
//! - [`catalog`]: categories, a service's fields (with their `regExp`), plans and variations.
//! - [`pay`]: the purchase request (flexible and fixed) and the purchase/verify answer.
//! - [`codes`]: response codes, transaction statuses and product types.
//! - [`balance`]: the balance request and both answer shapes.
//! - [`customer`]: the newer API's customer verification.

/// A string enum with an `Unknown(String)` variant that keeps unseen values.
macro_rules! wire_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $wire:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value this crate does not know, kept as sent.
            Unknown(String),
        }

        impl $name {
            /// The value as GSUBZ spells it.
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $wire, )+
                    $name::Unknown(s) => s,
                }
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                match s {
                    $( $wire => $name::$variant, )+
                    other => $name::Unknown(other.to_owned()),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                Ok($name::from(s.as_ref()))
            }
        }
    };
}

pub mod balance;
pub mod catalog;
pub mod codes;
pub mod customer;
pub mod pay;

pub use balance::{Balance, BalanceContent, BalanceRequest};
pub use catalog::{Category, CategoryName, Field, FieldType, Plan, Plans, ServiceFields};
pub use codes::{ProductType, ResponseCode, TransactionStatus};
pub use customer::{CustomerInfo, VerifyCustomerRequest};
pub use pay::{Gateway, PayContent, PayRequest, PayRequestBuilder, PayResponse, VerifyRequest};
