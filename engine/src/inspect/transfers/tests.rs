use serde_json::json;

use super::*;
use crate::inspect::testing::{keyed, ok};
use crate::s3::Ownership;
use crate::Config;

const T0: u64 = 1_700_000_000_000;

fn engine() -> Engine {
    let mut e = keyed(Config { transfer_delay_ms: 10_000, ..Config::default() }, "Tab", T0);
    let run = |e: &mut Engine, op: &str, body: serde_json::Value, now: u64| drop(ok(e, op, body, now));
    run(
        &mut e,
        "UpdateContinuousBackups",
        json!({"TableName": "Tab", "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": true}}),
        T0,
    );
    run(&mut e, "PutItem", json!({"TableName": "Tab", "Item": {"k": {"S": "a"}}}), T0 + 1);
    e.create_bucket("mine", None, Ownership::BucketOwnerEnforced).unwrap();
    e.create_bucket("theirs", Some("111122223333"), Ownership::ObjectWriter).unwrap();
    let arn = e.arn("Tab");
    run(
        &mut e,
        "ExportTableToPointInTime",
        json!({"TableArn": arn, "S3Bucket": "theirs", "S3BucketOwner": "111122223333"}),
        T0 + 2000,
    );
    e
}

#[test]
fn an_export_to_another_accounts_bucket_is_not_readable_by_its_owner() {
    let e = engine();
    let buckets = buckets_of(&e);
    let theirs = buckets.iter().find(|b| b.name == "theirs").unwrap();
    assert_eq!(theirs.owner, "111122223333");
    assert!(!theirs.objects.is_empty());
    assert!(theirs.objects.iter().all(|o| o.owner == "000000000000" && !o.bucket_owner_can_read));
    assert!(buckets.iter().find(|b| b.name == "mine").unwrap().objects.is_empty());
}

#[test]
fn export_progress_follows_the_clock_and_the_zip_holds_every_file() {
    let mut e = engine();
    e.tick(T0 + 7000);
    let x = &exports_of(&e, Some("Tab"))[0];
    assert_eq!((x.status, x.kind, x.format, x.item_count), ("IN_PROGRESS", "full", "DYNAMODB_JSON", 1));
    assert!((x.progress - 0.5).abs() < 1e-9, "{}", x.progress);
    assert_eq!(x.keys.len(), 2, "_started and one data file before it completes: {:?}", x.keys);
    e.tick(T0 + 12_000);
    let x = &exports_of(&e, None)[0];
    assert_eq!((x.status, x.progress), ("COMPLETED", 1.0));
    let files = export_files(&e, &x.arn);
    let names: Vec<&str> = files.iter().map(|(k, _)| k.rsplit('/').next().unwrap()).collect();
    assert_eq!(names.len(), 6);
    for n in [
        "_started",
        "manifest-files.checksum",
        "manifest-files.json",
        "manifest-summary.checksum",
        "manifest-summary.json",
    ] {
        assert!(names.contains(&n), "{n} in {names:?}");
    }
    assert!(exports_of(&e, Some("Other")).is_empty());
}

#[test]
fn imports_show_counts_and_the_error_log_once_done() {
    let mut e = engine();
    e.put_object("mine", "in/rows.csv", b"k,v\na,1\n,2\n".to_vec()).unwrap();
    let body = json!({"S3BucketSource": {"S3Bucket": "mine", "S3KeyPrefix": "in/"}, "InputFormat": "CSV",
        "TableCreationParameters": {"TableName": "Uni", "BillingMode": "PAY_PER_REQUEST",
            "AttributeDefinitions": [{"AttributeName": "k", "AttributeType": "S"}], "KeySchema": [{"AttributeName": "k", "KeyType": "HASH"}]}});
    assert_eq!(e.request("ImportTable", body.to_string().as_bytes(), T0 + 3000).status, 200);
    let i = &imports_of(&e)[0];
    assert_eq!((i.status, i.error_count, i.errors.len()), ("IN_PROGRESS", 0, 0));
    e.tick(T0 + 20_000);
    let i = &imports_of(&e)[0];
    assert_eq!((i.status, i.processed_items, i.imported_items, i.error_count), ("FAILED", 2, 1, 1));
    assert_eq!(i.source, "s3://mine/in/");
    assert_eq!(
        i.errors,
        ["in/rows.csv #1: One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: k"]
    );
}
