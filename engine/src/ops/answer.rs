//! What an operation answers: a JSON value, or an object written as JSON text already,
//! a read's items straight from storage (see [`crate::value::write_items`]). The wire layer only needs the text; PartiQL, which reads
//! the answers of the operations it runs, gets the value.

use serde_json::{Map, Value};

#[derive(Debug)]
pub enum Answer {
    Value(Value),
    /// An object written as JSON text already, its largest member straight from storage.
    Text(String),
}

impl From<Value> for Answer {
    fn from(v: Value) -> Answer {
        Answer::Value(v)
    }
}

impl Answer {
    /// An object of `fields` and the member `name`, whose value `write` writes as JSON
    /// text (a read's items, from storage). Members are in name order, as a `Value` gives
    /// them, and all of it is written into one string about `size` bytes long: the items
    /// are neither copied again nor parsed.
    pub fn written(
        fields: Map<String, Value>,
        name: &'static str,
        size: usize,
        write: impl FnOnce(&mut String),
    ) -> Answer {
        let mut members: Vec<(&str, Option<&Value>)> = Vec::with_capacity(fields.len() + 1);
        members.extend(fields.iter().map(|(k, v)| (k.as_str(), Some(v))));
        // The fields come in name order: `name` goes after those not greater than it.
        members.insert(members.partition_point(|(k, _)| *k <= name), (name, None));
        let mut out = String::with_capacity(size.saturating_add(64 * members.len()));
        let mut write = Some(write);
        out.push('{');
        for (i, (key, value)) in members.into_iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            crate::value::write_json_str(&mut out, key);
            out.push(':');
            match value {
                Some(v) => out.push_str(&v.to_string()),
                None => write.take().into_iter().for_each(|w| w(&mut out)),
            }
        }
        out.push('}');
        Answer::Text(out)
    }

    /// The answer's JSON text.
    pub fn into_text(self) -> String {
        match self {
            Answer::Value(v) => v.to_string(),
            Answer::Text(text) => text,
        }
    }

    /// The answer as a JSON value (written text read back).
    pub fn into_value(self) -> Value {
        match self {
            Answer::Value(v) => v,
            Answer::Text(text) => serde_json::from_str(&text).unwrap_or(Value::Null),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn written_members_take_their_place_in_name_order() {
        let fields = json!({"Count": 1, "ScannedCount": 2, "A\"b": "x"}).as_object().cloned().unwrap();
        let a = Answer::written(fields, "Items", 0, |out| out.push_str("[{\"k\":{\"S\":\"v\"}}]"));
        let expected = json!({"Count": 1, "ScannedCount": 2, "A\"b": "x", "Items": [{"k": {"S": "v"}}]});
        assert_eq!(a.into_text(), expected.to_string());
        let a = Answer::written(Map::new(), "Item", 0, |out| out.push_str("{}"));
        assert_eq!(a.into_value(), json!({"Item": {}}));
        assert_eq!(Answer::from(json!({"a": [1]})).into_text(), "{\"a\":[1]}");
        let last = Answer::written(json!({"A": 1}).as_object().cloned().unwrap(), "Z", 0, |out| out.push('2'));
        assert_eq!(last.into_text(), "{\"A\":1,\"Z\":2}");
    }
}
