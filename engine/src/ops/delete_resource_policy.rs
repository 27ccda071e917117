//! DeleteResourcePolicy: removes a table's or stream's policy.

use serde_json::{json, Value};

use crate::engine::Engine;
use crate::error::Result;
use crate::request::Input;
use crate::trace::Trace;

pub fn run(engine: &mut Engine, input: Input, trace: &mut Trace) -> Result<Value> {
    use super::get_resource_policy::{check_resource, check_revision, not_found, resource_arn};
    let arn = resource_arn(&input)?;
    check_resource(engine, arn)?;
    check_revision(arn, engine.iam.resource_policies.get(arn), input.str("ExpectedRevisionId")?)?;
    let gone = engine.iam.resource_policies.remove(arn).ok_or_else(|| not_found(arn))?;
    trace.iam_changed = true;
    Ok(json!({ "RevisionId": gone.revision_id }))
}
