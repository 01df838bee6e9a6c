//! The vendors the façade speaks to.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::Error;

/// A VAS vendor.
///
/// Its lower-case name (`vtpass`, `eclipse`, `dtone`, `gsubz`) is what [`Display`](fmt::Display)
/// prints, what [`FromStr`] accepts, and what prefixes a [`PurchaseKey`](crate::PurchaseKey).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Vendor {
    /// VTpass (Nigeria).
    Vtpass,
    /// Ukheshe Eclipse (South Africa, Kenya, Uganda, Botswana).
    Eclipse,
    /// DT One Goods & Services (global).
    Dtone,
    /// GSUBZ (Nigeria).
    Gsubz,
}

impl Vendor {
    /// All vendors.
    pub const ALL: [Vendor; 4] = [Vendor::Vtpass, Vendor::Eclipse, Vendor::Dtone, Vendor::Gsubz];

    /// The lower-case name: `vtpass`, `eclipse`, `dtone`, `gsubz`.
    pub fn as_str(self) -> &'static str {
        match self {
            Vendor::Vtpass => "vtpass",
            Vendor::Eclipse => "eclipse",
            Vendor::Dtone => "dtone",
            Vendor::Gsubz => "gsubz",
        }
    }

    /// The vendor's own name, e.g. `DT One Goods & Services`.
    pub fn display_name(self) -> &'static str {
        match self {
            Vendor::Vtpass => "VTpass",
            Vendor::Eclipse => "Ukheshe Eclipse",
            Vendor::Dtone => "DT One Goods & Services",
            Vendor::Gsubz => "GSUBZ",
        }
    }
}

impl fmt::Display for Vendor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Vendor {
    type Err = Error;

    /// Accepts the lower-case name in any case.
    fn from_str(s: &str) -> Result<Self, Error> {
        Vendor::ALL.into_iter().find(|v| v.as_str().eq_ignore_ascii_case(s.trim())).ok_or_else(
            || {
                Error::caller_input(
                    "vendor",
                    format!("unknown vendor `{}`", crate::error::shown(s)),
                )
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for v in Vendor::ALL {
            assert_eq!(v.to_string().parse::<Vendor>().ok(), Some(v));
            assert_eq!(serde_json::to_value(v).ok(), Some(serde_json::json!(v.as_str())));
        }
        assert_eq!("DTone".parse::<Vendor>().ok(), Some(Vendor::Dtone));
        assert!("paystack".parse::<Vendor>().is_err());
    }
}
