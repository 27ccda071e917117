//! One operation of the workload, repeated on Dynaplay's engine with its request bodies
//! made beforehand: what `src/bin/hot.rs` runs natively (and under a profiler) and
//! `src/wasm.rs` runs compiled to WebAssembly, so `cargo xtask bench --wasm` sets
//! the two side by side on exactly the same requests.

use dynaplay_engine::{Config, Engine};

use crate::{batch, get, load, put, query, scan, update, Db, KEYS, PER_KEY};

/// The operations a workload repeats (a Scan is one page from the start of the table).
pub const OPERATIONS: &[&str] = &["PutItem", "GetItem", "UpdateItem", "Query", "Scan", "BatchWriteItem"];

pub struct Workload {
    engine: Engine,
    now: u64,
    operation: String,
    bodies: Vec<String>,
    /// How many requests have been made for writes of new items, so each is new.
    made: usize,
}

impl Db for Workload {
    fn call(&mut self, operation: &str, body: &str) -> String {
        self.now += 1;
        self.engine.request(operation, body.as_bytes(), self.now).body
    }
}

impl Workload {
    /// The engine with the workload's table loaded (100,000 items).
    pub fn loaded() -> Workload {
        let engine = Engine::new(Config::default());
        let mut w = Workload { engine, now: 1_700_000_000_000, operation: String::new(), bodies: Vec::new(), made: 0 };
        load(&mut w);
        w
    }

    /// Makes `n` request bodies for `operation` (one of [`OPERATIONS`]), spread over the
    /// table's keys; writes of new items go to keys beyond the loaded ones.
    pub fn prepare(&mut self, operation: &str, n: usize) {
        self.operation = operation.to_string();
        let from = self.made;
        self.made += n;
        self.bodies = (from..from + n)
            .map(|i| {
                let (k, s) = (i.wrapping_mul(7_919) % KEYS, (i.wrapping_mul(7_919) / KEYS) % PER_KEY);
                match operation {
                    "PutItem" => put(KEYS + i, 0),
                    "UpdateItem" => update(k, s),
                    "Query" => query(k),
                    "Scan" => scan(None),
                    "BatchWriteItem" => batch(2 * KEYS + i, 0),
                    "GetItem" => get(k, s),
                    other => panic!("the workload has no operation {other}"),
                }
            })
            .collect();
    }

    /// The workspace as the page stores it: one text record per table, item and change
    /// (what a reload reads back from IndexedDB).
    pub fn records(&self) -> Records {
        let text = |list: Vec<(String, serde_json::Value)>| list.into_iter().map(|(_, v)| v.to_string()).collect();
        let items = self.engine.table_snapshots().iter().flat_map(|(name, _)| self.engine.table_items(name)).collect();
        Records {
            tables: text(self.engine.table_snapshots()),
            items: text(items),
            changes: text(self.engine.change_records()),
            clock: self.now,
        }
    }

    /// Sends the prepared requests; the bytes answered (the same on every platform).
    pub fn run(&mut self) -> usize {
        let (operation, bodies) = (std::mem::take(&mut self.operation), std::mem::take(&mut self.bodies));
        bodies.iter().map(|b| self.call(&operation, b).len()).sum()
    }
}

/// A workspace's stored records, as text.
pub struct Records {
    pub tables: Vec<String>,
    pub items: Vec<String>,
    pub changes: Vec<String>,
    pub clock: u64,
}

impl Records {
    /// What a reload does with them (as `web/src/persist.rs` does): the engine rebuilt
    /// from the records' text. The items the engine then holds.
    pub fn restore(&self) -> usize {
        self.engine().map_or(0, |e| e.table(crate::TABLE).map_or(0, |t| t.item_count()))
    }

    /// The engine a reload rebuilds from the records.
    pub fn engine(&self) -> Option<Engine> {
        let tables: Vec<serde_json::Value> = self.tables.iter().filter_map(|t| serde_json::from_str(t).ok()).collect();
        Engine::restore_stored(Config::default(), self.clock, &tables, &self.items, &self.changes).ok()
    }

    /// The bytes of the records' text.
    pub fn text_bytes(&self) -> usize {
        [&self.tables, &self.items, &self.changes].iter().flat_map(|list| list.iter()).map(String::len).sum()
    }
}
