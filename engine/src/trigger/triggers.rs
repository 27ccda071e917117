//! Triggers kept in the engine: each reads one table's stream with a [`Poller`] and runs
//! its SQL handler on the relational mirror for every batch. The scheduler runs them
//! ([`run_due`]) while the clock moves; nothing runs until a mirror is plugged in.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use super::bind::{bind, Bound};
use super::mapping::Mapping;
use super::mirror::Mirror;
use super::poller::{Handler, Poller, PollerState, Source};
use crate::engine::Engine;
use crate::trace::Trace;

/// The SQL a handler runs for each kind of record (none: the record is skipped).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct HandlerSql {
    #[serde(rename = "INSERT", default, skip_serializing_if = "Option::is_none")]
    pub insert: Option<String>,
    #[serde(rename = "MODIFY", default, skip_serializing_if = "Option::is_none")]
    pub modify: Option<String>,
    #[serde(rename = "REMOVE", default, skip_serializing_if = "Option::is_none")]
    pub remove: Option<String>,
}

impl HandlerSql {
    /// The SQL for a record with `event_name`.
    pub fn for_event(&self, event_name: &str) -> Option<&str> {
        match event_name {
            "INSERT" => self.insert.as_deref(),
            "MODIFY" => self.modify.as_deref(),
            "REMOVE" => self.remove.as_deref(),
            _ => None,
        }
    }

    /// Each event name with its SQL.
    pub fn each(&self) -> impl Iterator<Item = (&'static str, &str)> {
        [("INSERT", &self.insert), ("MODIFY", &self.modify), ("REMOVE", &self.remove)]
            .into_iter()
            .filter_map(|(name, sql)| sql.as_deref().map(|s| (name, s)))
    }
}

/// One trigger.
#[derive(Clone, Debug, PartialEq)]
pub struct Trigger {
    pub name: String,
    pub table: String,
    pub stream_arn: String,
    /// The event source mapping settings as given (Lambda's names).
    pub settings: Value,
    pub handler: HandlerSql,
    pub created_ms: u64,
    pub poller: Poller,
}

/// A trigger as stored.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct TriggerRecord {
    name: String,
    table: String,
    stream_arn: String,
    settings: Value,
    handler: HandlerSql,
    created_ms: u64,
    state: PollerState,
}

impl Trigger {
    /// The stored form.
    pub fn record(&self) -> Value {
        let r = TriggerRecord {
            name: self.name.clone(),
            table: self.table.clone(),
            stream_arn: self.stream_arn.clone(),
            settings: self.settings.clone(),
            handler: self.handler.clone(),
            created_ms: self.created_ms,
            state: self.poller.state(),
        };
        serde_json::to_value(r).unwrap_or(Value::Null)
    }

    /// A trigger read back from [`Trigger::record`].
    pub fn from_record(v: &Value) -> Result<Trigger, String> {
        let r: TriggerRecord = serde_json::from_value(v.clone()).map_err(|e| format!("a trigger record: {e}"))?;
        let mapping = Mapping::parse(&r.settings)?;
        Ok(Trigger {
            name: r.name,
            table: r.table,
            stream_arn: r.stream_arn,
            settings: r.settings,
            handler: r.handler,
            created_ms: r.created_ms,
            poller: Poller::resume(mapping, r.state),
        })
    }

    /// What ListTriggers and CreateTrigger answer about it.
    pub fn description(&self) -> Value {
        let mut m = Map::new();
        m.insert("TriggerName".into(), json!(self.name));
        m.insert("TableName".into(), json!(self.table));
        m.insert("EventSourceArn".into(), json!(self.stream_arn));
        if let Value::Object(s) = &self.settings {
            m.extend(s.clone());
        }
        m.insert("Handler".into(), serde_json::to_value(&self.handler).unwrap_or(Value::Null));
        m.insert("CreationDateTime".into(), json!(self.created_ms as f64 / 1000.0));
        m.insert("Invocations".into(), json!(self.poller.invocations.len()));
        m.insert("FailedBatches".into(), json!(self.poller.failures.len()));
        Value::Object(m)
    }
}

/// A trigger's function: its handler's SQL, bound to each record, run as one batch.
struct SqlFunction<'a> {
    mirror: &'a mut dyn Mirror,
    handler: &'a HandlerSql,
}

impl Handler for SqlFunction<'_> {
    fn handle(&mut self, event: &Value) -> Result<(), String> {
        let records = event.get("Records").and_then(Value::as_array).map_or(&[][..], Vec::as_slice);
        let statements = statements(self.handler, records)?;
        self.mirror.run_batch(&statements)
    }
}

/// The statements a batch of records runs, in order.
pub fn statements(handler: &HandlerSql, records: &[Value]) -> Result<Vec<Bound>, String> {
    records
        .iter()
        .filter_map(|r| handler.for_event(r.get("eventName").and_then(Value::as_str).unwrap_or("")).map(|sql| (sql, r)))
        .map(|(sql, r)| bind(sql, r))
        .collect()
}

/// Runs every trigger's ready batches (one per shard) at the engine's time.
pub fn run_due(engine: &mut Engine, trace: &mut Trace) {
    let now = engine.now_ms;
    let Engine { triggers, mirror, streams, logs, config, .. } = engine;
    let Some(mirror) = mirror.live() else { return };
    for t in triggers.values_mut() {
        let (Some(stream), Some(log)) = (streams.by_arn(&t.stream_arn), logs.get(&t.table)) else { continue };
        let src = Source { stream, log, region: &config.region };
        let mut function = SqlFunction { mirror: &mut *mirror, handler: &t.handler };
        if t.poller.poll(src, now, &mut function) > 0 {
            trace.triggers_changed = true;
        }
    }
}

/// Whether a trigger has records to read or a batch to retry (and a mirror to run it).
pub fn work_due(engine: &Engine) -> bool {
    engine.mirror.is_live()
        && engine.triggers.values().any(|t| {
            let (Some(stream), Some(log)) = (engine.streams.by_arn(&t.stream_arn), engine.logs.get(&t.table)) else {
                return false;
            };
            t.poller.has_work(Source { stream, log, region: &engine.config.region })
        })
}

/// The engine's triggers, by name.
pub type Triggers = BTreeMap<String, Trigger>;
