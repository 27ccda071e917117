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
