//! Small helpers shared by the four views that show what DynamoDB hides: text for keys
//! and values, the hash-space scale, heat colours, and running a request through the
//! one engine handle.

use dynaplay_engine::table::{KeyValue, ScalarType, Table};
use dynaplay_engine::value::{item_from_json, AttributeValue};
use dynaplay_engine::Response;
use serde_json::{json, Value};

use crate::handle::EngineHandle;

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

/// A key value as a learner would type it: the string, the number, or the base64.
pub fn key_text(key: &KeyValue) -> String {
    value_text(&key.to_attribute())
}

pub fn value_text(value: &AttributeValue) -> String {
    match value.to_json() {
        Value::Object(m) => match m.into_iter().next() {
            Some((_, Value::String(s))) => s,
            Some((_, other)) => other.to_string(),
            None => String::new(),
        },
        other => other.to_string(),
    }
}

/// Parses a key typed as text into a key value of type `ty`, with the engine's own checks.
pub fn parse_key(ty: ScalarType, text: &str) -> Result<KeyValue, String> {
    let item = item_from_json(&json!({ "k": { ty.as_str(): text } })).map_err(|e| e.message)?;
    item.get("k").and_then(KeyValue::from_attribute).ok_or_else(|| "not a key value".to_string())
}

/// The table's key attributes: (partition key name and type, sort key name and type).
pub fn key_schema(table: &Table) -> ((String, ScalarType), Option<(String, ScalarType)>) {
    let s = &table.def.schema;
    ((s.hash.name.clone(), s.hash.ty), s.range.as_ref().map(|r| (r.name.clone(), r.ty)))
}

/// A fill colour for heat (0 = idle, 1 = at the partition's limit).
pub fn heat_color(heat: f64) -> String {
    let h = heat.clamp(0.0, 1.0);
    format!("hsl({:.0}, {:.0}%, {:.0}%)", 210.0 - 210.0 * h, 45.0 + 40.0 * h, 62.0 - 10.0 * h)
}

pub fn bytes_text(n: u64) -> String {
    // AWS's units are binary: 400 KB is 409,600 bytes, a partition's 10 GB is 10 × 2^30.
    // Takes u64: on wasm32 `usize` is 32 bits and 10 GB does not fit.
    const KB: u64 = 1 << 10;
    const MB: u64 = 1 << 20;
    const GB: u64 = 1 << 30;
    let scaled = |unit: u64, name: &str| {
        let text = format!("{:.1}", n as f64 / unit as f64);
        format!("{} {name}", text.strip_suffix(".0").unwrap_or(&text))
    };
    match n {
        n if n >= GB => scaled(GB, "GB"),
        n if n >= 10 * MB => scaled(MB, "MB"),
        n if n >= 10 * KB => scaled(KB, "KB"),
        n => format!("{n} B"),
    }
}

/// Units as AWS prints them: `1`, `0.5`, `12.5`.
pub fn units(u: f64) -> String {
    format!("{u}")
}

/// The outcome of one request made by a view: the response, or why it did not run.
#[derive(Clone, Debug)]
pub struct Outcome {
    pub request: Value,
    pub status: u16,
    pub body: Value,
    pub response: Option<Response>,
    pub error: Option<String>,
}

impl Outcome {
    pub fn ok(&self) -> bool {
        self.status == 200 && self.error.is_none()
    }

    /// AWS's error text (`__type: message`), when the request failed.
    pub fn error_text(&self) -> Option<String> {
        if let Some(e) = &self.error {
            return Some(e.clone());
        }
        (self.status != 200).then(|| {
            let (kind, message) = dynaplay_engine::wire::error_of(&self.body).unwrap_or_default();
            format!("{kind}: {message}")
        })
    }

    /// `ConsumedCapacity.CapacityUnits` of a single-table response.
    pub fn consumed(&self) -> Option<f64> {
        self.body["ConsumedCapacity"]["CapacityUnits"].as_f64()
    }
}

/// Sends `request` through the handle (so it is persisted, in the history, and seen by
/// every view) and keeps the trace.
pub async fn run(handle: &EngineHandle, operation: &str, request: Value) -> Outcome {
    match handle.request(operation, &request.to_string()).await {
        Ok(r) => Outcome {
            status: r.status,
            body: serde_json::from_str(&r.body).unwrap_or(Value::Null),
            request,
            response: Some(r),
            error: None,
        },
        Err(e) => Outcome { request, status: 0, body: Value::Null, response: None, error: Some(e.to_string()) },
    }
}

#[cfg(test)]
mod tests {
    use super::bytes_text;

    #[test]
    fn byte_sizes_read_as_aws_writes_them() {
        assert_eq!(bytes_text(52), "52 B");
        assert_eq!(bytes_text(409_600), "400 KB");
        assert_eq!(bytes_text(1_048_576 * 16), "16 MB");
        // A partition's real limit: 10 GB, not the 2147.5 MB a 32-bit cast gave.
        assert_eq!(bytes_text(10 * 1024 * 1024 * 1024), "10 GB");
        assert_eq!(bytes_text(dynaplay_engine::table::PARTITION_BYTES), "10 GB");
    }
}
