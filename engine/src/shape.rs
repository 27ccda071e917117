//! The deserialization pass: a request body checked against its operation's model before
//! anything else reads it, as DynamoDB's front end deserializes the whole request (and
//! reports the first `SerializationException`) before it validates any member.
//!
//! Members are checked in the model's order (not the body's), which is the order AWS
//! reports them in; members the model does not know are left to the operation. The
//! messages are those DynamoDB has answered since its 2018 front-end change (dynalite's
//! test suite, updated then "to match latest production"; dynoxide follows them too):
//! `TRUE_VALUE cannot be converted to String`, `Unexpected field type`,
//! `Unrecognized collection type class java.lang.String`, and so on.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use serde_json::Value;

use crate::error::{Error, Result};

/// How a structure is read: AWS words a scalar where a structure belongs differently for
/// the two kinds of structure its model has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A map value or list member: "Unexpected value type in payload".
    Value,
    /// A structure-valued member: "Unexpected field type".
    Field,
}

/// A member's type in DynamoDB's model.
#[derive(Clone, Copy, Debug)]
pub enum Shape {
    Bool,
    Str,
    Int,
    Long,
    Blob,
    List(&'static Shape),
    /// A list whose member type is itself generic (BatchWriteItem's write lists).
    ParamList(&'static Shape),
    /// A string-keyed map; the name is its value type as Java prints it.
    Map(&'static str, &'static Shape),
    /// A map whose value type is itself generic (BatchGetItem's keys).
    ParamMap(&'static Shape),
    /// A structure: its kind, its Java class name, and its members in the model's order.
    Struct(Kind, &'static str, &'static [(&'static str, Shape)]),
    /// An AttributeValue, read as a structure of the given kind.
    Attr(Kind),
}

const PACKAGE: &str = "com.amazonaws.dynamodb.v20120810";
const CAST: &str = "class sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl cannot be cast to class java.lang.Class (sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl and java.lang.Class are in module java.base of loader 'bootstrap')";
const MAP_HERE: &str = "Start of structure or map found where not expected";

static ATTR_VALUE: Shape = Shape::Attr(Kind::Value);
static STR: Shape = Shape::Str;
static BLOB: Shape = Shape::Blob;
static ATTR_MEMBERS: [(&str, Shape); 10] = [
    ("S", Shape::Str),
    ("B", Shape::Blob),
    ("N", Shape::Str),
    ("BOOL", Shape::Bool),
    ("NULL", Shape::Bool),
    ("BS", Shape::List(&BLOB)),
    ("NS", Shape::List(&STR)),
    ("SS", Shape::List(&STR)),
    ("L", Shape::List(&ATTR_VALUE)),
    ("M", Shape::Map("AttributeValue", &ATTR_VALUE)),
];

fn err(message: impl Into<String>) -> Error {
    Error::serialization(message)
}

/// `NUMBER_VALUE` or `DECIMAL_VALUE`, as Jackson names the token.
fn number_token(n: &serde_json::Number) -> &'static str {
    if n.is_f64() {
        "DECIMAL_VALUE"
    } else {
        "NUMBER_VALUE"
    }
}

fn java_class(shape: &Shape) -> String {
    match shape {
        Shape::Bool => "class java.lang.Boolean".into(),
        Shape::Str => "class java.lang.String".into(),
        Shape::Int => "class java.lang.Integer".into(),
        Shape::Long => "class java.lang.Long".into(),
        Shape::Blob => "class java.nio.ByteBuffer".into(),
        Shape::Struct(_, name, _) => format!("class {PACKAGE}.{name}"),
        Shape::Attr(_) => format!("class {PACKAGE}.AttributeValue"),
        Shape::Map(value, _) => format!("java.util.Map<java.lang.String, {}>", qualified(value)),
        Shape::ParamMap(_) => format!("java.util.Map<java.lang.String, {PACKAGE}.AttributeValue>"),
        Shape::List(_) | Shape::ParamList(_) => "interface java.util.List".into(),
    }
}

fn qualified(name: &str) -> String {
    if name.contains('.') {
        name.to_string()
    } else {
        format!("{PACKAGE}.{name}")
    }
}

/// Checks `value` against `shape`; the first mismatch is AWS's SerializationException.
pub fn check(value: &Value, shape: &Shape) -> Result<()> {
    check_at(value, shape, &mut Vec::new())
}

/// [`check`], leaving in `path` the members and indexes from the first mismatch up to
/// `value`, innermost first, so a page can say where it is (AWS's message does not). A
/// value that passes leaves `path` alone and allocates nothing for it.
fn check_at(value: &Value, shape: &Shape, path: &mut Vec<String>) -> Result<()> {
    if value.is_null() {
        return Ok(());
    }
    match shape {
        Shape::Bool => check_bool(value),
        Shape::Str => check_scalar(value, "String"),
        Shape::Int => check_integer(value, "Integer"),
        Shape::Long => check_integer(value, "Long"),
        Shape::Blob => check_blob(value),
        Shape::List(member) | Shape::ParamList(member) => check_list(value, shape, member, path),
        Shape::Map(..) | Shape::ParamMap(_) => check_map(value, shape, path),
        Shape::Struct(kind, _, members) => check_struct(value, shape, *kind, members, path),
        Shape::Attr(kind) => check_struct(value, shape, *kind, &ATTR_MEMBERS, path),
    }
}

/// Checks `value` as member `name` of a container, adding `name` to `path` on failure.
fn check_member(value: &Value, shape: &Shape, name: impl FnOnce() -> String, path: &mut Vec<String>) -> Result<()> {
    check_at(value, shape, path).inspect_err(|_| path.push(name()))
}

fn collection_or_map(value: &Value, shape: &Shape) -> Error {
    match value {
        Value::Array(_) => err(format!("Unrecognized collection type {}", java_class(shape))),
        _ => err(MAP_HERE),
    }
}

fn check_bool(value: &Value) -> Result<()> {
    match value {
        Value::Bool(_) => Ok(()),
        // Jackson reads these strings as booleans; any other string is a bad token.
        Value::String(s) if ["TRUE", "1", "YES", "FALSE", "0", "NO"].contains(&s.to_ascii_uppercase().as_str()) => {
            Ok(())
        }
        Value::String(_) => Err(err("Unexpected token received from parser")),
        Value::Number(n) => Err(err(format!("{} cannot be converted to Boolean", number_token(n)))),
        other => Err(collection_or_map(other, &Shape::Bool)),
    }
}

fn check_scalar(value: &Value, java: &str) -> Result<()> {
    match value {
        Value::String(_) => Ok(()),
        Value::Bool(b) => {
            Err(err(format!("{} cannot be converted to {java}", if *b { "TRUE_VALUE" } else { "FALSE_VALUE" })))
        }
        Value::Number(n) => Err(err(format!("{} cannot be converted to {java}", number_token(n)))),
        other => Err(collection_or_map(other, &Shape::Str)),
    }
}

fn check_integer(value: &Value, java: &str) -> Result<()> {
    let shape = if java == "Long" { Shape::Long } else { Shape::Int };
    match value {
        Value::Number(_) => Ok(()),
        Value::String(_) => Err(err(format!("STRING_VALUE cannot be converted to {java}"))),
        Value::Bool(b) => {
            Err(err(format!("{} cannot be converted to {java}", if *b { "TRUE_VALUE" } else { "FALSE_VALUE" })))
        }
        other => Err(collection_or_map(other, &shape)),
    }
}

fn check_blob(value: &Value) -> Result<()> {
    let text = match value {
        Value::String(s) => s,
        Value::Bool(_) | Value::Number(_) => return Err(err("only base-64-encoded strings are convertible to bytes")),
        other => return Err(collection_or_map(other, &Shape::Blob)),
    };
    if text.len() % 4 != 0 {
        return Err(err(format!("Base64 encoded length is expected a multiple of 4 bytes but found: {}", text.len())));
    }
    // A canonical encoding decodes and encodes back to itself ("dectected" is AWS's).
    match STANDARD.decode(text) {
        Ok(bytes) if STANDARD.encode(&bytes) == *text => Ok(()),
        _ => Err(err("Invalid last non-pad Base64 character dectected")),
    }
}

fn check_list(value: &Value, shape: &Shape, member: &Shape, path: &mut Vec<String>) -> Result<()> {
    match value {
        Value::Array(items) => {
            items.iter().enumerate().try_for_each(|(i, v)| check_member(v, member, || format!("[{i}]"), path))
        }
        Value::Object(_) => Err(err(MAP_HERE)),
        _ if matches!(shape, Shape::ParamList(_)) => Err(err(CAST)),
        _ => Err(err("Unexpected field type")),
    }
}

fn check_map(value: &Value, shape: &Shape, path: &mut Vec<String>) -> Result<()> {
    let member = match shape {
        Shape::Map(_, m) | Shape::ParamMap(m) => *m,
        _ => return Ok(()),
    };
    match value {
        Value::Object(map) => map.iter().try_for_each(|(k, v)| check_member(v, member, || k.clone(), path)),
        Value::Array(_) => Err(err(format!("Unrecognized collection type {}", java_class(shape)))),
        _ if matches!(shape, Shape::ParamMap(_)) => Err(err(CAST)),
        _ => Err(err("Unexpected field type")),
    }
}

fn check_struct(
    value: &Value,
    shape: &Shape,
    kind: Kind,
    members: &[(&str, Shape)],
    path: &mut Vec<String>,
) -> Result<()> {
    match value {
        Value::Object(map) => check_fields(map, members, path),
        Value::Array(_) => Err(err(format!("Unrecognized collection type {}", java_class(shape)))),
        _ if kind == Kind::Value => Err(err("Unexpected value type in payload")),
        _ => Err(err("Unexpected field type")),
    }
}

/// The members a structure holds, in the model's order. A structure holding fewer
/// members than its model lists (an attribute value holds one of ten, a request a few of
/// a dozen) has its own few looked up in the model instead of every model member looked
/// up in it: the same checks in the same order.
fn check_fields(map: &serde_json::Map<String, Value>, members: &[(&str, Shape)], path: &mut Vec<String>) -> Result<()> {
    if map.len() < members.len() {
        return check_present(map, members, path);
    }
    members.iter().try_for_each(|(name, member)| {
        map.get(*name).map_or(Ok(()), |v| check_member(v, member, || name.to_string(), path))
    })
}

fn check_present(
    map: &serde_json::Map<String, Value>,
    members: &[(&str, Shape)],
    path: &mut Vec<String>,
) -> Result<()> {
    // Most bodies are well formed: checked in the body's order first, and only when one
    // is not, again in the model's (the member the error names is the model's first).
    let well_formed = map.iter().all(|(k, v)| {
        members.iter().find(|(name, _)| name == k).is_none_or(|(_, m)| check_at(v, m, &mut Vec::new()).is_ok())
    });
    if well_formed {
        return Ok(());
    }
    let mut held: smallvec::SmallVec<[(usize, &str, &Shape, &Value); 8]> = map
        .iter()
        .filter_map(|(k, v)| {
            members.iter().enumerate().find(|(_, (name, _))| name == k).map(|(i, (n, m))| (i, *n, m, v))
        })
        .collect();
    crate::sorted::sort_by_key(&mut held, |(i, ..)| *i);
    held.into_iter().try_for_each(|(_, name, member, v)| check_member(v, member, || name.to_string(), path))
}

/// Checks a request body against `operation`'s model; operations without one pass.
pub fn check_request(operation: &str, body: &Value) -> Result<()> {
    invalid_member(operation, body).map_or(Ok(()), |(e, _)| Err(e))
}

/// The first SerializationException in a request body, with the path to the member that
/// caused it (`Item.Plays.N`): AWS's message names no member, so the page adds it.
pub fn invalid_member(operation: &str, body: &Value) -> Option<(Error, String)> {
    let (Value::Object(map), Some(members)) = (body, models::of(operation)) else { return None };
    let mut path = Vec::new();
    let result = check_fields(map, members, &mut path);
    path.reverse();
    result.err().map(|e| (e, path.join(".").replace(".[", "[")))
}

mod models;
#[cfg(test)]
mod tests;
