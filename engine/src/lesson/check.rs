//! A lesson step's check: declarative conditions on the engine's state and on the
//! learner's last request and response, read from the lesson file (no code from a file
//! is ever run). Each says, when it does not hold yet, what is still missing.
//!
//! One key per check object: `all` / `any` (lists of checks), `table` (exists, with its
//! key attributes), `index`, `item` (exists, with these attributes), `noItem`,
//! `itemCount`, `stream` (enabled), `lastRequest` (operation, table, status, error,
//! response and request subsets, at least N items returned, at most X capacity units).

use serde_json::{Map, Value};

use crate::engine::Engine;
use crate::scenario::subset_mismatch;
use crate::value::item_from_json;

/// The learner's last request and its answer.
#[derive(Clone, Debug, PartialEq)]
pub struct Last {
    pub operation: String,
    pub request: Value,
    pub status: u16,
    pub response: Value,
}

#[derive(Clone, Debug, PartialEq)]
pub struct LastCheck {
    pub operations: Vec<String>,
    pub table: Option<String>,
    pub status: Option<u16>,
    pub error: Option<String>,
    pub response: Option<Value>,
    pub request: Option<Value>,
    pub count_at_least: Option<u64>,
    pub consumed_at_most: Option<f64>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Check {
    All(Vec<Check>),
    Any(Vec<Check>),
    Table { table: String, hash: Option<String>, range: Option<String> },
    Index { table: String, index: String },
    Item { table: String, key: Value, attributes: Option<Value> },
    NoItem { table: String, key: Value },
    ItemCount { table: String, at_least: Option<u64>, at_most: Option<u64> },
    Stream { table: String },
    LastRequest(Box<LastCheck>),
}

/// Why a check could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckError(pub String);

const MAX_DEPTH: usize = 8;

impl Check {
    pub fn from_json(v: &Value) -> Result<Check, CheckError> {
        read(v, 0)
    }

    /// `Ok` when it holds; else what is still missing.
    pub fn evaluate(&self, engine: &Engine, last: Option<&Last>) -> Result<(), String> {
        match self {
            Check::All(list) => list.iter().try_for_each(|c| c.evaluate(engine, last)),
            Check::Any(list) => {
                let misses: Vec<String> = list.iter().filter_map(|c| c.evaluate(engine, last).err()).collect();
                if misses.len() < list.len() {
                    Ok(())
                } else {
                    Err(format!("one of: {}", misses.join("; or ")))
                }
            }
            Check::LastRequest(want) => last_request(want, last),
            state => state_check(state, engine),
        }
    }
}

fn read(v: &Value, depth: usize) -> Result<Check, CheckError> {
    let bad = |what: &str| CheckError(what.to_string());
    let Some((kind, body)) = v.as_object().filter(|o| o.len() == 1).and_then(|o| o.iter().next()) else {
        return Err(bad(
            "a check is an object with one key: all, any, table, index, item, noItem, itemCount, stream or lastRequest",
        ));
    };
    if depth > MAX_DEPTH {
        return Err(bad("checks nest at most 8 deep"));
    }
    let o = body.as_object();
    let s = |k: &str| o.and_then(|o| o.get(k)).and_then(Value::as_str).map(str::to_string);
    let n = |k: &str| o.and_then(|o| o.get(k)).and_then(Value::as_u64);
    let table = || s("table").ok_or_else(|| bad(&format!("{kind} needs a \"table\"")));
    let key = || {
        o.and_then(|o| o.get("key"))
            .filter(|k| item_from_json(k).is_ok())
            .cloned()
            .ok_or_else(|| bad(&format!("{kind} needs a \"key\" in DynamoDB JSON")))
    };
    Ok(match kind.as_str() {
        "all" | "any" => {
            let list =
                body.as_array().filter(|l| !l.is_empty()).ok_or_else(|| bad(&format!("{kind} is a list of checks")))?;
            let checks = list.iter().map(|c| read(c, depth + 1)).collect::<Result<Vec<_>, _>>()?;
            if kind == "all" {
                Check::All(checks)
            } else {
                Check::Any(checks)
            }
        }
        "table" => Check::Table { table: table()?, hash: s("hashKey"), range: s("rangeKey") },
        "index" => Check::Index { table: table()?, index: s("index").ok_or_else(|| bad("index needs an \"index\""))? },
        "item" => {
            Check::Item { table: table()?, key: key()?, attributes: o.and_then(|o| o.get("attributes")).cloned() }
        }
        "noItem" => Check::NoItem { table: table()?, key: key()? },
        "itemCount" => Check::ItemCount { table: table()?, at_least: n("atLeast"), at_most: n("atMost") },
        "stream" => Check::Stream { table: table()? },
        "lastRequest" => Check::LastRequest(Box::new(last_check(o.ok_or_else(|| bad("lastRequest is an object"))?)?)),
        other => return Err(bad(&format!("unknown check {other}"))),
    })
}

fn last_check(o: &Map<String, Value>) -> Result<LastCheck, CheckError> {
    let operations = match o.get("operation") {
        None => Vec::new(),
        Some(Value::String(op)) => vec![op.clone()],
        Some(Value::Array(ops)) => ops.iter().filter_map(Value::as_str).map(str::to_string).collect(),
        Some(_) => return Err(CheckError("lastRequest.operation is an operation name or a list of them".into())),
    };
    if let Some(op) = operations.iter().find(|op| !crate::OPERATIONS.contains(&op.as_str())) {
        return Err(CheckError(format!("lastRequest.operation: {op} is not an operation")));
    }
    let s = |k: &str| o.get(k).and_then(Value::as_str).map(str::to_string);
    Ok(LastCheck {
        operations,
        table: s("table"),
        status: o.get("status").and_then(Value::as_u64).and_then(|n| u16::try_from(n).ok()),
        error: s("error"),
        response: o.get("response").cloned(),
        request: o.get("request").cloned(),
        count_at_least: o.get("countAtLeast").and_then(Value::as_u64),
        consumed_at_most: o.get("consumedAtMost").and_then(Value::as_f64),
    })
}

fn state_check(check: &Check, engine: &Engine) -> Result<(), String> {
    let table = |name: &str| engine.table(name).ok_or_else(|| format!("a table named {name}"));
    match check {
        Check::Table { table: name, hash, range } => {
            let t = table(name)?;
            let schema = &t.def.schema;
            if let Some(h) = hash.as_ref().filter(|h| **h != schema.hash.name) {
                return Err(format!("{name}'s partition key should be {h} (it is {})", schema.hash.name));
            }
            match (range, &schema.range) {
                (Some(r), Some(k)) if *r != k.name => {
                    Err(format!("{name}'s sort key should be {r} (it is {})", k.name))
                }
                (Some(r), None) => Err(format!("{name} should have the sort key {r}")),
                _ => Ok(()),
            }
        }
        Check::Index { table: name, index } => {
            table(name)?.def.index(index).map(|_| ()).ok_or_else(|| format!("an index {index} on {name}"))
        }
        Check::Item { table: name, key, attributes } => item_check(engine, name, key, attributes.as_ref()),
        Check::NoItem { table: name, key } => match item_check(engine, name, key, None) {
            Ok(()) => Err(format!("the item {key} in {name} should be gone")),
            Err(_) => Ok(()),
        },
        Check::ItemCount { table: name, at_least, at_most } => {
            let n = table(name)?.item_count() as u64;
            match (at_least, at_most) {
                (Some(lo), _) if n < *lo => Err(format!("at least {lo} items in {name} (it has {n})")),
                (_, Some(hi)) if n > *hi => Err(format!("at most {hi} items in {name} (it has {n})")),
                _ => Ok(()),
            }
        }
        Check::Stream { table: name } => {
            table(name)?;
            engine.streams().current(name).map(|_| ()).ok_or_else(|| format!("a stream on {name}"))
        }
        _ => Ok(()),
    }
}

fn item_check(engine: &Engine, name: &str, key: &Value, attributes: Option<&Value>) -> Result<(), String> {
    let missing = || format!("an item in {name} with the key {key}");
    let t = engine.table(name).ok_or_else(missing)?;
    let k = item_from_json(key).map_err(|_| missing())?;
    let store_key = crate::ops::common::key_from_request(&t.def, &k).map_err(|_| missing())?;
    let item = t.get(&store_key).ok_or_else(missing)?;
    let Some(want) = attributes else { return Ok(()) };
    let got = crate::value::item_to_json(item);
    match subset_mismatch(want, &got, "item") {
        None => Ok(()),
        Some(path) => Err(format!("the item {key} in {name} to have {want} (it differs at {path})")),
    }
}

fn last_request(want: &LastCheck, last: Option<&Last>) -> Result<(), String> {
    let Some(last) = last else { return Err("a request from you".to_string()) };
    let what = if want.operations.is_empty() { "a request".to_string() } else { want.operations.join(" or ") };
    if !want.operations.is_empty() && !want.operations.contains(&last.operation) {
        return Err(format!("{what} (your last request was {})", last.operation));
    }
    if let Some(t) = &want.table {
        if last.request.get("TableName").and_then(Value::as_str) != Some(t.as_str()) {
            return Err(format!("{what} on the table {t}"));
        }
    }
    if let Some(path) = want.request.as_ref().and_then(|r| subset_mismatch(r, &last.request, "request")) {
        return Err(format!("{what} with {} (yours differs at {path})", want.request.clone().unwrap_or_default()));
    }
    answer_check(want, &what, last)
}

fn answer_check(want: &LastCheck, what: &str, last: &Last) -> Result<(), String> {
    if let Some(s) = want.status.filter(|s| *s != last.status) {
        return Err(format!("{what} answered with HTTP {s} (yours got {})", last.status));
    }
    if let Some(e) = &want.error {
        let got = crate::wire::error_of(&last.response).map(|(k, _)| k.to_string());
        if got.as_deref() != Some(e.as_str()) {
            return Err(format!("{what} refused with {e} (yours got {})", got.unwrap_or_else(|| "no error".into())));
        }
    }
    if let Some(path) = want.response.as_ref().and_then(|r| subset_mismatch(r, &last.response, "response")) {
        return Err(format!(
            "{what} whose answer has {} (yours differs at {path})",
            want.response.clone().unwrap_or_default()
        ));
    }
    if let Some(n) = want.count_at_least {
        let got = last.response.get("Count").and_then(Value::as_u64).unwrap_or(0);
        if got < n {
            return Err(format!("{what} returning at least {n} items (yours returned {got})"));
        }
    }
    if let Some(max) = want.consumed_at_most {
        let got = consumed(&last.response)
            .ok_or_else(|| format!("{what} with ReturnConsumedCapacity set, so its cost shows"))?;
        if got > max {
            return Err(format!("{what} costing at most {max} capacity units (yours cost {got})"));
        }
    }
    Ok(())
}

/// The capacity units an answer reports (TOTAL or INDEXES), summed over tables.
fn consumed(response: &Value) -> Option<f64> {
    match response.get("ConsumedCapacity")? {
        Value::Array(list) => Some(list.iter().filter_map(|c| c.get("CapacityUnits").and_then(Value::as_f64)).sum()),
        c => c.get("CapacityUnits").and_then(Value::as_f64),
    }
}
