//! DescribeExport: an export's status, files and counts.

use serde_json::{json, Value};

use super::exports::{description, find};
use crate::engine::Engine;
use crate::error::Result;
use crate::request::{Input, Violations};

pub fn run(engine: &Engine, input: Input) -> Result<Value> {
    let mut v = Violations::new();
    let arn = input.str("ExportArn")?;
    v.not_null(arn, "exportArn");
    v.length(arn.map(|a| a.chars().count()), arn.unwrap_or_default(), "exportArn", 37, Some(1024));
    v.finish()?;
    let e = find(engine, arn.unwrap_or_default())?;
    Ok(json!({ "ExportDescription": description(e) }))
}
