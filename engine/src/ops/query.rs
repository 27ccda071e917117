//! Query: one item collection (one partition-key value) of a table or index, in sort-key
//! order, narrowed by a key condition.

use std::cmp::Ordering;

use super::common::*;
use super::legacy;
use super::paging::*;
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::expr::ast::{Condition, Operand, Path};
use crate::expr::syntax::CmpOp;
use crate::expr::ExprKind;
use crate::replica;
use crate::request::{Input, Violations};
use crate::table::{IndexKey, KeyRef, KeySchema, KeyValue, StoreKey};
use crate::trace::Trace;
use crate::value::AttributeValue;

mod seek;

/// A sort-key condition, ready to test keys.
enum SortTest {
    Cmp(CmpOp, KeyValue),
    Between(KeyValue, KeyValue),
    BeginsWith(AttributeValue),
}

impl SortTest {
    fn matches(&self, sk: &KeyValue) -> bool {
        match self {
            SortTest::Cmp(op, v) => {
                let o = sk.cmp(v);
                match op {
                    CmpOp::Eq => o == Ordering::Equal,
                    CmpOp::Lt => o == Ordering::Less,
                    CmpOp::Le => o != Ordering::Greater,
                    CmpOp::Gt => o == Ordering::Greater,
                    CmpOp::Ge => o != Ordering::Less,
                    CmpOp::Ne => o != Ordering::Equal,
                }
            }
            SortTest::Between(lo, hi) => sk >= lo && sk <= hi,
            SortTest::BeginsWith(prefix) => match (sk, prefix) {
                (KeyValue::S(s), AttributeValue::S(p)) => s.starts_with(p.as_str()),
                (KeyValue::B(b), AttributeValue::B(p)) => b.starts_with(p),
                _ => false,
            },
        }
    }
}

fn invalid_operator(op: &str) -> Error {
    Error::validation(format!("Invalid operator used in KeyConditionExpression: {op}"))
}

/// Splits a key condition into its AND-ed parts. `legacy`: it came from KeyConditions,
/// whose operators that cannot use the key are worded differently.
fn flatten(c: Condition, out: &mut Vec<Condition>, legacy: bool) -> Result<()> {
    let invalid_operator = |op: &str| {
        if legacy {
            Error::validation("Attempted conditional constraint is not an indexable operation")
        } else {
            invalid_operator(op)
        }
    };
    match c {
        Condition::And(a, b) => {
            flatten(*a, out, legacy)?;
            flatten(*b, out, legacy)
        }
        Condition::Or(..) => Err(invalid_operator("OR")),
        Condition::Not(..) => Err(invalid_operator("NOT")),
        Condition::In(..) => Err(invalid_operator("IN")),
        Condition::Compare(CmpOp::Ne, ..) => Err(invalid_operator("<>")),
        Condition::AttributeExists(_) => Err(invalid_operator("attribute_exists")),
        Condition::AttributeNotExists(_) => Err(invalid_operator("attribute_not_exists")),
        Condition::AttributeType(..) => Err(invalid_operator("attribute_type")),
        Condition::Contains(..) => Err(invalid_operator("contains")),
        other => {
            out.push(other);
            Ok(())
        }
    }
}

fn flip(op: CmpOp) -> CmpOp {
    match op {
        CmpOp::Lt => CmpOp::Gt,
        CmpOp::Le => CmpOp::Ge,
        CmpOp::Gt => CmpOp::Lt,
        CmpOp::Ge => CmpOp::Le,
        other => other,
    }
}

/// One key condition as (attribute, test).
fn key_part(c: Condition) -> Result<(Path, Result<SortTest, AttributeValue>)> {
    let unsupported = || Error::validation("Query key condition not supported");
    let key = |v: AttributeValue| KeyValue::from_attribute(&v).ok_or_else(type_mismatch);
    match c {
        Condition::Compare(op, Operand::Path(p), Operand::Value(v))
        | Condition::Compare(op, Operand::Value(v), Operand::Path(p)) => Ok((p, Ok(SortTest::Cmp(op, key(v)?)))),
        Condition::Between(Operand::Path(p), Operand::Value(lo), Operand::Value(hi)) => {
            Ok((p, Ok(SortTest::Between(key(lo)?, key(hi)?))))
        }
        Condition::BeginsWith(Operand::Path(p), Operand::Value(v)) => Ok((p, Err(v))),
        _ => Err(unsupported()),
    }
}

fn type_mismatch() -> Error {
    Error::invalid_parameter("Condition parameter type does not match schema type")
}

/// A key condition's AND-ed parts, checked before the table is looked up: only the
/// operators a key condition allows, each part about one top-level attribute, no two
/// parts about the same one, and one or two parts.
fn key_parts(cond: Option<Condition>, legacy: bool) -> Result<Vec<Condition>> {
    let mut parts = Vec::new();
    if let Some(c) = cond {
        flatten(c, &mut parts, legacy)?;
    }
    let mut seen: Vec<&str> = Vec::new();
    for part in &parts {
        let attr = part_attribute(part)?;
        if seen.contains(&attr) {
            return Err(Error::validation("KeyConditionExpressions must only contain one condition per key"));
        }
        seen.push(attr);
    }
    if parts.is_empty() || parts.len() > 2 {
        return Err(Error::validation("Conditions can be of length 1 or 2 only"));
    }
    Ok(parts)
}

/// The attribute one key condition is about, checked as AWS checks it: the key
/// attribute comes first in BETWEEN and begins_with, appears once, is not nested and is
/// not inside a function.
fn part_attribute(part: &Condition) -> Result<&str> {
    let bad = |what: &str| Error::validation(format!("Invalid condition in KeyConditionExpression: {what}"));
    let operands: Vec<&Operand> = match part {
        Condition::Compare(_, a, b) => vec![a, b],
        Condition::Between(a, lo, hi) => {
            if !matches!(a, Operand::Path(_)) {
                return Err(bad("BETWEEN operator must have the key attribute as its first operand"));
            }
            vec![a, lo, hi]
        }
        Condition::BeginsWith(a, b) => {
            if !matches!(a, Operand::Path(_)) {
                return Err(bad("begins_with operator must have the key attribute as its first operand"));
            }
            vec![a, b]
        }
        _ => Vec::new(),
    };
    let mut attr = None;
    for o in operands {
        match o {
            Operand::Path(p) => {
                if attr.is_some() {
                    return Err(bad("Multiple attribute names used in one condition"));
                }
                if p.is_nested() {
                    return Err(Error::validation(
                        "KeyConditionExpressions cannot have conditions on nested attributes",
                    ));
                }
                attr = p.root();
            }
            Operand::Size(_) => {
                return Err(Error::validation("KeyConditionExpressions cannot contain nested operations"))
            }
            Operand::Value(_) => {}
        }
    }
    attr.ok_or_else(|| bad("No key attribute specified"))
}

/// Turns a key condition's parts into the partition key and optional sort-key test.
fn plan(parts: Vec<Condition>, schema: &KeySchema) -> Result<(KeyValue, Option<SortTest>)> {
    let mut hash = None;
    let mut range = None;
    let mut stray = false;
    for part in parts {
        let swapped = matches!(&part, Condition::Compare(_, Operand::Value(_), Operand::Path(_)));
        let (path, test) = key_part(part)?;
        if path.is_nested() {
            return Err(Error::validation("KeyConditionExpressions cannot have conditions on nested attributes"));
        }
        let test = match test {
            Ok(SortTest::Cmp(op, v)) if swapped => Ok(SortTest::Cmp(flip(op), v)),
            t => t,
        };
        let name = path.root().unwrap_or_default().to_string();
        if name == schema.hash.name {
            if hash.is_some() {
                return Err(Error::validation("KeyConditionExpressions must only contain one condition per key"));
            }
            match test {
                Ok(SortTest::Cmp(CmpOp::Eq, v)) => {
                    if v.scalar_type() != schema.hash.ty {
                        return Err(type_mismatch());
                    }
                    hash = Some(v);
                }
                _ => return Err(Error::validation("Query key condition not supported")),
            }
        } else if schema.range.as_ref().is_some_and(|r| r.name == name) {
            if range.is_some() {
                return Err(Error::validation("KeyConditionExpressions must only contain one condition per key"));
            }
            let ty = schema.range.as_ref().map(|r| r.ty);
            let test = match test {
                Ok(t) => t,
                Err(prefix) => SortTest::BeginsWith(prefix),
            };
            let fits = match &test {
                SortTest::Cmp(_, v) => Some(v.scalar_type()) == ty,
                SortTest::Between(a, b) => Some(a.scalar_type()) == ty && Some(b.scalar_type()) == ty,
                SortTest::BeginsWith(p) => Some(p.type_tag()) == ty.map(|t| t.as_str()),
            };
            if !fits {
                return Err(type_mismatch());
            }
            range = Some(test);
        } else {
            stray = true;
        }
    }
    // A condition on a non-key attribute: AWS names the partition key while it is
    // missing, and the sort key once it is there.
    let missed = |name: &str| Error::validation(format!("Query condition missed key schema element: {name}"));
    let hash = hash.ok_or_else(|| missed(&schema.hash.name))?;
    if stray {
        return Err(missed(schema.range.as_ref().map_or(&schema.hash.name, |r| &r.name)));
    }
    Ok((hash, range))
}

/// An `ExclusiveStartKey` must lie inside what the key condition selects: the same
/// partition key, and a sort key the condition accepts.
fn check_start_in_bounds(
    start: &crate::value::Item,
    schema: &KeySchema,
    pk: &KeyValue,
    sort: Option<&SortTest>,
) -> Result<()> {
    let value = |name: &str| start.get(name).and_then(KeyValue::from_attribute);
    if value(&schema.hash.name).as_ref() != Some(pk) {
        return Err(Error::validation(
            "The provided starting key is outside query boundaries based on provided conditions",
        ));
    }
    if let (Some(test), Some(range)) = (sort, schema.range.as_ref()) {
        if !value(&range.name).is_some_and(|v| test.matches(&v)) {
            return Err(Error::validation("The provided starting key does not match the range key predicate"));
        }
    }
    Ok(())
}

/// A Query as read from the request, before the table is looked up.
struct QueryRequest<'a> {
    params: ReadParams<'a>,
    forward: bool,
    filter: Option<Condition>,
    projection: Option<Vec<Path>>,
    /// The key condition: its parts (from KeyConditionExpression), or the legacy
    /// KeyConditions whose operators are checked once the table is found.
    keys: Result<Vec<Condition>, Option<Condition>>,
}

/// Reads and checks everything that does not need the table, in AWS's order.
fn read_request<'a>(input: &Input<'a>) -> Result<QueryRequest<'a>> {
    let mut v = Violations::new();
    let mut params = read_params(input, &mut v, Read::Query)?;
    let forward = input.bool("ScanIndexForward")?.unwrap_or(true);
    legacy::check_operators(input, &["KeyConditions", "QueryFilter"], &mut v)?;
    v.finish()?;
    // KeyConditions may go with the other expressions; only KeyConditionExpression
    // excludes it.
    let legacy_params: &[&str] = if input.has("KeyConditionExpression") {
        &["AttributesToGet", "QueryFilter", "ConditionalOperator", "KeyConditions"]
    } else {
        &["AttributesToGet", "QueryFilter", "ConditionalOperator"]
    };
    no_mixing(input, legacy_params, &["ProjectionExpression", "FilterExpression", "KeyConditionExpression"])?;
    placeholders_need_expressions(input, &["FilterExpression", "KeyConditionExpression"], &["ProjectionExpression"])?;
    // AWS's order from here: QueryFilter, AttributesToGet, ExclusiveStartKey, then the
    // placeholders and expressions, or KeyConditions.
    let legacy_filter = if input.has("FilterExpression") {
        None
    } else {
        legacy::conditions(input, "QueryFilter", input.str("ConditionalOperator")?)?
    };
    let legacy_projection = input.attributes_to_get()?;
    params.check_start_key()?;
    let key_src = input.str("KeyConditionExpression")?;
    let maps = placeholder_maps(input)?;
    let mut ph = maps.placeholders();
    let key_cond = match key_src {
        Some(src) => Some(condition(src, ExprKind::KeyCondition, &mut ph)?),
        None if input.has("KeyConditions") => legacy::conditions(input, "KeyConditions", None)?,
        None => {
            return Err(Error::validation(
                "Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.",
            ))
        }
    };
    let key_count = input.object("KeyConditions")?.map_or(0, |m| m.obj.len());
    if key_src.is_none() && !(1..=2).contains(&key_count) {
        return Err(Error::validation("Conditions can be of length 1 or 2 only"));
    }
    let (filter, projection) = filter_and_projection(input, &mut ph)?;
    check_unused(&ph)?;
    // An expression's shape is checked once every expression is read; KeyConditions'
    // operators only once the table is found.
    let keys = if key_src.is_none() { Err(key_cond) } else { Ok(key_parts(key_cond, false)?) };
    // Mixing legacy and expression parameters was refused above.
    Ok(QueryRequest {
        params,
        forward,
        filter: filter.or(legacy_filter),
        projection: projection.or(legacy_projection),
        keys,
    })
}

/// A filter may not name the key attributes of what is queried.
fn check_filter_keys(filter: Option<&Condition>, schema: &KeySchema) -> Result<()> {
    let Some(f) = filter else { return Ok(()) };
    let mut roots = Vec::new();
    condition_roots(f, &mut roots);
    match roots.iter().find(|r| schema.is_key(r)) {
        Some(k) => Err(Error::validation(format!(
            "Filter Expression can only contain non-primary key attributes: Primary key attribute: {k}"
        ))),
        None => Ok(()),
    }
}

pub fn run(engine: &mut Engine, input: Input, trace: &mut Trace) -> Result<super::Answer> {
    let q = read_request(&input)?;
    let params = &q.params;
    let table = data_table(engine, params.table)?;
    let ix = index_of(table, params)?;
    check_select(params, ix, q.projection.is_some(), "Querying")?;
    let schema = ix.map_or(&table.def.schema, |i| &i.schema);
    let start = start_position(table, ix, params.start_key.as_ref())?;
    let parts = match q.keys {
        Ok(parts) => parts,
        Err(legacy) => key_parts(legacy, true)?,
    };
    let (pk, sort) = plan(parts, schema)?;
    if let Some(start_key) = &params.start_key {
        check_start_in_bounds(start_key, schema, &pk, sort.as_ref())?;
    }
    check_filter_keys(q.filter.as_ref(), schema)?;
    let served = replica::choose(engine, params.table, params.index, params.consistent);
    let leader = data_table(engine, params.table)?;
    let view = replica::ReadView::of(engine, leader, served);
    let read_from = page_reader(|v| {
        let t = v.leader;
        let spec = PageSpec::new(t, index_of(t, params)?, params, q.filter.as_ref(), q.projection.as_deref());
        Ok(read_collection(&spec, v, &pk, sort.as_ref(), q.forward, start.clone()))
    });
    let mut page = read_from(&view)?;
    page.read.served = served;
    page.read.stale = !view.is_leader() && read_from(&replica::ReadView::leader(leader))?.items != page.items;
    let response = page_response(&page, params.select == Some("COUNT"), params.capacity);
    let Page { consumed, mut read, .. } = page;
    drop(view);
    // The collection's partition (its hash is worked out only when capacity is enforced).
    let at = engine.config.enforce_capacity.then(|| StoreKey::new(pk.clone(), None));
    crate::throttle::admit(engine, &consumed, crate::throttle::Dir::Read, at.as_ref(), trace)?;
    trace.consumed.push(consumed);
    read.collection = Some(pk);
    record_read(engine, read, trace);
    Ok(response)
}

/// `read` as a closure whose page borrows from the view it is given (a closure's
/// signature cannot say so by itself).
fn page_reader<F: for<'v, 't> Fn(&'v replica::ReadView<'t>) -> Result<Page<'v>>>(read: F) -> F {
    read
}

/// One page of the collection `pk` of the table or index `spec` reads, in sort-key order
/// (`forward` or backwards), from just past `start`: a range of the map ([`seek`]).
fn read_collection<'v>(
    spec: &PageSpec<'v, '_>,
    view: &'v replica::ReadView<'_>,
    pk: &KeyValue,
    sort: Option<&SortTest>,
    forward: bool,
    start: Option<(StoreKey, Option<StoreKey>)>,
) -> Page<'v> {
    let run = seek::Run::of(pk, sort);
    // In the range, a key the condition refuses (`>`'s own value) is passed over too.
    let wanted = |key: KeyRef| run.holds(key) && sort.is_none_or(|t| key.sk().is_some_and(|k| t.matches(&k)));
    match spec.index {
        None => {
            let (lower, upper) = run.table_range(start.as_ref().map(|(tk, _)| tk), forward);
            read_page(spec, view.items_between(lower, upper, forward).filter(|(k, _)| wanted(*k)))
        }
        Some(ix) => {
            let start = start.map(|(tk, ik)| IndexKey { key: ik.unwrap_or_else(|| tk.clone()), table_key: tk });
            let (lower, upper) = run.index_range(start, forward);
            let entries =
                view.index_entries_between(&ix.name, lower, upper, forward).filter(|(ik, _)| wanted(ik.key.borrowed()));
            read_page(spec, entries.filter_map(|(_, tk)| view.get(tk).map(|item| (tk.borrowed(), item))))
        }
    }
}
