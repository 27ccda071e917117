//! Tables: their definition (key schema, indexes, billing) and their storage.
//!
//! Storage is one ordered set of packed items per table, each found by the [`StoreKey`] it
//! carries ([`Items`]), plus one ordered map per
//! secondary index ([`IndexKey`] → table key). [`Table::put`] and [`Table::delete`] are the
//! only writers, and keep indexes, byte counts and the partition map in step; everything
//! else reads.

mod collections;
mod items;
mod key;
mod load;
mod partition;
mod store_key;
mod tables;
mod ttl;

pub use items::Items;
pub use key::{KeyValue, ScalarType};
pub use load::Loader;
pub use partition::{
    Partition, Partitions, Traffic, HEAT_WINDOW_S, MAX_INITIAL_PARTITIONS, MAX_TEACHING_SCALE, PARTITION_BYTES,
};
pub use store_key::{KeyRef, StoreKey};
pub(crate) use tables::Tables;
pub use ttl::{expires_ms, Expiry, TimeToLive, CHANGE_INTERVAL_MS, MAX_AGE_MS};

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Bound;

use crate::value::{Item, PackedItem, Shapes};

#[derive(Clone, Debug, PartialEq)]
pub struct KeyDef {
    pub name: String,
    pub ty: ScalarType,
}

#[derive(Clone, Debug, PartialEq)]
pub struct KeySchema {
    pub hash: KeyDef,
    pub range: Option<KeyDef>,
}

impl KeySchema {
    pub fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.hash.name.as_str()).chain(self.range.as_ref().map(|r| r.name.as_str()))
    }

    pub fn is_key(&self, attr: &str) -> bool {
        self.names().any(|n| n == attr)
    }

    /// The store key of an item that has this schema's key attributes with the right types.
    pub fn store_key(&self, item: &Item) -> Option<StoreKey> {
        self.key_by(|name| item.get(name).and_then(KeyValue::from_attribute))
    }

    /// [`KeySchema::store_key`] of a stored item, unpacking only its key attributes.
    pub fn packed_key(&self, item: &PackedItem) -> Option<StoreKey> {
        self.key_by(|name| item.get(name).as_ref().and_then(KeyValue::from_attribute))
    }

    fn key_by(&self, value: impl Fn(&str) -> Option<KeyValue>) -> Option<StoreKey> {
        let of = |def: &KeyDef| value(&def.name).filter(|k| k.scalar_type() == def.ty);
        let pk = of(&self.hash)?;
        let sk = match &self.range {
            Some(r) => Some(of(r)?),
            None => None,
        };
        Some(StoreKey::new(pk, sk))
    }

    /// Just the key attributes of `item`.
    pub fn key_item(&self, item: &Item) -> Item {
        let mut out = Item::with_capacity(1 + usize::from(self.range.is_some()));
        for name in self.names() {
            if let Some(v) = item.get(name) {
                out.insert(name, v.clone());
            }
        }
        out
    }

    /// Just the key attributes of a stored item.
    pub fn packed_key_item(&self, item: &PackedItem) -> Item {
        self.names().filter_map(|name| Some((name, item.get(name)?))).collect()
    }

    /// The key attributes of a store key, as an item.
    pub fn key_from_store(&self, key: &StoreKey<impl AsRef<[u8]>>) -> Item {
        let mut out = Item::with_capacity(1 + usize::from(key.has_sk()));
        out.insert(self.hash.name.as_str(), key.pk().to_attribute());
        if let (Some(r), Some(sk)) = (&self.range, key.sk()) {
            out.insert(r.name.as_str(), sk.to_attribute());
        }
        out
    }

    pub fn to_json(&self) -> serde_json::Value {
        let mut v = vec![serde_json::json!({"AttributeName": self.hash.name, "KeyType": "HASH"})];
        if let Some(r) = &self.range {
            v.push(serde_json::json!({"AttributeName": r.name, "KeyType": "RANGE"}));
        }
        serde_json::Value::Array(v)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Projection {
    All,
    KeysOnly,
    Include(Vec<String>),
}

/// When a table's provisioned throughput last went up and down, for DescribeTable.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ThroughputChanges {
    pub last_increase_ms: Option<u64>,
    pub last_decrease_ms: Option<u64>,
    /// Decreases on the UTC day of the last decrease.
    pub decreases_that_day: u32,
    /// The throughput before the last change: what the table serves while UpdateTable
    /// keeps it UPDATING (memory only).
    pub previous: Option<Throughput>,
}

/// Decreases any time in a UTC day; after them, one an hour.
pub const FREE_DECREASES: u32 = 4;
/// The most decreases in one UTC day (4, then one for each of the other 23 hours).
pub const MAX_DECREASES: u32 = 27;
const HOUR_MS: u64 = 60 * 60 * 1000;

/// Milliseconds in a day: "today" for `NumberOfDecreasesToday` is the UTC day.
const DAY_MS: u64 = 24 * 60 * 60 * 1000;

impl ThroughputChanges {
    /// Records a change from `old` to `new` at `now_ms`.
    pub fn record(&mut self, old: Throughput, new: Throughput, now_ms: u64) {
        self.previous = Some(old);
        if new.read > old.read || new.write > old.write {
            self.last_increase_ms = Some(now_ms);
        }
        if new.read < old.read || new.write < old.write {
            let same_day = self.last_decrease_ms.is_some_and(|t| t / DAY_MS == now_ms / DAY_MS);
            self.decreases_that_day = if same_day { self.decreases_that_day + 1 } else { 1 };
            self.last_decrease_ms = Some(now_ms);
        }
    }

    /// When a decrease is next allowed, if not now: four any time in a UTC day, then one
    /// an hour after the last, at most 27 a day (AWS's quota).
    pub fn next_decrease_ms(&self, now_ms: u64) -> Option<u64> {
        let today = self.decreases_today(now_ms);
        let last = self.last_decrease_ms.unwrap_or(0);
        let tomorrow = (now_ms / DAY_MS + 1).saturating_mul(DAY_MS);
        match today {
            n if n < FREE_DECREASES => None,
            n if n >= MAX_DECREASES => Some(tomorrow),
            _ => Some(last.saturating_add(HOUR_MS).min(tomorrow)).filter(|at| *at > now_ms),
        }
    }

    pub fn decreases_today(&self, now_ms: u64) -> u32 {
        match self.last_decrease_ms {
            Some(t) if t / DAY_MS == now_ms / DAY_MS => self.decreases_that_day,
            _ => 0,
        }
    }
}

/// An on-demand table's ceiling in request units per second; -1 means no maximum.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OnDemand {
    pub max_read: i64,
    pub max_write: i64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Throughput {
    pub read: i64,
    pub write: i64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct IndexDef {
    pub name: String,
    pub schema: KeySchema,
    pub projection: Projection,
    /// Local indexes share the table's partition key and capacity.
    pub local: bool,
    pub throughput: Option<Throughput>,
}

impl IndexDef {
    /// The definition of one of this index's key attributes.
    pub fn schema_def(&self, name: &str) -> Option<&KeyDef> {
        std::iter::once(&self.schema.hash).chain(self.schema.range.as_ref()).find(|d| d.name == name)
    }

    /// The attributes an index entry holds for `item`.
    pub fn project(&self, table: &KeySchema, item: &Item) -> Item {
        match &self.projection {
            Projection::All => item.clone(),
            Projection::KeysOnly | Projection::Include(_) => {
                item.iter().filter(|(k, _)| self.projects(table, k)).map(|(k, v)| (k.clone(), v.clone())).collect()
            }
        }
    }

    /// Whether the index's entries hold the top-level attribute `name`.
    pub fn projects(&self, table: &KeySchema, name: &str) -> bool {
        table.is_key(name)
            || self.schema.is_key(name)
            || match &self.projection {
                Projection::All => true,
                Projection::KeysOnly => false,
                Projection::Include(extra) => extra.iter().any(|e| e == name),
            }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BillingMode {
    Provisioned,
    PayPerRequest,
}

impl BillingMode {
    pub fn as_str(self) -> &'static str {
        match self {
            BillingMode::Provisioned => "PROVISIONED",
            BillingMode::PayPerRequest => "PAY_PER_REQUEST",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TableStatus {
    Creating,
    Active,
    Updating,
    Deleting,
}

impl TableStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            TableStatus::Creating => "CREATING",
            TableStatus::Active => "ACTIVE",
            TableStatus::Updating => "UPDATING",
            TableStatus::Deleting => "DELETING",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct TableDef {
    pub name: String,
    pub schema: KeySchema,
    pub attribute_definitions: Vec<(String, ScalarType)>,
    pub billing: BillingMode,
    /// Whether the request named a billing mode (DescribeTable then shows a summary).
    pub billing_summary_ms: Option<u64>,
    pub throughput: Throughput,
    pub throughput_changes: ThroughputChanges,
    pub indexes: Vec<IndexDef>,
    /// The view type of the table's enabled stream (the stream itself is in `Engine`).
    pub stream: Option<crate::streams::ViewType>,
    pub deletion_protection: bool,
    pub table_class: Option<String>,
    /// The KMS key ARN when the table is encrypted with a KMS key (AWS owned key: None).
    pub sse_kms_key_arn: Option<String>,
    pub on_demand: Option<OnDemand>,
    /// Tags by key (TagResource, CreateTable's `Tags`).
    pub tags: BTreeMap<String, String>,
    pub created_ms: u64,
    pub table_id: String,
    pub ttl: TimeToLive,
    /// The backup this table was restored from, if it was.
    pub restored: Option<Restored>,
}

/// Where a restored table came from (DescribeTable's `RestoreSummary`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Restored {
    pub backup_arn: String,
    pub source_table_arn: String,
    pub at_ms: u64,
}

impl TableDef {
    pub fn index(&self, name: &str) -> Option<&IndexDef> {
        self.indexes.iter().find(|i| i.name == name)
    }
}

/// An index entry's place: the index key in index order, then the table key, so that
/// entries with equal index keys stay distinct.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct IndexKey {
    pub key: StoreKey,
    pub table_key: StoreKey,
}

#[derive(Clone, Debug)]
pub struct Table {
    pub def: TableDef,
    pub status: TableStatus,
    /// Engine time at which the current transitional status ends.
    pub status_until_ms: Option<u64>,
    pub partitions: Partitions,
    items: Items,
    /// Each index's entries; an entry's table key is its own `table_key`.
    indexes: BTreeMap<String, BTreeSet<IndexKey>>,
    bytes: usize,
    /// Recent traffic per partition key (engine second, read, write units), for showing
    /// hot keys, each with when it was first tracked (`keys_tracked` then). Like partition
    /// traffic, it lives in memory only. Unordered: readers order what they show.
    key_traffic: rustc_hash::FxHashMap<KeyValue, (u64, Traffic)>,
    /// Partition keys whose traffic was tracked so far.
    keys_tracked: u64,
    /// Items by expiry time, while Time to Live is enabled.
    pub expiry: Expiry,
    /// The lists of attribute names its items share (see [`Shapes`]).
    shapes: Shapes,
    /// Which state this is (see `tables.rs`): new each time the engine takes the table to
    /// change it. Never saved nor answered.
    revision: u64,
}

/// The most partition keys whose traffic is tracked; the quietest are forgotten first.
const KEY_TRAFFIC_KEYS: usize = 4096;

/// Why a partition split.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SplitReason {
    /// It held more bytes than its limit.
    Size,
    /// Its recent traffic exceeded its throughput limit.
    Heat,
}

/// What a partition split did, for traces.
#[derive(Clone, Debug, PartialEq)]
pub struct Split {
    pub partition: usize,
    pub at_hash: u64,
    pub reason: SplitReason,
}

/// An item to store: one to pack ([`Table::pack`]), or one packed already (a backup's, a
/// replicated change's image), kept as it is and so still shared.
pub enum Incoming {
    Item(Item),
    Packed(PackedItem),
}

impl From<Item> for Incoming {
    fn from(item: Item) -> Incoming {
        Incoming::Item(item)
    }
}

impl Incoming {
    /// Its key under `schema`, if it has the key's attributes with their types.
    pub fn key(&self, schema: &KeySchema) -> Option<StoreKey> {
        match self {
            Incoming::Item(item) => schema.store_key(item),
            Incoming::Packed(item) => schema.packed_key(item),
        }
    }
}

impl From<PackedItem> for Incoming {
    fn from(item: PackedItem) -> Incoming {
        Incoming::Packed(item)
    }
}

impl Table {
    /// Which state of the table this is: it differs after any change to the table, here
    /// or in another engine of the process, so a view can tell whether to redraw.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    pub fn new(def: TableDef, partitions: Partitions) -> Table {
        let indexes = crate::sorted::map(def.indexes.iter().map(|i| (i.name.clone(), BTreeSet::new())));
        Table {
            def,
            status: TableStatus::Active,
            status_until_ms: None,
            partitions,
            items: Items::default(),
            indexes,
            bytes: 0,
            key_traffic: Default::default(),
            keys_tracked: 0,
            expiry: Expiry::default(),
            shapes: Shapes::default(),
            revision: 0,
        }
    }

    /// A table with stored items and partition boundaries, as persisted: no splits happen
    /// while loading; partition counts are recomputed.
    pub fn load(
        def: TableDef,
        partitions: Partitions,
        items: impl IntoIterator<Item = impl Into<Incoming>>,
    ) -> Result<Table, String> {
        Table::load_each(def, partitions, items, |_| {})
    }

    /// [`Table::load`], showing `stored` each item as the table keeps it (its names
    /// shared), in the order given: a reload shares it with the change log's images.
    pub fn load_each(
        def: TableDef,
        partitions: Partitions,
        items: impl IntoIterator<Item = impl Into<Incoming>>,
        mut stored: impl FnMut(&PackedItem),
    ) -> Result<Table, String> {
        let mut loader = Loader::new(def, partitions);
        for item in items {
            stored(loader.add(item)?);
        }
        Ok(loader.finish())
    }

    pub fn item_count(&self) -> usize {
        self.items.len()
    }

    pub fn size_bytes(&self) -> usize {
        self.bytes
    }

    /// The item stored at `key` (unpack it to read it; clone it to share it: the change
    /// log's images share the table's).
    pub fn get(&self, key: &StoreKey) -> Option<&PackedItem> {
        self.items.get(key)
    }

    /// An item about to be stored at `key`, packed after it, its names shared with the
    /// table's other items that have the same; one packed already (a replicated or
    /// restored image) is kept when packed after the same key.
    pub fn pack(&mut self, key: &StoreKey, item: impl Into<Incoming>) -> PackedItem {
        match item.into() {
            Incoming::Item(mut item) => {
                self.shapes.share(&mut item);
                PackedItem::keyed(&item, key.bytes(), &key.value_ranges())
            }
            Incoming::Packed(packed) if packed.key_bytes() == key.bytes() => packed,
            Incoming::Packed(packed) => packed.rekeyed(key.bytes(), &key.value_ranges()),
        }
    }

    /// Writes `item` at `key`, returning the item it replaced and any partition split the
    /// write caused.
    pub fn put(&mut self, key: StoreKey, item: PackedItem, now_ms: u64) -> (Option<PackedItem>, Option<Split>) {
        let size = item.size();
        self.index_entries(&key, &item, true);
        // One search for an item that was there (most writes of a running table); a new
        // one starts a collection unless an item beside it has its partition key.
        let old = self.items.insert(&key, item.clone());
        let new_collection = old.is_none() && (!key.has_sk() || !self.has_company(&key));
        self.expiry.note(&key, old.as_ref(), Some(&item));
        if let Some(old) = &old {
            self.unindex_changed(&key, old, &item);
        }
        let p = self.partitions.index_of(key.hash);
        let old_size = old.as_ref().map_or(0, PackedItem::size);
        self.bytes = self.bytes + size - old_size.min(self.bytes + size);
        if let Some(part) = self.partitions.get_mut(p) {
            part.bytes = part.bytes + size - old_size.min(part.bytes + size);
            part.items += usize::from(old.is_none());
            part.collections += usize::from(new_collection);
        }
        let split = self.maybe_split(p, now_ms);
        (old, split)
    }

    /// Deletes the item at `key`, returning it.
    pub fn delete(&mut self, key: &StoreKey) -> Option<PackedItem> {
        let old = self.items.remove(key)?;
        self.expiry.note(key, Some(&old), None);
        self.unindex_all(key, &old);
        let size = old.size();
        self.bytes = self.bytes.saturating_sub(size);
        let p = self.partitions.index_of(key.hash);
        let last_of_collection = !key.has_sk() || !self.has_company(key);
        if let Some(part) = self.partitions.get_mut(p) {
            part.bytes = part.bytes.saturating_sub(size);
            part.items = part.items.saturating_sub(1);
            part.collections = part.collections.saturating_sub(usize::from(last_of_collection));
        }
        Some(old)
    }

    fn index_entries(&mut self, key: &StoreKey, item: &PackedItem, insert: bool) {
        for def in &self.def.indexes {
            let Some(ikey) = def.schema.packed_key(item) else {
                continue;
            };
            if let Some(ix) = self.indexes.get_mut(&def.name) {
                let entry = IndexKey { key: ikey, table_key: key.clone() };
                if insert {
                    ix.insert(entry);
                } else {
                    ix.remove(&entry);
                }
            }
        }
    }

    /// Removes the old item's index entries that the new item no longer has.
    fn unindex_changed(&mut self, key: &StoreKey, old: &PackedItem, new: &PackedItem) {
        for def in &self.def.indexes {
            let (Some(old_key), new_key) = (def.schema.packed_key(old), def.schema.packed_key(new)) else {
                continue;
            };
            if new_key.as_ref() != Some(&old_key) {
                if let Some(ix) = self.indexes.get_mut(&def.name) {
                    ix.remove(&IndexKey { key: old_key, table_key: key.clone() });
                }
            }
        }
    }

    fn unindex_all(&mut self, key: &StoreKey, old: &PackedItem) {
        self.index_entries(key, old, false);
    }

    /// Indexes the items by expiry under the table's TTL attribute while TTL is enabled.
    pub fn rebuild_expiry(&mut self) {
        let attribute = self.def.ttl.attribute.as_deref().filter(|_| self.def.ttl.enabled);
        self.expiry.rebuild(attribute, self.items.iter());
    }

    /// A copy whose index storage matches `def.indexes`: new indexes backfilled from the
    /// items, dropped ones gone.
    pub fn clone_with_indexes_rebuilt(&self) -> Table {
        let mut t = self.clone();
        t.indexes = crate::sorted::map(t.def.indexes.iter().map(|i| (i.name.clone(), BTreeSet::new())));
        for (k, item) in self.items.iter() {
            t.index_entries(&k.owned(), item, true);
        }
        t
    }

    /// Splits partition `p` at hash `at`. The upper half is counted; the lower keeps what
    /// is left (a partition's counts are kept exact by every put and delete), so a split
    /// walks half the partition's items, not all of them.
    pub fn split_partition(&mut self, p: usize, at: u64, now_ms: u64) -> Option<usize> {
        let before = self.partitions.parts.get(p).map(|part| (part.items, part.bytes, part.collections))?;
        let new = self.partitions.split(p, at, now_ms)?;
        self.recount(new);
        // A collection has one hash, so it lies wholly on one side of the split.
        let moved = self.partitions.parts.get(new).map_or((0, 0, 0), |n| (n.items, n.bytes, n.collections));
        if let Some(part) = self.partitions.get_mut(p) {
            part.items = before.0.saturating_sub(moved.0);
            part.bytes = before.1.saturating_sub(moved.1);
            part.collections = before.2.saturating_sub(moved.2);
        }
        Some(new)
    }

    /// Splits partition `p` at the median hash of its items once it holds more bytes than
    /// the scaled limit allows.
    fn maybe_split(&mut self, p: usize, now_ms: u64) -> Option<Split> {
        let part = self.partitions.parts.get(p)?;
        if (part.bytes as u64) <= self.partitions.byte_limit() {
            return None;
        }
        self.split_at_median(p, now_ms, SplitReason::Size)
    }

    /// Records units consumed on partition `p`, splitting it for heat when its recent
    /// traffic exceeds its limit (see `partition.rs`).
    pub fn record_traffic(&mut self, p: usize, now_ms: u64, read: f64, write: f64) -> Option<Split> {
        let (read_limit, write_limit) = (self.partitions.read_limit(), self.partitions.write_limit());
        let part = self.partitions.get_mut(p)?;
        part.record(now_ms, read, write);
        let (r, w) = part.recent_rate(now_ms, partition::HEAT_WINDOW_S);
        let settled = now_ms >= part.created_ms.saturating_add(partition::HEAT_WINDOW_S * 1000);
        if settled && (r > read_limit || w > write_limit) {
            self.split_at_median(p, now_ms, SplitReason::Heat)
        } else {
            None
        }
    }

    /// Records units consumed by requests for partition key `pk`.
    pub fn record_key_traffic(&mut self, pk: &KeyValue, now_ms: u64, read: f64, write: f64) {
        // One lookup, new key or not: a key's clone is inline up to 24 bytes.
        let tracked = &mut self.keys_tracked;
        let (_, traffic) = self.key_traffic.entry(pk.clone()).or_insert_with(|| {
            *tracked += 1;
            (*tracked, Traffic::default())
        });
        traffic.record(now_ms, read, write);
        if self.key_traffic.len() > KEY_TRAFFIC_KEYS {
            self.prune_key_traffic(now_ms / 1000);
        }
    }

    /// Forgets keys with no recent traffic, then the quietest, down to three quarters of
    /// the cap: one pass per `KEY_TRAFFIC_KEYS / 4` new keys, so a write stays O(log n)
    /// amortized however many distinct keys a bulk load touches.
    fn prune_key_traffic(&mut self, second: u64) {
        let keep = KEY_TRAFFIC_KEYS * 3 / 4;
        self.key_traffic.retain(|_, (_, t)| t.is_recent(second));
        let Some(last) = self.key_traffic.len().checked_sub(keep + 1) else { return };
        // Quietest first; among equals the one tracked first, so eviction is
        // deterministic (and compares numbers: by key, a bulk load of new keys spent a
        // twentieth of a PutItem comparing strings). The loudest of those to forget is
        // found without sorting them all.
        let quieter = |a: &(f64, u64), b: &(f64, u64)| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1));
        let mut by_units: Vec<(f64, u64)> = self.key_traffic.values().map(|(n, t)| (t.units(), *n)).collect();
        let (_, &mut least, _) = by_units.select_nth_unstable_by(last, quieter);
        self.key_traffic.retain(|_, (n, t)| quieter(&(t.units(), *n), &least).is_gt());
    }

    /// (read, write) units each partition key consumed in the last `seconds` seconds up to
    /// `now_ms`, for keys with any, in no particular order.
    pub fn key_traffic(&self, now_ms: u64, seconds: u64) -> impl Iterator<Item = (&KeyValue, f64, f64)> {
        self.key_traffic.iter().filter_map(move |(k, (_, t))| {
            let (r, w) = t.totals(now_ms, seconds);
            (r + w > 0.0).then_some((k, r, w))
        })
    }

    /// Splits partition `p` for heat, if it has settled since it was made (see
    /// `partition.rs`): what a partition throttled at its ceiling does.
    pub fn split_for_heat(&mut self, p: usize, now_ms: u64) -> Option<Split> {
        let part = self.partitions.parts.get(p)?;
        let settled = now_ms >= part.created_ms.saturating_add(partition::HEAT_WINDOW_S * 1000);
        if settled {
            self.split_at_median(p, now_ms, SplitReason::Heat)
        } else {
            None
        }
    }

    fn split_at_median(&mut self, p: usize, now_ms: u64, reason: SplitReason) -> Option<Split> {
        let (start, end) = self.partitions.range(p);
        let mut hashes: Vec<u64> = self.items_in_hash_range(start, end).map(|(k, _)| k.hash).collect();
        hashes.dedup();
        // One item collection alone cannot be split by hash.
        let at = *hashes.get(hashes.len() / 2)?;
        if at == start {
            return None;
        }
        self.split_partition(p, at, now_ms)?;
        Some(Split { partition: p, at_hash: at, reason })
    }

    /// Items whose partition-key hash lies in `[start, end]`, in storage order.
    pub fn items_in_hash_range(
        &self,
        start: u64,
        end: u64,
    ) -> impl DoubleEndedIterator<Item = (KeyRef<'_>, &PackedItem)> {
        let upper = end.checked_add(1).map(StoreKey::first_with_hash);
        let upper = upper.as_ref().map_or(Bound::Unbounded, Bound::Excluded);
        self.items.range(Bound::Included(&StoreKey::first_with_hash(start)), upper)
    }

    /// The items, copied (each item shared, not cloned): no sort and no search per item.
    pub fn items_copy(&self) -> Items {
        self.items.clone()
    }

    /// Every stored item in storage order (backups and PITR's base share the table's
    /// items until either changes).
    pub fn items(&self) -> impl DoubleEndedIterator<Item = (KeyRef<'_>, &PackedItem)> {
        self.items.iter()
    }

    /// All items in storage (scan) order, strictly after `after` when given.
    pub fn items_after<'a>(
        &'a self,
        after: Option<&StoreKey>,
    ) -> impl Iterator<Item = (KeyRef<'a>, &'a PackedItem)> + 'a {
        self.items.range(after.map_or(Bound::Unbounded, Bound::Excluded), Bound::Unbounded)
    }

    /// Items of one item collection (one partition key), in sort-key order.
    pub fn collection<'a>(
        &'a self,
        pk: &KeyValue,
    ) -> impl DoubleEndedIterator<Item = (KeyRef<'a>, &'a PackedItem)> + 'a {
        let lo = StoreKey::of(pk, None);
        let upper = lo.hash.checked_add(1).map(StoreKey::first_with_hash);
        let upper = upper.as_ref().map_or(Bound::Unbounded, Bound::Excluded);
        let range = self.items.range(Bound::Included(&lo), upper);
        range.filter(move |(k, _)| k.same_pk(&lo))
    }

    /// Index entries of one index, in index order: (index key, table key).
    pub fn index_entries_in(&self, index: &str) -> impl DoubleEndedIterator<Item = (&IndexKey, &StoreKey)> {
        self.indexes.get(index).into_iter().flat_map(|m| m.iter().map(|e| (e, &e.table_key)))
    }

    /// The items between two keys, in order (none if the bounds are the wrong way round).
    pub fn items_between(
        &self,
        lower: Bound<StoreKey>,
        upper: Bound<StoreKey>,
    ) -> impl DoubleEndedIterator<Item = (KeyRef<'_>, &PackedItem)> {
        let range = in_order(&lower, &upper).then(|| self.items.range(lower.as_ref(), upper.as_ref()));
        range.into_iter().flatten()
    }

    /// Whether the table keeps entries for index `name` (it has such an index).
    pub fn has_index(&self, name: &str) -> bool {
        self.indexes.contains_key(name)
    }

    /// One index's entries between two index keys, in order (none if the bounds are the
    /// wrong way round or there is no such index).
    pub fn index_entries_between(
        &self,
        index: &str,
        lower: Bound<IndexKey>,
        upper: Bound<IndexKey>,
    ) -> impl DoubleEndedIterator<Item = (&IndexKey, &StoreKey)> {
        let map = self.indexes.get(index).filter(|_| in_order(&lower, &upper));
        map.into_iter().flat_map(move |m| m.range((lower.clone(), upper.clone())).map(|e| (e, &e.table_key)))
    }
}

/// Whether a range with these bounds is one `BTreeMap::range` takes (it panics on a
/// start after the end, or equal to it with both excluded).
pub(crate) fn in_order<T: Ord>(lower: &Bound<T>, upper: &Bound<T>) -> bool {
    match (lower, upper) {
        (Bound::Excluded(a), Bound::Excluded(b)) => a < b,
        (Bound::Included(a) | Bound::Excluded(a), Bound::Included(b) | Bound::Excluded(b)) => a <= b,
        _ => true,
    }
}

#[cfg(test)]
mod tests;
