//! A learner's progress report, to hand in: each lesson of the course with the steps
//! done, and the learner's latest requests (newest first), as a JSON file.

use std::collections::BTreeMap;

use dynaplay_engine::lesson::Lesson;
use serde_json::{json, Value};

pub const REPORT_FORMAT: &str = "dynaplay-progress";

/// The report: the workshop joined (its title), `lessons` in order (the workshop's, then
/// the rest of the course), `progress` (completed steps by slug), and `requests` as
/// (operation, request body, HTTP status), newest first.
pub fn progress_report(
    workshop: Option<&str>,
    lessons: &[(String, Lesson)],
    progress: &BTreeMap<String, usize>,
    requests: &[(String, String, u16)],
) -> Value {
    let lessons: Vec<Value> = lessons
        .iter()
        .map(|(slug, l)| {
            let done = progress.get(slug).copied().unwrap_or(0).min(l.steps.len());
            let steps: Vec<Value> =
                l.steps.iter().enumerate().map(|(i, s)| json!({"title": s.title, "done": i < done})).collect();
            json!({"lesson": slug, "title": l.title, "stepsDone": done, "steps": steps, "completed": done == l.steps.len()})
        })
        .collect();
    let requests: Vec<Value> = requests
        .iter()
        .map(|(op, body, status)| {
            let request = serde_json::from_str(body).unwrap_or_else(|_| Value::String(body.clone()));
            json!({"operation": op, "request": request, "status": status})
        })
        .collect();
    let completed = lessons.iter().filter(|l| l["completed"] == true).count();
    json!({"format": REPORT_FORMAT, "version": 1, "workshop": workshop, "lessonsCompleted": completed,
        "lessons": lessons, "latestRequests": requests})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_report_names_each_lesson_its_steps_and_the_latest_requests() {
        use dynaplay_engine::lesson::course;
        let course: Vec<(String, Lesson)> =
            course::COURSE.iter().take(2).map(|(s, _)| (s.to_string(), course::lesson(s).unwrap())).collect();
        let progress =
            BTreeMap::from([("01-tables-and-keys".to_string(), 4), ("02-conditional-writes".to_string(), 1)]);
        let requests = vec![("GetItem".to_string(), "{\"TableName\":\"Music\"}".to_string(), 200)];
        let r = progress_report(Some("Class"), &course, &progress, &requests);
        assert_eq!(r["format"], REPORT_FORMAT);
        assert_eq!(r["workshop"], "Class");
        assert_eq!(r["lessonsCompleted"], 1);
        assert_eq!(r["lessons"][1]["stepsDone"], 1);
        assert_eq!(r["lessons"][1]["steps"][0], json!({"title": "Create only if it is new", "done": true}));
        assert_eq!(r["lessons"][1]["steps"][1]["done"], false);
        assert_eq!(
            r["latestRequests"][0],
            json!({"operation": "GetItem", "request": {"TableName": "Music"}, "status": 200})
        );
    }
}
