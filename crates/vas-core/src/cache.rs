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

/// How many answers the cache keeps at most. Keys come from callers (a query's operator, a
/// product id), so without a bound a stream of distinct queries would grow the cache for as
/// long as each answer lives.
pub(crate) const MAX_ENTRIES: usize = 512;

/// A map from key to a slot. A slot is filled once, by the first caller; callers arriving
/// while it is being filled wait for that one answer (tokio's `OnceCell`). A slot whose
/// answer is older than the time-to-live, or is an error, is replaced by a fresh one for the
/// next caller, so errors are shared by the callers that waited for them but never cached.
/// At most `capacity` answers are kept: past that, the oldest answers are forgotten first
/// (slots still being filled are never dropped, so single flight holds).
///
/// The map's lock is a plain mutex, held only for map operations, never across an `.await`.
pub(crate) struct CatalogCache {
    ttl: Duration,
    capacity: usize,
    slots: Mutex<HashMap<CacheKey, Arc<Slot>>>,
}

impl CatalogCache {
    pub(crate) fn new(ttl: Duration) -> Self {
        Self::with_capacity(ttl, MAX_ENTRIES)
    }

    pub(crate) fn with_capacity(ttl: Duration, capacity: usize) -> Self {
        Self { ttl, capacity: capacity.max(1), slots: Mutex::new(HashMap::new()) }
    }

    /// How many keys the cache holds (answers and calls in flight).
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.slots.lock().unwrap_or_else(PoisonError::into_inner).len()
    }

    /// Drops the oldest answers until there is room for one more key.
    fn make_room(&self, slots: &mut HashMap<CacheKey, Arc<Slot>>) {
        while slots.len() >= self.capacity {
            let oldest = slots
                .iter()
                .filter_map(|(k, s)| s.cell.get().map(|f| (f.at, k)))
                .min_by_key(|(at, _)| *at)
                .map(|(_, k)| k.clone());
            match oldest {
                Some(k) => {
                    slots.remove(&k);
                }
                // Every slot is being filled: their callers are waiting; keep them.
                None => break,
            }
        }
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
                    self.make_room(&mut slots);
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

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    fn key(i: usize) -> CacheKey {
        CacheKey::Product(Vendor::Vtpass, format!("product-{i}"))
    }

    #[tokio::test(start_paused = true)]
    async fn distinct_keys_do_not_grow_the_cache_without_bound() {
        let cache = CatalogCache::new(Duration::from_secs(300));
        let calls = AtomicUsize::new(0);
        let fetch = || async {
            calls.fetch_add(1, Ordering::SeqCst);
            Ok(Vec::new())
        };
        for i in 0..(MAX_ENTRIES * 4) {
            cache.get_or_fetch(key(i), fetch).await.unwrap();
            tokio::time::advance(Duration::from_millis(1)).await;
        }
        assert_eq!(calls.load(Ordering::SeqCst), MAX_ENTRIES * 4);
        assert_eq!(cache.len(), MAX_ENTRIES);
        // The newest answers are the ones kept; the oldest were forgotten.
        cache.get_or_fetch(key(MAX_ENTRIES * 4 - 1), fetch).await.unwrap();
        assert_eq!(calls.load(Ordering::SeqCst), MAX_ENTRIES * 4, "newest still cached");
        cache.get_or_fetch(key(0), fetch).await.unwrap();
        assert_eq!(calls.load(Ordering::SeqCst), MAX_ENTRIES * 4 + 1, "oldest evicted");
        assert_eq!(cache.len(), MAX_ENTRIES);
    }

    #[tokio::test(start_paused = true)]
    async fn a_call_in_flight_is_never_evicted() {
        let cache = Arc::new(CatalogCache::with_capacity(Duration::from_secs(300), 2));
        let calls = Arc::new(AtomicUsize::new(0));
        let slow = {
            let (cache, calls) = (Arc::clone(&cache), Arc::clone(&calls));
            move || {
                let (cache, calls) = (Arc::clone(&cache), Arc::clone(&calls));
                async move {
                    cache
                        .get_or_fetch(key(999), || async move {
                            calls.fetch_add(1, Ordering::SeqCst);
                            tokio::time::sleep(Duration::from_secs(10)).await;
                            Ok(Vec::new())
                        })
                        .await
                }
            }
        };
        let first = tokio::spawn(slow());
        tokio::time::advance(Duration::from_secs(1)).await;
        // Many other keys arrive while the slow call is in flight.
        for i in 0..10 {
            cache.get_or_fetch(key(i), || async { Ok(Vec::new()) }).await.unwrap();
        }
        let second = tokio::spawn(slow());
        first.await.unwrap().unwrap();
        second.await.unwrap().unwrap();
        assert_eq!(calls.load(Ordering::SeqCst), 1, "the waiting caller shared the one call");
        assert!(cache.len() <= 2);
    }
}
