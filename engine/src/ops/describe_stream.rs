//! DescribeStream (DynamoDB Streams): a stream's status, view type, key schema and shards
//! with their lineage and sequence ranges, a page of `Limit` (at most 100) shards at a time
//! after `ExclusiveStartShardId`. A closed shard whose records have all been trimmed is gone.

use serde_json::{json, Map, Value};

use super::common::page_after;
use crate::engine::Engine;
use crate::error::{Error, ErrorKind, Result};
use crate::request::{Input, Violations};
use crate::streams::{Shard, Stream};
use crate::table::TableStatus;

/// The stream `arn` names, or AWS's ResourceNotFoundException.
pub fn stream<'e>(engine: &'e Engine, arn: &str) -> Result<&'e Stream> {
    engine.streams.by_arn(arn).ok_or_else(|| {
        Error::new(ErrorKind::ResourceNotFound, format!("Requested resource not found: Stream: {arn} not found"))
    })
}

pub fn read_arn<'a>(input: &Input<'a>, v: &mut Violations) -> Result<&'a str> {
    let arn = input.str("StreamArn")?;
    v.not_null(arn, "streamArn");
    if let Some(a) = arn {
        v.length(Some(a.chars().count()), a, "streamArn", 37, Some(1024));
    }
    Ok(arn.unwrap_or_default())
}

pub fn run(engine: &Engine, input: Input) -> Result<Value> {
    let mut v = Violations::new();
    let arn = read_arn(&input, &mut v)?;
    let limit = input.int("Limit")?;
    v.range(limit, "limit", 1, Some(100));
    let start = input.str("ExclusiveStartShardId")?;
    if let Some(s) = start {
        v.length(Some(s.chars().count()), s, "exclusiveStartShardId", 28, Some(65));
    }
    v.finish()?;
    let s = stream(engine, arn)?;
    let trimmed_to = engine.logs.get(&s.table).map_or(0, |l| l.first_seq());
    let shards = s.shards.iter().filter(|sh| sh.end_seq.is_none_or(|e| e > trimmed_to));
    let is_start = start.map(|id| move |sh: &&Shard| sh.id == id);
    let (page, more) = page_after(shards, is_start, limit.map_or(100, |l| l as usize));
    let page: Vec<Value> = page.into_iter().map(shard_json).collect();
    let creating = engine
        .tables
        .get(&s.table)
        .is_some_and(|t| t.status == TableStatus::Creating && t.def.created_ms <= s.created_ms);
    let mut d = Map::new();
    d.insert("StreamArn".into(), json!(s.arn));
    d.insert("StreamLabel".into(), json!(s.label));
    d.insert("StreamStatus".into(), json!(s.status(creating)));
    d.insert("StreamViewType".into(), json!(s.view.as_str()));
    d.insert("CreationRequestDateTime".into(), json!(s.created_ms as f64 / 1000.0));
    d.insert("TableName".into(), json!(s.table));
    d.insert("KeySchema".into(), s.keys.to_json());
    if more {
        if let Some(last) = page.last().map(|sh| sh["ShardId"].clone()) {
            d.insert("LastEvaluatedShardId".into(), last);
        }
    }
    d.insert("Shards".into(), Value::Array(page));
    Ok(json!({ "StreamDescription": d }))
}

fn shard_json(s: &Shard) -> Value {
    let mut range = Map::new();
    range.insert("StartingSequenceNumber".into(), json!(crate::streams::sequence_number(s.first_seq)));
    if let Some(end) = s.end_seq {
        range.insert("EndingSequenceNumber".into(), json!(crate::streams::sequence_number(end.saturating_sub(1))));
    }
    let mut shard = Map::new();
    shard.insert("ShardId".into(), json!(s.id));
    shard.insert("SequenceNumberRange".into(), Value::Object(range));
    if let Some(p) = &s.parent {
        shard.insert("ParentShardId".into(), json!(p));
    }
    Value::Object(shard)
}
