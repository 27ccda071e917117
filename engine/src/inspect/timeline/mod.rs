//! A table's history on one axis, for the backups view's timeline: the changes in its log
//! (binned, counted by kind), its point-in-time recovery window, and its on-demand
//! backups and exports as marks. The axis runs from the oldest of these to the engine
//! clock.

use crate::engine::Engine;

/// Changes that fell in one slice of the axis.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Bin {
    pub start_ms: u64,
    pub end_ms: u64,
    pub inserts: usize,
    pub modifies: usize,
    pub removes: usize,
}

impl Bin {
    pub fn total(&self) -> usize {
        self.inserts + self.modifies + self.removes
    }
}

/// A backup or an export, at its time.
#[derive(Clone, Debug, PartialEq)]
pub struct Mark {
    pub at_ms: u64,
    /// `backup` or `export`.
    pub kind: &'static str,
    pub label: String,
}

/// What the timeline draws.
#[derive(Clone, Debug, PartialEq)]
pub struct Timeline {
    pub start_ms: u64,
    pub end_ms: u64,
    /// The restorable window, when point-in-time recovery is on.
    pub window: Option<(u64, u64)>,
    /// The non-empty slices, oldest first.
    pub bins: Vec<Bin>,
    pub marks: Vec<Mark>,
}

impl Timeline {
    /// Where `at_ms` falls on the axis, 0 to 1.
    pub fn fraction(&self, at_ms: u64) -> f64 {
        let span = self.end_ms.saturating_sub(self.start_ms).max(1) as f64;
        (at_ms.saturating_sub(self.start_ms) as f64 / span).clamp(0.0, 1.0)
    }

    /// The time at `fraction` (0 to 1) of the axis, to the millisecond.
    pub fn at(&self, fraction: f64) -> u64 {
        let span = self.end_ms.saturating_sub(self.start_ms) as f64;
        self.start_ms.saturating_add((span * fraction.clamp(0.0, 1.0)).round() as u64)
    }
}

/// How far back the axis reaches when there is no history yet: one minute.
const EMPTY_SPAN_MS: u64 = 60_000;

/// `table`'s history in `bins` slices.
pub fn timeline_of(engine: &Engine, table: &str, bins: usize) -> Timeline {
    let now = engine.now_ms();
    let window = engine.pitr(table).map(|p| p.window(now, engine.config.pitr_lag_ms));
    let log = engine.change_log(table);
    let marks = marks(engine, table);
    let oldest = log
        .and_then(|l| l.first())
        .map(|c| c.at_ms)
        .into_iter()
        .chain(window.map(|w| w.0))
        .chain(marks.iter().map(|m| m.at_ms));
    let start_ms = oldest.min().unwrap_or(now.saturating_sub(EMPTY_SPAN_MS)).min(now.saturating_sub(1));
    let mut line = Timeline { start_ms, end_ms: now, window, bins: Vec::new(), marks };
    let n = bins.max(1);
    let mut slices = vec![Bin::default(); n];
    if let Some(log) = log {
        for c in log.iter() {
            let slice = ((line.fraction(c.at_ms) * n as f64) as usize).min(n - 1);
            let Some(b) = slices.get_mut(slice) else { continue };
            match (&c.before, &c.after) {
                (None, _) => b.inserts += 1,
                (Some(_), None) => b.removes += 1,
                (Some(_), Some(_)) => b.modifies += 1,
            }
        }
    }
    let width = (now - start_ms) as f64 / n as f64;
    for (i, mut b) in slices.into_iter().enumerate() {
        b.start_ms = start_ms.saturating_add((width * i as f64) as u64);
        b.end_ms = start_ms.saturating_add((width * (i + 1) as f64) as u64);
        if b.total() > 0 {
            line.bins.push(b);
        }
    }
    line
}

/// The table's on-demand backups and exports, oldest first.
fn marks(engine: &Engine, table: &str) -> Vec<Mark> {
    let arn = engine.arn(table);
    let backups = engine.backups().iter().filter(|b| b.def.name == table);
    let mut marks: Vec<Mark> =
        backups.map(|b| Mark { at_ms: b.created_ms, kind: "backup", label: b.name.clone() }).collect();
    let exports = engine.exports().iter().filter(|e| e.table_arn == arn);
    marks.extend(exports.map(|e| Mark {
        at_ms: e.export_time_ms,
        kind: "export",
        label: format!("export {}", e.id()),
    }));
    crate::sorted::sort_by_key(&mut marks, |m| m.at_ms);
    marks
}

#[cfg(test)]
mod tests;
