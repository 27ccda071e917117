//! ListStreams (DynamoDB Streams): the streams, oldest first, optionally of one table,
//! a page of `Limit` (at most 100) at a time after `ExclusiveStartStreamArn`.

use serde_json::{json, Map, Value};

use super::common::page_after;
use crate::engine::Engine;
use crate::error::Result;
use crate::request::{Input, Violations};

pub fn run(engine: &Engine, input: Input) -> Result<Value> {
    let mut v = Violations::new();
    let table = input.str("TableName")?;
    if table.is_some() {
        v.name(table, "tableName", false);
    }
    let limit = input.int("Limit")?;
    v.range(limit, "limit", 1, Some(100));
    let start = input.str("ExclusiveStartStreamArn")?;
    if let Some(s) = start {
        v.length(Some(s.chars().count()), s, "exclusiveStartStreamArn", 37, Some(1024));
    }
    v.finish()?;
    let limit = limit.map_or(100, |l| l as usize);
    let streams = engine.streams.list.iter().filter(|s| table.is_none_or(|t| s.table == t));
    let (page, more) = page_after(streams, start.map(|a| move |s: &&crate::streams::Stream| s.arn == a), limit);
    let mut out = Map::new();
    if let (Some(last), true) = (page.last(), more) {
        out.insert("LastEvaluatedStreamArn".into(), json!(last.arn));
    }
    let listed = page.iter().map(|s| json!({"StreamArn": s.arn, "TableName": s.table, "StreamLabel": s.label}));
    out.insert("Streams".into(), Value::Array(listed.collect()));
    Ok(Value::Object(out))
}
