//! [`Vas`]: several vendors behind one client, a catalog cache, and the safe purchase.

use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use vas_common::poll::{Polled, Step, poll};
use vas_common::{Backoff, Outcome};

use crate::cache::{CacheKey, CatalogCache};
use crate::{
    CatalogQuery, Error, ErrorKind, FieldKind, FieldSpec, Phone, PreparedPurchase, Product,
    ProductRef, PurchaseKey, PurchaseRequest, Receipt, Recipient, RecipientInfo, Reference, Result,
    VasProvider, Vendor,
};

/// Products from several vendors, and the vendors that could not answer.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Catalog {
    /// The products, vendor by vendor in [`Vendor`] order.
    pub products: Vec<Product>,
    /// One error per vendor that could not answer (only when another vendor did).
    pub errors: Vec<Error>,
}

/// The longest [`VasBuilder::poll_deadline`]: a clock cannot count to `Duration::MAX`.
const MAX_DEADLINE: Duration = Duration::from_secs(30 * 24 * 3600);

/// Builds a [`Vas`].
pub struct VasBuilder {
    providers: Vec<Arc<dyn VasProvider>>,
    catalog_ttl: Duration,
    backoff: Backoff,
    deadline: Duration,
}

impl VasBuilder {
    /// Adds a vendor.
    pub fn provider(self, provider: impl VasProvider + 'static) -> Self {
        self.shared_provider(Arc::new(provider))
    }

    /// Adds a vendor that is shared with other code.
    pub fn shared_provider(mut self, provider: Arc<dyn VasProvider>) -> Self {
        self.providers.push(provider);
        self
    }

    /// How long a catalog answer is reused (default 5 minutes; zero: only concurrent calls
    /// share an answer).
    pub fn catalog_ttl(mut self, ttl: Duration) -> Self {
        self.catalog_ttl = ttl;
        self
    }

    /// The waits between status queries after a purchase that is not final (default: 1 s,
    /// doubling, at most 15 s, with up to 20 % jitter).
    pub fn poll_backoff(mut self, backoff: Backoff) -> Self {
        self.backoff = backoff;
        self
    }

    /// How long [`Vas::execute`] and [`Vas::resume`] ask for the status before returning
    /// `Pending` (default 60 s). It counts from the purchase's answer (the purchase itself is
    /// bounded by the vendor client's own timeout and is never cut short); a status query still
    /// running at the deadline is abandoned. Longer than 30 days counts as 30 days.
    pub fn poll_deadline(mut self, deadline: Duration) -> Self {
        self.deadline = deadline.min(MAX_DEADLINE);
        self
    }

    /// The client. Fails if no vendor was added, or one was added twice.
    pub fn build(self) -> Result<Vas> {
        if self.providers.is_empty() {
            return Err(Error::config("no vendor was added"));
        }
        let mut providers: BTreeMap<Vendor, Arc<dyn VasProvider>> = BTreeMap::new();
        for p in self.providers {
            let vendor = p.vendor();
            if providers.insert(vendor, p).is_some() {
                return Err(Error::config(format!("{vendor} was added twice")).with_vendor(vendor));
            }
        }
        Ok(Vas {
            inner: Arc::new(Inner {
                providers,
                cache: CatalogCache::new(self.catalog_ttl),
                executed: Mutex::new(HashSet::new()),
                backoff: self.backoff,
                deadline: self.deadline,
            }),
        })
    }
}

struct Inner {
    providers: BTreeMap<Vendor, Arc<dyn VasProvider>>,
    cache: CatalogCache,
    executed: Mutex<HashSet<PurchaseKey>>,
    backoff: Backoff,
    deadline: Duration,
}

/// Several vendors behind one client.
///
/// - [`catalog`](Vas::catalog): every vendor's products, merged and filtered, cached per
///   vendor and query for a time-to-live; concurrent misses for one vendor and query make one
///   vendor request.
/// - The safe purchase, in two steps:
///   1. [`prepare`](Vas::prepare) checks the request against the product (known to the
///      catalog, amount within its price, fields matching their rules, phone valid for its
///      country) and gives the purchase its reference. Nothing is sent. Store
///      [`PreparedPurchase::key`] with the order.
///   2. [`execute`](Vas::execute) sends the purchase once, then asks for its status on a
///      backoff schedule until the vendor gives a final answer or the deadline passes, and then
///      returns `Pending` rather than guessing.
///
///   Later, or after a restart, [`status`](Vas::status) and [`resume`](Vas::resume) ask again
///   with the stored key.
///
/// **One reference, one purchase.** `execute` refuses a reference already executed by this
/// client or one of its clones (the record lives in memory, one small entry per purchase, for
/// the client's lifetime). It cannot know about other clients or earlier processes: share one
/// `Vas` in a process, and after a restart never call `execute` again for a stored key; call
/// [`status`](Vas::status) or [`resume`](Vas::resume).
///
/// **Never `Failed` without the vendor saying so.** A timeout, a broken connection, a 5xx or
/// an unreadable answer is followed by status queries; if they do not settle it in time the
/// receipt is `Pending`.
///
/// `Vas` is cheap to clone; clones share the cache and the record of executed references.
#[derive(Clone)]
pub struct Vas {
    inner: Arc<Inner>,
}

impl fmt::Debug for Vas {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Vas")
            .field("vendors", &self.vendors())
            .field("backoff", &self.inner.backoff)
            .field("deadline", &self.inner.deadline)
            .finish_non_exhaustive()
    }
}

impl Vas {
    /// Starts building a client.
    pub fn builder() -> VasBuilder {
        VasBuilder {
            providers: Vec::new(),
            catalog_ttl: Duration::from_secs(300),
            backoff: Backoff::new(Duration::from_secs(1)).max_delay(Duration::from_secs(15)),
            deadline: Duration::from_secs(60),
        }
    }

    /// The vendors this client speaks to, in order.
    pub fn vendors(&self) -> Vec<Vendor> {
        self.inner.providers.keys().copied().collect()
    }

    fn provider(&self, vendor: Vendor) -> Result<&Arc<dyn VasProvider>> {
        self.inner.providers.get(&vendor).ok_or_else(|| {
            Error::config(format!("this client has no provider for {vendor}")).with_vendor(vendor)
        })
    }

    /// Every vendor's products matching `query` (only `query.vendor`'s when set), merged.
    ///
    /// A vendor that fails is reported in [`Catalog::errors`]; the call fails only when every
    /// vendor asked failed.
    pub async fn catalog(&self, query: &CatalogQuery) -> Result<Catalog> {
        let query = &query.normalized();
        let vendors = match query.vendor {
            Some(v) => {
                self.provider(v)?;
                vec![v]
            }
            None => self.vendors(),
        };
        let answers =
            futures::future::join_all(vendors.into_iter().map(|v| self.vendor_catalog(v, query)))
                .await;
        let mut catalog = Catalog { products: Vec::new(), errors: Vec::new() };
        let asked = answers.len();
        for answer in answers {
            match answer {
                Ok(products) => catalog.products.extend(products),
                Err(e) => catalog.errors.push(e),
            }
        }
        if asked > 0
            && catalog.errors.len() == asked
            && let Some(first) = catalog.errors.drain(..).next()
        {
            return Err(first);
        }
        Ok(catalog)
    }

    async fn vendor_catalog(&self, vendor: Vendor, query: &CatalogQuery) -> Result<Vec<Product>> {
        let provider = self.provider(vendor)?;
        let key = CacheKey::Catalog(vendor, query.clone());
        let products = self
            .inner
            .cache
            .get_or_fetch(key, || async move {
                provider.catalog(query).await.map_err(|e| e.with_vendor(vendor))
            })
            .await?;
        Ok(products.iter().filter(|p| p.vendor == vendor && query.matches(p)).cloned().collect())
    }

    /// One product, from the cache (any cached catalog answer that lists it) or the vendor;
    /// `None` if the vendor does not list it.
    pub async fn product(&self, product: &ProductRef) -> Result<Option<Product>> {
        let vendor = product.vendor;
        let provider = self.provider(vendor)?;
        if let Some(found) = self.inner.cache.find_product(vendor, &product.id) {
            return Ok(Some(found));
        }
        let id = product.id.clone();
        let found = self
            .inner
            .cache
            .get_or_fetch(CacheKey::Product(vendor, id.clone()), || async move {
                Ok(provider
                    .product(&id)
                    .await
                    .map_err(|e| e.with_vendor(vendor))?
                    .into_iter()
                    .collect())
            })
            .await?;
        Ok(found.iter().find(|p| p.id == product.id).cloned())
    }

    /// Forgets every cached catalog answer.
    pub fn clear_catalog_cache(&self) {
        self.inner.cache.clear();
    }

    /// Checks a recipient locally for `product`, then asks the vendor about it (the
    /// customer's name on a meter or smartcard) where the vendor offers a lookup.
    pub async fn validate_recipient(
        &self,
        product: &ProductRef,
        recipient: &Recipient,
    ) -> Result<RecipientInfo> {
        let provider = self.provider(product.vendor)?;
        let recipient = recipient.checked()?;
        let found = self.find_product(product).await?;
        check_recipient(&found, &recipient)?;
        provider
            .validate_recipient(&found, &recipient)
            .await
            .map_err(|e| e.with_vendor(product.vendor))
    }

    async fn find_product(&self, product: &ProductRef) -> Result<Product> {
        if product.id.trim().is_empty() {
            return Err(Error::caller_input("product", "the product id is empty")
                .with_vendor(product.vendor));
        }
        self.product(product).await?.ok_or_else(|| {
            Error::new(
                ErrorKind::CallerInput,
                format!("the product `{}` is not in {}'s catalog", product.id, product.vendor),
            )
            .with_field("product")
            .with_vendor(product.vendor)
        })
    }

    /// Checks a purchase and gives it its reference, before anything is sent.
    ///
    /// Fails with [`ErrorKind::CallerInput`] when the product is not in the vendor's catalog,
    /// the amount is missing, not positive, or outside the product's price, a field is
    /// missing, unknown to the product, or breaks its rule, the phone number is not valid for
    /// the product's country, or the reference is malformed or was already executed. The only
    /// request this may make is a catalog read for the product (cached).
    pub async fn prepare(&self, request: PurchaseRequest) -> Result<PreparedPurchase> {
        let vendor = request.product.vendor;
        let provider = self.provider(vendor)?;
        let with_vendor = |e: Error| e.with_vendor(vendor);
        // Checks that need no product come first, so that they cost no request.
        let recipient = request.recipient.checked().map_err(with_vendor)?;
        if let Some(amount) = request.amount.filter(|a| *a <= rust_decimal::Decimal::ZERO) {
            return Err(with_vendor(Error::caller_input(
                "amount",
                format!("the amount must be positive, not {amount}"),
            )));
        }
        let reference = match request.reference {
            Some(r) => {
                provider
                    .check_reference(&r)
                    .map_err(|e| with_vendor(e).with_reference(r.clone()))?;
                r
            }
            None => provider.new_reference(),
        };
        if self.was_executed(&PurchaseKey::new(vendor, reference.clone())) {
            return Err(with_vendor(Error::caller_input(
                "reference",
                "this reference was already used for a purchase: ask for its status instead",
            ))
            .with_reference(reference));
        }
        let product = self.find_product(&request.product).await?;
        let amount = product.price.check(request.amount).map_err(with_vendor)?;
        let phone = check_recipient(&product, &recipient).map_err(with_vendor)?;
        let fields = check_fields(&product, &request.fields).map_err(with_vendor)?;
        Ok(PreparedPurchase { reference, product, recipient, phone, amount, fields })
    }

    fn was_executed(&self, key: &PurchaseKey) -> bool {
        self.inner.executed.lock().unwrap_or_else(PoisonError::into_inner).contains(key)
    }

    /// Sends a prepared purchase once, then asks for its status until it is final or the
    /// deadline passes.
    ///
    /// Returns a receipt that is `Delivered`, `Failed` (the vendor said the purchase failed,
    /// or refused it: nothing was bought) or `Pending` (not settled in time: ask again later
    /// with [`status`](Vas::status) or [`resume`](Vas::resume)). It returns an error when the
    /// purchase was certainly not made: it could not be sent ([`ErrorKind::Transient`]), the
    /// vendor refused the credentials ([`ErrorKind::Auth`]), or the vendor crate rejected the
    /// request before sending it. Errors carry the reference.
    ///
    /// A second call with the same reference by this client or a clone is refused with
    /// [`ErrorKind::CallerInput`], whatever the first call returned: nothing is sent twice.
    pub async fn execute(&self, prepared: &PreparedPurchase) -> Result<Receipt> {
        let vendor = prepared.vendor();
        let provider = self.provider(vendor)?;
        let key = prepared.key();
        let first_time =
            self.inner.executed.lock().unwrap_or_else(PoisonError::into_inner).insert(key.clone());
        if !first_time {
            return Err(Error::caller_input(
                "reference",
                "this purchase was already executed: ask for its status instead of sending it again",
            )
            .with_vendor(vendor)
            .with_reference(key.reference));
        }
        tracing::debug!(%key, "sending purchase");
        let last = match provider.purchase(prepared).await {
            Ok(receipt) if receipt.outcome.is_final() => return Ok(own(receipt, &key)),
            Ok(receipt) => {
                tracing::debug!(%key, outcome = %receipt.outcome, "purchase not final: asking for its status");
                Some(own(receipt, &key))
            }
            Err(e) if e.kind() == ErrorKind::UnknownOutcome => {
                tracing::warn!(%key, error = %e, "purchase outcome unknown: asking for its status");
                None
            }
            Err(e) => return Err(e.with_vendor(vendor).with_reference(key.reference)),
        };
        Ok(self.settle(provider.as_ref(), &key, last).await)
    }

    /// Asks once for the status of a purchase, e.g. after a restart.
    ///
    /// An error of kind [`ErrorKind::NotFound`] means the vendor does not know the reference:
    /// the purchase did not reach it (yet). Only when that stays so for several minutes is it
    /// safe to buy again, with a new reference.
    pub async fn status(&self, vendor: Vendor, reference: &Reference) -> Result<Receipt> {
        let provider = self.provider(vendor)?;
        let key = PurchaseKey::new(vendor, reference.clone());
        match provider.status(reference).await {
            Ok(receipt) => Ok(own(receipt, &key)),
            Err(e) => Err(e.with_vendor(vendor).with_reference(reference.clone())),
        }
    }

    /// Like [`status`](Vas::status), by the stored `vendor:reference` key.
    pub async fn status_of(&self, key: &PurchaseKey) -> Result<Receipt> {
        self.status(key.vendor, &key.reference).await
    }

    /// Asks for the status on the backoff schedule until it is final or the deadline passes,
    /// as [`execute`](Vas::execute) does after sending, without sending anything.
    pub async fn resume(&self, key: &PurchaseKey) -> Result<Receipt> {
        let provider = self.provider(key.vendor)?;
        Ok(self.settle(provider.as_ref(), key, None).await)
    }

    async fn settle(
        &self,
        provider: &dyn VasProvider,
        key: &PurchaseKey,
        mut last: Option<Receipt>,
    ) -> Receipt {
        let reference = &key.reference;
        let end = tokio::time::Instant::now() + self.inner.deadline;
        let polled = poll(&self.inner.backoff, self.inner.deadline, |attempt| async move {
            // A status query is a read: cutting one short at the deadline is safe, and keeps a
            // vendor that does not answer from holding the caller past it.
            let left = end.saturating_duration_since(tokio::time::Instant::now());
            let answer = tokio::time::timeout(left, provider.status(reference)).await;
            let answer = answer.unwrap_or_else(|_| {
                Err(Error::new(
                    ErrorKind::Transient,
                    "the status query did not answer before the deadline",
                ))
            });
            match answer {
                Ok(r) if r.outcome.is_final() => Step::Done(Ok(r)),
                Ok(r) => Step::Again(Ok(r)),
                Err(e) => {
                    tracing::debug!(%key, attempt, error = %e, "status query failed");
                    match e.kind() {
                        // Asking again will not help.
                        ErrorKind::Auth | ErrorKind::Config | ErrorKind::CallerInput => {
                            Step::Done(Err(e))
                        }
                        _ => Step::Again(Err(e)),
                    }
                }
            }
        })
        .await;
        let mut note = None;
        match polled {
            Polled::Final { value: Ok(receipt), .. } => return own(receipt, key),
            Polled::Final { value: Err(e), .. } | Polled::GaveUp { last: Some(Err(e)), .. } => {
                note = Some(format!("the status is not known yet: {e}"));
            }
            Polled::GaveUp { last: Some(Ok(receipt)), .. } => last = Some(own(receipt, key)),
            Polled::GaveUp { last: None, .. } => {}
        }
        tracing::info!(%key, "purchase not settled before the deadline: pending");
        let mut receipt =
            last.unwrap_or_else(|| Receipt::new(key.vendor, Outcome::Pending, reference.clone()));
        receipt.outcome = Outcome::Pending;
        if let Some(note) = note {
            receipt.message = Some(note);
        }
        receipt
    }
}

/// Makes sure a provider's receipt names the purchase it answers.
fn own(mut receipt: Receipt, key: &PurchaseKey) -> Receipt {
    receipt.vendor = key.vendor;
    receipt.reference = key.reference.clone();
    receipt
}

/// Checks a (trimmed) recipient against the product's recipient field; returns the parsed
/// phone for a phone recipient.
fn check_recipient(product: &Product, recipient: &Recipient) -> Result<Option<Phone>> {
    let spec = product.recipient_field();
    if let Some(want) = spec.and_then(|s| s.kind.recipient_kind())
        && want != recipient.kind()
    {
        return Err(Error::caller_input(
            "recipient",
            format!(
                "`{}` is bought for a {want} number, not a {} number",
                product.name,
                recipient.kind()
            ),
        ));
    }
    let phone = match recipient {
        Recipient::Phone(number) => Some(Phone::parse(number, product.country.as_deref())?),
        _ => None,
    };
    if let Some(spec) = spec {
        let shown =
            phone.as_ref().map(Phone::national).unwrap_or_else(|| recipient.value().to_owned());
        check_rules(spec, &shown).map_err(|e| e.with_field("recipient"))?;
    }
    Ok(phone)
}

/// Checks the caller's other fields against the product's; returns them trimmed (phones in
/// E.164).
fn check_fields(
    product: &Product,
    given: &BTreeMap<String, String>,
) -> Result<BTreeMap<String, String>> {
    let recipient_field = product.recipient_field().map(|f| f.name.as_str());
    if let Some(unknown) = given.keys().find(|k| {
        Some(k.as_str()) == recipient_field || !product.fields.iter().any(|f| f.name == **k)
    }) {
        let why = if Some(unknown.as_str()) == recipient_field {
            "it is filled from the recipient"
        } else {
            "the product has no such field"
        };
        return Err(Error::caller_input(
            unknown.clone(),
            format!("unexpected field `{unknown}`: {why}"),
        ));
    }
    let mut out = BTreeMap::new();
    for spec in product.fields.iter().filter(|f| Some(f.name.as_str()) != recipient_field) {
        let value = given.get(&spec.name).map(|v| v.trim()).unwrap_or_default();
        if value.is_empty() {
            if spec.required {
                return Err(Error::caller_input(
                    spec.name.clone(),
                    format!("the field `{}` is required", spec.name),
                ));
            }
            continue;
        }
        let stored = match spec.kind {
            FieldKind::Phone => {
                let phone = Phone::parse(value, product.country.as_deref())
                    .map_err(|e| e.with_field(spec.name.clone()))?;
                check_rules(spec, &phone.national())?;
                phone.e164()
            }
            _ => {
                check_kind(spec, value)?;
                check_rules(spec, value)?;
                value.to_owned()
            }
        };
        out.insert(spec.name.clone(), stored);
    }
    Ok(out)
}

fn check_kind(spec: &FieldSpec, value: &str) -> Result<()> {
    let bad = |what: &str| {
        let value = crate::error::shown(value);
        Err(Error::caller_input(spec.name.clone(), format!("`{value}` is not {what}")))
    };
    if value.chars().count() > 256 || value.chars().any(char::is_control) {
        return bad("a plausible value");
    }
    match spec.kind {
        FieldKind::Number if !value.bytes().all(|b| b.is_ascii_digit()) => bad("a whole number"),
        FieldKind::Email => {
            let ok = value.split_once('@').is_some_and(|(user, host)| {
                !user.is_empty()
                    && host.contains('.')
                    && !host.starts_with('.')
                    && !host.ends_with('.')
                    && !host.contains('@')
            }) && !value.contains(char::is_whitespace);
            if ok { Ok(()) } else { bad("an e-mail address") }
        }
        FieldKind::Meter | FieldKind::Smartcard
            if !value.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') =>
        {
            bad("a meter or smartcard number")
        }
        _ => Ok(()),
    }
}

fn check_rules(spec: &FieldSpec, value: &str) -> Result<()> {
    let shown = || crate::error::shown(value);
    if let Some(pattern) = &spec.pattern
        && !pattern.is_match(value)
    {
        return Err(Error::caller_input(
            spec.name.clone(),
            format!(
                "`{}` does not have the form `{}` required for `{}`",
                shown(),
                pattern.as_str(),
                spec.name
            ),
        ));
    }
    if !spec.choices.is_empty() && !spec.choices.iter().any(|c| c == value) {
        return Err(Error::caller_input(
            spec.name.clone(),
            format!("`{}` is not one of {} for `{}`", shown(), spec.choices.join(", "), spec.name),
        ));
    }
    Ok(())
}
