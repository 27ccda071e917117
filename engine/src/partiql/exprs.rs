//! PartiQL conditions and values written as DynamoDB expressions: every attribute name
//! becomes a `#n` placeholder and every value a `:v` one, so no name is ever mistaken for
//! a reserved word and no value is spliced into text.

use serde_json::{json, Map, Value};

use super::ast::{Cond, Operand, Path, Step};
use crate::error::{Error, Result};

/// The message DynamoDB gives when the `?`s and `Parameters` differ in number.
pub const PARAMETER_COUNT: &str = "Number of parameters in request and statement don't match.";

pub struct Exprs<'p> {
    names: Map<String, Value>,
    values: Map<String, Value>,
    params: &'p [Value],
}

impl<'p> Exprs<'p> {
    pub fn new(params: &'p [Value]) -> Exprs<'p> {
        Exprs { names: Map::new(), values: Map::new(), params }
    }

    pub fn name(&mut self, name: &str) -> String {
        let found = self.names.iter().find(|(_, v)| v.as_str() == Some(name)).map(|(k, _)| k.clone());
        found.unwrap_or_else(|| {
            let key = format!("#n{}", self.names.len());
            self.names.insert(key.clone(), json!(name));
            key
        })
    }

    pub fn value(&mut self, value: Value) -> String {
        let key = format!(":v{}", self.values.len());
        self.values.insert(key.clone(), value);
        key
    }

    pub fn path(&mut self, path: &Path) -> String {
        let mut out = String::new();
        for step in &path.0 {
            match step {
                Step::Name(n) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(&self.name(n));
                }
                Step::Index(i) => out.push_str(&format!("[{i}]")),
            }
        }
        out
    }

    /// A literal or parameter's value.
    pub fn resolve(&self, operand: &Operand) -> Result<Option<Value>> {
        Ok(match operand {
            Operand::Value(v) => Some(super::values::fill(v, self.params)?),
            Operand::Param(i) => Some(self.params.get(*i).cloned().ok_or_else(|| Error::validation(PARAMETER_COUNT))?),
            _ => None,
        })
    }

    pub fn operand(&mut self, operand: &Operand) -> Result<String> {
        if let Some(v) = self.resolve(operand)? {
            return Ok(self.value(v));
        }
        Ok(match operand {
            Operand::Path(p) => self.path(p),
            Operand::Size(p) => format!("size({})", self.path(p)),
            Operand::Add(a, b) => format!("{} + {}", self.operand(a)?, self.operand(b)?),
            Operand::Sub(a, b) => format!("{} - {}", self.operand(a)?, self.operand(b)?),
            Operand::Call(name, args) => format!("{name}({})", self.list(args)?),
            Operand::Value(_) | Operand::Param(_) => String::new(),
        })
    }

    fn list(&mut self, args: &[Operand]) -> Result<String> {
        let parts: Vec<String> = args.iter().map(|a| self.operand(a)).collect::<Result<_>>()?;
        Ok(parts.join(", "))
    }

    pub fn cond(&mut self, cond: &Cond) -> Result<String> {
        Ok(match cond {
            Cond::Or(a, b) => format!("({}) OR ({})", self.cond(a)?, self.cond(b)?),
            Cond::And(a, b) => format!("({}) AND ({})", self.cond(a)?, self.cond(b)?),
            Cond::Not(a) => format!("NOT ({})", self.cond(a)?),
            Cond::Cmp(op, a, b) => format!("{} {} {}", self.operand(a)?, op.symbol(), self.operand(b)?),
            Cond::Between(a, lo, hi) => {
                format!("{} BETWEEN {} AND {}", self.operand(a)?, self.operand(lo)?, self.operand(hi)?)
            }
            Cond::In(a, list) => format!("{} IN ({})", self.operand(a)?, self.list(list)?),
            Cond::Missing(p, false) => format!("attribute_not_exists({})", self.path(p)),
            Cond::Missing(p, true) => format!("attribute_exists({})", self.path(p)),
            Cond::Null(p, negated) => {
                let test = format!("attribute_type({}, {})", self.path(p), self.value(json!({"S": "NULL"})));
                if *negated {
                    format!("NOT {test}")
                } else {
                    test
                }
            }
            Cond::Func(name, args) if name == "exists" => match args.as_slice() {
                [Operand::Path(p)] => format!("attribute_exists({})", self.path(p)),
                _ => return Err(Error::validation("EXISTS takes one attribute path here.")),
            },
            Cond::Func(name, args) => format!("{name}({})", self.list(args)?),
        })
    }

    /// Adds the placeholders used to `request`.
    pub fn finish(self, request: &mut Map<String, Value>) {
        if !self.names.is_empty() {
            request.insert("ExpressionAttributeNames".into(), Value::Object(self.names));
        }
        if !self.values.is_empty() {
            request.insert("ExpressionAttributeValues".into(), Value::Object(self.values));
        }
    }
}
