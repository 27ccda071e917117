//! One operation of the workload, over and over on Dynaplay's engine: for a profiler
//! (`cargo build --release -p dynaplay-bench --bin hot`, then
//! `perf record --call-graph dwarf target/release/hot GetItem 200000`; `--reload [records per
//! step]` times a reload of the loaded workspace, in one go and in steps), and as
//! the native side of `cargo xtask bench --wasm` (`--json`: the load, then every operation, one line of
//! JSON each). The table is loaded first; the load is a small share of a profile.

use std::time::{Duration, Instant};

use dynaplay_bench::workload::{Records, Workload, OPERATIONS};
use dynaplay_bench::TABLE;
use dynaplay_engine::snapshot::Reload;
use dynaplay_engine::Config;

/// How many of the workload's items one request of `op` stands for, roughly: a Scan
/// page reads the whole first megabyte, a batch writes 25.
fn per_request(op: &str) -> usize {
    match op {
        "Scan" => 1000,
        "BatchWriteItem" => 25,
        _ => 1,
    }
}

/// The same reload in steps of `per_step` records, as the page runs it: the whole time,
/// and the longest step (the longest the page could not draw, less the browser's part).
fn in_steps(records: &Records, per_step: usize) -> String {
    let tables: Vec<serde_json::Value> = records.tables.iter().filter_map(|t| serde_json::from_str(t).ok()).collect();
    let started = Instant::now();
    let mut reload = Reload::new(Config::default(), records.clock, &tables, &records.items, &records.changes);
    let (mut steps, mut longest) = (0, Duration::ZERO);
    loop {
        let step = Instant::now();
        let done = match reload.step(per_step) {
            Ok(done) => done,
            Err(e) => return format!("the reload failed at step {steps}: {e}"),
        };
        (steps, longest) = (steps + 1, longest.max(step.elapsed()));
        if done {
            break;
        }
    }
    let finish = Instant::now();
    let engine = reload.finish();
    let finish = finish.elapsed();
    longest = longest.max(finish);
    let items = match engine {
        Ok(engine) => engine.table(TABLE).map_or(0, |t| t.item_count()),
        Err(e) => return format!("the reload failed at its finish: {e}"),
    };
    format!(
        "in {steps} steps of {per_step} records and a finish: {:?}, longest {longest:?}, the finish {finish:?} ({items} items)",
        started.elapsed()
    )
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let started = Instant::now();
    let mut w = Workload::loaded();
    let load_ms = started.elapsed().as_secs_f64() * 1000.0;
    if args.first().map(String::as_str) == Some("--json") {
        println!("{{\"operation\":\"load\",\"ms\":{load_ms}}}");
        let n: usize = args.get(1).and_then(|n| n.parse().ok()).unwrap_or(20_000);
        for op in OPERATIONS {
            let times = n / per_request(op);
            w.prepare(op, times);
            let started = Instant::now();
            let bytes = w.run();
            let ms = started.elapsed().as_secs_f64() * 1000.0;
            println!("{{\"operation\":\"{op}\",\"requests\":{times},\"ms\":{ms},\"bytes\":{bytes}}}");
        }
        return;
    }
    if args.first().map(String::as_str) == Some("--reload") {
        let records = w.records();
        let started = Instant::now();
        let items = records.restore();
        let bytes: usize = records.items.iter().chain(&records.changes).map(String::len).sum();
        println!(
            "reload of {items} items ({} change records, {bytes} bytes of records): {:?}",
            records.changes.len(),
            started.elapsed()
        );
        let per_step: usize = args.get(1).and_then(|n| n.parse().ok()).unwrap_or(5_000);
        println!("{}", in_steps(&records, per_step));
        return;
    }
    let operation = args.first().cloned().unwrap_or_else(|| "GetItem".into());
    let times: usize = args.get(1).and_then(|n| n.parse().ok()).unwrap_or(200_000);
    w.prepare(&operation, times);
    let started = Instant::now();
    let bytes = w.run();
    let took = started.elapsed();
    println!("{times} × {operation}: {took:?} ({:.0}/s, {bytes} bytes answered)", times as f64 / took.as_secs_f64());
}
