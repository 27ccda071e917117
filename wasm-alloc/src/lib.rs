//! The page's global allocator: dlmalloc, the allocator std itself uses on wasm32, asking
//! the browser for memory [`GRANULARITY`] at a time instead of std's 64 KiB.
//!
//! Growing a wasm memory costs far more once it is large: in V8, 200 grows of one 64 KiB
//! page at 60 MiB took 22 to 80 ms, and profiles of the engine in the page's build spent
//! 5 to 10 % of PutItem's and UpdateItem's time growing memory. The page (`dynaplay-web`)
//! and the wasm benchmark (`dynaplay-bench`) both install it, so the benchmark times what
//! the page runs.
//!
//! It is for wasm32 without threads (what the page is built for) and empty elsewhere:
//! its `Sync` rests on there being one thread.
#![no_std]
#![cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]

use core::alloc::{GlobalAlloc, Layout};
use core::cell::UnsafeCell;

/// How much memory the allocator asks the browser for at least, each time it needs more.
pub const GRANULARITY: usize = 1 << 20;

/// dlmalloc with [`GRANULARITY`]; install with `#[global_allocator]`.
pub struct PageAllocator(UnsafeCell<dlmalloc::Dlmalloc>);

// SAFETY: the page's wasm32 build has no threads (no `atomics` target feature), so no two
// calls run at once; this is what std's own wasm32 allocator relies on too.
unsafe impl Sync for PageAllocator {}

impl PageAllocator {
    pub const fn new() -> PageAllocator {
        let mut dlmalloc = dlmalloc::Dlmalloc::new();
        // A power of two past dlmalloc's minimum: accepted (checked at compile time).
        assert!(dlmalloc.set_granularity(GRANULARITY));
        PageAllocator(UnsafeCell::new(dlmalloc))
    }
}

impl Default for PageAllocator {
    fn default() -> Self {
        PageAllocator::new()
    }
}

// SAFETY: each method hands dlmalloc the layout it was given, as `GlobalAlloc` requires;
// the `UnsafeCell` is only borrowed for the call (see `Sync` above).
unsafe impl GlobalAlloc for PageAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        (*self.0.get()).malloc(layout.size(), layout.align())
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        (*self.0.get()).free(ptr, layout.size(), layout.align())
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        (*self.0.get()).calloc(layout.size(), layout.align())
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        (*self.0.get()).realloc(ptr, layout.size(), layout.align(), new_size)
    }
}
