//! UntagResource: removes tags from a table by key; keys it does not have are ignored.

use serde_json::{json, Value};

use super::tags::table_for_arn;
use crate::engine::Engine;
use crate::error::Result;
use crate::request::{Input, Violations};
use crate::trace::Trace;

pub fn run(engine: &mut Engine, input: Input, trace: &mut Trace) -> Result<Value> {
    let mut v = Violations::new();
    let keys = input.array("TagKeys")?;
    v.not_null(keys, "tagKeys");
    let mut remove = Vec::new();
    for (i, k) in keys.into_iter().flatten().enumerate() {
        let at = format!("tagKeys.{}.member", i + 1);
        match k.as_str() {
            Some(k) => {
                v.length(Some(k.chars().count()), k, &at, 1, Some(128));
                remove.push(k.to_string());
            }
            None => v.not_null(None::<&str>, &at),
        }
    }
    v.finish()?;
    let name = table_for_arn(engine, input.str("ResourceArn")?, "UntagResource")?.to_string();
    if let Some(table) = engine.tables.get_mut(&name) {
        table.def.tags.retain(|k, _| !remove.contains(k));
        trace.tables_changed.insert(name.clone());
    }
    Ok(json!({}))
}
