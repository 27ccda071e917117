use std::borrow::Cow;

use proptest::prelude::*;
use serde_json::json;

use super::*;
use crate::value::{AttributeValue, Item};
use crate::Config;

const T0: u64 = 1_700_000_000_000;

/// What a replica held before the overlay: a copy of the leader with the later changes
/// undone, newest first (the reference the overlay must agree with).
fn copied<'t>(engine: &Engine, leader: &'t Table, served: Served) -> Cow<'t, Table> {
    let Some(cutoff) = served.applied_until_ms else { return Cow::Borrowed(leader) };
    let Some(log) = engine.logs.get(&leader.def.name) else { return Cow::Borrowed(leader) };
    let later = log.iter().rev().take_while(|c| c.at_ms > cutoff && c.at_ms >= leader.def.created_ms);
    let mut later = later.peekable();
    if later.peek().is_none() {
        return Cow::Borrowed(leader);
    }
    let mut copy = leader.clone();
    for c in later {
        let Some(key) = c.store_key(&copy.def.schema) else { continue };
        match &c.before {
            Some(before) => drop(copy.put(key, before.clone(), 0)),
            None => drop(copy.delete(&key)),
        }
    }
    Cow::Owned(copy)
}

/// A write: (partition key, sort key, the index attribute or none, delete), and how many
/// milliseconds after the write before it.
type Write = (u8, u8, Option<u8>, bool, u64);

fn write() -> impl Strategy<Value = Write> {
    (0u8..5, 0u8..5, proptest::option::of(0u8..3), proptest::bool::weighted(0.25), 0u64..3)
}

/// A table with a global and a local index on `g`, after `writes`.
fn engine_after(writes: &[Write]) -> Engine {
    let mut e = Engine::new(Config::default());
    let create = json!({"TableName": "Tab", "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "N"},
            {"AttributeName": "g", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        "GlobalSecondaryIndexes": [{"IndexName": "byG", "Projection": {"ProjectionType": "ALL"},
            "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}]}],
        "LocalSecondaryIndexes": [{"IndexName": "local", "Projection": {"ProjectionType": "KEYS_ONLY"},
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "g", "KeyType": "RANGE"}]}]});
    assert_eq!(e.request("CreateTable", create.to_string().as_bytes(), T0).status, 200);
    let mut now = T0 + 1;
    for (pk, sk, g, delete, step) in writes {
        now += step;
        let key = json!({"pk": {"S": format!("p{pk}")}, "sk": {"N": sk.to_string()}});
        let body = if *delete {
            json!({"TableName": "Tab", "Key": key})
        } else {
            let mut item = key;
            if let Some(g) = g {
                item["g"] = json!({"S": format!("g{g}")});
            }
            json!({"TableName": "Tab", "Item": item})
        };
        let op = if *delete { "DeleteItem" } else { "PutItem" };
        assert_eq!(e.request(op, body.to_string().as_bytes(), now).status, 200);
    }
    e
}

fn bound<K: Clone>(k: Option<(K, bool)>) -> Bound<K> {
    match k {
        None => Bound::Unbounded,
        Some((k, true)) => Bound::Included(k),
        Some((k, false)) => Bound::Excluded(k),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]
    #[test]
    fn the_overlay_reads_what_a_copy_with_the_changes_undone_reads(
        writes in proptest::collection::vec(write(), 0..40),
        behind in 0u64..40,
        (lo, hi) in (proptest::option::of((0u8..6, 0u8..6, any::<bool>())), proptest::option::of((0u8..6, 0u8..6, any::<bool>()))),
    ) {
        let e = engine_after(&writes);
        let leader = e.table("Tab").unwrap();
        let served = Served { replica: 1, applied_until_ms: Some(e.now_ms.saturating_sub(behind)) };
        let (view, copy) = (ReadView::of(&e, leader, served), copied(&e, leader, served));
        prop_assert_eq!(view.is_leader(), matches!(copy, Cow::Borrowed(_)));
        let key = |(pk, sk, inc): (u8, u8, bool)| {
            let item = Item::from([("pk", AttributeValue::S(format!("p{pk}").into())), ("sk", AttributeValue::N(crate::value::Number::parse(&sk.to_string()).unwrap()))]);
            (leader.def.schema.store_key(&item).unwrap(), inc)
        };
        let (lower, upper) = (bound(lo.map(key)), bound(hi.map(key)));
        for forward in [true, false] {
            let read: Vec<_> = view.items_between(lower.clone(), upper.clone(), forward).collect();
            let range = copy.items_between(lower.clone(), upper.clone());
            let want: Vec<_> = if forward { range.collect() } else { range.rev().collect() };
            prop_assert_eq!(read, want);
            for index in ["byG", "local"] {
                let read: Vec<_> = view.index_entries_between(index, Bound::Unbounded, Bound::Unbounded, forward).collect();
                let range = copy.index_entries_between(index, Bound::Unbounded, Bound::Unbounded);
                let want: Vec<_> = if forward { range.collect() } else { range.rev().collect() };
                prop_assert_eq!(read, want);
            }
        }
        for (k, _) in copy.items_between(Bound::Unbounded, Bound::Unbounded).chain(leader.items_between(Bound::Unbounded, Bound::Unbounded)) {
            prop_assert_eq!(view.get(&k.owned()), copy.get(&k.owned()));
        }
    }
}
