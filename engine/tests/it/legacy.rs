use serde_json::json;

use crate::support::Harness;

#[test]
fn expected_and_attribute_updates() {
    let mut h = Harness::new();
    h.table("lg1", None);
    h.ok(
        "PutItem",
        json!({"TableName": "lg1", "Item": {"pk": {"S": "a"}, "v": {"N": "1"}}, "Expected": {"pk": {"Exists": false}}}),
    );
    let (t, _) = h
        .err("PutItem", json!({"TableName": "lg1", "Item": {"pk": {"S": "a"}}, "Expected": {"pk": {"Exists": false}}}));
    assert_eq!(t, "ConditionalCheckFailedException");
    let r = h.ok(
        "UpdateItem",
        json!({"TableName": "lg1", "Key": {"pk": {"S": "a"}},
               "AttributeUpdates": {"v": {"Action": "ADD", "Value": {"N": "2"}}, "l": {"Action": "ADD", "Value": {"L": [{"S": "x"}]}}, "gone": {"Action": "DELETE"}},
               "Expected": {"v": {"ComparisonOperator": "LT", "AttributeValueList": [{"N": "5"}]}},
               "ReturnValues": "ALL_NEW"}),
    );
    assert_eq!(r["Attributes"], json!({"pk": {"S": "a"}, "v": {"N": "3"}, "l": {"L": [{"S": "x"}]}}));
    let (_, m) =
        h.err("PutItem", json!({"TableName": "lg1", "Item": {"pk": {"S": "a"}}, "Expected": {"v": {"Exists": true}}}));
    assert_eq!(
        m,
        "One or more parameter values were invalid: Value must be provided when Exists is true for Attribute: v"
    );
    let (_, m) = h.err(
        "PutItem",
        json!({"TableName": "lg1", "Item": {"pk": {"S": "a"}}, "Expected": {"v": {"Exists": false}}, "ConditionExpression": "attribute_exists(pk)"}),
    );
    assert_eq!(
        m,
        "Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {Expected} Expression parameters: {ConditionExpression}"
    );
    let (_, m) = h.err("DeleteItem", json!({"TableName": "lg1", "Key": {"pk": {"S": "a"}}, "Expected": {"v": {"ComparisonOperator": "BETWEEN", "AttributeValueList": [{"N": "1"}]}}}));
    assert_eq!(
        m,
        "One or more parameter values were invalid: Invalid number of argument(s) for the BETWEEN ComparisonOperator"
    );
}

#[test]
fn attribute_updates_check_action_and_type() {
    let mut h = Harness::new();
    h.table("lg3", None);
    let key = json!({"pk": {"S": "k"}});
    let mut update = |updates: serde_json::Value| {
        h.err("UpdateItem", json!({"TableName": "lg3", "Key": key, "AttributeUpdates": updates})).1
    };
    let invalid = "One or more parameter values were invalid: ";
    assert_eq!(
        update(json!({"a": {"Action": "ADD"}})),
        format!("{invalid}Only DELETE action is allowed when no attribute value is specified")
    );
    for (t, v) in [("S", json!("x")), ("BOOL", json!(true)), ("M", json!({}))] {
        assert_eq!(
            update(json!({"a": {"Action": "ADD", "Value": {t: v.clone()}}})),
            format!("{invalid}ADD action is not supported for the type {t}")
        );
        assert_eq!(
            update(json!({"a": {"Action": "DELETE", "Value": {t: v}}})),
            format!("{invalid}DELETE action with value is not supported for the type {t}")
        );
    }
    h.ok("PutItem", json!({"TableName": "lg3", "Item": {"pk": {"S": "k"}, "ss": {"SS": ["1"]}, "ns": {"NS": ["1"]}}}));
    let mut update = |updates: serde_json::Value| {
        h.err("UpdateItem", json!({"TableName": "lg3", "Key": {"pk": {"S": "k"}}, "AttributeUpdates": updates})).1
    };
    assert_eq!(
        update(json!({"ss": {"Action": "DELETE", "Value": {"NS": ["1"]}}})),
        "Type mismatch for attribute to update"
    );
    assert_eq!(update(json!({"ns": {"Action": "ADD", "Value": {"N": "1"}}})), "Type mismatch for attribute to update");
}

#[test]
fn comparison_operators_check_value_types() {
    let mut h = Harness::new();
    h.table("lg4", None);
    let cases = [
        ("BEGINS_WITH", json!([{"N": "1"}]), "N"),
        ("GT", json!([{"SS": ["a"]}]), "SS"),
        ("CONTAINS", json!([{"NS": ["1"]}]), "NS"),
        ("IN", json!([{"BS": ["YQ=="]}, {"BS": ["Yg=="]}]), "BS"),
        ("BETWEEN", json!([{"L": []}, {"L": []}]), "L"),
    ];
    for (op, list, t) in cases {
        let (_, m) = h.err(
            "Scan",
            json!({"TableName": "lg4", "ScanFilter": {"a": {"ComparisonOperator": op, "AttributeValueList": list}}}),
        );
        assert_eq!(m, format!("One or more parameter values were invalid: ComparisonOperator {op} is not valid for {t} AttributeValue type"));
    }
    // Mixed types are refused before the operator's types are checked, and BETWEEN's
    // bounds must be in order.
    let scan = |h: &mut Harness, op: &str, list: serde_json::Value| {
        h.err(
            "Scan",
            json!({"TableName": "lg4", "ScanFilter": {"a": {"ComparisonOperator": op, "AttributeValueList": list}}}),
        )
        .1
    };
    assert_eq!(
        scan(&mut h, "IN", json!([{"S": "a"}, {"BS": ["YQ=="]}])),
        "One or more parameter values were invalid: AttributeValues inside AttributeValueList must be of same type"
    );
    assert_eq!(
        scan(&mut h, "BETWEEN", json!([{"S": "b"}, {"S": "a"}])),
        "The BETWEEN condition was provided a range where the lower bound is greater than the upper bound"
    );
}

#[test]
fn key_conditions_and_filters() {
    let mut h = Harness::new();
    h.table("lg2", Some("N"));
    for i in 0..6 {
        h.put("lg2", json!({"pk": {"S": "p"}, "sk": {"N": i.to_string()}, "odd": {"BOOL": i % 2 == 1}}));
    }
    let r = h.ok(
        "Query",
        json!({"TableName": "lg2",
               "KeyConditions": {"pk": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "p"}]},
                                 "sk": {"ComparisonOperator": "BETWEEN", "AttributeValueList": [{"N": "1"}, {"N": "4"}]}},
               "QueryFilter": {"odd": {"ComparisonOperator": "EQ", "AttributeValueList": [{"BOOL": true}]}},
               "AttributesToGet": ["sk"]}),
    );
    assert_eq!(r["Items"], json!([{"sk": {"N": "1"}}, {"sk": {"N": "3"}}]));
    assert_eq!(r["ScannedCount"], 4);
    let r = h.ok(
        "Scan",
        json!({"TableName": "lg2", "ConditionalOperator": "OR",
               "ScanFilter": {"sk": {"ComparisonOperator": "IN", "AttributeValueList": [{"N": "0"}, {"N": "5"}]},
                              "odd": {"ComparisonOperator": "NULL"}}}),
    );
    assert_eq!(r["Count"], 2);
}
