//! DynamoDB's data model: the ten attribute types, their wire JSON and validation, value
//! ordering, and item size as AWS counts it for the 400 KB limit and for capacity.

mod number;

pub use number::{Number, NumberError};

use std::cmp::Ordering;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use serde_json::{Map, Value};
use thin_vec::ThinVec;

use crate::error::{Error, Result};
use crate::shape::{self, Shape};

/// An item: attribute name → value. Ordered by name so output is deterministic.
mod item;
mod packed;
mod read;
mod strict;
mod write;
pub use item::{Item, Name, Shapes};
pub use packed::{write_packed, PackedItem};
pub(crate) use strict::StrictItem;
pub use write::{json_text, write_item, write_items, write_json_str};

/// The deepest nesting of lists and maps DynamoDB stores.
pub const MAX_NESTING: usize = 32;
/// The largest item, in bytes (400 KB).
pub const MAX_ITEM_SIZE: usize = 400 * 1024;

/// One DynamoDB value. Sets keep their elements in the order first written and never hold
/// duplicates; equality between sets ignores order, as DynamoDB's does.
#[derive(Clone, Debug)]
pub enum AttributeValue {
    /// A string; like names, inline up to 24 bytes (most key values and short strings).
    S(Name),
    N(Number),
    B(ThinVec<u8>),
    Bool(bool),
    Null,
    M(Item),
    L(ThinVec<AttributeValue>),
    Ss(ThinVec<Name>),
    Ns(ThinVec<Number>),
    Bs(ThinVec<ThinVec<u8>>),
}

impl PartialEq for AttributeValue {
    fn eq(&self, other: &AttributeValue) -> bool {
        use AttributeValue::*;
        match (self, other) {
            (S(a), S(b)) => a == b,
            (N(a), N(b)) => a == b,
            (B(a), B(b)) => a == b,
            (Bool(a), Bool(b)) => a == b,
            (Null, Null) => true,
            (M(a), M(b)) => a == b,
            (L(a), L(b)) => a == b,
            (Ss(a), Ss(b)) => same_set(a, b),
            (Ns(a), Ns(b)) => same_set(a, b),
            (Bs(a), Bs(b)) => same_set(a, b),
            _ => false,
        }
    }
}

fn same_set<T: PartialEq>(a: &[T], b: &[T]) -> bool {
    a.len() == b.len() && a.iter().all(|x| b.contains(x))
}

impl AttributeValue {
    /// The type tag as it appears on the wire (`S`, `NS`, `BOOL`, …).
    pub fn type_tag(&self) -> &'static str {
        match self {
            AttributeValue::S(_) => "S",
            AttributeValue::N(_) => "N",
            AttributeValue::B(_) => "B",
            AttributeValue::Bool(_) => "BOOL",
            AttributeValue::Null => "NULL",
            AttributeValue::M(_) => "M",
            AttributeValue::L(_) => "L",
            AttributeValue::Ss(_) => "SS",
            AttributeValue::Ns(_) => "NS",
            AttributeValue::Bs(_) => "BS",
        }
    }

    /// Ordering for `<`, `<=`, `>`, `>=` and BETWEEN: defined only between two strings
    /// (UTF-8 byte order), two numbers, or two binaries (unsigned byte order).
    pub fn compare(&self, other: &AttributeValue) -> Option<Ordering> {
        match (self, other) {
            (AttributeValue::S(a), AttributeValue::S(b)) => Some(a.as_bytes().cmp(b.as_bytes())),
            (AttributeValue::N(a), AttributeValue::N(b)) => Some(a.cmp(b)),
            (AttributeValue::B(a), AttributeValue::B(b)) => Some(a.cmp(b)),
            _ => None,
        }
    }

    /// Bytes this value adds to an item's size (its name not included).
    pub fn size(&self) -> usize {
        match self {
            AttributeValue::S(s) => s.len(),
            AttributeValue::N(n) => n.size(),
            AttributeValue::B(b) => b.len(),
            AttributeValue::Bool(_) | AttributeValue::Null => 1,
            AttributeValue::M(m) => 3 + m.iter().map(|(k, v)| k.len() + v.size() + 1).sum::<usize>(),
            AttributeValue::L(l) => 3 + l.iter().map(|v| v.size() + 1).sum::<usize>(),
            AttributeValue::Ss(s) => s.iter().map(Name::len).sum(),
            AttributeValue::Ns(s) => s.iter().map(Number::size).sum(),
            AttributeValue::Bs(s) => s.iter().map(|b| b.len()).sum(),
        }
    }

    /// The wire JSON of this value (`{"S":"x"}`).
    pub fn to_json(&self) -> Value {
        let (tag, inner) = match self {
            AttributeValue::S(s) => ("S", Value::String(s.to_string())),
            AttributeValue::N(n) => ("N", Value::String(n.to_string())),
            AttributeValue::B(b) => ("B", Value::String(BASE64.encode(b))),
            AttributeValue::Bool(b) => ("BOOL", Value::Bool(*b)),
            AttributeValue::Null => ("NULL", Value::Bool(true)),
            AttributeValue::M(m) => ("M", item_to_json(m)),
            AttributeValue::L(l) => ("L", Value::Array(l.iter().map(AttributeValue::to_json).collect())),
            AttributeValue::Ss(s) => ("SS", Value::Array(s.iter().map(|x| Value::String(x.to_string())).collect())),
            AttributeValue::Ns(s) => ("NS", Value::Array(s.iter().map(|x| Value::String(x.to_string())).collect())),
            AttributeValue::Bs(s) => ("BS", Value::Array(s.iter().map(|x| Value::String(BASE64.encode(x))).collect())),
        };
        let mut m = Map::new();
        m.insert(tag.to_string(), inner);
        Value::Object(m)
    }

    /// Parses and validates one wire value, with AWS's messages for each way it can be
    /// wrong. `depth` counts the enclosing lists and maps.
    pub fn from_json(value: &Value) -> Result<AttributeValue> {
        parse_value(value, 0)
    }
}

/// Size of a whole item: the UTF-8 bytes of each name plus the size of its value.
pub fn item_size(item: &Item) -> usize {
    item.iter().map(|(k, v)| k.len() + v.size()).sum()
}

pub fn item_to_json(item: &Item) -> Value {
    crate::sorted::object(item.iter().map(|(k, v)| (k.to_string(), v.to_json())))
}

/// Parses an attribute map (an `Item`, a `Key`, `ExpressionAttributeValues`).
/// The longest attribute name, in UTF-8 bytes (DynamoDB's "64 KB" is exclusive).
pub const MAX_NAME_BYTES: usize = 65_535;

/// Refuses an attribute name longer than [`MAX_NAME_BYTES`], top-level or nested.
pub fn check_name(name: &str) -> Result<()> {
    if name.len() > MAX_NAME_BYTES {
        return Err(Error::validation(
            "1 validation error detected: Attribute name is too large, must be less than 65536 bytes",
        ));
    }
    Ok(())
}

pub fn item_from_json(value: &Value) -> Result<Item> {
    let Value::Object(map) = value else {
        return Err(not_a_structure(value));
    };
    let mut item = Item::with_capacity(map.len());
    for (k, v) in map {
        if v.is_null() {
            continue;
        }
        check_name(k)?;
        item.insert(k.clone(), AttributeValue::from_json(v)?);
    }
    Ok(item)
}

fn not_a_structure(value: &Value) -> Error {
    match value {
        Value::Array(_) => Error::serialization("Start of list found where not expected"),
        _ => Error::serialization("Unexpected value type in payload"),
    }
}

/// AWS's answer to `{"NULL": false}` (PutItem and UpdateItem add the
/// `1 validation error detected: ` prefix: `ops::common::prefix_null_false`).
pub const NULL_FALSE: &str =
    "One or more parameter values were invalid: Null attribute value types must have the value of true";

const TAGS: [&str; 10] = ["S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS"];

fn parse_value(value: &Value, depth: usize) -> Result<AttributeValue> {
    let Value::Object(map) = value else {
        return Err(not_a_structure(value));
    };
    if depth > MAX_NESTING {
        return Err(Error::validation("Nesting Levels have exceeded supported limits"));
    }
    // The usual value, one member naming its type, read without looking up every tag.
    if let Some((tag, inner)) = map.iter().next().filter(|_| map.len() == 1) {
        if let Some(tag) = TAGS.iter().find(|t| **t == tag.as_str()).filter(|_| !inner.is_null()) {
            return parse_typed(tag, inner, depth);
        }
    }
    let present: Vec<(&str, &Value)> =
        TAGS.iter().filter_map(|t| map.get(*t).filter(|v| !v.is_null()).map(|v| (*t, v))).collect();
    match present.as_slice() {
        [] => Err(Error::validation(
            "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes",
        )),
        [(tag, inner)] => parse_typed(tag, inner, depth),
        several => {
            // AWS reads every member before it counts them: a bad number in `{"S": "a",
            // "N": "x"}` is reported as a bad number.
            for (tag, inner) in several {
                parse_typed(tag, inner, depth)?;
            }
            Err(Error::validation(
                "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes",
            ))
        }
    }
}

/// One member of an AttributeValue: `tag` (one of [`TAGS`]) holding `inner`.
fn parse_typed(tag: &str, inner: &Value, depth: usize) -> Result<AttributeValue> {
    Ok(match tag {
        "S" => AttributeValue::S(json_string(inner, "String")?.into()),
        "N" => AttributeValue::N(parse_number(json_string(inner, "String")?)?),
        "B" => AttributeValue::B(parse_binary(inner)?),
        "BOOL" => AttributeValue::Bool(json_bool(inner)?),
        "NULL" => {
            if !json_bool(inner)? {
                return Err(Error::validation(NULL_FALSE));
            }
            AttributeValue::Null
        }
        "M" => {
            let Value::Object(m) = inner else {
                return Err(Error::serialization("Unexpected field type"));
            };
            let mut out = Item::with_capacity(m.len());
            for (k, v) in m {
                if !v.is_null() {
                    check_name(k)?;
                    out.insert(k.clone(), parse_value(v, depth + 1)?);
                }
            }
            AttributeValue::M(out)
        }
        "L" => {
            let Value::Array(l) = inner else {
                return Err(Error::serialization("Unexpected field type"));
            };
            AttributeValue::L(l.iter().map(|v| parse_value(v, depth + 1)).collect::<Result<_>>()?)
        }
        "SS" => {
            let elems = json_list(inner)?
                .iter()
                .map(|v| json_string(v, "String").map(Name::from))
                .collect::<Result<ThinVec<_>>>()?;
            if elems.is_empty() {
                return Err(Error::invalid_parameter("An string set  may not be empty"));
            }
            if has_duplicates(&elems) {
                return Err(Error::invalid_parameter(format!(
                    "Input collection [{}] contains duplicates.",
                    elems.join(", ")
                )));
            }
            AttributeValue::Ss(elems)
        }
        "NS" => {
            let elems = json_list(inner)?
                .iter()
                .map(|v| json_string(v, "String").and_then(parse_number))
                .collect::<Result<ThinVec<_>>>()?;
            if elems.is_empty() {
                return Err(Error::invalid_parameter("An number set  may not be empty"));
            }
            if has_duplicates(&elems) {
                return Err(Error::validation("Input collection contains duplicates"));
            }
            AttributeValue::Ns(elems)
        }
        _ => {
            let elems = json_list(inner)?.iter().map(parse_binary).collect::<Result<ThinVec<_>>>()?;
            if elems.is_empty() {
                return Err(Error::invalid_parameter("Binary sets should not be empty"));
            }
            if has_duplicates(&elems) {
                let shown: Vec<String> = elems.iter().map(|b| BASE64.encode(b)).collect();
                return Err(Error::invalid_parameter(format!(
                    "Input collection [{}]of type BS contains duplicates.",
                    shown.join(", ")
                )));
            }
            AttributeValue::Bs(elems)
        }
    })
}

pub(crate) fn has_duplicates<T: PartialEq>(v: &[T]) -> bool {
    v.iter().enumerate().any(|(i, x)| v.iter().skip(i + 1).any(|y| y == x))
}

fn parse_number(text: &str) -> Result<Number> {
    Number::parse(text).map_err(|e| Error::validation(e.message(text)))
}

fn parse_binary(value: &Value) -> Result<ThinVec<u8>> {
    let text = json_string(value, "Blob")?;
    BASE64
        .decode(text)
        .map(ThinVec::from)
        .map_err(|_| Error::serialization(format!("'{text}' can not be converted to a Blob: Invalid Base64 encoding")))
}

/// A JSON string where the model wants one; anything else is a SerializationException
/// in the words of `shape` (`NUMBER_VALUE cannot be converted to String`).
pub(crate) fn json_string<'a>(value: &'a Value, model_type: &str) -> Result<&'a str> {
    let shape = if model_type == "Blob" { Shape::Blob } else { Shape::Str };
    match value {
        Value::String(s) => Ok(s),
        Value::Null => Err(Error::serialization("Unexpected null value")),
        other => {
            Err(shape::check(other, &shape).err().unwrap_or_else(|| Error::serialization("Unexpected field type")))
        }
    }
}

/// A JSON boolean, read as AWS's deserializer reads it: it also takes the strings
/// true/yes/1 and false/no/0 in any case.
pub(crate) fn json_bool(value: &Value) -> Result<bool> {
    shape::check(value, &Shape::Bool)?;
    Ok(match value {
        Value::Bool(b) => *b,
        Value::String(s) => ["TRUE", "1", "YES"].contains(&s.to_ascii_uppercase().as_str()),
        _ => false,
    })
}

fn json_list(value: &Value) -> Result<&Vec<Value>> {
    match value {
        Value::Array(a) => Ok(a),
        Value::Object(_) => Err(Error::serialization("Start of structure or map found where not expected")),
        _ => Err(Error::serialization("Unexpected field type")),
    }
}

#[cfg(test)]
mod tests;
