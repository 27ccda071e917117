use serde_json::json;

use crate::support::Harness;

fn cap(v: &serde_json::Value) -> f64 {
    v["ConsumedCapacity"]["CapacityUnits"].as_f64().unwrap()
}

#[test]
fn reads_round_to_four_kb_and_halve_when_eventually_consistent() {
    let mut h = Harness::new();
    h.table("cap", None);
    h.put("cap", json!({"pk": {"S": "a"}, "b": {"S": "x".repeat(5000)}}));
    let get = |consistent: bool| json!({"TableName": "cap", "Key": {"pk": {"S": "a"}}, "ConsistentRead": consistent, "ReturnConsumedCapacity": "TOTAL"});
    assert_eq!(cap(&h.ok("GetItem", get(true))), 2.0);
    assert_eq!(cap(&h.ok("GetItem", get(false))), 1.0);
    let missing = json!({"TableName": "cap", "Key": {"pk": {"S": "zz"}}, "ReturnConsumedCapacity": "TOTAL"});
    assert_eq!(cap(&h.ok("GetItem", missing)), 0.5, "a missing item still costs the minimum");
    let proj = json!({"TableName": "cap", "Key": {"pk": {"S": "a"}}, "ConsistentRead": true, "ProjectionExpression": "pk", "ReturnConsumedCapacity": "TOTAL"});
    assert_eq!(cap(&h.ok("GetItem", proj)), 2.0, "projection does not reduce the charge");
}

#[test]
fn writes_charge_the_larger_of_old_and_new() {
    let mut h = Harness::new();
    h.table("capw", None);
    let put = |size: usize| json!({"TableName": "capw", "Item": {"pk": {"S": "a"}, "b": {"S": "x".repeat(size)}}, "ReturnConsumedCapacity": "TOTAL"});
    assert_eq!(cap(&h.ok("PutItem", put(3000))), 3.0);
    assert_eq!(cap(&h.ok("PutItem", put(10))), 3.0, "replacing a 3 KB item costs 3 units");
    assert_eq!(cap(&h.ok("PutItem", put(10))), 1.0);
    let upd = json!({"TableName": "capw", "Key": {"pk": {"S": "a"}}, "UpdateExpression": "SET c = :c", "ExpressionAttributeValues": {":c": {"S": "x".repeat(2000)}}, "ReturnConsumedCapacity": "TOTAL"});
    assert_eq!(cap(&h.ok("UpdateItem", upd)), 2.0);
    let del = json!({"TableName": "capw", "Key": {"pk": {"S": "a"}}, "ReturnConsumedCapacity": "TOTAL"});
    assert_eq!(cap(&h.ok("DeleteItem", del.clone())), 2.0);
    assert_eq!(cap(&h.ok("DeleteItem", del)), 1.0, "deleting nothing costs one unit");
}

#[test]
fn query_sums_then_rounds_and_filters_do_not_reduce_it() {
    let mut h = Harness::new();
    h.table("capq", Some("N"));
    for i in 0..10 {
        // 10 items of ~1 KB: 10 KB in all → 3 units strong, 1.5 eventually consistent.
        h.put("capq", json!({"pk": {"S": "p"}, "sk": {"N": i.to_string()}, "b": {"S": "x".repeat(1000)}}));
    }
    let q = |filter: bool, consistent: bool| {
        let mut b = json!({"TableName": "capq", "KeyConditionExpression": "pk = :p", "ExpressionAttributeValues": {":p": {"S": "p"}}, "ConsistentRead": consistent, "ReturnConsumedCapacity": "TOTAL"});
        if filter {
            b["FilterExpression"] = json!("attribute_not_exists(b)");
        }
        b
    };
    assert_eq!(cap(&h.ok("Query", q(false, true))), 3.0);
    assert_eq!(cap(&h.ok("Query", q(false, false))), 1.5);
    assert_eq!(cap(&h.ok("Query", q(true, false))), 1.5);
    let scan = |filter: bool| {
        let mut b = json!({"TableName": "capq", "ReturnConsumedCapacity": "TOTAL"});
        if filter {
            b["FilterExpression"] = json!("attribute_not_exists(b)");
        }
        b
    };
    assert_eq!(cap(&h.ok("Scan", scan(false))), cap(&h.ok("Scan", scan(true))));
}

#[test]
fn transactions_charge_double_and_indexes_report_separately() {
    let mut h = Harness::new();
    h.ok(
        "CreateTable",
        json!({"TableName": "capi", "BillingMode": "PAY_PER_REQUEST",
               "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "g", "AttributeType": "S"}],
               "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
               "GlobalSecondaryIndexes": [{"IndexName": "gix", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}], "Projection": {"ProjectionType": "ALL"}}]}),
    );
    let r = h.ok(
        "PutItem",
        json!({"TableName": "capi", "Item": {"pk": {"S": "a"}, "g": {"S": "x"}}, "ReturnConsumedCapacity": "INDEXES"}),
    );
    assert_eq!(
        r["ConsumedCapacity"],
        json!({"TableName": "capi", "CapacityUnits": 2.0,
               "Table": {"CapacityUnits": 1.0},
               "GlobalSecondaryIndexes": {"gix": {"CapacityUnits": 1.0}}}),
        "only transactions show the read/write split"
    );
    let r = h.ok(
        "PutItem",
        json!({"TableName": "capi", "Item": {"pk": {"S": "a"}, "g": {"S": "y"}}, "ReturnConsumedCapacity": "INDEXES"}),
    );
    assert_eq!(
        r["ConsumedCapacity"]["GlobalSecondaryIndexes"]["gix"]["CapacityUnits"], 2.0,
        "a changed index key is a delete and a put"
    );
    let r = h.ok("TransactWriteItems", json!({"TransactItems": [{"Put": {"TableName": "capi", "Item": {"pk": {"S": "b"}}}}], "ReturnConsumedCapacity": "TOTAL"}));
    assert_eq!(r["ConsumedCapacity"], json!([{"TableName": "capi", "CapacityUnits": 2.0, "WriteCapacityUnits": 2.0}]));
    let r = h.ok("TransactGetItems", json!({"TransactItems": [{"Get": {"TableName": "capi", "Key": {"pk": {"S": "b"}}}}], "ReturnConsumedCapacity": "TOTAL"}));
    assert_eq!(r["ConsumedCapacity"], json!([{"TableName": "capi", "CapacityUnits": 2.0, "ReadCapacityUnits": 2.0}]));
    let r = h.ok("BatchGetItem", json!({"RequestItems": {"capi": {"Keys": [{"pk": {"S": "a"}}, {"pk": {"S": "b"}}, {"pk": {"S": "c"}}], "ConsistentRead": true}}, "ReturnConsumedCapacity": "TOTAL"}));
    assert_eq!(
        r["ConsumedCapacity"],
        json!([{"TableName": "capi", "CapacityUnits": 3.0}]),
        "each key rounded separately"
    );
}

#[test]
fn failed_conditional_writes_still_charge() {
    let mut h = Harness::new();
    h.table("capf", None);
    h.put("capf", json!({"pk": {"S": "a"}}));
    let r = h.engine.request(
        "PutItem",
        json!({"TableName": "capf", "Item": {"pk": {"S": "a"}, "b": {"S": "x".repeat(1500)}}, "ConditionExpression": "attribute_not_exists(pk)"}).to_string().as_bytes(),
        h.now + 1,
    );
    assert_eq!(r.status, 400);
    assert_eq!(r.trace.consumed[0].table.write, 2.0, "charged on the new item's size");
}
