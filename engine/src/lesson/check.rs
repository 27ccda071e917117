//! A lesson step's check: declarative conditions on the engine's state and on the
//! learner's last request and response, read from the lesson file (no code from a file
//! is ever run). Each says, when it does not hold yet, what is still missing.
//!
//! One key per check object: `all` / `any` (lists of checks), `table` (exists, with its
//! key attributes), `index`, `item` (exists, with these attributes), `noItem`,
//! `itemCount`, `stream` (enabled), `partitions` (at least N), `lastRequest` (operation,
//! table, status, error, response and request subsets, at least N items returned, at most
//! X capacity units).
//!
//! Checks read the state through [`Observe`]: Dynaplay's engine here, or a DynamoDB
//! endpoint asked over HTTP (`dynaplay lesson check --endpoint`), where a check only
//! Dynaplay can answer (`partitions`) is [`Verdict::Skipped`], never passed.

use serde_json::{Map, Value};

use super::judge;
pub use super::judge::{EngineState, Observe, TableFacts, Verdict};
use crate::engine::Engine;
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
    Table {
        table: String,
        hash: Option<String>,
        range: Option<String>,
    },
    Index {
        table: String,
        index: String,
    },
    Item {
        table: String,
        key: Value,
        attributes: Option<Value>,
    },
    NoItem {
        table: String,
        key: Value,
    },
    ItemCount {
        table: String,
        at_least: Option<u64>,
        at_most: Option<u64>,
    },
    Stream {
        table: String,
    },
    /// The table has at least this many partitions (Dynaplay only).
    Partitions {
        table: String,
        at_least: u64,
    },
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

    /// `Ok` when it holds in `engine`; else what is still missing.
    pub fn evaluate(&self, engine: &Engine, last: Option<&Last>) -> Result<(), String> {
        match self.judge(&mut EngineState(engine), last) {
            Verdict::Holds => Ok(()),
            Verdict::Missing(why) | Verdict::Skipped(why) => Err(why),
        }
    }

    /// Whether it holds in the state `observe` reads.
    pub fn judge(&self, observe: &mut dyn Observe, last: Option<&Last>) -> Verdict {
        judge::judge(self, observe, last)
    }
}

fn read(v: &Value, depth: usize) -> Result<Check, CheckError> {
    let bad = |what: &str| CheckError(what.to_string());
    let Some((kind, body)) = v.as_object().filter(|o| o.len() == 1).and_then(|o| o.iter().next()) else {
        return Err(bad(
            "a check is an object with one key: all, any, table, index, item, noItem, itemCount, stream, partitions or lastRequest",
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
        "partitions" => Check::Partitions {
            table: table()?,
            at_least: n("atLeast")
                .filter(|n| *n >= 1)
                .ok_or_else(|| bad("partitions needs \"atLeast\": a number of 1 or more"))?,
        },
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
