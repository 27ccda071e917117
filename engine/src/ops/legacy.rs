//! The legacy (pre-expression) parameters — `Expected`, `KeyConditions`, `QueryFilter`,
//! `ScanFilter` with `ConditionalOperator`, and `AttributeUpdates` — translated into the
//! same condition and update trees the expression languages produce, so there is one
//! evaluator. AWS still accepts them, and older SDK code and test suites use them.
//!
//! The readers of those parameters are cold code ([`super::cold::Legacy`]): few requests
//! name them, so the page fetches their code with the first that does ([`named_in`]).
//! What every request runs (the model checks, [`check_operators`]) stays here.

use crate::error::{Error, Result};
use crate::expr::ast::{Condition, Operand, Path, SetValue, Update, UpdateAction, UpdateOperand};
use crate::expr::syntax::CmpOp;
use crate::request::{enums, Input, Violations};
use crate::value::AttributeValue;
use thin_vec::ThinVec;

fn invalid(msg: impl AsRef<str>) -> Error {
    Error::invalid_parameter(msg)
}

fn values(spec: &Input) -> Result<Vec<AttributeValue>> {
    let Some(list) = spec.array("AttributeValueList")? else {
        return Ok(Vec::new());
    };
    list.iter().map(AttributeValue::from_json).collect()
}

/// One `ComparisonOperator` test on `attr`.
fn comparison(attr: &str, op: &str, args: Vec<AttributeValue>) -> Result<Condition> {
    let path = || Operand::Path(Path::attr(attr));
    let want = match op {
        "NULL" | "NOT_NULL" => 0..=0,
        "BETWEEN" => 2..=2,
        "IN" => 1..=usize::MAX,
        _ => 1..=1,
    };
    if !want.contains(&args.len()) {
        return Err(invalid(format!("Invalid number of argument(s) for the {op} ComparisonOperator")));
    }
    if let Some(first) = args.first() {
        if args.iter().any(|a| a.type_tag() != first.type_tag()) {
            return Err(invalid("AttributeValues inside AttributeValueList must be of same type"));
        }
    }
    // The types each operator compares, as the API reference lists them for Condition.
    let allowed: &[&str] = match op {
        "BEGINS_WITH" => &["S", "B"],
        "LE" | "LT" | "GE" | "GT" | "CONTAINS" | "NOT_CONTAINS" | "BETWEEN" | "IN" => &["S", "N", "B"],
        _ => &[],
    };
    if let Some(bad) = args.iter().map(AttributeValue::type_tag).find(|t| !allowed.is_empty() && !allowed.contains(t)) {
        return Err(invalid(format!("ComparisonOperator {op} is not valid for {bad} AttributeValue type")));
    }
    if let (true, [lo, hi]) = (op == "BETWEEN", args.as_slice()) {
        if lo.compare(hi) == Some(std::cmp::Ordering::Greater) {
            return Err(Error::validation(
                "The BETWEEN condition was provided a range where the lower bound is greater than the upper bound",
            ));
        }
    }
    let mut it = args.into_iter();
    let mut one = || Operand::Value(it.next().unwrap_or(AttributeValue::Null));
    let cmp = |o: CmpOp, v: Operand| Condition::Compare(o, path(), v);
    Ok(match op {
        "EQ" => cmp(CmpOp::Eq, one()),
        "NE" => cmp(CmpOp::Ne, one()),
        "LE" => cmp(CmpOp::Le, one()),
        "LT" => cmp(CmpOp::Lt, one()),
        "GE" => cmp(CmpOp::Ge, one()),
        "GT" => cmp(CmpOp::Gt, one()),
        "NULL" => Condition::AttributeNotExists(Path::attr(attr)),
        "NOT_NULL" => Condition::AttributeExists(Path::attr(attr)),
        "CONTAINS" => Condition::Contains(path(), one()),
        "NOT_CONTAINS" => Condition::And(
            Box::new(Condition::AttributeExists(Path::attr(attr))),
            Box::new(Condition::Not(Box::new(Condition::Contains(path(), one())))),
        ),
        "BEGINS_WITH" => Condition::BeginsWith(path(), one()),
        "BETWEEN" => {
            let lo = one();
            Condition::Between(path(), lo, one())
        }
        "IN" => Condition::In(path(), it.map(Operand::Value).collect()),
        other => return Err(invalid(format!("Unsupported operator on ComparisonOperator: {other}"))),
    })
}

fn join(conds: Vec<Condition>, operator: Option<&str>) -> Option<Condition> {
    let or = operator == Some("OR");
    conds.into_iter().reduce(|a, b| {
        if or {
            Condition::Or(Box::new(a), Box::new(b))
        } else {
            Condition::And(Box::new(a), Box::new(b))
        }
    })
}

/// The model checks on legacy condition maps (`KeyConditions`, `QueryFilter`,
/// `ScanFilter`, `Expected`) and on `ConditionalOperator`: each operator is one AWS
/// knows, and present unless the map is `Expected` (whose entries may use `Exists`).
pub fn check_operators(input: &Input, members: &[&str], v: &mut Violations) -> Result<()> {
    for member in members {
        let Some(map) = input.object(member)? else { continue };
        for (attr, spec) in map.obj {
            let op = Input::new(spec)?.str("ComparisonOperator")?;
            let path = format!("{}.{attr}.member.comparisonOperator", lower_first(member));
            if *member != "Expected" {
                v.not_null(op, &path);
            }
            v.one_of(op, &path, enums::COMPARISON_OPERATOR);
        }
    }
    v.one_of(input.str("ConditionalOperator")?, "conditionalOperator", enums::CONDITIONAL_OPERATOR);
    Ok(())
}

/// The members that only requests in the legacy style name, with the operations that take
/// them.
const MEMBERS: &[&str] =
    &["\"Expected\"", "\"KeyConditions\"", "\"QueryFilter\"", "\"ScanFilter\"", "\"AttributeUpdates\""];
const OPERATIONS: &[&str] = &["PutItem", "UpdateItem", "DeleteItem", "Query", "Scan"];

/// Whether a request may name a legacy parameter whose reader is cold code: its operation
/// takes one and its body holds one's name (anywhere: a false alarm only fetches the
/// code early).
pub fn named_in(operation: &str, body: &[u8]) -> bool {
    OPERATIONS.contains(&operation) && MEMBERS.iter().any(|m| body.windows(m.len()).any(|w| w == m.as_bytes()))
}

/// The reader of the legacy parameters, if its code is in (else AWS's 500, saying so).
fn reader() -> Result<super::cold::Legacy> {
    super::cold::legacy().ok_or_else(super::cold::legacy_not_loaded)
}

/// `KeyConditions`, `QueryFilter` or `ScanFilter`, read as a condition ([`read_conditions`],
/// cold code) when present.
pub fn conditions(input: &Input, member: &str, operator: Option<&str>) -> Result<Option<Condition>> {
    if input.object(member)?.is_none() {
        return Ok(None);
    }
    (reader()?.conditions)(input, member, operator)
}

/// `Expected`, read as a condition ([`read_expected`], cold code) when present.
pub fn expected(input: &Input) -> Result<Option<Condition>> {
    input.str("ConditionalOperator")?;
    if input.object("Expected")?.is_none() {
        return Ok(None);
    }
    (reader()?.expected)(input)
}

/// `AttributeUpdates`, read as an update ([`read_attribute_updates`], cold code) when
/// present.
pub fn attribute_updates(input: &Input) -> Result<Option<Update>> {
    if input.object("AttributeUpdates")?.is_none() {
        return Ok(None);
    }
    (reader()?.attribute_updates)(input)
}

/// `KeyConditions`, `QueryFilter` or `ScanFilter`: attribute → {ComparisonOperator,
/// AttributeValueList}.
pub(crate) fn read_conditions(input: &Input, member: &str, operator: Option<&str>) -> Result<Option<Condition>> {
    let Some(map) = input.object(member)? else {
        return Ok(None);
    };
    let mut out = Vec::new();
    for (attr, spec) in map.obj {
        let spec = Input::new(spec)?;
        let op = spec.str("ComparisonOperator")?.ok_or_else(|| {
            Error::validation(format!(
                "1 validation error detected: Value null at '{}.{attr}.member.comparisonOperator' failed to satisfy constraint: Member must not be null",
                lower_first(member)
            ))
        })?;
        out.push(comparison(attr, op, values(&spec)?)?);
    }
    Ok(join(out, operator))
}

/// `Expected`: attribute → {Value, Exists} or {ComparisonOperator, AttributeValueList}.
pub(crate) fn read_expected(input: &Input) -> Result<Option<Condition>> {
    let operator = input.str("ConditionalOperator")?;
    let Some(map) = input.object("Expected")? else {
        return Ok(None);
    };
    let mut out = Vec::new();
    for (attr, spec) in map.obj {
        let spec = Input::new(spec)?;
        let exists = spec.bool("Exists")?;
        let value = spec.raw("Value").map(AttributeValue::from_json).transpose()?;
        match spec.str("ComparisonOperator")? {
            Some(op) => {
                if exists.is_some() {
                    return Err(invalid(format!(
                        "Exists and ComparisonOperator cannot be used together for Attribute: {attr}"
                    )));
                }
                let mut args = values(&spec)?;
                if let Some(v) = value {
                    if spec.has("AttributeValueList") {
                        return Err(invalid(format!(
                            "Value and AttributeValueList cannot be used together for Attribute: {attr}"
                        )));
                    }
                    args.push(v);
                }
                out.push(comparison(attr, op, args)?);
            }
            None => {
                if spec.has("AttributeValueList") {
                    return Err(invalid(format!(
                        "AttributeValueList can only be used with a ComparisonOperator for Attribute: {attr}"
                    )));
                }
                match (exists.unwrap_or(true), value) {
                    (true, Some(v)) => {
                        out.push(Condition::Compare(CmpOp::Eq, Operand::Path(Path::attr(attr)), Operand::Value(v)))
                    }
                    (true, None) => {
                        let shown = exists.map_or("null".to_string(), |e| e.to_string());
                        return Err(invalid(format!(
                            "Value must be provided when Exists is {shown} for Attribute: {attr}"
                        )));
                    }
                    (false, Some(_)) => {
                        return Err(invalid(format!("Value cannot be used when Exists is false for Attribute: {attr}")))
                    }
                    (false, None) => out.push(Condition::AttributeNotExists(Path::attr(attr))),
                }
            }
        }
    }
    Ok(join(out, operator))
}

/// `AttributeUpdates`: attribute → {Action: PUT | ADD | DELETE, Value}.
pub(crate) fn read_attribute_updates(input: &Input) -> Result<Option<Update>> {
    let Some(map) = input.object("AttributeUpdates")? else {
        return Ok(None);
    };
    let mut actions = Vec::new();
    for (attr, spec) in map.obj {
        crate::value::check_name(attr)?;
        let spec = Input::new(spec)?;
        let value = spec.raw("Value").map(AttributeValue::from_json).transpose()?;
        let path = Path::attr(attr);
        let action = match (spec.str("Action")?.unwrap_or("PUT"), value) {
            ("PUT", Some(v)) => UpdateAction::Set(path, SetValue::Operand(UpdateOperand::Value(v))),
            ("PUT" | "ADD", None) => {
                return Err(invalid("Only DELETE action is allowed when no attribute value is specified"))
            }
            ("DELETE", None) => UpdateAction::Remove(path),
            ("DELETE", Some(v @ (AttributeValue::Ss(_) | AttributeValue::Ns(_) | AttributeValue::Bs(_)))) => {
                UpdateAction::Delete(path, v)
            }
            ("DELETE", Some(v)) => {
                return Err(invalid(format!("DELETE action with value is not supported for the type {}", v.type_tag())))
            }
            ("ADD", Some(AttributeValue::L(l))) => UpdateAction::Set(
                path.clone(),
                SetValue::Operand(UpdateOperand::ListAppend(
                    Box::new(UpdateOperand::IfNotExists(path, Box::new(UpdateOperand::Value(AttributeValue::L(ThinVec::new()))))),
                    Box::new(UpdateOperand::Value(AttributeValue::L(l))),
                )),
            ),
            ("ADD", Some(v @ (AttributeValue::N(_) | AttributeValue::Ss(_) | AttributeValue::Ns(_) | AttributeValue::Bs(_)))) => {
                UpdateAction::Add(path, v)
            }
            ("ADD", Some(v)) => {
                return Err(invalid(format!("ADD action is not supported for the type {}", v.type_tag())))
            }
            (other, _) => {
                return Err(Error::validation(format!(
                    "1 validation error detected: Value '{other}' at 'attributeUpdates.{attr}.member.action' failed to satisfy constraint: Member must satisfy enum value set: [ADD, PUT, DELETE]"
                )))
            }
        };
        actions.push(action);
    }
    Ok(Some(Update { actions, legacy: true }))
}

/// A member name as AWS's validator spells it in paths (`QueryFilter` → `queryFilter`).
pub fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_ascii_lowercase().to_string() + c.as_str()).unwrap_or_default()
}
