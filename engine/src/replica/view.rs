//! A follower's table, as Query and Scan read it, without copying the leader's: the
//! changes the follower has not applied yet are undone in an overlay (each changed key
//! as it was before the oldest of them, and the index entries that follow from that),
//! and the overlay is merged into the leader's ranges as they are read. So a follower's
//! read costs the items it reads plus the changes in the lag window, however large the
//! table.

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::iter::Peekable;
use std::ops::Bound;

use super::Served;
use crate::engine::Engine;
use crate::table::{in_order, IndexKey, KeyRef, StoreKey, Table};
use crate::value::PackedItem;

/// One replica's table: the leader's, with an overlay of what the replica holds instead.
pub struct ReadView<'t> {
    pub leader: &'t Table,
    /// Each key changed since the replica's cutoff, and its item then (`None`: absent).
    items: BTreeMap<StoreKey, Option<PackedItem>>,
    /// Per index (only those the undone changes touch), the entries the replica has that
    /// the leader does not (`Some`: the table key), and those it lacks (`None`).
    indexes: BTreeMap<String, BTreeMap<IndexKey, Option<StoreKey>>>,
}

/// Items in storage order, or the reverse.
pub type Items<'v> = Box<dyn Iterator<Item = (KeyRef<'v>, &'v PackedItem)> + 'v>;
/// Index entries (index key, table key) in index order, or the reverse.
pub type Entries<'v> = Box<dyn Iterator<Item = (&'v IndexKey, &'v StoreKey)> + 'v>;

impl<'t> ReadView<'t> {
    /// The leader itself.
    pub fn leader(leader: &'t Table) -> ReadView<'t> {
        ReadView { leader, items: BTreeMap::new(), indexes: BTreeMap::new() }
    }

    /// `leader` as the replica `served` holds it: the changes committed after its cutoff
    /// (of this incarnation of the table only: a name can be reused) undone.
    pub fn of(engine: &Engine, leader: &'t Table, served: Served) -> ReadView<'t> {
        let mut view = ReadView::leader(leader);
        let Some(cutoff) = served.applied_until_ms.and_then(|c| c.checked_add(1)) else { return view };
        let Some(log) = engine.logs.get(&leader.def.name) else { return view };
        for c in log.committed_from(cutoff.max(leader.def.created_ms)) {
            let Some(key) = c.store_key(&leader.def.schema) else { continue };
            // The oldest change says what the replica holds.
            view.items.entry(key).or_insert_with(|| c.before.clone());
        }
        view.undo_index_entries();
        view
    }

    /// Whether the replica holds anything the leader does not.
    pub fn is_leader(&self) -> bool {
        self.items.is_empty()
    }

    /// For each undone key, each index entry the leader's item has and the replica's
    /// item does not, and the other way round.
    fn undo_index_entries(&mut self) {
        for (key, then) in &self.items {
            let now = self.leader.get(key);
            for def in self.leader.def.indexes.iter().filter(|d| self.leader.has_index(&d.name)) {
                let (now_key, then_key) =
                    (now.and_then(|i| def.schema.packed_key(i)), then.as_ref().and_then(|i| def.schema.packed_key(i)));
                if now_key == then_key {
                    continue;
                }
                let entries = self.indexes.entry(def.name.clone()).or_default();
                let entry = |k: StoreKey| IndexKey { key: k, table_key: key.clone() };
                if let Some(k) = now_key {
                    entries.insert(entry(k), None);
                }
                if let Some(k) = then_key {
                    entries.insert(entry(k), Some(key.clone()));
                }
            }
        }
    }

    /// The replica's item at `key`.
    pub fn get(&self, key: &StoreKey) -> Option<&PackedItem> {
        match self.items.get(key) {
            Some(then) => then.as_ref(),
            None => self.leader.get(key),
        }
    }

    /// The replica's items between two keys, `forward` or backwards (none if the bounds
    /// are the wrong way round).
    pub fn items_between(&self, lower: Bound<StoreKey>, upper: Bound<StoreKey>, forward: bool) -> Items<'_> {
        // The leader's own reads pay nothing for the overlay.
        if self.items.is_empty() {
            let stored = self.leader.items_between(lower, upper);
            return if forward { Box::new(stored) } else { Box::new(stored.rev()) };
        }
        let undone = in_order(&lower, &upper).then(|| self.items.range((lower.clone(), upper.clone())));
        let undone = undone.into_iter().flatten().map(|(k, then)| (k.borrowed(), then));
        let stored = self.leader.items_between(lower, upper);
        if forward {
            Box::new(Overlaid::new(stored, undone, Ordering::Less))
        } else {
            Box::new(Overlaid::new(stored.rev(), undone.rev(), Ordering::Greater))
        }
    }

    /// The replica's entries of index `index` between two index keys, `forward` or
    /// backwards (none if the bounds are the wrong way round or there is no such index).
    pub fn index_entries_between(
        &self,
        index: &str,
        lower: Bound<IndexKey>,
        upper: Bound<IndexKey>,
        forward: bool,
    ) -> Entries<'_> {
        let Some(undone) = self.indexes.get(index) else {
            let stored = self.leader.index_entries_between(index, lower, upper);
            return if forward { Box::new(stored) } else { Box::new(stored.rev()) };
        };
        let undone = Some(undone).filter(|_| in_order(&lower, &upper));
        let undone = undone.into_iter().flat_map({
            let bounds = (lower.clone(), upper.clone());
            move |m| m.range(bounds.clone())
        });
        let stored = self.leader.index_entries_between(index, lower, upper);
        if forward {
            Box::new(Overlaid::new(stored, undone, Ordering::Less))
        } else {
            Box::new(Overlaid::new(stored.rev(), undone.rev(), Ordering::Greater))
        }
    }
}

/// `stored` with `undone` laid over it, both in one order: `first` is how a key that
/// comes first compares to one after it (`Less` going forward). An overlay entry replaces
/// the stored one with its key; `None` hides it.
struct Overlaid<'a, K, V: 'a, S: Iterator<Item = (K, &'a V)>, U: Iterator<Item = (K, &'a Option<V>)>> {
    stored: Peekable<S>,
    undone: Peekable<U>,
    first: Ordering,
}

impl<'a, K, V, S, U> Overlaid<'a, K, V, S, U>
where
    S: Iterator<Item = (K, &'a V)>,
    U: Iterator<Item = (K, &'a Option<V>)>,
{
    fn new(stored: S, undone: U, first: Ordering) -> Self {
        Overlaid { stored: stored.peekable(), undone: undone.peekable(), first }
    }
}

impl<'a, K: Ord, V: 'a, S, U> Iterator for Overlaid<'a, K, V, S, U>
where
    S: Iterator<Item = (K, &'a V)>,
    U: Iterator<Item = (K, &'a Option<V>)>,
{
    type Item = (K, &'a V);

    fn next(&mut self) -> Option<(K, &'a V)> {
        loop {
            let order = match (self.stored.peek(), self.undone.peek()) {
                (_, None) => return self.stored.next(),
                (None, Some(_)) => self.first.reverse(),
                (Some((s, _)), Some((u, _))) => s.cmp(u),
            };
            if order == self.first {
                return self.stored.next();
            }
            if order == Ordering::Equal {
                self.stored.next();
            }
            if let Some((k, Some(v))) = self.undone.next() {
                return Some((k, v));
            }
        }
    }
}

#[cfg(test)]
mod tests;
