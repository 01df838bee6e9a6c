//! The one error type of the façade.

use std::error::Error as StdError;
use std::fmt;
use std::sync::Arc;

use crate::{Reference, Vendor};

/// A `Result` whose error is [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What went wrong, in the terms a caller acts on.
///
/// | kind | meaning | what to do |
/// | --- | --- | --- |
/// | `CallerInput` | the request is wrong (bad phone, amount out of range, unknown product, reused reference); nothing was sent | fix the request |
/// | `Auth` | the vendor refused the credentials, or the account may not use this API | fix the configuration |
/// | `NotFound` | the vendor does not know the thing asked for (a product, a recipient, a reference) | for a status query: see [`Vas::status`](crate::Vas::status) |
/// | `VendorRejected` | the vendor received the request and refused it (low balance, product disabled, duplicate reference) | read the vendor's reason in [`source`](std::error::Error::source) |
/// | `Transient` | a temporary problem before anything took effect (no connection, rate limited, a failed read) | try again later |
/// | `UnknownOutcome` | a purchase may or may not have been made | ask for the status with the same reference; never pay again with a new one |
/// | `Config` | the client is set up wrongly (no provider for a vendor, bad base URL) | fix the setup |
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Bad input from the caller, found before anything was sent.
    CallerInput,
    /// The vendor refused the credentials or the account's access.
    Auth,
    /// The vendor does not know the product, recipient or reference.
    NotFound,
    /// The vendor received the request and refused it.
    VendorRejected,
    /// A temporary failure; nothing took effect.
    Transient,
    /// A purchase may or may not have been made: only a status query can tell.
    UnknownOutcome,
    /// The client is set up wrongly.
    Config,
}

impl ErrorKind {
    /// A lower-case name, e.g. `caller input`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::CallerInput => "caller input",
            ErrorKind::Auth => "authentication",
            ErrorKind::NotFound => "not found",
            ErrorKind::VendorRejected => "rejected by the vendor",
            ErrorKind::Transient => "temporary failure",
            ErrorKind::UnknownOutcome => "unknown outcome",
            ErrorKind::Config => "configuration",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error of every `vas-core` call.
///
/// It carries a [`kind`](Error::kind), the vendor involved, the purchase reference when there
/// is one, the caller's field at fault for [`ErrorKind::CallerInput`], and the vendor crate's
/// own error as [`source`](std::error::Error::source), so no vendor detail (codes, raw bodies)
/// is lost:
///
/// ```
/// use vas_core::{Error, ErrorKind};
///
/// fn explain(e: &Error) -> String {
///     match e.kind() {
///         ErrorKind::UnknownOutcome => format!("ask for the status of {:?}", e.reference()),
///         ErrorKind::CallerInput => format!("fix {}", e.field().unwrap_or("the request")),
///         _ => e.to_string(),
///     }
/// }
/// let e = Error::caller_input("amount", "the amount must be positive");
/// assert_eq!(explain(&e), "fix amount");
/// ```
#[derive(Clone)]
#[non_exhaustive]
pub struct Error {
    kind: ErrorKind,
    message: String,
    vendor: Option<Vendor>,
    reference: Option<Reference>,
    field: Option<String>,
    source: Option<Arc<dyn StdError + Send + Sync + 'static>>,
}

impl Error {
    /// An error of `kind` with a message.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            vendor: None,
            reference: None,
            field: None,
            source: None,
        }
    }

    /// A [`ErrorKind::CallerInput`] error about `field` (`amount`, `recipient`, `reference`,
    /// `product`, or the name of one of the product's fields).
    pub fn caller_input(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(ErrorKind::CallerInput, message).with_field(field)
    }

    /// A [`ErrorKind::Config`] error.
    pub fn config(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Config, message)
    }

    /// Sets the vendor involved.
    pub fn with_vendor(mut self, vendor: Vendor) -> Self {
        self.vendor = Some(vendor);
        self
    }

    /// Sets the purchase reference involved.
    pub fn with_reference(mut self, reference: Reference) -> Self {
        self.reference = Some(reference);
        self
    }

    /// Sets the caller's field at fault.
    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    /// Keeps the underlying error (usually the vendor crate's) as [`source`](StdError::source).
    pub fn with_source(mut self, source: impl StdError + Send + Sync + 'static) -> Self {
        self.source = Some(Arc::new(source));
        self
    }

    /// What went wrong.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The message, without the kind or vendor.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The vendor involved, if any.
    pub fn vendor(&self) -> Option<Vendor> {
        self.vendor
    }

    /// The purchase reference involved, if any: the one to ask the status of.
    pub fn reference(&self) -> Option<&Reference> {
        self.reference.as_ref()
    }

    /// For [`ErrorKind::CallerInput`]: the field at fault.
    pub fn field(&self) -> Option<&str> {
        self.field.as_deref()
    }

    /// The underlying error as a concrete type, e.g. `e.vendor_error::<vtpass_client::Error>()`
    /// to read the vendor's code and raw body.
    pub fn vendor_error<E: StdError + 'static>(&self) -> Option<&E> {
        self.source.as_deref().and_then(|s| s.downcast_ref::<E>())
    }

    /// Whether a purchase may have been made: the caller must ask for the status with the same
    /// reference and never pay again with a new one.
    pub fn is_unknown_outcome(&self) -> bool {
        self.kind == ErrorKind::UnknownOutcome
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Error");
        d.field("kind", &self.kind).field("message", &self.message);
        if let Some(v) = &self.vendor {
            d.field("vendor", v);
        }
        if let Some(r) = &self.reference {
            d.field("reference", r);
        }
        if let Some(x) = &self.field {
            d.field("field", x);
        }
        if let Some(s) = &self.source {
            d.field("source", s);
        }
        d.finish()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(v) = self.vendor {
            write!(f, "{v}: ")?;
        }
        write!(f, "{}: {}", self.kind, self.message)?;
        if let Some(r) = &self.reference {
            write!(f, " (reference {})", shown(r.as_str()))?;
        }
        Ok(())
    }
}

impl StdError for Error {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source.as_deref().map(|s| s as &(dyn StdError + 'static))
    }
}

/// A caller's value as an error message quotes it: control and text-direction characters
/// escaped (a terminal shows the message as it is), and cut after 64 characters.
pub(crate) fn shown(value: &str) -> String {
    const LONGEST: usize = 64;
    let mut out = String::new();
    for (i, c) in value.chars().enumerate() {
        if i == LONGEST {
            out.push('…');
            break;
        }
        if c.is_control()
            || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_quoted_safely() {
        assert_eq!(shown("08031234567"), "08031234567");
        assert_eq!(shown("a\x1b[2Jb\n\u{202e}c"), "a\\u{1b}[2Jb\\n\\u{202e}c");
        assert_eq!(shown(&"9".repeat(1 << 20)), format!("{}…", "9".repeat(64)));
        assert_eq!(shown("ünï"), "ünï");
    }

    #[derive(Debug)]
    struct VendorFailure(u32);

    impl fmt::Display for VendorFailure {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "vendor code {}", self.0)
        }
    }

    impl StdError for VendorFailure {}

    #[test]
    fn keeps_the_vendor_error_reachable() {
        let e = Error::new(ErrorKind::VendorRejected, "low wallet balance")
            .with_vendor(Vendor::Vtpass)
            .with_reference(Reference::new("202611230600abc"))
            .with_source(VendorFailure(18));
        assert_eq!(e.kind(), ErrorKind::VendorRejected);
        assert_eq!(e.vendor_error::<VendorFailure>().map(|v| v.0), Some(18));
        assert_eq!(e.source().map(|s| s.to_string()), Some("vendor code 18".to_owned()));
        assert_eq!(
            e.to_string(),
            "vtpass: rejected by the vendor: low wallet balance (reference 202611230600abc)"
        );
        let copy = e.clone();
        assert_eq!(copy.vendor_error::<VendorFailure>().map(|v| v.0), Some(18));
    }

    #[test]
    fn caller_input_names_the_field() {
        let e = Error::caller_input("amount", "below the minimum");
        assert_eq!(e.kind(), ErrorKind::CallerInput);
        assert_eq!(e.field(), Some("amount"));
        assert!(!e.is_unknown_outcome());
        assert!(e.source().is_none());
    }
}
