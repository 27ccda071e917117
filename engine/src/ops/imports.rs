//! What the import operations share: finding an import and describing one in AWS's shapes
//! (`ImportTableDescription`, `ImportSummary`), and ListImports' hex page token.

use serde_json::{json, Map, Value};

use super::exports::seconds;
use crate::engine::Engine;
use crate::error::{Error, ErrorKind, Result};
use crate::transfer::import::Import;

/// The import `arn` names, or AWS's ImportNotFoundException.
pub fn find<'e>(engine: &'e Engine, arn: &str) -> Result<&'e Import> {
    engine
        .imports
        .iter()
        .find(|i| i.arn == arn)
        .ok_or_else(|| Error::new(ErrorKind::ImportNotFound, format!("Import not found: {arn}")))
}

/// The CloudWatch log group AWS writes import errors to.
pub fn log_group(engine: &Engine) -> String {
    format!("arn:aws:logs:{}:{}:log-group:/aws-dynamodb/imports:*", engine.config.region, engine.config.account_id)
}

/// `ImportTableDescription` at engine time `now_ms`.
pub fn description(engine: &Engine, i: &Import, now_ms: u64) -> Value {
    let status = i.status(now_ms);
    let mut m = Map::new();
    m.insert("ImportArn".into(), json!(i.arn));
    m.insert("ImportStatus".into(), json!(status));
    m.insert("TableArn".into(), json!(i.table_arn));
    m.insert("TableId".into(), json!(i.table_id));
    if let Some(t) = &i.client_token {
        m.insert("ClientToken".into(), json!(t));
    }
    m.insert("S3BucketSource".into(), i.source.clone());
    m.insert("ErrorCount".into(), json!(if status == "IN_PROGRESS" { 0 } else { i.error_count }));
    m.insert("CloudWatchLogGroupArn".into(), json!(log_group(engine)));
    m.insert("InputFormat".into(), json!(i.format));
    if let Some(o) = &i.format_options {
        m.insert("InputFormatOptions".into(), o.clone());
    }
    m.insert("InputCompressionType".into(), json!(i.compression));
    m.insert("TableCreationParameters".into(), i.creation.clone());
    m.insert("StartTime".into(), seconds(i.start_ms));
    if status != "IN_PROGRESS" {
        m.insert("EndTime".into(), seconds(i.end_ms));
        m.insert("ProcessedSizeBytes".into(), json!(i.processed_bytes));
        m.insert("ProcessedItemCount".into(), json!(i.processed_items));
        m.insert("ImportedItemCount".into(), json!(i.imported_items));
        if let Some((code, message)) = &i.failure {
            m.insert("FailureCode".into(), json!(code));
            m.insert("FailureMessage".into(), json!(message));
        }
    }
    Value::Object(m)
}

/// An `ImportSummaryList` entry.
pub fn summary(engine: &Engine, i: &Import, now_ms: u64) -> Value {
    let mut s = json!({
        "ImportArn": i.arn, "ImportStatus": i.status(now_ms), "TableArn": i.table_arn,
        "S3BucketSource": i.source, "CloudWatchLogGroupArn": log_group(engine), "InputFormat": i.format,
        "StartTime": seconds(i.start_ms),
    });
    if let (false, Value::Object(m)) = (i.status(now_ms) == "IN_PROGRESS", &mut s) {
        m.insert("EndTime".into(), seconds(i.end_ms));
    }
    s
}

/// ListImports' `NextToken`: the service model wants 112 or more hex digits in groups of
/// 16, so the last listed ARN is written in hex, zero-padded.
pub fn page_token(arn: &str) -> String {
    let mut hex: String = arn.bytes().map(|b| format!("{b:02x}")).collect();
    while hex.len() < 112 || hex.len() % 16 != 0 {
        hex.push('0');
    }
    hex
}

/// The ARN a [`page_token`] names.
pub fn read_page_token(token: &str) -> Option<String> {
    let bytes: Option<Vec<u8>> = (0..token.len() / 2)
        .map(|i| token.get(2 * i..2 * i + 2).and_then(|h| u8::from_str_radix(h, 16).ok()))
        .collect();
    let mut bytes = bytes?;
    while bytes.last() == Some(&0) {
        bytes.pop();
    }
    String::from_utf8(bytes).ok()
}
