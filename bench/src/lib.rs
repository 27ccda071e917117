//! The workload Dynaplay's engine and its peers run side by side (`cargo xtask bench`):
//! one table of 100,000 items, 2,000 partition keys × 50 sort keys, about 120 bytes each,
//! every request and answer JSON text as on the wire. `benches/peers.rs` times each
//! operation in both; `benches/memory.rs` measures what loading the table costs in memory.

use serde_json::json;

#[cfg(target_arch = "wasm32")]
mod wasm;
pub mod workload;

pub const KEYS: usize = 2_000;
pub const PER_KEY: usize = 50;
pub const ITEMS: usize = KEYS * PER_KEY;
pub const TABLE: &str = "bench";

/// A database the workload runs on: one request (operation, JSON body) in, the answer's
/// JSON text out.
pub trait Db {
    fn call(&mut self, operation: &str, body: &str) -> String;
}

pub fn create_table() -> String {
    json!({"TableName": TABLE, "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "N"}],
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}]})
    .to_string()
}

pub fn item(k: usize, s: usize) -> serde_json::Value {
    json!({"pk": {"S": format!("user-{k:05}")}, "sk": {"N": s.to_string()},
        "name": {"S": "a reasonably sized attribute"}, "count": {"N": "42"}, "tags": {"SS": ["a", "b"]}})
}

pub fn put(k: usize, s: usize) -> String {
    json!({"TableName": TABLE, "Item": item(k, s)}).to_string()
}

pub fn key(k: usize, s: usize) -> serde_json::Value {
    json!({"pk": {"S": format!("user-{k:05}")}, "sk": {"N": s.to_string()}})
}

pub fn get(k: usize, s: usize) -> String {
    json!({"TableName": TABLE, "Key": key(k, s)}).to_string()
}

pub fn update(k: usize, s: usize) -> String {
    json!({"TableName": TABLE, "Key": key(k, s), "UpdateExpression": "ADD #c :one SET #n = :n",
        "ExpressionAttributeNames": {"#c": "count", "#n": "name"},
        "ExpressionAttributeValues": {":one": {"N": "1"}, ":n": {"S": "renamed"}}})
    .to_string()
}

pub fn query(k: usize) -> String {
    json!({"TableName": TABLE, "KeyConditionExpression": "pk = :p",
        "ExpressionAttributeValues": {":p": {"S": format!("user-{k:05}")}}})
    .to_string()
}

/// A Scan page, from `start` (an answer's LastEvaluatedKey).
pub fn scan(start: Option<&serde_json::Value>) -> String {
    let mut body = json!({"TableName": TABLE});
    if let Some(s) = start {
        body["ExclusiveStartKey"] = s.clone();
    }
    body.to_string()
}

/// 25 new items for the partition key `k` (beyond the loaded ones).
pub fn batch(k: usize, from: usize) -> String {
    let puts: Vec<_> = (from..from + 25).map(|s| json!({"PutRequest": {"Item": item(k, s)}})).collect();
    json!({"RequestItems": {TABLE: puts}}).to_string()
}

/// Makes the table and loads its 100,000 items (in batches of 25).
pub fn load(db: &mut dyn Db) {
    db.call("CreateTable", &create_table());
    for k in 0..KEYS {
        for from in (0..PER_KEY).step_by(25) {
            let answer = db.call("BatchWriteItem", &batch(k, from));
            assert!(answer.contains("UnprocessedItems") && !answer.contains("__type"), "{answer}");
        }
    }
}

/// What [`scan_all`] reads of a Scan page: its count and where the next page starts. The
/// items, a field it does not name, are skipped without being built, so that, as for every other
/// operation, the time is the database's: building the answer's 2 MiB of items as a
/// `serde_json::Value` took most of a page's time, the same for either database.
#[derive(serde::Deserialize)]
struct Page {
    #[serde(rename = "Count")]
    count: usize,
    #[serde(rename = "LastEvaluatedKey")]
    last: Option<serde_json::Value>,
}

/// Scans the whole table page by page; the items read.
pub fn scan_all(db: &mut dyn Db) -> usize {
    let (mut n, mut start) = (0, None);
    loop {
        let answer = db.call("Scan", &scan(start.as_ref()));
        let page: Page = serde_json::from_str(&answer).unwrap_or_else(|e| panic!("{e}: {answer:.200}"));
        n += page.count;
        match page.last {
            Some(k) => start = Some(k),
            None => return n,
        }
    }
}
