//! Hostile input through the wire entry point: expressions nested as deep as 4 KB allows,
//! throughput and teaching scales far past AWS's limits, and clocks near the end of time.
//! Each must get an answer, on a thread with a small stack, in bounded time.

use serde_json::{json, Value};

use crate::support::Harness;

/// The browser's wasm stack, and half a tokio worker's.
const SMALL_STACK: usize = 1024 * 1024;

/// Runs `f` on a thread with [`SMALL_STACK`]; a stack overflow aborts the test binary.
fn on_small_stack(f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new().stack_size(SMALL_STACK).spawn(f).unwrap().join().unwrap();
}

fn nested_and(levels: usize) -> String {
    // (a = :v AND (a = :v AND (… ))): no redundant parentheses, one AND per level.
    let mut s = "a = :v".to_string();
    for _ in 0..levels {
        s = format!("a = :v AND ({s})");
    }
    s
}

fn seeded() -> Harness {
    let mut h = Harness::new();
    h.table("tbl", Some("N"));
    h.put("tbl", json!({"pk": {"S": "a"}, "sk": {"N": "1"}, "a": {"N": "1"}, "l": {"L": []}}));
    h
}

fn expression_requests(expr: &str) -> Vec<(&'static str, Value)> {
    let values = json!({":v": {"N": "1"}, ":p": {"S": "a"}});
    let key = json!({"pk": {"S": "a"}, "sk": {"N": "1"}});
    vec![
        (
            "PutItem",
            json!({"TableName": "tbl", "Item": key, "ConditionExpression": expr, "ExpressionAttributeValues": values}),
        ),
        ("Scan", json!({"TableName": "tbl", "FilterExpression": expr, "ExpressionAttributeValues": values})),
        (
            "Query",
            json!({"TableName": "tbl", "KeyConditionExpression": format!("pk = :p AND ({expr})"), "ExpressionAttributeValues": values}),
        ),
        (
            "Query",
            json!({"TableName": "tbl", "KeyConditionExpression": "pk = :p", "FilterExpression": expr, "ExpressionAttributeValues": values}),
        ),
    ]
}

fn too_deep(param: &str, depth: usize) -> String {
    format!("Invalid {param}: The expression is nested too deeply for Dynaplay; nesting depth: {depth}, limit: 100")
}

#[test]
fn deeply_nested_conditions_are_answered_on_a_small_stack() {
    on_small_stack(|| {
        let mut h = seeded();
        // 99 levels (100 inside the key condition's parentheses): the deepest accepted;
        // every request is evaluated in full.
        for (op, body) in expression_requests(&nested_and(99)) {
            let (status, v) = h.call(op, body);
            assert!(status == 200 || v["__type"].as_str().unwrap().ends_with("ValidationException"), "{op}: {v}");
        }
        // About 4 KB of parentheses: refused before any parser recurses.
        let deep = format!("{}a = :v{}", "(".repeat(1990), ")".repeat(1990));
        let (_, m) = h.err(
            "Scan",
            json!({"TableName": "tbl", "FilterExpression": deep, "ExpressionAttributeValues": {":v": {"N": "1"}}}),
        );
        assert_eq!(m, too_deep("FilterExpression", 1990));
        for (op, body) in expression_requests(&nested_and(300)) {
            let (_, m) = h.err(op, body);
            assert!(m.contains("nested too deeply for Dynaplay; nesting depth: 30"), "{op}: {m}");
        }
        let (_, m) = h.err("Scan", expression_requests(&nested_and(101)).swap_remove(1).1);
        assert_eq!(m, too_deep("FilterExpression", 101));
    });
}

#[test]
fn nested_functions_nots_and_updates_are_bounded_too() {
    on_small_stack(|| {
        let mut h = seeded();
        let values = json!({":v": {"N": "1"}});
        let sizes = format!("{}a{} = :v", "size(".repeat(681), ")".repeat(681));
        let (_, m) =
            h.err("Scan", json!({"TableName": "tbl", "FilterExpression": sizes, "ExpressionAttributeValues": values}));
        assert_eq!(m, too_deep("FilterExpression", 681));
        let nots = format!("{}a = :v", "NOT ".repeat(1000));
        let (_, m) =
            h.err("Scan", json!({"TableName": "tbl", "FilterExpression": nots, "ExpressionAttributeValues": values}));
        assert_eq!(m, too_deep("FilterExpression", 1000));
        let key = json!({"pk": {"S": "a"}, "sk": {"N": "1"}});
        let parens = format!("SET a = {}:v{}", "(".repeat(1500), ")".repeat(1500));
        let body =
            json!({"TableName": "tbl", "Key": key, "UpdateExpression": parens, "ExpressionAttributeValues": values});
        assert_eq!(h.err("UpdateItem", body).1, too_deep("UpdateExpression", 1500));
        // Nested functions at the limit are read and answered (AWS refuses nested list_append).
        let appends = (0..100).fold("l".to_string(), |inner, _| format!("list_append({inner}, l)"));
        let appends = format!("SET l = {appends}");
        let (_, m) = h.err("UpdateItem", json!({"TableName": "tbl", "Key": key, "UpdateExpression": appends}));
        assert_eq!(
            m,
            "Invalid UpdateExpression: The function is not allowed to be used this way in an expression; function: list_append"
        );
        let projection = format!("{}a{}", "(".repeat(2000), ")".repeat(2000));
        let (_, m) = h.err("Scan", json!({"TableName": "tbl", "ProjectionExpression": projection}));
        assert_eq!(m, too_deep("ProjectionExpression", 2000));
        // At the limit, NOTs still evaluate: an even number of them is the condition itself.
        let nots = format!("{}a = :v", "NOT ".repeat(100));
        let v =
            h.ok("Scan", json!({"TableName": "tbl", "FilterExpression": nots, "ExpressionAttributeValues": values}));
        assert_eq!(v["Count"], 1);
    });
}

#[test]
fn throughput_past_aws_bounds_is_refused_and_large_throughput_is_quick() {
    let mut h = Harness::new();
    h.ok(
        "CreateTable",
        json!({"TableName": "prov", "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
               "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
               "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}}),
    );
    for (read, write, which, value) in [
        (1e12 + 1.0, 1.0, "ReadCapacityUnits", "1000000000001"),
        (5.0, 1e308, "WriteCapacityUnits", "9223372036854775807"),
    ] {
        let (t, m) = h.err(
            "UpdateTable",
            json!({"TableName": "prov", "ProvisionedThroughput": {"ReadCapacityUnits": read, "WriteCapacityUnits": write}}),
        );
        assert_eq!(
            (t.as_str(), m),
            ("ValidationException", format!("Given value {value} for {which} is out of bounds"))
        );
    }
    // The largest value AWS accepts is answered at once: throughput allocates at most 256
    // partitions, however much is asked for.
    let v = h.ok(
        "UpdateTable",
        json!({"TableName": "prov", "ProvisionedThroughput": {"ReadCapacityUnits": 1_000_000_000_000u64, "WriteCapacityUnits": 1}}),
    );
    assert_eq!(v["TableDescription"]["ProvisionedThroughput"]["ReadCapacityUnits"], 1_000_000_000_000u64);
    assert_eq!(h.engine.table("prov").unwrap().partitions.parts.len(), 256);
}

#[test]
fn teaching_scale_must_be_a_whole_number_in_range() {
    let mut h = Harness::new();
    for bad in [json!(0), json!(-1), json!(1.5), json!(1e15), json!("10")] {
        let body = json!({"TableName": "scl", "BillingMode": "PAY_PER_REQUEST", "DynaplayTeachingScale": bad,
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}]});
        let (t, m) = h.err("CreateTable", body);
        assert_eq!(
            (t.as_str(), m),
            (
                "ValidationException",
                format!("DynaplayTeachingScale must be a whole number from 1 to 1000000000; got {bad}")
            )
        );
    }
}

#[test]
fn clocks_at_the_end_of_time_are_answered() {
    for now in [0, 1, u64::MAX / 2, u64::MAX - 600_000, u64::MAX - 1, u64::MAX] {
        let mut h = Harness::new();
        h.now = now.saturating_sub(10);
        h.table("clk", Some("N"));
        let item = json!({"pk": {"S": "a"}, "sk": {"N": "1"}});
        let tx = json!({"ClientRequestToken": "tok", "TransactItems": [{"Put": {"TableName": "clk", "Item": item}}]});
        for (op, body) in [
            ("PutItem", json!({"TableName": "clk", "Item": item})),
            ("TransactWriteItems", tx.clone()),
            ("TransactWriteItems", tx),
            (
                "UpdateTable",
                json!({"TableName": "clk", "BillingMode": "PROVISIONED",
                "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5}}),
            ),
            ("DescribeTable", json!({"TableName": "clk"})),
            ("DeleteTable", json!({"TableName": "clk"})),
        ] {
            let (status, v) = h.call(op, body);
            assert!(status == 200 || status == 400, "{op} at {now}: {v}");
        }
    }
}
