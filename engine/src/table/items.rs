//! A table's items in key order, each item alone: it carries its key's bytes at the start
//! of its own allocation ([`PackedItem::keyed`]), so the table holds only its hash, the
//! first bytes of its sort key and a pointer to it: an [`Entry`] of 24 bytes natively, 16
//! in the page (wasm32's 4-byte pointer leaves room for the sort key's bytes).
//!
//! The entries lie in key order in chunks of at most [`CHUNK`], each chunk's first hash
//! beside it in one list (so the list is searched without reading the chunks): a search
//! is a binary search of that list (reading an item only where two chunks start in one
//! item collection), then a guess within one chunk ([`first_of_hash`]). A `BTreeSet` of the
//! same entries kept its leaves two thirds full or so, with a parent pointer in each and
//! its inner nodes beside: about 30 bytes an item at 100,000 items inserted in hash order.
//! A full chunk gives an entry to a neighbour with room before it splits, and one written
//! at its end (keys added in order) starts a chunk of its own, so chunks stay fuller; a
//! reload fills them ([`Items::merge_sorted`]).
//!
//! Entries compare by hash, then by the key's bytes, exactly as [`StoreKey`]s compare;
//! the hash is kept in the entry so that keys of different partitions compare without
//! reading the items. Keys of one item collection share the hash, and a lookup among them
//! compares the first four bytes of their sort keys ([`StoreKey::sort_prefix`]) before it
//! reads an item: a GetItem among 50 items of a partition key read six items, most of
//! them a cache miss, and now reads the one it finds. That holds only where a hash's
//! entries are one partition key's; a table where two partition keys share a hash (an
//! MD5 collision) is noted and searched by the keys' bytes alone. A search compares the
//! entries with the key it is given, so it allocates nothing.

use std::cmp::Ordering;
use std::ops::Bound;

use super::store_key::KeyRef;
use super::StoreKey;
use crate::value::PackedItem;

/// The most entries a chunk holds: 2 KiB of them. Inserting moves half a chunk on
/// average, and splitting one moves the list of chunks after it (at a million items,
/// about 10,000 chunks of 32 bytes).
#[cfg(not(test))]
const CHUNK: usize = 128;
/// Small in the engine's own tests, so that they split, lend and merge chunks.
#[cfg(test)]
const CHUNK: usize = 4;

/// One stored item, its key's hash and its sort key's first bytes.
#[derive(Clone)]
pub(super) struct Entry {
    hash: u64,
    prefix: u32,
    item: PackedItem,
}

// The size the module docs give: the prefix fills what a 32-bit pointer leaves.
const _: () = assert!(std::mem::size_of::<Entry>() == 8 + 2 * std::mem::size_of::<usize>());

impl Ord for Entry {
    fn cmp(&self, other: &Entry) -> Ordering {
        self.cmp_key(other.hash, other.item.key_bytes())
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
        Entry { hash: key.hash, prefix: key.sort_prefix(), item }
    }

    /// How its key compares with the key of hash `hash` and bytes `bytes`: the hash
    /// first, as most comparisons end there without reading the item.
    fn cmp_key(&self, hash: u64, bytes: &[u8]) -> Ordering {
        self.hash.cmp(&hash).then_with(|| self.item.key_bytes().cmp(bytes))
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

/// Entries in key order, never empty in [`Items`], and the first one's hash.
#[derive(Clone)]
struct Chunk {
    first: u64,
    entries: Vec<Entry>,
}

impl Chunk {
    /// A chunk of `entries` (not empty), with room for [`CHUNK`].
    fn of(entries: impl IntoIterator<Item = Entry>) -> Chunk {
        let mut chunk = Chunk { first: 0, entries: Vec::with_capacity(CHUNK) };
        chunk.entries.extend(entries);
        chunk.refirst();
        chunk
    }

    fn refirst(&mut self) {
        self.first = self.entries.first().map_or(0, |e| e.hash);
    }

    fn is_full(&self) -> bool {
        self.entries.len() >= CHUNK
    }

    /// Inserts `entry` at `at`, the chunk not full; a chunk smaller than [`CHUNK`]
    /// grows by doubling (a table of a few items keeps room for a few).
    fn insert(&mut self, at: usize, entry: Entry) {
        let len = self.entries.len();
        if len == self.entries.capacity() {
            self.entries.reserve_exact((len * 2).clamp(4, CHUNK) - len);
        }
        self.entries.insert(at.min(len), entry);
        self.refirst();
    }

    fn remove(&mut self, at: usize) -> Option<Entry> {
        let entry = (at < self.entries.len()).then(|| self.entries.remove(at));
        self.refirst();
        entry
    }
}

/// The first place in `entries` whose hash is not below `hash`, the chunk's hashes lying
/// in `span`. Hashes are spread evenly, so the place is guessed from where `hash` falls
/// in the span, and the guess walked to the place: a binary search of a chunk's 2 KiB
/// reads seven cache lines one after another, and took half the search in a profile of
/// UpdateItem.
fn first_of_hash(entries: &[Entry], hash: u64, span: std::ops::Range<u64>) -> usize {
    let width = u128::from(span.end.saturating_sub(span.start)).max(1);
    let offset = u128::from(hash.saturating_sub(span.start));
    let guess = usize::try_from(offset * entries.len() as u128 / width).unwrap_or(usize::MAX);
    let mut at = guess.min(entries.len());
    while at > 0 && entries.get(at - 1).is_some_and(|e| e.hash >= hash) {
        at -= 1;
    }
    while entries.get(at).is_some_and(|e| e.hash < hash) {
        at += 1;
    }
    at
}

/// A place among the entries: a chunk's, and a place in it (`(chunks, 0)` past the last).
type At = (usize, usize);

/// A table's items by key (see the module docs).
#[derive(Clone, Default)]
pub struct Items {
    chunks: Vec<Chunk>,
    /// The entries in all chunks, kept so that counting them reads none.
    len: usize,
    /// Whether two partition keys have shared a hash here (kept once set): lookups then
    /// compare keys by their bytes alone (see the module docs).
    shared_hashes: bool,
}

mod write;

impl Items {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The chunk `key` falls in (the last that starts before or at it) and, in it, the
    /// places of the entries with `key`'s hash; `None` before every chunk. Hashes are
    /// told apart without reading an item.
    fn hashed(&self, key: KeyRef) -> Option<(usize, &[Entry], std::ops::Range<usize>)> {
        let starts_before = |c: &Chunk| {
            c.first < key.hash
                || (c.first == key.hash && c.entries.first().is_some_and(|e| e.cmp_key(key.hash, key.bytes()).is_le()))
        };
        let at = self.chunks.partition_point(starts_before).checked_sub(1)?;
        let chunk = self.chunks.get(at)?;
        let until = self.chunks.get(at + 1).map_or(u64::MAX, |c| c.first);
        let entries = chunk.entries.as_slice();
        let lo = first_of_hash(entries, key.hash, chunk.first..until);
        let mut hi = lo;
        while entries.get(hi).is_some_and(|e| e.hash == key.hash) {
            hi += 1;
        }
        Some((at, entries, lo..hi))
    }

    /// The first place whose entry is not before `key` (with `after`, not before or at
    /// it); a place at a chunk's end is told as the next chunk's start.
    fn find(&self, key: KeyRef, after: bool) -> At {
        let Some((at, entries, run)) = self.hashed(key) else { return (0, 0) };
        let before = |e: &Entry| match e.item.key_bytes().cmp(key.bytes()) {
            Ordering::Less => true,
            Ordering::Equal => after,
            Ordering::Greater => false,
        };
        match run.start + entries.get(run).unwrap_or_default().partition_point(before) {
            n if n == entries.len() => (at + 1, 0),
            n => (at, n),
        }
    }

    fn entry(&self, (chunk, n): At) -> Option<&Entry> {
        self.chunks.get(chunk)?.entries.get(n)
    }

    /// Where `key` is (`Ok`) or would go (`Err`, and whether its hash's entries are
    /// another partition key's): the search a lookup makes, stopping at the entry it
    /// looks for. Only entries of `key`'s hash are compared, by their sort keys' first
    /// bytes and then, where those are equal, by reading the item.
    fn locate(&self, key: KeyRef) -> Result<At, (At, bool)> {
        let Some((at, entries, run)) = self.hashed(key) else {
            return Err(((0, 0), !self.shared_hashes && self.beside_another_pk((0, 0), key)));
        };
        let entries = entries.get(run.clone()).unwrap_or_default();
        let by_bytes = |e: &Entry| e.item.key_bytes().cmp(key.bytes());
        let prefix = key.sort_prefix();
        let by_prefix = |e: &Entry| e.prefix.cmp(&prefix).then_with(|| by_bytes(e));
        let found =
            if self.shared_hashes { entries.binary_search_by(by_bytes) } else { entries.binary_search_by(by_prefix) };
        match found {
            Ok(n) => Ok((at, run.start + n)),
            Err(n) if self.shared_hashes => Err(((at, run.start + n), false)),
            Err(n) => {
                // Another partition key's entries (their hash is `key`'s): the prefixes
                // say nothing between the two, the bytes place it. `key`'s own (all of
                // its hash's, as none is shared yet): the prefixes placed it.
                let other = entries.first().is_some_and(|e| !e.key().same_pk(&key));
                let n = if other { entries.binary_search_by(by_bytes).unwrap_or_else(|n| n) } else { n };
                let place = (at, run.start + n);
                Err((place, other || (entries.is_empty() && self.beside_another_pk(place, key))))
            }
        }
    }

    /// Whether an entry beside place `at` (where `key` would go) has `key`'s hash and
    /// another partition key.
    fn beside_another_pk(&self, at: At, key: KeyRef) -> bool {
        self.beside(at).into_iter().flatten().any(|e| e.hash == key.hash && !e.key().same_pk(&key))
    }

    /// The entries just before place `(c, n)` and at it, either maybe in the chunk before
    /// or after.
    fn beside(&self, (c, n): At) -> [Option<&Entry>; 2] {
        let before = match n.checked_sub(1) {
            Some(m) => self.entry((c, m)),
            None => c.checked_sub(1).and_then(|b| self.chunks.get(b)).and_then(|b| b.entries.last()),
        };
        [before, self.entry((c, n)).or_else(|| self.entry((c + 1, 0)))]
    }

    /// Whether an item other than `key`'s has `key`'s partition key: the items of one
    /// partition key lie together, so one would lie beside `key`'s place. One lookup and
    /// the two entries beside.
    pub fn has_company(&self, key: &StoreKey) -> bool {
        let key = key.borrowed();
        let beside = match self.locate(key) {
            Ok((c, n)) => [self.beside((c, n))[0], self.beside((c, n + 1))[1]],
            Err((at, _)) => self.beside(at),
        };
        // The hash first: an entry of another hash is told apart without reading its item.
        beside.into_iter().flatten().any(|e| e.hash == key.hash && e.key().same_pk(&key))
    }

    /// The entry at `key`, with its place.
    fn found(&self, key: KeyRef) -> Option<(At, &Entry)> {
        let at = self.locate(key).ok()?;
        self.entry(at).map(|e| (at, e))
    }

    pub fn get(&self, key: &StoreKey) -> Option<&PackedItem> {
        self.found(key.borrowed()).map(|(_, e)| &e.item)
    }

    /// Every item, in key order.
    pub fn values(&self) -> impl DoubleEndedIterator<Item = &PackedItem> {
        self.entries().map(|e| &e.item)
    }

    /// Every item, in key order, given up.
    pub fn into_values(self) -> impl DoubleEndedIterator<Item = PackedItem> {
        self.chunks.into_iter().flat_map(|c| c.entries).map(|e| e.item)
    }

    /// Every item with its key, in key order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (KeyRef<'_>, &PackedItem)> {
        self.entries().map(Entry::pair)
    }

    fn entries(&self) -> impl DoubleEndedIterator<Item = &Entry> {
        self.chunks.iter().flat_map(|c| &c.entries)
    }

    /// The items between two keys, in key order (none for a start after the end).
    pub fn range(
        &self,
        lower: Bound<&StoreKey>,
        upper: Bound<&StoreKey>,
    ) -> impl DoubleEndedIterator<Item = (KeyRef<'_>, &PackedItem)> {
        let from = match lower {
            Bound::Included(k) => self.find(k.borrowed(), false),
            Bound::Excluded(k) => self.find(k.borrowed(), true),
            Bound::Unbounded => (0, 0),
        };
        let to = match upper {
            Bound::Included(k) => self.find(k.borrowed(), true),
            Bound::Excluded(k) => self.find(k.borrowed(), false),
            Bound::Unbounded => (self.chunks.len(), 0),
        };
        let chunks = self.chunks.get(from.0..to.0.saturating_add(1).min(self.chunks.len())).unwrap_or_default();
        // The first chunk from `from`, the last up to `to`.
        chunks
            .iter()
            .enumerate()
            .flat_map(move |(n, c)| {
                let i = from.0 + n;
                let start = if i == from.0 { from.1 } else { 0 };
                let end = if i == to.0 { to.1 } else { c.entries.len() };
                c.entries.get(start..end).unwrap_or_default()
            })
            .map(Entry::pair)
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

#[cfg(test)]
mod tests;
