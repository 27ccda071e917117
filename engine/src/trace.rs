//! What an operation did besides its wire response: partitions touched, items examined
//! and returned, capacity per read and per partition, each write's before and after, and
//! any partition split. The browser persists the writes (one change set per committed
//! operation) and draws the rest.

use crate::capacity::Consumed;
use crate::value::{Item, PackedItem};

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Trace {
    pub reads: Vec<ReadTrace>,
    pub writes: Vec<WriteTrace>,
    pub splits: Vec<SplitTrace>,
    pub consumed: Vec<Consumed>,
    /// Tables whose definition or status this request changed: created, deleted, updated,
    /// tagged, or moved on by the clock (CREATING → ACTIVE, DELETING → gone). Persistence
    /// rewrites exactly these snapshots.
    pub tables_changed: std::collections::BTreeSet<String>,
    /// Tables whose items this request wrote wholesale, not one by one (a restore):
    /// persistence saves every item of these.
    pub tables_rewritten: std::collections::BTreeSet<String>,
    /// Tables whose point-in-time recovery was turned on or off or whose base rolled
    /// forward; persistence writes or drops their base.
    pub pitr_changed: std::collections::BTreeSet<String>,
    /// Backups this request created or deleted, by ARN; persistence writes or drops them.
    pub backups_changed: std::collections::BTreeSet<String>,
    /// Buckets and objects of the simulated S3 this request wrote or removed, by storage
    /// key (`s3::bucket_key`, `s3::object_key`); persistence writes or drops them.
    pub s3_changed: std::collections::BTreeSet<String>,
    /// Exports and imports this request started or moved on, by ARN.
    pub jobs_changed: std::collections::BTreeSet<String>,
    /// The change-log entries this request appended, as (table, sequence number), in
    /// commit order; the entries are in the engine's log. The browser saves them with the
    /// items.
    pub changes: Vec<(String, u64)>,
    /// Triggers ran or changed: the triggers and the mirror are to be stored.
    pub triggers_changed: bool,
    /// What each PartiQL statement ran as, with what it cost (`partiql::explain`).
    pub plan: Vec<String>,
    /// Where in the request a failed request went wrong, for the page to underline.
    pub error_span: Option<crate::error::ErrorSpan>,
    /// IAM's evaluation of each action the request asked for (only while IAM is
    /// enforced), the last one the denial if it was denied.
    pub access: Vec<crate::iam::Evaluation>,
    /// IAM's principals, policies or settings changed.
    pub iam_changed: bool,
}

impl Trace {
    /// Whether anything here is to be saved (a write, a table or backup or job changed);
    /// a read or a refused request saves nothing.
    pub fn saves_anything(&self) -> bool {
        !(self.writes.is_empty()
            && self.splits.is_empty()
            && self.tables_changed.is_empty()
            && self.changes.is_empty()
            && self.backups_changed.is_empty()
            && self.tables_rewritten.is_empty()
            && self.pitr_changed.is_empty()
            && self.s3_changed.is_empty()
            && self.jobs_changed.is_empty()
            && !self.triggers_changed
            && !self.iam_changed)
    }

    /// Adds what `later` did to this trace, as if one operation had done both (what a
    /// host saves after several steps in one change set).
    pub fn absorb(&mut self, later: Trace) {
        self.reads.extend(later.reads);
        self.writes.extend(later.writes);
        self.splits.extend(later.splits);
        self.consumed.extend(later.consumed);
        self.tables_changed.extend(later.tables_changed);
        self.tables_rewritten.extend(later.tables_rewritten);
        self.pitr_changed.extend(later.pitr_changed);
        self.backups_changed.extend(later.backups_changed);
        self.s3_changed.extend(later.s3_changed);
        self.jobs_changed.extend(later.jobs_changed);
        self.changes.extend(later.changes);
        self.triggers_changed |= later.triggers_changed;
        self.iam_changed |= later.iam_changed;
        self.access.extend(later.access);
        self.plan.extend(later.plan);
        self.error_span = later.error_span.or(self.error_span.take());
    }
}

/// One read: a GetItem, one item of a batch or transaction, or one Query/Scan page.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReadTrace {
    pub table: String,
    pub index: Option<String>,
    /// The partition key, when the read stayed in one item collection of the table
    /// (GetItem, the items of batches and transactions, a Query on the table).
    pub collection: Option<crate::table::KeyValue>,
    /// Partitions the read touched, in the order it touched them, with what it read in
    /// each.
    pub partitions: Vec<PartitionRead>,
    /// Items read from storage (what capacity is charged on).
    pub examined: usize,
    /// Items returned after any filter.
    pub returned: usize,
    /// Bytes read from storage.
    pub bytes: usize,
    pub read_units: f64,
    /// The replica that served it (0: the leader) and what it had applied.
    pub served: crate::replica::Served,
    /// Whether the answer differs from what the leader held: a stale read.
    pub stale: bool,
}

/// What one read took from one partition. Units are the read's units shared out by
/// bytes (a page is rounded once, not per partition).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PartitionRead {
    pub partition: usize,
    pub examined: usize,
    pub bytes: usize,
    pub read_units: f64,
}

/// One committed item write.
#[derive(Clone, Debug, PartialEq)]
pub struct WriteTrace {
    pub table: String,
    pub partition: usize,
    pub key: Item,
    /// The item's images, shared with the table and the change log.
    pub before: Option<PackedItem>,
    pub after: Option<PackedItem>,
    pub write_units: f64,
}

impl WriteTrace {
    /// The item before the write, unpacked.
    pub fn before_item(&self) -> Option<Item> {
        self.before.as_ref().map(PackedItem::item)
    }

    /// The item after the write, unpacked.
    pub fn after_item(&self) -> Option<Item> {
        self.after.as_ref().map(PackedItem::item)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct SplitTrace {
    pub table: String,
    /// The partition that split; the new one is `partition + 1`.
    pub partition: usize,
    pub at_hash: u64,
    pub reason: crate::table::SplitReason,
}

impl Trace {
    /// The splits grouped by table, each table once, in the order it first split (a
    /// request that splits tables A, B, A gives A's two splits, then B's).
    pub fn splits_by_table(&self) -> Vec<(&str, Vec<&SplitTrace>)> {
        let mut groups: Vec<(&str, Vec<&SplitTrace>)> = Vec::new();
        for s in &self.splits {
            match groups.iter_mut().find(|(t, _)| *t == s.table) {
                Some((_, list)) => list.push(s),
                None => groups.push((s.table.as_str(), vec![s])),
            }
        }
        groups
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::SplitReason;

    #[test]
    fn splits_group_by_table_once_each() {
        let split = |table: &str, partition| SplitTrace {
            table: table.into(),
            partition,
            at_hash: 0,
            reason: SplitReason::Size,
        };
        let trace = Trace { splits: vec![split("A", 0), split("B", 1), split("A", 2)], ..Trace::default() };
        let groups: Vec<(&str, Vec<usize>)> =
            trace.splits_by_table().into_iter().map(|(t, s)| (t, s.iter().map(|s| s.partition).collect())).collect();
        assert_eq!(groups, [("A", vec![0, 2]), ("B", vec![1])]);
    }
}
