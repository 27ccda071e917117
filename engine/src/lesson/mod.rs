//! Lessons: a guided path through what Dynaplay teaches. A lesson is a scenario's
//! starting workspace and then steps, each with instructions (safe Markdown), a task, a
//! declarative check ([`check`]: conditions on the engine's state and on the learner's
//! last request and response — never code from the file), hints revealed one by one,
//! and a solution (requests) the learner can ask to see or apply.
//!
//! ```json
//! { "format": "dynaplay-lesson", "version": 1, "title": "…", "topic": "…",
//!   "summary": "…", "workspace": { "tables": [ … ], "items": { … } },
//!   "steps": [ { "title": "…", "instructions": "…", "task": "…", "view": "partitions",
//!                "check": { "item": { "table": "Music", "key": { … } } },
//!                "hints": [ "…" ], "solution": [ { "operation": "PutItem", "request": { … } } ] } ] }
//! ```
//!
//! A solution's request may name the principal it is made `as` (IAM lessons) and the
//! `region` it is made in (global tables).
//!
//! [`verify`] proves a lesson cannot rot: on a fresh engine, each step's check fails
//! before its solution and passes after it (`dynaplay lesson check`).

pub mod check;
pub mod course;
mod judge;
mod last;
mod verify;
pub mod workshop;

use serde_json::{Map, Value};

pub use check::{Check, EngineState, Last, Observe, TableFacts, Verdict};
pub use verify::{start, verify, verify_with, Replay, StepOutcome, Verified};
pub use workshop::Workshop;

use crate::scenario::Scenario;

pub const FORMAT: &str = "dynaplay-lesson";
pub const VERSION: u64 = 1;
/// The largest lesson file read.
pub const MAX_BYTES: usize = 256 * 1024;
const MAX_STEPS: usize = 30;
const MAX_TEXT: usize = 8_000;
const MAX_HINTS: usize = 5;
const MAX_SOLUTION: usize = 10;

/// One request of a solution.
#[derive(Clone, Debug, PartialEq)]
pub struct Request {
    pub operation: String,
    pub body: Value,
    /// The principal it is made as (`as`), for lessons about IAM.
    pub principal: Option<String>,
    /// The region it is made in (`region`; `None`: the home region), for global tables.
    pub region: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    pub title: String,
    pub instructions: String,
    pub task: String,
    /// The view that shows the point (a table tab's slug, or a route such as `#/iam`).
    pub view: Option<String>,
    pub check: Check,
    pub hints: Vec<String>,
    pub solution: Vec<Request>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Lesson {
    pub title: String,
    pub topic: String,
    pub summary: String,
    /// The starting workspace, read as a scenario without steps.
    pub workspace: Scenario,
    pub steps: Vec<Step>,
}

/// Why a lesson file was refused, with where in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LessonError(pub String);

fn err<T>(text: impl Into<String>) -> Result<T, LessonError> {
    Err(LessonError(text.into()))
}

impl Lesson {
    pub fn parse(text: &str) -> Result<Lesson, LessonError> {
        if text.len() > MAX_BYTES {
            return err(format!("a lesson is at most {MAX_BYTES} bytes; this one has {}", text.len()));
        }
        let doc: Value = serde_json::from_str(text).map_err(|e| LessonError(format!("not valid JSON: {e}")))?;
        Lesson::from_json(&doc)
    }

    pub fn from_json(doc: &Value) -> Result<Lesson, LessonError> {
        let Some(o) = doc.as_object() else { return err("a lesson must be a JSON object") };
        if o.get("format").and_then(Value::as_str) != Some(FORMAT) {
            return err(format!("not a Dynaplay lesson: \"format\" must be \"{FORMAT}\""));
        }
        if o.get("version").and_then(Value::as_u64) != Some(VERSION) {
            return err(format!("\"version\" must be {VERSION}"));
        }
        let title = text(o, "title", true)?;
        let mut ws = o.get("workspace").and_then(Value::as_object).cloned().unwrap_or_default();
        ws.insert("format".into(), Value::from(crate::scenario::FORMAT));
        ws.insert("version".into(), Value::from(1));
        ws.insert("title".into(), Value::from(title.as_str()));
        let workspace =
            Scenario::from_json(&Value::Object(ws)).map_err(|e| LessonError(format!("workspace: {}", e.0)))?;
        if !workspace.steps.is_empty() {
            return err("workspace: a lesson's workspace has no steps; the lesson's steps are its own");
        }
        let steps = match o.get("steps") {
            Some(Value::Array(list)) if !list.is_empty() && list.len() <= MAX_STEPS => {
                list.iter().enumerate().map(|(i, s)| step(i, s)).collect::<Result<Vec<_>, _>>()?
            }
            _ => return err(format!("\"steps\" must be an array of 1 to {MAX_STEPS} steps")),
        };
        Ok(Lesson { title, topic: text(o, "topic", false)?, summary: text(o, "summary", false)?, workspace, steps })
    }
}

fn text(o: &Map<String, Value>, key: &str, required: bool) -> Result<String, LessonError> {
    match o.get(key) {
        Some(Value::String(s)) if s.chars().count() <= MAX_TEXT && (!required || !s.trim().is_empty()) => Ok(s.clone()),
        None if !required => Ok(String::new()),
        _ => err(format!("\"{key}\" must be text of at most {MAX_TEXT} characters")),
    }
}

fn step(i: usize, v: &Value) -> Result<Step, LessonError> {
    let at = |e: LessonError| LessonError(format!("steps[{i}].{}", e.0.trim_start_matches('"')));
    let Some(o) = v.as_object() else { return err(format!("steps[{i}] must be an object")) };
    let check = Check::from_json(o.get("check").unwrap_or(&Value::Null))
        .map_err(|e| LessonError(format!("steps[{i}].check: {}", e.0)))?;
    let hints = match o.get("hints") {
        None => Vec::new(),
        Some(Value::Array(h))
            if h.len() <= MAX_HINTS && h.iter().all(|x| x.as_str().is_some_and(|s| s.len() <= MAX_TEXT)) =>
        {
            h.iter().filter_map(Value::as_str).map(str::to_string).collect()
        }
        Some(_) => return err(format!("steps[{i}].hints must be at most {MAX_HINTS} texts")),
    };
    let solution = match o.get("solution") {
        Some(Value::Array(list)) if !list.is_empty() && list.len() <= MAX_SOLUTION => list
            .iter()
            .enumerate()
            .map(|(j, r)| {
                request(r).ok_or_else(|| {
                    LessonError(format!("steps[{i}].solution[{j}] must be {{\"operation\", \"request\"}}"))
                })
            })
            .collect::<Result<Vec<_>, _>>()?,
        _ => return err(format!("steps[{i}].solution must be 1 to {MAX_SOLUTION} requests")),
    };
    let view = o.get("view").and_then(Value::as_str).map(str::to_string);
    Ok(Step {
        title: text(o, "title", true).map_err(at)?,
        instructions: text(o, "instructions", true).map_err(at)?,
        task: text(o, "task", true).map_err(at)?,
        view,
        check,
        hints,
        solution,
    })
}

fn request(v: &Value) -> Option<Request> {
    let operation = v.get("operation")?.as_str().filter(|o| crate::OPERATIONS.contains(o))?.to_string();
    let body = v.get("request").cloned().unwrap_or_else(|| Value::Object(Map::new()));
    let principal = match v.get("as") {
        None => None,
        Some(a) => Some(a.as_str().filter(|a| crate::iam::state::check_principal_arn(a).is_ok())?.to_string()),
    };
    let region = match v.get("region") {
        None => None,
        Some(r) => Some(r.as_str().filter(|r| crate::global::check_region(r).is_ok())?.to_string()),
    };
    body.is_object().then_some(Request { operation, body, principal, region })
}

#[cfg(test)]
mod tests;
