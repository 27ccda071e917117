//! Heap allocations per request, for each operation of the workload on Dynaplay's engine
//! (`cargo run --release -p dynaplay-bench --bin allocs [requests]`). Unlike a time, the
//! count is the same on every run and every machine: a change to a hot path can be
//! judged by it where the machine's noise hides a few percent of speed. Each operation
//! runs on the loaded table, as `hot` runs it; a Scan request is one page.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicU64, Ordering};

use dynaplay_bench::workload::{Workload, OPERATIONS};

/// Counts allocations (a reallocation is one) and the bytes asked for.
struct Counting;

static CALLS: AtomicU64 = AtomicU64::new(0);
static BYTES: AtomicU64 = AtomicU64::new(0);

fn count(bytes: usize) {
    CALLS.fetch_add(1, Ordering::Relaxed);
    BYTES.fetch_add(bytes as u64, Ordering::Relaxed);
}

// SAFETY: every call is passed to the system allocator unchanged; only counted.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count(layout.size());
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count(layout.size());
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count(new_size);
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn main() {
    let requests: u64 = std::env::args().nth(1).and_then(|n| n.parse().ok()).unwrap_or(10_000);
    let mut w = Workload::loaded();
    println!("| operation | allocations a request | bytes asked for a request |");
    println!("|---|---|---|");
    for op in OPERATIONS {
        let n = if *op == "Scan" { requests / 100 } else { requests }.max(1);
        w.prepare(op, n as usize);
        let (calls, bytes) = (CALLS.load(Ordering::Relaxed), BYTES.load(Ordering::Relaxed));
        w.run();
        let calls = CALLS.load(Ordering::Relaxed) - calls;
        let bytes = BYTES.load(Ordering::Relaxed) - bytes;
        println!("| {op} | {:.1} | {:.0} |", calls as f64 / n as f64, bytes as f64 / n as f64);
    }
}
