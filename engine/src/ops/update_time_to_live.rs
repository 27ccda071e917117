//! UpdateTimeToLive: turn a table's Time to Live on (naming the attribute that holds each
//! item's expiry in epoch seconds) or off. Not idempotent, as in AWS: turning it on when it
//! is on, or off when it is off, is refused, and so is a second change within an hour.
//! AWS's words are from ack-api-quirks' catalogue of live responses (see the README).

use serde_json::{json, Value};

use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::request::{Input, Violations};
use crate::table::{TimeToLive, CHANGE_INTERVAL_MS};
use crate::trace::Trace;

pub fn run(engine: &mut Engine, input: Input, trace: &mut Trace) -> Result<Value> {
    let mut v = Violations::new();
    let name = input.str("TableName")?;
    v.name(name, "tableName", true);
    let spec = input.object("TimeToLiveSpecification")?;
    v.not_null(spec.as_ref(), "timeToLiveSpecification");
    let (mut attribute, mut enabled) = (None, None);
    if let Some(spec) = &spec {
        attribute = spec.str("AttributeName")?;
        enabled = spec.bool("Enabled")?;
        v.not_null(attribute, "timeToLiveSpecification.attributeName");
        if let Some(a) = attribute {
            v.length(Some(a.chars().count()), a, "timeToLiveSpecification.attributeName", 1, Some(255));
        }
        v.not_null(enabled, "timeToLiveSpecification.enabled");
    }
    v.finish()?;
    let (name, attribute, enabled) =
        (name.unwrap_or_default(), attribute.unwrap_or_default(), enabled.unwrap_or(false));
    let now = engine.now_ms;
    let table = engine.tables.get_mut(name).ok_or_else(|| Error::table_not_found(name))?;
    check_change(&table.def.ttl, attribute, enabled, now)?;
    table.def.ttl = TimeToLive { attribute: Some(attribute.to_string()), enabled, changed_ms: Some(now) };
    table.rebuild_expiry();
    trace.tables_changed.insert(name.to_string());
    Ok(json!({"TimeToLiveSpecification": {"Enabled": enabled, "AttributeName": attribute}}))
}

/// Whether the setting may change from `current` to (`attribute`, `enabled`) at `now`.
fn check_change(current: &TimeToLive, attribute: &str, enabled: bool, now: u64) -> Result<()> {
    match (current.enabled, enabled, current.attribute.as_deref()) {
        (true, true, Some(a)) if a != attribute => {
            return Err(Error::validation(format!(
                "TimeToLive is active on a different AttributeName: current AttributeName is {a}"
            )))
        }
        (true, true, _) => return Err(Error::validation("TimeToLive is already enabled")),
        (false, false, _) => return Err(Error::validation("TimeToLive is already disabled")),
        _ => {}
    }
    if current.changed_ms.is_some_and(|at| now < at.saturating_add(CHANGE_INTERVAL_MS)) {
        return Err(Error::validation("Time to live has been modified multiple times within a fixed interval"));
    }
    Ok(())
}
