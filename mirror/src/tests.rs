//! The mirror on its own, then with the engine: a trigger keeping a SQL table in sync.

use dynaplay_engine::{Config, Engine};
use serde_json::{json, Value};

use super::*;

const T0: u64 = 1_700_000_000_000;

fn bound(sql: &str, params: Vec<Param>) -> Bound {
    Bound { sql: sql.into(), params }
}

#[test]
fn a_batch_runs_all_or_nothing() {
    let mut m = SqlMirror::default();
    m.execute("CREATE TABLE t (id TEXT PRIMARY KEY, n INT NOT NULL)").unwrap();
    let ok = bound("INSERT INTO t VALUES ($1, 1)", vec![Param::Text("a".into())]);
    let dup = bound("INSERT INTO t VALUES ($1, 2)", vec![Param::Text("a".into())]);
    let e = m.run_batch(&[ok.clone(), dup]).unwrap_err();
    assert_eq!(e, "validate: duplicate entry 'Str(\"a\")' for primary_key field");
    assert_eq!(m.execute("SELECT COUNT(*) AS n FROM t").unwrap(), vec![json!({"Columns": ["n"], "Rows": [[0]]})]);
    m.run_batch(&[ok]).unwrap();
    assert_eq!(
        m.tables(),
        vec![("t".into(), r#"CREATE TABLE "t" ("id" TEXT NOT NULL PRIMARY KEY, "n" INT NOT NULL);"#.into(), 1)]
    );
}

#[test]
fn results_are_json() {
    let mut m = SqlMirror::default();
    let r = m
        .execute(
            "CREATE TABLE t (id TEXT, d DECIMAL, ok BOOLEAN, b BYTEA); \
             INSERT INTO t VALUES ('x', 12.50, TRUE, X'0001'); SELECT * FROM t; UPDATE t SET d = d + 1; DELETE FROM t",
        )
        .unwrap();
    assert_eq!(
        r,
        vec![
            json!({"Statement": "CREATE TABLE"}),
            json!({"Statement": "INSERT", "Count": 1}),
            json!({"Columns": ["id", "d", "ok", "b"], "Rows": [["x", 12.5, true, "0001"]]}),
            json!({"Statement": "UPDATE", "Count": 1}),
            json!({"Statement": "DELETE", "Count": 1}),
        ]
    );
}

#[test]
fn a_saved_database_loads_back_whole() {
    let mut m = SqlMirror::default();
    m.execute("CREATE TABLE t (id INT PRIMARY KEY, name TEXT); INSERT INTO t VALUES (1, 'a'), (2, 'b'); CREATE TABLE u (x TEXT)")
        .unwrap();
    m.execute("INSERT INTO u VALUES ('one')").unwrap();
    let saved = m.save().unwrap();
    let mut back = SqlMirror::default();
    back.load(&saved).unwrap();
    assert_eq!(back.tables(), m.tables());
    assert_eq!(back.execute("SELECT * FROM t ORDER BY id").unwrap(), m.execute("SELECT * FROM t ORDER BY id").unwrap());
    assert_eq!(back.save().unwrap(), saved);
    assert!(back.load(&json!({"version": 1})).unwrap_err().starts_with("a damaged SQL database"));
}

#[test]
fn a_syntax_error_is_found_before_running() {
    let m = SqlMirror::default();
    assert!(m.check("INSERT INTO t VALUES ($1, 5)").is_ok());
    assert!(m.check("INSRT INTO t").is_err());
}

fn request(e: &mut Engine, op: &str, body: Value, now: u64) -> Value {
    let r = e.request(op, body.to_string().as_bytes(), now);
    let v: Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(r.status, 200, "{op}: {v}");
    v
}

fn engine() -> Engine {
    let mut e = Engine::new(Config::default());
    e.plug_mirror(factory()).unwrap();
    request(
        &mut e,
        "CreateTable",
        json!({"TableName": "Orders", "BillingMode": "PAY_PER_REQUEST",
            "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_AND_OLD_IMAGES"},
            "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
            "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}]}),
        T0,
    );
    e
}

fn trigger() -> Value {
    json!({"TriggerName": "orders-to-sql", "TableName": "Orders", "StartingPosition": "TRIM_HORIZON",
        "BatchSize": 10, "MaximumRetryAttempts": 2,
        "Handler": {
            "INSERT": "INSERT INTO orders VALUES (:keys.id, :new.customer, :new.amount)",
            "MODIFY": "UPDATE orders SET customer = :new.customer, amount = :new.amount WHERE id = :keys.id",
            "REMOVE": "DELETE FROM orders WHERE id = :keys.id"}})
}

fn put(e: &mut Engine, id: &str, customer: &str, amount: &str, now: u64) {
    let item = json!({"id": {"S": id}, "customer": {"S": customer}, "amount": {"N": amount}});
    request(e, "PutItem", json!({"TableName": "Orders", "Item": item}), now);
}

fn sql(e: &mut Engine, text: &str, now: u64) -> Value {
    request(e, "ExecuteSql", json!({"Sql": text}), now)["Results"][0].clone()
}

#[test]
fn a_trigger_keeps_a_sql_table_in_sync() {
    let mut e = engine();
    sql(&mut e, "CREATE TABLE orders (id TEXT PRIMARY KEY, customer TEXT, amount DECIMAL)", T0);
    request(&mut e, "CreateTrigger", trigger(), T0);
    put(&mut e, "o1", "ana", "12.50", T0 + 1);
    put(&mut e, "o2", "ana", "7", T0 + 2);
    put(&mut e, "o3", "bo", "3", T0 + 3);
    put(&mut e, "o3", "bo", "4", T0 + 4);
    request(&mut e, "DeleteItem", json!({"TableName": "Orders", "Key": {"id": {"S": "o2"}}}), T0 + 5);
    let totals = "SELECT customer, SUM(amount) AS total FROM orders GROUP BY customer ORDER BY customer";
    assert_eq!(
        sql(&mut e, totals, T0 + 1000),
        json!({"Columns": ["customer", "total"], "Rows": [["ana", 12.5], ["bo", 4]]})
    );
}

#[test]
fn a_failing_batch_is_retried_until_the_mirror_is_fixed() {
    let mut e = engine();
    request(&mut e, "CreateTrigger", trigger(), T0);
    put(&mut e, "o1", "ana", "5", T0 + 1);
    e.tick(T0 + 1000);
    let listed = request(&mut e, "ListTriggers", json!({}), T0 + 1000);
    assert_eq!(listed["Triggers"][0]["Invocations"], 1);
    // The table the handler writes to does not exist yet: the batch fails and waits.
    sql(&mut e, "CREATE TABLE orders (id TEXT PRIMARY KEY, customer TEXT, amount DECIMAL)", T0 + 1500);
    let rows = sql(&mut e, "SELECT id FROM orders", T0 + 2000);
    assert_eq!(rows["Rows"], json!([["o1"]]));
    let listed = request(&mut e, "ListTriggers", json!({}), T0 + 2000);
    assert_eq!(
        (listed["Triggers"][0]["Invocations"].clone(), listed["Triggers"][0]["FailedBatches"].clone()),
        (json!(2), json!(0))
    );
}

#[test]
fn triggers_and_the_mirror_travel_with_the_workspace() {
    let mut e = engine();
    sql(&mut e, "CREATE TABLE orders (id TEXT PRIMARY KEY, customer TEXT, amount DECIMAL)", T0);
    request(&mut e, "CreateTrigger", trigger(), T0);
    put(&mut e, "o1", "ana", "5", T0 + 1);
    e.tick(T0 + 1000);
    let doc = e.export().unwrap();
    let mut back = Engine::import(Config::default(), &doc).unwrap();
    assert!(!back.mirror_live());
    back.plug_mirror(factory()).unwrap();
    put(&mut back, "o2", "bo", "6", T0 + 2000);
    assert_eq!(sql(&mut back, "SELECT id FROM orders ORDER BY id", T0 + 3000)["Rows"], json!([["o1"], ["o2"]]));
}

#[test]
fn handlers_are_checked_when_the_trigger_is_made() {
    let mut e = engine();
    let mut bad = trigger();
    bad["Handler"]["INSERT"] = json!("INSERT INTO orders VALUES (NOW())");
    let r = e.request("CreateTrigger", bad.to_string().as_bytes(), T0);
    assert_eq!(r.status, 400);
    assert!(r.body.contains("calls NOW(), which gives a different result on every replay"), "{}", r.body);
    bad["Handler"]["INSERT"] = json!("INSERT INTO orders VALUES (:nu.id)");
    assert!(e.request("CreateTrigger", bad.to_string().as_bytes(), T0).body.contains("Unknown binding :nu.id"));
    bad["Handler"]["INSERT"] = json!("INSRT INTO orders");
    assert!(e.request("CreateTrigger", bad.to_string().as_bytes(), T0).body.contains("Handler.INSERT: "));
    let mut unknown = trigger();
    unknown["BatchSze"] = json!(5);
    assert!(e
        .request("CreateTrigger", unknown.to_string().as_bytes(), T0)
        .body
        .contains("Unknown trigger setting \\\"BatchSze\\\""));
}
