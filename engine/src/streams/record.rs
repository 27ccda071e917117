//! A change as a stream record, in AWS's shape (`Record` and `StreamRecord`).

use serde_json::{json, Map, Value};

use super::Stream;
use crate::log::{Logged, Principal};
use crate::value::{item_size, item_to_json};

/// A sequence number as AWS writes them: a string of at least 21 digits.
pub fn sequence_number(seq: u64) -> String {
    format!("{seq:021}")
}

/// The record of `change` in `stream`, in `region`.
pub fn record_json(stream: &Stream, change: Logged<'_>, region: &str) -> Value {
    let view = stream.view;
    let mut data = Map::new();
    // Epoch seconds, rounded down, as AWS documents it.
    data.insert("ApproximateCreationDateTime".into(), json!(change.at_ms / 1000));
    let keys = change.key(&stream.keys);
    data.insert("Keys".into(), item_to_json(&keys));
    let mut size = item_size(&keys);
    if let (true, Some(new)) = (view.new_image(), &change.after) {
        data.insert("NewImage".into(), item_to_json(&new.item()));
        size += new.size();
    }
    if let (true, Some(old)) = (view.old_image(), &change.before) {
        data.insert("OldImage".into(), item_to_json(&old.item()));
        size += old.size();
    }
    data.insert("SequenceNumber".into(), json!(sequence_number(change.seq)));
    data.insert("SizeBytes".into(), json!(size));
    data.insert("StreamViewType".into(), json!(view.as_str()));
    let mut record = Map::new();
    record.insert("eventID".into(), json!(event_id(&stream.arn, change.seq)));
    record.insert("eventName".into(), json!(change.event_name()));
    record.insert("eventVersion".into(), json!("1.1"));
    record.insert("eventSource".into(), json!("aws:dynamodb"));
    record.insert("awsRegion".into(), json!(region));
    record.insert("dynamodb".into(), Value::Object(data));
    if change.principal() == Principal::TtlService {
        record.insert("userIdentity".into(), json!({"type": "Service", "principalId": "dynamodb.amazonaws.com"}));
    }
    Value::Object(record)
}

/// A record's `eventID`: 32 hex digits, the same for the same record on every replay.
fn event_id(arn: &str, seq: u64) -> String {
    use md5::{Digest, Md5};
    Md5::digest(format!("{arn}:{seq}").as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}
