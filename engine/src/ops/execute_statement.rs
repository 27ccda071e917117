//! ExecuteStatement: one PartiQL statement, planned onto GetItem, Query, Scan, PutItem,
//! UpdateItem or DeleteItem (see `partiql::plan`) and answered as AWS does.

use serde_json::Value;

use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::partiql::ast::Statement;
use crate::partiql::plan::Options;
use crate::partiql::{parser, run, PARAMETER_COUNT};
use crate::request::{enums, Input, Violations};
use crate::trace::Trace;

/// The longest statement AWS takes, in characters.
pub const MAX_STATEMENT: usize = 8192;

pub fn run(engine: &mut Engine, input: Input, trace: &mut Trace) -> Result<Value> {
    let mut v = Violations::new();
    let (statement, params) = read_statement(&input, &mut v, "")?;
    let limit = input.int("Limit")?;
    v.range(limit, "limit", 1, None);
    let token = input.str("NextToken")?;
    if let Some(t) = token {
        v.length(Some(t.chars().count()), t, "nextToken", 1, Some(32768));
    }
    let capacity = input.str("ReturnConsumedCapacity")?;
    v.one_of(capacity, "returnConsumedCapacity", enums::RETURN_CONSUMED_CAPACITY);
    let on_failure = input.str("ReturnValuesOnConditionCheckFailure")?;
    v.one_of(on_failure, "returnValuesOnConditionCheckFailure", enums::RETURN_VALUES_ON_FAILURE);
    v.finish()?;
    let parsed = parse(statement, &params)?;
    if token.is_some() && !matches!(parsed, Statement::Select(_)) {
        return Err(Error::validation("NextToken is only valid on a SELECT statement"));
    }
    let token = token.map(run::read_token).transpose()?;
    let o = Options {
        params,
        consistent: input.bool("ConsistentRead")?.unwrap_or(false),
        limit,
        start_partition: token.as_ref().map_or(0, |t| t.partition),
        start_key: token.and_then(|t| t.key),
        capacity: capacity.map(str::to_string),
        on_failure: on_failure.map(str::to_string),
    };
    run::execute(engine, &parsed, &o, trace)
}

/// A statement and its parameters from a request or one of its `Statements` (`at` is
/// the member's path in messages, such as `statements.1.member.`).
pub fn read_statement<'a>(input: &Input<'a>, v: &mut Violations, at: &str) -> Result<(&'a str, Vec<Value>)> {
    let statement = input.str("Statement")?;
    v.not_null(statement, &format!("{at}statement"));
    if let Some(s) = statement {
        v.length(Some(s.chars().count()), s, &format!("{at}statement"), 1, Some(MAX_STATEMENT));
    }
    let params = input.array("Parameters")?;
    if let Some(p) = params {
        let shown = super::common::echo_list(p);
        v.length(Some(p.len()), &shown, &format!("{at}parameters"), 1, None);
    }
    Ok((statement.unwrap_or_default(), params.cloned().unwrap_or_default()))
}

/// The statement parsed, its `?`s checked against the parameters given.
pub fn parse(statement: &str, params: &[Value]) -> Result<Statement> {
    let parsed = parser::parse(statement)?;
    if parser::count_params(statement) != params.len() {
        return Err(Error::validation(PARAMETER_COUNT));
    }
    Ok(parsed)
}
