//! DynamoDB Streams through the wire entry point: the stream's lifecycle on CreateTable,
//! UpdateTable and DeleteTable, records of every view type in AWS's shape, iterators and
//! paging, shard lineage across a partition split, and AWS's errors.

use serde_json::{json, Value};

use crate::support::Harness;

fn create(h: &mut Harness, name: &str, view: Option<&str>) -> Value {
    let mut body = json!({"TableName": name, "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}]});
    if let Some(v) = view {
        body["StreamSpecification"] = json!({"StreamEnabled": true, "StreamViewType": v});
    }
    h.ok("CreateTable", body)
}

fn stream_arn(h: &mut Harness, table: &str) -> String {
    let d = h.ok("DescribeTable", json!({"TableName": table}));
    d["Table"]["LatestStreamArn"].as_str().expect("a stream").to_string()
}

/// Every record of every shard, oldest shard first, read from TRIM_HORIZON.
fn all_records(h: &mut Harness, arn: &str) -> Vec<Value> {
    let d = h.ok("DescribeStream", json!({"StreamArn": arn}));
    let mut out = Vec::new();
    for shard in d["StreamDescription"]["Shards"].as_array().cloned().unwrap_or_default() {
        let it = h.ok(
            "GetShardIterator",
            json!({"StreamArn": arn, "ShardId": shard["ShardId"], "ShardIteratorType": "TRIM_HORIZON"}),
        );
        let mut iterator = it["ShardIterator"].clone();
        while let Some(text) = iterator.as_str().map(str::to_string) {
            let page = h.ok("GetRecords", json!({"ShardIterator": text}));
            let records = page["Records"].as_array().cloned().unwrap_or_default();
            if records.is_empty() {
                break;
            }
            out.extend(records);
            iterator = page["NextShardIterator"].clone();
        }
    }
    out
}

fn write_put_update_delete(h: &mut Harness, table: &str) {
    h.ok("PutItem", json!({"TableName": table, "Item": {"pk": {"S": "a"}, "v": {"N": "1"}}}));
    // The same item again changes nothing: no record.
    h.ok("PutItem", json!({"TableName": table, "Item": {"pk": {"S": "a"}, "v": {"N": "1"}}}));
    h.ok(
        "UpdateItem",
        json!({"TableName": table, "Key": {"pk": {"S": "a"}}, "UpdateExpression": "SET v = :v",
        "ExpressionAttributeValues": {":v": {"N": "2"}}}),
    );
    h.ok("DeleteItem", json!({"TableName": table, "Key": {"pk": {"S": "a"}}}));
}

#[test]
fn records_in_aws_shape_for_each_view_type() {
    let mut h = Harness::new();
    for (table, view) in
        [("Both", "NEW_AND_OLD_IMAGES"), ("New", "NEW_IMAGE"), ("Old", "OLD_IMAGE"), ("Keys", "KEYS_ONLY")]
    {
        create(&mut h, table, Some(view));
        write_put_update_delete(&mut h, table);
        let arn = stream_arn(&mut h, table);
        let records = all_records(&mut h, &arn);
        let names: Vec<&str> = records.iter().map(|r| r["eventName"].as_str().unwrap()).collect();
        assert_eq!(names, ["INSERT", "MODIFY", "REMOVE"], "{view}");
        let images = |r: &Value| (r["dynamodb"].get("OldImage").is_some(), r["dynamodb"].get("NewImage").is_some());
        let seen: Vec<(bool, bool)> = records.iter().map(images).collect();
        let expected = match view {
            "NEW_AND_OLD_IMAGES" => [(false, true), (true, true), (true, false)],
            "NEW_IMAGE" => [(false, true), (false, true), (false, false)],
            "OLD_IMAGE" => [(false, false), (true, false), (true, false)],
            _ => [(false, false); 3],
        };
        assert_eq!(seen, expected, "{view}");
    }
    let arn = stream_arn(&mut h, "Both");
    let modify = all_records(&mut h, &arn).remove(1);
    assert_eq!(modify["eventVersion"], "1.1");
    assert_eq!(modify["eventSource"], "aws:dynamodb");
    assert_eq!(modify["awsRegion"], "us-east-1");
    assert_eq!(modify["eventID"].as_str().map(str::len), Some(32));
    let d = &modify["dynamodb"];
    assert_eq!(d["Keys"], json!({"pk": {"S": "a"}}));
    assert_eq!((d["OldImage"]["v"].clone(), d["NewImage"]["v"].clone()), (json!({"N": "1"}), json!({"N": "2"})));
    assert_eq!(d["StreamViewType"], "NEW_AND_OLD_IMAGES");
    assert_eq!(d["SequenceNumber"].as_str().map(str::len), Some(21));
    assert!(d["ApproximateCreationDateTime"].as_u64().is_some_and(|s| s > 1_600_000_000));
    assert!(d["SizeBytes"].as_u64().is_some_and(|n| n > 0));
    assert!(modify.get("userIdentity").is_none());
}

#[test]
fn describe_table_list_streams_and_the_stream_lifecycle() {
    let mut h = Harness::new();
    create(&mut h, "Plain", None);
    let d = h.ok("DescribeTable", json!({"TableName": "Plain"}));
    assert!(d["Table"].get("LatestStreamArn").is_none() && d["Table"].get("StreamSpecification").is_none());
    create(&mut h, "Music", Some("KEYS_ONLY"));
    let d = h.ok("DescribeTable", json!({"TableName": "Music"}));
    assert_eq!(d["Table"]["StreamSpecification"], json!({"StreamEnabled": true, "StreamViewType": "KEYS_ONLY"}));
    let first = d["Table"]["LatestStreamArn"].as_str().unwrap().to_string();
    assert!(first.starts_with("arn:aws:dynamodb:us-east-1:000000000000:table/Music/stream/2023-11-14T22:13:20."));
    assert_eq!(first.rsplit('/').next(), d["Table"]["LatestStreamLabel"].as_str());
    let already = h.err(
        "UpdateTable",
        json!({"TableName": "Music", "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_IMAGE"}}),
    );
    assert_eq!(already, ("ValidationException".into(), "Table already has an enabled stream: TableName: Music".into()));
    h.ok("UpdateTable", json!({"TableName": "Music", "StreamSpecification": {"StreamEnabled": false}}));
    let d = h.ok("DescribeTable", json!({"TableName": "Music"}));
    assert!(d["Table"].get("StreamSpecification").is_none());
    assert_eq!(d["Table"]["LatestStreamArn"].as_str(), Some(first.as_str()), "the old stream stays the latest");
    let s = h.ok("DescribeStream", json!({"StreamArn": first}));
    assert_eq!(s["StreamDescription"]["StreamStatus"], "DISABLED");
    assert!(s["StreamDescription"]["Shards"][0]["SequenceNumberRange"].get("EndingSequenceNumber").is_some());
    h.engine.tick(h.now + 60_000);
    h.now += 60_000;
    let none = h.err("UpdateTable", json!({"TableName": "Music", "StreamSpecification": {"StreamEnabled": false}}));
    assert_eq!(none.1, "Table has no stream to disable: TableName: Music");
    h.ok(
        "UpdateTable",
        json!({"TableName": "Music", "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_IMAGE"}}),
    );
    let second = stream_arn(&mut h, "Music");
    assert_ne!(second, first, "re-enabling makes a new stream");
    let all = h.ok("ListStreams", json!({}));
    let arns: Vec<&str> = all["Streams"].as_array().unwrap().iter().map(|s| s["StreamArn"].as_str().unwrap()).collect();
    assert_eq!(arns, [first.as_str(), second.as_str()]);
    let page = h.ok("ListStreams", json!({"TableName": "Music", "Limit": 1}));
    assert_eq!(page["LastEvaluatedStreamArn"].as_str(), Some(first.as_str()));
    let rest = h.ok("ListStreams", json!({"TableName": "Music", "ExclusiveStartStreamArn": first}));
    assert_eq!(rest["Streams"][0]["StreamArn"].as_str(), Some(second.as_str()));
    assert!(rest.get("LastEvaluatedStreamArn").is_none());
    // A deleted table's stream is disabled and stays readable.
    h.ok("DeleteTable", json!({"TableName": "Music"}));
    let s = h.ok("DescribeStream", json!({"StreamArn": second}));
    assert_eq!(s["StreamDescription"]["StreamStatus"], "DISABLED");
    // Twenty-four hours later both are gone.
    h.now += 24 * 60 * 60 * 1000 + 1;
    let gone = h.err("DescribeStream", json!({"StreamArn": second}));
    assert_eq!(
        gone,
        ("ResourceNotFoundException".into(), format!("Requested resource not found: Stream: {second} not found"))
    );
}

#[test]
fn specification_errors_use_aws_words() {
    let mut h = Harness::new();
    let base = json!({"TableName": "Bad", "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}]});
    let with = |spec: Value| {
        let mut b = base.clone();
        b["StreamSpecification"] = spec;
        b
    };
    let e = h.err("CreateTable", with(json!({"StreamEnabled": true})));
    assert_eq!(e.1, "One or more parameter values were invalid: Table is being created with a stream enabled, UpdateViewType is required");
    let e = h.err("CreateTable", with(json!({"StreamEnabled": true, "StreamViewType": "ALL"})));
    assert_eq!(e.1, "1 validation error detected: Value 'ALL' at 'streamSpecification.streamViewType' failed to satisfy constraint: Member must satisfy enum value set: [NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES, KEYS_ONLY]");
    create(&mut h, "Ok1", None);
    let e = h.err("UpdateTable", json!({"TableName": "Ok1", "StreamSpecification": {"StreamEnabled": true}}));
    assert_eq!(
        e.1,
        "One or more parameter values were invalid: If stream is being enabled then UpdateViewType is required"
    );
    let e = h.err(
        "UpdateTable",
        json!({"TableName": "Ok1", "StreamSpecification": {"StreamEnabled": false, "StreamViewType": "NEW_IMAGE"}}),
    );
    assert_eq!(e.1, "One or more parameter values were invalid: If stream is being disabled, then UpdateViewType must not be specified");
}

#[test]
fn iterators_page_expire_and_refuse_what_they_do_not_know() {
    let mut h = Harness::new();
    create(&mut h, "Log", Some("NEW_IMAGE"));
    for i in 0..5 {
        h.ok("PutItem", json!({"TableName": "Log", "Item": {"pk": {"S": format!("k{i}")}}}));
    }
    let arn = stream_arn(&mut h, "Log");
    let d = h.ok("DescribeStream", json!({"StreamArn": arn}));
    let shard = d["StreamDescription"]["Shards"][0]["ShardId"].clone();
    let it = h.ok("GetShardIterator", json!({"StreamArn": arn, "ShardId": shard, "ShardIteratorType": "TRIM_HORIZON"}));
    let page = h.ok("GetRecords", json!({"ShardIterator": it["ShardIterator"], "Limit": 2}));
    assert_eq!(page["Records"].as_array().map(Vec::len), Some(2));
    let second_seq = page["Records"][1]["dynamodb"]["SequenceNumber"].clone();
    let rest = h.ok("GetRecords", json!({"ShardIterator": page["NextShardIterator"]}));
    assert_eq!(rest["Records"].as_array().map(Vec::len), Some(3));
    let empty = h.ok("GetRecords", json!({"ShardIterator": rest["NextShardIterator"]}));
    assert_eq!(empty["Records"], json!([]), "an open shard at its end: an empty page and an iterator");
    assert!(empty["NextShardIterator"].is_string());
    let after = h.ok("GetShardIterator", json!({"StreamArn": arn, "ShardId": shard, "ShardIteratorType": "AFTER_SEQUENCE_NUMBER", "SequenceNumber": second_seq}));
    let from_third = h.ok("GetRecords", json!({"ShardIterator": after["ShardIterator"]}));
    assert_eq!(from_third["Records"][0]["dynamodb"]["Keys"]["pk"], json!({"S": "k2"}));
    let latest = h.ok("GetShardIterator", json!({"StreamArn": arn, "ShardId": shard, "ShardIteratorType": "LATEST"}));
    h.ok("PutItem", json!({"TableName": "Log", "Item": {"pk": {"S": "new"}}}));
    let newest = h.ok("GetRecords", json!({"ShardIterator": latest["ShardIterator"]}));
    assert_eq!(newest["Records"].as_array().map(Vec::len), Some(1));
    // Fifteen minutes later the iterator has expired.
    h.now += 15 * 60 * 1000 + 1;
    let expired = h.err("GetRecords", json!({"ShardIterator": newest["NextShardIterator"]}));
    assert_eq!(expired, ("ExpiredIteratorException".into(), "Iterator expired".into()));
    let bad = h.err("GetRecords", json!({"ShardIterator": "not-an-iterator"}));
    assert_eq!(bad.0, "ValidationException");
    let missing = h.err(
        "GetShardIterator",
        json!({"StreamArn": arn, "ShardId": "shardId-00000000000000000000-00000000", "ShardIteratorType": "LATEST"}),
    );
    assert_eq!(missing.0, "ResourceNotFoundException");
}

#[test]
fn a_partition_split_closes_the_shard_and_its_children_carry_on() {
    let mut h = Harness::new();
    h.ok(
        "CreateTable",
        json!({"TableName": "Split", "BillingMode": "PAY_PER_REQUEST", "DynaplayTeachingScale": 1_000_000,
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
        "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "KEYS_ONLY"}}),
    );
    for i in 0..60 {
        h.ok(
            "PutItem",
            json!({"TableName": "Split", "Item": {"pk": {"S": format!("k{i}")}, "pad": {"S": "x".repeat(300)}}}),
        );
    }
    let partitions = h.engine.table("Split").unwrap().partitions.parts.len();
    assert!(partitions > 1, "the table split");
    let arn = stream_arn(&mut h, "Split");
    let d = h.ok("DescribeStream", json!({"StreamArn": arn}));
    let shards = d["StreamDescription"]["Shards"].as_array().unwrap().clone();
    let open = shards.iter().filter(|s| s["SequenceNumberRange"].get("EndingSequenceNumber").is_none()).count();
    assert_eq!(open, partitions, "one open shard per partition");
    let root = shards[0]["ShardId"].clone();
    assert!(shards.iter().filter(|s| s["ParentShardId"] == root).count() == 2, "the first split's two children");
    // Every write is in exactly one shard, once; the closed shard's iterator ends.
    let records = all_records(&mut h, &arn);
    assert_eq!(records.len(), 60);
    let mut seqs: Vec<String> =
        records.iter().map(|r| r["dynamodb"]["SequenceNumber"].as_str().unwrap().to_string()).collect();
    seqs.sort();
    seqs.dedup();
    assert_eq!(seqs.len(), 60);
    let it = h.ok("GetShardIterator", json!({"StreamArn": arn, "ShardId": root, "ShardIteratorType": "TRIM_HORIZON"}));
    let mut iterator = it["ShardIterator"].clone();
    let mut pages = 0;
    while let Some(text) = iterator.as_str().map(str::to_string) {
        iterator = h.ok("GetRecords", json!({"ShardIterator": text}))["NextShardIterator"].clone();
        pages += 1;
        assert!(pages < 10);
    }
    assert!(iterator.is_null(), "a drained closed shard gives no next iterator");
}

#[test]
fn a_stream_and_its_records_survive_export_and_import() {
    let mut h = Harness::new();
    create(&mut h, "Kept", Some("NEW_AND_OLD_IMAGES"));
    write_put_update_delete(&mut h, "Kept");
    let arn = stream_arn(&mut h, "Kept");
    let before = all_records(&mut h, &arn);
    let text = h.engine.export().unwrap().to_string();
    let doc: Value = serde_json::from_str(&text).unwrap();
    h.engine = dynaplay_engine::Engine::import(dynaplay_engine::Config::default(), &doc).unwrap();
    assert_eq!(all_records(&mut h, &arn), before, "the same records, the same sequence numbers");
    // A day later the records are trimmed; numbering carries on where it was.
    h.now += 25 * 60 * 60 * 1000;
    h.engine.tick(h.now);
    assert!(all_records(&mut h, &arn).is_empty());
    let doc = h.engine.export().unwrap();
    h.engine = dynaplay_engine::Engine::import(dynaplay_engine::Config::default(), &doc).unwrap();
    h.ok("PutItem", json!({"TableName": "Kept", "Item": {"pk": {"S": "b"}}}));
    let after = all_records(&mut h, &arn);
    let last_before: u64 = before[2]["dynamodb"]["SequenceNumber"].as_str().unwrap().parse().unwrap();
    let next: u64 = after[0]["dynamodb"]["SequenceNumber"].as_str().unwrap().parse().unwrap();
    assert_eq!(next, last_before + 1);
}

#[test]
fn a_deleted_tables_stream_is_stored_until_its_24_hours_are_up() {
    let mut h = Harness::new();
    create(&mut h, "Gone", Some("NEW_IMAGE"));
    write_put_update_delete(&mut h, "Gone");
    let arn = stream_arn(&mut h, "Gone");
    let before = all_records(&mut h, &arn);
    h.ok("DeleteTable", json!({"TableName": "Gone"}));
    h.now += 1000;
    h.engine.tick(h.now);
    assert!(h.engine.table("Gone").is_none());
    let record = h.engine.table_snapshot("Gone").expect("the record of its streams");
    assert_eq!((record["deleted"].as_bool(), record["name"].as_str()), (Some(true), Some("Gone")));
    // Through the workspace file, and through stored records as the page keeps them.
    let doc: Value = serde_json::from_str(&h.engine.export().unwrap().to_string()).unwrap();
    h.engine = dynaplay_engine::Engine::import(dynaplay_engine::Config::default(), &doc).unwrap();
    assert_eq!(all_records(&mut h, &arn), before);
    let tables: Vec<Value> = h.engine.table_snapshots().into_iter().map(|(_, r)| r).collect();
    let changes: Vec<Value> = h.engine.change_records().into_iter().map(|(_, r)| r).collect();
    let config = dynaplay_engine::Config::default();
    h.engine = dynaplay_engine::Engine::restore(config, h.now, &tables, &[], &changes).unwrap();
    assert!(h.engine.table("Gone").is_none(), "no table comes back");
    assert_eq!(all_records(&mut h, &arn), before);
    let listed = h.ok("ListStreams", json!({}));
    assert_eq!(listed["Streams"][0]["TableName"], "Gone");
    // A day after the delete, the stream and its record go.
    h.now += 24 * 60 * 60 * 1000;
    let trace = h.engine.tick(h.now);
    assert!(trace.tables_changed.contains("Gone"), "persistence is told to drop the record");
    assert_eq!(h.engine.table_snapshot("Gone"), None);
    assert!(h.engine.table_snapshots().is_empty());
}
