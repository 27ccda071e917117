//! The S3 page and the export and import panels: buckets and their objects (who owns each
//! and whether the bucket's owner can read it), exports with their progress and files, and
//! imports with their counts and error log.

use crate::engine::Engine;
use crate::s3::Ownership;
use crate::transfer::export::Export;
use crate::transfer::import::ItemError;

/// One object as the S3 page lists it.
#[derive(Clone, Debug, PartialEq)]
pub struct ObjectInfo {
    pub key: String,
    pub size: usize,
    pub owner: String,
    /// Grants besides the owner's, as `account: PERMISSION`.
    pub grants: Vec<String>,
    pub modified_ms: u64,
    /// Whether the bucket's owner can read it: it owns it, or a grant lets it. An export to
    /// another account's bucket without ownership enforced is not readable until
    /// `PutObjectAcl` grants access.
    pub bucket_owner_can_read: bool,
}

/// One bucket.
#[derive(Clone, Debug, PartialEq)]
pub struct BucketInfo {
    pub name: String,
    pub owner: String,
    pub ownership: Ownership,
    pub bytes: usize,
    pub objects: Vec<ObjectInfo>,
}

/// Every bucket with its objects, in name and key order.
pub fn buckets_of(engine: &Engine) -> Vec<BucketInfo> {
    engine
        .s3
        .buckets
        .values()
        .map(|b| {
            let objects: Vec<ObjectInfo> = b
                .objects
                .iter()
                .map(|(k, o)| ObjectInfo {
                    key: k.clone(),
                    size: o.bytes.len(),
                    owner: crate::s3::access::effective_owner(b, o).to_string(),
                    grants: o.grants.iter().map(|g| format!("{}: {}", g.grantee, g.permission)).collect(),
                    modified_ms: o.modified_ms,
                    bucket_owner_can_read: crate::s3::access::effective_owner(b, o) == b.owner
                        || o.grants
                            .iter()
                            .any(|g| g.grantee == b.owner && matches!(g.permission.as_str(), "READ" | "FULL_CONTROL")),
                })
                .collect();
            let bytes = objects.iter().map(|o| o.size).sum();
            BucketInfo { name: b.name.clone(), owner: b.owner.clone(), ownership: b.ownership, bytes, objects }
        })
        .collect()
}

/// One export as its panel shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct ExportInfo {
    pub arn: String,
    pub id: String,
    pub table: String,
    pub status: &'static str,
    /// How far along it is, 0 to 1, on the engine clock.
    pub progress: f64,
    pub kind: &'static str,
    pub format: &'static str,
    pub export_time_ms: u64,
    pub bucket: String,
    pub item_count: u64,
    /// Every object the export wrote, in key order (what its zip holds).
    pub keys: Vec<String>,
    pub failure: Option<String>,
}

/// The exports of `table` (or all), newest first.
pub fn exports_of(engine: &Engine, table: Option<&str>) -> Vec<ExportInfo> {
    let now = engine.now_ms;
    let of_table = |e: &&Export| table.is_none_or(|t| e.table_arn.rsplit('/').next() == Some(t));
    engine.exports.iter().rev().filter(of_table).map(|e| export_info(engine, e, now)).collect()
}

fn export_info(engine: &Engine, e: &Export, now: u64) -> ExportInfo {
    let span = e.end_ms.saturating_sub(e.start_ms);
    let progress = match e.status() {
        "IN_PROGRESS" if span > 0 => (now.saturating_sub(e.start_ms) as f64 / span as f64).min(0.99),
        "IN_PROGRESS" => 0.0,
        _ => 1.0,
    };
    ExportInfo {
        arn: e.arn.clone(),
        id: e.id().to_string(),
        table: e.table_arn.rsplit('/').next().unwrap_or_default().to_string(),
        status: e.status(),
        progress,
        kind: if e.incremental.is_some() { "incremental" } else { "full" },
        format: e.format.as_str(),
        export_time_ms: e.export_time_ms,
        bucket: e.bucket.clone(),
        item_count: e.item_count,
        keys: export_keys(engine, e),
        failure: e.failure.as_ref().map(|(c, m)| format!("{c}: {m}")),
    }
}

/// The keys of the objects an export wrote that are still in its bucket.
fn export_keys(engine: &Engine, e: &Export) -> Vec<String> {
    let Some(bucket) = engine.s3.buckets.get(&e.bucket) else { return Vec::new() };
    let folder = e.folder();
    let mut keys: Vec<String> = bucket.under(&folder).map(|(k, _)| k.clone()).collect();
    keys.extend(
        e.files.iter().map(|f| f.key.clone()).filter(|k| !k.starts_with(&folder) && bucket.objects.contains_key(k)),
    );
    crate::sorted::sort(&mut keys);
    keys
}

/// The files of export `arn`, as (key, bytes): what its zip download holds.
pub fn export_files(engine: &Engine, arn: &str) -> Vec<(String, Vec<u8>)> {
    let Some(e) = engine.exports.iter().find(|e| e.arn == arn) else { return Vec::new() };
    let Some(bucket) = engine.s3.buckets.get(&e.bucket) else { return Vec::new() };
    let keys = export_keys(engine, e);
    keys.into_iter().filter_map(|k| Some((k.clone(), bucket.objects.get(&k)?.bytes.clone()))).collect()
}

/// One import as its panel shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportInfo {
    pub arn: String,
    pub table: String,
    pub status: &'static str,
    pub source: String,
    pub format: String,
    pub compression: String,
    pub processed_items: u64,
    pub imported_items: u64,
    pub error_count: u64,
    pub failure: Option<String>,
    /// The error log, as `key #index: message`.
    pub errors: Vec<String>,
}

/// Every import, newest first.
pub fn imports_of(engine: &Engine) -> Vec<ImportInfo> {
    let now = engine.now_ms;
    let line = |e: &ItemError| format!("{} #{}: {}", e.key, e.item_index, e.message);
    engine
        .imports
        .iter()
        .rev()
        .map(|i| {
            let bucket = i.source.get("S3Bucket").and_then(|v| v.as_str()).unwrap_or_default();
            let prefix = i.source.get("S3KeyPrefix").and_then(|v| v.as_str()).unwrap_or_default();
            let status = i.status(now);
            let done = status != "IN_PROGRESS";
            ImportInfo {
                arn: i.arn.clone(),
                table: i.table_arn.rsplit('/').next().unwrap_or_default().to_string(),
                status,
                source: format!("s3://{bucket}/{prefix}"),
                format: i.format.clone(),
                compression: i.compression.clone(),
                processed_items: if done { i.processed_items } else { 0 },
                imported_items: if done { i.imported_items } else { 0 },
                error_count: if done { i.error_count } else { 0 },
                failure: i.failure.as_ref().filter(|_| done).map(|(c, m)| format!("{c}: {m}")),
                errors: if done { i.errors.iter().map(line).collect() } else { Vec::new() },
            }
        })
        .collect()
}

#[cfg(test)]
mod tests;
