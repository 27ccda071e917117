//! DescribeContinuousBackups: whether point-in-time recovery is on, and its window.

use serde_json::Value;

use super::backups::{continuous_description, table_not_found};
use crate::engine::Engine;
use crate::error::Result;
use crate::request::{Input, Violations};

pub fn run(engine: &Engine, input: Input) -> Result<Value> {
    let mut v = Violations::new();
    let name = input.str("TableName")?;
    v.name(name, "tableName", true);
    v.finish()?;
    let name = name.unwrap_or_default();
    engine.tables.get(name).ok_or_else(|| table_not_found(name))?;
    Ok(continuous_description(engine, name))
}
