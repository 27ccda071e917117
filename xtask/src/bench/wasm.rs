//! `cargo xtask bench --wasm`: the workload of `bench/src/workload.rs` natively
//! (`src/bin/hot.rs --json`) and as WebAssembly built as the page's is (the
//! `wasm-release` profile, then wasm-opt with the page's flags), run in Node's V8, the
//! JavaScript engine Chromium runs the page's wasm with. Same requests, same answers
//! (their byte counts must agree).
//!
//! One run of each moved by a third between runs on a busy 2-core machine, more than
//! the difference it measures; so the two run in turn, [`ROUNDS`] times, each in a fresh
//! process, and each operation's ratio is the median of the rounds' ratios (with their
//! range), taken from runs next to each other.

use std::process::Command;

use serde_json::Value;

use crate::{cargo, node, root, run, wasm_opt, Result};

/// Requests per operation (a Scan page stands for 1,000, a batch for 25).
const REQUESTS: &str = "20000";

/// Native and wasm runs, in turn.
const ROUNDS: usize = 5;

pub fn compare() -> Result {
    run(cargo().args(["build", "--release", "-p", "dynaplay-bench", "--bin", "hot"]))?;
    let wasm_build = ["--profile", "wasm-release", "--target", "wasm32-unknown-unknown"];
    run(cargo().args(["build", "-p", "dynaplay-bench", "--lib"]).args(wasm_build))?;
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root().join("target"), Into::into);
    let built = target.join("wasm32-unknown-unknown/wasm-release/dynaplay_bench.wasm");
    let module = built.with_file_name("dynaplay_bench.opt.wasm");
    run(&mut wasm_opt(&built, &module))?;
    let mut rounds = Vec::with_capacity(ROUNDS);
    for _ in 0..ROUNDS {
        let native = lines(Command::new(target.join("release/hot")).args(["--json", REQUESTS]))?;
        let wasm = lines(node().arg("bench/wasm.mjs").arg(&module).arg(REQUESTS))?;
        rounds.push(Round { native, wasm });
    }
    println!("{}", table(&rounds)?);
    Ok(())
}

/// One native run and the wasm run after it: a JSON line per operation each.
struct Round {
    native: Vec<Value>,
    wasm: Vec<Value>,
}

impl Round {
    /// `op`'s (native, wasm) lines; an error when their answers' byte counts differ.
    fn pair<'a>(&'a self, op: &str) -> Result<Option<(&'a Value, &'a Value)>> {
        let find = |lines: &'a [Value]| lines.iter().find(move |l| l["operation"] == op);
        let (Some(n), Some(w)) = (find(&self.native), find(&self.wasm)) else { return Ok(None) };
        if n["bytes"] != w["bytes"] {
            return Err(format!("{op}: native answered {} bytes, wasm {}", n["bytes"], w["bytes"]));
        }
        Ok(Some((n, w)))
    }
}

/// The JSON lines `cmd` prints.
fn lines(cmd: &mut Command) -> Result<Vec<Value>> {
    eprintln!("xtask: running {cmd:?}");
    let out = cmd.output().map_err(|e| format!("cannot run {cmd:?}: {e}"))?;
    if !out.status.success() {
        return Err(format!("{cmd:?} failed: {}", String::from_utf8_lossy(&out.stderr)));
    }
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines().map(|l| serde_json::from_str(l).map_err(|e| format!("{l}: {e}"))).collect()
}

/// The median of `xs` (the upper one of an even count); 0 for none.
fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs.get(xs.len() / 2).copied().unwrap_or(0.0)
}

/// Requests a second of one JSON line.
fn rate(v: &Value) -> f64 {
    v["requests"].as_f64().unwrap_or(0.0) * 1000.0 / v["ms"].as_f64().unwrap_or(1.0).max(1e-9)
}

fn ms(v: &Value) -> f64 {
    v["ms"].as_f64().unwrap_or(0.0)
}

fn table(rounds: &[Round]) -> Result<String> {
    let mut out = format!(
        "| 100,000 items, requests/s (median of {}) | native | wasm (page's build, V8) | wasm time ÷ native: median (range) |\n|---|---|---|---|\n",
        rounds.len()
    );
    let ops = rounds.first().map_or(&[][..], |r| &r.native[..]);
    for op in ops.iter().filter_map(|n| n["operation"].as_str()).filter(|op| *op != "load") {
        let pairs = rounds.iter().map(|r| r.pair(op)).collect::<Result<Option<Vec<_>>>>()?;
        let Some(pairs) = pairs else { continue };
        let ratios: Vec<f64> = pairs.iter().map(|(n, w)| ms(w) / ms(n).max(1e-9)).collect();
        let (low, high) = ratios.iter().fold((f64::MAX, 0.0f64), |(l, h), r| (l.min(*r), h.max(*r)));
        let native = median(pairs.iter().map(|(n, _)| rate(n)).collect());
        let wasm = median(pairs.iter().map(|(_, w)| rate(w)).collect());
        out += &format!("| {op} | {native:.0} | {wasm:.0} | {:.2}× ({low:.2}–{high:.2}) |\n", median(ratios));
    }
    let loads = rounds.iter().map(|r| r.pair("load")).collect::<Result<Option<Vec<_>>>>()?;
    if let Some(loads) = loads.filter(|l| !l.is_empty()) {
        let ratios: Vec<f64> = loads.iter().map(|(n, w)| ms(w) / ms(n).max(1e-9)).collect();
        let (native, wasm) =
            (median(loads.iter().map(|(n, _)| ms(n)).collect()), median(loads.iter().map(|(_, w)| ms(w)).collect()));
        let mib = loads.last().map_or(0.0, |(_, w)| w["memoryBytes"].as_f64().unwrap_or(0.0) / 1_048_576.0);
        out += &format!(
            "\nLoading the 100,000 items (medians): native {native:.0} ms, wasm {wasm:.0} ms, wasm ÷ native {:.2}×; wasm memory afterwards {mib:.0} MiB.\n",
            median(ratios)
        );
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_table_sets_each_operation_side_by_side_and_refuses_differing_answers() {
        let line = |op: &str, ms: f64, bytes: u64| json!({"operation": op, "requests": 1000, "ms": ms, "bytes": bytes});
        let round = |native_ms: f64, wasm_ms: f64, load_ms: f64| Round {
            native: vec![json!({"operation": "load", "ms": 1000.0}), line("GetItem", native_ms, 5)],
            wasm: vec![
                json!({"operation": "load", "ms": load_ms, "memoryBytes": 104857600}),
                line("GetItem", wasm_ms, 5),
            ],
        };
        // Ratios 1.5, 3.0 and 1.2: the median is the middle one, the range both ends.
        let rounds = [round(10.0, 15.0, 1500.0), round(5.0, 15.0, 1400.0), round(10.0, 12.0, 1600.0)];
        let t = table(&rounds).unwrap();
        assert!(t.contains("| GetItem | 100000 | 66667 | 1.50× (1.20–3.00) |"), "{t}");
        assert!(t.contains("(median of 3)"), "{t}");
        let load = "Loading the 100,000 items (medians): native 1000 ms, wasm 1500 ms, wasm ÷ native 1.50×; wasm memory afterwards 100 MiB.";
        assert!(t.contains(load), "{t}");
        assert!(!t.contains("| load |"), "{t}");
        let wrong = [Round { native: vec![line("GetItem", 10.0, 5)], wasm: vec![line("GetItem", 15.0, 6)] }];
        assert!(table(&wrong).is_err());
    }

    #[test]
    fn the_median_of_an_even_count_is_the_upper_middle() {
        assert_eq!(median(vec![4.0, 1.0, 3.0, 2.0]), 3.0);
        assert_eq!(median(vec![]), 0.0);
    }
}
