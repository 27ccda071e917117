//! UpdateTable: billing mode, provisioned throughput, deletion protection, table class,
//! encryption, the on-demand throughput ceiling,
//! and creating or deleting one global secondary index per call. The table is UPDATING
//! until the engine clock passes the configured delay, and keeps serving reads and writes.

use serde_json::{json, Value};

use super::describe::table_description;
use super::stream_spec::{self, StreamSpec};
use super::table_request::{build_projection, check_bounds, check_key_schema, read_index, read_throughput, RawIndex};
use super::table_settings::{read_on_demand, read_sse, Sse};
use crate::engine::Engine;
use crate::error::{Error, ErrorKind, Result};
use crate::request::{enums, Input, Violations};
use crate::table::{
    BillingMode, IndexDef, OnDemand, Partitions, ScalarType, Table, TableDef, TableStatus, Throughput,
    MAX_INITIAL_PARTITIONS,
};
use crate::trace::Trace;

/// An UpdateTable request, read and model-validated.
struct Request<'a> {
    name: &'a str,
    billing: Option<&'a str>,
    throughput: Option<Throughput>,
    table_class: Option<&'a str>,
    protection: Option<bool>,
    sse: Option<Sse>,
    new_defs: Vec<(String, ScalarType)>,
    creates: Vec<RawIndex>,
    deletes: Vec<String>,
    index_throughput: Vec<(String, Option<Throughput>)>,
    stream: Option<StreamSpec>,
}

fn read_request<'a>(engine: &Engine, input: &Input<'a>) -> Result<Request<'a>> {
    let mut v = Violations::new();
    let name = input.str("TableName")?;
    v.name(name, "tableName", true);
    let billing = input.str("BillingMode")?;
    v.one_of(billing, "billingMode", enums::BILLING_MODE);
    let throughput = read_throughput(input.object("ProvisionedThroughput")?, "provisionedThroughput", &mut v)?;
    let table_class = input.str("TableClass")?;
    v.one_of(table_class, "tableClass", enums::TABLE_CLASS);
    let protection = input.bool("DeletionProtectionEnabled")?;
    let sse = read_sse(engine, input, &mut v)?;
    let mut new_defs: Vec<(String, ScalarType)> = Vec::new();
    for e in input.array("AttributeDefinitions")?.into_iter().flatten() {
        let e = Input::new(e)?;
        if let (Some(n), Some(t)) = (e.str("AttributeName")?, e.str("AttributeType")?.and_then(ScalarType::parse)) {
            new_defs.push((n.to_string(), t));
        }
    }
    let mut req = Request {
        name: name.unwrap_or_default(),
        billing,
        throughput,
        table_class,
        protection,
        sse,
        new_defs,
        creates: Vec::new(),
        deletes: Vec::new(),
        index_throughput: Vec::new(),
        stream: stream_spec::read(input, &mut v)?,
    };
    read_index_updates(input, &mut req, &mut v)?;
    v.finish()?;
    Ok(req)
}

fn read_index_updates(input: &Input, req: &mut Request, v: &mut Violations) -> Result<()> {
    for (i, u) in input.array("GlobalSecondaryIndexUpdates")?.into_iter().flatten().enumerate() {
        let u = Input::new(u)?;
        let path = format!("globalSecondaryIndexUpdates.{}.member", i + 1);
        if let Some(c) = u.raw("Create") {
            req.creates.push(read_index(c, &format!("{path}.create"), true, v)?);
        }
        if let Some(d) = u.object("Delete")? {
            req.deletes.push(d.str("IndexName")?.unwrap_or_default().to_string());
        }
        if let Some(up) = u.object("Update")? {
            let path = format!("{path}.update.provisionedThroughput");
            let t = read_throughput(up.object("ProvisionedThroughput")?, &path, v)?;
            req.index_throughput.push((up.str("IndexName")?.unwrap_or_default().to_string(), t));
        }
    }
    Ok(())
}

/// What AWS checks before it looks the table up (dynalite's captures), in its order.
fn check_before_lookup(input: &Input, req: &Request) -> Result<()> {
    // `global::World` answers ReplicaUpdates before a region's engine sees the request; an
    // engine on its own (the page's, for now) has no other regions.
    if input.has("ReplicaUpdates") {
        return Err(Error::validation(
            "Global tables need several regions: an engine on its own has one (global::World has several; dynaplay serve, dynaplay run and the page use it), so ReplicaUpdates is refused rather than ignored (see the README)",
        ));
    }
    let nothing = req.billing.is_none()
        && req.throughput.is_none()
        && req.table_class.is_none()
        && req.protection.is_none()
        && req.sse.is_none()
        && req.stream.is_none()
        && !input.has("OnDemandThroughput")
        && input.array("GlobalSecondaryIndexUpdates")?.is_none_or(Vec::is_empty);
    if nothing {
        return Err(Error::validation(
            "At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required",
        ));
    }
    if req.billing == Some("PROVISIONED") && req.throughput.is_none() {
        return Err(Error::invalid_parameter(
            "ProvisionedThroughput must be specified when BillingMode is PROVISIONED",
        ));
    }
    if let Some(t) = req.throughput {
        check_bounds(t)?;
    }
    if let Some(spec) = req.stream {
        stream_spec::check_update(spec, !req.creates.is_empty() || !req.deletes.is_empty())?;
    }
    check_index_updates(input)
}

/// The table's new definition, every check passed; the engine is not touched until then.
fn updated_definition(current: &TableDef, req: Request, on_demand: Option<OnDemand>, now: u64) -> Result<TableDef> {
    let mut def = current.clone();
    let new_billing = match req.billing {
        Some("PAY_PER_REQUEST") => BillingMode::PayPerRequest,
        Some(_) => BillingMode::Provisioned,
        None => def.billing,
    };
    if new_billing == BillingMode::PayPerRequest && req.throughput.is_some() {
        return Err(Error::invalid_parameter(
            "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST",
        ));
    }
    if let Some(t) = req.throughput {
        if new_billing == def.billing && t == def.throughput && req.creates.is_empty() && req.deletes.is_empty() {
            return Err(Error::validation(format!(
                "The provisioned throughput for the table will not change. The requested value equals the current value. \
                 Current ReadCapacityUnits provisioned for the table: {}. Requested ReadCapacityUnits: {}. \
                 Current WriteCapacityUnits provisioned for the table: {}. Requested WriteCapacityUnits: {}. \
                 Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.",
                def.throughput.read, t.read, def.throughput.write, t.write
            )));
        }
    }
    let new_indexes = index_changes(&mut def, &req)?;
    if new_billing != def.billing {
        def.billing_summary_ms = Some(now);
    }
    def.billing = new_billing;
    match (new_billing, req.throughput) {
        (BillingMode::PayPerRequest, _) => def.throughput = Throughput { read: 0, write: 0 },
        (BillingMode::Provisioned, Some(t)) => {
            check_decrease(&def, t, now)?;
            def.throughput_changes.record(def.throughput, t, now);
            def.throughput = t;
        }
        _ => {}
    }
    if let Some(p) = req.protection {
        def.deletion_protection = p;
    }
    if let Some(c) = req.table_class {
        def.table_class = Some(c.to_string());
    }
    if let Some(sse) = req.sse {
        def.sse_kms_key_arn = sse.into_arn();
    }
    if on_demand.is_some() {
        def.on_demand = on_demand;
    }
    for (n, t) in req.index_throughput {
        if let Some(ix) = def.indexes.iter_mut().find(|i| i.name == n) {
            ix.throughput = t;
        }
    }
    def.indexes.retain(|i| !req.deletes.contains(&i.name));
    def.indexes.extend(new_indexes);
    let used: Vec<String> =
        def.schema.names().chain(def.indexes.iter().flat_map(|i| i.schema.names())).map(str::to_string).collect();
    def.attribute_definitions.retain(|(n, _)| used.contains(n));
    Ok(def)
}

/// The indexes to delete must exist and those to create must not; returns the new ones
/// (with their attribute definitions added to `def`).
fn index_changes(def: &mut TableDef, req: &Request) -> Result<Vec<IndexDef>> {
    for d in &req.deletes {
        if !def.indexes.iter().any(|i| !i.local && &i.name == d) {
            return Err(Error::new(
                ErrorKind::ResourceNotFound,
                format!("Requested resource not found: Index: {d} not found"),
            ));
        }
    }
    let mut new_indexes = Vec::new();
    for ix in &req.creates {
        for (n, t) in &req.new_defs {
            if !def.attribute_definitions.iter().any(|(d, _)| d == n) {
                def.attribute_definitions.push((n.clone(), *t));
            }
        }
        let schema = check_key_schema(&ix.keys, &def.attribute_definitions)?;
        let projection = build_projection(ix)?;
        if def.indexes.iter().any(|i| i.name == ix.name) {
            return Err(Error::validation(format!("Attempting to create an index which already exists: {}", ix.name)));
        }
        new_indexes.push(IndexDef {
            name: ix.name.clone(),
            schema,
            projection,
            local: false,
            throughput: ix.throughput,
        });
    }
    Ok(new_indexes)
}

/// Raising throughput past what the partitions serve adds partitions, up to the cap
/// throughput alone may allocate; they never merge.
fn add_throughput_partitions(table: &mut Table, now: u64) {
    let wanted =
        Partitions::for_throughput(table.def.throughput.read, table.def.throughput.write, table.partitions.scale)
            .min(MAX_INITIAL_PARTITIONS) as usize;
    while table.partitions.parts.len() < wanted {
        let Some(widest) = (0..table.partitions.parts.len()).max_by_key(|&i| {
            let (s, e) = table.partitions.range(i);
            e - s
        }) else {
            break;
        };
        let (s, e) = table.partitions.range(widest);
        if table.split_partition(widest, s + (e - s) / 2 + 1, now).is_none() {
            break;
        }
    }
}

pub fn run(engine: &mut Engine, input: Input, trace: &mut Trace) -> Result<Value> {
    let req = read_request(engine, &input)?;
    check_before_lookup(&input, &req)?;
    let name = req.name;
    let now = engine.now_ms;
    let delay = engine.config.update_delay_ms;
    let table = engine.tables.get_mut(name).ok_or_else(|| Error::table_not_found(name))?;
    if table.status != TableStatus::Active {
        return Err(Error::new(
            ErrorKind::ResourceInUse,
            format!(
                "Attempt to change a resource which is still in use: Table is being {}: {name}",
                status_verb(table.status)
            ),
        ));
    }
    if req.creates.len() + req.deletes.len() > 1 {
        return Err(Error::validation(
            "Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table",
        ));
    }
    let stream = req.stream;
    if let Some(spec) = stream {
        stream_spec::check_against(table.def.stream, spec, name)?;
    }
    let on_demand = read_on_demand(&input, table.def.on_demand)?;
    table.def = updated_definition(&table.def, req, on_demand, now)?;
    if let Some(spec) = stream {
        table.def.stream = spec.view.filter(|_| spec.enabled);
    }
    let mut rebuilt = table.clone_with_indexes_rebuilt();
    add_throughput_partitions(&mut rebuilt, now);
    rebuilt.status = TableStatus::Updating;
    rebuilt.status_until_ms = Some(now.saturating_add(delay));
    *table = rebuilt;
    if let Some(spec) = stream {
        stream_spec::apply(engine, name, spec.view.filter(|_| spec.enabled));
    }
    trace.tables_changed.insert(name.to_string());
    let description = table_description(engine, engine.tables.get(name).ok_or_else(|| Error::table_not_found(name))?);
    Ok(json!({ "TableDescription": description }))
}

/// Each GlobalSecondaryIndexUpdates entry names one action, and each index at most once.
fn check_index_updates(input: &Input) -> Result<()> {
    let mut seen: Vec<&str> = Vec::new();
    for entry in input.array("GlobalSecondaryIndexUpdates")?.into_iter().flatten() {
        let entry = Input::new(entry)?;
        let action = ["Update", "Create", "Delete"].into_iter().find_map(|k| entry.object(k).ok().flatten());
        let Some(action) = action else {
            return Err(Error::invalid_parameter(
                "One of GlobalSecondaryIndexUpdate.Update, GlobalSecondaryIndexUpdate.Create, GlobalSecondaryIndexUpdate.Delete must not be null",
            ));
        };
        let name = action.str("IndexName")?.unwrap_or_default();
        if seen.contains(&name) {
            return Err(Error::invalid_parameter(format!(
                "Only one global secondary index update per index is allowed simultaneously. Index: {name}"
            )));
        }
        seen.push(name);
    }
    Ok(())
}

fn status_verb(s: TableStatus) -> &'static str {
    match s {
        TableStatus::Creating => "created",
        TableStatus::Deleting => "deleted",
        _ => "updated",
    }
}

/// A decrease beyond AWS's daily quota is refused (LimitExceededException). AWS's words
/// for it were not found in any capture; these follow its "Subscriber limit exceeded:"
/// messages.
fn check_decrease(def: &crate::table::TableDef, new: Throughput, now: u64) -> Result<()> {
    let old = def.throughput;
    if new.read >= old.read && new.write >= old.write {
        return Ok(());
    }
    let changes = &def.throughput_changes;
    let Some(next) = changes.next_decrease_ms(now) else { return Ok(()) };
    let last = changes.last_decrease_ms.map(crate::streams::label).unwrap_or_default();
    Err(Error::new(
        crate::error::ErrorKind::LimitExceeded,
        format!(
            "Subscriber limit exceeded: Provisioned throughput decreases are limited within a given UTC day. After the first {} decreases, each subsequent decrease in the same UTC day can be performed at most once every 1 hour. Number of decreases today: {}. Last decrease at {last}Z. Next decrease can be made at {}Z",
            crate::table::FREE_DECREASES,
            changes.decreases_today(now),
            crate::streams::label(next)
        ),
    ))
}
