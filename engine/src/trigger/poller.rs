//! The poller: reads a table's stream shard by shard, in order, and hands batches to a
//! handler as Lambda's event source mapping does.
//!
//! - A new trigger starts at each shard's oldest record (`TRIM_HORIZON`) or after the
//!   last change made before it (`LATEST`). A child shard waits until its parent is done.
//! - Records no filter admits are skipped. A batch holds up to `BatchSize` records; a
//!   smaller one waits for the batching window to pass (since its oldest record) unless
//!   its shard is closed.
//! - A failed batch blocks its shard and is retried at the next poll. With
//!   `BisectBatchOnFunctionError` it is split in two first, and each half is retried on its
//!   own (splitting does not count as a retry). A batch whose retries are spent, or whose
//!   oldest record is older than `MaximumRecordAgeInSeconds`, goes to the on-failure list
//!   and the shard moves on.
//! - A failed batch (or its halves) is retried after a backoff on the engine clock: 1 s
//!   after the first failure, doubling to at most 64 s ([`backoff_ms`]). Lambda documents
//!   an exponential backoff without its figures; these are ours.
//! - A poll runs up to [`BATCHES_PER_POLL`] batches per shard, one after another, and
//!   stops at a failure: Lambda reads on as soon as a batch succeeds.

use std::collections::{BTreeMap, VecDeque};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::event::lambda_event;
use super::mapping::{Mapping, StartingPosition};
use crate::log::{ChangeLog, Logged};
use crate::streams::{Shard, Stream};

/// The changes numbered `from` and after that `shard` holds, in order: the log is read
/// from `from` (found by binary search) up to the shard's end, not from its start.
fn held<'l>(log: &'l ChangeLog, shard: &'l Shard, from: u64) -> impl Iterator<Item = Logged<'l>> + 'l {
    let end = shard.end_seq.unwrap_or(u64::MAX);
    log.since(from.max(shard.first_seq)).take_while(move |c| c.seq < end).filter(move |c| shard.holds(c.hash, c.seq))
}

/// The stream a trigger reads, its table's change log, and the region records name.
#[derive(Clone, Copy)]
pub struct Source<'a> {
    pub stream: &'a Stream,
    pub log: &'a ChangeLog,
    pub region: &'a str,
}

/// What runs a batch: the trigger's function.
pub trait Handler {
    fn handle(&mut self, event: &Value) -> Result<(), String>;
}

/// One invocation, for the per-batch log.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Invocation {
    pub at_ms: u64,
    pub shard: String,
    /// Sequence numbers of the batch's records, in order.
    pub seqs: Vec<u64>,
    /// 0 for the first try.
    pub retry: u32,
    pub error: Option<String>,
}

/// A batch given up, as Lambda describes it to the on-failure destination.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Failure {
    pub at_ms: u64,
    pub shard: String,
    pub seqs: Vec<u64>,
    /// `RetryAttemptsExhausted` or `RecordAgeExceeded`.
    pub reason: String,
    pub error: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ShardState {
    /// The first sequence number not read yet.
    next_seq: u64,
    /// Batches waiting to be retried, front first, with the retries each has had.
    retrying: VecDeque<(Vec<u64>, u32)>,
    /// When the front batch may be retried (the backoff after a failure).
    #[serde(default)]
    retry_at_ms: u64,
}

/// How long after a failure a batch is retried: 1 s after the first, doubling up to 64 s.
pub fn backoff_ms(retry: u32) -> u64 {
    1000u64 << retry.min(6)
}

#[derive(Clone, Debug, PartialEq)]
pub struct Poller {
    pub mapping: Mapping,
    /// Where a shard seen for the first time starts (`LATEST`: the log's next number when
    /// the trigger was made).
    start_seq: Option<u64>,
    shards: BTreeMap<String, ShardState>,
    pub invocations: Vec<Invocation>,
    pub failures: Vec<Failure>,
}

/// What a poller has done, as stored: where each shard is, the batches waiting to be
/// retried, the last invocations and failures.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PollerState {
    start_seq: Option<u64>,
    shards: BTreeMap<String, ShardState>,
    invocations: Vec<Invocation>,
    failures: Vec<Failure>,
}

/// At most this many batches per shard in one poll.
pub const BATCHES_PER_POLL: usize = 10;

/// The per-batch log keeps this many invocations (and failures); older ones are dropped.
pub const KEPT: usize = 500;

impl Poller {
    /// The state to store.
    pub fn state(&self) -> PollerState {
        PollerState {
            start_seq: self.start_seq,
            shards: self.shards.clone(),
            invocations: self.invocations.clone(),
            failures: self.failures.clone(),
        }
    }

    /// A poller with `mapping` resumed from a stored state.
    pub fn resume(mapping: Mapping, state: PollerState) -> Poller {
        let PollerState { start_seq, shards, invocations, failures } = state;
        Poller { mapping, start_seq, shards, invocations, failures }
    }

    /// Whether a shard has records not read yet or a batch waiting to be retried.
    pub fn has_work(&self, src: Source) -> bool {
        self.backlog(src) > 0
    }

    /// How many records wait: not read yet, or in a batch waiting to be retried.
    pub fn backlog(&self, src: Source) -> usize {
        let unread = |shard: &Shard, from: u64| held(src.log, shard, from).count();
        src.stream
            .shards
            .iter()
            .map(|shard| match self.shards.get(&shard.id) {
                Some(s) => unread(shard, s.next_seq) + s.retrying.iter().map(|(seqs, _)| seqs.len()).sum::<usize>(),
                None => unread(shard, self.start_seq.unwrap_or(0)),
            })
            .sum()
    }

    /// Drops the oldest invocations and failures past [`KEPT`].
    fn trim(&mut self) {
        let excess = self.invocations.len().saturating_sub(KEPT);
        self.invocations.drain(..excess);
        let excess = self.failures.len().saturating_sub(KEPT);
        self.failures.drain(..excess);
    }

    pub fn new(mapping: Mapping, log: &ChangeLog) -> Poller {
        let start_seq = (mapping.starting_position == StartingPosition::Latest).then_some(log.next_seq);
        Poller { mapping, start_seq, shards: BTreeMap::new(), invocations: Vec::new(), failures: Vec::new() }
    }

    /// Runs at most one batch on each shard that has one ready at `now_ms`; says how many
    /// it ran.
    pub fn poll(&mut self, src: Source, now_ms: u64, handler: &mut dyn Handler) -> usize {
        let mut ran = 0;
        for shard in &src.stream.shards {
            if !self.parent_done(src, shard) {
                continue;
            }
            let start = self.start_seq.map_or(shard.first_seq, |s| s.max(shard.first_seq));
            self.shards
                .entry(shard.id.clone())
                .or_insert_with(|| ShardState { next_seq: start, ..ShardState::default() });
            for _ in 0..BATCHES_PER_POLL {
                let Some(batch) = self.next_batch(src, shard, now_ms) else { break };
                ran += 1;
                if !self.run(src, shard, now_ms, batch, handler) {
                    break;
                }
            }
        }
        ran
    }

    /// Whether `shard`'s parent (if any) is closed and every record in it is processed.
    fn parent_done(&self, src: Source, shard: &Shard) -> bool {
        let Some(parent) = shard.parent.as_ref().and_then(|p| src.stream.shard(p)) else { return true };
        if parent.is_open() {
            return false;
        }
        match self.shards.get(&parent.id) {
            Some(s) => s.retrying.is_empty() && held(src.log, parent, s.next_seq).next().is_none(),
            // A parent not visited yet is done only if it holds nothing the trigger reads.
            None => held(src.log, parent, self.start_seq.unwrap_or(0)).next().is_none(),
        }
    }

    /// The batch to run on `shard` now: the front of its retries, else the next records
    /// the filters admit (skipping the others), once the batch is full, its window has
    /// passed or its shard is closed.
    fn next_batch(&mut self, src: Source, shard: &Shard, now: u64) -> Option<(Vec<u64>, u32)> {
        let state = self.shards.get_mut(&shard.id)?;
        if let Some(front) = state.retrying.front() {
            return (now >= state.retry_at_ms).then(|| front.clone());
        }
        let mut batch: Vec<Logged> = Vec::new();
        let mut last_read = None;
        for c in held(src.log, shard, state.next_seq) {
            if batch.len() == self.mapping.batch_size {
                break;
            }
            last_read = Some(c.seq);
            let record = super::event::record(src.stream, c, src.region);
            if self.mapping.admits(&record) {
                batch.push(c);
            }
        }
        let Some(first) = batch.first() else {
            // Everything read was filtered out: move past it.
            if let Some(seq) = last_read {
                state.next_seq = seq + 1;
            }
            return None;
        };
        let full = batch.len() == self.mapping.batch_size;
        let waited = now >= first.at_ms.saturating_add(self.mapping.batching_window_ms);
        if !(full || waited || !shard.is_open()) {
            return None;
        }
        state.next_seq = last_read.map_or(state.next_seq, |s| s + 1);
        Some((batch.iter().map(|c| c.seq).collect(), 0))
    }

    /// Invokes the handler on one batch and settles its outcome; says whether it succeeded.
    fn run(
        &mut self,
        src: Source,
        shard: &Shard,
        now: u64,
        (seqs, retry): (Vec<u64>, u32),
        handler: &mut dyn Handler,
    ) -> bool {
        // In the log's order, as the batch's numbers are.
        let changes: Vec<Logged> = seqs.iter().filter_map(|seq| src.log.get(*seq)).collect();
        let result = handler.handle(&lambda_event(src.stream, changes.iter().copied(), src.region));
        let invocation =
            Invocation { at_ms: now, shard: shard.id.clone(), seqs: seqs.clone(), retry, error: result.clone().err() };
        self.invocations.push(invocation);
        self.trim();
        let oldest = changes.first().map_or(now, |c| c.at_ms);
        let ok = result.is_ok();
        self.settle(shard, now, (seqs, retry), oldest, result);
        ok
    }

    /// After an invocation: done, retried (perhaps bisected), or given up.
    fn settle(
        &mut self,
        shard: &Shard,
        now: u64,
        (seqs, retry): (Vec<u64>, u32),
        oldest: u64,
        result: Result<(), String>,
    ) {
        let Some(state) = self.shards.get_mut(&shard.id) else { return };
        if retry > 0 || !state.retrying.is_empty() {
            state.retrying.pop_front();
        }
        let Err(error) = result else { return };
        let too_old = self.mapping.max_record_age_ms.is_some_and(|age| now.saturating_sub(oldest) > age);
        let spent = self.mapping.max_retry_attempts.is_some_and(|max| retry >= max);
        if too_old || spent {
            let reason = if too_old { "RecordAgeExceeded" } else { "RetryAttemptsExhausted" };
            self.failures.push(Failure { at_ms: now, shard: shard.id.clone(), seqs, reason: reason.into(), error });
        } else if self.mapping.bisect_on_error && seqs.len() > 1 {
            let (a, b) = seqs.split_at(seqs.len() / 2);
            state.retrying.push_front((b.to_vec(), retry));
            state.retrying.push_front((a.to_vec(), retry));
            state.retry_at_ms = now.saturating_add(backoff_ms(retry));
        } else {
            state.retrying.push_front((seqs, retry + 1));
            state.retry_at_ms = now.saturating_add(backoff_ms(retry));
        }
    }
}

#[cfg(test)]
mod tests;
