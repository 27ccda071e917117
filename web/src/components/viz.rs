//! Small helpers shared by the views that show what DynamoDB hides: the hash-space scale,
//! heat colours, and running a request through the one engine handle.

use serde_json::Value;

use crate::handle::EngineHandle;
use crate::model::Outcome;

/// Width of every hash-space drawing, in SVG units.
pub const WIDTH: f64 = 640.0;

/// Where `hash` falls on a hash-space drawing of width [`WIDTH`].
pub fn x_of(hash: u64) -> f64 {
    hash as f64 / u64::MAX as f64 * WIDTH
}

/// A hash as DynamoDB-style hex, shortened: `0x2b6dcace…`.
pub fn short_hash(hash: u64) -> String {
    format!("0x{:08x}…", hash >> 32)
}

pub fn full_hash(hash: u64) -> String {
    format!("0x{hash:016x}")
}

/// A fill colour for heat (0 = idle, 1 = at the partition's limit).
pub fn heat_color(heat: f64) -> String {
    let h = heat.clamp(0.0, 1.0);
    format!("hsl({:.0}, {:.0}%, {:.0}%)", 210.0 - 210.0 * h, 45.0 + 40.0 * h, 62.0 - 10.0 * h)
}

/// Sends `request` through the handle (so it is persisted, in the history, and seen by
/// every view) and keeps the trace.
pub async fn run(handle: &EngineHandle, operation: &str, request: Value) -> Outcome {
    match handle.request(operation, &request.to_string()).await {
        Ok(r) => Outcome::of(request, r),
        Err(e) => Outcome::failed(request, e.to_string()),
    }
}

/// A signal that changes every second while the calling view is open: views whose
/// figures follow the engine clock (heat fading, expiry, replicas catching up) track it,
/// since the clock moving alone bumps no version.
pub fn every_second() -> leptos::prelude::RwSignal<u64> {
    use leptos::prelude::*;
    let tick = RwSignal::new(0u64);
    if let Ok(handle) = set_interval_with_handle(move || tick.update(|t| *t += 1), std::time::Duration::from_secs(1)) {
        on_cleanup(move || handle.clear());
    }
    tick
}
