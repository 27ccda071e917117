//! What the backup operations share: finding a backup, and describing it in AWS's shapes
//! (`BackupDetails`, `BackupSummary`, `BackupDescription` with `SourceTableDetails` and
//! `SourceTableFeatureDetails`).

use serde_json::{json, Map, Value};

use super::describe::index_json;
use crate::backup::Backup;
use crate::engine::Engine;
use crate::error::{Error, ErrorKind, Result};
use crate::request::{Input, Violations};
use crate::table::BillingMode;

fn seconds(ms: u64) -> Value {
    json!(ms as f64 / 1000.0)
}

/// `BackupArn`, read and model-checked.
pub fn read_arn<'a>(input: &Input<'a>, v: &mut Violations) -> Result<&'a str> {
    let arn = input.str("BackupArn")?;
    v.not_null(arn, "backupArn");
    if let Some(a) = arn {
        v.length(Some(a.chars().count()), a, "backupArn", 37, Some(1024));
    }
    Ok(arn.unwrap_or_default())
}

/// The backup `arn` names, or AWS's BackupNotFoundException.
pub fn find<'e>(engine: &'e Engine, arn: &str) -> Result<&'e Backup> {
    engine.backups.iter().find(|b| b.arn == arn).ok_or_else(|| backup_not_found(arn))
}

pub fn backup_not_found(arn: &str) -> Error {
    Error::new(ErrorKind::BackupNotFound, format!("Backup not found: {arn}"))
}

/// A backup that is still being created cannot be deleted or restored yet.
pub fn backup_in_use() -> Error {
    Error::new(
        ErrorKind::BackupInUse,
        "There is another ongoing conflicting backup control plane operation on the table. The backup is either being created, deleted or restored to a table.",
    )
}

/// `BackupDetails`, with `status` (`CREATING`, `AVAILABLE`, `DELETED`).
pub fn details(b: &Backup, status: &str) -> Value {
    let mut m = Map::new();
    m.insert("BackupArn".into(), json!(b.arn));
    m.insert("BackupName".into(), json!(b.name));
    m.insert("BackupSizeBytes".into(), json!(b.size_bytes));
    m.insert("BackupStatus".into(), json!(status));
    m.insert("BackupType".into(), json!(b.kind.as_str()));
    m.insert("BackupCreationDateTime".into(), seconds(b.created_ms));
    if let Some(e) = b.expiry_ms {
        m.insert("BackupExpiryDateTime".into(), seconds(e));
    }
    Value::Object(m)
}

/// A `ListBackups` entry.
pub fn summary(b: &Backup, now_ms: u64) -> Value {
    let mut m = match details(b, b.status(now_ms)) {
        Value::Object(m) => m,
        _ => Map::new(),
    };
    m.insert("TableName".into(), json!(b.def.name));
    m.insert("TableId".into(), json!(b.def.table_id));
    m.insert("TableArn".into(), json!(b.table_arn));
    Value::Object(m)
}

/// `BackupDescription`: the details, the source table and its features.
pub fn description(b: &Backup, status: &str) -> Value {
    let d = &b.def;
    let (r, w) = match d.billing {
        BillingMode::Provisioned => (d.throughput.read, d.throughput.write),
        BillingMode::PayPerRequest => (0, 0),
    };
    let source = json!({
        "TableName": d.name, "TableId": d.table_id, "TableArn": b.table_arn,
        "TableSizeBytes": b.size_bytes, "KeySchema": d.schema.to_json(),
        "TableCreationDateTime": seconds(d.created_ms),
        "ProvisionedThroughput": {"ReadCapacityUnits": r, "WriteCapacityUnits": w},
        "ItemCount": b.items.len(), "BillingMode": d.billing.as_str(),
    });
    let mut features = Map::new();
    let (local, global): (Vec<_>, Vec<_>) = d.indexes.iter().partition(|i| i.local);
    if !local.is_empty() {
        features.insert("LocalSecondaryIndexes".into(), local.iter().map(|i| index_json(i, d)).collect());
    }
    if !global.is_empty() {
        features.insert("GlobalSecondaryIndexes".into(), global.iter().map(|i| index_json(i, d)).collect());
    }
    if let Some(view) = d.stream {
        features.insert("StreamDescription".into(), json!({"StreamEnabled": true, "StreamViewType": view.as_str()}));
    }
    let ttl = match (&d.ttl.attribute, d.ttl.enabled) {
        (Some(a), true) => json!({"TimeToLiveStatus": "ENABLED", "AttributeName": a}),
        _ => json!({"TimeToLiveStatus": "DISABLED"}),
    };
    features.insert("TimeToLiveDescription".into(), ttl);
    json!({"BackupDescription": {
        "BackupDetails": details(b, status),
        "SourceTableDetails": source,
        "SourceTableFeatureDetails": features,
    }})
}

/// `ContinuousBackupsDescription` of `table`: point-in-time recovery and its window.
pub fn continuous_description(engine: &Engine, table: &str) -> Value {
    let pitr = match engine.pitr.get(table) {
        Some(p) => {
            let (earliest, latest) = p.window(engine.now_ms, engine.config.pitr_lag_ms);
            json!({"PointInTimeRecoveryStatus": "ENABLED", "RecoveryPeriodInDays": p.period_days,
                   "EarliestRestorableDateTime": seconds(earliest), "LatestRestorableDateTime": seconds(latest)})
        }
        None => json!({"PointInTimeRecoveryStatus": "DISABLED"}),
    };
    json!({"ContinuousBackupsDescription": {"ContinuousBackupsStatus": "ENABLED", "PointInTimeRecoveryDescription": pitr}})
}

/// TableNotFoundException, as the backup operations answer a missing table.
pub fn table_not_found(table: &str) -> Error {
    Error::new(ErrorKind::TableNotFound, format!("Table not found: {table}"))
}
