//! GetResourcePolicy: the policy attached to a table or stream, with its revision ID.

use serde_json::{json, Value};

use crate::engine::Engine;
use crate::error::{Error, ErrorKind, Result};
use crate::iam::ResourcePolicy;
use crate::request::{Input, Violations};

pub fn run(engine: &Engine, input: Input) -> Result<Value> {
    let arn = resource_arn(&input)?;
    check_resource(engine, arn)?;
    let p = engine.iam.resource_policies.get(arn).ok_or_else(|| not_found(arn))?;
    Ok(json!({ "Policy": p.text, "RevisionId": p.revision_id }))
}

pub(crate) fn resource_arn<'a>(input: &Input<'a>) -> Result<&'a str> {
    let mut v = Violations::new();
    let arn = input.str("ResourceArn")?;
    v.not_null(arn, "resourceArn");
    if let Some(a) = arn {
        v.length(Some(a.chars().count()), a, "resourceArn", 1, Some(1283));
    }
    v.finish()?;
    Ok(arn.unwrap_or_default())
}

/// A policy goes on a table of this account and region, or on its stream.
pub(crate) fn check_resource(engine: &Engine, arn: &str) -> Result<()> {
    let prefix = engine.arn("");
    let rest = arn
        .strip_prefix(&prefix)
        .ok_or_else(|| Error::new(ErrorKind::ResourceNotFound, format!("Requested resource not found: {arn}")))?;
    let table = rest.split('/').next().unwrap_or_default();
    let stream = rest.get(table.len()..).unwrap_or_default();
    let exists = engine.table(table).is_some()
        && (stream.is_empty() || stream.starts_with("/stream/") && engine.streams().by_arn(arn).is_some());
    if exists {
        Ok(())
    } else {
        Err(Error::new(ErrorKind::ResourceNotFound, format!("Requested resource not found: {arn}")))
    }
}

/// `ExpectedRevisionId`: the current revision, or `NO_POLICY` when there is none.
pub(crate) fn check_revision(arn: &str, current: Option<&ResourcePolicy>, expected: Option<&str>) -> Result<()> {
    let Some(expected) = expected else { return Ok(()) };
    let matches = match current {
        None => expected == "NO_POLICY",
        Some(p) => p.revision_id == expected,
    };
    if matches {
        Ok(())
    } else {
        Err(Error::new(
            ErrorKind::PolicyNotFound,
            format!("Resource-based policy not found for the provided ResourceArn and ExpectedRevisionId: {arn}"),
        ))
    }
}

pub(crate) fn not_found(arn: &str) -> Error {
    Error::new(
        ErrorKind::PolicyNotFound,
        format!("Resource-based policy not found for the provided ResourceArn: {arn}"),
    )
}
