//! Change logs as a reload reads them back: each change goes straight into its table's
//! log as it is read. Records come in key order (table, then sequence number), so the
//! logs come in order; one that did not is put in order at the end. Nothing holds every
//! change with its table's name on the way (about 80 bytes a change at 100,000 changes,
//! most of what a reload held beyond the engine once the item records went).

use std::collections::{BTreeMap, BTreeSet};

use crate::engine::Engine;
use crate::log::{Change, ChangeLog};

/// The logs read so far, by table.
#[derive(Default)]
pub(super) struct LogsRead {
    logs: BTreeMap<String, ChangeLog>,
    /// Tables whose changes came out of sequence order.
    unordered: BTreeSet<String>,
}

impl LogsRead {
    /// The change read last for `table` (the next may share its stamp).
    pub(super) fn last(&self, table: &str) -> Option<&Change> {
        self.logs.get(table).and_then(|log| log.entries.back())
    }

    /// The changes read for `table`, in the order read.
    #[cfg(test)]
    pub(super) fn changes(&self, table: &str) -> Vec<&Change> {
        self.logs.get(table).map(|log| log.entries.iter().collect()).unwrap_or_default()
    }

    /// Appends a change read back to `table`'s log.
    pub(super) fn push(&mut self, table: &str, change: Change) {
        let log = match self.logs.get_mut(table) {
            Some(log) => log,
            None => self.logs.entry(table.to_string()).or_default(),
        };
        if log.entries.back().is_some_and(|last| last.seq >= change.seq) {
            self.unordered.insert(table.to_string());
        }
        log.next_seq = log.next_seq.max(change.seq.saturating_add(1));
        log.entries.push_back(change);
    }

    /// Puts the changes in `engine`'s logs (whose next sequence numbers the table
    /// records gave), each in sequence order (of two changes with one sequence number,
    /// the first read stays), their stamps shared and the streams' record counts taken
    /// again.
    pub(super) fn finish(self, engine: &mut Engine) {
        let LogsRead { logs, unordered } = self;
        for (table, mut read) in logs {
            let log = engine.logs.entry(table.clone()).or_default();
            log.next_seq = log.next_seq.max(read.next_seq);
            let ordered = log.entries.is_empty() && !unordered.contains(&table);
            if log.entries.is_empty() {
                std::mem::swap(&mut log.entries, &mut read.entries);
            } else {
                log.entries.append(&mut read.entries);
            }
            if !ordered {
                in_order(log);
            }
        }
        engine.logs.values_mut().for_each(ChangeLog::share_stamps);
        engine.streams.recount(&engine.logs);
    }
}

/// Sorts a log's entries by sequence number, keeping the first of equal ones.
fn in_order(log: &mut ChangeLog) {
    let mut entries: Vec<Change> = std::mem::take(&mut log.entries).into();
    #[expect(
        clippy::disallowed_methods,
        reason = "a reload sorts a log read out of order: std's stable sort, not a sort of positions"
    )]
    entries.sort_by_key(|c| c.seq);
    entries.dedup_by_key(|c| c.seq);
    log.entries = entries.into();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::log::Change;

    fn change(seq: u64, at_ms: u64) -> Change {
        Change { seq, ..Change::new(seq, None, None, at_ms) }
    }

    #[test]
    fn changes_read_out_of_order_or_twice_end_in_order_once() {
        let mut read = LogsRead::default();
        for (table, seq, at) in [("a", 1, 10), ("b", 5, 11), ("a", 3, 12), ("a", 2, 13), ("a", 3, 14)] {
            read.push(table, change(seq, at));
        }
        assert_eq!(read.last("a").map(|c| c.seq), Some(3));
        let mut engine = Engine::new(crate::Config::default());
        read.finish(&mut engine);
        let seqs = |t: &str| engine.logs[t].entries.iter().map(|c| (c.seq, c.at_ms)).collect::<Vec<_>>();
        assert_eq!(seqs("a"), [(1, 10), (2, 13), (3, 12)], "the first of two with one number stays");
        assert_eq!(seqs("b"), [(5, 11)]);
        assert_eq!((engine.logs["a"].next_seq, engine.logs["b"].next_seq), (4, 6));
    }

    #[test]
    fn a_log_keeps_the_next_number_its_table_record_gave() {
        let mut engine = Engine::new(crate::Config::default());
        engine.logs.entry("a".into()).or_default().next_seq = 40;
        let mut read = LogsRead::default();
        read.push("a", change(7, 1));
        read.finish(&mut engine);
        assert_eq!((engine.logs["a"].next_seq, engine.logs["a"].entries.len()), (40, 1));
    }
}
