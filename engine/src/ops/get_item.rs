//! GetItem: eventually consistent (from a replica the engine draws: with a replication
//! lag, possibly stale) unless `ConsistentRead`; a missing item is a response without
//! `Item`, and still costs the minimum read.

use serde_json::Map;

use super::common::*;
use super::Answer;
use crate::capacity::{ReadMode, ReturnCapacity};
use crate::engine::Engine;
use crate::error::Result;
use crate::expr::eval;
use crate::replica;
use crate::request::{enums, Input, Violations};
use crate::trace::Trace;
use crate::value::{write_item, write_packed};

pub fn run(engine: &mut Engine, input: Input, trace: &mut Trace) -> Result<Answer> {
    let mut v = Violations::new();
    let table_name = input.str("TableName")?;
    v.data_table_name(table_name, "tableName");
    let key = serialization_first(input.item_cow("Key"))?;
    v.not_null(input.raw("Key"), "key");
    let capacity = input.str("ReturnConsumedCapacity")?;
    v.one_of(capacity, "returnConsumedCapacity", enums::RETURN_CONSUMED_CAPACITY);
    let consistent = input.bool("ConsistentRead")?.unwrap_or(false);
    v.finish()?;
    placeholders_need_expressions(&input, &[], &["ProjectionExpression"])?;
    let key = key?.unwrap_or_default();
    let proj_src = input.str("ProjectionExpression")?;
    let maps = placeholder_maps(&input)?;
    let mut ph = maps.placeholders();
    let paths = proj_src.map(|p| projection(p, &mut ph)).transpose()?;
    let paths = match (paths, input.attributes_to_get()?) {
        (Some(_), Some(_)) => {
            return Err(crate::error::Error::validation(
                "Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}",
            ))
        }
        (p, legacy) => p.or(legacy),
    };
    check_unused(&ph)?;

    let name = table_name.unwrap_or_default();
    let store_key = key_from_request(&data_table(engine, name)?.def, &key)?;
    // Only a valid read draws a replica.
    let served = replica::choose(engine, name, None, consistent);
    let leader = data_table(engine, name)?;
    // The replica's copy of the item; stale when the leader's differs.
    let (item, stale) = replica::item(engine, leader, served, &store_key);
    let (consumed, mut read) = single_read(leader, &store_key, item, ReadMode::from_consistent(consistent));
    (read.served, read.stale) = (served, stale);
    // The answer is written straight from storage (the item or its projection), before
    // the traffic is recorded, which needs the engine back.
    let out = capacity_fields(Map::new(), &consumed, ReturnCapacity::parse(capacity));
    let answer = match (item, &paths) {
        (Some(item), Some(p)) => {
            Answer::written(out, "Item", 128, |t| write_item(t, &eval::projected(&item.item(), p)))
        }
        (Some(item), None) => Answer::written(out, "Item", 128, |t| write_packed(t, item)),
        (None, _) => Answer::from(serde_json::Value::Object(out)),
    };
    crate::throttle::admit(engine, &consumed, crate::throttle::Dir::Read, Some(&store_key), trace)?;
    record_read(engine, read, trace);
    trace.consumed.push(consumed);
    Ok(answer)
}
