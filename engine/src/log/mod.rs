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
/// PutItems) share one ([`ChangeLog::append_from`]), kept once for them in the log: at
/// 100,000 logged writes a copy in each cost about 4 MB, and the principal beside it
/// 0.8 MB more (a change was 48 bytes), and a pointer to it in each 0.8 MB.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stamp {
    pub operation: compact_str::CompactString,
    pub transaction: Option<Box<str>>,
    pub principal: Principal,
}

/// One item change, as a request makes it and a reader takes it out of the log. The log
/// keeps its parts apart ([`ChangeLog`]): the [`Kept`] part in a list, the time as an
/// offset from its run's first, and the stamp once for the changes in a row that share it.
#[derive(Clone, Debug, PartialEq)]
pub struct Change {
    /// Engine time of the commit.
    pub at_ms: u64,
    /// `None` until the change is logged.
    pub stamp: Option<Arc<Stamp>>,
    pub kept: Kept,
}

/// What the log keeps of a change in its list: 24 bytes (16 in WebAssembly). The time
/// and the stamp are kept beside it ([`ChangeLog`]): in the change itself they made it 40
/// bytes, 4 MB at 100,000 logged writes.
#[derive(Clone, Debug, PartialEq)]
pub struct Kept {
    /// The partition-key hash (where the change falls in the hash space).
    pub hash: u64,
    /// The item's images, shared with the table (and the next change) that hold them too.
    /// At least one is present (a change that changes nothing is not logged); the item's
    /// key is read from them ([`Kept::key`]), not kept a third time: at 100,000 logged
    /// writes a key of its own cost about 11 MB.
    pub before: Option<PackedItem>,
    pub after: Option<PackedItem>,
}

impl std::ops::Deref for Change {
    type Target = Kept;

    fn deref(&self) -> &Kept {
        &self.kept
    }
}

impl std::ops::DerefMut for Change {
    fn deref_mut(&mut self) -> &mut Kept {
        &mut self.kept
    }
}

impl Change {
    /// A change of the item whose partition key hashes to `hash`, at engine time `at_ms`,
    /// not yet stamped with its origin.
    pub fn new(hash: u64, before: Option<PackedItem>, after: Option<PackedItem>, at_ms: u64) -> Change {
        Change { at_ms, stamp: None, kept: Kept { hash, before, after } }
    }

    /// Who made the change (the caller until it is logged).
    pub fn principal(&self) -> Principal {
        said(self.stamp.as_ref()).principal
    }

    /// The operation that made the change (`PutItem`, `TimeToLive`, …).
    pub fn operation(&self) -> &str {
        said(self.stamp.as_ref()).operation
    }

    /// The transaction the change belonged to, if any.
    pub fn transaction(&self) -> Option<&str> {
        said(self.stamp.as_ref()).transaction
    }
}

/// What a stamp says, or what no stamp does (the caller, no operation yet).
struct Said<'s> {
    operation: &'s str,
    transaction: Option<&'s str>,
    principal: Principal,
}

fn said(stamp: Option<&Arc<Stamp>>) -> Said<'_> {
    match stamp {
        Some(s) => Said { operation: &s.operation, transaction: s.transaction.as_deref(), principal: s.principal },
        None => Said { operation: "", transaction: None, principal: Principal::Caller },
    }
}

impl Kept {
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
        let stamp = Stamp { operation: "PutItem".into(), transaction: None, principal: Principal::Caller };
        let change = Change::new(7, before.map(|v| item(v).into()), after.map(|v| item(v).into()), at_ms);
        Change { stamp: Some(Arc::new(stamp)), ..change }
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
        assert_eq!(std::mem::size_of::<Kept>(), 24, "three words a change, its time and stamp kept apart");
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
        let said: Vec<_> = log.iter().map(|c| (c.operation(), c.transaction(), c.principal())).collect::<Vec<_>>();
        assert_eq!(said[2], ("TransactWriteItems", Some("t1"), Principal::Caller));
        assert_eq!(said[4], ("TimeToLive", None, Principal::TtlService));
        let stamps = |log: &ChangeLog| log.iter().map(|c| c.stamp.cloned().unwrap()).collect::<Vec<_>>();
        let stamp = stamps(&log);
        assert!(Arc::ptr_eq(&stamp[0], &stamp[1]) && Arc::ptr_eq(&stamp[2], &stamp[3]));
        assert!(!Arc::ptr_eq(&stamp[1], &stamp[2]) && !Arc::ptr_eq(&stamp[0], &stamp[5]));
        assert_eq!(stamp[0], stamp[5], "the same words, a new stamp after others");
        // Read back, each has its own; the log shares them again as they come.
        let mut back = ChangeLog::default();
        for (seq, c) in log.into_changes() {
            let own = c.stamp.as_deref().cloned().map(Arc::new);
            back.push(seq, Change { stamp: own, ..c }).unwrap();
        }
        let stamp = stamps(&back);
        assert!(Arc::ptr_eq(&stamp[0], &stamp[1]) && Arc::ptr_eq(&stamp[2], &stamp[3]));
        assert!(!Arc::ptr_eq(&stamp[3], &stamp[4]));
    }
}
