//! Dynaplay's engine against dynoxide (SQLite in memory), one operation at a time, on the
//! same 100,000-item table and the same JSON requests. `cargo xtask bench` runs it and
//! prints each operation's ratio from criterion's estimates
//! (`target/criterion/<operation>/<database>/new/estimates.json`).

mod common;

use common::{Dynaplay, Dynoxide};
use criterion::{criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion, Throughput};
use dynaplay_bench::{batch, get, load, put, query, scan_all, update, Db, ITEMS, KEYS, PER_KEY};

/// One operation's benchmark on `db`, named `<group>/<name>`. Request bodies are made
/// outside the timed part (criterion's `iter_batched`), so only the database's own work
/// is timed: parsing the request, running it, writing the answer.
fn time(
    c: &mut Criterion,
    db: &mut dyn Db,
    name: &str,
    group: &str,
    elements: u64,
    body: &mut dyn FnMut() -> (&'static str, String),
) {
    let mut g = c.benchmark_group(group);
    g.throughput(Throughput::Elements(elements));
    g.bench_function(BenchmarkId::from_parameter(name), |b| {
        b.iter_batched(&mut *body, |(operation, body)| db.call(operation, &body), BatchSize::SmallInput)
    });
    g.finish();
}

/// Every operation on `db`: the reads and updates first, on exactly the loaded items
/// (the Scan included), then the writes of new items.
fn operations(c: &mut Criterion, name: &str, db: &mut dyn Db) {
    load(db);
    let mut i = 0usize;
    let mut next = move || {
        i = i.wrapping_add(7_919);
        (i % KEYS, (i / KEYS) % PER_KEY)
    };
    time(c, db, name, "GetItem", 1, &mut || {
        let (k, s) = next();
        ("GetItem", get(k, s))
    });
    time(c, db, name, "UpdateItem (ADD + SET)", 1, &mut || {
        let (k, s) = next();
        ("UpdateItem", update(k, s))
    });
    time(c, db, name, "Query (50 items)", PER_KEY as u64, &mut || ("Query", query(next().0)));
    let mut g = c.benchmark_group("Scan (whole table, paged)");
    g.throughput(Throughput::Elements(ITEMS as u64));
    g.sample_size(10);
    g.bench_function(BenchmarkId::from_parameter(name), |b| b.iter(|| assert_eq!(scan_all(db), ITEMS)));
    g.finish();
    let mut fresh = 0usize;
    time(c, db, name, "PutItem (new items)", 1, &mut || {
        fresh += 1;
        ("PutItem", put(KEYS + fresh, 0))
    });
    let mut batches = 0usize;
    time(c, db, name, "BatchWriteItem (25 new items)", 25, &mut || {
        batches += 1;
        ("BatchWriteItem", batch(2 * KEYS + batches, 0))
    });
}

fn peers(c: &mut Criterion) {
    operations(c, "dynaplay", &mut Dynaplay::new());
    operations(c, "dynoxide", &mut Dynoxide::new());
}

criterion_group!(benches, peers);
criterion_main!(benches);
