//! DeleteTable: the table goes DELETING and is gone once the engine clock passes the
//! configured delay (at once with a zero delay). Its description is the short one DynamoDB
//! answers with: no creation time, key schema, attribute definitions or indexes.

use serde_json::{json, Value};

use super::describe::table_description;
use crate::engine::Engine;
use crate::error::{Error, ErrorKind, Result};
use crate::request::{Input, Violations};
use crate::table::TableStatus;
use crate::trace::Trace;

pub fn run(engine: &mut Engine, input: Input, trace: &mut Trace) -> Result<Value> {
    let name = input.str("TableName")?;
    let mut v = Violations::new();
    v.name(name, "tableName", true);
    v.finish()?;
    let name = name.unwrap_or_default();
    let now = engine.now_ms;
    let delay = engine.config.delete_delay_ms;
    let table = engine.tables.get_mut(name).ok_or_else(|| Error::table_not_found(name))?;
    match table.status {
        TableStatus::Creating | TableStatus::Updating => {
            return Err(Error::new(
                ErrorKind::ResourceInUse,
                format!(
                    "Attempt to change a resource which is still in use: Table is being {}: {name}",
                    if table.status == TableStatus::Creating { "created" } else { "updated" }
                ),
            ))
        }
        _ => {}
    }
    if table.def.deletion_protection {
        return Err(Error::validation(
            "Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.",
        ));
    }
    table.status = TableStatus::Deleting;
    table.status_until_ms = Some(table.status_until_ms.unwrap_or(now.saturating_add(delay)));
    // Its stream is disabled; its records stay readable for 24 hours.
    if table.def.stream.take().is_some() {
        super::stream_spec::apply(engine, name, None);
    }
    keep_system_backup(engine, name, trace);
    let description = match engine.tables.get(name) {
        Some(t) => deleting_description(table_description(engine, t)),
        None => Value::Null,
    };
    if delay == 0 {
        engine.tables.remove(name);
    }
    // Its resource policies (the table's and its streams') go with it.
    let arn = engine.arn(name);
    let before = engine.iam.resource_policies.len();
    engine.iam.resource_policies.retain(|k, _| *k != arn && !k.starts_with(&format!("{arn}/")));
    trace.iam_changed |= engine.iam.resource_policies.len() != before;
    trace.tables_changed.insert(name.to_string());
    Ok(json!({ "TableDescription": description }))
}

/// The members of a table description that DeleteTable returns.
const DELETING_MEMBERS: &[&str] = &[
    "TableName",
    "TableArn",
    "TableId",
    "TableStatus",
    "BillingModeSummary",
    "ProvisionedThroughput",
    "TableSizeBytes",
    "ItemCount",
    "DeletionProtectionEnabled",
    "TableClassSummary",
];

fn deleting_description(mut full: Value) -> Value {
    if let Value::Object(m) = &mut full {
        m.retain(|k, _| DELETING_MEMBERS.contains(&k.as_str()));
    }
    full
}

/// A table with point-in-time recovery on leaves a system backup of itself, kept 35 days,
/// as AWS does (`<table>$DeletedTableBackup`).
fn keep_system_backup(engine: &mut Engine, name: &str, trace: &mut Trace) {
    if engine.pitr.remove(name).is_none() {
        return;
    }
    trace.pitr_changed.insert(name.to_string());
    let Some(t) = engine.tables.get(name) else { return };
    let now = engine.now_ms;
    let mut backup = crate::backup::Backup::of(t, &engine.arn(name), &format!("{name}$DeletedTableBackup"), now, 0);
    backup.kind = crate::backup::BackupKind::System;
    backup.expiry_ms = Some(now.saturating_add(crate::pitr::MAX_PERIOD_DAYS * 24 * 60 * 60 * 1000));
    trace.backups_changed.insert(backup.arn.clone());
    engine.backups.push(backup);
}
