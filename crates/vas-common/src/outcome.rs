//! The one classification of a purchase's outcome that every vendor maps to.

use std::fmt;

/// What a purchase response (or a status query) tells about the purchase.
///
/// | outcome | meaning | what the caller may do |
/// | --- | --- | --- |
/// | `Delivered` | final success | give the customer the value (token, PIN) |
/// | `Failed` | final failure, documented as not charged or reversed | offer a new purchase |
/// | `Pending` | accepted, not final | ask for the status with the same reference |
/// | `Unknown` | the request may have reached the vendor but the answer does not tell | ask for the status with the same reference; never pay again with a new one |
///
/// Only `Delivered` and `Failed` are final. A timeout, a dropped connection, a 5xx, a body
/// that cannot be parsed and a code the vendor does not document are all `Unknown`, never
/// `Failed`: calling a delivered purchase failed refunds goods the customer received.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Outcome {
    /// Final success.
    Delivered,
    /// Final failure: the vendor says the purchase was not made, or was reversed.
    Failed,
    /// The vendor accepted the purchase and has not finished it.
    Pending,
    /// The purchase may or may not have happened; only a status query can tell.
    Unknown,
}

impl Outcome {
    /// `Delivered` or `Failed`: nothing more will change.
    pub fn is_final(self) -> bool {
        matches!(self, Outcome::Delivered | Outcome::Failed)
    }

    /// A lower-case name: `delivered`, `failed`, `pending`, `unknown`.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Delivered => "delivered",
            Outcome::Failed => "failed",
            Outcome::Pending => "pending",
            Outcome::Unknown => "unknown",
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_delivered_and_failed_are_final() {
        assert!(Outcome::Delivered.is_final());
        assert!(Outcome::Failed.is_final());
        assert!(!Outcome::Pending.is_final());
        assert!(!Outcome::Unknown.is_final());
        assert_eq!(Outcome::Unknown.to_string(), "unknown");
    }
}
