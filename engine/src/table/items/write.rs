//! Changing a table's items: inserting (a full chunk lends an entry to a neighbour with
//! room, or splits), removing (a chunk nearly empty joins a neighbour), and a reload's
//! merge, which fills every chunk.

use std::cmp::Ordering;

use super::{At, Chunk, Entry, Items, CHUNK};
use crate::table::StoreKey;
use crate::value::PackedItem;

impl Chunk {
    /// Its entries followed by `other`'s (which come after them).
    fn append(&mut self, other: Chunk) {
        let needed = self.entries.len() + other.entries.len();
        self.entries.reserve_exact(needed.saturating_sub(self.entries.capacity()));
        self.entries.extend(other.entries);
        self.refirst();
    }
}

impl Items {
    /// Stores `item` at `key`, returning the item it replaced. An item packed after
    /// another key is copied after this one (the table packs its items after theirs, so
    /// that the change log shares them).
    pub fn insert(&mut self, key: &StoreKey, item: PackedItem) -> Option<PackedItem> {
        let entry = Entry::new(key, item);
        match self.locate(key.borrowed()) {
            Ok((c, n)) => {
                let slot = self.chunks.get_mut(c).and_then(|c| c.entries.get_mut(n))?;
                Some(std::mem::replace(slot, entry).item)
            }
            Err((at, shares_hash)) => {
                self.shared_hashes |= shares_hash;
                self.len += 1;
                self.add(at, entry);
                None
            }
        }
    }

    pub fn remove(&mut self, key: &StoreKey) -> Option<PackedItem> {
        let ((c, n), _) = self.found(key.borrowed())?;
        let entry = self.chunks.get_mut(c)?.remove(n)?;
        self.len -= 1;
        self.tidy(c);
        Some(entry.item)
    }

    /// Puts `entry` (a new key) at `at`, where it goes in key order (a place at a
    /// chunk's end is before the next chunk's start).
    fn add(&mut self, at: At, entry: Entry) {
        let last = self.chunks.len().checked_sub(1);
        let (c, n) = match (last, self.chunks.last()) {
            (Some(last), Some(chunk)) if at.0 > last => (last, chunk.entries.len()),
            (Some(_), _) => at,
            _ => return self.chunks.push(Chunk { first: entry.hash, entries: vec![entry] }),
        };
        let Some(chunk) = self.chunks.get_mut(c) else { return };
        if !chunk.is_full() {
            return chunk.insert(n, entry);
        }
        let has_room = |i: usize| self.chunks.get(i).is_some_and(|c| !c.is_full());
        if has_room(c + 1) {
            // The chunk's last entry (or the new one, at its end) goes first in the next.
            let moved = if n == CHUNK { entry } else { self.displace(c, n, entry, false) };
            if let Some(next) = self.chunks.get_mut(c + 1) {
                next.insert(0, moved);
            }
        } else if c > 0 && has_room(c - 1) {
            // The chunk's first entry (or the new one, at its start) goes last in the one before.
            let moved = if n == 0 { entry } else { self.displace(c, n, entry, true) };
            if let Some(prev) = self.chunks.get_mut(c - 1) {
                prev.insert(CHUNK, moved);
            }
        } else {
            self.split(c, n, entry);
        }
    }

    /// Puts `entry` at place `n` of full chunk `c`, taking out its first entry (`first`)
    /// or its last, for a neighbour.
    fn displace(&mut self, c: usize, n: usize, entry: Entry, first: bool) -> Entry {
        let Some(chunk) = self.chunks.get_mut(c) else { return entry };
        let moved = if first { chunk.remove(0) } else { chunk.entries.pop() };
        let Some(moved) = moved else { return entry };
        chunk.insert(if first { n.saturating_sub(1) } else { n }, entry);
        moved
    }

    /// Splits full chunk `c` for `entry` at its place `n`: one at either end starts a
    /// chunk of its own (keys added in order fill their chunks), one within goes into
    /// the half it falls in.
    fn split(&mut self, c: usize, n: usize, entry: Entry) {
        let (at, chunk) = match n {
            0 => (c, Chunk::of([entry])),
            CHUNK => (c + 1, Chunk::of([entry])),
            _ => {
                let Some(full) = self.chunks.get_mut(c) else { return };
                let mut tail = Chunk::of(full.entries.drain(CHUNK / 2..));
                match n.checked_sub(CHUNK / 2) {
                    Some(m) if m > 0 => tail.insert(m, entry),
                    _ => full.insert(n, entry),
                }
                (c + 1, tail)
            }
        };
        self.chunks.insert(at, chunk);
    }

    /// After a removal from chunk `c`: an empty chunk goes, and one a quarter full or
    /// less joins a neighbour they both fit in.
    fn tidy(&mut self, c: usize) {
        let len = |i: usize| self.chunks.get(i).map(|c| c.entries.len());
        let Some(here) = len(c) else { return };
        if here == 0 {
            self.chunks.remove(c);
        } else if here <= CHUNK / 4 {
            let (first, second) = match (len(c + 1), c.checked_sub(1).and_then(len)) {
                (Some(next), _) if here + next <= CHUNK => (c, c + 1),
                (_, Some(prev)) if here + prev <= CHUNK => (c - 1, c),
                _ => return,
            };
            let second = self.chunks.remove(second);
            if let Some(first) = self.chunks.get_mut(first) {
                first.append(second);
            }
        }
    }

    /// Adds `entries` (a reload's, sorted, each key once), replacing the items at their
    /// keys: the two merged in one pass into full chunks, each old chunk given back as
    /// the pass leaves it.
    pub(in crate::table) fn merge_sorted(&mut self, entries: Vec<Entry>) {
        let mut old = std::mem::take(&mut self.chunks).into_iter().flat_map(|c| c.entries).peekable();
        let mut new = entries.into_iter().peekable();
        self.len = 0;
        loop {
            let order = match (old.peek(), new.peek()) {
                (Some(a), Some(b)) => a.cmp(b),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => break,
            };
            let next = match order {
                Ordering::Less => old.next(),
                // The new item replaces the old.
                Ordering::Equal => old.next().and(new.next()),
                Ordering::Greater => new.next(),
            };
            if let Some(entry) = next {
                self.push_last(entry);
            }
        }
        // A table of a few items keeps room for a few.
        if let Some(last) = self.chunks.last_mut() {
            last.entries.shrink_to_fit();
        }
    }

    /// Adds `entry`, after every entry held.
    fn push_last(&mut self, entry: Entry) {
        self.len += 1;
        let last = self.chunks.last().and_then(|c| c.entries.last());
        self.shared_hashes |= last.is_some_and(|l| l.hash == entry.hash && !l.key().same_pk(&entry.key()));
        match self.chunks.last_mut() {
            Some(last) if !last.is_full() => last.entries.push(entry),
            _ => self.chunks.push(Chunk::of([entry])),
        }
    }
}
