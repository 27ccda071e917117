use std::collections::BTreeMap;

use proptest::prelude::*;

use super::*;
use crate::table::KeyValue;
use crate::value::{AttributeValue, Item};

/// Sort keys of one to five bytes, many sharing their first four (so lookups compare
/// the items' bytes as well as their prefixes), one a prefix of another.
fn key(p: u8, s: u8, collide: bool) -> StoreKey {
    let sk = match s % 4 {
        0 => vec![s],
        1 => vec![7, 7, 7, 7, s],
        2 => vec![7, 7, 7],
        _ => vec![7, 7, 7, 0, s],
    };
    let key = StoreKey::new(KeyValue::S(format!("p{p}").into()), Some(KeyValue::B(sk)));
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

/// Every chunk holds 1 to [`CHUNK`] entries and knows its first hash, the entries are in
/// order across chunks, and the count is theirs.
fn well_formed(items: &Items) {
    for c in &items.chunks {
        assert!((1..=CHUNK).contains(&c.entries.len()), "a chunk of {}", c.entries.len());
        assert_eq!(Some(c.first), c.entries.first().map(|e| e.hash));
    }
    let entries: Vec<&Entry> = items.entries().collect();
    assert!(entries.windows(2).all(|w| w.first() < w.last()), "out of order");
    assert_eq!(entries.len(), items.len());
}

/// The share of the chunks' room their entries fill.
fn fill(items: &Items) -> f64 {
    let room: usize = items.chunks.iter().map(|c| c.entries.capacity()).sum();
    items.len() as f64 / room as f64
}

fn keys(n: u32) -> Vec<StoreKey> {
    (0..n).map(|i| StoreKey::new(KeyValue::S(format!("k{i}").into()), None)).collect()
}

#[test]
fn items_added_in_any_order_fill_most_of_their_chunks() {
    // In the order of their hashes, as a table of many partition keys gets them.
    let mut items = Items::default();
    for k in keys(2_000) {
        items.insert(&k, PackedItem::new(&Item::new()));
    }
    well_formed(&items);
    assert!(fill(&items) > 0.75, "{}", fill(&items));
    // In key order (one item collection, its sort keys ascending): each chunk full.
    let mut sorted = keys(2_000);
    crate::sorted::sort_by(&mut sorted, StoreKey::cmp);
    let mut items = Items::default();
    for k in &sorted {
        items.insert(k, PackedItem::new(&Item::new()));
    }
    assert!(fill(&items) > 0.99, "{}", fill(&items));
    // Emptied but for every tenth: chunks join.
    for k in sorted.iter().enumerate().filter(|(i, _)| i % 10 != 0).map(|(_, k)| k) {
        items.remove(k);
    }
    well_formed(&items);
    assert_eq!(items.len(), 200);
    assert!(items.chunks.len() < 200, "{} chunks", items.chunks.len());
}

#[test]
fn a_reload_fills_every_chunk() {
    let mut items = Items::default();
    let mut entries: Vec<Entry> = keys(1_001).iter().map(|k| Entry::new(k, PackedItem::new(&Item::new()))).collect();
    crate::sorted::sort_by(&mut entries, Entry::cmp);
    let (first, second) = entries.split_at(500);
    items.merge_sorted(second.to_vec());
    items.merge_sorted(first.to_vec());
    well_formed(&items);
    assert_eq!((items.len(), items.chunks.len()), (1_001, 1_001_usize.div_ceil(CHUNK)));
    assert!(items.chunks.iter().rev().skip(1).all(|c| c.entries.capacity() == CHUNK));
    assert_eq!(items.chunks.last().map(|c| c.entries.capacity()), Some(1_001 % CHUNK));
}

proptest! {
    /// Items hold, find, order and range their items as a map by [`StoreKey`] does,
    /// partition keys sharing a hash (`collide`) or not.
    #[test]
    fn items_behave_as_a_map_by_store_key(
        ops in proptest::collection::vec((any::<bool>(), 0u8..6, 0u8..4), 0..80),
        more in proptest::collection::vec((0u8..4, 0u8..6, 0u8..8), 0..200),
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
            let company = model.keys().any(|m| m != &k && m.same_pk(&k));
            prop_assert_eq!(items.has_company(&k), company);
        }
        // Then mostly puts, over more keys: chunks fill, lend, split and join.
        for (op, p, s) in more {
            let k = key(p, s, collide);
            let (got, want) = match op {
                0 => (items.remove(&k), model.remove(&k)),
                _ => (items.insert(&k, item(p, s)), model.insert(k.clone(), item(p, s))),
            };
            prop_assert_eq!(got, want);
            well_formed(&items);
        }
        prop_assert_eq!(items.len(), model.len());
        let listed: Vec<(StoreKey, PackedItem)> = items.iter().map(|(k, i)| (k.owned(), i.clone())).collect();
        prop_assert_eq!(&listed, &model.clone().into_iter().collect::<Vec<_>>());
        // Reloaded (the entries merged in), every key is found and every other is not.
        let mut reloaded = Items::default();
        reloaded.merge_sorted(listed.iter().map(|(k, i)| Entry::new(k, i.clone())).collect());
        for (p, s) in (0..6).flat_map(|p| (0..8).map(move |s| (p, s))) {
            let k = key(p, s, collide);
            prop_assert_eq!(reloaded.get(&k), model.get(&k));
        }
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
fn partition_keys_sharing_a_hash_are_noted_and_found_by_their_bytes() {
    let mut items = Items::default();
    // p0 and p2 share hash 0 (p1's is 1): noted from p0's first key on, which sorts
    // before p2's (a lookup among p2's entries places it by its bytes).
    for (n, (p, s)) in [(2, 1), (2, 5), (0, 3), (0, 9), (1, 2)].into_iter().enumerate() {
        assert!(items.insert(&key(p, s, true), item(p, s)).is_none());
        assert_eq!(items.shared_hashes, n >= 2, "after {} inserts", n + 1);
    }
    for (p, s) in [(2, 1), (2, 5), (0, 3), (0, 9), (1, 2)] {
        assert_eq!(items.get(&key(p, s, true)), Some(&item(p, s)));
    }
    assert_eq!(items.get(&key(4, 3, true)), None);
    let mut reloaded = Items::default();
    reloaded.merge_sorted(items.entries().cloned().collect());
    assert!(reloaded.shared_hashes);
    let mut apart = Items::default();
    apart.merge_sorted([(0, 3), (0, 9), (2, 1)].map(|(p, s)| Entry::new(&key(p, s, false), item(p, s))).into());
    assert!(!apart.shared_hashes, "partition keys of their own hashes");
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
