//! Reading request JSON the way DynamoDB's front end does.
//!
//! Two layers of checks, in AWS's order:
//! 1. JSON types: a field of the wrong JSON type is a `SerializationException`, found for
//!    the whole body by `shape::check_request` before anything else reads it ([`Input`]'s
//!    getters word the members the model does not list the same way).
//! 2. Model constraints (required members, lengths, patterns, enums, ranges): collected by
//!    [`Violations`] and reported together as `N validation error(s) detected: …`, each as
//!    `Value '<v>' at '<path>' failed to satisfy constraint: <rule>`.
//!
//! Everything semantic (key schemas, expressions, table state) comes after, in the
//! operation modules.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::expr::ast::Path;
use crate::shape::{self, Shape};
use crate::value::{check_name, item_from_json, json_bool, json_string, Item};

mod body;
pub use body::{Body, TablePuts};

/// A request body's top-level object.
#[derive(Clone, Copy)]
pub struct Input<'a> {
    pub obj: &'a Map<String, Value>,
    /// Members already read as items ([`Body`]); their place in `obj` holds `{}`.
    typed: &'a [(&'static str, Item)],
    /// A BatchWriteItem's puts read typed ([`Body::puts`]).
    puts: &'a [TablePuts<'a>],
}

fn present<'a>(obj: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    obj.get(key).filter(|v| !v.is_null())
}

impl<'a> Input<'a> {
    pub fn new(value: &'a Value) -> Result<Input<'a>> {
        match value {
            Value::Object(obj) => Ok(Input { obj, typed: &[], puts: &[] }),
            Value::Array(_) => Err(Error::serialization("Start of list found where not expected")),
            _ => Err(Error::serialization("Unexpected value type in payload")),
        }
    }

    /// A whole body's input, with the members it read typed.
    pub fn of<'t: 'a>(body: &'a Body<'t>) -> Result<Input<'a>> {
        Ok(Input { typed: &body.typed, puts: &body.puts, ..Input::new(&body.value)? })
    }

    /// A BatchWriteItem's puts read typed, by table (empty if it was read as JSON).
    pub fn typed_puts(&self) -> &'a [TablePuts<'a>] {
        self.puts
    }

    pub fn has(&self, key: &str) -> bool {
        present(self.obj, key).is_some()
    }

    pub fn str(&self, key: &str) -> Result<Option<&'a str>> {
        present(self.obj, key).map(|v| json_string(v, "String")).transpose()
    }

    pub fn bool(&self, key: &str) -> Result<Option<bool>> {
        present(self.obj, key).map(json_bool).transpose()
    }

    pub fn int(&self, key: &str) -> Result<Option<i64>> {
        let Some(v) = present(self.obj, key) else { return Ok(None) };
        shape::check(v, &Shape::Int)?;
        // A fraction is read as its floor, as AWS reads it.
        Ok(v.as_i64().or_else(|| v.as_f64().map(|f| f.floor() as i64)))
    }

    /// A timestamp, as the SDKs send one: epoch seconds.
    pub fn number(&self, key: &str) -> Result<Option<f64>> {
        match present(self.obj, key) {
            None => Ok(None),
            Some(v) => v
                .as_f64()
                .filter(|f| f.is_finite())
                .map(Some)
                .ok_or_else(|| Error::serialization("Unexpected field type")),
        }
    }

    pub fn object(&self, key: &str) -> Result<Option<Input<'a>>> {
        match present(self.obj, key) {
            None => Ok(None),
            Some(Value::Object(o)) => Ok(Some(Input { obj: o, typed: &[], puts: &[] })),
            Some(Value::Array(_)) => Err(Error::serialization("Unrecognized collection type java.util.Map")),
            Some(_) => Err(Error::serialization("Unexpected field type")),
        }
    }

    pub fn array(&self, key: &str) -> Result<Option<&'a Vec<Value>>> {
        match present(self.obj, key) {
            None => Ok(None),
            Some(Value::Array(a)) => Ok(Some(a)),
            Some(Value::Object(_)) => Err(Error::serialization("Start of structure or map found where not expected")),
            Some(_) => Err(Error::serialization("Unexpected field type")),
        }
    }

    /// An attribute map (`Item`, `Key`, `ExclusiveStartKey`, …).
    pub fn item(&self, key: &str) -> Result<Option<Item>> {
        Ok(self.item_cow(key)?.map(Cow::into_owned))
    }

    /// [`Input::item`], borrowed when [`Body`] read it typed (a Key only looked at).
    pub fn item_cow(&self, key: &str) -> Result<Option<Cow<'a, Item>>> {
        if let Some(item) = self.typed_item(key) {
            return Ok(Some(Cow::Borrowed(item)));
        }
        Ok(present(self.obj, key).map(item_from_json).transpose()?.map(Cow::Owned))
    }

    /// The attribute map [`Body`] read typed as `key`, if it did.
    pub fn typed_item(&self, key: &str) -> Option<&'a Item> {
        self.typed.iter().find(|(member, _)| *member == key).map(|(_, item)| item)
    }

    /// A map of strings (`ExpressionAttributeNames`), borrowed from the request.
    pub fn string_map(&self, key: &str) -> Result<Option<BTreeMap<&'a str, &'a str>>> {
        let Some(obj) = self.object(key)? else {
            return Ok(None);
        };
        let mut out = BTreeMap::new();
        for (k, v) in obj.obj {
            if !v.is_null() {
                out.insert(k.as_str(), json_string(v, "String")?);
            }
        }
        Ok(Some(out))
    }

    /// The legacy `AttributesToGet`: top-level attribute names, as projection paths
    /// (GetItem, Query, Scan and the batch and transaction reads share it).
    pub fn attributes_to_get(&self) -> Result<Option<Vec<Path>>> {
        let Some(list) = self.array("AttributesToGet")? else {
            return Ok(None);
        };
        let names = list.iter().map(|v| json_string(v, "String")).collect::<Result<Vec<_>>>()?;
        if names.is_empty() {
            return Err(Error::validation(
                "1 validation error detected: Value '[]' at 'attributesToGet' failed to satisfy constraint: Member must have length greater than or equal to 1",
            ));
        }
        let mut seen = Vec::new();
        for n in &names {
            check_name(n)?;
            if seen.contains(n) {
                return Err(Error::validation(format!(
                    "One or more parameter values were invalid: Duplicate value in attribute name: {n}"
                )));
            }
            seen.push(*n);
        }
        Ok(Some(names.into_iter().map(Path::attr).collect()))
    }

    /// The raw value of a field, for fields parsed elsewhere.
    pub fn raw(&self, key: &str) -> Option<&'a Value> {
        present(self.obj, key)
    }
}

/// Model-constraint failures of one request, reported together.
#[derive(Default)]
pub struct Violations {
    found: Vec<String>,
}

pub const TABLE_NAME_PATTERN: &str = "[a-zA-Z0-9_.-]+";

impl Violations {
    pub fn new() -> Violations {
        Violations::default()
    }

    fn push(&mut self, value: Option<&str>, path: &str, rule: &str) {
        let shown = value.map_or("null".to_string(), |v| format!("'{v}'"));
        self.found.push(format!("Value {shown} at '{path}' failed to satisfy constraint: {rule}"));
    }

    /// A violation AWS words without echoing the value: `Value at 'Limit' failed …`.
    pub fn unechoed(&mut self, path: &str, rule: &str) {
        self.found.push(format!("Value at '{path}' failed to satisfy constraint: {rule}"));
    }

    pub fn not_null<T>(&mut self, value: Option<T>, path: &str) {
        if value.is_none() {
            self.push(None, path, "Member must not be null");
        }
    }

    /// A table or index name: 3–255 characters from `[a-zA-Z0-9_.-]`.
    pub fn name(&mut self, value: Option<&str>, path: &str, required: bool) {
        let Some(v) = value else {
            if required {
                self.not_null(value, path);
            }
            return;
        };
        let len = v.chars().count();
        if len < 3 {
            self.push(Some(v), path, "Member must have length greater than or equal to 3");
        }
        if len > 255 {
            self.push(Some(v), path, "Member must have length less than or equal to 255");
        }
        if v.is_empty() || !v.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')) {
            self.push(Some(v), path, &format!("Member must satisfy regular expression pattern: {TABLE_NAME_PATTERN}"));
        }
    }

    /// A map keyed by table name (a batch's `RequestItems`, printed by `shown`, only
    /// when needed): AWS names every rule a key must meet when any key breaks one.
    pub fn table_name_keys<'k>(
        &mut self,
        mut keys: impl Iterator<Item = &'k String>,
        shown: impl FnOnce() -> String,
        path: &str,
    ) {
        let valid = |k: &str| {
            (3..=255).contains(&k.chars().count())
                && k.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
        };
        if keys.any(|k| !valid(k)) {
            let rule = format!(
                "Map keys must satisfy constraint: [Member must have length less than or equal to 255, Member must have length greater than or equal to 3, Member must satisfy regular expression pattern: {TABLE_NAME_PATTERN}]"
            );
            self.push(Some(&shown()), path, &rule);
        }
    }

    /// A map value that breaks its own length rules, which AWS names together.
    pub fn map_value(&mut self, shown: &str, path: &str, min: usize, max: usize) {
        let rule = format!(
            "Map value must satisfy constraint: [Member must have length less than or equal to {max}, Member must have length greater than or equal to {min}]"
        );
        self.push(Some(shown), path, &rule);
    }

    /// The table name of an item operation. These also accept a table ARN, so AWS checks
    /// an empty name against the ARN's minimum length of 1 first.
    pub fn data_table_name(&mut self, value: Option<&str>, path: &str) {
        match value {
            Some("") => self.push(Some(""), path, "Member must have length greater than or equal to 1"),
            other => self.name(other, path, true),
        }
    }

    /// A string that must match the service model's `pattern` (`ok` decides).
    pub fn pattern(&mut self, value: Option<&str>, path: &str, pattern: &str, ok: impl Fn(&str) -> bool) {
        if let Some(v) = value.filter(|v| !ok(v)) {
            self.push(Some(v), path, &format!("Member must satisfy regular expression pattern: {pattern}"));
        }
    }

    pub fn one_of(&mut self, value: Option<&str>, path: &str, allowed: &[&str]) {
        if let Some(v) = value {
            if !allowed.contains(&v) {
                self.push(Some(v), path, &format!("Member must satisfy enum value set: [{}]", allowed.join(", ")));
            }
        }
    }

    pub fn range(&mut self, value: Option<i64>, path: &str, min: i64, max: Option<i64>) {
        if let Some(v) = value {
            let shown = v.to_string();
            if v < min {
                self.push(Some(&shown), path, &format!("Member must have value greater than or equal to {min}"));
            }
            if let Some(max) = max.filter(|m| v > *m) {
                self.push(Some(&shown), path, &format!("Member must have value less than or equal to {max}"));
            }
        }
    }

    pub fn length(&mut self, len: Option<usize>, shown: &str, path: &str, min: usize, max: Option<usize>) {
        if let Some(n) = len {
            if n < min {
                self.push(Some(shown), path, &format!("Member must have length greater than or equal to {min}"));
            }
            if let Some(max) = max.filter(|m| n > *m) {
                self.push(Some(shown), path, &format!("Member must have length less than or equal to {max}"));
            }
        }
    }

    /// The error for what was found, if anything.
    pub fn finish(self) -> Result<()> {
        let n = self.found.len();
        if n == 0 {
            return Ok(());
        }
        let shown: Vec<String> = self.found.into_iter().take(10).collect();
        let plural = if n == 1 { "" } else { "s" };
        Err(Error::validation(format!("{n} validation error{plural} detected: {}", shown.join("; "))))
    }
}

/// AWS's enum value sets, in the order its validator lists them (not the documentation's).
pub mod enums {
    pub const RETURN_CONSUMED_CAPACITY: &[&str] = &["INDEXES", "TOTAL", "NONE"];
    pub const RETURN_ITEM_COLLECTION_METRICS: &[&str] = &["SIZE", "NONE"];
    pub const RETURN_VALUES: &[&str] = &["ALL_NEW", "UPDATED_OLD", "ALL_OLD", "NONE", "UPDATED_NEW"];
    pub const RETURN_VALUES_ON_FAILURE: &[&str] = &["ALL_OLD", "NONE"];
    pub const SELECT: &[&str] = &["SPECIFIC_ATTRIBUTES", "COUNT", "ALL_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES"];
    pub const BILLING_MODE: &[&str] = &["PROVISIONED", "PAY_PER_REQUEST"];
    pub const KEY_TYPE: &[&str] = &["HASH", "RANGE"];
    pub const SCALAR_TYPE: &[&str] = &["B", "N", "S"];
    pub const PROJECTION_TYPE: &[&str] = &["ALL", "INCLUDE", "KEYS_ONLY"];
    pub const TABLE_CLASS: &[&str] = &["STANDARD", "STANDARD_INFREQUENT_ACCESS"];
    pub const CONDITIONAL_OPERATOR: &[&str] = &["OR", "AND"];
    pub const COMPARISON_OPERATOR: &[&str] = &[
        "IN",
        "NULL",
        "BETWEEN",
        "LT",
        "NOT_CONTAINS",
        "EQ",
        "GT",
        "NOT_NULL",
        "NE",
        "LE",
        "BEGINS_WITH",
        "GE",
        "CONTAINS",
    ];
    pub const SSE_TYPE: &[&str] = &["AES256", "KMS"];
    pub const BACKUP_TYPE_FILTER: &[&str] = &["USER", "SYSTEM", "AWS_BACKUP", "ALL"];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn violations_render_like_aws() {
        let mut v = Violations::new();
        v.name(Some("ab"), "tableName", true);
        assert_eq!(
            v.finish().unwrap_err().message,
            "1 validation error detected: Value 'ab' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3"
        );
        let mut v = Violations::new();
        v.name(None, "tableName", true);
        v.range(Some(0), "limit", 1, None);
        assert_eq!(
            v.finish().unwrap_err().message,
            "2 validation errors detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null; \
             Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1"
        );
    }
}
