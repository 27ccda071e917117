//! BatchGetItem: up to 100 keys across tables, each read charged separately. Keys beyond
//! the 16 MB response limit come back in `UnprocessedKeys`, in the request's own shape.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use super::common::*;
use crate::capacity::{Consumed, ReadMode, ReturnCapacity};
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::expr::eval;
use crate::replica;
use crate::request::{enums, Input, Violations};
use crate::table::StoreKey;
use crate::trace::Trace;
use crate::value::{item_to_json, Item, PackedItem};

const MIXED_PROJECTION: &str = "Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}";

/// The most bytes one response carries.
const RESPONSE_BYTES: usize = 16 * 1024 * 1024;

/// The request's `RequestItems`, model-validated (AWS's messages for an empty or missing
/// map come after the model's).
fn read_request<'a>(input: &Input<'a>) -> Result<(Input<'a>, ReturnCapacity)> {
    let mut v = Violations::new();
    let capacity = input.str("ReturnConsumedCapacity")?;
    v.one_of(capacity, "returnConsumedCapacity", enums::RETURN_CONSUMED_CAPACITY);
    let request = input.object("RequestItems")?;
    v.not_null(request.map(|_| ()), "requestItems");
    if let Some(r) = request {
        v.length(Some(r.obj.len()), "{}", "requestItems", 0, Some(100));
        let shown = || {
            format!("{{{}}}", r.obj.iter().map(|(name, spec)| format!("{name}={spec}")).collect::<Vec<_>>().join(", "))
        };
        v.table_name_keys(r.obj.keys(), shown, "requestItems");
    }
    v.finish()?;
    if request.is_some_and(|r| r.obj.is_empty()) {
        return Err(Error::validation("The requestItems parameter is required for BatchGetItem"));
    }
    let Some(request) = request else {
        return Err(Error::validation("RequestItems must not be null"));
    };
    Ok((request, ReturnCapacity::parse(capacity)))
}

/// One table's part of the request.
struct TableRead {
    name: String,
    keys: Vec<Item>,
    consistent: bool,
    projection: Option<Vec<crate::expr::ast::Path>>,
    raw: Value,
}

/// Whether the request so far has used projection expressions and legacy
/// `AttributesToGet`: one request is all one or all the other, across its tables too.
#[derive(Default)]
struct Styles {
    expression: bool,
    legacy: bool,
}

fn read_table(name: &str, spec: &Value, styles: &mut Styles) -> Result<TableRead> {
    let spec_in = Input::new(spec)?;
    let keys_json = spec_in.array("Keys")?.ok_or_else(|| {
        Error::validation(format!(
            "1 validation error detected: Value null at 'requestItems.{name}.member.keys' failed to satisfy constraint: Member must not be null"
        ))
    })?;
    if keys_json.len() > 100 {
        return Err(Error::validation(format!(
            "1 validation error detected: Value at 'RequestItems.{name}.member.Keys' failed to satisfy constraint: Member must have length less than or equal to 100"
        )));
    }
    let mut kv = Violations::new();
    kv.length(Some(keys_json.len()), "[]", &format!("requestItems.{name}.member.keys"), 1, None);
    kv.finish()?;
    let keys = keys_json.iter().map(crate::value::item_from_json).collect::<Result<Vec<_>>>()?;
    let proj_src = spec_in.str("ProjectionExpression")?;
    placeholders_need_expressions(&spec_in, &[], &["ProjectionExpression"])?;
    let maps = placeholder_maps(&spec_in)?;
    let mut ph = maps.placeholders();
    let legacy = spec_in.attributes_to_get()?;
    styles.expression |= proj_src.is_some();
    styles.legacy |= legacy.is_some();
    if styles.expression && styles.legacy {
        return Err(Error::validation(MIXED_PROJECTION));
    }
    let projection = match proj_src {
        Some(p) => Some(projection(p, &mut ph)?),
        None => legacy,
    };
    check_unused(&ph)?;
    let consistent = spec_in.bool("ConsistentRead")?.unwrap_or(false);
    Ok(TableRead { name: name.to_string(), keys, consistent, projection, raw: spec.clone() })
}

/// Every key located in its table, before anything is read.
fn plan(engine: &Engine, reads: &[TableRead]) -> Result<Vec<Vec<StoreKey>>> {
    let mut planned = Vec::new();
    for r in reads {
        let table = data_table(engine, &r.name)?;
        let mut seen = Vec::new();
        for k in &r.keys {
            let sk = key_from_request(&table.def, k)?;
            if seen.contains(&sk) {
                return Err(Error::validation("Provided list of item keys contains duplicates"));
            }
            seen.push(sk);
        }
        planned.push(seen);
    }
    Ok(planned)
}

/// What the reads returned: items per table, the keys past the response limit, and the
/// capacity each table consumed.
#[derive(Default)]
struct Fetched {
    responses: BTreeMap<String, Vec<Value>>,
    unprocessed: BTreeMap<String, Vec<Value>>,
    consumed: Vec<Consumed>,
    /// Keys read, and the last throttle met: when no key could be read for throughput
    /// reasons, the whole call fails with it, as AWS documents.
    read: usize,
    throttled: Option<Error>,
}

fn fetch(engine: &mut Engine, reads: &[TableRead], planned: Vec<Vec<StoreKey>>, trace: &mut Trace) -> Fetched {
    let mut out = Fetched::default();
    let mut bytes = 0;
    for (r, keys) in reads.iter().zip(planned) {
        let mut c = Consumed::new(&r.name);
        out.responses.entry(r.name.clone()).or_default();
        for (key_item, key) in r.keys.iter().zip(keys) {
            // Each item is read from a replica of its own, as a GetItem would be.
            let served = replica::choose(engine, &r.name, None, r.consistent);
            let Ok(table) = data_table(engine, &r.name) else {
                continue;
            };
            let (item, stale) = replica::item(engine, table, served, &key);
            // Shared, so the engine is free for the throttle.
            let item = item.cloned();
            let size = item.as_ref().map_or(0, PackedItem::size);
            if bytes + size > RESPONSE_BYTES {
                out.unprocessed.entry(r.name.clone()).or_default().push(item_to_json(key_item));
                continue;
            }
            bytes += size;
            let (one, mut read) = single_read(table, &key, item.as_ref(), ReadMode::from_consistent(r.consistent));
            (read.served, read.stale) = (served, stale);
            if let Err(e) = crate::throttle::admit(engine, &one, crate::throttle::Dir::Read, Some(&key), trace) {
                bytes -= size;
                out.unprocessed.entry(r.name.clone()).or_default().push(item_to_json(key_item));
                out.throttled = Some(e);
                continue;
            }
            out.read += 1;
            c.absorb(&one);
            if let Some(item) = item.as_ref().map(PackedItem::item) {
                let shown = match &r.projection {
                    Some(p) => eval::projected(&item, p),
                    None => item,
                };
                out.responses.entry(r.name.clone()).or_default().push(item_to_json(&shown));
            }
            record_read(engine, read, trace);
        }
        trace.consumed.push(c.clone());
        out.consumed.push(c);
    }
    out
}

pub fn run(engine: &mut Engine, input: Input, trace: &mut Trace) -> Result<Value> {
    let (request, mode) = read_request(&input)?;
    let mut styles = Styles::default();
    let reads =
        request.obj.iter().map(|(name, spec)| read_table(name, spec, &mut styles)).collect::<Result<Vec<_>>>()?;
    if reads.iter().map(|r| r.keys.len()).sum::<usize>() > 100 {
        return Err(Error::validation("Too many items requested for the BatchGetItem call"));
    }
    let planned = plan(engine, &reads)?;
    let mut fetched = fetch(engine, &reads, planned, trace);
    if let (0, Some(e)) = (fetched.read, fetched.throttled.take()) {
        return Err(e);
    }
    let mut out = Map::new();
    out.insert("Responses".into(), json!(fetched.responses));
    let mut un = Map::new();
    for r in &reads {
        if let Some(keys) = fetched.unprocessed.remove(&r.name) {
            let mut spec = r.raw.as_object().cloned().unwrap_or_default();
            spec.insert("Keys".into(), Value::Array(keys));
            un.insert(r.name.clone(), Value::Object(spec));
        }
    }
    out.insert("UnprocessedKeys".into(), Value::Object(un));
    if mode != ReturnCapacity::None {
        let cost = fetched.consumed.iter().filter_map(|c| c.to_json(mode)).collect();
        out.insert("ConsumedCapacity".into(), Value::Array(cost));
    }
    Ok(Value::Object(out))
}
