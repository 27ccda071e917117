//! Tabs taking turns by a Web Lock (headless Chromium via wasm-bindgen-test): a tab alone
//! reads without IndexedDB and writes without checking; a second tab makes both check;
//! once it closes, the first is alone again and first catches up with what it wrote.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;

use dynaplay_engine::global::World;
use dynaplay_engine::Config;
use dynaplay_web::persist::Store;
use serde_json::{json, Value};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Counts the IndexedDB transactions the page opens from now on (`globalThis.txCount`).
fn count_transactions() {
    let install = js_sys::Function::new_no_args(
        "if (!globalThis.txCount) { const open = IDBDatabase.prototype.transaction; globalThis.txCount = 0; \
         IDBDatabase.prototype.transaction = function (...a) { globalThis.txCount++; return open.apply(this, a); }; }",
    );
    install.call0(&wasm_bindgen::JsValue::NULL).unwrap();
}

fn transactions() -> f64 {
    js_sys::Reflect::get(&js_sys::global(), &"txCount".into()).unwrap().as_f64().unwrap()
}

async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = web_sys::window().unwrap().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = JsFuture::from(promise).await;
}

async fn send(store: &Store, world: &RefCell<World>, op: &str, body: Value, now: u64) -> String {
    let r = store.execute(world, None, op, body.to_string().as_bytes(), now).await.expect("saved");
    assert_eq!(r.status, 200, "{op}: {}", r.body);
    r.body
}

fn table() -> Value {
    json!({"TableName": "tabs", "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}]})
}

fn add_one() -> Value {
    json!({"TableName": "tabs", "Key": {"pk": {"S": "n"}}, "UpdateExpression": "ADD n :one",
        "ExpressionAttributeValues": {":one": {"N": "1"}}, "ReturnValues": "UPDATED_NEW"})
}

#[wasm_bindgen_test]
async fn a_tab_alone_reads_from_memory_and_a_second_tab_makes_both_check() {
    let name = "dynaplay-test-lock-alone";
    let _ = Store::destroy(name).await;
    count_transactions();
    let a = Store::open(name).await.unwrap();
    assert!(a.alone());
    let wa = RefCell::new(a.load(Config::default(), None).await.unwrap());
    send(&a, &wa, "CreateTable", table(), 1).await;
    send(&a, &wa, "UpdateItem", add_one(), 2).await;
    let get = json!({"TableName": "tabs", "Key": {"pk": {"S": "n"}}});
    let before = transactions();
    send(&a, &wa, "GetItem", get.clone(), 3).await;
    assert_eq!(transactions(), before, "a read alone opens no transaction");
    send(&a, &wa, "UpdateItem", add_one(), 4).await;
    assert_eq!(transactions(), before + 1.0, "a write alone opens one, to write");

    let b = Store::open(name).await.unwrap();
    assert!(!a.alone() && !b.alone(), "the first tab stepped aside for the second");
    let before = transactions();
    send(&a, &wa, "GetItem", get, 5).await;
    assert_eq!(transactions(), before + 1.0, "with two tabs, a read checks what is stored");
    a.close();
    b.close();
}

#[wasm_bindgen_test]
async fn a_tab_alone_again_first_catches_up_with_the_other_tabs_writes() {
    let name = "dynaplay-test-lock-again";
    let _ = Store::destroy(name).await;
    let a = Store::open(name).await.unwrap();
    let wa = RefCell::new(a.load(Config::default(), None).await.unwrap());
    send(&a, &wa, "CreateTable", table(), 1).await;
    send(&a, &wa, "UpdateItem", add_one(), 2).await;

    let b = Store::open(name).await.unwrap();
    let wb = RefCell::new(b.load(Config::default(), None).await.unwrap());
    send(&b, &wb, "UpdateItem", add_one(), 3).await;
    b.close();
    // The first tab hears the second leave and takes the lock back.
    for _ in 0..50 {
        if a.alone() {
            break;
        }
        sleep(100).await;
    }
    assert!(a.alone(), "alone again once the other tab closed");
    // Its memory still says 1: its first write alone must read what the other tab saved.
    let body = send(&a, &wa, "UpdateItem", add_one(), 4).await;
    assert_eq!(body, r#"{"Attributes":{"n":{"N":"3"}}}"#);
    a.close();
}
