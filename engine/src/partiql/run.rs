//! Running a planned statement and answering as ExecuteStatement does: `Items` (a GetItem's
//! item, a Query's or Scan's page, a write's returned attributes), `NextToken` and
//! `LastEvaluatedKey` while a read has more, `ConsumedCapacity` when asked for.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use serde_json::{json, Map, Value};

use super::ast::{Path, Statement, Step};
use super::plan::{plan, Options, Plan};
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
    let out = run_plan(engine, &p, trace).map_err(|e| for_statement(statement, e));
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
    if let Some(last) = out.get("LastEvaluatedKey") {
        r.insert("NextToken".into(), json!(next_token(last)));
        r.insert("LastEvaluatedKey".into(), last.clone());
    }
    if let Some(c) = out.get("ConsumedCapacity") {
        r.insert("ConsumedCapacity".into(), c.clone());
    }
    Value::Object(r)
}

/// A page's last key as an opaque token.
pub fn next_token(last: &Value) -> String {
    STANDARD.encode(json!({ "LastEvaluatedKey": last }).to_string())
}

/// The last key a token carries.
pub fn read_token(token: &str) -> Result<Value> {
    let bytes = STANDARD.decode(token).map_err(|_| Error::validation(BAD_TOKEN))?;
    let v: Value = serde_json::from_slice(&bytes).map_err(|_| Error::validation(BAD_TOKEN))?;
    v.get("LastEvaluatedKey").filter(|k| k.is_object()).cloned().ok_or_else(|| Error::validation(BAD_TOKEN))
}
