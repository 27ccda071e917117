//! DynamoDB JSON lines: one `{"Item": …}` object per line (a full export and an import),
//! or, in an incremental export, one `{"Metadata", "Keys", "NewImage", "OldImage"}` object
//! per changed item.

use serde_json::{json, Map, Value};

use crate::value::{item_from_json, item_to_json, Item};

/// One full-export line: `{"Item":{…}}`.
pub fn item_line(item: &Item) -> String {
    json!({ "Item": item_to_json(item) }).to_string()
}

/// One incremental-export line. `old` is written only for the `NEW_AND_OLD_IMAGES` view;
/// a deleted item has no `NewImage`.
pub fn change_line(at_ms: u64, keys: &Item, new: Option<&Item>, old: Option<&Item>) -> String {
    let micros = at_ms.saturating_mul(1000).to_string();
    let mut line = Map::new();
    line.insert("Metadata".into(), json!({ "WriteTimestampMicros": { "N": micros } }));
    line.insert("Keys".into(), item_to_json(keys));
    if let Some(n) = new {
        line.insert("NewImage".into(), item_to_json(n));
    }
    if let Some(o) = old {
        line.insert("OldImage".into(), item_to_json(o));
    }
    Value::Object(line).to_string()
}

/// Reads one import line: `{"Item":{…}}`. The error is what the import's error log says.
pub fn read_item_line(line: &str) -> Result<Item, String> {
    let v: Value = serde_json::from_str(line).map_err(|e| format!("The line is not JSON: {e}"))?;
    let item = v.get("Item").ok_or("The line has no \"Item\" object: DynamoDB JSON import lines are {\"Item\":{…}}")?;
    item_from_json(item).map_err(|e| e.message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::AttributeValue;

    #[test]
    fn lines_are_awss_shape_and_read_back() {
        let item: Item = [("Id".to_string(), AttributeValue::S("a".into()))].into();
        assert_eq!(item_line(&item), r#"{"Item":{"Id":{"S":"a"}}}"#);
        assert_eq!(read_item_line(&item_line(&item)).unwrap(), item);
        assert_eq!(
            change_line(1_500, &item, None, Some(&item)),
            r#"{"Keys":{"Id":{"S":"a"}},"Metadata":{"WriteTimestampMicros":{"N":"1500000"}},"OldImage":{"Id":{"S":"a"}}}"#
        );
        assert!(read_item_line("{").unwrap_err().starts_with("The line is not JSON"));
        assert!(read_item_line("{}").unwrap_err().starts_with("The line has no \"Item\""));
    }
}
