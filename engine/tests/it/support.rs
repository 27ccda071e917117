use dynaplay_engine::{Config, Engine};
use serde_json::{json, Value};

/// One engine with a clock that ticks a millisecond per request.
pub struct Harness {
    pub engine: Engine,
    pub now: u64,
}

impl Harness {
    pub fn new() -> Harness {
        Harness { engine: Engine::new(Config::default()), now: 1_700_000_000_000 }
    }

    /// Sends a request; returns (status, body).
    pub fn call(&mut self, op: &str, body: Value) -> (u16, Value) {
        self.now += 1;
        let r = self.engine.request(op, body.to_string().as_bytes(), self.now);
        let v: Value = serde_json::from_str(&r.body).expect("engine answers JSON");
        (r.status, v)
    }

    /// Sends a request that must succeed.
    pub fn ok(&mut self, op: &str, body: Value) -> Value {
        let (status, v) = self.call(op, body.clone());
        assert_eq!(status, 200, "{op} {body} → {v}");
        v
    }

    /// Sends a request that must fail; returns (short error type, message).
    pub fn err(&mut self, op: &str, body: Value) -> (String, String) {
        let (status, v) = self.call(op, body.clone());
        assert_eq!(status, 400, "{op} {body} → {v}");
        let (short, msg) = dynaplay_engine::wire::error_of(&v).unwrap_or_default();
        (short.to_string(), msg.to_string())
    }

    /// A hash+range table `name` (pk: S, sk: S or N), on demand.
    pub fn table(&mut self, name: &str, sort: Option<&str>) {
        let mut defs = vec![json!({"AttributeName": "pk", "AttributeType": "S"})];
        let mut keys = vec![json!({"AttributeName": "pk", "KeyType": "HASH"})];
        if let Some(t) = sort {
            defs.push(json!({"AttributeName": "sk", "AttributeType": t}));
            keys.push(json!({"AttributeName": "sk", "KeyType": "RANGE"}));
        }
        self.ok(
            "CreateTable",
            json!({"TableName": name, "BillingMode": "PAY_PER_REQUEST", "AttributeDefinitions": defs, "KeySchema": keys}),
        );
    }

    pub fn put(&mut self, table: &str, item: Value) {
        self.ok("PutItem", json!({"TableName": table, "Item": item}));
    }
}
