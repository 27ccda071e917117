//! Export to S3 and import from S3: the jobs, their files and the formats they read and
//! write.
//!
//! - [`export`]: ExportTableToPointInTime's job. The data files are written to the bucket
//!   when the export is requested (one gzip file per partition, read from point-in-time
//!   recovery at the export time); the manifests when the engine clock reaches its end,
//!   when it turns COMPLETED ([`complete_exports`], run by the scheduler).
//! - [`import`]: ImportTable's job. The new table is built when the import is requested and
//!   stays CREATING, and the import IN_PROGRESS, until its end on the engine clock.
//! - [`lines`], [`ion`], [`csv_rows`], [`compression`]: the file formats.

pub mod compression;
pub mod csv_rows;
pub mod export;
pub mod export_files;
pub mod import;
pub mod ion;
pub mod lines;

use crate::engine::Engine;
use crate::trace::Trace;

/// An export's or import's id: the 14-digit request time and 8 hex digits, as AWS writes
/// them (`01234567890123-a1b2c3d4`).
pub fn job_id(seed: &str, now_ms: u64) -> String {
    let hex = crate::s3::hex_md5(format!("{seed}:{now_ms}").as_bytes());
    format!("{now_ms:014}-{}", hex.get(..8).unwrap_or_default())
}

/// Writes the manifests of exports whose end the clock has reached: they turn COMPLETED.
pub fn complete_exports(engine: &mut Engine, trace: &mut Trace) {
    let now = engine.now_ms;
    for e in engine.exports.iter_mut().filter(|e| e.due(now)) {
        e.complete(&mut engine.s3, trace);
        trace.jobs_changed.insert(e.arn.clone());
    }
}

/// Whether [`complete_exports`] has work at `now_ms`.
pub fn exports_due(engine: &Engine, now_ms: u64) -> bool {
    engine.exports.iter().any(|e| e.due(now_ms))
}
