//! No input makes the mirror panic: SQL text built from SQL's own words and symbols, run
//! through ExecuteSql on a database with data in it, and handlers bound to records whose
//! values are anything. Every failure must be an error answer.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use dynaplay_engine::trigger::mirror::Mirror;
use dynaplay_engine::{Config, Engine};
use proptest::prelude::*;
use serde_json::json;

const WORDS: &[&str] = &[
    "SELECT",
    "INSERT",
    "INTO",
    "VALUES",
    "UPDATE",
    "SET",
    "DELETE",
    "FROM",
    "WHERE",
    "CREATE",
    "TABLE",
    "DROP",
    "ALTER",
    "ADD",
    "COLUMN",
    "INDEX",
    "ON",
    "GROUP",
    "BY",
    "ORDER",
    "HAVING",
    "LIMIT",
    "OFFSET",
    "JOIN",
    "LEFT",
    "AS",
    "AND",
    "OR",
    "NOT",
    "NULL",
    "IS",
    "IN",
    "BETWEEN",
    "LIKE",
    "CAST",
    "SUM",
    "COUNT",
    "AVG",
    "MIN",
    "MAX",
    "t",
    "u",
    "id",
    "n",
    "d",
    "x",
    "INT",
    "TEXT",
    "DECIMAL",
    "FLOAT",
    "BOOLEAN",
    "BYTEA",
    "MAP",
    "LIST",
    "PRIMARY",
    "KEY",
    "UNIQUE",
    "DEFAULT",
    "(",
    ")",
    ",",
    ";",
    "*",
    "+",
    "-",
    "/",
    "%",
    "=",
    "<",
    ">",
    "<=",
    "<>",
    "||",
    "'a'",
    "''",
    "0",
    "1",
    "-1",
    "9223372036854775807",
    "9223372036854775808",
    "1e308",
    "1.5",
    "$1",
    "?",
    "::",
    "[",
    "]",
    "{",
    "}",
    "\"",
    "'",
    "TRUE",
    "FALSE",
    "CASE",
    "WHEN",
    "THEN",
    "ELSE",
    "END",
    "SUBSTR",
    "POSITION",
    "ABS",
    "ROUND",
    "POWER",
    "SQRT",
    "DIV",
    "MOD",
    "CONCAT",
    "UNWRAP",
    "APPEND",
    "SHOW",
    "TABLES",
    "COLUMNS",
    "EXISTS",
];

fn sql() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(WORDS), 1..24).prop_map(|w| w.join(" "))
}

fn mirror() -> Box<dyn Mirror> {
    let mut m = dynaplay_mirror::factory();
    m.execute(
        "CREATE TABLE t (id INT PRIMARY KEY, n DECIMAL, d TEXT); INSERT INTO t VALUES (1, 2.5, 'a'), (2, NULL, 'b')",
    )
    .expect("setup");
    m
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

    #[test]
    fn any_sql_is_answered_without_a_panic(text in sql()) {
        let mut m = mirror();
        let before = m.save().expect("save");
        if m.execute(&text).is_err() {
            prop_assert_eq!(m.save().expect("save"), before, "a failed request changes nothing");
        }
    }

    #[test]
    fn any_text_is_answered_without_a_panic(text in ".{0,200}") {
        let _ = mirror().execute(&text);
    }

    #[test]
    fn a_handler_bound_to_any_value_is_answered_without_a_panic(n in "-?[0-9]{1,40}(\\.[0-9]{1,10})?", s in ".{0,40}") {
        let mut e = Engine::new(Config::default());
        e.plug_mirror(dynaplay_mirror::factory()).expect("plug");
        let create = json!({"TableName": "Things", "BillingMode": "PAY_PER_REQUEST",
            "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_AND_OLD_IMAGES"},
            "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
            "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}]});
        e.request("CreateTable", create.to_string().as_bytes(), 1);
        e.request("ExecuteSql", json!({"Sql": "CREATE TABLE m (id TEXT, n INT, d DECIMAL, s TEXT)"}).to_string().as_bytes(), 2);
        let trigger = json!({"TriggerName": "x", "TableName": "Things", "StartingPosition": "TRIM_HORIZON",
            "Handler": {"INSERT": "INSERT INTO m VALUES (:keys.id, :new.n, :new.n * 2, :new.s || :new.missing)"}});
        prop_assert_eq!(e.request("CreateTrigger", trigger.to_string().as_bytes(), 3).status, 200);
        let item = json!({"id": {"S": s.clone()}, "n": {"N": n}, "s": {"S": s}});
        e.request("PutItem", json!({"TableName": "Things", "Item": item}).to_string().as_bytes(), 4);
        e.tick(10_000);
    }
}
