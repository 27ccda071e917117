//! CreateTrigger (Dynaplay's own, target prefix `Dynaplay_20261130.`): a stream consumer
//! with Lambda's event source mapping settings and a SQL handler that writes into the
//! relational mirror. The request is Lambda's CreateEventSourceMapping settings plus
//! `TriggerName`, `TableName` (whose current stream it reads) and `Handler`
//! (`{"INSERT": sql, "MODIFY": sql, "REMOVE": sql}`, at least one). The messages are ours.

use serde_json::{json, Value};

use crate::engine::Engine;
use crate::error::{Error, ErrorKind, Result};
use crate::request::Input;
use crate::trace::Trace;
use crate::trigger::bind;
use crate::trigger::mapping::Mapping;
use crate::trigger::poller::Poller;
use crate::trigger::triggers::{HandlerSql, Trigger};

/// At most this many triggers in a workspace.
pub const MAX_TRIGGERS: usize = 20;
/// A handler's SQL for one kind of record is at most this long.
const MAX_SQL: usize = 10_000;
/// The request members that are ours; the rest are the mapping's settings.
const OWN: [&str; 3] = ["TriggerName", "TableName", "Handler"];

pub fn run(engine: &mut Engine, input: Input, trace: &mut Trace) -> Result<Value> {
    let name = trigger_name(input.str("TriggerName")?)?;
    let table = input.str("TableName")?.ok_or_else(|| Error::validation("TableName is required."))?;
    let settings = mapping_settings(&input);
    let mapping = Mapping::parse(&settings).map_err(Error::validation)?;
    let handler = handler(engine, input.raw("Handler"))?;
    if engine.triggers.contains_key(name) {
        return Err(Error::new(ErrorKind::ResourceInUse, format!("Trigger already exists: {name}")));
    }
    if engine.triggers.len() >= MAX_TRIGGERS {
        return Err(Error::new(ErrorKind::LimitExceeded, format!("A workspace has at most {MAX_TRIGGERS} triggers.")));
    }
    if !engine.tables.contains_key(table) {
        return Err(Error::table_not_found(table));
    }
    let stream = engine.streams.current(table).ok_or_else(|| {
        Error::validation(format!(
            "Table {table} has no stream. Enable one first (UpdateTable with StreamSpecification)."
        ))
    })?;
    let log = engine.logs.entry(table.to_string()).or_default();
    let trigger = Trigger {
        name: name.to_string(),
        table: table.to_string(),
        stream_arn: stream.arn.clone(),
        settings,
        handler,
        created_ms: engine.now_ms,
        poller: Poller::new(mapping, log),
    };
    let description = trigger.description();
    engine.triggers.insert(name.to_string(), trigger);
    trace.triggers_changed = true;
    Ok(json!({ "Trigger": description }))
}

/// A trigger's name: 1 to 64 letters, digits, `-` and `_`.
pub(crate) fn trigger_name(name: Option<&str>) -> Result<&str> {
    let name = name.ok_or_else(|| Error::validation("TriggerName is required."))?;
    let ok =
        (1..=64).contains(&name.len()) && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if !ok {
        return Err(Error::validation("TriggerName must be 1 to 64 letters, digits, hyphens and underscores."));
    }
    Ok(name)
}

/// The request without our own members: Lambda's settings.
fn mapping_settings(input: &Input) -> Value {
    let own = |k: &String| OWN.contains(&k.as_str());
    crate::sorted::object(input.obj.iter().filter(|(k, _)| !own(k)).map(|(k, v)| (k.clone(), v.clone())))
}

/// Reads and checks the handler: known event names, SQL that parses, known bindings and
/// no clock or random functions.
fn handler(engine: &Engine, v: Option<&Value>) -> Result<HandlerSql> {
    let Some(Value::Object(m)) = v else {
        return Err(Error::validation(
            "Handler must be an object mapping INSERT, MODIFY and REMOVE to SQL (at least one).",
        ));
    };
    if let Some(k) = m.keys().find(|k| !["INSERT", "MODIFY", "REMOVE"].contains(&k.as_str())) {
        return Err(Error::validation(format!("Handler.{k}: the event names are INSERT, MODIFY and REMOVE.")));
    }
    let sql = |k: &str| -> Result<Option<String>> {
        match m.get(k) {
            None => Ok(None),
            Some(Value::String(s)) => check_sql(engine, k, s).map(|()| Some(s.clone())),
            Some(_) => Err(Error::validation(format!("Handler.{k} must be SQL text."))),
        }
    };
    let h = HandlerSql { insert: sql("INSERT")?, modify: sql("MODIFY")?, remove: sql("REMOVE")? };
    if h.each().next().is_none() {
        return Err(Error::validation("Handler needs SQL for at least one of INSERT, MODIFY and REMOVE."));
    }
    Ok(h)
}

fn check_sql(engine: &Engine, event: &str, sql: &str) -> Result<()> {
    if sql.trim().is_empty() || sql.len() > MAX_SQL {
        return Err(Error::validation(format!("Handler.{event} must be 1 to {MAX_SQL} characters of SQL.")));
    }
    if let Some(f) = bind::nondeterministic(sql) {
        return Err(Error::validation(format!(
            "Handler.{event} calls {f}(), which gives a different result on every replay. \
             Bind :approximateCreationDateTime or :sequenceNumber instead."
        )));
    }
    for name in bind::names(sql) {
        bind::check_name(name).map_err(|e| Error::validation(format!("Handler.{event}: {e}")))?;
    }
    let mirror = engine.mirror.live_ref().ok_or_else(super::execute_sql::not_loaded)?;
    // Bindings become `$n` parameters, which parse like any value.
    let bound = bind::bind(sql, &Value::Null).map_err(Error::validation)?;
    mirror.check(&bound.sql).map_err(|e| Error::validation(format!("Handler.{event}: {e}")))
}
