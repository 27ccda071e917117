//! PutResourcePolicy: attaches a resource-based policy to a table or stream. The same
//! document again keeps its revision ID; `ExpectedRevisionId` makes the change
//! conditional (`NO_POLICY`: only if there is none). A policy that would deny the caller
//! the right to change it again needs `ConfirmRemoveSelfResourceAccess`.

use serde_json::{json, Value};

use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::iam::policy::{Kind, Malformed, Policy};
use crate::iam::ResourcePolicy;
use crate::request::{Input, Violations};
use crate::trace::Trace;

pub fn run(engine: &mut Engine, input: Input, trace: &mut Trace) -> Result<Value> {
    let mut v = Violations::new();
    let arn = input.str("ResourceArn")?;
    let text = input.str("Policy")?;
    v.not_null(arn, "resourceArn");
    v.not_null(text, "policy");
    if let Some(a) = arn {
        v.length(Some(a.chars().count()), a, "resourceArn", 1, Some(1283));
    }
    v.finish()?;
    let (arn, text) = (arn.unwrap_or_default(), text.unwrap_or_default());
    let confirmed = input.bool("ConfirmRemoveSelfResourceAccess")?.unwrap_or(false);
    super::get_resource_policy::check_resource(engine, arn)?;
    let expected = input.str("ExpectedRevisionId")?;
    let current = engine.iam.resource_policies.get(arn);
    super::get_resource_policy::check_revision(arn, current, expected)?;
    let policy = Policy::parse(text, Kind::Resource)
        .map_err(|Malformed(m)| Error::validation(format!("Invalid policy document: {m}")))?;
    if !confirmed && locks_out_caller(engine, arn, &policy) {
        return Err(Error::validation(
            "The policy denies you dynamodb:PutResourcePolicy on this resource, so you could not change it again: set ConfirmRemoveSelfResourceAccess to true to attach it anyway",
        ));
    }
    let revision_id = match current {
        Some(c) if c.text == text => c.revision_id.clone(),
        _ => engine.now_ms.max(1).to_string(),
    };
    engine
        .iam
        .resource_policies
        .insert(arn.to_string(), ResourcePolicy { text: text.to_string(), policy, revision_id: revision_id.clone() });
    trace.iam_changed = true;
    Ok(json!({ "RevisionId": revision_id }))
}

/// Whether `policy` explicitly denies the caller the right to change it again.
fn locks_out_caller(engine: &Engine, arn: &str, policy: &Policy) -> bool {
    use crate::iam::evaluate::{evaluate, Ask, Decision, Side};
    let Some(principal) = engine.iam.principals.get(&engine.caller) else { return false };
    let context = crate::iam::Context::new();
    let ask = Ask {
        principal,
        action: "dynamodb:PutResourcePolicy",
        resource: arn,
        context: &context,
        resource_policy: Some(policy),
    };
    evaluate(&ask).decision == Decision::ExplicitDeny(Side::Resource)
}
