//! ListTables: table names in ascending order, in pages of at most 100.

use serde_json::{json, Map, Value};

use crate::engine::Engine;
use crate::error::Result;
use crate::request::{Input, Violations};

pub fn run(engine: &mut Engine, input: Input) -> Result<Value> {
    let start = input.str("ExclusiveStartTableName")?;
    let limit = input.int("Limit")?;
    let mut v = Violations::new();
    v.name(start, "exclusiveStartTableName", false);
    v.range(limit, "limit", 1, Some(100));
    v.finish()?;
    let limit = limit.unwrap_or(100) as usize;
    let names: Vec<&String> = engine.tables.keys().filter(|n| start.is_none_or(|s| n.as_str() > s)).collect();
    let page: Vec<&String> = names.iter().take(limit).copied().collect();
    let mut out = Map::new();
    out.insert("TableNames".into(), json!(page));
    if names.len() > limit {
        if let Some(last) = page.last() {
            out.insert("LastEvaluatedTableName".into(), json!(last));
        }
    }
    Ok(Value::Object(out))
}
