use proptest::prelude::*;
use serde_json::{json, Value};

use super::Body;
use crate::request::Input;
use crate::value::{item_from_json, json_text};

/// Attribute maps as requests write them, right and wrong: nulls, second types, empty and
/// repeated sets, bad numbers and base64, booleans as strings, deep nesting.
fn arb_attribute_map() -> impl Strategy<Value = Value> {
    let scalar = prop_oneof![
        "[a-z]{0,3}".prop_map(|s| json!({"S": s})),
        prop_oneof![Just("1"), Just("-0.5"), Just("1e3"), Just("x"), Just(""), Just("1e200")]
            .prop_map(|n| json!({"N": n})),
        prop_oneof![Just("AQI="), Just("!!"), Just("")].prop_map(|b| json!({"B": b})),
        prop_oneof![Just(json!(true)), Just(json!(false)), Just(json!("yes")), Just(Value::Null)]
            .prop_map(|b| json!({"BOOL": b})),
        prop_oneof![Just(json!(true)), Just(json!(false))].prop_map(|b| json!({"NULL": b})),
        proptest::collection::vec(prop_oneof![Just("a"), Just("b")], 0..3).prop_map(|s| json!({"SS": s})),
        proptest::collection::vec(prop_oneof![Just("1"), Just("1.0"), Just("y")], 0..3).prop_map(|s| json!({"NS": s})),
        proptest::collection::vec(prop_oneof![Just("AQI="), Just("AA==")], 0..3).prop_map(|s| json!({"BS": s})),
        Just(json!({})),
        Just(json!({"S": "a", "N": "1"})),
        Just(json!({"S": null})),
        Just(json!({"S": 5})),
        Just(json!({"Q": "a"})),
        Just(Value::Null),
        Just(json!([])),
    ];
    let value = scalar.prop_recursive(40, 80, 3, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..3).prop_map(|l| json!({"L": l})),
            proptest::collection::btree_map("[a-c]", inner, 0..3).prop_map(|m| json!({"M": m})),
        ]
    });
    proptest::collection::btree_map("[a-d]{1,2}", value, 0..4).prop_map(|m| Value::Object(m.into_iter().collect()))
}

proptest! {
    /// The fast path reads only what the slow one reads, to the same item; anything else
    /// it leaves to the slow path's checks and messages.
    #[test]
    fn a_typed_item_is_the_item_the_json_reads_as(item in arb_attribute_map()) {
        let text = json!({"TableName": "t", "Item": item}).to_string();
        let body = Body::parse("PutItem", &text, true).unwrap();
        let slow = item_from_json(&item);
        if body.typed.is_empty() {
            prop_assert_eq!(&body.value, &json!({"TableName": "t", "Item": item}));
        } else {
            let typed = Input::of(&body).unwrap().item("Item").unwrap().unwrap();
            prop_assert_eq!(json_text(&typed), json_text(&slow.unwrap()));
            prop_assert_eq!(&body.value, &json!({"TableName": "t", "Item": {}}));
        }
    }
}

#[test]
fn well_formed_members_are_read_typed_and_others_are_not() {
    let typed = |op: &str, text: &str, iam_off: bool| Body::parse(op, text, iam_off).map_or(0, |b| b.typed.len());
    let put = r#"{"TableName":"t","Item":{"pk":{"S":"a"},"n":{"N":"1"},"m":{"M":{"l":{"L":[{"BOOL":true}]}}}}}"#;
    assert_eq!(typed("PutItem", put, true), 1);
    assert_eq!(typed("PutItem", put, false), 0, "IAM reads the raw body");
    assert_eq!(typed("GetItem", r#"{"TableName":"t","Key":{"pk":{"S":"a"}}}"#, true), 1);
    assert_eq!(typed("Query", r#"{"TableName":"t","Key":{"pk":{"S":"a"}}}"#, true), 0);
    for declined in [
        r#"{"Item":{"pk":{"S":"a"}},"Item":{"pk":{"S":"b"}}}"#,
        r#"{"Item":{"pk":{"S":"a"},"pk":{"S":"b"}}}"#,
        r#"{"Item":{"pk":{"NULL":false}}}"#,
        r#"{"Item":{"pk":{"SS":["a","a"]}}}"#,
        r#"{"Item":{"pk":{"S":"a"}}} trailing"#,
        r#"{"Item":null}"#,
    ] {
        assert_eq!(typed("PutItem", declined, true), 0, "{declined}");
    }
    let deep = (0..40).fold(json!({"S": "x"}), |v, _| json!({"L": [v]}));
    assert_eq!(typed("PutItem", &json!({"Item": {"d": deep}}).to_string(), true), 0);
}

#[test]
fn a_declined_body_is_refused_in_the_slow_paths_words() {
    let e = Body::parse("PutItem", r#"{"Item": {"#, true).err().unwrap();
    assert!(e.message.starts_with("Malformed JSON: "), "{}", e.message);
}

#[test]
fn a_batch_of_puts_is_read_typed_and_keeps_each_request_as_sent() {
    let text = r#"{"RequestItems":{"t":[{"PutRequest":{"Item":{"pk":{"S":"a"},"n":{"N":"1.0"}}}},{"PutRequest":{"Item":{"pk":{"S":"b"}}}}]}}"#;
    let body = Body::parse("BatchWriteItem", text, true).unwrap();
    let [(table, puts)] = &body.puts[..] else { panic!("one table: {:?}", body.puts.len()) };
    assert_eq!(table, "t");
    let sent: Vec<&str> = puts.iter().map(|(raw, _)| raw.get()).collect();
    assert_eq!(
        sent,
        [r#"{"PutRequest":{"Item":{"pk":{"S":"a"},"n":{"N":"1.0"}}}}"#, r#"{"PutRequest":{"Item":{"pk":{"S":"b"}}}}"#]
    );
    for (raw, item) in puts {
        let request: Value = serde_json::from_str(raw.get()).unwrap();
        assert_eq!(json_text(item), json_text(&item_from_json(&request["PutRequest"]["Item"]).unwrap()));
    }
    assert_eq!(body.value, json!({"RequestItems": {"t": [null, null]}}));
    for declined in [
        r#"{"RequestItems":{"t":[{"DeleteRequest":{"Key":{"pk":{"S":"a"}}}}]}}"#,
        r#"{"RequestItems":{"t":[{"PutRequest":{"Item":{"pk":{"S":"a"}},"x":1}}]}}"#,
        r#"{"RequestItems":{"t":[{"PutRequest":{"Item":{"pk":{"S":"a"}}},"DeleteRequest":{}}]}}"#,
        r#"{"RequestItems":{"t":[{"PutRequest":{"Item":{"pk":{"NS":[]}}}}]}}"#,
        r#"{"RequestItems":{"t":null}}"#,
    ] {
        assert!(Body::parse("BatchWriteItem", declined, true).unwrap().puts.is_empty(), "{declined}");
    }
    assert!(Body::parse("BatchWriteItem", text, false).unwrap().puts.is_empty(), "IAM reads the raw body");
}
