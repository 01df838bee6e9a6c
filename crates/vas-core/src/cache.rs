//! The catalog cache: a time-to-live per vendor and query, and single flight (concurrent
//! misses for one key make one vendor request, whose answer they all share).

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::sync::OnceCell;
use tokio::time::Instant;

use crate::{CatalogQuery, Product, Result, Vendor};

/// What is cached.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) enum CacheKey {
    /// A vendor's catalog for a query.
    Catalog(Vendor, CatalogQuery),
    /// One product of a vendor (zero or one entries).
    Product(Vendor, String),
}

struct Filled {
    at: Instant,
    value: Result<Arc<Vec<Product>>>,
}

#[derive(Default)]
struct Slot {
    cell: OnceCell<Filled>,
}

/// A map from key to a slot. A slot is filled once, by the first caller; callers arriving
/// while it is being filled wait for that one answer (tokio's `OnceCell`). A slot whose
/// answer is older than the time-to-live, or is an error, is replaced by a fresh one for the
/// next caller, so errors are shared by the callers that waited for them but never cached.
pub(crate) struct CatalogCache {
    ttl: Duration,
    slots: Mutex<HashMap<CacheKey, Arc<Slot>>>,
}

impl CatalogCache {
    pub(crate) fn new(ttl: Duration) -> Self {
        Self { ttl, slots: Mutex::new(HashMap::new()) }
    }

    fn usable(&self, slot: &Slot, now: Instant) -> bool {
        match slot.cell.get() {
            // Being filled: wait for it.
            None => true,
            Some(f) => f.value.is_ok() && now.saturating_duration_since(f.at) < self.ttl,
        }
    }

    /// The cached answer for `key`, or the answer of `fetch`, made once for all concurrent
    /// callers.
    pub(crate) async fn get_or_fetch<F, Fut>(
        &self,
        key: CacheKey,
        fetch: F,
    ) -> Result<Arc<Vec<Product>>>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Vec<Product>>>,
    {
        let slot = {
            let mut slots = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
            let now = Instant::now();
            match slots.get(&key).filter(|s| self.usable(s, now)) {
                Some(slot) => Arc::clone(slot),
                None => {
                    slots.retain(|_, s| self.usable(s, now));
                    let slot = Arc::new(Slot::default());
                    slots.insert(key, Arc::clone(&slot));
                    slot
                }
            }
        };
        let filled = slot
            .cell
            .get_or_init(|| async {
                Filled { value: fetch().await.map(Arc::new), at: Instant::now() }
            })
            .await;
        filled.value.clone()
    }

    /// A product of `vendor` found in any fresh cached answer (a catalog or a product
    /// lookup), without asking the vendor.
    pub(crate) fn find_product(&self, vendor: Vendor, id: &str) -> Option<Product> {
        let slots = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
        let now = Instant::now();
        slots
            .iter()
            .filter(|(key, _)| match key {
                CacheKey::Catalog(v, _) | CacheKey::Product(v, _) => *v == vendor,
            })
            .filter_map(|(_, slot)| slot.cell.get())
            .filter(|f| now.saturating_duration_since(f.at) < self.ttl)
            .filter_map(|f| f.value.as_ref().ok())
            .find_map(|products| {
                products.iter().find(|p| p.vendor == vendor && p.id == id).cloned()
            })
    }

    /// Forgets everything.
    pub(crate) fn clear(&self) {
        self.slots.lock().unwrap_or_else(PoisonError::into_inner).clear();
    }
}
