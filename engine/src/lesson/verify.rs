//! Proves a lesson: from its workspace, each step's check must fail before its
//! solution and pass after it, the solutions applied in order, a second apart. What
//! `dynaplay lesson check` runs on every lesson of the course: on Dynaplay's engine
//! ([`verify`]), or on any [`Replay`] (the CLI's `--endpoint` replays over HTTP).

use serde_json::Value;

use super::{EngineState, Last, Lesson, Observe, Request, TableFacts, Verdict};
use crate::global::World;
use crate::scenario::Scenario;
use crate::wire::Access;

/// How one step went.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StepOutcome {
    Passed,
    /// Its check, or a request of its solution, cannot be answered here (why).
    Skipped(String),
    /// What went wrong.
    Problem(String),
}

impl StepOutcome {
    /// What went wrong, if anything.
    pub fn problem(&self) -> Option<&str> {
        if let StepOutcome::Problem(p) = self {
            Some(p)
        } else {
            None
        }
    }
}

/// How each step went, with its title.
#[derive(Clone, Debug, PartialEq)]
pub struct Verified {
    pub steps: Vec<(String, StepOutcome)>,
}

impl Verified {
    pub fn ok(&self) -> bool {
        self.steps.iter().all(|(_, o)| !matches!(o, StepOutcome::Problem(_)))
    }
}

/// Where a lesson is proven: it reads the state, and runs requests.
pub trait Replay {
    /// What the checks read.
    fn state(&mut self) -> &mut dyn Observe;
    /// Runs one request at engine time `now_ms`; its answer, or why it cannot run here.
    fn send(&mut self, request: &Request, now_ms: u64) -> Result<Last, String>;
}

/// Proves `lesson` on a fresh Dynaplay engine.
pub fn verify(lesson: &Lesson) -> Verified {
    match start(&lesson.workspace) {
        Ok(mut world) => verify_with(lesson, &mut world),
        Err(e) => Verified { steps: vec![("the workspace".to_string(), StepOutcome::Problem(e))] },
    }
}

/// Proves `lesson` on `replay`, which already holds the lesson's workspace. Once a step
/// has been skipped, a later check that does not hold is skipped too (with what it
/// misses): the state it expects could not be made there.
pub fn verify_with(lesson: &Lesson, replay: &mut dyn Replay) -> Verified {
    let mut now = lesson.workspace.settings.start_ms;
    let mut last: Option<Last> = None;
    let mut steps: Vec<(String, StepOutcome)> = Vec::new();
    for step in &lesson.steps {
        let mut outcome = match step.check.judge(replay.state(), last.as_ref()) {
            Verdict::Holds => Some(StepOutcome::Problem("the check already passes before the solution".into())),
            Verdict::Skipped(why) => Some(StepOutcome::Skipped(why)),
            Verdict::Missing(_) => None,
        };
        for r in &step.solution {
            now = now.saturating_add(1_000);
            match replay.send(r, now) {
                Ok(answer) => last = Some(answer),
                Err(why) => {
                    outcome.get_or_insert(StepOutcome::Skipped(why));
                }
            }
        }
        let after_skip = steps.iter().any(|(_, o)| matches!(o, StepOutcome::Skipped(_)));
        let outcome = outcome.unwrap_or_else(|| match step.check.judge(replay.state(), last.as_ref()) {
            Verdict::Holds => StepOutcome::Passed,
            Verdict::Skipped(why) => StepOutcome::Skipped(why),
            Verdict::Missing(missing) if after_skip => {
                StepOutcome::Skipped(format!("an earlier step was skipped, and the check wants {missing}"))
            }
            Verdict::Missing(missing) => {
                let answer = last.as_ref().map_or(String::new(), |l| {
                    format!(" (the solution's last answer: HTTP {} {})", l.status, l.response)
                });
                StepOutcome::Problem(format!("after the solution the check still wants {missing}{answer}"))
            }
        });
        steps.push((step.title.clone(), outcome));
    }
    Verified { steps }
}

/// The lesson's starting world: its workspace's tables, items and buckets; or why its
/// setup failed.
pub fn start(workspace: &Scenario) -> Result<World, String> {
    let mut world = workspace.world();
    for timed in workspace.timeline() {
        let r = Scenario::run_in(&mut world, &timed);
        if let Some(why) = workspace.check(&timed, r.status, &r.body) {
            return Err(why);
        }
    }
    Ok(world)
}

/// A world's checks read its home region.
impl Observe for World {
    fn table(&mut self, name: &str) -> Result<Option<TableFacts>, String> {
        EngineState(self.home_engine()).table(name)
    }
    fn item(&mut self, table: &str, key: &Value) -> Result<Option<Value>, String> {
        EngineState(self.home_engine()).item(table, key)
    }
    fn item_count(&mut self, table: &str) -> Result<u64, String> {
        EngineState(self.home_engine()).item_count(table)
    }
    fn partitions(&mut self, table: &str) -> Option<u64> {
        EngineState(self.home_engine()).partitions(table)
    }
}

impl Replay for World {
    fn state(&mut self) -> &mut dyn Observe {
        self
    }

    fn send(&mut self, r: &Request, now_ms: u64) -> Result<Last, String> {
        let access = Access { principal: r.principal.as_deref(), owner: false };
        let body = r.body.to_string();
        let response = self.request_as(access, r.region.as_deref(), &r.operation, body.as_bytes(), now_ms);
        Ok(Last {
            operation: r.operation.clone(),
            request: r.body.clone(),
            status: response.status,
            response: serde_json::from_str(&response.body).unwrap_or(Value::Null),
        })
    }
}
