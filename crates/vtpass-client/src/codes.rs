//! VTpass response codes and transaction statuses.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use vas_common::WireText;

macro_rules! response_codes {
    ($( $(#[$doc:meta])* $variant:ident = $code:literal, )*) => {
        /// A VTpass response code (the `code` field), as documented.
        ///
        /// Codes the documentation does not list are kept in [`ResponseCode::Unknown`]; what
        /// each code means for a purchase is decided by [`crate::classify_pay`] and
        /// [`crate::classify_requery`].
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ResponseCode {
            $( $(#[$doc])* $variant, )*
            /// A code the documentation does not list, as received.
            Unknown(String),
        }

        impl ResponseCode {
            /// Every documented code, in the order of the documentation.
            pub const ALL: &'static [ResponseCode] = &[$( ResponseCode::$variant, )*];

            /// The code as sent on the wire (`"000"`).
            pub fn as_str(&self) -> &str {
                match self {
                    $( ResponseCode::$variant => $code, )*
                    ResponseCode::Unknown(s) => s,
                }
            }

            /// Reads a code from its text. A code of one or two digits is padded to three
            /// (`16` is `016`), because some responses send the code as a JSON number.
            pub fn parse(text: &str) -> Self {
                let t = text.trim();
                let padded;
                let t = if !t.is_empty() && t.len() < 3 && t.bytes().all(|b| b.is_ascii_digit()) {
                    padded = format!("{t:0>3}");
                    padded.as_str()
                } else {
                    t
                };
                match t {
                    $( $code => ResponseCode::$variant, )*
                    other => ResponseCode::Unknown(other.to_owned()),
                }
            }
        }
    };
}

response_codes! {
    /// `000`: the request was processed; the transaction status tells the outcome.
    TransactionProcessed = "000",
    /// `099`: the transaction is processing; requery.
    TransactionProcessing = "099",
    /// `089`: the request is processing; requery.
    RequestProcessing = "089",
    /// `001`: transaction query.
    TransactionQuery = "001",
    /// `014`: a transaction with this request id already exists.
    RequestIdAlreadyExists = "014",
    /// `016`: the transaction failed (final).
    TransactionFailed = "016",
    /// `091`: the transaction was not processed and not charged (final).
    TransactionNotProcessed = "091",
    /// `010`: the variation code does not exist.
    VariationCodeDoesNotExist = "010",
    /// `011`: invalid arguments.
    InvalidArguments = "011",
    /// `012`: the product does not exist.
    ProductDoesNotExist = "012",
    /// `013`: the amount is below the minimum.
    BelowMinimumAmount = "013",
    /// `017`: the amount is above the maximum.
    AboveMaximumAmount = "017",
    /// `031`: the quantity is below the minimum.
    BelowMinimumQuantity = "031",
    /// `032`: the quantity is above the maximum.
    AboveMaximumQuantity = "032",
    /// `015`: invalid request id (for a requery: no transaction has this request id).
    InvalidRequestId = "015",
    /// `018`: the wallet balance is too low.
    LowWalletBalance = "018",
    /// `019`: likely a duplicate (same biller within 30 seconds).
    LikelyDuplicateTransaction = "019",
    /// `020`: the biller code was confirmed (merchant verification).
    BillerConfirmed = "020",
    /// `021`: the account is locked.
    AccountLocked = "021",
    /// `022`: the account is suspended.
    AccountSuspended = "022",
    /// `023`: the account has no API access.
    ApiAccessNotEnabled = "023",
    /// `024`: the account is inactive.
    AccountInactive = "024",
    /// `025`: invalid recipient bank code.
    InvalidBankCode = "025",
    /// `026`: the recipient account could not be verified.
    AccountNotVerified = "026",
    /// `027`: the caller's IP address is not whitelisted.
    IpNotWhitelisted = "027",
    /// `028`: the product is not whitelisted for the account.
    ProductNotWhitelisted = "028",
    /// `030`: the biller cannot be reached.
    BillerNotReachable = "030",
    /// `034`: the service is suspended.
    ServiceSuspended = "034",
    /// `035`: the service is inactive.
    ServiceInactive = "035",
    /// `040`: the transaction was reversed (the wallet was refunded).
    TransactionReversal = "040",
    /// `044`: the transaction was resolved (by VTpass support).
    TransactionResolved = "044",
    /// `083`: system error.
    SystemError = "083",
    /// `085`: improper request id.
    ImproperRequestId = "085",
    /// `087`: invalid credentials.
    InvalidCredentials = "087",
}

impl ResponseCode {
    /// Reads the code from the wire value (string or number).
    pub fn from_wire(text: &WireText) -> Self {
        Self::parse(text.as_str())
    }

    /// Codes that refuse a purchase before it is processed: nothing was charged.
    pub fn is_rejection(&self) -> bool {
        use ResponseCode::*;
        matches!(
            self,
            VariationCodeDoesNotExist
                | InvalidArguments
                | ProductDoesNotExist
                | BelowMinimumAmount
                | AboveMaximumAmount
                | BelowMinimumQuantity
                | AboveMaximumQuantity
                | InvalidRequestId
                | LowWalletBalance
                | LikelyDuplicateTransaction
                | AccountLocked
                | AccountSuspended
                | ApiAccessNotEnabled
                | AccountInactive
                | InvalidBankCode
                | AccountNotVerified
                | IpNotWhitelisted
                | ProductNotWhitelisted
                | BillerNotReachable
                | ServiceSuspended
                | ServiceInactive
                | ImproperRequestId
                | InvalidCredentials
        )
    }
}

impl fmt::Display for ResponseCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<&str> for ResponseCode {
    fn from(s: &str) -> Self {
        Self::parse(s)
    }
}

impl Serialize for ResponseCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ResponseCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        WireText::deserialize(deserializer).map(|t| Self::from_wire(&t))
    }
}

/// The status of a transaction (`content.transactions.status`). Only `delivered` is success.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransactionStatus {
    /// `initiated`: not final.
    Initiated,
    /// `pending`: not final.
    Pending,
    /// `delivered`: final success.
    Delivered,
    /// `reversed`: the wallet was refunded (final failure).
    Reversed,
    /// `resolved`: VTpass support resolved the transaction; check with VTpass.
    Resolved,
    /// `failed`: final failure.
    Failed,
    /// A status the documentation does not list, as received.
    Unknown(String),
}

impl TransactionStatus {
    /// The status as sent on the wire.
    pub fn as_str(&self) -> &str {
        match self {
            TransactionStatus::Initiated => "initiated",
            TransactionStatus::Pending => "pending",
            TransactionStatus::Delivered => "delivered",
            TransactionStatus::Reversed => "reversed",
            TransactionStatus::Resolved => "resolved",
            TransactionStatus::Failed => "failed",
            TransactionStatus::Unknown(s) => s,
        }
    }

    /// Reads a status; letter case is ignored.
    pub fn parse(text: &str) -> Self {
        match text.trim().to_ascii_lowercase().as_str() {
            "initiated" => TransactionStatus::Initiated,
            "pending" => TransactionStatus::Pending,
            "delivered" => TransactionStatus::Delivered,
            "reversed" => TransactionStatus::Reversed,
            "resolved" => TransactionStatus::Resolved,
            "failed" => TransactionStatus::Failed,
            _ => TransactionStatus::Unknown(text.to_owned()),
        }
    }
}

impl fmt::Display for TransactionStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for TransactionStatus {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for TransactionStatus {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        Ok(Self::parse(&s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_round_trips_and_unknown_survives() {
        assert_eq!(ResponseCode::ALL.len(), 34);
        for c in ResponseCode::ALL {
            assert_eq!(&ResponseCode::parse(c.as_str()), c);
        }
        assert_eq!(ResponseCode::parse("16"), ResponseCode::TransactionFailed);
        assert_eq!(ResponseCode::parse("777"), ResponseCode::Unknown("777".into()));
        let c: ResponseCode = serde_json::from_str("0").unwrap();
        assert_eq!(c, ResponseCode::TransactionProcessed);
        assert_eq!(serde_json::to_string(&ResponseCode::Unknown("X1".into())).unwrap(), "\"X1\"");
    }

    #[test]
    fn statuses_parse_and_keep_unknown_text() {
        assert_eq!(TransactionStatus::parse("Delivered"), TransactionStatus::Delivered);
        let s: TransactionStatus = serde_json::from_str("\"on-hold\"").unwrap();
        assert_eq!(s, TransactionStatus::Unknown("on-hold".into()));
        assert_eq!(serde_json::to_string(&s).unwrap(), "\"on-hold\"");
    }
}
