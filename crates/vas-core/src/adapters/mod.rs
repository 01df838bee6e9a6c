//! One [`VasProvider`](crate::VasProvider) per vendor crate, each behind the cargo feature
//! named after its vendor (`vtpass`, `eclipse`, `dtone`, `gsubz`; all on by default).
//!
//! Every adapter keeps the vendor's detail reachable: a [`Product`](crate::Product)'s
//! `detail` is the vendor's own product JSON, a [`Receipt`](crate::Receipt)'s `raw` is the
//! vendor's answer, and an [`Error`](crate::Error)'s source is the vendor crate's error (read it
//! with [`Error::vendor_error`](crate::Error::vendor_error)).

#[allow(dead_code)]
mod common;

#[cfg(feature = "dtone")]
pub mod dtone;
#[cfg(feature = "eclipse")]
pub mod eclipse;
#[cfg(feature = "gsubz")]
pub mod gsubz;
#[cfg(feature = "vtpass")]
pub mod vtpass;
