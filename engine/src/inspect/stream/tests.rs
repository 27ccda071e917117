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

/// What waits for the sweep, as a walk over every item in storage order finds it: the
/// reference for `ttl_of`, which reads the table's index of expiry times instead.
fn waiting_by_walk(t: &Table, delay_ms: u64, now_ms: u64, limit: usize) -> Vec<(crate::value::Item, u64)> {
    let a = t.def.ttl.attribute.as_deref().unwrap();
    t.items()
        .map(|(_, item)| item.item())
        .filter_map(|item| crate::table::expires_ms(&item, a).filter(|x| *x <= now_ms).map(|x| (item, x)))
        .filter(|(_, x)| x.saturating_add(crate::table::MAX_AGE_MS) >= now_ms)
        .take(limit)
        .map(|(item, x)| (t.def.schema.key_item(&item), x + delay_ms))
        .collect()
}

#[test]
fn what_waits_for_the_sweep_is_read_from_the_expiry_index_in_storage_order() {
    let mut e = Engine::new(Config { ttl_delay_ms: u64::MAX / 4, ..Config::default() });
    let t0: u64 = 1_700_000_000_000;
    let ttl =
        serde_json::json!({"TableName": "Carts", "TimeToLiveSpecification": {"Enabled": true, "AttributeName": "exp"}});
    call(
        &mut e,
        "CreateTable",
        serde_json::json!({"TableName": "Carts", "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}]}),
        t0,
    );
    call(&mut e, "UpdateTimeToLive", ttl, t0);
    // Expiry times from six years before t0 to an hour after it; some items have none,
    // or one that is not a number.
    for i in 0u64..60 {
        let exp = match i % 6 {
            0 => serde_json::json!({"N": (t0 / 1000 - 6 * 365 * 86_400 + i).to_string()}),
            1 => serde_json::json!({"S": "soon"}),
            2 => serde_json::Value::Null,
            3 => serde_json::json!({"N": (t0 / 1000 + 3_600 - i).to_string()}),
            _ => serde_json::json!({"N": (t0 / 1000 - 1_000 + i * 13).to_string()}),
        };
        let mut item = serde_json::json!({"pk": {"S": format!("c{i}")}});
        if !exp.is_null() {
            item["exp"] = exp;
        }
        call(&mut e, "PutItem", serde_json::json!({"TableName": "Carts", "Item": item}), t0 + 1);
    }
    let t = e.table("Carts").unwrap();
    for (now, limit) in [(t0, 5), (t0 + 600_000, 7), (t0 + 7_200_000, 100), (t0 - 2_000_000, 100)] {
        let read = ttl_of(t, 10_000, now, limit).expired_waiting;
        assert_eq!(read, waiting_by_walk(t, 10_000, now, limit), "at {now}, {limit}");
    }
    assert_eq!(
        ttl_of(t, 10_000, t0 + 7_200_000, 100).expired_waiting.len(),
        30,
        "the 30 with times in the last five years"
    );
}
