//! ListTagsOfResource: a table's tags, by key. A table holds at most 50, so one page
//! always holds them all and no `NextToken` is returned.

use serde_json::{json, Value};

use super::tags::table_for_arn;
use crate::engine::Engine;
use crate::error::Result;
use crate::request::Input;

pub fn run(engine: &mut Engine, input: Input) -> Result<Value> {
    let name = table_for_arn(engine, input.str("ResourceArn")?, "ListTagsOfResource")?;
    let tags: Vec<Value> = engine
        .tables
        .get(name)
        .map(|t| t.def.tags.iter().map(|(k, v)| json!({"Key": k, "Value": v})).collect())
        .unwrap_or_default();
    Ok(json!({ "Tags": tags }))
}
