//! How many records each shard holds, kept as the log changes: a change is counted in the
//! shard holding it as it is appended, and uncounted as the log drops it. Which shard holds
//! a change never changes once it is logged (a split opens children from the next sequence
//! number), so the counts stay exact, and the stream view reads them instead of the log.

use std::collections::BTreeMap;

use super::Streams;
use crate::log::{ChangeLog, Logged};

impl Streams {
    /// Counts a change just appended to `table`'s log in the shard that holds it.
    pub fn count(&mut self, table: &str, change: Logged<'_>) {
        self.tally(table, change, |n| n.saturating_add(1));
    }

    /// Uncounts a change `table`'s log drops.
    pub fn uncount(&mut self, table: &str, change: Logged<'_>) {
        self.tally(table, change, |n| n.saturating_sub(1));
    }

    fn tally(&mut self, table: &str, change: Logged<'_>, by: impl Fn(usize) -> usize) {
        for s in self.list.iter_mut().filter(|s| s.table == table) {
            // Open shards tile the hash space and closed ones end where their children
            // begin, so at most one shard of a stream holds a change.
            if let Some(shard) = s.shards.iter_mut().find(|sh| sh.holds(change.hash, change.seq)) {
                shard.records = by(shard.records);
            }
        }
    }

    /// Counts every shard's records again from the logs (after a reload).
    pub fn recount(&mut self, logs: &BTreeMap<String, ChangeLog>) {
        for s in &mut self.list {
            s.shards.iter_mut().for_each(|sh| sh.records = 0);
            let Some(log) = logs.get(&s.table) else { continue };
            let Some(from) = s.shards.iter().map(|sh| sh.first_seq).min() else { continue };
            for c in log.since(from) {
                if let Some(shard) = s.shards.iter_mut().find(|sh| sh.holds(c.hash, c.seq)) {
                    shard.records += 1;
                }
            }
        }
    }
}
