//! DeleteBackup: forgets a backup, answering its description with status DELETED. A backup
//! still being created cannot be deleted yet.

use serde_json::Value;

use super::backups::{backup_in_use, description, find, read_arn};
use crate::engine::Engine;
use crate::error::Result;
use crate::request::{Input, Violations};
use crate::trace::Trace;

pub fn run(engine: &mut Engine, input: Input, trace: &mut Trace) -> Result<Value> {
    let mut v = Violations::new();
    let arn = read_arn(&input, &mut v)?;
    v.finish()?;
    let b = find(engine, arn)?;
    if b.status(engine.now_ms) == "CREATING" {
        return Err(backup_in_use());
    }
    let answer = description(b, "DELETED");
    engine.backups.retain(|b| b.arn != arn);
    trace.backups_changed.insert(arn.to_string());
    Ok(answer)
}
