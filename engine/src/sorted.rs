//! Sorting and sorted collections for code off the hot path, in one copy of the page.
//!
//! Every `sort_by` and every `collect()` into a `BTreeMap`, a `BTreeSet` or a JSON object
//! compiles std's stable sort anew for its element type, its comparator and even the
//! iterator it was collected from: about 5 KB of wasm each, and 65 of them were 354 KB of
//! the page (a build keeping names; README, "Measured"). Code that runs once per view,
//! record or request sorts through here instead: [`sort_by`] sorts positions with one
//! compiled sort and then moves the elements; [`map`] and [`set`] insert in turn (what
//! `collect()` gives: of equal keys the last value); [`object`] collects every JSON object
//! through one function. Hot paths (an item's attributes, a reload's items and changes)
//! keep std's sort, and clippy (`clippy.toml` here and in `web/`) holds the rest to this.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

/// A stable sort of `v` by `cmp`, as `v.sort_by(cmp)`.
pub fn sort_by<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    // Most lists here are short and many already in order: no allocation for those.
    if v.is_sorted_by(|a, b| cmp(a, b).is_le()) {
        return;
    }
    let order = {
        let v = &*v;
        positions(v.len(), &mut |a, b| match (v.get(a), v.get(b)) {
            (Some(x), Some(y)) => cmp(x, y),
            _ => Ordering::Equal,
        })
    };
    permute(v, order);
}

/// A stable sort of `v` by `key`, as `v.sort_by_key(key)`.
pub fn sort_by_key<T, K: Ord>(v: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)));
}

/// A stable sort of `v`, as `v.sort()`.
pub fn sort<T: Ord>(v: &mut [T]) {
    sort_by(v, T::cmp);
}

/// A map of the pairs; of equal keys the last value is kept, as `collect()` keeps it.
pub fn map<K: Ord, V>(pairs: impl IntoIterator<Item = (K, V)>) -> BTreeMap<K, V> {
    let mut out = BTreeMap::new();
    for (k, v) in pairs {
        out.insert(k, v);
    }
    out
}

/// A set of the values.
pub fn set<T: Ord>(values: impl IntoIterator<Item = T>) -> BTreeSet<T> {
    let mut out = BTreeSet::new();
    for v in values {
        out.insert(v);
    }
    out
}

/// A JSON object of the members; of equal names the last value is kept.
pub fn object(members: impl IntoIterator<Item = (String, Value)>) -> Value {
    Value::Object(members_map(members.into_iter().collect()))
}

/// [`object`]'s map, for a caller that goes on inserting.
pub fn object_map(members: impl IntoIterator<Item = (String, Value)>) -> Map<String, Value> {
    members_map(members.into_iter().collect())
}

/// Not generic: std's sort compiled once for every object (members in order, as an item's
/// are, are checked in one pass and then built without a search each).
fn members_map(members: Vec<(String, Value)>) -> Map<String, Value> {
    members.into_iter().collect()
}

/// The positions `0..n` in the order `cmp` gives them: the one compiled sort.
fn positions(n: usize, cmp: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    #[expect(clippy::disallowed_methods, reason = "the one compiled sort everything else shares")]
    order.sort_by(|&a, &b| cmp(a, b));
    order
}

/// Moves `v`'s elements so that position `i` holds what was at `order[i]`, following each
/// cycle of the permutation with swaps.
fn permute<T>(v: &mut [T], mut order: Vec<usize>) {
    for start in 0..order.len() {
        let mut at = start;
        while let Some(slot) = order.get_mut(at) {
            let from = std::mem::replace(slot, at);
            if from == start || from == at {
                break;
            }
            v.swap(at, from);
            at = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn sorts_as_std_does_and_stays_stable(v in proptest::collection::vec((0u8..6, any::<u16>()), 0..60)) {
            let mut ours = v.clone();
            let mut std_sorted = v;
            sort_by(&mut ours, |a, b| a.0.cmp(&b.0));
            #[expect(clippy::disallowed_methods, reason = "a test: std's sort is the oracle, and tests are not in the page")]
            std_sorted.sort_by_key(|a| a.0);
            prop_assert_eq!(ours, std_sorted);
        }

        #[test]
        fn collects_as_std_does(v in proptest::collection::vec((0u8..6, any::<u16>()), 0..60)) {
            let std_map: BTreeMap<u8, u16> = v.iter().copied().collect();
            prop_assert_eq!(map(v.iter().copied()), std_map);
            let std_set: BTreeSet<(u8, u16)> = v.iter().copied().collect();
            prop_assert_eq!(set(v.iter().copied()), std_set);
            let members = v.iter().map(|(k, n)| (k.to_string(), Value::from(*n)));
            let std_object = Value::Object(members.clone().collect());
            prop_assert_eq!(object(members), std_object);
        }
    }

    #[test]
    fn sorts_by_key_and_whole() {
        let mut v = vec!["pear", "fig", "apple", "kiwi"];
        sort_by_key(&mut v, |s| s.len());
        assert_eq!(v, ["fig", "pear", "kiwi", "apple"]);
        sort(&mut v);
        assert_eq!(v, ["apple", "fig", "kiwi", "pear"]);
    }
}
