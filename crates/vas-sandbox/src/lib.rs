//! vas-sandbox: work in progress.
#![deny(missing_docs)]
