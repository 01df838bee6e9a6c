//! Identifiers: tenants, customers, payments, wallets and VAS partners.
//!
//! Tenant, customer and payment ids go into URL paths, so they are checked before any request
//! is built: not empty, at most 64 characters, and only ASCII letters, digits, `-` and `_`.
//! The ids keep the JSON form the vendor used (a number in every documented response) so that a
//! decoded payment re-encodes to what was received.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use vas_common::WireText;

use crate::error::{Error, Result};

/// Checks a value that goes into a URL path segment.
pub(crate) fn check_path_id(field: &'static str, value: &str) -> Result<()> {
    if value.is_empty() {
        return Err(Error::invalid(field, "must not be empty"));
    }
    if value.len() > 64 {
        return Err(Error::invalid(field, "must be at most 64 characters"));
    }
    if !value.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
        return Err(Error::invalid(field, "may contain only ASCII letters, digits, `-` and `_`"));
    }
    Ok(())
}

macro_rules! path_id {
    ($(#[$doc:meta])* $name:ident, $field:literal) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, Hash)]
        pub struct $name(WireText);

        impl $name {
            /// Checks and wraps an id given as text (sent as a JSON string when it is ever
            /// written into a body).
            ///
            /// # Errors
            /// [`Error::InvalidInput`] when the id is empty, longer than 64 characters or
            /// contains anything but ASCII letters, digits, `-` and `_`.
            pub fn new(id: impl Into<String>) -> Result<Self> {
                let id = id.into();
                check_path_id($field, &id)?;
                Ok(Self(WireText::text(id)))
            }

            /// The id as text, as it goes into a URL path.
            pub fn as_str(&self) -> &str {
                self.0.as_str()
            }

            /// The id as a number, when it is one (every documented id is).
            pub fn as_u64(&self) -> Option<u64> {
                self.0.as_u64()
            }
        }

        impl From<u64> for $name {
            fn from(id: u64) -> Self {
                Self(WireText::number(id))
            }
        }

        impl std::str::FromStr for $name {
            type Err = Error;
            fn from_str(s: &str) -> Result<Self> {
                Self::new(s)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
                self.0.serialize(serializer)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
                let text = WireText::deserialize(deserializer)?;
                check_path_id($field, text.as_str()).map_err(serde::de::Error::custom)?;
                if text.is_number() && text.as_u64().is_none() {
                    return Err(serde::de::Error::custom(concat!(
                        $field,
                        " must be a whole number of at least 0"
                    )));
                }
                Ok(Self(text))
            }
        }
    };
}

path_id!(
    /// A tenant id (`/tenants/{tenantId}/…`), e.g. `6658`.
    ///
    /// ```
    /// use eclipse_vas::TenantId;
    /// assert_eq!(TenantId::from(6658).as_str(), "6658");
    /// assert!(TenantId::new("").is_err());
    /// ```
    TenantId,
    "tenantId"
);
path_id!(
    /// A customer id (`/customers/{customerId}/payments`), e.g. `184132`. For a customer who
    /// logged in, it is the `uid` claim of the JWT ([`crate::Client::customer_id`]).
    CustomerId,
    "customerId"
);
path_id!(
    /// A payment id (`paymentId` in a payment, `/payments/{paymentId}`), e.g. `172565`.
    PaymentId,
    "paymentId"
);

/// A wallet id (`walletId`): the wallet paid from, e.g. `830989`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct WalletId(pub u64);

impl fmt::Display for WalletId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A VAS partner id (`partnerId`): the first part of every `paymentData` and `catalogQuery`.
///
/// The partners named in the documentation are constants. Scan to Pay and ACS are providers,
/// not partners: their catalogs list the mobile networks ([`PartnerId::MTN`],
/// [`PartnerId::VODACOM`]) as partners.
///
/// ```
/// use eclipse_vas::PartnerId;
/// assert_eq!(PartnerId::KGANYA.get(), 16);
/// assert_eq!(PartnerId::DTB_UGANDA.name(), Some("DTB Uganda"));
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PartnerId(pub u32);

impl PartnerId {
    /// MTN South Africa (airtime, data, SMS through Scan to Pay or ACS).
    pub const MTN: Self = Self(4);
    /// Vodacom (airtime, data, SMS through Scan to Pay or ACS).
    pub const VODACOM: Self = Self(5);
    /// Pay@ bill payments. The documentation's prose once says 13; its `paymentData`
    /// example (`14_14577`) and the tenant config (`destination.wallet.config.VAS.14`) say 14.
    pub const PAY_AT: Self = Self(14);
    /// EasyPay bills, airtime, SMS and data.
    pub const EASYPAY: Self = Self(15);
    /// Kganya bills and data.
    pub const KGANYA: Self = Self(16);
    /// Cellulant (global): bills, airtime, data.
    pub const CELLULANT: Self = Self(17);
    /// Diamond Trust Bank Kenya: KRA tax (`ETAX`) and the local VAS catalog.
    pub const DTB_KENYA: Self = Self(19);
    /// FrontierWeb Services (Botswana).
    pub const FRONTIERWEB: Self = Self(20);
    /// Diamond Trust Bank Uganda: NWSC water, UMEME electricity, URA tax, MTN wallet top-up.
    pub const DTB_UGANDA: Self = Self(21);

    /// Every partner named in the documentation.
    pub const KNOWN: [Self; 9] = [
        Self::MTN,
        Self::VODACOM,
        Self::PAY_AT,
        Self::EASYPAY,
        Self::KGANYA,
        Self::CELLULANT,
        Self::DTB_KENYA,
        Self::FRONTIERWEB,
        Self::DTB_UGANDA,
    ];

    /// The number.
    pub fn get(self) -> u32 {
        self.0
    }

    /// A readable name for a documented partner.
    pub fn name(self) -> Option<&'static str> {
        Some(match self.0 {
            4 => "MTN",
            5 => "Vodacom",
            14 => "Pay@",
            15 => "EasyPay",
            16 => "Kganya",
            17 => "Cellulant",
            19 => "DTB Kenya",
            20 => "FrontierWeb Services",
            21 => "DTB Uganda",
            _ => return None,
        })
    }
}

impl From<u32> for PartnerId {
    fn from(id: u32) -> Self {
        Self(id)
    }
}

impl fmt::Display for PartnerId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl fmt::Debug for PartnerId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(name) => write!(f, "PartnerId({} {name})", self.0),
            None => write!(f, "PartnerId({})", self.0),
        }
    }
}
