use serde_json::json;

use super::*;

fn message(op: &str, body: Value) -> String {
    check_request(op, &body).unwrap_err().message
}

#[test]
fn scalars_are_worded_as_jackson_names_their_tokens() {
    let cases = [
        (json!({"TableName": true}), "TRUE_VALUE cannot be converted to String"),
        (json!({"TableName": false}), "FALSE_VALUE cannot be converted to String"),
        (json!({"TableName": 23}), "NUMBER_VALUE cannot be converted to String"),
        (json!({"TableName": 34.56}), "DECIMAL_VALUE cannot be converted to String"),
        (json!({"TableName": []}), "Unrecognized collection type class java.lang.String"),
        (json!({"TableName": {}}), "Start of structure or map found where not expected"),
        (json!({"Limit": "23"}), "STRING_VALUE cannot be converted to Integer"),
        (json!({"Limit": true}), "TRUE_VALUE cannot be converted to Integer"),
        (json!({"Limit": []}), "Unrecognized collection type class java.lang.Integer"),
        (json!({"ConsistentRead": "maybe"}), "Unexpected token received from parser"),
        (json!({"ConsistentRead": 23}), "NUMBER_VALUE cannot be converted to Boolean"),
        (json!({"ConsistentRead": []}), "Unrecognized collection type class java.lang.Boolean"),
    ];
    for (body, want) in cases {
        assert_eq!(message("Query", body.clone()), want, "{body}");
    }
    assert!(check_request("Query", &json!({"ConsistentRead": "yes", "Limit": 5.5})).is_ok());
}

#[test]
fn collections_and_structures_name_their_java_types() {
    let cases = [
        ("Query", json!({"QueryFilter": []}), "Unrecognized collection type java.util.Map<java.lang.String, com.amazonaws.dynamodb.v20120810.Condition>"),
        ("Query", json!({"QueryFilter": 1}), "Unexpected field type"),
        ("Query", json!({"QueryFilter": {"a": 1}}), "Unexpected value type in payload"),
        ("Query", json!({"QueryFilter": {"a": []}}), "Unrecognized collection type class com.amazonaws.dynamodb.v20120810.Condition"),
        ("Query", json!({"QueryFilter": {"a": {"AttributeValueList": [23]}}}), "Unexpected value type in payload"),
        ("Query", json!({"AttributesToGet": {}}), "Start of structure or map found where not expected"),
        ("PutItem", json!({"Item": {"a": {"S": 5}}}), "NUMBER_VALUE cannot be converted to String"),
        ("PutItem", json!({"Item": {"a": {"B": "abc"}}}), "Base64 encoded length is expected a multiple of 4 bytes but found: 3"),
        ("PutItem", json!({"Item": {"a": {"B": "+/+="}}}), "Invalid last non-pad Base64 character dectected"),
        ("PutItem", json!({"Item": {"a": {"B": true}}}), "only base-64-encoded strings are convertible to bytes"),
        ("PutItem", json!({"Expected": {"a": {"Value": 1}}}), "Unexpected field type"),
        ("BatchWriteItem", json!({"RequestItems": {"t": 1}}), "class sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl cannot be cast to class java.lang.Class (sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl and java.lang.Class are in module java.base of loader 'bootstrap')"),
        ("BatchWriteItem", json!({"RequestItems": []}), "Unrecognized collection type java.util.Map<java.lang.String, java.util.List<com.amazonaws.dynamodb.v20120810.WriteRequest>>"),
        ("CreateTable", json!({"ProvisionedThroughput": {"ReadCapacityUnits": "1"}}), "STRING_VALUE cannot be converted to Long"),
    ];
    for (op, body, want) in cases {
        assert_eq!(message(op, body.clone()), want, "{op} {body}");
    }
}

#[test]
fn members_are_checked_in_the_models_order_not_the_bodys() {
    // ListTables' model reads Limit before ExclusiveStartTableName.
    assert_eq!(
        message("ListTables", json!({"ExclusiveStartTableName": true, "Limit": true})),
        "TRUE_VALUE cannot be converted to Integer"
    );
    assert_eq!(
        message("ListTables", json!({"Limit": true, "ExclusiveStartTableName": true})),
        "TRUE_VALUE cannot be converted to Integer"
    );
    // Within a structure too: an attribute value's S comes before its N in the model.
    assert_eq!(
        message("PutItem", json!({"TableName": "t", "Item": {"a": {"N": 1, "S": true}}})),
        "TRUE_VALUE cannot be converted to String"
    );
    // Unknown members and nulls are left alone.
    assert!(check_request("PutItem", &json!({"Item": {"a": {"X": 1, "S": null}}})).is_ok());
    assert!(check_request("GetItem", &json!({"Nope": 1, "TableName": null})).is_ok());
}

#[test]
fn the_path_to_a_bad_member_is_known() {
    let (e, path) =
        invalid_member("PutItem", &json!({"TableName": "t", "Item": {"pk": {"S": "a"}, "Plays": {"N": 7}}})).unwrap();
    assert_eq!((e.message.as_str(), path.as_str()), ("NUMBER_VALUE cannot be converted to String", "Item.Plays.N"));
    let (_, path) = invalid_member(
        "BatchGetItem",
        &json!({"RequestItems": {"t": {"Keys": [{"a": {"S": "x"}}, {"a": {"SS": [1]}}]}}}),
    )
    .unwrap();
    assert_eq!(path, "RequestItems.t.Keys[1].a.SS[0]");
    assert!(invalid_member("PutItem", &json!({"TableName": "t"})).is_none());
}
