//! The one engine handle every component (and `window.dynaplay`) goes through.
//!
//! Requests are serialised by an async mutex and run in groups through
//! [`Store::execute_all`] ([`queue`]: each is acknowledged only after its IndexedDB
//! commit), recorded in the history, and announced to the UI by bumping `version`, which
//! views of the whole engine derive from, and by notifying the [`tables`] triggers of the
//! tables that changed, which a table's views follow. Other tabs are told through a
//! `BroadcastChannel`; on hearing one, this tab reloads from IndexedDB.
//!
//! The handle holds a [`World`]: the workspace's home region and any others a request
//! was made in (global tables). The views show one region at a time, the one
//! [`EngineHandle::region`] names. [`sandbox`] replays scenarios apart from the saved
//! workspace; [`regions`] switches regions and reads global tables.

mod access;
mod lesson;
pub(crate) mod queue;
mod regions;
mod sandbox;
mod tables;
mod workshop;

pub use access::{AccessNote, Caller};
pub use lesson::LessonRun;
pub use regions::SUGGESTED_REGIONS;

use std::cell::RefCell;
use std::rc::Rc;

use dynaplay_engine::global::World;
use dynaplay_engine::inspect::{before_splits, partition_map, PartitionInfo};
use dynaplay_engine::scenario::{Outcome, Scenario};
use dynaplay_engine::snapshot::Progress;
use dynaplay_engine::table::{SplitReason, Table};
use dynaplay_engine::{Config, Engine, Response};
use futures::lock::Mutex;
use leptos::prelude::*;
use serde_json::Value;
use wasm_bindgen::prelude::*;
use web_sys::BroadcastChannel;

use crate::persist::{Pace, StorageError, Store, Workspace, DB_VERSION};

/// One request as the history keeps it.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct HistoryEntry {
    pub id: u64,
    pub operation: String,
    pub request: String,
    pub status: u16,
    pub response: String,
    pub millis: f64,
}

/// One operation's partition splits in one table, with the map before and after.
#[derive(Clone, Debug, PartialEq)]
pub struct SplitRecord {
    pub table: String,
    pub operation: String,
    /// (partition that split, hash it split at, why).
    pub splits: Vec<(usize, u64, SplitReason)>,
    pub before: Vec<PartitionInfo>,
    pub after: Vec<PartitionInfo>,
}

/// A scenario replaying in memory, apart from the saved workspace.
#[derive(Clone, Debug, PartialEq)]
pub struct Sandbox {
    pub scenario: Scenario,
    /// The next timeline entry to run.
    pub next: usize,
    pub results: Vec<Outcome>,
}

impl Sandbox {
    pub fn total(&self) -> usize {
        self.scenario.timeline().len()
    }
}

/// Where the workspace is in its start-up.
#[derive(Clone, Debug, PartialEq)]
pub enum LoadState {
    Loading,
    Ready,
}

#[derive(Clone)]
pub struct EngineHandle {
    inner: Rc<Inner>,
}

struct Inner {
    /// The workspace's regions (the replay's, in the sandbox).
    world: RefCell<World>,
    store: RefCell<Option<Rc<Store>>>,
    lock: Mutex<()>,
    /// Requests waiting for the next group commit (see [`queue`]).
    queue: RefCell<Vec<queue::Queued>>,
    /// Set while one caller runs the queue for everyone (see [`queue`]).
    draining: std::cell::Cell<bool>,
    channel: Option<BroadcastChannel>,
    /// Bumped after every change to the engine; views derive from it.
    version: RwSignal<u64>,
    /// What a table's views follow instead (see [`tables`]).
    tables: tables::TableTriggers,
    history: RwSignal<Vec<HistoryEntry>>,
    /// Whether the history has entries local storage does not have yet.
    history_unsaved: std::cell::Cell<bool>,
    /// Recent partition splits, newest first.
    splits: RwSignal<Vec<SplitRecord>>,
    /// Set while a scenario replays in memory; the saved workspace is left alone.
    sandbox: RwSignal<Option<Sandbox>>,
    storage_error: RwSignal<Option<String>>,
    load: RwSignal<LoadState>,
    /// How far the first load has read the stored records, for the loading panel.
    load_progress: RwSignal<Option<Progress>>,
    /// Why the SQL engine (the relational mirror's module) could not be loaded.
    mirror_error: RwSignal<Option<String>>,
    /// The region on screen, unless it is the home region.
    region: RwSignal<Option<String>>,
    /// IAM's evaluation of the latest request, while IAM is enforced.
    last_access: RwSignal<Option<AccessNote>>,
    /// The lesson in progress (in the sandbox), and each lesson's completed steps.
    lesson: RwSignal<Option<LessonRun>>,
    /// Judges the lesson's checks; set when a lesson starts ([`crate::lessons::judge`]).
    judge: std::cell::Cell<Option<crate::lessons::Judge>>,
    lesson_progress: RwSignal<std::collections::BTreeMap<String, usize>>,
    /// The workshop the learner joined, if any.
    workshop: RwSignal<Option<dynaplay_engine::lesson::Workshop>>,
    next_id: RefCell<u64>,
}

pub const CHANNEL: &str = "dynaplay";
/// Where the console history is kept, and how much of it.
const HISTORY_KEY: &str = "dynaplay-console-history";
const HISTORY_LEN: usize = 100;
/// A kept response is cut to this many characters (a Scan page can be a megabyte).
const KEPT_RESPONSE_CHARS: usize = 16_000;
/// How long after a request the history is saved (see `save_history_soon`).
const HISTORY_SAVE_DELAY: std::time::Duration = std::time::Duration::from_millis(300);

fn local_storage() -> Result<web_sys::Storage, String> {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .ok_or_else(|| "local storage is not available".to_string())
}

/// `text` cut to at most `max` characters, saying so.
fn clip(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}… (cut: the whole response was {} characters)", &text[..at], text.chars().count()),
        None => text.to_string(),
    }
}

fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

pub(crate) fn perf_now() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
}

/// Marks `name` on the page's performance timeline, where `cargo xtask measure` reads it.
pub(crate) fn perf_mark(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark(name);
    }
}

/// The settings of a new workspace in the page: as the engine's defaults, but with
/// throughput enforced, as in AWS (a learner can turn it off in the throughput view), and
/// followers one second behind the leader ([`PAGE_REPLICATION_LAG_MS`]), so an eventually
/// consistent read just after a write can be stale, as in AWS (the replicas view changes
/// it, for the workspace or one table).
pub fn page_config() -> Config {
    Config { enforce_capacity: true, replication_lag_ms: PAGE_REPLICATION_LAG_MS, ..Config::default() }
}

/// A new workspace's replication lag: small, but long enough to see a stale read.
pub const PAGE_REPLICATION_LAG_MS: u64 = 1_000;

impl EngineHandle {
    pub fn new() -> EngineHandle {
        let channel = BroadcastChannel::new(CHANNEL).ok();
        let inner = Rc::new(Inner {
            world: RefCell::new(World::new(page_config())),
            store: RefCell::new(None),
            lock: Mutex::new(()),
            queue: RefCell::new(Vec::new()),
            draining: std::cell::Cell::new(false),
            channel,
            version: RwSignal::new(0),
            tables: tables::TableTriggers::default(),
            history: RwSignal::new(Vec::new()),
            history_unsaved: std::cell::Cell::new(false),
            splits: RwSignal::new(Vec::new()),
            sandbox: RwSignal::new(None),
            storage_error: RwSignal::new(None),
            load: RwSignal::new(LoadState::Loading),
            load_progress: RwSignal::new(None),
            mirror_error: RwSignal::new(None),
            region: RwSignal::new(None),
            last_access: RwSignal::new(None),
            lesson: RwSignal::new(None),
            judge: std::cell::Cell::new(None),
            lesson_progress: RwSignal::new(std::collections::BTreeMap::new()),
            workshop: RwSignal::new(None),
            next_id: RefCell::new(1),
        });
        EngineHandle { inner }
    }

    /// Opens storage and loads the saved workspace. Storage failures are shown, and the
    /// app carries on in memory.
    pub async fn start(&self, db_name: &str) {
        // Requests made before loading finishes wait for it.
        let _guard = self.inner.lock.lock().await;
        let shown = self.inner.storage_error;
        let on_event = Rc::new(move |e: StorageError| shown.set(Some(e.to_string())));
        let opened = Store::open_with(db_name, DB_VERSION, on_event).await;
        // The older tab has gone: the "blocked" message no longer applies.
        if opened.is_ok() && shown.get_untracked() == Some(StorageError::Blocked.to_string()) {
            shown.set(None);
        }
        match opened {
            Ok(store) => {
                match store.load(page_config(), Some(Pace::page(&|p| self.inner.load_progress.set(Some(p))))).await {
                    Ok(world) => {
                        *self.inner.world.borrow_mut() = world;
                        *self.inner.store.borrow_mut() = Some(Rc::new(store));
                        self.restore_region();
                    }
                    Err(e) => self.inner.storage_error.set(Some(e.to_string())),
                }
            }
            Err(e) => self.inner.storage_error.set(Some(e.to_string())),
        }
        self.restore_history();
        self.load_lesson_progress().await;
        self.load_workshop().await;
        self.listen();
        self.inner.load.set(LoadState::Ready);
        self.bump();
        self.load_mirror_if_used();
        self.load_cold_code_if_used();
    }

    /// Fetches the operations' code in the background once the page is interactive: the
    /// hot operations always (a first request then need not wait, and the page works on
    /// offline), the cold code too when every request needs it (IAM enforced, global
    /// tables), so the clock replicates from the start.
    fn load_cold_code_if_used(&self) {
        let all = self.inner.world.borrow().always_needs_cold_code();
        // Without the split there is nothing to fetch (and tests run no executor).
        if !all && !cfg!(feature = "split") {
            return;
        }
        leptos::task::spawn_local(async move {
            if all {
                crate::cold::ensure().await;
            } else {
                crate::cold::ensure_hot().await;
            }
        });
    }

    /// Loads the SQL engine in the background when the workspace uses the mirror.
    fn load_mirror_if_used(&self) {
        if crate::mirror::loaded() || !self.inner.world.borrow().regions().any(Engine::uses_mirror) {
            return;
        }
        let this = self.clone();
        leptos::task::spawn_local(async move {
            let _ = this.ensure_mirror().await;
        });
    }

    /// Loads the SQL engine (once) and plugs it into the engine, so triggers run and SQL
    /// answers. A failure is shown in the mirror view and returned.
    pub async fn ensure_mirror(&self) -> Result<(), String> {
        let loaded = crate::mirror::load().await;
        // Every region has its own mirror (its triggers write there).
        let plugged = loaded.and_then(|()| {
            let mut world = self.inner.world.borrow_mut();
            for engine in world.engines_mut().filter(|e| !e.mirror_live()) {
                engine.plug_mirror(crate::mirror::new_db()).map_err(|e| e.0)?;
            }
            Ok(())
        });
        self.inner.mirror_error.set(plugged.clone().err());
        self.bump();
        plugged
    }

    /// Why the SQL engine could not be loaded, if it could not.
    pub fn mirror_error(&self) -> RwSignal<Option<String>> {
        self.inner.mirror_error
    }

    fn listen(&self) {
        let Some(channel) = &self.inner.channel else { return };
        let this = self.clone();
        let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |_| {
            let this = this.clone();
            leptos::task::spawn_local(async move { this.refresh_from_storage().await });
        });
        channel.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        on_message.forget();
    }

    /// Tells the other tabs that this one saved a change, so they reload. Not while this
    /// tab is alone: a tab that opens meanwhile loads only once this one has stepped
    /// aside, so it reads the change anyway.
    fn announce(&self) {
        let alone = self.inner.store.borrow().as_ref().is_some_and(|s| s.alone());
        if let (Some(c), false) = (&self.inner.channel, alone) {
            let _ = c.post_message(&JsValue::from_str("changed"));
        }
    }

    /// Reloads from IndexedDB if another tab has committed since (not while a scenario
    /// replays in the sandbox: the saved workspace is reloaded when it ends).
    pub async fn refresh_from_storage(&self) {
        let _guard = self.inner.lock.lock().await;
        if self.in_sandbox() {
            return;
        }
        let Some(store) = self.inner.store.borrow().clone() else { return };
        if let Ok(true) = store.changed_elsewhere().await {
            self.reload(&store).await;
            self.bump();
        }
    }

    /// Replaces the world in memory with the one saved; a failure is shown.
    async fn reload(&self, store: &Store) {
        let config = self.inner.world.borrow().home_engine().config.clone();
        match store.load(config, None).await {
            Ok(world) => *self.inner.world.borrow_mut() = world,
            Err(e) => self.inner.storage_error.set(Some(e.to_string())),
        }
        self.load_cold_code_if_used();
    }

    fn bump(&self) {
        self.inner.version.update(|v| *v += 1);
        // Not while the world is being changed: the bump after that change catches up.
        if let Ok(world) = self.inner.world.try_borrow() {
            self.inner.tables.update(self.shown(&world));
        }
    }

    /// Runs one request. Resolves after the change set is committed to IndexedDB; a
    /// storage failure is an `Err` (the request is not acknowledged) and is shown.
    pub async fn request(&self, operation: &str, body: &str) -> Result<Response, StorageError> {
        self.request_in(None, operation, body).await
    }

    /// Runs one request in `region` (`None`: the region on screen).
    pub async fn request_in(
        &self,
        region: Option<&str>,
        operation: &str,
        body: &str,
    ) -> Result<Response, StorageError> {
        self.request_with(&Caller::default(), region, operation, body).await
    }

    /// Runs one request as `caller` says (a principal, or the workspace's owner).
    pub async fn request_with(
        &self,
        caller: &Caller,
        region: Option<&str>,
        operation: &str,
        body: &str,
    ) -> Result<Response, StorageError> {
        if dynaplay_engine::DYNAPLAY_OPERATIONS.contains(&operation) {
            // Failing to load is shown; the engine then answers that the mirror is not loaded.
            let _ = self.ensure_mirror().await;
        }
        // Likewise, the engine answers that a cold operation's code could not be fetched.
        if self.inner.world.borrow().needs_cold_code(operation, body.as_bytes()) {
            crate::cold::ensure().await;
        } else {
            crate::cold::ensure_hot().await;
        }
        if !dynaplay_engine::hot::installed() {
            return Ok(self.refuse_unloaded(operation, body));
        }
        let region = region.map(str::to_string).or_else(|| self.inner.region.get_untracked());
        self.request_queued(caller, region, operation, body).await
    }

    /// Records a request that ran (history, IAM's note, the lesson, splits); whether it
    /// wrote anything another tab should reload.
    fn after_request(&self, caller: &Caller, operation: &str, body: &str, r: &Response, millis: f64) -> bool {
        self.record(operation, body, r.status, &r.body, millis);
        self.note_access(caller, operation, body, r);
        self.check_lesson(operation, body, r);
        self.record_splits(operation, r);
        let t = &r.trace;
        !t.writes.is_empty()
            || !t.tables_changed.is_empty()
            || !t.splits.is_empty()
            || !t.backups_changed.is_empty()
            || !t.s3_changed.is_empty()
            || !t.jobs_changed.is_empty()
            || t.triggers_changed
            || t.iam_changed
    }

    /// Makes a change outside DynamoDB's API (the S3 panel's buckets and uploads): `f`
    /// changes the engine and returns what to save, or why it refused. Saved like a
    /// request's change set (in memory only in the sandbox).
    pub async fn host_change(
        &self,
        f: impl FnOnce(&mut Engine) -> Result<dynaplay_engine::Trace, String>,
    ) -> Result<(), String> {
        let _guard = self.inner.lock.lock().await;
        let refused = std::cell::Cell::new(None);
        let run = |e: &mut Engine| {
            f(e).unwrap_or_else(|why| {
                refused.set(Some(why));
                dynaplay_engine::Trace::default()
            })
        };
        let store = if self.in_sandbox() { None } else { self.inner.store.borrow().clone() };
        match store {
            Some(store) => {
                if let Err(e) = store.host_change(&self.inner.world, run).await {
                    self.inner.storage_error.set(Some(e.to_string()));
                    return Err(e.to_string());
                }
                self.announce();
            }
            None => drop(self.inner.world.borrow_mut().home_change(run)),
        }
        self.bump();
        refused.take().map_or(Ok(()), Err)
    }

    /// Moves the clock of every region to now while no request arrives, so statuses (a
    /// table turning ACTIVE), Time to Live deletes and replication between regions follow
    /// the clock on screen; what the clock did is saved like a request's writes. Not in the sandbox: a replay keeps the
    /// scenario's own times. Skipped while a request is running (the next tick catches up).
    pub fn tick(&self) {
        if self.in_sandbox() {
            return;
        }
        let due = self.inner.world.try_borrow().is_ok_and(|w| w.work_due(now_ms()));
        if !due {
            // Nothing to save: the clock moves in memory only (views that count down read it).
            if let Ok(mut world) = self.inner.world.try_borrow_mut() {
                world.advance(now_ms());
            }
            return;
        }
        let this = self.clone();
        leptos::task::spawn_local(async move {
            let Some(_guard) = this.inner.lock.try_lock() else { return };
            let store = this.inner.store.borrow().clone();
            match store {
                Some(store) => {
                    if let Err(e) = store.tick(&this.inner.world, now_ms()).await {
                        return this.inner.storage_error.set(Some(e.to_string()));
                    }
                }
                None => drop(this.inner.world.borrow_mut().advance(now_ms())),
            }
            // Work was due: something changed, in this region or another.
            this.announce();
            this.bump();
        });
    }

    fn record_splits(&self, operation: &str, response: &Response) {
        for (table, group) in response.trace.splits_by_table() {
            let splits: Vec<(usize, u64, SplitReason)> =
                group.iter().map(|s| (s.partition, s.at_hash, s.reason)).collect();
            let Some(after) = self.read(|e| e.table(table).map(|t| partition_map(t, e.now_ms()).partitions)) else {
                continue;
            };
            let indexes: Vec<usize> = splits.iter().map(|s| s.0).collect();
            let record = SplitRecord {
                table: table.to_string(),
                operation: operation.to_string(),
                splits,
                before: before_splits(&after, &indexes),
                after,
            };
            self.inner.splits.update(|all| {
                all.insert(0, record);
                all.truncate(20);
            });
        }
    }

    fn record(&self, operation: &str, request: &str, status: u16, response: &str, millis: f64) {
        let id = {
            let mut n = self.inner.next_id.borrow_mut();
            *n += 1;
            *n
        };
        let entry = HistoryEntry {
            id,
            operation: operation.to_string(),
            request: request.to_string(),
            status,
            response: response.to_string(),
            millis,
        };
        self.inner.history.update(|h| {
            h.insert(0, entry);
            h.truncate(HISTORY_LEN);
        });
        if !self.in_sandbox() {
            self.save_history_soon();
        }
    }

    /// Saves the history a moment after a request, at most every [`HISTORY_SAVE_DELAY`],
    /// and on `pagehide` ([`EngineHandle::flush_history`]): rewriting the whole history
    /// in local storage after every request cost a bulk load about a millisecond a request.
    fn save_history_soon(&self) {
        if self.inner.history_unsaved.replace(true) {
            return;
        }
        let handle = self.clone();
        set_timeout(move || handle.flush_history(), HISTORY_SAVE_DELAY);
    }

    /// Saves the history now if it has unsaved entries (the page is going away).
    pub fn flush_history(&self) {
        if self.inner.history_unsaved.replace(false) {
            self.save_history();
        }
    }

    /// Keeps the console history across reloads (in this browser's local storage; the
    /// scenario sandbox's requests are not kept). A failure to save is shown.
    fn save_history(&self) {
        let entries: Vec<HistoryEntry> = self.inner.history.with_untracked(|h| {
            h.iter().map(|e| HistoryEntry { response: clip(&e.response, KEPT_RESPONSE_CHARS), ..e.clone() }).collect()
        });
        let saved = serde_json::to_string(&entries)
            .map_err(|e| e.to_string())
            .and_then(|text| local_storage()?.set_item(HISTORY_KEY, &text).map_err(|_| "the browser refused".into()));
        if let Err(e) = saved {
            self.inner.storage_error.set(Some(format!("The console history could not be saved: {e}")));
        }
    }

    fn restore_history(&self) {
        let text = local_storage().ok().and_then(|s| s.get_item(HISTORY_KEY).ok().flatten());
        let Some(entries) = text.and_then(|t| serde_json::from_str::<Vec<HistoryEntry>>(&t).ok()) else { return };
        *self.inner.next_id.borrow_mut() = entries.iter().map(|e| e.id).max().unwrap_or(0) + 1;
        self.inner.history.set(entries);
    }

    /// Reads the engine. Views call this through [`observe`] or [`observe_table`], which
    /// also follow the changes they should refresh after.
    pub fn read<R>(&self, f: impl FnOnce(&Engine) -> R) -> R {
        f(self.shown(&self.inner.world.borrow()))
    }

    /// The region on screen's engine in `world`.
    fn shown<'w>(&self, world: &'w World) -> &'w Engine {
        let region = self.inner.region.get_untracked();
        region.as_deref().and_then(|r| world.region(r)).unwrap_or(world.home_engine())
    }

    pub fn version(&self) -> RwSignal<u64> {
        self.inner.version
    }

    pub fn history(&self) -> RwSignal<Vec<HistoryEntry>> {
        self.inner.history
    }

    pub fn splits(&self) -> RwSignal<Vec<SplitRecord>> {
        self.inner.splits
    }

    pub fn storage_error(&self) -> RwSignal<Option<String>> {
        self.inner.storage_error
    }

    pub fn load_state(&self) -> RwSignal<LoadState> {
        self.inner.load
    }

    /// How far the first load has read the stored records (`None` before it starts).
    pub fn load_progress(&self) -> RwSignal<Option<Progress>> {
        self.inner.load_progress
    }

    /// Changes the workspace's settings (the Time to Live sweep delay, the point-in-time
    /// recovery lag), saved with the workspace. Not in the sandbox, whose settings are the
    /// scenario's.
    pub async fn set_settings(&self, change: impl FnOnce(&mut Config)) -> Result<(), String> {
        let _guard = self.inner.lock.lock().await;
        if self.in_sandbox() {
            return Err("The sandbox keeps the scenario's own settings.".into());
        }
        let (clock, mut config) = {
            let w = self.inner.world.borrow();
            (w.home_engine().now_ms(), w.home_engine().config.clone())
        };
        let store = self.inner.store.borrow().clone();
        if let Some(store) = store {
            // Saved first: memory never runs ahead of disk.
            config = store.save_settings(clock, config, change).await.map_err(|e| e.to_string())?;
            self.announce();
        } else {
            change(&mut config);
        }
        // Every region has the workspace's settings (each keeps its own name).
        self.inner.world.borrow_mut().configure(|c| *c = config.clone());
        self.bump();
        Ok(())
    }

    /// The whole workspace (every region) as a JSON document, or why it cannot be written.
    /// Its writer comes with the code that saves changes.
    pub async fn export(&self) -> Result<Value, String> {
        crate::cold::ensure_hot().await;
        crate::persist::writer::document(&self.inner.world.borrow())
    }

    /// Replaces the workspace with an exported document, on disk and in memory.
    pub async fn import(&self, doc: &Value) -> Result<(), String> {
        let _guard = self.inner.lock.lock().await;
        // The file's reader is cold code (offline and never fetched, the import is
        // refused, saying so).
        crate::cold::ensure().await;
        let world = dynaplay_engine::cold::import_file(page_config(), doc).map_err(|e| e.0)?;
        let store = self.inner.store.borrow().clone();
        if let Some(store) = store {
            let workspace = Workspace::of(&world).map_err(|e| e.to_string())?;
            store.replace_all(workspace).await.map_err(|e| e.to_string())?;
        }
        *self.inner.world.borrow_mut() = world;
        self.inner.region.set(None);
        self.announce();
        self.bump();
        self.load_mirror_if_used();
        Ok(())
    }
}

impl Default for EngineHandle {
    fn default() -> Self {
        EngineHandle::new()
    }
}

/// The handle as components hold it: a local `StoredValue`, because the handle holds
/// browser objects (not `Send`) while reactive closures must be `Send`. It is `Copy`;
/// `.get_value()` gives the handle itself for async work.
pub type Shared = StoredValue<EngineHandle, LocalStorage>;

/// The handle from context.
pub fn use_engine() -> Shared {
    expect_context::<Shared>()
}

/// Reads the engine from a reactive closure (a `Memo`, a view), which then runs again
/// after every change to the engine.
pub fn observe<R>(engine: Shared, f: impl FnOnce(&Engine) -> R) -> R {
    engine.with_value(|h| {
        h.inner.version.track();
        h.read(f)
    })
}

/// Reads the engine once, without following changes (for an event handler).
pub fn peek<R>(engine: Shared, f: impl FnOnce(&Engine) -> R) -> R {
    engine.with_value(|h| h.read(f))
}

/// Reads one table once, without following changes (for an event handler or a card drawn
/// once); `None` when there is no such table.
pub fn read_table<R>(engine: Shared, name: &str, f: impl FnOnce(&Table) -> R) -> Option<R> {
    peek(engine, |e| e.table(name).map(f))
}

/// Reads one table and the engine clock from a reactive closure, which then runs again
/// after each change to that table (not to others); `None` when there is no such table.
/// This is what a table's views see of the engine.
pub fn observe_table<R>(engine: Shared, name: &str, f: impl FnOnce(&Table, u64) -> R) -> Option<R> {
    engine.with_value(|h| {
        h.inner.tables.track(name);
        h.read(|e| e.table(name).map(|t| f(t, e.now_ms())))
    })
}
