//! A lesson in progress. It runs in the sandbox (in memory, apart from the learner's
//! saved tables): the lesson's workspace, then the solutions of the steps already done,
//! so resuming after a reload puts the learner where they left off. After each of the
//! learner's requests the current step's check runs on the engine and on that request;
//! when it holds, the step is done and the progress is saved (this browser's IndexedDB,
//! `meta`'s `lessons` record).

use std::collections::BTreeMap;

use dynaplay_engine::lesson::{start, Last, Lesson};
use dynaplay_engine::scenario::Scenario;
use dynaplay_engine::wire::Access;
use dynaplay_engine::Response;
use leptos::prelude::*;
use serde_json::Value;

use super::{EngineHandle, Sandbox};

/// Said when a lesson cannot start because the code judging its steps could not be fetched.
pub const JUDGE_NOT_FETCHED: &str =
    "This lesson's checks could not be fetched (are you offline?). Your workspace is unaffected; open the lesson again to retry.";

/// The lesson on screen.
#[derive(Clone, Debug, PartialEq)]
pub struct LessonRun {
    pub slug: String,
    pub lesson: Lesson,
    /// The step the learner is on (`steps.len()`: finished).
    pub step: usize,
    pub hints_shown: usize,
    /// The current step's check after the latest request: `Err` says what is missing.
    pub check: Option<Result<(), String>>,
}

impl EngineHandle {
    pub fn lesson(&self) -> RwSignal<Option<LessonRun>> {
        self.inner.lesson
    }

    /// Each lesson's completed steps, by slug.
    pub fn lesson_progress(&self) -> RwSignal<BTreeMap<String, usize>> {
        self.inner.lesson_progress
    }

    /// Opens `lesson` at step `from` (the steps before it done, by their solutions), in
    /// the sandbox.
    pub async fn start_lesson(&self, slug: &str, lesson: Lesson, from: usize) {
        let setup = lesson.workspace.steps.iter().map(|s| (s.operation.as_str(), &s.request));
        let solutions =
            lesson.steps.iter().take(from).flat_map(|s| s.solution.iter().map(|r| (r.operation.as_str(), &r.body)));
        crate::cold::ensure_for(setup.chain(solutions)).await;
        let Some(judge) = crate::lessons::judge().await else {
            self.inner.storage_error.set(Some(JUDGE_NOT_FETCHED.to_string()));
            return;
        };
        self.inner.judge.set(Some(judge));
        let _guard = self.inner.lock.lock().await;
        let mut world = match start(&lesson.workspace) {
            Ok(w) => w,
            Err(e) => {
                self.inner.storage_error.set(Some(format!("This lesson's workspace could not be set up: {e}")));
                return;
            }
        };
        let mut now = lesson.workspace.settings.start_ms;
        for step in lesson.steps.iter().take(from) {
            for r in &step.solution {
                now = now.saturating_add(1_000);
                let access = Access { principal: r.principal.as_deref(), owner: false };
                world.request_as(access, r.region.as_deref(), &r.operation, r.body.to_string().as_bytes(), now);
            }
        }
        *self.inner.world.borrow_mut() = world;
        self.inner.region.set(None);
        self.inner.splits.set(Vec::new());
        let scenario = Scenario { steps: Vec::new(), ..lesson.workspace.clone() };
        self.inner.sandbox.set(Some(Sandbox { scenario, next: usize::MAX, results: Vec::new() }));
        let step = from.min(lesson.steps.len());
        self.inner.lesson.set(Some(LessonRun { slug: slug.to_string(), lesson, step, hints_shown: 0, check: None }));
        self.bump();
    }

    /// Runs the current step's check after one of the learner's requests.
    pub(super) fn check_lesson(&self, operation: &str, request: &str, r: &Response) {
        let Some(run) = self.inner.lesson.get_untracked() else { return };
        let Some(step) = run.lesson.steps.get(run.step) else { return };
        let Some(judge) = self.inner.judge.get() else { return };
        let last = Last {
            operation: operation.to_string(),
            request: serde_json::from_str(request).unwrap_or(Value::Null),
            status: r.status,
            response: serde_json::from_str(&r.body).unwrap_or(Value::Null),
        };
        let result = judge(&step.check, self.inner.world.borrow().home_engine(), Some(&last));
        if result.is_ok() {
            self.note_progress(&run.slug, run.step + 1);
        }
        self.inner.lesson.update(|l| {
            if let Some(l) = l {
                l.check = Some(result);
            }
        });
    }

    /// The next step, once the current one is done.
    pub fn next_lesson_step(&self) {
        self.inner.lesson.update(|l| {
            if let Some(l) = l.as_mut().filter(|l| l.check == Some(Ok(()))) {
                l.step += 1;
                l.hints_shown = 0;
                l.check = None;
            }
        });
    }

    pub fn show_hint(&self) {
        self.inner.lesson.update(|l| {
            if let Some(l) = l {
                let max = l.lesson.steps.get(l.step).map_or(0, |s| s.hints.len());
                l.hints_shown = (l.hints_shown + 1).min(max);
            }
        });
    }

    /// Runs the current step's solution, as the learner would.
    pub async fn apply_solution(&self) {
        let Some(run) = self.inner.lesson.get_untracked() else { return };
        let Some(step) = run.lesson.steps.get(run.step) else { return };
        for r in &step.solution {
            let caller = super::Caller { principal: r.principal.clone(), owner: false };
            let _ = self.request_with(&caller, r.region.as_deref(), &r.operation, &r.body.to_string()).await;
        }
    }

    /// Leaves the lesson (and its sandbox); the learner's tables come back.
    pub async fn leave_lesson(&self) {
        self.inner.lesson.set(None);
        self.leave_sandbox().await;
    }

    fn note_progress(&self, slug: &str, done: usize) {
        let mut changed = false;
        self.inner.lesson_progress.update(|p| {
            let entry = p.entry(slug.to_string()).or_insert(0);
            if done > *entry {
                *entry = done;
                changed = true;
            }
        });
        if changed {
            self.save_lesson_progress();
        }
    }

    fn save_lesson_progress(&self) {
        let Some(store) = self.inner.store.borrow().clone() else { return };
        let progress = self.inner.lesson_progress.get_untracked();
        let shown = self.inner.storage_error;
        leptos::task::spawn_local(async move {
            if let Err(e) = store.save_lesson_progress(&progress).await {
                shown.set(Some(e.to_string()));
            }
        });
    }

    pub(super) async fn load_lesson_progress(&self) {
        let Some(store) = self.inner.store.borrow().clone() else { return };
        match store.lesson_progress().await {
            Ok(p) => self.inner.lesson_progress.set(p),
            Err(e) => self.inner.storage_error.set(Some(e.to_string())),
        }
    }
}
