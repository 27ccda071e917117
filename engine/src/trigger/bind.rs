//! A handler's SQL bound to one stream record. A handler is SQL text with named bindings
//! such as `:new.amount`; binding turns each into a real parameter (`$1`, `$2`, … with
//! its value alongside), never into text spliced into the SQL, so a value can never change
//! what a statement does. Numbers are the one exception: a DynamoDB number is written
//! into the SQL as a numeric literal (after checking it is one), because the SQL engine
//! converts a literal to its column's type and a typed parameter it would refuse.
//!
//! The bindings:
//! - `:new.<path>`, `:old.<path>`: an attribute of the record's new or old image, with
//!   `.` to reach into maps (`:new.address.city`); `:keys.<name>`: a key attribute;
//! - `:eventName` (`INSERT`, `MODIFY`, `REMOVE`), `:eventID`, `:sequenceNumber`,
//!   `:approximateCreationDateTime` (seconds since the epoch), `:sizeBytes`.
//!
//! Values: S as text, N as a number, BOOL as a boolean, B as bytes, NULL and a missing
//! attribute as SQL NULL; sets, lists and maps as their DynamoDB JSON, as text.
//!
//! Handlers must give the same result on every replay, so the SQL functions that read the
//! clock or a random source are refused ([`nondeterministic`]).

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A parameter's value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Param {
    Null,
    Bool(bool),
    Text(String),
    Bytes(Vec<u8>),
}

/// SQL with `$n` parameters and their values, in order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Bound {
    pub sql: String,
    pub params: Vec<Param>,
}

/// What a binding names once its value is known.
enum Binding {
    Param(Param),
    /// A number, written into the SQL as a literal.
    Literal(String),
}

/// The SQL functions a handler may not call: their results change from one run to the next.
const NONDETERMINISTIC: [&str; 7] =
    ["NOW", "RAND", "RANDOM", "GENERATE_UUID", "CURRENT_DATE", "CURRENT_TIME", "CURRENT_TIMESTAMP"];

/// Binds `sql` to `record` (a stream record as a Lambda function receives it).
pub fn bind(sql: &str, record: &Value) -> Result<Bound, String> {
    let mut out = Bound { sql: String::with_capacity(sql.len()), params: Vec::new() };
    let mut rest = sql;
    while let Some((before, name, after)) = next_binding(rest) {
        out.sql.push_str(before);
        match value_of(name, record)? {
            Binding::Param(p) => {
                out.params.push(p);
                out.sql.push_str(&format!("${}", out.params.len()));
            }
            Binding::Literal(n) if n.starts_with('-') => out.sql.push_str(&format!("({n})")),
            Binding::Literal(n) => out.sql.push_str(&n),
        }
        rest = after;
    }
    out.sql.push_str(rest);
    Ok(out)
}

/// The first SQL function in `sql` that reads the clock or a random source, if any.
pub fn nondeterministic(sql: &str) -> Option<&'static str> {
    words(sql).find_map(|w| NONDETERMINISTIC.iter().copied().find(|f| f.eq_ignore_ascii_case(w)))
}

/// The binding names in `sql`, in order (for checking a handler when it is made).
pub fn names(sql: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = sql;
    while let Some((_, name, after)) = next_binding(rest) {
        names.push(name);
        rest = after;
    }
    names
}

/// `sql` with each binding replaced by `mark(n)` (n from 1) and the names in order: the
/// handler as code for a database driver (`%s` for Python's DB-API, `$n` for node-postgres).
pub fn placeholders(sql: &str, mark: impl Fn(usize) -> String) -> (String, Vec<String>) {
    let (mut out, mut names) = (String::with_capacity(sql.len()), Vec::new());
    let mut rest = sql;
    while let Some((before, name, after)) = next_binding(rest) {
        out.push_str(before);
        names.push(name.to_string());
        out.push_str(&mark(names.len()));
        rest = after;
    }
    out.push_str(rest);
    (out, names)
}

/// The statements of `sql`, split at semicolons outside quotes and comments, trimmed;
/// empty ones and ones of comments alone are left out.
pub fn statements(sql: &str) -> Vec<&str> {
    let bytes = sql.as_bytes();
    let (mut out, mut start, mut i) = (Vec::new(), 0, 0);
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\'' | b'"' => i = skip_quoted(bytes, i),
            b'-' if bytes.get(i + 1) == Some(&b'-') => i = skip_line(bytes, i),
            b';' => {
                out.extend(sql.get(start..i));
                i += 1;
                start = i;
            }
            _ => i += 1,
        }
    }
    out.extend(sql.get(start..));
    let comment = |s: &str| s.lines().all(|l| l.trim().is_empty() || l.trim_start().starts_with("--"));
    out.into_iter().map(str::trim).filter(|s| !comment(s)).collect()
}

/// Checks a binding's name without a record.
pub fn check_name(name: &str) -> Result<(), String> {
    value_of(name, &Value::Null).map(|_| ())
}

/// Splits `sql` at its first binding outside quotes and comments: (text before, the
/// binding's name without its colon, text after).
fn next_binding(sql: &str) -> Option<(&str, &str, &str)> {
    let bytes = sql.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\'' | b'"' => i = skip_quoted(bytes, i),
            b'-' if bytes.get(i + 1) == Some(&b'-') => i = skip_line(bytes, i),
            // `::` is a cast, not a binding.
            b':' if bytes.get(i + 1) == Some(&b':') => i += 2,
            b':' if bytes.get(i + 1).is_some_and(u8::is_ascii_alphabetic) => {
                let end = (i + 1..bytes.len())
                    .find(|&j| bytes.get(j).is_some_and(|c| !(c.is_ascii_alphanumeric() || *c == b'_' || *c == b'.')))
                    .unwrap_or(bytes.len());
                // A name never ends with a dot: `:new.a.` is `:new.a` then `.`.
                let end = if bytes.get(end - 1) == Some(&b'.') { end - 1 } else { end };
                return Some((sql.get(..i)?, sql.get(i + 1..end)?, sql.get(end..)?));
            }
            _ => i += 1,
        }
    }
    None
}

/// The words of `sql` outside quotes and comments.
fn words(sql: &str) -> impl Iterator<Item = &str> {
    let bytes = sql.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while let Some(&b) = bytes.get(i) {
            match b {
                b'\'' | b'"' => i = skip_quoted(bytes, i),
                b'-' if bytes.get(i + 1) == Some(&b'-') => i = skip_line(bytes, i),
                b if b.is_ascii_alphabetic() || b == b'_' => {
                    let start = i;
                    while bytes.get(i).is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_') {
                        i += 1;
                    }
                    return sql.get(start..i);
                }
                _ => i += 1,
            }
        }
        None
    })
}

/// The index after the quoted text that starts at `i` (a doubled quote stays inside).
fn skip_quoted(bytes: &[u8], i: usize) -> usize {
    let Some(&q) = bytes.get(i) else { return i + 1 };
    let mut j = i + 1;
    while let Some(&c) = bytes.get(j) {
        j += 1;
        if c == q {
            if bytes.get(j) == Some(&q) {
                j += 1;
            } else {
                return j;
            }
        }
    }
    j
}

fn skip_line(bytes: &[u8], i: usize) -> usize {
    (i..bytes.len()).find(|&j| bytes.get(j) == Some(&b'\n')).unwrap_or(bytes.len())
}

/// The value `name` binds to in `record`.
fn value_of(name: &str, record: &Value) -> Result<Binding, String> {
    let db = &record["dynamodb"];
    let text = |v: &Value| Binding::Param(v.as_str().map_or(Param::Null, |s| Param::Text(s.to_string())));
    match name.split_once('.') {
        None => match name {
            "eventName" | "eventID" => Ok(text(&record[name])),
            "sequenceNumber" => Ok(text(&db["SequenceNumber"])),
            "approximateCreationDateTime" => Ok(number_literal(&db["ApproximateCreationDateTime"])),
            "sizeBytes" => Ok(number_literal(&db["SizeBytes"])),
            _ => Err(unknown(name)),
        },
        Some((root, path)) => {
            let image = match root {
                "new" => &db["NewImage"],
                "old" => &db["OldImage"],
                "keys" => &db["Keys"],
                _ => return Err(unknown(name)),
            };
            if path.split('.').any(str::is_empty) {
                return Err(unknown(name));
            }
            let mut steps = path.split('.');
            let first = steps.next().and_then(|s| image.get(s));
            attribute(steps.fold(first, |v, step| v.and_then(|v| v.get("M")).and_then(|m| m.get(step))))
        }
    }
}

fn unknown(name: &str) -> String {
    format!(
        "Unknown binding :{name}. Use :new.<attribute>, :old.<attribute>, :keys.<attribute>, \
         :eventName, :eventID, :sequenceNumber, :approximateCreationDateTime or :sizeBytes."
    )
}

/// A JSON number (from the record's metadata) as a literal.
fn number_literal(v: &Value) -> Binding {
    v.as_u64().map_or(Binding::Param(Param::Null), |n| Binding::Literal(n.to_string()))
}

/// A DynamoDB attribute value (wire JSON) as a binding.
fn attribute(v: Option<&Value>) -> Result<Binding, String> {
    let Some(Value::Object(m)) = v else { return Ok(Binding::Param(Param::Null)) };
    let Some((ty, inner)) = m.iter().next() else { return Ok(Binding::Param(Param::Null)) };
    Ok(match (ty.as_str(), inner) {
        ("S", Value::String(s)) => Binding::Param(Param::Text(s.clone())),
        ("N", Value::String(n)) => {
            let n = crate::value::Number::parse(n).map_err(|_| format!("{n} is not a number"))?;
            Binding::Literal(n.to_string())
        }
        ("BOOL", Value::Bool(b)) => Binding::Param(Param::Bool(*b)),
        ("NULL", _) => Binding::Param(Param::Null),
        ("B", Value::String(b)) => {
            use base64::Engine as _;
            let bytes = base64::engine::general_purpose::STANDARD.decode(b).map_err(|e| e.to_string())?;
            Binding::Param(Param::Bytes(bytes))
        }
        _ => Binding::Param(Param::Text(Value::Object(m.clone()).to_string())),
    })
}

#[cfg(test)]
mod tests;
