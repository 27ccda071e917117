//! What the inspect tests share: a request that must succeed, and an engine with one
//! on-demand table keyed by a string `k`.

use serde_json::{json, Value};

use crate::{Config, Engine};

/// Runs `op` at `now`, which must succeed; the response body.
pub fn ok(e: &mut Engine, op: &str, body: Value, now: u64) -> String {
    let r = e.request(op, body.to_string().as_bytes(), now);
    assert_eq!(r.status, 200, "{op}: {}", r.body);
    r.body
}

/// An engine with `config` and an on-demand table `name` keyed by a string `k`, made at `now`.
pub fn keyed(config: Config, name: &str, now: u64) -> Engine {
    let mut e = Engine::new(config);
    let create = json!({"TableName": name, "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{"AttributeName": "k", "AttributeType": "S"}], "KeySchema": [{"AttributeName": "k", "KeyType": "HASH"}]});
    ok(&mut e, "CreateTable", create, now);
    e
}
