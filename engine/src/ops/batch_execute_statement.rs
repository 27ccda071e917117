//! BatchExecuteStatement: up to 25 PartiQL statements, all reads or all writes, each run
//! on its own. A read must name an item's whole primary key (it runs as GetItem). A
//! statement that fails gets an `Error` entry (its code without `Exception`, as AWS
//! writes it); the others go on, and the call answers 200.

use serde_json::{json, Map, Value};

use super::execute_statement::{parse, read_statement};
use crate::engine::Engine;
use crate::error::{Error, ErrorKind, Result};
use crate::partiql::ast::Statement;
use crate::partiql::plan::{plan, Options};
use crate::partiql::run;
use crate::request::{enums, Input, Violations};
use crate::trace::Trace;

pub fn run(engine: &mut Engine, input: Input, trace: &mut Trace) -> Result<Value> {
    let mut v = Violations::new();
    let statements = input.array("Statements")?;
    v.not_null(statements, "statements");
    if let Some(s) = statements {
        v.length(Some(s.len()), &super::common::echo_list(s), "statements", 1, Some(25));
    }
    let capacity = input.str("ReturnConsumedCapacity")?;
    v.one_of(capacity, "returnConsumedCapacity", enums::RETURN_CONSUMED_CAPACITY);
    let mut requests = Vec::new();
    for (i, s) in statements.into_iter().flatten().enumerate() {
        let member = Input::new(s)?;
        let (text, params) = read_statement(&member, &mut v, &format!("statements.{}.member.", i + 1))?;
        let consistent = member.bool("ConsistentRead")?.unwrap_or(false);
        requests.push((text, params, consistent, member.str("ReturnValuesOnConditionCheckFailure")?));
    }
    v.finish()?;
    let parsed: Vec<Result<Statement>> = requests.iter().map(|(text, params, _, _)| parse(text, params)).collect();
    let reads = parsed.iter().filter(|p| matches!(p, Ok(Statement::Select(_)))).count();
    let writes = parsed.iter().filter(|p| matches!(p, Ok(s) if !matches!(s, Statement::Select(_)))).count();
    if reads > 0 && writes > 0 {
        return Err(Error::validation("Statements in a BatchExecuteStatement are all reads or all writes."));
    }
    let mut responses = Vec::new();
    let mut consumed = Vec::new();
    for (statement, (_, params, consistent, on_failure)) in parsed.into_iter().zip(requests) {
        let o = Options {
            params,
            consistent,
            capacity: capacity.map(str::to_string),
            on_failure: on_failure.map(str::to_string),
            ..Options::default()
        };
        let (response, c) = one(engine, statement, &o, trace);
        responses.push(response);
        consumed.extend(c);
    }
    let mut out = Map::new();
    out.insert("Responses".into(), Value::Array(responses));
    if capacity.is_some_and(|c| c != "NONE") {
        out.insert("ConsumedCapacity".into(), Value::Array(consumed));
    }
    Ok(Value::Object(out))
}

/// One statement's entry, and what it consumed.
fn one(engine: &mut Engine, statement: Result<Statement>, o: &Options, trace: &mut Trace) -> (Value, Option<Value>) {
    let table = statement.as_ref().ok().map(table_of);
    let selected = statement.as_ref().ok().filter(|s| matches!(s, Statement::Select(_))).cloned();
    let result = statement.and_then(|s| {
        let p = plan(engine, &s, o)?;
        if matches!(s, Statement::Select(_)) && p.operation != "GetItem" {
            return Err(Error::validation(
                "A read in a BatchExecuteStatement must name an item's whole primary key with equalities.",
            ));
        }
        let (reads, writes) = (trace.reads.len(), trace.writes.len());
        let out = run::run_plan(engine, &p, trace).map_err(|e| run::for_statement(&s, e));
        trace.plan.push(crate::partiql::explain::explain(&p, trace, reads, writes));
        out
    });
    let mut entry = Map::new();
    if let Some(t) = table {
        entry.insert("TableName".into(), json!(t));
    }
    let consumed = match result {
        Ok(out) => {
            if let Some(item) = out.get("Item") {
                let mut item = item.clone();
                if let Some(Statement::Select(s)) = &selected {
                    run::reshape(&mut item, s.projection.as_deref());
                }
                entry.insert("Item".into(), item);
            }
            out.get("ConsumedCapacity").cloned()
        }
        Err(e) => {
            let mut error = Map::new();
            error.insert("Code".into(), json!(code(e.kind)));
            error.insert("Message".into(), json!(e.message));
            if let Some(item) = e.item {
                error.insert("Item".into(), item);
            }
            entry.insert("Error".into(), Value::Object(error));
            None
        }
    };
    (Value::Object(entry), consumed)
}

fn table_of(s: &Statement) -> String {
    match s {
        Statement::Select(s) => s.table.clone(),
        Statement::Insert { table, .. } => table.clone(),
        Statement::Update(u) => u.table.clone(),
        Statement::Delete(d) => d.table.clone(),
    }
}

/// `BatchStatementErrorCodeEnum`: the error's name without `Exception`.
fn code(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::ConditionalCheckFailed => "ConditionalCheckFailed",
        ErrorKind::DuplicateItem => "DuplicateItem",
        ErrorKind::ResourceNotFound => "ResourceNotFound",
        ErrorKind::ProvisionedThroughputExceeded => "ProvisionedThroughputExceeded",
        ErrorKind::Throttling => "ThrottlingError",
        ErrorKind::TransactionConflict => "TransactionConflict",
        ErrorKind::InternalServerError => "InternalServerError",
        ErrorKind::AccessDenied => "AccessDenied",
        _ => "ValidationError",
    }
}
