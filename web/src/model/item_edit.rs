//! The item editor's model: the PutItem or DeleteItem a save or delete sends, and what the
//! editor says afterwards.

use dynaplay_engine::inspect::key_of;
use dynaplay_engine::table::KeySchema;
use serde_json::{json, Value};

use super::Outcome;

/// `PutItem` of `item`, or `DeleteItem` of its key (`keys` is the table's key schema).
pub fn request(operation: &str, table: &str, item: &Value, keys: &KeySchema) -> Value {
    match operation {
        "PutItem" => json!({"TableName": table, "Item": item, "ReturnConsumedCapacity": "TOTAL"}),
        _ => json!({"TableName": table, "Key": key_of(keys, item), "ReturnConsumedCapacity": "TOTAL"}),
    }
}

/// What a save or delete did: "Saved with PutItem: 1 write unit.", or AWS's error with the
/// attribute path beside it, as AWS's message names none ("… (at Item.total.N)").
pub fn report(operation: &str, o: &Outcome) -> Result<String, String> {
    if let Some(e) = &o.error {
        return Err(e.clone());
    }
    if !o.ok() {
        let at = dynaplay_engine::wire::invalid_member(operation, &o.request)
            .map(|(_, path)| format!(" (at {path})"))
            .unwrap_or_default();
        return Err(format!("{}{at}", o.error_text().unwrap_or_default()));
    }
    let units = o.consumed().unwrap_or(0.0);
    let verb = if operation == "PutItem" { "Saved" } else { "Deleted" };
    Ok(format!("{verb} with {operation}: {units} write unit{}.", if units == 1.0 { "" } else { "s" }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use dynaplay_engine::inspect::hash_only;
    use dynaplay_engine::table::ScalarType;
    use dynaplay_engine::Engine;

    fn send(e: &mut Engine, operation: &str, item: Value) -> Result<String, String> {
        let request = request(operation, "Pets", &item, &hash_only("id", ScalarType::S));
        let response = e.request(operation, request.to_string().as_bytes(), 0);
        report(operation, &Outcome::of(request, response))
    }

    #[test]
    fn saves_deletes_and_names_the_bad_attribute() {
        let mut e = crate::model::engine_with_table("Pets", &[("id", "S")]);
        let item = json!({"id": {"S": "rex"}, "age": {"N": "3"}});
        assert_eq!(send(&mut e, "PutItem", item.clone()), Ok("Saved with PutItem: 1 write unit.".into()));
        assert_eq!(send(&mut e, "DeleteItem", item), Ok("Deleted with DeleteItem: 1 write unit.".into()));
        let bad = send(&mut e, "PutItem", json!({"id": {"S": "rex"}, "total": {"N": 7}}));
        assert_eq!(
            bad,
            Err("SerializationException: NUMBER_VALUE cannot be converted to String (at Item.total.N)".into())
        );
        let no_key = send(&mut e, "DeleteItem", json!({"age": {"N": "3"}}));
        assert_eq!(no_key, Err("ValidationException: The provided key element does not match the schema".into()));
        let failed = Outcome::failed(json!({}), "the disk is full".into());
        assert_eq!(report("PutItem", &failed), Err("the disk is full".into()));
    }
}
