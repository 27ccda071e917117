//! ExecuteTransaction: up to 100 PartiQL statements as one transaction, planned onto
//! TransactGetItems (all SELECTs, each naming an item's whole key) or TransactWriteItems
//! (INSERT, UPDATE, DELETE), so it is all or nothing exactly as those are. A canceled
//! INSERT whose key exists is reported as `DuplicateItem`.

use serde_json::{json, Map, Value};

use super::execute_statement::{parse, read_statement};
use crate::engine::Engine;
use crate::error::{Error, ErrorKind, Result};
use crate::partiql::ast::Statement;
use crate::partiql::plan::{plan, Options, Plan};
use crate::partiql::run::DUPLICATE;
use crate::request::{enums, Input, Violations};
use crate::trace::Trace;

pub fn run(engine: &mut Engine, input: Input, trace: &mut Trace) -> Result<Value> {
    let mut v = Violations::new();
    let items = input.array("TransactStatements")?;
    v.not_null(items, "transactStatements");
    if let Some(s) = items {
        v.length(Some(s.len()), &super::common::echo_list(s), "transactStatements", 1, Some(100));
    }
    let token = input.str("ClientRequestToken")?;
    if let Some(t) = token {
        v.length(Some(t.chars().count()), t, "clientRequestToken", 1, Some(36));
    }
    let capacity = input.str("ReturnConsumedCapacity")?;
    v.one_of(capacity, "returnConsumedCapacity", enums::RETURN_CONSUMED_CAPACITY);
    let mut read = Vec::new();
    for (i, s) in items.into_iter().flatten().enumerate() {
        let member = Input::new(s)?;
        let (text, params) = read_statement(&member, &mut v, &format!("transactStatements.{}.member.", i + 1))?;
        read.push((text, params, member.str("ReturnValuesOnConditionCheckFailure")?));
    }
    v.finish()?;
    let mut statements = Vec::new();
    let mut plans = Vec::new();
    for (text, params, on_failure) in read {
        let s = parse(text, &params)?;
        let o = Options { params, on_failure: on_failure.map(str::to_string), ..Options::default() };
        plans.push(plan(engine, &s, &o)?);
        statements.push(s);
    }
    let reads = statements.iter().filter(|s| matches!(s, Statement::Select(_))).count();
    if reads > 0 && reads < statements.len() {
        return Err(Error::validation("Statements in an ExecuteTransaction are all reads or all writes."));
    }
    let (operation, request) = transact_request(&plans, reads > 0, token, capacity)?;
    for p in &plans {
        let step = crate::partiql::explain::explain(p, trace, trace.reads.len(), trace.writes.len());
        trace.plan.push(format!("In {operation}: {step}"));
    }
    let out = crate::partiql::run::run_plan(engine, &Plan { operation, request, partitions: Vec::new() }, trace)
        .map_err(|e| duplicate_reasons(&statements, e))?;
    let mut answer = Map::new();
    if let Some(r) = out.get("Responses") {
        answer.insert("Responses".into(), r.clone());
    }
    if let Some(c) = out.get("ConsumedCapacity") {
        answer.insert("ConsumedCapacity".into(), c.clone());
    }
    Ok(Value::Object(answer))
}

/// The TransactGetItems or TransactWriteItems request the plans make.
fn transact_request(
    plans: &[Plan],
    reads: bool,
    token: Option<&str>,
    capacity: Option<&str>,
) -> Result<(&'static str, Value)> {
    let mut items = Vec::new();
    for p in plans {
        let mut r = p.request.as_object().cloned().unwrap_or_default();
        r.remove("ReturnConsumedCapacity");
        if r.remove("ReturnValues").is_some() {
            return Err(Error::validation("RETURNING is not allowed in a transaction."));
        }
        let action = match p.operation {
            "GetItem" => "Get",
            "PutItem" => "Put",
            "UpdateItem" => "Update",
            "DeleteItem" => "Delete",
            _ => {
                return Err(Error::validation(
                    "A read in a transaction must name an item's whole primary key with equalities.",
                ))
            }
        };
        r.remove("ConsistentRead");
        items.push(json!({ action: r }));
    }
    let mut request = Map::new();
    request.insert("TransactItems".into(), Value::Array(items));
    if let Some(c) = capacity {
        request.insert("ReturnConsumedCapacity".into(), json!(c));
    }
    if let (Some(t), false) = (token, reads) {
        request.insert("ClientRequestToken".into(), json!(t));
    }
    Ok((if reads { "TransactGetItems" } else { "TransactWriteItems" }, Value::Object(request)))
}

/// A canceled transaction's reasons, with an INSERT's failed condition as `DuplicateItem`.
fn duplicate_reasons(statements: &[Statement], mut e: Error) -> Error {
    if e.kind != ErrorKind::TransactionCanceled {
        return e;
    }
    let mut reasons = std::mem::take(&mut e.cancellation_reasons);
    for (reason, s) in reasons.iter_mut().zip(statements) {
        if matches!(s, Statement::Insert { .. }) && reason.code == "ConditionalCheckFailed" {
            reason.code = "DuplicateItem".into();
            reason.message = Some(DUPLICATE.into());
            reason.item = None;
        }
    }
    Error::transaction_canceled(reasons)
}
