//! What the export operations share: reading a table ARN, finding an export, and
//! describing one in AWS's shapes (`ExportDescription`, `ExportSummary`).

use serde_json::{json, Map, Value};

use crate::engine::Engine;
use crate::error::{Error, ErrorKind, Result};
use crate::transfer::export::Export;

pub fn seconds(ms: u64) -> Value {
    json!(ms as f64 / 1000.0)
}

/// The table name of a table ARN (`arn:aws:dynamodb:<region>:<account>:table/<name>`).
pub fn table_of_arn(arn: &str) -> Option<&str> {
    let (head, name) = arn.split_once(":table/")?;
    (head.starts_with("arn:") && !name.is_empty() && !name.contains('/')).then_some(name)
}

/// The export `arn` names, or AWS's ExportNotFoundException.
pub fn find<'e>(engine: &'e Engine, arn: &str) -> Result<&'e Export> {
    engine
        .exports
        .iter()
        .find(|e| e.arn == arn)
        .ok_or_else(|| Error::new(ErrorKind::ExportNotFound, format!("Export not found: {arn}")))
}

/// `ExportDescription`.
pub fn description(e: &Export) -> Value {
    let mut m = Map::new();
    let mut put = |k: &str, v: Value| {
        if !v.is_null() {
            m.insert(k.into(), v);
        }
    };
    put("ExportArn", json!(e.arn));
    put("ExportStatus", json!(e.status()));
    put("StartTime", seconds(e.start_ms));
    if e.status() != "IN_PROGRESS" {
        put("EndTime", seconds(e.end_ms));
    }
    if e.completed {
        put("ExportManifest", json!(format!("{}manifest-summary.json", e.folder())));
    }
    put("TableArn", json!(e.table_arn));
    put("TableId", json!(e.table_id));
    put("ExportTime", seconds(e.export_time_ms));
    put("ClientToken", json!(e.client_token));
    put("S3Bucket", json!(e.bucket));
    put("S3BucketOwner", json!(e.bucket_owner));
    put("S3Prefix", json!(e.prefix));
    put("S3SseAlgorithm", json!(e.sse_algorithm.as_deref().unwrap_or("AES256")));
    put("S3SseKmsKeyId", json!(e.sse_key));
    if let Some((code, message)) = &e.failure {
        put("FailureCode", json!(code));
        put("FailureMessage", json!(message));
    }
    put("ExportFormat", json!(e.format.as_str()));
    if e.completed {
        put("BilledSizeBytes", json!(e.billed_bytes));
        put("ItemCount", json!(e.item_count));
    }
    put("ExportType", json!(if e.incremental.is_some() { "INCREMENTAL_EXPORT" } else { "FULL_EXPORT" }));
    if let Some(i) = &e.incremental {
        put(
            "IncrementalExportSpecification",
            json!({ "ExportFromTime": seconds(i.from_ms), "ExportToTime": seconds(i.to_ms), "ExportViewType": i.view }),
        );
    }
    Value::Object(m)
}

/// A `ListExports` entry.
pub fn summary(e: &Export) -> Value {
    let kind = if e.incremental.is_some() { "INCREMENTAL_EXPORT" } else { "FULL_EXPORT" };
    json!({ "ExportArn": e.arn, "ExportStatus": e.status(), "ExportType": kind })
}
