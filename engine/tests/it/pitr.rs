//! Point-in-time recovery: the setting and its window, AWS's refusals, the system backup a
//! deleted table leaves, and the property the change log exists for: a restore to time t
//! gives exactly the table a replay stopped at t gives, across base roll-overs.

use proptest::prelude::*;
use serde_json::{json, Value};

use crate::support::Harness;
use dynaplay_engine::{Config, Engine};

const DAY: u64 = 24 * 60 * 60 * 1000;

fn create(e: &mut Engine, name: &str, now: u64) {
    let create = json!({"TableName": name, "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "g", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
        "GlobalSecondaryIndexes": [{"IndexName": "byG", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}], "Projection": {"ProjectionType": "ALL"}}]});
    assert_eq!(e.request("CreateTable", create.to_string().as_bytes(), now).status, 200);
}

fn write(e: &mut Engine, table: &str, op: &(u8, u8, u16), now: u64) {
    let key = json!({"pk": {"S": format!("k{}", op.1)}});
    let body = match op.0 % 3 {
        0 => (
            "PutItem",
            json!({"TableName": table, "Item": {"pk": {"S": format!("k{}", op.1)}, "g": {"S": format!("g{}", op.2 % 3)}, "n": {"N": op.2.to_string()}}}),
        ),
        1 => (
            "UpdateItem",
            json!({"TableName": table, "Key": key, "UpdateExpression": "ADD n :one", "ExpressionAttributeValues": {":one": {"N": "1"}}}),
        ),
        _ => ("DeleteItem", json!({"TableName": table, "Key": key})),
    };
    e.request(body.0, body.1.to_string().as_bytes(), now);
}

fn items(e: &mut Engine, table: &str, now: u64) -> Vec<Value> {
    let r = e.request("Scan", json!({"TableName": table}).to_string().as_bytes(), now);
    let v: Value = serde_json::from_str(&r.body).unwrap();
    let mut items = v["Items"].as_array().cloned().unwrap_or_default();
    items.sort_by_key(|i| i["pk"].to_string());
    items
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]
    #[test]
    fn a_restore_to_t_is_the_table_a_replay_stopped_at_t_gives(
        ops in proptest::collection::vec((0u8..3, 0u8..12, 0u16..1000, prop_oneof![1u64..5_000, 1u64..(10 * 60 * 60 * 1000)]), 1..60),
        pick in 0.0f64..1.0,
    ) {
        let config = Config { pitr_lag_ms: 0, ..Config::default() };
        let (mut e, mut reference) = (Engine::new(config.clone()), Engine::new(config));
        let t0 = 1_700_000_000_000u64;
        create(&mut e, "src", t0);
        create(&mut reference, "src", t0);
        let on = json!({"TableName": "src", "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": true, "RecoveryPeriodInDays": 1}});
        prop_assert_eq!(e.request("UpdateContinuousBackups", on.to_string().as_bytes(), t0 + 1).status, 200);
        let mut now = t0 + 1;
        let mut times = Vec::new();
        for op in &ops {
            now += op.3;
            write(&mut e, "src", &(op.0, op.1, op.2), now);
            times.push(now);
        }
        // A moment in the window: from max(enable, now - 1 day) to now.
        let earliest = (t0 + 1).max(now.saturating_sub(DAY));
        let t = earliest + ((now - earliest) as f64 * pick) as u64;
        let restore = json!({"SourceTableName": "src", "TargetTableName": "back", "RestoreDateTime": t as f64 / 1000.0});
        let r = e.request("RestoreTableToPointInTime", restore.to_string().as_bytes(), now);
        prop_assert_eq!(r.status, 200, "{}", r.body);
        // The reference replays only the writes made by then.
        for (op, at) in ops.iter().zip(&times).filter(|(_, at)| **at <= t) {
            write(&mut reference, "src", &(op.0, op.1, op.2), *at);
        }
        let restored = items(&mut e, "back", now + 1);
        let expected = items(&mut reference, "src", now + 1);
        prop_assert_eq!(restored, expected);
        // The restored table's index agrees with its items.
        let by_g = e.request("Scan", br#"{"TableName":"back","IndexName":"byG","Select":"COUNT"}"#, now + 1);
        let count: Value = serde_json::from_str(&by_g.body).unwrap();
        let with_g = items(&mut reference, "src", now + 1).iter().filter(|i| i.get("g").is_some()).count() as u64;
        prop_assert_eq!(count["Count"].as_u64(), Some(with_g));
    }
}

#[test]
fn the_window_the_refusals_and_the_system_backup() {
    let mut h = Harness::new();
    h.table("pitr1", None);
    let off = h.ok("DescribeContinuousBackups", json!({"TableName": "pitr1"}));
    assert_eq!(
        off["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"],
        json!({"PointInTimeRecoveryStatus": "DISABLED"})
    );
    let e = h.err(
        "RestoreTableToPointInTime",
        json!({"SourceTableName": "pitr1", "TargetTableName": "copy1", "UseLatestRestorableTime": true}),
    );
    assert_eq!(
        e,
        (
            "PointInTimeRecoveryUnavailableException".into(),
            "Point in time recovery is not enabled for table 'pitr1'".into()
        )
    );
    let on = h.ok(
        "UpdateContinuousBackups",
        json!({"TableName": "pitr1", "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": true}}),
    );
    let d = &on["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"];
    assert_eq!(
        (d["PointInTimeRecoveryStatus"].as_str(), d["RecoveryPeriodInDays"].as_u64()),
        (Some("ENABLED"), Some(35))
    );
    // Five minutes behind the clock, as AWS: nothing restorable yet.
    let soon = h.err(
        "RestoreTableToPointInTime",
        json!({"SourceTableName": "pitr1", "TargetTableName": "copy1", "UseLatestRestorableTime": true}),
    );
    assert_eq!(soon.0, "InvalidRestoreTimeException");
    h.put("pitr1", json!({"pk": {"S": "a"}}));
    h.now += 6 * 60 * 1000;
    let both = h.err("RestoreTableToPointInTime", json!({"SourceTableName": "pitr1", "TargetTableName": "copy1", "UseLatestRestorableTime": true, "RestoreDateTime": 1}));
    assert_eq!(
        both.1,
        "Invalid Request: Either one of RestoreDateTime or UseLatestRestorableTime must be specified, but not both"
    );
    let r = h.ok("RestoreTableToPointInTime", json!({"SourceTableArn": "arn:aws:dynamodb:us-east-1:000000000000:table/pitr1", "TargetTableName": "copy1", "UseLatestRestorableTime": true}));
    assert!(r["TableDescription"]["RestoreSummary"].get("SourceBackupArn").is_none());
    assert_eq!(h.ok("Scan", json!({"TableName": "copy1", "Select": "COUNT"}))["Count"], 1);
    let e = h.err("UpdateContinuousBackups", json!({"TableName": "pitr1", "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": false, "RecoveryPeriodInDays": 3}}));
    assert_eq!(e.1, "Invalid Request: Cannot specify RecoveryPeriodInDays when disabling point-in-time recovery.");
    let e = h.err("UpdateContinuousBackups", json!({"TableName": "pitr1", "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": true, "RecoveryPeriodInDays": 36}}));
    assert_eq!(e.1, "1 validation error detected: Value '36' at 'pointInTimeRecoverySpecification.recoveryPeriodInDays' failed to satisfy constraint: Member must have value less than or equal to 35");
    // Deleting the table leaves a system backup, kept 35 days.
    h.ok("DeleteTable", json!({"TableName": "pitr1"}));
    let system = h.ok("ListBackups", json!({"BackupType": "SYSTEM"}));
    assert_eq!(system["BackupSummaries"][0]["BackupName"], "pitr1$DeletedTableBackup");
    assert!(system["BackupSummaries"][0]["BackupExpiryDateTime"].is_number());
    h.now += 35 * DAY + 1;
    h.engine.tick(h.now);
    assert_eq!(h.ok("ListBackups", json!({"BackupType": "ALL"}))["BackupSummaries"], json!([]));
}

#[test]
fn the_base_and_log_survive_export_and_import() {
    let mut h = Harness::new();
    h.table("pitr2", None);
    h.ok("UpdateContinuousBackups", json!({"TableName": "pitr2", "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": true, "RecoveryPeriodInDays": 1}}));
    h.put("pitr2", json!({"pk": {"S": "before"}}));
    let mark = h.now;
    h.now += 1000;
    h.put("pitr2", json!({"pk": {"S": "after"}}));
    h.now += 10 * 60 * 1000;
    let doc: Value = serde_json::from_str(&h.engine.export().unwrap().to_string()).unwrap();
    h.engine = Engine::import(Config::default(), &doc).unwrap();
    h.ok(
        "RestoreTableToPointInTime",
        json!({"SourceTableName": "pitr2", "TargetTableName": "then2", "RestoreDateTime": mark as f64 / 1000.0}),
    );
    assert_eq!(h.ok("Scan", json!({"TableName": "then2", "Select": "COUNT"}))["Count"], 1);
}
