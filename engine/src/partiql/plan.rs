//! A statement planned onto one of the engine's operations, so capacity, traces, streams
//! and the views see a PartiQL statement exactly as they see that operation:
//! - SELECT with an equality on the whole primary key of a table, and nothing else: GetItem;
//! - SELECT with an equality on the partition key: Query (a sort key condition becomes
//!   its key condition, the rest its filter; ORDER BY its direction);
//! - any other SELECT: Scan of the whole table or index, the WHERE its filter;
//! - INSERT: PutItem on the condition that the key is new;
//! - UPDATE: UpdateItem of the item the WHERE's key equalities name, on the condition that
//!   it exists (and the WHERE's other conditions hold);
//! - DELETE: DeleteItem of that item, on the WHERE's other conditions.

use serde_json::{json, Map, Value};

use super::ast::{Action, CmpOp, Cond, Delete, Operand, Select, Statement, Update};
use super::exprs::Exprs;
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::table::KeySchema;

/// What AWS answers when a write's WHERE does not name the whole key.
pub const WHOLE_KEY: &str = "Where clause does not contain a mandatory equality on all key attributes";

/// An operation and its request.
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    pub operation: &'static str,
    pub request: Value,
    /// A Query of several partitions (`pk IN [...]`, `pk = a OR pk = b`): the partition
    /// key values, each run in turn as the request's [`PARTITION`] value.
    pub partitions: Vec<Value>,
}

/// The placeholder of the partition key's value in a Query of several partitions.
pub const PARTITION: &str = ":pk";

/// The most partition key values an IN may list (AWS's limit).
pub const MAX_PARTITIONS: usize = 50;

/// What the request carries besides the statement.
#[derive(Clone, Debug, Default)]
pub struct Options {
    pub params: Vec<Value>,
    pub consistent: bool,
    pub limit: Option<i64>,
    pub start_key: Option<Value>,
    /// Where a Query of several partitions goes on from (a NextToken's partition).
    pub start_partition: usize,
    pub capacity: Option<String>,
    pub on_failure: Option<String>,
}

pub fn plan(engine: &Engine, statement: &Statement, o: &Options) -> Result<Plan> {
    let mut ex = Exprs::new(&o.params);
    let mut partitions = Vec::new();
    let (operation, mut request) = match statement {
        Statement::Select(s) => select(engine, s, o, &mut ex, &mut partitions)?,
        Statement::Insert { table, item } => insert(engine, table, item, &mut ex)?,
        Statement::Update(u) => update(engine, u, &mut ex)?,
        Statement::Delete(d) => delete(engine, d, &mut ex)?,
    };
    if let Some(c) = &o.capacity {
        request.insert("ReturnConsumedCapacity".into(), json!(c));
    }
    if let (Some(f), false) = (&o.on_failure, operation == "GetItem" || operation == "Query" || operation == "Scan") {
        request.insert("ReturnValuesOnConditionCheckFailure".into(), json!(f));
    }
    ex.finish(&mut request);
    Ok(Plan { operation, request: Value::Object(request), partitions })
}

type Planned = (&'static str, Map<String, Value>);

fn schema<'e>(engine: &'e Engine, table: &str) -> Result<&'e KeySchema> {
    engine.table(table).map(|t| &t.def.schema).ok_or_else(Error::resource_not_found)
}

/// Takes the `attr = value` conjunct out of `conds`, if there is one; its value.
fn take_equality(conds: &mut Vec<Cond>, attr: &str, ex: &Exprs) -> Result<Option<Value>> {
    for (i, c) in conds.iter().enumerate() {
        let Cond::Cmp(CmpOp::Eq, a, b) = c else { continue };
        let pair = match (a, b) {
            (Operand::Path(p), v) | (v, Operand::Path(p)) if p.top() == Some(attr) => ex.resolve(v)?,
            _ => None,
        };
        if let Some(v) = pair {
            conds.remove(i);
            return Ok(Some(v));
        }
    }
    Ok(None)
}

/// The item's key from the WHERE's equalities, and the conditions left over.
fn whole_key(schema: &KeySchema, filter: Option<&Cond>, ex: &Exprs) -> Result<(Map<String, Value>, Vec<Cond>)> {
    let mut conds = filter.cloned().map(Cond::conjuncts).unwrap_or_default();
    let mut key = Map::new();
    for def in std::iter::once(&schema.hash).chain(schema.range.as_ref()) {
        let v = take_equality(&mut conds, &def.name, ex)?.ok_or_else(|| Error::validation(WHOLE_KEY))?;
        key.insert(def.name.clone(), v);
    }
    Ok((key, conds))
}

fn select(engine: &Engine, s: &Select, o: &Options, ex: &mut Exprs, parts: &mut Vec<Value>) -> Result<Planned> {
    let table = engine.table(&s.table).ok_or_else(Error::resource_not_found)?;
    let index = s.index.as_ref().map(|name| table.def.indexes.iter().find(|i| &i.name == name));
    let schema = match index {
        Some(Some(ix)) => ix.schema.clone(),
        // An unknown index: the Scan says so, as AWS's does.
        Some(None) => return Ok(("Scan", scan_request(s, o, ex, s.filter.as_ref())?)),
        None => table.def.schema.clone(),
    };
    let mut conds = s.filter.clone().map(Cond::conjuncts).unwrap_or_default();
    let Some(pk) = take_equality(&mut conds, &schema.hash.name, ex)? else {
        if let Some(values) = take_partitions(&mut conds, &schema.hash.name, ex)? {
            *parts = values;
            return several_partitions(s, o, ex, &schema, conds);
        }
        if s.order.is_some() {
            return Err(Error::validation("ORDER BY needs an equality on the partition key in the WHERE clause."));
        }
        return Ok(("Scan", scan_request(s, o, ex, s.filter.as_ref())?));
    };
    let mut r = base(s, o, ex);
    if let (None, None) = (&s.index, &s.order) {
        let before = conds.clone();
        let sk = match &schema.range {
            Some(range) => take_equality(&mut conds, &range.name, ex)?.map(|v| Some((range.name.clone(), v))),
            None => Some(None),
        };
        if let (Some(sk), true) = (sk, conds.is_empty()) {
            let mut key = Map::new();
            key.insert(schema.hash.name.clone(), pk);
            key.extend(sk);
            r.insert("Key".into(), Value::Object(key));
            r.remove("Limit");
            return Ok(("GetItem", r));
        }
        conds = before;
    }
    let partition = ex.value(pk);
    query(s, r, ex, &schema, partition, conds)
}

/// A Query of the partition whose key is the placeholder `partition`: a sort-key
/// condition among `conds` becomes its key condition, the rest its filter.
fn query(
    s: &Select,
    mut r: Map<String, Value>,
    ex: &mut Exprs,
    schema: &KeySchema,
    partition: String,
    mut conds: Vec<Cond>,
) -> Result<Planned> {
    let mut key_cond = format!("{} = {partition}", ex.name(&schema.hash.name));
    if let Some(range) = &schema.range {
        if let Some(i) = conds.iter().position(|c| sort_condition(c, &range.name)) {
            key_cond = format!("{key_cond} AND {}", ex.cond(&conds.remove(i))?);
        }
    }
    r.insert("KeyConditionExpression".into(), json!(key_cond));
    if let Some(f) = Cond::all(conds) {
        r.insert("FilterExpression".into(), json!(ex.cond(&f)?));
    }
    if let Some((_, true)) = s.order {
        r.insert("ScanIndexForward".into(), json!(false));
    }
    Ok(("Query", r))
}

/// The partition key values of `pk IN [a, b]` (a conjunct, taken out of `conds`) or of
/// a WHERE that is only `pk = a OR pk = b …`; `None` when the WHERE names no such set.
fn take_partitions(conds: &mut Vec<Cond>, pk: &str, ex: &Exprs) -> Result<Option<Vec<Value>>> {
    let on_pk = |o: &Operand| matches!(o, Operand::Path(p) if p.top() == Some(pk));
    for (i, c) in conds.iter().enumerate() {
        let Cond::In(a, list) = c else { continue };
        if !on_pk(a) {
            continue;
        }
        let values: Option<Vec<Value>> = list.iter().map(|o| ex.resolve(o)).collect::<Result<_>>()?;
        if let Some(values) = values {
            if values.len() > MAX_PARTITIONS {
                return Err(Error::validation(format!(
                    "An IN on the partition key lists at most {MAX_PARTITIONS} values."
                )));
            }
            conds.remove(i);
            return Ok(Some(values));
        }
    }
    if let [only @ Cond::Or(..)] = conds.as_slice() {
        let mut values = Vec::new();
        if equalities(only, &on_pk, ex, &mut values)? {
            conds.clear();
            return Ok(Some(values));
        }
    }
    Ok(None)
}

/// Whether `c` is an OR of `pk = value`s only, collecting the values.
fn equalities(c: &Cond, on_pk: &dyn Fn(&Operand) -> bool, ex: &Exprs, out: &mut Vec<Value>) -> Result<bool> {
    Ok(match c {
        Cond::Or(a, b) => equalities(a, on_pk, ex, out)? && equalities(b, on_pk, ex, out)?,
        Cond::Cmp(CmpOp::Eq, a, v) | Cond::Cmp(CmpOp::Eq, v, a) if on_pk(a) => match ex.resolve(v)? {
            Some(value) => {
                out.push(value);
                true
            }
            None => false,
        },
        _ => false,
    })
}

/// A Query run once per partition key value (the request's `:pk`).
fn several_partitions(
    s: &Select,
    o: &Options,
    ex: &mut Exprs,
    schema: &KeySchema,
    conds: Vec<Cond>,
) -> Result<Planned> {
    let mut r = base(s, o, ex);
    r.remove("ExclusiveStartKey");
    query(s, r, ex, schema, PARTITION.to_string(), conds)
}

/// Whether `c` is a condition a Query may put on the sort key `attr`.
fn sort_condition(c: &Cond, attr: &str) -> bool {
    let on = |o: &Operand| matches!(o, Operand::Path(p) if p.top() == Some(attr));
    let value = |o: &Operand| matches!(o, Operand::Value(_) | Operand::Param(_));
    match c {
        Cond::Cmp(op, a, b) => *op != CmpOp::Ne && on(a) && value(b),
        Cond::Between(a, lo, hi) => on(a) && value(lo) && value(hi),
        Cond::Func(name, args) => {
            name == "begins_with" && args.first().is_some_and(on) && args.get(1).is_some_and(value)
        }
        _ => false,
    }
}

/// What every read of a SELECT carries: table, index, projection, consistency, paging.
fn base(s: &Select, o: &Options, ex: &mut Exprs) -> Map<String, Value> {
    let mut r = Map::new();
    r.insert("TableName".into(), json!(s.table));
    if let Some(index) = &s.index {
        r.insert("IndexName".into(), json!(index));
    }
    if let Some(paths) = &s.projection {
        let list: Vec<String> = paths.iter().map(|p| ex.path(p)).collect();
        r.insert("ProjectionExpression".into(), json!(list.join(", ")));
    }
    if o.consistent {
        r.insert("ConsistentRead".into(), json!(true));
    }
    if let Some(limit) = o.limit {
        r.insert("Limit".into(), json!(limit));
    }
    if let Some(start) = &o.start_key {
        r.insert("ExclusiveStartKey".into(), start.clone());
    }
    r
}

fn scan_request(s: &Select, o: &Options, ex: &mut Exprs, filter: Option<&Cond>) -> Result<Map<String, Value>> {
    let mut r = base(s, o, ex);
    if let Some(f) = filter {
        r.insert("FilterExpression".into(), json!(ex.cond(f)?));
    }
    Ok(r)
}

fn insert(engine: &Engine, table: &str, item: &Operand, ex: &mut Exprs) -> Result<Planned> {
    let schema = schema(engine, table)?;
    let item = match ex.resolve(item)? {
        Some(Value::Object(mut m)) if m.contains_key("M") => m.remove("M").unwrap_or_default(),
        _ => return Err(Error::validation("INSERT's VALUE must be a map: {'attribute': value, …}.")),
    };
    let mut r = Map::new();
    r.insert("TableName".into(), json!(table));
    r.insert("Item".into(), item);
    r.insert("ConditionExpression".into(), json!(format!("attribute_not_exists({})", ex.name(&schema.hash.name))));
    Ok(("PutItem", r))
}

fn update(engine: &Engine, u: &Update, ex: &mut Exprs) -> Result<Planned> {
    let schema = schema(engine, &u.table)?;
    let (key, rest) = whole_key(schema, u.filter.as_ref(), ex)?;
    let mut r = Map::new();
    r.insert("TableName".into(), json!(u.table));
    r.insert("Key".into(), Value::Object(key));
    r.insert("UpdateExpression".into(), json!(update_expression(&u.actions, ex)?));
    let mut condition = format!("attribute_exists({})", ex.name(&schema.hash.name));
    if let Some(c) = Cond::all(rest) {
        condition = format!("{condition} AND ({})", ex.cond(&c)?);
    }
    r.insert("ConditionExpression".into(), json!(condition));
    if let Some(ret) = u.returning {
        r.insert("ReturnValues".into(), json!(ret.return_values()));
    }
    Ok(("UpdateItem", r))
}

/// SET and REMOVE as UpdateItem's clauses; `set_add` and `set_delete` become ADD and
/// DELETE.
fn update_expression(actions: &[Action], ex: &mut Exprs) -> Result<String> {
    let (mut set, mut remove, mut add, mut delete) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for action in actions {
        match action {
            Action::Remove(p) => remove.push(ex.path(p)),
            Action::Set(p, Operand::Call(f, args)) if f == "set_add" || f == "set_delete" => {
                let [Operand::Path(target), value] = args.as_slice() else {
                    return Err(Error::validation(format!("{f} takes the set's path and a set of values.")));
                };
                if target != p {
                    return Err(Error::validation(format!("{f} must change the attribute it is assigned to.")));
                }
                let clause = format!("{} {}", ex.path(p), ex.operand(value)?);
                if f == "set_add" { &mut add } else { &mut delete }.push(clause);
            }
            Action::Set(p, value) => set.push(format!("{} = {}", ex.path(p), ex.operand(value)?)),
        }
    }
    let clauses = [("SET", set), ("REMOVE", remove), ("ADD", add), ("DELETE", delete)];
    let parts: Vec<String> =
        clauses.into_iter().filter(|(_, l)| !l.is_empty()).map(|(k, l)| format!("{k} {}", l.join(", "))).collect();
    Ok(parts.join(" "))
}

fn delete(engine: &Engine, d: &Delete, ex: &mut Exprs) -> Result<Planned> {
    let schema = schema(engine, &d.table)?;
    let (key, rest) = whole_key(schema, d.filter.as_ref(), ex)?;
    let mut r = Map::new();
    r.insert("TableName".into(), json!(d.table));
    r.insert("Key".into(), Value::Object(key));
    if let Some(c) = Cond::all(rest) {
        r.insert("ConditionExpression".into(), json!(ex.cond(&c)?));
    }
    match d.returning {
        None => {}
        Some(super::ast::Returning::AllOld) => drop(r.insert("ReturnValues".into(), json!("ALL_OLD"))),
        Some(_) => return Err(Error::validation("DELETE returns only RETURNING ALL OLD *.")),
    }
    Ok(("DeleteItem", r))
}
