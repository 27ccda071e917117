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
//! mirror's schema and rows), in the engine's snapshot format: all of these are the home
//! region's. The other regions of global tables are in `regions` (region name → that
//! region's whole engine export), and the world's own state (lags, replicas, replication
//! progress) is `meta`'s second record, `world`. A table's snapshot is rewritten only
//! when its definition, partition map or streams change; item writes touch only their
//! items, their change records and `meta`; another region's record is rewritten whole
//! when anything in it changed (learning-sized, and simple). Version 2 added `changes`,
//! version 3 `backups`, version 4 `pitr`, version 5 `s3` and `jobs`, version 6 `triggers`
//! and `mirror`, version 7 `regions`; version 8 stores a commit's changes of one table as one
//! record ([`STORE_FORMAT`] 2; single-change records still read); version 9 changes no
//! store, but its tabs coordinate by a Web Lock ([`tabs`]). An older database is upgraded
//! in place (its stores are kept as they are).
//!
//! Every operation runs inside one readwrite transaction over all the stores, so IndexedDB
//! serialises it against every other tab's operations:
//! 1. read `meta.seq`; if another tab committed since this tab last looked, reload the
//!    engine from the stores (inside the same transaction);
//! 2. run the request on the in-memory world (synchronously), which notes what changed
//!    in each region;
//! 3. write the operation's change set (the home region's trace: item writes, the
//!    snapshots of tables whose definition or partitions changed; the other regions that
//!    changed; the world's state if it changed) and `seq + 1`, and commit.
//!
//! Requests ([`Store::execute_all`]) run steps 1 and 2 at once: the request runs on memory
//! while `meta.seq` is read, and the change set is written; if the read shows another tab
//! committed, the transaction is dropped unwritten (it aborts) and the request runs again
//! as above. This saves a round trip on every write. Several queued requests run as one
//! group, one change set and one commit (group commit), each acknowledged after it.
//! When nothing is left to check, the group's items go into the transaction as its
//! requests run, a few dozen at a time, and the rest of the change set after them
//! ([`run_requests`]): still one transaction, so still all or nothing.
//!
//! The request is acknowledged only after the commit. If the commit fails (quota, a closed
//! database), the in-memory engine is marked stale and reloaded from IndexedDB before the
//! next operation, so memory never runs ahead of disk.
//!
//! A tab that has the workspace to itself skips step 1 ([`tabs`]): a Web Lock tells it
//! that no other tab can commit, so memory is what is stored. Its reads then open no
//! transaction at all, and its writes open one only to write. The IndexedDB transaction
//! still makes each change set atomic, and serialises tabs while there are several.

use std::cell::{Cell, RefCell};
use std::fmt;
use std::rc::Rc;

use dynaplay_engine::global::World;
use dynaplay_engine::wire::Access;
use dynaplay_engine::{Config, Engine, Response, Trace};
use futures::future::LocalBoxFuture;
use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::{Transaction, TransactionMode};
pub use read::Pace;
use tabs::{Mode, Tabs, Turn};

/// The IndexedDB schema version. Version 1: stores `meta`, `tables`, `items`; version 2
/// adds `changes`; version 3 adds `backups`; version 4 adds `pitr`; version 5 adds `s3` and
/// `jobs`; version 6 adds `triggers` and `mirror`; version 7 adds `regions`; version 8
/// adds no store, but its change records may be groups ([`STORE_FORMAT`] 2), so a tab of an
/// older release still open is told to step aside (its connection closes) instead of
/// misreading them. Version 9 adds no store either: its tabs take turns by a Web Lock
/// ([`tabs`]), which an older tab would not, so it is told to step aside too.
pub const DB_VERSION: u32 = 9;
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
const REGIONS: &str = "regions";
/// The layout of the records this build writes, as `meta.format` records it. Format 2
/// stores a commit's changes of one table as one record (a JSON array); format 1 stored
/// one per change. This build reads both; an older one refuses a format 2 database as
/// written by a newer Dynaplay ([`StorageError::Newer`]) instead of misreading it.
pub const STORE_FORMAT: u64 = 2;
/// `meta`'s record of the world's own state.
const WORLD: &str = "world";
/// `meta`'s record of IAM (principals, policies, enforcement): global, like the world's.
const IAM: &str = "iam";
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
            format: STORE_FORMAT,
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
    /// The stored workspace could not be read (a damaged record, or the cold code that
    /// reads some records could not be fetched); it is left as stored.
    Unread(String),
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
            StorageError::Unread(e) => write!(f, "Your saved workspace could not be read: {}. It is kept as it was; until it is read, nothing this tab does is saved. Reload to try again.", e.trim_end_matches('.')),
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

/// Asks `tx` for every record of one store, as text: the request goes out now, and the
/// answer can be awaited after others are asked for, so the browser reads the next store
/// while this one's records are taken in.
fn ask_store(
    tx: &Transaction<'_>,
    name: &str,
) -> Result<LocalBoxFuture<'static, Result<Vec<String>, StorageError>>, StorageError> {
    let asked = ask_records(tx, name)?;
    Ok(Box::pin(async move { asked.await?.collect::<Result<_, _>>().map_err(classify) }))
}

/// [`ask_store`], answered with the records still in JavaScript, each copied into Rust as
/// it is taken from the iterator.
fn ask_records(
    tx: &Transaction<'_>,
    name: &str,
) -> Result<LocalBoxFuture<'static, Result<Records, StorageError>>, StorageError> {
    let asked = tx.object_store(name).map_err(classify)?.get_all::<String>().primitive().map_err(classify)?;
    Ok(Box::pin(async move { asked.await.map_err(classify) }))
}

/// A store's records as IndexedDB answered them, not yet copied into Rust.
type Records = indexed_db_futures::iter::GetAllPrimitiveIter<String>;

/// The world's own record (`meta`'s `world`), as text.
fn state_text(world: &World) -> Result<String, StorageError> {
    world.state_record().map(|r| r.to_string()).map_err(|e| StorageError::Other(e.0))
}

pub(crate) fn classify(e: impl fmt::Display) -> StorageError {
    let text = e.to_string();
    if text.contains("Quota") {
        StorageError::Quota(text)
    } else {
        StorageError::Other(text)
    }
}

/// Asks `tx` for the `meta` record; the answer can be awaited later, after other requests
/// are queued in the same transaction.
fn meta_request(tx: &Transaction<'_>) -> Result<LocalBoxFuture<'static, Result<Meta, StorageError>>, StorageError> {
    let meta = tx.object_store(META).map_err(classify)?;
    let asked = meta.get::<String, _, _>(STATE).primitive().map_err(classify)?;
    Ok(Box::pin(async move { Ok(Meta::parse(asked.await.map_err(classify)?)) }))
}

/// Runs `f` on `world` keeping what it changes, for [`Store::finish`] to save.
fn tracked<T>(world: &RefCell<World>, f: impl FnOnce(&mut World) -> T) -> T {
    let mut w = world.borrow_mut();
    w.track_changes();
    f(&mut w)
}

/// How many requests of a group run between writes of their items into its transaction.
const ITEMS_EVERY: usize = 64;

/// Runs `requests` on `world` keeping what they change, for [`Store::finish`] to save.
/// When `begun`'s transaction will commit whatever is put in it (no other tab's commit is
/// left to check), the items that each [`ITEMS_EVERY`] requests wrote go into it as they
/// run, so the browser stores them while the engine runs the rest: a burst of 10,000
/// PutItems otherwise ran them all before its first put (in raw IndexedDB, work done
/// before a transaction's puts added to its time; the same work between them hardly did).
fn run_requests(
    world: &RefCell<World>,
    begun: &mut Begun<'_>,
    requests: &[Request<'_>],
) -> Result<Vec<Response>, StorageError> {
    let run = |w: &mut World, r: &Request<'_>| w.request_as(r.access, r.region, r.op, r.body, r.now_ms);
    let mut w = world.borrow_mut();
    w.track_changes();
    let Begun { tx: Some(tx), check: None, items_stored } = begun else {
        return Ok(requests.iter().map(|r| run(&mut w, r)).collect());
    };
    let writer = writer::get()?;
    let mut responses = Vec::with_capacity(requests.len());
    for group in requests.chunks(ITEMS_EVERY) {
        responses.extend(group.iter().map(|r| run(&mut w, r)));
        let writes = w.pending_writes();
        (writer.items)(tx, writes.get(*items_stored..).unwrap_or_default())?;
        *items_stored = writes.len();
    }
    Ok(responses)
}

/// One request for [`Store::execute_all`].
#[derive(Clone, Copy, Debug)]
pub struct Request<'a> {
    pub access: Access<'a>,
    /// The region (`None`: the home region).
    pub region: Option<&'a str>,
    pub op: &'a str,
    pub body: &'a [u8],
    pub now_ms: u64,
}

/// How [`Store::begin`] starts a change.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Begin {
    /// Run on memory while `meta.seq` is read (`early`: the requests may write).
    Optimistic { early: bool },
    /// Check `meta.seq` (and reload if another tab committed) before running.
    Checked,
}

/// Whether a request may change anything, by its name: only a hint, for opening its
/// transaction early. A request that turns out to save something gets one in any case.
fn may_write(op: &str) -> bool {
    let reads = ["Get", "Describe", "List", "Query", "Scan", "BatchGetItem", "TransactGetItems"];
    !reads.iter().any(|r| op.starts_with(r))
}

/// A change's transaction, and the stored sequence number it has yet to check.
struct Begun<'a> {
    /// `None` for a tab alone: [`Store::finish`] opens one if there is something to save.
    tx: Option<Transaction<'a>>,
    check: Option<LocalBoxFuture<'static, Result<Meta, StorageError>>>,
    /// How many of the change set's item writes are already in `tx` ([`run_requests`]).
    items_stored: usize,
}

/// Whether [`Store::finish`] committed, or found memory stale and wrote nothing.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Committed {
    Yes,
    Stale,
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
    /// The world's state record as last read or written, to save it only when it changes.
    world_state: RefCell<String>,
    /// Per table, the log's first kept sequence number when its older change records were
    /// last deleted: the range delete is sent again only once the log has trimmed more.
    trimmed: RefCell<std::collections::BTreeMap<String, u64>>,
    /// Whether other tabs use the workspace too, and each operation's turn ([`tabs`]).
    tabs: Tabs,
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
                if old < 7 {
                    db.create_object_store(REGIONS).build()?;
                }
                Ok(())
            })
            .await
            .map_err(
                |e| if blocked.get() { StorageError::Blocked } else { StorageError::Unavailable(e.to_string()) },
            )?;
        let superseded = Rc::new(Cell::new(false));
        let mut changes = db.version_changes().map_err(|e| StorageError::Unavailable(e.to_string()))?;
        let tabs = Tabs::join(name).await;
        let flag = superseded.clone();
        let leave = tabs.leaver();
        wasm_bindgen_futures::spawn_local(async move {
            if changes.recv().await.is_some() {
                flag.set(true);
                changes.db().clone().close();
                leave();
                on_event(StorageError::Superseded);
            }
        });
        Ok(Store {
            db,
            superseded,
            seq: RefCell::new(0),
            stale: RefCell::new(true),
            world_state: RefCell::new(String::new()),
            trimmed: RefCell::default(),
            tabs,
        })
    }

    /// Whether this tab has the workspace to itself (no other tab has it open), so its
    /// reads need no IndexedDB transaction ([`tabs`]).
    pub fn alone(&self) -> bool {
        self.tabs.mode() == Mode::Solo
    }

    fn transaction(&self, mode: TransactionMode) -> Result<Transaction<'_>, StorageError> {
        if self.superseded.get() {
            return Err(StorageError::Superseded);
        }
        self.db
            .transaction([META, TABLES, ITEMS, CHANGES, BACKUPS, PITR, S3, JOBS, TRIGGERS, MIRROR, REGIONS])
            .with_mode(mode)
            .build()
            .map_err(classify)
    }

    /// Loads the stored workspace: its home region and any others.
    pub async fn load(&self, config: Config, pace: Option<Pace<'_>>) -> Result<World, StorageError> {
        let turn = self.tabs.turn().await;
        let tx = self.transaction(TransactionMode::Readonly)?;
        let world = self.read_all(&tx, config, pace, true).await?;
        turn.checked();
        Ok(world)
    }

    /// The workspace stored, read whole ([`read`]); built in steps when `pace` is given,
    /// which only a read-only `tx` may be (a pause ends the transaction), and so may
    /// `wait` for the cold code its records need.
    async fn read_all(
        &self,
        tx: &Transaction<'_>,
        config: Config,
        pace: Option<Pace<'_>>,
        wait: bool,
    ) -> Result<World, StorageError> {
        let (records, feed) = read::Stored::read(tx, pace).await?;
        let seq = records.meta.seq;
        let world = records.world(feed, config, pace, wait).await?;
        *self.seq.borrow_mut() = seq;
        *self.stale.borrow_mut() = false;
        *self.world_state.borrow_mut() = state_text(&world)?;
        self.trimmed.borrow_mut().clear();
        Ok(world)
    }

    async fn read_meta(&self, tx: &Transaction<'_>) -> Result<Meta, StorageError> {
        meta_request(tx)?.await
    }

    fn write_meta(&self, tx: &Transaction<'_>, meta: Meta) -> Result<(), StorageError> {
        let store = tx.object_store(META).map_err(classify)?;
        drop(store.put(meta.text()).with_key(STATE).primitive().map_err(classify)?);
        Ok(())
    }

    /// Runs one request in `region` (`None`: the home region) and commits its change set;
    /// see the module docs. Returns the response only once the change set is on disk.
    pub async fn execute(
        &self,
        world: &RefCell<World>,
        region: Option<&str>,
        op: &str,
        body: &[u8],
        now_ms: u64,
    ) -> Result<Response, StorageError> {
        self.execute_as(world, Access::default(), region, op, body, now_ms).await
    }

    /// [`Store::execute`] from the principal (or the owner) `access` names.
    pub async fn execute_as(
        &self,
        world: &RefCell<World>,
        access: Access<'_>,
        region: Option<&str>,
        op: &str,
        body: &[u8],
        now_ms: u64,
    ) -> Result<Response, StorageError> {
        let request = Request { access, region, op, body, now_ms };
        let mut responses = self.execute_all(world, std::slice::from_ref(&request)).await?;
        responses.pop().ok_or_else(|| StorageError::Other("the request had no response".into()))
    }

    /// Runs `requests` in order and commits what they all changed as one change set in one
    /// transaction (group commit: a queue of requests costs one commit). Every response is
    /// returned only once that commit is on disk; if it fails, none of them is saved.
    ///
    /// The requests first run on memory as it is, while the transaction reads `meta.seq`;
    /// if another tab committed in between, the transaction is dropped unwritten (so it
    /// aborts) and the requests run again on what is stored, as in the module docs. Their
    /// first answers are never seen.
    pub async fn execute_all(
        &self,
        world: &RefCell<World>,
        requests: &[Request<'_>],
    ) -> Result<Vec<Response>, StorageError> {
        let result = self.run_and_commit(world, requests).await;
        if result.is_err() {
            // The requests may have run on memory, or even had items stored in a
            // transaction that then aborted: memory must not run ahead of disk.
            *self.stale.borrow_mut() = true;
        }
        result
    }

    async fn run_and_commit(
        &self,
        world: &RefCell<World>,
        requests: &[Request<'_>],
    ) -> Result<Vec<Response>, StorageError> {
        let turn = self.tabs.turn().await;
        let early = requests.iter().any(|r| may_write(r.op));
        let mut begun = self.begin(world, &turn, Begin::Optimistic { early }).await?;
        let responses = run_requests(world, &mut begun, requests)?;
        if self.finish(world, begun, &turn).await? == Committed::Yes {
            return Ok(responses);
        }
        let mut begun = self.begin(world, &turn, Begin::Checked).await?;
        let responses = run_requests(world, &mut begun, requests)?;
        self.finish(world, begun, &turn).await?;
        Ok(responses)
    }

    /// Runs a change the page makes outside DynamoDB's API (creating a bucket, uploading an
    /// object) in the home region and commits what its trace names, like a request's.
    pub async fn host_change(
        &self,
        world: &RefCell<World>,
        f: impl FnOnce(&mut Engine) -> Trace,
    ) -> Result<(), StorageError> {
        self.saved(world, |w| Response { status: 200, body: String::new(), trace: w.home_change(f) }).await.map(drop)
    }

    /// Moves every region's clock to `now_ms` (and replication with it) and commits what
    /// that did (a table turning ACTIVE, items the TTL sweep deleted, replicated writes)
    /// as one change set, like a request's. The trace is the home region's.
    pub async fn tick(&self, world: &RefCell<World>, now_ms: u64) -> Result<Response, StorageError> {
        self.saved(world, |w| Response { status: 200, body: String::new(), trace: w.advance(now_ms) }).await
    }

    /// Runs `f` on `world` inside one readwrite transaction, once memory is known to match
    /// what is stored, and commits the change set the world noted; resolves once it is on
    /// disk.
    pub async fn saved(
        &self,
        world: &RefCell<World>,
        f: impl FnOnce(&mut World) -> Response,
    ) -> Result<Response, StorageError> {
        let turn = self.tabs.turn().await;
        let begun = self.begin(world, &turn, Begin::Checked).await?;
        let response = tracked(world, f);
        self.finish(world, begun, &turn).await?;
        Ok(response)
    }

    /// Opens the readwrite transaction a change runs in and asks for `meta`. Unless
    /// `optimistic` (and memory is not known to be stale), waits for it and first reloads
    /// `world` if another tab has committed; otherwise the check is left to [`Store::finish`].
    /// A tab alone (and not stale) reads nothing: memory is what is stored. It opens the
    /// transaction now only for requests that may write (so the browser starts it while
    /// they run); otherwise [`Store::finish`] opens one if there is something to save.
    /// First it waits for the code that runs requests and saves changes ([`writer`]): if
    /// that cannot be fetched, nothing runs.
    async fn begin(&self, world: &RefCell<World>, turn: &Turn<'_>, how: Begin) -> Result<Begun<'_>, StorageError> {
        if !crate::cold::ensure_hot().await {
            return Err(writer::not_loaded());
        }
        if turn.solo() && !*self.stale.borrow() {
            let early = how == Begin::Optimistic { early: true };
            let tx = if early { Some(self.transaction(TransactionMode::Readwrite)?) } else { None };
            return Ok(Begun { tx, check: None, items_stored: 0 });
        }
        let tx = self.transaction(TransactionMode::Readwrite)?;
        let meta = meta_request(&tx)?;
        if matches!(how, Begin::Optimistic { .. }) && !*self.stale.borrow() {
            return Ok(Begun { tx: Some(tx), check: Some(meta), items_stored: 0 });
        }
        let stored = meta.await?.seq;
        if stored != *self.seq.borrow() || *self.stale.borrow() {
            let config = world.borrow().home_engine().config.clone();
            let fresh = self.read_all(&tx, config, None, false).await?;
            *world.borrow_mut() = fresh;
        }
        turn.checked();
        Ok(Begun { tx: Some(tx), check: None, items_stored: 0 })
    }

    /// Writes the change set `world` noted since [`tracked`] began and commits it, unless
    /// the stored sequence number `begun` still has to check shows another tab committed
    /// first: then nothing is written, memory is marked stale, and the answer is
    /// [`Committed::Stale`].
    async fn finish(
        &self,
        world: &RefCell<World>,
        begun: Begun<'_>,
        turn: &Turn<'_>,
    ) -> Result<Committed, StorageError> {
        let Begun { mut tx, check, items_stored } = begun;
        let writer = writer::get()?;
        let next = *self.seq.borrow() + 1;
        let (written, state) = {
            let mut w = world.borrow_mut();
            let state = state_text(&w)?;
            let changes = w.take_changes();
            let state_changed = state != *self.world_state.borrow();
            let saves = changes.home.saves_anything() || !changes.regions.is_empty() || state_changed;
            let written = if saves {
                let tx = tx.take().map_or_else(|| self.transaction(TransactionMode::Readwrite), Ok)?;
                (writer.changes)(&tx, &w, &changes, items_stored, &mut self.trimmed.borrow_mut())?;
                if state_changed {
                    let meta = tx.object_store(META).map_err(classify)?;
                    drop(meta.put(state.clone()).with_key(WORLD).primitive().map_err(classify)?);
                }
                self.write_meta(&tx, Meta::of(w.home_engine(), next))?;
                Some(tx)
            } else {
                None
            };
            (written, state)
        };
        if let Some(check) = check {
            if check.await?.seq != next - 1 {
                // Dropping the transaction aborts it: nothing above is stored.
                *self.stale.borrow_mut() = true;
                return Ok(Committed::Stale);
            }
            turn.checked();
        }
        // Nothing to save (a read, or a rejected request): the transaction, if any, ends.
        let Some(tx) = written else { return Ok(Committed::Yes) };
        match tx.commit().await {
            Ok(()) => {
                *self.seq.borrow_mut() = next;
                *self.world_state.borrow_mut() = state;
                Ok(Committed::Yes)
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
        let _turn = self.tabs.turn().await;
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

    /// Replaces everything stored with `workspace` (an import, or a sandbox kept). Its
    /// code is the write path's ([`writer`]): it must be in (`crate::cold::ensure_hot`).
    pub async fn replace_all(&self, workspace: Workspace) -> Result<(), StorageError> {
        (writer::get()?.replace_all)(self, workspace).await
    }

    /// Whether another tab has committed since this tab last read or wrote.
    pub async fn changed_elsewhere(&self) -> Result<bool, StorageError> {
        let turn = self.tabs.turn().await;
        if turn.solo() {
            return Ok(false);
        }
        let tx = self.transaction(TransactionMode::Readonly)?;
        Ok(self.read_meta(&tx).await?.seq != *self.seq.borrow())
    }

    /// Deletes the database (tests).
    pub async fn destroy(name: &str) -> Result<(), StorageError> {
        Database::delete_by_name(name).map_err(|e| StorageError::Other(e.to_string()))?.await.map_err(classify)
    }

    /// Closes the database, then lets the other tabs know this one has gone.
    pub fn close(self) {
        self.db.close();
        self.tabs.close();
    }
}

mod change_set;
mod learner;
mod read;
mod tabs;
/// Hooks for the browser tests: they reach into stored state to set up cases the app
/// itself never produces (data from a newer version).
#[doc(hidden)]
pub mod testing;
pub mod writer;
pub use writer::Workspace;

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
        assert_eq!((meta.format, meta.seq, meta.clock), (STORE_FORMAT, 3, 9));
        assert_eq!(meta.apply(Config::default()), config);
        // A record from before the settings existed keeps the defaults.
        let old = Meta::parse(Some(r#"{"format":1,"seq":1,"clock":5}"#.into()));
        assert_eq!((old.ttl_delay_ms, old.pitr_lag_ms, old.replication_lag_ms), (None, None, None));
        assert_eq!(old.apply(Config::default()), Config::default());
    }
}
