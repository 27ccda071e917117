//! A parsed PartiQL statement. Values are kept as DynamoDB JSON (`{"S": "x"}`), the form
//! the planner hands to the engine's operations.

use serde_json::Value;

#[derive(Clone, Debug, PartialEq)]
pub enum Statement {
    Select(Select),
    Insert { table: String, item: Operand },
    Update(Update),
    Delete(Delete),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Select {
    /// `None`: `*`.
    pub projection: Option<Vec<Path>>,
    pub table: String,
    pub index: Option<String>,
    pub filter: Option<Cond>,
    /// `ORDER BY path [DESC]`: the path and whether descending.
    pub order: Option<(Path, bool)>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Update {
    pub table: String,
    pub actions: Vec<Action>,
    pub filter: Option<Cond>,
    pub returning: Option<Returning>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Delete {
    pub table: String,
    pub filter: Option<Cond>,
    pub returning: Option<Returning>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    Set(Path, Operand),
    Remove(Path),
}

/// `RETURNING ALL OLD *` and its kin, as UpdateItem's `ReturnValues` names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Returning {
    AllOld,
    ModifiedOld,
    AllNew,
    ModifiedNew,
}

impl Returning {
    pub fn return_values(self) -> &'static str {
        match self {
            Returning::AllOld => "ALL_OLD",
            Returning::ModifiedOld => "UPDATED_OLD",
            Returning::AllNew => "ALL_NEW",
            Returning::ModifiedNew => "UPDATED_NEW",
        }
    }
}

/// An attribute path: `a.b[2]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Path(pub Vec<Step>);

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    Name(String),
    Index(u32),
}

impl Path {
    /// The attribute this path is, if it is a top-level one.
    pub fn top(&self) -> Option<&str> {
        match self.0.as_slice() {
            [Step::Name(n)] => Some(n),
            _ => None,
        }
    }
}

/// Something with a value.
#[derive(Clone, Debug, PartialEq)]
pub enum Operand {
    Path(Path),
    /// A literal, as DynamoDB JSON.
    Value(Value),
    /// The n-th `?` (from 0).
    Param(usize),
    Size(Path),
    Add(Box<Operand>, Box<Operand>),
    Sub(Box<Operand>, Box<Operand>),
    /// A function of the SET clause: `list_append`, `set_add`, `set_delete`, `if_not_exists`.
    Call(String, Vec<Operand>),
}

/// The comparison operators are the expression language's.
pub use crate::expr::syntax::CmpOp;

/// A condition (WHERE).
#[derive(Clone, Debug, PartialEq)]
pub enum Cond {
    Or(Box<Cond>, Box<Cond>),
    And(Box<Cond>, Box<Cond>),
    Not(Box<Cond>),
    Cmp(CmpOp, Operand, Operand),
    Between(Operand, Operand, Operand),
    In(Operand, Vec<Operand>),
    /// `IS [NOT] MISSING`: true when the attribute is absent (present, if negated).
    Missing(Path, bool),
    /// `IS [NOT] NULL`: the attribute is of type NULL (is not, if negated).
    Null(Path, bool),
    /// `begins_with`, `contains`, `attribute_type`, `exists` (of a path).
    Func(String, Vec<Operand>),
}

impl Cond {
    /// The conditions joined by top-level ANDs, in order.
    pub fn conjuncts(self) -> Vec<Cond> {
        match self {
            Cond::And(a, b) => {
                let mut out = a.conjuncts();
                out.extend(b.conjuncts());
                out
            }
            other => vec![other],
        }
    }

    /// The conditions joined by AND again (`None` for none).
    pub fn all(conds: Vec<Cond>) -> Option<Cond> {
        conds.into_iter().reduce(|a, b| Cond::And(Box::new(a), Box::new(b)))
    }
}
