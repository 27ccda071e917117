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
use core::cell::{Cell, UnsafeCell};

/// How much memory the allocator asks the browser for at least, each time it needs more.
pub const GRANULARITY: usize = 1 << 20;

/// dlmalloc with [`GRANULARITY`]; install with `#[global_allocator]`. It also counts the
/// bytes live on the heap and the most there have been: the wasm memory only grows, so
/// the most live at once (a reload's peak) is what a tab keeps, and the difference
/// between the two is what a reload held on the way.
pub struct PageAllocator {
    dlmalloc: UnsafeCell<dlmalloc::Dlmalloc>,
    live: Cell<usize>,
    peak: Cell<usize>,
}

// SAFETY: the page's wasm32 build has no threads (no `atomics` target feature), so no two
// calls run at once; this is what std's own wasm32 allocator relies on too.
unsafe impl Sync for PageAllocator {}

impl PageAllocator {
    pub const fn new() -> PageAllocator {
        let mut dlmalloc = dlmalloc::Dlmalloc::new();
        // A power of two past dlmalloc's minimum: accepted (checked at compile time).
        assert!(dlmalloc.set_granularity(GRANULARITY));
        PageAllocator { dlmalloc: UnsafeCell::new(dlmalloc), live: Cell::new(0), peak: Cell::new(0) }
    }

    /// The bytes allocated and not yet freed.
    pub fn live_bytes(&self) -> usize {
        self.live.get()
    }

    /// The most bytes that have been live at once since the page started.
    pub fn peak_bytes(&self) -> usize {
        self.peak.get()
    }

    fn counted(&self, ptr: *mut u8, freed: usize, allocated: usize) -> *mut u8 {
        if !ptr.is_null() {
            let live = self.live.get().saturating_sub(freed).saturating_add(allocated);
            self.live.set(live);
            self.peak.set(self.peak.get().max(live));
        }
        ptr
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
        self.counted((*self.dlmalloc.get()).malloc(layout.size(), layout.align()), 0, layout.size())
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        (*self.dlmalloc.get()).free(ptr, layout.size(), layout.align());
        self.live.set(self.live.get().saturating_sub(layout.size()));
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        self.counted((*self.dlmalloc.get()).calloc(layout.size(), layout.align()), 0, layout.size())
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let moved = (*self.dlmalloc.get()).realloc(ptr, layout.size(), layout.align(), new_size);
        self.counted(moved, layout.size(), new_size)
    }
}
