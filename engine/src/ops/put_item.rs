//! PutItem: create an item or replace it whole.

use serde_json::Map;

use super::common::*;
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::expr::eval;
use crate::request::{Input, Violations};
use crate::trace::Trace;
use crate::value::{item_to_json, Item};

pub fn run(engine: &mut Engine, input: Input, trace: &mut Trace) -> Result<serde_json::Value> {
    prefix_null_false(write(engine, input, trace))
}

fn write(engine: &mut Engine, input: Input, trace: &mut Trace) -> Result<serde_json::Value> {
    let mut v = Violations::new();
    let params = write_params(&input, &mut v)?;
    let item = serialization_first(input.item("Item"))?;
    v.not_null(input.raw("Item"), "item");
    v.finish()?;
    no_mixing(&input, &["Expected", "ConditionalOperator"], &["ConditionExpression"])?;
    placeholders_need_expressions(&input, &["ConditionExpression"], &[])?;
    let item = item?.unwrap_or_default();
    let all_old = only_all_old(params.return_values)?;
    // Before the table is looked up, as AWS checks it (dynalite's captures).
    if crate::value::item_size(&item) > crate::value::MAX_ITEM_SIZE {
        return Err(Error::validation("Item size has exceeded the maximum allowed size"));
    }
    let cond = write_condition(&input)?;

    let table = data_table(engine, params.table)?;
    let key = key_from_item(&table.def, &item, false)?;
    crate::contention::check_single_write(engine, params.table, &key)?;
    let old = table.get(&key).map(crate::value::PackedItem::item);
    if let Some(cond) = &cond {
        if !eval::matches(cond, old.as_ref().unwrap_or(&Item::new())) {
            let failed = failed_write_cost(&table.def, old.as_ref(), Some(&item));
            admit_write(engine, &failed, &key, trace)?;
            trace.consumed.push(failed);
            return Err(condition_failed(old.as_ref(), params.on_failure_all_old));
        }
    }
    let cost = write_cost(&table.def, old.as_ref(), Some(&item), false);
    let name = table.def.name.clone();
    let item_key = params.collection_metrics.then(|| table.def.schema.key_item(&item));
    admit_write(engine, &cost, &key, trace)?;
    commit(engine, &name, key, Some(item.into()), &cost, trace);
    trace.consumed.push(cost.clone());
    let mut out = Map::new();
    if let (true, Some(old)) = (all_old, old) {
        out.insert("Attributes".into(), item_to_json(&old));
    }
    if let Some(m) = item_key.and_then(|k| collection_metrics(engine, params.table, &k, true)) {
        out.insert("ItemCollectionMetrics".into(), m);
    }
    Ok(with_capacity(out, &cost, params.capacity))
}
