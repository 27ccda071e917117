// The workload of `bench/src/workload.rs`, compiled to WebAssembly, in Node's V8 (the
// JavaScript engine Chromium runs the page's wasm with): one line of JSON per operation,
// as `target/release/hot --json` prints natively. Run by `cargo xtask bench --wasm`.
// Usage: node bench/wasm.mjs <module.wasm> [requests]
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const OPERATIONS = ['PutItem', 'GetItem', 'UpdateItem', 'Query', 'Scan', 'BatchWriteItem'];
const [file, count] = process.argv.slice(2);
const n = Number(count ?? 20000);
const { instance } = await WebAssembly.instantiate(readFileSync(file), {});
const wasm = instance.exports;

let t0 = performance.now();
wasm.load();
const loadMs = performance.now() - t0;
console.log(JSON.stringify({ operation: 'load', ms: loadMs, memoryBytes: wasm.memory.buffer.byteLength }));
OPERATIONS.forEach((operation, i) => {
  const requests = Math.floor(n / ({ Scan: 1000, BatchWriteItem: 25 }[operation] ?? 1));
  wasm.prepare(i, requests);
  t0 = performance.now();
  const bytes = wasm.run();
  console.log(JSON.stringify({ operation, requests, ms: performance.now() - t0, bytes }));
});
