#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]
//! PutItem, GetItem, Query and Scan through the wire entry point (JSON in, JSON out) on a
//! table of 100,000 items: 1,000 partition keys × 100 sort keys, ~100 bytes each; and
//! GetItem with IAM enforced; and a page of a Query deep in one collection of 100,000
//! items.
//!
//! Run: `cargo bench -p dynaplay-engine` (or `cargo xtask bench`).

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use dynaplay_engine::{Config, Engine};
use serde_json::json;

const KEYS: usize = 1_000;
const PER_KEY: usize = 100;

fn loaded() -> Engine {
    let mut e = Engine::new(Config::default());
    let create = json!({"TableName": "bench", "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "N"}],
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}]});
    e.request("CreateTable", create.to_string().as_bytes(), 1);
    let mut now = 2;
    for k in 0..KEYS {
        for s in 0..PER_KEY {
            now += 1;
            let put = put_body(k, s);
            e.request("PutItem", put.as_bytes(), now);
        }
    }
    e
}

fn put_body(k: usize, s: usize) -> String {
    json!({"TableName": "bench", "Item": {"pk": {"S": format!("user-{k:05}")}, "sk": {"N": s.to_string()},
        "name": {"S": "a reasonably sized attribute"}, "count": {"N": "42"}, "tags": {"SS": ["a", "b"]}}})
    .to_string()
}

/// PutItems replacing existing items, `step_ms` apart on the engine clock.
fn bench_puts(c: &mut Criterion, name: &str, engine: &mut Engine, (now, i): (&mut u64, &mut usize), step_ms: u64) {
    c.bench_function(name, |b| {
        b.iter_batched(
            || {
                *i += 1;
                put_body(*i % KEYS, *i % PER_KEY)
            },
            |body| {
                *now += step_ms;
                let r = engine.request("PutItem", body.as_bytes(), *now);
                assert_eq!(r.status, 200, "{}", r.body);
                r
            },
            BatchSize::SmallInput,
        )
    });
}

fn bench(c: &mut Criterion) {
    let mut engine = loaded();
    let mut now = 1_000_000u64;
    let mut i = 0usize;
    bench_puts(c, "PutItem (replace, 100k-item table)", &mut engine, (&mut now, &mut i), 1);
    // The same writes with capacity enforced, 2 ms apart: 500 write units a second, under
    // the one partition's 1,000, so every write is admitted (the admission step's cost).
    engine.config.enforce_capacity = true;
    bench_puts(c, "PutItem (replace, capacity enforced)", &mut engine, (&mut now, &mut i), 2);
    engine.config.enforce_capacity = false;
    c.bench_function("GetItem", |b| {
        b.iter_batched(
            || {
                i += 7;
                json!({"TableName": "bench", "Key": {"pk": {"S": format!("user-{:05}", i % KEYS)}, "sk": {"N": (i % PER_KEY).to_string()}}}).to_string()
            },
            |body| engine.request("GetItem", body.as_bytes(), now),
            BatchSize::SmallInput,
        )
    });
    bench_iam_get(c, &mut engine, now, &mut i);
    c.bench_function("Query (one collection, 100 items)", |b| {
        b.iter_batched(
            || {
                i += 13;
                json!({"TableName": "bench", "KeyConditionExpression": "pk = :p", "ExpressionAttributeValues": {":p": {"S": format!("user-{:05}", i % KEYS)}}}).to_string()
            },
            |body| engine.request("Query", body.as_bytes(), now),
            BatchSize::SmallInput,
        )
    });
    let mut group = c.benchmark_group("Scan");
    group.sample_size(10);
    group.bench_function("Scan (whole table, all pages)", |b| {
        b.iter(|| {
            let mut start: Option<serde_json::Value> = None;
            let mut total = 0u64;
            loop {
                let mut body = json!({"TableName": "bench"});
                if let Some(s) = start.take() {
                    body["ExclusiveStartKey"] = s;
                }
                let r = engine.request("Scan", body.to_string().as_bytes(), now);
                let v: serde_json::Value = serde_json::from_str(&r.body).unwrap_or_default();
                total += v["Count"].as_u64().unwrap_or(0);
                match v.get("LastEvaluatedKey") {
                    Some(k) => start = Some(k.clone()),
                    None => break,
                }
            }
            assert_eq!(total as usize, KEYS * PER_KEY);
        })
    });
    group.finish();
    bench_deep_query(c);
}

/// What the index Scan reads of a page: its items are skipped without being built, so
/// the time is the engine's.
#[derive(serde::Deserialize)]
struct PageHead {
    #[serde(rename = "Count")]
    count: u64,
    #[serde(rename = "LastEvaluatedKey")]
    last: Option<serde_json::Value>,
}

/// One collection of 100,000 items (a time series), and a Query reading 25 of them from
/// its middle, as a page after an `ExclusiveStartKey` and as a key condition: what a page
/// costs when the collection is large.
fn bench_deep_query(c: &mut Criterion) {
    const DEEP: usize = 100_000;
    let mut e = Engine::new(Config::default());
    let create = json!({"TableName": "series", "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "N"},
            {"AttributeName": "v", "AttributeType": "N"}],
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        "GlobalSecondaryIndexes": [{"IndexName": "byV", "Projection": {"ProjectionType": "ALL"},
            "KeySchema": [{"AttributeName": "v", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}]}]});
    e.request("CreateTable", create.to_string().as_bytes(), 1);
    for s in 0..DEEP {
        let put = json!({"TableName": "series", "Item": {"pk": {"S": "sensor"}, "sk": {"N": s.to_string()}, "v": {"N": (s % 1000).to_string()},
            "pad": {"S": "x".repeat(100)}}});
        e.request("PutItem", put.to_string().as_bytes(), 2);
    }
    let mut i = 0usize;
    let mut query = |extra: serde_json::Value| {
        i = (i + 7_919) % (DEEP - 100);
        let mut body = json!({"TableName": "series", "KeyConditionExpression": "pk = :p", "Limit": 25,
            "ExpressionAttributeValues": {":p": {"S": "sensor"}}});
        for (k, v) in extra.as_object().into_iter().flatten() {
            body[k] = v.clone();
        }
        let text = body.to_string().replace("$AT", &i.to_string());
        let r = e.request("Query", text.as_bytes(), 3);
        assert!(r.body.contains("\"Count\":25"), "{}", r.body);
        r
    };
    c.bench_function("Query (25 items past an ExclusiveStartKey, 100,000-item collection)", |b| {
        b.iter(|| query(json!({"ExclusiveStartKey": {"pk": {"S": "sensor"}, "sk": {"N": "$AT"}}})))
    });
    c.bench_function("Query (25 items with sk > a value, 100,000-item collection)", |b| {
        b.iter(|| {
            query(json!({"KeyConditionExpression": "pk = :p AND sk > :at",
                "ExpressionAttributeValues": {":p": {"S": "sensor"}, ":at": {"N": "$AT"}}}))
        })
    });
    let mut group = c.benchmark_group("Scan");
    group.sample_size(10);
    group.bench_function("Scan (a 100,000-entry global index, all pages)", |b| {
        b.iter(|| {
            let (mut start, mut total) = (None::<serde_json::Value>, 0u64);
            loop {
                let mut body = json!({"TableName": "series", "IndexName": "byV"});
                if let Some(s) = start.take() {
                    body["ExclusiveStartKey"] = s;
                }
                let page: PageHead =
                    serde_json::from_str(&e.request("Scan", body.to_string().as_bytes(), 3).body).unwrap();
                total += page.count;
                match page.last {
                    Some(k) => start = Some(k),
                    None => break,
                }
            }
            assert_eq!(total as usize, DEEP);
        })
    });
    group.finish();
}

/// GetItem with IAM enforced, as a principal whose policy has a LeadingKeys condition:
/// the cost of the check every request then passes.
fn bench_iam_get(c: &mut Criterion, engine: &mut Engine, now: u64, i: &mut usize) {
    let arn = "arn:aws:iam::000000000000:user/bench";
    let policy = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:Query"],
        "Resource": "arn:aws:dynamodb:*:*:table/bench",
        "Condition": {"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["user-*"]}}}]});
    let put = json!({"Arn": arn, "Policies": [{"PolicyName": "rows", "PolicyDocument": policy.to_string()}]});
    assert_eq!(engine.request("PutPrincipal", put.to_string().as_bytes(), now).status, 200);
    assert_eq!(engine.request("UpdateAccessControl", br#"{"Enforce": true}"#, now).status, 200);
    let access = dynaplay_engine::wire::Access { principal: Some(arn), owner: false };
    c.bench_function("GetItem (IAM enforced, LeadingKeys condition)", |b| {
        b.iter_batched(
            || {
                *i += 7;
                json!({"TableName": "bench", "Key": {"pk": {"S": format!("user-{:05}", *i % KEYS)}, "sk": {"N": (*i % PER_KEY).to_string()}}}).to_string()
            },
            |body| {
                let r = engine.request_as(access, "GetItem", body.as_bytes(), now);
                assert_eq!(r.status, 200, "{}", r.body);
                r
            },
            BatchSize::SmallInput,
        )
    });
    assert_eq!(engine.request("UpdateAccessControl", br#"{"Enforce": false}"#, now).status, 200);
}

criterion_group!(benches, bench);
criterion_main!(benches);
