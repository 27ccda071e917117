//! IAM's decision for one action on one resource, with every statement's outcome kept
//! for the simulator.
//!
//! The logic ("Policy evaluation logic"): an explicit Deny in any policy wins; otherwise
//! an Allow is needed. In the resource's own account an Allow from either the identity
//! or the resource policy is enough (a resource policy that names only the account, not
//! the principal, delegates to the identity policies); from another account both must
//! allow.

use super::condition::Outcome;
use super::glob;
use super::policy::{Effect, Patterns, Policy, Statement};
use super::{account_of, Context, Principal};

/// Which side a policy is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    Identity,
    Resource,
}

impl Side {
    /// `an identity-based` / `a resource-based`.
    fn with_article(self) -> String {
        match self {
            Side::Identity => "an identity-based".into(),
            Side::Resource => "a resource-based".into(),
        }
    }

    fn phrase(self) -> &'static str {
        match self {
            Side::Identity => "identity-based",
            Side::Resource => "resource-based",
        }
    }
}

/// How one statement came out.
#[derive(Clone, Debug, PartialEq)]
pub struct StatementOutcome {
    pub side: Side,
    pub policy: String,
    pub sid: Option<String>,
    pub effect: Effect,
    /// Why it does not apply (`None`: it applies).
    pub skipped: Option<String>,
    pub conditions: Vec<Outcome>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    Allow,
    ExplicitDeny(Side),
    /// No policy on this side allows it.
    ImplicitDeny(Side),
}

/// One action on one resource, decided.
#[derive(Clone, Debug, PartialEq)]
pub struct Evaluation {
    pub action: String,
    pub resource: String,
    pub context: Context,
    pub decision: Decision,
    pub statements: Vec<StatementOutcome>,
}

impl Evaluation {
    /// AWS's `AccessDeniedException` message for a denial by `caller` (a user's or an
    /// assumed role's ARN).
    pub fn denial(&self, caller: &str) -> Option<String> {
        let (action, resource) = (&self.action, &self.resource);
        let head = format!("User: {caller} is not authorized to perform: {action} on resource: {resource}");
        match self.decision {
            Decision::Allow => None,
            Decision::ExplicitDeny(side) => {
                Some(format!("{head} with an explicit deny in {} policy", side.with_article()))
            }
            Decision::ImplicitDeny(side) => {
                Some(format!("{head} because no {} policy allows the {action} action", side.phrase()))
            }
        }
    }
}

/// What is being decided.
pub struct Ask<'a> {
    pub principal: &'a Principal,
    pub action: &'a str,
    pub resource: &'a str,
    pub context: &'a Context,
    /// The resource policy of the table or stream, if it has one.
    pub resource_policy: Option<&'a Policy>,
}

pub fn evaluate(ask: &Ask) -> Evaluation {
    let mut statements = Vec::new();
    let mut deny = None;
    let mut identity_allows = false;
    for (name, _, policy) in &ask.principal.policies {
        let side = weigh(ask, policy, Side::Identity, name, &mut statements);
        identity_allows |= side.allows;
        deny = deny.or(side.denies.then_some(Side::Identity));
    }
    let (mut resource_allows, mut resource_names_principal) = (false, false);
    if let Some(policy) = ask.resource_policy {
        let side = weigh(ask, policy, Side::Resource, "resource policy", &mut statements);
        resource_allows = side.allows;
        resource_names_principal = side.names_principal;
        deny = deny.or(side.denies.then_some(Side::Resource));
    }
    // A resource of no account (`*`: ListTables and the like) is the principal's own.
    let same_account = account_of(ask.resource).is_none_or(|a| Some(a) == account_of(&ask.principal.arn));
    let decision = match deny {
        Some(side) => Decision::ExplicitDeny(side),
        None if same_account && (identity_allows || (resource_allows && resource_names_principal)) => Decision::Allow,
        None if !same_account && identity_allows && resource_allows => Decision::Allow,
        None if !same_account && identity_allows => Decision::ImplicitDeny(Side::Resource),
        None => Decision::ImplicitDeny(Side::Identity),
    };
    Evaluation {
        action: ask.action.to_string(),
        resource: ask.resource.to_string(),
        context: ask.context.clone(),
        decision,
        statements,
    }
}

/// What one policy says about the ask.
struct Weighed {
    allows: bool,
    /// An applicable Allow names the principal itself (or everyone), not only its account.
    names_principal: bool,
    denies: bool,
}

fn weigh(ask: &Ask, policy: &Policy, side: Side, name: &str, out: &mut Vec<StatementOutcome>) -> Weighed {
    let mut w = Weighed { allows: false, names_principal: false, denies: false };
    for s in &policy.statements {
        let outcome = statement(ask, policy, s, side, name);
        if outcome.skipped.is_none() {
            match s.effect {
                Effect::Allow => {
                    w.allows = true;
                    w.names_principal |= names_principal(s, ask.principal);
                }
                Effect::Deny => w.denies = true,
            }
        }
        out.push(outcome);
    }
    w
}

/// Whether a resource policy alone grants the ask (an applicable Allow, no applicable
/// Deny), naming the principal or its account: S3's bucket policies.
pub fn resource_grants(ask: &Ask) -> bool {
    let Some(policy) = ask.resource_policy else { return false };
    let w = weigh(ask, policy, Side::Resource, "bucket policy", &mut Vec::new());
    w.allows && !w.denies
}

fn statement(ask: &Ask, policy: &Policy, s: &Statement, side: Side, name: &str) -> StatementOutcome {
    let vars = policy.version == super::policy::Version::V2012;
    let mut out = StatementOutcome {
        side,
        policy: name.to_string(),
        sid: s.sid.clone(),
        effect: s.effect,
        skipped: None,
        conditions: Vec::new(),
    };
    if let Some(p) = &s.principal {
        if principal_matches(p, ask.principal) == p.negated {
            out.skipped = Some(format!("the Principal element does not name {}", ask.principal.arn));
            return out;
        }
    }
    if !matches_any(&s.action, ask.action, true, false, ask.context) {
        out.skipped = Some(mismatch("Action", &s.action, ask.action));
        return out;
    }
    if !matches_any(&s.resource, ask.resource, false, vars, ask.context) {
        out.skipped = Some(mismatch("Resource", &s.resource, ask.resource));
        return out;
    }
    out.conditions = s.conditions.iter().map(|c| c.evaluate(ask.context)).collect();
    if let Some(failed) = out.conditions.iter().find(|c| !c.holds) {
        out.skipped = Some(format!("the condition {} on {} does not hold", failed.operator, failed.key));
    }
    out
}

/// Why an Action or Resource element leaves `value` out.
fn mismatch(name: &str, p: &Patterns, value: &str) -> String {
    let list = p.values.join(", ");
    if p.negated {
        format!("Not{name} {list} excludes {value}")
    } else {
        format!("{name} {list} does not match {value}")
    }
}

/// Whether a statement's Action/Resource (or their Not… forms) covers `value`.
fn matches_any(p: &Patterns, value: &str, ignore_case: bool, vars: bool, context: &Context) -> bool {
    let hit = p.values.iter().any(|pattern| {
        let pattern = if vars { glob::substitute(pattern, context) } else { Some(pattern.clone()) };
        pattern.is_some_and(|pattern| glob::matches(&pattern, value, ignore_case))
    });
    hit != p.negated
}

fn principal_matches(p: &Patterns, principal: &Principal) -> bool {
    let account = account_of(&principal.arn).unwrap_or_default();
    p.values
        .iter()
        .any(|v| v == "*" || *v == principal.arn || *v == account || *v == format!("arn:aws:iam::{account}:root"))
}

/// Whether an Allow names the principal itself (or everyone), not only its account.
fn names_principal(s: &Statement, principal: &Principal) -> bool {
    s.principal.as_ref().is_some_and(|p| !p.negated && p.values.iter().any(|v| v == "*" || *v == principal.arn))
}
