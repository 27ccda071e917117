//! The page's allocator (`dynaplay-wasm-alloc`) asks the browser for memory a megabyte at
//! a time, where std's asks for 64 KiB: each grow of a large wasm memory is slow in V8.
#![cfg(target_arch = "wasm32")]

// The page's library, whose global allocator is then the one in use.
use dynaplay_web as _;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn memory_grows_a_megabyte_at_a_time() {
    let pages = || core::arch::wasm32::memory_size(0);
    let before = pages();
    let mut held = Vec::new();
    while pages() == before {
        held.push(vec![1u8; 10_000]);
    }
    let grown = pages() - before;
    assert!(grown >= dynaplay_wasm_alloc::GRANULARITY / 65_536, "memory grew by {grown} pages of 64 KiB");
    // What was allocated is there to read back.
    assert!(held.iter().all(|v| v.len() == 10_000 && v.iter().all(|&b| b == 1)));
}
