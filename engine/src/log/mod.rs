//! The change log: every committed item change, in order, per table. It is the one record
//! of history that everything looking back reads: DynamoDB Streams (shards are views of
//! it), and later point-in-time recovery (a table at time t), replicas (a follower is a
//! position in it) and global tables (another region applies it after a lag).
//!
//! [`crate::ops::common::commit`] is its only writer, so no change escapes it: requests,
//! batches and transactions (one entry per item), and the TTL sweep (entries marked as the
//! service's). A write that changes nothing (the same item put again) makes no entry, as
//! DynamoDB writes no stream record for it. Entries older than [`RETENTION_MS`] are
//! trimmed as the engine clock moves.

use std::collections::{vec_deque, VecDeque};
use std::sync::Arc;

use crate::table::{KeySchema, StoreKey};
use crate::value::{Item, PackedItem};

/// How long entries are kept: DynamoDB Streams' 24-hour retention.
pub const RETENTION_MS: u64 = 24 * 60 * 60 * 1000;

/// Who made a change.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Principal {
    /// The caller of the request (IAM principals come with the access issue).
    #[default]
    Caller,
    /// DynamoDB itself: the Time to Live sweep.
    TtlService,
    /// Global tables' replication: a write made in another region, applied here.
    Replication,
}

impl Principal {
    pub fn as_str(self) -> &'static str {
        match self {
            Principal::Caller => "caller",
            Principal::TtlService => "dynamodb.amazonaws.com",
            Principal::Replication => "replication",
        }
    }

    pub fn parse(s: &str) -> Principal {
        match s {
            "dynamodb.amazonaws.com" => Principal::TtlService,
            "replication" => Principal::Replication,
            _ => Principal::Caller,
        }
    }
}

/// What a change came from: the operation, and the transaction it belonged to.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Origin {
    pub operation: compact_str::CompactString,
    pub transaction: Option<String>,
    pub principal: Option<Principal>,
}

impl Origin {
    pub fn principal(&self) -> Principal {
        self.principal.unwrap_or(Principal::Caller)
    }

    /// Whether `stamp` says what this request would.
    fn made(&self, stamp: &Stamp) -> bool {
        stamp.operation == self.operation
            && stamp.transaction.as_deref() == self.transaction.as_deref()
            && stamp.principal == self.principal()
    }
}

/// What a change came from, as the log keeps it: the operation, the transaction it
/// belonged to, and who made it. Changes made alike (a batch's, a transaction's, a run of
/// PutItems) share one ([`ChangeLog::append_from`]): at 100,000 logged writes a copy in
/// each cost about 4 MB, and the principal beside it 0.8 MB more (a change is 48 bytes).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stamp {
    pub operation: compact_str::CompactString,
    pub transaction: Option<Box<str>>,
    pub principal: Principal,
}

/// One item change.
#[derive(Clone, Debug, PartialEq)]
pub struct Change {
    /// Increases by one with every change to the table, never reused.
    pub seq: u64,
    /// Engine time of the commit.
    pub at_ms: u64,
    /// The partition-key hash (where the change falls in the hash space).
    pub hash: u64,
    /// The item's images, shared with the table (and the next change) that hold them too.
    /// At least one is present (a change that changes nothing is not logged); the item's
    /// key is read from them ([`Change::key`]), not kept a third time: at 100,000 logged
    /// writes a key of its own cost about 11 MB.
    pub before: Option<PackedItem>,
    pub after: Option<PackedItem>,
    /// `None` until the change is logged.
    pub stamp: Option<Arc<Stamp>>,
}

impl Change {
    /// A change of the item whose partition key hashes to `hash`, at engine time `at_ms`,
    /// not yet numbered or stamped with its origin.
    pub fn new(hash: u64, before: Option<PackedItem>, after: Option<PackedItem>, at_ms: u64) -> Change {
        Change { seq: 0, at_ms, hash, before, after, stamp: None }
    }

    /// Who made the change (the caller until it is logged).
    pub fn principal(&self) -> Principal {
        self.stamp.as_deref().map_or(Principal::Caller, |s| s.principal)
    }

    /// The operation that made the change (`PutItem`, `TimeToLive`, …).
    pub fn operation(&self) -> &str {
        self.stamp.as_deref().map_or("", |s| s.operation.as_str())
    }

    /// The transaction the change belonged to, if any.
    pub fn transaction(&self) -> Option<&str> {
        self.stamp.as_deref().and_then(|s| s.transaction.as_deref())
    }

    /// The item as it is after the change, or was before a delete: what holds its key
    /// (`None` only in a damaged store).
    pub fn image(&self) -> Option<&PackedItem> {
        self.after.as_ref().or(self.before.as_ref())
    }

    /// The item's key attributes, under the table's key schema.
    pub fn key(&self, schema: &KeySchema) -> Item {
        self.image().map(|i| schema.packed_key_item(i)).unwrap_or_default()
    }

    /// The item's place in the table (`None` only for a change with no image).
    pub fn store_key(&self, schema: &KeySchema) -> Option<StoreKey> {
        schema.packed_key(self.image()?)
    }

    /// `INSERT`, `MODIFY` or `REMOVE`, as a stream record names it.
    pub fn event_name(&self) -> &'static str {
        match (&self.before, &self.after) {
            (None, _) => "INSERT",
            (Some(_), Some(_)) => "MODIFY",
            (Some(_), None) => "REMOVE",
        }
    }
}

/// One table's log. Its entries are in sequence order, and so in time order: an entry is
/// stamped with the engine clock, which never goes back.
#[derive(Clone, Debug, PartialEq)]
pub struct ChangeLog {
    /// The sequence number the next change gets.
    pub next_seq: u64,
    pub entries: VecDeque<Change>,
}

impl Default for ChangeLog {
    fn default() -> ChangeLog {
        ChangeLog { next_seq: 1, entries: VecDeque::new() }
    }
}

impl ChangeLog {
    /// Appends a change and returns it; `None` when it changes nothing.
    pub fn append(&mut self, change: Change) -> Option<&Change> {
        if change.before == change.after {
            return None;
        }
        let seq = self.next_seq;
        self.next_seq = seq.saturating_add(1);
        self.entries.push_back(Change { seq, ..change });
        self.entries.back()
    }

    /// Appends a change as made by the request `origin`: its stamp is the last entry's
    /// when that says the same, else a new one.
    pub fn append_from(&mut self, origin: &Origin, change: Change) -> Option<&Change> {
        let last = self.entries.back().and_then(|c| c.stamp.as_ref()).filter(|s| origin.made(s));
        let stamp = last.map(Arc::clone).unwrap_or_else(|| {
            let transaction = origin.transaction.as_deref().map(Into::into);
            Arc::new(Stamp { operation: origin.operation.clone(), transaction, principal: origin.principal() })
        });
        self.append(Change { stamp: Some(stamp), ..change })
    }

    /// Makes entries next to each other that say the same share one stamp (a log read
    /// back from storage has one each).
    pub fn share_stamps(&mut self) {
        let mut last: Option<Arc<Stamp>> = None;
        for c in self.entries.iter_mut() {
            match (&last, &c.stamp) {
                (Some(l), Some(s)) if l == s => c.stamp = Some(Arc::clone(l)),
                _ => last.clone_from(&c.stamp),
            }
        }
    }

    /// Drops the entries committed before `before_ms`.
    pub fn trim(&mut self, before_ms: u64) -> usize {
        let n = self.entries.iter().take_while(|c| c.at_ms < before_ms).count();
        self.entries.drain(..n);
        // A log that has shrunk to a quarter of its room gives half of it back: a day
        // after a bulk load the room it grew into would otherwise stay (about 150 bytes
        // an item at 100,000 items), and halving only then keeps the copies rare.
        let kept = self.entries.len().max(64);
        if self.entries.capacity() > 4 * kept {
            self.entries.shrink_to(2 * kept);
        }
        n
    }

    /// The oldest sequence number still kept (the next one when the log is empty).
    pub fn first_seq(&self) -> u64 {
        self.entries.front().map_or(self.next_seq, |c| c.seq)
    }

    /// The entry numbered `seq`, if it is still kept.
    pub fn get(&self, seq: u64) -> Option<&Change> {
        let i = self.entries.partition_point(|c| c.seq < seq);
        self.entries.get(i).filter(|c| c.seq == seq)
    }

    /// Entries with sequence numbers in `from..to`, in order.
    pub fn range(&self, from: u64, to: u64) -> impl Iterator<Item = &Change> {
        self.since(from).take_while(move |c| c.seq < to)
    }

    /// Entries numbered `from` and after, in order, found without walking those before.
    pub fn since(&self, from: u64) -> vec_deque::Iter<'_, Change> {
        let start = self.entries.partition_point(|c| c.seq < from);
        self.entries.range(start..)
    }

    /// Entries committed at `ms` or later, in order: a suffix of the log, as times never
    /// decrease along it.
    pub fn committed_from(&self, ms: u64) -> vec_deque::Iter<'_, Change> {
        let start = self.entries.partition_point(|c| c.at_ms < ms);
        self.entries.range(start..)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::AttributeValue;

    fn change(at_ms: u64, before: Option<&str>, after: Option<&str>) -> Change {
        let item = |v: &str| Item::from([("k".to_string(), AttributeValue::S(v.into()))]);
        Change {
            seq: 0,
            at_ms,
            hash: 7,
            before: before.map(|v| item(v).into()),
            after: after.map(|v| item(v).into()),
            stamp: Some(Arc::new(Stamp {
                operation: "PutItem".into(),
                transaction: None,
                principal: Principal::Caller,
            })),
        }
    }

    #[test]
    fn numbers_changes_skips_no_ops_and_trims_by_age() {
        let mut log = ChangeLog::default();
        assert_eq!(log.append(change(10, None, Some("a"))).map(|c| (c.seq, c.event_name())), Some((1, "INSERT")));
        assert!(log.append(change(20, Some("a"), Some("a"))).is_none(), "the same item again changes nothing");
        assert_eq!(log.append(change(30, Some("a"), Some("b"))).map(|c| (c.seq, c.event_name())), Some((2, "MODIFY")));
        assert_eq!(log.append(change(40, Some("b"), None)).map(|c| (c.seq, c.event_name())), Some((3, "REMOVE")));
        let seqs = |from, to| log.range(from, to).map(|c| c.seq).collect::<Vec<_>>();
        assert_eq!((seqs(2, 10), seqs(1, 2), seqs(4, 9)), (vec![2, 3], vec![1], vec![]));
        assert_eq!((log.get(2).map(|c| c.seq), log.get(4)), (Some(2), None));
        assert_eq!(log.trim(30), 1);
        assert_eq!((log.first_seq(), log.next_seq), (2, 4));
        assert_eq!(log.trim(u64::MAX), 2);
        assert_eq!(log.first_seq(), 4, "an empty log starts where the next change will");
    }

    #[test]
    fn a_log_trimmed_to_a_quarter_of_its_room_gives_room_back() {
        let mut log = ChangeLog::default();
        for at in 0..10_000 {
            log.append(change(at, None, Some(&at.to_string())));
        }
        let grown = log.entries.capacity();
        assert!(grown >= 10_000);
        log.trim(9_000);
        assert_eq!(log.entries.len(), 1_000);
        assert!(log.entries.capacity() <= 2_000, "room for {} after the trim", log.entries.capacity());
        let room = log.entries.capacity();
        log.trim(9_400);
        assert_eq!(log.entries.capacity(), room, "a log still more than a quarter full keeps its room");
        assert_eq!(log.first_seq(), 9_401);
    }

    #[test]
    fn changes_made_alike_share_one_stamp() {
        assert_eq!(std::mem::size_of::<Change>(), 48, "six words a change");
        let mut log = ChangeLog::default();
        let put = Origin { operation: "PutItem".into(), ..Origin::default() };
        let tx = Origin { operation: "TransactWriteItems".into(), transaction: Some("t1".into()), ..Origin::default() };
        let ttl =
            Origin { operation: "TimeToLive".into(), principal: Some(Principal::TtlService), ..Origin::default() };
        for (at, origin) in [(1, &put), (2, &put), (3, &tx), (4, &tx), (5, &ttl), (6, &put)] {
            log.append_from(
                origin,
                Change::new(
                    7,
                    None,
                    Some(PackedItem::from(Item::from([(
                        "k",
                        AttributeValue::N(crate::value::Number::parse(&at.to_string()).unwrap()),
                    )]))),
                    at,
                ),
            );
        }
        let said: Vec<_> = log.entries.iter().map(|c| (c.operation(), c.transaction(), c.principal())).collect();
        assert_eq!(said[2], ("TransactWriteItems", Some("t1"), Principal::Caller));
        assert_eq!(said[4], ("TimeToLive", None, Principal::TtlService));
        let stamp = |log: &ChangeLog, i: usize| log.entries[i].stamp.clone().unwrap();
        let stamp = |i: usize| stamp(&log, i);
        assert!(Arc::ptr_eq(&stamp(0), &stamp(1)) && Arc::ptr_eq(&stamp(2), &stamp(3)));
        assert!(!Arc::ptr_eq(&stamp(1), &stamp(2)) && !Arc::ptr_eq(&stamp(0), &stamp(5)));
        assert_eq!(stamp(0), stamp(5), "the same words, a new stamp after others");
        // Read back, each has its own until shared again.
        for c in log.entries.iter_mut() {
            c.stamp = c.stamp.as_deref().cloned().map(Arc::new);
        }
        log.share_stamps();
        let stamp = |i: usize| log.entries[i].stamp.clone().unwrap();
        assert!(Arc::ptr_eq(&stamp(0), &stamp(1)) && Arc::ptr_eq(&stamp(2), &stamp(3)));
        assert!(!Arc::ptr_eq(&stamp(3), &stamp(4)));
    }
}
