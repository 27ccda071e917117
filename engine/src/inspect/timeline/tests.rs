use serde_json::json;

use super::*;
use crate::inspect::testing::{keyed, ok};
use crate::Config;

const T0: u64 = 1_700_000_000_000;

fn run(e: &mut Engine, op: &str, body: serde_json::Value, now: u64) {
    ok(e, op, body, now);
}

fn engine() -> Engine {
    keyed(Config { pitr_lag_ms: 0, ..Config::default() }, "Tab", T0)
}

#[test]
fn an_empty_table_gets_a_minute_of_axis() {
    let mut e = engine();
    e.tick(T0 + 5000);
    let t = timeline_of(&e, "Tab", 10);
    assert_eq!(
        (t.start_ms, t.end_ms, t.window, t.bins.len(), t.marks.len()),
        (T0 + 5000 - 60_000, T0 + 5000, None, 0, 0)
    );
}

#[test]
fn changes_are_binned_by_kind_and_marks_and_window_placed() {
    let mut e = engine();
    run(
        &mut e,
        "UpdateContinuousBackups",
        json!({"TableName": "Tab", "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": true}}),
        T0,
    );
    run(&mut e, "PutItem", json!({"TableName": "Tab", "Item": {"k": {"S": "a"}}}), T0 + 1000);
    run(&mut e, "PutItem", json!({"TableName": "Tab", "Item": {"k": {"S": "a"}, "v": {"N": "1"}}}), T0 + 1500);
    run(&mut e, "CreateBackup", json!({"TableName": "Tab", "BackupName": "nightly"}), T0 + 5000);
    run(&mut e, "DeleteItem", json!({"TableName": "Tab", "Key": {"k": {"S": "a"}}}), T0 + 9000);
    e.tick(T0 + 10_000);
    let t = timeline_of(&e, "Tab", 10);
    assert_eq!((t.start_ms, t.end_ms), (T0, T0 + 10_000));
    assert_eq!(t.window, Some((T0, T0 + 10_000)));
    let kinds: Vec<(u64, usize, usize, usize)> =
        t.bins.iter().map(|b| (b.start_ms - T0, b.inserts, b.modifies, b.removes)).collect();
    assert_eq!(kinds, [(1000, 1, 1, 0), (9000, 0, 0, 1)]);
    assert_eq!(t.marks, [Mark { at_ms: T0 + 5000, kind: "backup", label: "nightly".into() }]);
    assert_eq!(t.fraction(T0 + 5000), 0.5);
    assert_eq!(t.at(0.25), T0 + 2500);
    assert_eq!((t.at(-1.0), t.at(2.0)), (T0, T0 + 10_000));
}
