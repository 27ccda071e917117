//! DescribeTableReplicaAutoScaling, answered by the world because it lists every replica:
//! AWS's `TableAutoScalingDescription` with each replica's region and status and its
//! global secondary indexes, and no auto scaling settings, since Dynaplay has no auto
//! scaling (a global table here is on-demand, whose replicas have none in AWS either). A
//! table that is not global lists its own region alone (our choice: AWS documents the
//! operation for global tables).

use serde_json::{json, Value};

use super::World;
use crate::error::Error;
use crate::wire::{error_response, Response};

/// The operation's name.
pub const OPERATION: &str = "DescribeTableReplicaAutoScaling";

/// Answers DescribeTableReplicaAutoScaling; `None` for any other operation.
pub fn intercept(world: &World, region: &str, operation: &str, body: &[u8]) -> Option<Response> {
    (operation == OPERATION).then(|| match describe(world, region, body) {
        Ok(v) => Response { status: 200, body: v.to_string(), trace: crate::trace::Trace::default() },
        Err(e) => error_response(&e),
    })
}

fn describe(world: &World, region: &str, body: &[u8]) -> Result<Value, Error> {
    let v: Value = serde_json::from_slice(body).map_err(|e| Error::serialization(format!("Malformed JSON: {e}")))?;
    let Some(given) = v.get("TableName").and_then(Value::as_str) else {
        return Err(Error::validation(
            "1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null",
        ));
    };
    // A table's ARN names it too.
    let name = given.rsplit_once(":table/").map_or(given, |(_, n)| n);
    let table = world.region(region).and_then(|e| e.table(name)).ok_or_else(|| Error::table_not_found(name))?;
    let indexes: Vec<Value> = table
        .def
        .indexes
        .iter()
        .filter(|i| !i.local)
        .map(|i| json!({"IndexName": i.name, "IndexStatus": "ACTIVE"}))
        .collect();
    let members: Vec<(String, &str)> = match world.globals.get(name).filter(|g| g.members.contains_key(region)) {
        Some(g) => g.members.iter().map(|(r, m)| (r.clone(), m.status.as_str())).collect(),
        None => vec![(region.to_string(), "ACTIVE")],
    };
    let replicas: Vec<Value> = members
        .into_iter()
        .map(|(r, status)| json!({"RegionName": r, "GlobalSecondaryIndexes": indexes, "ReplicaStatus": status}))
        .collect();
    Ok(json!({"TableAutoScalingDescription": {
        "TableName": name,
        "TableStatus": table.status.as_str(),
        "Replicas": replicas,
    }}))
}
