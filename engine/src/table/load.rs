//! Loading a table from stored items ([`Loader`]): item by item, so that a reload in steps
//! ([`crate::snapshot::Reload`]) does each item's work (its names shared, its key, its
//! packing, its index entries) in the step that read it. Items wait in a batch of
//! [`BATCH`]; a full batch is sorted and merged into the table's map, so the entries never
//! wait all at once beside the map they go into (at a million items a list of them all
//! held 16 MiB), and the sorting is spread over the reload's steps. At the end, the
//! partitions' counts are taken in one pass over the map (each item's size read from its
//! bytes there).

use super::items::Entry;
use super::{Incoming, IndexKey, KeyRef, Partitions, Table, TableDef, TableStatus};
use crate::value::PackedItem;

/// The items a loader holds before merging them into the map: 1 MiB of entries. Each
/// merge walks the whole map (16 merges at a million items).
const BATCH: usize = 1 << 16;

/// A table being loaded: the items added so far, not yet in its maps.
pub struct Loader {
    table: Table,
    /// The items added since the last merge (carrying their keys), in the order added.
    batch: Vec<Entry>,
    /// Each index's entries, in the order of `table.def.indexes`.
    index_entries: Vec<Vec<IndexKey>>,
}

impl Loader {
    /// An empty table of `def` with the partition boundaries `partitions` (no splits
    /// happen while loading).
    pub fn new(def: TableDef, partitions: Partitions) -> Loader {
        let table = Table::new(def, partitions);
        let index_entries = table.def.indexes.iter().map(|_| Vec::new()).collect();
        Loader { table, batch: Vec::new(), index_entries }
    }

    /// The table's status as stored, and when a transitional one ends.
    pub fn with_status(mut self, status: TableStatus, until_ms: Option<u64>) -> Loader {
        (self.table.status, self.table.status_until_ms) = (status, until_ms);
        self
    }

    /// Adds an item; the item as the table keeps it (packed, its names shared with the
    /// table's other items), to share further. Of two items with one key the last added
    /// stays.
    pub fn add(&mut self, item: impl Into<Incoming>) -> Result<&PackedItem, String> {
        if self.batch.len() >= BATCH {
            self.merge();
        }
        let t = &mut self.table;
        let item = item.into();
        let key = item.key(&t.def.schema).ok_or("an item lacks the table's key")?;
        let item = t.pack(&key, item);
        for (def, entries) in t.def.indexes.iter().zip(&mut self.index_entries) {
            if let Some(ikey) = def.schema.packed_key(&item) {
                entries.push(IndexKey { key: ikey, table_key: key.clone() });
            }
        }
        self.batch.push(Entry::new(&key, item));
        self.batch.last().map(Entry::item).ok_or_else(|| "an item was not kept".into())
    }

    /// Sorts the batch and merges it into the map (of one key, the last added stays).
    fn merge(&mut self) {
        let mut batch = std::mem::take(&mut self.batch);
        // A stable sort, so that of equal keys the last added is the last of its run.
        #[expect(
            clippy::disallowed_methods,
            reason = "a reload sorts every item: std's sort, not a sort of positions"
        )]
        batch.sort_by(Entry::cmp);
        keep_last_of_each_key(&mut batch);
        self.table.items.merge_sorted(batch);
    }

    /// The table with every item added.
    pub fn finish(mut self) -> Table {
        self.merge();
        let Loader { mut table, index_entries, .. } = self;
        let mut counts = Counts::new(&table.partitions);
        let mut previous = None;
        for (key, item) in table.items.iter() {
            counts.add(key, previous, item.size());
            previous = Some(key);
        }
        table.bytes = counts.bytes;
        counts.set(&mut table.partitions);
        for (def, entries) in table.def.indexes.iter().zip(index_entries) {
            if let Some(ix) = table.indexes.get_mut(&def.name) {
                *ix = entries.into_iter().collect();
            }
        }
        table.rebuild_expiry();
        table
    }
}

/// Of each run of entries with one key (sorted, stably), keeps the last, in place.
fn keep_last_of_each_key(entries: &mut Vec<Entry>) {
    let mut kept = 0;
    for i in 0..entries.len() {
        let last_of_run = entries.get(i + 1).is_none_or(|next| Some(next) != entries.get(i));
        if last_of_run {
            entries.swap(kept, i);
            kept += 1;
        }
    }
    entries.truncate(kept);
}

/// Each partition's items, bytes and item collections, counted over the items in
/// storage order (by hash, so partition by partition).
struct Counts {
    /// Where each partition starts in the hash space.
    starts: Vec<u64>,
    /// Per partition: items, bytes, collections.
    parts: Vec<(usize, usize, usize)>,
    bytes: usize,
    /// The partition of the last key counted.
    at: usize,
}

impl Counts {
    fn new(partitions: &Partitions) -> Counts {
        let starts: Vec<u64> = partitions.parts.iter().map(|p| p.start).collect();
        Counts { parts: vec![(0, 0, 0); starts.len()], starts, bytes: 0, at: 0 }
    }

    /// Counts the item at `key` (of `size` bytes), `previous` the key counted before it.
    fn add(&mut self, key: KeyRef, previous: Option<KeyRef>, size: usize) {
        while self.starts.get(self.at + 1).is_some_and(|next| key.hash >= *next) {
            self.at += 1;
        }
        let new_collection = !previous.is_some_and(|k| k.same_pk(&key));
        if let Some((items, bytes, collections)) = self.parts.get_mut(self.at) {
            // A collection's items share a hash, so a partition: never counted twice.
            (*items, *bytes) = (*items + 1, bytes.saturating_add(size));
            *collections += usize::from(new_collection);
        }
        self.bytes = self.bytes.saturating_add(size);
    }

    fn set(self, partitions: &mut Partitions) {
        for (i, (items, bytes, collections)) in self.parts.into_iter().enumerate() {
            if let Some(part) = partitions.get_mut(i) {
                (part.items, part.bytes, part.collections) = (items, bytes, collections);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::{KeyValue, StoreKey};
    use crate::value::{AttributeValue, Item};

    /// Keys and their items' `v`, as the table orders them.
    type Kept = Vec<(KeyValue, Option<AttributeValue>)>;

    fn entry(k: &str, v: &str) -> Entry {
        let item = Item::from([("v", AttributeValue::S(v.into()))]);
        Entry::new(&StoreKey::new(KeyValue::S(k.into()), None), PackedItem::new(&item))
    }

    /// `pairs` of a key and its `v`, in the table's order.
    fn kept(pairs: &[(&str, &str)]) -> Kept {
        let mut kv: Kept =
            pairs.iter().map(|(k, v)| (KeyValue::S((*k).into()), Some(AttributeValue::S((*v).into())))).collect();
        crate::sorted::sort_by_key(&mut kv, |(k, _)| StoreKey::new(k.clone(), None));
        kv
    }

    fn sorted(mut entries: Vec<Entry>) -> Vec<Entry> {
        crate::sorted::sort_by(&mut entries, Entry::cmp);
        entries
    }

    #[test]
    fn of_each_run_of_one_key_the_last_added_stays() {
        let mut entries = sorted(vec![
            entry("a", "1"),
            entry("a", "2"),
            entry("a", "3"),
            entry("b", "1"),
            entry("c", "1"),
            entry("c", "2"),
        ]);
        keep_last_of_each_key(&mut entries);
        let got: Kept = entries.iter().map(|e| (e.key().pk(), e.item().get("v"))).collect();
        assert_eq!(got, kept(&[("a", "3"), ("b", "1"), ("c", "2")]));
    }

    #[test]
    fn a_later_batch_replaces_the_items_at_its_keys() {
        let mut items = super::super::Items::default();
        items.merge_sorted(sorted(vec![entry("a", "1"), entry("b", "1")]));
        items.merge_sorted(sorted(vec![entry("b", "2"), entry("c", "2")]));
        let got: Kept = items.iter().map(|(k, i)| (k.pk(), i.get("v"))).collect();
        assert_eq!(got, kept(&[("a", "1"), ("b", "2"), ("c", "2")]));
    }
}
