//! Lambda's event filtering, as an event source mapping applies it to stream records: a
//! record goes to the function when it matches any of the mapping's patterns (at most
//! [`MAX_FILTERS`]).
//!
//! A pattern is a JSON object shaped like the record. A key whose value is an object
//! descends into the record's field of that name; a key whose value is an array holds
//! matchers, and the record's field (any element, when the field is an array) must match
//! one of them. Every key of a pattern must match (and); the matchers of one key are
//! alternatives (or). The matchers, as Lambda documents them:
//! - a string, number or boolean: equal (numbers compare as numbers); `null`: the field
//!   is null; `""`: the field is the empty string;
//! - `{"prefix": s}`, `{"suffix": s}`, `{"equals-ignore-case": s}`;
//! - `{"anything-but": [v, …]}` (or one value): present and equal to none of them;
//! - `{"numeric": [op, n]}` or `{"numeric": [op, n, op, n]}` with `=`, `<`, `<=`, `>`,
//!   `>=`: a JSON number in range (DynamoDB's `N` values are strings, so numeric
//!   matchers never match them, as in Lambda);
//! - `{"exists": true}`: the field is present and holds a JSON primitive;
//!   `{"exists": false}`: it is absent.
//!
//! Patterns are checked when a trigger is made, with our words (Lambda's are not in any
//! capture we found).

use serde_json::{Map, Value};

/// The most patterns one mapping may have (Lambda's quota).
pub const MAX_FILTERS: usize = 5;

/// One compiled pattern.
#[derive(Clone, Debug, PartialEq)]
pub struct Pattern(Vec<(String, Rule)>);

#[derive(Clone, Debug, PartialEq)]
enum Rule {
    Nested(Pattern),
    AnyOf(Vec<Matcher>),
}

#[derive(Clone, Debug, PartialEq)]
enum Matcher {
    Equals(Value),
    Prefix(String),
    Suffix(String),
    EqualsIgnoreCase(String),
    AnythingBut(Vec<Value>),
    Numeric(Vec<(Cmp, f64)>),
    Exists(bool),
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Cmp {
    Eq,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Pattern {
    /// Reads a pattern from its JSON text (a mapping's `FilterCriteria.Filters[].Pattern`).
    pub fn parse(text: &str) -> Result<Pattern, String> {
        let value: Value = serde_json::from_str(text).map_err(|e| format!("Invalid filter pattern: {e}"))?;
        match value {
            Value::Object(o) => Pattern::of(&o, 1),
            _ => Err("Invalid filter pattern: it must be a JSON object".into()),
        }
    }

    fn of(o: &Map<String, Value>, depth: usize) -> Result<Pattern, String> {
        if depth > 32 {
            return Err("Invalid filter pattern: nested too deeply".into());
        }
        if o.is_empty() {
            return Err("Invalid filter pattern: an object must name at least one field".into());
        }
        let rule = |(k, v): (&String, &Value)| -> Result<(String, Rule), String> {
            let rule = match v {
                Value::Object(inner) => Rule::Nested(Pattern::of(inner, depth + 1)?),
                Value::Array(list) if !list.is_empty() => {
                    Rule::AnyOf(list.iter().map(|m| matcher(k, m)).collect::<Result<_, _>>()?)
                }
                _ => {
                    return Err(format!(
                        "Invalid filter pattern: the value of \"{k}\" must be an object or a non-empty array"
                    ))
                }
            };
            Ok((k.clone(), rule))
        };
        Ok(Pattern(o.iter().map(rule).collect::<Result<_, _>>()?))
    }

    /// Whether `record` matches.
    pub fn matches(&self, record: &Value) -> bool {
        self.0.iter().all(|(key, rule)| {
            let field = record.get(key);
            match rule {
                // A missing field (or one that is not an object) has no fields below
                // it: only `{"exists": false}` rules can match there.
                Rule::Nested(p) => match field {
                    Some(f @ Value::Object(_)) => p.matches(f),
                    _ => p.matches(&Value::Object(Map::new())),
                },
                Rule::AnyOf(ms) => ms.iter().any(|m| m.matches(field)),
            }
        })
    }
}

/// One matcher of the array under `key`.
fn matcher(key: &str, m: &Value) -> Result<Matcher, String> {
    let bad = |why: &str| Err(format!("Invalid filter pattern: \"{key}\": {why}"));
    let Value::Object(o) = m else {
        return match m {
            Value::Array(_) => bad("a matcher cannot be an array"),
            v => Ok(Matcher::Equals(v.clone())),
        };
    };
    let [(op, arg)] = o.iter().collect::<Vec<_>>()[..] else {
        return bad("a matcher object has exactly one operator");
    };
    let text = |arg: &Value| arg.as_str().map(str::to_string);
    match (op.as_str(), arg) {
        ("prefix", a) => text(a).map(Matcher::Prefix).map_or_else(|| bad("prefix takes a string"), Ok),
        ("suffix", a) => text(a).map(Matcher::Suffix).map_or_else(|| bad("suffix takes a string"), Ok),
        ("equals-ignore-case", a) => {
            text(a).map(Matcher::EqualsIgnoreCase).map_or_else(|| bad("equals-ignore-case takes a string"), Ok)
        }
        ("anything-but", Value::Array(vs)) if !vs.is_empty() && vs.iter().all(is_primitive) => {
            Ok(Matcher::AnythingBut(vs.clone()))
        }
        ("anything-but", v) if is_primitive(v) => Ok(Matcher::AnythingBut(vec![v.clone()])),
        ("anything-but", _) => bad("anything-but takes a value or a non-empty array of values"),
        ("numeric", Value::Array(parts)) => numeric(parts)
            .map_or_else(|| bad("numeric takes [op, number] or [op, number, op, number]"), |n| Ok(Matcher::Numeric(n))),
        ("exists", Value::Bool(b)) => Ok(Matcher::Exists(*b)),
        ("exists", _) => bad("exists takes true or false"),
        (other, _) => bad(&format!("unknown operator \"{other}\"")),
    }
}

fn is_primitive(v: &Value) -> bool {
    !v.is_object() && !v.is_array()
}

fn numeric(parts: &[Value]) -> Option<Vec<(Cmp, f64)>> {
    if parts.len() != 2 && parts.len() != 4 {
        return None;
    }
    parts
        .chunks(2)
        .map(|pair| {
            let op = match pair.first()?.as_str()? {
                "=" => Cmp::Eq,
                "<" => Cmp::Lt,
                "<=" => Cmp::Le,
                ">" => Cmp::Gt,
                ">=" => Cmp::Ge,
                _ => return None,
            };
            Some((op, pair.get(1)?.as_f64()?))
        })
        .collect()
}

impl Matcher {
    /// Whether the field (absent: `None`) matches; an array field matches when any of its
    /// elements does.
    fn matches(&self, field: Option<&Value>) -> bool {
        match (self, field) {
            (Matcher::Exists(want), f) => *want == f.is_some_and(is_primitive),
            (_, None) => false,
            (_, Some(Value::Array(items))) => items.iter().any(|v| self.matches_value(v)),
            (_, Some(v)) => self.matches_value(v),
        }
    }

    fn matches_value(&self, v: &Value) -> bool {
        let s = v.as_str();
        match self {
            Matcher::Equals(want) => equal(want, v),
            Matcher::Prefix(p) => s.is_some_and(|s| s.starts_with(p.as_str())),
            Matcher::Suffix(p) => s.is_some_and(|s| s.ends_with(p.as_str())),
            Matcher::EqualsIgnoreCase(p) => s.is_some_and(|s| s.to_lowercase() == p.to_lowercase()),
            Matcher::AnythingBut(vs) => !vs.iter().any(|w| equal(w, v)),
            Matcher::Numeric(ranges) => v.as_f64().is_some_and(|n| {
                ranges.iter().all(|(op, x)| match op {
                    Cmp::Eq => n == *x,
                    Cmp::Lt => n < *x,
                    Cmp::Le => n <= *x,
                    Cmp::Gt => n > *x,
                    Cmp::Ge => n >= *x,
                })
            }),
            Matcher::Exists(_) => true,
        }
    }
}

/// Equal as Lambda compares: numbers by value, everything else exactly.
fn equal(a: &Value, b: &Value) -> bool {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

#[cfg(test)]
mod tests;
