//! Replication between regions, as the clock moves: each region's own writes (not the
//! ones it received) are applied in every other active replica once the pair's lag (and
//! the item's jitter, [`World::jitter_ms`]) has passed, item by item: a transaction's
//! items arrive as separate writes, and with jitter, items may arrive out of order while
//! each item's own writes stay in order. A region that is offline neither sends nor
//! receives; once back, what it missed flows both ways. Last writer wins: a write older than the item's last write in the
//! destination (by time, then region name) is dropped there and recorded as a conflict;
//! the newer write reaches its source in turn, so every region ends with the same item.

use super::{Conflict, Member, ReplicaStatus, Version, World};
use crate::log::{Change, Principal};
use crate::snapshot::item_key;

/// Runs the replication due at `now`: replicas finishing their initial copy, then every
/// pair's due changes.
pub fn advance(world: &mut World, now: u64) {
    let tables: Vec<String> = world.globals.keys().cloned().collect();
    for table in tables {
        finish_creating(world, &table, now);
        record_local(world, &table);
        let pairs = active_pairs(world, &table);
        for (from, to) in pairs {
            apply_due(world, &table, &from, &to, now);
        }
    }
}

/// Whether replication has anything to do at `now`: a replica to fill, or a write due
/// in another region.
pub fn due(world: &World, now: u64) -> bool {
    world.globals.iter().any(|(table, g)| {
        g.members.values().any(|m| m.status == ReplicaStatus::Creating && m.ready_ms <= now)
            || active_pairs(world, table).iter().any(|(from, to)| pair_due(world, table, from, to, now))
    })
}

/// Whether a write of `from`'s is due in `to` at `now`.
fn pair_due(world: &World, table: &str, from: &str, to: &str, now: u64) -> bool {
    if world.offline.contains(from) || world.offline.contains(to) {
        return false;
    }
    let pair = (from.to_string(), to.to_string());
    let Some(g) = world.globals.get(table) else { return false };
    let cursor = g.cursors.get(&pair).copied().unwrap_or(0);
    let done = g.done.get(&pair);
    let Some(log) = world.region(from).and_then(|e| e.change_log(table)) else { return false };
    log.since(cursor).any(|c| {
        c.principal() != Principal::Replication
            && !done.is_some_and(|d| d.contains(&c.seq))
            && c.at_ms.saturating_add(world.item_lag(from, to, c.hash)) <= now
    })
}

/// Every (source, destination) pair of active replicas.
fn active_pairs(world: &World, table: &str) -> Vec<(String, String)> {
    let Some(g) = world.globals.get(table) else { return Vec::new() };
    let active: Vec<&String> =
        g.members.iter().filter(|(_, m)| m.status == ReplicaStatus::Active).map(|(r, _)| r).collect();
    let mut pairs = Vec::new();
    for from in &active {
        for to in &active {
            if from != to {
                pairs.push(((*from).clone(), (*to).clone()));
            }
        }
    }
    pairs
}

/// A region's own writes since last time, entered as each item's latest version there.
fn record_local(world: &mut World, table: &str) {
    let regions: Vec<String> =
        world.globals.get(table).map(|g| g.members.keys().cloned().collect()).unwrap_or_default();
    for region in regions {
        let seen = world.globals.get(table).and_then(|g| g.seen.get(&region).copied()).unwrap_or(0);
        let Some(e) = world.region(&region) else { continue };
        let (Some(log), Some(t)) = (e.change_log(table), e.table(table)) else { continue };
        let own: Vec<(String, Version)> = log
            .since(seen)
            .filter(|c| c.principal() != Principal::Replication)
            .map(|c| (item_key(table, &c.key(&t.def.schema)), Version { at_ms: c.at_ms, region: region.clone() }))
            .collect();
        let next = log.next_seq;
        let Some(g) = world.globals.get_mut(table) else { return };
        let versions = g.versions.entry(region.clone()).or_default();
        for (key, v) in own {
            versions.insert(key, v);
        }
        g.seen.insert(region, next);
    }
}

/// Applies `from`'s due changes in `to`, and moves the pair's cursor past every change
/// applied (or not to be sent: the ones `from` received itself).
fn apply_due(world: &mut World, table: &str, from: &str, to: &str, now: u64) {
    if world.offline.contains(from) || world.offline.contains(to) {
        return;
    }
    let pair = (from.to_string(), to.to_string());
    let (cursor, done) = match world.globals.get(table) {
        Some(g) => (g.cursors.get(&pair).copied().unwrap_or(0), g.done.get(&pair).cloned().unwrap_or_default()),
        None => return,
    };
    let Some(log) = world.region(from).and_then(|e| e.change_log(table)) else { return };
    let due: Vec<(u64, Change)> = log
        .since(cursor)
        .filter(|c| !done.contains(&c.seq))
        .filter(|c| {
            c.principal() == Principal::Replication || c.at_ms.saturating_add(world.item_lag(from, to, c.hash)) <= now
        })
        .map(|c| (c.seq, c.to_change()))
        .collect();
    let first = log.first_seq().max(cursor);
    let mut done = done;
    for (seq, c) in due {
        done.insert(seq);
        if c.principal() != Principal::Replication {
            apply(world, table, from, to, c, now);
        }
    }
    // The cursor moves over every change done (and over any the log no longer holds).
    let mut cursor = first;
    while done.remove(&cursor) {
        cursor += 1;
    }
    if let Some(g) = world.globals.get_mut(table) {
        g.cursors.insert(pair.clone(), cursor);
        g.done.insert(pair, done);
    }
}

/// One replicated write in `to`, unless a later write to the item is there already.
fn apply(world: &mut World, table: &str, from: &str, to: &str, c: Change, now: u64) {
    // Every replica has the table's key schema; the one written to has the table, unless
    // it is being deleted there (then the region the write came from has).
    let schema_in = |region: &str| world.region(region).and_then(|e| e.table(table)).map(|t| t.def.schema.clone());
    let Some(schema) = schema_in(to).or_else(|| schema_in(from)) else { return };
    let key_item = c.key(&schema);
    let key = item_key(table, &key_item);
    let incoming = Version { at_ms: c.at_ms, region: from.to_string() };
    let current = world.globals.get(table).and_then(|g| g.versions.get(to)).and_then(|v| v.get(&key)).cloned();
    if let Some(kept) = current.filter(|v| *v > incoming) {
        let key = crate::value::item_to_json(&key_item);
        if let Some(g) = world.globals.get_mut(table) {
            g.conflicts.push(Conflict { region: to.to_string(), key, kept, lost: incoming, at_ms: now });
            let excess = g.conflicts.len().saturating_sub(super::KEPT_CONFLICTS);
            g.conflicts.drain(..excess);
        }
        return;
    }
    let trace = world.region_mut(to).apply_replicated(table, &key_item, c.kept.after, now);
    world.note(to, &trace);
    if let Some(g) = world.globals.get_mut(table) {
        g.versions.entry(to.to_string()).or_default().insert(key, incoming);
    }
}

/// Replicas whose initial copy is due: the source's items now, then active; replication
/// into and out of them starts from here.
fn finish_creating(world: &mut World, table: &str, now: u64) {
    let due: Vec<(String, Member)> = world
        .globals
        .get(table)
        .map(|g| {
            g.members
                .iter()
                .filter(|(_, m)| m.status == ReplicaStatus::Creating && m.ready_ms <= now)
                .map(|(r, m)| (r.clone(), m.clone()))
                .collect()
        })
        .unwrap_or_default();
    for (region, member) in due {
        let items = world.region(&member.source).map(|e| e.table_item_list(table)).unwrap_or_default();
        let versions =
            world.globals.get(table).and_then(|g| g.versions.get(&member.source)).cloned().unwrap_or_default();
        let mut trace = crate::trace::Trace::default();
        let dst = world.region_mut(&region);
        for item in items {
            let key = dst.table(table).map(|t| t.def.schema.key_item(&item));
            if let Some(key) = key {
                trace.absorb(dst.apply_replicated(table, &key, Some(item.into()), now));
            }
        }
        world.note(&region, &trace);
        let starts: Vec<(String, u64)> =
            world.regions().map(|e| (e.config.region.clone(), e.change_log(table).map_or(0, |l| l.next_seq))).collect();
        let Some(g) = world.globals.get_mut(table) else { continue };
        g.versions.insert(region.clone(), versions);
        for (other, next) in starts {
            if other != region && g.members.contains_key(&other) {
                g.cursors.insert((other.clone(), region.clone()), next);
                g.cursors.insert((region.clone(), other), 0);
            }
        }
        if let Some(m) = g.members.get_mut(&region) {
            m.status = ReplicaStatus::Active;
        }
    }
}
