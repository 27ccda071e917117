//! IndexedDB persistence: the only module that imports `indexed_db_futures`.
//!
//! Layout (database `dynaplay`, version [`DB_VERSION`]): object store `meta` (format
//! version, commit sequence number, engine clock), `tables` (table name → table snapshot
//! JSON) and `items` (item key → item record JSON), in the engine's snapshot format.
//!
//! Every operation runs inside one readwrite transaction over all three stores, so IndexedDB
//! serialises it against every other tab's operations:
//! 1. read `meta.seq`; if another tab committed since this tab last looked, reload the
//!    engine from the stores (inside the same transaction);
//! 2. run the request on the in-memory engine (synchronously);
//! 3. write the operation's change set (its trace's item writes, and the snapshots of the
//!    tables it touched) and `seq + 1`, and commit.
//!
//! The request is acknowledged only after the commit. If the commit fails (quota, a closed
//! database), the in-memory engine is marked stale and reloaded from IndexedDB before the
//! next operation, so memory never runs ahead of disk.
//!
//! Why not Web Locks: an IndexedDB readwrite transaction already is a cross-tab lock that
//! also makes the write atomic; one mechanism instead of two.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::fmt;

use dynaplay_engine::snapshot::{item_key, item_record, FORMAT_VERSION};
use dynaplay_engine::{Config, Engine, Response};
use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::{Transaction, TransactionMode};
use indexed_db_futures::KeyRange;
use serde_json::Value;

/// The IndexedDB schema version. Version 1: stores `meta`, `tables`, `items`.
pub const DB_VERSION: u32 = 1;
pub const DB_NAME: &str = "dynaplay";

const META: &str = "meta";
const TABLES: &str = "tables";
const ITEMS: &str = "items";

/// Why storage failed, worded for the person using the app.
#[derive(Clone, Debug, PartialEq)]
pub enum StorageError {
    /// IndexedDB cannot be opened at all (private browsing in some browsers, disabled
    /// storage): the app keeps working in memory.
    Unavailable(String),
    /// The browser refused to store more.
    Quota(String),
    /// Another tab holds an older version of the database open.
    Blocked,
    /// The stored data was written by a newer Dynaplay.
    Newer(u64),
    Other(String),
}

impl fmt::Display for StorageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StorageError::Unavailable(e) => {
                write!(f, "Browser storage is unavailable ({e}). Your work is kept in this tab only and will be lost on reload.")
            }
            StorageError::Quota(e) => write!(f, "The browser refused to store more data ({e}). The last change was not saved; free some space or export your workspace."),
            StorageError::Blocked => f.write_str("Another Dynaplay tab is open with an older version. Close it so this tab can upgrade its storage."),
            StorageError::Newer(v) => write!(f, "Your saved workspace was written by a newer Dynaplay (format {v}). Reload to get the latest version; nothing was changed."),
            StorageError::Other(e) => write!(f, "Saving failed: {e}. The last change was not saved."),
        }
    }
}

fn classify(e: impl fmt::Display) -> StorageError {
    let text = e.to_string();
    if text.contains("Quota") {
        StorageError::Quota(text)
    } else {
        StorageError::Other(text)
    }
}

/// An open database.
pub struct Store {
    db: Database,
    /// The last `meta.seq` this tab saw; another tab has written if it differs.
    seq: RefCell<u64>,
    /// Set when memory may be ahead of disk (a failed commit): reload before the next use.
    stale: RefCell<bool>,
}

impl Store {
    /// Opens (creating or upgrading) the database named `name`.
    pub async fn open(name: &str) -> Result<Store, StorageError> {
        let blocked = std::rc::Rc::new(RefCell::new(false));
        let flag = blocked.clone();
        let db = Database::open(name)
            .with_version(DB_VERSION)
            .with_on_blocked(move |_| {
                *flag.borrow_mut() = true;
                Ok(())
            })
            .with_on_upgrade_needed(|event, db| {
                // The upgrade path: each step takes the previous version's layout forward.
                let old = event.old_version() as u64;
                if old < 1 {
                    db.create_object_store(META).build()?;
                    db.create_object_store(TABLES).build()?;
                    db.create_object_store(ITEMS).build()?;
                }
                Ok(())
            })
            .await
            .map_err(|e| {
                if *blocked.borrow() {
                    StorageError::Blocked
                } else {
                    StorageError::Unavailable(e.to_string())
                }
            })?;
        Ok(Store { db, seq: RefCell::new(0), stale: RefCell::new(true) })
    }

    fn transaction(&self, mode: TransactionMode) -> Result<Transaction<'_>, StorageError> {
        self.db.transaction([META, TABLES, ITEMS]).with_mode(mode).build().map_err(classify)
    }

    /// Loads the stored workspace into a new engine.
    pub async fn load(&self, config: Config) -> Result<Engine, StorageError> {
        let tx = self.transaction(TransactionMode::Readonly)?;
        let engine = self.read_all(&tx, config).await?;
        Ok(engine)
    }

    async fn read_all(&self, tx: &Transaction<'_>, config: Config) -> Result<Engine, StorageError> {
        let meta = tx.object_store(META).map_err(classify)?;
        let format: Option<String> = meta.get("format").primitive().map_err(classify)?.await.map_err(classify)?;
        let format = format.and_then(|f| f.parse::<u64>().ok()).unwrap_or(FORMAT_VERSION);
        if format > FORMAT_VERSION {
            return Err(StorageError::Newer(format));
        }
        let seq: Option<String> = meta.get("seq").primitive().map_err(classify)?.await.map_err(classify)?;
        let clock: Option<String> = meta.get("clock").primitive().map_err(classify)?.await.map_err(classify)?;
        let parse = |texts: Vec<String>| -> Result<Vec<Value>, StorageError> {
            texts
                .iter()
                .map(|t| serde_json::from_str(t).map_err(|e| StorageError::Other(format!("damaged record: {e}"))))
                .collect()
        };
        let tables: Vec<String> = tx
            .object_store(TABLES)
            .map_err(classify)?
            .get_all::<String>()
            .primitive()
            .map_err(classify)?
            .await
            .map_err(classify)?
            .collect::<Result<_, _>>()
            .map_err(classify)?;
        let items: Vec<String> = tx
            .object_store(ITEMS)
            .map_err(classify)?
            .get_all::<String>()
            .primitive()
            .map_err(classify)?
            .await
            .map_err(classify)?
            .collect::<Result<_, _>>()
            .map_err(classify)?;
        let now = clock.and_then(|c| c.parse().ok()).unwrap_or(0);
        let engine =
            Engine::restore(config, now, &parse(tables)?, &parse(items)?).map_err(|e| StorageError::Other(e.0))?;
        *self.seq.borrow_mut() = seq.and_then(|s| s.parse().ok()).unwrap_or(0);
        *self.stale.borrow_mut() = false;
        Ok(engine)
    }

    /// Runs one request against `engine` and commits its change set; see the module docs.
    /// Returns the response only once the change set is on disk.
    pub async fn execute(
        &self,
        engine: &RefCell<Engine>,
        op: &str,
        body: &[u8],
        now_ms: u64,
    ) -> Result<Response, StorageError> {
        let tx = self.transaction(TransactionMode::Readwrite)?;
        let meta = tx.object_store(META).map_err(classify)?;
        let stored: Option<String> = meta.get("seq").primitive().map_err(classify)?.await.map_err(classify)?;
        let stored = stored.and_then(|s| s.parse::<u64>().ok()).unwrap_or(0);
        if stored != *self.seq.borrow() || *self.stale.borrow() {
            let config = engine.borrow().config.clone();
            let fresh = self.read_all(&tx, config).await?;
            *engine.borrow_mut() = fresh;
        }
        let response = engine.borrow_mut().request(op, body, now_ms);
        let trace = &response.trace;
        if trace.writes.is_empty() && trace.splits.is_empty() && !trace.schema_changed {
            // Nothing to save (a read, or a rejected request); let the transaction end.
            return Ok(response);
        }
        let tables_store = tx.object_store(TABLES).map_err(classify)?;
        let items_store = tx.object_store(ITEMS).map_err(classify)?;
        {
            let engine = engine.borrow();
            for w in &trace.writes {
                let key = item_key(&w.table, &w.key);
                match &w.after {
                    Some(item) => {
                        items_store
                            .put(item_record(&w.table, item).to_string())
                            .with_key(key)
                            .primitive()
                            .map_err(classify)?;
                    }
                    None => {
                        items_store.delete(key).primitive().map_err(classify)?;
                    }
                }
            }
            let mut touched: BTreeSet<String> = trace.writes.iter().map(|w| w.table.clone()).collect();
            touched.extend(trace.splits.iter().map(|s| s.table.clone()));
            if trace.schema_changed {
                touched.extend(engine.tables().map(|t| t.def.name.clone()));
                if let Some(name) = schema_target(op, body) {
                    touched.insert(name);
                }
            }
            for name in touched {
                match engine.table_snapshot(&name) {
                    Some(snapshot) => {
                        tables_store.put(snapshot.to_string()).with_key(name).primitive().map_err(classify)?;
                    }
                    None => {
                        // The table is gone: drop its snapshot and every item stored under it.
                        tables_store.delete(name.clone()).primitive().map_err(classify)?;
                        let lo = format!("{name}\u{0}");
                        let hi = format!("{name}\u{1}");
                        items_store
                            .delete::<String, KeyRange<String>>(KeyRange::Bound(lo, false, hi, true))
                            .primitive()
                            .map_err(classify)?;
                    }
                }
            }
        }
        let next = stored + 1;
        meta.put(next.to_string()).with_key("seq").primitive().map_err(classify)?;
        meta.put(now_ms.to_string()).with_key("clock").primitive().map_err(classify)?;
        meta.put(FORMAT_VERSION.to_string()).with_key("format").primitive().map_err(classify)?;
        match tx.commit().await {
            Ok(()) => {
                *self.seq.borrow_mut() = next;
                Ok(response)
            }
            Err(e) => {
                *self.stale.borrow_mut() = true;
                Err(classify(e))
            }
        }
    }

    /// Replaces everything stored with `engine`'s state (workspace import).
    pub async fn replace_all(&self, engine: &Engine) -> Result<(), StorageError> {
        let tx = self.transaction(TransactionMode::Readwrite)?;
        let meta = tx.object_store(META).map_err(classify)?;
        let stored: Option<String> = meta.get("seq").primitive().map_err(classify)?.await.map_err(classify)?;
        let next = stored.and_then(|s| s.parse::<u64>().ok()).unwrap_or(0) + 1;
        let tables_store = tx.object_store(TABLES).map_err(classify)?;
        let items_store = tx.object_store(ITEMS).map_err(classify)?;
        tables_store.clear().map_err(classify)?;
        items_store.clear().map_err(classify)?;
        for t in engine.tables() {
            let name = t.def.name.clone();
            if let Some(s) = engine.table_snapshot(&name) {
                tables_store.put(s.to_string()).with_key(name.clone()).primitive().map_err(classify)?;
            }
            for (key, record) in engine.table_items(&name) {
                items_store.put(record.to_string()).with_key(key).primitive().map_err(classify)?;
            }
        }
        meta.put(next.to_string()).with_key("seq").primitive().map_err(classify)?;
        meta.put(engine.now_ms().to_string()).with_key("clock").primitive().map_err(classify)?;
        meta.put(FORMAT_VERSION.to_string()).with_key("format").primitive().map_err(classify)?;
        tx.commit().await.map_err(|e| {
            *self.stale.borrow_mut() = true;
            classify(e)
        })?;
        *self.seq.borrow_mut() = next;
        Ok(())
    }

    /// Whether another tab has committed since this tab last read or wrote.
    pub async fn changed_elsewhere(&self) -> Result<bool, StorageError> {
        let tx = self.transaction(TransactionMode::Readonly)?;
        let meta = tx.object_store(META).map_err(classify)?;
        let stored: Option<String> = meta.get("seq").primitive().map_err(classify)?.await.map_err(classify)?;
        Ok(stored.and_then(|s| s.parse::<u64>().ok()).unwrap_or(0) != *self.seq.borrow())
    }

    /// Deletes the database (tests).
    pub async fn destroy(name: &str) -> Result<(), StorageError> {
        Database::delete_by_name(name).map_err(|e| StorageError::Other(e.to_string()))?.await.map_err(classify)
    }

    pub fn close(self) {
        self.db.close();
    }
}

/// The table a control-plane request names, so a deleted table's records are removed.
fn schema_target(op: &str, body: &[u8]) -> Option<String> {
    if !matches!(op, "DeleteTable" | "CreateTable" | "UpdateTable") {
        return None;
    }
    let v: Value = serde_json::from_slice(body).ok()?;
    v.get("TableName")?.as_str().map(str::to_string)
}

/// Hooks for the browser tests: they reach into stored state to set up cases the app
/// itself never produces (data from a newer version).
#[doc(hidden)]
pub mod testing {
    use super::*;

    /// Marks the database `name` as written by format `version`.
    pub async fn set_format(name: &str, version: u64) {
        let Ok(store) = Store::open(name).await else { return };
        let Ok(tx) = store.transaction(TransactionMode::Readwrite) else { return };
        if let Ok(meta) = tx.object_store(META) {
            // The request goes out when built; the commit below waits for it.
            drop(meta.put(version.to_string()).with_key("format").primitive());
        }
        let _ = tx.commit().await;
        store.close();
    }
}
