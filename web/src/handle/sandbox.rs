//! The scenario sandbox: a scenario replays in memory, step by step, apart from the saved
//! workspace, which comes back unchanged when the replay ends (or is replaced by the
//! replay's state, if the learner keeps it).

use dynaplay_engine::global::World;
use dynaplay_engine::scenario::{Outcome, Scenario};
use leptos::prelude::*;

use super::{page_config, perf_now, EngineHandle, Sandbox};
use crate::persist::Workspace;

impl EngineHandle {
    pub(super) fn in_sandbox(&self) -> bool {
        self.inner.sandbox.with_untracked(Option::is_some)
    }

    pub fn sandbox(&self) -> RwSignal<Option<Sandbox>> {
        self.inner.sandbox
    }

    /// Starts replaying `scenario` in memory: a fresh world with the scenario's settings
    /// and regions, its tables and seed items in place; steps then run one at a time.
    pub async fn enter_sandbox(&self, scenario: Scenario) {
        if scenario.steps.iter().any(|s| dynaplay_engine::DYNAPLAY_OPERATIONS.contains(&s.operation.as_str())) {
            let _ = self.ensure_mirror().await;
        }
        crate::cold::ensure_for(scenario.steps.iter().map(|s| (s.operation.as_str(), &s.request))).await;
        {
            let _guard = self.inner.lock.lock().await;
            *self.inner.world.borrow_mut() = scenario.world();
            self.inner.lesson.set(None);
            self.inner.region.set(None);
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

    /// Runs the sandbox's next request at its scenario time, exactly as `dynaplay run`
    /// replays it. Returns false when done.
    pub async fn step_sandbox(&self) -> bool {
        let _guard = self.inner.lock.lock().await;
        // Read in place: a copy of the sandbox would copy every result so far.
        let next = |s: &Option<Sandbox>| s.as_ref().and_then(|s| s.scenario.timeline().into_iter().nth(s.next));
        let Some(timed) = self.inner.sandbox.with_untracked(next) else { return false };
        let started = perf_now();
        let r = Scenario::run_in(&mut self.inner.world.borrow_mut(), &timed);
        self.record(&timed.operation, &timed.body, r.status, &r.body, perf_now() - started);
        self.record_splits(&timed.operation, &r);
        let caller = super::Caller { principal: timed.principal.clone(), owner: timed.step.is_none() };
        self.note_access(&caller, &timed.operation, &timed.body, &r);
        let mismatch =
            self.inner.sandbox.with_untracked(|s| s.as_ref().and_then(|s| s.scenario.check(&timed, r.status, &r.body)));
        let replica = dynaplay_engine::replica::note(&r.trace);
        let outcome = Outcome {
            step: timed.step,
            operation: timed.operation,
            status: r.status,
            body: r.body,
            mismatch,
            replica,
            plan: r.trace.plan,
        };
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
        let world = match store {
            Some(store) => match store.load(page_config(), None).await {
                Ok(world) => world,
                Err(e) => {
                    self.inner.storage_error.set(Some(e.to_string()));
                    World::new(page_config())
                }
            },
            None => World::new(page_config()),
        };
        *self.inner.world.borrow_mut() = world;
        self.inner.sandbox.set(None);
        self.inner.lesson.set(None);
        self.inner.splits.set(Vec::new());
        self.restore_region();
        self.bump();
    }

    /// Makes the sandbox's state (every region of it) the saved workspace, replacing it,
    /// and ends the sandbox.
    pub async fn keep_sandbox(&self) -> Result<(), String> {
        let _guard = self.inner.lock.lock().await;
        let store = self.inner.store.borrow().clone();
        if let Some(store) = store {
            // The code that writes them (if it cannot be fetched, Workspace::of says so).
            crate::cold::ensure_hot().await;
            // Its records, not a copy of the world: the world may be large.
            let workspace = Workspace::of(&self.inner.world.borrow()).map_err(|e| e.to_string())?;
            store.replace_all(workspace).await.map_err(|e| e.to_string())?;
            self.announce();
        }
        self.inner.sandbox.set(None);
        self.remember_region();
        self.bump();
        Ok(())
    }
}
