//! Where a Query's entries are in the table's (or index's) ordered map. The sort keys a
//! key condition accepts are one run in sort-key order, so a page is read from a range
//! of the map: from the condition's first possible key, or just past the
//! `ExclusiveStartKey` (which the condition accepts), to the condition's last; backwards,
//! the other way round. A page then costs the entries it reads, not the collection.

use std::ops::Bound;

use super::SortTest;
use crate::expr::syntax::CmpOp;
use crate::table::{IndexKey, KeyRef, KeyValue, StoreKey};

/// The keys a sort-key condition can accept lie in `from..to` (`None`: the collection's
/// own start or end).
pub(super) struct Run {
    from: Option<StoreKey>,
    to: Option<StoreKey>,
    /// The collection's first key, and the first key past it (`None`: the map's end).
    first: StoreKey,
    past: Option<StoreKey>,
}

impl Run {
    pub(super) fn of(pk: &KeyValue, sort: Option<&SortTest>) -> Run {
        let key = |v: &KeyValue| StoreKey::of(pk, Some(v));
        let (from, to) = match sort {
            None | Some(SortTest::Cmp(CmpOp::Ne, _)) => (None, None),
            Some(SortTest::Cmp(CmpOp::Eq, v)) => (Some(key(v)), Some(key(v).just_after())),
            Some(SortTest::Cmp(CmpOp::Lt, v)) => (None, Some(key(v))),
            Some(SortTest::Cmp(CmpOp::Le, v)) => (None, Some(key(v).just_after())),
            Some(SortTest::Cmp(CmpOp::Gt | CmpOp::Ge, v)) => (Some(key(v)), None),
            Some(SortTest::Between(lo, hi)) => (Some(key(lo)), Some(key(hi).just_after())),
            Some(SortTest::BeginsWith(prefix)) => match KeyValue::from_attribute(prefix) {
                Some(p) => (Some(key(&p)), StoreKey::past_prefix(pk, &p)),
                None => (None, None),
            },
        };
        let first = StoreKey::of(pk, None);
        let past = first.hash.checked_add(1).map(StoreKey::first_with_hash);
        Run { from, to, first, past }
    }

    /// Whether `key` is of this collection: in a range, a key of another partition key
    /// with the same hash is passed over.
    pub(super) fn holds(&self, key: KeyRef) -> bool {
        key.same_pk(&self.first)
    }

    fn lower(&self) -> StoreKey {
        self.from.clone().unwrap_or_else(|| self.first.clone())
    }

    fn upper(&self) -> Option<StoreKey> {
        self.to.clone().or_else(|| self.past.clone())
    }

    /// The table's map range to read: past `start` going `forward`, before it backwards.
    pub(super) fn table_range(&self, start: Option<&StoreKey>, forward: bool) -> (Bound<StoreKey>, Bound<StoreKey>) {
        let upper = self.upper().map_or(Bound::Unbounded, Bound::Excluded);
        match start {
            Some(s) if forward => (Bound::Excluded(s.clone()), upper),
            Some(s) => (Bound::Included(self.lower()), Bound::Excluded(s.clone())),
            None => (Bound::Included(self.lower()), upper),
        }
    }

    /// An index's map range to read; `start` is the start key's index entry.
    pub(super) fn index_range(&self, start: Option<IndexKey>, forward: bool) -> (Bound<IndexKey>, Bound<IndexKey>) {
        // Before every entry whose index key is `key`, whatever its table key.
        let least = |key: StoreKey| IndexKey { key, table_key: StoreKey::first_with_hash(0) };
        let upper = self.upper().map_or(Bound::Unbounded, |k| Bound::Excluded(least(k)));
        match start {
            Some(s) if forward => (Bound::Excluded(s), upper),
            Some(s) => (Bound::Included(least(self.lower())), Bound::Excluded(s)),
            None => (Bound::Included(least(self.lower())), upper),
        }
    }
}
