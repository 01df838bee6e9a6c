//! Transactions: creating fixed value vouchers and recharges, and looking them up.

use std::fmt;

use rand::RngExt as _;
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use vas_common::{Outcome, WireDecimal, WireText};

use super::Extra;
use super::products::ProductCategory;
use crate::error::{Error, ErrorCode};

/// The longest external id the vendor accepts.
pub const MAX_EXTERNAL_ID_LEN: usize = 40;

/// A fresh external id: 32 random lower-case hex digits.
///
/// Generate it, store it with the order, then send the purchase: the id is what finds the
/// transaction again after a timeout.
pub fn generate_external_id() -> String {
    let n: u128 = rand::rng().random();
    format!("{n:032x}")
}

/// Checks an external id: 1 to 40 characters, each an ASCII letter, digit, `-`, `_` or `.`.
///
/// The character set is this crate's rule, not the vendor's: the id is part of the lookup
/// URL (`transactions/{type}/ext-{external_id}`), so it is kept to characters that never need
/// escaping there.
pub fn validate_external_id(external_id: &str) -> Result<(), Error> {
    if external_id.is_empty() {
        return Err(Error::invalid("external_id", "must not be empty"));
    }
    let len = external_id.chars().count();
    if len > MAX_EXTERNAL_ID_LEN {
        return Err(Error::invalid(
            "external_id",
            format!("is {len} characters long; at most {MAX_EXTERNAL_ID_LEN} are allowed"),
        ));
    }
    if let Some(c) =
        external_id.chars().find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
    {
        return Err(Error::invalid(
            "external_id",
            format!("contains {c:?}; use ASCII letters, digits, '-', '_' and '.'"),
        ));
    }
    Ok(())
}

/// Checks an account number (phone number, smart card number, meter number…): not empty, at
/// most 64 characters, no white space or control characters.
pub fn validate_account_number(account_number: &str) -> Result<(), Error> {
    if account_number.is_empty() {
        return Err(Error::invalid("account_number", "must not be empty"));
    }
    if account_number.chars().count() > 64 {
        return Err(Error::invalid("account_number", "is longer than 64 characters"));
    }
    if account_number.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(Error::invalid(
            "account_number",
            "must not contain white space or control characters",
        ));
    }
    Ok(())
}

/// A `0`/`1` flag, sent as the strings `"0"` and `"1"` (as the vendor's public client code
/// sends them); read from `0`/`1`, `"0"`/`"1"` or `false`/`true`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Flag(pub bool);

impl Serialize for Flag {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(if self.0 { "1" } else { "0" })
    }
}

struct FlagVisitor;

impl Visitor<'_> for FlagVisitor {
    type Value = Flag;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("0, 1, \"0\", \"1\", false or true")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Flag, E> {
        Ok(Flag(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Flag, E> {
        match v {
            0 => Ok(Flag(false)),
            1 => Ok(Flag(true)),
            _ => Err(E::custom(format!("{v} is not a 0/1 flag"))),
        }
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Flag, E> {
        u64::try_from(v)
            .map_err(|_| E::custom(format!("{v} is not a 0/1 flag")))
            .and_then(|v| self.visit_u64(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Flag, E> {
        match v.trim() {
            "0" | "false" => Ok(Flag(false)),
            "1" | "true" => Ok(Flag(true)),
            _ => Err(E::custom(format!("{v:?} is not a 0/1 flag"))),
        }
    }
}

impl<'de> Deserialize<'de> for Flag {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(FlagVisitor)
    }
}

/// The sender or the recipient of a transaction.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Party {
    /// Last name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// Middle name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub middle_name: Option<String>,
    /// First name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// E-mail address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Mobile number, digits with an optional leading `+`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mobile: Option<String>,
}

impl Party {
    /// A party known by its mobile number.
    pub fn with_mobile(mobile: impl Into<String>) -> Self {
        Party { mobile: Some(mobile.into()), ..Party::default() }
    }

    fn validate(&self, field: &'static str) -> Result<(), Error> {
        for name in [&self.last_name, &self.middle_name, &self.first_name].into_iter().flatten() {
            if name.chars().any(char::is_control) {
                return Err(Error::invalid(field, "a name must not contain control characters"));
            }
        }
        if let Some(email) = &self.email {
            let ok = match email.split_once('@') {
                Some((user, host)) => {
                    !user.is_empty()
                        && host.contains('.')
                        && !host.contains('@')
                        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
                }
                None => false,
            };
            if !ok {
                return Err(Error::invalid(field, format!("{email:?} is not an e-mail address")));
            }
        }
        if let Some(mobile) = &self.mobile {
            let digits = mobile.strip_prefix('+').unwrap_or(mobile);
            if !(6..=20).contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(Error::invalid(
                    field,
                    format!("mobile {mobile:?} must be 6 to 20 digits, optionally after '+'"),
                ));
            }
        }
        Ok(())
    }
}

/// The body of `POST transactions/fixed_value_vouchers` and
/// `POST transactions/fixed_value_recharges`.
///
/// Built with [`TransactionRequest::fixed_value_voucher`] or
/// [`TransactionRequest::fixed_value_recharge`]. **Simulation is on** (`"simulation":"1"`: the
/// vendor debits nothing) unless [`TransactionRequest::live`] turns it off.
///
/// ```
/// use dtone_gs::{Party, TransactionRequest};
///
/// let request = TransactionRequest::fixed_value_recharge(64, "50212345678", "order-1001")
///     .recipient(Party::with_mobile("50212345678"))
///     .recipient_sms_notification(true);
/// assert!(request.is_simulation());
/// let body = serde_json::to_value(&request).unwrap();
/// assert_eq!(body["simulation"], "1");
/// assert_eq!(body["product_id"], "64");
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TransactionRequest {
    #[serde(skip)]
    category: ProductCategory,
    account_number: String,
    #[serde(serialize_with = "id_as_text")]
    product_id: u64,
    external_id: String,
    simulation: Flag,
    #[serde(skip_serializing_if = "Option::is_none")]
    sender_sms_notification: Option<Flag>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sender_sms_text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    recipient_sms_notification: Option<Flag>,
    #[serde(skip_serializing_if = "Option::is_none")]
    recipient_sms_text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sender: Option<Party>,
    #[serde(skip_serializing_if = "Option::is_none")]
    recipient: Option<Party>,
}

fn id_as_text<S: Serializer>(id: &u64, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_str(id)
}

impl TransactionRequest {
    fn new(
        category: ProductCategory,
        product_id: u64,
        account_number: impl Into<String>,
        external_id: impl Into<String>,
    ) -> Self {
        TransactionRequest {
            category,
            account_number: account_number.into(),
            product_id,
            external_id: external_id.into(),
            simulation: Flag(true),
            sender_sms_notification: None,
            sender_sms_text: None,
            recipient_sms_notification: None,
            recipient_sms_text: None,
            sender: None,
            recipient: None,
        }
    }

    /// A fixed value voucher of `product_id` for `account_number`, with your `external_id`
    /// (1 to 40 characters; see [`generate_external_id`]). Simulation is on.
    pub fn fixed_value_voucher(
        product_id: u64,
        account_number: impl Into<String>,
        external_id: impl Into<String>,
    ) -> Self {
        Self::new(ProductCategory::FixedValueVouchers, product_id, account_number, external_id)
    }

    /// A fixed value recharge of `product_id` for `account_number`, with your `external_id`.
    /// Simulation is on.
    pub fn fixed_value_recharge(
        product_id: u64,
        account_number: impl Into<String>,
        external_id: impl Into<String>,
    ) -> Self {
        Self::new(ProductCategory::FixedValueRecharges, product_id, account_number, external_id)
    }

    /// Turns simulation off: the purchase is real and debits the account.
    pub fn live(mut self) -> Self {
        self.simulation = Flag(false);
        self
    }

    /// Sets simulation explicitly (`true`, the default, debits nothing).
    pub fn simulation(mut self, on: bool) -> Self {
        self.simulation = Flag(on);
        self
    }

    /// The sender.
    pub fn sender(mut self, sender: Party) -> Self {
        self.sender = Some(sender);
        self
    }

    /// The recipient.
    pub fn recipient(mut self, recipient: Party) -> Self {
        self.recipient = Some(recipient);
        self
    }

    /// Whether the vendor sends an SMS to the sender.
    pub fn sender_sms_notification(mut self, on: bool) -> Self {
        self.sender_sms_notification = Some(Flag(on));
        self
    }

    /// The text of the SMS to the sender.
    pub fn sender_sms_text(mut self, text: impl Into<String>) -> Self {
        self.sender_sms_text = Some(text.into());
        self
    }

    /// Whether the vendor sends an SMS to the recipient.
    pub fn recipient_sms_notification(mut self, on: bool) -> Self {
        self.recipient_sms_notification = Some(Flag(on));
        self
    }

    /// The text of the SMS to the recipient.
    pub fn recipient_sms_text(mut self, text: impl Into<String>) -> Self {
        self.recipient_sms_text = Some(text.into());
        self
    }

    /// The endpoint group: `fixed_value_vouchers` or `fixed_value_recharges`.
    pub fn category(&self) -> ProductCategory {
        self.category
    }

    /// The product id.
    pub fn product_id(&self) -> u64 {
        self.product_id
    }

    /// The account number.
    pub fn account_number(&self) -> &str {
        &self.account_number
    }

    /// The external id: the reference that finds this transaction again.
    pub fn external_id(&self) -> &str {
        &self.external_id
    }

    /// Whether this is a simulation (nothing debited).
    pub fn is_simulation(&self) -> bool {
        self.simulation.0
    }

    /// Checks everything that can be checked before sending.
    pub fn validate(&self) -> Result<(), Error> {
        validate_external_id(&self.external_id)?;
        validate_account_number(&self.account_number)?;
        if self.product_id == 0 {
            return Err(Error::invalid("product_id", "must not be 0"));
        }
        for (field, text) in [
            ("sender_sms_text", &self.sender_sms_text),
            ("recipient_sms_text", &self.recipient_sms_text),
        ] {
            if text.as_ref().is_some_and(|t| t.chars().any(|c| c.is_control() && c != '\n')) {
                return Err(Error::invalid(field, "must not contain control characters"));
            }
        }
        if let Some(p) = &self.sender {
            p.validate("sender")?;
        }
        if let Some(p) = &self.recipient {
            p.validate("recipient")?;
        }
        Ok(())
    }
}

/// A transaction, as answered by a create (HTTP 201) or a lookup.
///
/// `status` `"0"` means success. The vendor's documentation excerpt has no example of this
/// answer, so it is read leniently: a named field of an unexpected type is read as absent
/// rather than failing the whole answer (an odd price must never hide a delivered status).
/// Fields beyond those named here are kept in `extra`; `Debug` hides the value of every extra
/// field whose name contains `pin` (voucher PINs are secrets).
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct Transaction {
    /// The vendor's transaction id.
    #[serde(
        default,
        deserialize_with = "super::lenient::opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub transaction_id: Option<WireText>,
    /// The status: `"0"` is success.
    #[serde(
        default,
        deserialize_with = "super::lenient::opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub status: Option<WireText>,
    /// The status in words.
    #[serde(
        default,
        deserialize_with = "super::lenient::text",
        skip_serializing_if = "Option::is_none"
    )]
    pub status_message: Option<String>,
    /// Your external id.
    #[serde(
        default,
        deserialize_with = "super::lenient::text",
        skip_serializing_if = "Option::is_none"
    )]
    pub external_id: Option<String>,
    /// The operator's reference.
    #[serde(
        default,
        deserialize_with = "super::lenient::opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub operator_reference: Option<WireText>,
    /// The product id.
    #[serde(
        default,
        deserialize_with = "super::lenient::id",
        serialize_with = "super::id::opt::serialize",
        skip_serializing_if = "Option::is_none"
    )]
    pub product_id: Option<u64>,
    /// The account number.
    #[serde(
        default,
        deserialize_with = "super::lenient::text",
        skip_serializing_if = "Option::is_none"
    )]
    pub account_number: Option<String>,
    /// Whether it was a simulation.
    #[serde(
        default,
        deserialize_with = "super::lenient::opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub simulation: Option<Flag>,
    /// The face value.
    #[serde(
        default,
        deserialize_with = "super::lenient::opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub product_value: Option<WireDecimal>,
    /// The currency of `product_value`.
    #[serde(
        default,
        deserialize_with = "super::lenient::text",
        skip_serializing_if = "Option::is_none"
    )]
    pub product_currency: Option<String>,
    /// The value received.
    #[serde(
        default,
        deserialize_with = "super::lenient::opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub local_value: Option<WireDecimal>,
    /// The currency of `local_value`.
    #[serde(
        default,
        deserialize_with = "super::lenient::text",
        skip_serializing_if = "Option::is_none"
    )]
    pub local_currency: Option<String>,
    /// The currency of the prices.
    #[serde(
        default,
        deserialize_with = "super::lenient::text",
        skip_serializing_if = "Option::is_none"
    )]
    pub account_currency: Option<String>,
    /// What the account was debited.
    #[serde(
        default,
        deserialize_with = "super::lenient::opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub wholesale_price: Option<WireDecimal>,
    /// The retail price.
    #[serde(
        default,
        deserialize_with = "super::lenient::opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub retail_price: Option<WireDecimal>,
    /// The fee.
    #[serde(
        default,
        deserialize_with = "super::lenient::opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub fee: Option<WireDecimal>,
    /// Any other field, kept as sent.
    #[serde(flatten)]
    pub extra: Extra,
}

impl fmt::Debug for Transaction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        struct Redacted<'a>(&'a Extra);
        impl fmt::Debug for Redacted<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                let mut m = f.debug_map();
                for (k, v) in self.0 {
                    if k.to_ascii_lowercase().contains("pin") {
                        m.entry(k, &format_args!("{}", vas_common::secret::REDACTED));
                    } else {
                        m.entry(k, v);
                    }
                }
                m.finish()
            }
        }
        f.debug_struct("Transaction")
            .field("transaction_id", &self.transaction_id)
            .field("status", &self.status)
            .field("status_message", &self.status_message)
            .field("external_id", &self.external_id)
            .field("operator_reference", &self.operator_reference)
            .field("product_id", &self.product_id)
            .field("account_number", &self.account_number)
            .field("simulation", &self.simulation)
            .field("product_value", &self.product_value)
            .field("product_currency", &self.product_currency)
            .field("local_value", &self.local_value)
            .field("local_currency", &self.local_currency)
            .field("account_currency", &self.account_currency)
            .field("wholesale_price", &self.wholesale_price)
            .field("retail_price", &self.retail_price)
            .field("fee", &self.fee)
            .field("extra", &Redacted(&self.extra))
            .finish()
    }
}

impl Transaction {
    /// Every field of `extra` whose name contains `pin` (any case), as a secret.
    ///
    /// The documentation excerpt does not name the field a voucher's PIN arrives in; this
    /// gives whatever PIN-like fields the vendor sends without exposing them to `Debug`.
    /// Numbers are returned as their text.
    pub fn pin_fields(&self) -> Vec<(String, secrecy::SecretString)> {
        self.extra
            .iter()
            .filter(|(k, _)| k.to_ascii_lowercase().contains("pin"))
            .filter_map(|(k, v)| {
                let text = match v {
                    serde_json::Value::String(s) => s.clone(),
                    serde_json::Value::Number(n) => n.to_string(),
                    _ => return None,
                };
                Some((k.clone(), secrecy::SecretString::from(text)))
            })
            .collect()
    }

    /// What the transaction's status says about the purchase.
    ///
    /// The notes on the vendor's API document one status value, `"0"` (success); a refused
    /// transaction carries one of the error codes of [`ErrorCode`]. So:
    ///
    /// - `"0"`: [`Outcome::Delivered`], unless the same body also carries a non-empty
    ///   `errors` list (a contradictory answer: [`Outcome::Unknown`]).
    /// - a purchase error code that is a documented final failure
    ///   ([`ErrorCode::is_final_failure`], e.g. `1000214` rejected): [`Outcome::Failed`].
    /// - the timeout and internal error codes (`1000218`, `1000500`), the codes that cannot
    ///   describe a transaction (`1000304` verification not available, `1000401`
    ///   unauthorised), an empty status or none at all: [`Outcome::Unknown`].
    /// - any other status (a code this crate does not know, `1000990`, a word such as
    ///   `"PENDING"`): [`Outcome::Pending`]. The vendor has recorded the transaction and has
    ///   not said it is final, so it is looked up again; it is never taken for a success or
    ///   a failure.
    pub fn outcome(&self) -> Outcome {
        let Some(status) = &self.status else { return Outcome::Unknown };
        let s = status.as_str().trim();
        if s == "0" {
            let has_errors = self.extra.get("errors").is_some_and(|e| {
                !matches!(e, serde_json::Value::Null) && e != &serde_json::json!([])
            });
            return if has_errors { Outcome::Unknown } else { Outcome::Delivered };
        }
        match s.parse::<u64>().map(ErrorCode::from_code) {
            Ok(
                ErrorCode::Timeout
                | ErrorCode::InternalError
                | ErrorCode::AccountVerificationNotAvailable
                | ErrorCode::Unauthorized,
            ) => Outcome::Unknown,
            Ok(code) if code.is_final_failure() => Outcome::Failed,
            _ if s.is_empty() => Outcome::Unknown,
            _ => Outcome::Pending,
        }
    }

    /// Whether this transaction can be the answer to `request`: `None` when nothing the
    /// vendor returned contradicts it, else [`Error::Mismatch`] naming the first field that
    /// does.
    ///
    /// Checked: the external id and the product id (when the vendor returns them), and that
    /// a live request did not come back as a simulation. A transaction that does not match
    /// (for instance, when the external id was used before for another purchase) says nothing
    /// about `request`: its status must not be taken as the purchase's outcome.
    pub fn mismatch(&self, request: &TransactionRequest) -> Option<Error> {
        let mismatch =
            |field, sent: String, received: String| Some(Error::Mismatch { field, sent, received });
        if let Some(id) = &self.external_id
            && id != request.external_id()
        {
            return mismatch("external_id", request.external_id().to_owned(), id.clone());
        }
        if let Some(id) = self.product_id
            && id != request.product_id()
        {
            return mismatch("product_id", request.product_id().to_string(), id.to_string());
        }
        if !request.is_simulation() && self.simulation == Some(Flag(true)) {
            return mismatch("simulation", "0".to_owned(), "1".to_owned());
        }
        None
    }

    /// Reads the answer to a create or a lookup from its HTTP status and body, exactly as
    /// [`Client::create_transaction`](crate::Client::create_transaction) and
    /// [`Client::transaction_by_external_id`](crate::Client::transaction_by_external_id) do:
    /// the transaction on a 2xx, else the vendor's error list, else an error keeping the raw
    /// body. For replaying stored answers and for tests; it never panics.
    ///
    /// ```
    /// use dtone_gs::{Outcome, Transaction};
    ///
    /// let tx = Transaction::from_response(201, r#"{"status":"0","external_id":"a1"}"#).unwrap();
    /// assert_eq!(tx.outcome(), Outcome::Delivered);
    /// let err = Transaction::from_response(201, r#"{"status":"0""#).unwrap_err();
    /// assert_eq!(err.outcome(), Outcome::Unknown);
    /// ```
    pub fn from_response(status: u16, body: impl Into<String>) -> Result<Transaction, Error> {
        crate::client::interpret(status, body.into())
    }
}

pub use vas_common::ConfirmOptions;

/// The result of [`Client::purchase_and_confirm`](crate::Client::purchase_and_confirm).
#[derive(Debug)]
pub struct Confirmation {
    /// The external id the purchase was sent with (store it: it finds the transaction).
    pub external_id: String,
    /// `fixed_value_vouchers` or `fixed_value_recharges`.
    pub category: ProductCategory,
    /// Delivered, Failed, or, when the deadline passed first, Pending (the vendor has the
    /// transaction) or Unknown (it could not be found yet): look it up again later with
    /// the same external id, and never buy again with a new one.
    pub outcome: Outcome,
    /// The last transaction the vendor returned (from the create or a lookup).
    pub transaction: Option<Transaction>,
    /// The error of the create when it decided the outcome, or the last lookup's error.
    pub error: Option<Error>,
    /// How many lookups were made.
    pub lookups: u32,
}

impl Confirmation {
    /// Whether the outcome is final (delivered or failed).
    pub fn is_final(&self) -> bool {
        self.outcome.is_final()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn external_id_rules() {
        assert!(validate_external_id("order-1001_a.b").is_ok());
        assert!(validate_external_id(&"a".repeat(40)).is_ok());
        assert!(validate_external_id(&"a".repeat(41)).is_err());
        assert!(validate_external_id("").is_err());
        assert!(validate_external_id("a/b").is_err());
        assert!(validate_external_id("a b").is_err());
        let id = generate_external_id();
        assert_eq!(id.len(), 32);
        assert!(validate_external_id(&id).is_ok());
        assert_ne!(id, generate_external_id());
    }

    #[test]
    fn transaction_outcomes() {
        let tx = |status: Option<&str>| Transaction {
            status: status.map(WireText::text),
            ..serde_json::from_str("{}").unwrap()
        };
        assert_eq!(tx(Some("0")).outcome(), Outcome::Delivered);
        assert_eq!(tx(Some("1000214")).outcome(), Outcome::Failed);
        assert_eq!(tx(Some("1000218")).outcome(), Outcome::Unknown);
        assert_eq!(tx(Some("1000500")).outcome(), Outcome::Unknown);
        assert_eq!(tx(Some("1000990")).outcome(), Outcome::Pending);
        assert_eq!(tx(Some("PENDING")).outcome(), Outcome::Pending);
        assert_eq!(tx(None).outcome(), Outcome::Unknown);
        // Codes that cannot describe a transaction are not read as its failure.
        assert_eq!(tx(Some("1000401")).outcome(), Outcome::Unknown);
        assert_eq!(tx(Some("1000304")).outcome(), Outcome::Unknown);
        let both: Transaction =
            serde_json::from_str(r#"{"status":"0","errors":[{"code":1000999}]}"#).unwrap();
        assert_eq!(both.outcome(), Outcome::Unknown, "success and an error list at once");
        let empty: Transaction = serde_json::from_str(r#"{"status":"0","errors":[]}"#).unwrap();
        assert_eq!(empty.outcome(), Outcome::Delivered);
        let n: Transaction = serde_json::from_str(r#"{"status":0}"#).unwrap();
        assert_eq!(n.outcome(), Outcome::Delivered);
    }

    #[test]
    fn a_transaction_that_is_not_the_request_is_a_mismatch() {
        let request = TransactionRequest::fixed_value_recharge(64, "50212345678", "order-1");
        let tx = |json: &str| serde_json::from_str::<Transaction>(json).unwrap();
        assert!(tx(r#"{"status":"0"}"#).mismatch(&request).is_none());
        assert!(
            tx(r#"{"status":"0","external_id":"order-1","product_id":"64","simulation":1}"#)
                .mismatch(&request)
                .is_none()
        );
        let field = |json: &str, request: &TransactionRequest| match tx(json).mismatch(request) {
            Some(Error::Mismatch { field, .. }) => Some(field),
            _ => None,
        };
        assert_eq!(field(r#"{"external_id":"order-2"}"#, &request), Some("external_id"));
        assert_eq!(field(r#"{"product_id":65}"#, &request), Some("product_id"));
        assert_eq!(field(r#"{"simulation":"1"}"#, &request), None);
        assert_eq!(field(r#"{"simulation":"1"}"#, &request.clone().live()), Some("simulation"));
        assert_eq!(field(r#"{"simulation":"0"}"#, &request.clone().live()), None);
    }

    #[test]
    fn odd_transaction_fields_do_not_hide_the_status() {
        let tx: Transaction = serde_json::from_str(
            r#"{"status":"0","external_id":12345,"product_id":"64","wholesale_price":"",
                "simulation":"yes","status_message":{"en":"ok"},"retail_price":"1.50"}"#,
        )
        .unwrap();
        assert_eq!(tx.outcome(), Outcome::Delivered);
        assert_eq!(tx.external_id.as_deref(), Some("12345"));
        assert_eq!(tx.product_id, Some(64));
        assert_eq!(tx.wholesale_price, None);
        assert_eq!(tx.simulation, None);
        assert_eq!(tx.status_message, None);
        assert_eq!(tx.retail_price.unwrap().value(), rust_decimal::Decimal::new(150, 2));
    }

    #[test]
    fn pins_are_hidden_from_debug() {
        let tx: Transaction =
            serde_json::from_str(r#"{"status":"0","pin_code":"1234-5678","PIN":"9999"}"#).unwrap();
        let d = format!("{tx:?}");
        assert!(!d.contains("1234-5678") && !d.contains("9999"), "{d}");
        assert!(d.contains("pin_code"));
        let pins = tx.pin_fields();
        assert_eq!(pins.len(), 2);
        assert_eq!(pins[0].0, "pin_code");
        assert_eq!(secrecy::ExposeSecret::expose_secret(&pins[0].1), "1234-5678");
    }
}
