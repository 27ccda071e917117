//! DescribeImport: an import's status and counts.

use serde_json::{json, Value};

use super::imports::{description, find};
use crate::engine::Engine;
use crate::error::Result;
use crate::request::{Input, Violations};

pub fn run(engine: &Engine, input: Input) -> Result<Value> {
    let mut v = Violations::new();
    let arn = input.str("ImportArn")?;
    v.not_null(arn, "importArn");
    v.length(arn.map(|a| a.chars().count()), arn.unwrap_or_default(), "importArn", 37, Some(1024));
    v.finish()?;
    let i = find(engine, arn.unwrap_or_default())?;
    Ok(json!({ "ImportTableDescription": description(engine, i, engine.now_ms) }))
}
