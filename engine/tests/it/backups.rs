//! On-demand backups through the wire entry point: CreateBackup, DescribeBackup,
//! ListBackups, DeleteBackup and RestoreTableFromBackup, in AWS's shapes, with the settings
//! a restore keeps and those it does not, and backups kept across export and import.

use serde_json::{json, Value};

use crate::support::Harness;

fn music(h: &mut Harness) {
    h.ok("CreateTable", json!({"TableName": "Music", "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{"AttributeName": "a", "AttributeType": "S"}, {"AttributeName": "g", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "a", "KeyType": "HASH"}],
        "GlobalSecondaryIndexes": [{"IndexName": "byG", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}], "Projection": {"ProjectionType": "ALL"}}],
        "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "KEYS_ONLY"},
        "Tags": [{"Key": "team", "Value": "red"}]}));
    h.ok(
        "UpdateTimeToLive",
        json!({"TableName": "Music", "TimeToLiveSpecification": {"Enabled": true, "AttributeName": "exp"}}),
    );
    for i in 0..5 {
        h.ok("PutItem", json!({"TableName": "Music", "Item": {"a": {"S": format!("a{i}")}, "g": {"S": "rock"}}}));
    }
}

fn backup(h: &mut Harness, name: &str) -> String {
    let b = h.ok("CreateBackup", json!({"TableName": "Music", "BackupName": name}));
    assert_eq!(b["BackupDetails"]["BackupStatus"], "CREATING");
    assert_eq!(b["BackupDetails"]["BackupType"], "USER");
    b["BackupDetails"]["BackupArn"].as_str().unwrap().to_string()
}

#[test]
fn a_backup_restores_the_items_and_indexes_but_not_the_stream_ttl_or_tags() {
    let mut h = Harness::new();
    music(&mut h);
    let arn = backup(&mut h, "before-cleanup");
    assert!(arn.starts_with("arn:aws:dynamodb:us-east-1:000000000000:table/Music/backup/0"), "{arn}");
    // Later writes are not in it.
    h.ok("DeleteItem", json!({"TableName": "Music", "Key": {"a": {"S": "a0"}}}));
    let d = h.ok("DescribeBackup", json!({"BackupArn": arn}));
    let desc = &d["BackupDescription"];
    assert_eq!(desc["BackupDetails"]["BackupStatus"], "AVAILABLE");
    assert_eq!(desc["SourceTableDetails"]["ItemCount"], 5);
    assert_eq!(desc["SourceTableDetails"]["TableName"], "Music");
    assert_eq!(desc["SourceTableFeatureDetails"]["GlobalSecondaryIndexes"][0]["IndexName"], "byG");
    assert_eq!(
        desc["SourceTableFeatureDetails"]["StreamDescription"],
        json!({"StreamEnabled": true, "StreamViewType": "KEYS_ONLY"})
    );
    assert_eq!(
        desc["SourceTableFeatureDetails"]["TimeToLiveDescription"],
        json!({"TimeToLiveStatus": "ENABLED", "AttributeName": "exp"})
    );

    let r = h.ok("RestoreTableFromBackup", json!({"TargetTableName": "Music2", "BackupArn": arn}));
    let t = &r["TableDescription"];
    assert_eq!(t["TableStatus"], "CREATING");
    assert_eq!(t["RestoreSummary"]["SourceBackupArn"].as_str(), Some(arn.as_str()));
    assert_eq!(t["RestoreSummary"]["RestoreInProgress"], true);
    let count = h.ok("Scan", json!({"TableName": "Music2", "Select": "COUNT"}));
    assert_eq!(count["Count"], 5, "the deleted item is back in the restored table");
    let by_g = h.ok(
        "Query",
        json!({"TableName": "Music2", "IndexName": "byG", "KeyConditionExpression": "g = :g",
        "ExpressionAttributeValues": {":g": {"S": "rock"}}, "Select": "COUNT"}),
    );
    assert_eq!(by_g["Count"], 5);
    let t = h.ok("DescribeTable", json!({"TableName": "Music2"}))["Table"].clone();
    assert_eq!(t["RestoreSummary"]["RestoreInProgress"], false);
    assert!(t.get("StreamSpecification").is_none() && t.get("LatestStreamArn").is_none(), "no stream");
    let ttl = h.ok("DescribeTimeToLive", json!({"TableName": "Music2"}));
    assert_eq!(ttl["TimeToLiveDescription"]["TimeToLiveStatus"], "DISABLED");
    let tags =
        h.ok("ListTagsOfResource", json!({"ResourceArn": "arn:aws:dynamodb:us-east-1:000000000000:table/Music2"}));
    assert_eq!(tags["Tags"], json!([]));

    let again = h.err("RestoreTableFromBackup", json!({"TargetTableName": "Music2", "BackupArn": arn}));
    assert_eq!(again, ("TableAlreadyExistsException".into(), "Table already exists: Music2".into()));
    let deleted = h.ok("DeleteBackup", json!({"BackupArn": arn}));
    assert_eq!(deleted["BackupDescription"]["BackupDetails"]["BackupStatus"], "DELETED");
    let gone = h.err("DescribeBackup", json!({"BackupArn": arn}));
    assert_eq!(gone, ("BackupNotFoundException".into(), format!("Backup not found: {arn}")));
}

#[test]
fn list_backups_filters_and_pages() {
    let mut h = Harness::new();
    music(&mut h);
    let first = backup(&mut h, "one");
    h.now += 10_000;
    let second = backup(&mut h, "two");
    let all = h.ok("ListBackups", json!({}));
    let arns: Vec<&str> =
        all["BackupSummaries"].as_array().unwrap().iter().map(|b| b["BackupArn"].as_str().unwrap()).collect();
    assert_eq!(arns, [first.as_str(), second.as_str()]);
    assert_eq!(all["BackupSummaries"][0]["TableName"], "Music");
    let page = h.ok("ListBackups", json!({"TableName": "Music", "Limit": 1}));
    assert_eq!(page["LastEvaluatedBackupArn"].as_str(), Some(first.as_str()));
    let rest = h.ok("ListBackups", json!({"TableName": "Music", "ExclusiveStartBackupArn": first}));
    assert_eq!(rest["BackupSummaries"].as_array().map(Vec::len), Some(1));
    let later = h.ok("ListBackups", json!({"TimeRangeLowerBound": (h.now - 5_000) as f64 / 1000.0}));
    assert_eq!(later["BackupSummaries"][0]["BackupArn"].as_str(), Some(second.as_str()));
    let system = h.ok("ListBackups", json!({"BackupType": "SYSTEM"}));
    assert_eq!(system["BackupSummaries"], json!([]));
    let other = h.ok("ListBackups", json!({"TableName": "Other"}));
    assert_eq!(other["BackupSummaries"], json!([]));
}

#[test]
fn errors_overrides_and_a_backup_still_being_created() {
    let mut h = Harness::new();
    let missing = h.err("CreateBackup", json!({"TableName": "Nope", "BackupName": "bk1"}));
    assert_eq!(missing, ("TableNotFoundException".into(), "Table not found: Nope".into()));
    music(&mut h);
    h.engine.config.backup_delay_ms = 60_000;
    let arn = backup(&mut h, "slow");
    let busy = h.err("DeleteBackup", json!({"BackupArn": arn}));
    assert_eq!(busy.0, "BackupInUseException");
    let busy = h.err("RestoreTableFromBackup", json!({"TargetTableName": "Copy1", "BackupArn": arn}));
    assert_eq!(busy.0, "BackupInUseException");
    h.now += 60_000;
    let provisioned = h.ok("RestoreTableFromBackup", json!({"TargetTableName": "Copy1", "BackupArn": arn,
        "BillingModeOverride": "PROVISIONED", "ProvisionedThroughputOverride": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 3}}));
    assert_eq!(provisioned["TableDescription"]["ProvisionedThroughput"]["ReadCapacityUnits"], 5);
    let e = h.err("RestoreTableFromBackup", json!({"TargetTableName": "Copy2", "BackupArn": arn,
        "BillingModeOverride": "PAY_PER_REQUEST", "ProvisionedThroughputOverride": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 3}}));
    assert_eq!(
        e.1,
        "Invalid Request: Cannot override ProvisionedThroughput if BillingMode is overridden to PAY_PER_REQUEST"
    );
    let e = h.err(
        "DescribeBackup",
        json!({"BackupArn": "arn:aws:dynamodb:us-east-1:000000000000:table/Music/backup/00000000000000-00000000"}),
    );
    assert_eq!(e.0, "BackupNotFoundException");
}

#[test]
fn index_encryption_and_on_demand_overrides() {
    let mut h = Harness::new();
    music(&mut h);
    let arn = backup(&mut h, "base");
    h.now += 1_000;
    let none = h.ok(
        "RestoreTableFromBackup",
        json!({"TargetTableName": "NoIndexes", "BackupArn": arn, "GlobalSecondaryIndexOverride": []}),
    );
    let t = &none["TableDescription"];
    assert_eq!(t.get("GlobalSecondaryIndexes"), None, "an empty override drops every global index");
    assert_eq!(
        t["AttributeDefinitions"],
        json!([{"AttributeName": "a", "AttributeType": "S"}]),
        "and the definitions only it used"
    );
    let keys_only = json!([{"IndexName": "byG", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}], "Projection": {"ProjectionType": "KEYS_ONLY"}}]);
    let kept = h.ok("RestoreTableFromBackup", json!({"TargetTableName": "KeysOnly", "BackupArn": arn, "GlobalSecondaryIndexOverride": keys_only,
        "SSESpecificationOverride": {"Enabled": true, "SSEType": "KMS"}, "OnDemandThroughputOverride": {"MaxReadRequestUnits": 100}}));
    let t = &kept["TableDescription"];
    assert_eq!(t["GlobalSecondaryIndexes"][0]["Projection"], json!({"ProjectionType": "KEYS_ONLY"}));
    assert_eq!(t["SSEDescription"]["SSEType"], "KMS");
    assert_eq!(t["OnDemandThroughput"]["MaxReadRequestUnits"], 100);
    let other = json!([{"IndexName": "byH", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}], "Projection": {"ProjectionType": "ALL"}}]);
    let e = h.err(
        "RestoreTableFromBackup",
        json!({"TargetTableName": "Bad", "BackupArn": arn, "GlobalSecondaryIndexOverride": other}),
    );
    assert_eq!(e, ("ValidationException".into(), "One or more parameter values were invalid: GlobalSecondaryIndexOverride must list indexes of the source table with their key schema; byH is not one".into()));
    let e = h.err(
        "RestoreTableFromBackup",
        json!({"TargetTableName": "Bad", "BackupArn": arn, "LocalSecondaryIndexOverride": [{"IndexName": "byG",
        "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}], "Projection": {"ProjectionType": "ALL"}}]}),
    );
    assert_eq!(e.1, "One or more parameter values were invalid: LocalSecondaryIndexOverride must list indexes of the source table with their key schema; byG is not one");
}

#[test]
fn backups_survive_export_and_import() {
    let mut h = Harness::new();
    music(&mut h);
    let arn = backup(&mut h, "kept");
    let doc: Value = serde_json::from_str(&h.engine.export().unwrap().to_string()).unwrap();
    h.engine = dynaplay_engine::Engine::import(dynaplay_engine::Config::default(), &doc).unwrap();
    let d = h.ok("DescribeBackup", json!({"BackupArn": arn}));
    assert_eq!(d["BackupDescription"]["SourceTableDetails"]["ItemCount"], 5);
    h.ok("RestoreTableFromBackup", json!({"TargetTableName": "FromImport", "BackupArn": arn}));
    assert_eq!(h.ok("Scan", json!({"TableName": "FromImport", "Select": "COUNT"}))["Count"], 5);
    assert_eq!(
        h.engine.export().unwrap(),
        dynaplay_engine::Engine::import(dynaplay_engine::Config::default(), &h.engine.export().unwrap())
            .unwrap()
            .export()
            .unwrap()
    );
}
