//! Evaluations as JSON, for the simulator's answer and the page's explanation.

use serde_json::{json, Value};

use super::condition::Outcome;
use super::evaluate::{Decision, Evaluation, Side, StatementOutcome};

pub fn evaluation_json(e: &Evaluation) -> Value {
    let (decision, side) = match &e.decision {
        Decision::Allow => ("Allow", None),
        Decision::ExplicitDeny(s) => ("ExplicitDeny", Some(*s)),
        Decision::ImplicitDeny(s) => ("ImplicitDeny", Some(*s)),
    };
    let context = crate::sorted::object_map(e.context.entries().map(|(k, v)| (k.to_string(), json!(v))));
    let mut out = json!({
        "Action": e.action,
        "Resource": e.resource,
        "Decision": decision,
        "Context": context,
        "Statements": e.statements.iter().map(statement_json).collect::<Vec<_>>(),
    });
    if let (Some(side), Value::Object(o)) = (side, &mut out) {
        o.insert("DecidedBy".into(), json!(side_name(side)));
    }
    out
}

fn side_name(side: Side) -> &'static str {
    match side {
        Side::Identity => "identity-based",
        Side::Resource => "resource-based",
    }
}

fn statement_json(s: &StatementOutcome) -> Value {
    let mut out = json!({
        "Policy": s.policy,
        "Side": side_name(s.side),
        "Effect": s.effect.as_str(),
        "Applies": s.skipped.is_none(),
        "Conditions": s.conditions.iter().map(condition_json).collect::<Vec<_>>(),
    });
    if let Value::Object(o) = &mut out {
        if let Some(sid) = &s.sid {
            o.insert("Sid".into(), json!(sid));
        }
        if let Some(why) = &s.skipped {
            o.insert("Reason".into(), json!(why));
        }
    }
    out
}

fn condition_json(c: &Outcome) -> Value {
    json!({
        "Operator": c.operator,
        "Key": c.key,
        "RequestValues": c.request,
        "PolicyValues": c.policy,
        "Holds": c.holds,
    })
}
