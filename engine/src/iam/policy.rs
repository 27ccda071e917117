//! IAM's JSON policy grammar: a document is read into typed statements, and refused with
//! IAM's `MalformedPolicyDocument` wording when it breaks the grammar (an unknown
//! element, a statement without actions or resources, a principal where IAM allows
//! none…). Validation happens once, when a policy is attached; evaluation reads only the
//! typed form.

use serde_json::{Map, Value};

use super::condition::{Condition, Operator};

/// Where a policy is attached: identity policies name no principal; resource policies
/// must.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Identity,
    Resource,
}

/// A parsed, valid policy document.
#[derive(Clone, Debug, PartialEq)]
pub struct Policy {
    pub version: Version,
    pub statements: Vec<Statement>,
}

/// The policy language version: `${…}` variables are read only in 2012-10-17 policies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Version {
    V2008,
    V2012,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    Allow,
    Deny,
}

impl Effect {
    pub fn as_str(self) -> &'static str {
        match self {
            Effect::Allow => "Allow",
            Effect::Deny => "Deny",
        }
    }
}

/// A list of patterns, or its negation (`NotAction`, `NotResource`, `NotPrincipal`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Patterns {
    pub negated: bool,
    pub values: Vec<String>,
}

/// One statement.
#[derive(Clone, Debug, PartialEq)]
pub struct Statement {
    pub sid: Option<String>,
    pub effect: Effect,
    /// Resource policies only: the AWS principals (`"*"` for anyone).
    pub principal: Option<Patterns>,
    pub action: Patterns,
    pub resource: Patterns,
    pub conditions: Vec<Condition>,
}

/// Why a document is not a policy, in IAM's words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Malformed(pub String);

fn malformed(text: impl Into<String>) -> Malformed {
    Malformed(text.into())
}

/// The largest policy document IAM accepts for a user's inline policies (in characters,
/// whitespace counted) and DynamoDB accepts as a resource policy.
pub const MAX_POLICY_CHARS: usize = 20_480;

impl Policy {
    /// `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`,
    /// the administrator's policy, built without reading it: every engine has one, and
    /// the reader of policies is cold code (`ops::cold`).
    pub fn allow_all() -> Policy {
        let any = || Patterns { negated: false, values: vec!["*".to_string()] };
        let statement = Statement {
            sid: None,
            effect: Effect::Allow,
            principal: None,
            action: any(),
            resource: any(),
            conditions: Vec::new(),
        };
        Policy { version: Version::V2012, statements: vec![statement] }
    }

    /// Reads a policy document (the JSON text a user wrote).
    pub fn parse(text: &str, kind: Kind) -> Result<Policy, Malformed> {
        if text.chars().count() > MAX_POLICY_CHARS {
            return Err(malformed(format!("Cannot exceed quota for PolicySize: {MAX_POLICY_CHARS}")));
        }
        let value: Value = serde_json::from_str(text).map_err(|_| malformed("Syntax errors in policy."))?;
        Policy::from_value(&value, kind)
    }

    pub fn from_value(value: &Value, kind: Kind) -> Result<Policy, Malformed> {
        let Value::Object(doc) = value else { return Err(malformed("Syntax errors in policy.")) };
        for key in doc.keys() {
            if !matches!(key.as_str(), "Version" | "Id" | "Statement") {
                return Err(malformed(format!("Policy document should not specify the element {key}.")));
            }
        }
        let version = match doc.get("Version") {
            None => Version::V2008,
            Some(Value::String(v)) if v == "2012-10-17" => Version::V2012,
            Some(Value::String(v)) if v == "2008-10-17" => Version::V2008,
            Some(_) => return Err(malformed("The policy failed legacy parsing")),
        };
        let statements = match doc.get("Statement") {
            Some(Value::Array(list)) if !list.is_empty() => list.iter().map(|s| statement(s, kind)).collect(),
            Some(s @ Value::Object(_)) => Ok(vec![statement(s, kind)?]),
            _ => Err(malformed("Policy document must contain a Statement.")),
        }?;
        Ok(Policy { version, statements })
    }
}

fn statement(value: &Value, kind: Kind) -> Result<Statement, Malformed> {
    let Value::Object(s) = value else { return Err(malformed("Syntax errors in policy.")) };
    for key in s.keys() {
        let known = ["Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction"]
            .into_iter()
            .chain(["Resource", "NotResource", "Condition"])
            .any(|k| k == key);
        if !known {
            return Err(malformed(format!("Statement contains an unknown element {key}.")));
        }
    }
    let sid = match s.get("Sid") {
        None => None,
        Some(Value::String(sid)) if sid.chars().all(|c| c.is_ascii_alphanumeric()) => Some(sid.clone()),
        Some(_) => return Err(malformed("Statement IDs (SID) must be alpha-numeric.")),
    };
    let effect = match s.get("Effect").and_then(Value::as_str) {
        Some("Allow") => Effect::Allow,
        Some("Deny") => Effect::Deny,
        _ => return Err(malformed("Invalid effect: the Effect of a statement is Allow or Deny.")),
    };
    let principal = principal(s, kind)?;
    let action = either(s, "Action", "NotAction", "Policy statement must contain actions.")?;
    check_actions(&action)?;
    let resource = either(s, "Resource", "NotResource", "Policy statement must contain resources.")?;
    let conditions = match s.get("Condition") {
        None => Vec::new(),
        Some(c) => conditions(c)?,
    };
    Ok(Statement { sid, effect, principal, action, resource, conditions })
}

fn principal(s: &Map<String, Value>, kind: Kind) -> Result<Option<Patterns>, Malformed> {
    let given = s.contains_key("Principal") || s.contains_key("NotPrincipal");
    match kind {
        Kind::Identity if given => Err(malformed("Policy document should not specify a principal.")),
        Kind::Identity => Ok(None),
        Kind::Resource if !given => Err(malformed("Missing required field Principal")),
        Kind::Resource => {
            let negated = s.contains_key("NotPrincipal");
            let value = s.get("Principal").or_else(|| s.get("NotPrincipal")).unwrap_or(&Value::Null);
            let values = match value {
                Value::String(star) if star == "*" => vec!["*".to_string()],
                Value::Object(m) => match m.get("AWS") {
                    Some(aws) if m.len() == 1 => {
                        strings(aws).ok_or_else(|| malformed("Invalid principal in policy"))?
                    }
                    _ => return Err(malformed("Invalid principal in policy: only AWS principals are simulated")),
                },
                _ => return Err(malformed("Invalid principal in policy")),
            };
            Ok(Some(Patterns { negated, values }))
        }
    }
}

fn either(s: &Map<String, Value>, name: &str, not: &str, missing: &str) -> Result<Patterns, Malformed> {
    match (s.get(name), s.get(not)) {
        (Some(_), Some(_)) => Err(malformed(format!("Statement can not contain both {name} and {not}."))),
        (None, None) => Err(malformed(missing)),
        (Some(v), None) => Ok(Patterns { negated: false, values: list(v, name)? }),
        (None, Some(v)) => Ok(Patterns { negated: true, values: list(v, not)? }),
    }
}

fn list(value: &Value, element: &str) -> Result<Vec<String>, Malformed> {
    strings(value)
        .filter(|l| !l.is_empty())
        .ok_or_else(|| malformed(format!("The {element} element of a statement is a string or a list of strings.")))
}

/// A string or a list of strings.
fn strings(value: &Value) -> Option<Vec<String>> {
    match value {
        Value::String(s) => Some(vec![s.clone()]),
        Value::Array(list) => list.iter().map(|v| v.as_str().map(str::to_string)).collect(),
        _ => None,
    }
}

/// An action is `*` or `service:pattern`.
fn check_actions(action: &Patterns) -> Result<(), Malformed> {
    for a in &action.values {
        let ok = a == "*"
            || a.split_once(':').is_some_and(|(service, name)| {
                !service.is_empty()
                    && !name.is_empty()
                    && service.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            });
        if !ok {
            return Err(malformed(format!(
                "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc. ({a})"
            )));
        }
    }
    Ok(())
}

fn conditions(value: &Value) -> Result<Vec<Condition>, Malformed> {
    let Value::Object(block) = value else { return Err(malformed("Syntax errors in policy.")) };
    let mut out = Vec::new();
    for (name, keys) in block {
        let operator = Operator::parse(name).ok_or_else(|| malformed(format!("Invalid Condition type : {name}.")))?;
        let Value::Object(keys) = keys else { return Err(malformed("Syntax errors in policy.")) };
        for (key, values) in keys {
            let values = condition_values(values)
                .ok_or_else(|| malformed(format!("Invalid value for condition key {key} under {name}.")))?;
            operator.check_values(&values).map_err(|e| malformed(format!("{e} (condition key {key} under {name})")))?;
            out.push(Condition { operator: operator.clone(), key: key.clone(), values });
        }
    }
    Ok(out)
}

/// A condition's values: strings, numbers and booleans, one or a list (IAM reads them
/// all as text).
fn condition_values(value: &Value) -> Option<Vec<String>> {
    let one = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    };
    match value {
        Value::Array(list) if !list.is_empty() => list.iter().map(one).collect(),
        Value::Array(_) => None,
        v => one(v).map(|s| vec![s]),
    }
}
