//! Time to Live: a table's setting, and the index of its items by expiry time that the
//! engine clock's sweep reads. An item expires when its TTL attribute is a top-level Number
//! of epoch seconds; anything else (a string, a set, milliseconds far in the future) never
//! expires, as in DynamoDB.

use std::collections::BTreeSet;

use super::{KeyRef, StoreKey};
use crate::value::{AttributeValue, Item, PackedItem};

/// How long after one change to a table's TTL setting another is refused: one hour.
pub const CHANGE_INTERVAL_MS: u64 = 60 * 60 * 1000;
/// Items whose TTL is more than five years in the past are not deleted.
pub const MAX_AGE_MS: u64 = 5 * 365 * 24 * 60 * 60 * 1000;

/// A table's Time to Live setting.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TimeToLive {
    /// The attribute that holds each item's expiry; kept while enabled.
    pub attribute: Option<String>,
    pub enabled: bool,
    /// When it was last changed (a second change within an hour is refused).
    pub changed_ms: Option<u64>,
}

/// When `item` expires under TTL attribute `attribute`, in epoch milliseconds.
pub fn expires_ms(item: &Item, attribute: &str) -> Option<u64> {
    expiry_of(item.get(attribute)?)
}

/// When an item whose TTL attribute holds `value` expires, in epoch milliseconds.
fn expiry_of(value: &AttributeValue) -> Option<u64> {
    let AttributeValue::N(n) = value else { return None };
    let seconds = n.to_f64();
    (seconds.is_finite() && seconds >= 0.0 && seconds < (u64::MAX / 1000) as f64).then_some((seconds * 1000.0) as u64)
}

/// [`expires_ms`] of a stored item, unpacking only its TTL attribute.
fn packed_expiry(item: &PackedItem, attribute: &str) -> Option<u64> {
    expiry_of(&item.get(attribute)?)
}

/// The items of a table by expiry time, while TTL is enabled.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Expiry {
    attribute: Option<String>,
    by_time: BTreeSet<(u64, StoreKey)>,
}

impl Expiry {
    /// Indexes `items` under `attribute` (none: TTL is off and nothing is indexed).
    pub fn rebuild<'a>(&mut self, attribute: Option<&str>, items: impl Iterator<Item = (KeyRef<'a>, &'a PackedItem)>) {
        self.attribute = attribute.map(str::to_string);
        self.by_time.clear();
        if let Some(a) = attribute {
            self.by_time.extend(items.filter_map(|(k, i)| packed_expiry(i, a).map(|t| (t, k.owned()))));
        }
    }

    /// The item at `key` changed from `old` to `new`.
    pub fn note(&mut self, key: &StoreKey, old: Option<&PackedItem>, new: Option<&PackedItem>) {
        let Some(a) = &self.attribute else { return };
        if let Some(t) = old.and_then(|o| packed_expiry(o, a)) {
            self.by_time.remove(&(t, key.clone()));
        }
        if let Some(t) = new.and_then(|n| packed_expiry(n, a)) {
            self.by_time.insert((t, key.clone()));
        }
    }

    /// Items that expired at or before `until_ms`, earliest first.
    pub fn due(&self, until_ms: u64) -> impl Iterator<Item = &(u64, StoreKey)> {
        self.by_time.iter().take_while(move |(t, _)| *t <= until_ms)
    }

    /// Stops tracking one entry (an item too old for the sweep to delete).
    pub fn forget(&mut self, at_ms: u64, key: &StoreKey) {
        self.by_time.remove(&(at_ms, key.clone()));
    }

    /// How many items are indexed (have an expiry).
    pub fn len(&self) -> usize {
        self.by_time.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_time.is_empty()
    }
}
