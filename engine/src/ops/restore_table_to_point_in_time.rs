//! RestoreTableToPointInTime: a new table holding the source's items exactly as they were
//! at a moment in its recovery window (`RestoreDateTime`, to the millisecond the SDK sends,
//! or `UseLatestRestorableTime`), rebuilt from the base and the change log. The new table
//! has the source's current key schema and indexes (a definition change inside the window
//! is not replayed), and, as in AWS, no stream, Time to Live or tags.

use serde_json::Value;

use super::backups::table_not_found;
use super::restore::{make_table, read_target};
use crate::engine::Engine;
use crate::error::{Error, ErrorKind, Result};
use crate::request::{Input, Violations};
use crate::table::{Partitions, Restored};
use crate::trace::Trace;

pub fn run(engine: &mut Engine, input: Input, trace: &mut Trace) -> Result<Value> {
    let mut v = Violations::new();
    let target = read_target(engine, &input, &mut v)?;
    let source = input.str("SourceTableName")?;
    let source_arn = input.str("SourceTableArn")?;
    let latest = input.bool("UseLatestRestorableTime")?;
    let at = input.number("RestoreDateTime")?;
    v.finish()?;
    let name = match (source, source_arn) {
        (Some(n), None) => n,
        (None, Some(arn)) => arn.rsplit_once("table/").map_or(arn, |(_, n)| n),
        _ => {
            return Err(Error::validation(
                "Invalid Request: Must provide exactly one of: sourceTableArn, sourceTableName",
            ))
        }
    };
    let t = engine.tables.get(name).ok_or_else(|| table_not_found(name))?;
    let pitr = engine.pitr.get(name).ok_or_else(|| {
        Error::new(
            ErrorKind::PointInTimeRecoveryUnavailable,
            format!("Point in time recovery is not enabled for table '{name}'"),
        )
    })?;
    let (earliest, last) = pitr.window(engine.now_ms, engine.config.pitr_lag_ms);
    let when = match (latest == Some(true), at) {
        (true, None) => last,
        (false, Some(s)) if s >= 0.0 => (s * 1000.0) as u64,
        _ => return Err(Error::validation(
            "Invalid Request: Either one of RestoreDateTime or UseLatestRestorableTime must be specified, but not both",
        )),
    };
    if when < earliest || when > last {
        return Err(Error::new(
            ErrorKind::InvalidRestoreTime,
            format!(
                "Restore time {} is not in the restorable window {} to {}",
                when / 1000,
                earliest / 1000,
                last / 1000
            ),
        ));
    }
    let items: Vec<_> = pitr.items_at(&t.def.schema, engine.logs.get(name), when).into_values().collect();
    let partitions = Partitions { parts: t.partitions.parts.clone(), scale: t.partitions.scale };
    let restored = Restored { backup_arn: String::new(), source_table_arn: engine.arn(name), at_ms: when };
    make_table(engine, target, (t.def.clone(), partitions, items), restored, trace)
}
