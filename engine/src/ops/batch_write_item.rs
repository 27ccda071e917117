//! BatchWriteItem: up to 25 puts and deletes across tables. Each write is atomic; the
//! batch is not. The whole batch is validated before anything is written.

use serde_json::{Map, Value};

use super::common::*;
use crate::capacity::{Consumed, ReturnCapacity};
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::request::{enums, Input, TablePuts, Violations};
use crate::table::StoreKey;
use crate::trace::Trace;
use crate::value::{item_from_json, Item};

/// One write as read from the request: a put of `item`, or a delete of `key`.
struct Write<'a> {
    table: String,
    item: Option<Item>,
    key: Item,
    /// The request as sent (`{"PutRequest": …}`), for `UnprocessedItems`: copied only
    /// if the write is throttled.
    raw: Raw<'a>,
}

/// A write request as sent: its JSON, or (a put read typed) its text.
#[derive(Clone, Copy)]
enum Raw<'a> {
    Json(&'a Value),
    Text(&'a serde_json::value::RawValue),
}

impl Raw<'_> {
    fn to_value(self) -> Value {
        match self {
            Raw::Json(v) => v.clone(),
            // Read once already, so it reads again.
            Raw::Text(t) => serde_json::from_str(t.get()).unwrap_or(Value::Null),
        }
    }
}

/// A write checked against its table: its store key, the item to put (none to delete),
/// and the request as sent.
struct Planned<'a> {
    table: String,
    key: StoreKey,
    item: Option<Item>,
    raw: Raw<'a>,
}

/// What the writes did: capacity per table, the writes throttled (by table, as sent), and
/// the last throttle met.
#[derive(Default)]
struct Applied {
    consumed: Vec<Consumed>,
    unprocessed: Map<String, Value>,
    written: usize,
    throttled: Option<Error>,
}

/// A written item's table and key, for ItemCollectionMetrics.
type Written = (String, Item);

/// The request's `ReturnConsumedCapacity`, `ReturnItemCollectionMetrics` and `RequestItems`.
type Params<'a> = (Option<&'a str>, Option<&'a str>, &'a Map<String, Value>);

/// `RequestItems` and the puts among them read typed (see [`crate::request::Body`]).
#[derive(Clone, Copy)]
struct Requested<'a> {
    json: &'a Map<String, Value>,
    puts: &'a [TablePuts<'a>],
}

impl Requested<'_> {
    /// `RequestItems` as sent, the typed puts' requests read back from their text.
    fn as_sent(&self) -> Map<String, Value> {
        let mut out = self.json.clone();
        for (table, puts) in self.puts {
            let list = puts.iter().map(|(raw, _)| Raw::Text(raw).to_value()).collect();
            out.insert(table.clone(), Value::Array(list));
        }
        out
    }

    /// The request echoed as AWS's validator prints it.
    fn echo(&self) -> String {
        echo_request_items(&self.as_sent())
    }
}

pub fn run(engine: &mut Engine, input: Input, trace: &mut Trace) -> Result<Value> {
    let (capacity, metrics, request) = read_params(&input)?;
    let writes = read_writes(Requested { json: request, puts: input.typed_puts() })?;
    let asked = metrics == Some("SIZE");
    let (planned, written) = plan(engine, writes, asked)?;
    let mut applied = apply(engine, planned, trace);
    // Only when nothing could be written for throughput reasons does the call fail whole.
    if let (0, Some(e)) = (applied.written, applied.throttled.take()) {
        return Err(e);
    }
    let mode = ReturnCapacity::parse(capacity);
    let mut out = Map::new();
    out.insert("UnprocessedItems".into(), Value::Object(applied.unprocessed));
    if mode != ReturnCapacity::None {
        out.insert(
            "ConsumedCapacity".into(),
            Value::Array(applied.consumed.iter().filter_map(|c| c.to_json(mode)).collect()),
        );
    }
    if let Some(m) = collection_metrics_by_table(engine, &written, asked) {
        out.insert("ItemCollectionMetrics".into(), m);
    }
    Ok(Value::Object(out))
}

/// The top-level parameters, validated together as AWS does.
fn read_params<'a>(input: &Input<'a>) -> Result<Params<'a>> {
    let mut v = Violations::new();
    let capacity = input.str("ReturnConsumedCapacity")?;
    v.one_of(capacity, "returnConsumedCapacity", enums::RETURN_CONSUMED_CAPACITY);
    let metrics = input.str("ReturnItemCollectionMetrics")?;
    v.one_of(metrics, "returnItemCollectionMetrics", enums::RETURN_ITEM_COLLECTION_METRICS);
    let request = input.object("RequestItems")?;
    v.not_null(request.map(|_| ()), "requestItems");
    if let Some(r) = request {
        // Printed only for a violation's message.
        let requested = Requested { json: r.obj, puts: input.typed_puts() };
        v.table_name_keys(r.obj.keys(), || requested.echo(), "requestItems");
        if r.obj.values().any(|l| l.as_array().is_some_and(|l| l.is_empty() || l.len() > 25)) {
            v.map_value(&requested.echo(), "requestItems", 1, 25);
        }
    }
    v.finish()?;
    let Some(request) = request else {
        return Err(Error::validation("RequestItems must not be null"));
    };
    if request.obj.is_empty() {
        return Err(Error::validation("The requestItems parameter is required for BatchWriteItem"));
    }
    Ok((capacity, metrics, request.obj))
}

/// Every write of every table, in request order, before any table is looked up.
fn read_writes(requested: Requested<'_>) -> Result<Vec<Write<'_>>> {
    let mut writes = Vec::new();
    for (name, list) in requested.json {
        let Value::Array(list) = list else {
            return Err(Error::serialization("Expected list or null"));
        };
        if list.is_empty() || writes.len() + list.len() > 25 {
            return Err(Error::validation(format!(
                "1 validation error detected: Value '{}' at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 25, Member must have length greater than or equal to 1]",
                requested.echo()
            )));
        }
        if let Some((_, puts)) = requested.puts.iter().find(|(table, _)| table == name) {
            for (raw, item) in puts {
                writes.push(typed_put(name, raw, item)?);
            }
            continue;
        }
        for w in list {
            writes.push(read_write(name, w)?);
        }
    }
    Ok(writes)
}

/// A put read typed: as [`read_write`] reads a put, without reading its item again.
fn typed_put<'a>(table: &str, raw: &'a serde_json::value::RawValue, item: &Item) -> Result<Write<'a>> {
    if crate::value::item_size(item) > crate::value::MAX_ITEM_SIZE {
        return Err(Error::validation("Item size has exceeded the maximum allowed size"));
    }
    Ok(Write { table: table.to_string(), item: Some(item.clone()), key: Item::new(), raw: Raw::Text(raw) })
}

fn read_write<'a>(table: &str, raw: &'a Value) -> Result<Write<'a>> {
    let w = Input::new(raw)?;
    let (item, key) = match (w.object("PutRequest")?, w.object("DeleteRequest")?) {
        (Some(p), None) => {
            let item = p.item("Item")?.ok_or_else(|| {
                Error::validation("1 validation error detected: Value null at 'requestItems.member.member.putRequest.item' failed to satisfy constraint: Member must not be null")
            })?;
            // Checked before any table is looked up.
            if crate::value::item_size(&item) > crate::value::MAX_ITEM_SIZE {
                return Err(Error::validation("Item size has exceeded the maximum allowed size"));
            }
            (Some(item), Item::new())
        }
        (None, Some(d)) => {
            let key = d.raw("Key").map(item_from_json).transpose()?.ok_or_else(|| {
                Error::validation("1 validation error detected: Value null at 'requestItems.member.member.deleteRequest.key' failed to satisfy constraint: Member must not be null")
            })?;
            (None, key)
        }
        _ => {
            return Err(Error::validation(
                "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes",
            ))
        }
    };
    Ok(Write { table: table.to_string(), item, key, raw: Raw::Json(raw) })
}

/// Checks every write against its table, and refuses two writes to one item, before any
/// is written. Also gives each written item's key when `metrics` (ItemCollectionMetrics)
/// are asked for.
fn plan<'a>(engine: &Engine, writes: Vec<Write<'a>>, metrics: bool) -> Result<(Vec<Planned<'a>>, Vec<Written>)> {
    let mut planned: Vec<Planned<'a>> = Vec::new();
    let mut written: Vec<Written> = Vec::new();
    for Write { table: name, item, key, raw } in writes {
        let table = data_table(engine, &name)?;
        let sk = match &item {
            // A Put's key of the wrong type is a plain schema mismatch here, unlike PutItem.
            Some(i) => key_from_item(&table.def, i, false).map_err(|e| {
                if e.message.contains("Type mismatch for key ") {
                    Error::validation("The provided key element does not match the schema")
                } else {
                    e
                }
            })?,
            None => key_from_request(&table.def, &key)?,
        };
        if planned.iter().any(|p| p.table == name && p.key == sk) {
            return Err(Error::validation("Provided list of item keys contains duplicates"));
        }
        // Each written key, for ItemCollectionMetrics, only when they are asked for: a
        // key item each cost about a tenth of a batch's time.
        if metrics {
            written.push((name.clone(), item.as_ref().map_or(key, |i| table.def.schema.key_item(i))));
        }
        planned.push(Planned { table: name, key: sk, item, raw });
    }
    Ok((planned, written))
}

/// Writes each planned put or delete, each atomic on its own; a write throttled goes back
/// in `UnprocessedItems`.
fn apply(engine: &mut Engine, planned: Vec<Planned<'_>>, trace: &mut Trace) -> Applied {
    let mut out = Applied::default();
    for Planned { table: name, key, item, raw } in planned {
        let Ok(table) = data_table(engine, &name) else {
            continue;
        };
        let old = table.get(&key).map(crate::value::PackedItem::item);
        let (replaces, cost) = (old.is_some(), write_cost(&table.def, old.as_ref(), item.as_ref(), false));
        if let Err(e) = admit_write(engine, &cost, &key, trace) {
            let list = out.unprocessed.entry(name).or_insert_with(|| Value::Array(Vec::new()));
            if let Value::Array(l) = list {
                l.push(raw.to_value());
            }
            out.throttled = Some(e);
            continue;
        }
        if item.is_some() || replaces {
            commit(engine, &name, key, item.map(Into::into), &cost, trace);
        }
        out.written += 1;
        Consumed::add_per_table(&mut out.consumed, &cost);
        trace.consumed.push(cost);
    }
    out
}

/// The request echoed as AWS's validator prints it: `{Table=[{PutRequest: …}, …]}`.
fn echo_request_items(items: &Map<String, Value>) -> String {
    let tables: Vec<String> = items
        .iter()
        .map(|(name, list)| {
            let writes: Vec<String> = match list {
                Value::Array(l) => l.iter().map(|w| w.to_string()).collect(),
                other => vec![other.to_string()],
            };
            format!("{name}=[{}]", writes.join(", "))
        })
        .collect();
    format!("{{{}}}", tables.join(", "))
}
