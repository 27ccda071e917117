//! A request body, read once from its text.
//!
//! Most of a PutItem's body is its `Item`, and most of a GetItem's is its `Key`: read as
//! a `serde_json::Value` and then as an item, each attribute was built twice and freed
//! once. [`Body::parse`] reads those members straight into items instead (see
//! [`StrictItem`]) whenever they are well formed, and the whole body the slow way
//! otherwise, so every refusal keeps the wording the slow path gives it.

use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, Error as _, MapAccess, Visitor};
use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::value::{Item, StrictItem};

/// A request body: its JSON, and the attribute maps read straight into items. A member
/// read that way holds an empty object in `value`, so the shape check and every getter
/// but [`Input::item`](super::Input::item) see a well-typed member.
pub struct Body {
    pub value: Value,
    pub typed: Vec<(&'static str, Item)>,
}

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

impl Body {
    /// Reads `text` for `operation`; `typed: false` reads it all as JSON.
    pub fn parse(operation: &str, text: &str, typed: bool) -> Result<Body> {
        if text.trim().is_empty() {
            return Ok(Body { value: Value::Object(Map::new()), typed: Vec::new() });
        }
        let members = if typed { typed_members(operation) } else { &[] };
        if !members.is_empty() {
            let mut de = serde_json::Deserializer::from_str(text);
            if let Ok(body) = (Fast { members }).deserialize(&mut de) {
                if de.end().is_ok() {
                    return Ok(body);
                }
            }
        }
        let value = serde_json::from_str(text).map_err(|e| Error::serialization(format!("Malformed JSON: {e}")))?;
        Ok(Body { value, typed: Vec::new() })
    }
}

/// The top-level object, with `members` read typed.
#[derive(Clone, Copy)]
struct Fast {
    members: &'static [&'static str],
}

impl<'de> DeserializeSeed<'de> for Fast {
    type Value = Body;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<Body, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Fast {
    type Value = Body;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a request object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Body, A::Error> {
        let (mut obj, mut typed) = (Map::new(), Vec::with_capacity(self.members.len()));
        while let Some(key) = map.next_key::<String>()? {
            let Some(member) = self.members.iter().find(|m| **m == key) else {
                let value = map.next_value::<Value>()?;
                obj.insert(key, value);
                continue;
            };
            if typed.iter().any(|(m, _)| m == member) {
                return Err(A::Error::custom("a repeated member"));
            }
            typed.push((*member, map.next_value_seed(StrictItem { depth: 0 })?));
            obj.insert(key, Value::Object(Map::new()));
        }
        Ok(Body { value: Value::Object(obj), typed })
    }
}

#[cfg(test)]
mod tests;
