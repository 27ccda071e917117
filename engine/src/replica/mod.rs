//! Replicas and eventual consistency, read from the change log.
//!
//! Each partition has three replicas, as AWS keeps three copies across Availability Zones.
//! Replica 0, the leader, takes every write; replicas 1 and 2 apply each change
//! `Config::replication_lag_of(table)` after it commits (the table's own lag, else the
//! workspace's). A strongly consistent read (and every
//! transaction) reads the leader; an eventually consistent read goes to a replica drawn
//! from the engine's seeded randomness ([`choose`]), so with a lag a read just after a write
//! can miss it, and the same seed draws the same replicas. Global secondary indexes are
//! updated from the log asynchronously: reading one is always a follower's read. Local
//! indexes follow their partition.
//!
//! A follower's copy of one item is the item before the oldest change to it in the last
//! `lag` milliseconds ([`item`], for GetItem and BatchGetItem). A follower's table, for
//! Query and Scan, is the leader's with the window's changes undone ([`ReadView`]): an
//! overlay of those changes merged into the leader's ranges as they are read, so a read
//! costs the items it reads plus the changes in the window, not a copy of the table.

use crate::engine::Engine;
use crate::table::{StoreKey, Table};
use crate::value::PackedItem;

mod view;

pub use view::{Entries, Items, ReadView};

/// How many copies of each partition there are.
pub const REPLICAS: u64 = 3;

/// Which replica serves a read, and the newest change it has applied by time.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Served {
    /// 0 is the leader.
    pub replica: u8,
    /// For a follower: it has applied every change committed at or before this time.
    pub applied_until_ms: Option<u64>,
}

/// The replica a read of `table` (or of its index `index`) goes to. Strongly consistent
/// reads, and every read while there is no lag, go to the leader; a global index is always
/// read from a follower; otherwise the engine's randomness draws one of the three.
pub fn choose(engine: &mut Engine, table: &str, index: Option<&str>, consistent: bool) -> Served {
    let lag = engine.config.replication_lag_of(table);
    if consistent || lag == 0 {
        return Served::default();
    }
    let global =
        index.is_some_and(|i| engine.tables.get(table).and_then(|t| t.def.index(i)).is_some_and(|ix| !ix.local));
    let replica = if global { 1 } else { (engine.next_random() % REPLICAS) as u8 };
    if replica == 0 {
        return Served::default();
    }
    Served { replica, applied_until_ms: Some(engine.now_ms.saturating_sub(lag)) }
}

/// One item as the replica `served` holds it, without copying the table: the item before
/// the oldest change to it in the lag window, or the leader's. The flag says whether it
/// differs from the leader's (a stale read).
pub fn item<'t>(
    engine: &'t Engine,
    leader: &'t Table,
    served: Served,
    key: &StoreKey,
) -> (Option<&'t PackedItem>, bool) {
    let now = leader.get(key);
    let Some(cutoff) = served.applied_until_ms else { return (now, false) };
    let Some(log) = engine.logs.get(&leader.def.name) else { return (now, false) };
    let later = log.iter().rev().take_while(|c| c.at_ms > cutoff && c.at_ms >= leader.def.created_ms);
    let mine = |c: &crate::log::Logged<'_>| c.hash == key.hash && c.store_key(&leader.def.schema).as_ref() == Some(key);
    match later.filter(mine).last() {
        Some(oldest) => {
            let then = oldest.change.before.as_ref();
            let stale = then != now;
            (then, stale)
        }
        None => (now, false),
    }
}

#[cfg(test)]
mod tests;

/// What a learner is told about the replicas of a request's reads, when a follower served
/// one: "read from replica 2 of 3, which had applied the changes up to 2023-…: stale (the
/// leader has a newer version)". `None` when every read went to the leader.
pub fn note(trace: &crate::trace::Trace) -> Option<String> {
    let followers: Vec<_> = trace.reads.iter().filter(|r| r.served.replica != 0).collect();
    let first = followers.first()?;
    let until = first.served.applied_until_ms.map(crate::streams::label).unwrap_or_default();
    let stale = followers.iter().filter(|r| r.stale).count();
    let verdict = match (stale, followers.len()) {
        (0, _) => "up to date".to_string(),
        (1, 1) => "stale (the leader has a newer version)".to_string(),
        (n, all) => format!("{n} of {all} reads stale (the leader has newer versions)"),
    };
    Some(format!(
        "read from replica {} of {REPLICAS}, which had applied the changes up to {until}: {verdict}",
        first.served.replica + 1
    ))
}
