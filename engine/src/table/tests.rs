use std::collections::BTreeSet;

use super::*;
use crate::value::{item_size, AttributeValue, PackedItem};

/// An engine with table `Tbl`, keyed by the string `pk`.
fn engine() -> crate::Engine {
    let mut e = crate::Engine::new(crate::Config::default());
    let create = r#"{"TableName":"Tbl","BillingMode":"PAY_PER_REQUEST",
        "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],
        "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}]}"#;
    e.request("CreateTable", create.as_bytes(), 0);
    e
}

fn table() -> Table {
    engine().table("Tbl").cloned().unwrap()
}

#[test]
fn past_its_cap_the_hot_key_view_forgets_stale_keys_then_the_quietest() {
    let mut t = table();
    let key = |i: usize| KeyValue::S(format!("k{i:05}").into());
    // A minute before: keys no one has touched since, forgotten first.
    for i in 0..100 {
        t.record_key_traffic(&key(100_000 + i), 0, 1.0, 0.0);
    }
    // Key i takes i % 7 + 1 write units, so many keys tie, and the key tracked first
    // goes first. Keys are tracked in an order of their own (not their names' order).
    let units = |i: usize| (i % 7 + 1) as f64;
    let now = 61_000;
    let order = |n: usize| (n * 7919) % (KEY_TRAFFIC_KEYS - 100 + 1);
    for n in 0..KEY_TRAFFIC_KEYS - 100 + 1 {
        t.record_key_traffic(&key(order(n)), now, 0.0, units(order(n)));
    }
    let kept: BTreeSet<KeyValue> = t.key_traffic(now, 60).map(|(k, ..)| k.clone()).collect();
    let mut by_units: Vec<(f64, usize, KeyValue)> =
        (0..KEY_TRAFFIC_KEYS - 100 + 1).map(|n| (units(order(n)), n, key(order(n)))).collect();
    #[expect(clippy::disallowed_methods, reason = "a test: std's sort is the oracle, and tests are not in the page")]
    by_units.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let loudest: BTreeSet<KeyValue> =
        by_units.split_off(by_units.len() - KEY_TRAFFIC_KEYS * 3 / 4).into_iter().map(|(.., k)| k).collect();
    assert_eq!(kept.len(), KEY_TRAFFIC_KEYS * 3 / 4);
    assert_eq!(kept, loudest);
    // A key already tracked adds to its own count.
    t.record_key_traffic(&key(6), now, 1.0, 0.0);
    assert_eq!(t.key_traffic(now, 60).find(|(k, ..)| *k == &key(6)).map(|(_, r, w)| (r, w)), Some((1.0, 7.0)));
}

#[test]
fn a_table_gets_a_new_revision_when_it_changes_and_only_then() {
    let mut e = crate::Engine::new(crate::Config::default());
    for name in ["Aaa", "Bbb"] {
        let create = format!(
            r#"{{"TableName":"{name}","BillingMode":"PAY_PER_REQUEST",
            "AttributeDefinitions":[{{"AttributeName":"pk","AttributeType":"S"}}],
            "KeySchema":[{{"AttributeName":"pk","KeyType":"HASH"}}]}}"#
        );
        assert_eq!(e.request("CreateTable", create.as_bytes(), 0).status, 200);
    }
    let revision = |e: &crate::Engine, name: &str| e.table(name).map(Table::revision).unwrap();
    let (a, b) = (revision(&e, "Aaa"), revision(&e, "Bbb"));
    assert_ne!(a, b);
    let put = r#"{"TableName":"Bbb","Item":{"pk":{"S":"x"}}}"#;
    assert_eq!(e.request("PutItem", put.as_bytes(), 1).status, 200);
    assert_eq!(revision(&e, "Aaa"), a, "a write to Bbb leaves Aaa's views alone");
    let b2 = revision(&e, "Bbb");
    assert_ne!(b2, b);
    // A read changes the table's traffic, which its views show.
    assert_eq!(e.request("GetItem", br#"{"TableName":"Bbb","Key":{"pk":{"S":"x"}}}"#, 2).status, 200);
    assert_ne!(revision(&e, "Bbb"), b2);
    // A refused request leaves it alone.
    let b3 = revision(&e, "Bbb");
    assert_eq!(e.request("PutItem", br#"{"TableName":"Bbb","Item":{}}"#, 3).status, 400);
    assert_eq!(revision(&e, "Bbb"), b3);
    // A copy is a state of its own.
    let copy = e.clone();
    assert_ne!(revision(&copy, "Aaa"), a);
}

#[test]
fn a_split_leaves_each_half_with_the_counts_a_recount_gives() {
    use crate::value::AttributeValue;
    let mut t = table();
    let put = |t: &mut Table, i: usize, pad: usize| {
        let item: Item = [
            ("pk".to_string(), AttributeValue::S(format!("k{i}").into())),
            ("pad".to_string(), AttributeValue::S("x".repeat(pad).into())),
        ]
        .into();
        let key = t.def.schema.store_key(&item).unwrap();
        t.put(key, item.into(), 0);
    };
    for i in 0..200 {
        put(&mut t, i, i % 13);
    }
    // A put over an item and a delete, so the kept counts are not only additions.
    put(&mut t, 7, 300);
    let first = t.items_after(None).next().map(|(k, _)| k.owned()).unwrap();
    t.delete(&first);
    let split = t.split_at_median(0, 1_000_000, SplitReason::Heat).unwrap();
    assert_eq!(t.partitions.parts.len(), 2, "{split:?}");
    for p in 0..2 {
        let (start, end) = t.partitions.range(p);
        let recounted = t.items_in_hash_range(start, end).fold((0, 0), |(n, b), (_, i)| (n + 1, b + i.size()));
        let part = &t.partitions.parts[p];
        assert_eq!((part.items, part.bytes), recounted, "partition {p}");
        assert!(part.items > 0);
    }
}

#[test]
fn items_written_with_the_same_names_share_one_list_of_them() {
    let mut e = engine();
    for (i, body) in [
        r#"{"TableName":"Tbl","Item":{"pk":{"S":"a"},"n":{"N":"1"},"m":{"M":{"x":{"S":"1"}}}}}"#,
        r#"{"TableName":"Tbl","Item":{"pk":{"S":"b"},"n":{"N":"2"},"m":{"M":{"x":{"S":"2"}}}}}"#,
        r#"{"TableName":"Tbl","Key":{"pk":{"S":"b"}},"UpdateExpression":"SET o = :o","ExpressionAttributeValues":{":o":{"S":"new"}}}"#,
    ]
    .into_iter()
    .enumerate()
    {
        let op = if i < 2 { "PutItem" } else { "UpdateItem" };
        assert_eq!(e.request(op, body.as_bytes(), 1_000).status, 200, "{body}");
    }
    let t = e.table("Tbl").unwrap();
    let get = |pk: &str| t.get(&t.def.schema.store_key(&Item::from([("pk", AttributeValue::S(pk.into()))])).unwrap());
    let (a, b) = (get("a").unwrap().item(), get("b").unwrap().item());
    assert_eq!(b.keys().map(|k| k.as_str()).collect::<Vec<_>>(), ["m", "n", "o", "pk"]);
    assert!(!a.shares_names_with(&b), "b has a name a has not");
    let a2 = get("a").unwrap().item();
    assert!(a.shares_names_with(&a2), "an item unpacked twice has one list of names");
    // Items read back from storage, each with a list of its own, come to share one.
    let fresh = |pk: &str| Item::from([("pk", AttributeValue::S(pk.into())), ("n", AttributeValue::Null)]);
    let (c, d) = (fresh("c"), fresh("d"));
    assert!(!c.shares_names_with(&d));
    let loaded = Table::load(t.def.clone(), t.partitions.clone(), [c, d]).unwrap();
    let items: Vec<Item> = loaded.items().map(|(_, i)| i.item()).collect();
    assert!(items.len() == 2 && items[0].shares_names_with(&items[1]));
}

#[test]
fn a_loaded_table_indexes_its_items_as_writing_them_did() {
    let mut e = crate::Engine::new(crate::Config::default());
    let create = r#"{"TableName":"Idx","BillingMode":"PAY_PER_REQUEST",
        "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"N"},
            {"AttributeName":"g","AttributeType":"S"}],
        "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],
        "GlobalSecondaryIndexes":[{"IndexName":"byG","Projection":{"ProjectionType":"ALL"},
            "KeySchema":[{"AttributeName":"g","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}]}],
        "LocalSecondaryIndexes":[{"IndexName":"local","Projection":{"ProjectionType":"KEYS_ONLY"},
            "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"g","KeyType":"RANGE"}]}]}"#;
    assert_eq!(e.request("CreateTable", create.as_bytes(), 0).status, 200);
    for i in 0..60 {
        // Every third item lacks the index attribute, so neither index holds it.
        let g = if i % 3 == 0 { String::new() } else { format!(r#","g":{{"S":"g{}"}}"#, i % 4) };
        let put = format!(r#"{{"TableName":"Idx","Item":{{"pk":{{"S":"p{}"}},"sk":{{"N":"{i}"}}{g}}}}}"#, i % 5);
        assert_eq!(e.request("PutItem", put.as_bytes(), 1).status, 200);
    }
    let written = e.table("Idx").unwrap();
    let items: Vec<Item> = written.items().map(|(_, i)| i.item()).collect();
    let loaded = Table::load(written.def.clone(), written.partitions.clone(), items).unwrap();
    for ix in ["byG", "local"] {
        assert_eq!(loaded.index_entries_in(ix).count(), 40);
        assert!(loaded.index_entries_in(ix).eq(written.index_entries_in(ix)), "{ix}");
    }
}

mod collection_counts {
    use proptest::prelude::*;

    use super::*;

    /// A table keyed by `pk` (string), and with `sorted` by `sk` (number) too.
    fn table(sorted: bool) -> Table {
        let mut e = crate::Engine::new(crate::Config::default());
        let create = if sorted {
            r#"{"TableName":"Tbl","BillingMode":"PAY_PER_REQUEST",
            "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"N"}],
            "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}]}"#
        } else {
            r#"{"TableName":"Tbl","BillingMode":"PAY_PER_REQUEST",
            "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],
            "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}]}"#
        };
        assert_eq!(e.request("CreateTable", create.as_bytes(), 0).status, 200);
        e.table("Tbl").cloned().unwrap()
    }

    fn item(pk: u8, sk: u8) -> Item {
        [
            ("pk", AttributeValue::S(format!("k{pk}").into())),
            ("sk", AttributeValue::N(crate::value::Number::from_i64(sk.into()))),
        ]
        .into()
    }

    #[derive(Clone, Debug)]
    enum Op {
        Put(u8, u8),
        Delete(u8, u8),
        /// Split the partition holding this item's hash, at it.
        Split(u8),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            4 => (0u8..6, 0u8..4).prop_map(|(p, s)| Op::Put(p, s)),
            3 => (0u8..6, 0u8..4).prop_map(|(p, s)| Op::Delete(p, s)),
            1 => (0u8..6).prop_map(Op::Split),
        ]
    }

    /// Each partition's items, bytes and collections, counted the slow way.
    fn walked(t: &Table) -> Vec<(usize, usize, usize)> {
        (0..t.partitions.parts.len())
            .map(|p| {
                let (start, end) = t.partitions.range(p);
                let items: Vec<_> = t.items_in_hash_range(start, end).collect();
                let bytes = items.iter().map(|(_, i)| item_size(&i.item())).sum();
                let pks: BTreeSet<KeyValue> = items.iter().map(|(k, _)| k.pk()).collect();
                (items.len(), bytes, pks.len())
            })
            .collect()
    }

    fn kept(t: &Table) -> Vec<(usize, usize, usize)> {
        t.partitions.parts.iter().map(|p| (p.items, p.bytes, p.collections)).collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        /// With `collide`, partition keys get one of two hashes, so several share one;
        /// without `sorted`, the table has no sort key (a put of the same `pk` replaces).
        #[test]
        fn kept_counts_equal_a_walk_after_puts_deletes_splits_and_a_load(
            ops in proptest::collection::vec(op(), 0..60),
            collide in proptest::bool::ANY,
            sorted in proptest::bool::weighted(0.75),
        ) {
            let mut t = table(sorted);
            let key = |t: &Table, p: u8, s: u8| {
                let key = t.def.schema.store_key(&item(p, s)).unwrap();
                if collide { key.with_hash(u64::from(p % 2) * (u64::MAX / 2)) } else { key }
            };
            for op in ops {
                match op {
                    Op::Put(p, s) => {
                        let key = key(&t, p, s);
                        let company = t.items_after(None).any(|(k, _)| k != key.borrowed() && k.same_pk(&key));
                        prop_assert_eq!(t.has_company(&key), company);
                        t.put(key, item(p, s).into(), 0);
                    }
                    Op::Delete(p, s) => {
                        t.delete(&key(&t, p, s));
                    }
                    Op::Split(p) => {
                        let hash = key(&t, p, 0).hash;
                        let part = t.partitions.index_of(hash);
                        t.split_partition(part, hash, 0);
                    }
                }
                prop_assert_eq!(kept(&t), walked(&t));
            }
            let total: usize = walked(&t).iter().map(|w| w.2).sum();
            prop_assert_eq!(t.collection_count(None), total);
            if !collide {
                let items: Vec<Item> = t.items().map(|(_, i)| i.item()).collect();
                let loaded = Table::load(t.def.clone(), t.partitions.clone(), items.clone()).unwrap();
                prop_assert_eq!(kept(&loaded), walked(&t));
                prop_assert_eq!(loaded.size_bytes(), t.size_bytes());
                // Out of order, and one key twice: the last of the two stays, counted once.
                let mut twice: Vec<Item> = items.into_iter().rev().collect();
                if let Some(first) = twice.first().cloned() {
                    let mut changed = first.clone();
                    changed.insert("extra", AttributeValue::S("x".repeat(40).into()));
                    twice.extend([first.clone(), changed.clone()]);
                    let loaded = Table::load(t.def.clone(), t.partitions.clone(), twice).unwrap();
                    let key = t.def.schema.store_key(&changed).unwrap();
                    prop_assert!(loaded.get(&key).map(PackedItem::item) == Some(changed.clone()));
                    prop_assert_eq!(loaded.item_count(), t.item_count());
                    prop_assert_eq!(kept(&loaded), walked(&loaded));
                    prop_assert_eq!(loaded.size_bytes(), t.size_bytes() + item_size(&changed) - item_size(&first));
                }
            }
        }
    }
}
