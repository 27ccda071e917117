//! Evaluating resolved expressions against an item: conditions and filters, projections,
//! and update actions. Nothing here parses or sees placeholders.

use std::borrow::Cow;
use std::cmp::Ordering;

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

/// The item cut down to `paths`. Missing paths are skipped; list elements picked by index
/// come back in index order, packed together, as DynamoDB returns them.
pub fn project(item: &Item, paths: &[Path]) -> Item {
    let mut out = Item::new();
    for path in paths {
        let Some(value) = get(item, path) else {
            continue;
        };
        let Some((PathElem::Attr(root), rest)) = path.elems.split_first() else {
            continue;
        };
        let source = item.get(root);
        match (out.get_mut(root), source) {
            (Some(existing), Some(src)) => merge_projection(existing, src, rest, value),
            (None, Some(src)) => {
                out.insert(root.clone(), shaped(src, rest, value));
            }
            _ => {}
        }
    }
    out
}

/// A copy of `src` holding only the branch along `rest`, ending in `leaf`.
fn shaped(src: &AttributeValue, rest: &[PathElem], leaf: &AttributeValue) -> AttributeValue {
    let Some((first, tail)) = rest.split_first() else {
        return leaf.clone();
    };
    match (first, src) {
        (PathElem::Attr(a), AttributeValue::M(m)) => {
            let child = m.get(a).map(|c| shaped(c, tail, leaf)).unwrap_or_else(|| leaf.clone());
            AttributeValue::M(Item::from([(a.clone(), child)]))
        }
        (PathElem::Index(i), AttributeValue::L(l)) => {
            let child = l.get(*i).map(|c| shaped(c, tail, leaf)).unwrap_or_else(|| leaf.clone());
            // Keep the index beside the value while merging; packed at the end.
            AttributeValue::L(vec![AttributeValue::M(Item::from([(index_key(*i), child)]))])
        }
        _ => leaf.clone(),
    }
}

fn index_key(i: usize) -> String {
    format!("\u{0}{i:020}")
}

fn merge_projection(existing: &mut AttributeValue, src: &AttributeValue, rest: &[PathElem], leaf: &AttributeValue) {
    let Some((first, tail)) = rest.split_first() else {
        return;
    };
    match (first, existing, src) {
        (PathElem::Attr(a), AttributeValue::M(out), AttributeValue::M(m)) => {
            let Some(child_src) = m.get(a) else { return };
            match out.get_mut(a) {
                Some(child) => merge_projection(child, child_src, tail, leaf),
                None => {
                    out.insert(a.clone(), shaped(child_src, tail, leaf));
                }
            }
        }
        (PathElem::Index(i), AttributeValue::L(out), AttributeValue::L(l)) => {
            let Some(child_src) = l.get(*i) else { return };
            let key = index_key(*i);
            let slot = out.iter_mut().find_map(|e| match e {
                AttributeValue::M(m) => m.get_mut(&key),
                _ => None,
            });
            match slot {
                Some(child) => merge_projection(child, child_src, tail, leaf),
                None => out.push(AttributeValue::M(Item::from([(key, shaped(child_src, tail, leaf))]))),
            }
        }
        _ => {}
    }
}

/// Replaces the index-keyed wrappers `shaped` leaves in projected lists by the values,
/// in index order.
pub fn pack_projection(item: &mut Item) {
    for v in item.values_mut() {
        pack_value(v);
    }
}

fn pack_value(v: &mut AttributeValue) {
    match v {
        AttributeValue::M(m) => pack_projection(m),
        AttributeValue::L(l) => {
            let mut keyed: Vec<(String, AttributeValue)> = Vec::new();
            for e in l.drain(..) {
                if let AttributeValue::M(m) = e {
                    keyed.extend(m);
                }
            }
            keyed.sort_by(|a, b| a.0.cmp(&b.0));
            *l = keyed
                .into_iter()
                .map(|(_, mut v)| {
                    pack_value(&mut v);
                    v
                })
                .collect();
        }
        _ => {}
    }
}

/// `project` then `pack_projection`: what callers want.
pub fn projected(item: &Item, paths: &[Path]) -> Item {
    let mut out = project(item, paths);
    pack_projection(&mut out);
    out
}

// ---- updates ----

const MISSING_ATTRIBUTE: &str = "The provided expression refers to an attribute that does not exist in the item";
const WRONG_TYPE: &str = "An operand in the update expression has an incorrect data type";
const BAD_PATH: &str = "The document path provided in the update expression is invalid for update";

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
    Element(&'a mut Vec<AttributeValue>, usize),
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
            UpdateAction::Set(p, v) => sets.push((p, set_value(v, old)?)),
            UpdateAction::Remove(p) => removes.push(p),
            UpdateAction::Add(p, v) => adds.push((p, v)),
            UpdateAction::Delete(p, v) => deletes.push((p, v)),
        }
    }
    let mut new = old.clone();
    // Element assignments past a list's end append, in index order.
    sets.sort_by(|a, b| a.0.elems.cmp(&b.0.elems));
    for (path, value) in sets {
        put_at(&mut new, path, value)?;
    }
    // Remove later list elements first, so earlier indexes still mean what they meant.
    removes.sort_by(|a, b| b.elems.cmp(&a.elems));
    for path in removes {
        remove_at(&mut new, path, exists)?;
    }
    for (path, value) in adds {
        let current = get(&new, path).cloned();
        let next = match (current, value) {
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
            _ => return Err(Error::validation(WRONG_TYPE)),
        };
        put_at(&mut new, path, next)?;
    }
    for (path, value) in deletes {
        let Some(current) = get(&new, path).cloned() else {
            if slot(&mut new, path).is_none() {
                return Err(Error::validation(BAD_PATH));
            }
            continue;
        };
        let next = match (current, value) {
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
            _ => return Err(Error::validation(WRONG_TYPE)),
        };
        match next {
            Some(v) => put_at(&mut new, path, v)?,
            None => remove_at(&mut new, path, exists)?,
        }
    }
    Ok(new)
}

fn union<T: PartialEq + Clone>(into: &mut Vec<T>, from: &[T]) {
    for e in from {
        if !into.contains(e) {
            into.push(e.clone());
        }
    }
}

#[cfg(test)]
mod tests;
