//! Regions: which one the views show, making a new one, and what a global table looks
//! like across them. The region on screen is remembered in this browser's local storage
//! (a view preference, not workspace data).

use dynaplay_engine::global::view::GlobalInfo;
use dynaplay_engine::global::World;
use dynaplay_engine::wire::Response;
use leptos::prelude::*;

use super::{local_storage, EngineHandle};

/// Where the region on screen is remembered.
const REGION_KEY: &str = "dynaplay-region";

/// The longest lag a learner may set: 35 days, as the scenario format allows.
const MAX_LAG_MS: u64 = 35 * 24 * 3_600_000;

/// Regions the picker offers besides those in use: a few of AWS's, across continents.
pub const SUGGESTED_REGIONS: [&str; 6] =
    ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2", "ap-northeast-1"];

impl EngineHandle {
    /// The region on screen, unless it is the home region.
    pub fn region(&self) -> RwSignal<Option<String>> {
        self.inner.region
    }

    /// The name of the region on screen.
    pub fn region_name(&self) -> String {
        self.read(|e| e.config.region.clone())
    }

    /// The regions in use, home first.
    pub fn region_names(&self) -> Vec<String> {
        self.inner.world.borrow().region_names()
    }

    /// Shows `region`, making it (an empty region, saved with the workspace) on first
    /// use. Refused with a message if the name is not a region's.
    pub async fn set_region(&self, region: &str) -> Result<(), String> {
        dynaplay_engine::global::check_region(region).map_err(|e| e.message)?;
        let _guard = self.inner.lock.lock().await;
        let new = self.inner.world.borrow().region(region).is_none();
        if new {
            let store = if self.in_sandbox() { None } else { self.inner.store.borrow().clone() };
            let make = |w: &mut World| {
                w.region_mut(region);
                Response { status: 200, body: String::new(), trace: Default::default() }
            };
            match store {
                Some(store) => drop(store.saved(&self.inner.world, make).await.map_err(|e| e.to_string())?),
                None => drop(make(&mut self.inner.world.borrow_mut())),
            }
        }
        let home = self.inner.world.borrow().home().to_string();
        self.inner.region.set((region != home).then(|| region.to_string()));
        if !self.in_sandbox() {
            self.remember_region();
        }
        self.bump();
        Ok(())
    }

    /// Keeps the region on screen for the next visit.
    pub(super) fn remember_region(&self) {
        if let Ok(storage) = local_storage() {
            let _ = match self.inner.region.get_untracked() {
                Some(r) => storage.set_item(REGION_KEY, &r),
                None => storage.remove_item(REGION_KEY),
            };
        }
    }

    /// Shows the region remembered from the last visit, if the workspace has it.
    pub(super) fn restore_region(&self) {
        let remembered = local_storage().ok().and_then(|s| s.get_item(REGION_KEY).ok().flatten());
        let world = self.inner.world.borrow();
        let shown = remembered.filter(|r| r != world.home() && world.region(r).is_some());
        self.inner.region.set(shown);
    }

    /// Sets how long a change takes between regions: between every pair (`pair` `None`,
    /// which also drops the pairs' own lags) or from one region to another. Saved with
    /// the workspace (in the sandbox, kept until the replay ends).
    pub async fn set_global_lag(&self, pair: Option<(String, String)>, ms: u64) -> Result<(), String> {
        if ms > MAX_LAG_MS {
            return Err(format!("A lag is at most {MAX_LAG_MS} ms (35 days)."));
        }
        let _guard = self.inner.lock.lock().await;
        let set = move |w: &mut World| {
            match pair {
                Some(p) => drop(w.pair_lags.insert(p, ms)),
                None => {
                    w.lag_ms = ms;
                    w.pair_lags.clear();
                }
            }
            Response { status: 200, body: String::new(), trace: Default::default() }
        };
        let store = if self.in_sandbox() { None } else { self.inner.store.borrow().clone() };
        match store {
            Some(store) => drop(store.saved(&self.inner.world, set).await.map_err(|e| e.to_string())?),
            None => drop(set(&mut self.inner.world.borrow_mut())),
        }
        self.bump();
        Ok(())
    }

    /// The global tables, by name.
    pub fn global_tables(&self) -> Vec<String> {
        self.inner.world.borrow().globals().keys().cloned().collect()
    }

    /// A global table as it will be `ahead_ms` from now if nothing else is written (the
    /// global view's look-ahead); `None` for a table that is not global, or while a
    /// request is running.
    pub fn global_ahead(&self, table: &str, ahead_ms: u64) -> Option<GlobalInfo> {
        let mut world = self.inner.world.try_borrow_mut().ok()?;
        let at = world.home_engine().now_ms().saturating_add(ahead_ms);
        dynaplay_engine::global::view::global_ahead(&mut world, table, at)
    }

    /// A global table across the regions (`None` for a table that is not global).
    pub fn global_info(&self, table: &str) -> Option<GlobalInfo> {
        dynaplay_engine::global::view::global_of(&self.inner.world.borrow(), table)
    }
}
