//! A request body, read once from its text.
//!
//! Most of a PutItem's body is its `Item`, and most of a GetItem's is its `Key`: read as
//! a `serde_json::Value` and then as an item, each attribute was built twice and freed
//! once. [`Body::parse`] reads those members straight into items instead (see
//! [`StrictItem`]) whenever they are well formed, and the whole body the slow way
//! otherwise, so every refusal keeps the wording the slow path gives it.

use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, Error as _, MapAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use smallvec::SmallVec;

use crate::error::{Error, Result};
use crate::value::{Item, StrictItem};

/// A request body: its JSON, and the attribute maps read straight into items. A member
/// read that way holds an empty object in `value`, so the shape check and every getter
/// but [`Input::item`](super::Input::item) see a well-typed member.
pub struct Body<'t> {
    pub value: Value,
    /// At most two members (a Key and ExpressionAttributeValues), kept without an allocation.
    pub typed: SmallVec<[(&'static str, Item); 2]>,
    /// BatchWriteItem's puts, read typed by table: each write request's text as sent (for
    /// `UnprocessedItems` and a violation's echo) and its item. Their places in `value`
    /// hold `null` (the shape check passes a null; BatchWriteItem reads only the list's
    /// length there): a placeholder object in each cost five allocations a write, about
    /// a tenth of a batch's time.
    pub puts: Vec<TablePuts<'t>>,
}

/// One table's puts in a BatchWriteItem read typed: the table, then each write request's
/// text and item.
pub type TablePuts<'t> = (String, Vec<(&'t RawValue, Item)>);

/// The members `operation` reads only through `Input::item` (and `ExpressionAttributeValues`
/// through `ops::common::placeholder_maps`), so they may be read typed.
/// IAM's authorizer reads the raw body (a key's partition value, an item's names), so
/// [`Body::parse`] reads nothing typed while IAM is enforced.
fn typed_members(operation: &str) -> &'static [&'static str] {
    match operation {
        "PutItem" => &["Item", "ExpressionAttributeValues"],
        "GetItem" => &["Key"],
        "DeleteItem" | "UpdateItem" => &["Key", "ExpressionAttributeValues"],
        "Query" | "Scan" => &["ExpressionAttributeValues"],
        _ => &[],
    }
}

impl<'t> Body<'t> {
    /// Reads `text` for `operation`; `typed: false` reads it all as JSON.
    pub fn parse(operation: &str, text: &'t str, typed: bool) -> Result<Body<'t>> {
        if text.trim().is_empty() {
            return Ok(Body { value: Value::Object(Map::new()), typed: SmallVec::new(), puts: Vec::new() });
        }
        let fast = Fast { members: typed_members(operation), batch: operation == "BatchWriteItem" };
        if typed && (fast.batch || !fast.members.is_empty()) {
            let mut de = serde_json::Deserializer::from_str(text);
            if let Ok(body) = fast.deserialize(&mut de) {
                if de.end().is_ok() {
                    return Ok(body);
                }
            }
        }
        let value = serde_json::from_str(text).map_err(|e| Error::serialization(format!("Malformed JSON: {e}")))?;
        Ok(Body { value, typed: SmallVec::new(), puts: Vec::new() })
    }
}

/// The top-level object, with `members` (and, for a BatchWriteItem, its puts) read typed.
#[derive(Clone, Copy)]
struct Fast {
    members: &'static [&'static str],
    batch: bool,
}

impl<'de> DeserializeSeed<'de> for Fast {
    type Value = Body<'de>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<Body<'de>, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Fast {
    type Value = Body<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a request object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Body<'de>, A::Error> {
        let mut body = Body { value: Value::Null, typed: SmallVec::new(), puts: Vec::new() };
        let mut obj = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if self.batch && key == "RequestItems" {
                if obj.contains_key(&key) {
                    return Err(A::Error::custom("a repeated member"));
                }
                let (placeholders, puts) = map.next_value_seed(BatchPuts)?;
                body.puts = puts;
                obj.insert(key, placeholders);
                continue;
            }
            let Some(member) = self.members.iter().find(|m| **m == key) else {
                let value = map.next_value::<Value>()?;
                obj.insert(key, value);
                continue;
            };
            if body.typed.iter().any(|(m, _)| m == member) {
                return Err(A::Error::custom("a repeated member"));
            }
            body.typed.push((*member, map.next_value_seed(StrictItem { depth: 0 })?));
            obj.insert(key, Value::Object(Map::new()));
        }
        body.value = Value::Object(obj);
        Ok(body)
    }
}

/// A BatchWriteItem's `RequestItems` made only of puts: each table's write requests kept
/// as sent and read typed; anything else (a delete, a second member, a null) declines.
struct BatchPuts;

impl<'de> DeserializeSeed<'de> for BatchPuts {
    type Value = (Value, Vec<TablePuts<'de>>);

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for BatchPuts {
    type Value = (Value, Vec<TablePuts<'de>>);

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("tables to their put requests")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Self::Value, A::Error> {
        let (mut placeholders, mut tables) = (Map::new(), Vec::new());
        while let Some(table) = map.next_key::<String>()? {
            let requests = map.next_value::<Vec<&'de RawValue>>()?;
            let puts = requests
                .into_iter()
                .map(|raw| Ok((raw, put_item(raw).map_err(A::Error::custom)?)))
                .collect::<std::result::Result<Vec<_>, A::Error>>()?;
            let list = Value::Array(vec![Value::Null; puts.len()]);
            if placeholders.insert(table.clone(), list).is_some() {
                return Err(A::Error::custom("a repeated table"));
            }
            tables.push((table, puts));
        }
        Ok((Value::Object(placeholders), tables))
    }
}

/// The item of a write request that is exactly `{"PutRequest": {"Item": …}}`.
fn put_item(raw: &RawValue) -> serde_json::Result<Item> {
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Request {
        #[serde(rename = "PutRequest")]
        put: Put,
    }
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Put {
        #[serde(rename = "Item", deserialize_with = "strict_item")]
        item: Item,
    }
    fn strict_item<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Item, D::Error> {
        StrictItem { depth: 0 }.deserialize(d)
    }
    serde_json::from_str::<Request>(raw.get()).map(|r| r.put.item)
}

#[cfg(test)]
mod tests;
