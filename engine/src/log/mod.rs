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

use std::sync::Arc;

mod runs;
pub use runs::{ChangeLog, Logged};

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

/// One item change. Its sequence number is not kept in it but told by its place in the
/// log ([`Logged`]): at 100,000 logged writes a number in each cost 0.8 MB.
#[derive(Clone, Debug, PartialEq)]
pub struct Change {
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
    /// not yet stamped with its origin.
    pub fn new(hash: u64, before: Option<PackedItem>, after: Option<PackedItem>, at_ms: u64) -> Change {
        Change { at_ms, hash, before, after, stamp: None }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::AttributeValue;

    fn change(at_ms: u64, before: Option<&str>, after: Option<&str>) -> Change {
        let item = |v: &str| Item::from([("k".to_string(), AttributeValue::S(v.into()))]);
        Change {
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
    fn changes_made_alike_share_one_stamp() {
        assert_eq!(std::mem::size_of::<Change>(), 40, "five words a change");
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
        let said: Vec<_> =
            log.iter().map(|c| c.change).map(|c| (c.operation(), c.transaction(), c.principal())).collect();
        assert_eq!(said[2], ("TransactWriteItems", Some("t1"), Principal::Caller));
        assert_eq!(said[4], ("TimeToLive", None, Principal::TtlService));
        let stamps = |log: &ChangeLog| log.iter().map(|c| c.stamp.clone().unwrap()).collect::<Vec<_>>();
        let stamp = stamps(&log);
        assert!(Arc::ptr_eq(&stamp[0], &stamp[1]) && Arc::ptr_eq(&stamp[2], &stamp[3]));
        assert!(!Arc::ptr_eq(&stamp[1], &stamp[2]) && !Arc::ptr_eq(&stamp[0], &stamp[5]));
        assert_eq!(stamp[0], stamp[5], "the same words, a new stamp after others");
        // Read back, each has its own until shared again.
        for c in log.changes_mut() {
            c.stamp = c.stamp.as_deref().cloned().map(Arc::new);
        }
        log.share_stamps();
        let stamp = stamps(&log);
        assert!(Arc::ptr_eq(&stamp[0], &stamp[1]) && Arc::ptr_eq(&stamp[2], &stamp[3]));
        assert!(!Arc::ptr_eq(&stamp[3], &stamp[4]));
    }
}
