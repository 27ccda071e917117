//! Workshops: what a teacher hands a class — a title, notes (safe Markdown), an optional
//! starting workspace for the playground, and a list of lessons, each a built-in one (by
//! its slug in the [course](super::course)) or the teacher's own lesson, carried whole.
//! Shared as a link (deflated into the URL fragment, as scenarios are) or as a file;
//! untrusted either way, so read with the same care as a lesson.
//!
//! ```json
//! { "format": "dynaplay-workshop", "version": 1, "title": "DynamoDB in an afternoon",
//!   "notes": "…", "workspace": { "tables": [ … ], "items": { … } },
//!   "lessons": [ "01-tables-and-keys", { "format": "dynaplay-lesson", … } ] }
//! ```

use md5::{Digest, Md5};
use serde_json::{json, Map, Value};

use super::{course, Lesson, LessonError};
use crate::scenario::{pack, unpack, Scenario};

pub const FORMAT: &str = "dynaplay-workshop";
pub const VERSION: u64 = 1;
/// The largest workshop file read, or inflated from a link.
pub const MAX_BYTES: usize = 1024 * 1024;
pub const MAX_LESSONS: usize = 40;
const MAX_TITLE: usize = 200;
const MAX_NOTES: usize = 20_000;

/// One lesson of a workshop.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// The course's slug, or `own-<digest>` for a teacher's lesson (progress is kept by it).
    pub slug: String,
    pub lesson: Lesson,
    /// The lesson document, for a teacher's own lesson (written back whole).
    pub own: Option<Value>,
}

impl Entry {
    /// A lesson of the course, read from `course` (the page fetches the course's lessons
    /// rather than building them in).
    pub fn built_in(slug: &str, course: Course<'_>) -> Option<Entry> {
        Some(Entry { slug: slug.to_string(), lesson: course(slug)?, own: None })
    }

    /// A teacher's lesson, from its document.
    pub fn own(doc: &Value) -> Result<Entry, LessonError> {
        let lesson = Lesson::from_json(doc)?;
        let digest = Md5::digest(doc.to_string().as_bytes());
        let slug = format!("own-{}", digest.iter().take(5).map(|b| format!("{b:02x}")).collect::<String>());
        Ok(Entry { slug, lesson, own: Some(doc.clone()) })
    }
}

/// Where a workshop's built-in lessons are read: the course's lesson by its slug.
pub type Course<'a> = &'a dyn Fn(&str) -> Option<Lesson>;

#[derive(Clone, Debug, PartialEq)]
pub struct Workshop {
    pub title: String,
    pub notes: String,
    /// The playground the class starts from (a scenario without steps).
    pub workspace: Option<Scenario>,
    pub lessons: Vec<Entry>,
}

impl Workshop {
    /// A workshop file, or a lone lesson file (a workshop of that one lesson).
    pub fn parse(text: &str) -> Result<Workshop, LessonError> {
        Workshop::parse_with(text, &course::lesson)
    }

    /// [`Workshop::parse`], its built-in lessons read from `course`.
    pub fn parse_with(text: &str, course: Course<'_>) -> Result<Workshop, LessonError> {
        if text.len() > MAX_BYTES {
            return Err(LessonError(format!("a workshop is at most {MAX_BYTES} bytes; this one has {}", text.len())));
        }
        let doc: Value = serde_json::from_str(text).map_err(|e| LessonError(format!("not valid JSON: {e}")))?;
        if doc.get("format").and_then(Value::as_str) == Some(super::FORMAT) {
            let entry = Entry::own(&doc)?;
            let title = entry.lesson.title.clone();
            return Ok(Workshop { title, notes: String::new(), workspace: None, lessons: vec![entry] });
        }
        Workshop::from_json_with(&doc, course)
    }

    pub fn from_json(doc: &Value) -> Result<Workshop, LessonError> {
        Workshop::from_json_with(doc, &course::lesson)
    }

    /// [`Workshop::from_json`], its built-in lessons read from `course`.
    pub fn from_json_with(doc: &Value, course: Course<'_>) -> Result<Workshop, LessonError> {
        let err = |text: String| Err(LessonError(text));
        let Some(o) = doc.as_object() else { return err("a workshop must be a JSON object".into()) };
        if o.get("format").and_then(Value::as_str) != Some(FORMAT) {
            return err(format!("not a Dynaplay workshop: \"format\" must be \"{FORMAT}\""));
        }
        if o.get("version").and_then(Value::as_u64) != Some(VERSION) {
            return err(format!("\"version\" must be {VERSION}"));
        }
        let title = match o.get("title").and_then(Value::as_str) {
            Some(t) if !t.trim().is_empty() && t.chars().count() <= MAX_TITLE => t.to_string(),
            _ => return err(format!("\"title\" must be text of 1 to {MAX_TITLE} characters")),
        };
        let notes = match o.get("notes") {
            None => String::new(),
            Some(Value::String(n)) if n.chars().count() <= MAX_NOTES => n.clone(),
            Some(_) => return err(format!("\"notes\" must be text of at most {MAX_NOTES} characters")),
        };
        let workspace = o.get("workspace").map(|w| workspace(w, &title)).transpose()?;
        let lessons = match o.get("lessons") {
            Some(Value::Array(list)) if !list.is_empty() && list.len() <= MAX_LESSONS => {
                list.iter().enumerate().map(|(i, l)| entry(i, l, course)).collect::<Result<Vec<_>, _>>()?
            }
            _ => return err(format!("\"lessons\" must be a list of 1 to {MAX_LESSONS} lessons")),
        };
        Ok(Workshop { title, notes, workspace, lessons })
    }

    pub fn to_json(&self) -> Value {
        let lessons: Vec<Value> =
            self.lessons.iter().map(|e| e.own.clone().unwrap_or_else(|| Value::from(e.slug.as_str()))).collect();
        let mut doc = json!({"format": FORMAT, "version": VERSION, "title": self.title, "lessons": lessons});
        if let Some(o) = doc.as_object_mut() {
            if !self.notes.is_empty() {
                o.insert("notes".into(), Value::from(self.notes.as_str()));
            }
            if let Some(w) = &self.workspace {
                o.insert("workspace".into(), workspace_json(w));
            }
        }
        doc
    }

    /// The workshop's link payload (`#/workshop/<payload>`), or why it cannot be one.
    pub fn to_link(&self) -> Result<String, String> {
        pack(&self.to_json().to_string(), "workshop", MAX_BYTES)
    }

    pub fn from_link(payload: &str) -> Result<Workshop, LessonError> {
        Workshop::from_link_with(payload, &course::lesson)
    }

    /// [`Workshop::from_link`], its built-in lessons read from `course`.
    pub fn from_link_with(payload: &str, course: Course<'_>) -> Result<Workshop, LessonError> {
        let text = unpack(payload, MAX_BYTES)
            .map_err(|why| LessonError(format!("This link does not hold a readable workshop: {why}.")))?;
        Workshop::parse_with(&text, course)
    }
}

fn workspace(w: &Value, title: &str) -> Result<Scenario, LessonError> {
    let mut ws: Map<String, Value> =
        w.as_object().cloned().ok_or_else(|| LessonError("workspace must be an object".into()))?;
    ws.insert("format".into(), Value::from(crate::scenario::FORMAT));
    ws.insert("version".into(), Value::from(1));
    ws.insert("title".into(), Value::from(title));
    let scenario = Scenario::from_json(&Value::Object(ws)).map_err(|e| LessonError(format!("workspace: {}", e.0)))?;
    if !scenario.steps.is_empty() {
        return Err(LessonError("workspace: a workshop's workspace has no steps; its lessons have them".into()));
    }
    Ok(scenario)
}

/// A workspace as the workshop file holds it: the scenario's document without its own
/// format, version and title.
fn workspace_json(w: &Scenario) -> Value {
    let mut doc = w.to_json();
    if let Some(o) = doc.as_object_mut() {
        for key in ["format", "version", "title", "steps"] {
            o.remove(key);
        }
    }
    doc
}

fn entry(i: usize, v: &Value, course: Course<'_>) -> Result<Entry, LessonError> {
    match v {
        Value::String(slug) => Entry::built_in(slug, course).ok_or_else(|| {
            LessonError(format!("lessons[{i}]: there is no built-in lesson \"{slug}\" (the course's lessons are named like \"01-tables-and-keys\")"))
        }),
        Value::Object(_) => Entry::own(v).map_err(|e| LessonError(format!("lessons[{i}]: {}", e.0))),
        _ => Err(LessonError(format!("lessons[{i}] must be a built-in lesson's name or a lesson"))),
    }
}

#[cfg(test)]
mod tests;
