//! DeleteItem: idempotent without a condition; deleting a missing item succeeds.

use serde_json::Map;

use super::common::*;
use crate::capacity::Consumed;
use crate::engine::Engine;
use crate::error::Result;
use crate::expr::eval;
use crate::request::{Input, Violations};
use crate::trace::Trace;
use crate::value::{item_to_json, Item};

pub fn run(engine: &mut Engine, input: Input, trace: &mut Trace) -> Result<serde_json::Value> {
    let mut v = Violations::new();
    let params = write_params(&input, &mut v)?;
    let key = serialization_first(input.item_cow("Key"))?;
    v.not_null(input.raw("Key"), "key");
    v.finish()?;
    no_mixing(&input, &["Expected", "ConditionalOperator"], &["ConditionExpression"])?;
    placeholders_need_expressions(&input, &["ConditionExpression"], &[])?;
    let key = key?.unwrap_or_default();
    let all_old = only_all_old(params.return_values)?;
    let cond = write_condition(&input)?;

    let table = data_table(engine, params.table)?;
    let store_key = key_from_request(&table.def, &key)?;
    crate::contention::check_single_write(engine, params.table, &store_key)?;
    let old = table.get(&store_key).map(crate::value::PackedItem::item);
    if let Some(cond) = &cond {
        if !eval::matches(cond, old.as_ref().unwrap_or(&Item::new())) {
            let mut c = Consumed::new(&table.def.name);
            c.table.write = crate::capacity::write_units(old.as_ref().map_or(0, crate::value::item_size), false);
            admit_write(engine, &c, &store_key, trace)?;
            trace.consumed.push(c);
            return Err(condition_failed(old.as_ref(), params.on_failure_all_old));
        }
    }
    let cost = write_cost(&table.def, old.as_ref(), None, false);
    let name = table.def.name.clone();
    admit_write(engine, &cost, &store_key, trace)?;
    if old.is_some() {
        commit(engine, &name, store_key, None, &cost, trace);
    }
    trace.consumed.push(cost.clone());
    let mut out = Map::new();
    if let (true, Some(old)) = (all_old, old) {
        out.insert("Attributes".into(), item_to_json(&old));
    }
    if let Some(m) = collection_metrics(engine, params.table, &key, params.collection_metrics) {
        out.insert("ItemCollectionMetrics".into(), m);
    }
    Ok(with_capacity(out, &cost, params.capacity))
}
