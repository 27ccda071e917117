//! IndexedDB persistence: the only module that imports `indexed_db_futures`.
//!
//! Layout (database `dynaplay`, version [`DB_VERSION`]): object store `meta` (one record,
//! `state`: format version, commit sequence number, engine clock), `tables` (table name →
//! table snapshot JSON, with the table's streams), `items` (item key → item record JSON)
//! `changes` (table and sequence number → change-log record JSON: what streams read),
//! `backups` (backup ARN → backup record JSON), `pitr` (table → its point-in-time
//! recovery base), `s3` (`b/<bucket>` or `o/<bucket>/<key>` → bucket or object record) and
//! `jobs` (export or import ARN → its record), `triggers` (trigger name → its record:
//! settings, handler, where its poller is) and `mirror` (one record, `db`: the relational
//! mirror's schema and rows), in the engine's snapshot format. A table's snapshot is rewritten only when its
//! definition, partition map or streams change; item writes touch only their items, their
//! change records and `meta`. Version 2 added `changes`, version 3 `backups`, version 4
//! `pitr`, version 5 `s3` and `jobs`, version 6 `triggers` and `mirror`; an older
//! database is upgraded in place (its stores are kept as they are).
//!
//! Every operation runs inside one readwrite transaction over all the stores, so IndexedDB
//! serialises it against every other tab's operations:
//! 1. read `meta.seq`; if another tab committed since this tab last looked, reload the
//!    engine from the stores (inside the same transaction);
//! 2. run the request on the in-memory engine (synchronously);
//! 3. write the operation's change set (its trace's item writes, the snapshots of tables
//!    whose definition or partitions changed) and `seq + 1`, and commit.
//!
//! The request is acknowledged only after the commit. If the commit fails (quota, a closed
//! database), the in-memory engine is marked stale and reloaded from IndexedDB before the
//! next operation, so memory never runs ahead of disk.
//!
//! Why not Web Locks: an IndexedDB readwrite transaction already is a cross-tab lock that
//! also makes the write atomic; one mechanism instead of two.

use std::cell::{Cell, RefCell};
use std::collections::BTreeSet;
use std::fmt;
use std::rc::Rc;

use dynaplay_engine::snapshot::{change_key, change_record, item_key, item_key_range, item_record, FORMAT_VERSION};
use dynaplay_engine::{Config, Engine, Response};
use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::{Transaction, TransactionMode};
use indexed_db_futures::KeyRange;
use serde_json::Value;

/// The IndexedDB schema version. Version 1: stores `meta`, `tables`, `items`; version 2
/// adds `changes`; version 3 adds `backups`; version 4 adds `pitr`; version 5 adds `s3` and
/// `jobs`; version 6 adds `triggers` and `mirror`.
pub const DB_VERSION: u32 = 6;
pub const DB_NAME: &str = "dynaplay";

const META: &str = "meta";
const TABLES: &str = "tables";
const ITEMS: &str = "items";
const CHANGES: &str = "changes";
const BACKUPS: &str = "backups";
const PITR: &str = "pitr";
const S3: &str = "s3";
const JOBS: &str = "jobs";
const TRIGGERS: &str = "triggers";
const MIRROR: &str = "mirror";
/// The `mirror` store's one record.
const MIRROR_DB: &str = "db";
const STATE: &str = "state";

/// The `meta` store's one record.
#[derive(Clone, Debug, Default, PartialEq)]
struct Meta {
    format: u64,
    seq: u64,
    clock: u64,
    /// The workspace's Time to Live sweep delay (absent: the engine's default).
    ttl_delay_ms: Option<u64>,
    /// How far the latest restorable time trails the clock (absent: the default).
    pitr_lag_ms: Option<u64>,
    /// How far the follower replicas trail the leader (absent: 0).
    replication_lag_ms: Option<u64>,
    /// Whether throughput is enforced (absent: the page's default, on).
    enforce_capacity: Option<bool>,
    /// Tables' own replication lags (absent: none).
    table_replication_lag_ms: Option<std::collections::BTreeMap<String, u64>>,
}

impl Meta {
    fn parse(text: Option<String>) -> Meta {
        let v: serde_json::Value = text.and_then(|t| serde_json::from_str(&t).ok()).unwrap_or_default();
        let n = |k: &str| v.get(k).and_then(serde_json::Value::as_u64);
        Meta {
            format: n("format").unwrap_or(0),
            seq: n("seq").unwrap_or(0),
            clock: n("clock").unwrap_or(0),
            ttl_delay_ms: n("ttlDelayMs"),
            pitr_lag_ms: n("pitrLagMs"),
            replication_lag_ms: n("replicationLagMs"),
            enforce_capacity: v.get("enforceCapacity").and_then(serde_json::Value::as_bool),
            table_replication_lag_ms: dynaplay_engine::snapshot::table_lags(v.get("tableReplicationLagMs")),
        }
    }

    /// The record for `engine` at commit sequence `seq`.
    fn of(engine: &Engine, seq: u64) -> Meta {
        Meta::settings(seq, engine.now_ms(), &engine.config)
    }

    /// The record at `seq` and `clock` holding the workspace settings of `config`.
    fn settings(seq: u64, clock: u64, config: &Config) -> Meta {
        Meta {
            format: FORMAT_VERSION,
            seq,
            clock,
            ttl_delay_ms: Some(config.ttl_delay_ms),
            pitr_lag_ms: Some(config.pitr_lag_ms),
            replication_lag_ms: Some(config.replication_lag_ms),
            enforce_capacity: Some(config.enforce_capacity),
            table_replication_lag_ms: Some(config.table_replication_lag_ms.clone()),
        }
    }

    /// `config` with the settings this record holds.
    fn apply(&self, config: Config) -> Config {
        Config {
            ttl_delay_ms: self.ttl_delay_ms.unwrap_or(config.ttl_delay_ms),
            pitr_lag_ms: self.pitr_lag_ms.unwrap_or(config.pitr_lag_ms),
            replication_lag_ms: self.replication_lag_ms.unwrap_or(config.replication_lag_ms),
            enforce_capacity: self.enforce_capacity.unwrap_or(config.enforce_capacity),
            table_replication_lag_ms: self.table_replication_lag_ms.clone().unwrap_or(config.table_replication_lag_ms),
            ..config
        }
    }

    fn text(&self) -> String {
        let mut v = serde_json::json!({"format": self.format, "seq": self.seq, "clock": self.clock});
        let settings = [
            ("ttlDelayMs", self.ttl_delay_ms),
            ("pitrLagMs", self.pitr_lag_ms),
            ("replicationLagMs", self.replication_lag_ms),
        ];
        for (key, value) in settings {
            if let (Some(ms), Some(m)) = (value, v.as_object_mut()) {
                m.insert(key.into(), ms.into());
            }
        }
        if let (Some(on), Some(m)) = (self.enforce_capacity, v.as_object_mut()) {
            m.insert("enforceCapacity".into(), on.into());
        }
        if let (Some(lags), Some(m)) = (&self.table_replication_lag_ms, v.as_object_mut()) {
            m.insert("tableReplicationLagMs".into(), serde_json::json!(lags));
        }
        v.to_string()
    }
}

/// Why storage failed, worded for the person using the app.
#[derive(Clone, Debug, PartialEq)]
pub enum StorageError {
    /// IndexedDB cannot be opened at all (private browsing in some browsers, disabled
    /// storage): the app keeps working in memory.
    Unavailable(String),
    /// The browser refused to store more.
    Quota(String),
    /// Another tab holds an older version of the database open. Reported while the open
    /// waits; it goes on as soon as that tab closes.
    Blocked,
    /// A newer Dynaplay in another tab upgraded (or deleted) the database, so this tab
    /// closed its connection to let it: nothing more can be saved from here.
    Superseded,
    /// The stored data was written by a newer Dynaplay.
    Newer(u64),
    /// The browser aborted a commit after every write in it was accepted. Browsers do this
    /// when the origin's quota is exhausted (the usual cause) or the database is closed
    /// under the page; the abort reason is not exposed, so the storage estimate is shown.
    Aborted(Option<Estimate>),
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
            StorageError::Superseded => f.write_str("A newer Dynaplay opened in another tab and upgraded the saved workspace. Reload this tab to keep working; changes made here from now on are not saved."),
            StorageError::Newer(v) => write!(f, "Your saved workspace was written by a newer Dynaplay (format {v}). Reload to get the latest version; nothing was changed."),
            StorageError::Aborted(estimate) => {
                f.write_str("The browser refused to save the last change, most often because this site's storage quota is full")?;
                if let Some(e) = estimate {
                    write!(f, " ({} of {} used)", bytes(e.usage), bytes(e.quota))?;
                }
                f.write_str(". The last change was not saved; free some space or export your workspace.")
            }
            StorageError::Other(e) => write!(f, "Saving failed: {}. The last change was not saved.", e.trim_end_matches('.')),
        }
    }
}

/// The browser's storage estimate for this origin, in bytes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Estimate {
    pub usage: f64,
    pub quota: f64,
}

fn bytes(n: f64) -> String {
    match n {
        n if n >= 1e9 => format!("{:.1} GB", n / 1e9),
        n if n >= 1e6 => format!("{:.1} MB", n / 1e6),
        n if n >= 1e3 => format!("{:.0} KB", n / 1e3),
        n => format!("{n:.0} bytes"),
    }
}

/// `navigator.storage.estimate()`, when the browser offers it.
async fn estimate() -> Option<Estimate> {
    let storage = web_sys::window()?.navigator().storage();
    let value = wasm_bindgen_futures::JsFuture::from(storage.estimate().ok()?).await.ok()?;
    let field = |name: &str| js_sys::Reflect::get(&value, &name.into()).ok()?.as_f64();
    Some(Estimate { usage: field("usage")?, quota: field("quota")? })
}

/// Classifies a failed commit: an abort without a DOM error is reported as [`StorageError::Aborted`].
async fn commit_failed(e: indexed_db_futures::error::Error) -> StorageError {
    match e {
        indexed_db_futures::error::Error::MissingData(_) => StorageError::Aborted(estimate().await),
        e => classify(e),
    }
}

/// Saves every item of the tables the request wrote wholesale (a restore).
fn save_rewritten(tx: &Transaction<'_>, engine: &Engine, trace: &dynaplay_engine::Trace) -> Result<(), StorageError> {
    let store = tx.object_store(ITEMS).map_err(classify)?;
    for name in &trace.tables_rewritten {
        let (lo, hi) = item_key_range(name);
        store.delete::<String, KeyRange<String>>(KeyRange::Bound(lo, false, hi, true)).primitive().map_err(classify)?;
        for (key, record) in engine.table_items(name) {
            store.put(record.to_string()).with_key(key).primitive().map_err(classify)?;
        }
    }
    Ok(())
}

/// Writes the point-in-time recovery bases that were taken or rolled, drops those turned off.
fn save_pitr(tx: &Transaction<'_>, engine: &Engine, trace: &dynaplay_engine::Trace) -> Result<(), StorageError> {
    let store = tx.object_store(PITR).map_err(classify)?;
    for table in &trace.pitr_changed {
        match engine.pitr_record(table) {
            Some(r) => {
                store.put(r.to_string()).with_key(table.clone()).primitive().map_err(classify)?;
            }
            None => {
                store.delete(table.clone()).primitive().map_err(classify)?;
            }
        }
    }
    Ok(())
}

/// Writes the backups the request created and drops those it deleted.
fn save_backups(tx: &Transaction<'_>, engine: &Engine, trace: &dynaplay_engine::Trace) -> Result<(), StorageError> {
    let store = tx.object_store(BACKUPS).map_err(classify)?;
    for arn in &trace.backups_changed {
        match engine.backups().iter().find(|b| &b.arn == arn) {
            Some(b) => {
                let record = dynaplay_engine::snapshot::backup_record(b).to_string();
                store.put(record).with_key(arn.clone()).primitive().map_err(classify)?;
            }
            None => {
                store.delete(arn.clone()).primitive().map_err(classify)?;
            }
        }
    }
    Ok(())
}

/// Writes the buckets, objects and jobs the trace names, and drops those that are gone.
fn save_transfers(tx: &Transaction<'_>, engine: &Engine, trace: &dynaplay_engine::Trace) -> Result<(), StorageError> {
    let s3 = tx.object_store(S3).map_err(classify)?;
    let jobs = tx.object_store(JOBS).map_err(classify)?;
    let each = trace.s3_changed.iter().map(|k| (&s3, k, engine.s3_record(k)));
    for (store, key, record) in each.chain(trace.jobs_changed.iter().map(|a| (&jobs, a, engine.job_record(a)))) {
        match record {
            Some(r) => drop(store.put(r.to_string()).with_key(key.clone()).primitive().map_err(classify)?),
            None => drop(store.delete(key.clone()).primitive().map_err(classify)?),
        }
    }
    Ok(())
}

/// Whether a trace changed nothing stored (a read, or a refused request).
fn nothing_to_save(trace: &dynaplay_engine::Trace) -> bool {
    trace.writes.is_empty()
        && trace.splits.is_empty()
        && trace.tables_changed.is_empty()
        && trace.changes.is_empty()
        && trace.backups_changed.is_empty()
        && trace.tables_rewritten.is_empty()
        && trace.pitr_changed.is_empty()
        && trace.s3_changed.is_empty()
        && trace.jobs_changed.is_empty()
        && !trace.triggers_changed
}

/// Rewrites every trigger and the relational mirror (triggers ran, or were made or
/// deleted, or SQL changed the mirror).
fn save_triggers(tx: &Transaction<'_>, engine: &Engine) -> Result<(), StorageError> {
    let store = tx.object_store(TRIGGERS).map_err(classify)?;
    store.clear().map_err(classify)?;
    for (key, record) in engine.trigger_records() {
        store.put(record.to_string()).with_key(key).primitive().map_err(classify)?;
    }
    let mirror = tx.object_store(MIRROR).map_err(classify)?;
    match engine.mirror_state().map_err(|e| StorageError::Other(e.0))? {
        Some(state) => drop(mirror.put(state.to_string()).with_key(MIRROR_DB).primitive().map_err(classify)?),
        None => drop(mirror.delete(MIRROR_DB).primitive().map_err(classify)?),
    }
    Ok(())
}

/// Writes the items the trace wrote or deleted, and rewrites the snapshots of exactly the
/// tables it names: item writes leave snapshots alone (they hold no counts); splits and
/// definition and status changes rewrite them. A deleted table's items go, and its
/// snapshot becomes the record of its streams (readable 24 hours), then goes.
fn save_items_and_tables(
    tx: &Transaction<'_>,
    engine: &Engine,
    trace: &dynaplay_engine::Trace,
) -> Result<(), StorageError> {
    let tables_store = tx.object_store(TABLES).map_err(classify)?;
    let items_store = tx.object_store(ITEMS).map_err(classify)?;
    for w in &trace.writes {
        let key = item_key(&w.table, &w.key);
        match &w.after {
            Some(item) => drop(
                items_store.put(item_record(&w.table, item).to_string()).with_key(key).primitive().map_err(classify)?,
            ),
            None => drop(items_store.delete(key).primitive().map_err(classify)?),
        }
    }
    let mut touched: BTreeSet<String> = trace.splits.iter().map(|s| s.table.clone()).collect();
    touched.extend(trace.tables_changed.iter().cloned());
    for name in touched {
        if engine.table(&name).is_none() {
            let (lo, hi) = item_key_range(&name);
            let range = KeyRange::Bound(lo, false, hi, true);
            items_store.delete::<String, KeyRange<String>>(range).primitive().map_err(classify)?;
        }
        match engine.table_snapshot(&name) {
            Some(snapshot) => {
                drop(tables_store.put(snapshot.to_string()).with_key(name).primitive().map_err(classify)?)
            }
            None => drop(tables_store.delete(name).primitive().map_err(classify)?),
        }
    }
    Ok(())
}

/// Every record of one store, as text.
async fn read_store(tx: &Transaction<'_>, name: &str) -> Result<Vec<String>, StorageError> {
    tx.object_store(name)
        .map_err(classify)?
        .get_all::<String>()
        .primitive()
        .map_err(classify)?
        .await
        .map_err(classify)?
        .collect::<Result<_, _>>()
        .map_err(classify)
}

/// Appends the request's change-log records, and drops the records its tables' logs no
/// longer keep (older than 24 hours).
fn save_changes(tx: &Transaction<'_>, engine: &Engine, trace: &dynaplay_engine::Trace) -> Result<(), StorageError> {
    let store = tx.object_store(CHANGES).map_err(classify)?;
    for (table, seq) in &trace.changes {
        let Some(change) = engine.change_log(table).and_then(|l| l.get(*seq)) else { continue };
        store
            .put(change_record(table, change).to_string())
            .with_key(change_key(table, *seq))
            .primitive()
            .map_err(classify)?;
    }
    let tables: BTreeSet<&str> = trace.changes.iter().map(|(t, _)| t.as_str()).collect();
    for table in tables {
        let Some(first) = engine.change_log(table).map(|l| l.first_seq()) else { continue };
        let (lo, hi) = (change_key(table, 0), change_key(table, first));
        store.delete::<String, KeyRange<String>>(KeyRange::Bound(lo, false, hi, true)).primitive().map_err(classify)?;
    }
    Ok(())
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
    /// Set when another tab's upgrade made this tab close its connection.
    superseded: Rc<Cell<bool>>,
    /// The last `meta.seq` this tab saw; another tab has written if it differs.
    seq: RefCell<u64>,
    /// Set when memory may be ahead of disk (a failed commit): reload before the next use.
    stale: RefCell<bool>,
}

impl Store {
    /// Opens (creating or upgrading) the database named `name`.
    pub async fn open(name: &str) -> Result<Store, StorageError> {
        Store::open_with(name, DB_VERSION, Rc::new(|_| {})).await
    }

    /// Opens `name` at schema `version` (tests open a later one to play a future release),
    /// reporting to `on_event` what happens outside any request: [`StorageError::Blocked`]
    /// while an older tab holds the database open, and [`StorageError::Superseded`] when a
    /// newer tab upgrades it later. On that, this connection closes at once, so the newer
    /// tab is never blocked by this one.
    pub async fn open_with(
        name: &str,
        version: u32,
        on_event: Rc<dyn Fn(StorageError)>,
    ) -> Result<Store, StorageError> {
        let blocked = Rc::new(Cell::new(false));
        let flag = blocked.clone();
        let report = on_event.clone();
        let db = Database::open(name)
            .with_version(version)
            .with_on_blocked(move |_| {
                flag.set(true);
                report(StorageError::Blocked);
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
                if old < 2 {
                    db.create_object_store(CHANGES).build()?;
                }
                if old < 3 {
                    db.create_object_store(BACKUPS).build()?;
                }
                if old < 4 {
                    db.create_object_store(PITR).build()?;
                }
                if old < 5 {
                    db.create_object_store(S3).build()?;
                    db.create_object_store(JOBS).build()?;
                }
                if old < 6 {
                    db.create_object_store(TRIGGERS).build()?;
                    db.create_object_store(MIRROR).build()?;
                }
                Ok(())
            })
            .await
            .map_err(
                |e| if blocked.get() { StorageError::Blocked } else { StorageError::Unavailable(e.to_string()) },
            )?;
        let superseded = Rc::new(Cell::new(false));
        let mut changes = db.version_changes().map_err(|e| StorageError::Unavailable(e.to_string()))?;
        let flag = superseded.clone();
        wasm_bindgen_futures::spawn_local(async move {
            if changes.recv().await.is_some() {
                flag.set(true);
                changes.db().clone().close();
                on_event(StorageError::Superseded);
            }
        });
        Ok(Store { db, superseded, seq: RefCell::new(0), stale: RefCell::new(true) })
    }

    fn transaction(&self, mode: TransactionMode) -> Result<Transaction<'_>, StorageError> {
        if self.superseded.get() {
            return Err(StorageError::Superseded);
        }
        self.db
            .transaction([META, TABLES, ITEMS, CHANGES, BACKUPS, PITR, S3, JOBS, TRIGGERS, MIRROR])
            .with_mode(mode)
            .build()
            .map_err(classify)
    }

    /// Loads the stored workspace into a new engine.
    pub async fn load(&self, config: Config) -> Result<Engine, StorageError> {
        let tx = self.transaction(TransactionMode::Readonly)?;
        let engine = self.read_all(&tx, config).await?;
        Ok(engine)
    }

    async fn read_all(&self, tx: &Transaction<'_>, config: Config) -> Result<Engine, StorageError> {
        let meta = self.read_meta(tx).await?;
        let config = meta.apply(config);
        if meta.format > FORMAT_VERSION {
            return Err(StorageError::Newer(meta.format));
        }
        let parse = |texts: Vec<String>| -> Result<Vec<Value>, StorageError> {
            texts
                .iter()
                .map(|t| serde_json::from_str(t).map_err(|e| StorageError::Other(format!("damaged record: {e}"))))
                .collect()
        };
        let tables = parse(read_store(tx, TABLES).await?)?;
        let items = parse(read_store(tx, ITEMS).await?)?;
        let changes = parse(read_store(tx, CHANGES).await?)?;
        let backups = parse(read_store(tx, BACKUPS).await?)?;
        let mut engine =
            Engine::restore(config, meta.clock, &tables, &items, &changes).map_err(|e| StorageError::Other(e.0))?;
        engine.restore_backups(&backups).map_err(|e| StorageError::Other(e.0))?;
        let pitr = parse(read_store(tx, PITR).await?)?;
        engine.restore_pitr(&pitr).map_err(|e| StorageError::Other(e.0))?;
        let mut transfers = parse(read_store(tx, S3).await?)?;
        transfers.extend(parse(read_store(tx, JOBS).await?)?);
        engine.restore_transfers(&transfers).map_err(|e| StorageError::Other(e.0))?;
        let triggers = parse(read_store(tx, TRIGGERS).await?)?;
        engine.restore_triggers(&triggers).map_err(|e| StorageError::Other(e.0))?;
        let mirror = tx.object_store(MIRROR).map_err(classify)?;
        let db: Option<String> = mirror.get(MIRROR_DB).primitive().map_err(classify)?.await.map_err(classify)?;
        if let Some(db) = db {
            let state = serde_json::from_str(&db).map_err(|e| StorageError::Other(format!("damaged record: {e}")))?;
            engine.restore_mirror(state).map_err(|e| StorageError::Other(e.0))?;
        }
        *self.seq.borrow_mut() = meta.seq;
        *self.stale.borrow_mut() = false;
        Ok(engine)
    }

    async fn read_meta(&self, tx: &Transaction<'_>) -> Result<Meta, StorageError> {
        let meta = tx.object_store(META).map_err(classify)?;
        let text: Option<String> = meta.get(STATE).primitive().map_err(classify)?.await.map_err(classify)?;
        Ok(Meta::parse(text))
    }

    fn write_meta(&self, tx: &Transaction<'_>, meta: Meta) -> Result<(), StorageError> {
        let store = tx.object_store(META).map_err(classify)?;
        drop(store.put(meta.text()).with_key(STATE).primitive().map_err(classify)?);
        Ok(())
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
        self.saved(engine, |e| e.request(op, body, now_ms)).await
    }

    /// Runs a change the page makes outside DynamoDB's API (creating a bucket, uploading an
    /// object) and commits what its trace names, like a request's.
    pub async fn host_change(
        &self,
        engine: &RefCell<Engine>,
        f: impl FnOnce(&mut Engine) -> dynaplay_engine::Trace,
    ) -> Result<(), StorageError> {
        self.saved(engine, |e| Response { status: 200, body: String::new(), trace: f(e) }).await.map(drop)
    }

    /// Moves the engine clock to `now_ms` and commits what it did (a table turning
    /// ACTIVE, items the TTL sweep deleted) as one change set, like a request's.
    pub async fn tick(&self, engine: &RefCell<Engine>, now_ms: u64) -> Result<Response, StorageError> {
        self.saved(engine, |e| Response { status: 200, body: String::new(), trace: e.tick(now_ms) }).await
    }

    /// Runs `f` against `engine` inside one readwrite transaction and commits the change
    /// set its trace names; resolves once it is on disk.
    async fn saved(
        &self,
        engine: &RefCell<Engine>,
        f: impl FnOnce(&mut Engine) -> Response,
    ) -> Result<Response, StorageError> {
        let tx = self.transaction(TransactionMode::Readwrite)?;
        let stored = self.read_meta(&tx).await?.seq;
        if stored != *self.seq.borrow() || *self.stale.borrow() {
            let config = engine.borrow().config.clone();
            let fresh = self.read_all(&tx, config).await?;
            *engine.borrow_mut() = fresh;
        }
        let response = f(&mut engine.borrow_mut());
        let trace = &response.trace;
        if nothing_to_save(trace) {
            // Nothing to save (a read, or a rejected request); let the transaction end.
            return Ok(response);
        }
        {
            let engine = engine.borrow();
            save_changes(&tx, &engine, trace)?;
            save_rewritten(&tx, &engine, trace)?;
            save_backups(&tx, &engine, trace)?;
            save_pitr(&tx, &engine, trace)?;
            save_transfers(&tx, &engine, trace)?;
            if trace.triggers_changed {
                save_triggers(&tx, &engine)?;
            }
            save_items_and_tables(&tx, &engine, trace)?;
        }
        let next = stored + 1;
        self.write_meta(&tx, Meta::of(&engine.borrow(), next))?;
        match tx.commit().await {
            Ok(()) => {
                *self.seq.borrow_mut() = next;
                Ok(response)
            }
            Err(e) => {
                *self.stale.borrow_mut() = true;
                Err(commit_failed(e).await)
            }
        }
    }

    /// Changes the workspace's settings (the TTL sweep delay, the point-in-time recovery
    /// lag) as a change other tabs reload: `change` applies to the settings as stored (so a
    /// setting another tab saved is kept), over `config`. Returns the config saved. If
    /// another tab committed since this one last looked, this tab reloads before its next
    /// operation.
    pub async fn save_settings(
        &self,
        clock: u64,
        config: Config,
        change: impl FnOnce(&mut Config),
    ) -> Result<Config, StorageError> {
        let tx = self.transaction(TransactionMode::Readwrite)?;
        let meta = self.read_meta(&tx).await?;
        let mut config = meta.apply(config);
        change(&mut config);
        let next = meta.seq + 1;
        self.write_meta(&tx, Meta::settings(next, clock, &config))?;
        if let Err(e) = tx.commit().await {
            *self.stale.borrow_mut() = true;
            return Err(commit_failed(e).await);
        }
        if meta.seq != *self.seq.borrow() {
            *self.stale.borrow_mut() = true;
        }
        *self.seq.borrow_mut() = next;
        Ok(config)
    }

    /// Replaces everything stored with `engine`'s state (workspace import).
    pub async fn replace_all(&self, engine: &Engine) -> Result<(), StorageError> {
        let tx = self.transaction(TransactionMode::Readwrite)?;
        let next = self.read_meta(&tx).await?.seq + 1;
        let tables_store = tx.object_store(TABLES).map_err(classify)?;
        let items_store = tx.object_store(ITEMS).map_err(classify)?;
        let changes_store = tx.object_store(CHANGES).map_err(classify)?;
        tables_store.clear().map_err(classify)?;
        items_store.clear().map_err(classify)?;
        changes_store.clear().map_err(classify)?;
        let backups_store = tx.object_store(BACKUPS).map_err(classify)?;
        backups_store.clear().map_err(classify)?;
        for (key, record) in engine.backup_records() {
            backups_store.put(record.to_string()).with_key(key).primitive().map_err(classify)?;
        }
        let pitr_store = tx.object_store(PITR).map_err(classify)?;
        pitr_store.clear().map_err(classify)?;
        for (key, record) in engine.pitr_records() {
            pitr_store.put(record.to_string()).with_key(key).primitive().map_err(classify)?;
        }
        for (name, records) in [(S3, engine.s3_records()), (JOBS, engine.job_records())] {
            let store = tx.object_store(name).map_err(classify)?;
            store.clear().map_err(classify)?;
            for (key, record) in records {
                store.put(record.to_string()).with_key(key).primitive().map_err(classify)?;
            }
        }
        for (key, record) in engine.change_records() {
            changes_store.put(record.to_string()).with_key(key).primitive().map_err(classify)?;
        }
        save_triggers(&tx, engine)?;
        for (name, snapshot) in engine.table_snapshots() {
            tables_store.put(snapshot.to_string()).with_key(name.clone()).primitive().map_err(classify)?;
            for (key, record) in engine.table_items(&name) {
                items_store.put(record.to_string()).with_key(key).primitive().map_err(classify)?;
            }
        }
        self.write_meta(&tx, Meta::of(engine, next))?;
        if let Err(e) = tx.commit().await {
            *self.stale.borrow_mut() = true;
            return Err(commit_failed(e).await);
        }
        *self.seq.borrow_mut() = next;
        Ok(())
    }

    /// Whether another tab has committed since this tab last read or wrote.
    pub async fn changed_elsewhere(&self) -> Result<bool, StorageError> {
        let tx = self.transaction(TransactionMode::Readonly)?;
        Ok(self.read_meta(&tx).await?.seq != *self.seq.borrow())
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
/// Hooks for the browser tests: they reach into stored state to set up cases the app
/// itself never produces (data from a newer version).
#[doc(hidden)]
pub mod testing {
    use super::*;

    /// Marks the database `name` as written by format `version`.
    pub async fn set_format(name: &str, version: u64) {
        let Ok(store) = Store::open(name).await else { return };
        let Ok(tx) = store.transaction(TransactionMode::Readwrite) else { return };
        let Ok(mut meta) = store.read_meta(&tx).await else { return };
        meta.format = version;
        // The request goes out when built; the commit below waits for it.
        let _ = store.write_meta(&tx, meta);
        let _ = tx.commit().await;
        store.close();
    }

    /// Writes `engine`'s workspace as the release before triggers did: IndexedDB version 5,
    /// its stores (no `triggers`, no `mirror`) in today's record formats.
    pub async fn write_version_5(name: &str, engine: &Engine) {
        let _ = Store::destroy(name).await;
        let stores = [META, TABLES, ITEMS, CHANGES, BACKUPS, PITR, S3, JOBS];
        let db = Database::open(name)
            .with_version(5u32)
            .with_on_upgrade_needed(move |_, db| {
                for s in stores {
                    db.create_object_store(s).build()?;
                }
                Ok(())
            })
            .await
            .expect("a version 5 database");
        let tx = db.transaction(stores).with_mode(TransactionMode::Readwrite).build().expect("tx");
        let put = |store: &str, key: String, value: String| {
            let s = tx.object_store(store).expect("store");
            drop(s.put(value).with_key(key).primitive().expect("put"));
        };
        put(META, STATE.into(), Meta::of(engine, 1).text());
        for (name, snapshot) in engine.table_snapshots() {
            for (key, record) in engine.table_items(&name) {
                put(ITEMS, key, record.to_string());
            }
            put(TABLES, name, snapshot.to_string());
        }
        let each = [
            (CHANGES, engine.change_records()),
            (BACKUPS, engine.backup_records()),
            (PITR, engine.pitr_records()),
            (S3, engine.s3_records()),
            (JOBS, engine.job_records()),
        ];
        for (store, records) in each {
            for (key, record) in records {
                put(store, key, record.to_string());
            }
        }
        tx.commit().await.expect("commit");
        db.close();
    }

    /// Writes a database as release 1 (IndexedDB version 1: `meta`, `tables`, `items`, no
    /// `changes`) would have: `tables` holds table snapshots, `items` (key, record) pairs.
    pub async fn write_version_1(name: &str, clock: u64, tables: &[(String, String)], items: &[(String, String)]) {
        let _ = Store::destroy(name).await;
        let db = Database::open(name)
            .with_version(1u32)
            .with_on_upgrade_needed(|_, db| {
                db.create_object_store(META).build()?;
                db.create_object_store(TABLES).build()?;
                db.create_object_store(ITEMS).build()?;
                Ok(())
            })
            .await
            .expect("a version 1 database");
        let tx = db.transaction([META, TABLES, ITEMS]).with_mode(TransactionMode::Readwrite).build().expect("tx");
        let meta = Meta { format: 1, seq: 1, clock, ..Meta::default() }.text();
        let put = |store: &str, key: &str, value: &str| {
            let s = tx.object_store(store).expect("store");
            drop(s.put(value.to_string()).with_key(key.to_string()).primitive().expect("put"));
        };
        put(META, STATE, &meta);
        for (k, v) in tables {
            put(TABLES, k, v);
        }
        for (k, v) in items {
            put(ITEMS, k, v);
        }
        tx.commit().await.expect("commit");
        db.close();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_meta_record_keeps_the_workspace_settings() {
        let mut config = Config {
            ttl_delay_ms: 2_000,
            pitr_lag_ms: 0,
            replication_lag_ms: 1_000,
            enforce_capacity: false,
            ..Config::default()
        };
        config.table_replication_lag_ms.insert("Orders".into(), 3_000);
        let meta = Meta::parse(Some(Meta::settings(3, 9, &config).text()));
        let settings = (meta.ttl_delay_ms, meta.pitr_lag_ms, meta.replication_lag_ms);
        assert_eq!(settings, (Some(2_000), Some(0), Some(1_000)));
        assert_eq!(meta.enforce_capacity, Some(false));
        assert_eq!((meta.format, meta.seq, meta.clock), (FORMAT_VERSION, 3, 9));
        assert_eq!(meta.apply(Config::default()), config);
        // A record from before the settings existed keeps the defaults.
        let old = Meta::parse(Some(r#"{"format":1,"seq":1,"clock":5}"#.into()));
        assert_eq!((old.ttl_delay_ms, old.pitr_lag_ms, old.replication_lag_ms), (None, None, None));
        assert_eq!(old.apply(Config::default()), Config::default());
    }
}
