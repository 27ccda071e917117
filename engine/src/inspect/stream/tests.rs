use super::*;
use crate::{Config, Engine};

fn call(e: &mut Engine, op: &str, body: serde_json::Value, now: u64) {
    let r = e.request(op, body.to_string().as_bytes(), now);
    assert_eq!(r.status, 200, "{op}: {}", r.body);
}

#[test]
fn a_stream_in_figures_and_ttl_waiting_for_the_sweep() {
    let mut e = Engine::new(Config::default());
    let t0 = 1_700_000_000_000;
    call(
        &mut e,
        "CreateTable",
        serde_json::json!({"TableName": "Carts", "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
        "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "OLD_IMAGE"}}),
        t0,
    );
    call(
        &mut e,
        "UpdateTimeToLive",
        serde_json::json!({"TableName": "Carts",
        "TimeToLiveSpecification": {"Enabled": true, "AttributeName": "exp"}}),
        t0,
    );
    let exp = (t0 / 1000 + 5).to_string();
    call(
        &mut e,
        "PutItem",
        serde_json::json!({"TableName": "Carts", "Item": {"pk": {"S": "a"}, "exp": {"N": exp}}}),
        t0 + 1,
    );
    call(&mut e, "PutItem", serde_json::json!({"TableName": "Carts", "Item": {"pk": {"S": "b"}}}), t0 + 2);
    // Expired at t0 + 5 s; the sweep waits 10 s more.
    let ttl = ttl_of(e.table("Carts").unwrap(), 10_000, t0 + 6_000, 10);
    assert_eq!((ttl.enabled, ttl.attribute.as_deref()), (true, Some("exp")));
    assert_eq!(ttl.expired_waiting.len(), 1);
    assert_eq!(ttl.expired_waiting[0].1, t0 + 15_000, "when the sweep will delete it");
    e.tick(t0 + 15_000);
    assert!(ttl_of(e.table("Carts").unwrap(), 10_000, t0 + 15_000, 10).expired_waiting.is_empty());
    let streams = streams_of(&e, "Carts", 2);
    assert_eq!(streams.len(), 1);
    let s = &streams[0];
    assert_eq!((s.status, s.view, s.total_records), ("ENABLED", ViewType::OldImage, 3));
    assert_eq!(s.shards.len(), 1);
    assert_eq!((s.shards[0].records, s.shards[0].open), (3, true));
    let newest: Vec<(&str, bool)> = s.records.iter().map(|r| (r.event, r.by_service)).collect();
    assert_eq!(newest, [("REMOVE", true), ("INSERT", false)], "newest first, two asked for");
    assert!(s.records[0].old_image.is_some() && s.records[0].new_image.is_none(), "OLD_IMAGE keeps the old image only");
    assert_eq!(s.records[0].operation, "TimeToLive");
}
