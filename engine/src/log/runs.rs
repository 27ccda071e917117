//! A table's log kept in runs: each run holds changes with consecutive sequence numbers,
//! so a change's number is its run's first plus its place and is not kept in it, and the
//! log grows a run at a time instead of by doubling one buffer. A buffer that doubles
//! holds up to twice its changes (at 100,000 changes, room for 131,072) and, while it
//! copies itself, both buffers at once; in WebAssembly, whose memory never shrinks, that
//! moment is what a tab keeps. A gap in the numbers (a log read back from a damaged
//! store) only starts a new run.
//!
//! A run keeps a change's time as 4 bytes past its first change's (a change over 49 days
//! later starts a new run), and a stamp once for the changes in a row that share it (a
//! run of PutItems, a batch), so a change costs the log 28 bytes (20 in WebAssembly)
//! where it cost 40 as one struct.

use std::collections::VecDeque;
use std::ops::Deref;
use std::sync::Arc;

use super::{said, Change, Kept, Origin, Principal, Stamp};

/// The most changes a run holds: 28 KiB of them (20 in WebAssembly). A run grows to it by
/// doubling, so a table with a few changes (or a run after a gap) keeps room for a few.
const RUN: usize = 1024;

/// A change as its log holds it: with its sequence number, time and stamp.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Logged<'a> {
    /// Increases by one with every change to the table, never reused.
    pub seq: u64,
    /// Engine time of the commit.
    pub at_ms: u64,
    pub stamp: Option<&'a Arc<Stamp>>,
    pub change: &'a Kept,
}

impl Deref for Logged<'_> {
    type Target = Kept;

    fn deref(&self) -> &Kept {
        self.change
    }
}

impl<'a> Logged<'a> {
    /// Who made the change.
    pub fn principal(&self) -> Principal {
        said(self.stamp).principal
    }

    /// The operation that made the change (`PutItem`, `TimeToLive`, …).
    pub fn operation(&self) -> &'a str {
        said(self.stamp).operation
    }

    /// The transaction the change belonged to, if any.
    pub fn transaction(&self) -> Option<&'a str> {
        said(self.stamp).transaction
    }

    /// The change, owned (its images and stamp shared).
    pub fn to_change(&self) -> Change {
        Change { at_ms: self.at_ms, stamp: self.stamp.cloned(), kept: self.change.clone() }
    }
}

/// Changes numbered `first_seq`, `first_seq + 1`, …; never empty in a log. A change's time
/// is `base_ms` plus its offset, and its stamp the last one starting at or before it.
#[derive(Clone, Debug)]
struct Run {
    first_seq: u64,
    base_ms: u64,
    offsets: Vec<u32>,
    changes: Vec<Kept>,
    /// Where each stamp starts (a place in the run), in order; the first at 0.
    stamps: Vec<(u32, Option<Arc<Stamp>>)>,
}

impl Run {
    /// A run of `change` alone, numbered `seq`; `last` is the stamp before it, shared
    /// when it says the same.
    fn new(seq: u64, change: Change, last: Option<&Option<Arc<Stamp>>>) -> Run {
        let stamp = match last {
            Some(l) if *l == change.stamp => l.clone(),
            _ => change.stamp,
        };
        let mut changes = Vec::with_capacity(4);
        changes.push(change.kept);
        let mut offsets = Vec::with_capacity(4);
        offsets.push(0);
        Run { first_seq: seq, base_ms: change.at_ms, offsets, changes, stamps: vec![(0, stamp)] }
    }

    /// The number after its last change's.
    fn end_seq(&self) -> u64 {
        self.first_seq.saturating_add(self.changes.len() as u64)
    }

    /// The time of the change at place `i`.
    fn at(&self, i: usize) -> u64 {
        self.base_ms.saturating_add(self.offsets.get(i).copied().map_or(0, u64::from))
    }

    /// The stamp the change at place `i` carries.
    fn stamp(&self, i: usize) -> Option<&Arc<Stamp>> {
        let s = self.stamps.partition_point(|(from, _)| *from as usize <= i);
        self.stamps.get(s.checked_sub(1)?).and_then(|(_, stamp)| stamp.as_ref())
    }

    fn last_stamp(&self) -> Option<&Option<Arc<Stamp>>> {
        self.stamps.last().map(|(_, stamp)| stamp)
    }

    /// Adds `change` last, or gives it back: the run is full, or `seq` does not follow
    /// on, or its time cannot be told as an offset from the run's first.
    fn push(&mut self, seq: u64, change: Change) -> Result<(), Change> {
        let offset = change.at_ms.checked_sub(self.base_ms).and_then(|o| u32::try_from(o).ok());
        let (Some(offset), true) = (offset, self.end_seq() == seq && self.changes.len() < RUN) else {
            return Err(change);
        };
        if self.changes.len() == self.changes.capacity() {
            let more = self.changes.len().clamp(4, RUN - self.changes.len());
            self.changes.reserve_exact(more);
            self.offsets.reserve_exact(more);
        }
        if self.last_stamp() != Some(&change.stamp) {
            self.stamps.push((self.changes.len() as u32, change.stamp));
        }
        self.changes.push(change.kept);
        self.offsets.push(offset);
        Ok(())
    }

    /// Drops its first `n` changes (fewer than it has).
    fn drop_first(&mut self, n: usize) {
        self.changes.drain(..n);
        self.offsets.drain(..n);
        self.first_seq = self.first_seq.saturating_add(n as u64);
        let keep = self.stamps.partition_point(|(from, _)| *from as usize <= n).saturating_sub(1);
        self.stamps.drain(..keep);
        for (from, _) in &mut self.stamps {
            *from = from.saturating_sub(n as u32);
        }
    }

    /// The change at place `i`, numbered.
    fn logged(&self, i: usize) -> Option<Logged<'_>> {
        let change = self.changes.get(i)?;
        Some(Logged { seq: self.first_seq.saturating_add(i as u64), at_ms: self.at(i), stamp: self.stamp(i), change })
    }

    /// Its changes from place `lo` up to `hi`, numbered.
    fn between(&self, lo: usize, hi: usize) -> impl DoubleEndedIterator<Item = Logged<'_>> + Clone {
        let hi = hi.min(self.changes.len());
        (lo.min(hi)..hi).filter_map(|i| self.logged(i))
    }

    /// Its changes, owned, numbered.
    fn into_changes(self) -> impl Iterator<Item = (u64, Change)> {
        let Run { first_seq, base_ms, offsets, changes, stamps } = self;
        let mut stamps = stamps.into_iter().peekable();
        let mut stamp = None;
        changes.into_iter().zip(offsets).enumerate().map(move |(i, (kept, offset))| {
            while let Some((_, s)) = stamps.next_if(|(from, _)| *from as usize <= i) {
                stamp = s;
            }
            let at_ms = base_ms.saturating_add(u64::from(offset));
            (first_seq.saturating_add(i as u64), Change { at_ms, stamp: stamp.clone(), kept })
        })
    }
}

/// One table's log. Its entries are in sequence order, and so in time order: an entry is
/// stamped with the engine clock, which never goes back.
#[derive(Clone, Debug)]
pub struct ChangeLog {
    /// The sequence number the next change gets.
    pub next_seq: u64,
    runs: VecDeque<Run>,
}

impl Default for ChangeLog {
    fn default() -> ChangeLog {
        ChangeLog { next_seq: 1, runs: VecDeque::new() }
    }
}

/// Equal when they hold the same numbered changes, however they are split into runs.
impl PartialEq for ChangeLog {
    fn eq(&self, other: &ChangeLog) -> bool {
        self.next_seq == other.next_seq && self.iter().eq(other.iter())
    }
}

impl ChangeLog {
    /// Appends a change and returns it; `None` when it changes nothing.
    pub fn append(&mut self, change: Change) -> Option<Logged<'_>> {
        if change.before == change.after {
            return None;
        }
        let seq = self.next_seq;
        self.push(seq, change).ok()?;
        self.last()
    }

    /// Appends a change as made by the request `origin`: its stamp is the last entry's
    /// when that says the same, else a new one.
    pub fn append_from(&mut self, origin: &Origin, change: Change) -> Option<Logged<'_>> {
        let last = self.last().and_then(|c| c.stamp).filter(|s| origin.made(s));
        let stamp = last.map(Arc::clone).unwrap_or_else(|| {
            let transaction = origin.transaction.as_deref().map(Into::into);
            Arc::new(Stamp { operation: origin.operation.clone(), transaction, principal: origin.principal() })
        });
        self.append(Change { stamp: Some(stamp), ..change })
    }

    /// Puts `change` last as number `seq`, which must be past every kept change's; the
    /// next change gets a number past it. Returns the change back when `seq` is not.
    pub fn push(&mut self, seq: u64, change: Change) -> Result<(), Change> {
        if self.last().is_some_and(|last| last.seq >= seq) {
            return Err(change);
        }
        self.next_seq = self.next_seq.max(seq.saturating_add(1));
        let change = match self.runs.back_mut() {
            Some(run) => match run.push(seq, change) {
                Ok(()) => return Ok(()),
                Err(change) => change,
            },
            None => change,
        };
        let run = Run::new(seq, change, self.runs.back().and_then(Run::last_stamp));
        self.runs.push_back(run);
        Ok(())
    }

    /// Its changes, numbered, taken out in order.
    pub fn into_changes(self) -> impl Iterator<Item = (u64, Change)> {
        self.runs.into_iter().flat_map(Run::into_changes)
    }

    /// Its changes' images, in order, to change in place.
    pub fn changes_mut(&mut self) -> impl Iterator<Item = &mut Kept> {
        self.runs.iter_mut().flat_map(|run| run.changes.iter_mut())
    }

    /// Drops the entries committed before `before_ms`; a run all of whose entries go is
    /// given back whole.
    pub fn trim(&mut self, before_ms: u64) -> usize {
        let mut dropped = 0;
        while let Some(run) = self.runs.front_mut() {
            let n = (0..run.changes.len()).take_while(|i| run.at(*i) < before_ms).count();
            dropped += n;
            if n < run.changes.len() {
                run.drop_first(n);
                break;
            }
            self.runs.pop_front();
        }
        dropped
    }

    /// How many entries it keeps.
    pub fn len(&self) -> usize {
        self.runs.iter().map(|run| run.changes.len()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.runs.is_empty()
    }

    /// How many entries numbered `from` and after it keeps.
    pub fn count_since(&self, from: u64) -> usize {
        let (r, i) = self.position(from);
        self.runs.range(r.min(self.runs.len())..).map(|run| run.changes.len()).sum::<usize>().saturating_sub(i)
    }

    /// The changes it has room for: what its memory holds, at 28 bytes a change (20 in
    /// WebAssembly).
    pub fn room(&self) -> usize {
        self.runs.iter().map(|run| run.changes.capacity()).sum()
    }

    /// The oldest sequence number still kept (the next one when the log is empty).
    pub fn first_seq(&self) -> u64 {
        self.runs.front().map_or(self.next_seq, |run| run.first_seq)
    }

    /// The oldest entry kept.
    pub fn first(&self) -> Option<Logged<'_>> {
        self.iter().next()
    }

    /// The newest entry.
    pub fn last(&self) -> Option<Logged<'_>> {
        self.runs.back().and_then(|run| run.logged(run.changes.len().checked_sub(1)?))
    }

    /// The entry numbered `seq`, if it is still kept.
    pub fn get(&self, seq: u64) -> Option<Logged<'_>> {
        self.since(seq).next().filter(|c| c.seq == seq)
    }

    /// Every entry, in order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = Logged<'_>> + Clone {
        self.between((0, 0), self.end())
    }

    /// Entries numbered `from` and after, in order, found without walking those before.
    pub fn since(&self, from: u64) -> impl DoubleEndedIterator<Item = Logged<'_>> + Clone {
        self.between(self.position(from), self.end())
    }

    /// Entries with sequence numbers in `from..to`, in order.
    pub fn range(&self, from: u64, to: u64) -> impl DoubleEndedIterator<Item = Logged<'_>> + Clone {
        self.between(self.position(from), self.position(to))
    }

    /// Entries committed at `ms` or later, in order: a suffix of the log, as times never
    /// decrease along it.
    pub fn committed_from(&self, ms: u64) -> impl DoubleEndedIterator<Item = Logged<'_>> + Clone {
        self.between(self.position_at(ms), self.end())
    }

    /// Entries committed in `from_ms..to_ms`, in order.
    pub fn committed_between(&self, from_ms: u64, to_ms: u64) -> impl DoubleEndedIterator<Item = Logged<'_>> + Clone {
        self.between(self.position_at(from_ms), self.position_at(to_ms))
    }

    /// Where the first entry numbered `seq` or after is: (run, place in it).
    fn position(&self, seq: u64) -> (usize, usize) {
        let r = self.runs.partition_point(|run| run.end_seq() <= seq);
        let i = self.runs.get(r).map_or(0, |run| usize::try_from(seq.saturating_sub(run.first_seq)).unwrap_or(0));
        (r, i)
    }

    /// Where the first entry committed at `ms` or later is.
    fn position_at(&self, ms: u64) -> (usize, usize) {
        let r = self.runs.partition_point(|run| run.changes.len().checked_sub(1).is_some_and(|i| run.at(i) < ms));
        let i = self
            .runs
            .get(r)
            .map_or(0, |run| run.offsets.partition_point(|o| run.base_ms.saturating_add(u64::from(*o)) < ms));
        (r, i)
    }

    /// Past the last entry.
    fn end(&self) -> (usize, usize) {
        (self.runs.len(), 0)
    }

    /// The entries from position `start` up to (not including) `end`.
    fn between(
        &self,
        (r0, i0): (usize, usize),
        (r1, i1): (usize, usize),
    ) -> impl DoubleEndedIterator<Item = Logged<'_>> + Clone {
        let last = r1.saturating_add(1).min(self.runs.len()).max(r0);
        self.runs.range(r0.min(last)..last).enumerate().flat_map(move |(j, run)| {
            let r = r0.saturating_add(j);
            let lo = if r == r0 { i0 } else { 0 };
            let hi = if r == r1 { i1 } else { run.changes.len() };
            run.between(lo, hi)
        })
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::value::{AttributeValue, Item, PackedItem};

    fn change(at_ms: u64) -> Change {
        let item = Item::from([("k".to_string(), AttributeValue::S(at_ms.to_string().into()))]);
        Change::new(7, None, Some(PackedItem::from(item)), at_ms)
    }

    /// A change stamped as made by `operation`.
    fn made_by(at_ms: u64, operation: &str) -> Change {
        let stamp = Stamp { operation: operation.into(), transaction: None, principal: Principal::Caller };
        Change { stamp: Some(Arc::new(stamp)), ..change(at_ms) }
    }

    const OPERATIONS: [&str; 3] = ["PutItem", "DeleteItem", "UpdateItem"];

    #[derive(Clone, Debug)]
    enum Step {
        /// Appends this many changes, each this much later, made by this operation.
        Append(usize, u64, usize),
        /// Skips this many numbers (a gap, as a damaged store has).
        Gap(u64),
        /// Trims what is older than this far back from the newest.
        Trim(u64),
    }

    fn step() -> impl Strategy<Value = Step> {
        prop_oneof![
            4 => (1..2_500usize, 0..3u64, 0..3usize).prop_map(|(n, dt, op)| Step::Append(n, dt, op)),
            // Past what a run tells as an offset from its first change's time.
            1 => (1..5usize, Just(1u64 << 32), 0..3usize).prop_map(|(n, dt, op)| Step::Append(n, dt, op)),
            1 => (1..5u64).prop_map(Step::Gap),
            2 => (0..4_000u64).prop_map(Step::Trim),
        ]
    }

    proptest! {
        /// Runs are invisible: the log reads as the list of (number, time) it was given.
        #[test]
        fn a_log_in_runs_reads_as_one_list(steps in prop::collection::vec(step(), 1..8), probes in prop::collection::vec(0..12_000u64, 4)) {
            let (mut log, mut model, mut ops) = (ChangeLog::default(), Vec::<(u64, u64)>::new(), Vec::new());
            let mut now = 0;
            for s in steps {
                match s {
                    Step::Append(n, dt, op) => for _ in 0..n {
                        now += dt;
                        let op = OPERATIONS[op];
                        let seq = log.append(made_by(now, op)).map(|c| c.seq);
                        prop_assert_eq!(seq, Some(model.last().map_or(log.first_seq(), |l| l.0 + 1).max(seq.unwrap_or(0))));
                        model.push((seq.unwrap_or(0), now));
                        ops.push(op);
                    },
                    Step::Gap(n) => log.next_seq += n,
                    Step::Trim(back) => {
                        let before = now.saturating_sub(back);
                        let n = model.iter().take_while(|m| m.1 < before).count();
                        prop_assert_eq!(log.trim(before), n);
                        model.drain(..n);
                        ops.drain(..n);
                    }
                }
                let all: Vec<(u64, u64)> = log.iter().map(|c| (c.seq, c.at_ms)).collect();
                prop_assert_eq!(&all, &model);
                prop_assert!(log.iter().map(|c| c.operation()).eq(ops.iter().copied()), "every change keeps its stamp");
                let back: Vec<(u64, u64)> = log.iter().rev().map(|c| (c.seq, c.at_ms)).collect();
                prop_assert!(back.iter().rev().eq(model.iter()));
                prop_assert_eq!(log.len(), model.len());
                // A run holds at most twice its changes, and the oldest one what it held.
                prop_assert!(log.room() <= 2 * model.len() + RUN + 4 * 16, "room for {} of {}", log.room(), model.len());
            }
            for &p in &probes {
                let seqs = |it: &mut dyn Iterator<Item = Logged<'_>>| it.map(|c| c.seq).collect::<Vec<_>>();
                let want = |f: &dyn Fn(&(u64, u64)) -> bool| model.iter().filter(|m| f(m)).map(|m| m.0).collect::<Vec<_>>();
                prop_assert_eq!(seqs(&mut log.since(p)), want(&|m| m.0 >= p));
                prop_assert_eq!(log.count_since(p), want(&|m| m.0 >= p).len());
                prop_assert_eq!(seqs(&mut log.range(p, p + 700)), want(&|m| m.0 >= p && m.0 < p + 700));
                prop_assert_eq!(seqs(&mut log.range(p, p + 700).rev()).len(), want(&|m| m.0 >= p && m.0 < p + 700).len());
                prop_assert_eq!(seqs(&mut log.committed_from(p)), want(&|m| m.1 >= p));
                prop_assert_eq!(seqs(&mut log.committed_between(p, p + 900)), want(&|m| m.1 >= p && m.1 < p + 900));
                prop_assert_eq!(log.get(p).map(|c| (c.seq, c.at_ms)), model.iter().find(|m| m.0 == p).copied());
            }
            prop_assert_eq!(log.first_seq(), model.first().map_or(log.next_seq, |m| m.0));
            prop_assert_eq!(log.last().map(|c| c.seq), model.last().map(|m| m.0));
            let out: Vec<(u64, u64, &str)> = log.clone().into_changes().map(|(seq, c)| (seq, c.at_ms, OPERATIONS.into_iter().find(|o| *o == c.operation()).unwrap_or(""))).collect();
            prop_assert!(out.iter().map(|o| (o.0, o.1)).eq(model.iter().copied()));
            prop_assert!(out.iter().map(|o| o.2).eq(ops.iter().copied()), "taken out with their stamps");
        }
    }

    #[test]
    fn changes_in_a_row_made_alike_keep_one_stamp_and_a_trim_keeps_the_stamp_it_cuts_into() {
        let mut log = ChangeLog::default();
        for (at, op) in [(1, "PutItem"), (2, "PutItem"), (3, "DeleteItem"), (4, "DeleteItem"), (5, "PutItem")] {
            log.append(made_by(at, op));
        }
        let run =
            |log: &ChangeLog| log.runs.front().map(|r| r.stamps.iter().map(|(from, _)| *from).collect::<Vec<_>>());
        assert_eq!(run(&log), Some(vec![0, 2, 4]), "three stamps for five changes");
        log.trim(4);
        assert_eq!(run(&log), Some(vec![0, 1]));
        assert_eq!(log.iter().map(|c| (c.seq, c.operation())).collect::<Vec<_>>(), [(4, "DeleteItem"), (5, "PutItem")]);
    }

    #[test]
    fn a_time_a_run_cannot_tell_from_its_first_starts_a_run() {
        let mut log = ChangeLog::default();
        let late = 10 + u64::from(u32::MAX) + 1;
        for at in [10, 10 + u64::from(u32::MAX), late, late - 1] {
            log.append(change(at));
        }
        // The last went back in time (only a damaged store does that): it starts a run too.
        assert_eq!(log.runs.iter().map(|r| r.changes.len()).collect::<Vec<_>>(), [2, 1, 1]);
        assert_eq!(log.iter().map(|c| c.at_ms).collect::<Vec<_>>(), [10, 10 + u64::from(u32::MAX), late, late - 1]);
        assert_eq!(log.committed_from(late).map(|c| c.seq).collect::<Vec<_>>(), [3, 4]);
    }

    #[test]
    fn a_change_pushed_out_of_order_is_given_back() {
        let mut log = ChangeLog::default();
        assert!(log.push(5, change(1)).is_ok());
        assert!(log.push(5, change(2)).is_err() && log.push(3, change(2)).is_err());
        assert!(log.push(9, change(3)).is_ok(), "a gap starts a run");
        assert_eq!(log.iter().map(|c| c.seq).collect::<Vec<_>>(), [5, 9]);
        assert_eq!((log.get(7), log.next_seq), (None, 10));
    }

    #[test]
    fn a_long_log_has_room_for_its_changes_and_at_most_one_run_more() {
        let mut log = ChangeLog::default();
        for at in 0..100_000 {
            log.append(change(at));
        }
        assert!(log.room() < 100_000 + RUN, "room for {}", log.room());
        assert_eq!((log.len(), log.first_seq(), log.next_seq), (100_000, 1, 100_001));
    }

    #[test]
    fn logs_split_into_runs_differently_are_equal() {
        let (mut a, mut b) = (ChangeLog::default(), ChangeLog::default());
        for at in 0..3 * RUN as u64 {
            a.append(change(at));
            b.append(change(at));
        }
        a.trim(10);
        let mut c = ChangeLog::default();
        for (seq, change) in a.clone().into_changes() {
            c.push(seq, change).unwrap();
        }
        b.trim(10);
        assert_eq!((a == b, a == c), (true, true));
        c.trim(11);
        assert_ne!(a, c);
    }
}
