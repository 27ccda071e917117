use serde_json::json;

use crate::support::Harness;

#[test]
fn teaching_scale_makes_a_classroom_table_split() {
    let mut h = Harness::new();
    // Scale 1,000,000: a partition holds 10 GiB / 1e6 ≈ 10.7 KB.
    h.ok(
        "CreateTable",
        json!({"TableName": "class", "BillingMode": "PAY_PER_REQUEST", "DynaplayTeachingScale": 1_000_000,
               "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
               "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}]}),
    );
    let mut splits = 0;
    for i in 0..50 {
        h.now += 1;
        let body =
            json!({"TableName": "class", "Item": {"pk": {"S": format!("student-{i}")}, "bio": {"S": "x".repeat(400)}}});
        let r = h.engine.request("PutItem", body.to_string().as_bytes(), h.now);
        assert_eq!(r.status, 200);
        splits += r.trace.splits.len();
        assert_eq!(r.trace.writes.len(), 1);
    }
    let table = h.engine.table("class").unwrap();
    let parts = &table.partitions.parts;
    assert!(splits >= 1 && parts.len() == splits + 1, "{splits} splits, {} partitions", parts.len());
    let limit = table.partitions.byte_limit() as usize;
    assert!(parts.iter().all(|p| p.bytes <= limit), "every partition is back under its limit");
    assert_eq!(parts.iter().map(|p| p.items).sum::<usize>(), 50);
    // Scan still returns every item once, in hash order.
    let r = h.ok("Scan", json!({"TableName": "class"}));
    assert_eq!(r["Count"], 50);
}

#[test]
fn provisioned_throughput_allocates_partitions() {
    let mut h = Harness::new();
    h.ok(
        "CreateTable",
        json!({"TableName": "prov", "ProvisionedThroughput": {"ReadCapacityUnits": 6000, "WriteCapacityUnits": 2000},
               "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
               "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}]}),
    );
    assert_eq!(h.engine.table("prov").unwrap().partitions.parts.len(), 4);
}

#[test]
fn traces_name_partitions_and_before_after() {
    let mut h = Harness::new();
    h.table("tr1", None);
    h.put("tr1", json!({"pk": {"S": "a"}, "v": {"N": "1"}}));
    h.now += 1;
    let body = json!({"TableName": "tr1", "Key": {"pk": {"S": "a"}}, "UpdateExpression": "SET v = :two", "ExpressionAttributeValues": {":two": {"N": "2"}}});
    let r = h.engine.request("UpdateItem", body.to_string().as_bytes(), h.now);
    let w = &r.trace.writes[0];
    assert_eq!(
        w.before.as_ref().unwrap().get("v").unwrap(),
        dynaplay_engine::value::AttributeValue::from_json(&json!({"N": "1"})).unwrap()
    );
    assert_eq!(
        w.after.as_ref().unwrap().get("v").unwrap(),
        dynaplay_engine::value::AttributeValue::from_json(&json!({"N": "2"})).unwrap()
    );
    assert_eq!(w.write_units, 1.0);
}

#[test]
fn sustained_traffic_splits_a_hot_partition_but_clicking_does_not() {
    let mut h = Harness::new();
    h.ok(
        "CreateTable",
        json!({"TableName": "hot", "BillingMode": "PAY_PER_REQUEST", "DynaplayTeachingScale": 1_000_000,
               "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
               "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}]}),
    );
    let mut splits = Vec::new();
    let put = |h: &mut Harness, key: String, at: u64| {
        let body = json!({"TableName": "hot", "Item": {"pk": {"S": key}}});
        let r = h.engine.request("PutItem", body.to_string().as_bytes(), at);
        assert_eq!(r.status, 200);
        r.trace.splits
    };
    let t0 = h.now;
    // A learner clicking: one write every two seconds for a minute.
    for i in 0..30u64 {
        splits.extend(put(&mut h, format!("k{i}"), t0 + i * 2000));
    }
    assert!(splits.is_empty(), "{splits:?}");
    // A loop: ten writes a second for three seconds.
    let t1 = t0 + 70_000;
    for i in 0..30u64 {
        splits.extend(put(&mut h, format!("k{}", i % 30), t1 + i * 100));
    }
    assert!(!splits.is_empty());
    assert!(splits.iter().all(|s| s.reason == dynaplay_engine::table::SplitReason::Heat));
    assert_eq!(h.engine.table("hot").unwrap().partitions.parts.len(), splits.len() + 1);
}

#[test]
fn scan_traces_report_each_partition_read() {
    let mut h = Harness::new();
    h.ok(
        "CreateTable",
        json!({"TableName": "multi", "ProvisionedThroughput": {"ReadCapacityUnits": 9000, "WriteCapacityUnits": 1},
               "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
               "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}]}),
    );
    for i in 0..40 {
        h.put("multi", json!({"pk": {"S": format!("k{i}")}}));
    }
    h.now += 1;
    let r = h.engine.request("Scan", br#"{"TableName":"multi"}"#, h.now);
    let read = &r.trace.reads[0];
    assert_eq!(read.partitions.len(), 4, "9,000 RCU + 1 WCU → 4 partitions, all read in hash order");
    let order: Vec<usize> = read.partitions.iter().map(|p| p.partition).collect();
    assert_eq!(order, [0, 1, 2, 3]);
    assert_eq!(read.partitions.iter().map(|p| p.examined).sum::<usize>(), 40);
    let units: f64 = read.partitions.iter().map(|p| p.read_units).sum();
    assert!((units - read.read_units).abs() < 1e-9);
}
