//! `cargo xtask bench [--peers | --wasm | --report]`: everything issue 21 measures, in
//! one command. In order:
//! - the engine's own criterion benchmarks;
//! - Dynaplay's engine against dynoxide on one workload (crate `dynaplay-bench`), as a
//!   table of ratios read from criterion's estimates and the memory bench's results,
//!   and the engine's heap allocations per request on it (`src/bin/allocs.rs`);
//! - the workload natively and as the page's WebAssembly, side by side (`bench/wasm.rs`);
//! - the browser figures (`cargo xtask measure`).
//!
//! `--peers` runs only the second, `--wasm` only the third, and `--report` prints the last
//! run's peer table, running nothing.

use std::path::Path;

use serde_json::Value;

use crate::{cargo, root, run, Result};

mod wasm;

/// Each compared operation: criterion's group name, and what its rate counts.
const OPERATIONS: &[(&str, &str)] = &[
    ("PutItem (new items)", "items/s"),
    ("GetItem", "items/s"),
    ("UpdateItem (ADD + SET)", "items/s"),
    ("Query (50 items)", "queries/s"),
    ("Scan (whole table, paged)", "items/s"),
    ("BatchWriteItem (25 new items)", "items/s"),
];

pub fn bench(args: &[String]) -> Result {
    let flag = |f: &str| args.iter().any(|a| a == f);
    if flag("--wasm") {
        return wasm::compare();
    }
    let everything = !flag("--report") && !flag("--peers");
    if everything {
        run(cargo().args(["bench", "-p", "dynaplay-engine"]))?;
    }
    if !flag("--report") {
        run(cargo().args(["bench", "-p", "dynaplay-bench"]))?;
        // Allocations per request: a count, the same on every run, beside the times.
        run(cargo().args(["run", "--release", "-p", "dynaplay-bench", "--bin", "allocs"]))?;
    }
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root().join("target"), Into::into);
    println!("{}", table(&target.join("criterion")));
    if everything {
        wasm::compare()?;
        crate::measure()?;
    }
    Ok(())
}

fn read(path: &Path) -> Option<Value> {
    serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()
}

/// Operations (or elements) per second of one benchmark, from its mean time per
/// iteration and its throughput.
fn rate(dir: &Path, group: &str, database: &str, per_query: bool) -> Option<f64> {
    let at = dir.join(group).join(database);
    let ns = read(&at.join("new/estimates.json"))?["mean"]["point_estimate"].as_f64()?;
    let elements = read(&at.join("new/benchmark.json"))?["throughput"]["Elements"].as_f64().unwrap_or(1.0);
    let per_iteration = if per_query { 1.0 } else { elements };
    Some(per_iteration * 1e9 / ns)
}

fn human(rate: f64) -> String {
    if rate >= 10_000.0 {
        format!("{:.0}k", rate / 1000.0)
    } else if rate >= 1_000.0 {
        format!("{:.1}k", rate / 1000.0)
    } else {
        format!("{rate:.0}")
    }
}

/// The table the README and the notes quote.
fn table(dir: &Path) -> String {
    let mut out = String::from(
        "| embedded, 100,000 items | Dynaplay | dynoxide 3.2 (SQLite in memory) | ratio |\n|---|---|---|---|\n",
    );
    for (group, unit) in OPERATIONS {
        let per_query = *unit == "queries/s";
        match (rate(dir, group, "dynaplay", per_query), rate(dir, group, "dynoxide", per_query)) {
            (Some(a), Some(b)) => {
                out += &format!("| {group} | {} {unit} | {} {unit} | {:.2}× |\n", human(a), human(b), a / b);
            }
            _ => out += &format!("| {group} | not measured | not measured | |\n"),
        }
    }
    out + &memory_row(&dir.join("memory"))
}

fn memory_row(dir: &Path) -> String {
    let mib = |b: f64| b / 1_048_576.0;
    let (Some(ours), Some(theirs)) = (read(&dir.join("dynaplay.json")), read(&dir.join("dynoxide.json"))) else {
        return "| memory grown by loading the items | not measured | not measured | |\n".into();
    };
    let grown = |v: &Value| v["grownBytes"].as_f64().unwrap_or(0.0);
    let raw = ours["rawBytes"].as_f64().unwrap_or(1.0).max(1.0);
    let items = ours["items"].as_f64().unwrap_or(1.0).max(1.0);
    let cell = |g: f64| format!("{:.0} MiB ({:.1}× raw, {:.0} B/item)", mib(g), g / raw, g / items);
    let row = format!(
        "| memory grown by loading {:.1} MiB of item data | {} | {} | {:.2}× |\n",
        mib(raw),
        cell(grown(&ours)),
        cell(grown(&theirs)),
        grown(&theirs) / grown(&ours).max(1.0)
    );
    let heap = |key: &str| ours[key].as_f64();
    let row = match (heap("liveHeapBytes"), heap("liveHeapAfterLogTrimBytes")) {
        (Some(live), Some(trimmed)) => format!(
            "{row}\nDynaplay's live heap after loading: {:.0} MiB; {:.0} MiB once the change log is trimmed a day later ({:.0} B/item).\n",
            mib(live),
            mib(trimmed),
            trimmed / items
        ),
        _ => row,
    };
    row + &reload_line(&ours["reload"], items)
}

/// The memory bench's reload: the records' text, the engine rebuilt, the peak beyond the text.
fn reload_line(reload: &Value, items: f64) -> String {
    let mib = |key: &str| reload[key].as_f64().map(|b| b / 1_048_576.0);
    let (Some(text), Some(engine), Some(peak)) = (mib("recordTextBytes"), mib("engineBytes"), mib("peakBytes")) else {
        return String::new();
    };
    format!(
        "A reload from the records ({text:.0} MiB of text) rebuilds {engine:.0} MiB ({:.0} B/item) and peaks at {peak:.0} MiB beyond the text.\n",
        engine * 1_048_576.0 / items
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_reads_criterions_estimates_and_the_memory_results() {
        let dir = std::env::temp_dir().join(format!("xtask-bench-{}", std::process::id()));
        for (db, ns) in [("dynaplay", 2_000_000.0), ("dynoxide", 8_000_000.0)] {
            let at = dir.join("Query (50 items)").join(db).join("new");
            std::fs::create_dir_all(&at).unwrap();
            std::fs::write(at.join("estimates.json"), format!("{{\"mean\": {{\"point_estimate\": {ns}}}}}")).unwrap();
            std::fs::write(at.join("benchmark.json"), "{\"throughput\": {\"Elements\": 50}}").unwrap();
        }
        std::fs::create_dir_all(dir.join("memory")).unwrap();
        std::fs::write(
            dir.join("memory/dynaplay.json"),
            r#"{"grownBytes": 20971520, "rawBytes": 10485760, "items": 100000, "liveHeapBytes": 16777216, "liveHeapAfterLogTrimBytes": 8388608,
                "reload": {"recordTextBytes": 31457280, "engineBytes": 12582912, "peakBytes": 20971520}}"#,
        )
        .unwrap();
        std::fs::write(dir.join("memory/dynoxide.json"), r#"{"grownBytes": 41943040}"#).unwrap();
        let t = table(&dir);
        assert!(t.contains("| Query (50 items) | 500 queries/s | 125 queries/s | 4.00× |"), "{t}");
        assert!(t.contains("| GetItem | not measured |"), "{t}");
        assert!(t.contains("| memory grown by loading 10.0 MiB of item data | 20 MiB (2.0× raw, 210 B/item) | 40 MiB (4.0× raw, 419 B/item) | 2.00× |"), "{t}");
        assert!(
            t.contains(
                "live heap after loading: 16 MiB; 8 MiB once the change log is trimmed a day later (84 B/item)."
            ),
            "{t}"
        );
        assert!(
            t.contains("A reload from the records (30 MiB of text) rebuilds 12 MiB (126 B/item) and peaks at 20 MiB beyond the text."),
            "{t}"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
