//! The workload as a WebAssembly module with plain exports, for `cargo xtask bench
//! --wasm` (`bench/wasm.mjs` loads it in Node and times each `run`). Compiled for wasm32
//! only.

use std::cell::RefCell;

use crate::workload::{Workload, OPERATIONS};

/// The page's allocator, so the workload runs on what the page runs.
#[global_allocator]
static ALLOCATOR: dynaplay_wasm_alloc::PageAllocator = dynaplay_wasm_alloc::PageAllocator::new();

thread_local! {
    static WORKLOAD: RefCell<Option<Workload>> = const { RefCell::new(None) };
}

/// Loads the table (100,000 items).
#[no_mangle]
pub extern "C" fn load() {
    WORKLOAD.with(|w| *w.borrow_mut() = Some(Workload::loaded()));
}

/// Makes `n` requests of operation number `op` (in `OPERATIONS`' order); none for a
/// number past the list (`run` then answers nothing, which `cargo xtask bench` refuses).
#[no_mangle]
pub extern "C" fn prepare(op: u32, n: u32) {
    let Some(name) = OPERATIONS.get(op as usize).copied() else { return };
    WORKLOAD.with(|w| w.borrow_mut().as_mut().map(|w| w.prepare(name, n as usize)));
}

/// Sends them; the bytes answered.
#[no_mangle]
pub extern "C" fn run() -> f64 {
    WORKLOAD.with(|w| w.borrow_mut().as_mut().map_or(0.0, |w| w.run() as f64))
}
