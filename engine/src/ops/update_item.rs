//! UpdateItem: edit an item in place, or create it (upsert). Keys cannot be updated.

use serde_json::Map;
use thin_vec::ThinVec;

use super::common::*;
use super::legacy;
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::expr::ast::{Path, SetValue, Update, UpdateAction, UpdateOperand};
use crate::expr::{eval, ExprKind};
use crate::request::{Input, Violations};
use crate::table::TableDef;
use crate::trace::Trace;
use crate::value::{item_to_json, AttributeValue, Item, Number};

pub fn run(engine: &mut Engine, input: Input, trace: &mut Trace) -> Result<serde_json::Value> {
    prefix_null_false(write(engine, input, trace))
}

fn write(engine: &mut Engine, input: Input, trace: &mut Trace) -> Result<serde_json::Value> {
    let mut v = Violations::new();
    let params = write_params(&input, &mut v)?;
    let key = serialization_first(input.item_cow("Key"))?;
    v.not_null(input.raw("Key"), "key");
    v.finish()?;
    no_mixing(
        &input,
        &["AttributeUpdates", "Expected", "ConditionalOperator"],
        &["UpdateExpression", "ConditionExpression"],
    )?;
    placeholders_need_expressions(&input, &["UpdateExpression", "ConditionExpression"], &[])?;
    let key = key?.unwrap_or_default();
    let update_src = input.str("UpdateExpression")?;
    let cond_src = input.str("ConditionExpression")?;
    let maps = placeholder_maps(&input)?;
    let mut ph = maps.placeholders();
    let update = match update_src {
        Some(u) => Some(update(u, &mut ph)?),
        None => legacy::attribute_updates(&input)?,
    };
    let cond = match cond_src {
        Some(c) => Some(condition(c, ExprKind::Condition, &mut ph)?),
        None => legacy::expected(&input)?,
    };
    check_unused(&ph)?;

    let table = data_table(engine, params.table)?;
    let store_key = key_from_request(&table.def, &key)?;
    crate::contention::check_single_write(engine, params.table, &store_key)?;
    check_updated_paths(&table.def, update.as_ref())?;
    let old = table.get(&store_key).map(crate::value::PackedItem::item);
    if let Some(cond) = &cond {
        if !eval::matches(cond, old.as_ref().unwrap_or(&Item::new())) {
            let failed = failed_write_cost(&table.def, old.as_ref(), old.as_ref());
            admit_write(engine, &failed, &store_key, trace)?;
            trace.consumed.push(failed);
            return Err(condition_failed(old.as_ref(), params.on_failure_all_old));
        }
    }
    // `None`: the item is missing and the update only removes, so nothing is created.
    let new = match &update {
        Some(u) => eval::apply_update(u, old.as_ref(), &key)?,
        None => Some(old.clone().unwrap_or_else(|| key.clone().into_owned())),
    };
    if let Some(n) = &new {
        check_new_keys(&table.def, n, update.as_ref())?;
    }
    let cost = write_cost(&table.def, old.as_ref(), new.as_ref(), false);
    let name = table.def.name.clone();
    let attributes = match params.return_values {
        Some("ALL_OLD") => old.clone(),
        Some("ALL_NEW") => new.clone(),
        Some("UPDATED_OLD") => old.as_ref().map(|o| eval::projected(o, &updated_paths(update.as_ref()))),
        Some("UPDATED_NEW") => new.as_ref().map(|n| eval::projected(n, &updated_paths(update.as_ref()))),
        _ => None,
    };
    admit_write(engine, &cost, &store_key, trace)?;
    if new.is_some() {
        commit(engine, &name, store_key, new.map(Into::into), &cost, trace);
    }
    trace.consumed.push(cost.clone());
    let mut out = Map::new();
    if let Some(a) = attributes.filter(|a| !a.is_empty()) {
        out.insert("Attributes".into(), item_to_json(&a));
    }
    if let Some(m) = collection_metrics(engine, params.table, &key, params.collection_metrics) {
        out.insert("ItemCollectionMetrics".into(), m);
    }
    Ok(with_capacity(out, &cost, params.capacity))
}

/// Refuses an update that writes a key attribute or (for expressions) an index key of an
/// unsupported type.
fn check_updated_paths(def: &TableDef, update: Option<&Update>) -> Result<()> {
    let roots = update.iter().flat_map(|u| u.actions.iter().filter_map(|a| a.path().root()));
    if let Some(k) = roots.into_iter().find(|r| def.schema.is_key(r)) {
        return Err(Error::invalid_parameter(format!(
            "Cannot update attribute {k}. This attribute is part of the key"
        )));
    }
    if let Some(u) = update.filter(|u| !u.legacy) {
        check_index_key_updates(def, u)?;
    }
    Ok(())
}

/// The paths an update writes (what `ReturnValues: UPDATED_OLD | UPDATED_NEW` projects).
fn updated_paths(update: Option<&Update>) -> Vec<Path> {
    update.iter().flat_map(|u| u.actions.iter().map(|a| a.path().clone())).collect()
}

/// The updated item's key and index key attributes must have their types.
/// (The key itself is the request's, checked when its store key was made.)
fn check_new_keys(def: &TableDef, new: &Item, update: Option<&Update>) -> Result<()> {
    check_item_keys(def, new, true).map_err(|e| match update {
        // A type only the stored item revealed: AWS words this one differently.
        Some(u) if !u.legacy && e.message.contains("Type mismatch for Index Key") => {
            Error::validation("The update expression attempted to update the secondary index key to unsupported type")
        }
        _ => e,
    })
}

/// What AWS checks about secondary-index keys before it reads the item: an attribute an
/// index is keyed on may only be given a value of the index's type when the expression
/// fixes the type (a literal, arithmetic, `list_append`, ADD), and is never reached into
/// with `.` or `[]`, as a target or an operand.
fn check_index_key_updates(def: &TableDef, update: &Update) -> Result<()> {
    if def.indexes.is_empty() {
        return Ok(());
    }
    let mut typed = Item::new();
    for action in &update.actions {
        let value = match action {
            UpdateAction::Set(p, v) if p.elems.len() == 1 => static_value(v),
            UpdateAction::Add(p, v) if p.elems.len() == 1 => Some(v.clone()),
            _ => None,
        };
        if let (Some(root), Some(v)) = (action.path().root(), value) {
            typed.insert(root.to_string(), v);
        }
    }
    check_index_keys(def, &typed)?;
    fn index_key<'p>(def: &TableDef, p: &'p Path) -> Option<&'p str> {
        p.root()
            .filter(|r| p.elems.len() > 1 && !def.schema.is_key(r) && def.indexes.iter().any(|i| i.schema.is_key(r)))
    }
    for action in &update.actions {
        let mut paths = vec![action.path()];
        if let UpdateAction::Set(_, v) = action {
            operand_paths(v, &mut paths);
        }
        if let Some(k) = paths.into_iter().find_map(|p| index_key(def, p)) {
            return Err(Error::validation(format!(
                "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: IndexKey: {k}"
            )));
        }
    }
    Ok(())
}

/// A value standing for what a SET gives its target, when the expression alone fixes
/// the type.
fn static_value(v: &SetValue) -> Option<AttributeValue> {
    match v {
        SetValue::Plus(..) | SetValue::Minus(..) => Some(AttributeValue::N(Number::zero())),
        SetValue::Operand(UpdateOperand::Value(v)) => Some(v.clone()),
        SetValue::Operand(UpdateOperand::ListAppend(..)) => Some(AttributeValue::L(ThinVec::new())),
        SetValue::Operand(_) => None,
    }
}

fn operand_paths<'u>(v: &'u SetValue, out: &mut Vec<&'u Path>) {
    fn walk<'u>(o: &'u UpdateOperand, out: &mut Vec<&'u Path>) {
        match o {
            UpdateOperand::Path(p) => out.push(p),
            UpdateOperand::Value(_) => {}
            UpdateOperand::IfNotExists(p, d) => {
                out.push(p);
                walk(d, out);
            }
            UpdateOperand::ListAppend(a, b) => {
                walk(a, out);
                walk(b, out);
            }
        }
    }
    match v {
        SetValue::Operand(o) => walk(o, out),
        SetValue::Plus(a, b) | SetValue::Minus(a, b) => {
            walk(a, out);
            walk(b, out);
        }
    }
}
