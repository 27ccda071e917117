//! The PutItem-vs-UpdateItem view's model: the two requests its form describes, and the
//! classic example (seed an item, PutItem with one attribute, seed again, UpdateItem the
//! same attribute) as a list of requests.

use dynaplay_engine::inspect::key_json;
use dynaplay_engine::table::{KeySchema, ScalarType};
use serde_json::{json, Value};

use crate::convert::from_plain;

pub const RETURN_VALUES: [&str; 5] = ["NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW"];

/// The form: the item's key typed as text, the PutItem's other attributes and the
/// UpdateItem's expression (both as plain JSON), and ReturnValues.
#[derive(Clone, Debug, PartialEq)]
pub struct WriteForm {
    pub pk: String,
    pub sk: String,
    pub put_attrs: String,
    pub update_expr: String,
    pub update_values: String,
    pub return_values: String,
}

impl Default for WriteForm {
    fn default() -> WriteForm {
        WriteForm {
            pk: "example".into(),
            sk: "1".into(),
            put_attrs: "{\n  \"Country\": \"Norway\"\n}".into(),
            update_expr: "SET Country = :c".into(),
            update_values: "{\n  \":c\": \"Norway\"\n}".into(),
            return_values: "ALL_OLD".into(),
        }
    }
}

/// Plain JSON typed in a form, as DynamoDB JSON.
fn plain(text: &str, what: &str) -> Result<Value, String> {
    let v: Value = serde_json::from_str(text).map_err(|e| format!("{what} is not valid JSON: {e}"))?;
    from_plain(&v).map_err(|e| format!("{what}: {e}"))
}

/// A key value of type `ty` the classic example writes.
fn classic_text(ty: ScalarType, sort_key: bool) -> String {
    match (ty, sort_key) {
        (ScalarType::S, false) => "example".into(),
        (ScalarType::N, false) => "42".into(),
        (ScalarType::B, false) => "ZXhhbXBsZQ==".into(),
        (ScalarType::B, true) => "AQ==".into(),
        (_, true) => "1".into(),
    }
}

impl WriteForm {
    /// The form as the classic example fills it for a table keyed `keys`.
    pub fn classic(keys: &KeySchema) -> WriteForm {
        WriteForm {
            pk: classic_text(keys.hash.ty, false),
            sk: keys.range.as_ref().map_or("1".into(), |r| classic_text(r.ty, true)),
            ..WriteForm::default()
        }
    }

    fn put(&self, table: &str, keys: &KeySchema, attrs: &Value, rv: &str) -> Value {
        let mut item = key_json(keys, &self.pk, &self.sk);
        for (k, v) in attrs.as_object().into_iter().flatten() {
            item[k] = v.clone();
        }
        json!({"TableName": table, "Item": item, "ReturnValues": rv, "ReturnConsumedCapacity": "TOTAL"})
    }

    fn update(&self, table: &str, keys: &KeySchema, expr: &str, values: Value, rv: &str) -> Value {
        let mut request = json!({"TableName": table, "Key": key_json(keys, &self.pk, &self.sk),
            "UpdateExpression": expr, "ReturnValues": rv, "ReturnConsumedCapacity": "TOTAL"});
        if values.as_object().is_some_and(|m| !m.is_empty()) {
            request["ExpressionAttributeValues"] = values;
        }
        request
    }

    /// The PutItem or UpdateItem the form describes.
    pub fn request(&self, operation: &str, table: &str, keys: &KeySchema) -> Result<Value, String> {
        let rv = self.return_values.as_str();
        match operation {
            "PutItem" => Ok(self.put(table, keys, &plain(&self.put_attrs, "The PutItem attributes")?, rv)),
            _ => {
                let values = plain(&self.update_values, "The expression values")?;
                Ok(self.update(table, keys, &self.update_expr, values, rv))
            }
        }
    }

    /// The classic example's requests: the seed item, PutItem with only Country, the seed
    /// again, UpdateItem SET Country.
    pub fn classic_steps(&self, table: &str, keys: &KeySchema) -> [(&'static str, Value); 4] {
        let seed = self.put(table, keys, &json!({"Name": {"S": "Jane Doe"}, "Gender": {"S": "F"}}), "NONE");
        let put = self.put(table, keys, &json!({"Country": {"S": "Norway"}}), "ALL_OLD");
        let update = self.update(table, keys, "SET Country = :c", json!({":c": {"S": "Norway"}}), "ALL_NEW");
        [("PutItem", seed.clone()), ("PutItem", put), ("PutItem", seed), ("UpdateItem", update)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dynaplay_engine::inspect::hash_only;
    use dynaplay_engine::table::KeyDef;

    #[test]
    fn the_form_describes_put_and_update() {
        let keys = hash_only("id", ScalarType::S);
        let form = WriteForm::default();
        let put = form.request("PutItem", "T", &keys).unwrap();
        assert_eq!(put["Item"], json!({"id": {"S": "example"}, "Country": {"S": "Norway"}}));
        assert_eq!(put["ReturnValues"], "ALL_OLD");
        let update = form.request("UpdateItem", "T", &keys).unwrap();
        assert_eq!(update["Key"], json!({"id": {"S": "example"}}));
        assert_eq!(update["ExpressionAttributeValues"], json!({":c": {"S": "Norway"}}));
        let none = WriteForm { update_values: "{}".into(), ..form.clone() }.request("UpdateItem", "T", &keys).unwrap();
        assert!(none.get("ExpressionAttributeValues").is_none());
        let bad = WriteForm { put_attrs: "{".into(), ..form }.request("PutItem", "T", &keys);
        assert!(bad.unwrap_err().starts_with("The PutItem attributes is not valid JSON"));
    }

    #[test]
    fn the_classic_example_fits_the_key_types() {
        let keys = KeySchema {
            hash: KeyDef { name: "n".into(), ty: ScalarType::N },
            range: Some(KeyDef { name: "b".into(), ty: ScalarType::B }),
        };
        let form = WriteForm::classic(&keys);
        assert_eq!((form.pk.as_str(), form.sk.as_str()), ("42", "AQ=="));
        let steps = form.classic_steps("T", &keys);
        let ops: Vec<&str> = steps.iter().map(|s| s.0).collect();
        assert_eq!(ops, ["PutItem", "PutItem", "PutItem", "UpdateItem"]);
        assert_eq!(steps[1].1["Item"], json!({"n": {"N": "42"}, "b": {"B": "AQ=="}, "Country": {"S": "Norway"}}));
        assert_eq!(steps[0].1, steps[2].1);
        assert_eq!(WriteForm::classic(&hash_only("k", ScalarType::B)).pk, "ZXhhbXBsZQ==");
    }
}
