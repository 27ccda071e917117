//! TagResource: adds tags to a table, replacing the value of a key it already has.

use serde_json::{json, Value};

use super::tags::{read_tags, table_for_arn};
use crate::engine::Engine;
use crate::error::Result;
use crate::request::{Input, Violations};
use crate::trace::Trace;

pub fn run(engine: &mut Engine, input: Input, trace: &mut Trace) -> Result<Value> {
    let mut v = Violations::new();
    let tags = read_tags(&input, "tags", &mut v)?;
    v.not_null(tags.as_ref(), "tags");
    v.finish()?;
    let name = table_for_arn(engine, input.str("ResourceArn")?, "TagResource")?.to_string();
    if let Some(table) = engine.tables.get_mut(&name) {
        table.def.tags.extend(tags.unwrap_or_default());
        trace.tables_changed.insert(name.clone());
    }
    Ok(json!({}))
}
