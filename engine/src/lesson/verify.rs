//! Proves a lesson: on a fresh engine with its workspace, each step's check must fail
//! before its solution and pass after it, the solutions applied in order, a second
//! apart. What `dynaplay lesson check` runs on every lesson of the course.

use serde_json::Value;

use super::{Last, Lesson};
use crate::global::World;
use crate::scenario::Scenario;
use crate::wire::Access;

/// How each step went: (title, what went wrong, if anything).
#[derive(Clone, Debug, PartialEq)]
pub struct Verified {
    pub steps: Vec<(String, Option<String>)>,
}

impl Verified {
    pub fn ok(&self) -> bool {
        self.steps.iter().all(|(_, problem)| problem.is_none())
    }
}

pub fn verify(lesson: &Lesson) -> Verified {
    let mut world = match start(&lesson.workspace) {
        Ok(w) => w,
        Err(e) => return Verified { steps: vec![("the workspace".to_string(), Some(e))] },
    };
    let mut now = lesson.workspace.settings.start_ms;
    let mut last: Option<Last> = None;
    let mut steps = Vec::new();
    for step in &lesson.steps {
        let before = step.check.evaluate(world.home_engine(), last.as_ref());
        let mut problem = before.is_ok().then(|| "the check already passes before the solution".to_string());
        for r in &step.solution {
            now = now.saturating_add(1_000);
            let access = Access { principal: r.principal.as_deref(), owner: false };
            let body = r.body.to_string();
            let response = world.request_as(access, None, &r.operation, body.as_bytes(), now);
            let parsed = serde_json::from_str(&response.body).unwrap_or(Value::Null);
            last = Some(Last {
                operation: r.operation.clone(),
                request: r.body.clone(),
                status: response.status,
                response: parsed,
            });
        }
        if let Err(missing) = step.check.evaluate(world.home_engine(), last.as_ref()) {
            let answer = last
                .as_ref()
                .map_or(String::new(), |l| format!(" (the solution's last answer: HTTP {} {})", l.status, l.response));
            problem.get_or_insert(format!("after the solution the check still wants {missing}{answer}"));
        }
        steps.push((step.title.clone(), problem));
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
