//! Hostile expressions in the browser (headless Chromium via wasm-bindgen-test): before
//! the nesting limit, a Scan with 1,200 nested parentheses overflowed the wasm stack and
//! killed the tab. Now the deepest accepted expression is evaluated and deeper ones are
//! refused with a message, on the page's own stack.
#![cfg(target_arch = "wasm32")]

use dynaplay_engine::{Config, Engine};
use serde_json::{json, Value};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn call(engine: &mut Engine, op: &str, body: Value) -> (u16, Value) {
    let r = engine.request(op, body.to_string().as_bytes(), 1_700_000_000_000);
    (r.status, serde_json::from_str(&r.body).expect("JSON"))
}

#[wasm_bindgen_test]
fn deep_expressions_are_answered_not_crashed() {
    let mut engine = Engine::new(Config::default());
    let create = json!({"TableName": "tbl", "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}]});
    assert_eq!(call(&mut engine, "CreateTable", create).0, 200);
    assert_eq!(
        call(&mut engine, "PutItem", json!({"TableName": "tbl", "Item": {"pk": {"S": "a"}, "a": {"N": "1"}}})).0,
        200
    );
    let values = json!({":v": {"N": "1"}});
    // 100 levels, none redundant: evaluated in full.
    let deepest = (0..99).fold("a = :v".to_string(), |inner, _| format!("a = :v AND ({inner})"));
    let (status, v) = call(
        &mut engine,
        "Scan",
        json!({"TableName": "tbl", "FilterExpression": deepest, "ExpressionAttributeValues": values}),
    );
    assert_eq!((status, v["Count"].clone()), (200, json!(1)), "{v}");
    let hostile = format!("{}a = :v{}", "(".repeat(1200), ")".repeat(1200));
    let (status, v) = call(
        &mut engine,
        "Scan",
        json!({"TableName": "tbl", "FilterExpression": hostile, "ExpressionAttributeValues": values}),
    );
    assert_eq!(status, 400);
    assert_eq!(
        v["message"],
        "Invalid FilterExpression: The expression is nested too deeply for Dynaplay; nesting depth: 1200, limit: 100"
    );
}
