//! A statement written back as PartiQL text that parses to the same statement: names
//! always double-quoted, conditions fully parenthesised, literals in PartiQL's notation.
//! The parser's round-trip property test prints and re-reads generated statements.

use std::fmt::{self, Display, Formatter, Write as _};

use serde_json::Value;

use super::ast::{Action, Cond, Delete, Operand, Path, Returning, Select, Statement, Step, Update};

impl Display for Statement {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Statement::Select(s) => s.fmt(f),
            Statement::Insert { table, item } => write!(f, "INSERT INTO {} VALUE {item}", name(table)),
            Statement::Update(u) => u.fmt(f),
            Statement::Delete(d) => d.fmt(f),
        }
    }
}

impl Display for Select {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match &self.projection {
            None => f.write_str("SELECT *")?,
            Some(paths) => write!(f, "SELECT {}", joined(paths, ", "))?,
        }
        write!(f, " FROM {}", name(&self.table))?;
        if let Some(index) = &self.index {
            write!(f, ".{}", name(index))?;
        }
        if let Some(c) = &self.filter {
            write!(f, " WHERE {c}")?;
        }
        if let Some((path, desc)) = &self.order {
            write!(f, " ORDER BY {path}{}", if *desc { " DESC" } else { "" })?;
        }
        Ok(())
    }
}

impl Display for Update {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "UPDATE {}", name(&self.table))?;
        for a in &self.actions {
            match a {
                Action::Set(p, v) => write!(f, " SET {p} = {v}")?,
                Action::Remove(p) => write!(f, " REMOVE {p}")?,
            }
        }
        if let Some(c) = &self.filter {
            write!(f, " WHERE {c}")?;
        }
        returning(f, self.returning)
    }
}

impl Display for Delete {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "DELETE FROM {}", name(&self.table))?;
        if let Some(c) = &self.filter {
            write!(f, " WHERE {c}")?;
        }
        returning(f, self.returning)
    }
}

fn returning(f: &mut Formatter<'_>, r: Option<Returning>) -> fmt::Result {
    let Some(r) = r else { return Ok(()) };
    let words = match r {
        Returning::AllOld => "ALL OLD",
        Returning::ModifiedOld => "MODIFIED OLD",
        Returning::AllNew => "ALL NEW",
        Returning::ModifiedNew => "MODIFIED NEW",
    };
    write!(f, " RETURNING {words} *")
}

impl Display for Path {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        for (i, step) in self.0.iter().enumerate() {
            match step {
                Step::Name(n) if i == 0 => f.write_str(&name(n))?,
                Step::Name(n) => write!(f, ".{}", name(n))?,
                Step::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

impl Display for Operand {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Operand::Path(p) => p.fmt(f),
            Operand::Value(v) => f.write_str(&literal(v)),
            Operand::Param(_) => f.write_str("?"),
            Operand::Size(p) => write!(f, "size({p})"),
            Operand::Add(a, b) => write!(f, "{a} + {b}"),
            Operand::Sub(a, b) => write!(f, "{a} - {b}"),
            Operand::Call(n, args) => write!(f, "{n}({})", joined(args, ", ")),
        }
    }
}

impl Display for Cond {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Cond::Or(a, b) => write!(f, "({a} OR {b})"),
            Cond::And(a, b) => write!(f, "({a} AND {b})"),
            Cond::Not(a) => write!(f, "NOT ({a})"),
            Cond::Cmp(op, a, b) => write!(f, "{a} {} {b}", op.symbol()),
            Cond::Between(a, lo, hi) => write!(f, "{a} BETWEEN {lo} AND {hi}"),
            Cond::In(a, list) => write!(f, "{a} IN [{}]", joined(list, ", ")),
            Cond::Missing(p, negated) => write!(f, "{p} IS {}MISSING", if *negated { "NOT " } else { "" }),
            Cond::Null(p, negated) => write!(f, "{p} IS {}NULL", if *negated { "NOT " } else { "" }),
            Cond::Func(n, args) => write!(f, "{n}({})", joined(args, ", ")),
        }
    }
}

fn joined<T: Display>(items: &[T], sep: &str) -> String {
    let mut out = String::new();
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(sep);
        }
        let _ = write!(out, "{item}");
    }
    out
}

/// A name, double-quoted (a doubled quote inside is one).
fn name(n: &str) -> String {
    format!("\"{}\"", n.replace('"', "\"\""))
}

fn quoted(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// A DynamoDB JSON value as a PartiQL literal.
pub fn literal(v: &Value) -> String {
    let Some((ty, inner)) = v.as_object().and_then(|o| o.iter().next()) else { return "NULL".into() };
    match (ty.as_str(), inner) {
        ("S", Value::String(s)) => quoted(s),
        ("N", Value::String(n)) => n.clone(),
        ("BOOL", Value::Bool(b)) => if *b { "TRUE" } else { "FALSE" }.into(),
        ("L", Value::Array(items)) => format!("[{}]", items.iter().map(literal).collect::<Vec<_>>().join(", ")),
        ("M", Value::Object(m)) => {
            let members: Vec<String> = m.iter().map(|(k, v)| format!("{}: {}", quoted(k), literal(v))).collect();
            format!("{{{}}}", members.join(", "))
        }
        ("SS", a) => format!("<<{}>>", strings(a).iter().map(|s| quoted(s)).collect::<Vec<_>>().join(", ")),
        ("NS", a) => format!("<<{}>>", strings(a).join(", ")),
        _ => "NULL".into(),
    }
}

fn strings(a: &Value) -> Vec<String> {
    a.as_array().into_iter().flatten().filter_map(Value::as_str).map(str::to_string).collect()
}
