//! Small helpers shared by the adapters.

use serde::Serialize;

use crate::{Error, ErrorKind, RawResponse, Vendor};

/// The vendor's answer as JSON, for [`Receipt::raw`](crate::Receipt::raw).
pub(crate) fn raw_json<T: Serialize>(value: &T) -> Option<RawResponse> {
    serde_json::to_value(value).ok().map(RawResponse::Json)
}

/// A raw body: JSON when it parses, text otherwise.
pub(crate) fn raw_body(body: &str) -> RawResponse {
    match serde_json::from_str(body) {
        Ok(v) => RawResponse::Json(v),
        Err(_) => RawResponse::Text(body.to_owned()),
    }
}

/// The error of a read (catalog, lookup, status) from an HTTP status, when there is one.
pub(crate) fn kind_of_http_status(status: u16) -> ErrorKind {
    match status {
        401 | 403 => ErrorKind::Auth,
        404 => ErrorKind::NotFound,
        408 | 429 | 500..=599 => ErrorKind::Transient,
        _ => ErrorKind::VendorRejected,
    }
}

/// Wraps a vendor error.
pub(crate) fn wrap<E>(vendor: Vendor, kind: ErrorKind, error: E) -> Error
where
    E: std::error::Error + Send + Sync + 'static,
{
    Error::new(kind, error.to_string()).with_vendor(vendor).with_source(error)
}

/// A purchase that may have reached the vendor without a readable answer.
pub(crate) fn unknown_outcome<E>(vendor: Vendor, error: E) -> Error
where
    E: std::error::Error + Send + Sync + 'static,
{
    Error::new(ErrorKind::UnknownOutcome, format!("the purchase may have been made: {error}"))
        .with_vendor(vendor)
        .with_source(error)
}

/// A reference the vendor crate rejects, as a caller error.
pub(crate) fn bad_reference<E: std::fmt::Display>(error: E) -> Error {
    Error::caller_input("reference", error.to_string())
}
