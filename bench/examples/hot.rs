//! One operation of the workload, over and over on Dynaplay's engine, for a profiler:
//! `cargo build --release -p dynaplay-bench --example hot` then
//! `perf record --call-graph dwarf target/release/examples/hot GetItem 200000`.
//! The table is loaded first; the load is a small share of the profile.

use dynaplay_bench::{batch, get, load, put, query, update, Db, KEYS, PER_KEY};
use dynaplay_engine::{Config, Engine};

struct Dynaplay {
    engine: Engine,
    now: u64,
}

impl Db for Dynaplay {
    fn call(&mut self, operation: &str, body: &str) -> String {
        self.now += 1;
        self.engine.request(operation, body.as_bytes(), self.now).body
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let operation = args.next().unwrap_or_else(|| "GetItem".into());
    let times: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(200_000);
    let mut db = Dynaplay { engine: Engine::new(Config::default()), now: 1_700_000_000_000 };
    load(&mut db);
    let bodies: Vec<String> = (0..times)
        .map(|n| {
            let (k, s) = ((n * 7_919) % KEYS, (n * 7_919 / KEYS) % PER_KEY);
            match operation.as_str() {
                "PutItem" => put(KEYS + n, 0),
                "UpdateItem" => update(k, s),
                "Query" => query(k),
                "BatchWriteItem" => batch(2 * KEYS + n, 0),
                _ => get(k, s),
            }
        })
        .collect();
    let started = std::time::Instant::now();
    let mut bytes = 0usize;
    for body in &bodies {
        bytes += db.call(&operation, body).len();
    }
    let took = started.elapsed();
    println!("{times} × {operation}: {took:?} ({:.0}/s, {bytes} bytes answered)", times as f64 / took.as_secs_f64());
}
