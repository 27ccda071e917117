//! GetShardIterator (DynamoDB Streams): a position in one shard, at its oldest kept record
//! (TRIM_HORIZON), past its newest (LATEST), or at or after a sequence number.

use serde_json::{json, Value};

use super::describe_stream::{read_arn, stream};
use crate::engine::Engine;
use crate::error::{Error, ErrorKind, Result};
use crate::request::{Input, Violations};
use crate::streams::{Shard, ShardIterator};

const TYPES: &[&str] = &["TRIM_HORIZON", "LATEST", "AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER"];

pub fn run(engine: &Engine, input: Input) -> Result<Value> {
    let mut v = Violations::new();
    let arn = read_arn(&input, &mut v)?;
    let shard_id = input.str("ShardId")?;
    v.not_null(shard_id, "shardId");
    if let Some(s) = shard_id {
        v.length(Some(s.chars().count()), s, "shardId", 28, Some(65));
    }
    let kind = input.str("ShardIteratorType")?;
    v.not_null(kind, "shardIteratorType");
    v.one_of(kind, "shardIteratorType", TYPES);
    let seq = input.str("SequenceNumber")?;
    if let Some(s) = seq {
        v.length(Some(s.chars().count()), s, "sequenceNumber", 21, Some(40));
    }
    v.finish()?;
    let s = stream(engine, arn)?;
    let shard_id = shard_id.unwrap_or_default();
    let shard = s.shard(shard_id).ok_or_else(|| {
        Error::new(
            ErrorKind::ResourceNotFound,
            format!("Requested resource not found: Shard does not exist: {shard_id}"),
        )
    })?;
    let log = engine.logs.get(&s.table);
    let kept = log.map_or(shard.first_seq, |l| l.first_seq()).max(shard.first_seq);
    let position = match kind.unwrap_or_default() {
        "TRIM_HORIZON" => kept,
        "LATEST" => shard.end_seq.unwrap_or_else(|| log.map_or(shard.first_seq, |l| l.next_seq)),
        at => at_sequence(shard, seq, at == "AFTER_SEQUENCE_NUMBER", kept)?,
    };
    let iterator =
        ShardIterator { stream_arn: s.arn.clone(), shard_id: shard.id.clone(), position, issued_ms: engine.now_ms };
    Ok(json!({ "ShardIterator": iterator.encode() }))
}

/// The position AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER names in `shard`, whose
/// records from `kept` on are still kept.
fn at_sequence(shard: &Shard, seq: Option<&str>, after: bool, kept: u64) -> Result<u64> {
    let Some(text) = seq else {
        return Err(Error::validation(
            "A SequenceNumber is required for ShardIteratorType AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER",
        ));
    };
    let n: u64 = text.parse().map_err(|_| Error::validation(format!("Invalid SequenceNumber: {text}")))?;
    if n < shard.first_seq || shard.end_seq.is_some_and(|e| n >= e) {
        return Err(Error::validation(format!(
            "Invalid SequenceNumber: {text} is not in shard {} (its records are numbered from {})",
            shard.id, shard.first_seq
        )));
    }
    if n < kept {
        return Err(Error::new(
            ErrorKind::TrimmedDataAccess,
            format!("The sequence number {text} is older than the shard's trim point: its records are kept 24 hours"),
        ));
    }
    Ok(if after { n.saturating_add(1) } else { n })
}
