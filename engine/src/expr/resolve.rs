//! The resolve pass: raw syntax tree → resolved tree, substituting `#name` and `:value`
//! placeholders, recording which ones were used, and applying AWS's semantic checks.
//!
//! AWS reports one error per expression even when several apply, choosing by category in
//! a fixed order that differs per language (a reserved word outranks an undefined
//! placeholder in conditions, the other way round in updates). So checks are noted with
//! their category as the walk meets them, and the best-ranked one is reported at the end.

use std::collections::{BTreeMap, BTreeSet};

use super::ast::*;
use super::error::{ExprError, ExprErrorKind, ExprKind};
use super::reserved::is_reserved;
use super::syntax::*;
use crate::value::{AttributeValue, Item};

/// The request's placeholder maps, and which entries expressions used.
#[derive(Debug, Default)]
pub struct Placeholders<'a> {
    pub names: Option<&'a BTreeMap<&'a str, &'a str>>,
    pub values: Option<&'a Item>,
    /// The placeholders used, as the maps spell them (borrowed from the maps).
    pub used_names: BTreeSet<&'a str>,
    pub used_values: BTreeSet<&'a str>,
}

impl<'a> Placeholders<'a> {
    pub fn new(names: Option<&'a BTreeMap<&'a str, &'a str>>, values: Option<&'a Item>) -> Placeholders<'a> {
        Placeholders { names, values, used_names: BTreeSet::new(), used_values: BTreeSet::new() }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Category {
    Parens,
    UnknownFunction,
    MisusedFunction,
    Reserved,
    Section,
    Name,
    Value,
    Overlap,
    Conflict,
    ActionOperand,
    OperandCount,
    Distinct,
    Function,
}

impl Category {
    fn rank(self, kind: ExprKind) -> u8 {
        use Category::*;
        match kind {
            ExprKind::Update => match self {
                Reserved => 0,
                UnknownFunction => 1,
                Section => 2,
                Name => 3,
                Value => 4,
                Overlap => 5,
                Conflict => 6,
                ActionOperand => 7,
                OperandCount | Function => 8,
                _ => 9,
            },
            ExprKind::Projection => match self {
                Reserved => 0,
                Name => 1,
                Overlap => 2,
                Conflict => 3,
                _ => 4,
            },
            _ => match self {
                Parens => 0,
                UnknownFunction => 1,
                MisusedFunction => 2,
                Reserved => 3,
                Name | Value => 4,
                OperandCount => 5,
                Distinct => 6,
                _ => 7,
            },
        }
    }
}

struct Resolver<'p, 'a> {
    ph: &'p mut Placeholders<'a>,
    kind: ExprKind,
    found: Vec<(u8, ExprError)>,
}

const CONDITION_FUNCTIONS: [&str; 6] =
    ["attribute_exists", "attribute_not_exists", "attribute_type", "begins_with", "contains", "size"];
/// AWS's expression reference: "up to 100 values" after IN.
const MAX_IN_VALUES: usize = 100;
/// Functions only update expressions have.
const UPDATE_FUNCTIONS: [&str; 2] = ["if_not_exists", "list_append"];
const TYPE_NAMES: [&str; 10] = ["S", "SS", "N", "NS", "B", "BS", "BOOL", "NULL", "L", "M"];

impl<'p, 'a> Resolver<'p, 'a> {
    fn new(ph: &'p mut Placeholders<'a>, kind: ExprKind) -> Self {
        Resolver { ph, kind, found: Vec::new() }
    }

    fn note(&mut self, category: Category, kind: ExprErrorKind, span: Span) {
        self.found.push((category.rank(self.kind), ExprError::new(kind, span)));
    }

    fn finish<T>(self, value: T) -> Result<T, ExprError> {
        // min_by_key keeps the first of equal ranks: the one met first in the walk.
        match self.found.into_iter().min_by_key(|(rank, _)| *rank) {
            Some((_, e)) => Err(e),
            None => Ok(value),
        }
    }

    fn path(&mut self, raw: &RawPath) -> Path {
        let mut elems = Vec::with_capacity(raw.elems.len());
        for e in &raw.elems {
            match e {
                RawElem::Attr(name, span) => {
                    if is_reserved(name) {
                        self.note(Category::Reserved, ExprErrorKind::Reserved(name.clone()), span.clone());
                    }
                    elems.push(PathElem::Attr(name.clone()));
                }
                RawElem::Name(ph, span) => match self.ph.names.and_then(|n| n.get_key_value(ph.as_str())) {
                    Some((ph, real)) => {
                        self.ph.used_names.insert(ph);
                        elems.push(PathElem::Attr(real.to_string()));
                    }
                    None => {
                        self.note(Category::Name, ExprErrorKind::UndefinedName(ph.clone()), span.clone());
                        elems.push(PathElem::Attr(String::new()));
                    }
                },
                RawElem::Index(i, _) => elems.push(PathElem::Index(*i)),
            }
        }
        Path { elems, span: raw.span.clone() }
    }

    fn value(&mut self, name: &str, span: &Span) -> Option<AttributeValue> {
        match self.ph.values.and_then(|v| v.get_key_value(name)) {
            Some((name, v)) => {
                self.ph.used_values.insert(name);
                Some(v.clone())
            }
            None => {
                self.note(Category::Value, ExprErrorKind::UndefinedValue(name.to_string()), span.clone());
                None
            }
        }
    }

    // ---- conditions ----

    fn operand(&mut self, raw: &RawOperand) -> Operand {
        match raw {
            RawOperand::Path(p) => Operand::Path(self.path(p)),
            RawOperand::Value(name, span) => Operand::Value(self.value(name, span).unwrap_or(AttributeValue::Null)),
            RawOperand::Call(call) => {
                if call.name == "size" {
                    self.size(call)
                } else {
                    let (category, kind) = self.misplaced_function(&call.name);
                    self.note(category, kind, call.span.clone());
                    Operand::Value(AttributeValue::Null)
                }
            }
        }
    }

    /// Why a function that is no condition operand is wrong where it stands.
    fn misplaced_function(&self, name: &str) -> (Category, ExprErrorKind) {
        if CONDITION_FUNCTIONS.contains(&name) {
            (Category::MisusedFunction, ExprErrorKind::MisusedFunction(name.into()))
        } else if UPDATE_FUNCTIONS.contains(&name) {
            (Category::UnknownFunction, ExprErrorKind::NotInCondition(name.into()))
        } else {
            (Category::UnknownFunction, ExprErrorKind::InvalidFunction(name.into()))
        }
    }

    /// Comparisons other than `=` and `<>` (and BETWEEN) take strings, numbers and
    /// binaries; a value of another type is an error, not a false condition.
    fn ordered_operands(&mut self, operator: &str, operands: &[&Operand], span: Span) {
        for o in operands {
            if let Operand::Value(v) = o {
                let t = v.type_tag();
                if !matches!(t, "S" | "N" | "B") {
                    let kind = ExprErrorKind::OperandType { function: operator.into(), operand_type: t.into() };
                    self.note(Category::Function, kind, span);
                    return;
                }
            }
        }
    }

    fn size(&mut self, call: &RawCall) -> Operand {
        let args: Vec<Operand> = call.args.iter().map(|a| self.operand(a)).collect();
        if args.len() != 1 {
            self.note(
                Category::OperandCount,
                ExprErrorKind::OperandCount { function: "size".into(), count: args.len() },
                call.span.clone(),
            );
        }
        let arg = args.into_iter().next().unwrap_or(Operand::Value(AttributeValue::Null));
        if let Operand::Value(v @ (AttributeValue::N(_) | AttributeValue::Bool(_) | AttributeValue::Null)) = &arg {
            let operand_type = v.type_tag().to_string();
            self.note(
                Category::Function,
                ExprErrorKind::OperandType { function: "size".into(), operand_type },
                call.span.clone(),
            );
        }
        Operand::Size(Box::new(arg))
    }

    fn distinct(&mut self, operator: &str, a: &Operand, b: &Operand, span: Span) {
        if let (Operand::Path(x), Operand::Path(y)) = (a, b) {
            if x.elems == y.elems {
                let kind = ExprErrorKind::NotDistinct { operator: operator.into(), path: x.to_string() };
                self.note(Category::Distinct, kind, span);
            }
        }
    }

    fn condition(&mut self, raw: &RawCond) -> Condition {
        match raw {
            RawCond::Compare(op, l, r) => {
                let (a, b) = (self.operand(l), self.operand(r));
                if !matches!(op, CmpOp::Eq | CmpOp::Ne) {
                    self.ordered_operands(op.symbol(), &[&a, &b], raw_span(l).start..raw_span(r).end);
                }
                self.distinct(op.symbol(), &a, &b, raw_span(l));
                Condition::Compare(*op, a, b)
            }
            RawCond::Between(s, lo, hi) => {
                let (s, low, high) = (self.operand(s), self.operand(lo), self.operand(hi));
                let errors_before = self.found.len();
                self.ordered_operands("BETWEEN", &[&s, &low, &high], raw_span(lo));
                let typed = self.found.len() == errors_before;
                if let (true, Operand::Value(l), Operand::Value(h)) = (typed, &low, &high) {
                    let (ls, hs) = (between_operand(l), between_operand(h));
                    if l.type_tag() != h.type_tag() {
                        self.note(Category::Function, ExprErrorKind::BetweenTypes { low: ls, high: hs }, raw_span(lo));
                    } else if l.compare(h) == Some(std::cmp::Ordering::Greater) {
                        self.note(Category::Function, ExprErrorKind::BetweenOrder { low: ls, high: hs }, raw_span(lo));
                    }
                }
                Condition::Between(s, low, high)
            }
            RawCond::In(s, list) => {
                if list.len() > MAX_IN_VALUES {
                    let span = raw_span(s);
                    self.note(Category::Function, ExprErrorKind::TooManyInOperands(list.len()), span);
                }
                let s = self.operand(s);
                Condition::In(s, list.iter().map(|o| self.operand(o)).collect())
            }
            RawCond::Call(call) => self.function(call),
            RawCond::And(a, b) => Condition::And(Box::new(self.condition(a)), Box::new(self.condition(b))),
            RawCond::Or(a, b) => Condition::Or(Box::new(self.condition(a)), Box::new(self.condition(b))),
            RawCond::Not(a) => Condition::Not(Box::new(self.condition(a))),
        }
    }

    fn function(&mut self, call: &RawCall) -> Condition {
        let name = call.name.as_str();
        let span = call.span.clone();
        let always_true = || Condition::AttributeNotExists(Path { elems: Vec::new(), span: 0..0 });
        if name == "size" {
            self.note(Category::MisusedFunction, ExprErrorKind::MisusedFunction("size".into()), span);
            return always_true();
        }
        let arity = match name {
            "attribute_exists" | "attribute_not_exists" => 1,
            "attribute_type" | "begins_with" | "contains" => 2,
            _ => {
                let (category, kind) = self.misplaced_function(name);
                self.note(category, kind, span);
                return always_true();
            }
        };
        let args: Vec<Operand> = call.args.iter().map(|a| self.operand(a)).collect();
        if args.len() != arity {
            self.note(
                Category::OperandCount,
                ExprErrorKind::OperandCount { function: name.into(), count: args.len() },
                span,
            );
            return always_true();
        }
        let mut args = args.into_iter();
        let (Some(first), second) = (args.next(), args.next()) else {
            return always_true();
        };
        if let Some(second) = &second {
            self.distinct(name, &first, second, span.clone());
        }
        match (name, first, second) {
            ("attribute_exists" | "attribute_not_exists", Operand::Path(p), _) => {
                if name == "attribute_exists" {
                    Condition::AttributeExists(p)
                } else {
                    Condition::AttributeNotExists(p)
                }
            }
            ("attribute_exists" | "attribute_not_exists", _, _) => {
                self.note(Category::Function, ExprErrorKind::RequiresPath(name.into()), span);
                always_true()
            }
            ("attribute_type", first, Some(second)) => {
                self.check_type_name(&second, span);
                Condition::AttributeType(first, second)
            }
            ("begins_with", first, Some(second)) => {
                self.check_begins_with(&first, &second, span);
                Condition::BeginsWith(first, second)
            }
            (_, first, Some(second)) => Condition::Contains(first, second),
            _ => always_true(),
        }
    }

    /// `attribute_type`'s second operand must be a type name (`S`, `NS`, …).
    fn check_type_name(&mut self, second: &Operand, span: Span) {
        let function = "attribute_type".to_string();
        match second {
            Operand::Value(AttributeValue::S(t)) if !TYPE_NAMES.contains(&t.as_str()) => {
                self.note(Category::Function, ExprErrorKind::InvalidTypeName(t.to_string()), span);
            }
            Operand::Value(AttributeValue::S(_)) => {}
            other => {
                let operand_type = match other {
                    Operand::Value(v) => v.type_tag().to_string(),
                    Operand::Size(_) => "N".to_string(),
                    Operand::Path(_) => "{NS,SS,L,BS,N,M,B,BOOL,NULL,S}".to_string(),
                };
                self.note(Category::Function, ExprErrorKind::OperandType { function, operand_type }, span);
            }
        }
    }

    /// `begins_with` takes strings or binaries; the first operand of another type is named.
    fn check_begins_with(&mut self, first: &Operand, second: &Operand, span: Span) {
        for arg in [first, second] {
            let t = match arg {
                Operand::Value(v) => v.type_tag(),
                Operand::Size(_) => "N",
                Operand::Path(_) => continue,
            };
            if t != "S" && t != "B" {
                let kind = ExprErrorKind::OperandType { function: "begins_with".into(), operand_type: t.into() };
                self.note(Category::Function, kind, span);
                return;
            }
        }
    }

    // ---- updates ----

    fn update_operand(&mut self, raw: &RawOperand) -> (UpdateOperand, Option<&'static str>) {
        match raw {
            RawOperand::Path(p) => (UpdateOperand::Path(self.path(p)), None),
            RawOperand::Value(name, span) => {
                let v = self.value(name, span).unwrap_or(AttributeValue::Null);
                let t = v.type_tag();
                (UpdateOperand::Value(v), Some(t))
            }
            RawOperand::Call(call) => self.update_function(call),
        }
    }

    fn update_function(&mut self, call: &RawCall) -> (UpdateOperand, Option<&'static str>) {
        let name = call.name.as_str();
        let span = call.span.clone();
        let placeholder = UpdateOperand::Value(AttributeValue::Null);
        if !UPDATE_FUNCTIONS.contains(&name) {
            let kind = if CONDITION_FUNCTIONS.contains(&name) {
                ExprErrorKind::NotInUpdate(name.into())
            } else {
                ExprErrorKind::InvalidFunction(name.into())
            };
            self.note(Category::UnknownFunction, kind, span);
            return (placeholder, None);
        }
        let args: Vec<(UpdateOperand, Option<&'static str>)> =
            call.args.iter().map(|a| self.update_operand(a)).collect();
        if args.len() != 2 {
            self.note(
                Category::Function,
                ExprErrorKind::OperandCount { function: name.into(), count: args.len() },
                span,
            );
            return (placeholder, None);
        }
        let mut args = args.into_iter();
        let (Some((a, ta)), Some((b, tb))) = (args.next(), args.next()) else {
            return (placeholder, None);
        };
        if name == "if_not_exists" {
            let UpdateOperand::Path(p) = a else {
                self.note(Category::Function, ExprErrorKind::RequiresPath(name.into()), span);
                return (placeholder, None);
            };
            // Its type depends on the stored item, so AWS checks nothing around it:
            // `list_append(b, if_not_exists(a, :s))` is only refused at run time.
            return (UpdateOperand::IfNotExists(p, Box::new(b)), None);
        }
        // DynamoDB refuses list_append directly inside list_append (if_not_exists is fine).
        if let Some(RawOperand::Call(inner)) =
            call.args.iter().find(|a| matches!(a, RawOperand::Call(c) if c.name == "list_append"))
        {
            let kind = ExprErrorKind::MisusedFunction("list_append".into());
            self.note(Category::MisusedFunction, kind, inner.span.clone());
            return (placeholder, None);
        }
        for t in [ta, tb].into_iter().flatten() {
            if t != "L" {
                self.note(
                    Category::Function,
                    ExprErrorKind::OperandType { function: name.into(), operand_type: t.into() },
                    span.clone(),
                );
                break;
            }
        }
        (UpdateOperand::ListAppend(Box::new(a), Box::new(b)), Some("L"))
    }

    fn arithmetic(&mut self, symbol: &str, l: &RawOperand, r: &RawOperand) -> (UpdateOperand, UpdateOperand) {
        let (a, ta) = self.update_operand(l);
        let (b, tb) = self.update_operand(r);
        for t in [ta, tb].into_iter().flatten() {
            if t != "N" {
                let kind = ExprErrorKind::OperandType { function: symbol.into(), operand_type: t.into() };
                self.note(Category::Function, kind, raw_span(l).start..raw_span(r).end);
                break;
            }
        }
        (a, b)
    }

    fn action_value(&mut self, action: &str, name: &str, span: &Span) -> AttributeValue {
        let v = self.value(name, span).unwrap_or(AttributeValue::Null);
        let wrong = match (&v, action) {
            (AttributeValue::Ss(_) | AttributeValue::Ns(_) | AttributeValue::Bs(_), _) => None,
            (AttributeValue::N(_), "ADD") => None,
            (AttributeValue::S(_), _) => Some("STRING"),
            (AttributeValue::N(_), _) => Some("NUMBER"),
            (AttributeValue::B(_), _) => Some("BINARY"),
            (AttributeValue::Null, _) => Some("NULL"),
            (AttributeValue::Bool(_), _) => Some("BOOLEAN"),
            (AttributeValue::L(_), _) => Some("LIST"),
            (AttributeValue::M(_), _) => Some("MAP"),
        };
        if let Some(t) = wrong {
            if self.ph.values.is_some_and(|vals| vals.contains_key(name)) {
                let kind = ExprErrorKind::ActionOperandType { action: action.into(), operand_type: t.into() };
                self.note(Category::ActionOperand, kind, span.clone());
            }
        }
        v
    }

    fn check_paths(&mut self, paths: &[Path]) {
        for (i, later) in paths.iter().enumerate() {
            for earlier in paths.iter().take(i) {
                if let Some((category, kind)) = path_clash(earlier, later) {
                    self.note(category, kind, later.span.clone());
                }
            }
        }
    }
}

/// How two paths of one expression collide, if they do: one is a prefix of the other
/// (overlap), or they differ in kind at one level, a map key vs a list index (conflict).
fn path_clash(one: &Path, two: &Path) -> Option<(Category, ExprErrorKind)> {
    for (a, b) in one.elems.iter().zip(&two.elems) {
        match (a, b) {
            (PathElem::Attr(_), PathElem::Index(_)) | (PathElem::Index(_), PathElem::Attr(_)) => {
                return Some((
                    Category::Conflict,
                    ExprErrorKind::Conflict { one: one.to_string(), two: two.to_string() },
                ));
            }
            _ if a != b => return None,
            _ => {}
        }
    }
    Some((Category::Overlap, ExprErrorKind::Overlap { one: one.to_string(), two: two.to_string() }))
}

fn raw_span(op: &RawOperand) -> Span {
    match op {
        RawOperand::Path(p) => p.span.clone(),
        RawOperand::Value(_, s) => s.clone(),
        RawOperand::Call(c) => c.span.clone(),
    }
}

/// `{N:1}`, as BETWEEN errors print their bounds.
fn between_operand(v: &AttributeValue) -> String {
    let inner = match v {
        AttributeValue::S(s) => s.to_string(),
        AttributeValue::N(n) => n.to_string(),
        other => other.to_json().to_string(),
    };
    format!("{{{}:{}}}", v.type_tag(), inner)
}

fn syntax(e: SyntaxError) -> ExprError {
    let span = e.span.clone();
    ExprError::new(ExprErrorKind::Syntax(e), span)
}

/// Refuses an expression nested deeper than the parsers may recurse, before parsing.
fn not_too_deep(src: &str) -> Result<(), ExprError> {
    match nesting(src) {
        Some((depth, span)) if depth > MAX_NESTING => Err(ExprError::new(ExprErrorKind::TooDeep(depth), span)),
        _ => Ok(()),
    }
}

/// Parses and resolves a condition or filter (or the shape of a key condition).
pub fn condition(src: &str, kind: ExprKind, ph: &mut Placeholders) -> Result<Condition, ExprError> {
    not_too_deep(src)?;
    let parsed = parse_condition(src).map_err(syntax)?;
    let mut r = Resolver::new(ph, kind);
    if let Some(span) = parsed.redundant_parens {
        r.note(Category::Parens, ExprErrorKind::RedundantParens, span);
    }
    let c = r.condition(&parsed.ast);
    r.finish(c)
}

/// Parses and resolves an update expression.
pub fn update(src: &str, ph: &mut Placeholders) -> Result<Update, ExprError> {
    not_too_deep(src)?;
    let parsed = parse_update(src).map_err(syntax)?;
    let mut r = Resolver::new(ph, ExprKind::Update);
    let mut seen = Vec::new();
    let mut actions = Vec::new();
    for (section, span, raw_actions) in &parsed.ast.sections {
        if seen.contains(section) {
            r.note(Category::Section, ExprErrorKind::SectionTwice(section.keyword().into()), span.clone());
        }
        seen.push(*section);
        for raw in raw_actions {
            actions.push(match raw {
                RawAction::Set(p, v) => {
                    let path = r.path(p);
                    let value = match v {
                        RawSetValue::Operand(o) => SetValue::Operand(r.update_operand(o).0),
                        RawSetValue::Plus(a, b) => {
                            let (a, b) = r.arithmetic("+", a, b);
                            SetValue::Plus(a, b)
                        }
                        RawSetValue::Minus(a, b) => {
                            let (a, b) = r.arithmetic("-", a, b);
                            SetValue::Minus(a, b)
                        }
                    };
                    UpdateAction::Set(path, value)
                }
                RawAction::Remove(p) => UpdateAction::Remove(r.path(p)),
                RawAction::Add(p, name, span) => {
                    let path = r.path(p);
                    UpdateAction::Add(path, r.action_value("ADD", name, span))
                }
                RawAction::Delete(p, name, span) => {
                    let path = r.path(p);
                    UpdateAction::Delete(path, r.action_value("DELETE", name, span))
                }
            });
        }
    }
    let paths: Vec<Path> = actions.iter().map(|a| a.path().clone()).collect();
    r.check_paths(&paths);
    r.finish(Update { actions, legacy: false })
}

/// Parses and resolves a projection expression.
pub fn projection(src: &str, ph: &mut Placeholders) -> Result<Vec<Path>, ExprError> {
    not_too_deep(src)?;
    let parsed = parse_projection(src).map_err(syntax)?;
    let mut r = Resolver::new(ph, ExprKind::Projection);
    let paths: Vec<Path> = parsed.ast.iter().map(|p| r.path(p)).collect();
    r.check_paths(&paths);
    r.finish(paths)
}

#[cfg(test)]
mod tests;
