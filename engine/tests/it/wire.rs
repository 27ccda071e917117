use serde_json::json;

use crate::support::Harness;

#[test]
fn unknown_and_unbuilt_operations() {
    let mut h = Harness::new();
    let (status, body) = h.call("CreateGlobalTable", json!({"GlobalTableName": "x", "ReplicationGroup": []}));
    assert_eq!(status, 400);
    assert_eq!(
        body,
        json!({"__type": "com.amazon.coral.service#UnknownOperationException", "message": "An unknown operation was requested."})
    );
    assert_eq!(h.call("", json!({})).0, 400);
}

#[test]
fn placeholder_checks_come_in_aws_order() {
    let mut h = Harness::new();
    let cases = [
        // Placeholders without the expressions that use them are refused before the
        // key's values are read, and the message names the missing expressions.
        (
            "UpdateItem",
            json!({"TableName": "abc", "Key": {"a": {}}, "Expected": {"a": {}}, "ExpressionAttributeValues": {}}),
            "ExpressionAttributeValues can only be specified when using expressions: UpdateExpression and ConditionExpression are null",
        ),
        (
            "PutItem",
            json!({"TableName": "abc", "Item": {"a": {}}, "ExpressionAttributeValues": {":a": {"S": "x"}}}),
            "ExpressionAttributeValues can only be specified when using expressions: ConditionExpression is null",
        ),
        (
            "Query",
            json!({"TableName": "abc", "KeyConditions": {"a": {"ComparisonOperator": "NULL"}}, "ExpressionAttributeValues": {":a": {"S": "x"}}}),
            "ExpressionAttributeValues can only be specified when using expressions: FilterExpression and KeyConditionExpression are null",
        ),
        (
            "Scan",
            json!({"TableName": "abc", "ExpressionAttributeNames": {}}),
            "ExpressionAttributeNames can only be specified when using expressions",
        ),
        (
            "DeleteItem",
            json!({"TableName": "abc", "Key": {"a": {}}, "ConditionExpression": "", "ExpressionAttributeNames": {}}),
            "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes",
        ),
        (
            "UpdateItem",
            json!({"TableName": "abc", "Key": {}, "UpdateExpression": "", "ExpressionAttributeValues": {":b": {"a": ""}, "b": {"S": "a"}}}),
            "ExpressionAttributeValues contains invalid key: Syntax error; key: \"b\"",
        ),
    ];
    for (op, body, msg) in cases {
        let (_, m) = h.err(op, body.clone());
        assert_eq!(m, msg, "{op} {body}");
    }
}

#[test]
fn legacy_parameters_are_checked_in_aws_order() {
    let mut h = Harness::new();
    let eq = |v: serde_json::Value| json!({"ComparisonOperator": "EQ", "AttributeValueList": [v]});
    let cases = [
        (
            "Query",
            json!({"TableName": "abc", "QueryFilter": {"b": {"ComparisonOperator": "XX"}}, "KeyConditions": {"a": eq(json!({"S": "a"}))}}),
            "1 validation error detected: Value 'XX' at 'queryFilter.b.member.comparisonOperator' failed to satisfy constraint: Member must satisfy enum value set: [IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]",
        ),
        (
            "Scan",
            json!({"TableName": "abc", "ConditionalOperator": "AN"}),
            "1 validation error detected: Value 'AN' at 'conditionalOperator' failed to satisfy constraint: Member must satisfy enum value set: [OR, AND]",
        ),
        (
            "Query",
            json!({"TableName": "abc", "AttributesToGet": ["a"], "KeyConditions": {"a": eq(json!({}))}, "QueryFilter": {"b": eq(json!({}))},
                   "ConditionalOperator": "OR", "ProjectionExpression": "a", "FilterExpression": "b = :b", "KeyConditionExpression": "a = :a"}),
            "Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributesToGet, QueryFilter, ConditionalOperator, KeyConditions} Expression parameters: {ProjectionExpression, FilterExpression, KeyConditionExpression}",
        ),
        // A bad ExclusiveStartKey is reported after the filter's values are read.
        (
            "Query",
            json!({"TableName": "abc", "ExclusiveStartKey": {"a": {}}, "KeyConditions": {"a": eq(json!({"S": "a"}))}, "QueryFilter": {"b": eq(json!({"NS": []}))}}),
            "One or more parameter values were invalid: An number set  may not be empty",
        ),
        (
            "Scan",
            json!({"TableName": "abc", "ExclusiveStartKey": {"a": {}}}),
            "The provided starting key is invalid: Supplied AttributeValue is empty, must contain exactly one of the supported datatypes",
        ),
    ];
    for (op, body, msg) in cases {
        let (_, m) = h.err(op, body.clone());
        assert_eq!(m, msg, "{op} {body}");
    }
    let eq1 = json!({"ComparisonOperator": "NULL"});
    let query_cases = [
        (json!({"KeyConditions": {}}), "Conditions can be of length 1 or 2 only"),
        (json!({"KeyConditions": {"a": eq1, "b": eq1, "c": eq1}}), "Conditions can be of length 1 or 2 only"),
        (
            json!({"KeyConditionExpression": ":a = a and b = :a and :a = c", "ExpressionAttributeValues": {":a": {"S": "a"}}}),
            "Conditions can be of length 1 or 2 only",
        ),
        // Two conditions on one key are reported before the count.
        (
            json!({"KeyConditionExpression": "b > :a AND b < :a and c = :a and d = :a", "ExpressionAttributeValues": {":a": {"N": "1"}}}),
            "KeyConditionExpressions must only contain one condition per key",
        ),
        // The shape of each condition, checked before the table is looked up.
        (
            json!({"KeyConditionExpression": "begins_with(:a, b) and a > :b", "ExpressionAttributeValues": {":a": {"S": "1"}, ":b": {"S": "1"}}}),
            "Invalid condition in KeyConditionExpression: begins_with operator must have the key attribute as its first operand",
        ),
        (json!({"KeyConditionExpression": "a > size(b.d)"}), "KeyConditionExpressions cannot contain nested operations"),
        (
            json!({"KeyConditionExpression": "b between c[1] and d"}),
            "Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition",
        ),
        (
            json!({"KeyConditionExpression": ":b > :a AND a < :b", "ExpressionAttributeValues": {":a": {"N": "1"}, ":b": {"N": "1"}}}),
            "Invalid condition in KeyConditionExpression: No key attribute specified",
        ),
        // Only the first pass over ExclusiveStartKey prefixes its errors.
        (
            json!({"KeyConditions": {"a": {"ComparisonOperator": "EQ"}}, "ExclusiveStartKey": {"a": {"SS": []}}}),
            "The provided starting key is invalid: One or more parameter values were invalid: An string set  may not be empty",
        ),
        (
            json!({"KeyConditions": {"a": {"ComparisonOperator": "EQ"}}, "ExclusiveStartKey": {"a": {"NS": ["1", "1"]}}}),
            "Input collection contains duplicates",
        ),
    ];
    for (extra, msg) in query_cases {
        let mut body = json!({"TableName": "abc"});
        for (k, v) in extra.as_object().unwrap() {
            body[k] = v.clone();
        }
        let (_, m) = h.err("Query", body.clone());
        assert_eq!(m, msg, "{body}");
    }
    // KeyConditions' operators are checked against the table.
    h.table("kcn", None);
    let (_, m) =
        h.err("Query", json!({"TableName": "kcn", "KeyConditions": {"pk": {"ComparisonOperator": "NOT_NULL"}}}));
    assert_eq!(m, "Attempted conditional constraint is not an indexable operation");
    // KeyConditions may go with a FilterExpression.
    h.table("kcf", None);
    h.ok(
        "Query",
        json!({"TableName": "kcf", "KeyConditions": {"pk": eq(json!({"S": "a"}))}, "FilterExpression": "attribute_exists(x)"}),
    );
}

#[test]
fn account_reads_answer_with_aws_defaults() {
    let mut h = Harness::new();
    assert_eq!(
        h.ok("DescribeLimits", json!({})),
        json!({"AccountMaxReadCapacityUnits": 80000, "AccountMaxWriteCapacityUnits": 80000,
               "TableMaxReadCapacityUnits": 40000, "TableMaxWriteCapacityUnits": 40000})
    );
    assert_eq!(
        h.ok("DescribeEndpoints", json!({})),
        json!({"Endpoints": [{"Address": "dynamodb.us-east-1.amazonaws.com", "CachePeriodInMinutes": 1440}]})
    );
}

#[test]
fn malformed_json_is_a_serialization_exception() {
    let mut h = Harness::new();
    let r = h.engine.request("ListTables", b"{not json", 1);
    assert_eq!(r.status, 400);
    assert!(r.body.contains("com.amazon.coral.service#SerializationException"), "{}", r.body);
    let r = h.engine.request("PutItem", br#"{"TableName": 5}"#, 2);
    assert!(r.body.contains("SerializationException"), "{}", r.body);
    let r = h.engine.request("PutItem", br#"[1]"#, 3);
    assert!(r.body.contains("SerializationException"), "{}", r.body);
}

#[test]
fn constraint_violations_are_listed_together() {
    let mut h = Harness::new();
    let (t, m) = h.err("Query", json!({"TableName": "a!", "Limit": 0}));
    assert_eq!(t, "ValidationException");
    assert_eq!(
        m,
        "3 validation errors detected: Value 'a!' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3; \
         Value 'a!' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; \
         Value at 'Limit' failed to satisfy constraint: Member must have value greater than or equal to 1"
    );
    // Scan echoes the value; Query does not.
    let (_, m) = h.err("Scan", json!({"TableName": "abc", "Limit": 0}));
    assert_eq!(m, "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1");
    let (_, m) = h.err("GetItem", json!({"Key": {"a": {"S": "b"}}}));
    assert_eq!(
        m,
        "1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null"
    );
    let (_, m) = h.err("PutItem", json!({"TableName": "abc", "Item": {}, "ReturnValues": "ALL"}));
    assert_eq!(
        m,
        "1 validation error detected: Value 'ALL' at 'returnValues' failed to satisfy constraint: Member must satisfy enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]"
    );
}

#[test]
fn conditional_check_failure_carries_the_item_when_asked() {
    let mut h = Harness::new();
    h.table("things", None);
    h.put("things", json!({"pk": {"S": "a"}, "v": {"N": "1"}}));
    let (status, body) = h.call(
        "PutItem",
        json!({"TableName": "things", "Item": {"pk": {"S": "a"}}, "ConditionExpression": "attribute_not_exists(pk)",
               "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}),
    );
    assert_eq!(status, 400);
    assert_eq!(
        body,
        json!({"__type": "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException",
               "message": "The conditional request failed", "Item": {"pk": {"S": "a"}, "v": {"N": "1"}}})
    );
}

#[test]
fn data_plane_on_a_missing_table() {
    let mut h = Harness::new();
    let (t, m) = h.err("GetItem", json!({"TableName": "nope", "Key": {"pk": {"S": "a"}}}));
    assert_eq!((t.as_str(), m.as_str()), ("ResourceNotFoundException", "Requested resource not found"));
}

#[test]
fn placeholder_checks() {
    let mut h = Harness::new();
    h.table("things", None);
    let base = |extra: serde_json::Value| {
        let mut b = json!({"TableName": "things", "Key": {"pk": {"S": "a"}}});
        for (k, v) in extra.as_object().unwrap() {
            b[k] = v.clone();
        }
        b
    };
    let cases = [
        (json!({"UpdateExpression": "SET a = :v", "ExpressionAttributeValues": {":v": {"S": "x"}, ":w": {"S": "y"}}}),
         "Value provided in ExpressionAttributeValues unused in expressions: keys: {:w}"),
        (json!({"UpdateExpression": "SET a = :v", "ExpressionAttributeNames": {"#n": "x"}, "ExpressionAttributeValues": {":v": {"S": "x"}}}),
         "Value provided in ExpressionAttributeNames unused in expressions: keys: {#n}"),
        (json!({"UpdateExpression": "SET a = :v", "ExpressionAttributeValues": {}}), "ExpressionAttributeValues must not be empty"),
        (json!({"UpdateExpression": "SET #a = :v", "ExpressionAttributeValues": {":v": {"S": "x"}}}),
         "Invalid UpdateExpression: An expression attribute name used in the document path is not defined; attribute name: #a"),
        (json!({"UpdateExpression": "SET a = :v", "ExpressionAttributeValues": {"v": {"S": "x"}}}),
         "ExpressionAttributeValues contains invalid key: Syntax error; key: \"v\""),
        (json!({"UpdateExpression": "SET pk = :v", "ExpressionAttributeValues": {":v": {"S": "x"}}}),
         "One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key"),
        (json!({"UpdateExpression": ""}), "Invalid UpdateExpression: The expression can not be empty;"),
        // 4 KB is the limit; one byte more is refused before the expression is parsed.
        (json!({"UpdateExpression": format!("SET {} = :v", "a".repeat(4089)), "ExpressionAttributeValues": {":v": {"S": "x"}}}),
         "Invalid UpdateExpression: Expression size has exceeded the maximum allowed size; expression size: 4098"),
    ];
    for (extra, msg) in cases {
        let (t, m) = h.err("UpdateItem", base(extra.clone()));
        assert_eq!((t.as_str(), m.as_str()), ("ValidationException", msg), "{extra}");
    }
    // Exactly 4096 bytes is accepted (the name is long but within 65535 bytes).
    h.ok("UpdateItem", base(json!({"UpdateExpression": format!("SET {} = :v", "a".repeat(4087)), "ExpressionAttributeValues": {":v": {"S": "x"}}})));
    let (_, m) = h.err("GetItem", base(json!({"ExpressionAttributeValues": {":v": {"S": "x"}}})));
    assert_eq!(m, "ExpressionAttributeValues can only be specified when using expressions");
}

#[test]
fn error_of_reads_either_message_key() {
    use dynaplay_engine::wire::error_of;
    assert_eq!(
        error_of(&json!({"__type": "com.amazon.coral.validate#ValidationException", "message": "m"})),
        Some(("ValidationException", "m"))
    );
    assert_eq!(
        error_of(&json!({"__type": "com.amazonaws.dynamodb.v20120810#TransactionCanceledException", "Message": "M"})),
        Some(("TransactionCanceledException", "M"))
    );
    assert_eq!(error_of(&json!({"Items": []})), None);
}

#[test]
fn each_service_answers_only_its_own_operations() {
    use dynaplay_engine::wire::operation_of;
    assert_eq!(operation_of("DynamoDB_20120810.PutItem"), Some("PutItem"));
    assert_eq!(operation_of("DynamoDBStreams_20120810.GetRecords"), Some("GetRecords"));
    assert_eq!(operation_of("DynamoDB_20120810.GetRecords"), None, "a Streams operation under DynamoDB's prefix");
    assert_eq!(operation_of("DynamoDBStreams_20120810.PutItem"), None);
    assert_eq!(operation_of("GetRecords"), None);
    for op in dynaplay_engine::STREAMS_OPERATIONS {
        assert!(dynaplay_engine::OPERATIONS.contains(op), "{op} is answered");
    }
}
