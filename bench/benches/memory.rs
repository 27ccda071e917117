//! What loading the workload's 100,000 items costs in memory: each database is loaded
//! in a process of its own (this bench runs itself once per database), and the growth of
//! its resident set is set against the items' size as DynamoDB counts it (the table's
//! TableSizeBytes). Each result goes to `target/criterion/memory/<database>.json`, which
//! `cargo xtask bench` reads. For Dynaplay, a counting allocator also gives the live heap
//! after loading, and again a day of engine time later, once the change log (kept 24 h
//! for streams, replicas and recovery) has been trimmed: where the memory goes.

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use common::{Dynaplay, Dynoxide};
use dynaplay_bench::{load, Db, ITEMS, TABLE};

const WHICH: &str = "DYNAPLAY_MEMORY_OF";

/// The system allocator, counting the bytes live on the Rust heap.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
/// The most [`LIVE`] has been since it was last reset.
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(live, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The resident set, in bytes (Linux: /proc/self/statm's second field, in pages).
fn resident() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    statm.split_whitespace().nth(1).and_then(|p| p.parse::<u64>().ok()).unwrap_or(0) * 4096
}

/// The items' size as DynamoDB counts it, from Dynaplay's DescribeTable.
fn raw_bytes(db: &mut Dynaplay) -> u64 {
    let described: serde_json::Value =
        serde_json::from_str(&db.call("DescribeTable", &format!("{{\"TableName\":\"{TABLE}\"}}"))).unwrap();
    described["Table"]["TableSizeBytes"].as_u64().unwrap()
}

fn measure(name: &str) -> serde_json::Value {
    let before;
    let grown = match name {
        "dynaplay" => {
            let mut db = Dynaplay::new();
            before = resident();
            let heap = LIVE.load(Ordering::Relaxed);
            load(&mut db);
            let grown = resident().saturating_sub(before);
            let live = LIVE.load(Ordering::Relaxed).saturating_sub(heap);
            let raw = raw_bytes(&mut db);
            db.engine.tick(1_700_000_000_000 + 25 * 3_600_000);
            let trimmed = LIVE.load(Ordering::Relaxed).saturating_sub(heap);
            drop(db);
            let reload = reload();
            return serde_json::json!({"database": name, "items": ITEMS, "grownBytes": grown, "rawBytes": raw,
                "liveHeapBytes": live, "liveHeapAfterLogTrimBytes": trimmed, "reload": reload});
        }
        _ => {
            let mut db = Dynoxide::new();
            before = resident();
            load(&mut db);
            resident().saturating_sub(before)
        }
    };
    serde_json::json!({"database": name, "items": ITEMS, "grownBytes": grown})
}

/// A reload (as the page's, from the records' text) of the workload loaded afresh, its
/// change log untrimmed: the records' text held, the engine rebuilt from it, and the
/// most the heap held beyond the records while rebuilding (the page's memory only grows,
/// so its peak is what a reload costs there).
fn reload() -> serde_json::Value {
    let records = dynaplay_bench::workload::Workload::loaded().records();
    let base = LIVE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let engine = records.engine().expect("the records reload");
    let (after, peak) = (LIVE.load(Ordering::Relaxed) - base, PEAK.load(Ordering::Relaxed) - base);
    assert_eq!(engine.table(TABLE).map(|t| t.item_count()), Some(ITEMS));
    serde_json::json!({"recordTextBytes": records.text_bytes(), "records": records.items.len() + records.changes.len(),
        "engineBytes": after, "peakBytes": peak})
}

fn out_dir() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    // target/<profile>/deps/memory-… → target/criterion/memory
    exe.ancestors().nth(3).unwrap().join("criterion").join("memory")
}

fn main() {
    if let Ok(name) = std::env::var(WHICH) {
        println!("{}", measure(&name));
        return;
    }
    std::fs::create_dir_all(out_dir()).unwrap();
    for name in ["dynaplay", "dynoxide"] {
        let out = Command::new(std::env::current_exe().unwrap()).env(WHICH, name).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let line = String::from_utf8_lossy(&out.stdout).trim().to_string();
        println!("memory: {line}");
        std::fs::write(out_dir().join(format!("{name}.json")), line).unwrap();
    }
}
