//! TransactGetItems: up to 100 reads, serializable with writes, each charged as a
//! transactional read (twice an eventually consistent one's double).

use serde_json::{json, Map, Value};

use super::common::*;
use crate::capacity::{Consumed, ReadMode, ReturnCapacity};
use crate::engine::Engine;
use crate::error::{CancellationReason, Error, Result};
use crate::expr::ast::Path;
use crate::expr::eval;
use crate::request::{enums, Input, Violations};
use crate::table::StoreKey;
use crate::trace::Trace;
use crate::value::{item_to_json, Item};

/// One Get as read from the request: its table, key and projection.
type Get = (String, Item, Option<Vec<Path>>);

pub fn run(engine: &mut Engine, input: Input, trace: &mut Trace) -> Result<Value> {
    let mut v = Violations::new();
    let items = input.array("TransactItems")?;
    v.not_null(items, "transactItems");
    if let Some(i) = items {
        v.length(Some(i.len()), &echo_list(i), "transactItems", 1, Some(100));
    }
    let capacity = input.str("ReturnConsumedCapacity")?;
    v.one_of(capacity, "returnConsumedCapacity", enums::RETURN_CONSUMED_CAPACITY);
    v.finish()?;
    let mode = ReturnCapacity::parse(capacity);
    let gets = items.into_iter().flatten().enumerate().map(|(i, e)| read_get(i, e)).collect::<Result<Vec<_>>>()?;
    let keys = resolve_keys(engine, &gets)?;
    let located = || gets.iter().zip(&keys).map(|((name, _, _), k)| (name.as_str(), k));
    crate::contention::check_transaction(engine, located(), false)?;
    let held: Vec<(String, StoreKey)> = located().map(|(n, k)| (n.to_string(), k.clone())).collect();
    let asks = gets.iter().zip(&keys).map(|((name, _, _), sk)| {
        let table = data_table(engine, name)?;
        let (c, _) = single_read(table, sk, table.get(sk), ReadMode::Transactional);
        Ok((c, crate::throttle::Dir::Read, sk.clone()))
    });
    let asks = asks.collect::<Result<Vec<_>>>()?;
    crate::throttle::admit_transaction(engine, asks, trace)?;
    crate::contention::hold(engine, held.iter().map(|(n, k)| (n.as_str(), k)), false, None);
    let mut responses = Vec::new();
    let mut consumed: Vec<Consumed> = Vec::new();
    for ((name, _, projection), sk) in gets.iter().zip(keys) {
        let table = data_table(engine, name)?;
        let item = table.get(&sk).cloned();
        let (c, read) = single_read(table, &sk, item.as_ref(), ReadMode::Transactional);
        responses.push(match item {
            Some(item) => {
                let shown = match projection {
                    Some(p) => eval::projected(&item.item(), p),
                    None => item.item(),
                };
                json!({ "Item": item_to_json(&shown) })
            }
            None => json!({}),
        });
        Consumed::add_per_table(&mut consumed, &c);
        trace.consumed.push(c);
        record_read(engine, read, trace);
    }
    let mut out = Map::new();
    out.insert("Responses".into(), Value::Array(responses));
    if mode != ReturnCapacity::None {
        out.insert(
            "ConsumedCapacity".into(),
            Value::Array(consumed.iter().filter_map(|c| c.to_json_transactional(mode)).collect()),
        );
    }
    Ok(Value::Object(out))
}

/// The `i`-th entry of `TransactItems`, checked before any table is looked up.
fn read_get(i: usize, entry: &Value) -> Result<Get> {
    let entry = Input::new(entry)?;
    let get = entry.object("Get")?.ok_or_else(|| {
        Error::validation(format!(
            "1 validation error detected: Value null at 'transactItems.{}.member.get' failed to satisfy constraint: Member must not be null",
            i + 1
        ))
    })?;
    let mut gv = Violations::new();
    let name = get.str("TableName")?;
    gv.name(name, &format!("transactItems.{}.member.get.tableName", i + 1), true);
    let key = serialization_first(get.item("Key"))?;
    gv.not_null(get.raw("Key"), &format!("transactItems.{}.member.get.key", i + 1));
    gv.finish()?;
    placeholders_need_expressions(&get, &[], &["ProjectionExpression"])?;
    let key = key?;
    let proj_src = get.str("ProjectionExpression")?;
    let maps = placeholder_maps(&get)?;
    let mut ph = maps.placeholders();
    let projection = proj_src.map(|p| projection(p, &mut ph)).transpose()?.or(get.attributes_to_get()?);
    check_unused(&ph)?;
    Ok((name.unwrap_or_default().to_string(), key.unwrap_or_default(), projection))
}

/// Each Get's store key. Two Gets of one item are refused; a key that does not fit its
/// table cancels the transaction, as AWS reports it.
fn resolve_keys(engine: &Engine, gets: &[Get]) -> Result<Vec<StoreKey>> {
    let mut keys: Vec<(&str, StoreKey)> = Vec::new();
    let mut reasons = Vec::new();
    for (name, key, _) in gets {
        let table = data_table(engine, name)?;
        match key_from_request(&table.def, key) {
            Ok(sk) if keys.iter().any(|(n, k)| n == name && *k == sk) => {
                return Err(Error::validation("Transaction request cannot include multiple operations on one item"))
            }
            Ok(sk) => {
                keys.push((name, sk));
                reasons.push(CancellationReason::none());
            }
            Err(e) => reasons.push(CancellationReason::validation(e.message)),
        }
    }
    if reasons.iter().any(|r| r.code != "None") {
        return Err(Error::transaction_canceled(reasons));
    }
    Ok(keys.into_iter().map(|(_, k)| k).collect())
}
