//! Running a planned statement and answering as ExecuteStatement does: `Items` (a GetItem's
//! item, a Query's or Scan's page, a write's returned attributes), `NextToken` and
//! `LastEvaluatedKey` while a read has more, `ConsumedCapacity` when asked for.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use serde_json::{json, Map, Value};

use super::ast::{Path, Statement, Step};
use super::plan::{plan, Options, Plan, PARTITION};
use crate::engine::Engine;
use crate::error::{Error, ErrorKind, Result};
use crate::request::Input;
use crate::trace::Trace;

/// DynamoDB's message for an INSERT of a key that exists.
pub const DUPLICATE: &str = "Duplicate primary key exists in table";
/// What a NextToken that is not one of ours gets.
pub const BAD_TOKEN: &str = "Invalid NextToken";

/// Plans and runs one statement.
pub fn execute(engine: &mut Engine, statement: &Statement, o: &Options, trace: &mut Trace) -> Result<Value> {
    let p = plan(engine, statement, o)?;
    let (reads, writes) = (trace.reads.len(), trace.writes.len());
    let out = if p.partitions.is_empty() {
        run_plan(engine, &p, trace).map_err(|e| for_statement(statement, e))
    } else {
        run_partitions(engine, &p, o, trace)
    };
    trace.plan.push(super::explain::explain(&p, trace, reads, writes));
    let mut answer = answer(&p, out?);
    if let (Statement::Select(s), Some(Value::Array(items))) = (statement, answer.get_mut("Items")) {
        for item in items.iter_mut() {
            reshape(item, s.projection.as_deref());
        }
    }
    Ok(answer)
}

/// A selected item as PartiQL gives it: each selected path's value under the path's
/// last name (`SELECT a.b` gives `{"b": …}`, not ProjectionExpression's `{"a": {"b": …}}`).
pub fn reshape(item: &mut Value, projection: Option<&[Path]>) {
    let Some(paths) = projection else { return };
    let mut out = Map::new();
    for path in paths {
        let name = path.0.iter().rev().find_map(|s| match s {
            Step::Name(n) => Some(n.clone()),
            Step::Index(_) => None,
        });
        if let (Some(name), Some(v)) = (name, follow(item, path)) {
            out.insert(name, v.clone());
        }
    }
    *item = Value::Object(out);
}

/// The value at `path` in an item (DynamoDB JSON).
fn follow<'v>(item: &'v Value, path: &Path) -> Option<&'v Value> {
    let mut steps = path.0.iter();
    let mut at = match steps.next()? {
        Step::Name(n) => item.get(n)?,
        Step::Index(_) => return None,
    };
    for step in steps {
        at = match step {
            Step::Name(n) => at.get("M")?.get(n)?,
            Step::Index(i) => at.get("L")?.get(usize::try_from(*i).ok()?)?,
        };
    }
    Some(at)
}

/// Runs a plan's request through its operation.
pub fn run_plan(engine: &mut Engine, p: &Plan, trace: &mut Trace) -> Result<Value> {
    let input = Input::new(&p.request)?;
    crate::ops::run(engine, p.operation, input, trace)
        .map(|answer| answer.map(crate::ops::Answer::into_value))
        .unwrap_or_else(|| Err(Error::new(ErrorKind::InternalServerError, "a plan named an unknown operation")))
}

/// An operation's error as the statement's: an INSERT whose condition failed found its key.
pub fn for_statement(statement: &Statement, e: Error) -> Error {
    match (statement, e.kind) {
        (Statement::Insert { .. }, ErrorKind::ConditionalCheckFailed) => {
            Error::new(ErrorKind::DuplicateItem, DUPLICATE)
        }
        _ => e,
    }
}

fn answer(p: &Plan, out: Value) -> Value {
    let mut r = Map::new();
    let items: Vec<Value> = match p.operation {
        "Query" | "Scan" => out.get("Items").and_then(Value::as_array).cloned().unwrap_or_default(),
        "GetItem" => out.get("Item").cloned().into_iter().collect(),
        _ => out.get("Attributes").cloned().into_iter().collect(),
    };
    r.insert("Items".into(), Value::Array(items));
    let last = out.get("LastEvaluatedKey");
    let partition = out.get("partition").and_then(Value::as_u64).and_then(|n| usize::try_from(n).ok());
    if last.is_some() || partition.is_some() {
        r.insert("NextToken".into(), json!(next_token(last, partition.unwrap_or(0))));
    }
    if let Some(last) = last {
        r.insert("LastEvaluatedKey".into(), last.clone());
    }
    if let Some(c) = out.get("ConsumedCapacity") {
        r.insert("ConsumedCapacity".into(), c.clone());
    }
    Value::Object(r)
}

/// Where a read goes on from: the last key read (none: the start of the partition), and
/// for a Query of several partitions, which one.
#[derive(Clone, Debug, PartialEq)]
pub struct Token {
    pub key: Option<Value>,
    pub partition: usize,
}

/// A token as the opaque text NextToken carries.
pub fn next_token(key: Option<&Value>, partition: usize) -> String {
    STANDARD.encode(json!({ "LastEvaluatedKey": key, "partition": partition }).to_string())
}

/// The token a NextToken carries.
pub fn read_token(token: &str) -> Result<Token> {
    let bytes = STANDARD.decode(token).map_err(|_| Error::validation(BAD_TOKEN))?;
    let v: Value = serde_json::from_slice(&bytes).map_err(|_| Error::validation(BAD_TOKEN))?;
    let key = match v.get("LastEvaluatedKey") {
        Some(k) if k.is_object() => Some(k.clone()),
        Some(Value::Null) => None,
        _ => return Err(Error::validation(BAD_TOKEN)),
    };
    let partition = v.get("partition").and_then(Value::as_u64).and_then(|n| usize::try_from(n).ok()).unwrap_or(0);
    Ok(Token { key, partition })
}

/// A Query of several partitions: each partition in turn, from the token's, until
/// `Limit` items have been read. The answer is a Query's, with `partition` (where the
/// next page starts) when there is more.
fn run_partitions(engine: &mut Engine, p: &Plan, o: &Options, trace: &mut Trace) -> Result<Value> {
    let (mut items, mut units, mut capacity) = (Vec::new(), 0.0, None::<Value>);
    let mut left = o.limit;
    let mut out = Map::new();
    for (i, value) in p.partitions.iter().enumerate().skip(o.start_partition) {
        if left == Some(0) {
            out.insert("partition".into(), json!(i));
            break;
        }
        let mut request = p.request.clone();
        if let Value::Object(r) = &mut request {
            let values = r.entry("ExpressionAttributeValues").or_insert_with(|| json!({}));
            if let Value::Object(v) = values {
                v.insert(PARTITION.into(), value.clone());
            }
            if let (true, Some(k)) = (i == o.start_partition, &o.start_key) {
                r.insert("ExclusiveStartKey".into(), k.clone());
            }
            if let Some(l) = left {
                r.insert("Limit".into(), json!(l));
            }
        }
        let page = run_plan(engine, &Plan { operation: "Query", request, partitions: Vec::new() }, trace)?;
        items.extend(page.get("Items").and_then(Value::as_array).cloned().unwrap_or_default());
        let c = page.get("ConsumedCapacity");
        units += c.and_then(|c| c.get("CapacityUnits")).and_then(Value::as_f64).unwrap_or(0.0);
        capacity = capacity.or_else(|| c.cloned());
        let scanned = page.get("ScannedCount").and_then(Value::as_i64).unwrap_or(0);
        left = left.map(|l| l.saturating_sub(scanned).max(0));
        if let Some(last) = page.get("LastEvaluatedKey") {
            out.insert("LastEvaluatedKey".into(), last.clone());
            out.insert("partition".into(), json!(i));
            break;
        }
    }
    out.insert("Items".into(), Value::Array(items));
    if let Some(Value::Object(mut c)) = capacity {
        c.insert("CapacityUnits".into(), json!(units));
        out.insert("ConsumedCapacity".into(), Value::Object(c));
    }
    Ok(Value::Object(out))
}
