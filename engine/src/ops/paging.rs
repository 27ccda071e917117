//! What Query and Scan share: reading one page of items in storage order, stopping at
//! `Limit` items evaluated or 1 MB read (counted before the filter), then filtering and
//! projecting; the read is charged on the bytes evaluated, summed and rounded once.

use serde_json::{json, Map};

use super::common::*;
use crate::capacity::{read_units, Consumed, ReadMode, ReturnCapacity};
use crate::error::{Error, Result};
use crate::expr::ast::{Condition, Operand, Path};
use crate::expr::{eval, ExprKind, Placeholders};
use crate::request::{enums, Input, Violations};
use crate::table::{IndexDef, KeyRef, Projection, StoreKey, Table};
use crate::trace::{PartitionRead, ReadTrace};
use crate::value::{item_size, item_to_json, Item, PackedItem};

/// Query and Scan stop once they have read this many bytes.
pub const PAGE_BYTES: usize = 1024 * 1024;

/// The members Query and Scan share, read and validated.
pub struct ReadParams<'a> {
    pub table: &'a str,
    pub index: Option<&'a str>,
    pub limit: Option<usize>,
    pub consistent: bool,
    pub select: Option<&'a str>,
    pub capacity: ReturnCapacity,
    pub start_key: Option<Item>,
    /// Why `ExclusiveStartKey` is invalid: AWS says so only after the expressions and
    /// filters are read, so it waits for [`ReadParams::check_start_key`].
    start_key_error: Option<Error>,
}

impl ReadParams<'_> {
    pub fn check_start_key(&mut self) -> Result<()> {
        self.start_key_error.take().map_or(Ok(()), Err)
    }
}

/// The `ExclusiveStartKey` errors AWS reports as "The provided starting key is invalid".
const STARTING_KEY_CHECKS: [&str; 4] = [
    "Supplied AttributeValue",
    "Null attribute value",
    "An string set  may not be empty",
    "Binary sets should not be empty",
];

/// Which read: Query and Scan word a bad `Limit` differently.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Read {
    Query,
    Scan,
}

pub fn read_params<'a>(input: &Input<'a>, v: &mut Violations, read: Read) -> Result<ReadParams<'a>> {
    let table = input.str("TableName")?;
    v.data_table_name(table, "tableName");
    let index = input.str("IndexName")?;
    v.name(index, "indexName", false);
    let limit = input.int("Limit")?;
    match (read, limit) {
        (Read::Query, Some(l)) if l < 1 => v.unechoed("Limit", "Member must have value greater than or equal to 1"),
        _ => v.range(limit, "limit", 1, None),
    }
    let select = input.str("Select")?;
    v.one_of(select, "select", enums::SELECT);
    let capacity = input.str("ReturnConsumedCapacity")?;
    v.one_of(capacity, "returnConsumedCapacity", enums::RETURN_CONSUMED_CAPACITY);
    let consistent = input.bool("ConsistentRead")?.unwrap_or(false);
    let (start_key, start_key_error) = match serialization_first(input.item("ExclusiveStartKey"))? {
        Ok(key) => (key, None),
        // AWS prefixes only the errors its first pass over the key finds; number and
        // duplicate errors come from a later one and read as they do anywhere else.
        Err(e) if STARTING_KEY_CHECKS.iter().any(|m| e.message.contains(m)) => {
            (None, Some(Error::validation(format!("The provided starting key is invalid: {}", e.message))))
        }
        Err(e) => (None, Some(e)),
    };
    Ok(ReadParams {
        table: table.unwrap_or_default(),
        index,
        limit: limit.map(|l| l.max(1) as usize),
        consistent,
        select,
        capacity: ReturnCapacity::parse(capacity),
        start_key,
        start_key_error,
    })
}

/// The index a request names, with AWS's errors for a missing index and for strong
/// reads on a global index.
pub fn index_of<'t>(table: &'t Table, params: &ReadParams) -> Result<Option<&'t IndexDef>> {
    let Some(name) = params.index else {
        return Ok(None);
    };
    let ix = table
        .def
        .index(name)
        .ok_or_else(|| Error::validation(format!("The table does not have the specified index: {name}")))?;
    if params.consistent && !ix.local {
        return Err(Error::validation("Consistent reads are not supported on global secondary indexes"));
    }
    Ok(Some(ix))
}

/// Select and projection, checked against each other and the index.
pub fn check_select(params: &ReadParams, ix: Option<&IndexDef>, has_projection: bool, op: &str) -> Result<()> {
    match (params.select, has_projection) {
        (Some("SPECIFIC_ATTRIBUTES"), false) => {
            return Err(Error::validation(
                "Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES",
            ))
        }
        (Some(s), true) if s != "SPECIFIC_ATTRIBUTES" => {
            return Err(Error::validation(format!("Cannot specify the ProjectionExpression when choosing to get {s}")))
        }
        _ => {}
    }
    if params.select == Some("ALL_PROJECTED_ATTRIBUTES") && ix.is_none() {
        return Err(Error::validation(format!(
            "ALL_PROJECTED_ATTRIBUTES can be used only when {op} using an IndexName"
        )));
    }
    if let (Some("ALL_ATTRIBUTES"), Some(ix)) = (params.select, ix) {
        if !ix.local && ix.projection != Projection::All {
            return Err(Error::invalid_parameter(format!(
                "Select type ALL_ATTRIBUTES is not supported for global secondary index {} because its projection type is not ALL",
                ix.name
            )));
        }
    }
    Ok(())
}

/// Parses `ExclusiveStartKey` into a position: the table key, plus the index key when
/// reading an index.
pub fn start_position(
    table: &Table,
    ix: Option<&IndexDef>,
    key: Option<&Item>,
) -> Result<Option<(StoreKey, Option<StoreKey>)>> {
    let Some(key) = key else { return Ok(None) };
    let invalid = || {
        Error::validation("The provided starting key is invalid: The provided key element does not match the schema")
    };
    let mut table_part = table.def.schema.key_item(key);
    let index_part = match ix {
        Some(ix) => {
            let k = ix.schema.store_key(key).ok_or_else(invalid)?;
            for n in ix.schema.names() {
                table_part.remove(n);
                if let Some(v) = key.get(n) {
                    if table.def.schema.is_key(n) {
                        table_part.insert(n.to_string(), v.clone());
                    }
                }
            }
            Some(k)
        }
        None => None,
    };
    let expected = table.def.schema.names().count()
        + ix.map_or(0, |i| i.schema.names().filter(|n| !table.def.schema.is_key(n)).count());
    if key.len() != expected {
        return Err(invalid());
    }
    let tk = key_from_request(&table.def, &table_part).map_err(|_| invalid())?;
    Ok(Some((tk, index_part)))
}

/// What one page reads: from `table` (its items live for `'t`), with the request's
/// expressions (`'a`).
pub struct PageSpec<'t, 'a> {
    pub table: &'t Table,
    pub index: Option<&'t IndexDef>,
    pub limit: Option<usize>,
    pub filter: Option<&'a Condition>,
    pub projection: Option<&'a [Path]>,
    pub count_only: bool,
    /// A local index read that needs attributes the index does not hold: each entry's
    /// item is read from the table too ([`fetches_from_table`]).
    pub fetch: bool,
    pub mode: ReadMode,
}

impl<'t, 'a> PageSpec<'t, 'a> {
    /// What a Query or Scan with `params`, `filter` and `projection` reads from `table`
    /// (or its index `index`).
    pub fn new(
        table: &'t Table,
        index: Option<&'t IndexDef>,
        params: &ReadParams,
        filter: Option<&'a Condition>,
        projection: Option<&'a [Path]>,
    ) -> PageSpec<'t, 'a> {
        PageSpec {
            table,
            index,
            limit: params.limit,
            filter,
            projection,
            count_only: params.select == Some("COUNT"),
            fetch: fetches_from_table(table, index, params.select, projection, filter),
            mode: ReadMode::from_consistent(params.consistent),
        }
    }
}

/// Whether reading local index `ix` fetches items from the table. AWS's Query reference:
/// `ALL_ATTRIBUTES` on a local index "fetches the entire item from the parent table",
/// and a projection naming an attribute the index does not project fetches it; a filter
/// needs the attributes it reads. Global indexes never fetch (AWS refuses such reads).
pub fn fetches_from_table(
    table: &Table,
    ix: Option<&IndexDef>,
    select: Option<&str>,
    projection: Option<&[Path]>,
    filter: Option<&Condition>,
) -> bool {
    let Some(ix) = ix.filter(|ix| ix.local && ix.projection != Projection::All) else {
        return false;
    };
    let mut roots: Vec<String> = Vec::new();
    if let Some(f) = filter {
        condition_roots(f, &mut roots);
    }
    match select {
        Some("ALL_ATTRIBUTES") => return true,
        Some("COUNT") => {}
        _ => roots.extend(projection.unwrap_or_default().iter().filter_map(|p| p.root().map(str::to_string))),
    }
    roots.iter().any(|r| !ix.projects(&table.def.schema, r))
}

/// One page read: its items as stored where the read returns them whole (written
/// straight from storage), made only for projections and filters.
pub struct Page<'t> {
    pub items: Vec<PageItem<'t>>,
    pub scanned: usize,
    pub last_key: Option<Item>,
    pub read: ReadTrace,
    pub consumed: Consumed,
}

/// Reads one page from `entries` (table key, stored item, in read order).
pub fn read_page<'t>(spec: &PageSpec, entries: impl Iterator<Item = (KeyRef<'t>, &'t PackedItem)>) -> Page<'t> {
    let table = spec.table;
    let mut items = Vec::new();
    let mut scanned = 0;
    let mut bytes = 0;
    // The last entry read: its position is the page's LastEvaluatedKey, worked out once.
    let mut last: Option<(KeyRef, &PackedItem)> = None;
    let mut stopped = false;
    let mut partitions: Vec<PartitionRead> = Vec::new();
    // Items read from the table for a local index: each rounded up on its own.
    let mut fetch_units = 0.0;
    for (key, stored) in entries {
        if bytes >= PAGE_BYTES {
            stopped = true;
            break;
        }
        let (size, seen) = seen(spec, stored);
        bytes += size;
        if spec.fetch {
            fetch_units += read_units(stored.size(), spec.mode);
        }
        note_partition(&mut partitions, partition_of(spec, key, stored), size);
        scanned += 1;
        last = Some((key, stored));
        if spec.filter.is_none_or(|f| seen.as_ref().is_some_and(|item| eval::matches(f, item))) {
            items.push(match (spec.count_only, spec.projection, seen) {
                (true, _, _) => PageItem::Made(Item::new()),
                (false, Some(paths), item) => PageItem::Made(eval::projected(&item.unwrap_or_default(), paths)),
                (false, None, Some(item)) if spec.index.is_some() && !spec.fetch => PageItem::Made(item),
                (false, None, _) => PageItem::Stored(stored),
            });
        }
        // DynamoDB does not look ahead: reaching Limit ends the page with a
        // LastEvaluatedKey even when no items remain.
        if spec.limit.is_some_and(|l| scanned >= l) {
            stopped = true;
            break;
        }
    }
    let last = last.filter(|_| stopped).map(|(key, stored)| position(spec, key, stored));
    let (consumed, units) = charge(spec, bytes, fetch_units);
    let read = ReadTrace {
        table: table.def.name.clone(),
        index: spec.index.map(|i| i.name.clone()),
        collection: None,
        partitions: share_units(partitions, bytes, units),
        examined: scanned,
        returned: items.len(),
        bytes,
        read_units: units,
        ..ReadTrace::default()
    };
    Page { items, scanned, last_key: last, read, consumed }
}

/// What a read sees of a stored item, and its size: the index's projection of it, or
/// the item itself, unpacked only when a filter or a projection reads it (`None`).
fn seen(spec: &PageSpec, stored: &PackedItem) -> (usize, Option<Item>) {
    let Some(ix) = spec.index else {
        let read = spec.filter.is_some() || (spec.projection.is_some() && !spec.count_only);
        return (stored.size(), read.then(|| stored.item()));
    };
    let whole = stored.item();
    let entry = ix.project(&spec.table.def.schema, &whole);
    (item_size(&entry), Some(if spec.fetch { whole } else { entry }))
}

/// An item a page returns: as stored, or made for the answer (a projection, an
/// index's projection, a count's placeholder).
#[derive(Debug)]
pub enum PageItem<'t> {
    Stored(&'t PackedItem),
    Made(Item),
}

/// Equal when they hold equal items (how a replica's page is told stale).
impl PartialEq for PageItem<'_> {
    fn eq(&self, other: &PageItem<'_>) -> bool {
        match (self, other) {
            (PageItem::Stored(a), PageItem::Stored(b)) => a == b,
            (PageItem::Made(a), PageItem::Made(b)) => a == b,
            (PageItem::Stored(s), PageItem::Made(m)) | (PageItem::Made(m), PageItem::Stored(s)) => s.item() == *m,
        }
    }
}

/// The partition an entry is read from. Global index entries live in the index's own
/// partitions; the table's map is what the page draws, so they are placed on it.
fn partition_of(spec: &PageSpec, key: KeyRef, stored: &PackedItem) -> usize {
    let partitions = &spec.table.partitions;
    match spec.index {
        Some(ix) if !ix.local => ix.schema.packed_key(stored).map_or(0, |k| partitions.index_of(k.hash)),
        _ => partitions.index_of(key.hash),
    }
}

fn note_partition(partitions: &mut Vec<PartitionRead>, p: usize, size: usize) {
    match partitions.iter_mut().find(|r| r.partition == p) {
        Some(r) => {
            r.examined += 1;
            r.bytes += size;
        }
        None => partitions.push(PartitionRead { partition: p, examined: 1, bytes: size, read_units: 0.0 }),
    }
}

/// The `LastEvaluatedKey` a page ending at this entry gives: the table key, plus the
/// index key when reading an index.
fn position(spec: &PageSpec, key: KeyRef, stored: &PackedItem) -> Item {
    let mut key_item = spec.table.def.schema.key_from_store(&key);
    if let Some(ix) = spec.index {
        key_item.extend(ix.schema.packed_key_item(stored));
    }
    key_item
}

/// What the page costs, charged to the table or the index read, and the total units.
fn charge(spec: &PageSpec, bytes: usize, fetch_units: f64) -> (Consumed, f64) {
    let units = read_units(bytes, spec.mode);
    let mut consumed = Consumed::new(&spec.table.def.name);
    let read = crate::capacity::Units { read: units, write: 0.0 };
    match spec.index {
        Some(ix) if !ix.local => {
            consumed.global_indexes.insert(ix.name.clone(), read);
        }
        Some(ix) => {
            consumed.local_indexes.insert(ix.name.clone(), read);
        }
        None => consumed.table.read = units,
    }
    consumed.table.read += fetch_units;
    (consumed, units + fetch_units)
}

/// Shares `units` among the partitions read, by bytes read (evenly when none were).
fn share_units(mut partitions: Vec<PartitionRead>, bytes: usize, units: f64) -> Vec<PartitionRead> {
    if partitions.is_empty() {
        partitions.push(PartitionRead::default());
    }
    let n = partitions.len() as f64;
    for r in &mut partitions {
        r.read_units = if bytes == 0 { units / n } else { units * r.bytes as f64 / bytes as f64 };
    }
    partitions
}

/// The answer to a Query or Scan page, its items written as JSON text.
pub fn page_response(page: &Page, count_only: bool, capacity: ReturnCapacity) -> super::Answer {
    let mut out = Map::new();
    out.insert("Count".into(), json!(page.items.len()));
    out.insert("ScannedCount".into(), json!(page.scanned));
    if let Some(k) = &page.last_key {
        out.insert("LastEvaluatedKey".into(), item_to_json(k));
    }
    let out = capacity_fields(out, &page.consumed, capacity);
    match count_only {
        true => serde_json::Value::Object(out).into(),
        false => super::Answer::written(out, "Items", page.items.len().saturating_mul(128), |text| {
            text.push('[');
            for (i, item) in page.items.iter().enumerate() {
                if i > 0 {
                    text.push(',');
                }
                match item {
                    PageItem::Stored(stored) => crate::value::write_packed(text, stored),
                    PageItem::Made(made) => crate::value::write_item(text, made),
                }
            }
            text.push(']');
        }),
    }
}

/// Filter and projection expressions of a read, parsed with the request's placeholders.
pub fn filter_and_projection(input: &Input, ph: &mut Placeholders) -> Result<(Option<Condition>, Option<Vec<Path>>)> {
    let filter = input.str("FilterExpression")?.map(|f| condition(f, ExprKind::Filter, ph)).transpose()?;
    let projection = input.str("ProjectionExpression")?.map(|p| projection(p, ph)).transpose()?;
    Ok((filter, projection))
}

/// The top-level attributes a condition reads.
pub fn condition_roots(c: &Condition, out: &mut Vec<String>) {
    let op = |o: &Operand, out: &mut Vec<String>| operand_roots(o, out);
    match c {
        Condition::Compare(_, a, b)
        | Condition::AttributeType(a, b)
        | Condition::BeginsWith(a, b)
        | Condition::Contains(a, b) => {
            op(a, out);
            op(b, out);
        }
        Condition::Between(a, b, d) => {
            op(a, out);
            op(b, out);
            op(d, out);
        }
        Condition::In(a, list) => {
            op(a, out);
            for o in list {
                op(o, out);
            }
        }
        Condition::AttributeExists(p) | Condition::AttributeNotExists(p) => out.extend(p.root().map(str::to_string)),
        Condition::And(a, b) | Condition::Or(a, b) => {
            condition_roots(a, out);
            condition_roots(b, out);
        }
        Condition::Not(a) => condition_roots(a, out),
    }
}

fn operand_roots(o: &Operand, out: &mut Vec<String>) {
    match o {
        Operand::Path(p) => out.extend(p.root().map(str::to_string)),
        Operand::Size(inner) => operand_roots(inner, out),
        Operand::Value(_) => {}
    }
}
