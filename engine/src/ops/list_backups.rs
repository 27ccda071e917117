//! ListBackups: backups, oldest first, optionally of one table, of one type, created
//! within a time range, a page of `Limit` (at most 100) after `ExclusiveStartBackupArn`.

use serde_json::{json, Map, Value};

use super::backups::summary;
use super::common::page_after;
use crate::backup::BackupKind;
use crate::engine::Engine;
use crate::error::Result;
use crate::request::{enums, Input, Violations};

pub fn run(engine: &Engine, input: Input) -> Result<Value> {
    let mut v = Violations::new();
    let table = input.str("TableName")?;
    if table.is_some() {
        v.name(table, "tableName", false);
    }
    let limit = input.int("Limit")?;
    v.range(limit, "limit", 1, Some(100));
    let kind = input.str("BackupType")?;
    v.one_of(kind, "backupType", enums::BACKUP_TYPE_FILTER);
    let start = input.str("ExclusiveStartBackupArn")?;
    let lower = input.number("TimeRangeLowerBound")?;
    let upper = input.number("TimeRangeUpperBound")?;
    v.finish()?;
    let wanted = |k: BackupKind| match kind.unwrap_or("USER") {
        "ALL" => true,
        other => BackupKind::parse(other) == Some(k),
    };
    let in_range = |ms: u64| {
        let s = ms as f64 / 1000.0;
        lower.is_none_or(|l| s >= l) && upper.is_none_or(|u| s <= u)
    };
    let backups = engine
        .backups
        .iter()
        .filter(|b| table.is_none_or(|t| b.def.name == t) && wanted(b.kind) && in_range(b.created_ms));
    let is_start = start.map(|a| move |b: &&crate::backup::Backup| b.arn == a);
    let (page, more) = page_after(backups, is_start, limit.map_or(100, |l| l as usize));
    let mut out = Map::new();
    if let (Some(last), true) = (page.last(), more) {
        out.insert("LastEvaluatedBackupArn".into(), json!(last.arn));
    }
    out.insert("BackupSummaries".into(), page.iter().map(|b| summary(b, engine.now_ms)).collect());
    Ok(Value::Object(out))
}
