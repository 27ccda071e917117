//! TransactWriteItems: up to 100 Put, Update, Delete and ConditionCheck actions, all or
//! nothing. A failed action cancels the transaction with one `CancellationReasons` entry
//! per action, in request order (`None` for the ones that did not fail).
//! `ClientRequestToken` makes a request idempotent for 10 minutes of engine time.

use serde_json::{Map, Value};

use super::common::*;
use super::legacy::lower_first;
use crate::capacity::{read_units, Consumed, ReadMode, ReturnCapacity};
use crate::engine::{Engine, TokenRecord, TOKEN_WINDOW_MS};
use crate::error::{CancellationReason, Error, ErrorKind, Result};
use crate::expr::{ast::Condition, ast::Path, ast::Update, eval, ExprKind};
use crate::request::{enums, Input, Violations};
use crate::table::StoreKey;
use crate::trace::Trace;
use crate::value::{Item, PackedItem};

enum Action {
    Check,
    Put(Item),
    Delete,
    Update(Option<Update>, Vec<Path>),
}

struct Planned {
    table: String,
    key: StoreKey,
    key_item: Item,
    action: Action,
    condition: Option<Condition>,
    all_old_on_failure: bool,
}

/// One action as written, before its table is looked up.
struct ParsedAction {
    table: String,
    key: Option<Item>,
    item: Option<Item>,
    action: Action,
    condition: Option<Condition>,
    all_old_on_failure: bool,
}

fn parse_action(kind: &str, a: Input, at: &str) -> Result<ParsedAction> {
    let mut v = Violations::new();
    let table = a.str("TableName")?;
    v.name(table, &format!("{at}.tableName"), true);
    let on_failure = a.str("ReturnValuesOnConditionCheckFailure")?;
    v.one_of(on_failure, &format!("{at}.returnValuesOnConditionCheckFailure"), enums::RETURN_VALUES_ON_FAILURE);
    let (key, item) = if kind == "Put" {
        let item = serialization_first(a.item("Item"))?;
        v.not_null(a.raw("Item"), &format!("{at}.item"));
        (Ok(None), item)
    } else {
        let key = serialization_first(a.item("Key"))?;
        v.not_null(a.raw("Key"), &format!("{at}.key"));
        (key, Ok(None))
    };
    let cond_src = a.str("ConditionExpression")?;
    let update_src = if kind == "Update" { a.str("UpdateExpression")? } else { None };
    if kind == "Update" {
        v.not_null(update_src, &format!("{at}.updateExpression"));
    }
    if kind == "ConditionCheck" {
        v.not_null(cond_src, &format!("{at}.conditionExpression"));
    }
    v.finish()?;
    let value_exprs: &[&str] =
        if kind == "Update" { &["UpdateExpression", "ConditionExpression"] } else { &["ConditionExpression"] };
    placeholders_need_expressions(&a, value_exprs, &[])?;
    let (key, item) = (key?, item?);
    let maps = placeholder_maps(&a)?;
    let mut ph = maps.placeholders();
    let upd = update_src.map(|u| update(u, &mut ph)).transpose()?;
    let cond = cond_src.map(|c| condition(c, ExprKind::Condition, &mut ph)).transpose()?;
    check_unused(&ph)?;
    let action = match kind {
        "ConditionCheck" => Action::Check,
        "Put" => Action::Put(item.clone().unwrap_or_default()),
        "Delete" => Action::Delete,
        _ => {
            let paths = upd.iter().flat_map(|u| u.actions.iter().map(|x| x.path().clone())).collect();
            Action::Update(upd, paths)
        }
    };
    Ok(ParsedAction {
        table: table.unwrap_or_default().to_string(),
        key,
        item,
        action,
        condition: cond,
        all_old_on_failure: on_failure == Some("ALL_OLD"),
    })
}

/// The request's own members, read and validated.
struct Params<'a> {
    items: &'a [Value],
    mode: ReturnCapacity,
    metrics: bool,
    token: Option<&'a str>,
    /// The request without ReturnConsumedCapacity: what a token's replay must match.
    fingerprint: String,
}

fn read_params<'a>(input: &Input<'a>) -> Result<Params<'a>> {
    let mut v = Violations::new();
    let items = input.array("TransactItems")?;
    v.not_null(items, "transactItems");
    if let Some(i) = items {
        v.length(Some(i.len()), &echo_list(i), "transactItems", 1, Some(100));
    }
    let capacity = input.str("ReturnConsumedCapacity")?;
    v.one_of(capacity, "returnConsumedCapacity", enums::RETURN_CONSUMED_CAPACITY);
    let metrics = input.str("ReturnItemCollectionMetrics")?;
    v.one_of(metrics, "returnItemCollectionMetrics", enums::RETURN_ITEM_COLLECTION_METRICS);
    let token = input.str("ClientRequestToken")?;
    if let Some(t) = token {
        v.length(Some(t.chars().count()), t, "clientRequestToken", 1, Some(36));
    }
    v.finish()?;
    let mut canonical = input.obj.clone();
    canonical.remove("ReturnConsumedCapacity");
    Ok(Params {
        items: items.map_or(&[][..], Vec::as_slice),
        mode: ReturnCapacity::parse(capacity),
        metrics: metrics == Some("SIZE"),
        token,
        fingerprint: Value::Object(canonical).to_string(),
    })
}

/// A `ClientRequestToken` seen within its window: the first answer again, applying
/// nothing; AWS bills it as reading the items back. A different request with the same
/// token is refused.
fn replay(engine: &Engine, params: &Params, trace: &mut Trace) -> Option<Result<Value>> {
    let record = engine.tokens.get(params.token?)?;
    if record.request != params.fingerprint {
        return Some(Err(Error::new(
            ErrorKind::IdempotentParameterMismatch,
            "The request uses the same client token as a previous, but non-identical request.",
        )));
    }
    let mut response = record.response.clone();
    if let (Value::Object(out), true) = (&mut response, params.mode != ReturnCapacity::None) {
        let cost = record.replay_cost.iter().filter_map(|c| c.to_json_transactional(params.mode)).collect();
        out.insert("ConsumedCapacity".into(), Value::Array(cost));
    }
    trace.consumed.extend(record.replay_cost.iter().cloned());
    Some(Ok(response))
}

pub fn run(engine: &mut Engine, input: Input, trace: &mut Trace) -> Result<Value> {
    let params = read_params(&input)?;
    crate::contention::check_token(engine, params.token)?;
    if let Some(answer) = replay(engine, &params, trace) {
        return answer;
    }
    let plans = plan(engine, params.items)?;
    crate::contention::check_transaction(engine, plans.iter().map(|p| (p.table.as_str(), &p.key)), true)?;
    let results = evaluate(engine, &plans)?;
    let asks = costs(engine, &plans, &results).into_iter().zip(&plans);
    let asks = asks.map(|(c, p)| (c, crate::throttle::Dir::Write, p.key.clone())).collect();
    crate::throttle::admit_transaction(engine, asks, trace)?;
    engine.origin.transaction = Some(transaction_id(&params.fingerprint, engine.now_ms));
    let held: Vec<(String, StoreKey)> = plans.iter().map(|p| (p.table.clone(), p.key.clone())).collect();
    let applied = apply(engine, plans, results, trace);
    crate::contention::hold(engine, held.iter().map(|(t, k)| (t.as_str(), k)), true, params.token);
    let mut out = Map::new();
    if let Some(m) = collection_metrics_by_table(engine, &applied.written, params.metrics) {
        out.insert("ItemCollectionMetrics".into(), m);
    }
    if let Some(t) = params.token {
        let record = TokenRecord {
            request: params.fingerprint,
            response: Value::Object(out.clone()),
            replay_cost: applied.replay_cost,
            expires_ms: engine.now_ms.saturating_add(TOKEN_WINDOW_MS),
        };
        engine.tokens.insert(t.to_string(), record);
    }
    if params.mode != ReturnCapacity::None {
        let cost = applied.consumed.iter().filter_map(|c| c.to_json_transactional(params.mode)).collect();
        out.insert("ConsumedCapacity".into(), Value::Array(cost));
    }
    Ok(Value::Object(out))
}

/// Every action read and located, in request order. A key that does not fit its table
/// cancels the transaction (reason ValidationError) once every action has been read.
fn plan(engine: &Engine, items: &[Value]) -> Result<Vec<Planned>> {
    let mut plans: Vec<Planned> = Vec::new();
    // A key that does not fit its table cancels the transaction (reason ValidationError)
    // once every action has been read; the other actions' reasons are None.
    let mut key_errors: Vec<Option<Error>> = Vec::new();
    let mut aggregate = 0usize;
    for (i, entry) in items.iter().enumerate() {
        let entry = Input::new(entry)?;
        let kinds: Vec<&str> =
            ["ConditionCheck", "Put", "Delete", "Update"].into_iter().filter(|k| entry.has(k)).collect();
        let [kind] = kinds.as_slice() else {
            return Err(Error::validation("TransactItems can only contain one of Check, Put, Update or Delete"));
        };
        let at = format!("transactItems.{}.member.{}", i + 1, lower_first(kind));
        let Some(a) = entry.object(kind)? else {
            continue;
        };
        let ParsedAction { table, key, item, action, condition, all_old_on_failure: all_old } =
            parse_action(kind, a, &at)?;
        let t = data_table(engine, &table)?;
        let store_key = match (&item, &key) {
            (Some(item), _) => key_from_item(&t.def, item, false),
            (None, Some(key)) => key_from_request(&t.def, key),
            (None, None) => Err(Error::validation("The provided key element does not match the schema")),
        };
        let store_key = match store_key {
            Ok(k) => {
                key_errors.push(None);
                k
            }
            Err(e) => {
                key_errors.push(Some(e));
                continue;
            }
        };
        if let Action::Update(_, paths) = &action {
            if let Some(k) = paths.iter().filter_map(Path::root).find(|r| t.def.schema.is_key(r)) {
                return Err(Error::invalid_parameter(format!(
                    "Cannot update attribute {k}. This attribute is part of the key"
                )));
            }
        }
        if plans.iter().any(|p| p.table == table && p.key == store_key) {
            return Err(Error::validation("Transaction request cannot include multiple operations on one item"));
        }
        let key_item = t.def.schema.key_from_store(&store_key);
        aggregate += crate::value::item_size(item.as_ref().unwrap_or(&key_item));
        plans.push(Planned { table, key: store_key, key_item, action, condition, all_old_on_failure: all_old });
    }
    if key_errors.iter().any(Option::is_some) {
        let reasons = key_errors
            .into_iter()
            .map(|e| e.map_or_else(CancellationReason::none, |e| CancellationReason::validation(e.message)))
            .collect();
        return Err(Error::transaction_canceled(reasons));
    }
    if aggregate > MAX_TRANSACTION_BYTES {
        return Err(Error::validation(
            "Collection size of items exceeded, which can also be caused by the aggregate size of the items in the transaction exceeding the 4MB limit",
        ));
    }
    Ok(plans)
}

/// Each action's new item (`None` for checks and deletes), if every condition passes and
/// every update applies; otherwise the cancellation, one reason per action.
fn evaluate(engine: &Engine, plans: &[Planned]) -> Result<Vec<Option<Item>>> {
    // Evaluate every action against the current state; nothing is written unless all pass.
    let mut reasons = Vec::with_capacity(plans.len());
    let mut results: Vec<Option<Item>> = Vec::with_capacity(plans.len());
    let mut failed = false;
    for p in plans {
        let table = data_table(engine, &p.table)?;
        let old = table.get(&p.key).map(PackedItem::item);
        let passes = p.condition.as_ref().is_none_or(|c| eval::matches(c, old.as_ref().unwrap_or(&Item::new())));
        if !passes {
            failed = true;
            reasons.push(CancellationReason {
                code: "ConditionalCheckFailed".into(),
                message: Some("The conditional request failed".into()),
                item: old.filter(|_| p.all_old_on_failure).map(|i| crate::value::item_to_json(&i)),
            });
            results.push(None);
            continue;
        }
        let new = match &p.action {
            Action::Check => Ok(None),
            Action::Put(item) => Ok(Some(item.clone())),
            Action::Delete => Ok(None),
            Action::Update(u, _) => match u {
                Some(u) => eval::apply_update(u, old.as_ref(), &p.key_item),
                None => Ok(Some(old.clone().unwrap_or_else(|| p.key_item.clone()))),
            }
            .and_then(|n| match n {
                Some(n) => check_item_keys(&table.def, &n, true).map(|_| Some(n)),
                None => Ok(None),
            }),
        };
        match new {
            Ok(n) => {
                reasons.push(CancellationReason::none());
                results.push(n);
            }
            Err(e) => {
                failed = true;
                reasons.push(CancellationReason::validation(e.message));
                results.push(None);
            }
        }
    }
    if failed {
        return Err(Error::transaction_canceled(reasons));
    }
    Ok(results)
}

/// The id the change log gives a transaction's changes: a digest of the request and the
/// engine time, the same on every replay of the same scenario.
fn transaction_id(fingerprint: &str, now_ms: u64) -> String {
    use md5::{Digest, Md5};
    let digest = Md5::digest(format!("{now_ms}:{fingerprint}").as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// What applying the planned writes cost.
struct Applied {
    /// Table and key of every item written (for ItemCollectionMetrics).
    written: Vec<(String, Item)>,
    consumed: Vec<Consumed>,
    /// What a replay of the same token is billed: reading the items back.
    replay_cost: Vec<Consumed>,
}

/// Writes every action through the commit point, all or nothing having been decided.
fn apply(engine: &mut Engine, plans: Vec<Planned>, results: Vec<Option<Item>>, trace: &mut Trace) -> Applied {
    let mut consumed: Vec<Consumed> = Vec::new();
    let mut written: Vec<(String, Item)> = Vec::new();
    let mut replay_cost: Vec<Consumed> = Vec::new();
    for (p, new) in plans.into_iter().zip(results) {
        let Ok(table) = data_table(engine, &p.table) else {
            continue;
        };
        let old = table.get(&p.key).map(PackedItem::item);
        let cost = action_cost(table, &p, old.as_ref(), new.as_ref());
        let writes = match p.action {
            Action::Check => false,
            // Nothing to write: a delete of a missing item, or an update that only
            // removes from one.
            _ => old.is_some() || new.is_some(),
        };
        if !matches!(p.action, Action::Check) {
            written.push((p.table.clone(), p.key_item.clone()));
        }
        let read_back = if matches!(p.action, Action::Check) { old.as_ref() } else { new.as_ref() };
        let mut read = Consumed::new(&p.table);
        read.table.read = read_units(read_back.map_or(0, crate::value::item_size), ReadMode::Transactional);
        Consumed::add_per_table(&mut replay_cost, &read);
        if writes {
            commit(engine, &p.table, p.key, new.map(Into::into), &cost, trace);
        }
        Consumed::add_per_table(&mut consumed, &cost);
        trace.consumed.push(cost);
    }
    Applied { written, consumed, replay_cost }
}

/// What each action costs: a condition check, a transactional read of the item; the
/// others, a transactional write.
fn costs(engine: &Engine, plans: &[Planned], results: &[Option<Item>]) -> Vec<Consumed> {
    let cost = |(p, new): (&Planned, &Option<Item>)| {
        let table = data_table(engine, &p.table).ok()?;
        Some(action_cost(table, p, table.get(&p.key).map(PackedItem::item).as_ref(), new.as_ref()))
    };
    plans.iter().zip(results).map(|pn| cost(pn).unwrap_or_default()).collect()
}

fn action_cost(table: &crate::table::Table, p: &Planned, old: Option<&Item>, new: Option<&Item>) -> Consumed {
    match &p.action {
        Action::Check => {
            let mut c = Consumed::new(&p.table);
            c.table.write = crate::capacity::write_units(old.map_or(0, crate::value::item_size), true);
            c
        }
        _ => write_cost(&table.def, old, new, true),
    }
}

/// The items of one transaction may not add up to more than 4 MB.
const MAX_TRANSACTION_BYTES: usize = 4 * 1024 * 1024;
