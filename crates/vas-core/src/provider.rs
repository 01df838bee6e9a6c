//! The trait every vendor adapter implements.

use async_trait::async_trait;

use crate::{
    CatalogQuery, Error, PreparedPurchase, Product, Receipt, Recipient, Reference, Result, Vendor,
};

/// What the vendor says about a recipient before a purchase (the customer's name on a meter
/// or smartcard, for the customer to confirm).
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct RecipientInfo {
    /// Whether the vendor looked the recipient up and knows it. `false` when the vendor has
    /// no lookup for the product: only the local checks were made.
    pub verified: bool,
    /// The customer's name, if the vendor gave one.
    pub name: Option<String>,
    /// The customer's address, if the vendor gave one.
    pub address: Option<String>,
    /// The vendor's response, as received.
    pub detail: serde_json::Value,
}

impl RecipientInfo {
    /// Only the local checks were made.
    pub fn unverified() -> Self {
        Self { verified: false, name: None, address: None, detail: serde_json::Value::Null }
    }

    /// The vendor knows the recipient.
    pub fn verified(name: Option<String>, detail: serde_json::Value) -> Self {
        Self { verified: true, name, address: None, detail }
    }

    /// Sets the address.
    pub fn with_address(mut self, address: impl Into<String>) -> Self {
        self.address = Some(address.into());
        self
    }
}

/// One vendor, in the shared model. There is an adapter per vendor crate in
/// [`adapters`](crate::adapters); [`Vas`](crate::Vas) holds several and routes between them.
///
/// The contract an implementation must keep:
///
/// - [`purchase`](VasProvider::purchase) sends the purchase **once** and never retries it. A
///   timeout after sending, a dropped connection, a 5xx, an unreadable body or an
///   undocumented code is a receipt with [`Outcome::Unknown`](vas_common::Outcome::Unknown)
///   or an error of kind [`UnknownOutcome`](crate::ErrorKind::UnknownOutcome), never
///   `Failed`. `Failed` only when the vendor says the purchase failed or was reversed.
///   [`Transient`](crate::ErrorKind::Transient) only when the request certainly did not
///   reach the vendor.
/// - [`status`](VasProvider::status) is a read: it may be repeated. A reference the vendor
///   does not know is an error of kind [`NotFound`](crate::ErrorKind::NotFound).
/// - Errors keep the vendor crate's error as their source.
#[async_trait]
pub trait VasProvider: Send + Sync {
    /// The vendor.
    fn vendor(&self) -> Vendor;

    /// The vendor's products matching `query`. The query may be used to ask the vendor for
    /// less; [`Vas`](crate::Vas) filters the result again, so it may also be ignored.
    async fn catalog(&self, query: &CatalogQuery) -> Result<Vec<Product>>;

    /// One product by its id, or `None` if the vendor does not list it. The default looks
    /// through the whole catalog.
    async fn product(&self, id: &str) -> Result<Option<Product>> {
        let all = self.catalog(&CatalogQuery::all()).await?;
        Ok(all.into_iter().find(|p| p.id == id))
    }

    /// Asks the vendor about a recipient (meter, smartcard, account). The recipient has
    /// passed the local checks. The default makes no request and returns
    /// [`RecipientInfo::unverified`].
    async fn validate_recipient(
        &self,
        product: &Product,
        recipient: &Recipient,
    ) -> Result<RecipientInfo> {
        let _ = (product, recipient);
        Ok(RecipientInfo::unverified())
    }

    /// A new reference in the vendor's format.
    fn new_reference(&self) -> Reference;

    /// Checks a caller's own reference. The default is [`Reference::check_common`].
    fn check_reference(&self, reference: &Reference) -> Result<(), Error> {
        reference.check_common()
    }

    /// Sends the purchase, once.
    async fn purchase(&self, purchase: &PreparedPurchase) -> Result<Receipt>;

    /// Asks for the status of the purchase with this reference.
    async fn status(&self, reference: &Reference) -> Result<Receipt>;
}
