//! A model test: random sequences of puts, updates, deletes and reads applied to the
//! engine and to a `BTreeMap` reference, compared after every step.

use std::collections::BTreeMap;

use proptest::prelude::*;
use serde_json::{json, Value};

use crate::support::Harness;

#[derive(Clone, Debug)]
enum Op {
    Put(u8, i64),
    Add(u8, i64),
    Delete(u8),
    PutIfAbsent(u8, i64),
    Get(u8),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0u8..8, -50i64..50).prop_map(|(k, v)| Op::Put(k, v)),
        (0u8..8, -50i64..50).prop_map(|(k, v)| Op::Add(k, v)),
        (0u8..8).prop_map(Op::Delete),
        (0u8..8, -50i64..50).prop_map(|(k, v)| Op::PutIfAbsent(k, v)),
        (0u8..8).prop_map(Op::Get),
    ]
}

fn key(k: u8) -> Value {
    json!({"pk": {"S": format!("k{k}")}})
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn engine_agrees_with_a_reference_map(ops in proptest::collection::vec(op(), 1..60)) {
        let mut h = Harness::new();
        h.table("model", None);
        let mut reference: BTreeMap<u8, i64> = BTreeMap::new();
        for op in ops {
            match op {
                Op::Put(k, v) => {
                    h.put("model", json!({"pk": {"S": format!("k{k}")}, "v": {"N": v.to_string()}}));
                    reference.insert(k, v);
                }
                Op::Add(k, v) => {
                    h.ok("UpdateItem", json!({"TableName": "model", "Key": key(k), "UpdateExpression": "ADD v :d", "ExpressionAttributeValues": {":d": {"N": v.to_string()}}}));
                    *reference.entry(k).or_insert(0) += v;
                }
                Op::Delete(k) => {
                    h.ok("DeleteItem", json!({"TableName": "model", "Key": key(k)}));
                    reference.remove(&k);
                }
                Op::PutIfAbsent(k, v) => {
                    let (status, _) = h.call("PutItem", json!({"TableName": "model", "Item": {"pk": {"S": format!("k{k}")}, "v": {"N": v.to_string()}}, "ConditionExpression": "attribute_not_exists(pk)"}));
                    let absent = !reference.contains_key(&k);
                    prop_assert_eq!(status == 200, absent);
                    if absent {
                        reference.insert(k, v);
                    }
                }
                Op::Get(k) => {
                    let got = h.ok("GetItem", json!({"TableName": "model", "Key": key(k), "ConsistentRead": true}));
                    let want = reference.get(&k).map(|v| json!({"N": v.to_string()}));
                    prop_assert_eq!(got["Item"].get("v").cloned(), want);
                }
            }
            let scan = h.ok("Scan", json!({"TableName": "model"}));
            prop_assert_eq!(scan["Count"].as_u64(), Some(reference.len() as u64));
        }
    }
}

/// One item of the richer model: a composite key, an optional global-index key `g`, an
/// optional local-index key `l`, and a payload.
#[derive(Clone, Debug, PartialEq)]
struct Row {
    g: Option<u8>,
    l: Option<i64>,
    pad: usize,
}

#[derive(Clone, Debug)]
enum Op2 {
    Put(u8, u8, Option<u8>, Option<i64>, usize),
    SetG(u8, u8, u8),
    RemoveL(u8, u8),
    Delete(u8, u8),
}

fn op2() -> impl Strategy<Value = Op2> {
    let g = proptest::option::of(0u8..3);
    let l = proptest::option::of(-5i64..5);
    prop_oneof![
        (0u8..3, 0u8..6, g, l, 0usize..900).prop_map(|(p, s, g, l, pad)| Op2::Put(p, s, g, l, pad)),
        (0u8..3, 0u8..6, 0u8..3).prop_map(|(p, s, g)| Op2::SetG(p, s, g)),
        (0u8..3, 0u8..6).prop_map(|(p, s)| Op2::RemoveL(p, s)),
        (0u8..3, 0u8..6).prop_map(|(p, s)| Op2::Delete(p, s)),
    ]
}

fn key2(p: u8, s: u8) -> Value {
    json!({"pk": {"S": format!("p{p}")}, "sk": {"N": s.to_string()}})
}

/// A composite-key table with a GSI on `g` and an LSI on `l`, at a teaching scale small
/// enough that the items split partitions.
fn indexed_table(h: &mut Harness) {
    h.ok(
        "CreateTable",
        json!({"TableName": "model2", "BillingMode": "PAY_PER_REQUEST", "DynaplayTeachingScale": 2_000_000,
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "N"},
                {"AttributeName": "g", "AttributeType": "S"}, {"AttributeName": "l", "AttributeType": "N"}],
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
            "GlobalSecondaryIndexes": [{"IndexName": "byG", "Projection": {"ProjectionType": "ALL"},
                "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}]}],
            "LocalSecondaryIndexes": [{"IndexName": "byL", "Projection": {"ProjectionType": "KEYS_ONLY"},
                "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "l", "KeyType": "RANGE"}]}]}),
    );
}

fn apply(h: &mut Harness, reference: &mut BTreeMap<(u8, u8), Row>, op: Op2) {
    match op {
        Op2::Put(p, s, g, l, pad) => {
            let mut item = key2(p, s);
            item["pad"] = json!({"S": "x".repeat(pad + 1)});
            if let Some(g) = g {
                item["g"] = json!({"S": format!("g{g}")});
            }
            if let Some(l) = l {
                item["l"] = json!({"N": l.to_string()});
            }
            h.put("model2", item);
            reference.insert((p, s), Row { g, l, pad });
        }
        Op2::SetG(p, s, g) => {
            h.ok(
                "UpdateItem",
                json!({"TableName": "model2", "Key": key2(p, s), "UpdateExpression": "SET g = :g",
                "ExpressionAttributeValues": {":g": {"S": format!("g{g}")}}}),
            );
            reference.entry((p, s)).or_insert(Row { g: None, l: None, pad: usize::MAX }).g = Some(g);
        }
        Op2::RemoveL(p, s) => {
            h.ok("UpdateItem", json!({"TableName": "model2", "Key": key2(p, s), "UpdateExpression": "REMOVE l"}));
            // Removing from an item that does not exist writes nothing, as in DynamoDB.
            if let Some(row) = reference.get_mut(&(p, s)) {
                row.l = None;
            }
        }
        Op2::Delete(p, s) => {
            h.ok("DeleteItem", json!({"TableName": "model2", "Key": key2(p, s)}));
            reference.remove(&(p, s));
        }
    }
}

/// Queries the table, both indexes and the storage invariants against the reference.
fn check(h: &mut Harness, reference: &BTreeMap<(u8, u8), Row>) -> Result<(), TestCaseError> {
    for p in 0u8..3 {
        let q = h.ok(
            "Query",
            json!({"TableName": "model2", "KeyConditionExpression": "pk = :p",
            "ExpressionAttributeValues": {":p": {"S": format!("p{p}")}}, "ConsistentRead": true}),
        );
        let got: Vec<u64> =
            q["Items"].as_array().unwrap().iter().map(|i| i["sk"]["N"].as_str().unwrap().parse().unwrap()).collect();
        let want: Vec<u64> = reference.keys().filter(|(rp, _)| *rp == p).map(|(_, s)| u64::from(*s)).collect();
        prop_assert_eq!(got, want, "Query p{} in sort-key order", p);
        let lsi = h.ok(
            "Query",
            json!({"TableName": "model2", "IndexName": "byL", "KeyConditionExpression": "pk = :p",
            "ExpressionAttributeValues": {":p": {"S": format!("p{p}")}}}),
        );
        let mut ls: Vec<i64> =
            lsi["Items"].as_array().unwrap().iter().map(|i| i["l"]["N"].as_str().unwrap().parse().unwrap()).collect();
        prop_assert!(ls.windows(2).all(|w| w[0] <= w[1]), "the local index reads in l order: {:?}", ls);
        ls.sort_unstable();
        let mut want: Vec<i64> =
            reference.iter().filter(|((rp, _), r)| *rp == p && r.l.is_some()).filter_map(|(_, r)| r.l).collect();
        want.sort_unstable();
        prop_assert_eq!(ls, want, "local index of p{}", p);
    }
    for g in 0u8..3 {
        let q = h.ok(
            "Query",
            json!({"TableName": "model2", "IndexName": "byG", "KeyConditionExpression": "g = :g",
            "ExpressionAttributeValues": {":g": {"S": format!("g{g}")}}, "Select": "COUNT"}),
        );
        let want = reference.values().filter(|r| r.g == Some(g)).count() as u64;
        prop_assert_eq!(q["Count"].as_u64(), Some(want), "global index g{}", g);
    }
    let t = h.engine.table("model2").unwrap();
    prop_assert_eq!(t.item_count(), reference.len());
    prop_assert_eq!(t.index_entries_in("byG").count(), reference.values().filter(|r| r.g.is_some()).count());
    prop_assert_eq!(t.index_entries_in("byL").count(), reference.values().filter(|r| r.l.is_some()).count());
    let parts = &t.partitions.parts;
    prop_assert_eq!(parts.iter().map(|p| p.items).sum::<usize>(), t.item_count(), "partition item counts");
    prop_assert_eq!(parts.iter().map(|p| p.bytes).sum::<usize>(), t.size_bytes(), "partition byte counts");
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]
    #[test]
    fn composite_keys_and_both_index_kinds_agree_with_a_reference(ops in proptest::collection::vec(op2(), 1..50)) {
        let mut h = Harness::new();
        indexed_table(&mut h);
        let mut reference = BTreeMap::new();
        for op in ops {
            apply(&mut h, &mut reference, op);
            check(&mut h, &reference)?;
        }
    }
}
