//! The persistence layer in a real browser (headless Chromium via wasm-bindgen-test):
//! write then reopen and read back, an atomic multi-item change set, a table deletion's
//! records removed, two handles (tabs) on one database (writes and settings), the schema upgrade path, and
//! upgrades across tabs (an older tab steps aside; a blocked upgrade is reported), and
//! triggers with the relational mirror (saved with the batches they ran; a version 5
//! database upgrades to hold them), and IAM (principals, policies, enforcement) kept.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;

use dynaplay_engine::global::World;
use dynaplay_engine::{Config, Engine};
use dynaplay_web::persist::{testing, Pace, Request, StorageError, Store, Workspace, DB_VERSION};
use futures::future::{select, Either};
use serde_json::{json, Value};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

async fn fresh(name: &str) -> Store {
    let _ = Store::destroy(name).await;
    Store::open(name).await.expect("open")
}

fn create(table: &str) -> String {
    json!({"TableName": table, "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}]})
    .to_string()
}

async fn run(store: &Store, engine: &RefCell<World>, op: &str, body: Value, now: u64) -> u16 {
    let r = store.execute(engine, None, op, body.to_string().as_bytes(), now).await.expect("saved");
    if r.status != 200 {
        web_sys::console::log_1(&format!("{op} → {}", r.body).into());
    }
    r.status
}

/// The page's first load reads in slices with pauses between, while the records still
/// come: it loads the same workspace as a load in one go, and says how far it got, never
/// back (building the tables reads no record), short of the whole until it is done.
#[wasm_bindgen_test]
async fn a_load_in_slices_is_the_load_in_one_go() {
    let name = "dynaplay-test-paced";
    let store = fresh(name).await;
    let world = RefCell::new(store.load(Config::default(), None).await.expect("load"));
    let mut body: Value = serde_json::from_str(&create("paced")).unwrap();
    body["StreamSpecification"] = json!({"StreamEnabled": true, "StreamViewType": "NEW_IMAGE"});
    assert_eq!(run(&store, &world, "CreateTable", body, 1_000).await, 200);
    for batch in 0..80 {
        let writes: Vec<Value> = (0..25)
            .map(|i| json!({"PutRequest": {"Item": {"pk": {"S": format!("k{batch}-{i}")}, "n": {"N": i.to_string()}}}}))
            .collect();
        assert_eq!(
            run(&store, &world, "BatchWriteItem", json!({"RequestItems": {"paced": writes}}), 2_000 + batch).await,
            200
        );
    }
    store.close();
    let again = Store::open(name).await.expect("reopen");
    let whole = again.load(Config::default(), None).await.expect("load").into_home();
    let seen = RefCell::new(Vec::new());
    let note = |p| seen.borrow_mut().push(p);
    // Every chunk its own slice: the most pauses a load can make; and the stores read
    // 7 records at a time (2,000 and 80 records: a last chunk short, and none empty).
    let pace = Pace { slice_ms: 0.0, chunk: 7, progress: &note };
    let sliced = again.load(Config::default(), Some(pace)).await.expect("load").into_home();
    assert_eq!(sliced.export().unwrap(), whole.export().unwrap());
    // 8 at a time: each store's last chunk full, and one more asked for that is empty.
    let pace = Pace { slice_ms: f64::INFINITY, chunk: 8, progress: &|_| {} };
    let exact = again.load(Config::default(), Some(pace)).await.expect("load").into_home();
    assert_eq!(exact.export().unwrap(), whole.export().unwrap());
    // A browser without `getAllRecords` reads each store in one request.
    let prototype = js_sys::eval("IDBObjectStore.prototype").expect("prototype");
    let own = js_sys::Reflect::get(&prototype, &"getAllRecords".into()).expect("getAllRecords");
    assert!(own.is_function(), "this Chromium has getAllRecords, so the chunks above were read in chunks");
    js_sys::Reflect::delete_property(&prototype.clone().into(), &"getAllRecords".into()).expect("delete");
    let without = again.load(Config::default(), Some(pace)).await;
    js_sys::Reflect::set(&prototype, &"getAllRecords".into(), &own).expect("restore");
    assert_eq!(without.expect("load").into_home().export().unwrap(), whole.export().unwrap());
    let seen = seen.into_inner();
    assert!(seen.iter().filter(|p| p.read < p.total).count() >= 3, "{seen:?}");
    // 2,000 item records and 80 change records (one per batch), read while they come:
    // the total counts those come so far, complete once both stores are read; every
    // record read is reported before the last step (the change logs made from them).
    assert!(seen.iter().all(|p| p.total <= 2_080 && p.read <= p.total), "{seen:?}");
    assert!(seen.iter().all(|p| !p.complete || p.total == 2_080), "{seen:?}");
    assert!(seen.iter().any(|p| !p.complete), "the load began before every record came: {seen:?}");
    assert!(seen.last().is_some_and(|p| p.complete && p.read == p.total), "{seen:?}");
    assert!(seen.windows(2).all(|w| w[0].read <= w[1].read && w[0].total <= w[1].total), "{seen:?}");
    assert!(seen.first().is_some_and(|p| p.read > 0), "{seen:?}");
}

#[wasm_bindgen_test]
async fn writes_survive_reopening() {
    let name = "dynaplay-test-reopen";
    let store = fresh(name).await;
    let engine = RefCell::new(store.load(Config::default(), None).await.expect("load"));
    assert_eq!(
        store.execute(&engine, None, "CreateTable", create("tbl1").as_bytes(), 1_000).await.unwrap().status,
        200
    );
    assert_eq!(
        run(
            &store,
            &engine,
            "PutItem",
            json!({"TableName": "tbl1", "Item": {"pk": {"S": "a"}, "n": {"N": "1"}}}),
            2_000
        )
        .await,
        200
    );
    store.close();

    let again = Store::open(name).await.expect("reopen");
    let mut loaded = again.load(Config::default(), None).await.expect("load").into_home();
    let r = loaded.request("GetItem", br#"{"TableName":"tbl1","Key":{"pk":{"S":"a"}}}"#, 3_000);
    assert_eq!(r.body, r#"{"Item":{"n":{"N":"1"},"pk":{"S":"a"}}}"#);
    assert_eq!(loaded.now_ms(), 3_000);
}

#[wasm_bindgen_test]
async fn a_transaction_is_one_atomic_change_set() {
    let name = "dynaplay-test-atomic";
    let store = fresh(name).await;
    let engine = RefCell::new(store.load(Config::default(), None).await.unwrap());
    run(&store, &engine, "CreateTable", serde_json::from_str(&create("tbl2")).unwrap(), 1).await;
    let tx = json!({"TransactItems": [
        {"Put": {"TableName": "tbl2", "Item": {"pk": {"S": "a"}}}},
        {"Put": {"TableName": "tbl2", "Item": {"pk": {"S": "b"}}}},
        {"Put": {"TableName": "tbl2", "Item": {"pk": {"S": "c"}}}}
    ]});
    let r = store.execute(&engine, None, "TransactWriteItems", tx.to_string().as_bytes(), 2).await.unwrap();
    assert_eq!(r.status, 200);
    assert_eq!(r.trace.writes.len(), 3, "one change set with three writes");
    store.close();
    let reopened = Store::open(name).await.unwrap();
    let mut e = reopened.load(Config::default(), None).await.unwrap().into_home();
    let scan = e.request("Scan", br#"{"TableName":"tbl2","Select":"COUNT"}"#, 3);
    assert_eq!(scan.body, r#"{"Count":3,"ScannedCount":3}"#);
}

#[wasm_bindgen_test]
async fn deleting_a_table_removes_its_records() {
    let name = "dynaplay-test-delete";
    let store = fresh(name).await;
    let engine = RefCell::new(store.load(Config::default(), None).await.unwrap());
    for t in ["keep", "drop"] {
        run(&store, &engine, "CreateTable", serde_json::from_str(&create(t)).unwrap(), 1).await;
        run(&store, &engine, "PutItem", json!({"TableName": t, "Item": {"pk": {"S": "x"}}}), 2).await;
    }
    run(&store, &engine, "DeleteTable", json!({"TableName": "drop"}), 3).await;
    store.close();
    let reopened = Store::open(name).await.unwrap();
    let e = reopened.load(Config::default(), None).await.unwrap().into_home();
    let names: Vec<String> = e.tables().map(|t| t.def.name.clone()).collect();
    assert_eq!(names, ["keep"]);
    assert!(e.table_items("drop").is_empty());
    assert_eq!(e.table_items("keep").len(), 1);
}

#[wasm_bindgen_test]
async fn two_tabs_never_lose_each_others_writes() {
    let name = "dynaplay-test-tabs";
    let a = fresh(name).await;
    let b = Store::open(name).await.unwrap();
    let ea = RefCell::new(a.load(Config::default(), None).await.unwrap());
    let eb = RefCell::new(b.load(Config::default(), None).await.unwrap());
    run(&a, &ea, "CreateTable", serde_json::from_str(&create("shared")).unwrap(), 1).await;
    // Tab B has not seen the table yet; its write must reload first, not clobber.
    for i in 0..10u64 {
        let (store, engine) = if i % 2 == 0 { (&a, &ea) } else { (&b, &eb) };
        let body = json!({"TableName": "shared", "Key": {"pk": {"S": "counter"}}, "UpdateExpression": "ADD n :one", "ExpressionAttributeValues": {":one": {"N": "1"}}});
        assert_eq!(run(store, engine, "UpdateItem", body, 10 + i).await, 200);
    }
    a.close();
    b.close();
    let c = Store::open(name).await.unwrap();
    let mut e = c.load(Config::default(), None).await.unwrap().into_home();
    let r = e.request("GetItem", br#"{"TableName":"shared","Key":{"pk":{"S":"counter"}}}"#, 100);
    assert_eq!(r.body, r#"{"Item":{"n":{"N":"10"},"pk":{"S":"counter"}}}"#);
}

fn put_body(table: &str, key: &str) -> String {
    json!({"TableName": table, "Item": {"pk": {"S": key}}}).to_string()
}

#[wasm_bindgen_test]
async fn a_group_of_requests_is_answered_in_order_and_saved_in_one_commit() {
    let name = "dynaplay-test-group";
    let store = fresh(name).await;
    let world = RefCell::new(store.load(Config::default(), None).await.unwrap());
    run(&store, &world, "CreateTable", serde_json::from_str(&create("grp")).unwrap(), 1).await;
    let before = testing::stored_seq(name).await;
    let bodies = [
        put_body("grp", "a"),
        put_body("missing", "b"),
        put_body("grp", "c"),
        json!({"TableName": "grp", "Key": {"pk": {"S": "a"}}}).to_string(),
    ];
    let ops = ["PutItem", "PutItem", "PutItem", "GetItem"];
    let requests: Vec<Request<'_>> = ops
        .iter()
        .zip(&bodies)
        .map(|(op, body)| Request { access: Default::default(), region: None, op, body: body.as_bytes(), now_ms: 5 })
        .collect();
    let responses = store.execute_all(&world, &requests).await.unwrap();
    let statuses: Vec<u16> = responses.iter().map(|r| r.status).collect();
    assert_eq!(statuses, [200, 400, 200, 200]);
    // A later request in the group reads an earlier one's write.
    assert_eq!(responses[3].body, r#"{"Item":{"pk":{"S":"a"}}}"#);
    assert_eq!(testing::stored_seq(name).await, before + 1, "one commit for the group");
    store.close();
    let again = Store::open(name).await.unwrap();
    let mut e = again.load(Config::default(), None).await.unwrap().into_home();
    let r = e.request("Scan", br#"{"TableName":"grp","Select":"COUNT"}"#, 10);
    assert!(r.body.contains(r#""Count":2"#), "{}", r.body);
    // The group's two changes were one stored record; they read back as two.
    let seqs: Vec<u64> = e.change_log("grp").unwrap().iter().map(|c| c.seq).collect();
    assert_eq!(seqs, [1, 2]);
}

/// A group long enough that its items go into the transaction in several parts while it
/// runs (a tab alone): what is stored is each item's last word, in one commit, and the
/// items stored before a later request deleted or rewrote them are not what is kept.
#[wasm_bindgen_test]
async fn a_long_group_stores_each_items_last_word_in_one_commit() {
    let name = "dynaplay-test-group-long";
    let store = fresh(name).await;
    let world = RefCell::new(store.load(Config::default(), None).await.unwrap());
    run(&store, &world, "CreateTable", serde_json::from_str(&create("long")).unwrap(), 1).await;
    let before = testing::stored_seq(name).await;
    // Reading the sequence number opened a second tab; this one is alone again once it
    // has heard that tab leave.
    for _ in 0..40 {
        if store.alone() {
            break;
        }
        sleep(50).await;
    }
    assert!(store.alone(), "the tab is alone again");
    // Its first request then checks what is stored (and commits); the group after it is
    // a lone tab's.
    run(&store, &world, "PutItem", serde_json::from_str(&put_body("long", "first")).unwrap(), 2).await;
    let key = |i: usize| json!({"pk": {"S": format!("k{i}")}});
    let mut calls: Vec<(&str, String)> = (0..100).map(|i| ("PutItem", put_body("long", &format!("k{i}")))).collect();
    calls.extend((0..20).map(|i| ("DeleteItem", json!({"TableName": "long", "Key": key(i)}).to_string())));
    calls.extend((10..15).map(|i| {
        ("PutItem", json!({"TableName": "long", "Item": {"pk": {"S": format!("k{i}")}, "v": {"N": "2"}}}).to_string())
    }));
    let update = json!({"TableName": "long", "Key": key(50), "UpdateExpression": "SET v = :v",
        "ExpressionAttributeValues": {":v": {"N": "3"}}});
    calls.push(("UpdateItem", update.to_string()));
    let requests: Vec<Request<'_>> = calls
        .iter()
        .map(|(op, body)| Request { access: Default::default(), region: None, op, body: body.as_bytes(), now_ms: 5 })
        .collect();
    let responses = store.execute_all(&world, &requests).await.unwrap();
    assert!(responses.iter().all(|r| r.status == 200), "every request succeeds");
    let after = testing::stored_seq(name).await;
    assert_eq!(after, before + 2, "one commit for the first request, one for the group");
    store.close();
    let again = Store::open(name).await.unwrap();
    let mut e = again.load(Config::default(), None).await.unwrap().into_home();
    let r = e.request("Scan", br#"{"TableName":"long","Select":"COUNT"}"#, 10);
    assert!(r.body.contains(r#""Count":86"#), "{}", r.body);
    let get = |e: &mut dynaplay_engine::Engine, i: usize| {
        let body = json!({"TableName": "long", "Key": key(i)}).to_string();
        e.request("GetItem", body.as_bytes(), 10).body
    };
    assert_eq!(get(&mut e, 5), "{}", "deleted after it was stored");
    assert_eq!(get(&mut e, 12), r#"{"Item":{"pk":{"S":"k12"},"v":{"N":"2"}}}"#);
    assert_eq!(get(&mut e, 50), r#"{"Item":{"pk":{"S":"k50"},"v":{"N":"3"}}}"#);
    assert_eq!(get(&mut e, 99), r#"{"Item":{"pk":{"S":"k99"}}}"#);
    assert_eq!(e.change_log("long").unwrap().len(), 127, "every change kept");
}

#[wasm_bindgen_test]
async fn a_group_run_on_stale_memory_runs_again_on_what_is_stored() {
    let name = "dynaplay-test-group-stale";
    let a = fresh(name).await;
    let b = Store::open(name).await.unwrap();
    let wa = RefCell::new(a.load(Config::default(), None).await.unwrap());
    let wb = RefCell::new(b.load(Config::default(), None).await.unwrap());
    run(&a, &wa, "CreateTable", serde_json::from_str(&create("tbl")).unwrap(), 1).await;
    run(&a, &wa, "PutItem", serde_json::from_str(&put_body("tbl", "from-a")).unwrap(), 2).await;
    // Tab B has seen neither: its first try fails against its own memory (no table), and
    // must not be what it answers or what is stored.
    let bodies = [put_body("tbl", "from-b"), json!({"TableName": "tbl", "Select": "COUNT"}).to_string()];
    let requests = [
        Request { access: Default::default(), region: None, op: "PutItem", body: bodies[0].as_bytes(), now_ms: 3 },
        Request { access: Default::default(), region: None, op: "Scan", body: bodies[1].as_bytes(), now_ms: 3 },
    ];
    let responses = b.execute_all(&wb, &requests).await.unwrap();
    assert_eq!(responses[0].status, 200, "{}", responses[0].body);
    assert!(responses[1].body.contains(r#""Count":2"#), "{}", responses[1].body);
    a.close();
    b.close();
    let c = Store::open(name).await.unwrap();
    let mut e = c.load(Config::default(), None).await.unwrap().into_home();
    let r = e.request("Scan", br#"{"TableName":"tbl","Select":"COUNT"}"#, 10);
    assert!(r.body.contains(r#""Count":2"#), "{}", r.body);
}

#[wasm_bindgen_test]
async fn upgrade_from_an_empty_database_and_refuse_newer_formats() {
    let name = "dynaplay-test-upgrade";
    let _ = Store::destroy(name).await;
    // Version 0 → 1: a first open creates the stores; loading an empty workspace works.
    let store = Store::open(name).await.expect("upgrade path from nothing");
    let engine = RefCell::new(store.load(Config::default(), None).await.unwrap());
    assert_eq!(engine.borrow().home_engine().tables().count(), 0);
    // A record written by a newer format is refused, never overwritten.
    run(&store, &engine, "CreateTable", serde_json::from_str(&create("tbl")).unwrap(), 1).await;
    store.close();
    dynaplay_web::persist::testing::set_format(name, 99).await;
    let again = Store::open(name).await.unwrap();
    assert_eq!(again.load(Config::default(), None).await.err(), Some(StorageError::Newer(99)));
}

/// Resolves after `ms` milliseconds.
async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = web_sys::window().unwrap().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = JsFuture::from(promise).await;
}

/// What a store reported, in order.
type Seen = Rc<RefCell<Vec<StorageError>>>;

/// Storage events reported to a store, as they arrive.
fn recorder() -> (Seen, Rc<dyn Fn(StorageError)>) {
    let seen = Rc::new(RefCell::new(Vec::new()));
    let sink = seen.clone();
    (seen, Rc::new(move |e| sink.borrow_mut().push(e)))
}

#[wasm_bindgen_test]
async fn a_newer_tab_is_never_blocked_by_this_one_which_then_stops_saving() {
    let name = "dynaplay-test-supersede";
    let _ = Store::destroy(name).await;
    let (seen, on_event) = recorder();
    let old = Store::open_with(name, DB_VERSION, on_event).await.unwrap();
    let engine = RefCell::new(old.load(Config::default(), None).await.unwrap());
    run(&old, &engine, "CreateTable", serde_json::from_str(&create("tbl")).unwrap(), 1).await;

    // A later release opens the database at the next version in another tab.
    let newer = Store::open_with(name, DB_VERSION + 1, Rc::new(|_| {}));
    let newer = match select(Box::pin(newer), Box::pin(sleep(5000))).await {
        Either::Left((store, _)) => store.expect("the newer tab opens"),
        Either::Right(_) => panic!("the newer tab was blocked by the older one"),
    };
    assert_eq!(*seen.borrow(), [StorageError::Superseded]);
    // The older tab saves nothing more, and says so; the newer one has the data.
    let put = json!({"TableName": "tbl", "Item": {"pk": {"S": "late"}}}).to_string();
    assert_eq!(old.execute(&engine, None, "PutItem", put.as_bytes(), 2).await.err(), Some(StorageError::Superseded));
    let e = newer.load(Config::default(), None).await.unwrap().into_home();
    assert_eq!(e.tables().count(), 1);
    assert!(e.table_items("tbl").is_empty());
    newer.close();
}

#[wasm_bindgen_test]
async fn an_upgrade_blocked_by_an_old_connection_is_reported_then_goes_on() {
    let name = "dynaplay-test-blocked";
    fresh(name).await.close();
    // An old release that never steps aside: a bare connection with no versionchange handler.
    let bare = indexed_db_futures::database::Database::open(name).with_version(DB_VERSION).await.unwrap();
    let (seen, on_event) = recorder();
    let mut opening = Box::pin(Store::open_with(name, DB_VERSION + 1, on_event));
    for _ in 0..50 {
        if !seen.borrow().is_empty() {
            break;
        }
        match select(opening.as_mut(), Box::pin(sleep(100))).await {
            Either::Left(_) => panic!("opened while an older connection was open"),
            Either::Right(_) => {}
        }
    }
    assert_eq!(*seen.borrow(), [StorageError::Blocked]);
    assert_eq!(
        StorageError::Blocked.to_string(),
        "Another Dynaplay tab is open with an older version. Close it so this tab can upgrade its storage."
    );
    // When the old tab goes, the upgrade completes.
    bare.close();
    let store = opening.await.expect("opens once the old connection is closed");
    assert_eq!(store.load(Config::default(), None).await.unwrap().into_home().tables().count(), 0);
    store.close();
}

/// A workspace saved by the release before streams (IndexedDB version 1, no `changes`
/// store) opens in this one without loss, and then keeps a stream's records across a reload.
#[wasm_bindgen_test]
async fn a_version_1_database_upgrades_without_loss() {
    let name = "dynaplay-test-upgrade-v1";
    let doc: Value = serde_json::from_str(include_str!("../../engine/tests/fixtures/workspace-v1.json")).unwrap();
    let old = Engine::import(Config::default(), &doc).unwrap();
    let tables: Vec<(String, String)> = doc["tables"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            let mut t = t.clone();
            t.as_object_mut().unwrap().remove("items");
            (t["name"].as_str().unwrap().to_string(), t.to_string())
        })
        .collect();
    let items: Vec<(String, String)> =
        tables.iter().flat_map(|(n, _)| old.table_items(n)).map(|(k, r)| (k, r.to_string())).collect();
    dynaplay_web::persist::testing::write_version_1(name, doc["clockMs"].as_u64().unwrap(), &tables, &items).await;

    let store = Store::open(name).await.expect("upgraded to the current version");
    let engine = RefCell::new(store.load(Config::default(), None).await.expect("load"));
    assert_eq!(engine.borrow().home_engine().export().unwrap(), doc, "every table and item as release 1 saved them");
    // The new store works: a stream's records survive a reload.
    let stream =
        json!({"TableName": "prov", "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_IMAGE"}});
    assert_eq!(run(&store, &engine, "UpdateTable", stream, 10_000).await, 200);
    assert_eq!(
        run(&store, &engine, "PutItem", json!({"TableName": "prov", "Item": {"pk": {"S": "new"}}}), 10_001).await,
        200
    );
    store.close();
    let again = Store::open(name).await.unwrap();
    let reloaded = again.load(Config::default(), None).await.unwrap().into_home();
    let log = reloaded.change_log("prov").expect("the change log was saved");
    assert_eq!(log.len(), 1);
    assert_eq!(reloaded.streams().current("prov").map(|s| s.view.as_str()), Some("NEW_IMAGE"));
}

/// A backup is saved like any change: it survives reopening, restores there, and its
/// deletion is saved too.
#[wasm_bindgen_test]
async fn backups_survive_reopening() {
    let name = "dynaplay-test-backups";
    let store = fresh(name).await;
    let engine = RefCell::new(store.load(Config::default(), None).await.unwrap());
    assert_eq!(run(&store, &engine, "CreateTable", serde_json::from_str(&create("src")).unwrap(), 1).await, 200);
    assert_eq!(run(&store, &engine, "PutItem", json!({"TableName": "src", "Item": {"pk": {"S": "a"}}}), 2).await, 200);
    let r = store
        .execute(&engine, None, "CreateBackup", br#"{"TableName":"src","BackupName":"nightly"}"#, 3)
        .await
        .unwrap();
    let arn =
        serde_json::from_str::<Value>(&r.body).unwrap()["BackupDetails"]["BackupArn"].as_str().unwrap().to_string();
    store.close();

    let again = Store::open(name).await.unwrap();
    let engine = RefCell::new(again.load(Config::default(), None).await.unwrap());
    assert_eq!(engine.borrow().home_engine().backups().len(), 1);
    let restore = json!({"TargetTableName": "copy", "BackupArn": arn});
    assert_eq!(run(&again, &engine, "RestoreTableFromBackup", restore, 4).await, 200);
    assert_eq!(run(&again, &engine, "DeleteBackup", json!({"BackupArn": arn}), 5).await, 200);
    again.close();

    let third = Store::open(name).await.unwrap();
    let mut e = third.load(Config::default(), None).await.unwrap().into_home();
    assert!(e.backups().is_empty(), "the deletion was saved");
    let r = e.request("GetItem", br#"{"TableName":"copy","Key":{"pk":{"S":"a"}}}"#, 6);
    assert_eq!(r.body, r#"{"Item":{"pk":{"S":"a"}}}"#);
}

/// Point-in-time recovery's base and the log it reads are saved: after reopening, a
/// restore to a moment before the last write gives the table as it was then.
#[wasm_bindgen_test]
async fn point_in_time_recovery_survives_reopening() {
    let name = "dynaplay-test-pitr";
    let store = fresh(name).await;
    let config = Config { pitr_lag_ms: 0, ..Config::default() };
    let engine = RefCell::new(store.load(config.clone(), None).await.unwrap());
    assert_eq!(run(&store, &engine, "CreateTable", serde_json::from_str(&create("hist")).unwrap(), 1_000).await, 200);
    assert_eq!(
        run(&store, &engine, "PutItem", json!({"TableName": "hist", "Item": {"pk": {"S": "old"}}}), 2_000).await,
        200
    );
    let on = json!({"TableName": "hist", "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": true}});
    assert_eq!(run(&store, &engine, "UpdateContinuousBackups", on, 3_000).await, 200);
    assert_eq!(
        run(&store, &engine, "PutItem", json!({"TableName": "hist", "Item": {"pk": {"S": "mid"}}}), 4_000).await,
        200
    );
    assert_eq!(
        run(&store, &engine, "PutItem", json!({"TableName": "hist", "Item": {"pk": {"S": "new"}}}), 6_000).await,
        200
    );
    store.close();

    let again = Store::open(name).await.unwrap();
    let engine = RefCell::new(again.load(config, None).await.unwrap());
    assert!(engine.borrow().home_engine().pitr("hist").is_some(), "the base was saved");
    let restore = json!({"SourceTableName": "hist", "TargetTableName": "then", "RestoreDateTime": 5.0});
    assert_eq!(run(&again, &engine, "RestoreTableToPointInTime", restore, 7_000).await, 200);
    let r = engine.borrow_mut().home_engine_mut().request("Scan", br#"{"TableName":"then","Select":"COUNT"}"#, 8_000);
    assert_eq!(r.body, r#"{"Count":2,"ScannedCount":2}"#, "old and mid, not new");
}

#[wasm_bindgen_test]
async fn two_tabs_settings_and_writes_are_all_kept() {
    let name = "dynaplay-test-settings";
    let a = fresh(name).await;
    let b = Store::open(name).await.unwrap();
    let ea = RefCell::new(a.load(Config::default(), None).await.unwrap());
    let eb = RefCell::new(b.load(Config::default(), None).await.unwrap());
    // Tab A sets the TTL delay and creates a table; tab B, which has seen neither, sets
    // the PITR lag. B's save keeps A's delay, and B reloads before its next operation.
    let config = ea.borrow().home_engine().config.clone();
    let saved = a.save_settings(1, config, |c| c.ttl_delay_ms = 2_000).await.unwrap();
    ea.borrow_mut().configure(|c| *c = saved.clone());
    run(&a, &ea, "CreateTable", serde_json::from_str(&create("fromA")).unwrap(), 2).await;
    let stale = eb.borrow().home_engine().config.clone();
    let saved = b.save_settings(3, stale, |c| c.pitr_lag_ms = 0).await.unwrap();
    assert_eq!((saved.ttl_delay_ms, saved.pitr_lag_ms), (2_000, 0));
    eb.borrow_mut().configure(|c| *c = saved.clone());
    let body = json!({"TableName": "fromA", "Item": {"pk": {"S": "b"}}});
    assert_eq!(run(&b, &eb, "PutItem", body, 4).await, 200, "tab B sees tab A's table");
    a.close();
    b.close();
    let c = Store::open(name).await.unwrap();
    let e = c.load(Config::default(), None).await.unwrap().into_home();
    assert_eq!((e.config.ttl_delay_ms, e.config.pitr_lag_ms), (2_000, 0));
    assert_eq!(e.table_items("fromA").len(), 1);
}

/// Buckets, uploaded objects, an export (its files and its completion by the clock) and an
/// import are saved: after reopening they are all there, and a deleted object stays gone.
#[wasm_bindgen_test]
async fn buckets_objects_exports_and_imports_survive_reopening() {
    let name = "dynaplay-test-s3";
    let store = fresh(name).await;
    let engine = RefCell::new(store.load(Config::default(), None).await.unwrap());
    assert_eq!(run(&store, &engine, "CreateTable", serde_json::from_str(&create("src")).unwrap(), 1).await, 200);
    let pitr = json!({"TableName": "src", "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": true}});
    assert_eq!(run(&store, &engine, "UpdateContinuousBackups", pitr, 2).await, 200);
    assert_eq!(run(&store, &engine, "PutItem", json!({"TableName": "src", "Item": {"pk": {"S": "a"}}}), 3).await, 200);
    let s3 = dynaplay_engine::s3::Ownership::default();
    store.host_change(&engine, |e| e.create_bucket("exports", None, s3).unwrap()).await.unwrap();
    store.host_change(&engine, |e| e.put_object("exports", "in/a.csv", b"pk\nb\n".to_vec()).unwrap()).await.unwrap();
    store.host_change(&engine, |e| e.put_object("exports", "gone.txt", b"x".to_vec()).unwrap()).await.unwrap();
    store.host_change(&engine, |e| e.delete_object("exports", "gone.txt")).await.unwrap();
    let arn = engine.borrow().home_engine().arn("src");
    let export = json!({"TableArn": arn, "S3Bucket": "exports"});
    assert_eq!(run(&store, &engine, "ExportTableToPointInTime", export, 4).await, 200);
    store.tick(&engine, 5).await.unwrap();
    let import = json!({"S3BucketSource": {"S3Bucket": "exports", "S3KeyPrefix": "in/"}, "InputFormat": "CSV",
        "TableCreationParameters": {"TableName": "copy", "BillingMode": "PAY_PER_REQUEST",
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}], "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}]}});
    assert_eq!(run(&store, &engine, "ImportTable", import, 6).await, 200);
    let before = engine.borrow().home_engine().clone();
    store.close();

    let again = Store::open(name).await.unwrap();
    let mut e = again.load(Config::default(), None).await.unwrap().into_home();
    assert_eq!(e.s3(), before.s3());
    assert!(!e.s3().buckets["exports"].objects.contains_key("gone.txt"));
    assert_eq!(e.exports()[0].status(), "COMPLETED", "the manifests written by the clock were saved");
    assert_eq!((e.exports(), e.imports()), (before.exports(), before.imports()));
    let r = e.request("GetItem", br#"{"TableName":"copy","Key":{"pk":{"S":"b"}}}"#, 7);
    assert_eq!(r.body, r#"{"Item":{"pk":{"S":"b"}}}"#);
}

/// A deleted table's stream stays readable after a reload (AWS keeps it 24 hours); its
/// items are gone, and a day later so is the record of its stream.
#[wasm_bindgen_test]
async fn a_deleted_tables_stream_survives_reopening() {
    let name = "dynaplay-test-deleted-stream";
    let store = fresh(name).await;
    let engine = RefCell::new(store.load(Config::default(), None).await.unwrap());
    let mut body: Value = serde_json::from_str(&create("gone")).unwrap();
    body["StreamSpecification"] = json!({"StreamEnabled": true, "StreamViewType": "NEW_IMAGE"});
    assert_eq!(run(&store, &engine, "CreateTable", body, 1).await, 200);
    assert_eq!(run(&store, &engine, "PutItem", json!({"TableName": "gone", "Item": {"pk": {"S": "a"}}}), 2).await, 200);
    assert_eq!(run(&store, &engine, "DeleteTable", json!({"TableName": "gone"}), 3).await, 200);
    store.tick(&engine, 4).await.unwrap();
    store.close();

    let again = Store::open(name).await.unwrap();
    let engine = RefCell::new(again.load(Config::default(), None).await.unwrap());
    assert!(engine.borrow().home_engine().table("gone").is_none());
    assert!(engine.borrow().home_engine().table_items("gone").is_empty());
    let r = engine.borrow_mut().home_engine_mut().request("ListStreams", b"{}", 5);
    let arn = serde_json::from_str::<Value>(&r.body).unwrap()["Streams"][0]["StreamArn"].as_str().unwrap().to_string();
    let d = engine.borrow_mut().home_engine_mut().request(
        "DescribeStream",
        json!({"StreamArn": arn}).to_string().as_bytes(),
        5,
    );
    let shard = serde_json::from_str::<Value>(&d.body).unwrap()["StreamDescription"]["Shards"][0]["ShardId"].clone();
    let it = json!({"StreamArn": arn, "ShardId": shard, "ShardIteratorType": "TRIM_HORIZON"});
    let it = engine.borrow_mut().home_engine_mut().request("GetShardIterator", it.to_string().as_bytes(), 5);
    let it = serde_json::from_str::<Value>(&it.body).unwrap()["ShardIterator"].clone();
    let records = engine.borrow_mut().home_engine_mut().request(
        "GetRecords",
        json!({"ShardIterator": it}).to_string().as_bytes(),
        5,
    );
    assert_eq!(serde_json::from_str::<Value>(&records.body).unwrap()["Records"].as_array().map(Vec::len), Some(1));
    again.tick(&engine, 3 + 24 * 60 * 60 * 1000 + 1).await.unwrap();
    again.close();

    let third = Store::open(name).await.unwrap();
    let e = third.load(Config::default(), None).await.unwrap().into_home();
    assert!(e.streams().list.is_empty(), "a day later the stream is gone from storage too");
}

/// A database the release before triggers wrote (IndexedDB version 5) upgrades without
/// loss; then a trigger and the SQL rows it writes survive reopening, and the trigger goes
/// on where it was.
#[wasm_bindgen_test]
async fn a_version_5_database_upgrades_and_keeps_triggers_and_the_mirror() {
    dynaplay_engine::trigger::mirror::register(dynaplay_mirror::factory);
    let name = "dynaplay-test-upgrade-v5";
    let mut old = Engine::new(Config::default());
    let mut body: Value = serde_json::from_str(&create("orders")).unwrap();
    body["StreamSpecification"] = json!({"StreamEnabled": true, "StreamViewType": "NEW_IMAGE"});
    assert_eq!(old.request("CreateTable", body.to_string().as_bytes(), 1_000).status, 200);
    let put = |pk: &str| json!({"TableName": "orders", "Item": {"pk": {"S": pk}}}).to_string();
    assert_eq!(old.request("PutItem", put("a").as_bytes(), 100_000).status, 200);
    assert_eq!(
        old.request("CreateBackup", br#"{"TableName": "orders", "BackupName": "before-triggers"}"#, 100_001).status,
        200
    );
    dynaplay_web::persist::testing::write_version_5(name, &old).await;

    let store = Store::open(name).await.expect("upgraded to the current version");
    let engine = RefCell::new(store.load(Config::default(), None).await.expect("load"));
    assert_eq!(engine.borrow().home_engine().export().unwrap(), old.export().unwrap(), "everything version 5 saved");
    let sql = |text: &str| json!({"Sql": text});
    assert_eq!(run(&store, &engine, "ExecuteSql", sql("CREATE TABLE o (pk TEXT PRIMARY KEY)"), 200_010).await, 200);
    let trigger = json!({"TriggerName": "copy", "TableName": "orders", "StartingPosition": "TRIM_HORIZON",
        "Handler": {"INSERT": "INSERT INTO o VALUES (:keys.pk)"}});
    assert_eq!(run(&store, &engine, "CreateTrigger", trigger, 200_011).await, 200);
    store.tick(&engine, 200_012).await.unwrap();
    store.close();

    let again = Store::open(name).await.unwrap();
    let engine = RefCell::new(again.load(Config::default(), None).await.unwrap());
    assert!(engine.borrow().home_engine().mirror_live(), "the registered SQL engine is plugged in on load");
    assert_eq!(
        run(&again, &engine, "PutItem", json!({"TableName": "orders", "Item": {"pk": {"S": "b"}}}), 200_013).await,
        200
    );
    again.tick(&engine, 200_014).await.unwrap();
    let r = engine.borrow_mut().home_engine_mut().request(
        "ExecuteSql",
        sql("SELECT pk FROM o ORDER BY pk").to_string().as_bytes(),
        200_015,
    );
    let rows = serde_json::from_str::<Value>(&r.body).unwrap()["Results"][0]["Rows"].clone();
    assert_eq!(rows, json!([["a"], ["b"]]), "the row written before reopening, and the one after");
    let listed = engine.borrow_mut().home_engine_mut().request("ListTriggers", b"{}", 200_015);
    let listed: Value = serde_json::from_str(&listed.body).unwrap();
    assert_eq!(listed["Triggers"][0]["Invocations"], 2, "the poller went on where it was");
    again.close();
}

/// A global table's other region, its items and the replication between them survive
/// reopening: a write made after the reload in the other region still reaches home.
#[wasm_bindgen_test]
async fn a_global_tables_regions_survive_reopening() {
    let name = "dynaplay-test-regions";
    let store = fresh(name).await;
    let world = RefCell::new(store.load(Config::default(), None).await.unwrap());
    assert_eq!(run(&store, &world, "CreateTable", serde_json::from_str(&create("glo")).unwrap(), 1).await, 200);
    let replica = json!({"TableName": "glo", "ReplicaUpdates": [{"Create": {"RegionName": "us-west-2"}}]});
    assert_eq!(run(&store, &world, "UpdateTable", replica, 2).await, 200);
    store.tick(&world, 6_000).await.unwrap();
    assert_eq!(
        run(&store, &world, "PutItem", json!({"TableName": "glo", "Item": {"pk": {"S": "home"}}}), 7_000).await,
        200
    );
    store.tick(&world, 8_500).await.unwrap();
    store.close();

    let again = Store::open(name).await.unwrap();
    let world = RefCell::new(again.load(Config::default(), None).await.unwrap());
    assert_eq!(world.borrow().region_names(), ["us-east-1", "us-west-2"]);
    let west = world.borrow().region("us-west-2").map(|e| e.table_items("glo").len());
    assert_eq!(west, Some(1), "the replicated item was saved in us-west-2");
    let put = json!({"TableName": "glo", "Item": {"pk": {"S": "west"}}}).to_string();
    let r = again.execute(&world, Some("us-west-2"), "PutItem", put.as_bytes(), 9_000).await.unwrap();
    assert_eq!(r.status, 200);
    again.tick(&world, 10_500).await.unwrap();
    again.close();

    let third = Store::open(name).await.unwrap();
    let home = third.load(Config::default(), None).await.unwrap().into_home();
    assert_eq!(home.table_items("glo").len(), 2, "us-west-2's write reached home, and home saved it");
}

#[wasm_bindgen_test]
async fn iam_principals_and_enforcement_survive_reopening() {
    let name = "dynaplay-test-iam";
    let store = fresh(name).await;
    let world = RefCell::new(store.load(Config::default(), None).await.expect("load"));
    let learner = "arn:aws:iam::000000000000:user/learner";
    let policy = json!({"Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "dynamodb:ListTables", "Resource": "*"}]});
    let body = json!({"Arn": learner, "Policies": [{"PolicyName": "list", "PolicyDocument": policy.to_string()}]});
    assert_eq!(run(&store, &world, "PutPrincipal", body, 1_000).await, 200);
    assert_eq!(
        run(&store, &world, "UpdateAccessControl", json!({"Enforce": true, "ActingAs": learner}), 2_000).await,
        200
    );
    store.close();

    let again = Store::open(name).await.expect("reopen");
    let mut loaded = again.load(Config::default(), None).await.expect("load").into_home();
    assert!(loaded.iam().enforce);
    assert_eq!(loaded.iam().acting_as, learner);
    assert_eq!(loaded.request("ListTables", b"{}", 3_000).status, 200);
    let denied = loaded.request("CreateTable", create("t").as_bytes(), 4_000);
    assert!(denied.body.contains("AccessDeniedException"), "{}", denied.body);
}

/// A workspace written whole (an import, a sandbox kept) is read back as it was: its
/// items, a global table's other region, IAM's principals and the world's own record.
#[wasm_bindgen_test]
async fn a_workspace_replaced_whole_survives_reopening() {
    let source = fresh("dynaplay-test-replace-source").await;
    let world = RefCell::new(source.load(Config::default(), None).await.unwrap());
    assert_eq!(run(&source, &world, "CreateTable", serde_json::from_str(&create("glo")).unwrap(), 1).await, 200);
    let replica = json!({"TableName": "glo", "ReplicaUpdates": [{"Create": {"RegionName": "us-west-2"}}]});
    assert_eq!(run(&source, &world, "UpdateTable", replica, 2).await, 200);
    source.tick(&world, 6_000).await.unwrap();
    for (i, at) in [(1, 7_000), (2, 7_001)] {
        let put = json!({"TableName": "glo", "Item": {"pk": {"S": format!("item {i}")}}});
        assert_eq!(run(&source, &world, "PutItem", put, at).await, 200);
    }
    let body = json!({"Arn": "arn:aws:iam::000000000000:user/learner", "Policies": []});
    assert_eq!(run(&source, &world, "PutPrincipal", body, 8_000).await, 200);
    source.tick(&world, 9_000).await.unwrap();
    source.close();

    let name = "dynaplay-test-replace";
    let store = fresh(name).await;
    let before = RefCell::new(store.load(Config::default(), None).await.unwrap());
    assert_eq!(run(&store, &before, "CreateTable", serde_json::from_str(&create("old")).unwrap(), 1).await, 200);
    let workspace = Workspace::of(&world.borrow()).unwrap();
    store.replace_all(workspace).await.unwrap();
    store.close();

    let again = Store::open(name).await.unwrap();
    let loaded = again.load(Config::default(), None).await.unwrap();
    assert_eq!(
        loaded.export().unwrap(),
        world.borrow().export().unwrap(),
        "the same workspace, the table made before it gone"
    );
    assert_eq!(loaded.region("us-west-2").map(|e| e.table_items("glo").len()), Some(2));
    assert!(loaded.home_engine().iam().principals.contains_key("arn:aws:iam::000000000000:user/learner"));
    again.close();
}
