//! The mirror view's figures: the SQL tables, and each trigger with its settings, its
//! handler (and as Lambda code), how far behind it is, its batches newest first, and the
//! batches given up.

use serde_json::Value;

use crate::engine::Engine;
use crate::trigger::code;
use crate::trigger::event::lambda_event;
use crate::trigger::poller::{Failure, Source};
use crate::trigger::triggers::Trigger;

/// The batches the view lists, newest first.
pub const SHOWN_BATCHES: usize = 50;

#[derive(Clone, Debug, PartialEq)]
pub struct MirrorInfo {
    /// Whether the SQL engine is loaded (triggers wait until it is).
    pub live: bool,
    /// (name, CREATE TABLE statement, rows).
    pub tables: Vec<(String, String, usize)>,
    pub triggers: Vec<TriggerInfo>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TriggerInfo {
    pub name: String,
    pub table: String,
    pub stream_arn: String,
    /// Lambda's settings as given, pretty-printed.
    pub settings: String,
    /// (event name, SQL).
    pub handler: Vec<(String, String)>,
    pub python: String,
    pub node: String,
    /// Records waiting (not read yet, or in a batch to retry).
    pub backlog: usize,
    pub invocations_total: usize,
    /// Invocations that failed (each is retried or given up).
    pub failed_total: usize,
    pub batches: Vec<BatchInfo>,
    pub failures: Vec<Failure>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct BatchInfo {
    /// The invocation's place in the trigger's log (for [`batch_event`]).
    pub index: usize,
    pub at_ms: u64,
    pub shard: String,
    pub records: usize,
    pub first_seq: Option<u64>,
    pub last_seq: Option<u64>,
    pub retry: u32,
    pub error: Option<String>,
}

/// Everything the mirror view draws.
pub fn mirror_of(engine: &Engine) -> MirrorInfo {
    MirrorInfo {
        live: engine.mirror.is_live(),
        tables: engine.mirror.live_ref().map(|m| m.tables()).unwrap_or_default(),
        triggers: engine.triggers.values().map(|t| trigger_info(engine, t)).collect(),
    }
}

fn trigger_info(engine: &Engine, t: &Trigger) -> TriggerInfo {
    let backlog = match (engine.streams.by_arn(&t.stream_arn), engine.logs.get(&t.table)) {
        (Some(stream), Some(log)) => t.poller.backlog(Source { stream, log, region: &engine.config.region }),
        _ => 0,
    };
    let batches = t.poller.invocations.iter().enumerate().rev().take(SHOWN_BATCHES);
    TriggerInfo {
        name: t.name.clone(),
        table: t.table.clone(),
        stream_arn: t.stream_arn.clone(),
        settings: serde_json::to_string_pretty(&t.settings).unwrap_or_default(),
        handler: t.handler.each().map(|(e, sql)| (e.to_string(), sql.to_string())).collect(),
        python: code::python(&t.handler),
        node: code::node(&t.handler),
        backlog,
        invocations_total: t.poller.invocations.len(),
        failed_total: t.poller.invocations.iter().filter(|i| i.error.is_some()).count(),
        batches: batches
            .map(|(index, i)| BatchInfo {
                index,
                at_ms: i.at_ms,
                shard: i.shard.clone(),
                records: i.seqs.len(),
                first_seq: i.seqs.first().copied(),
                last_seq: i.seqs.last().copied(),
                retry: i.retry,
                error: i.error.clone(),
            })
            .collect(),
        failures: t.poller.failures.iter().rev().cloned().collect(),
    }
}

/// The Lambda event of one of a trigger's batches, as its function received it (`None`
/// once its records have left the stream).
pub fn batch_event(engine: &Engine, trigger: &str, index: usize) -> Option<Value> {
    let t = engine.triggers.get(trigger)?;
    let invocation = t.poller.invocations.get(index)?;
    let stream = engine.streams.by_arn(&t.stream_arn)?;
    let log = engine.logs.get(&t.table)?;
    let changes: Vec<_> = invocation.seqs.iter().filter_map(|seq| log.get(*seq)).collect();
    if changes.len() != invocation.seqs.len() {
        return None;
    }
    Some(lambda_event(stream, changes, &engine.config.region))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::engine::Config;

    #[test]
    fn without_a_sql_engine_the_trigger_waits_and_its_backlog_shows() {
        let mut e = Engine::new(Config::default());
        let create = json!({"TableName": "Orders", "BillingMode": "PAY_PER_REQUEST",
            "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_IMAGE"},
            "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
            "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}]});
        assert_eq!(e.request("CreateTable", create.to_string().as_bytes(), 1_000).status, 200);
        // A trigger restored from storage before the SQL engine has loaded.
        let log = e.logs.entry("Orders".into()).or_default();
        let mapping = crate::trigger::mapping::Mapping::parse(&json!({"StartingPosition": "TRIM_HORIZON"})).unwrap();
        let trigger = Trigger {
            name: "t".into(),
            table: "Orders".into(),
            stream_arn: e.streams.current("Orders").unwrap().arn.clone(),
            settings: json!({"StartingPosition": "TRIM_HORIZON"}),
            handler: crate::trigger::triggers::HandlerSql {
                insert: Some("SELECT :new.id".into()),
                ..Default::default()
            },
            created_ms: 1_000,
            poller: crate::trigger::poller::Poller::new(mapping, log),
        };
        e.triggers.insert("t".into(), trigger);
        for (i, id) in ["a", "b"].iter().enumerate() {
            let put = json!({"TableName": "Orders", "Item": {"id": {"S": id}}});
            assert_eq!(e.request("PutItem", put.to_string().as_bytes(), 2_000 + i as u64).status, 200);
        }
        e.tick(10_000);
        let info = mirror_of(&e);
        assert!(!info.live);
        let t = &info.triggers[0];
        assert_eq!((t.backlog, t.invocations_total), (2, 0));
        assert!(t.python.contains("(\"SELECT %s\", [\"new.id\"])"), "{}", t.python);
        assert_eq!(batch_event(&e, "t", 0), None);
    }
}
