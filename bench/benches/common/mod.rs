//! The two databases behind the workload's `Db`: Dynaplay's engine (its wire entry
//! point) and dynoxide (each request deserialised, run, and its answer serialised, as its
//! HTTP server does).

use dynaplay_bench::Db;
use dynaplay_engine::{Config, Engine};
use dynoxide::actions::{batch_write_item, create_table, get_item, put_item, query, scan, update_item};

pub struct Dynaplay {
    pub engine: Engine,
    now: u64,
}

impl Dynaplay {
    pub fn new() -> Dynaplay {
        Dynaplay { engine: Engine::new(Config::default()), now: 1_700_000_000_000 }
    }
}

impl Db for Dynaplay {
    fn call(&mut self, operation: &str, body: &str) -> String {
        self.now += 1;
        self.engine.request(operation, body.as_bytes(), self.now).body
    }
}

pub struct Dynoxide(pub dynoxide::Database);

impl Dynoxide {
    pub fn new() -> Dynoxide {
        Dynoxide(dynoxide::Database::memory().expect("an in-memory dynoxide"))
    }
}

/// Deserialises `body`, runs it with `f`, serialises the answer or the error.
fn run<Q: serde::de::DeserializeOwned, A: serde::Serialize, E: std::fmt::Debug>(
    body: &str,
    f: impl FnOnce(Q) -> Result<A, E>,
) -> String {
    match serde_json::from_str::<Q>(body) {
        Ok(request) => match f(request) {
            Ok(answer) => serde_json::to_string(&answer).unwrap_or_default(),
            Err(e) => format!("{{\"__type\":\"error\",\"message\":{:?}}}", format!("{e:?}")),
        },
        Err(e) => format!("{{\"__type\":\"SerializationException\",\"message\":{:?}}}", e.to_string()),
    }
}

impl Db for Dynoxide {
    fn call(&mut self, operation: &str, body: &str) -> String {
        let db = &self.0;
        match operation {
            "CreateTable" => run(body, |r: create_table::CreateTableRequest| db.create_table(r)),
            "PutItem" => run(body, |r: put_item::PutItemRequest| db.put_item(r)),
            "GetItem" => run(body, |r: get_item::GetItemRequest| db.get_item(r)),
            "UpdateItem" => run(body, |r: update_item::UpdateItemRequest| db.update_item(r)),
            "Query" => run(body, |r: query::QueryRequest| db.query(r)),
            "Scan" => run(body, |r: scan::ScanRequest| db.scan(r)),
            "BatchWriteItem" => run(body, |r: batch_write_item::BatchWriteItemRequest| db.batch_write_item(r)),
            other => panic!("the workload does not use {other}"),
        }
    }
}
