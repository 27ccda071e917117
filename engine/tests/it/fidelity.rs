//! Behaviour outside suites found diverging from DynamoDB, each asserted with AWS's whole
//! message (sources: AWS's expression reference, the Query reference, and the 2026
//! conformance suite run against live DynamoDB).

use serde_json::json;

use crate::support::Harness;

#[test]
fn in_takes_up_to_a_hundred_values() {
    let mut h = Harness::new();
    h.table("tbl", None);
    h.put("tbl", json!({"pk": {"S": "a"}, "n": {"N": "7"}}));
    let values = |n: usize| {
        let mut m = serde_json::Map::new();
        for i in 0..n {
            m.insert(format!(":v{i}"), json!({"N": i.to_string()}));
        }
        m
    };
    let list = |n: usize| (0..n).map(|i| format!(":v{i}")).collect::<Vec<_>>().join(", ");
    let v = h.ok("Scan", json!({"TableName": "tbl", "FilterExpression": format!("n IN ({})", list(100)), "ExpressionAttributeValues": values(100)}));
    assert_eq!(v["Count"], 1);
    let (t, m) = h.err("Scan", json!({"TableName": "tbl", "FilterExpression": format!("n IN ({})", list(101)), "ExpressionAttributeValues": values(101)}));
    assert_eq!(
        (t.as_str(), m.as_str()),
        (
            "ValidationException",
            "Invalid FilterExpression: The IN operator is provided with too many operands; number of operands: 101"
        )
    );
}

#[test]
fn null_false_is_refused() {
    let mut h = Harness::new();
    h.table("tbl", None);
    let bare = "One or more parameter values were invalid: Null attribute value types must have the value of true";
    let prefixed = format!("1 validation error detected: {bare}");
    let cases = [
        ("PutItem", json!({"TableName": "tbl", "Item": {"pk": {"S": "a"}, "x": {"NULL": false}}}), prefixed.clone()),
        (
            "UpdateItem",
            json!({"TableName": "tbl", "Key": {"pk": {"S": "a"}}, "AttributeUpdates": {"x": {"Action": "PUT", "Value": {"NULL": false}}}}),
            prefixed,
        ),
        ("GetItem", json!({"TableName": "tbl", "Key": {"pk": {"NULL": false}}}), bare.to_string()),
        // Placeholder values are wrapped as every invalid placeholder value is.
        (
            "Scan",
            json!({"TableName": "tbl", "FilterExpression": "x = :n", "ExpressionAttributeValues": {":n": {"NULL": false}}}),
            format!("ExpressionAttributeValues contains invalid value: {bare} for key :n"),
        ),
    ];
    for (op, body, msg) in cases {
        assert_eq!(h.err(op, body), ("ValidationException".to_string(), msg), "{op}");
    }
    assert_eq!(h.ok("Scan", json!({"TableName": "tbl"}))["Count"], 0, "nothing was written");
}

/// A table with a KEYS_ONLY local index: items of 300 bytes whose index entries are small.
fn lsi_table() -> Harness {
    let mut h = Harness::new();
    h.ok(
        "CreateTable",
        json!({"TableName": "lsi", "BillingMode": "PAY_PER_REQUEST",
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "S"},
                                     {"AttributeName": "alt", "AttributeType": "S"}],
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
            "LocalSecondaryIndexes": [{"IndexName": "byAlt", "Projection": {"ProjectionType": "KEYS_ONLY"},
                "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "alt", "KeyType": "RANGE"}]}]}),
    );
    for i in 0..4 {
        h.put("lsi", json!({"pk": {"S": "p"}, "sk": {"S": format!("s{i}")}, "alt": {"S": format!("a{i}")}, "body": {"S": "x".repeat(280)}}));
    }
    h
}

#[test]
fn local_index_queries_fetch_unprojected_attributes_from_the_table() {
    let mut h = lsi_table();
    let query = |extra: serde_json::Value| {
        let mut q = json!({"TableName": "lsi", "IndexName": "byAlt", "KeyConditionExpression": "pk = :p",
            "ExpressionAttributeValues": {":p": {"S": "p"}}, "ReturnConsumedCapacity": "INDEXES", "ConsistentRead": true});
        q.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        q
    };
    // Projected attributes only: the index alone, one 4 KB read for all four entries.
    let v = h.ok("Query", query(json!({})));
    assert_eq!(v["Items"][0], json!({"pk": {"S": "p"}, "sk": {"S": "s0"}, "alt": {"S": "a0"}}));
    assert_eq!(v["ConsumedCapacity"]["CapacityUnits"], 1.0);
    // ALL_ATTRIBUTES: every item is fetched from the table, each read rounded on its own.
    let v = h.ok("Query", query(json!({"Select": "ALL_ATTRIBUTES"})));
    assert_eq!(v["Items"][0]["body"]["S"].as_str().unwrap().len(), 280);
    assert_eq!(
        v["ConsumedCapacity"],
        json!({"TableName": "lsi", "CapacityUnits": 5.0, "Table": {"CapacityUnits": 4.0},
               "LocalSecondaryIndexes": {"byAlt": {"CapacityUnits": 1.0}}})
    );
    // A projection naming an unprojected attribute fetches too; eventually consistent halves.
    let v = h.ok("Query", query(json!({"ProjectionExpression": "body, alt", "ConsistentRead": false})));
    assert_eq!(v["Items"][3]["alt"], json!({"S": "a3"}));
    assert!(v["Items"][3]["body"].is_object());
    assert_eq!(v["ConsumedCapacity"]["CapacityUnits"], 2.5);
    // COUNT never fetches.
    let v = h.ok("Query", query(json!({"Select": "COUNT"})));
    assert_eq!((v["Count"].clone(), v["ConsumedCapacity"]["CapacityUnits"].clone()), (json!(4), json!(1.0)));
}

#[test]
fn tag_resource_refuses_a_malformed_arn_as_invalid() {
    let mut h = Harness::new();
    for (op, body) in [
        ("TagResource", json!({"ResourceArn": "not-a-valid-arn", "Tags": [{"Key": "env", "Value": "test"}]})),
        ("UntagResource", json!({"ResourceArn": "a:b:c:d:e/f", "TagKeys": ["env"]})),
    ] {
        let arn = body["ResourceArn"].as_str().unwrap().to_string();
        assert_eq!(
            h.err(op, body),
            (
                "ValidationException".to_string(),
                format!("Invalid TableArn: Invalid ResourceArn provided as input {arn}")
            )
        );
    }
}

#[test]
fn a_bad_key_in_a_transaction_cancels_it() {
    let mut h = Harness::new();
    h.table("tbl", None);
    h.put("tbl", json!({"pk": {"S": "a"}}));
    let (status, v) = h.call("TransactGetItems", json!({"TransactItems": [{"Get": {"TableName": "tbl", "Key": {}}}]}));
    assert_eq!(status, 400);
    assert_eq!(
        v,
        json!({"__type": "com.amazonaws.dynamodb.v20120810#TransactionCanceledException",
               "Message": "Transaction cancelled, please refer cancellation reasons for specific reasons [ValidationError]",
               "CancellationReasons": [{"Code": "ValidationError", "Message": "The provided key element does not match the schema"}]})
    );
    let (status, v) = h.call(
        "TransactWriteItems",
        json!({"TransactItems": [
            {"Put": {"TableName": "tbl", "Item": {"pk": {"S": "b"}}}},
            {"Delete": {"TableName": "tbl", "Key": {"pk": {"N": "1"}}}}]}),
    );
    assert_eq!(status, 400);
    assert_eq!(
        v["Message"],
        "Transaction cancelled, please refer cancellation reasons for specific reasons [None, ValidationError]"
    );
    assert_eq!(v["CancellationReasons"][0], json!({"Code": "None"}));
    assert_eq!(v["CancellationReasons"][1]["Code"], "ValidationError");
    assert_eq!(h.ok("Scan", json!({"TableName": "tbl"}))["Count"], 1, "nothing was written");
}

#[test]
fn over_a_hundred_actions_echo_the_request_list() {
    let mut h = Harness::new();
    let actions: Vec<serde_json::Value> =
        (0..101).map(|i| json!({"Put": {"TableName": "tbl", "Item": {"pk": {"S": format!("k{i}")}}}})).collect();
    let listed: Vec<String> = actions.iter().map(|a| a.to_string()).collect();
    let (t, m) = h.err("TransactWriteItems", json!({"TransactItems": actions}));
    assert_eq!(t, "ValidationException");
    assert_eq!(
        m,
        format!(
            "1 validation error detected: Value '[{}]' at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to 100",
            listed.join(", ")
        )
    );
}

#[test]
fn features_not_built_are_refused_not_ignored() {
    let mut h = Harness::new();
    h.table("tbl", None);
    let replicas = json!({"TableName": "tbl", "ReplicaUpdates": [{"Create": {"RegionName": "us-west-2"}}]});
    assert_eq!(
        h.err("UpdateTable", replicas).1,
        "Global tables need several regions: an engine on its own has one (global::World has several; dynaplay serve, dynaplay run and the page use it), so ReplicaUpdates is refused rather than ignored (see the README)"
    );
    let v = h.ok("DescribeTable", json!({"TableName": "tbl"}));
    assert_eq!(v["Table"]["TableStatus"], "ACTIVE", "nothing changed");
}

#[test]
fn the_whole_body_is_deserialized_before_anything_is_validated() {
    let mut h = Harness::new();
    // No TableName (a validation error), and a filter value that is not an AttributeValue
    // (a serialization error): AWS deserializes the whole request first.
    let (status, v) = h.call("Query", json!({"QueryFilter": {"a": {"AttributeValueList": [23]}}}));
    assert_eq!(status, 400);
    assert_eq!(
        v,
        json!({"__type": "com.amazon.coral.service#SerializationException", "Message": "Unexpected value type in payload"})
    );
    let cases = [
        ("PutItem", json!({"TableName": true}), "TRUE_VALUE cannot be converted to String"),
        ("Scan", json!({"TableName": "tbl", "Limit": "5"}), "STRING_VALUE cannot be converted to Integer"),
        ("GetItem", json!({"TableName": "tbl", "Key": []}), "Unrecognized collection type java.util.Map<java.lang.String, com.amazonaws.dynamodb.v20120810.AttributeValue>"),
        ("BatchGetItem", json!({"RequestItems": {"tbl": []}}), "Unrecognized collection type class com.amazonaws.dynamodb.v20120810.KeysAndAttributes"),
        ("UpdateItem", json!({"TableName": "tbl", "Key": {"a": {"S": 1.5}}}), "DECIMAL_VALUE cannot be converted to String"),
        ("CreateTable", json!({"KeySchema": {}}), "Start of structure or map found where not expected"),
    ];
    for (op, body, msg) in cases {
        assert_eq!(h.err(op, body.clone()), ("SerializationException".to_string(), msg.to_string()), "{op} {body}");
    }
}

#[test]
fn what_aws_checks_before_looking_the_table_up() {
    let mut h = Harness::new();
    let invalid = |detail: &str| format!("One or more parameter values were invalid: {detail}");
    let cases = [
        (
            "UpdateTable",
            json!({"TableName": "absent", "GlobalSecondaryIndexUpdates": []}),
            "At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required".to_string(),
        ),
        ("UpdateTable", json!({"TableName": "absent", "BillingMode": "PROVISIONED"}), invalid("ProvisionedThroughput must be specified when BillingMode is PROVISIONED")),
        (
            "UpdateTable",
            json!({"TableName": "absent", "GlobalSecondaryIndexUpdates": [{}]}),
            invalid("One of GlobalSecondaryIndexUpdate.Update, GlobalSecondaryIndexUpdate.Create, GlobalSecondaryIndexUpdate.Delete must not be null"),
        ),
        (
            "UpdateTable",
            json!({"TableName": "absent", "GlobalSecondaryIndexUpdates": [{"Delete": {"IndexName": "abc"}}, {"Delete": {"IndexName": "abc"}}]}),
            invalid("Only one global secondary index update per index is allowed simultaneously. Index: abc"),
        ),
        (
            "PutItem",
            json!({"TableName": "absent", "Item": {"a": {"S": "k"}, "b": {"S": "x".repeat(400 * 1024)}}}),
            "Item size has exceeded the maximum allowed size".to_string(),
        ),
    ];
    for (op, body, msg) in cases {
        assert_eq!(h.err(op, body), ("ValidationException".to_string(), msg), "{op}");
    }
}

#[test]
fn an_expression_error_says_where_it_is_beside_the_wire_answer() {
    let mut h = Harness::new();
    h.table("tbl", None);
    let r = h.engine.request("Scan", br#"{"TableName": "tbl", "FilterExpression": "size(a) > :n AND status = :n", "ExpressionAttributeValues": {":n": {"N": "1"}}}"#, 1);
    assert_eq!(
        r.body,
        r#"{"__type":"com.amazon.coral.validate#ValidationException","message":"Invalid FilterExpression: Attribute name is a reserved keyword; reserved keyword: status"}"#
    );
    let span = r.trace.error_span.unwrap();
    assert_eq!((span.parameter, span.start, span.end), ("FilterExpression", 17, 23));
    assert!(span.hint.unwrap().starts_with("status is a DynamoDB reserved word"));
}
