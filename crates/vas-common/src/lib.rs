//! Shared plumbing for the VAS vendor crates.
//!
//! The vendor crates (`vtpass-client`, `eclipse-vas`, `dtone-gs`, `gsubz-client`) never depend
//! on each other, but they all need the same few small things, which live here so that there is
//! one copy of each:
//!
//! - [`WireDecimal`] and [`decimal`]: money that arrives as a JSON number, a string or an
//!   exponent (`1000`, `"1000.00"`, `0E-9`, `29182.000000000`) decoded into an exact
//!   [`rust_decimal::Decimal`], and written back in the form it came in.
//! - [`WireText`]: a value the vendor sends sometimes as a number and sometimes as a string
//!   (`"code": 200` and `"code": "200"`).
//! - [`Outcome`]: the one classification of a purchase that every vendor maps to.
//! - [`poll`]: the backoff schedule used to ask for a purchase's status until it is final.
//! - [`secret`]: helpers that keep API keys and tokens out of `Debug` output and mark auth
//!   headers sensitive.
//! - [`transport`]: tells whether a failed HTTP call could have reached the vendor.
//!
//! No vendor wire type lives in this crate.
#![deny(missing_docs)]

pub mod decimal;
pub mod outcome;
pub mod poll;
pub mod secret;
pub mod text;
pub mod transport;

#[cfg(feature = "testing")]
pub mod testing;

pub use decimal::WireDecimal;
pub use outcome::Outcome;
pub use poll::{Backoff, ConfirmOptions, Polled, Step};
pub use text::WireText;
pub use transport::SendState;

pub use rust_decimal::Decimal;
pub use secrecy::{ExposeSecret, SecretString};
