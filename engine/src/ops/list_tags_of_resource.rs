//! ListTagsOfResource: a table's tags, by key. A table holds at most 50, so one page
//! always holds them all and no `NextToken` is returned. Unlike TagResource, asking
//! about a table that does not exist is refused as access denied, as AWS answers it.

use serde_json::{json, Value};

use super::tags::{access_denied, table_for_arn};
use crate::engine::Engine;
use crate::error::{ErrorKind, Result};
use crate::request::Input;

pub fn run(engine: &mut Engine, input: Input) -> Result<Value> {
    let arn = input.str("ResourceArn")?;
    let name = table_for_arn(engine, arn, "ListTagsOfResource").map_err(|e| match e.kind {
        ErrorKind::ResourceNotFound => access_denied(engine, "ListTagsOfResource", arn.unwrap_or_default()),
        _ => e,
    })?;
    let tags: Vec<Value> = engine
        .tables
        .get(name)
        .map(|t| t.def.tags.iter().map(|(k, v)| json!({"Key": k, "Value": v})).collect())
        .unwrap_or_default();
    Ok(json!({ "Tags": tags }))
}
