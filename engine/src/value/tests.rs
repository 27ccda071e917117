use super::*;
use proptest::prelude::*;
use serde_json::json;
use thin_vec::thin_vec;

fn parse(v: Value) -> Result<AttributeValue> {
    AttributeValue::from_json(&v)
}

fn message(v: Value) -> String {
    parse(v).unwrap_err().message
}

#[test]
fn item_size_matches_the_aws_worked_example() {
    let item = item_from_json(&json!({"shirt-color": {"S": "R"}, "shirt-size": {"S": "M"}})).unwrap();
    assert_eq!(item_size(&item), 23);
}

#[test]
fn document_sizes_count_overhead_and_element_bytes() {
    assert_eq!(parse(json!({"L": []})).unwrap().size(), 3);
    assert_eq!(parse(json!({"M": {}})).unwrap().size(), 3);
    assert_eq!(parse(json!({"L": [{"S": "ab"}, {"BOOL": true}]})).unwrap().size(), 3 + 3 + 2);
    assert_eq!(parse(json!({"M": {"ab": {"N": "1"}}})).unwrap().size(), 3 + 2 + 2 + 1);
    assert_eq!(parse(json!({"SS": ["a", "bcd"]})).unwrap().size(), 4);
}

#[test]
fn rejects_malformed_values_with_aws_messages() {
    assert_eq!(
        message(json!({})),
        "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"
    );
    assert_eq!(
        message(json!({"S": "a", "N": "1"})),
        "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes"
    );
    assert_eq!(AttributeValue::from_json(&json!({"NULL": false})).unwrap_err().message, NULL_FALSE);
    assert_eq!(
        message(json!({"SS": []})),
        "One or more parameter values were invalid: An string set  may not be empty"
    );
    assert_eq!(
        message(json!({"NS": []})),
        "One or more parameter values were invalid: An number set  may not be empty"
    );
    assert_eq!(
        message(json!({"BS": []})),
        "One or more parameter values were invalid: Binary sets should not be empty"
    );
    assert_eq!(
        message(json!({"SS": ["a", "a"]})),
        "One or more parameter values were invalid: Input collection [a, a] contains duplicates."
    );
    assert_eq!(message(json!({"NS": ["1", "1.0"]})), "Input collection contains duplicates");
    assert_eq!(message(json!({"N": "x"})), "The parameter cannot be converted to a numeric value: x");
    assert_eq!(message(json!({"NS": ["1", ""]})), "The parameter cannot be converted to a numeric value");
    assert_eq!(parse(json!({"S": 1})).unwrap_err().kind, crate::error::ErrorKind::Serialization);
    // Every member is read before they are counted.
    assert_eq!(message(json!({"S": "a", "N": "b"})), "The parameter cannot be converted to a numeric value: b");
}

#[test]
fn booleans_read_as_aws_deserializer_reads_them() {
    // Jackson's reading, as dynalite recorded it: TRUE/YES/1 and FALSE/NO/0 in any case.
    assert_eq!(parse(json!({"BOOL": "yes"})).unwrap(), AttributeValue::Bool(true));
    assert_eq!(parse(json!({"BOOL": "0"})).unwrap(), AttributeValue::Bool(false));
    assert_eq!(parse(json!({"NULL": "true"})).unwrap(), AttributeValue::Null);
    for bad in ["maybe", "F", "y"] {
        let e = parse(json!({"BOOL": bad})).unwrap_err();
        assert_eq!(
            (e.kind, e.message.as_str()),
            (crate::error::ErrorKind::Serialization, "Unexpected token received from parser")
        );
    }
}

#[test]
fn empty_strings_and_empty_documents_are_values() {
    assert!(parse(json!({"S": ""})).is_ok());
    assert!(parse(json!({"B": ""})).is_ok());
    assert!(parse(json!({"SS": [""]})).is_ok());
}

#[test]
fn nesting_beyond_32_levels_is_rejected() {
    let mut v = json!({"S": "x"});
    for _ in 0..32 {
        v = json!({"L": [v]});
    }
    assert!(parse(v.clone()).is_ok());
    let deeper = json!({"L": [v]});
    assert_eq!(message(deeper), "Nesting Levels have exceeded supported limits");
}

#[test]
fn sets_compare_without_order() {
    assert_eq!(parse(json!({"SS": ["a", "b"]})).unwrap(), parse(json!({"SS": ["b", "a"]})).unwrap());
    assert_ne!(parse(json!({"SS": ["a"]})).unwrap(), parse(json!({"L": [{"S": "a"}]})).unwrap());
}

pub(super) fn arb_value() -> impl Strategy<Value = AttributeValue> {
    let leaf = prop_oneof![
        ".*".prop_map(|s: String| AttributeValue::S(s.into())),
        any::<i64>().prop_map(|i| AttributeValue::N(Number::from_i64(i))),
        proptest::collection::vec(any::<u8>(), 0..8).prop_map(|b| AttributeValue::B(b.into())),
        any::<bool>().prop_map(AttributeValue::Bool),
        Just(AttributeValue::Null),
        proptest::collection::btree_set("[a-z]{0,4}", 1..4)
            .prop_map(|s| AttributeValue::Ss(s.into_iter().map(Name::from).collect())),
    ];
    leaf.prop_recursive(4, 32, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(|l| AttributeValue::L(l.into())),
            proptest::collection::btree_map("[a-z]{1,4}", inner, 0..4)
                .prop_map(|m| AttributeValue::M(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #[test]
    fn written_text_is_the_json_values_text(v in arb_value(), ns in proptest::collection::vec(any::<i32>(), 1..4)) {
        let mut item: Item = [("v".to_string(), v.clone())].into();
        item.insert("ns", AttributeValue::Ns(ns.into_iter().map(|n| Number::from_i64(n.into())).collect()));
        item.insert("bs", AttributeValue::Bs(thin_vec![thin_vec![1, 2], thin_vec![255]]));
        prop_assert_eq!(json_text(&item), item_to_json(&item).to_string());
        prop_assert_eq!(json_text(&[item.clone(), item.clone()][..]), json!([item_to_json(&item), item_to_json(&item)]).to_string());
        prop_assert_eq!(json_text(&v), v.to_json().to_string());
        prop_assert_eq!(item_text(&item), json_text(&item));
        prop_assert_eq!(items_text(&[&item, &item]), json_text(&[item.clone(), item.clone()][..]));
    }

    #[test]
    fn stored_text_reads_back_as_the_same_item(v in arb_value()) {
        let mut item: Item = [("v".to_string(), v)].into();
        item.insert("ns", AttributeValue::Ns(thin_vec![Number::from_i64(-7), Number::parse("1.5E3").unwrap()]));
        item.insert("bs", AttributeValue::Bs(thin_vec![thin_vec![1, 2], thin_vec![255]]));
        let back: Item = serde_json::from_str(&json_text(&item)).unwrap();
        prop_assert_eq!(back, item);
    }

    #[test]
    fn json_round_trips(v in arb_value()) {
        let back = AttributeValue::from_json(&v.to_json()).unwrap();
        prop_assert_eq!(back, v);
    }

    #[test]
    fn size_grows_with_content(v in arb_value()) {
        let wrapped = AttributeValue::L(thin_vec![v.clone()]);
        prop_assert_eq!(wrapped.size(), v.size() + 4);
    }
}

#[test]
fn attribute_names_are_at_most_65535_bytes() {
    let long = "a".repeat(MAX_NAME_BYTES);
    assert!(item_from_json(&json!({ long.clone(): {"N": "1"} })).is_ok());
    let too_long = format!("{long}a");
    let nested = json!({"m": {"M": { too_long.clone(): {"N": "1"} }}});
    for bad in [json!({ too_long: {"N": "1"} }), nested] {
        assert_eq!(
            item_from_json(&bad).unwrap_err().message,
            "1 validation error detected: Attribute name is too large, must be less than 65536 bytes"
        );
    }
}

#[test]
fn written_text_is_to_json_for_every_type() {
    let wire = serde_json::json!({"s": {"S": "x"}, "n": {"N": "1.5"}, "b": {"B": "AQI="}, "t": {"BOOL": true}, "z": {"NULL": true},
        "m": {"M": {"in": {"L": [{"S": "y"}, {"SS": ["a", "b"]}, {"NS": ["1", "2"]}, {"BS": ["AQ=="]}]}}}});
    let item = item_from_json(&wire).unwrap();
    assert_eq!(json_text(&item), item_to_json(&item).to_string());
    assert_eq!(item_to_json(&item), wire);
}

#[test]
fn damaged_stored_values_are_refused() {
    for bad in [
        r#"{"a": {}}"#,
        r#"{"a": {"N": "x"}}"#,
        r#"{"a": {"B": "%%"}}"#,
        r#"{"a": {"Q": 1}}"#,
        r#"{"a": {"S": "x", "N": "1"}}"#,
        r#"{"a": {"S": 1}}"#,
        r#"[1]"#,
    ] {
        assert!(serde_json::from_str::<Item>(bad).is_err(), "{bad}");
    }
}

#[test]
fn written_items_escape_names_and_strings_as_serde_json_does() {
    let item = Item::from([
        ("q\"uote\\d\n\u{1}".to_string(), AttributeValue::S("tab\there \"é\" /\u{7f}".into())),
        ("plain".to_string(), AttributeValue::Ss(thin_vec![Name::from("a\"b"), Name::from("c")])),
        (
            "n".to_string(),
            AttributeValue::Ns(thin_vec![Number::parse("-0.001").unwrap(), Number::parse("1E-130").unwrap()]),
        ),
        ("e".to_string(), AttributeValue::L(thin_vec![])),
    ]);
    assert_eq!(item_text(&item), item_to_json(&item).to_string());
    assert_eq!(items_text(&[]), "[]");
}

fn item_text(item: &Item) -> String {
    let mut out = String::new();
    write_item(&mut out, item);
    out
}

fn items_text(items: &[&Item]) -> String {
    let mut out = String::new();
    write_items(&mut out, items.iter().copied());
    out
}
