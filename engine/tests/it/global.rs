//! Global tables through the world's entry point: a replica made with UpdateTable's
//! ReplicaUpdates, writes reaching the other region after the lag, last writer wins, a
//! transaction arriving item by item, and what AWS requires of the table.

use dynaplay_engine::global::World;
use dynaplay_engine::Config;
use serde_json::{json, Value};

const T0: u64 = 1_700_000_000_000;
const EAST: &str = "us-east-1";
const WEST: &str = "eu-west-1";

fn call(w: &mut World, region: &str, op: &str, body: Value, now: u64) -> (u16, Value) {
    let r = w.request(Some(region), op, body.to_string().as_bytes(), now);
    (r.status, serde_json::from_str(&r.body).unwrap())
}

fn ok(w: &mut World, region: &str, op: &str, body: Value, now: u64) -> Value {
    let (status, v) = call(w, region, op, body, now);
    assert_eq!(status, 200, "{op} in {region}: {v}");
    v
}

/// An on-demand `Carts` table in us-east-1 with a replica in eu-west-1, active at T0 + 10 s.
fn world() -> World {
    let mut w = World::new(Config::default());
    let create = json!({"TableName": "Carts", "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}]});
    ok(&mut w, EAST, "CreateTable", create, T0);
    let add = json!({"TableName": "Carts", "ReplicaUpdates": [{"Create": {"RegionName": WEST}}]});
    let v = ok(&mut w, EAST, "UpdateTable", add, T0 + 1);
    assert_eq!(v["TableDescription"]["Replicas"], json!([{"RegionName": WEST, "ReplicaStatus": "CREATING"}]));
    assert_eq!(v["TableDescription"]["GlobalTableVersion"], "2019.11.21");
    assert_eq!(v["TableDescription"]["StreamSpecification"]["StreamViewType"], "NEW_AND_OLD_IMAGES", "turned on");
    let _ = w.advance(T0 + 10_000);
    w
}

fn get(w: &mut World, region: &str, id: &str, now: u64) -> Value {
    ok(w, region, "GetItem", json!({"TableName": "Carts", "Key": {"id": {"S": id}}, "ConsistentRead": true}), now)
}

fn put(w: &mut World, region: &str, id: &str, by: &str, now: u64) {
    ok(w, region, "PutItem", json!({"TableName": "Carts", "Item": {"id": {"S": id}, "by": {"S": by}}}), now);
}

#[test]
fn a_replica_is_filled_then_follows_after_the_lag() {
    let mut w = World::new(Config::default());
    let create = json!({"TableName": "Carts", "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}]});
    ok(&mut w, EAST, "CreateTable", create, T0);
    put(&mut w, EAST, "before", "east", T0 + 1);
    let add = json!({"TableName": "Carts", "ReplicaUpdates": [{"Create": {"RegionName": WEST}}]});
    ok(&mut w, EAST, "UpdateTable", add, T0 + 2);
    assert_eq!(get(&mut w, WEST, "before", T0 + 3), json!({}), "not filled yet");
    let d = ok(&mut w, WEST, "DescribeTable", json!({"TableName": "Carts"}), T0 + 5_002);
    assert_eq!(d["Table"]["Replicas"], json!([{"RegionName": EAST, "ReplicaStatus": "ACTIVE"}]));
    assert_eq!(get(&mut w, WEST, "before", T0 + 5_002)["Item"]["by"], json!({"S": "east"}), "the initial copy");

    put(&mut w, EAST, "after", "east", T0 + 6_000);
    assert_eq!(get(&mut w, WEST, "after", T0 + 6_999), json!({}), "a second's lag");
    assert_eq!(get(&mut w, WEST, "after", T0 + 7_000)["Item"]["by"], json!({"S": "east"}));
    put(&mut w, WEST, "back", "west", T0 + 8_000);
    assert_eq!(get(&mut w, EAST, "back", T0 + 9_000)["Item"]["by"], json!({"S": "west"}), "both ways");
}

#[test]
fn the_last_writer_wins_everywhere() {
    let mut w = world();
    put(&mut w, EAST, "c1", "east", T0 + 20_000);
    put(&mut w, WEST, "c1", "west", T0 + 20_300);
    // Each region first sees its own write.
    assert_eq!(get(&mut w, EAST, "c1", T0 + 20_500)["Item"]["by"], json!({"S": "east"}));
    for region in [EAST, WEST] {
        assert_eq!(get(&mut w, region, "c1", T0 + 22_000)["Item"]["by"], json!({"S": "west"}), "{region}");
    }
    let conflicts = &w.globals()["Carts"].conflicts;
    assert_eq!(conflicts.len(), 1);
    let c = &conflicts[0];
    assert_eq!((c.region.as_str(), c.lost.region.as_str(), c.kept.region.as_str()), (WEST, EAST, WEST));
    assert_eq!((c.lost.at_ms, c.kept.at_ms), (T0 + 20_000, T0 + 20_300));
}

#[test]
fn a_transaction_arrives_item_by_item_and_the_replica_streams_it() {
    let mut w = world();
    let tx = json!({"TransactItems": [
        {"Put": {"TableName": "Carts", "Item": {"id": {"S": "a"}}}},
        {"Put": {"TableName": "Carts", "Item": {"id": {"S": "b"}}}}]});
    ok(&mut w, EAST, "TransactWriteItems", tx, T0 + 20_000);
    let _ = w.advance(T0 + 21_000);
    let log = w.region(WEST).unwrap().change_log("Carts").unwrap();
    let replicated: Vec<_> = log.iter().filter(|c| c.operation() == "Replication").collect();
    assert_eq!(replicated.len(), 2, "two separate writes");
    assert!(replicated.iter().all(|c| c.transaction().is_none()));
    let east = w.region(EAST).unwrap().change_log("Carts").unwrap();
    assert_eq!(east.iter().filter(|c| c.operation() == "Replication").count(), 0, "never sent back");
}

#[test]
fn what_a_table_needs_before_it_can_have_a_replica() {
    let mut w = World::new(Config::default());
    let provisioned = json!({"TableName": "Prov", "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1},
        "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}]});
    ok(&mut w, EAST, "CreateTable", provisioned, T0);
    let add = |t: &str, r: &str| json!({"TableName": t, "ReplicaUpdates": [{"Create": {"RegionName": r}}]});
    let (status, e) = call(&mut w, EAST, "UpdateTable", add("Prov", WEST), T0 + 1);
    assert_eq!(
        (status, e["message"].as_str()),
        (400, Some("Table write capacity should either be Pay-Per-Request or AutoScaled."))
    );
    let keys_only = json!({"TableName": "Keys", "BillingMode": "PAY_PER_REQUEST",
        "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "KEYS_ONLY"},
        "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}]});
    ok(&mut w, EAST, "CreateTable", keys_only, T0 + 2);
    let (_, e) = call(&mut w, EAST, "UpdateTable", add("Keys", WEST), T0 + 3);
    assert_eq!(e["message"], "A global table's stream must be NEW_AND_OLD_IMAGES; this one is KEYS_ONLY.");
    let (_, e) = call(&mut w, EAST, "UpdateTable", add("Keys", EAST), T0 + 3);
    assert_eq!(e["message"], "us-east-1 is the region of this request: the table is already there.");
    let (_, e) = call(&mut w, EAST, "UpdateTable", add("Nope", WEST), T0 + 3);
    assert_eq!(e["message"], "Requested resource not found: Table: Nope not found");
    let (_, e) = call(&mut w, "Not A Region", "ListTables", json!({}), T0 + 3);
    assert_eq!(e["message"], "Not A Region is not a region name like us-west-2.");
}

#[test]
fn deleting_the_replica_leaves_a_regional_table() {
    let mut w = world();
    let remove = json!({"TableName": "Carts", "ReplicaUpdates": [{"Delete": {"RegionName": WEST}}]});
    let v = ok(&mut w, EAST, "UpdateTable", remove, T0 + 20_000);
    assert!(v["TableDescription"].get("Replicas").is_none(), "{v}");
    let (status, _) = call(&mut w, WEST, "DescribeTable", json!({"TableName": "Carts"}), T0 + 20_001);
    assert_eq!(status, 400);
    assert!(w.globals().is_empty());
}

mod fuzz {
    use proptest::prelude::*;

    use super::*;

    fn action() -> impl Strategy<Value = Value> {
        let region = prop_oneof![Just(json!(WEST)), Just(json!(EAST)), ".{0,12}".prop_map(Value::from), Just(json!(7))];
        let kind = prop::sample::select(vec!["Create", "Delete", "Update", "Other"]);
        (kind, region, any::<bool>()).prop_map(|(k, r, extra)| {
            let mut a = json!({"RegionName": r});
            if extra {
                a["KMSMasterKeyId"] = json!("k");
            }
            json!({ k: a })
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

        /// Any replica update, in any region, at any time, is answered; the world's regions
        /// then still answer reads and writes.
        #[test]
        fn any_replica_update_is_answered(
            actions in prop::collection::vec(action(), 0..3),
            table in prop::sample::select(vec!["Carts", "Nope", ""]),
            region in prop::sample::select(vec![EAST, WEST, "ap-south-1", "BAD"]),
            at in prop_oneof![Just(T0 + 10_001), any::<u64>()],
        ) {
            let mut w = world();
            let body = json!({"TableName": table, "ReplicaUpdates": actions});
            let r = w.request(Some(region), "UpdateTable", body.to_string().as_bytes(), at);
            prop_assert!(r.status == 200 || r.status == 400, "{}", r.body);
            let put = json!({"TableName": "Carts", "Item": {"id": {"S": "x"}}});
            let _ = w.request(Some(WEST), "PutItem", put.to_string().as_bytes(), at.saturating_add(1));
            let _ = w.advance(at.saturating_add(10_000));
        }
    }
}

#[test]
fn an_offline_region_catches_up_when_it_is_back() {
    let mut w = world();
    let off = json!({"RegionName": WEST, "Available": false});
    assert_eq!(
        ok(&mut w, EAST, "UpdateRegionAvailability", off, T0 + 20_000),
        json!({"RegionName": WEST, "Available": false})
    );
    let (status, e) =
        call(&mut w, WEST, "GetItem", json!({"TableName": "Carts", "Key": {"id": {"S": "x"}}}), T0 + 20_001);
    assert_eq!(status, 500);
    assert_eq!(
        e["message"],
        "Region eu-west-1 is offline (a simulated outage: UpdateRegionAvailability brings it back)."
    );
    put(&mut w, EAST, "during", "east", T0 + 20_002);
    let _ = w.advance(T0 + 30_000);
    let back = json!({"RegionName": WEST, "Available": true});
    ok(&mut w, EAST, "UpdateRegionAvailability", back, T0 + 30_001);
    assert_eq!(get(&mut w, WEST, "during", T0 + 30_002)["Item"]["by"], json!({"S": "east"}), "caught up at once");
    // A page's engine alone has no other regions, and says so.
    let mut alone = dynaplay_engine::Engine::new(Config::default());
    let r = alone.request("UpdateRegionAvailability", br#"{"RegionName": "eu-west-1", "Available": false}"#, T0);
    assert!(r.body.contains("Region outages need several regions"), "{}", r.body);
}

#[test]
fn with_jitter_a_transaction_can_be_seen_half_applied_elsewhere() {
    let mut w = world();
    w.jitter_ms = 1_000;
    let ids: Vec<String> = (0..8).map(|i| format!("item-{i}")).collect();
    let items: Vec<Value> =
        ids.iter().map(|id| json!({"Put": {"TableName": "Carts", "Item": {"id": {"S": id}}}})).collect();
    ok(&mut w, EAST, "TransactWriteItems", json!({ "TransactItems": items }), T0 + 20_000);
    let count = |w: &mut World, at: u64| {
        ok(w, WEST, "Scan", json!({"TableName": "Carts", "ConsistentRead": true}), at)["Count"].as_u64().unwrap()
    };
    let seen: Vec<u64> = (0..=22).map(|i| count(&mut w, T0 + 20_900 + i * 50)).collect();
    assert_eq!(seen.first(), Some(&0), "none before the lag");
    assert_eq!(seen.last(), Some(&8), "all after the lag and the jitter");
    assert!(seen.iter().any(|n| (1..8).contains(n)), "part of the transaction, for a while: {seen:?}");
    assert!(seen.windows(2).all(|p| p[0] <= p[1]), "never undone: {seen:?}");
}

#[test]
fn the_view_shows_each_region_the_writes_in_flight_and_the_dropped_ones() {
    use dynaplay_engine::global::view::global_of;
    let mut w = world();
    put(&mut w, EAST, "c1", "east", T0 + 20_000);
    put(&mut w, WEST, "c1", "west", T0 + 20_300);
    let _ = w.advance(T0 + 20_500);
    let v = global_of(&w, "Carts").unwrap();
    assert_eq!(
        v.regions.iter().map(|r| (r.region.as_str(), r.status.as_str())).collect::<Vec<_>>(),
        vec![(WEST, "ACTIVE"), (EAST, "ACTIVE")]
    );
    let flying: Vec<(&str, &str, u64)> =
        v.in_flight.iter().map(|f| (f.from.as_str(), f.to.as_str(), f.due_ms - T0)).collect();
    assert_eq!(flying, vec![(EAST, WEST, 21_000), (WEST, EAST, 21_300)]);
    assert_eq!(v.in_flight[0].key, r#"{"id":{"S":"c1"}}"#);
    let _ = w.advance(T0 + 22_000);
    let v = global_of(&w, "Carts").unwrap();
    assert!(v.in_flight.is_empty());
    assert_eq!(v.conflicts.len(), 1);
    assert!(v
        .regions
        .iter()
        .all(|r| r.items
            == vec![(r#"{"id":{"S":"c1"}}"#.to_string(), r#"{"by":{"S":"west"},"id":{"S":"c1"}}"#.to_string())]));
    assert!(global_of(&w, "Nope").is_none());
}

#[test]
fn a_world_written_down_and_read_back_replicates_on_as_before() {
    let mut w = world();
    put(&mut w, EAST, "a", "east", T0 + 20_000);
    put(&mut w, WEST, "b", "west", T0 + 20_100);
    w.lag_ms = 2_000;
    w.pair_lags.insert((WEST.into(), EAST.into()), 3_000);
    let doc = w.export().unwrap();
    let mut back = World::import(Config::default(), &doc).unwrap();
    assert_eq!(back.export().unwrap(), doc, "the document reads back to the same world");
    assert_eq!(back.region_names(), [EAST, WEST]);
    // Both writes are still in flight, on the lags that were set.
    let _ = back.advance(T0 + 22_000);
    assert_eq!(get(&mut back, WEST, "a", T0 + 22_001)["Item"]["by"], json!({"S": "east"}));
    assert_eq!(get(&mut back, EAST, "b", T0 + 22_002), json!({}), "us-east-1 waits 3 s for eu-west-1");
    let _ = back.advance(T0 + 23_100);
    assert_eq!(get(&mut back, EAST, "b", T0 + 23_101)["Item"]["by"], json!({"S": "west"}));
}

#[test]
fn a_damaged_world_record_is_refused() {
    let mut doc = world().export().unwrap();
    doc["global"]["tables"]["Carts"]["members"][WEST]["status"] = json!("SLEEPING");
    let e = World::import(Config::default(), &doc).unwrap_err();
    assert_eq!(e.0, "stored state is damaged: replica status");
    doc["regions"] = json!({"Not A Region": {}});
    assert_eq!(World::import(Config::default(), &doc).unwrap_err().0, "stored state is damaged: region name");
}

#[test]
fn a_tracking_world_names_what_changed_where() {
    let mut w = world();
    w.track_changes();
    put(&mut w, WEST, "x", "west", T0 + 20_000);
    let c = w.take_changes();
    assert!(!c.home.saves_anything(), "nothing happened in us-east-1 yet");
    assert_eq!(c.regions.into_iter().collect::<Vec<_>>(), [WEST]);
    get(&mut w, WEST, "x", T0 + 20_001);
    let c = w.take_changes();
    assert!(!c.home.saves_anything() && c.regions.is_empty(), "a read changes nothing");
    assert!(w.work_due(T0 + 21_000) && !w.work_due(T0 + 20_999), "the write is due in us-east-1 after the lag");
    let _ = w.advance(T0 + 21_000);
    let c = w.take_changes();
    assert_eq!(c.home.writes.len(), 1, "the replicated write, for the host to save with us-east-1");
    assert_eq!(c.home.writes[0].write_units, 1.0, "a replicated write unit, as AWS charges in each replica's region");
    assert!(c.regions.is_empty());
    assert!(!w.work_due(T0 + 30_000));
}

#[test]
fn the_look_ahead_shows_writes_landing_and_leaves_the_world_as_it_was() {
    let mut w = world();
    put(&mut w, EAST, "a", "east", T0 + 20_000);
    let now = dynaplay_engine::global::view::global_of(&w, "Carts").unwrap();
    assert_eq!(now.in_flight.len(), 1);
    let west_items = |g: &dynaplay_engine::global::view::GlobalInfo| {
        g.regions.iter().find(|r| r.region == WEST).map(|r| r.item_count)
    };
    assert_eq!(west_items(&now), Some(0));
    let ahead = dynaplay_engine::global::view::global_ahead(&mut w, "Carts", T0 + 21_000).unwrap();
    assert_eq!((ahead.in_flight.len(), west_items(&ahead), ahead.now_ms), (0, Some(1), T0 + 21_000));
    let after = dynaplay_engine::global::view::global_of(&w, "Carts").unwrap();
    assert_eq!(after, now, "looking ahead changed nothing");
}

#[test]
fn restored_regions_take_the_workspaces_settings() {
    let doc = world().export().unwrap();
    let config = Config { ttl_delay_ms: 1_234, ..Config::default() };
    let back = World::import(config, &doc).unwrap();
    let delays: Vec<u64> = back.regions().map(|e| e.config.ttl_delay_ms).collect();
    assert_eq!(delays, [1_234, 1_234]);
    assert_eq!(back.region(WEST).map(|e| e.config.region.as_str()), Some(WEST), "each keeps its own name");
}
