//! RestoreTableFromBackup: a new table from a backup's definition and items, CREATING
//! until the engine clock passes the create delay. As in AWS it keeps the key schema,
//! indexes, billing mode, throughput and encryption, and not the stream, Time to Live or
//! tags; `RestoreSummary` in its description names the backup.

use serde_json::{json, Value};

use super::backups::{backup_in_use, find, read_arn};
use super::describe::table_description;
use super::table_request::{check_bounds, not_built, read_throughput};
use super::table_settings::uuid_from;
use crate::engine::Engine;
use crate::error::{Error, ErrorKind, Result};
use crate::request::{enums, Input, Violations};
use crate::table::{BillingMode, Restored, Table, TableDef, TableStatus, Throughput, TimeToLive};
use crate::trace::Trace;

/// The overrides Dynaplay applies; the others are refused rather than ignored.
const NOT_BUILT: &[&str] = &[
    "GlobalSecondaryIndexOverride",
    "LocalSecondaryIndexOverride",
    "SSESpecificationOverride",
    "OnDemandThroughputOverride",
];

pub fn run(engine: &mut Engine, input: Input, trace: &mut Trace) -> Result<Value> {
    let mut v = Violations::new();
    let target = input.str("TargetTableName")?;
    v.name(target, "targetTableName", true);
    let arn = read_arn(&input, &mut v)?;
    let billing = input.str("BillingModeOverride")?;
    v.one_of(billing, "billingModeOverride", enums::BILLING_MODE);
    let throughput =
        read_throughput(input.object("ProvisionedThroughputOverride")?, "provisionedThroughputOverride", &mut v)?;
    v.finish()?;
    if let Some(p) = NOT_BUILT.iter().find(|p| input.has(p)) {
        return Err(not_built(p, "this restore override"));
    }
    let target = target.unwrap_or_default();
    let now = engine.now_ms;
    let backup = find(engine, arn)?;
    if backup.status(now) == "CREATING" {
        return Err(backup_in_use());
    }
    if engine.tables.contains_key(target) {
        return Err(Error::new(ErrorKind::TableAlreadyExists, format!("Table already exists: {target}")));
    }
    let def = restored_definition(backup.def.clone(), target, (billing, throughput), now)?;
    let def = TableDef {
        restored: Some(Restored {
            backup_arn: backup.arn.clone(),
            source_table_arn: backup.table_arn.clone(),
            at_ms: now,
        }),
        ..def
    };
    let partitions = backup.partitions.clone();
    let mut table = Table::load(def, partitions, backup.items.clone())
        .map_err(|e| Error::new(ErrorKind::InternalServerError, e))?;
    table.status = TableStatus::Creating;
    table.status_until_ms = Some(now.saturating_add(engine.config.create_delay_ms));
    let description = table_description(engine, &table);
    engine.tables.insert(target.to_string(), table);
    trace.tables_changed.insert(target.to_string());
    trace.tables_rewritten.insert(target.to_string());
    Ok(json!({ "TableDescription": description }))
}

/// The new table's definition: the backup's, renamed, with the billing overrides applied
/// and without the settings a restore does not carry.
fn restored_definition(
    mut def: TableDef,
    target: &str,
    (billing, throughput): (Option<&str>, Option<Throughput>),
    now: u64,
) -> Result<TableDef> {
    if let Some(b) = billing {
        def.billing = if b == "PAY_PER_REQUEST" { BillingMode::PayPerRequest } else { BillingMode::Provisioned };
    }
    match (def.billing, throughput) {
        (BillingMode::PayPerRequest, Some(_)) => return Err(Error::validation(
            "Invalid Request: Cannot override ProvisionedThroughput if BillingMode is overridden to PAY_PER_REQUEST",
        )),
        (BillingMode::Provisioned, Some(t)) => {
            check_bounds(t)?;
            def.throughput = t;
        }
        (BillingMode::Provisioned, None) if billing == Some("PROVISIONED") && def.throughput.read == 0 => {
            return Err(Error::validation(
                "Invalid Request: Must override ProvisionedThroughput if BillingMode is overridden to PROVISIONED",
            ))
        }
        _ => {}
    }
    def.name = target.to_string();
    def.table_id = uuid_from(target, now);
    def.created_ms = now;
    def.stream = None;
    def.ttl = TimeToLive::default();
    def.tags.clear();
    def.throughput_changes = Default::default();
    def.billing_summary_ms = (def.billing == BillingMode::PayPerRequest).then_some(now);
    Ok(def)
}
