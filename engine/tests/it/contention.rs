//! Transactions in flight (`Config::transaction_ms`): a single write to an item a write
//! transaction holds fails with TransactionConflictException; transactions that meet
//! are canceled with reason TransactionConflict; reads meet no conflict; a token reused
//! while its transaction is in flight gets TransactionInProgressException; once the time
//! passes everything goes through.

use serde_json::{json, Value};

use dynaplay_engine::{Config, Engine};

const T0: u64 = 1_700_000_000_000;

fn call(e: &mut Engine, op: &str, body: Value, now: u64) -> (u16, Value) {
    let r = e.request(op, body.to_string().as_bytes(), now);
    (r.status, serde_json::from_str(&r.body).unwrap())
}

fn engine() -> Engine {
    let mut e = Engine::new(Config { transaction_ms: 500, ..Config::default() });
    let create = json!({"TableName": "Acct", "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}], "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}]});
    assert_eq!(call(&mut e, "CreateTable", create, T0).0, 200);
    for id in ["a", "b"] {
        assert_eq!(
            call(&mut e, "PutItem", json!({"TableName": "Acct", "Item": {"id": {"S": id}, "n": {"N": "10"}}}), T0 + 1)
                .0,
            200
        );
    }
    e
}

fn transfer(token: Option<&str>) -> Value {
    let update = |id: &str, delta: &str| {
        json!({"Update": {"TableName": "Acct", "Key": {"id": {"S": id}},
        "UpdateExpression": "ADD n :d", "ExpressionAttributeValues": {":d": {"N": delta}}}})
    };
    let mut body = json!({"TransactItems": [update("a", "-5"), update("b", "5")]});
    if let Some(t) = token {
        body["ClientRequestToken"] = json!(t);
    }
    body
}

#[test]
fn a_single_write_to_an_item_in_a_transaction_conflicts_until_it_is_over() {
    let mut e = engine();
    assert_eq!(call(&mut e, "TransactWriteItems", transfer(None), T0 + 1000).0, 200);
    let put = json!({"TableName": "Acct", "Item": {"id": {"S": "a"}, "n": {"N": "0"}}});
    let (status, v) = call(&mut e, "PutItem", put.clone(), T0 + 1100);
    assert_eq!(status, 400);
    assert_eq!(v["__type"], "com.amazonaws.dynamodb.v20120810#TransactionConflictException");
    assert_eq!(v["message"], "Transaction is ongoing for the item");
    let (_, got) = call(&mut e, "GetItem", json!({"TableName": "Acct", "Key": {"id": {"S": "a"}}}), T0 + 1100);
    assert_eq!(got["Item"]["n"], json!({"N": "5"}), "a read meets no conflict");
    assert_eq!(call(&mut e, "PutItem", put, T0 + 1500).0, 200, "the transaction is over");
}

#[test]
fn transactions_that_meet_are_canceled_with_transaction_conflict() {
    let mut e = engine();
    assert_eq!(call(&mut e, "TransactWriteItems", transfer(None), T0 + 1000).0, 200);
    let other = json!({"TransactItems": [
        {"Put": {"TableName": "Acct", "Item": {"id": {"S": "c"}}}},
        {"Update": {"TableName": "Acct", "Key": {"id": {"S": "b"}}, "UpdateExpression": "SET x = :x", "ExpressionAttributeValues": {":x": {"S": "y"}}}}]});
    let (status, v) = call(&mut e, "TransactWriteItems", other.clone(), T0 + 1200);
    assert_eq!(status, 400);
    assert_eq!(
        v["Message"],
        "Transaction cancelled, please refer cancellation reasons for specific reasons [None, TransactionConflict]"
    );
    assert_eq!(
        v["CancellationReasons"][1],
        json!({"Code": "TransactionConflict", "Message": "Transaction is ongoing for the item"})
    );
    let get = json!({"TransactItems": [{"Get": {"TableName": "Acct", "Key": {"id": {"S": "a"}}}}]});
    let (status, v) = call(&mut e, "TransactGetItems", get.clone(), T0 + 1200);
    assert_eq!((status, v["CancellationReasons"][0]["Code"].as_str()), (400, Some("TransactionConflict")));
    assert_eq!(call(&mut e, "TransactWriteItems", other, T0 + 1600).0, 200);
    // A read transaction holds its items against write transactions, not against reads or single writes.
    assert_eq!(call(&mut e, "TransactGetItems", get.clone(), T0 + 3000).0, 200);
    assert_eq!(call(&mut e, "TransactGetItems", get, T0 + 3100).0, 200);
    let (status, _) = call(&mut e, "TransactWriteItems", transfer(None), T0 + 3200);
    assert_eq!(status, 400);
    assert_eq!(call(&mut e, "PutItem", json!({"TableName": "Acct", "Item": {"id": {"S": "a"}}}), T0 + 3200).0, 200);
}

#[test]
fn the_same_token_while_in_flight_is_in_progress_and_afterwards_a_replay() {
    let mut e = engine();
    let (status, first) = call(&mut e, "TransactWriteItems", transfer(Some("t-1")), T0 + 1000);
    assert_eq!(status, 200);
    let (status, v) = call(&mut e, "TransactWriteItems", transfer(Some("t-1")), T0 + 1100);
    assert_eq!(status, 400);
    assert_eq!(v["__type"], "com.amazonaws.dynamodb.v20120810#TransactionInProgressException");
    assert_eq!(v["Message"], "The transaction with the given request token is already in progress.");
    let (status, again) = call(&mut e, "TransactWriteItems", transfer(Some("t-1")), T0 + 2000);
    assert_eq!((status, again), (200, first), "after it, the same answer, applied once");
    let (_, got) = call(&mut e, "GetItem", json!({"TableName": "Acct", "Key": {"id": {"S": "a"}}}), T0 + 2000);
    assert_eq!(got["Item"]["n"], json!({"N": "5"}));
}

#[test]
fn with_no_transaction_time_nothing_is_held() {
    let mut e = Engine::new(Config::default());
    let create = json!({"TableName": "Acct", "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}], "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}]});
    call(&mut e, "CreateTable", create, T0);
    assert_eq!(call(&mut e, "TransactWriteItems", transfer(None), T0 + 1).0, 200);
    assert_eq!(call(&mut e, "PutItem", json!({"TableName": "Acct", "Item": {"id": {"S": "a"}}}), T0 + 1).0, 200);
}
