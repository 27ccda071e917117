//! The change log's invariants under random workloads (puts, updates, deletes, batches,
//! transactions, a stream turned off and on, splits at a teaching scale):
//! - replaying the log's `after` images from an empty table gives exactly the table's
//!   items (what point-in-time recovery will rely on);
//! - every entry changes something, and sequence numbers increase by one;
//! - every stream's shards, read through GetShardIterator and GetRecords, hold each
//!   change of the stream's window exactly once, and each item's changes in order.

use std::collections::BTreeMap;

use proptest::prelude::*;
use serde_json::{json, Value};

use crate::support::Harness;

#[derive(Clone, Debug)]
pub(crate) enum Op {
    Put(u8, u16),
    Update(u8),
    Delete(u8),
    Batch(u8, u8),
    Transact(u8, u8),
    StreamOff,
    StreamOn,
}

pub(crate) fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0u8..24, 200u16..1500).prop_map(|(k, n)| Op::Put(k, n)),
        2 => (0u8..24).prop_map(Op::Update),
        2 => (0u8..24).prop_map(Op::Delete),
        1 => (0u8..24, 0u8..24).prop_map(|(a, b)| Op::Batch(a, b)),
        1 => (0u8..24, 0u8..24).prop_map(|(a, b)| Op::Transact(a, b)),
        1 => Just(Op::StreamOff),
        1 => Just(Op::StreamOn),
    ]
}

fn item(k: u8, n: u16) -> Value {
    json!({"pk": {"S": format!("k{k}")}, "pad": {"S": "x".repeat(usize::from(n))}})
}

pub(crate) fn apply(h: &mut Harness, op: &Op) {
    let key = |k: u8| json!({"pk": {"S": format!("k{k}")}});
    let (_, _) = match op {
        Op::Put(k, n) => h.call("PutItem", json!({"TableName": "logm", "Item": item(*k, *n)})),
        Op::Update(k) => h.call(
            "UpdateItem",
            json!({"TableName": "logm", "Key": key(*k), "UpdateExpression": "ADD c :one",
            "ExpressionAttributeValues": {":one": {"N": "1"}}}),
        ),
        Op::Delete(k) => h.call("DeleteItem", json!({"TableName": "logm", "Key": key(*k)})),
        Op::Batch(a, b) if a != b => h.call(
            "BatchWriteItem",
            json!({"RequestItems": {"logm": [
            {"PutRequest": {"Item": item(*a, 10)}}, {"DeleteRequest": {"Key": key(*b)}}]}}),
        ),
        Op::Transact(a, b) if a != b => h.call(
            "TransactWriteItems",
            json!({"TransactItems": [
            {"Put": {"TableName": "logm", "Item": item(*a, 20)}}, {"Delete": {"TableName": "logm", "Key": key(*b)}}]}),
        ),
        Op::StreamOff => {
            h.call("UpdateTable", json!({"TableName": "logm", "StreamSpecification": {"StreamEnabled": false}}))
        }
        Op::StreamOn => h.call(
            "UpdateTable",
            json!({"TableName": "logm",
            "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_AND_OLD_IMAGES"}}),
        ),
        _ => (200, Value::Null),
    };
    // UpdateTable leaves the table UPDATING until the clock moves.
    h.now += 1;
    h.engine.tick(h.now);
}

/// Every record of `arn`, read shard by shard from TRIM_HORIZON to the end.
fn read_stream(h: &mut Harness, arn: &str) -> Vec<Value> {
    let shards = h.ok("DescribeStream", json!({"StreamArn": arn}))["StreamDescription"]["Shards"].clone();
    let mut records = Vec::new();
    for shard in shards.as_array().cloned().unwrap_or_default() {
        let it = h.ok(
            "GetShardIterator",
            json!({"StreamArn": arn, "ShardId": shard["ShardId"], "ShardIteratorType": "TRIM_HORIZON"}),
        );
        let mut iterator = it["ShardIterator"].clone();
        while let Some(text) = iterator.as_str().map(str::to_string) {
            let page = h.ok("GetRecords", json!({"ShardIterator": text, "Limit": 7}));
            let got = page["Records"].as_array().cloned().unwrap_or_default();
            let open_and_done = got.is_empty() && page.get("NextShardIterator").is_some();
            records.extend(got);
            iterator = if open_and_done { Value::Null } else { page["NextShardIterator"].clone() };
        }
    }
    records
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    #[test]
    fn the_log_rebuilds_the_table_and_streams_hold_each_change_once(ops in proptest::collection::vec(op(), 1..80)) {
        let mut h = Harness::new();
        h.ok("CreateTable", json!({"TableName": "logm", "BillingMode": "PAY_PER_REQUEST", "DynaplayTeachingScale": 1_000_000,
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
            "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_AND_OLD_IMAGES"}}));
        for op in &ops {
            apply(&mut h, op);
        }
        let log = h.engine.change_log("logm").cloned().unwrap_or_default();
        // Sequence numbers increase by one; every entry changes something.
        for pair in log.iter().collect::<Vec<_>>().windows(2) {
            prop_assert_eq!(pair[0].seq + 1, pair[1].seq);
        }
        prop_assert!(log.iter().all(|c| c.before != c.after));
        // Replaying the after images rebuilds the table.
        let mut rebuilt: BTreeMap<String, Value> = BTreeMap::new();
        for c in log.iter() {
            let schema = &h.engine.table("logm").expect("the table").def.schema;
            let k = dynaplay_engine::value::item_to_json(&c.key(schema)).to_string();
            match &c.after {
                Some(a) => rebuilt.insert(k, dynaplay_engine::value::item_to_json(&a.item())),
                None => rebuilt.remove(&k),
            };
        }
        let scan = h.ok("Scan", json!({"TableName": "logm"}));
        let mut actual: BTreeMap<String, Value> = BTreeMap::new();
        for i in scan["Items"].as_array().cloned().unwrap_or_default() {
            actual.insert(json!({"pk": i["pk"]}).to_string(), i);
        }
        prop_assert_eq!(rebuilt, actual);
        // Each stream holds its window's changes exactly once, each item's in order.
        let streams: Vec<(String, u64, Option<u64>)> = h.engine.streams().list.iter()
            .map(|s| {
                let first = s.shards.iter().map(|sh| sh.first_seq).min().unwrap_or(1);
                // Open until every shard is closed.
                let end = s.shards.iter().map(|sh| sh.end_seq).collect::<Option<Vec<u64>>>().and_then(|e| e.into_iter().max());
                (s.arn.clone(), first, end)
            })
            .collect();
        for (arn, first, end) in streams {
            let records = read_stream(&mut h, &arn);
            let mut seqs: Vec<u64> = records.iter().map(|r| r["dynamodb"]["SequenceNumber"].as_str().unwrap().parse().unwrap()).collect();
            let expected: Vec<u64> = log.iter().map(|c| c.seq).filter(|s| *s >= first && end.is_none_or(|e| *s < e)).collect();
            let mut per_key: BTreeMap<String, Vec<u64>> = BTreeMap::new();
            for (r, s) in records.iter().zip(&seqs) {
                per_key.entry(r["dynamodb"]["Keys"].to_string()).or_default().push(*s);
            }
            prop_assert!(per_key.values().all(|v| v.windows(2).all(|w| w[0] < w[1])), "an item's records out of order");
            seqs.sort_unstable();
            prop_assert_eq!(seqs, expected);
        }
    }
}

/// What the change log costs in storage, and what bounds it. Each change is stored as one
/// record holding the key and the item before and after (`snapshot::change_record`): for an
/// update of a ~1 KB item, about twice the item's JSON plus a fixed envelope. Without
/// point-in-time recovery the log keeps 24 hours of changes; the clock trims the rest.
/// `cargo test -p dynaplay-engine --test it change_log_storage -- --nocapture` prints the
/// figures.
#[test]
fn change_log_storage_cost_per_write_and_its_bound() {
    let mut h = Harness::new();
    h.ok(
        "CreateTable",
        json!({"TableName": "Cost", "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}]}),
    );
    let body = "x".repeat(1000);
    for i in 0..200 {
        h.ok("PutItem", json!({"TableName": "Cost", "Item": {"pk": {"S": format!("k{i:04}")}, "body": {"S": body}, "n": {"N": "0"}}}));
        h.ok(
            "UpdateItem",
            json!({"TableName": "Cost", "Key": {"pk": {"S": format!("k{i:04}")}},
            "UpdateExpression": "SET n = n + :one", "ExpressionAttributeValues": {":one": {"N": "1"}}}),
        );
    }
    let item_json = json!({"pk": {"S": "k0000"}, "body": {"S": body}, "n": {"N": "0"}}).to_string().len();
    let records = h.engine.change_records();
    assert_eq!(records.len(), 400);
    let sizes = |kind: &str| -> Vec<usize> {
        records
            .iter()
            .filter(|(_, r)| r.to_string().contains(kind))
            .map(|(k, r)| k.len() + r.to_string().len())
            .collect()
    };
    let (inserts, updates) = (sizes("\"PutItem\""), sizes("\"UpdateItem\""));
    let avg = |v: &[usize]| v.iter().sum::<usize>() / v.len().max(1);
    println!(
        "item JSON {item_json} B; change record: insert {} B, update {} B (key + record)",
        avg(&inserts),
        avg(&updates)
    );
    assert!(avg(&inserts) < item_json + 400, "an insert stores the new image once");
    assert!(avg(&updates) < 2 * item_json + 400, "an update stores both images");
    // The bound: 24 hours on the engine clock, without point-in-time recovery.
    h.now += 24 * 60 * 60 * 1000 + 1;
    h.engine.tick(h.now);
    assert!(h.engine.change_records().is_empty(), "the clock trims changes older than 24 hours");
}
