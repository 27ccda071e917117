//! DescribeTable.

use serde_json::{json, Value};

use super::describe::table_description;
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::request::{Input, Violations};

pub fn run(engine: &mut Engine, input: Input) -> Result<Value> {
    let name = input.str("TableName")?;
    let mut v = Violations::new();
    v.name(name, "tableName", true);
    v.finish()?;
    let name = name.unwrap_or_default();
    let table = engine.tables.get(name).ok_or_else(|| Error::table_not_found(name))?;
    Ok(json!({ "Table": table_description(engine, table) }))
}
