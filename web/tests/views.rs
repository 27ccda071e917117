//! A table's views follow that table only: a write to one table reruns the views of that
//! table, not those of the others (headless Chromium via wasm-bindgen-test).
#![cfg(target_arch = "wasm32")]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use dynaplay_web::handle::{observe, observe_table, EngineHandle, Shared};
use leptos::prelude::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

async fn send(handle: &EngineHandle, operation: &str, body: serde_json::Value) {
    let r = handle.request(operation, &body.to_string()).await.expect("answered");
    assert_eq!(r.status, 200, "{operation}: {}", r.body);
}

fn create(name: &str) -> serde_json::Value {
    serde_json::json!({"TableName": name, "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}]})
}

fn put(table: &str, pk: &str) -> serde_json::Value {
    serde_json::json!({"TableName": table, "Item": {"pk": {"S": pk}}})
}

#[wasm_bindgen_test]
async fn a_write_reruns_the_views_of_its_table_and_not_the_others() {
    let owner = Owner::new();
    owner.set();
    let handle = EngineHandle::new();
    let engine: Shared = StoredValue::new_local(handle.clone());
    send(&handle, "CreateTable", create("Artists")).await;
    send(&handle, "CreateTable", create("Albums")).await;
    let (table_runs, engine_runs) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let counted = table_runs.clone();
    let artists = Memo::new(move |_| {
        counted.fetch_add(1, Ordering::SeqCst);
        observe_table(engine, "Artists", |t, _| t.item_count())
    });
    let counted = engine_runs.clone();
    let tables = Memo::new(move |_| {
        counted.fetch_add(1, Ordering::SeqCst);
        observe(engine, |e| e.tables().count())
    });
    assert_eq!((artists.get_untracked(), tables.get_untracked()), (Some(0), 2));
    let runs = || (table_runs.load(Ordering::SeqCst), engine_runs.load(Ordering::SeqCst));
    assert_eq!(runs(), (1, 1));

    send(&handle, "PutItem", put("Albums", "a")).await;
    assert_eq!((artists.get_untracked(), tables.get_untracked()), (Some(0), 2));
    assert_eq!(runs(), (1, 2), "a write to Albums reruns what reads the engine, not Artists' views");

    send(&handle, "PutItem", put("Artists", "b")).await;
    assert_eq!(artists.get_untracked(), Some(1));
    assert_eq!(runs(), (2, 2));

    // A table not made yet: its views rerun once it is.
    let counted = table_runs.clone();
    let songs = Memo::new(move |_| {
        counted.fetch_add(1, Ordering::SeqCst);
        observe_table(engine, "Songs", |t, _| t.item_count())
    });
    assert_eq!(songs.get_untracked(), None);
    send(&handle, "CreateTable", create("Songs")).await;
    assert_eq!(songs.get_untracked(), Some(0));
    assert_eq!((artists.get_untracked(), runs().0), (Some(1), 4));
}
