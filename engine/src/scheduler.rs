//! The engine clock's work: what happens between requests because time passed. One
//! function, [`advance`], runs before every request and on every page tick: status
//! transitions (CREATING → ACTIVE, DELETING → gone), expired idempotency tokens, the change
//! log's retention, disabled streams' retention, and the Time to Live sweep. Everything it
//! changes goes into the trace, so the page persists it like a request's writes.

use crate::capacity::Consumed;
use crate::engine::Engine;
use crate::log::{Origin, Principal, RETENTION_MS};
use crate::table::{StoreKey, TableStatus, MAX_AGE_MS};
use crate::trace::Trace;

/// At most this many expired items are deleted per clock step (AWS's sweep is best effort).
pub const SWEEP_BATCH: usize = 1000;

/// Moves the engine clock to `now_ms` (never back) and runs the work that became due.
pub fn advance(engine: &mut Engine, now_ms: u64, trace: &mut Trace) {
    engine.now_ms = engine.now_ms.max(now_ms);
    let now = engine.now_ms;
    transitions(engine, trace);
    engine.tokens.retain(|_, r| r.expires_ms > now);
    crate::contention::release(engine);
    let clockwork = crate::ops::cold::clockwork();
    if let Some(c) = clockwork {
        (c.roll_pitr)(engine, trace);
    }
    let horizon = now.saturating_sub(RETENTION_MS);
    for (name, log) in engine.logs.iter_mut() {
        // Point-in-time recovery keeps what its window needs, however old.
        let keep = engine.pitr.get(name).map_or(horizon, |p| horizon.min(p.keep_from_ms().saturating_add(1)));
        // The log is in time order: what it drops is its oldest entries.
        for c in log.iter().take_while(|c| c.at_ms < keep) {
            engine.streams.uncount(name, c);
        }
        log.trim(keep);
    }
    expire_backups(engine, trace);
    if let Some(c) = clockwork {
        (c.complete_exports)(engine, trace);
    }
    let tables = &engine.tables;
    engine.logs.retain(|name, log| !log.is_empty() || tables.contains_key(name));
    for table in engine.streams.expire(now) {
        // Its stored snapshot (or a deleted table's record of its streams) changes.
        trace.tables_changed.insert(table);
    }
    sweep_expired(engine, trace);
    if let Some(c) = clockwork {
        (c.run_triggers)(engine, trace);
    }
}

/// Whether advancing to `now_ms` would change what is stored: a status transition or a TTL
/// delete is due. The page asks before opening a storage transaction every second.
pub fn work_due(engine: &Engine, now_ms: u64) -> bool {
    let until = now_ms.saturating_sub(engine.config.ttl_delay_ms);
    crate::ops::cold::clockwork().is_some_and(|c| (c.due)(engine, now_ms))
        || engine
            .tables
            .values()
            .any(|t| t.status_until_ms.is_some_and(|u| u <= now_ms) || t.expiry.due(until).next().is_some())
}

/// Whether an export or a trigger has work at `now_ms` (cold code: see
/// `ops::cold::Clockwork`).
pub(crate) fn cold_work_due(engine: &Engine, now_ms: u64) -> bool {
    crate::transfer::exports_due(engine, now_ms) || crate::trigger::triggers::work_due(engine)
}

/// Rolls each point-in-time recovery base forward as its window moves (cold code: see
/// `ops::cold::Clockwork`).
pub(crate) fn roll_pitr(engine: &mut Engine, trace: &mut Trace) {
    let now = engine.now_ms;
    for (name, p) in engine.pitr.iter_mut() {
        let Some(t) = engine.tables.get(name) else { continue };
        if p.roll(&t.def.schema, engine.logs.get(name), now) {
            trace.pitr_changed.insert(name.clone());
        }
    }
}

/// Forgets system backups past their expiry.
fn expire_backups(engine: &mut Engine, trace: &mut Trace) {
    let now = engine.now_ms;
    engine.backups.retain(|b| {
        let keep = b.expiry_ms.is_none_or(|e| e > now);
        if !keep {
            trace.backups_changed.insert(b.arn.clone());
        }
        keep
    });
}

/// Completes due status transitions.
fn transitions(engine: &mut Engine, trace: &mut Trace) {
    let now = engine.now_ms;
    let due: Vec<String> = engine
        .tables
        .iter()
        .filter(|(_, t)| t.status_until_ms.is_some_and(|until| until <= now))
        .map(|(name, _)| name.clone())
        .collect();
    for name in due {
        let Some(t) = engine.tables.get_mut(&name) else { continue };
        t.status_until_ms = None;
        match t.status {
            TableStatus::Deleting => drop(engine.tables.remove(&name)),
            _ => t.status = TableStatus::Active,
        }
        trace.tables_changed.insert(name);
    }
}

/// Deletes items whose TTL passed at least `ttl_delay_ms` ago, as the TTL service: through
/// the commit point (so indexes, the log and the stream see them), at no capacity. Items
/// whose TTL is more than five years past are left alone, as AWS does.
fn sweep_expired(engine: &mut Engine, trace: &mut Trace) {
    let now = engine.now_ms;
    let until = now.saturating_sub(engine.config.ttl_delay_ms);
    let due: Vec<(String, u64, StoreKey)> = engine
        .tables
        .iter()
        .filter(|(_, t)| matches!(t.status, TableStatus::Active | TableStatus::Updating))
        .flat_map(|(name, t)| t.expiry.due(until).map(move |(at, k)| (name.clone(), *at, k.clone())))
        .take(SWEEP_BATCH)
        .collect();
    if due.is_empty() {
        return;
    }
    let caller = std::mem::replace(
        &mut engine.origin,
        Origin { operation: "TimeToLive".into(), transaction: None, principal: Some(Principal::TtlService) },
    );
    for (table, at, key) in due {
        if at.saturating_add(MAX_AGE_MS) < now {
            if let Some(t) = engine.tables.get_mut(&table) {
                t.expiry.forget(at, &key);
            }
            continue;
        }
        crate::ops::common::commit(engine, &table, key, None, &Consumed::new(&table), trace);
    }
    engine.origin = caller;
}
