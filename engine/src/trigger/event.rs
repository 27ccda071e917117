//! The event a Lambda function receives from a DynamoDB stream: `{"Records": [...]}`, each
//! record as the Streams API gives it plus the stream's ARN (`eventSourceARN`), which is
//! where Lambda's records differ from GetRecords'.

use serde_json::{json, Value};

use crate::log::Logged;
use crate::streams::record::record_json;
use crate::streams::Stream;

/// The event of one batch of `changes` (in stream order) from `stream`.
pub fn lambda_event<'c>(stream: &Stream, changes: impl IntoIterator<Item = Logged<'c>>, region: &str) -> Value {
    let records: Vec<Value> = changes.into_iter().map(|c| record(stream, c, region)).collect();
    json!({ "Records": records })
}

/// One record as Lambda delivers it (what filters are matched against).
pub fn record(stream: &Stream, change: Logged<'_>, region: &str) -> Value {
    let mut r = record_json(stream, change, region);
    if let Value::Object(m) = &mut r {
        m.insert("eventSourceARN".into(), json!(stream.arn));
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{Config, Engine};

    #[test]
    fn a_batch_is_the_stream_records_with_their_source_arn() {
        let mut e = Engine::new(Config::default());
        let create = json!({"TableName": "Orders", "BillingMode": "PAY_PER_REQUEST",
            "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_AND_OLD_IMAGES"},
            "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
            "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}]});
        assert_eq!(e.request("CreateTable", create.to_string().as_bytes(), 1_000).status, 200);
        for (n, total) in [(1, "5"), (2, "7")] {
            let put = json!({"TableName": "Orders", "Item": {"id": {"S": "o1"}, "total": {"N": total}}});
            assert_eq!(e.request("PutItem", put.to_string().as_bytes(), 2_000 * n).status, 200);
        }
        let stream = e.streams().current("Orders").unwrap();
        let log = e.change_log("Orders").unwrap();
        let event = lambda_event(stream, log.iter(), "us-east-1");
        let records = event["Records"].as_array().unwrap();
        assert_eq!(records.len(), 2);
        assert_eq!(records[0]["eventSourceARN"], json!(stream.arn));
        assert_eq!(
            (records[0]["eventName"].as_str(), records[1]["eventName"].as_str()),
            (Some("INSERT"), Some("MODIFY"))
        );
        assert_eq!(records[1]["dynamodb"]["OldImage"]["total"], json!({"N": "5"}));
        assert_eq!(records[1]["dynamodb"]["NewImage"]["total"], json!({"N": "7"}));
        assert_eq!(records[0]["eventSource"], "aws:dynamodb");
    }
}
