#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]
//! What the page's views of a table's history cost to compute when its change log holds
//! 100,000 changes (a bulk load the day before: the log keeps 24 hours): the stream view,
//! the timeline, point-in-time recovery, the replicas view and the Time to Live panel,
//! each as `inspect` gives it; and the partitions view of its 100,000 items.
//! A view reruns after each change it follows, so each is paid per write. And a Query
//! of a global index (always a follower's read) while 500 changes are in the lag window,
//! and a stream trigger's poll with nothing new to read (the scheduler polls on every
//! request).
//!
//! Run: `cargo bench -p dynaplay-engine --bench views`.

use criterion::{criterion_group, criterion_main, Criterion};
use dynaplay_engine::trigger::mapping::Mapping;
use dynaplay_engine::trigger::poller::{Handler, Poller, Source};
use dynaplay_engine::{inspect, Config, Engine};
use serde_json::json;

const CHANGES: u64 = 100_000;
const T0: u64 = 1_700_000_000_000;

/// A table with a stream, point-in-time recovery and Time to Live (on an attribute no
/// item has), followers a second behind, and `CHANGES` puts a millisecond apart; the
/// clock stops half a second after the last.
fn loaded() -> Engine {
    let mut e = Engine::new(Config { replication_lag_ms: 1000, ..Config::default() });
    let create = json!({"TableName": "history", "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "v", "AttributeType": "N"}],
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
        "GlobalSecondaryIndexes": [{"IndexName": "byV", "Projection": {"ProjectionType": "ALL"},
            "KeySchema": [{"AttributeName": "v", "KeyType": "HASH"}]}],
        "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_AND_OLD_IMAGES"}});
    assert_eq!(e.request("CreateTable", create.to_string().as_bytes(), T0).status, 200);
    let pitr =
        json!({"TableName": "history", "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": true}});
    assert_eq!(e.request("UpdateContinuousBackups", pitr.to_string().as_bytes(), T0 + 60_000).status, 200);
    let ttl = json!({"TableName": "history", "TimeToLiveSpecification": {"Enabled": true, "AttributeName": "expires"}});
    assert_eq!(e.request("UpdateTimeToLive", ttl.to_string().as_bytes(), T0 + 60_000).status, 200);
    for i in 0..CHANGES {
        let put = json!({"TableName": "history", "Item": {"pk": {"S": format!("k{i}")}, "v": {"N": i.to_string()}}});
        e.request("PutItem", put.to_string().as_bytes(), T0 + 120_000 + i);
    }
    e.tick(END);
    e
}

const END: u64 = T0 + 120_000 + CHANGES + 500;

fn bench(c: &mut Criterion) {
    let mut e = loaded();
    let mut group = c.benchmark_group("views at 100,000 changes");
    group.bench_function("stream view (streams_of, 20 records)", |b| b.iter(|| inspect::streams_of(&e, "history", 20)));
    group.bench_function("timeline (timeline_of, 60 bins)", |b| b.iter(|| inspect::timeline_of(&e, "history", 60)));
    group.bench_function("point-in-time recovery (pitr_of, 20 changes)", |b| {
        b.iter(|| inspect::pitr_of(&e, "history", 20))
    });
    group.bench_function("replicas view (replicas_of)", |b| b.iter(|| inspect::replicas_of(&e, "history")));
    let table = e.table("history").unwrap();
    group.bench_function("Time to Live panel (ttl_of, nothing expired)", |b| {
        b.iter(|| inspect::ttl_of(table, 0, END, 20))
    });
    group.bench_function("partitions view (partition_map, and collections for 1,500 dots)", |b| {
        b.iter(|| (inspect::partition_map(table, END), inspect::collections(table, None, 1500)))
    });
    let mut i = 0u64;
    group.bench_function("Query of a global index, 500 changes in the lag window", |b| {
        b.iter(|| {
            i = (i + 7_919) % CHANGES;
            let query = json!({"TableName": "history", "IndexName": "byV", "KeyConditionExpression": "v = :v",
                "ExpressionAttributeValues": {":v": {"N": i.to_string()}}});
            let r = e.request("Query", query.to_string().as_bytes(), END);
            assert_eq!(r.status, 200, "{}", r.body);
            r
        })
    });
    let stream = e.streams().current("history").unwrap();
    let log = e.change_log("history").unwrap();
    let src = Source { stream, log, region: "us-east-1" };
    let mut poller = Poller::new(Mapping::parse(&json!({"StartingPosition": "TRIM_HORIZON"})).unwrap(), log);
    while poller.poll(src, END + 60_000, &mut Ignore) > 0 {}
    group.bench_function("a trigger's poll with nothing new", |b| {
        b.iter(|| poller.poll(src, END + 60_000, &mut Ignore))
    });
    group.finish();
}

/// A trigger's function that takes every batch.
struct Ignore;

impl Handler for Ignore {
    fn handle(&mut self, _: &serde_json::Value) -> Result<(), String> {
        Ok(())
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
