//! The one engine handle every component (and `window.dynaplay`) goes through.
//!
//! Requests are serialised by an async mutex, run through [`Store::execute`] (so each is
//! acknowledged only after its IndexedDB commit), recorded in the history, and announced
//! to the UI by bumping `version`, which views derive from. Other tabs are told through a
//! `BroadcastChannel`; on hearing one, this tab reloads from IndexedDB.

use std::cell::RefCell;
use std::rc::Rc;

use dynaplay_engine::inspect::{before_splits, partition_map, PartitionInfo};
use dynaplay_engine::scenario::{Outcome, Scenario};
use dynaplay_engine::table::{SplitReason, Table};
use dynaplay_engine::{Config, Engine, Response};
use futures::lock::Mutex;
use leptos::prelude::*;
use serde_json::Value;
use wasm_bindgen::prelude::*;
use web_sys::BroadcastChannel;

use crate::persist::{StorageError, Store, DB_VERSION};

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
    engine: RefCell<Engine>,
    store: RefCell<Option<Rc<Store>>>,
    lock: Mutex<()>,
    channel: Option<BroadcastChannel>,
    /// Bumped after every change to the engine; views derive from it.
    version: RwSignal<u64>,
    history: RwSignal<Vec<HistoryEntry>>,
    /// Recent partition splits, newest first.
    splits: RwSignal<Vec<SplitRecord>>,
    /// Set while a scenario replays in memory; the saved workspace is left alone.
    sandbox: RwSignal<Option<Sandbox>>,
    storage_error: RwSignal<Option<String>>,
    load: RwSignal<LoadState>,
    /// Why the SQL engine (the relational mirror's module) could not be loaded.
    mirror_error: RwSignal<Option<String>>,
    /// A scenario of several regions replaying in the sandbox: the other regions (the
    /// one on screen is `engine`, swapped out of the world; see `World::swap_region`).
    world: RefCell<Option<dynaplay_engine::global::World>>,
    /// The region on screen while `world` is set.
    region: RwSignal<Option<String>>,
    next_id: RefCell<u64>,
}

pub const CHANNEL: &str = "dynaplay";
/// Where the console history is kept, and how much of it.
const HISTORY_KEY: &str = "dynaplay-console-history";
const HISTORY_LEN: usize = 100;
/// A kept response is cut to this many characters (a Scan page can be a megabyte).
const KEPT_RESPONSE_CHARS: usize = 16_000;

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

fn perf_now() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
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
            engine: RefCell::new(Engine::new(page_config())),
            store: RefCell::new(None),
            lock: Mutex::new(()),
            channel,
            version: RwSignal::new(0),
            history: RwSignal::new(Vec::new()),
            splits: RwSignal::new(Vec::new()),
            sandbox: RwSignal::new(None),
            storage_error: RwSignal::new(None),
            load: RwSignal::new(LoadState::Loading),
            mirror_error: RwSignal::new(None),
            world: RefCell::new(None),
            region: RwSignal::new(None),
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
            Ok(store) => match store.load(page_config()).await {
                Ok(engine) => {
                    *self.inner.engine.borrow_mut() = engine;
                    *self.inner.store.borrow_mut() = Some(Rc::new(store));
                }
                Err(e) => self.inner.storage_error.set(Some(e.to_string())),
            },
            Err(e) => self.inner.storage_error.set(Some(e.to_string())),
        }
        self.restore_history();
        self.listen();
        self.inner.load.set(LoadState::Ready);
        self.bump();
        self.load_mirror_if_used();
    }

    /// Loads the SQL engine in the background when the workspace uses the mirror.
    fn load_mirror_if_used(&self) {
        if crate::mirror::loaded() || !self.read(Engine::uses_mirror) {
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
        let plugged = loaded.and_then(|()| {
            let mut engine = self.inner.engine.borrow_mut();
            if engine.mirror_live() {
                return Ok(());
            }
            engine.plug_mirror(crate::mirror::new_db()).map_err(|e| e.0)
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

    /// Reloads from IndexedDB if another tab has committed since (not while a scenario
    /// replays in the sandbox: the saved workspace is reloaded when it ends).
    pub async fn refresh_from_storage(&self) {
        let _guard = self.inner.lock.lock().await;
        if self.in_sandbox() {
            return;
        }
        let Some(store) = self.inner.store.borrow().clone() else { return };
        if let Ok(true) = store.changed_elsewhere().await {
            let config = self.inner.engine.borrow().config.clone();
            match store.load(config).await {
                Ok(engine) => *self.inner.engine.borrow_mut() = engine,
                Err(e) => self.inner.storage_error.set(Some(e.to_string())),
            }
            self.bump();
        }
    }

    fn bump(&self) {
        self.inner.version.update(|v| *v += 1);
    }

    /// Runs one request. Resolves after the change set is committed to IndexedDB; a
    /// storage failure is an `Err` (the request is not acknowledged) and is shown.
    pub async fn request(&self, operation: &str, body: &str) -> Result<Response, StorageError> {
        self.request_in(None, operation, body).await
    }

    /// Runs one request in `region` (`None`: the region on screen). Only a replay of
    /// several regions has regions besides the home one; elsewhere naming another is
    /// refused.
    pub async fn request_in(
        &self,
        region: Option<&str>,
        operation: &str,
        body: &str,
    ) -> Result<Response, StorageError> {
        let home = self.read(|e| e.config.region.clone());
        if let Some(r) = region.filter(|r| *r != home && self.inner.world.borrow().is_none()) {
            let e = dynaplay_engine::Error::validation(format!(
                "There is no region {r} here: regions besides {home} exist while a scenario of several regions replays in the sandbox."
            ));
            return Ok(dynaplay_engine::wire::error_response(&e));
        }
        if dynaplay_engine::DYNAPLAY_OPERATIONS.contains(&operation) {
            // Failing to load is shown; the engine then answers that the mirror is not loaded.
            let _ = self.ensure_mirror().await;
        }
        let _guard = self.inner.lock.lock().await;
        let started = perf_now();
        let store = if self.in_sandbox() { None } else { self.inner.store.borrow().clone() };
        let result = match store {
            Some(store) => store.execute(&self.inner.engine, operation, body.as_bytes(), now_ms()).await,
            None => Ok(self
                .in_world(|w, current| w.request(Some(region.unwrap_or(current)), operation, body.as_bytes(), now_ms()))
                .unwrap_or_else(|| self.inner.engine.borrow_mut().request(operation, body.as_bytes(), now_ms()))),
        };
        let millis = perf_now() - started;
        match &result {
            Ok(r) => {
                self.record(operation, body, r.status, &r.body, millis);
                self.record_splits(operation, r);
                let t = &r.trace;
                let wrote = !t.writes.is_empty()
                    || !t.tables_changed.is_empty()
                    || !t.splits.is_empty()
                    || !t.backups_changed.is_empty()
                    || !t.s3_changed.is_empty()
                    || !t.jobs_changed.is_empty()
                    || t.triggers_changed;
                if wrote && !self.in_sandbox() {
                    if let Some(c) = &self.inner.channel {
                        let _ = c.post_message(&JsValue::from_str("changed"));
                    }
                }
            }
            Err(e) => {
                self.inner.storage_error.set(Some(e.to_string()));
                // Memory may be ahead of disk: reload so what is shown is what is saved.
                let store = self.inner.store.borrow().clone();
                let config = self.inner.engine.borrow().config.clone();
                if let Some(store) = store {
                    if let Ok(engine) = store.load(config).await {
                        *self.inner.engine.borrow_mut() = engine;
                    }
                }
            }
        }
        self.bump();
        result
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
                if let Err(e) = store.host_change(&self.inner.engine, run).await {
                    self.inner.storage_error.set(Some(e.to_string()));
                    return Err(e.to_string());
                }
                if let Some(c) = &self.inner.channel {
                    let _ = c.post_message(&JsValue::from_str("changed"));
                }
            }
            None => drop(run(&mut self.inner.engine.borrow_mut())),
        }
        self.bump();
        refused.take().map_or(Ok(()), Err)
    }

    /// Moves the engine clock to now while no request arrives, so statuses (a table
    /// turning ACTIVE) and Time to Live deletes follow the clock on screen; what the clock
    /// did is saved like a request's writes. Not in the sandbox: a replay keeps the
    /// scenario's own times. Skipped while a request is running (the next tick catches up).
    pub fn tick(&self) {
        if self.in_sandbox() {
            return;
        }
        let due = self.inner.engine.try_borrow().is_ok_and(|e| e.work_due(now_ms()));
        if !due {
            // Nothing to save: the clock moves in memory only (views that count down read it).
            if let Ok(mut engine) = self.inner.engine.try_borrow_mut() {
                engine.tick(now_ms());
            }
            return;
        }
        let this = self.clone();
        leptos::task::spawn_local(async move {
            let Some(_guard) = this.inner.lock.try_lock() else { return };
            let store = this.inner.store.borrow().clone();
            let trace = match store {
                Some(store) => match store.tick(&this.inner.engine, now_ms()).await {
                    Ok(r) => r.trace,
                    Err(e) => return this.inner.storage_error.set(Some(e.to_string())),
                },
                None => this.inner.engine.borrow_mut().tick(now_ms()),
            };
            let changed =
                !trace.writes.is_empty() || !trace.tables_changed.is_empty() || !trace.jobs_changed.is_empty();
            if changed || trace.triggers_changed {
                if let Some(c) = &this.inner.channel {
                    let _ = c.post_message(&JsValue::from_str("changed"));
                }
                this.bump();
            }
        });
    }

    fn in_sandbox(&self) -> bool {
        self.inner.sandbox.with_untracked(Option::is_some)
    }

    pub fn sandbox(&self) -> RwSignal<Option<Sandbox>> {
        self.inner.sandbox
    }

    /// Starts replaying `scenario` in memory: a fresh engine with the scenario's settings,
    /// its tables and seed items in place; steps then run one at a time.
    pub async fn enter_sandbox(&self, scenario: Scenario) {
        if scenario.steps.iter().any(|s| dynaplay_engine::DYNAPLAY_OPERATIONS.contains(&s.operation.as_str())) {
            let _ = self.ensure_mirror().await;
        }
        {
            let _guard = self.inner.lock.lock().await;
            if scenario.uses_regions() {
                let mut world = scenario.world();
                let home = world.home().to_string();
                world.swap_region(&home, &mut self.inner.engine.borrow_mut());
                *self.inner.world.borrow_mut() = Some(world);
                self.inner.region.set(Some(home));
            } else {
                *self.inner.engine.borrow_mut() = scenario.engine();
            }
            self.inner.splits.set(Vec::new());
            self.inner.sandbox.set(Some(Sandbox { scenario, next: 0, results: Vec::new() }));
        }
        while self.inner.sandbox.with_untracked(|s| {
            s.as_ref().is_some_and(|s| s.scenario.timeline().get(s.next).is_some_and(|t| t.step.is_none()))
        }) {
            self.step_sandbox().await;
        }
        self.bump();
    }

    /// Runs the sandbox's next request at its scenario time. Returns false when done.
    pub async fn step_sandbox(&self) -> bool {
        let _guard = self.inner.lock.lock().await;
        let Some(sandbox) = self.inner.sandbox.get_untracked() else { return false };
        let Some(timed) = sandbox.scenario.timeline().into_iter().nth(sandbox.next) else { return false };
        let started = perf_now();
        let r = self
            .in_world(|w, _| Scenario::run_in(w, &timed))
            .unwrap_or_else(|| Scenario::run(&mut self.inner.engine.borrow_mut(), &timed));
        self.record(&timed.operation, &timed.body, r.status, &r.body, perf_now() - started);
        self.record_splits(&timed.operation, &r);
        let mismatch = sandbox.scenario.check(&timed, r.status, &r.body);
        let replica = dynaplay_engine::replica::note(&r.trace);
        let outcome =
            Outcome { step: timed.step, operation: timed.operation, status: r.status, body: r.body, mismatch, replica };
        self.inner.sandbox.update(|s| {
            if let Some(s) = s {
                s.results.push(outcome);
                s.next += 1;
            }
        });
        self.bump();
        true
    }

    /// Ends the sandbox and goes back to the saved workspace, unchanged.
    pub async fn leave_sandbox(&self) {
        let _guard = self.inner.lock.lock().await;
        let store = self.inner.store.borrow().clone();
        let engine = match store {
            Some(store) => match store.load(page_config()).await {
                Ok(engine) => engine,
                Err(e) => {
                    self.inner.storage_error.set(Some(e.to_string()));
                    Engine::new(page_config())
                }
            },
            None => Engine::new(page_config()),
        };
        *self.inner.engine.borrow_mut() = engine;
        *self.inner.world.borrow_mut() = None;
        self.inner.region.set(None);
        self.inner.sandbox.set(None);
        self.inner.splits.set(Vec::new());
        self.bump();
    }

    /// Runs `f` on the sandbox's regions, with the region on screen swapped back in;
    /// `None` unless a scenario of several regions is replaying.
    fn in_world<R>(&self, f: impl FnOnce(&mut dynaplay_engine::global::World, &str) -> R) -> Option<R> {
        let region = self.inner.region.get_untracked()?;
        let mut slot = self.inner.world.borrow_mut();
        let world = slot.as_mut()?;
        let mut engine = self.inner.engine.borrow_mut();
        world.swap_region(&region, &mut engine);
        let r = f(world, &region);
        world.swap_region(&region, &mut engine);
        Some(r)
    }

    /// The region on screen while a scenario of several regions replays.
    pub fn region(&self) -> RwSignal<Option<String>> {
        self.inner.region
    }

    /// The sandbox's regions, home first (empty unless several regions replay).
    pub fn region_names(&self) -> Vec<String> {
        self.in_world(|w, _| w.region_names()).unwrap_or_default()
    }

    /// Shows another region of the sandbox.
    pub fn set_region(&self, region: &str) {
        let Some(current) = self.inner.region.get_untracked() else { return };
        {
            let mut slot = self.inner.world.borrow_mut();
            let Some(world) = slot.as_mut() else { return };
            let mut engine = self.inner.engine.borrow_mut();
            // The one on screen goes back in, the chosen one comes out.
            world.swap_region(&current, &mut engine);
            world.swap_region(region, &mut engine);
        }
        self.inner.region.set(Some(region.to_string()));
        self.bump();
    }

    /// A global table across the sandbox's regions (`None` outside such a replay, or
    /// for a table that is not global).
    pub fn global_info(&self, table: &str) -> Option<dynaplay_engine::global::view::GlobalInfo> {
        self.in_world(|w, _| dynaplay_engine::global::view::global_of(w, table)).flatten()
    }

    /// Makes the sandbox's state the saved workspace (replacing it) and ends the sandbox.
    pub async fn keep_sandbox(&self) -> Result<(), String> {
        let _guard = self.inner.lock.lock().await;
        if self.inner.world.borrow().is_some() {
            return Err(
                "This replay has several regions; your workspace keeps one region for now, so it cannot be kept."
                    .into(),
            );
        }
        let store = self.inner.store.borrow().clone();
        if let Some(store) = store {
            let engine = self.inner.engine.borrow().clone();
            store.replace_all(&engine).await.map_err(|e| e.to_string())?;
            if let Some(c) = &self.inner.channel {
                let _ = c.post_message(&JsValue::from_str("changed"));
            }
        }
        self.inner.sandbox.set(None);
        self.bump();
        Ok(())
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

    /// Reads the engine. Views call this inside a closure that also reads
    /// [`EngineHandle::version`], so they refresh after each change.
    pub fn read<R>(&self, f: impl FnOnce(&Engine) -> R) -> R {
        f(&self.inner.engine.borrow())
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

    /// Changes the workspace's settings (the Time to Live sweep delay, the point-in-time
    /// recovery lag), saved with the workspace. Not in the sandbox, whose settings are the
    /// scenario's.
    pub async fn set_settings(&self, change: impl FnOnce(&mut Config)) -> Result<(), String> {
        let _guard = self.inner.lock.lock().await;
        if self.in_sandbox() {
            return Err("The sandbox keeps the scenario's own settings.".into());
        }
        let (clock, mut config) = {
            let e = self.inner.engine.borrow();
            (e.now_ms(), e.config.clone())
        };
        let store = self.inner.store.borrow().clone();
        if let Some(store) = store {
            // Saved first: memory never runs ahead of disk.
            config = store.save_settings(clock, config, change).await.map_err(|e| e.to_string())?;
            if let Some(c) = &self.inner.channel {
                let _ = c.post_message(&JsValue::from_str("changed"));
            }
        } else {
            change(&mut config);
        }
        self.inner.engine.borrow_mut().config = config;
        self.bump();
        Ok(())
    }

    /// The whole workspace as a JSON document.
    pub fn export(&self) -> Value {
        self.inner.engine.borrow().export()
    }

    /// Replaces the workspace with an exported document, on disk and in memory.
    pub async fn import(&self, doc: &Value) -> Result<(), String> {
        let _guard = self.inner.lock.lock().await;
        let engine = Engine::import(page_config(), doc).map_err(|e| e.0)?;
        let store = self.inner.store.borrow().clone();
        if let Some(store) = store {
            store.replace_all(&engine).await.map_err(|e| e.to_string())?;
        }
        *self.inner.engine.borrow_mut() = engine;
        if let Some(c) = &self.inner.channel {
            let _ = c.post_message(&JsValue::from_str("changed"));
        }
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

/// Reads one table and the engine clock, as [`observe`] does; `None` when there is no
/// such table. This is what a table's views see of the engine.
pub fn observe_table<R>(engine: Shared, name: &str, f: impl FnOnce(&Table, u64) -> R) -> Option<R> {
    observe(engine, |e| e.table(name).map(|t| f(t, e.now_ms())))
}
