//! Dynaplay's engine against dynoxide (SQLite in memory), one operation at a time, on the
//! same 100,000-item table and the same JSON requests. `cargo xtask bench` runs it and
//! prints each operation's ratio from criterion's estimates
//! (`target/criterion/<operation>/<database>/new/estimates.json`).

mod common;

use common::{Dynaplay, Dynoxide};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use dynaplay_bench::{batch, get, load, put, query, scan_all, update, Db, ITEMS, KEYS, PER_KEY};

/// Each operation's benchmark on `db`, named `<operation>/<name>`: the reads and
/// updates first, on exactly the loaded items, then the writes of new items.
fn operations(c: &mut Criterion, name: &str, db: &mut dyn Db) {
    load(db);
    let mut i = 0usize;
    let mut next = move || {
        i = i.wrapping_add(7_919);
        (i % KEYS, (i / KEYS) % PER_KEY)
    };
    let mut fresh = 0usize;
    let mut each = |op: &str, elements: u64, f: &mut dyn FnMut(&mut dyn Db)| {
        let mut g = c.benchmark_group(op);
        g.throughput(Throughput::Elements(elements));
        if elements > 1_000 {
            g.sample_size(10);
        }
        g.bench_function(BenchmarkId::from_parameter(name), |b| b.iter(|| f(&mut *db)));
        g.finish();
    };
    each("GetItem", 1, &mut |db| {
        let (k, s) = next();
        db.call("GetItem", &get(k, s));
    });
    each("UpdateItem (ADD + SET)", 1, &mut |db| {
        let (k, s) = next();
        db.call("UpdateItem", &update(k, s));
    });
    each("Query (50 items)", PER_KEY as u64, &mut |db| {
        let (k, _) = next();
        db.call("Query", &query(k));
    });
    each("Scan (whole table, paged)", ITEMS as u64, &mut |db| {
        assert!(scan_all(db) >= ITEMS);
    });
    each("PutItem (new items)", 1, &mut |db| {
        fresh += 1;
        db.call("PutItem", &put(KEYS + fresh, 0));
    });
    let mut batches = 0usize;
    each("BatchWriteItem (25 new items)", 25, &mut |db| {
        batches += 1;
        db.call("BatchWriteItem", &batch(2 * KEYS + batches, 0));
    });
}

fn peers(c: &mut Criterion) {
    operations(c, "dynaplay", &mut Dynaplay::new());
    operations(c, "dynoxide", &mut Dynoxide::new());
}

criterion_group!(benches, peers);
criterion_main!(benches);
