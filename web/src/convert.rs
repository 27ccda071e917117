//! DynamoDB JSON ↔ plain JSON, for the item editor's second view.
//!
//! Plain JSON loses types JSON cannot express: sets become arrays, binaries become base64
//! strings, numbers beyond f64's exact range become strings. So the editor treats DynamoDB
//! JSON as the source of truth and plain JSON as a convenience.

use serde_json::{Map, Number, Value};

/// `{"a": {"N": "1"}}` → `{"a": 1}`.
pub fn to_plain(item: &Value) -> Value {
    match item {
        Value::Object(m) => dynaplay_engine::sorted::object(m.iter().map(|(k, v)| (k.clone(), value_to_plain(v)))),
        other => other.clone(),
    }
}

fn value_to_plain(v: &Value) -> Value {
    let Some((tag, inner)) = v.as_object().and_then(|m| m.iter().next()) else { return Value::Null };
    match tag.as_str() {
        "N" => number(inner.as_str().unwrap_or("0")),
        "NULL" => Value::Null,
        "M" => to_plain(inner),
        "L" => Value::Array(inner.as_array().map(|a| a.iter().map(value_to_plain).collect()).unwrap_or_default()),
        "NS" => Value::Array(
            inner.as_array().map(|a| a.iter().map(|n| number(n.as_str().unwrap_or("0"))).collect()).unwrap_or_default(),
        ),
        _ => inner.clone(),
    }
}

fn number(text: &str) -> Value {
    if let Ok(i) = text.parse::<i64>() {
        return Value::Number(i.into());
    }
    match text.parse::<f64>() {
        Ok(f) if f.to_string() == text => Number::from_f64(f).map_or(Value::String(text.into()), Value::Number),
        _ => Value::String(text.into()),
    }
}

/// A DynamoDB attribute value as an items-grid cell shows it: strings and numbers bare,
/// lists in `[…]`, sets in `{…}` with a `set` mark, maps as `{key: value}`, so a set
/// never looks like a list.
pub fn cell_text(v: &Value) -> String {
    let Some((tag, inner)) = v.as_object().and_then(|m| m.iter().next()) else { return String::new() };
    let joined = |items: Vec<String>| items.join(", ");
    let strings = |inner: &Value| {
        inner
            .as_array()
            .map(|a| a.iter().map(|x| x.as_str().unwrap_or_default().to_string()).collect())
            .unwrap_or_default()
    };
    match tag.as_str() {
        "S" | "N" | "B" => inner.as_str().unwrap_or_default().to_string(),
        "BOOL" => inner.to_string(),
        "NULL" => "null".into(),
        "SS" | "NS" | "BS" => format!("{{{}}} ({tag} set)", joined(strings(inner))),
        "L" => format!("[{}]", joined(inner.as_array().map(|a| a.iter().map(cell_text).collect()).unwrap_or_default())),
        "M" => {
            let entries = inner.as_object().map(|m| m.iter().map(|(k, v)| format!("{k}: {}", cell_text(v))).collect());
            format!("{{{}}}", joined(entries.unwrap_or_default()))
        }
        _ => inner.to_string(),
    }
}

/// `{"a": 1}` → `{"a": {"N": "1"}}`. Arrays become lists, objects maps.
pub fn from_plain(item: &Value) -> Result<Value, String> {
    match item {
        Value::Object(m) => {
            Ok(dynaplay_engine::sorted::object(m.iter().map(|(k, v)| (k.clone(), value_from_plain(v)))))
        }
        _ => Err("an item must be a JSON object".into()),
    }
}

fn value_from_plain(v: &Value) -> Value {
    let tagged = |tag: &str, inner: Value| {
        let mut m = Map::new();
        m.insert(tag.into(), inner);
        Value::Object(m)
    };
    match v {
        Value::Null => tagged("NULL", Value::Bool(true)),
        Value::Bool(b) => tagged("BOOL", Value::Bool(*b)),
        Value::Number(n) => tagged("N", Value::String(n.to_string())),
        Value::String(s) => tagged("S", Value::String(s.clone())),
        Value::Array(a) => tagged("L", Value::Array(a.iter().map(value_from_plain).collect())),
        Value::Object(m) => {
            tagged("M", dynaplay_engine::sorted::object(m.iter().map(|(k, v)| (k.clone(), value_from_plain(v)))))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn round_trips_what_json_can_express() {
        let ddb = json!({"s": {"S": "x"}, "n": {"N": "1.5"}, "b": {"BOOL": true}, "z": {"NULL": true},
                         "l": {"L": [{"N": "1"}]}, "m": {"M": {"k": {"S": "v"}}}});
        let plain = to_plain(&ddb);
        assert_eq!(plain, json!({"s": "x", "n": 1.5, "b": true, "z": null, "l": [1], "m": {"k": "v"}}));
        assert_eq!(from_plain(&plain).unwrap(), ddb);
    }

    #[test]
    fn cells_tell_sets_from_lists() {
        assert_eq!(cell_text(&json!({"S": "x"})), "x");
        assert_eq!(cell_text(&json!({"SS": ["a", "b"]})), "{a, b} (SS set)");
        assert_eq!(cell_text(&json!({"NS": ["1", "2"]})), "{1, 2} (NS set)");
        assert_eq!(cell_text(&json!({"L": [{"S": "a"}, {"N": "2"}]})), "[a, 2]");
        assert_eq!(cell_text(&json!({"M": {"k": {"BOOL": true}}})), "{k: true}");
        assert_eq!(cell_text(&json!({"NULL": true})), "null");
    }

    #[test]
    fn big_numbers_stay_exact_as_strings() {
        assert_eq!(to_plain(&json!({"n": {"N": "12345678901234567890123"}})), json!({"n": "12345678901234567890123"}));
        assert_eq!(to_plain(&json!({"n": {"N": "7"}})).to_string(), r#"{"n":7}"#);
    }
}
