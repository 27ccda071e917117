//! Capacity enforced: whether a request may consume the units it costs, as AWS decides
//! it. Off unless [`Config::enforce_capacity`](crate::engine::Config) is set (the page and
//! scenarios set it; `dynaplay serve` only with `--enforce-capacity`).
//!
//! - **Provisioned tables** ([`bucket::Bucket`]): one bucket per table and per global
//!   secondary index and direction, refilled at the provisioned rate on the engine clock,
//!   keeping up to 300 seconds of unused capacity (AWS's burst capacity). A bucket starts
//!   full (AWS documents no starting balance; a full pool lets a new table take a burst).
//!   Adaptive capacity as AWS describes it today: any partition may use the table's
//!   capacity, up to its per-partition ceiling.
//! - **Per-partition ceilings** (both modes): 3,000 read and 1,000 write units in one
//!   second, divided by the table's teaching scale (never below 3 and 1; see
//!   `table::partition`). A partition throttled at its ceiling splits for heat, as AWS
//!   does, unless one item collection fills it.
//! - **On-demand tables**: in one second, at most the larger of 12,000 read / 4,000 write
//!   units (a new table's documented instant capacity) and twice the busiest second so
//!   far (the previous peak), never above the 40,000-unit per-table quota, and never above
//!   `OnDemandThroughput`'s maximums.
//!
//! A request is admitted while its measure has room (a positive balance, a second not yet
//! full) and then takes its units whole: a large read can leave a bucket in debt, repaid by
//! the refill, as AWS lets a large read through and throttles the ones after it. A
//! throttled request consumes nothing and changes nothing.

pub mod bucket;
pub mod state;

use crate::capacity::{Consumed, Units};
use crate::engine::Engine;
use crate::error::{Error, ErrorKind, Result, ThrottlingReason};
use crate::table::{BillingMode, StoreKey, Table};
use crate::trace::Trace;
use bucket::Bucket;
use state::{Event, State};

/// Reads or writes: throttled independently, as AWS throttles them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dir {
    Read,
    Write,
}

/// One value per direction.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Both<T> {
    pub read: T,
    pub write: T,
}

impl<T> Both<T> {
    pub fn get(&self, dir: Dir) -> &T {
        match dir {
            Dir::Read => &self.read,
            Dir::Write => &self.write,
        }
    }

    pub fn get_mut(&mut self, dir: Dir) -> &mut T {
        match dir {
            Dir::Read => &mut self.read,
            Dir::Write => &mut self.write,
        }
    }
}

impl Dir {
    fn word(self) -> &'static str {
        match self {
            Dir::Read => "Read",
            Dir::Write => "Write",
        }
    }

    fn of(self, u: &Units) -> f64 {
        match self {
            Dir::Read => u.read,
            Dir::Write => u.write,
        }
    }
}

/// A new on-demand table's instant capacity, read and write units per second.
pub const ON_DEMAND_INITIAL: Both<f64> = Both { read: 12_000.0, write: 4_000.0 };
/// The default per-table quota, each way.
pub const TABLE_QUOTA: f64 = 40_000.0;

/// AWS's messages. The table's is from captures of live DynamoDB in public issue threads
/// (oasis-core #539, aws-samples/sample-collaborative-ai-dlc #443); the index's from
/// reflow #101; the on-demand one from praetorian-inc/chariot-ui #684.
pub const TABLE_MESSAGE: &str = "The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.";
pub const INDEX_MESSAGE: &str = "The level of configured provisioned throughput for one or more global secondary indexes of the table was exceeded. Consider increasing your provisioning level for the under-provisioned global secondary indexes with the UpdateTable API";
pub const ON_DEMAND_MESSAGE: &str = "Throughput exceeds the current capacity of your table or index. DynamoDB is automatically scaling your table or index so please try again shortly. If exceptions persist, check if you have a hot key: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html";

/// Admits a request that costs `cost` in direction `dir` (for `key`, when it names one)
/// and takes its units, or throttles it: the error AWS answers, with its reasons. A
/// throttle at a partition's ceiling may split the partition for heat (in `trace`).
pub fn admit(engine: &mut Engine, cost: &Consumed, dir: Dir, key: Option<&StoreKey>, trace: &mut Trace) -> Result<()> {
    let Some((ask, reasons)) = weigh(engine, cost, dir, key) else { return Ok(()) };
    if reasons.is_empty() {
        take_ask(engine, &ask);
        return Ok(());
    }
    Err(refuse(engine, &ask, key, reasons, trace))
}

/// The request's ask and the limits it finds full, taking nothing (`None`: capacity is
/// not enforced, or there is no such table).
fn weigh(
    engine: &mut Engine,
    cost: &Consumed,
    dir: Dir,
    key: Option<&StoreKey>,
) -> Option<(Ask, Vec<ThrottlingReason>)> {
    if !engine.config.enforce_capacity {
        return None;
    }
    let now = engine.now_ms;
    let table = engine.tables.get(&cost.table_name)?;
    let ask = Ask::new(table, cost, dir, key);
    if !engine.throttles.contains_key(&cost.table_name) {
        engine.throttles.insert(cost.table_name.clone(), State::default());
    }
    let state = engine.throttles.get_mut(&cost.table_name)?;
    if state.created_ms != table.def.created_ms {
        *state = State::new(table.def.created_ms);
    }
    let mut reasons = check(state, table, &ask, now);
    // ARNs are spelled out only for a throttled request (the admitted ones need none).
    if !reasons.is_empty() {
        let table_arn = engine.arn(&cost.table_name);
        for r in &mut reasons {
            r.resource = match r.resource.as_str() {
                "" => table_arn.clone(),
                index => format!("{table_arn}/index/{index}"),
            };
        }
    }
    Some((ask, reasons))
}

fn take_ask(engine: &mut Engine, ask: &Ask) {
    let now = engine.now_ms;
    if let Some(state) = engine.throttles.get_mut(&ask.table) {
        take(state, ask, now);
    }
}

/// Records a throttled request for the view (splitting a partition throttled at its
/// ceiling for heat) and gives its error.
fn refuse(
    engine: &mut Engine,
    ask: &Ask,
    key: Option<&StoreKey>,
    reasons: Vec<ThrottlingReason>,
    trace: &mut Trace,
) -> Error {
    let partition = key.and_then(|k| engine.tables.get(&ask.table).map(|t| t.partitions.index_of(k.hash)));
    let units = ask.table_units + ask.indexes.iter().map(|(_, u)| u).sum::<f64>();
    let names = reasons.iter().map(|r| r.reason.clone()).collect();
    let event =
        Event { at_ms: engine.now_ms, dir: ask.dir, reasons: names, partition, key: key.map(StoreKey::pk), units };
    if let Some(state) = engine.throttles.get_mut(&ask.table) {
        state.note_event(event);
    }
    if let (Some(p), true) = (partition, reasons.iter().any(|r| r.reason.contains("KeyRange"))) {
        split_for_heat(engine, &ask.table, p, trace);
    }
    error(reasons)
}

/// What one request asks of a table: units on the table (with its local indexes, which
/// share its capacity), on each global index, and where.
struct Ask {
    table: String,
    dir: Dir,
    table_units: f64,
    /// (index name, units) for each global index the request costs.
    indexes: Vec<(String, f64)>,
    /// The partition's first hash and its ceiling, when the request names a key.
    partition: Option<(u64, f64)>,
}

impl Ask {
    fn new(table: &Table, cost: &Consumed, dir: Dir, key: Option<&StoreKey>) -> Ask {
        let table_units = dir.of(&cost.table) + cost.local_indexes.values().map(|u| dir.of(u)).sum::<f64>();
        let indexes =
            cost.global_indexes.iter().filter(|(_, u)| dir.of(u) > 0.0).map(|(n, u)| (n.clone(), dir.of(u))).collect();
        let ceiling = match dir {
            Dir::Read => table.partitions.read_limit(),
            Dir::Write => table.partitions.write_limit(),
        };
        let partition = key
            .filter(|_| table_units > 0.0)
            .map(|k| (table.partitions.range(table.partitions.index_of(k.hash)).0, ceiling));
        Ask { table: table.def.name.clone(), dir, table_units, indexes, partition }
    }

    /// A reason on the table (`index`: `None`) or one of its indexes; `resource` holds the
    /// index's name until `weigh` spells out the ARN.
    fn reason(&self, index: Option<&str>, limit: &str) -> ThrottlingReason {
        let kind = if index.is_some() { "Index" } else { "Table" };
        ThrottlingReason {
            reason: format!("{kind}{}{limit}", self.dir.word()),
            resource: index.unwrap_or("").to_string(),
        }
    }
}

/// The provisioned rate of the table (`None`: on demand) or of one of its indexes.
pub(crate) fn rate(table: &Table, index: Option<&str>, dir: Dir) -> Option<f64> {
    if table.def.billing != BillingMode::Provisioned {
        return None;
    }
    // While UpdateTable keeps the table UPDATING, the old throughput still applies.
    let changing = table.status == crate::table::TableStatus::Updating;
    let t = match index {
        None if changing => table.def.throughput_changes.previous.or(Some(table.def.throughput)),
        None => Some(table.def.throughput),
        Some(n) => table.def.index(n).and_then(|i| i.throughput),
    }?;
    Some(match dir {
        Dir::Read => t.read,
        Dir::Write => t.write,
    } as f64)
}

/// Every limit the request finds full, as AWS's throttling reasons.
fn check(state: &mut State, table: &Table, ask: &Ask, now: u64) -> Vec<ThrottlingReason> {
    let d = ask.dir;
    let mut reasons = Vec::new();
    if let Some((start, ceiling)) = ask.partition {
        let used = state.partitions.get(&start).map_or(0.0, |w| w.get(d).used(now));
        if used >= ceiling {
            reasons.push(ask.reason(None, "KeyRangeThroughputExceeded"));
        }
    }
    if ask.table_units > 0.0 {
        match rate(table, None, ask.dir) {
            Some(r) => {
                let b = state.table.get_mut(d).get_or_insert_with(|| Bucket::full(r, now));
                b.refill(r, now);
                if b.balance <= 0.0 {
                    reasons.push(ask.reason(None, "ProvisionedThroughputExceeded"));
                }
            }
            None => reasons.extend(on_demand_reason(state, table, ask, now)),
        }
    }
    for (name, _) in &ask.indexes {
        let Some(r) = rate(table, Some(name), ask.dir) else { continue };
        let b = state.indexes.entry(name.clone()).or_default().get_mut(d).get_or_insert_with(|| Bucket::full(r, now));
        b.refill(r, now);
        if b.balance <= 0.0 {
            reasons.push(ask.reason(Some(name), "ProvisionedThroughputExceeded"));
        }
    }
    reasons
}

/// An on-demand table's second is full: at its `OnDemandThroughput` maximum, or at its
/// current capacity (twice the previous peak, at least the initial, at most the quota).
fn on_demand_reason(state: &State, table: &Table, ask: &Ask, now: u64) -> Option<ThrottlingReason> {
    let used = state.second.get(ask.dir).used(now);
    let (max, capacity) = on_demand_limits(table, *state.peak.get(ask.dir), ask.dir);
    if max.is_some_and(|m| used >= m) {
        return Some(ask.reason(None, "MaxOnDemandThroughputExceeded"));
    }
    (used >= capacity).then(|| ask.reason(None, "AccountLimitExceeded"))
}

/// An on-demand table's limits in one direction, given its busiest second so far: its
/// `OnDemandThroughput` maximum (if set), and its current capacity (twice the previous
/// peak, at least the initial capacity, at most the quota).
pub(crate) fn on_demand_limits(table: &Table, peak: f64, dir: Dir) -> (Option<f64>, f64) {
    let max = table.def.on_demand.map(|o| Both { read: o.max_read, write: o.max_write });
    let max = max.map(|m| *m.get(dir)).filter(|m| *m >= 1).map(|m| m as f64);
    (max, (2.0 * peak).max(*ON_DEMAND_INITIAL.get(dir)).min(TABLE_QUOTA))
}

/// Takes an admitted request's units from every measure.
fn take(state: &mut State, ask: &Ask, now: u64) {
    let d = ask.dir;
    if let Some((start, _)) = ask.partition {
        state.partitions.entry(start).or_default().get_mut(d).add(now, ask.table_units);
    }
    if let Some(b) = state.table.get_mut(d).as_mut().filter(|_| ask.table_units > 0.0) {
        b.balance -= ask.table_units;
    }
    for (name, units) in &ask.indexes {
        if let Some(b) = state.indexes.get_mut(name).and_then(|b| b.get_mut(d).as_mut()) {
            b.balance -= units;
        }
    }
    state.add_second(d, now, ask.table_units);
    let balance = state.table.get(d).as_ref().map(|b| b.balance);
    if let Some(sample) = state.sample(now) {
        *sample.used.get_mut(d) += ask.table_units;
        if balance.is_some() {
            *sample.balance.get_mut(d) = balance;
        }
    }
}

/// The error for a throttled request: ProvisionedThroughputExceededException for a
/// provisioned table or index or a hot key range; ThrottlingException for an on-demand
/// table's own limits.
fn error(reasons: Vec<ThrottlingReason>) -> Error {
    let provisioned = |r: &ThrottlingReason| r.reason.ends_with("ProvisionedThroughputExceeded");
    let key_range = |r: &ThrottlingReason| r.reason.ends_with("KeyRangeThroughputExceeded");
    let (kind, message) = if reasons.iter().any(|r| key_range(r) || (provisioned(r) && r.reason.starts_with("Table"))) {
        (ErrorKind::ProvisionedThroughputExceeded, TABLE_MESSAGE)
    } else if reasons.iter().any(provisioned) {
        (ErrorKind::ProvisionedThroughputExceeded, INDEX_MESSAGE)
    } else {
        (ErrorKind::Throttling, ON_DEMAND_MESSAGE)
    };
    Error { throttling: reasons, ..Error::new(kind, message) }
}

/// A partition throttled at its ceiling splits for heat once it has settled (see
/// `table::partition`): the split shows in the trace and the table's stream.
fn split_for_heat(engine: &mut Engine, table: &str, p: usize, trace: &mut Trace) {
    let now = engine.now_ms;
    let Some(t) = engine.tables.get_mut(table) else { return };
    let start = t.partitions.range(p).0;
    if let Some(s) = t.split_for_heat(p, now) {
        // Both halves keep this second's load: a split does not reset a ceiling.
        if let Some(state) = engine.throttles.get_mut(table) {
            if let Some(w) = state.partitions.get(&start).cloned() {
                state.partitions.insert(s.at_hash, w);
            }
        }
        crate::ops::common::note_split(engine, table, &s, trace);
    }
}

/// The table's admission state, for the throughput view.
pub fn state_of<'e>(engine: &'e Engine, table: &Table) -> Option<&'e State> {
    engine.throttles.get(&table.def.name).filter(|s| s.created_ms == table.def.created_ms)
}

/// Admits a transaction's actions (each its cost, direction and key) as one request:
/// when every action finds room, all take their units (so one transaction may take more
/// than a second's capacity, as one large request may); otherwise the transaction is
/// canceled with reason `ProvisionedThroughputExceeded` (`ThrottlingError` on demand) for
/// each action that found a limit full, `None` for the others, and takes nothing.
pub fn admit_transaction(engine: &mut Engine, asks: Vec<(Consumed, Dir, StoreKey)>, trace: &mut Trace) -> Result<()> {
    let weighed: Vec<_> = asks.iter().map(|(cost, dir, key)| (weigh(engine, cost, *dir, Some(key)), key)).collect();
    if weighed.iter().all(|(w, _)| w.as_ref().is_none_or(|(_, r)| r.is_empty())) {
        for (ask, _) in weighed.iter().filter_map(|(w, _)| w.as_ref()) {
            take_ask(engine, ask);
        }
        return Ok(());
    }
    let mut reasons = Vec::new();
    for (w, key) in weighed {
        reasons.push(match w {
            Some((ask, r)) if !r.is_empty() => {
                let e = refuse(engine, &ask, Some(key), r, trace);
                let code =
                    if e.kind == ErrorKind::Throttling { "ThrottlingError" } else { "ProvisionedThroughputExceeded" };
                crate::error::CancellationReason { code: code.into(), message: Some(e.message), item: None }
            }
            _ => crate::error::CancellationReason::none(),
        });
    }
    Err(Error::transaction_canceled(reasons))
}

#[cfg(test)]
mod tests;
