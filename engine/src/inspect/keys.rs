//! A table's key attributes as the views use them: a key typed as text in a form, the key
//! of an item, example values of each type, and the "Artist (S), Year (N)" line.
//!
//! The key schema itself is the engine's [`KeySchema`]: views hold a clone of it rather
//! than matching key types as strings.

use serde_json::{json, Map, Value};

use crate::table::{KeyDef, KeySchema, ScalarType, Table};

/// The table's key schema, for a view to keep.
pub fn key_schema(table: &Table) -> KeySchema {
    table.def.schema.clone()
}

/// Each key attribute, hash key first.
pub fn key_attributes(schema: &KeySchema) -> impl Iterator<Item = &KeyDef> {
    std::iter::once(&schema.hash).chain(schema.range.as_ref())
}

/// "Artist (S), Year (N)".
pub fn keys_text(schema: &KeySchema) -> String {
    key_attributes(schema).map(|k| format!("{} ({})", k.name, k.ty.as_str())).collect::<Vec<_>>().join(", ")
}

/// A key as DynamoDB JSON from values typed as text (`sk` is unused without a sort key).
pub fn key_json(schema: &KeySchema, pk: &str, sk: &str) -> Value {
    let mut key = Map::new();
    key.insert(schema.hash.name.clone(), json!({ schema.hash.ty.as_str(): pk }));
    if let Some(r) = &schema.range {
        key.insert(r.name.clone(), json!({ r.ty.as_str(): sk }));
    }
    Value::Object(key)
}

/// The key attributes a DynamoDB-JSON item has (a DeleteItem's `Key` from an item).
pub fn key_of(schema: &KeySchema, item: &Value) -> Value {
    crate::sorted::object(key_attributes(schema).filter_map(|k| item.get(&k.name).map(|v| (k.name.clone(), v.clone()))))
}

/// The value a new item's key attribute starts with in the item editor.
pub fn empty_value(ty: ScalarType) -> Value {
    match ty {
        ScalarType::N => json!({"N": "0"}),
        ScalarType::B => json!({"B": "AA=="}),
        ScalarType::S => json!({"S": ""}),
    }
}

/// An example value for a request template; `suffix` makes string keys distinct.
pub fn example_value(ty: ScalarType, suffix: &str) -> Value {
    match ty {
        ScalarType::N => json!({"N": "1"}),
        ScalarType::B => json!({"B": "AA=="}),
        ScalarType::S => json!({"S": format!("example{suffix}")}),
    }
}

/// A key holding `value(type)` in each key attribute.
pub fn key_with(schema: &KeySchema, value: impl Fn(ScalarType) -> Value) -> Value {
    crate::sorted::object(key_attributes(schema).map(|k| (k.name.clone(), value(k.ty))))
}

/// A hash-only key schema (a template's stand-in when there is no table yet).
pub fn hash_only(name: &str, ty: ScalarType) -> KeySchema {
    KeySchema { hash: KeyDef { name: name.into(), ty }, range: None }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn orders() -> KeySchema {
        KeySchema {
            hash: KeyDef { name: "customer".into(), ty: ScalarType::S },
            range: Some(KeyDef { name: "year".into(), ty: ScalarType::N }),
        }
    }

    #[test]
    fn keys_from_text_and_from_items() {
        let s = orders();
        assert_eq!(keys_text(&s), "customer (S), year (N)");
        assert_eq!(key_json(&s, "ann", "2024"), json!({"customer": {"S": "ann"}, "year": {"N": "2024"}}));
        assert_eq!(key_json(&hash_only("id", ScalarType::B), "AQ==", "ignored"), json!({"id": {"B": "AQ=="}}));
        let item = json!({"customer": {"S": "ann"}, "year": {"N": "1"}, "total": {"N": "9"}});
        assert_eq!(key_of(&s, &item), json!({"customer": {"S": "ann"}, "year": {"N": "1"}}));
        assert_eq!(key_of(&s, &json!({"total": {"N": "9"}})), json!({}));
        assert_eq!(key_with(&s, empty_value), json!({"customer": {"S": ""}, "year": {"N": "0"}}));
        assert_eq!(
            key_with(&s, |t| example_value(t, "-tx")),
            json!({"customer": {"S": "example-tx"}, "year": {"N": "1"}})
        );
    }
}
