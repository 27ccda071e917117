use super::*;
use crate::{Config, Engine};

/// An engine with an on-demand table `name` (one partition).
fn engine_with(name: &str) -> Engine {
    let mut e = Engine::new(Config::default());
    let create = format!(
        r#"{{"TableName":"{name}","BillingMode":"PAY_PER_REQUEST","AttributeDefinitions":[{{"AttributeName":"pk","AttributeType":"S"}}],"KeySchema":[{{"AttributeName":"pk","KeyType":"HASH"}}]}}"#
    );
    assert_eq!(e.request("CreateTable", create.as_bytes(), 0).status, 200);
    e
}

#[test]
fn a_split_closes_a_shard_and_opens_its_two_halves() {
    let mut streams = Streams::default();
    let arn = "arn:aws:dynamodb:us-east-1:000000000000:table/Music";
    let e = engine_with("Music");
    let t = e.table("Music").unwrap();
    streams.enable(arn, t, ViewType::NewImage, 1, 1_431_379_293_291);
    let s = streams.current("Music").unwrap();
    assert_eq!(s.label, "2015-05-11T21:21:33.291");
    assert_eq!(s.arn, format!("{arn}/stream/2015-05-11T21:21:33.291"));
    let root = s.shards[0].id.clone();
    assert!(root.starts_with("shardId-00000001431379293291-") && root.len() == 37, "{root}");
    streams.split("Music", 1 << 63, 5, 1_431_379_300_000);
    let s = streams.current("Music").unwrap();
    assert_eq!(s.shards.len(), 3);
    assert_eq!(s.shards[0].end_seq, Some(5));
    let children: Vec<(u64, u64, Option<&str>)> =
        s.shards[1..].iter().map(|c| (c.start_hash, c.end_hash, c.parent.as_deref())).collect();
    assert_eq!(children, [(0, (1 << 63) - 1, Some(root.as_str())), (1 << 63, u64::MAX, Some(root.as_str()))]);
    assert!(s.shards[0].holds(7, 4) && !s.shards[0].holds(7, 5) && s.shards[1].holds(7, 5));
}

#[test]
fn disabling_closes_shards_and_a_new_stream_gets_a_new_label() {
    let mut streams = Streams::default();
    let arn = "arn:aws:dynamodb:us-east-1:000000000000:table/Tab";
    let e = engine_with("Tab");
    let t = e.table("Tab").unwrap();
    streams.enable(arn, t, ViewType::KeysOnly, 1, 1000);
    streams.disable("Tab", 3, 1000);
    assert!(streams.current("Tab").is_none());
    assert_eq!(streams.latest("Tab").map(|s| s.status(false)), Some("DISABLED"));
    streams.enable(arn, t, ViewType::NewImage, 3, 1000);
    let labels: Vec<&str> = streams.list.iter().map(|s| s.label.as_str()).collect();
    assert_eq!(labels, ["1970-01-01T00:00:01.000", "1970-01-01T00:00:01.001"]);
    streams.expire(1000 + RETENTION_MS);
    assert_eq!(streams.list.len(), 1, "a disabled stream is forgotten after 24 hours");
}

#[test]
fn iterators_round_trip_and_refuse_foreign_text() {
    let it =
        ShardIterator { stream_arn: "arn:x/stream/l".into(), shard_id: "shardId-1".into(), position: 42, issued_ms: 7 };
    let text = it.encode();
    assert!(text.starts_with("arn:x/stream/l|1|"));
    assert_eq!(ShardIterator::decode(&text), Some(it));
    for bad in ["", "abc", "arn|2|xx", "arn|1|!!!", "arn|1|YWJj"] {
        assert_eq!(ShardIterator::decode(bad), None, "{bad}");
    }
}

#[test]
fn a_label_reads_back_to_its_millisecond() {
    for ms in [0, 1_431_379_293_291, 1_700_000_001_999, 951_782_400_000] {
        assert_eq!(super::parse_label(&super::label(ms)), Some(ms));
    }
    assert_eq!(super::label(1_431_379_293_291), "2015-05-11T21:21:33.291");
    assert_eq!(super::label(0), "1970-01-01T00:00:00.000");
    assert_eq!(super::label(951_782_400_000), "2000-02-29T00:00:00.000", "a leap day");
    assert_eq!(super::parse_label("2024-02-29T23:59:59.000"), Some(1_709_251_199_000));
    assert_eq!(super::parse_label(" 2023-11-14T22:13:21.999 "), Some(1_700_000_001_999));
    for bad in [
        "",
        "yesterday",
        "2023-11-14 22:13:21",
        "2023-13-14T22:13:21.999",
        "2023-11-14T22:13:21.9999",
        "2023-02-30T22:13:21.999",
        "2023-11-14T24:13:21.999",
        "2023-11-14T22:60:21.999",
        "2023-11-14T22:13:21.99",
        "+023-11-14T22:13:21.999",
        "2023-11-14t22:13:21.999",
        "1969-12-31T23:59:59.999",
        "2023-11-14T22:13:21.999Z",
    ] {
        assert_eq!(super::parse_label(bad), None, "{bad}");
    }
}
