//! `dynaplay lesson check` on the whole course, and on a lesson that has rotted.

use std::path::PathBuf;
use std::process::Command;

fn lessons() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../static/lessons");
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
    (out.status.success(), String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr))
}

#[test]
fn every_lesson_of_the_course_proves_itself() {
    let files = lessons();
    assert!(files.len() >= 12, "the course has its lessons");
    let mut args: Vec<&std::ffi::OsStr> = vec!["lesson".as_ref(), "check".as_ref()];
    args.extend(files.iter().map(|f| f.as_os_str()));
    let (ok, text) = dynaplay(&args);
    assert!(ok, "{text}");
    assert!(text.ends_with(", 0 problem(s)\n") && text.contains(&format!("{} lesson(s), ", files.len())), "{text}");
}

#[test]
fn a_rotten_lesson_fails_the_check() {
    let dir = std::env::temp_dir().join(format!("dynaplay-lesson-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
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
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(!ok);
    assert!(text.contains("[1] A table — after the solution the check still wants a table named Songs"), "{text}");
    assert!(text.contains("1 lesson(s), 1 step(s), 1 problem(s)"), "{text}");
}
