//! What admission remembers of one table: its buckets and windows, and, for the
//! throughput view, the last two minutes second by second and the last throttles.

use std::collections::{BTreeMap, VecDeque};

use super::bucket::{Bucket, Window};
use super::{Both, Dir};
use crate::table::KeyValue;

/// Seconds of history kept for the throughput view.
pub const HISTORY_S: u64 = 120;
/// Throttled requests remembered for the throughput view.
pub const EVENTS: usize = 50;

/// One engine-clock second of a table's throughput, per direction (read, write).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Sample {
    pub second: u64,
    /// Units admitted in the second.
    pub used: Both<f64>,
    /// Requests throttled in the second.
    pub throttled: Both<u32>,
    /// The table's bucket balance at the end of the second (provisioned tables).
    pub balance: Both<Option<f64>>,
}

/// A throttled request.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    pub at_ms: u64,
    pub dir: Dir,
    /// AWS's reasons (`TableWriteKeyRangeThroughputExceeded`, …).
    pub reasons: Vec<String>,
    /// The partition the request was for, when it named a key.
    pub partition: Option<usize>,
    /// The partition key it was for.
    pub key: Option<KeyValue>,
    pub units: f64,
}

/// A table's admission state. It lives in memory only, like partition traffic: a reload
/// starts every bucket full again.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct State {
    /// The table this is for, by creation time (a table made again under the same name
    /// starts afresh).
    pub created_ms: u64,
    /// The table's buckets (provisioned tables), read and write.
    pub table: Both<Option<Bucket>>,
    /// Each global secondary index's buckets (provisioned indexes).
    pub indexes: BTreeMap<String, Both<Option<Bucket>>>,
    /// Units per partition (by the partition's first hash) in the current second.
    pub partitions: BTreeMap<u64, Both<Window>>,
    /// The table's units in the current second (on-demand limits, peaks).
    pub second: Both<Window>,
    /// The busiest second so far, per direction (on-demand's previous peak).
    pub peak: Both<f64>,
    pub history: VecDeque<Sample>,
    pub events: VecDeque<Event>,
}

impl State {
    pub fn new(created_ms: u64) -> State {
        State { created_ms, ..State::default() }
    }

    /// The sample for the second of `now_ms`, started if need be (always `Some`).
    pub fn sample(&mut self, now_ms: u64) -> Option<&mut Sample> {
        let second = now_ms / 1000;
        if self.history.back().is_none_or(|s| s.second != second) {
            self.history.push_back(Sample { second, ..Sample::default() });
            while self.history.front().is_some_and(|s| s.second + HISTORY_S <= second) {
                self.history.pop_front();
            }
        }
        self.history.back_mut()
    }

    /// Adds units admitted to the table's second, keeping its peak.
    pub fn add_second(&mut self, dir: Dir, now_ms: u64, units: f64) {
        if let Some(closed) = self.second.get_mut(dir).add(now_ms, units) {
            let peak = self.peak.get_mut(dir);
            *peak = peak.max(closed);
        }
    }

    pub fn note_event(&mut self, event: Event) {
        if let Some(s) = self.sample(event.at_ms) {
            *s.throttled.get_mut(event.dir) += 1;
        }
        self.events.push_back(event);
        while self.events.len() > EVENTS {
            self.events.pop_front();
        }
    }
}
