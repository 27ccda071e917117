//! Time to Live through the wire entry point: the setting and AWS's refusals, then the
//! sweep on the engine clock: expired items stay readable until it runs, then go through
//! the commit point (indexes and the stream see them) at no capacity, as the service.

use serde_json::{json, Value};

use crate::support::Harness;

fn ttl(h: &mut Harness, table: &str, enabled: bool, attribute: &str) -> (u16, Value) {
    h.call(
        "UpdateTimeToLive",
        json!({"TableName": table, "TimeToLiveSpecification": {"Enabled": enabled, "AttributeName": attribute}}),
    )
}

#[test]
fn the_setting_is_not_idempotent_and_changes_once_an_hour() {
    let mut h = Harness::new();
    h.table("Sessions", None);
    let d = h.ok("DescribeTimeToLive", json!({"TableName": "Sessions"}));
    assert_eq!(d, json!({"TimeToLiveDescription": {"TimeToLiveStatus": "DISABLED"}}));
    let off = h.err(
        "UpdateTimeToLive",
        json!({"TableName": "Sessions", "TimeToLiveSpecification": {"Enabled": false, "AttributeName": "ttl"}}),
    );
    assert_eq!(off, ("ValidationException".into(), "TimeToLive is already disabled".into()));
    let (status, on) = ttl(&mut h, "Sessions", true, "ttl");
    assert_eq!((status, on), (200, json!({"TimeToLiveSpecification": {"Enabled": true, "AttributeName": "ttl"}})));
    let d = h.ok("DescribeTimeToLive", json!({"TableName": "Sessions"}));
    assert_eq!(d, json!({"TimeToLiveDescription": {"TimeToLiveStatus": "ENABLED", "AttributeName": "ttl"}}));
    let again = h.err(
        "UpdateTimeToLive",
        json!({"TableName": "Sessions", "TimeToLiveSpecification": {"Enabled": true, "AttributeName": "ttl"}}),
    );
    assert_eq!(again.1, "TimeToLive is already enabled");
    let other = h.err(
        "UpdateTimeToLive",
        json!({"TableName": "Sessions", "TimeToLiveSpecification": {"Enabled": true, "AttributeName": "expires"}}),
    );
    assert_eq!(other.1, "TimeToLive is active on a different AttributeName: current AttributeName is ttl");
    let soon = h.err(
        "UpdateTimeToLive",
        json!({"TableName": "Sessions", "TimeToLiveSpecification": {"Enabled": false, "AttributeName": "ttl"}}),
    );
    assert_eq!(soon.1, "Time to live has been modified multiple times within a fixed interval");
    h.now += 60 * 60 * 1000;
    assert_eq!(ttl(&mut h, "Sessions", false, "ttl").0, 200);
    let d = h.ok("DescribeTimeToLive", json!({"TableName": "Sessions"}));
    assert_eq!(d["TimeToLiveDescription"]["TimeToLiveStatus"], "DISABLED");
}

#[test]
fn requests_are_checked_as_aws_checks_them() {
    let mut h = Harness::new();
    let e = h.err(
        "UpdateTimeToLive",
        json!({"TableName": "Missing", "TimeToLiveSpecification": {"Enabled": true, "AttributeName": "ttl"}}),
    );
    assert_eq!(
        e,
        ("ResourceNotFoundException".into(), "Requested resource not found: Table: Missing not found".into())
    );
    let e = h.err(
        "UpdateTimeToLive",
        json!({"TableName": "Missing", "TimeToLiveSpecification": {"Enabled": true, "AttributeName": ""}}),
    );
    assert_eq!(e.1, "1 validation error detected: Value '' at 'timeToLiveSpecification.attributeName' failed to satisfy constraint: Member must have length greater than or equal to 1");
    let e = h.err("UpdateTimeToLive", json!({"TableName": "Missing"}));
    assert_eq!(e.1, "1 validation error detected: Value null at 'timeToLiveSpecification' failed to satisfy constraint: Member must not be null");
    let e =
        h.err("UpdateTimeToLive", json!({"TableName": "Missing", "TimeToLiveSpecification": {"AttributeName": "ttl"}}));
    assert_eq!(e.1, "1 validation error detected: Value null at 'timeToLiveSpecification.enabled' failed to satisfy constraint: Member must not be null");
    h.engine.config.create_delay_ms = 5_000;
    h.table("Young", None);
    let e = h.err("DescribeTimeToLive", json!({"TableName": "Young"}));
    assert_eq!(e.1, "Cannot describe time to live while table is in CREATING state: Current table state is CREATING");
}

#[test]
fn the_sweep_deletes_expired_items_as_the_service_after_the_delay() {
    let mut h = Harness::new();
    h.ok("CreateTable", json!({"TableName": "Carts", "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "owner", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
        "GlobalSecondaryIndexes": [{"IndexName": "byOwner", "KeySchema": [{"AttributeName": "owner", "KeyType": "HASH"}], "Projection": {"ProjectionType": "ALL"}}],
        "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_AND_OLD_IMAGES"}}));
    assert_eq!(ttl(&mut h, "Carts", true, "expires").0, 200);
    let now_s = h.now / 1000;
    let items = [
        ("gone", json!({"N": (now_s + 1).to_string()})),
        ("later", json!({"N": (now_s + 3600).to_string()})),
        ("text", json!({"S": (now_s - 100).to_string()})),
        ("ancient", json!({"N": (now_s - 6 * 365 * 24 * 3600).to_string()})),
    ];
    for (pk, expires) in &items {
        h.ok(
            "PutItem",
            json!({"TableName": "Carts", "Item": {"pk": {"S": pk}, "owner": {"S": "ann"}, "expires": expires}}),
        );
    }
    // Expired a moment ago, but the sweep waits its delay: still read, as in AWS.
    h.now = (now_s + 2) * 1000;
    let got = h.ok("GetItem", json!({"TableName": "Carts", "Key": {"pk": {"S": "gone"}}}));
    assert!(got.get("Item").is_some());
    let delay = h.engine.config.ttl_delay_ms;
    assert!(h.engine.tick((now_s + 1) * 1000 + delay - 1).writes.is_empty(), "not yet");
    let trace = h.engine.tick((now_s + 1) * 1000 + delay);
    h.now = (now_s + 1) * 1000 + delay;
    let deleted: Vec<(&str, f64)> = trace.writes.iter().map(|w| (w.table.as_str(), w.write_units)).collect();
    assert_eq!(deleted, [("Carts", 0.0)], "one delete, at no capacity");
    assert!(trace.consumed.is_empty());
    let left = h.ok("Scan", json!({"TableName": "Carts", "Select": "COUNT"}));
    assert_eq!(left["Count"], 3, "a future TTL, a string, and one over five years old stay");
    let by_owner = h.ok("Query", json!({"TableName": "Carts", "IndexName": "byOwner", "KeyConditionExpression": "#o = :o",
        "ExpressionAttributeNames": {"#o": "owner"}, "ExpressionAttributeValues": {":o": {"S": "ann"}}, "Select": "COUNT"}));
    assert_eq!(by_owner["Count"], 3, "the index lost its entry too");
    let arn = h.ok("DescribeTable", json!({"TableName": "Carts"}))["Table"]["LatestStreamArn"].clone();
    let shard = h.ok("DescribeStream", json!({"StreamArn": arn}))["StreamDescription"]["Shards"][0]["ShardId"].clone();
    let it = h.ok("GetShardIterator", json!({"StreamArn": arn, "ShardId": shard, "ShardIteratorType": "TRIM_HORIZON"}));
    let records = h.ok("GetRecords", json!({"ShardIterator": it["ShardIterator"]}))["Records"].clone();
    let remove = records.as_array().unwrap().last().unwrap().clone();
    assert_eq!(remove["eventName"], "REMOVE");
    assert_eq!(remove["userIdentity"], json!({"type": "Service", "principalId": "dynamodb.amazonaws.com"}));
    assert_eq!(remove["dynamodb"]["OldImage"]["pk"], json!({"S": "gone"}));
    let log = h.engine.change_log("Carts").unwrap();
    assert_eq!(log.last().map(|c| c.operation()), Some("TimeToLive"));
}
