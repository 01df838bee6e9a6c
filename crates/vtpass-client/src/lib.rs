//! vtpass-client: work in progress.
#![deny(missing_docs)]

pub mod doc_examples {
    //! The vendor's documented request examples, built with this crate's typed builders.

    /// Each documented request example as `(fixture file name, JSON body)`.
    pub fn requests() -> Vec<(&'static str, serde_json::Value)> {
        Vec::new()
    }
}
