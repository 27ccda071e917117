//! The handle's queue (group commit) as callers meet it, in headless Chromium via
//! wasm-bindgen-test: a burst sent at once is answered whole in few commits, and a
//! caller that stops waiting while it runs the queue leaves no one else waiting.
#![cfg(target_arch = "wasm32")]

use std::pin::pin;

use dynaplay_web::handle::EngineHandle;
use dynaplay_web::persist::{testing, Store};
use futures::future::{join_all, select, Either};
use futures::poll;
use serde_json::json;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = web_sys::window().unwrap().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = JsFuture::from(promise).await;
}

fn table() -> String {
    json!({"TableName": "queue", "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}]})
    .to_string()
}

fn put(pk: &str) -> String {
    json!({"TableName": "queue", "Item": {"pk": {"S": pk}}}).to_string()
}

async fn count(handle: &EngineHandle) -> u64 {
    let body = json!({"TableName": "queue", "Select": "COUNT", "ConsistentRead": true}).to_string();
    let r = handle.request("Scan", &body).await.expect("answered");
    serde_json::from_str::<serde_json::Value>(&r.body).unwrap()["Count"].as_u64().unwrap()
}

#[wasm_bindgen_test]
async fn a_burst_is_answered_whole_in_two_commits() {
    let name = "dynaplay-test-queue-burst";
    let _ = Store::destroy(name).await;
    let handle = EngineHandle::new();
    handle.start(name).await;
    assert_eq!(handle.request("CreateTable", &table()).await.unwrap().status, 200);
    let before = testing::stored_seq(name).await;
    let bodies: Vec<String> = (0..300).map(|i| put(&format!("item-{i}"))).collect();
    let answers = join_all(bodies.iter().map(|b| handle.request("PutItem", b))).await;
    assert!(answers.iter().all(|a| a.as_ref().is_ok_and(|r| r.status == 200)));
    // The first may run alone; the others queue behind its commit and share the next.
    let commits = testing::stored_seq(name).await - before;
    assert!((1..=2).contains(&commits), "{commits} commits for 300 requests");
    assert_eq!(count(&handle).await, 300);
}

#[wasm_bindgen_test]
async fn a_caller_that_stops_waiting_leaves_no_request_stranded() {
    let name = "dynaplay-test-queue-dropped";
    let _ = Store::destroy(name).await;
    let handle = EngineHandle::new();
    // Loading holds the handle's lock, so the first request's caller, which runs the
    // queue, waits for it with the second request queued behind.
    let mut loading = pin!(handle.start(name));
    assert!(poll!(loading.as_mut()).is_pending());
    let table = table();
    let mut first = Box::pin(handle.request("CreateTable", &table));
    assert!(poll!(first.as_mut()).is_pending());
    let body = put("kept");
    let mut second = pin!(handle.request("PutItem", &body));
    assert!(poll!(second.as_mut()).is_pending());
    drop(first);
    loading.await;
    let answered = match select(second, pin!(sleep(5_000))).await {
        Either::Left((answer, _)) => answer.expect("answered"),
        Either::Right(_) => panic!("the second request was never run"),
    };
    // The dropped caller's CreateTable still ran (its change is saved), then the put.
    assert_eq!(answered.status, 200, "{}", answered.body);
    assert_eq!(count(&handle).await, 1);
}
