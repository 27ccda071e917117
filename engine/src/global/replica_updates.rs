//! UpdateTable with `ReplicaUpdates` (global tables version 2019.11.21), answered by the
//! world because it changes other regions: `Create` makes the table in another region
//! (CREATING, filled with the items after [`super::REPLICA_CREATE_MS`], then ACTIVE) and
//! turns the table's stream on with NEW_AND_OLD_IMAGES if it is off; `Delete` removes a
//! replica (the table in that region is deleted). DescribeTable, UpdateTable and
//! CreateTable answers of a global table name its other replicas and
//! `GlobalTableVersion`. What AWS requires and we check: an ACTIVE table, on-demand
//! (provisioned tables need write auto scaling, which Dynaplay does not have), a stream
//! of NEW_AND_OLD_IMAGES or none. The messages are ours unless a test names their source;
//! replica overrides and `Update` are refused as not built yet.

use serde_json::{json, Value};

use super::{check_region, Member, ReplicaStatus, World, GLOBAL_TABLE_VERSION, REPLICA_CREATE_MS};
use crate::error::{Error, ErrorKind};
use crate::wire::{error_response, Response};

/// Whether a request's text is an UpdateTable with `ReplicaUpdates`, which
/// [`intercept`] answers.
pub fn asked_in(operation: &str, body: &[u8]) -> bool {
    operation == "UpdateTable" && serde_json::from_slice::<Value>(body).is_ok_and(|v| v.get("ReplicaUpdates").is_some())
}

/// Answers UpdateTable requests that carry `ReplicaUpdates`; `None` for anything else.
pub fn intercept(world: &mut World, region: &str, operation: &str, body: &[u8], now: u64) -> Option<Response> {
    if operation != "UpdateTable" {
        return None;
    }
    let value: Value = serde_json::from_slice(body).ok()?;
    value.get("ReplicaUpdates")?;
    // Answered here rather than by the region's engine: its clock moves first all the same.
    let trace = world.region_mut(region).tick(now);
    world.note(region, &trace);
    let result = run(world, region, &value, now);
    Some(match result {
        Ok(v) => Response { status: 200, body: v.to_string(), trace: crate::trace::Trace::default() },
        Err(e) => error_response(&e),
    })
}

fn run(world: &mut World, region: &str, v: &Value, now: u64) -> Result<Value, Error> {
    let Some(Value::Object(o)) = Some(v) else { return Err(Error::validation("The request must be an object.")) };
    if let Some(k) = o.keys().find(|k| !["TableName", "ReplicaUpdates"].contains(&k.as_str())) {
        return Err(Error::validation(format!(
            "Dynaplay applies ReplicaUpdates on their own: send {k} in another UpdateTable."
        )));
    }
    let table =
        o.get("TableName").and_then(Value::as_str).ok_or_else(|| Error::validation("TableName is required."))?;
    let updates = o.get("ReplicaUpdates").and_then(Value::as_array).filter(|a| a.len() == 1).ok_or_else(|| {
        Error::validation("ReplicaUpdates must hold exactly one Create or Delete (Dynaplay takes one at a time).")
    })?;
    let update = updates
        .first()
        .and_then(Value::as_object)
        .ok_or_else(|| Error::validation("A replica update must be an object."))?;
    match (update.get("Create"), update.get("Delete"), update.get("Update")) {
        (Some(c), None, None) => create(world, region, table, c, now),
        (None, Some(d), None) => delete(world, region, table, d, now),
        (None, None, Some(_)) => {
            Err(Error::validation("ReplicaUpdates Update (replica overrides) is not built in Dynaplay yet."))
        }
        _ => Err(Error::validation("A replica update holds one of Create, Update or Delete.")),
    }?;
    describe(world, region, table, now).map(|t| json!({ "TableDescription": t }))
}

/// The RegionName of a Create or Delete, checked.
fn region_name<'a>(action: &'a Value, own: &str) -> Result<&'a str, Error> {
    let Some(Value::Object(a)) = Some(action) else { return Err(Error::validation("RegionName is required.")) };
    if let Some(k) = a.keys().find(|k| k.as_str() != "RegionName") {
        return Err(Error::validation(format!("Replica setting {k} is not built in Dynaplay yet.")));
    }
    let name =
        a.get("RegionName").and_then(Value::as_str).ok_or_else(|| Error::validation("RegionName is required."))?;
    check_region(name)?;
    if name == own {
        return Err(Error::validation(format!("{name} is the region of this request: the table is already there.")));
    }
    Ok(name)
}

fn create(world: &mut World, region: &str, table: &str, action: &Value, now: u64) -> Result<(), Error> {
    let target = region_name(action, region)?;
    let (request, trace) = prepare_source(world.region_mut(region), table, now)?;
    world.note(region, &trace);
    if world.globals.get(table).is_some_and(|g| g.members.contains_key(target)) {
        return Err(Error::validation(format!("Table {table} already has a replica in {target}.")));
    }
    if world.region(target).is_some_and(|e| e.table(table).is_some()) {
        return Err(Error::new(ErrorKind::ResourceInUse, format!("Table {table} already exists in {target}.")));
    }
    let made = world.engine_request(target, "CreateTable", request.to_string().as_bytes(), now);
    if made.status != 200 {
        return Err(Error::validation(format!("The replica could not be made: {}", made.body)));
    }
    let g = world.globals.entry(table.to_string()).or_default();
    g.members.entry(region.to_string()).or_insert(Member {
        status: ReplicaStatus::Active,
        ready_ms: now,
        source: region.to_string(),
    });
    g.members.insert(
        target.to_string(),
        Member {
            status: ReplicaStatus::Creating,
            ready_ms: now.saturating_add(REPLICA_CREATE_MS),
            source: region.to_string(),
        },
    );
    Ok(())
}

/// Checks what AWS requires of the table a replica is made from, turning its stream on
/// (NEW_AND_OLD_IMAGES) if it is off; the CreateTable request for the replica, and what
/// turning the stream on did.
fn prepare_source(engine: &mut crate::Engine, table: &str, now: u64) -> Result<(Value, crate::trace::Trace), Error> {
    let t = engine.table(table).ok_or_else(|| Error::table_not_found(table))?;
    if t.status != crate::table::TableStatus::Active {
        return Err(Error::validation(format!("Table {table} must be ACTIVE to add a replica.")));
    }
    if t.def.billing == crate::table::BillingMode::Provisioned {
        return Err(Error::validation("Table write capacity should either be Pay-Per-Request or AutoScaled."));
    }
    let trace = match engine.streams().current(table).map(|s| s.view) {
        Some(v) if v != crate::streams::ViewType::NewAndOldImages => {
            return Err(Error::validation(format!(
                "A global table's stream must be NEW_AND_OLD_IMAGES; this one is {}.",
                v.as_str()
            )))
        }
        Some(_) => crate::trace::Trace::default(),
        None => enable_stream(engine, table, now)?,
    };
    let mut request = engine.table(table).map(crate::scenario::create_request).unwrap_or(Value::Null);
    if let Value::Object(m) = &mut request {
        m.insert("StreamSpecification".into(), json!({"StreamEnabled": true, "StreamViewType": "NEW_AND_OLD_IMAGES"}));
    }
    Ok((request, trace))
}

fn enable_stream(engine: &mut crate::Engine, table: &str, now: u64) -> Result<crate::trace::Trace, Error> {
    let body = json!({"TableName": table, "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_AND_OLD_IMAGES"}});
    let r = engine.request("UpdateTable", body.to_string().as_bytes(), now);
    match r.status {
        200 => Ok(r.trace),
        _ => Err(Error::validation(format!("The table's stream could not be turned on: {}", r.body))),
    }
}

fn delete(world: &mut World, region: &str, table: &str, action: &Value, now: u64) -> Result<(), Error> {
    let target = region_name(action, region)?;
    let member = world.globals.get(table).is_some_and(|g| g.members.contains_key(target));
    if !member {
        return Err(Error::validation(format!("Table {table} has no replica in {target}.")));
    }
    world.engine_request(target, "DeleteTable", json!({"TableName": table}).to_string().as_bytes(), now);
    leave(world, table, target);
    Ok(())
}

/// Takes `region` out of `table`'s replicas; a table left alone is no longer global.
pub fn leave(world: &mut World, table: &str, region: &str) {
    let Some(g) = world.globals.get_mut(table) else { return };
    g.members.remove(region);
    g.cursors.retain(|(a, b), _| a != region && b != region);
    g.versions.remove(region);
    if g.members.len() < 2 {
        world.globals.remove(table);
    }
}

/// The table's description in `region` with its replicas.
fn describe(world: &mut World, region: &str, table: &str, now: u64) -> Result<Value, Error> {
    let r = world.region_mut(region).request("DescribeTable", json!({"TableName": table}).to_string().as_bytes(), now);
    let mut v: Value = serde_json::from_str(&r.body).unwrap_or(Value::Null);
    add_replicas(world, region, table, v.get_mut("Table"));
    Ok(v.get("Table").cloned().unwrap_or(Value::Null))
}

/// After a request a region's engine answered: a deleted replica leaves its table's
/// replicas; a global table's description names its replicas.
pub fn after(world: &mut World, region: &str, operation: &str, response: &mut Response) {
    if response.status != 200 {
        return;
    }
    let Ok(mut v) = serde_json::from_str::<Value>(&response.body) else { return };
    let key = match operation {
        "DescribeTable" => "Table",
        "UpdateTable" | "CreateTable" | "DeleteTable" => "TableDescription",
        _ => return,
    };
    let Some(table) = v.get(key).and_then(|t| t.get("TableName")).and_then(Value::as_str).map(str::to_string) else {
        return;
    };
    if operation == "DeleteTable" {
        leave(world, &table, region);
        return;
    }
    if add_replicas(world, region, &table, v.get_mut(key)) {
        response.body = v.to_string();
    }
}

/// Adds `Replicas` (the other regions) and `GlobalTableVersion` to a global table's
/// description; says whether it did.
fn add_replicas(world: &World, region: &str, table: &str, description: Option<&mut Value>) -> bool {
    let (Some(g), Some(Value::Object(d))) = (world.globals.get(table), description) else { return false };
    if !g.members.contains_key(region) {
        return false;
    }
    let replicas: Vec<Value> = g
        .members
        .iter()
        .filter(|(r, _)| r.as_str() != region)
        .map(|(r, m)| json!({"RegionName": r, "ReplicaStatus": m.status.as_str()}))
        .collect();
    d.insert("Replicas".into(), Value::Array(replicas));
    d.insert("GlobalTableVersion".into(), json!(GLOBAL_TABLE_VERSION));
    true
}
