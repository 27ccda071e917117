//! Capacity enforced (`Config::enforce_capacity`): a provisioned table's burst pool, a hot
//! partition's ceiling, an on-demand table's maximum, a global index's own capacity, and
//! how batches and transactions report a throttle.

use serde_json::{json, Value};

use dynaplay_engine::throttle::{INDEX_MESSAGE, ON_DEMAND_MESSAGE, TABLE_MESSAGE};
use dynaplay_engine::{Config, Engine};

const T0: u64 = 1_700_000_000_000;
const ARN: &str = "arn:aws:dynamodb:us-east-1:000000000000:table/Tab";

fn call(e: &mut Engine, op: &str, body: Value, now: u64) -> (u16, Value) {
    let r = e.request(op, body.to_string().as_bytes(), now);
    (r.status, serde_json::from_str(&r.body).unwrap())
}

/// Table `T` (key `pk`), made at T0 with `extra` merged into the request.
fn engine(enforce: bool, extra: Value) -> Engine {
    let mut e = Engine::new(Config { enforce_capacity: enforce, ..Config::default() });
    let mut create = json!({"TableName": "Tab",
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}]});
    for (k, v) in extra.as_object().unwrap() {
        create[k] = v.clone();
    }
    let (status, v) = call(&mut e, "CreateTable", create, T0);
    assert_eq!(status, 200, "{v}");
    e
}

fn provisioned(read: u64, write: u64) -> Value {
    json!({"ProvisionedThroughput": {"ReadCapacityUnits": read, "WriteCapacityUnits": write}})
}

fn put(e: &mut Engine, pk: &str, now: u64) -> (u16, Value) {
    call(e, "PutItem", json!({"TableName": "Tab", "Item": {"pk": {"S": pk}}}), now)
}

/// Writes `n` one-unit items at `now`, each to a key of its own; all must succeed.
fn spend(e: &mut Engine, n: usize, now: u64) {
    for i in 0..n {
        assert_eq!(put(e, &format!("k{i}"), now).0, 200, "write {i}");
    }
}

fn reasons(v: &Value, key: &str) -> Vec<(String, String)> {
    v[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["reason"].as_str().unwrap().into(), r["resource"].as_str().unwrap().into()))
        .collect()
}

#[test]
fn a_one_unit_table_takes_a_burst_of_300_writes_then_throttles_until_it_refills() {
    let mut e = engine(true, provisioned(1, 1));
    let t = T0 + 1000;
    spend(&mut e, 300, t);
    let (status, v) = put(&mut e, "over", t);
    assert_eq!(status, 400);
    assert_eq!(v["__type"], "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException");
    assert_eq!(v["message"], TABLE_MESSAGE);
    assert_eq!(reasons(&v, "ThrottlingReasons"), vec![("TableWriteProvisionedThroughputExceeded".into(), ARN.into())]);
    // The throttled write changed nothing.
    let got = call(&mut e, "GetItem", json!({"TableName": "Tab", "Key": {"pk": {"S": "over"}}}), t).1;
    assert_eq!(got, json!({}));
    // One second refills one unit: one write, then throttled again.
    assert_eq!(put(&mut e, "next", t + 1000).0, 200);
    assert_eq!(put(&mut e, "again", t + 1000).0, 400);
    // Reads have their own bucket.
    assert_eq!(call(&mut e, "GetItem", json!({"TableName": "Tab", "Key": {"pk": {"S": "k1"}}}), t + 1000).0, 200);
}

#[test]
fn without_enforcement_nothing_is_throttled() {
    let mut e = engine(false, provisioned(1, 1));
    spend(&mut e, 400, T0 + 1000);
}

#[test]
fn a_batch_returns_its_throttled_writes_unprocessed_and_fails_whole_only_when_none_went_through() {
    let mut e = engine(true, provisioned(1, 1));
    let t = T0 + 1000;
    spend(&mut e, 297, t);
    let puts: Vec<Value> = (0..5).map(|i| json!({"PutRequest": {"Item": {"pk": {"S": format!("b{i}")}}}})).collect();
    let batch = json!({"RequestItems": {"Tab": puts}, "ReturnConsumedCapacity": "TOTAL"});
    let (status, v) = call(&mut e, "BatchWriteItem", batch.clone(), t);
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["UnprocessedItems"], json!({"Tab": puts[3..].to_vec()}));
    assert_eq!(v["ConsumedCapacity"], json!([{"TableName": "Tab", "CapacityUnits": 3.0}]));
    let (status, v) = call(&mut e, "BatchWriteItem", batch, t);
    assert_eq!(status, 400);
    assert_eq!(v["message"], TABLE_MESSAGE);
    // BatchGetItem: the same, per key.
    let keys: Vec<Value> = (0..3).map(|i| json!({"pk": {"S": format!("k{i}")}})).collect();
    let get = json!({"RequestItems": {"Tab": {"Keys": keys, "ConsistentRead": true}}});
    spend_reads(&mut e, 299, t);
    let (status, v) = call(&mut e, "BatchGetItem", get.clone(), t);
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["Responses"]["Tab"].as_array().unwrap().len(), 1);
    assert_eq!(v["UnprocessedKeys"], json!({"Tab": {"Keys": keys[1..].to_vec(), "ConsistentRead": true}}));
    assert_eq!(call(&mut e, "BatchGetItem", get, t).0, 400);
}

fn spend_reads(e: &mut Engine, n: usize, now: u64) {
    for _ in 0..n {
        let get = json!({"TableName": "Tab", "Key": {"pk": {"S": "k0"}}, "ConsistentRead": true});
        assert_eq!(call(e, "GetItem", get, now).0, 200);
    }
}

/// 100 units each way at teaching scale 100: a partition's 1,000 write units become 10.
fn hot_table() -> Engine {
    let mut extra = provisioned(100, 100);
    extra["DynaplayTeachingScale"] = json!(100);
    engine(true, extra)
}

#[test]
fn a_hot_key_throttles_at_its_partitions_ceiling_while_the_table_has_room() {
    let mut e = hot_table();
    let t = T0 + 10_000;
    for i in 0..10 {
        assert_eq!(put(&mut e, "hot", t + i).0, 200, "write {i}");
    }
    let (status, v) = put(&mut e, "hot", t + 20);
    assert_eq!(status, 400);
    assert_eq!(v["message"], TABLE_MESSAGE);
    assert_eq!(reasons(&v, "ThrottlingReasons"), vec![("TableWriteKeyRangeThroughputExceeded".into(), ARN.into())]);
    // A key on another partition is not held back; the next second the hot key is served.
    let other = (0..100).map(|i| format!("c{i}")).find(|k| put(&mut e, k, t + 30).0 == 200);
    assert!(other.is_some());
    assert_eq!(put(&mut e, "hot", t + 1000).0, 200);
}

#[test]
fn an_on_demand_table_throttles_at_its_maximum_with_throttling_exception() {
    let extra = json!({"BillingMode": "PAY_PER_REQUEST", "OnDemandThroughput": {"MaxWriteRequestUnits": 5}});
    let mut e = engine(true, extra);
    let t = T0 + 1000;
    spend(&mut e, 5, t);
    let (status, v) = put(&mut e, "over", t);
    assert_eq!(status, 400);
    assert_eq!(v["__type"], "com.amazon.coral.availability#ThrottlingException");
    assert_eq!(v["message"], ON_DEMAND_MESSAGE);
    assert_eq!(reasons(&v, "throttlingReasons"), vec![("TableWriteMaxOnDemandThroughputExceeded".into(), ARN.into())]);
    assert_eq!(put(&mut e, "over", t + 1000).0, 200);
}

#[test]
fn a_global_index_without_capacity_throttles_the_writes_that_reach_it() {
    let extra = json!({
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "g", "AttributeType": "S"}],
        "ProvisionedThroughput": {"ReadCapacityUnits": 1000, "WriteCapacityUnits": 1000},
        "GlobalSecondaryIndexes": [{"IndexName": "ByG", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
            "Projection": {"ProjectionType": "KEYS_ONLY"},
            "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}}]});
    let mut e = engine(true, extra);
    let t = T0 + 1000;
    let indexed = |i: usize| json!({"TableName": "Tab", "Item": {"pk": {"S": format!("i{i}")}, "g": {"S": "x"}}});
    for i in 0..300 {
        assert_eq!(call(&mut e, "PutItem", indexed(i), t).0, 200, "write {i}");
    }
    let (status, v) = call(&mut e, "PutItem", indexed(999), t);
    assert_eq!(status, 400);
    assert_eq!(v["message"], INDEX_MESSAGE);
    let index = (String::from("IndexWriteProvisionedThroughputExceeded"), format!("{ARN}/index/ByG"));
    assert_eq!(reasons(&v, "ThrottlingReasons"), vec![index]);
    // A write the index does not see goes through.
    assert_eq!(put(&mut e, "plain", t).0, 200);
}

#[test]
fn a_transaction_is_admitted_whole_or_canceled_with_the_actions_that_met_a_full_limit() {
    let mut e = engine(true, provisioned(1, 1));
    let t = T0 + 1000;
    spend(&mut e, 299, t);
    let put = |pk: &str| json!({"Put": {"TableName": "Tab", "Item": {"pk": {"S": pk}}}});
    // One unit left: the transaction is admitted as one request and takes all four.
    let body = json!({"TransactItems": [put("t1"), put("t2")]});
    assert_eq!(call(&mut e, "TransactWriteItems", body, t).0, 200);
    let (status, v) = call(&mut e, "TransactWriteItems", json!({"TransactItems": [put("t3"), put("t4")]}), t);
    assert_eq!(status, 400);
    let reason = json!({"Code": "ProvisionedThroughputExceeded", "Message": TABLE_MESSAGE});
    assert_eq!(v["CancellationReasons"], json!([reason, reason]));
    assert_eq!(
        v["Message"],
        "Transaction cancelled, please refer cancellation reasons for specific reasons [ProvisionedThroughputExceeded, ProvisionedThroughputExceeded]"
    );
    let got = call(&mut e, "GetItem", json!({"TableName": "Tab", "Key": {"pk": {"S": "t3"}}}), t).1;
    assert_eq!(got, json!({}), "a canceled transaction writes nothing");
}

#[test]
fn the_throughput_view_shows_the_hot_key_its_partition_and_the_burst_pool() {
    use dynaplay_engine::inspect::throughput_of;
    use dynaplay_engine::table::KeyValue;
    let mut e = hot_table();
    let t = T0 + 10_000;
    for _ in 0..12 {
        put(&mut e, "hot", t);
    }
    let info = throughput_of(&e, "Tab").unwrap();
    assert!(info.enforced && info.provisioned);
    assert_eq!((info.rate.write, info.ceiling.write), (100.0, 10.0));
    // Without adaptive capacity each partition would get an even share, under its ceiling.
    assert_eq!(info.even_share.write, 100.0 / info.partitions.len() as f64);
    assert!(info.even_share.write < info.ceiling.write);
    // 30,000 banked, 10 taken, 10 s refilled at 100 a second, capped at the pool.
    let burst = info.burst.write.unwrap();
    assert_eq!((burst.balance, burst.pool), (29_990.0, 30_000.0));
    assert_eq!(info.hot_key, Some((KeyValue::S("hot".into()), 2)));
    assert_eq!(info.events.len(), 2);
    assert_eq!(info.events[0].reasons, vec!["TableWriteKeyRangeThroughputExceeded".to_string()]);
    // The first throttle split the partition for heat, isolating the hot key in a
    // partition of its own; one key is still capped at the ceiling.
    let hot = info.events[0].partition.unwrap();
    assert_eq!(info.events[1].partition, Some(hot - 1));
    assert_eq!(info.partitions[hot].throttled, 1);
    assert_eq!(info.partitions[hot].now.write, 10.0);
    let last = info.history.last().unwrap();
    assert_eq!((last.used.write, last.throttled.write), (10.0, 2));
}

#[test]
fn throughput_decreases_are_limited_per_utc_day() {
    let mut e = engine(true, provisioned(20, 20));
    let t = T0 + 1000;
    let update = |n: u64| json!({"TableName": "Tab", "ProvisionedThroughput": {"ReadCapacityUnits": n, "WriteCapacityUnits": n}});
    for (i, n) in [19, 18, 17, 16].into_iter().enumerate() {
        assert_eq!(call(&mut e, "UpdateTable", update(n), t + i as u64).0, 200);
    }
    // An increase is always allowed.
    assert_eq!(call(&mut e, "UpdateTable", update(30), t + 10).0, 200);
    let (status, v) = call(&mut e, "UpdateTable", update(15), t + 20);
    assert_eq!(status, 400);
    assert_eq!(v["__type"], "com.amazonaws.dynamodb.v20120810#LimitExceededException");
    assert_eq!(
        v["message"],
        "Subscriber limit exceeded: Provisioned throughput decreases are limited within a given UTC day. After the first 4 decreases, each subsequent decrease in the same UTC day can be performed at most once every 1 hour. Number of decreases today: 4. Last decrease at 2023-11-14T22:13:21.003Z. Next decrease can be made at 2023-11-14T23:13:21.003Z"
    );
    // An hour after the last decrease, one more.
    let later = t + 3 + 3_600_000;
    assert_eq!(call(&mut e, "UpdateTable", update(15), later).0, 200);
    assert_eq!(call(&mut e, "UpdateTable", update(14), later + 1).0, 400);
    let d = call(&mut e, "DescribeTable", json!({"TableName": "Tab"}), later + 2).1;
    assert_eq!(d["Table"]["ProvisionedThroughput"]["NumberOfDecreasesToday"], 5);
}

#[test]
fn new_throughput_applies_once_the_table_is_active_again() {
    let mut e = Engine::new(Config { enforce_capacity: true, update_delay_ms: 5_000, ..Config::default() });
    let create = json!({"TableName": "Tab", "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1},
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}]});
    assert_eq!(call(&mut e, "CreateTable", create, T0).0, 200);
    let t = T0 + 1000;
    spend(&mut e, 300, t);
    let raise =
        json!({"TableName": "Tab", "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 500}});
    assert_eq!(call(&mut e, "UpdateTable", raise, t).0, 200);
    // UPDATING: still one unit a second.
    assert_eq!(put(&mut e, "a", t + 1000).0, 200);
    assert_eq!(put(&mut e, "b", t + 1000).0, 400);
    // ACTIVE: 500 a second.
    assert_eq!(put(&mut e, "c", t + 6000).0, 200);
    assert_eq!(put(&mut e, "d", t + 6000).0, 200);
}
