//! Steps shared by the item operations: placeholder maps, expression parsing with AWS's
//! messages, key and item validation against a table's schema, write costs, and the one
//! place item writes are committed (so traces and partition traffic are never missed).

use std::collections::BTreeMap;

use crate::capacity::{read_units, write_units, Consumed, ReadMode, Units};
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::expr::{self, ast::Condition, ast::Path, ast::Update, ExprKind, Placeholders};
use crate::log::Change;
use crate::request::Input;
use crate::table::{Incoming, KeyValue, StoreKey, Table, TableDef, TableStatus};
use crate::trace::{PartitionRead, ReadTrace, SplitTrace, Trace, WriteTrace};
use crate::value::{item_size, AttributeValue, Item, PackedItem, MAX_ITEM_SIZE};

/// The request's `ExpressionAttributeNames` and `ExpressionAttributeValues`.
#[derive(Default)]
pub struct PlaceholderMaps<'a> {
    pub names: Option<BTreeMap<&'a str, &'a str>>,
    /// The request's own item when it was read typed, else one made from its JSON.
    pub values: Option<std::borrow::Cow<'a, Item>>,
}

impl PlaceholderMaps<'_> {
    pub fn placeholders(&self) -> Placeholders<'_> {
        Placeholders::new(self.names.as_ref(), self.values.as_deref())
    }
}

/// Splits a parse result: a malformed member (SerializationException) fails at once, as
/// AWS rejects a request it cannot read before validating anything; any other error
/// waits for the point where AWS reports it.
/// A request list as AWS's validator echoes it in a length violation
/// (`Value '[…]' at 'transactItems' …`): each member's JSON, comma-separated.
pub fn echo_list(list: &[serde_json::Value]) -> String {
    let members: Vec<String> = list.iter().map(serde_json::Value::to_string).collect();
    format!("[{}]", members.join(", "))
}

/// PutItem and UpdateItem report `{"NULL": false}` as a model violation: live DynamoDB
/// prefixes [`crate::value::NULL_FALSE`] with `1 validation error detected: ` there, and
/// only there.
pub fn prefix_null_false<T>(result: Result<T>) -> Result<T> {
    result.map_err(|mut e| {
        if e.message == crate::value::NULL_FALSE {
            e.message = format!("1 validation error detected: {}", e.message);
        }
        e
    })
}

pub fn serialization_first<T>(parsed: Result<T>) -> Result<Result<T>> {
    match parsed {
        Err(e) if e.kind == crate::error::ErrorKind::Serialization => Err(e),
        other => Ok(other),
    }
}

/// AWS's first checks on placeholders, made right after the expression/non-expression
/// check and before any AttributeValue in the request is read: names need some
/// expression, and values need one of `value_exprs` (listed in AWS's order, which its
/// message repeats). `other_exprs` are the request's expressions that take no values.
pub fn placeholders_need_expressions(input: &Input, value_exprs: &[&str], other_exprs: &[&str]) -> Result<()> {
    let given = |e: &&str| input.has(e);
    if input.has("ExpressionAttributeNames") && !value_exprs.iter().chain(other_exprs).any(given) {
        return Err(Error::validation("ExpressionAttributeNames can only be specified when using expressions"));
    }
    if input.has("ExpressionAttributeValues") && !value_exprs.iter().any(given) {
        let base = "ExpressionAttributeValues can only be specified when using expressions";
        return Err(Error::validation(match value_exprs {
            [] => base.to_string(),
            [one] => format!("{base}: {one} is null"),
            several => format!("{base}: {} are null", several.join(" and ")),
        }));
    }
    Ok(())
}

/// Reads the placeholder maps, checked in AWS's order: names not empty and well formed,
/// then values not empty, well formed and valid. Call [`placeholders_need_expressions`]
/// first.
pub fn placeholder_maps<'a>(input: &Input<'a>) -> Result<PlaceholderMaps<'a>> {
    let names = input.string_map("ExpressionAttributeNames")?;
    if let Some(n) = &names {
        if n.is_empty() {
            return Err(Error::validation("ExpressionAttributeNames must not be empty"));
        }
        if let Some(bad) = n.keys().find(|k| !is_placeholder(k, '#')) {
            return Err(Error::validation(format!(
                "ExpressionAttributeNames contains invalid key: Syntax error; key: \"{bad}\""
            )));
        }
        for name in n.values() {
            crate::value::check_name(name)?;
        }
    }
    if let Some(typed) = input.typed_item("ExpressionAttributeValues") {
        value_keys(typed.keys().map(|k| k.as_str()))?;
        return Ok(PlaceholderMaps { names, values: Some(std::borrow::Cow::Borrowed(typed)) });
    }
    let Some(raw) = input.object("ExpressionAttributeValues")? else {
        return Ok(PlaceholderMaps { names, values: None });
    };
    let given: Vec<(&String, &serde_json::Value)> = raw.obj.iter().filter(|(_, v)| !v.is_null()).collect();
    value_keys(given.iter().map(|(k, _)| k.as_str()))?;
    let mut values = Item::new();
    for (k, v) in given {
        let value = AttributeValue::from_json(v).map_err(|e| match e.kind {
            // A too-long nested name is reported as it is anywhere else.
            crate::error::ErrorKind::Validation if e.message.starts_with("1 validation error") => e,
            crate::error::ErrorKind::Validation => Error::validation(format!(
                "ExpressionAttributeValues contains invalid value: {} for key {k}",
                e.message
            )),
            _ => e,
        })?;
        values.insert(k.clone(), value);
    }
    Ok(PlaceholderMaps { names, values: Some(std::borrow::Cow::Owned(values)) })
}

/// The keys of `ExpressionAttributeValues`: some, each a `:placeholder`.
fn value_keys<'k>(mut keys: impl ExactSizeIterator<Item = &'k str>) -> Result<()> {
    if keys.len() == 0 {
        return Err(Error::validation("ExpressionAttributeValues must not be empty"));
    }
    match keys.find(|k| !is_placeholder(k, ':')) {
        Some(bad) => Err(Error::validation(format!(
            "ExpressionAttributeValues contains invalid key: Syntax error; key: \"{bad}\""
        ))),
        None => Ok(()),
    }
}

fn is_placeholder(key: &str, sigil: char) -> bool {
    let mut chars = key.chars();
    chars.next() == Some(sigil) && {
        let rest = chars.as_str();
        !rest.is_empty() && rest.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    }
}

/// AWS's message for an expression error, with where it is and a hint for the page.
fn expression_error<'s>(kind: ExprKind, src: &'s str) -> impl Fn(expr::ExprError) -> Error + 's {
    move |e| {
        let span = crate::error::ErrorSpan {
            parameter: kind.param(),
            start: e.span.start,
            end: e.span.end,
            hint: e.hint(src),
        };
        Error { span: Some(Box::new(span)), ..Error::validation(e.message(kind)) }
    }
}

/// The longest expression AWS accepts, in UTF-8 bytes.
const MAX_EXPRESSION_BYTES: usize = 4096;

/// The checks AWS makes on an expression's text before parsing it.
fn not_empty(src: &str, kind: ExprKind) -> Result<()> {
    if src.trim().is_empty() {
        return Err(Error::validation(format!("Invalid {}: The expression can not be empty;", kind.param())));
    }
    if src.len() > MAX_EXPRESSION_BYTES {
        return Err(Error::validation(format!(
            "Invalid {}: Expression size has exceeded the maximum allowed size; expression size: {}",
            kind.param(),
            src.len()
        )));
    }
    Ok(())
}

pub fn condition(src: &str, kind: ExprKind, ph: &mut Placeholders) -> Result<Condition> {
    not_empty(src, kind)?;
    expr::condition(src, kind, ph).map_err(expression_error(kind, src))
}

pub fn update(src: &str, ph: &mut Placeholders) -> Result<Update> {
    not_empty(src, ExprKind::Update)?;
    expr::update(src, ph).map_err(expression_error(ExprKind::Update, src))
}

pub fn projection(src: &str, ph: &mut Placeholders) -> Result<Vec<Path>> {
    not_empty(src, ExprKind::Projection)?;
    expr::projection(src, ph).map_err(expression_error(ExprKind::Projection, src))
}

/// AWS's check that every placeholder supplied was used.
pub fn check_unused(ph: &Placeholders) -> Result<()> {
    if let Some(names) = ph.names {
        let unused: Vec<&str> = names.keys().copied().filter(|k| !ph.used_names.contains(k)).collect();
        if !unused.is_empty() {
            return Err(Error::validation(format!(
                "Value provided in ExpressionAttributeNames unused in expressions: keys: {{{}}}",
                unused.join(", ")
            )));
        }
    }
    if let Some(values) = ph.values {
        let unused: Vec<&str> =
            values.keys().filter(|k| !ph.used_values.contains(k.as_str())).map(|k| k.as_str()).collect();
        if !unused.is_empty() {
            return Err(Error::validation(format!(
                "Value provided in ExpressionAttributeValues unused in expressions: keys: {{{}}}",
                unused.join(", ")
            )));
        }
    }
    Ok(())
}

/// AWS's error for mixing legacy (pre-expression) parameters with expressions.
pub fn no_mixing(input: &Input, legacy: &[&str], expressions: &[&str]) -> Result<()> {
    let old: Vec<&str> = legacy.iter().copied().filter(|p| input.has(p)).collect();
    let new: Vec<&str> = expressions.iter().copied().filter(|p| input.has(p)).collect();
    if old.is_empty() || new.is_empty() {
        return Ok(());
    }
    Err(Error::validation(format!(
        "Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {{{}}} Expression parameters: {{{}}}",
        old.join(", "),
        new.join(", ")
    )))
}

/// A table that data-plane calls may use: it exists and is not CREATING or DELETING.
pub fn data_table<'e>(engine: &'e Engine, name: &str) -> Result<&'e Table> {
    match engine.tables.get(name) {
        Some(t) if matches!(t.status, TableStatus::Active | TableStatus::Updating) => Ok(t),
        _ => Err(Error::resource_not_found()),
    }
}

/// The item's secondary-index key attributes have their index's types and are not empty.
pub fn check_index_keys(def: &TableDef, item: &Item) -> Result<()> {
    // When one attribute keys several indexes, AWS names the alphabetically first.
    let mut by_name: Vec<_> = def.indexes.iter().collect();
    crate::sorted::sort_by(&mut by_name, |a, b| a.name.cmp(&b.name));
    for ix in by_name {
        for d in ix.schema.names().filter_map(|n| ix.schema_def(n)) {
            let Some(v) = item.get(&d.name) else { continue };
            if v.type_tag() != d.ty.as_str() {
                return Err(Error::invalid_parameter(format!(
                    "Type mismatch for Index Key {} Expected: {} Actual: {} IndexName: {}",
                    d.name,
                    d.ty.as_str(),
                    v.type_tag(),
                    ix.name
                )));
            }
            if let Some(kind) = empty_key_message(v) {
                return Err(Error::validation(format!(
                    "One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty {kind} value. IndexName: {}, IndexKey: {}",
                    ix.name, d.name
                )));
            }
        }
    }
    Ok(())
}

fn empty_key_message(v: &AttributeValue) -> Option<&'static str> {
    match v {
        AttributeValue::S(s) if s.is_empty() => Some("string"),
        AttributeValue::B(b) if b.is_empty() => Some("binary"),
        _ => None,
    }
}

/// Checks a key attribute's length (a number's is not limited here): `hash` for the
/// partition key's limit, else the sort key's. Read from the item, before its store key
/// is made.
fn check_key_size(v: &AttributeValue, hash: bool) -> Result<()> {
    let len = match v {
        AttributeValue::S(s) => s.len(),
        AttributeValue::B(b) => b.len(),
        _ => return Ok(()),
    };
    if hash && len > 2048 {
        return Err(Error::invalid_parameter("Size of hashkey has exceeded the maximum size limit of2048 bytes"));
    }
    if !hash && len > 1024 {
        return Err(Error::invalid_parameter(
            "Aggregated size of all range keys has exceeded the size limit of 1024 bytes",
        ));
    }
    Ok(())
}

/// The sizes of `item`'s key attributes under `schema` (those it has).
fn check_key_sizes(schema: &crate::table::KeySchema, item: &Item) -> Result<()> {
    if let Some(v) = item.get(&schema.hash.name) {
        check_key_size(v, true)?;
    }
    match schema.range.as_ref().and_then(|r| item.get(&r.name)) {
        Some(v) => check_key_size(v, false),
        None => Ok(()),
    }
}

/// Checks a `Key` parameter against the table's key schema.
pub fn key_from_request(def: &TableDef, key: &Item) -> Result<StoreKey> {
    let mismatch = || Error::validation("The provided key element does not match the schema");
    if key.len() != 1 + usize::from(def.schema.range.is_some()) {
        return Err(mismatch());
    }
    for d in std::iter::once(&def.schema.hash).chain(def.schema.range.as_ref()) {
        let v = key.get(&d.name).ok_or_else(mismatch)?;
        if v.type_tag() != d.ty.as_str() {
            return Err(mismatch());
        }
        if let Some(kind) = empty_key_message(v) {
            return Err(Error::validation(format!(
                "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty {kind} value. Key: {}",
                d.name
            )));
        }
    }
    check_key_sizes(&def.schema, key)?;
    def.schema.store_key(key).ok_or_else(mismatch)
}

/// Checks a whole item against the table's key schema, index key types and the size
/// limit. `update` selects UpdateItem's wording for the size error.
pub fn key_from_item(def: &TableDef, item: &Item, update: bool) -> Result<StoreKey> {
    check_item_keys(def, item, update)?;
    check_key_sizes(&def.schema, item)?;
    def.schema.store_key(item).ok_or_else(|| Error::validation("The provided key element does not match the schema"))
}

/// What [`key_from_item`] checks before it makes the store key: the key attributes are
/// there with their types and not empty, the index keys have theirs, the item fits.
pub fn check_item_keys(def: &TableDef, item: &Item, update: bool) -> Result<()> {
    for d in std::iter::once(&def.schema.hash).chain(def.schema.range.as_ref()) {
        let Some(v) = item.get(&d.name) else {
            return Err(Error::invalid_parameter(format!("Missing the key {} in the item", d.name)));
        };
        if v.type_tag() != d.ty.as_str() {
            return Err(Error::invalid_parameter(format!(
                "Type mismatch for key {} expected: {} actual: {}",
                d.name,
                d.ty.as_str(),
                v.type_tag()
            )));
        }
        if let Some(kind) = empty_key_message(v) {
            return Err(Error::validation(format!(
                "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty {kind} value. Key: {}",
                d.name
            )));
        }
    }
    check_index_keys(def, item)?;
    if item_size(item) > MAX_ITEM_SIZE {
        return Err(Error::validation(if update {
            "Item size to update has exceeded the maximum allowed size"
        } else {
            "Item size has exceeded the maximum allowed size"
        }));
    }
    Ok(())
}

/// What writing `new` over `old` costs: the table charges the larger of the two items;
/// each index charges for the entries it deletes and writes (an index key that changes
/// costs a delete and a put).
pub fn write_cost(def: &TableDef, old: Option<&Item>, new: Option<&Item>, transactional: bool) -> Consumed {
    let mut c = Consumed::new(&def.name);
    let size = old.map_or(0, item_size).max(new.map_or(0, item_size));
    c.table.write = write_units(size, transactional);
    for ix in &def.indexes {
        let entry = |item: Option<&Item>| {
            item.filter(|i| ix.schema.store_key(i).is_some())
                .map(|i| (ix.schema.store_key(i), ix.project(&def.schema, i)))
        };
        let (before, after) = (entry(old), entry(new));
        let units = match (&before, &after) {
            (None, None) => 0.0,
            (None, Some((_, e))) | (Some((_, e)), None) => write_units(item_size(e), transactional),
            (Some((k1, e1)), Some((k2, e2))) if k1 != k2 => {
                write_units(item_size(e1), transactional) + write_units(item_size(e2), transactional)
            }
            (Some((_, e1)), Some((_, e2))) if e1 != e2 => write_units(item_size(e1).max(item_size(e2)), transactional),
            _ => 0.0,
        };
        if units > 0.0 {
            let map = if ix.local { &mut c.local_indexes } else { &mut c.global_indexes };
            map.insert(ix.name.clone(), Units { read: 0.0, write: units });
        }
    }
    c
}

/// One page of `items`: those after the first for which `is_start` holds (from the
/// beginning when there is none), at most `limit`, and whether more follow: the paging of
/// the List operations and DescribeStream (`ExclusiveStart…`, `LastEvaluated…`).
pub fn page_after<T>(
    items: impl Iterator<Item = T>,
    is_start: Option<impl Fn(&T) -> bool>,
    limit: usize,
) -> (Vec<T>, bool) {
    let mut items = items.peekable();
    if let Some(is_start) = is_start {
        while items.next_if(|i| !is_start(i)).is_some() {}
        items.next();
    }
    let page: Vec<T> = items.by_ref().take(limit).collect();
    (page, items.peek().is_some())
}

/// Commits one item write (a put when `new` is `Some`, else a delete): the table, the
/// change log (and so the table's stream), the partition's traffic and the trace. The only
/// writer of items. The table, the log and the trace share one copy of each image.
pub fn commit(
    engine: &mut Engine,
    table: &str,
    key: StoreKey,
    new: Option<Incoming>,
    cost: &Consumed,
    trace: &mut Trace,
) {
    let now = engine.now_ms;
    let Some(t) = engine.tables.get_mut(table) else { return };
    let partition = t.partitions.index_of(key.hash);
    let key_item = t.def.schema.key_from_store(&key);
    let (pk, hash) = (key.pk(), key.hash);
    let new = new.map(|item| t.pack(&key, item));
    let (old, split) = match &new {
        Some(item) => t.put(key, item.clone(), now),
        None => (t.delete(&key), None),
    };
    // A size split comes before the write: the write is the new shards' first record.
    if let Some(s) = split {
        note_split(engine, table, &s, trace);
    }
    log_change(engine, table, Change::new(hash, old.clone(), new.clone(), now), trace);
    let units = cost.total().write;
    let Some(t) = engine.tables.get_mut(table) else { return };
    t.record_key_traffic(&pk, now, 0.0, units);
    if let Some(s) = t.record_traffic(partition, now, 0.0, units) {
        note_split(engine, table, &s, trace);
    }
    let (before, after) = (old, new);
    trace.writes.push(WriteTrace {
        table: table.to_string(),
        partition,
        key: key_item,
        before,
        after,
        write_units: units,
    });
}

/// Appends a change to the table's log, as made by the request being answered.
fn log_change(engine: &mut Engine, table: &str, change: Change, trace: &mut Trace) {
    if !engine.logs.contains_key(table) {
        engine.logs.insert(table.to_string(), Default::default());
    }
    let Some(log) = engine.logs.get_mut(table) else { return };
    if let Some(c) = log.append_from(&engine.origin, change) {
        trace.changes.push((table.to_string(), c.seq));
        engine.streams.count(table, c);
    }
}

/// A partition split: in the trace, and in the table's stream (its shard splits too).
pub(crate) fn note_split(engine: &mut Engine, table: &str, s: &crate::table::Split, trace: &mut Trace) {
    let seq = engine.logs.get(table).map_or(1, |l| l.next_seq);
    engine.streams.split(table, s.at_hash, seq, engine.now_ms);
    trace.splits.push(split_trace(table, s));
}

fn split_trace(table: &str, s: &crate::table::Split) -> SplitTrace {
    SplitTrace { table: table.to_string(), partition: s.partition, at_hash: s.at_hash, reason: s.reason }
}

/// Admits a write of `key` costing `cost`, or throttles it (see `throttle`).
pub fn admit_write(engine: &mut Engine, cost: &Consumed, key: &StoreKey, trace: &mut Trace) -> Result<()> {
    crate::throttle::admit(engine, cost, crate::throttle::Dir::Write, Some(key), trace)
}

/// Records read traffic on partitions (splitting hot ones) and in the trace.
pub fn record_read(engine: &mut Engine, read: ReadTrace, trace: &mut Trace) {
    let now = engine.now_ms;
    if let Some(t) = engine.tables.get_mut(&read.table) {
        // Index reads are the index's traffic, not the base table's partitions'.
        if read.index.is_none() {
            if let Some(pk) = &read.collection {
                t.record_key_traffic(pk, now, read.read_units, 0.0);
            }
            let splits: Vec<_> =
                read.partitions.iter().filter_map(|p| t.record_traffic(p.partition, now, p.read_units, 0.0)).collect();
            for s in splits {
                note_split(engine, &read.table, &s, trace);
            }
        }
    }
    trace.reads.push(read);
}

/// The cost and trace of reading one item (GetItem and the items of batches and
/// transactions): its size rounded up to 4 KB, at least one unit.
pub fn single_read(table: &Table, key: &StoreKey, item: Option<&PackedItem>, mode: ReadMode) -> (Consumed, ReadTrace) {
    let bytes = item.map_or(0, PackedItem::size);
    let units = read_units(bytes, mode);
    let mut c = Consumed::new(&table.def.name);
    c.table.read = units;
    let trace = ReadTrace {
        table: table.def.name.clone(),
        index: None,
        collection: Some(key.pk()),
        partitions: vec![PartitionRead {
            partition: table.partitions.index_of(key.hash),
            examined: usize::from(item.is_some()),
            bytes,
            read_units: units,
        }],
        examined: usize::from(item.is_some()),
        returned: usize::from(item.is_some()),
        bytes,
        read_units: units,
        ..ReadTrace::default()
    };
    (c, trace)
}

/// The standard members shared by single-item writes, read and constraint-checked.
pub struct WriteParams<'a> {
    pub table: &'a str,
    pub return_values: Option<&'a str>,
    pub capacity: crate::capacity::ReturnCapacity,
    pub on_failure_all_old: bool,
    /// `ReturnItemCollectionMetrics: SIZE`.
    pub collection_metrics: bool,
}

pub fn write_params<'a>(input: &Input<'a>, v: &mut crate::request::Violations) -> Result<WriteParams<'a>> {
    use crate::request::enums;
    let table = input.str("TableName")?;
    v.data_table_name(table, "tableName");
    let return_values = input.str("ReturnValues")?;
    v.one_of(return_values, "returnValues", enums::RETURN_VALUES);
    let capacity = input.str("ReturnConsumedCapacity")?;
    v.one_of(capacity, "returnConsumedCapacity", enums::RETURN_CONSUMED_CAPACITY);
    let metrics = input.str("ReturnItemCollectionMetrics")?;
    v.one_of(metrics, "returnItemCollectionMetrics", enums::RETURN_ITEM_COLLECTION_METRICS);
    let on_failure = input.str("ReturnValuesOnConditionCheckFailure")?;
    v.one_of(on_failure, "returnValuesOnConditionCheckFailure", enums::RETURN_VALUES_ON_FAILURE);
    super::legacy::check_operators(input, &["Expected"], v)?;
    Ok(WriteParams {
        table: table.unwrap_or_default(),
        return_values,
        capacity: crate::capacity::ReturnCapacity::parse(capacity),
        on_failure_all_old: on_failure == Some("ALL_OLD"),
        collection_metrics: metrics == Some("SIZE"),
    })
}

/// `ItemCollectionMetrics` for a write to a table with local secondary indexes, when
/// asked for: the item collection's key and its size estimate in GB, as a range.
pub fn collection_metrics(engine: &Engine, table: &str, key: &Item, asked: bool) -> Option<serde_json::Value> {
    let t = engine.tables.get(table)?;
    if !asked || !t.def.indexes.iter().any(|i| i.local) {
        return None;
    }
    let pk_name = &t.def.schema.hash.name;
    let pk = KeyValue::from_attribute(key.get(pk_name)?)?;
    let bytes: usize = t.collection(&pk).map(|(_, item)| item.size()).sum();
    let gb = (bytes as f64 / (1024.0 * 1024.0 * 1024.0)).floor();
    let key_json = crate::value::item_to_json(&Item::from([(pk_name.clone(), pk.to_attribute())]));
    Some(serde_json::json!({"ItemCollectionKey": key_json, "SizeEstimateRangeGB": [gb, gb + 1.0]}))
}

/// BatchWriteItem's and TransactWriteItems' `ItemCollectionMetrics`: for each table
/// with a local secondary index, one entry per item written, in request order.
/// None when not asked for or when no written table has a local index.
pub fn collection_metrics_by_table(
    engine: &Engine,
    written: &[(String, Item)],
    asked: bool,
) -> Option<serde_json::Value> {
    let mut out = serde_json::Map::new();
    for (table, key) in written {
        if let Some(m) = collection_metrics(engine, table, key, asked) {
            if let serde_json::Value::Array(list) =
                out.entry(table.clone()).or_insert_with(|| serde_json::Value::Array(Vec::new()))
            {
                list.push(m);
            }
        }
    }
    (!out.is_empty()).then_some(serde_json::Value::Object(out))
}

/// PutItem and DeleteItem take only `NONE` and `ALL_OLD`.
pub fn only_all_old(return_values: Option<&str>) -> Result<bool> {
    match return_values {
        None | Some("NONE") => Ok(false),
        Some("ALL_OLD") => Ok(true),
        Some(_) => Err(Error::validation("Return values set to invalid value")),
    }
}

/// Adds `ConsumedCapacity` to a response object when asked for.
pub fn with_capacity(
    out: serde_json::Map<String, serde_json::Value>,
    consumed: &Consumed,
    mode: crate::capacity::ReturnCapacity,
) -> serde_json::Value {
    serde_json::Value::Object(capacity_fields(out, consumed, mode))
}

/// [`with_capacity`], as the members of an object still to be written (an [`super::Answer`]).
pub fn capacity_fields(
    mut out: serde_json::Map<String, serde_json::Value>,
    consumed: &Consumed,
    mode: crate::capacity::ReturnCapacity,
) -> serde_json::Map<String, serde_json::Value> {
    if let Some(c) = consumed.to_json(mode) {
        out.insert("ConsumedCapacity".into(), c);
    }
    out
}

/// The error for a failed condition, carrying the item when the caller asked for it.
/// A single-item write's condition: `ConditionExpression` with the request's
/// placeholders (all of which must be used), or the legacy `Expected`.
pub fn write_condition(input: &Input) -> Result<Option<Condition>> {
    let src = input.str("ConditionExpression")?;
    let maps = placeholder_maps(input)?;
    let mut ph = maps.placeholders();
    let cond = match src {
        Some(c) => Some(condition(c, ExprKind::Condition, &mut ph)?),
        None => super::legacy::expected(input)?,
    };
    check_unused(&ph)?;
    Ok(cond)
}

pub fn condition_failed(old: Option<&Item>, all_old: bool) -> Error {
    Error::conditional_check_failed(old.filter(|_| all_old).map(crate::value::item_to_json))
}

/// Charge for a write whose condition failed: the new item's size if an item exists,
/// else one unit.
pub fn failed_write_cost(def: &TableDef, old: Option<&Item>, new: Option<&Item>) -> Consumed {
    let mut c = Consumed::new(&def.name);
    c.table.write = match old {
        Some(_) => write_units(new.map_or(0, item_size), false),
        None => 1.0,
    };
    c
}
