//! The check every request passes before its operation runs, while IAM is enforced.

use serde_json::Value;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use super::evaluate::{evaluate, Ask, Evaluation};
use super::{account_of, actions, Context, Iam, Principal};
use crate::engine::Engine;
use crate::error::{Error, ErrorKind, Result};

/// AWS's answer to a request signed with an access key it does not know.
pub const UNRECOGNIZED_CLIENT: &str = "The security token included in the request is invalid.";

/// Decides `operation` for `principal` (the acting principal when `None`), noting each
/// evaluation in `evaluations`. Denied: `AccessDeniedException` with AWS's message.
pub fn authorize(
    engine: &Engine,
    iam: &Iam,
    principal: Option<&str>,
    operation: &str,
    body: &Value,
    evaluations: &mut Vec<Evaluation>,
) -> Result<()> {
    if !iam.enforce {
        return Ok(());
    }
    crate::ops::cold::authorize(engine, iam, principal, operation, body, evaluations)
}

/// [`authorize`] while IAM is enforced: code the page fetches on demand, with the cold
/// operations (`ops::cold`).
pub(crate) fn enforced(
    engine: &Engine,
    iam: &Iam,
    principal: Option<&str>,
    operation: &str,
    body: &Value,
    evaluations: &mut Vec<Evaluation>,
) -> Result<()> {
    let arn = principal.unwrap_or(&iam.acting_as);
    let p = iam.principals.get(arn).ok_or_else(|| Error::new(ErrorKind::UnrecognizedClient, UNRECOGNIZED_CLIENT))?;
    let Value::Object(obj) = body else { return Ok(()) };
    for check in actions::checks(engine, operation, obj) {
        let evaluation = decide(engine, iam, p, check);
        let denial = evaluation.denial(&p.caller_arn());
        evaluations.push(evaluation);
        if let Some(message) = denial {
            return Err(Error::new(ErrorKind::AccessDenied, message));
        }
    }
    Ok(())
}

/// Everything IAM decides for `operation` as `principal`, without stopping at a denial
/// and without running it (the simulator).
pub fn simulate(engine: &Engine, iam: &Iam, principal: &Principal, operation: &str, body: &Value) -> Vec<Evaluation> {
    let Value::Object(obj) = body else { return Vec::new() };
    actions::checks(engine, operation, obj).into_iter().map(|check| decide(engine, iam, principal, check)).collect()
}

/// One check decided: the request's keys plus the global ones, against the principal's
/// policies and the resource's.
fn decide(engine: &Engine, iam: &Iam, principal: &Principal, check: actions::Check) -> Evaluation {
    let mut context = check.context;
    add_global_keys(&mut context, principal, engine);
    let resource_policy = iam.resource_policies.get(policy_holder(&check.resource)).map(|r| &r.policy);
    evaluate(&Ask { principal, action: &check.action, resource: &check.resource, context: &context, resource_policy })
}

/// The ARN a resource's policy is attached to: an index is covered by its table's, an
/// object by its bucket's.
fn policy_holder(resource: &str) -> &str {
    if let Some(rest) = resource.strip_prefix("arn:aws:s3:::") {
        let bucket = rest.split('/').next().unwrap_or_default();
        return resource.get(..13 + bucket.len()).unwrap_or(resource);
    }
    resource.find("/index/").and_then(|i| resource.get(..i)).unwrap_or(resource)
}

/// The global `aws:` keys a request carries.
fn add_global_keys(c: &mut Context, p: &Principal, engine: &Engine) {
    c.one("aws:PrincipalArn", p.arn.clone());
    c.one("aws:PrincipalAccount", account_of(&p.arn).unwrap_or_default());
    c.one("aws:PrincipalType", if p.is_role() { "AssumedRole" } else { "User" });
    c.one("aws:userid", p.name());
    if !p.is_role() {
        c.one("aws:username", p.name());
    }
    for (k, v) in &p.tags {
        c.one(&format!("aws:PrincipalTag/{k}"), v.clone());
    }
    c.one("aws:RequestedRegion", engine.config.region.clone());
    let secs = i64::try_from(engine.now_ms / 1000).unwrap_or(i64::MAX);
    c.one("aws:EpochTime", secs.to_string());
    if let Some(t) = OffsetDateTime::from_unix_timestamp(secs).ok().and_then(|t| t.format(&Rfc3339).ok()) {
        c.one("aws:CurrentTime", t);
    }
}
