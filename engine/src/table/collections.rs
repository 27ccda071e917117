//! Item collections (the items that share a partition key), counted per partition as
//! items are written and deleted, so that a view counts them without reading the items.
//!
//! A collection's items are neighbours in storage order: keys sort by hash first, and a
//! collection has one hash. So one search, for the last stored key with the hash of the
//! key written, tells whether its collection has items already, and mostly whether the key
//! itself is stored. Two partition keys with the same 64-bit hash are handled too, by
//! reading the keys on either side.

use std::cmp::Ordering;
use std::ops::Bound;

use super::{KeyRef, StoreKey, Table};
use crate::value::PackedItem;

/// Where a key stands among the stored keys.
pub(super) enum Place<'t> {
    /// An item is stored at the key.
    Stored(&'t PackedItem),
    /// None is, but another item has its partition key.
    Joins,
    /// No item has its partition key.
    Starts,
}

impl Table {
    /// Where `key` stands: one search, and a second only when the key sorts before the
    /// last item of its collection (or shares its hash with another partition key).
    pub(super) fn place(&self, key: &StoreKey) -> Place<'_> {
        // Without a sort key every item is a collection of its own.
        if !key.has_sk() {
            return self.items.get(key).map_or(Place::Starts, Place::Stored);
        }
        let group_end = key.hash.checked_add(1).map(StoreKey::first_with_hash);
        let group_end = group_end.as_ref().map_or(Bound::Unbounded, Bound::Excluded);
        let last = self.items.range(Bound::Unbounded, group_end).next_back();
        let Some((last, item)) = last.filter(|(k, _)| k.hash == key.hash) else { return Place::Starts };
        if !last.same_pk(key) {
            return match self.items.get(key) {
                Some(item) => Place::Stored(item),
                None if self.has_company(key) => Place::Joins,
                None => Place::Starts,
            };
        }
        match last.cmp(&key.borrowed()) {
            Ordering::Equal => Place::Stored(item),
            Ordering::Less => Place::Joins,
            Ordering::Greater => self.items.get(key).map_or(Place::Joins, Place::Stored),
        }
    }

    /// Whether a stored item other than the one at `key` has its partition key: read from
    /// the keys on either side (for a key with a sort key; `place` answers the others).
    fn has_company(&self, key: &StoreKey) -> bool {
        let before = self.items.range(Bound::Unbounded, Bound::Excluded(key)).next_back();
        let after = || self.items.range(Bound::Excluded(key), Bound::Unbounded).next();
        before.is_some_and(|(k, _)| k.same_pk(key)) || after().is_some_and(|(k, _)| k.same_pk(key))
    }

    /// Counts partition `p`'s items, bytes and collections again from its items.
    pub(super) fn recount(&mut self, p: usize) {
        let (start, end) = self.partitions.range(p);
        let (mut items, mut bytes, mut collections) = (0, 0, 0);
        let mut previous: Option<KeyRef> = None;
        for (key, item) in self.items_in_hash_range(start, end) {
            (items, bytes) = (items + 1, bytes + item.size());
            collections += usize::from(!previous.is_some_and(|k| k.same_pk(&key)));
            previous = Some(key);
        }
        if let Some(part) = self.partitions.get_mut(p) {
            (part.items, part.bytes, part.collections) = (items, bytes, collections);
        }
    }

    /// How many item collections the table holds: in partition `p` when given, else in all.
    pub fn collection_count(&self, partition: Option<usize>) -> usize {
        match partition {
            Some(p) => self.partitions.parts.get(p).map_or(0, |part| part.collections),
            None => self.partitions.parts.iter().map(|part| part.collections).sum(),
        }
    }
}
