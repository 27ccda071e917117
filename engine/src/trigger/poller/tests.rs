//! The poller against a real table's stream: batches in order, filters, the batching
//! window, retries, bisection and the on-failure list, `LATEST`.

use serde_json::{json, Value};

use super::*;
use crate::engine::{Config, Engine};

const T0: u64 = 1_700_000_000_000;

/// Records each batch's `id`s; fails a batch holding an item with `fail: true`.
#[derive(Default)]
struct Recorder(Vec<Vec<String>>);

impl Handler for Recorder {
    fn handle(&mut self, event: &Value) -> Result<(), String> {
        let records = event["Records"].as_array().cloned().unwrap_or_default();
        let ids = records.iter().map(|r| r["dynamodb"]["Keys"]["id"]["S"].as_str().unwrap_or("").to_string()).collect();
        self.0.push(ids);
        if records.iter().any(|r| r["dynamodb"]["NewImage"]["fail"]["BOOL"] == json!(true)) {
            return Err("handler failed".into());
        }
        Ok(())
    }
}

/// A table with a stream and `ids` put one a millisecond from T0 (`bad` ones failing).
fn engine(ids: &[&str], bad: &[&str]) -> Engine {
    let mut e = Engine::new(Config::default());
    let create = json!({"TableName": "Orders", "BillingMode": "PAY_PER_REQUEST",
        "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_IMAGE"},
        "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}]});
    e.request("CreateTable", create.to_string().as_bytes(), T0);
    for (i, id) in ids.iter().enumerate() {
        let put = json!({"TableName": "Orders", "Item": {"id": {"S": id}, "fail": {"BOOL": bad.contains(id)}}});
        e.request("PutItem", put.to_string().as_bytes(), T0 + 1 + i as u64);
    }
    e
}

fn poller(e: &Engine, settings: Value) -> Poller {
    Poller::new(Mapping::parse(&settings).unwrap(), e.change_log("Orders").unwrap())
}

fn poll(e: &Engine, p: &mut Poller, h: &mut Recorder, now: u64) {
    let src = Source {
        stream: e.streams().current("Orders").unwrap(),
        log: e.change_log("Orders").unwrap(),
        region: "us-east-1",
    };
    p.poll(src, now, h);
}

#[test]
fn batches_follow_the_stream_in_order_and_filters_skip_records() {
    let e = engine(&["a", "b", "c", "d", "e"], &[]);
    let pattern = r#"{"dynamodb": {"Keys": {"id": {"S": [{"anything-but": "c"}]}}}}"#;
    let mut p = poller(
        &e,
        json!({"StartingPosition": "TRIM_HORIZON", "BatchSize": 2, "FilterCriteria": {"Filters": [{"Pattern": pattern}]}}),
    );
    let mut h = Recorder::default();
    for t in 0..4 {
        poll(&e, &mut p, &mut h, T0 + 1_000 + t);
    }
    assert_eq!(h.0, vec![vec!["a", "b"], vec!["d", "e"]]);
    assert_eq!(p.invocations.len(), 2);
    assert!(p.failures.is_empty());
}

#[test]
fn a_small_batch_waits_for_the_batching_window() {
    let e = engine(&["a"], &[]);
    let mut p = poller(&e, json!({"StartingPosition": "TRIM_HORIZON", "MaximumBatchingWindowInSeconds": 5}));
    let mut h = Recorder::default();
    poll(&e, &mut p, &mut h, T0 + 4_000);
    assert!(h.0.is_empty(), "the window has not passed");
    poll(&e, &mut p, &mut h, T0 + 5_001);
    assert_eq!(h.0, vec![vec!["a"]]);
}

#[test]
fn a_failing_batch_is_retried_then_sent_to_the_on_failure_list() {
    let e = engine(&["a", "b", "c"], &["b"]);
    let mut p = poller(&e, json!({"StartingPosition": "TRIM_HORIZON", "BatchSize": 2, "MaximumRetryAttempts": 2}));
    let mut h = Recorder::default();
    for t in 0..5 {
        poll(&e, &mut p, &mut h, T0 + 1_000 + t * 100_000);
    }
    // The first try and two retries of [a, b], then the shard moves on to [c].
    assert_eq!(h.0, vec![vec!["a", "b"], vec!["a", "b"], vec!["a", "b"], vec!["c"]]);
    assert_eq!(p.invocations.iter().map(|i| i.retry).collect::<Vec<_>>(), vec![0, 1, 2, 0]);
    assert_eq!(p.failures.len(), 1);
    assert_eq!(
        (p.failures[0].reason.as_str(), p.failures[0].error.as_str()),
        ("RetryAttemptsExhausted", "handler failed")
    );
    assert_eq!(p.failures[0].seqs.len(), 2);
}

#[test]
fn a_retry_waits_for_its_backoff() {
    let e = engine(&["a"], &["a"]);
    let mut p = poller(&e, json!({"StartingPosition": "TRIM_HORIZON"}));
    let mut h = Recorder::default();
    for at in [1_000, 1_500, 1_999, 2_000, 3_000, 3_999, 4_000] {
        poll(&e, &mut p, &mut h, T0 + at);
    }
    // Tries at 1 s, then 1 s, 2 s and 4 s... after each failure.
    let at: Vec<u64> = p.invocations.iter().map(|i| i.at_ms - T0).collect();
    assert_eq!(at, vec![1_000, 2_000, 4_000]);
    assert_eq!((backoff_ms(0), backoff_ms(1), backoff_ms(6), backoff_ms(60)), (1_000, 2_000, 64_000, 64_000));
}

#[test]
fn bisection_isolates_the_bad_record() {
    let e = engine(&["a", "b", "c", "d"], &["c"]);
    let mut p = poller(
        &e,
        json!({"StartingPosition": "TRIM_HORIZON", "BatchSize": 4, "MaximumRetryAttempts": 1, "BisectBatchOnFunctionError": true}),
    );
    let mut h = Recorder::default();
    for t in 0..8 {
        poll(&e, &mut p, &mut h, T0 + 1_000 + t * 100_000);
    }
    let expected: Vec<Vec<&str>> =
        vec![vec!["a", "b", "c", "d"], vec!["a", "b"], vec!["c", "d"], vec!["c"], vec!["c"], vec!["d"]];
    assert_eq!(h.0, expected);
    assert_eq!(p.failures.len(), 1);
    assert_eq!(p.failures[0].seqs.len(), 1, "only the bad record is given up");
}

#[test]
fn records_too_old_are_given_up_and_latest_skips_the_past() {
    let e = engine(&["a", "b"], &["a"]);
    let mut p = poller(&e, json!({"StartingPosition": "TRIM_HORIZON", "MaximumRecordAgeInSeconds": 60}));
    let mut h = Recorder::default();
    poll(&e, &mut p, &mut h, T0 + 1_000);
    poll(&e, &mut p, &mut h, T0 + 120_000);
    assert_eq!(p.failures.iter().map(|f| f.reason.as_str()).collect::<Vec<_>>(), vec!["RecordAgeExceeded"]);

    let mut latest = poller(&e, json!({"StartingPosition": "LATEST"}));
    let mut h = Recorder::default();
    poll(&e, &mut latest, &mut h, T0 + 1_000);
    assert!(h.0.is_empty(), "records before the trigger are not read");
}

#[test]
fn after_splits_every_record_arrives_once_parents_before_children() {
    let mut e = Engine::new(Config::default());
    let create = json!({"TableName": "Orders", "BillingMode": "PAY_PER_REQUEST", "DynaplayTeachingScale": 1_000_000_000,
        "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_IMAGE"},
        "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}]});
    e.request("CreateTable", create.to_string().as_bytes(), T0);
    let ids: Vec<String> = (0..12).map(|i| format!("k{i}")).collect();
    for (i, id) in ids.iter().enumerate() {
        let put = json!({"TableName": "Orders", "Item": {"id": {"S": id}}});
        e.request("PutItem", put.to_string().as_bytes(), T0 + 1 + i as u64);
    }
    assert!(e.streams().current("Orders").unwrap().shards.len() > 3, "the partitions split");
    let mut p = poller(&e, json!({"StartingPosition": "TRIM_HORIZON"}));
    let mut h = Recorder::default();
    for t in 0..40 {
        poll(&e, &mut p, &mut h, T0 + 1_000 + t);
    }
    let mut seen: Vec<String> = h.0.concat();
    #[expect(clippy::disallowed_methods, reason = "a test, not in the page")]
    seen.sort();
    let mut want = ids.clone();
    #[expect(clippy::disallowed_methods, reason = "a test, not in the page")]
    want.sort();
    assert_eq!(seen, want);
    // A parent's batches all come before its children's.
    let stream = e.streams().current("Orders").unwrap();
    let first_at = |shard: &str| p.invocations.iter().position(|i| i.shard == shard);
    let last_at = |shard: &str| p.invocations.iter().rposition(|i| i.shard == shard);
    for s in &stream.shards {
        if let (Some(parent), Some(child_first)) = (&s.parent, first_at(&s.id)) {
            assert!(last_at(parent).is_none_or(|l| l < child_first), "{parent} before {}", s.id);
        }
    }
}
