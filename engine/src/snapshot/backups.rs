//! Backups as stored: each one a record holding its details, its table's definition and
//! partition map (the table record's shape) and its items in wire JSON.

use serde::Deserialize;
use serde_json::{json, Value};

use super::record::TableRecord;
use super::{bad, Result};
use crate::backup::{Backup, BackupKind};
use crate::value::{item_from_json, item_to_json};

/// A backup as stored: `{"arn", "name", "kind", "createdMs", "availableMs", "expiryMs",
/// "sizeBytes", "tableArn", "table": <table record>, "items": [...]}`.
pub fn backup_record(b: &Backup) -> Value {
    json!({
        "arn": b.arn, "name": b.name, "kind": b.kind.as_str(), "createdMs": b.created_ms,
        "availableMs": b.available_ms, "expiryMs": b.expiry_ms, "sizeBytes": b.size_bytes,
        "tableArn": b.table_arn,
        "table": serde_json::to_value(TableRecord::of_parts(&b.def, &b.partitions)).unwrap_or(Value::Null),
        "items": b.items.iter().map(|i| item_to_json(&i.item())).collect::<Vec<_>>(),
    })
}

/// Reads a record written by [`backup_record`].
pub fn read_backup(v: &Value) -> Result<Backup> {
    let text = |k: &str| v.get(k).and_then(Value::as_str).ok_or_else(|| bad(&format!("backup {k}")));
    let number = |k: &str| v.get(k).and_then(Value::as_u64).ok_or_else(|| bad(&format!("backup {k}")));
    let table = TableRecord::deserialize(v.get("table").ok_or_else(|| bad("backup table"))?)
        .map_err(|e| bad(&e.to_string()))?;
    let items = v.get("items").and_then(Value::as_array).ok_or_else(|| bad("backup items"))?;
    Ok(Backup {
        arn: text("arn")?.to_string(),
        name: text("name")?.to_string(),
        kind: BackupKind::parse(text("kind")?).ok_or_else(|| bad("backup kind"))?,
        created_ms: number("createdMs")?,
        available_ms: number("availableMs")?,
        expiry_ms: v.get("expiryMs").and_then(Value::as_u64),
        def: table.def()?,
        partitions: table.partitions()?,
        items: items
            .iter()
            .map(|i| Ok(item_from_json(i).map_err(|e| bad(&e.message))?.into()))
            .collect::<Result<_>>()?,
        size_bytes: number("sizeBytes")? as usize,
        table_arn: text("tableArn")?.to_string(),
    })
}

/// A table's point-in-time recovery as stored: `{"table", "enabledMs", "periodDays",
/// "baseMs", "fromSeq", "base": [items]}`.
pub fn pitr_record(table: &str, p: &crate::pitr::Pitr) -> Value {
    json!({
        "table": table, "enabledMs": p.enabled_ms, "periodDays": p.period_days, "baseMs": p.base_ms,
        "fromSeq": p.from_seq, "base": p.base.values().map(|i| item_to_json(&i.item())).collect::<Vec<_>>(),
    })
}

/// Reads a record written by [`pitr_record`], given the table's key schema.
pub fn read_pitr(v: &Value, schema: &crate::table::KeySchema) -> Result<crate::pitr::Pitr> {
    let number = |k: &str| v.get(k).and_then(Value::as_u64).ok_or_else(|| bad(&format!("pitr {k}")));
    let mut base = crate::table::Items::default();
    for i in v.get("base").and_then(Value::as_array).ok_or_else(|| bad("pitr base"))? {
        let item = item_from_json(i).map_err(|e| bad(&e.message))?;
        let key = schema.store_key(&item).ok_or_else(|| bad("pitr base key"))?;
        base.insert(&key, crate::value::PackedItem::keyed(&item, key.bytes(), &key.value_ranges()));
    }
    Ok(crate::pitr::Pitr {
        enabled_ms: number("enabledMs")?,
        period_days: number("periodDays")?,
        base,
        base_ms: number("baseMs")?,
        from_seq: number("fromSeq")?,
    })
}
