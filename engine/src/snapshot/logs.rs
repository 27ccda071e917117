//! Change logs as a reload reads them back: each change goes straight into its table's
//! log as it is read. Records come in key order (table, then sequence number), so the
//! logs come in order; a change that did not is set aside and put in its place at the
//! end. Nothing holds every change with its table's name on the way (about 80 bytes a
//! change at 100,000 changes, most of what a reload held beyond the engine once the item
//! records went).

use std::collections::BTreeMap;

use std::sync::Arc;

use crate::engine::Engine;
use crate::log::{Change, ChangeLog, Stamp};

/// The logs read so far, by table.
#[derive(Default)]
pub(super) struct LogsRead {
    logs: BTreeMap<String, ChangeLog>,
    /// Changes that came out of sequence order, by table, in the order read.
    unordered: BTreeMap<String, Vec<(u64, Change)>>,
}

impl LogsRead {
    /// The stamp of the change read last in order for `table` (the next may share it).
    pub(super) fn last_stamp(&self, table: &str) -> Option<&Arc<Stamp>> {
        self.logs.get(table).and_then(|log| log.last()).and_then(|c| c.stamp)
    }

    /// The changes read for `table`, in order, with those set aside.
    #[cfg(test)]
    pub(super) fn changes(&self, table: &str) -> Vec<(u64, Change)> {
        let log = self.logs.get(table).into_iter().flat_map(|log| log.iter().map(|c| (c.seq, c.to_change())));
        let aside = self.unordered.get(table).into_iter().flatten().cloned();
        log.chain(aside).collect()
    }

    /// Appends change number `seq` read back to `table`'s log.
    pub(super) fn push(&mut self, table: &str, seq: u64, change: Change) {
        let log = match self.logs.get_mut(table) {
            Some(log) => log,
            None => self.logs.entry(table.to_string()).or_default(),
        };
        if let Err(change) = log.push(seq, change) {
            self.unordered.entry(table.to_string()).or_default().push((seq, change));
        }
    }

    /// Puts the changes in `engine`'s logs (whose next sequence numbers the table
    /// records gave), each in sequence order (of two changes with one sequence number,
    /// the first read stays), their stamps shared and the streams' record counts taken
    /// again.
    pub(super) fn finish(self, engine: &mut Engine) {
        let LogsRead { logs, mut unordered } = self;
        for (table, read) in logs {
            let log = engine.logs.entry(table.clone()).or_default();
            let next_seq = log.next_seq.max(read.next_seq);
            let aside = unordered.remove(&table).unwrap_or_default();
            *log = match (log.is_empty(), aside.is_empty()) {
                (true, true) => read,
                _ => in_order(std::mem::take(log).into_changes().chain(read.into_changes()).chain(aside)),
            };
            log.next_seq = log.next_seq.max(next_seq);
        }
        engine.streams.recount(&engine.logs);
    }
}

/// A log of `changes` in sequence order, keeping the first of equal numbers.
fn in_order(changes: impl Iterator<Item = (u64, Change)>) -> ChangeLog {
    let mut changes: Vec<(u64, Change)> = changes.collect();
    #[expect(
        clippy::disallowed_methods,
        reason = "a reload sorts a log read out of order: std's stable sort, not a sort of positions"
    )]
    changes.sort_by_key(|(seq, _)| *seq);
    changes.dedup_by_key(|(seq, _)| *seq);
    let mut log = ChangeLog::default();
    for (seq, change) in changes {
        // In order and each number once: no push is refused.
        let _ = log.push(seq, change);
    }
    log
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(at_ms: u64) -> Change {
        Change::new(at_ms, None, None, at_ms)
    }

    #[test]
    fn changes_read_out_of_order_or_twice_end_in_order_once() {
        let mut read = LogsRead::default();
        for (table, seq, at) in [("a", 1, 10), ("b", 5, 11), ("a", 3, 12), ("a", 2, 13), ("a", 3, 14)] {
            read.push(table, seq, change(at));
        }
        let read_a: Vec<_> = read.changes("a").iter().map(|(seq, c)| (*seq, c.at_ms)).collect();
        assert_eq!(read_a, [(1, 10), (3, 12), (2, 13), (3, 14)]);
        assert_eq!(read.logs["a"].last().map(|c| c.at_ms), Some(12), "the last read in order");
        let mut engine = Engine::new(crate::Config::default());
        read.finish(&mut engine);
        let seqs = |t: &str| engine.logs[t].iter().map(|c| (c.seq, c.at_ms)).collect::<Vec<_>>();
        assert_eq!(seqs("a"), [(1, 10), (2, 13), (3, 12)], "the first of two with one number stays");
        assert_eq!(seqs("b"), [(5, 11)]);
        assert_eq!((engine.logs["a"].next_seq, engine.logs["b"].next_seq), (4, 6));
    }

    #[test]
    fn a_log_keeps_the_next_number_its_table_record_gave() {
        let mut engine = Engine::new(crate::Config::default());
        engine.logs.entry("a".into()).or_default().next_seq = 40;
        let mut read = LogsRead::default();
        read.push("a", 7, change(1));
        read.finish(&mut engine);
        assert_eq!((engine.logs["a"].next_seq, engine.logs["a"].len()), (40, 1));
    }
}
