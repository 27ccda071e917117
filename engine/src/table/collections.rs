//! Item collections (the items that share a partition key), counted per partition as
//! items are written and deleted, so that a view counts them without reading the items.
//!
//! A collection's items are neighbours in storage order: keys sort by hash first, and a
//! collection has one hash (two partition keys with the same 64-bit hash sort apart, by
//! their bytes). A put stores the item first (one search, which gives back the item
//! replaced); a new item starts a collection, and a deleted one ends one, unless a key on
//! either side has its partition key ([`Table::has_company`]).

use super::{KeyRef, StoreKey, Table};

impl Table {
    /// Whether a stored item other than the one at `key` has its partition key (for a key
    /// with a sort key: without one, every item is a collection of its own).
    pub(super) fn has_company(&self, key: &StoreKey) -> bool {
        self.items.has_company(key)
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
