//! IAM's condition operators, each condition evaluated on its own so the simulator can
//! say which one held and which did not.
//!
//! The rules ("Condition operators", "Conditions with multiple context keys or values"):
//! - a key absent from the request makes a condition false, except for negated
//!   operators (true), `…IfExists` (true) and `Null` (which tests presence);
//! - several policy values: any one matching is enough (for negated operators, none may
//!   match);
//! - `ForAnyValue:` holds when at least one request value matches (false when the key is
//!   absent); `ForAllValues:` when every request value does (true when absent).

use std::net::IpAddr;

use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use super::glob;
use super::Context;

/// What an operator compares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Test {
    StringEquals,
    StringEqualsIgnoreCase,
    StringLike,
    NumericEquals,
    NumericLessThan,
    NumericLessThanEquals,
    NumericGreaterThan,
    NumericGreaterThanEquals,
    DateEquals,
    DateLessThan,
    DateLessThanEquals,
    DateGreaterThan,
    DateGreaterThanEquals,
    Bool,
    BinaryEquals,
    IpAddress,
    ArnLike,
    Null,
}

/// `ForAnyValue:` / `ForAllValues:`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Qualifier {
    AnyValue,
    AllValues,
}

/// A parsed operator name, kept for display as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Operator {
    pub name: String,
    pub test: Test,
    pub negated: bool,
    pub if_exists: bool,
    pub qualifier: Option<Qualifier>,
}

/// One key under one operator, with the values the policy gives.
#[derive(Clone, Debug, PartialEq)]
pub struct Condition {
    pub operator: Operator,
    pub key: String,
    pub values: Vec<String>,
}

/// Every operator IAM has, by base name: (name, test, negated).
const OPERATORS: &[(&str, Test, bool)] = &[
    ("StringEquals", Test::StringEquals, false),
    ("StringNotEquals", Test::StringEquals, true),
    ("StringEqualsIgnoreCase", Test::StringEqualsIgnoreCase, false),
    ("StringNotEqualsIgnoreCase", Test::StringEqualsIgnoreCase, true),
    ("StringLike", Test::StringLike, false),
    ("StringNotLike", Test::StringLike, true),
    ("NumericEquals", Test::NumericEquals, false),
    ("NumericNotEquals", Test::NumericEquals, true),
    ("NumericLessThan", Test::NumericLessThan, false),
    ("NumericLessThanEquals", Test::NumericLessThanEquals, false),
    ("NumericGreaterThan", Test::NumericGreaterThan, false),
    ("NumericGreaterThanEquals", Test::NumericGreaterThanEquals, false),
    ("DateEquals", Test::DateEquals, false),
    ("DateNotEquals", Test::DateEquals, true),
    ("DateLessThan", Test::DateLessThan, false),
    ("DateLessThanEquals", Test::DateLessThanEquals, false),
    ("DateGreaterThan", Test::DateGreaterThan, false),
    ("DateGreaterThanEquals", Test::DateGreaterThanEquals, false),
    ("Bool", Test::Bool, false),
    ("BinaryEquals", Test::BinaryEquals, false),
    ("IpAddress", Test::IpAddress, false),
    ("NotIpAddress", Test::IpAddress, true),
    ("ArnEquals", Test::ArnLike, false),
    ("ArnLike", Test::ArnLike, false),
    ("ArnNotEquals", Test::ArnLike, true),
    ("ArnNotLike", Test::ArnLike, true),
    ("Null", Test::Null, false),
];

impl Operator {
    /// Reads `ForAnyValue:StringLikeIfExists` and the like; `None` for a name IAM does not
    /// have.
    pub fn parse(name: &str) -> Option<Operator> {
        let (qualifier, rest) = match name.split_once(':') {
            Some(("ForAnyValue", rest)) => (Some(Qualifier::AnyValue), rest),
            Some(("ForAllValues", rest)) => (Some(Qualifier::AllValues), rest),
            Some(_) => return None,
            None => (None, name),
        };
        let (base, if_exists) = match rest.strip_suffix("IfExists") {
            Some(base) if base != "Null" => (base, true),
            Some(_) => return None,
            None => (rest, false),
        };
        let &(_, test, negated) = OPERATORS.iter().find(|(n, _, _)| *n == base)?;
        if test == Test::Null && qualifier.is_some() {
            return None;
        }
        Some(Operator { name: name.to_string(), test, negated, if_exists, qualifier })
    }

    /// Refuses policy values this operator cannot compare (IAM refuses them when the
    /// policy is attached).
    pub fn check_values(&self, values: &[String]) -> Result<(), String> {
        let bad = values.iter().find(|v| !self.readable(v));
        match bad {
            Some(v) => Err(format!("The value '{v}' is not valid for this operator")),
            None => Ok(()),
        }
    }

    fn readable(&self, v: &str) -> bool {
        match self.test {
            Test::NumericEquals
            | Test::NumericLessThan
            | Test::NumericLessThanEquals
            | Test::NumericGreaterThan
            | Test::NumericGreaterThanEquals => number(v).is_some(),
            Test::DateEquals
            | Test::DateLessThan
            | Test::DateLessThanEquals
            | Test::DateGreaterThan
            | Test::DateGreaterThanEquals => date(v).is_some(),
            Test::Bool | Test::Null => v.eq_ignore_ascii_case("true") || v.eq_ignore_ascii_case("false"),
            Test::IpAddress => cidr(v).is_some(),
            _ => true,
        }
    }
}

/// How one condition came out, for the simulator.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    pub operator: String,
    pub key: String,
    /// The request's values for the key (`None`: the key is not in the request).
    pub request: Option<Vec<String>>,
    /// The policy's values, variables replaced.
    pub policy: Vec<String>,
    pub holds: bool,
}

impl Condition {
    pub fn evaluate(&self, context: &Context) -> Outcome {
        let policy: Vec<Option<String>> = self.values.iter().map(|v| glob::substitute(v, context)).collect();
        let request = context.get(&self.key).cloned();
        let holds = self.holds(request.as_deref(), &policy);
        let shown = policy.iter().zip(&self.values).map(|(p, raw)| p.clone().unwrap_or_else(|| raw.clone()));
        Outcome { operator: self.operator.name.clone(), key: self.key.clone(), request, policy: shown.collect(), holds }
    }

    fn holds(&self, request: Option<&[String]>, policy: &[Option<String>]) -> bool {
        let op = &self.operator;
        if op.test == Test::Null {
            let absent = request.is_none_or(<[String]>::is_empty);
            return policy.iter().flatten().any(|p| p.eq_ignore_ascii_case(&absent.to_string()));
        }
        // One request value against the policy's values: any matching (none, negated).
        let one = |r: &String| {
            let any = policy.iter().flatten().any(|p| compare(op.test, r, p));
            any != op.negated
        };
        match (op.qualifier, request) {
            (Some(Qualifier::AllValues), None) => true,
            (Some(Qualifier::AllValues), Some(values)) => values.iter().all(one),
            (Some(Qualifier::AnyValue), None) => false,
            (Some(Qualifier::AnyValue), Some(values)) => values.iter().any(one),
            (None, None) => op.if_exists || op.negated,
            (None, Some(values)) if op.negated => values.iter().all(one),
            (None, Some(values)) => values.iter().any(one),
        }
    }
}

/// Whether request value `r` satisfies the positive form of `test` against policy value
/// `p` (a value that cannot be read as the operator's type never matches).
fn compare(test: Test, r: &str, p: &str) -> bool {
    use std::cmp::Ordering::{Equal, Greater, Less};
    let numbers = || number(r).zip(number(p)).and_then(|(a, b)| a.partial_cmp(&b));
    let dates = || date(r).zip(date(p)).map(|(a, b)| a.cmp(&b));
    match test {
        Test::StringEquals | Test::BinaryEquals => r == p,
        Test::StringEqualsIgnoreCase => r.to_lowercase() == p.to_lowercase(),
        Test::StringLike | Test::ArnLike => glob::matches(p, r, false),
        Test::NumericEquals => numbers() == Some(Equal),
        Test::NumericLessThan => numbers() == Some(Less),
        Test::NumericLessThanEquals => matches!(numbers(), Some(Less | Equal)),
        Test::NumericGreaterThan => numbers() == Some(Greater),
        Test::NumericGreaterThanEquals => matches!(numbers(), Some(Greater | Equal)),
        Test::DateEquals => dates() == Some(Equal),
        Test::DateLessThan => dates() == Some(Less),
        Test::DateLessThanEquals => matches!(dates(), Some(Less | Equal)),
        Test::DateGreaterThan => dates() == Some(Greater),
        Test::DateGreaterThanEquals => matches!(dates(), Some(Greater | Equal)),
        Test::Bool => r.eq_ignore_ascii_case(p),
        Test::IpAddress => in_cidr(r, p),
        Test::Null => false,
    }
}

fn number(s: &str) -> Option<f64> {
    s.trim().parse::<f64>().ok().filter(|f| f.is_finite())
}

/// A date as IAM reads one: ISO 8601 (with or without a time) or epoch seconds; compared
/// in whole seconds.
fn date(s: &str) -> Option<i64> {
    let s = s.trim();
    if let Ok(secs) = s.parse::<i64>() {
        return Some(secs);
    }
    if let Ok(t) = OffsetDateTime::parse(s, &Rfc3339) {
        return Some(t.unix_timestamp());
    }
    let day = time::Date::parse(s, time::macros::format_description!("[year]-[month]-[day]")).ok()?;
    Some(day.midnight().assume_utc().unix_timestamp())
}

/// An address range: `10.0.0.0/8`, `2001:db8::/32`, or one address.
fn cidr(s: &str) -> Option<(IpAddr, u32)> {
    let (addr, bits) = match s.split_once('/') {
        Some((a, b)) => (a.parse::<IpAddr>().ok()?, b.parse::<u32>().ok()?),
        None => {
            let a = s.parse::<IpAddr>().ok()?;
            (a, if a.is_ipv4() { 32 } else { 128 })
        }
    };
    let max = if addr.is_ipv4() { 32 } else { 128 };
    (bits <= max).then_some((addr, bits))
}

fn in_cidr(address: &str, range: &str) -> bool {
    let (Ok(a), Some((net, bits))) = (address.parse::<IpAddr>(), cidr(range)) else { return false };
    let prefix = |x: u128, width: u32| x.checked_shr(width.saturating_sub(bits)).unwrap_or(0);
    match (a, net) {
        (IpAddr::V4(a), IpAddr::V4(n)) => prefix(u32::from(a).into(), 32) == prefix(u32::from(n).into(), 32),
        (IpAddr::V6(a), IpAddr::V6(n)) => prefix(u128::from(a), 128) == prefix(u128::from(n), 128),
        _ => false,
    }
}

#[cfg(test)]
mod tests;
