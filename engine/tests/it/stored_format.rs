//! Workspaces saved by earlier versions keep loading. The fixture is a format-1 export
//! written by the engine before table definitions were serialised with serde (commit
//! a6db4f9): two tables with a local, a global and a provisioned index, on-demand maxima,
//! throughput changes, tags, KMS encryption, deletion protection and a split partition map.

use dynaplay_engine::{Config, Engine};
use serde_json::{json, Value};

const V1: &str = include_str!("../fixtures/workspace-v1.json");

#[test]
fn a_format_1_workspace_loads_and_is_written_back_the_same() {
    let doc: Value = serde_json::from_str(V1).unwrap();
    let mut engine = Engine::import(Config::default(), &doc).unwrap();
    assert_eq!(engine.export().unwrap(), doc, "the format is unchanged");
    assert_eq!(engine.table("snap").unwrap().partitions.parts.len(), 2);
    let by_local = json!({"TableName": "snap", "IndexName": "byL", "KeyConditionExpression": "pk = :p",
        "ExpressionAttributeValues": {":p": {"S": "p3"}}, "Select": "COUNT"});
    let r = engine.request("Query", by_local.to_string().as_bytes(), 10_000);
    assert_eq!(r.body, r#"{"Count":6,"ScannedCount":6}"#);
    let r = engine.request("DescribeTable", br#"{"TableName": "prov"}"#, 10_000);
    let d: Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(d["Table"]["ProvisionedThroughput"]["ReadCapacityUnits"], 10);
    assert_eq!(d["Table"]["GlobalSecondaryIndexes"][0]["ProvisionedThroughput"]["WriteCapacityUnits"], 3);
    assert_eq!(d["Table"]["DeletionProtectionEnabled"], true);
}

#[test]
fn damaged_table_records_are_refused_with_a_reason() {
    let mut doc: Value = serde_json::from_str(V1).unwrap();
    doc["tables"][0]["schema"]["hash"][1] = json!("X");
    let e = Engine::import(Config::default(), &doc).unwrap_err();
    assert_eq!(e.0, "stored state is damaged: key type");
    let mut doc: Value = serde_json::from_str(V1).unwrap();
    doc["tables"][1]["partitions"]["parts"][1][0] = json!(0);
    let e = Engine::import(Config::default(), &doc).unwrap_err();
    assert_eq!(e.0, "stored state is damaged: partition boundaries");
    let mut doc: Value = serde_json::from_str(V1).unwrap();
    doc["tables"][0].as_object_mut().unwrap().remove("partitions");
    let e = Engine::import(Config::default(), &doc).unwrap_err();
    assert!(e.0.starts_with("stored state is damaged: missing field `partitions`"), "{}", e.0);
}
