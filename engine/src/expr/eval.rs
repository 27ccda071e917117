//! Evaluating resolved expressions against an item: conditions and filters, projections,
//! and update actions. Nothing here parses or sees placeholders.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::collections::BTreeMap;
use thin_vec::ThinVec;

use super::ast::*;
use super::syntax::CmpOp;
use crate::error::{Error, Result};
use crate::value::{AttributeValue, Item, Number};

/// The value at `path`, if the item has one there.
pub fn get<'a>(item: &'a Item, path: &Path) -> Option<&'a AttributeValue> {
    let mut elems = path.elems.iter();
    let mut current = match elems.next()? {
        PathElem::Attr(a) => item.get(a)?,
        PathElem::Index(_) => return None,
    };
    for e in elems {
        current = match (e, current) {
            (PathElem::Attr(a), AttributeValue::M(m)) => m.get(a)?,
            (PathElem::Index(i), AttributeValue::L(l)) => l.get(*i)?,
            _ => return None,
        };
    }
    Some(current)
}

fn operand<'a>(op: &'a Operand, item: &'a Item) -> Option<Cow<'a, AttributeValue>> {
    match op {
        Operand::Path(p) => get(item, p).map(Cow::Borrowed),
        Operand::Value(v) => Some(Cow::Borrowed(v)),
        Operand::Size(inner) => {
            let v = operand(inner, item)?;
            let n = match v.as_ref() {
                AttributeValue::S(s) => s.len(),
                AttributeValue::B(b) => b.len(),
                AttributeValue::Ss(s) => s.len(),
                AttributeValue::Ns(s) => s.len(),
                AttributeValue::Bs(s) => s.len(),
                AttributeValue::L(l) => l.len(),
                AttributeValue::M(m) => m.len(),
                _ => return None,
            };
            Some(Cow::Owned(AttributeValue::N(Number::from_i64(n as i64))))
        }
    }
}

/// Whether `item` satisfies `cond`. A missing item is an empty one: every path is absent.
pub fn matches(cond: &Condition, item: &Item) -> bool {
    match cond {
        Condition::Compare(op, a, b) => {
            let (a, b) = (operand(a, item), operand(b, item));
            match op {
                CmpOp::Eq => matches!((&a, &b), (Some(x), Some(y)) if x == y),
                CmpOp::Ne => !matches!((&a, &b), (Some(x), Some(y)) if x == y),
                _ => {
                    let (Some(x), Some(y)) = (a, b) else {
                        return false;
                    };
                    let Some(ord) = x.compare(&y) else {
                        return false;
                    };
                    match op {
                        CmpOp::Lt => ord == Ordering::Less,
                        CmpOp::Le => ord != Ordering::Greater,
                        CmpOp::Gt => ord == Ordering::Greater,
                        _ => ord != Ordering::Less,
                    }
                }
            }
        }
        Condition::Between(s, lo, hi) => {
            let (Some(s), Some(lo), Some(hi)) = (operand(s, item), operand(lo, item), operand(hi, item)) else {
                return false;
            };
            s.compare(&lo).is_some_and(|o| o != Ordering::Less)
                && s.compare(&hi).is_some_and(|o| o != Ordering::Greater)
        }
        Condition::In(s, list) => {
            let Some(s) = operand(s, item) else {
                return false;
            };
            list.iter().any(|o| operand(o, item).is_some_and(|v| *v == *s))
        }
        Condition::AttributeExists(p) => get(item, p).is_some(),
        Condition::AttributeNotExists(p) => p.elems.is_empty() || get(item, p).is_none(),
        Condition::AttributeType(p, t) => {
            let (Some(v), Some(t)) = (operand(p, item), operand(t, item)) else {
                return false;
            };
            matches!(t.as_ref(), AttributeValue::S(t) if t == v.type_tag())
        }
        Condition::BeginsWith(a, b) => {
            let (Some(a), Some(b)) = (operand(a, item), operand(b, item)) else {
                return false;
            };
            match (a.as_ref(), b.as_ref()) {
                (AttributeValue::S(x), AttributeValue::S(p)) => x.starts_with(p.as_str()),
                (AttributeValue::B(x), AttributeValue::B(p)) => x.starts_with(p),
                _ => false,
            }
        }
        Condition::Contains(a, b) => {
            let (Some(a), Some(b)) = (operand(a, item), operand(b, item)) else {
                return false;
            };
            contains(&a, &b)
        }
        Condition::And(a, b) => matches(a, item) && matches(b, item),
        Condition::Or(a, b) => matches(a, item) || matches(b, item),
        Condition::Not(a) => !matches(a, item),
    }
}

fn contains(haystack: &AttributeValue, needle: &AttributeValue) -> bool {
    match (haystack, needle) {
        (AttributeValue::S(s), AttributeValue::S(n)) => s.contains(n.as_str()),
        (AttributeValue::B(s), AttributeValue::B(n)) => n.is_empty() || s.windows(n.len()).any(|w| w == n.as_slice()),
        (AttributeValue::Ss(s), AttributeValue::S(n)) => s.contains(n),
        (AttributeValue::Ns(s), AttributeValue::N(n)) => s.contains(n),
        (AttributeValue::Bs(s), AttributeValue::B(n)) => s.contains(n),
        (AttributeValue::L(l), n) => l.contains(n),
        _ => false,
    }
}

/// What a projection keeps of one value: all of it, or some members of a map, or some
/// elements of a list (by index).
enum Kept {
    Whole(AttributeValue),
    Members(BTreeMap<String, Kept>),
    Elements(BTreeMap<usize, Kept>),
}

impl Kept {
    /// Adds the branch `rest` of `src` to what is kept.
    fn add(&mut self, src: &AttributeValue, rest: &[PathElem]) {
        let Some((first, tail)) = rest.split_first() else {
            *self = Kept::Whole(src.clone());
            return;
        };
        match (first, src, &mut *self) {
            (_, _, Kept::Whole(_)) => {}
            (PathElem::Attr(a), AttributeValue::M(m), Kept::Members(kept)) => {
                if let Some(child) = m.get(a) {
                    kept.entry(a.clone()).or_insert_with(|| Kept::start(child, tail)).add(child, tail);
                }
            }
            (PathElem::Index(i), AttributeValue::L(l), Kept::Elements(kept)) => {
                if let Some(child) = l.get(*i) {
                    kept.entry(*i).or_insert_with(|| Kept::start(child, tail)).add(child, tail);
                }
            }
            _ => {}
        }
    }

    /// An empty selection of the right shape for the branch `rest` of `src`.
    fn start(src: &AttributeValue, rest: &[PathElem]) -> Kept {
        match (rest.first(), src) {
            (Some(PathElem::Attr(_)), AttributeValue::M(_)) => Kept::Members(BTreeMap::new()),
            (Some(PathElem::Index(_)), AttributeValue::L(_)) => Kept::Elements(BTreeMap::new()),
            _ => Kept::Whole(src.clone()),
        }
    }

    /// The kept value: list elements picked by index come back in index order, packed
    /// together, as DynamoDB returns them.
    fn value(self) -> AttributeValue {
        match self {
            Kept::Whole(v) => v,
            Kept::Members(m) => AttributeValue::M(m.into_iter().map(|(k, v)| (k, v.value())).collect()),
            Kept::Elements(l) => AttributeValue::L(l.into_values().map(Kept::value).collect()),
        }
    }
}

/// The item cut down to `paths`. Missing paths are skipped.
pub fn projected(item: &Item, paths: &[Path]) -> Item {
    let mut kept: BTreeMap<String, Kept> = BTreeMap::new();
    for path in paths {
        if get(item, path).is_none() {
            continue;
        }
        let Some((PathElem::Attr(root), rest)) = path.elems.split_first() else {
            continue;
        };
        let Some(src) = item.get(root) else { continue };
        kept.entry(root.clone()).or_insert_with(|| Kept::start(src, rest)).add(src, rest);
    }
    kept.into_iter().map(|(k, v)| (k, v.value())).collect()
}

// ---- updates ----

const MISSING_ATTRIBUTE: &str = "The provided expression refers to an attribute that does not exist in the item";
const WRONG_TYPE: &str = "An operand in the update expression has an incorrect data type";
const BAD_PATH: &str = "The document path provided in the update expression is invalid for update";
const TYPE_MISMATCH: &str = "Type mismatch for attribute to update";

fn update_operand(op: &UpdateOperand, item: &Item) -> Result<AttributeValue> {
    match op {
        UpdateOperand::Path(p) => get(item, p).cloned().ok_or_else(|| Error::validation(MISSING_ATTRIBUTE)),
        UpdateOperand::Value(v) => Ok(v.clone()),
        UpdateOperand::IfNotExists(p, fallback) => match get(item, p) {
            Some(v) => Ok(v.clone()),
            None => update_operand(fallback, item),
        },
        UpdateOperand::ListAppend(a, b) => match (update_operand(a, item)?, update_operand(b, item)?) {
            (AttributeValue::L(mut x), AttributeValue::L(y)) => {
                x.extend(y);
                Ok(AttributeValue::L(x))
            }
            _ => Err(Error::validation(WRONG_TYPE)),
        },
    }
}

fn set_value(v: &SetValue, item: &Item) -> Result<AttributeValue> {
    let arith = |a: &UpdateOperand, b: &UpdateOperand, minus: bool| -> Result<AttributeValue> {
        match (update_operand(a, item)?, update_operand(b, item)?) {
            (AttributeValue::N(x), AttributeValue::N(y)) => {
                let r = if minus { x.sub(&y) } else { x.add(&y) };
                r.map(AttributeValue::N).map_err(|e| Error::validation(e.message("")))
            }
            _ => Err(Error::validation(WRONG_TYPE)),
        }
    };
    match v {
        SetValue::Operand(o) => update_operand(o, item),
        SetValue::Plus(a, b) => arith(a, b, false),
        SetValue::Minus(a, b) => arith(a, b, true),
    }
}

enum Slot<'a> {
    Top(&'a mut Item, &'a str),
    Member(&'a mut Item, &'a str),
    Element(&'a mut ThinVec<AttributeValue>, usize),
}

/// Finds where `path` points. `None` when its parent is missing or is not a map/list of
/// the kind the path needs.
fn slot<'a>(item: &'a mut Item, path: &'a Path) -> Option<Slot<'a>> {
    let (last, parents) = path.elems.split_last()?;
    let Some((first, middle)) = parents.split_first() else {
        return match last {
            PathElem::Attr(a) => Some(Slot::Top(item, a)),
            PathElem::Index(_) => None,
        };
    };
    let PathElem::Attr(root) = first else {
        return None;
    };
    let mut current = item.get_mut(root)?;
    for e in middle {
        current = match (e, current) {
            (PathElem::Attr(a), AttributeValue::M(m)) => m.get_mut(a)?,
            (PathElem::Index(i), AttributeValue::L(l)) => l.get_mut(*i)?,
            _ => return None,
        };
    }
    match (last, current) {
        (PathElem::Attr(a), AttributeValue::M(m)) => Some(Slot::Member(m, a)),
        (PathElem::Index(i), AttributeValue::L(l)) => Some(Slot::Element(l, *i)),
        _ => None,
    }
}

fn put_at(item: &mut Item, path: &Path, value: AttributeValue) -> Result<()> {
    match slot(item, path) {
        Some(Slot::Top(m, a) | Slot::Member(m, a)) => {
            m.insert(a.to_string(), value);
        }
        Some(Slot::Element(l, i)) => {
            if let Some(e) = l.get_mut(i) {
                *e = value;
            } else {
                l.push(value);
            }
        }
        None => return Err(Error::validation(BAD_PATH)),
    }
    Ok(())
}

/// Removes what `path` points at; nothing when it is missing. A parent that is missing or
/// not the map/list the path needs is `BAD_PATH` in a stored item, and ignored in a new one.
fn remove_at(item: &mut Item, path: &Path, exists: bool) -> Result<()> {
    match slot(item, path) {
        Some(Slot::Top(m, a) | Slot::Member(m, a)) => {
            m.remove(a);
        }
        Some(Slot::Element(l, i)) if i < l.len() => {
            l.remove(i);
        }
        Some(Slot::Element(..)) => {}
        None if exists => return Err(Error::validation(BAD_PATH)),
        None => {}
    }
    Ok(())
}

/// Applies an update to the stored item `old`, or to a new item holding only `key`, and
/// returns the item to store. Every SET right-hand side is evaluated against the old
/// item, as DynamoDB does, so `SET a = b, b = a` swaps.
///
/// As in DynamoDB: removing below a missing or wrongly typed parent of a stored item is
/// `BAD_PATH` (a missing leaf is a no-op); and an update that only removes (REMOVE, or
/// DELETE of set elements) creates nothing when the item does not exist, so `None`.
pub fn apply_update(update: &Update, old: Option<&Item>, key: &Item) -> Result<Option<Item>> {
    let only_removes = update.actions.iter().all(|a| matches!(a, UpdateAction::Remove(_) | UpdateAction::Delete(..)));
    if old.is_none() && only_removes && !update.actions.is_empty() {
        return Ok(None);
    }
    apply_to(update, old.unwrap_or(key), old.is_some()).map(Some)
}

fn apply_to(update: &Update, old: &Item, exists: bool) -> Result<Item> {
    let mut sets: Vec<(&Path, AttributeValue)> = Vec::new();
    let mut removes: Vec<&Path> = Vec::new();
    let mut adds: Vec<(&Path, &AttributeValue)> = Vec::new();
    let mut deletes: Vec<(&Path, &AttributeValue)> = Vec::new();
    for action in &update.actions {
        match action {
            UpdateAction::Set(p, v) => {
                // A legacy list ADD is a list_append: its type clash is a mismatch too.
                let value = set_value(v, old).map_err(|e| match update.legacy && e.message == WRONG_TYPE {
                    true => Error::validation(TYPE_MISMATCH),
                    false => e,
                })?;
                sets.push((p, value));
            }
            UpdateAction::Remove(p) => removes.push(p),
            UpdateAction::Add(p, v) => adds.push((p, v)),
            UpdateAction::Delete(p, v) => deletes.push((p, v)),
        }
    }
    let mismatch = if update.legacy { TYPE_MISMATCH } else { WRONG_TYPE };
    let mut new = old.clone();
    // Element assignments past a list's end append, in index order.
    crate::sorted::sort_by(&mut sets, |a, b| a.0.elems.cmp(&b.0.elems));
    for (path, value) in sets {
        put_at(&mut new, path, value)?;
    }
    // Remove later list elements first, so earlier indexes still mean what they meant.
    crate::sorted::sort_by(&mut removes, |a, b| b.elems.cmp(&a.elems));
    for path in removes {
        remove_at(&mut new, path, exists)?;
    }
    for (path, value) in adds {
        let next = added(get(&new, path).cloned(), value, mismatch)?;
        put_at(&mut new, path, next)?;
    }
    for (path, value) in deletes {
        let Some(current) = get(&new, path).cloned() else {
            if slot(&mut new, path).is_none() {
                return Err(Error::validation(BAD_PATH));
            }
            continue;
        };
        match deleted(current, value, mismatch)? {
            Some(v) => put_at(&mut new, path, v)?,
            None => remove_at(&mut new, path, exists)?,
        }
    }
    Ok(new)
}

/// ADD: a number added to the current one, set elements joined to the current set, or
/// the value itself where there is none.
fn added(current: Option<AttributeValue>, value: &AttributeValue, mismatch: &str) -> Result<AttributeValue> {
    Ok(match (current, value) {
        (None, v) => v.clone(),
        (Some(AttributeValue::N(x)), AttributeValue::N(y)) => {
            AttributeValue::N(x.add(y).map_err(|e| Error::validation(e.message("")))?)
        }
        (Some(AttributeValue::Ss(mut x)), AttributeValue::Ss(y)) => {
            union(&mut x, y);
            AttributeValue::Ss(x)
        }
        (Some(AttributeValue::Ns(mut x)), AttributeValue::Ns(y)) => {
            union(&mut x, y);
            AttributeValue::Ns(x)
        }
        (Some(AttributeValue::Bs(mut x)), AttributeValue::Bs(y)) => {
            union(&mut x, y);
            AttributeValue::Bs(x)
        }
        _ => return Err(Error::validation(mismatch)),
    })
}

/// DELETE: the set without `value`'s elements; `None` when nothing is left (the
/// attribute goes).
fn deleted(current: AttributeValue, value: &AttributeValue, mismatch: &str) -> Result<Option<AttributeValue>> {
    Ok(match (current, value) {
        (AttributeValue::Ss(mut x), AttributeValue::Ss(y)) => {
            x.retain(|e| !y.contains(e));
            (!x.is_empty()).then_some(AttributeValue::Ss(x))
        }
        (AttributeValue::Ns(mut x), AttributeValue::Ns(y)) => {
            x.retain(|e| !y.contains(e));
            (!x.is_empty()).then_some(AttributeValue::Ns(x))
        }
        (AttributeValue::Bs(mut x), AttributeValue::Bs(y)) => {
            x.retain(|e| !y.contains(e));
            (!x.is_empty()).then_some(AttributeValue::Bs(x))
        }
        _ => return Err(Error::validation(mismatch)),
    })
}

fn union<T: PartialEq + Clone>(into: &mut ThinVec<T>, from: &[T]) {
    for e in from {
        if !into.contains(e) {
            into.push(e.clone());
        }
    }
}

#[cfg(test)]
mod tests;
