//! GetRecords (DynamoDB Streams): the records of one shard from an iterator's position,
//! at most `Limit` (1,000) or 1 MB, and the iterator to carry on from; none once a closed
//! shard is drained. Reading changes nothing, and an empty page is normal.

use serde_json::{json, Map, Value};

use super::describe_stream::stream;
use crate::engine::Engine;
use crate::error::{Error, ErrorKind, Result};
use crate::request::{Input, Violations};
use crate::streams::{record_json, ShardIterator, ITERATOR_LIFETIME_MS};

/// A page stops once it holds this many bytes of records.
const PAGE_BYTES: usize = 1024 * 1024;

pub fn run(engine: &Engine, input: Input) -> Result<Value> {
    let mut v = Violations::new();
    let text = input.str("ShardIterator")?;
    v.not_null(text, "shardIterator");
    if let Some(t) = text {
        v.length(Some(t.chars().count()), t, "shardIterator", 1, Some(2048));
    }
    let limit = input.int("Limit")?;
    v.range(limit, "limit", 1, Some(1000));
    v.finish()?;
    let it = ShardIterator::decode(text.unwrap_or_default()).ok_or_else(|| {
        Error::validation("Invalid ShardIterator: it was not returned by GetShardIterator or GetRecords")
    })?;
    if engine.now_ms > it.issued_ms.saturating_add(ITERATOR_LIFETIME_MS) {
        return Err(Error::new(ErrorKind::ExpiredIterator, "Iterator expired"));
    }
    let s = stream(engine, &it.stream_arn)?;
    let shard = s.shard(&it.shard_id).ok_or_else(|| {
        Error::new(
            ErrorKind::ResourceNotFound,
            format!("Requested resource not found: Shard does not exist: {}", it.shard_id),
        )
    })?;
    let log = engine.logs.get(&s.table);
    let kept = log.map_or(it.position, |l| l.first_seq());
    if it.position < kept && shard.end_seq.is_none_or(|e| it.position < e) && shard.first_seq < kept {
        return Err(Error::new(
            ErrorKind::TrimmedDataAccess,
            "The iterator's position is older than the shard's trim point: its records are kept 24 hours",
        ));
    }
    let end = shard.end_seq.unwrap_or(u64::MAX);
    let limit = limit.map_or(1000, |l| l as usize);
    let mut records = Vec::new();
    let mut bytes = 0;
    // Where the next page starts: past the last record read, or past all the log holds.
    let mut next = log.map_or(it.position, |l| l.next_seq).min(end).max(it.position);
    for change in log.into_iter().flat_map(|l| l.range(it.position, end)) {
        if !shard.holds(change.hash, change.seq) {
            continue;
        }
        if records.len() >= limit || bytes >= PAGE_BYTES {
            next = change.seq;
            break;
        }
        let record = record_json(s, change, &engine.config.region);
        bytes += record.to_string().len();
        records.push(record);
        next = change.seq.saturating_add(1);
    }
    let mut out = Map::new();
    out.insert("Records".into(), Value::Array(records));
    if shard.end_seq.is_none_or(|e| next < e) {
        let following = ShardIterator { position: next, issued_ms: engine.now_ms, ..it };
        out.insert("NextShardIterator".into(), json!(following.encode()));
    }
    Ok(Value::Object(out))
}
