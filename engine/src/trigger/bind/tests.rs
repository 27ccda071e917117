use serde_json::json;

use super::*;

fn record() -> Value {
    json!({
        "eventID": "e1", "eventName": "MODIFY",
        "dynamodb": {
            "ApproximateCreationDateTime": 1_700_000_001u64, "SequenceNumber": "000000000000000000042",
            "SizeBytes": 40,
            "Keys": {"id": {"S": "o1"}},
            "NewImage": {"id": {"S": "o1"}, "total": {"N": "12.50"}, "debt": {"N": "-3"}, "paid": {"BOOL": true},
                         "note": {"S": "it's; DROP TABLE x"}, "ship": {"M": {"city": {"S": "Lyon"}}},
                         "tags": {"SS": ["a"]}, "gone": {"NULL": true}, "raw": {"B": "AAE="}},
            "OldImage": {"id": {"S": "o1"}, "total": {"N": "5"}}
        }
    })
}

#[test]
fn strings_become_parameters_and_numbers_literals() {
    let b = bind("UPDATE t SET total = :new.total, note = :new.note WHERE id = :keys.id", &record()).unwrap();
    assert_eq!(b.sql, "UPDATE t SET total = 12.5, note = $1 WHERE id = $2");
    assert_eq!(b.params, vec![Param::Text("it's; DROP TABLE x".into()), Param::Text("o1".into())]);
}

#[test]
fn a_negative_number_is_parenthesised_so_it_cannot_start_a_comment() {
    let b = bind("SELECT 1 -:new.debt", &record()).unwrap();
    assert_eq!(b.sql, "SELECT 1 -(-3)");
}

#[test]
fn every_kind_of_value_binds() {
    let b = bind(":new.paid :new.gone :new.missing :new.raw :new.tags :new.ship.city :old.total", &record()).unwrap();
    assert_eq!(b.sql, "$1 $2 $3 $4 $5 $6 5");
    assert_eq!(
        b.params,
        vec![
            Param::Bool(true),
            Param::Null,
            Param::Null,
            Param::Bytes(vec![0, 1]),
            Param::Text(r#"{"SS":["a"]}"#.into()),
            Param::Text("Lyon".into()),
        ]
    );
}

#[test]
fn the_record_metadata_binds() {
    let b = bind(":eventName :eventID :sequenceNumber :approximateCreationDateTime :sizeBytes", &record()).unwrap();
    assert_eq!(b.sql, "$1 $2 $3 1700000001 40");
    assert_eq!(b.params.first(), Some(&Param::Text("MODIFY".into())));
    assert_eq!(b.params.get(2), Some(&Param::Text("000000000000000000042".into())));
}

#[test]
fn quotes_comments_and_casts_are_left_alone() {
    let sql = "SELECT ':new.total', \"a:b\", 'it''s :new.id', x::INT -- :new.id\n, :keys.id.";
    let b = bind(sql, &record()).unwrap();
    assert_eq!(b.sql, "SELECT ':new.total', \"a:b\", 'it''s :new.id', x::INT -- :new.id\n, $1.");
}

#[test]
fn an_unknown_binding_is_refused_with_the_list() {
    let e = bind("SELECT :nwe.total", &record()).unwrap_err();
    assert_eq!(
        e,
        "Unknown binding :nwe.total. Use :new.<attribute>, :old.<attribute>, :keys.<attribute>, \
         :eventName, :eventID, :sequenceNumber, :approximateCreationDateTime or :sizeBytes."
    );
    assert!(check_name("new").is_err());
    assert!(check_name("new.a..b").is_err());
    assert!(check_name("new.a.b").is_ok());
    assert_eq!(names("a :new.x ':old.y' :eventName"), vec!["new.x", "eventName"]);
}

#[test]
fn clock_and_random_functions_are_found_outside_quotes() {
    assert_eq!(nondeterministic("INSERT INTO t VALUES (now())"), Some("NOW"));
    assert_eq!(nondeterministic("SELECT GENERATE_UUID()"), Some("GENERATE_UUID"));
    assert_eq!(nondeterministic("SELECT 'now', nowhere FROM t -- RAND()"), None);
}

#[test]
fn placeholders_and_statements_for_generated_code() {
    let (sql, names) = placeholders("UPDATE t SET a = :new.a WHERE id = ':x' AND k = :keys.id", |n| format!("${n}"));
    assert_eq!(sql, "UPDATE t SET a = $1 WHERE id = ':x' AND k = $2");
    assert_eq!(names, vec!["new.a", "keys.id"]);
    assert_eq!(
        statements("DELETE FROM t WHERE a = ';'; INSERT INTO t VALUES (1) ;  -- a;b\n"),
        vec!["DELETE FROM t WHERE a = ';'", "INSERT INTO t VALUES (1)",]
    );
}
