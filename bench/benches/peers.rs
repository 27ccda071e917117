//! Dynaplay's engine against dynoxide (SQLite in memory), one operation at a time (each
//! timed on one database, then at once on the other), on the same 100,000-item table and
//! the same JSON requests. `cargo xtask bench` runs it and
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

/// Where a database's requests are: its place in the sequence of loaded keys, and how
/// many new items and batches it has written. Each database keeps its own, so both are
/// sent the same requests.
#[derive(Default)]
struct Requests {
    at: usize,
    fresh: usize,
    batches: usize,
}

impl Requests {
    /// The next loaded item's (key, sort key), spread over the table.
    fn next(&mut self) -> (usize, usize) {
        self.at = self.at.wrapping_add(7_919);
        (self.at % KEYS, (self.at / KEYS) % PER_KEY)
    }
}

struct Peer {
    name: &'static str,
    db: Box<dyn Db>,
    requests: Requests,
}

impl Peer {
    fn loaded(name: &'static str, mut db: Box<dyn Db>) -> Peer {
        load(db.as_mut());
        Peer { name, db, requests: Requests::default() }
    }
}

/// `group` timed on each database in turn, with the requests `body` makes: the two
/// figures of a ratio are taken seconds apart, not minutes (the machine's pace drifts).
fn each(
    c: &mut Criterion,
    peers: &mut [Peer],
    group: &str,
    elements: u64,
    body: fn(&mut Requests) -> (&'static str, String),
) {
    for Peer { name, db, requests } in peers.iter_mut() {
        time(c, db.as_mut(), name, group, elements, &mut || body(requests));
    }
}

/// Every operation on both databases, loaded alike: the reads and updates first, on
/// exactly the loaded items (the Scan included), then the writes of new items.
fn peers(c: &mut Criterion) {
    let mut peers =
        [Peer::loaded("dynaplay", Box::new(Dynaplay::new())), Peer::loaded("dynoxide", Box::new(Dynoxide::new()))];
    each(c, &mut peers, "GetItem", 1, |r| {
        let (k, s) = r.next();
        ("GetItem", get(k, s))
    });
    each(c, &mut peers, "UpdateItem (ADD + SET)", 1, |r| {
        let (k, s) = r.next();
        ("UpdateItem", update(k, s))
    });
    each(c, &mut peers, "Query (50 items)", PER_KEY as u64, |r| ("Query", query(r.next().0)));
    let mut g = c.benchmark_group("Scan (whole table, paged)");
    g.throughput(Throughput::Elements(ITEMS as u64));
    g.sample_size(10);
    for Peer { name, db, .. } in peers.iter_mut() {
        g.bench_function(BenchmarkId::from_parameter(name), |b| b.iter(|| assert_eq!(scan_all(db.as_mut()), ITEMS)));
    }
    g.finish();
    each(c, &mut peers, "PutItem (new items)", 1, |r| {
        r.fresh += 1;
        ("PutItem", put(KEYS + r.fresh, 0))
    });
    each(c, &mut peers, "BatchWriteItem (25 new items)", 25, |r| {
        r.batches += 1;
        ("BatchWriteItem", batch(2 * KEYS + r.batches, 0))
    });
}

criterion_group!(benches, peers);
criterion_main!(benches);
