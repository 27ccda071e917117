//! The global table view's figures: each region's copy of a table side by side, the
//! writes in flight between regions with when each arrives, and the writes last writer
//! wins dropped.

use super::{Conflict, ReplicaStatus, World};
use crate::log::Principal;
use crate::value::item_to_json;

/// Items listed per region.
pub const SHOWN_ITEMS: usize = 50;

#[derive(Clone, Debug, PartialEq)]
pub struct GlobalInfo {
    pub table: String,
    pub regions: Vec<RegionCopy>,
    pub in_flight: Vec<InFlight>,
    /// Newest first.
    pub conflicts: Vec<Conflict>,
    pub lag_ms: u64,
    pub jitter_ms: u64,
    /// Every ordered pair of the table's regions with its lag, where it is not `lag_ms`.
    pub pair_lags: Vec<(String, String, u64)>,
    /// The time this describes (the home region's clock).
    pub now_ms: u64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct RegionCopy {
    pub region: String,
    /// ACTIVE, CREATING, or OFFLINE (a simulated outage).
    pub status: String,
    /// (key, the whole item), both as DynamoDB JSON text, in storage order.
    pub items: Vec<(String, String)>,
    pub item_count: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub struct InFlight {
    pub from: String,
    pub to: String,
    pub key: String,
    /// INSERT, MODIFY or REMOVE, as the source's stream says.
    pub event: &'static str,
    pub written_ms: u64,
    /// When it is applied (later if a region is offline).
    pub due_ms: u64,
}

/// `table` across the world's regions (`None`: it is not a global table).
pub fn global_of(world: &World, table: &str) -> Option<GlobalInfo> {
    let g = world.globals.get(table)?;
    let regions = g
        .members
        .iter()
        .map(|(region, m)| {
            let status =
                if world.offline.contains(region) { "OFFLINE".to_string() } else { m.status.as_str().to_string() };
            let items = world.region(region).map(|e| e.table_item_list(table)).unwrap_or_default();
            let key_of = |i: &crate::value::Item| {
                world.region(region).and_then(|e| e.table(table)).map(|t| t.def.schema.key_item(i)).unwrap_or_default()
            };
            let shown = items
                .iter()
                .take(SHOWN_ITEMS)
                .map(|i| (item_to_json(&key_of(i)).to_string(), item_to_json(i).to_string()))
                .collect();
            RegionCopy { region: region.clone(), status, items: shown, item_count: items.len() }
        })
        .collect();
    Some(GlobalInfo {
        table: table.to_string(),
        regions,
        in_flight: in_flight(world, table),
        conflicts: g.conflicts.iter().rev().cloned().collect(),
        lag_ms: world.lag_ms,
        jitter_ms: world.jitter_ms,
        pair_lags: pair_lags(world, g.members.keys()),
        now_ms: world.home_engine().now_ms(),
    })
}

/// `table` across the regions as they will be at `at_ms` if no request arrives meanwhile
/// (the global view's look-ahead): a copy of the world, moved on by the clock. The copy
/// has no SQL mirror, so triggers wait in it; the world itself is left as it was.
pub fn global_ahead(world: &mut World, table: &str, at_ms: u64) -> Option<GlobalInfo> {
    let mut copy = world.copy_without_mirrors();
    let _ = copy.advance(at_ms);
    global_of(&copy, table)
}

/// The pairs among `regions` whose lag is their own.
fn pair_lags<'a>(world: &World, regions: impl Iterator<Item = &'a String> + Clone) -> Vec<(String, String, u64)> {
    let mut out = Vec::new();
    for from in regions.clone() {
        for to in regions.clone().filter(|to| *to != from) {
            let lag = world.lag(from, to);
            if lag != world.lag_ms {
                out.push((from.clone(), to.clone(), lag));
            }
        }
    }
    out
}

/// Every write made in one region and not yet applied in another, oldest first.
fn in_flight(world: &World, table: &str) -> Vec<InFlight> {
    let Some(g) = world.globals.get(table) else { return Vec::new() };
    let mut out = Vec::new();
    for (from, _) in g.members.iter().filter(|(_, m)| m.status == ReplicaStatus::Active) {
        let Some(e) = world.region(from) else { continue };
        let (Some(log), Some(t)) = (e.change_log(table), e.table(table)) else { continue };
        for (to, _) in g.members.iter().filter(|(r, m)| *r != from && m.status == ReplicaStatus::Active) {
            let pair = (from.clone(), to.clone());
            let cursor = g.cursors.get(&pair).copied().unwrap_or(0);
            let done = g.done.get(&pair);
            let pending = log
                .since(cursor)
                .filter(|c| c.principal() != Principal::Replication && !done.is_some_and(|d| d.contains(&c.seq)));
            out.extend(pending.map(|c| InFlight {
                from: from.clone(),
                to: to.clone(),
                key: item_to_json(&c.key(&t.def.schema)).to_string(),
                event: match (&c.before, &c.after) {
                    (None, Some(_)) => "INSERT",
                    (Some(_), Some(_)) => "MODIFY",
                    _ => "REMOVE",
                },
                written_ms: c.at_ms,
                due_ms: c.at_ms.saturating_add(world.item_lag(from, to, c.hash)),
            }));
        }
    }
    crate::sorted::sort_by_key(&mut out, |f| (f.due_ms, f.written_ms));
    out
}
