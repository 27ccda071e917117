//! ListTriggers (Dynaplay's own): the workspace's triggers, by name, or one table's.

use serde_json::{json, Value};

use crate::engine::Engine;
use crate::error::Result;
use crate::request::Input;

pub fn run(engine: &Engine, input: Input) -> Result<Value> {
    let table = input.str("TableName")?;
    let triggers: Vec<Value> = engine
        .triggers
        .values()
        .filter(|t| table.is_none_or(|name| t.table == name))
        .map(|t| t.description())
        .collect();
    Ok(json!({ "Triggers": triggers }))
}
