//! UpdateContinuousBackups: point-in-time recovery on (with a recovery period of 1 to 35
//! days, 35 by default) or off. Turning it on takes the table's base at that moment;
//! turning it off drops it, so the earliest restorable time starts again.

use serde_json::Value;

use super::backups::{continuous_description, table_not_found};
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::pitr::{Pitr, MAX_PERIOD_DAYS};
use crate::request::{Input, Violations};
use crate::trace::Trace;

pub fn run(engine: &mut Engine, input: Input, trace: &mut Trace) -> Result<Value> {
    let mut v = Violations::new();
    let name = input.str("TableName")?;
    v.name(name, "tableName", true);
    let spec = input.object("PointInTimeRecoverySpecification")?;
    v.not_null(spec.as_ref(), "pointInTimeRecoverySpecification");
    let (mut enabled, mut days) = (None, None);
    if let Some(spec) = &spec {
        enabled = spec.bool("PointInTimeRecoveryEnabled")?;
        v.not_null(enabled, "pointInTimeRecoverySpecification.pointInTimeRecoveryEnabled");
        days = spec.int("RecoveryPeriodInDays")?;
        v.range(days, "pointInTimeRecoverySpecification.recoveryPeriodInDays", 1, Some(MAX_PERIOD_DAYS as i64));
    }
    v.finish()?;
    let (name, enabled) = (name.unwrap_or_default(), enabled.unwrap_or(false));
    if !enabled && days.is_some() {
        return Err(Error::validation(
            "Invalid Request: Cannot specify RecoveryPeriodInDays when disabling point-in-time recovery.",
        ));
    }
    let table = engine.tables.get(name).ok_or_else(|| table_not_found(name))?;
    let days = days.map_or(MAX_PERIOD_DAYS, |d| d as u64);
    match (enabled, engine.pitr.get_mut(name)) {
        (true, Some(p)) => p.period_days = days,
        (true, None) => {
            let next = engine.logs.get(name).map_or(1, |l| l.next_seq);
            let p = Pitr::start(table, days, next, engine.now_ms);
            engine.pitr.insert(name.to_string(), p);
        }
        (false, _) => {
            engine.pitr.remove(name);
        }
    }
    trace.pitr_changed.insert(name.to_string());
    Ok(continuous_description(engine, name))
}
