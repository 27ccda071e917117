//! Loading a table from stored items ([`Loader`]): item by item, so that a reload in steps
//! ([`crate::snapshot::Reload`]) does each item's work (its names shared, its key, its
//! size, its index entries) in the step that read it, and only the build is left for the
//! end: one sort, the maps made from sorted entries, and the partitions' counts taken in
//! the same pass (each item's size as reckoned when it was added, not a second time).

use super::{Incoming, IndexKey, Partitions, StoreKey, Table, TableDef, TableStatus};
use crate::value::PackedItem;

/// A table being loaded: the items added so far, not yet in its maps.
pub struct Loader {
    table: Table,
    /// Each item with its store key and size, in the order added.
    entries: Vec<(StoreKey, PackedItem, usize)>,
    /// Each index's entries, in the order of `table.def.indexes`.
    index_entries: Vec<Vec<IndexKey>>,
}

impl Loader {
    /// An empty table of `def` with the partition boundaries `partitions` (no splits
    /// happen while loading).
    pub fn new(def: TableDef, partitions: Partitions) -> Loader {
        let table = Table::new(def, partitions);
        let index_entries = table.def.indexes.iter().map(|_| Vec::new()).collect();
        Loader { table, entries: Vec::new(), index_entries }
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
        let t = &mut self.table;
        let item = item.into();
        let key = item.key(&t.def.schema).ok_or("an item lacks the table's key")?;
        let item = t.pack(&key, item);
        for (def, entries) in t.def.indexes.iter().zip(&mut self.index_entries) {
            if let Some(ikey) = def.schema.packed_key(&item) {
                entries.push(IndexKey { key: ikey, table_key: key.clone() });
            }
        }
        let size = item.size();
        self.entries.push((key, item, size));
        self.entries.last().map(|(_, item, _)| item).ok_or_else(|| "an item was not kept".into())
    }

    /// The table with every item added.
    pub fn finish(self) -> Table {
        let Loader { mut table, mut entries, index_entries } = self;
        // A stable sort, so that of equal keys the last added is the last of its run.
        #[expect(
            clippy::disallowed_methods,
            reason = "a reload sorts every item: std's sort, not a sort of positions"
        )]
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        let mut counts = Counts::new(&table.partitions);
        let mut kept = Vec::with_capacity(entries.len());
        let mut entries = entries.into_iter().peekable();
        while let Some((key, item, size)) = entries.next() {
            if entries.peek().is_some_and(|next| next.0 == key) {
                continue;
            }
            counts.add(&key, kept.last().map(|(k, _)| k), size);
            kept.push((key, item));
        }
        table.bytes = counts.bytes;
        counts.set(&mut table.partitions);
        // Built from sorted entries: no search per item, and full nodes (inserting in
        // turn leaves them a half to two thirds full).
        table.items = kept.into_iter().collect();
        for (def, entries) in table.def.indexes.iter().zip(index_entries) {
            if let Some(ix) = table.indexes.get_mut(&def.name) {
                *ix = entries.into_iter().collect();
            }
        }
        table.rebuild_expiry();
        table
    }
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
    fn add(&mut self, key: &StoreKey, previous: Option<&StoreKey>, size: usize) {
        while self.starts.get(self.at + 1).is_some_and(|next| key.hash >= *next) {
            self.at += 1;
        }
        let new_collection = !previous.is_some_and(|k| k.same_pk(key));
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
