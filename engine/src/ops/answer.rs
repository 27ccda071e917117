//! What an operation answers: a JSON value, or an object some of whose members (a read's
//! items) are already written as JSON text, straight from storage (see
//! [`crate::value::json_text`]). The wire layer only needs the text; PartiQL, which reads
//! the answers of the operations it runs, gets the value.

use serde_json::{Map, Value};

#[derive(Debug)]
pub enum Answer {
    Value(Value),
    Object {
        fields: Map<String, Value>,
        /// Members written already: (name, JSON text).
        written: Vec<(&'static str, String)>,
    },
}

impl From<Value> for Answer {
    fn from(v: Value) -> Answer {
        Answer::Value(v)
    }
}

impl Answer {
    /// An object of `fields` with the member `name` written as `text`.
    pub fn with_written(fields: Map<String, Value>, name: &'static str, text: String) -> Answer {
        Answer::Object { fields, written: vec![(name, text)] }
    }

    /// The answer's JSON text; an object's members in name order, as a `Value` gives them.
    pub fn into_text(self) -> String {
        let (fields, written) = match self {
            Answer::Value(v) => return v.to_string(),
            Answer::Object { fields, written } => (fields, written),
        };
        let mut members: Vec<(String, String)> = fields.into_iter().map(|(k, v)| (k, v.to_string())).collect();
        members.extend(written.into_iter().map(|(k, text)| (k.to_string(), text)));
        members.sort_by(|a, b| a.0.cmp(&b.0));
        let mut out = String::with_capacity(members.iter().map(|(k, v)| k.len() + v.len() + 4).sum::<usize>() + 2);
        out.push('{');
        for (i, (k, v)) in members.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(&Value::String(k.clone()).to_string());
            out.push(':');
            out.push_str(v);
        }
        out.push('}');
        out
    }

    /// The answer as a JSON value (its written members read back).
    pub fn into_value(self) -> Value {
        match self {
            Answer::Value(v) => v,
            Answer::Object { mut fields, written } => {
                for (k, text) in written {
                    fields.insert(k.to_string(), serde_json::from_str(&text).unwrap_or(Value::Null));
                }
                Value::Object(fields)
            }
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
        let a = Answer::with_written(fields, "Items", "[{\"k\":{\"S\":\"v\"}}]".into());
        let expected = json!({"Count": 1, "ScannedCount": 2, "A\"b": "x", "Items": [{"k": {"S": "v"}}]});
        assert_eq!(a.into_text(), expected.to_string());
        let a = Answer::with_written(Map::new(), "Item", "{}".into());
        assert_eq!(a.into_value(), json!({"Item": {}}));
        assert_eq!(Answer::from(json!({"a": [1]})).into_text(), "{\"a\":[1]}");
    }
}
