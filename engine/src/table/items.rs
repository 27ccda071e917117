//! A table's items in key order, each item alone: it carries its key's bytes at the start
//! of its own allocation ([`PackedItem::keyed`]), so the map holds only its hash and a
//! pointer to it, 16 bytes an item where a key beside the pointer took 40 (a map's leaves
//! are two thirds full or so, so the map itself took about 77 bytes an item at 100,000
//! items, more than the item's own allocation).
//!
//! Entries compare by hash, then by the key's bytes, exactly as [`StoreKey`]s compare;
//! the hash is kept in the entry so that keys of different partitions compare without
//! reading the items (keys of one item collection do read them: a GetItem takes about
//! 10 % longer than with the keys in the map). A search is by an entry made of the key
//! alone ([`Entry::probe`], one small allocation), so one comparison, inlined, serves
//! (searching by a key borrowed as a trait object cost a further 5 %).

use std::cmp::Ordering;
use std::collections::BTreeSet;
use std::ops::Bound;

use super::store_key::KeyRef;
use super::StoreKey;
use crate::value::PackedItem;

/// One stored item and its key's hash.
#[derive(Clone)]
pub(super) struct Entry {
    hash: u64,
    item: PackedItem,
}

impl Ord for Entry {
    fn cmp(&self, other: &Entry) -> Ordering {
        // The hash first: most comparisons end there, without reading an item.
        self.hash.cmp(&other.hash).then_with(|| self.item.key_bytes().cmp(other.item.key_bytes()))
    }
}

impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Entry) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Entry {
    fn eq(&self, other: &Entry) -> bool {
        self.cmp(other).is_eq()
    }
}

impl Eq for Entry {}

impl Entry {
    /// `item` at `key`: packed after it, or, packed after another key (or none), copied
    /// after this one.
    pub(super) fn new(key: &StoreKey, item: PackedItem) -> Entry {
        let item = if item.key_bytes() == key.bytes() { item } else { item.rekeyed(key.bytes(), &key.value_ranges()) };
        Entry { hash: key.hash, item }
    }

    /// An entry to search by: `key`, with no values.
    fn probe(key: &StoreKey) -> Entry {
        Entry { hash: key.hash, item: PackedItem::keyed(&crate::value::Item::new(), key.bytes(), &[]) }
    }

    pub(super) fn item(&self) -> &PackedItem {
        &self.item
    }

    pub(super) fn key(&self) -> KeyRef<'_> {
        KeyRef::from_parts(self.hash, self.item.key_bytes())
    }

    fn pair(&self) -> (KeyRef<'_>, &PackedItem) {
        (self.key(), &self.item)
    }
}

/// A table's items by key (see the module docs).
#[derive(Clone, Default)]
pub struct Items(BTreeSet<Entry>);

impl Items {
    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn get(&self, key: &StoreKey) -> Option<&PackedItem> {
        self.0.get(&Entry::probe(key)).map(|e| &e.item)
    }

    /// Stores `item` at `key`, returning the item it replaced. An item packed after
    /// another key is copied after this one (the table packs its items after theirs, so
    /// that the change log shares them).
    pub fn insert(&mut self, key: &StoreKey, item: PackedItem) -> Option<PackedItem> {
        self.0.replace(Entry::new(key, item)).map(|e| e.item)
    }

    pub fn remove(&mut self, key: &StoreKey) -> Option<PackedItem> {
        self.0.take(&Entry::probe(key)).map(|e| e.item)
    }

    /// Every item, in key order.
    pub fn values(&self) -> impl DoubleEndedIterator<Item = &PackedItem> {
        self.0.iter().map(|e| &e.item)
    }

    /// Every item, in key order, given up.
    pub fn into_values(self) -> impl DoubleEndedIterator<Item = PackedItem> {
        self.0.into_iter().map(|e| e.item)
    }

    /// Every item with its key, in key order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (KeyRef<'_>, &PackedItem)> {
        self.0.iter().map(Entry::pair)
    }

    /// The items between two keys, in key order. As `BTreeMap::range`, it panics on a
    /// start after the end (callers check: `super::in_order`).
    pub fn range(
        &self,
        lower: Bound<&StoreKey>,
        upper: Bound<&StoreKey>,
    ) -> impl DoubleEndedIterator<Item = (KeyRef<'_>, &PackedItem)> {
        self.0.range((lower.map(Entry::probe), upper.map(Entry::probe))).map(Entry::pair)
    }
}

/// Equal when they hold equal items at the same keys.
impl PartialEq for Items {
    fn eq(&self, other: &Items) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl std::fmt::Debug for Items {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl Items {
    /// Adds `entries` (a reload's, sorted, each key once), replacing the items at their
    /// keys: without a search per item, the map rebuilt in one pass over both in full
    /// nodes (inserting in turn leaves them a half to two thirds full), the old nodes
    /// given back as the pass leaves them.
    pub(super) fn merge_sorted(&mut self, entries: Vec<Entry>) {
        let mut more: BTreeSet<Entry> = entries.into_iter().collect();
        // Of two equal elements, `append` keeps the one already in the set appended to
        // (a map keeps its own key, taking the other's value; a set's value is nothing):
        // so the old items go into the new ones (load's tests hold std to it).
        more.append(&mut self.0);
        self.0 = more;
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use proptest::prelude::*;

    use super::*;
    use crate::table::KeyValue;
    use crate::value::{AttributeValue, Item};

    fn key(p: u8, s: u8, collide: bool) -> StoreKey {
        let key = StoreKey::new(KeyValue::S(format!("p{p}").into()), Some(KeyValue::B(vec![s])));
        if collide {
            key.with_hash(u64::from(p % 2))
        } else {
            key
        }
    }

    fn item(p: u8, s: u8) -> PackedItem {
        PackedItem::new(&Item::from([("v", AttributeValue::S(format!("{p}/{s}").into()))]))
    }

    /// A bound among the keys, between them, or past every key of a hash.
    fn bound(b: (u8, u8, u8, u8), collide: bool) -> Bound<StoreKey> {
        let k = key(b.1, b.2, collide);
        let k = match b.3 % 3 {
            0 => k,
            1 => k.just_after(),
            _ => StoreKey::first_with_hash(k.hash),
        };
        match b.0 % 3 {
            0 => Bound::Included(k),
            1 => Bound::Excluded(k),
            _ => Bound::Unbounded,
        }
    }

    proptest! {
        /// Items hold, find, order and range their items as a map by [`StoreKey`] does,
        /// partition keys sharing a hash (`collide`) or not.
        #[test]
        fn items_behave_as_a_map_by_store_key(
            ops in proptest::collection::vec((any::<bool>(), 0u8..6, 0u8..4), 0..80),
            bounds in proptest::collection::vec(((0u8..3, 0u8..6, 0u8..4, 0u8..3), (0u8..3, 0u8..6, 0u8..4, 0u8..3)), 0..8),
            collide in any::<bool>(),
        ) {
            let (mut items, mut model) = (Items::default(), BTreeMap::new());
            for (put, p, s) in ops {
                let k = key(p, s, collide);
                let (got, want) = match put {
                    true => (items.insert(&k, item(p, s)), model.insert(k.clone(), item(p, s))),
                    false => (items.remove(&k), model.remove(&k)),
                };
                prop_assert_eq!(got, want);
                prop_assert_eq!(items.get(&k), model.get(&k));
            }
            prop_assert_eq!(items.len(), model.len());
            let listed: Vec<(StoreKey, PackedItem)> = items.iter().map(|(k, i)| (k.owned(), i.clone())).collect();
            prop_assert_eq!(&listed, &model.clone().into_iter().collect::<Vec<_>>());
            for (lo, hi) in bounds {
                let (lo, hi) = (bound(lo, collide), bound(hi, collide));
                if !super::super::in_order(&lo, &hi) {
                    continue;
                }
                let got: Vec<StoreKey> = items.range(lo.as_ref(), hi.as_ref()).map(|(k, _)| k.owned()).collect();
                let want: Vec<StoreKey> = model.range((lo, hi)).map(|(k, _)| k.clone()).collect();
                prop_assert_eq!(got, want);
            }
        }
    }

    #[test]
    fn an_item_packed_after_another_key_is_kept_after_its_own() {
        let (a, b) = (key(1, 1, false), key(2, 2, false));
        let mut items = Items::default();
        items.insert(&a, PackedItem::keyed(&item(1, 1).item(), b.bytes(), &b.value_ranges()));
        assert_eq!(items.get(&a).map(PackedItem::key_bytes), Some(a.bytes()));
        assert_eq!(items.get(&b), None);
        let kept = PackedItem::keyed(&item(2, 2).item(), b.bytes(), &b.value_ranges());
        items.insert(&b, kept.clone());
        assert!(items.get(&b).is_some_and(|i| PackedItem::same(i, &kept)), "one packed after its key is shared");
    }
}
