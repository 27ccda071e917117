//! `cargo xtask bench --wasm`: the workload of `bench/src/workload.rs` natively
//! (`src/bin/hot.rs --json`) and as WebAssembly built as the page's is (the
//! `wasm-release` profile, then wasm-opt with the page's flags), run in Node's V8, the
//! JavaScript engine Chromium runs the page's wasm with. Same requests, same answers
//! (their byte counts must agree).

use std::process::Command;

use serde_json::Value;

use crate::{cargo, node, root, run, wasm_opt, Result};

/// Requests per operation (a Scan page stands for 1,000, a batch for 25).
const REQUESTS: &str = "20000";

pub fn compare() -> Result {
    run(cargo().args(["build", "--release", "-p", "dynaplay-bench", "--bin", "hot"]))?;
    let wasm_build = ["--profile", "wasm-release", "--target", "wasm32-unknown-unknown"];
    run(cargo().args(["build", "-p", "dynaplay-bench", "--lib"]).args(wasm_build))?;
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root().join("target"), Into::into);
    let native = lines(Command::new(target.join("release/hot")).args(["--json", REQUESTS]))?;
    let built = target.join("wasm32-unknown-unknown/wasm-release/dynaplay_bench.wasm");
    let module = built.with_file_name("dynaplay_bench.opt.wasm");
    run(&mut wasm_opt(&built, &module))?;
    let wasm = lines(node().arg("bench/wasm.mjs").arg(&module).arg(REQUESTS))?;
    println!("{}", table(&native, &wasm)?);
    Ok(())
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

fn table(native: &[Value], wasm: &[Value]) -> Result<String> {
    let mut out = String::from(
        "| 100,000 items, requests/s | native | wasm (page's build, V8) | wasm time ÷ native |\n|---|---|---|---|\n",
    );
    for n in native {
        let op = n["operation"].as_str().unwrap_or_default();
        let Some(w) = wasm.iter().find(|w| w["operation"] == op) else { continue };
        if n["bytes"] != w["bytes"] {
            return Err(format!("{op}: native answered {} bytes, wasm {}", n["bytes"], w["bytes"]));
        }
        let rate =
            |v: &Value| v["requests"].as_f64().unwrap_or(0.0) * 1000.0 / v["ms"].as_f64().unwrap_or(1.0).max(1e-9);
        let ratio = w["ms"].as_f64().unwrap_or(0.0) / n["ms"].as_f64().unwrap_or(1.0).max(1e-9);
        out += &format!("| {op} | {:.0} | {:.0} | {ratio:.2}× |\n", rate(n), rate(w));
    }
    if let Some(load) = wasm.iter().find(|w| w["operation"] == "load") {
        let mib = load["memoryBytes"].as_f64().unwrap_or(0.0) / 1_048_576.0;
        out += &format!(
            "\nLoading the 100,000 items in wasm: {:.0} ms; wasm memory afterwards {mib:.0} MiB.\n",
            load["ms"].as_f64().unwrap_or(0.0)
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
        let native = [json!({"operation": "GetItem", "requests": 1000, "ms": 10.0, "bytes": 5})];
        let wasm = [
            json!({"operation": "load", "ms": 1500.0, "memoryBytes": 104857600}),
            json!({"operation": "GetItem", "requests": 1000, "ms": 15.0, "bytes": 5}),
        ];
        let t = table(&native, &wasm).unwrap();
        assert!(t.contains("| GetItem | 100000 | 66667 | 1.50× |"), "{t}");
        assert!(t.contains("Loading the 100,000 items in wasm: 1500 ms; wasm memory afterwards 100 MiB."), "{t}");
        let wrong = [json!({"operation": "GetItem", "requests": 1000, "ms": 15.0, "bytes": 6})];
        assert!(table(&native, &wrong).is_err());
    }
}
