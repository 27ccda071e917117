use serde_json::json;

use crate::support::Harness;

#[test]
fn cancellation_reasons_are_in_request_order() {
    let mut h = Harness::new();
    h.table("tx1", None);
    h.put("tx1", json!({"pk": {"S": "a"}, "n": {"N": "1"}}));
    let (status, body) = h.call(
        "TransactWriteItems",
        json!({"TransactItems": [
            {"ConditionCheck": {"TableName": "tx1", "Key": {"pk": {"S": "a"}}, "ConditionExpression": "n = :one", "ExpressionAttributeValues": {":one": {"N": "1"}}}},
            {"Put": {"TableName": "tx1", "Item": {"pk": {"S": "b"}}, "ConditionExpression": "attribute_exists(pk)"}},
            {"Update": {"TableName": "tx1", "Key": {"pk": {"S": "c"}}, "UpdateExpression": "SET x = y"}}
        ]}),
    );
    assert_eq!(status, 400);
    assert_eq!(
        body,
        json!({"__type": "com.amazonaws.dynamodb.v20120810#TransactionCanceledException",
        "Message": "Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed, ValidationError]",
        "CancellationReasons": [
            {"Code": "None"},
            {"Code": "ConditionalCheckFailed", "Message": "The conditional request failed"},
            {"Code": "ValidationError", "Message": "The provided expression refers to an attribute that does not exist in the item"}
        ]})
    );
    assert_eq!(
        h.ok("GetItem", json!({"TableName": "tx1", "Key": {"pk": {"S": "b"}}})),
        json!({}),
        "nothing was written"
    );
}

#[test]
fn all_or_nothing_vs_batch_partial() {
    let mut h = Harness::new();
    h.table("tx2", None);
    let r = h.ok(
        "TransactWriteItems",
        json!({"TransactItems": [
            {"Put": {"TableName": "tx2", "Item": {"pk": {"S": "a"}}}},
            {"Put": {"TableName": "tx2", "Item": {"pk": {"S": "b"}}}}
        ]}),
    );
    assert_eq!(r, json!({}));
    assert_eq!(h.ok("Scan", json!({"TableName": "tx2"}))["Count"], 2);
    let (_, m) = h.err(
        "TransactWriteItems",
        json!({"TransactItems": [
            {"Put": {"TableName": "tx2", "Item": {"pk": {"S": "a"}}}},
            {"Delete": {"TableName": "tx2", "Key": {"pk": {"S": "a"}}}}
        ]}),
    );
    assert_eq!(m, "Transaction request cannot include multiple operations on one item");
    let (_, m) = h.err(
        "BatchWriteItem",
        json!({"RequestItems": {"tx2": [{"PutRequest": {"Item": {"pk": {"S": "z"}}}}, {"DeleteRequest": {"Key": {"pk": {"S": "z"}}}}]}}),
    );
    assert_eq!(m, "Provided list of item keys contains duplicates");
}

#[test]
fn client_request_token_is_idempotent_within_ten_minutes() {
    let mut h = Harness::new();
    h.table("tx3", None);
    let req = |n: &str| {
        json!({"ClientRequestToken": "tok-1", "TransactItems": [
            {"Update": {"TableName": "tx3", "Key": {"pk": {"S": "c"}}, "UpdateExpression": "ADD n :one", "ExpressionAttributeValues": {":one": {"N": n}}}}
        ]})
    };
    h.ok("TransactWriteItems", req("1"));
    h.ok("TransactWriteItems", req("1"));
    let got = h.ok("GetItem", json!({"TableName": "tx3", "Key": {"pk": {"S": "c"}}}));
    assert_eq!(got["Item"]["n"], json!({"N": "1"}), "the replay did not apply twice");
    let (t, _) = h.err("TransactWriteItems", req("2"));
    assert_eq!(t, "IdempotentParameterMismatchException");
    h.now += 10 * 60 * 1000;
    h.ok("TransactWriteItems", req("2"));

    // A replay is billed as a transactional read of the item it wrote, in the
    // replay's own ReturnConsumedCapacity mode: a 1.5 KB item is 4 write units
    // the first time and 2 read units on the replay.
    let big = |mode: &str| {
        json!({"ClientRequestToken": "tok-big", "ReturnConsumedCapacity": mode, "TransactItems": [
            {"Put": {"TableName": "tx3", "Item": {"pk": {"S": "big"}, "blob": {"S": "x".repeat(1500)}}}}
        ]})
    };
    let first = h.ok("TransactWriteItems", big("TOTAL"));
    assert_eq!(
        first["ConsumedCapacity"],
        json!([{"TableName": "tx3", "CapacityUnits": 4.0, "WriteCapacityUnits": 4.0}])
    );
    let replay = h.ok("TransactWriteItems", big("INDEXES"));
    assert_eq!(
        replay["ConsumedCapacity"],
        json!([{"TableName": "tx3", "CapacityUnits": 2.0, "ReadCapacityUnits": 2.0,
                "Table": {"CapacityUnits": 2.0, "ReadCapacityUnits": 2.0}}])
    );
    assert_eq!(h.ok("TransactWriteItems", big("NONE")), json!({}));
    let got = h.ok("GetItem", json!({"TableName": "tx3", "Key": {"pk": {"S": "c"}}}));
    assert_eq!(got["Item"]["n"], json!({"N": "3"}));
}

#[test]
fn batch_get_and_write_shapes() {
    let mut h = Harness::new();
    h.table("bg1", None);
    let r = h.ok("BatchWriteItem", json!({"RequestItems": {"bg1": [{"PutRequest": {"Item": {"pk": {"S": "a"}}}}, {"PutRequest": {"Item": {"pk": {"S": "b"}}}}]}}));
    assert_eq!(r, json!({"UnprocessedItems": {}}));
    let r = h.ok("BatchGetItem", json!({"RequestItems": {"bg1": {"Keys": [{"pk": {"S": "a"}}, {"pk": {"S": "nope"}}], "ProjectionExpression": "pk"}}}));
    assert_eq!(r, json!({"Responses": {"bg1": [{"pk": {"S": "a"}}]}, "UnprocessedKeys": {}}));
    let keys: Vec<_> = (0..101).map(|i| json!({"pk": {"S": format!("k{i}")}})).collect();
    let (_, m) = h.err("BatchGetItem", json!({"RequestItems": {"bg1": {"Keys": keys}}}));
    assert_eq!(m, "1 validation error detected: Value at 'RequestItems.bg1.member.Keys' failed to satisfy constraint: Member must have length less than or equal to 100");
    let (_, m) = h.err("BatchWriteItem", json!({"RequestItems": {}}));
    assert_eq!(m, "The requestItems parameter is required for BatchWriteItem");
    let (_, m) =
        h.err("BatchWriteItem", json!({"RequestItems": {"bg1": [{"PutRequest": {"Item": {"pk": {"N": "5"}}}}]}}));
    assert_eq!(m, "The provided key element does not match the schema");
    let puts: Vec<_> = (0..26).map(|i| json!({"PutRequest": {"Item": {"pk": {"S": format!("k{i}")}}}})).collect();
    let (_, m) = h.err("BatchWriteItem", json!({"RequestItems": {"bg1": puts}}));
    assert!(m.starts_with("1 validation error detected: Value '{bg1=[{"), "{m}");
    assert!(m.ends_with("}]}' at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 25, Member must have length greater than or equal to 1]"), "{m}");
    let (_, m) =
        h.err("BatchWriteItem", json!({"RequestItems": {"a": [{"PutRequest": {"Item": {"pk": {"S": "a"}}}}]}}));
    assert_eq!(
        m,
        "1 validation error detected: Value '{a=[{\"PutRequest\":{\"Item\":{\"pk\":{\"S\":\"a\"}}}}]}' at 'requestItems' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or equal to 255, Member must have length greater than or equal to 3, Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+]"
    );
    let big = "x".repeat(400 * 1024);
    let (_, m) = h.err(
        "BatchWriteItem",
        json!({"RequestItems": {"no_such_table": [{"PutRequest": {"Item": {"pk": {"S": "a"}, "b": {"S": big}}}}]}}),
    );
    assert_eq!(m, "Item size has exceeded the maximum allowed size", "checked before the table is looked up");
    let (_, m) = h.err("BatchGetItem", json!({"RequestItems": {}}));
    assert_eq!(m, "The requestItems parameter is required for BatchGetItem");
    h.table("bg2", None);
    let (_, m) = h.err(
        "BatchGetItem",
        json!({"RequestItems": {"bg1": {"Keys": [{"pk": {"S": "a"}}], "ProjectionExpression": "pk"},
                                "bg2": {"Keys": [{"pk": {"S": "a"}}], "AttributesToGet": ["pk"]}}}),
    );
    assert_eq!(m, "Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}");
    let (t, _) = h.err("BatchGetItem", json!({"RequestItems": {"missing": {"Keys": [{"pk": {"S": "a"}}]}}}));
    assert_eq!(t, "ResourceNotFoundException");
}

#[test]
fn a_transaction_may_not_carry_more_than_4_mb_of_items() {
    let mut h = Harness::new();
    h.table("tx4", None);
    let put = |i: usize| json!({"Put": {"TableName": "tx4", "Item": {"pk": {"S": format!("k{i}")}, "blob": {"S": "x".repeat(390_000)}}}});
    let ten: Vec<_> = (0..10).map(put).collect();
    h.ok("TransactWriteItems", json!({"TransactItems": ten}));
    let eleven: Vec<_> = (10..21).map(put).collect();
    let (t, m) = h.err("TransactWriteItems", json!({"TransactItems": eleven}));
    assert_eq!(
        (t.as_str(), m.as_str()),
        ("ValidationException", "Collection size of items exceeded, which can also be caused by the aggregate size of the items in the transaction exceeding the 4MB limit")
    );
    let got = h.ok("GetItem", json!({"TableName": "tx4", "Key": {"pk": {"S": "k10"}}}));
    assert_eq!(got, json!({}), "nothing of a refused transaction is written");
}
