//! UpdateItem: edit an item in place, or create it (upsert). Keys cannot be updated.

use serde_json::Map;

use super::common::*;
use super::legacy;
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::expr::{ast::Path, eval, ExprKind};
use crate::request::{Input, Violations};
use crate::trace::Trace;
use crate::value::{item_to_json, Item};

pub fn run(engine: &mut Engine, input: Input, trace: &mut Trace) -> Result<serde_json::Value> {
    let mut v = Violations::new();
    let params = write_params(&input, &mut v)?;
    let key = serialization_first(input.item("Key"))?;
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
    let paths: Vec<Path> = update.iter().flat_map(|u| u.actions.iter().map(|a| a.path().clone())).collect();
    if let Some(k) = paths.iter().filter_map(Path::root).find(|r| table.def.schema.is_key(r)) {
        return Err(Error::invalid_parameter(format!(
            "Cannot update attribute {k}. This attribute is part of the key"
        )));
    }
    let old = table.get(&store_key).cloned();
    if let Some(cond) = &cond {
        if !eval::matches(cond, old.as_ref().unwrap_or(&Item::new())) {
            trace.consumed.push(failed_write_cost(&table.def, old.as_ref(), old.as_ref()));
            return Err(condition_failed(old.as_ref(), params.on_failure_all_old));
        }
    }
    // `None`: the item is missing and the update only removes, so nothing is created.
    let new = match &update {
        Some(u) => eval::apply_update(u, old.as_ref(), &key)?,
        None => Some(old.clone().unwrap_or_else(|| key.clone())),
    };
    if let Some(n) = &new {
        key_from_item(&table.def, n, true)?;
    }
    let cost = write_cost(&table.def, old.as_ref(), new.as_ref(), false);
    let name = table.def.name.clone();
    let attributes = match params.return_values {
        Some("ALL_OLD") => old.clone(),
        Some("ALL_NEW") => new.clone(),
        Some("UPDATED_OLD") => old.as_ref().map(|o| eval::projected(o, &paths)),
        Some("UPDATED_NEW") => new.as_ref().map(|n| eval::projected(n, &paths)),
        _ => None,
    };
    if new.is_some() {
        commit(engine, &name, store_key, new, &cost, trace);
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
