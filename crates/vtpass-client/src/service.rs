//! Service ids (`serviceID`): which product a request is about.

use std::borrow::Cow;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{Error, Result};

/// A VTpass `serviceID` such as `spectranet`, `mtn-data` or `ikeja-electric`.
///
/// Every endpoint takes a `ServiceId`, so any VTpass service works, including ones without a
/// constant here: `ServiceId::new("foo-bar")?`. An id is never empty and has no white space.
///
/// ```
/// use vtpass_client::ServiceId;
///
/// assert_eq!(ServiceId::SPECTRANET.as_str(), "spectranet");
/// assert_eq!(ServiceId::new("mtn-data").unwrap(), ServiceId::MTN_DATA);
/// assert!(ServiceId::new(" ").is_err());
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ServiceId(Cow<'static, str>);

impl ServiceId {
    /// Spectranet internet subscriptions.
    pub const SPECTRANET: Self = Self::from_static("spectranet");
    /// 9mobile (formerly Etisalat) data bundles.
    pub const ETISALAT_DATA: Self = Self::from_static("etisalat-data");
    /// Smile data bundles.
    pub const SMILE_DIRECT: Self = Self::from_static("smile-direct");
    /// MTN airtime.
    pub const MTN: Self = Self::from_static("mtn");
    /// Airtel airtime.
    pub const AIRTEL: Self = Self::from_static("airtel");
    /// Glo airtime.
    pub const GLO: Self = Self::from_static("glo");
    /// 9mobile airtime.
    pub const ETISALAT: Self = Self::from_static("etisalat");
    /// MTN data bundles.
    pub const MTN_DATA: Self = Self::from_static("mtn-data");
    /// Airtel data bundles.
    pub const AIRTEL_DATA: Self = Self::from_static("airtel-data");
    /// Glo data bundles.
    pub const GLO_DATA: Self = Self::from_static("glo-data");
    /// DStv subscriptions (pay adds `subscription_type`).
    pub const DSTV: Self = Self::from_static("dstv");
    /// GOtv subscriptions (pay adds `subscription_type`).
    pub const GOTV: Self = Self::from_static("gotv");
    /// StarTimes subscriptions.
    pub const STARTIMES: Self = Self::from_static("startimes");
    /// Showmax subscriptions.
    pub const SHOWMAX: Self = Self::from_static("showmax");
    /// Ikeja Electric (IKEDC).
    pub const IKEJA_ELECTRIC: Self = Self::from_static("ikeja-electric");
    /// Eko Electric (EKEDC).
    pub const EKO_ELECTRIC: Self = Self::from_static("eko-electric");
    /// Kano Electric (KEDCO).
    pub const KANO_ELECTRIC: Self = Self::from_static("kano-electric");
    /// Port Harcourt Electric (PHED).
    pub const PORTHARCOURT_ELECTRIC: Self = Self::from_static("portharcourt-electric");
    /// Jos Electric (JED).
    pub const JOS_ELECTRIC: Self = Self::from_static("jos-electric");
    /// Ibadan Electric (IBEDC).
    pub const IBADAN_ELECTRIC: Self = Self::from_static("ibadan-electric");
    /// Kaduna Electric (KAEDCO).
    pub const KADUNA_ELECTRIC: Self = Self::from_static("kaduna-electric");
    /// Abuja Electric (AEDC).
    pub const ABUJA_ELECTRIC: Self = Self::from_static("abuja-electric");
    /// Enugu Electric (EEDC).
    pub const ENUGU_ELECTRIC: Self = Self::from_static("enugu-electric");
    /// Benin Electric (BEDC).
    pub const BENIN_ELECTRIC: Self = Self::from_static("benin-electric");
    /// Aba Electric.
    pub const ABA_ELECTRIC: Self = Self::from_static("aba-electric");
    /// Yola Electric (YEDC).
    pub const YOLA_ELECTRIC: Self = Self::from_static("yola-electric");

    /// A service id known at compile time. It must be non-empty and without white space;
    /// prefer [`ServiceId::new`] for ids that come from outside.
    pub const fn from_static(id: &'static str) -> Self {
        Self(Cow::Borrowed(id))
    }

    /// A service id, checked: not empty, no white space or control characters.
    pub fn new(id: impl Into<String>) -> Result<Self> {
        let id = id.into();
        Self::check(&id)?;
        Ok(Self(Cow::Owned(id)))
    }

    pub(crate) fn check(id: &str) -> Result<()> {
        if id.is_empty() {
            return Err(Error::invalid("serviceID", "must not be empty"));
        }
        if id.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(Error::invalid("serviceID", "must not contain white space"));
        }
        Ok(())
    }

    /// The id as sent on the wire.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ServiceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ServiceId({:?})", self.as_str())
    }
}

impl fmt::Display for ServiceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for ServiceId {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Self::new(s)
    }
}

impl Serialize for ServiceId {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ServiceId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        Ok(Self(Cow::Owned(s)))
    }
}
