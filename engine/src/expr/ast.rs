//! The resolved expression trees the evaluator runs: placeholders substituted, names
//! checked, every path a list of elements. Built only by `resolve.rs`.

use std::fmt;

use super::syntax::{CmpOp, Span};
use crate::value::AttributeValue;

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum PathElem {
    Attr(String),
    Index(usize),
}

/// A document path such as `a.b[2]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Path {
    pub elems: Vec<PathElem>,
    pub span: Span,
}

impl Path {
    /// A top-level attribute.
    pub fn attr(name: &str) -> Path {
        Path { elems: vec![PathElem::Attr(name.to_string())], span: 0..0 }
    }

    /// The top-level attribute the path starts at.
    pub fn root(&self) -> Option<&str> {
        match self.elems.first() {
            Some(PathElem::Attr(a)) => Some(a),
            _ => None,
        }
    }

    pub fn is_nested(&self) -> bool {
        self.elems.len() > 1
    }
}

impl fmt::Display for Path {
    /// AWS's rendering in path errors: `[a, b, [0]]`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[")?;
        for (i, e) in self.elems.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            match e {
                PathElem::Attr(a) => f.write_str(a)?,
                PathElem::Index(n) => write!(f, "[{n}]")?,
            }
        }
        f.write_str("]")
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Operand {
    Path(Path),
    Value(AttributeValue),
    Size(Box<Operand>),
}

#[derive(Clone, Debug, PartialEq)]
pub enum Condition {
    Compare(CmpOp, Operand, Operand),
    Between(Operand, Operand, Operand),
    In(Operand, Vec<Operand>),
    AttributeExists(Path),
    AttributeNotExists(Path),
    AttributeType(Operand, Operand),
    BeginsWith(Operand, Operand),
    Contains(Operand, Operand),
    And(Box<Condition>, Box<Condition>),
    Or(Box<Condition>, Box<Condition>),
    Not(Box<Condition>),
}

#[derive(Clone, Debug, PartialEq)]
pub enum UpdateOperand {
    Path(Path),
    Value(AttributeValue),
    IfNotExists(Path, Box<UpdateOperand>),
    ListAppend(Box<UpdateOperand>, Box<UpdateOperand>),
}

#[derive(Clone, Debug, PartialEq)]
pub enum SetValue {
    Operand(UpdateOperand),
    Plus(UpdateOperand, UpdateOperand),
    Minus(UpdateOperand, UpdateOperand),
}

#[derive(Clone, Debug, PartialEq)]
pub enum UpdateAction {
    Set(Path, SetValue),
    Remove(Path),
    Add(Path, AttributeValue),
    Delete(Path, AttributeValue),
}

impl UpdateAction {
    pub fn path(&self) -> &Path {
        match self {
            UpdateAction::Set(p, _)
            | UpdateAction::Remove(p)
            | UpdateAction::Add(p, _)
            | UpdateAction::Delete(p, _) => p,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Update {
    pub actions: Vec<UpdateAction>,
    /// Built from the legacy AttributeUpdates parameter, whose ADD and DELETE report a
    /// type clash as "Type mismatch for attribute to update".
    pub legacy: bool,
}
