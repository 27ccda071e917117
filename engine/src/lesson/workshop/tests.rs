use serde_json::json;

use super::*;

fn own_lesson() -> Value {
    json!({"format": "dynaplay-lesson", "version": 1, "title": "Our own", "steps": [{
        "title": "A table", "instructions": "Make it.", "task": "CreateTable",
        "check": {"table": {"table": "Class"}},
        "solution": [{"operation": "CreateTable", "request": {"TableName": "Class", "BillingMode": "PAY_PER_REQUEST",
            "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
            "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}]}}]}]})
}

fn workshop() -> Value {
    json!({"format": FORMAT, "version": 1, "title": "DynamoDB in an afternoon", "notes": "Bring *questions*.",
        "workspace": {"tables": [{"TableName": "Shared", "BillingMode": "PAY_PER_REQUEST",
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}]}],
            "items": {"Shared": [{"pk": {"S": "a"}}]}},
        "lessons": ["01-tables-and-keys", own_lesson(), "03-query-vs-scan"]})
}

#[test]
fn a_workshop_names_built_in_lessons_and_carries_its_own() {
    let w = Workshop::from_json(&workshop()).unwrap();
    assert_eq!(w.title, "DynamoDB in an afternoon");
    let slugs: Vec<&str> = w.lessons.iter().map(|e| e.slug.as_str()).collect();
    assert_eq!(slugs[0], "01-tables-and-keys");
    assert!(slugs[1].starts_with("own-") && slugs[1].len() == 14, "{slugs:?}");
    assert_eq!(w.lessons[1].lesson.title, "Our own");
    assert_eq!(w.workspace.as_ref().unwrap().tables.len(), 1);
    // Written back and read again, it is the same workshop, with the same slugs.
    let again = Workshop::from_json(&w.to_json()).unwrap();
    assert_eq!(again, w);
    assert!(verify_all(&again), "its lessons prove themselves");
}

fn verify_all(w: &Workshop) -> bool {
    w.lessons.iter().all(|e| super::super::verify(&e.lesson).ok())
}

#[test]
fn a_workshop_travels_in_a_link_and_a_lone_lesson_file_opens_as_a_workshop() {
    let w = Workshop::from_json(&workshop()).unwrap();
    let payload = w.to_link().unwrap();
    assert!(payload.starts_with("1.") && payload.len() < 16_000);
    assert_eq!(Workshop::from_link(&payload).unwrap(), w);
    assert!(Workshop::from_link("1.AAAA").unwrap_err().0.starts_with("This link does not hold a readable workshop"));
    let lone = Workshop::parse(&own_lesson().to_string()).unwrap();
    assert_eq!((lone.title.as_str(), lone.lessons.len()), ("Our own", 1));
}

#[test]
fn a_bad_workshop_is_refused_with_where_it_is_wrong() {
    let with = |key: &str, value: Value| {
        let mut doc = workshop();
        doc[key] = value;
        Workshop::from_json(&doc).unwrap_err().0
    };
    assert_eq!(
        with("lessons", json!(["99-nope"])),
        "lessons[0]: there is no built-in lesson \"99-nope\" (the course's lessons are named like \"01-tables-and-keys\")"
    );
    assert_eq!(with("lessons", json!([])), "\"lessons\" must be a list of 1 to 40 lessons");
    assert_eq!(with("lessons", json!([{"format": "dynaplay-lesson"}])), "lessons[0]: \"version\" must be 1");
    assert_eq!(with("lessons", json!([7])), "lessons[0] must be a built-in lesson's name or a lesson");
    assert_eq!(with("title", json!("")), "\"title\" must be text of 1 to 200 characters");
    assert_eq!(with("notes", json!(3)), "\"notes\" must be text of at most 20000 characters");
    assert!(with("workspace", json!({"tables": 3})).starts_with("workspace: "));
    assert_eq!(with("format", json!("x")), "not a Dynaplay workshop: \"format\" must be \"dynaplay-workshop\"");
    let huge = format!("{{\"notes\": \"{}\"}}", "x".repeat(MAX_BYTES));
    assert!(Workshop::parse(&huge).unwrap_err().0.starts_with("a workshop is at most 1048576 bytes"));
}

#[test]
fn a_workshop_too_big_for_a_link_says_to_share_a_file() {
    let mut w = Workshop::from_json(&workshop()).unwrap();
    // Notes that do not compress: a link cannot hold them.
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut x = 0x2545_f491_4f6c_dd1d_u64;
    w.notes = (0..20_000)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            char::from(alphabet[(x % 64) as usize])
        })
        .collect();
    let e = w.to_link().unwrap_err();
    assert!(
        e.starts_with("This workshop is too big for a link (") && e.ends_with("Download it as a file instead."),
        "{e}"
    );
}
