use super::*;
use crate::expr::{condition, projection, update, ExprKind, Placeholders};
use crate::value::item_from_json;
use serde_json::{json, Value};

fn item(v: Value) -> Item {
    item_from_json(&v).unwrap()
}

fn check(src: &str, it: &Item, vals: Value) -> bool {
    let vals = item(vals);
    let mut ph = Placeholders::new(None, Some(&vals));
    matches(&condition(src, ExprKind::Condition, &mut ph).unwrap(), it)
}

fn updated(src: &str, old: Value, vals: Value) -> Result<Value> {
    let vals = item(vals);
    let mut ph = Placeholders::new(None, Some(&vals));
    let u = update(src, &mut ph).unwrap();
    let old = item(old);
    apply_update(&u, Some(&old), &Item::new()).map(|i| crate::value::item_to_json(&i.unwrap_or_default()))
}

#[test]
fn comparisons_follow_dynamodb_typing() {
    let it = item(json!({"n": {"N": "10"}, "s": {"S": "10"}, "l": {"L": [{"S": "x"}]}}));
    assert!(check("n > :v", &it, json!({":v": {"N": "9"}})));
    assert!(!check("s > :v", &it, json!({":v": {"S": "9"}})), "strings compare bytewise");
    assert!(!check("n = :v", &it, json!({":v": {"S": "10"}})), "types differ");
    assert!(check("nope <> :v", &it, json!({":v": {"S": "x"}})));
    assert!(!check("nope < :v", &it, json!({":v": {"S": "x"}})));
    assert!(check("n BETWEEN :a AND :b", &it, json!({":a": {"N": "10"}, ":b": {"N": "11"}})));
    assert!(check("n IN (:a, :b)", &it, json!({":a": {"N": "1"}, ":b": {"N": "10"}})));
    assert!(check("contains(l, :x)", &it, json!({":x": {"S": "x"}})));
    assert!(check("size(l) = :one AND attribute_type(n, :t)", &it, json!({":one": {"N": "1"}, ":t": {"S": "N"}})));
    assert!(check("NOT attribute_exists(nope) AND begins_with(s, :p)", &it, json!({":p": {"S": "1"}})));
}

#[test]
fn set_evaluates_against_the_old_item() {
    let new = updated("SET a = b, b = a", json!({"a": {"N": "1"}, "b": {"N": "2"}}), json!({})).unwrap();
    assert_eq!(new, json!({"a": {"N": "2"}, "b": {"N": "1"}}));
}

#[test]
fn arithmetic_if_not_exists_and_list_append() {
    let new = updated(
        "SET c = if_not_exists(c, :zero) + :one, l = list_append(:pre, l)",
        json!({"l": {"L": [{"N": "2"}]}}),
        json!({":zero": {"N": "0"}, ":one": {"N": "1"}, ":pre": {"L": [{"N": "1"}]}}),
    )
    .unwrap();
    assert_eq!(new, json!({"c": {"N": "1"}, "l": {"L": [{"N": "1"}, {"N": "2"}]}}));
}

#[test]
fn list_elements_append_past_the_end_and_remove_by_original_index() {
    let old = json!({"l": {"L": [{"S": "a"}, {"S": "b"}, {"S": "c"}]}});
    let new = updated("SET l[9] = :x", old.clone(), json!({":x": {"S": "x"}})).unwrap();
    assert_eq!(new["l"]["L"].as_array().unwrap().len(), 4);
    let new = updated("REMOVE l[0], l[2]", old, json!({})).unwrap();
    assert_eq!(new, json!({"l": {"L": [{"S": "b"}]}}));
}

#[test]
fn add_and_delete_on_numbers_and_sets() {
    let new =
        updated("ADD n :n, s :s", json!({"s": {"SS": ["a"]}}), json!({":n": {"N": "5"}, ":s": {"SS": ["b"]}})).unwrap();
    assert_eq!(new, json!({"n": {"N": "5"}, "s": {"SS": ["a", "b"]}}));
    let new = updated("DELETE s :s", json!({"s": {"SS": ["a"]}}), json!({":s": {"SS": ["a"]}})).unwrap();
    assert_eq!(new, json!({}));
}

#[test]
fn runtime_update_errors_use_aws_wording() {
    let e = updated("SET a = b + :one", json!({}), json!({":one": {"N": "1"}})).unwrap_err();
    assert_eq!(e.message, "The provided expression refers to an attribute that does not exist in the item");
    let e = updated("SET a.b = :one", json!({}), json!({":one": {"N": "1"}})).unwrap_err();
    assert_eq!(e.message, "The document path provided in the update expression is invalid for update");
    let e = updated("ADD a :one", json!({"a": {"S": "x"}}), json!({":one": {"N": "1"}})).unwrap_err();
    assert_eq!(e.message, "An operand in the update expression has an incorrect data type");
}

#[test]
fn remove_needs_the_parent_but_not_the_leaf() {
    let old = json!({"s": {"S": "x"}, "m": {"M": {"x": {"N": "1"}}}, "l": {"L": [{"N": "1"}]}});
    for bad in ["REMOVE s.c", "REMOVE l.c", "REMOVE nope.c", "REMOVE s[0]", "REMOVE nope[0]"] {
        let e = updated(bad, old.clone(), json!({})).unwrap_err();
        assert_eq!(e.message, "The document path provided in the update expression is invalid for update", "{bad}");
    }
    for fine in ["REMOVE m.y", "REMOVE l[7]", "REMOVE nope"] {
        assert_eq!(updated(fine, old.clone(), json!({})).unwrap(), old, "{fine}");
    }
}

#[test]
fn an_update_that_only_removes_creates_nothing() {
    let key = item(json!({"p": {"S": "k"}}));
    let vals = item(json!({":s": {"SS": ["a"]}, ":v": {"N": "1"}}));
    let apply = |src: &str| {
        let mut ph = Placeholders::new(None, Some(&vals));
        let u = update(src, &mut ph).unwrap();
        apply_update(&u, None, &key).unwrap()
    };
    assert_eq!(apply("REMOVE x.y, z[0]"), None);
    assert_eq!(apply("DELETE s :s"), None);
    assert_eq!(apply("SET a = :v REMOVE b"), Some(item(json!({"p": {"S": "k"}, "a": {"N": "1"}}))));
}

#[test]
fn projection_keeps_only_named_paths() {
    let it = item(
        json!({"a": {"M": {"b": {"N": "1"}, "c": {"N": "2"}}}, "l": {"L": [{"S": "x"}, {"S": "y"}, {"S": "z"}]}, "d": {"S": "d"}}),
    );
    let mut ph = Placeholders::default();
    let paths = projection("l[2], a.b, l[0], nope", &mut ph).unwrap();
    assert_eq!(
        crate::value::item_to_json(&projected(&it, &paths)),
        json!({"a": {"M": {"b": {"N": "1"}}}, "l": {"L": [{"S": "x"}, {"S": "z"}]}})
    );
}

#[test]
fn projection_returns_whole_lists_and_maps_untouched() {
    let it = item(json!({
        "l": {"L": [{"N": "1"}, {"M": {"a": {"S": "x"}, "b": {"S": "y"}}}]},
        "m": {"M": {"l": {"L": [{"S": "q"}, {"M": {"k": {"S": "v"}}}]}}}
    }));
    let cases = [
        ("l", json!({"l": it_json(&it, "l")})),
        ("m", json!({"m": it_json(&it, "m")})),
        ("m.l", json!({"m": it_json(&it, "m")})),
        ("l[1]", json!({"l": {"L": [{"M": {"a": {"S": "x"}, "b": {"S": "y"}}}]}})),
        ("l[1].b, l[0]", json!({"l": {"L": [{"N": "1"}, {"M": {"b": {"S": "y"}}}]}})),
        ("m.l[1]", json!({"m": {"M": {"l": {"L": [{"M": {"k": {"S": "v"}}}]}}}})),
    ];
    for (src, want) in cases {
        let paths = projection(src, &mut Placeholders::default()).unwrap();
        assert_eq!(crate::value::item_to_json(&projected(&it, &paths)), want, "{src}");
    }
}

fn it_json(it: &Item, attr: &str) -> Value {
    crate::value::item_to_json(it)[attr].clone()
}
