//! Global tables (version 2019.11.21): a workspace's regions, each an [`Engine`] of its
//! own, and tables replicated across them. [`World`] is the entry point when requests
//! name a region (`dynaplay serve` reads it from the SigV4 credential scope; a scenario's
//! step may name one): it answers UpdateTable's `ReplicaUpdates` itself
//! ([`replica_updates`]), hands every other request to its region's engine, and moves
//! replication on as the clock does ([`replicate`]): each region's changes are applied
//! in the other regions after the lag of that pair, item by item, last writer wins.
//!
//! A host that saves its regions (the page) asks the world to
//! [track what changes](World::track_changes) and saves, after each step, the home
//! region's trace, the other regions named, and the world's own state
//! ([`World::state_record`]).
//! An engine on its own refuses `ReplicaUpdates` with a message that says so.

pub mod auto_scaling;
pub mod outage;
pub mod replica_updates;
pub mod replicate;
pub mod view;

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::engine::{Config, Engine};
use crate::trace::Trace;
use crate::value::PackedItem;
use crate::wire::{Access, Response};

/// What DescribeTable calls this version of global tables.
pub const GLOBAL_TABLE_VERSION: &str = "2019.11.21";
/// How long a change takes to reach another region unless set (AWS: typically about a
/// second).
pub const DEFAULT_GLOBAL_LAG_MS: u64 = 1_000;
/// How long a new replica takes to be created and filled with the table's items (ours:
/// AWS documents no figure; it depends on the table's size).
pub const REPLICA_CREATE_MS: u64 = 5_000;

/// A replica's status, as `ReplicaStatus` names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReplicaStatus {
    Creating,
    Active,
}

impl ReplicaStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ReplicaStatus::Creating => "CREATING",
            ReplicaStatus::Active => "ACTIVE",
        }
    }
}

/// One region's replica of a global table.
#[derive(Clone, Debug, PartialEq)]
pub struct Member {
    pub status: ReplicaStatus,
    /// When a replica being created is filled and turns ACTIVE.
    pub ready_ms: u64,
    /// The region whose items fill it.
    pub source: String,
}

/// A write's place in last-writer-wins order: its time, then its region's name.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version {
    pub at_ms: u64,
    pub region: String,
}

/// A replicated write that lost to a later one and was dropped.
#[derive(Clone, Debug, PartialEq)]
pub struct Conflict {
    /// Where it was dropped.
    pub region: String,
    /// The item's key, as DynamoDB JSON.
    pub key: Value,
    pub kept: Version,
    pub lost: Version,
    pub at_ms: u64,
}

/// A table replicated across regions.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GlobalTable {
    pub members: BTreeMap<String, Member>,
    /// Per (source, destination): the first sequence number of the source's log not yet
    /// applied (or passed over).
    pub(crate) cursors: BTreeMap<(String, String), u64>,
    /// Per (source, destination): changes past the cursor already applied (with jitter,
    /// a later item can arrive before an earlier one).
    pub(crate) done: BTreeMap<(String, String), BTreeSet<u64>>,
    /// Per region: each item's last write, by item key.
    pub(crate) versions: BTreeMap<String, BTreeMap<String, Version>>,
    /// Per region: the next sequence number of its log not yet entered in `versions`.
    pub(crate) seen: BTreeMap<String, u64>,
    /// Writes dropped by last writer wins, oldest first.
    pub conflicts: Vec<Conflict>,
}

/// The regions of a workspace.
#[derive(Clone, Debug)]
pub struct World {
    /// The home region's engine (its `config.region` names the home region).
    home: Engine,
    /// The other regions a request has been made in.
    others: BTreeMap<String, Engine>,
    /// How long a change takes from one region to another, unless a pair has its own.
    pub lag_ms: u64,
    /// Lags of (source, destination) pairs.
    pub pair_lags: BTreeMap<(String, String), u64>,
    /// Up to this much more lag per item, from its partition-key hash (0: none): items
    /// of one transaction, in different partitions, then arrive at different times, as
    /// AWS's partitions replicate in parallel.
    pub jitter_ms: u64,
    /// Regions in a simulated outage: their requests fail, and replication to and from
    /// them waits.
    pub offline: BTreeSet<String>,
    pub(crate) globals: BTreeMap<String, GlobalTable>,
    /// What changed since the host last took it; `None` when no host saves (the CLI).
    changes: Option<Changes>,
}

/// What changed in a world since its host last saved (see [`World::track_changes`]).
#[derive(Clone, Debug, Default)]
pub struct Changes {
    /// Everything done in the home region, as one trace: the host saves it as it saves a
    /// single engine's request.
    pub home: Trace,
    /// The other regions with anything to save (made, written to, moved on by the
    /// clock); the host saves each whole.
    pub regions: BTreeSet<String>,
}

impl World {
    /// A world whose home region is `config.region`.
    pub fn new(config: Config) -> World {
        World::from_engine(Engine::new(config))
    }

    /// A world around an existing engine (its region is the home region).
    pub fn from_engine(home: Engine) -> World {
        World {
            home,
            others: BTreeMap::new(),
            lag_ms: DEFAULT_GLOBAL_LAG_MS,
            pair_lags: BTreeMap::new(),
            jitter_ms: 0,
            offline: BTreeSet::new(),
            globals: BTreeMap::new(),
            changes: None,
        }
    }

    /// Starts keeping what changes, for a host that saves each step ([`World::take_changes`]).
    pub fn track_changes(&mut self) {
        self.changes.get_or_insert_with(Changes::default);
    }

    /// The home region's item writes noted since tracking began or changes were last
    /// taken, in order (none unless tracking): what a host may store before the rest.
    pub fn pending_writes(&self) -> &[crate::trace::WriteTrace] {
        self.changes.as_ref().map_or(&[], |c| c.home.writes.as_slice())
    }

    /// What changed since last time (nothing unless tracking).
    pub fn take_changes(&mut self) -> Changes {
        self.changes.as_mut().map(std::mem::take).unwrap_or_default()
    }

    /// Notes what an engine of the world did in `region`, for the host to save.
    pub(crate) fn note(&mut self, region: &str, trace: &Trace) {
        let home = region == self.home.config.region;
        let Some(c) = self.changes.as_mut() else { return };
        if home {
            c.home.absorb(trace.clone());
        } else if trace.saves_anything() {
            c.regions.insert(region.to_string());
            // IAM is the home region's to save.
            c.home.iam_changed |= trace.iam_changed;
        }
    }

    /// Runs `f` on the home region's engine (a change outside DynamoDB's API, such as the
    /// page's S3 panel), noting what it did.
    pub fn home_change(&mut self, f: impl FnOnce(&mut Engine) -> Trace) -> Trace {
        let trace = f(&mut self.home);
        let home = self.home.config.region.clone();
        self.note(&home, &trace);
        trace
    }

    /// Runs one request on `region`'s engine, noting what it changed.
    pub(crate) fn engine_request(&mut self, region: &str, operation: &str, body: &[u8], now: u64) -> Response {
        self.engine_request_as(Access::default(), region, operation, body, now)
    }

    /// IAM is global: another region's engine answers with the home region's IAM state
    /// lent to it, so what it checks and what it changes are the world's.
    fn engine_request_as(&mut self, access: Access, region: &str, operation: &str, body: &[u8], now: u64) -> Response {
        let response = if region == self.home.config.region {
            self.home.request_as(access, operation, body, now)
        } else {
            self.region_mut(region);
            let Some(engine) = self.others.get_mut(region) else {
                let e = crate::Error::new(crate::ErrorKind::InternalServerError, "Internal server error");
                return crate::wire::error_response(&e);
            };
            std::mem::swap(&mut engine.iam, &mut self.home.iam);
            let response = engine.request_as(access, operation, body, now);
            std::mem::swap(&mut engine.iam, &mut self.home.iam);
            response
        };
        self.note(region, &response.trace);
        response
    }

    /// Sets every region's settings: `change` applies to each region's config (its name
    /// stays its own).
    pub fn configure(&mut self, change: impl Fn(&mut Config)) {
        for engine in self.engines_mut() {
            let region = engine.config.region.clone();
            change(&mut engine.config);
            engine.config.region = region;
        }
    }

    /// The home region's name.
    pub fn home(&self) -> &str {
        &self.home.config.region
    }

    pub fn home_engine(&self) -> &Engine {
        &self.home
    }

    pub fn home_engine_mut(&mut self) -> &mut Engine {
        &mut self.home
    }

    /// The home region's engine, the world dropped.
    pub fn into_home(self) -> Engine {
        self.home
    }

    /// A region's engine, if a request has been made there.
    pub fn region(&self, name: &str) -> Option<&Engine> {
        if name == self.home() {
            Some(&self.home)
        } else {
            self.others.get(name)
        }
    }

    /// The regions in use, home first.
    pub fn regions(&self) -> impl Iterator<Item = &Engine> {
        std::iter::once(&self.home).chain(self.others.values())
    }

    /// The regions' engines, home first, to change (a host plugging in a SQL engine).
    pub fn engines_mut(&mut self) -> impl Iterator<Item = &mut Engine> {
        std::iter::once(&mut self.home).chain(self.others.values_mut())
    }

    /// A region's engine, made on first use with the home region's settings, its clock
    /// where the home region's is.
    pub fn region_mut(&mut self, name: &str) -> &mut Engine {
        if name == self.home.config.region {
            return &mut self.home;
        }
        if !self.others.contains_key(name) {
            // A new region is something to save, even before anything is written in it.
            if let Some(c) = self.changes.as_mut() {
                c.regions.insert(name.to_string());
            }
        }
        let (config, now) = (&self.home.config, self.home.now_ms());
        self.others
            .entry(name.to_string())
            .or_insert_with(|| Engine::new_at(Config { region: name.to_string(), ..config.clone() }, now))
    }

    /// A copy of the world without its SQL mirrors (copying one would copy its database)
    /// and not tracking changes: to look ahead in, then drop.
    pub fn copy_without_mirrors(&mut self) -> World {
        let mirrors: Vec<_> = self.engines_mut().map(|e| std::mem::take(&mut e.mirror)).collect();
        let mut copy = self.clone();
        copy.changes = None;
        for (engine, mirror) in self.engines_mut().zip(mirrors) {
            engine.mirror = mirror;
        }
        copy
    }

    /// Adds a region (restoring a saved world); the home region is not replaced.
    pub(crate) fn insert_region(&mut self, engine: Engine) {
        if engine.config.region != self.home.config.region {
            self.others.insert(engine.config.region.clone(), engine);
        }
    }

    /// The regions a request has been made in, home first.
    pub fn region_names(&self) -> Vec<String> {
        std::iter::once(self.home().to_string()).chain(self.others.keys().cloned()).collect()
    }

    /// The global tables, by name.
    pub fn globals(&self) -> &BTreeMap<String, GlobalTable> {
        &self.globals
    }

    /// How long changes take from `from` to `to`.
    pub fn lag(&self, from: &str, to: &str) -> u64 {
        self.pair_lags.get(&(from.to_string(), to.to_string())).copied().unwrap_or(self.lag_ms)
    }

    /// How long a change to the item with partition-key `hash` takes from `from` to `to`.
    pub fn item_lag(&self, from: &str, to: &str, hash: u64) -> u64 {
        let jitter = if self.jitter_ms == 0 { 0 } else { hash % self.jitter_ms.saturating_add(1) };
        self.lag(from, to).saturating_add(jitter)
    }

    /// Answers one request made in `region` (the home region if `None`) at `now_ms`.
    pub fn request(&mut self, region: Option<&str>, operation: &str, body: &[u8], now_ms: u64) -> Response {
        self.request_as(Access::default(), region, operation, body, now_ms)
    }

    /// [`World::request`] from the principal (or the owner) `access` names.
    pub fn request_as(
        &mut self,
        access: Access,
        region: Option<&str>,
        operation: &str,
        body: &[u8],
        now_ms: u64,
    ) -> Response {
        crate::ops::hot::world_request(self, access, region, operation, body, now_ms)
    }

    /// [`World::request_as`]'s work, once the code that runs requests is in
    /// ([`crate::ops::hot`]: only its `operations` names this).
    pub(crate) fn answer(
        &mut self,
        access: Access,
        region: Option<&str>,
        operation: &str,
        body: &[u8],
        now_ms: u64,
    ) -> Response {
        let region = region.unwrap_or(self.home()).to_string();
        if let Err(e) = check_region(&region) {
            return crate::wire::error_response(&e);
        }
        if let Some(r) = outage::intercept(self, &region, operation, body) {
            return r;
        }
        if let Some(r) = auto_scaling::intercept(self, &region, operation, body) {
            return r;
        }
        // Replication's code is cold (`ops::cold`): a request that needs it waits for it.
        let replication = crate::ops::cold::code().map(|c| c.replication);
        if replication.is_none() && self.replicates(operation, body) {
            return crate::wire::error_response(&crate::ops::cold::replication_not_loaded());
        }
        // The request's own region moves its clock as it answers; the others move first.
        let home = self.tick_all_but(&region, now_ms);
        if let Some(r) = replication {
            (r.advance)(self, now_ms);
            if let Some(answer) = (r.intercept)(self, &region, operation, body, now_ms) {
                return answer;
            }
        }
        let mut response = self.engine_request_as(access, &region, operation, body, now_ms);
        if let Some(r) = replication {
            (r.after)(self, &region, operation, &mut response);
        }
        // What the home region's clock did to the simulated S3 (an export completing) is
        // the host's to save too.
        response.trace.s3_changed.extend(home.s3_changed);
        response.trace.jobs_changed.extend(home.jobs_changed);
        response
    }

    /// Moves every region's clock but `region`'s to `now_ms`; what it did in the home
    /// region.
    fn tick_all_but(&mut self, region: &str, now_ms: u64) -> Trace {
        let home = if self.home() == region { Trace::default() } else { self.home.tick(now_ms) };
        let home_name = self.home.config.region.clone();
        self.note(&home_name, &home);
        let mut moved = Vec::new();
        for (name, engine) in self.others.iter_mut() {
            if name != region {
                moved.push((name.clone(), engine.tick(now_ms)));
            }
        }
        for (name, trace) in moved {
            self.note(&name, &trace);
        }
        home
    }

    /// Moves every region's clock to `now_ms` and replication with it; what the clock did
    /// in the home region.
    pub fn advance(&mut self, now_ms: u64) -> Trace {
        crate::ops::hot::advance(self, now_ms)
    }

    /// [`World::advance`]'s work, once the code that runs requests is in
    /// ([`crate::ops::hot`]: only its `operations` names this).
    pub(crate) fn move_clock(&mut self, now_ms: u64) -> Trace {
        let trace = self.tick_all_but("", now_ms);
        if let Some(code) = crate::ops::cold::code() {
            (code.replication.advance)(self, now_ms);
        }
        trace
    }

    /// Whether moving the clock to `now_ms` would change anything: a region's own work
    /// (a status, a TTL delete) or a replicated write or replica due.
    pub fn work_due(&self, now_ms: u64) -> bool {
        self.regions().any(|e| e.work_due(now_ms))
            || crate::ops::cold::code().is_some_and(|c| (c.replication.due)(self, now_ms))
    }

    /// Whether a request needs the engine's cold code (`ops::cold`) here: a cold
    /// operation (UpdateTable, which makes global tables, is one), a request naming a
    /// legacy parameter (`ops::legacy::named_in`), any request while IAM is enforced, or
    /// any to a workspace with global tables. The page fetches the code first.
    pub fn needs_cold_code(&self, operation: &str, body: &[u8]) -> bool {
        crate::ops::needs_cold_code(operation, body) || self.always_needs_cold_code()
    }

    /// Whether every request here needs the cold code: IAM is enforced, or the workspace
    /// has global tables (and the clock replicates their writes).
    pub fn always_needs_cold_code(&self) -> bool {
        self.home.iam().enforce || !self.globals.is_empty()
    }

    /// Whether a request runs replication's code: the workspace has global tables, or
    /// the request makes one.
    fn replicates(&self, operation: &str, body: &[u8]) -> bool {
        !self.globals.is_empty() || replica_updates::asked_in(operation, body)
    }
}

/// A region's name: up to five dash-separated parts of lowercase letters and digits, like
/// `us-west-2` (or `local`, as some tools name theirs). The message is ours.
pub fn check_region(name: &str) -> Result<(), crate::error::Error> {
    let parts: Vec<&str> = name.split('-').collect();
    let ok = (1..=5).contains(&parts.len())
        && name.len() <= 30
        && parts.iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()));
    if ok {
        Ok(())
    } else {
        Err(crate::error::Error::validation(format!("{name} is not a region name like us-west-2.")))
    }
}

/// Conflicts kept per global table, newest last.
pub const KEPT_CONFLICTS: usize = 200;

impl Engine {
    /// Applies a write made in another region: `after` (or a delete) for the item with
    /// `key`, through the commit point (indexes, the log and this region's stream see it,
    /// marked as replication so it is not sent back), metered as replicated write units.
    /// Returns what it did.
    pub fn apply_replicated(
        &mut self,
        table: &str,
        key: &crate::value::Item,
        after: Option<crate::value::PackedItem>,
        now: u64,
    ) -> crate::trace::Trace {
        let mut trace = crate::trace::Trace::default();
        let Some(store_key) = self.tables.get(table).and_then(|t| t.def.schema.store_key(key)) else { return trace };
        self.now_ms = self.now_ms.max(now);
        let origin = crate::log::Origin {
            operation: "Replication".into(),
            transaction: None,
            principal: Some(crate::log::Principal::Replication),
        };
        let caller = std::mem::replace(&mut self.origin, origin);
        // Replicated write units: what the same write costs here (AWS charges them in each
        // replica's region), metered like any write but never throttled.
        let cost = match self.tables.get(table) {
            Some(t) => {
                let (old, new) = (t.get(&store_key).map(PackedItem::item), after.as_ref().map(PackedItem::item));
                crate::ops::common::write_cost(&t.def, old.as_ref(), new.as_ref(), false)
            }
            None => crate::capacity::Consumed::new(table),
        };
        crate::ops::common::commit(self, table, store_key, after.map(Into::into), &cost, &mut trace);
        self.origin = caller;
        trace
    }

    /// Every item of `table`, in storage order.
    pub fn table_item_list(&self, table: &str) -> Vec<crate::value::Item> {
        self.tables.get(table).map(|t| t.items().map(|(_, i)| i.item()).collect()).unwrap_or_default()
    }
}
