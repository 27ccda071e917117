//! RestoreTableFromBackup: a new table from a backup's definition and items, CREATING
//! until the engine clock passes the create delay. As in AWS it keeps the key schema,
//! indexes, billing mode, throughput and encryption, and not the stream, Time to Live or
//! tags; `RestoreSummary` in its description names the backup.

use serde_json::Value;

use super::backups::{backup_in_use, find, read_arn};
use super::restore::{make_table, read_target};
use crate::engine::Engine;
use crate::error::Result;
use crate::request::{Input, Violations};
use crate::table::Restored;
use crate::trace::Trace;

pub fn run(engine: &mut Engine, input: Input, trace: &mut Trace) -> Result<Value> {
    let mut v = Violations::new();
    let target = read_target(engine, &input, &mut v)?;
    let arn = read_arn(&input, &mut v)?;
    v.finish()?;
    let now = engine.now_ms;
    let backup = find(engine, arn)?;
    if backup.status(now) == "CREATING" {
        return Err(backup_in_use());
    }
    let restored = Restored { backup_arn: backup.arn.clone(), source_table_arn: backup.table_arn.clone(), at_ms: now };
    let source = (backup.def.clone(), backup.partitions.clone(), backup.items.clone());
    make_table(engine, target, source, restored, trace)
}
