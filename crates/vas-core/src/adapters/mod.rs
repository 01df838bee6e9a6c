//! One [`VasProvider`](crate::VasProvider) per vendor crate, each behind the cargo feature
//! named after its vendor (`vtpass`, `eclipse`, `dtone`, `gsubz`; all on by default).
