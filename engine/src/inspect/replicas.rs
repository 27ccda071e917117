//! The replicas view: each partition's three copies (what each has applied, how far behind
//! it is), the changes the followers have not applied yet, and, for a stale read, the
//! write it missed. Read from the change log (see `replica`).

use crate::engine::Engine;
use crate::log::Logged;
use crate::replica::REPLICAS;
use crate::table::{KeySchema, Table};
use crate::value::Item;

/// One copy of one partition.
#[derive(Clone, Debug, PartialEq)]
pub struct ReplicaCopy {
    /// 0 is the leader.
    pub replica: u8,
    /// The sequence number of the newest change in this partition it has applied (0: none
    /// in the log).
    pub applied_seq: u64,
    /// Changes in this partition it has not applied yet.
    pub behind: usize,
}

/// One partition and its copies.
#[derive(Clone, Debug, PartialEq)]
pub struct PartitionCopies {
    pub partition: usize,
    pub copies: Vec<ReplicaCopy>,
}

/// A change the followers have not applied yet.
#[derive(Clone, Debug, PartialEq)]
pub struct Pending {
    pub seq: u64,
    pub at_ms: u64,
    /// When the followers apply it.
    pub applies_at_ms: u64,
    pub event: &'static str,
    pub key: Item,
    pub partition: usize,
}

/// What the replicas view draws.
#[derive(Clone, Debug, PartialEq)]
pub struct ReplicasInfo {
    pub lag_ms: u64,
    pub partitions: Vec<PartitionCopies>,
    /// Oldest first.
    pub pending: Vec<Pending>,
}

/// `table`'s replicas at the engine clock. It reads the log from its newest change back
/// only as far as it must: to the oldest change a follower has not applied, and then to
/// each partition's newest change it has (all the way back only for a partition with
/// none).
pub fn replicas_of(engine: &Engine, table: &str) -> Option<ReplicasInfo> {
    let t = engine.table(table)?;
    let lag_ms = engine.config.replication_lag_of(table);
    let cutoff = engine.now_ms().saturating_sub(lag_ms);
    // This table's changes, not those of an earlier table of its name.
    let changes = engine.change_log(table).map(|l| l.committed_from(t.def.created_ms));
    let partitions = copies(t, changes.clone().into_iter().flatten(), cutoff);
    let not_applied = changes.into_iter().flatten().rev().take_while(|c| c.at_ms > cutoff);
    let mut pending: Vec<Pending> = not_applied
        .filter(|_| lag_ms > 0)
        .map(|c| pending(c, &t.def.schema, lag_ms, t.partitions.index_of(c.hash)))
        .collect();
    pending.reverse();
    Some(ReplicasInfo { lag_ms, partitions, pending })
}

/// Each partition's copies, from `changes` (in log order) and the time up to which the
/// followers have applied them.
fn copies<'c>(t: &Table, changes: impl DoubleEndedIterator<Item = Logged<'c>>, cutoff: u64) -> Vec<PartitionCopies> {
    let n = t.partitions.parts.len();
    // Per partition: its newest change, its newest change the followers have, and how
    // many they have not.
    let (mut newest, mut applied, mut behind) = (vec![0u64; n], vec![None::<u64>; n], vec![0usize; n]);
    let mut unsettled = n;
    for c in changes.rev() {
        let p = t.partitions.index_of(c.hash);
        if let Some(seq) = newest.get_mut(p).filter(|s| **s == 0) {
            *seq = c.seq;
        }
        if c.at_ms > cutoff {
            behind.get_mut(p).into_iter().for_each(|b| *b += 1);
            continue;
        }
        if unsettled == 0 {
            break;
        }
        if let Some(slot) = applied.get_mut(p).filter(|a| a.is_none()) {
            *slot = Some(c.seq);
            unsettled -= 1;
        }
    }
    let copy = |p: usize, replica: u8| ReplicaCopy {
        replica,
        applied_seq: match replica {
            0 => newest.get(p).copied().unwrap_or(0),
            _ => applied.get(p).copied().flatten().unwrap_or(0),
        },
        behind: if replica == 0 { 0 } else { behind.get(p).copied().unwrap_or(0) },
    };
    (0..n)
        .map(|p| PartitionCopies { partition: p, copies: (0..REPLICAS as u8).map(|r| copy(p, r)).collect() })
        .collect()
}

fn pending(c: Logged<'_>, schema: &KeySchema, lag_ms: u64, partition: usize) -> Pending {
    Pending {
        seq: c.seq,
        at_ms: c.at_ms,
        applies_at_ms: c.at_ms.saturating_add(lag_ms),
        event: c.event_name(),
        key: c.key(schema),
        partition,
    }
}

/// The write a read of `key` that a follower served, having applied changes up to
/// `applied_until_ms`, missed: the oldest later change to that item.
pub fn missed_write(engine: &Engine, table: &str, key: &Item, applied_until_ms: u64) -> Option<Pending> {
    let t = engine.table(table)?;
    let log = engine.change_log(table)?;
    let c = log
        .committed_from(applied_until_ms.saturating_add(1))
        .find(|c| c.at_ms > applied_until_ms && c.at_ms >= t.def.created_ms && c.key(&t.def.schema) == *key)?;
    Some(pending(c, &t.def.schema, engine.config.replication_lag_of(table), t.partitions.index_of(c.hash)))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::inspect::testing::{keyed, ok};
    use crate::Config;

    const T0: u64 = 1_700_000_000_000;

    #[test]
    fn followers_trail_by_the_lag_and_a_stale_read_names_the_write_it_missed() {
        let mut e = keyed(Config { replication_lag_ms: 1000, ..Config::default() }, "Tab", T0);
        let run = |e: &mut Engine, op: &str, body: serde_json::Value, now: u64| drop(ok(e, op, body, now));
        run(&mut e, "PutItem", json!({"TableName": "Tab", "Item": {"k": {"S": "a"}}}), T0 + 10);
        run(&mut e, "PutItem", json!({"TableName": "Tab", "Item": {"k": {"S": "a"}, "v": {"N": "2"}}}), T0 + 2000);
        e.tick(T0 + 2500);
        let r = replicas_of(&e, "Tab").unwrap();
        assert_eq!(r.lag_ms, 1000);
        let copies: Vec<(u8, u64, usize)> =
            r.partitions[0].copies.iter().map(|c| (c.replica, c.applied_seq, c.behind)).collect();
        assert_eq!(copies, [(0, 2, 0), (1, 1, 1), (2, 1, 1)]);
        assert_eq!(r.pending.len(), 1);
        assert_eq!((r.pending[0].seq, r.pending[0].applies_at_ms, r.pending[0].event), (2, T0 + 3000, "MODIFY"));
        let key: Item = [("k".to_string(), crate::value::AttributeValue::S("a".into()))].into();
        let missed = missed_write(&e, "Tab", &key, T0 + 1500).unwrap();
        assert_eq!((missed.seq, missed.at_ms), (2, T0 + 2000));
        e.tick(T0 + 3000);
        assert!(replicas_of(&e, "Tab").unwrap().pending.is_empty());
        assert_eq!(missed_write(&e, "Tab", &key, T0 + 3000), None);
    }
}
