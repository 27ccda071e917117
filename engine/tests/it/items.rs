use serde_json::json;

use crate::support::Harness;

#[test]
fn put_replaces_whole_items_and_update_keeps_the_rest() {
    let mut h = Harness::new();
    h.table("people", None);
    h.put("people", json!({"pk": {"S": "p1"}, "Name": {"S": "Ann"}, "Gender": {"S": "F"}}));
    let r = h.ok(
        "PutItem",
        json!({"TableName": "people", "Item": {"pk": {"S": "p1"}, "Country": {"S": "NO"}}, "ReturnValues": "ALL_OLD"}),
    );
    assert_eq!(r["Attributes"], json!({"pk": {"S": "p1"}, "Name": {"S": "Ann"}, "Gender": {"S": "F"}}));
    let got = h.ok("GetItem", json!({"TableName": "people", "Key": {"pk": {"S": "p1"}}}));
    assert_eq!(got, json!({"Item": {"pk": {"S": "p1"}, "Country": {"S": "NO"}}}));

    h.put("people", json!({"pk": {"S": "p2"}, "Name": {"S": "Bo"}, "Gender": {"S": "M"}}));
    let r = h.ok(
        "UpdateItem",
        json!({"TableName": "people", "Key": {"pk": {"S": "p2"}}, "UpdateExpression": "SET Country = :c",
               "ExpressionAttributeValues": {":c": {"S": "SE"}}, "ReturnValues": "ALL_NEW"}),
    );
    assert_eq!(
        r["Attributes"],
        json!({"pk": {"S": "p2"}, "Name": {"S": "Bo"}, "Gender": {"S": "M"}, "Country": {"S": "SE"}})
    );
}

#[test]
fn update_return_values() {
    let mut h = Harness::new();
    h.table("t1t", None);
    h.put("t1t", json!({"pk": {"S": "a"}, "n": {"N": "1"}, "m": {"M": {"x": {"N": "1"}, "y": {"N": "2"}}}}));
    let upd = |rv: &str| {
        json!({"TableName": "t1t", "Key": {"pk": {"S": "a"}}, "UpdateExpression": "SET m.x = :v REMOVE n",
               "ExpressionAttributeValues": {":v": {"N": "9"}}, "ReturnValues": rv})
    };
    assert_eq!(
        h.ok("UpdateItem", upd("UPDATED_OLD"))["Attributes"],
        json!({"n": {"N": "1"}, "m": {"M": {"x": {"N": "1"}}}})
    );
    assert_eq!(h.ok("UpdateItem", upd("UPDATED_NEW"))["Attributes"], json!({"m": {"M": {"x": {"N": "9"}}}}));
    assert_eq!(h.ok("UpdateItem", upd("NONE")), json!({}));
    let all_old = h.ok("UpdateItem", upd("ALL_OLD"))["Attributes"].clone();
    assert_eq!(all_old, json!({"pk": {"S": "a"}, "m": {"M": {"x": {"N": "9"}, "y": {"N": "2"}}}}));
}

#[test]
fn update_creates_missing_items() {
    let mut h = Harness::new();
    h.table("ctr", None);
    for _ in 0..3 {
        h.ok("UpdateItem", json!({"TableName": "ctr", "Key": {"pk": {"S": "c"}}, "UpdateExpression": "ADD hits :one", "ExpressionAttributeValues": {":one": {"N": "1"}}}));
    }
    assert_eq!(
        h.ok("GetItem", json!({"TableName": "ctr", "Key": {"pk": {"S": "c"}}}))["Item"]["hits"],
        json!({"N": "3"})
    );
    let r = h.ok("UpdateItem", json!({"TableName": "ctr", "Key": {"pk": {"S": "new"}}, "ReturnValues": "ALL_NEW"}));
    assert_eq!(r, json!({"Attributes": {"pk": {"S": "new"}}}));
}

#[test]
fn key_and_item_validation_messages() {
    let mut h = Harness::new();
    h.table("kv1", Some("N"));
    let cases = [
        ("PutItem", json!({"TableName": "kv1", "Item": {"pk": {"S": "a"}}}), "One or more parameter values were invalid: Missing the key sk in the item"),
        ("PutItem", json!({"TableName": "kv1", "Item": {"pk": {"S": "a"}, "sk": {"S": "1"}}}), "One or more parameter values were invalid: Type mismatch for key sk expected: N actual: S"),
        ("PutItem", json!({"TableName": "kv1", "Item": {"pk": {"S": ""}, "sk": {"N": "1"}}}), "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk"),
        ("GetItem", json!({"TableName": "kv1", "Key": {"pk": {"S": "a"}, "sk": {"N": "1"}, "x": {"S": "y"}}}), "The provided key element does not match the schema"),
        ("DeleteItem", json!({"TableName": "kv1", "Key": {"pk": {"S": "a"}, "sk": {"S": "1"}}}), "The provided key element does not match the schema"),
        ("PutItem", json!({"TableName": "kv1", "Item": {"pk": {"S": "a"}, "sk": {"N": "1"}, "big": {"S": "x".repeat(400 * 1024)}}}), "Item size has exceeded the maximum allowed size"),
        ("PutItem", json!({"TableName": "kv1", "Item": {"pk": {"S": "a"}, "sk": {"N": "1"}}, "ReturnValues": "ALL_NEW"}), "Return values set to invalid value"),
    ];
    for (op, body, msg) in cases {
        let (t, m) = h.err(op, body);
        assert_eq!((t.as_str(), m.as_str()), ("ValidationException", msg));
    }
}

#[test]
fn projection_and_numbers_come_back_normalised() {
    let mut h = Harness::new();
    h.table("np1", None);
    h.put(
        "np1",
        json!({"pk": {"S": "a"}, "n": {"N": "001.500"}, "l": {"L": [{"N": "1E2"}, {"S": "x"}]}, "o": {"S": "o"}}),
    );
    let r = h.ok("GetItem", json!({"TableName": "np1", "Key": {"pk": {"S": "a"}}, "ProjectionExpression": "n, l[0]"}));
    assert_eq!(r, json!({"Item": {"n": {"N": "1.5"}, "l": {"L": [{"N": "100"}]}}}));
}

#[test]
fn delete_is_idempotent_and_conditional() {
    let mut h = Harness::new();
    h.table("del", None);
    assert_eq!(h.ok("DeleteItem", json!({"TableName": "del", "Key": {"pk": {"S": "none"}}})), json!({}));
    h.put("del", json!({"pk": {"S": "a"}, "v": {"N": "1"}}));
    let (t, _) = h.err("DeleteItem", json!({"TableName": "del", "Key": {"pk": {"S": "a"}}, "ConditionExpression": "v = :two", "ExpressionAttributeValues": {":two": {"N": "2"}}}));
    assert_eq!(t, "ConditionalCheckFailedException");
    let r = h.ok("DeleteItem", json!({"TableName": "del", "Key": {"pk": {"S": "a"}}, "ReturnValues": "ALL_OLD"}));
    assert_eq!(r["Attributes"]["v"], json!({"N": "1"}));
}

#[test]
fn item_collection_metrics_on_tables_with_local_indexes() {
    let mut h = Harness::new();
    h.ok(
        "CreateTable",
        json!({"TableName": "icm", "BillingMode": "PAY_PER_REQUEST",
               "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "S"}, {"AttributeName": "d", "AttributeType": "S"}],
               "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
               "LocalSecondaryIndexes": [{"IndexName": "byD", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "d", "KeyType": "RANGE"}], "Projection": {"ProjectionType": "KEYS_ONLY"}}]}),
    );
    let r = h.ok("PutItem", json!({"TableName": "icm", "Item": {"pk": {"S": "a"}, "sk": {"S": "1"}}, "ReturnItemCollectionMetrics": "SIZE"}));
    assert_eq!(
        r,
        json!({"ItemCollectionMetrics": {"ItemCollectionKey": {"pk": {"S": "a"}}, "SizeEstimateRangeGB": [0.0, 1.0]}})
    );
    h.table("noidx", None);
    let r = h.ok(
        "PutItem",
        json!({"TableName": "noidx", "Item": {"pk": {"S": "a"}}, "ReturnItemCollectionMetrics": "SIZE"}),
    );
    assert_eq!(r, json!({}));

    // Batches and transactions list one entry per item written to a table with a
    // local index, under the table's name.
    let r = h.ok(
        "BatchWriteItem",
        json!({"RequestItems": {
            "icm": [{"PutRequest": {"Item": {"pk": {"S": "b"}, "sk": {"S": "1"}}}}, {"DeleteRequest": {"Key": {"pk": {"S": "a"}, "sk": {"S": "1"}}}}],
            "noidx": [{"PutRequest": {"Item": {"pk": {"S": "b"}}}}]},
            "ReturnItemCollectionMetrics": "SIZE"}),
    );
    let entry = |pk: &str| json!({"ItemCollectionKey": {"pk": {"S": pk}}, "SizeEstimateRangeGB": [0.0, 1.0]});
    assert_eq!(r["ItemCollectionMetrics"], json!({"icm": [entry("b"), entry("a")]}));
    // A batch of puts alone is read typed: the same entries, and none unless asked for.
    let puts = json!({"icm": [{"PutRequest": {"Item": {"pk": {"S": "d"}, "sk": {"S": "1"}}}},
                              {"PutRequest": {"Item": {"pk": {"S": "e"}, "sk": {"S": "1"}}}}]});
    let r = h.ok("BatchWriteItem", json!({"RequestItems": puts, "ReturnItemCollectionMetrics": "SIZE"}));
    assert_eq!(r["ItemCollectionMetrics"], json!({"icm": [entry("d"), entry("e")]}));
    let r = h.ok("BatchWriteItem", json!({"RequestItems": puts}));
    assert_eq!(r, json!({"UnprocessedItems": {}}));
    let r = h.ok(
        "TransactWriteItems",
        json!({"TransactItems": [{"Put": {"TableName": "icm", "Item": {"pk": {"S": "c"}, "sk": {"S": "1"}}}}],
               "ReturnItemCollectionMetrics": "SIZE"}),
    );
    assert_eq!(r["ItemCollectionMetrics"], json!({"icm": [entry("c")]}));
}

#[test]
fn update_expressions_check_secondary_index_keys_as_aws_does() {
    let mut h = Harness::new();
    h.ok(
        "CreateTable",
        json!({"TableName": "ixu", "BillingMode": "PAY_PER_REQUEST",
               "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "c", "AttributeType": "S"}, {"AttributeName": "d", "AttributeType": "S"}],
               "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
               "GlobalSecondaryIndexes": [{"IndexName": "byCD", "KeySchema": [{"AttributeName": "c", "KeyType": "HASH"}, {"AttributeName": "d", "KeyType": "RANGE"}], "Projection": {"ProjectionType": "ALL"}}]}),
    );
    let update = |h: &mut Harness, expr: &str, values: serde_json::Value| {
        let mut body = json!({"TableName": "ixu", "Key": {"pk": {"S": "a"}}, "UpdateExpression": expr});
        if values != json!(null) {
            body["ExpressionAttributeValues"] = values;
        }
        h.err("UpdateItem", body).1
    };
    // A type the expression fixes is refused before the item is read...
    assert_eq!(
        update(&mut h, "SET e = c[1], c = a + :n", json!({":n": {"N": "1"}})),
        "One or more parameter values were invalid: Type mismatch for Index Key c Expected: S Actual: N IndexName: byCD"
    );
    // ...then reaching into an index key attribute, as a target or an operand...
    for expr in ["ADD d.b :n", "SET d[1] = :n", "SET e = d[1]"] {
        let values = if expr.contains(":n") { json!({":n": {"N": "1"}}) } else { json!(null) };
        assert_eq!(
            update(&mut h, expr, values),
            "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: IndexKey: d",
            "{expr}"
        );
    }
    // ...and a type only the stored item reveals is worded differently.
    h.ok("PutItem", json!({"TableName": "ixu", "Item": {"pk": {"S": "a"}, "e": {"N": "1"}}}));
    assert_eq!(
        update(&mut h, "SET c = e", json!(null)),
        "The update expression attempted to update the secondary index key to unsupported type"
    );
}
