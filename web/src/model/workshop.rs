//! A teacher's workshop, as the builder at `#/teach` assembles it, and what a preview
//! says of one. The workshop is read back through [`Workshop::from_json_with`], so the
//! builder refuses exactly what a learner's page would.

use dynaplay_engine::lesson::workshop::Course;
use dynaplay_engine::lesson::{Lesson, Workshop};
use dynaplay_engine::scenario::Scenario;
use serde_json::{json, Value};

/// What the builder holds.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Draft {
    pub title: String,
    pub notes: String,
    /// Built-in lessons chosen, by slug, in the course's order.
    pub course: Vec<String>,
    /// The teacher's own lessons, as read from their files (after the course's).
    pub own: Vec<Value>,
    /// The playground the class starts from.
    pub workspace: Option<Scenario>,
}

impl Draft {
    /// The workshop, its built-in lessons read from `course`.
    pub fn build(&self, course: Course<'_>) -> Result<Workshop, String> {
        let mut lessons: Vec<Value> = self.course.iter().map(|s| Value::from(s.as_str())).collect();
        lessons.extend(self.own.iter().cloned());
        if lessons.is_empty() {
            return Err("Choose at least one lesson.".into());
        }
        let mut doc = json!({"format": dynaplay_engine::lesson::workshop::FORMAT, "version": 1,
            "title": self.title.trim(), "notes": self.notes, "lessons": lessons});
        if let Some(w) = &self.workspace {
            let mut ws = w.to_json();
            if let Some(o) = ws.as_object_mut() {
                for key in ["format", "version", "title", "notes", "steps"] {
                    o.remove(key);
                }
            }
            doc["workspace"] = ws;
        }
        Workshop::from_json_with(&doc, course).map_err(|e| e.0)
    }
}

/// A teacher's lesson file, read as a lesson (its errors say where it is wrong).
pub fn own_lesson(name: &str, text: &str) -> Result<(String, Value), String> {
    let lesson = Lesson::parse(text).map_err(|e| format!("{name}: {}", e.0))?;
    let doc = serde_json::from_str(text).map_err(|e| format!("{name}: {e}"))?;
    Ok((lesson.title, doc))
}

/// "2 tables (Products, Orders) and 5 items", or that there is none.
pub fn workspace_summary(workspace: Option<&Scenario>) -> String {
    let Some(w) = workspace else { return "No starting workspace: the playground starts as it is.".into() };
    let names: Vec<&str> = w.tables.iter().filter_map(|t| t.get("TableName").and_then(Value::as_str)).collect();
    let items: usize = w.items.iter().map(|(_, list)| list.len()).sum();
    let plural = |n: usize, one: &str| format!("{n} {one}{}", if n == 1 { "" } else { "s" });
    format!("{} ({}) and {}", plural(names.len(), "table"), names.join(", "), plural(items, "item"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_draft_builds_a_workshop_or_says_why_not() {
        let mut d = Draft { title: "Class".into(), ..Draft::default() };
        assert_eq!(d.build(&dynaplay_engine::lesson::course::lesson).unwrap_err(), "Choose at least one lesson.");
        d.course = vec!["01-tables-and-keys".into()];
        let (title, doc) = own_lesson("mine.json", dynaplay_engine::lesson::course::COURSE[1].1).unwrap();
        assert_eq!(title, "Conditional writes and optimistic locking");
        d.own.push(doc);
        let w = d.build(&dynaplay_engine::lesson::course::lesson).unwrap();
        assert_eq!(w.lessons.len(), 2);
        assert!(w.lessons[1].slug.starts_with("own-"));
        d.title = " ".into();
        assert_eq!(
            d.build(&dynaplay_engine::lesson::course::lesson).unwrap_err(),
            "\"title\" must be text of 1 to 200 characters"
        );
        assert!(own_lesson("bad.json", "{}").unwrap_err().starts_with("bad.json: not a Dynaplay lesson"));
    }

    #[test]
    fn the_workspace_is_summed_up() {
        assert_eq!(workspace_summary(None), "No starting workspace: the playground starts as it is.");
        let text = include_str!("../../../static/workshops/dynamodb-in-an-afternoon.json");
        let w = Workshop::parse(text).unwrap();
        assert_eq!(workspace_summary(w.workspace.as_ref()), "1 table (Products) and 2 items");
        let d = Draft {
            title: "T".into(),
            course: vec!["03-query-vs-scan".into()],
            workspace: w.workspace.clone(),
            ..Draft::default()
        };
        let built = d.build(&dynaplay_engine::lesson::course::lesson).unwrap().workspace.unwrap();
        let given = w.workspace.unwrap();
        assert_eq!((built.tables, built.items), (given.tables, given.items));
    }
}
