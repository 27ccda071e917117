//! What RestoreTableFromBackup and RestoreTableToPointInTime share: the target name and
//! overrides as they read them, and making the new table: the source's definition renamed,
//! without the settings a restore does not carry, CREATING until the create delay passes,
//! its items saved wholesale.

use super::restore_overrides::{self, Overrides};
use super::table_request::{check_bounds, read_throughput};
use super::table_settings::uuid_from;
use crate::engine::Engine;
use crate::error::{Error, ErrorKind, Result};
use crate::request::{enums, Input, Violations};
use crate::table::{BillingMode, Partitions, Restored, Table, TableDef, TableStatus, Throughput, TimeToLive};
use crate::trace::Trace;

/// The target table and the overrides.
pub struct Target<'a> {
    pub name: &'a str,
    billing: Option<&'a str>,
    throughput: Option<Throughput>,
    overrides: Overrides,
}

/// Reads `TargetTableName` and the overrides into `v`.
pub fn read_target<'a>(engine: &Engine, input: &Input<'a>, v: &mut Violations) -> Result<Target<'a>> {
    let name = input.str("TargetTableName")?;
    v.name(name, "targetTableName", true);
    let billing = input.str("BillingModeOverride")?;
    v.one_of(billing, "billingModeOverride", enums::BILLING_MODE);
    let throughput =
        read_throughput(input.object("ProvisionedThroughputOverride")?, "provisionedThroughputOverride", v)?;
    let overrides = restore_overrides::read(engine, input, v)?;
    Ok(Target { name: name.unwrap_or_default(), billing, throughput, overrides })
}

/// The new table's definition: `def` renamed, with the overrides applied and without the
/// stream, Time to Live or tags.
fn definition(mut def: TableDef, target: Target, now: u64) -> Result<TableDef> {
    if let Some(b) = target.billing {
        def.billing = if b == "PAY_PER_REQUEST" { BillingMode::PayPerRequest } else { BillingMode::Provisioned };
    }
    match (def.billing, target.throughput) {
        (BillingMode::PayPerRequest, Some(_)) => return Err(Error::validation(
            "Invalid Request: Cannot override ProvisionedThroughput if BillingMode is overridden to PAY_PER_REQUEST",
        )),
        (BillingMode::Provisioned, Some(t)) => {
            check_bounds(t)?;
            def.throughput = t;
        }
        (BillingMode::Provisioned, None) if target.billing == Some("PROVISIONED") && def.throughput.read == 0 => {
            return Err(Error::validation(
                "Invalid Request: Must override ProvisionedThroughput if BillingMode is overridden to PROVISIONED",
            ))
        }
        _ => {}
    }
    def.name = target.name.to_string();
    def.table_id = uuid_from(target.name, now);
    def.created_ms = now;
    def.stream = None;
    def.ttl = TimeToLive::default();
    def.tags.clear();
    def.throughput_changes = Default::default();
    def.billing_summary_ms = (def.billing == BillingMode::PayPerRequest).then_some(now);
    target.overrides.apply(&mut def)?;
    Ok(def)
}

/// Makes the restored table `target` from a source's definition, partition map and items,
/// and answers its description.
pub fn make_table(
    engine: &mut Engine,
    target: Target,
    source: (TableDef, Partitions, Vec<crate::value::PackedItem>),
    restored: Restored,
    trace: &mut Trace,
) -> Result<serde_json::Value> {
    let name = target.name.to_string();
    if engine.tables.contains_key(&name) {
        return Err(Error::new(ErrorKind::TableAlreadyExists, format!("Table already exists: {name}")));
    }
    let now = engine.now_ms;
    let (def, partitions, items) = source;
    let def = TableDef { restored: Some(restored), ..definition(def, target, now)? };
    let mut table = Table::load(def, partitions, items).map_err(|e| Error::new(ErrorKind::InternalServerError, e))?;
    table.status = TableStatus::Creating;
    table.status_until_ms = Some(now.saturating_add(engine.config.create_delay_ms));
    let description = super::describe::table_description(engine, &table);
    engine.tables.insert(name.clone(), table);
    trace.tables_changed.insert(name.clone());
    trace.tables_rewritten.insert(name);
    Ok(serde_json::json!({ "TableDescription": description }))
}
