//! DescribeTimeToLive: whether a table's Time to Live is on, and on which attribute.

use serde_json::{json, Value};

use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::request::{Input, Violations};
use crate::table::TableStatus;

pub fn run(engine: &Engine, input: Input) -> Result<Value> {
    let mut v = Violations::new();
    let name = input.str("TableName")?;
    v.name(name, "tableName", true);
    v.finish()?;
    let name = name.unwrap_or_default();
    let table = engine.tables.get(name).ok_or_else(|| Error::table_not_found(name))?;
    if matches!(table.status, TableStatus::Creating | TableStatus::Deleting) {
        let state = table.status.as_str();
        return Err(Error::validation(format!(
            "Cannot describe time to live while table is in {state} state: Current table state is {state}"
        )));
    }
    let ttl = &table.def.ttl;
    Ok(match (ttl.enabled, &ttl.attribute) {
        (true, Some(a)) => json!({"TimeToLiveDescription": {"TimeToLiveStatus": "ENABLED", "AttributeName": a}}),
        _ => json!({"TimeToLiveDescription": {"TimeToLiveStatus": "DISABLED"}}),
    })
}
