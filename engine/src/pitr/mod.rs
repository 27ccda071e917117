//! Continuous backups and point-in-time recovery, read from the change log.
//!
//! Turning PITR on takes a base: the table's items at that moment, and the sequence number
//! of the next change. The table at any later time t is the base with the log's changes up
//! to t applied. As the recovery period moves on, the base rolls forward (changes older
//! than the window are folded into it, an hour of engine time at a time), and the log keeps
//! every change the window still needs, however long that is.

use crate::log::ChangeLog;
use crate::table::{Items, KeySchema, Table};

/// The most days AWS keeps: `RecoveryPeriodInDays` is 1 to 35.
pub const MAX_PERIOD_DAYS: u64 = 35;
const DAY_MS: u64 = 24 * 60 * 60 * 1000;
/// The base rolls forward once it is this far behind the window's start.
const ROLL_STEP_MS: u64 = 60 * 60 * 1000;

/// A table's point-in-time recovery.
#[derive(Clone, Debug, PartialEq)]
pub struct Pitr {
    pub enabled_ms: u64,
    pub period_days: u64,
    /// The table's items at `base_ms`.
    pub base: Items,
    pub base_ms: u64,
    /// The first change not in the base.
    pub from_seq: u64,
}

impl Pitr {
    /// PITR turned on for `t` at `now_ms`, the log's next change being `next_seq`.
    pub fn start(t: &Table, period_days: u64, next_seq: u64, now_ms: u64) -> Pitr {
        Pitr { enabled_ms: now_ms, period_days, base: t.items_copy(), base_ms: now_ms, from_seq: next_seq }
    }

    /// The restorable window at `now_ms`: (earliest, latest), latest being `lag_ms` behind.
    pub fn window(&self, now_ms: u64, lag_ms: u64) -> (u64, u64) {
        let period_start = now_ms.saturating_sub(self.period_days.saturating_mul(DAY_MS));
        (self.enabled_ms.max(period_start), now_ms.saturating_sub(lag_ms))
    }

    /// The table's items as they were at `at_ms`: the base, and the log's changes up to
    /// then (`schema` is the table's key schema).
    pub fn items_at(&self, schema: &KeySchema, log: Option<&ChangeLog>, at_ms: u64) -> Items {
        let mut items = self.base.clone();
        for c in log.into_iter().flat_map(|l| l.range(self.from_seq, u64::MAX)).take_while(|c| c.at_ms <= at_ms) {
            let Some(key) = c.store_key(schema) else { continue };
            match &c.after {
                Some(a) => items.insert(&key, a.clone()),
                None => items.remove(&key),
            };
        }
        items
    }

    /// Folds the changes older than the window into the base, once it lags an hour behind.
    /// True when the base moved (it is saved again).
    pub fn roll(&mut self, schema: &KeySchema, log: Option<&ChangeLog>, now_ms: u64) -> bool {
        let start = now_ms.saturating_sub(self.period_days.saturating_mul(DAY_MS));
        if start < self.base_ms.saturating_add(ROLL_STEP_MS) {
            return false;
        }
        self.base = self.items_at(schema, log, start);
        let next = log.and_then(|l| l.range(self.from_seq, u64::MAX).find(|c| c.at_ms > start).map(|c| c.seq));
        self.from_seq = next.unwrap_or_else(|| log.map_or(self.from_seq, |l| l.next_seq));
        self.base_ms = start;
        true
    }

    /// Whether [`Pitr::roll`] would move the base at `now_ms`.
    pub fn roll_due(&self, now_ms: u64) -> bool {
        now_ms.saturating_sub(self.period_days.saturating_mul(DAY_MS)) >= self.base_ms.saturating_add(ROLL_STEP_MS)
    }

    /// The oldest engine time whose changes the log must keep for this table.
    pub fn keep_from_ms(&self) -> u64 {
        self.base_ms
    }
}
