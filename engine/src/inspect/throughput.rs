//! The throughput view: what a table may consume and what it did, second by second — its
//! provisioned rate or on-demand capacity, the burst pool, each partition's ceiling and
//! load (adaptive capacity lets one take more than an even share), and the requests
//! throttled, with the hot key behind them. Read from `throttle`'s state and partition
//! traffic; nothing here changes the engine.

use crate::engine::Engine;
use crate::table::{BillingMode, KeyValue};
use crate::throttle::bucket::{Bucket, BURST_S};
use crate::throttle::state::{Event, Sample};
use crate::throttle::{state_of, Both, Dir};

/// A provisioned table's burst pool in one direction.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Burst {
    /// Units banked now (negative: in debt).
    pub balance: f64,
    /// The most it can hold: 300 seconds of the provisioned rate.
    pub pool: f64,
}

/// One partition's load.
#[derive(Clone, Debug, PartialEq)]
pub struct PartitionLoad {
    pub partition: usize,
    /// Units consumed in the current second.
    pub now: Both<f64>,
    /// Units per second, averaged over the last five seconds.
    pub recent: Both<f64>,
    /// Requests throttled for this partition among the recent throttles.
    pub throttled: usize,
}

/// What the throughput view draws.
#[derive(Clone, Debug, PartialEq)]
pub struct ThroughputInfo {
    pub enforced: bool,
    /// Units per second the table may consume: its provisioned rate, or on demand its
    /// current capacity (the larger of the initial capacity and twice the previous peak,
    /// within `OnDemandThroughput` and the quota).
    pub rate: Both<f64>,
    pub provisioned: bool,
    /// Provisioned tables' burst pools.
    pub burst: Both<Option<Burst>>,
    /// Units a second one partition can serve, at the table's teaching scale.
    pub ceiling: Both<f64>,
    /// The table's rate divided evenly over its partitions: what each would get without
    /// adaptive capacity.
    pub even_share: Both<f64>,
    pub partitions: Vec<PartitionLoad>,
    /// The last two minutes, oldest first (seconds with no traffic are absent).
    pub history: Vec<Sample>,
    /// Recent throttled requests, newest first.
    pub events: Vec<Event>,
    /// The partition key throttled most often among them, and how often.
    pub hot_key: Option<(KeyValue, usize)>,
    /// The engine clock's current second.
    pub second: u64,
}

/// `table`'s throughput at the engine clock.
pub fn throughput_of(engine: &Engine, table: &str) -> Option<ThroughputInfo> {
    let t = engine.table(table)?;
    let now = engine.now_ms();
    let state = state_of(engine, t);
    let provisioned = t.def.billing == BillingMode::Provisioned;
    let rate = |d: Dir| -> f64 {
        if let Some(r) = crate::throttle::rate(t, None, d) {
            return r;
        }
        let peak = state.map_or(0.0, |s| *s.peak.get(d));
        let (max, capacity) = crate::throttle::on_demand_limits(t, peak, d);
        max.map_or(capacity, |m| capacity.min(m))
    };
    let rate = Both { read: rate(Dir::Read), write: rate(Dir::Write) };
    let burst = |d: Dir| {
        let r = *rate.get(d);
        provisioned.then(|| {
            let mut b = state.and_then(|s| s.table.get(d).clone()).unwrap_or_else(|| Bucket::full(r, now));
            b.refill(r, now);
            Burst { balance: b.balance, pool: r * BURST_S }
        })
    };
    let parts = &t.partitions;
    let ceiling = Both { read: parts.read_limit(), write: parts.write_limit() };
    let n = parts.parts.len().max(1) as f64;
    let events: Vec<Event> = state.map(|s| s.events.iter().rev().cloned().collect()).unwrap_or_default();
    let partitions = parts
        .parts
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let window = state.and_then(|s| s.partitions.get(&p.start));
            let used = |d: Dir| window.map_or(0.0, |w| w.get(d).used(now));
            let (r, w) = p.recent_rate(now, crate::table::HEAT_WINDOW_S);
            PartitionLoad {
                partition: i,
                now: Both { read: used(Dir::Read), write: used(Dir::Write) },
                recent: Both { read: r, write: w },
                throttled: events.iter().filter(|e| e.partition == Some(i)).count(),
            }
        })
        .collect();
    Some(ThroughputInfo {
        enforced: engine.config.enforce_capacity,
        rate,
        provisioned,
        burst: Both { read: burst(Dir::Read), write: burst(Dir::Write) },
        ceiling,
        even_share: Both { read: rate.read / n, write: rate.write / n },
        partitions,
        history: state.map(|s| s.history.iter().cloned().collect()).unwrap_or_default(),
        hot_key: hot_key(&events),
        events,
        second: now / 1000,
    })
}

/// The key throttled most often (ties: the one throttled last).
fn hot_key(events: &[Event]) -> Option<(KeyValue, usize)> {
    let mut counts: Vec<(KeyValue, usize)> = Vec::new();
    for k in events.iter().filter_map(|e| e.key.as_ref()) {
        match counts.iter_mut().find(|(c, _)| c == k) {
            Some((_, n)) => *n += 1,
            None => counts.push((k.clone(), 1)),
        }
    }
    counts.into_iter().rev().max_by_key(|(_, n)| *n)
}
