//! What the stream view draws, computed from the change log: a table's streams, each
//! shard's hash range, lineage and record count, the records in sequence order with the
//! images the view type keeps, and the Time to Live setting with the items waiting for the
//! sweep.

use crate::engine::Engine;
use crate::log::{ChangeLog, Logged, Principal};
use crate::streams::{Shard, Stream, ViewType};
use crate::table::{StoreKey, Table};
use crate::value::PackedItem;

/// One shard as drawn.
#[derive(Clone, Debug, PartialEq)]
pub struct ShardInfo {
    pub id: String,
    pub parent: Option<String>,
    pub start_hash: u64,
    pub end_hash: u64,
    pub open: bool,
    /// Records the log still keeps for it.
    pub records: usize,
}

/// One record as listed.
#[derive(Clone, Debug, PartialEq)]
pub struct RecordInfo {
    pub seq: u64,
    pub at_ms: u64,
    pub event: &'static str,
    pub shard: Option<String>,
    pub key: crate::value::Item,
    /// The images this stream's view type keeps (old, new).
    pub old_image: Option<crate::value::Item>,
    pub new_image: Option<crate::value::Item>,
    /// Deleted by Time to Live, not by a caller.
    pub by_service: bool,
    pub operation: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct StreamInfo {
    pub arn: String,
    pub label: String,
    pub status: &'static str,
    pub view: ViewType,
    pub shards: Vec<ShardInfo>,
    /// The newest records first, at most the number asked for.
    pub records: Vec<RecordInfo>,
    /// All the records the log keeps for this stream.
    pub total_records: usize,
}

/// A table's Time to Live as the view shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct TtlInfo {
    pub attribute: Option<String>,
    pub enabled: bool,
    /// Items whose TTL has passed but the sweep has not deleted yet, with when it will.
    pub expired_waiting: Vec<(crate::value::Item, u64)>,
    pub delay_ms: u64,
}

/// The table's streams, newest first, each with up to `records` of its newest records.
pub fn streams_of(engine: &Engine, table: &str, records: usize) -> Vec<StreamInfo> {
    let creating = engine.table(table).is_some_and(|t| t.status == crate::table::TableStatus::Creating);
    let log = engine.change_log(table);
    let mut out: Vec<StreamInfo> = engine
        .streams()
        .list
        .iter()
        .filter(|s| s.table == table)
        .map(|s| {
            StreamInfo {
                arn: s.arn.clone(),
                label: s.label.clone(),
                status: s.status(creating),
                view: s.view,
                shards: s.shards.iter().map(shard_info).collect(),
                records: newest(s, log).take(records).map(|c| record_info(s, c)).collect(),
                // Each record is in one shard.
                total_records: s.shards.iter().map(|sh| sh.records).sum(),
            }
        })
        .collect();
    out.reverse();
    out
}

/// The stream's records, newest first: read back from its last shard's end (all of the
/// log's newest changes, while a shard is open).
fn newest<'l>(s: &'l Stream, log: Option<&'l ChangeLog>) -> impl Iterator<Item = Logged<'l>> + 'l {
    let end = s.shards.iter().map(|sh| sh.end_seq).try_fold(0, |end, e| e.map(|e| end.max(e))).unwrap_or(u64::MAX);
    let from = s.shards.iter().map(|sh| sh.first_seq).min().unwrap_or(u64::MAX);
    let span = log.map(|l| l.range(from, end));
    span.into_iter().flatten().rev().filter(|c| s.shards.iter().any(|sh| sh.holds(c.hash, c.seq)))
}

fn shard_info(s: &Shard) -> ShardInfo {
    ShardInfo {
        id: s.id.clone(),
        parent: s.parent.clone(),
        start_hash: s.start_hash,
        end_hash: s.end_hash,
        open: s.is_open(),
        records: s.records,
    }
}

fn record_info(s: &Stream, c: Logged<'_>) -> RecordInfo {
    RecordInfo {
        seq: c.seq,
        at_ms: c.at_ms,
        event: c.event_name(),
        shard: s.shards.iter().find(|sh| sh.holds(c.hash, c.seq)).map(|sh| sh.id.clone()),
        key: c.key(&s.keys),
        old_image: c.before.as_ref().filter(|_| s.view.old_image()).map(PackedItem::item),
        new_image: c.after.as_ref().filter(|_| s.view.new_image()).map(PackedItem::item),
        by_service: c.principal() == Principal::TtlService,
        operation: c.operation().to_string(),
    }
}

/// The table's Time to Live setting, and its expired items still waiting for the sweep
/// (at most `limit`), at engine time `now_ms`.
pub fn ttl_of(table: &Table, delay_ms: u64, now_ms: u64, limit: usize) -> TtlInfo {
    let ttl = &table.def.ttl;
    let waiting = match (&ttl.attribute, ttl.enabled) {
        // From the table's index of expiry times (what the sweep reads), listed in
        // storage order.
        (Some(_), true) => {
            let recent = |t: &u64| t.saturating_add(crate::table::MAX_AGE_MS) >= now_ms;
            let mut due: Vec<(&StoreKey, u64)> =
                table.expiry.due(now_ms).filter(|(t, _)| recent(t)).map(|(t, k)| (k, *t)).collect();
            crate::sorted::sort_by(&mut due, |a, b| a.0.cmp(b.0));
            let items = due.into_iter().filter_map(|(k, t)| table.get(k).map(|item| (item, t)));
            items
                .take(limit)
                .map(|(item, t)| (table.def.schema.packed_key_item(item), t.saturating_add(delay_ms)))
                .collect()
        }
        _ => Vec::new(),
    };
    TtlInfo { attribute: ttl.attribute.clone(), enabled: ttl.enabled, expired_waiting: waiting, delay_ms }
}

#[cfg(test)]
mod tests;
