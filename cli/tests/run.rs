//! `dynaplay run` on the gallery and on broken scenarios, and `dynaplay lesson check` on
//! the course and on a rotten lesson, through the real binary.

use std::path::PathBuf;
use std::process::Command;

fn examples() -> Vec<PathBuf> {
    json_files("examples")
}

/// The JSON files of `static/<folder>`, sorted.
fn json_files(folder: &str) -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../static").join(folder);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

fn dynaplay(args: &[&std::ffi::OsStr]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_dynaplay")).args(args).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    (out.status.success(), text)
}

#[test]
fn every_gallery_example_meets_its_expectations() {
    let files = examples();
    assert!(files.len() >= 8, "the gallery has its examples");
    let mut args: Vec<&std::ffi::OsStr> = vec!["run".as_ref(), "--quiet".as_ref()];
    args.extend(files.iter().map(|f| f.as_os_str()));
    let (ok, text) = dynaplay(&args);
    assert!(ok, "{text}");
    assert!(text.ends_with(" mismatches\n") && text.contains(&format!("{} scenarios, ", files.len())), "{text}");
    assert!(text.contains(", 0 mismatches"), "{text}");
}

#[test]
fn mismatches_and_bad_files_fail_the_run() {
    let dir = temp_dir("run");
    let wrong = dir.join("wrong.json");
    std::fs::write(
        &wrong,
        r#"{"format":"dynaplay-scenario","version":1,"title":"Wrong",
            "steps":[{"operation":"DescribeTable","request":{"TableName":"Nope"},"expect":{"status":200}}]}"#,
    )
    .unwrap();
    let broken = dir.join("broken.json");
    std::fs::write(&broken, r#"{"format":"dynaplay-scenario","version":9}"#).unwrap();
    let (ok, text) = dynaplay(&["run".as_ref(), wrong.as_os_str(), broken.as_os_str()]);
    assert!(!ok);
    assert!(text.contains("MISMATCH in ") && text.contains("expected status 200, got 400: "), "{text}");
    assert!(text.contains("ResourceNotFoundException"), "{text}");
    assert!(text.contains("this scenario uses format version 9; this Dynaplay reads version 1"), "{text}");
    assert!(text.contains("2 scenarios, 1 step, 1 mismatch, 1 unreadable"), "{text}");
}

#[test]
fn json_output_is_identical_across_runs() {
    let file = examples().into_iter().find(|f| f.ends_with("conditional-writes.json")).unwrap();
    let run = || dynaplay(&["run".as_ref(), "--json".as_ref(), file.as_os_str()]);
    let (ok, first) = run();
    assert!(ok, "{first}");
    assert_eq!(first, run().1);
    let lines: Vec<serde_json::Value> = first.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 5, "1 table + 4 steps");
    assert_eq!(
        lines[2]["body"],
        r#"{"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException","message":"The conditional request failed"}"#
    );
}

#[test]
fn link_prints_a_share_url() {
    let file = examples().into_iter().find(|f| f.ends_with("put-vs-update.json")).unwrap();
    let (ok, text) =
        dynaplay(&["link".as_ref(), "--base".as_ref(), "https://example.org/play/".as_ref(), file.as_os_str()]);
    assert!(ok, "{text}");
    let payload = text.trim().strip_prefix("https://example.org/play/#/scenario/").unwrap();
    let back = dynaplay_engine::scenario::from_link(payload).unwrap();
    assert_eq!(back.title, "PutItem replaces, UpdateItem merges");
}

/// A scratch folder, removed when the test ends (pass or fail), so repeated runs leave
/// nothing behind in the machine's temporary folder.
struct Scratch(PathBuf);

impl Scratch {
    fn join(&self, file: &str) -> PathBuf {
        self.0.join(file)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn temp_dir(name: &str) -> Scratch {
    let dir = std::env::temp_dir().join(format!("dynaplay-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    Scratch(dir)
}

#[test]
fn an_endless_or_huge_file_is_refused_without_reading_it_all() {
    let (ok, text) = dynaplay(&["run".as_ref(), "/dev/zero".as_ref()]);
    assert!(!ok);
    assert!(text.contains("error: /dev/zero: larger than 4194304 bytes, the most a scenario may be"), "{text}");
    let scratch = temp_dir("big");
    let big = scratch.join("big.json");
    std::fs::write(&big, vec![b' '; 5 * 1024 * 1024]).unwrap();
    let (ok, text) = dynaplay(&["run".as_ref(), big.as_os_str()]);
    assert!(!ok && text.contains("larger than 4194304 bytes"), "{text}");
}

#[test]
fn terminal_escapes_in_a_scenario_are_printed_escaped() {
    let scratch = temp_dir("escapes");
    let file = scratch.join("escapes.json");
    let scenario = serde_json::json!({"format": "dynaplay-scenario", "version": 1,
        "title": "Fine\u{1b}[2K\r== ok", "steps": [{"title": "\u{1b}]0;pwned\u{7}step\n    ok",
        "operation": "ListTables", "request": {}, "expect": {"error": "\u{1b}[32mNope"}}]});
    std::fs::write(&file, scenario.to_string()).unwrap();
    let (ok, text) = dynaplay(&["run".as_ref(), file.as_os_str()]);
    assert!(!ok);
    assert!(!text.contains('\u{1b}') && !text.contains('\u{7}') && !text.contains('\r'), "{text:?}");
    assert!(text.contains("— Fine\\u{1b}[2K\\r== ok\n"), "{text}");
    assert!(text.contains("[1] ListTables — \\u{1b}]0;pwned\\u{7}step\\n    ok\n"), "{text}");
    assert!(text.contains("MISMATCH in ") && text.contains("expected error \\u{1b}[32mNope"), "{text}");
}

#[test]
fn link_refuses_what_the_page_would_refuse() {
    // A file just under the 4 MB scenario limit: readable, but the link's document (with
    // its settings spelled out) inflates past the cap the page's decoder enforces.
    let table = serde_json::json!({"TableName": "Big", "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}]});
    let doc = |pad: usize| {
        let items: Vec<serde_json::Value> = (0..11)
            .map(|i| serde_json::json!({"pk": {"S": format!("{i:06}")}, "pad": {"S": "x".repeat(if i == 0 { pad } else { 380_000 })}}))
            .collect();
        serde_json::json!({"format": "dynaplay-scenario", "version": 1, "tables": [table], "items": {"Big": items}})
            .to_string()
    };
    let short = doc(0).len();
    let text = doc(4 * 1024 * 1024 - 10 - short);
    assert_eq!(text.len(), 4 * 1024 * 1024 - 10);
    let scratch = temp_dir("biglink");
    let file = scratch.join("big.json");
    std::fs::write(&file, &text).unwrap();
    let (ok, out) = dynaplay(&["link".as_ref(), file.as_os_str()]);
    assert!(!ok, "{}", out.len());
    assert!(out.contains("too big for a link"), "{out}");
}

#[test]
fn every_lesson_of_the_course_proves_itself() {
    let files = json_files("lessons");
    assert!(files.len() >= 12, "the course has its lessons");
    let mut args: Vec<&std::ffi::OsStr> = vec!["lesson".as_ref(), "check".as_ref()];
    args.extend(files.iter().map(|f| f.as_os_str()));
    let (ok, text) = dynaplay(&args);
    assert!(ok, "{text}");
    assert!(text.ends_with(", 0 problem(s)\n") && text.contains(&format!("{} lesson(s), ", files.len())), "{text}");
}

#[test]
fn a_rotten_lesson_fails_the_check() {
    let dir = temp_dir("lesson");
    let file = dir.join("rotten.json");
    std::fs::write(
        &file,
        r#"{"format":"dynaplay-lesson","version":1,"title":"Rotten","steps":[{"title":"A table","instructions":"Make it.","task":"CreateTable",
            "check":{"table":{"table":"Songs"}},
            "solution":[{"operation":"CreateTable","request":{"TableName":"Music","BillingMode":"PAY_PER_REQUEST",
              "AttributeDefinitions":[{"AttributeName":"a","AttributeType":"S"}],"KeySchema":[{"AttributeName":"a","KeyType":"HASH"}]}}]}]}"#,
    )
    .unwrap();
    let (ok, text) = dynaplay(&["lesson".as_ref(), "check".as_ref(), file.as_os_str()]);
    assert!(!ok);
    assert!(text.contains("[1] A table — after the solution the check still wants a table named Songs"), "{text}");
    assert!(text.contains("1 lesson(s), 1 step(s), 1 problem(s)"), "{text}");
}

#[test]
fn a_workshop_file_proves_its_lessons_and_prints_its_link() {
    let files = json_files("workshops");
    assert!(!files.is_empty());
    let mut args: Vec<&std::ffi::OsStr> = vec!["lesson".as_ref(), "check".as_ref()];
    args.extend(files.iter().map(|f| f.as_os_str()));
    let (ok, text) = dynaplay(&args);
    assert!(ok && text.ends_with(", 0 problem(s)\n"), "{text}");
    assert!(text.contains("Our class: the sign-up sheet"), "its own lesson is proven: {text}");
    let file = files.iter().find(|f| f.ends_with("dynamodb-in-an-afternoon.json")).unwrap();
    let (ok, text) = dynaplay(&["link".as_ref(), "--base".as_ref(), "https://example.org/".as_ref(), file.as_os_str()]);
    assert!(ok, "{text}");
    let payload = text.trim().strip_prefix("https://example.org/#/workshop/").unwrap();
    let w = dynaplay_engine::lesson::Workshop::from_link(payload).unwrap();
    assert_eq!((w.title.as_str(), w.lessons.len()), ("DynamoDB in an afternoon", 4));
}
