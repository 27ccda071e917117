//! CreateBackup: a full copy of a table as it is now, kept until DeleteBackup. It costs
//! no capacity. The answer says CREATING; the backup is AVAILABLE once the engine clock
//! passes `Config::backup_delay_ms`.

use serde_json::{json, Value};

use super::backups::details;
use crate::backup::Backup;
use crate::engine::Engine;
use crate::error::{Error, ErrorKind, Result};
use crate::request::{Input, Violations};
use crate::table::TableStatus;
use crate::trace::Trace;

pub fn run(engine: &mut Engine, input: Input, trace: &mut Trace) -> Result<Value> {
    let mut v = Violations::new();
    let table = input.str("TableName")?;
    v.name(table, "tableName", true);
    let name = input.str("BackupName")?;
    v.name(name, "backupName", true);
    v.finish()?;
    let (table, name) = (table.unwrap_or_default(), name.unwrap_or_default());
    let now = engine.now_ms;
    let t = engine
        .tables
        .get(table)
        .ok_or_else(|| Error::new(ErrorKind::TableNotFound, format!("Table not found: {table}")))?;
    if matches!(t.status, TableStatus::Creating | TableStatus::Deleting) {
        return Err(Error::new(ErrorKind::TableInUse, format!("Table is in use: {table} is {}", t.status.as_str())));
    }
    let backup = Backup::of(t, &engine.arn(table), name, now, engine.config.backup_delay_ms);
    let answer = details(&backup, "CREATING");
    trace.backups_changed.insert(backup.arn.clone());
    engine.backups.push(backup);
    Ok(json!({ "BackupDetails": answer }))
}
