//! PartiQL through the wire entry point: ExecuteStatement planned onto GetItem, Query and
//! Scan (and what each costs), INSERT/UPDATE/DELETE with their conditions and errors,
//! parameters, paging, BatchExecuteStatement's per-statement errors and
//! ExecuteTransaction's all or nothing.

use serde_json::{json, Value};

use super::support::Harness;

fn orders() -> Harness {
    let mut h = Harness::new();
    h.table("Orders", Some("S"));
    for (pk, sk, total) in
        [("alice", "2024-01", 30), ("alice", "2024-02", 12), ("alice", "2024-03", 50), ("bob", "2024-01", 7)]
    {
        h.put("Orders", json!({"pk": {"S": pk}, "sk": {"S": sk}, "total": {"N": total.to_string()}}));
    }
    h
}

fn select(h: &mut Harness, statement: &str) -> Value {
    h.ok("ExecuteStatement", json!({"Statement": statement, "ReturnConsumedCapacity": "TOTAL"}))
}

fn sks(v: &Value) -> Vec<&str> {
    v["Items"].as_array().unwrap().iter().map(|i| i["sk"]["S"].as_str().unwrap()).collect()
}

#[test]
fn a_select_is_cheap_only_when_its_where_names_the_key() {
    let mut h = orders();
    let get = select(&mut h, r#"SELECT * FROM "Orders" WHERE pk = 'alice' AND sk = '2024-02'"#);
    assert_eq!(sks(&get), ["2024-02"]);
    assert_eq!(get["ConsumedCapacity"]["CapacityUnits"], json!(0.5), "GetItem: half a unit");
    let query = select(&mut h, r#"SELECT sk FROM Orders WHERE pk = 'alice' AND total > 20 ORDER BY sk DESC"#);
    assert_eq!(sks(&query), ["2024-03", "2024-01"]);
    assert_eq!(query["Items"][0], json!({"sk": {"S": "2024-03"}}), "the projection");
    let scan = select(&mut h, r#"SELECT * FROM "Orders" WHERE total < 10"#);
    assert_eq!(scan["Items"].as_array().unwrap().len(), 1);
    assert_eq!(scan["ConsumedCapacity"]["CapacityUnits"], json!(0.5), "a Scan reads every item");
    let range = select(&mut h, r#"SELECT * FROM "Orders" WHERE pk = 'alice' AND sk BETWEEN '2024-02' AND '2024-12'"#);
    assert_eq!(sks(&range), ["2024-02", "2024-03"]);
    let begins =
        select(&mut h, r#"SELECT * FROM "Orders" WHERE pk = 'alice' AND begins_with(sk, '2024-0') AND NOT total = 12"#);
    assert_eq!(sks(&begins), ["2024-01", "2024-03"]);
    let missing =
        select(&mut h, r#"SELECT * FROM "Orders" WHERE pk = 'alice' AND note IS MISSING AND total IN [30, 50]"#);
    assert_eq!(sks(&missing), ["2024-01", "2024-03"]);
}

#[test]
fn parameters_and_pages() {
    let mut h = orders();
    let body = json!({"Statement": "SELECT * FROM Orders WHERE pk = ? AND sk >= ?", "Parameters": [{"S": "alice"}, {"S": "2024-02"}]});
    assert_eq!(sks(&h.ok("ExecuteStatement", body)), ["2024-02", "2024-03"]);
    let (kind, msg) = h.err("ExecuteStatement", json!({"Statement": "SELECT * FROM Orders WHERE pk = ?"}));
    assert_eq!(
        (kind.as_str(), msg.as_str()),
        ("ValidationException", "Number of parameters in request and statement don't match.")
    );
    let first = h.ok("ExecuteStatement", json!({"Statement": "SELECT * FROM Orders WHERE pk = 'alice'", "Limit": 2}));
    assert_eq!(sks(&first), ["2024-01", "2024-02"]);
    let token = first["NextToken"].as_str().unwrap().to_string();
    assert_eq!(first["LastEvaluatedKey"], json!({"pk": {"S": "alice"}, "sk": {"S": "2024-02"}}));
    let next = h.ok(
        "ExecuteStatement",
        json!({"Statement": "SELECT * FROM Orders WHERE pk = 'alice'", "Limit": 2, "NextToken": token}),
    );
    assert_eq!(sks(&next), ["2024-03"]);
    let (_, msg) = h.err("ExecuteStatement", json!({"Statement": "SELECT * FROM Orders", "NextToken": "nonsense"}));
    assert_eq!(msg, "Invalid NextToken");
}

#[test]
fn insert_update_and_delete_as_aws_does_them() {
    let mut h = orders();
    let insert = r#"INSERT INTO "Orders" VALUE {'pk': 'carol', 'sk': '2024-05', 'total': 5, 'tags': <<'new'>>}"#;
    assert_eq!(h.ok("ExecuteStatement", json!({"Statement": insert})), json!({"Items": []}));
    let (kind, msg) = h.err("ExecuteStatement", json!({"Statement": insert}));
    assert_eq!((kind.as_str(), msg.as_str()), ("DuplicateItemException", "Duplicate primary key exists in table"));
    let update = r#"UPDATE "Orders" SET total = total + 10 SET tags = set_add(tags, <<'paid'>>) REMOVE note WHERE pk = 'carol' AND sk = '2024-05' RETURNING ALL NEW *"#;
    let v = h.ok("ExecuteStatement", json!({"Statement": update}));
    assert_eq!(v["Items"][0]["total"], json!({"N": "15"}));
    assert_eq!(v["Items"][0]["tags"], json!({"SS": ["new", "paid"]}));
    let (kind, _) =
        h.err("ExecuteStatement", json!({"Statement": "UPDATE Orders SET total = 1 WHERE pk = 'nobody' AND sk = 'x'"}));
    assert_eq!(kind, "ConditionalCheckFailedException", "UPDATE never creates an item");
    let (_, msg) = h.err("ExecuteStatement", json!({"Statement": "UPDATE Orders SET total = 1 WHERE pk = 'carol'"}));
    assert_eq!(msg, "Where clause does not contain a mandatory equality on all key attributes");
    let (kind, _) = h.err(
        "ExecuteStatement",
        json!({"Statement": "DELETE FROM Orders WHERE pk = 'carol' AND sk = '2024-05' AND total = 99"}),
    );
    assert_eq!(kind, "ConditionalCheckFailedException");
    let gone = h.ok(
        "ExecuteStatement",
        json!({"Statement": "DELETE FROM Orders WHERE pk = 'carol' AND sk = '2024-05' RETURNING ALL OLD *"}),
    );
    assert_eq!(gone["Items"][0]["total"], json!({"N": "15"}));
    assert_eq!(
        h.ok("ExecuteStatement", json!({"Statement": "DELETE FROM Orders WHERE pk = 'carol' AND sk = '2024-05'"})),
        json!({"Items": []}),
        "a missing item is no error"
    );
}

#[test]
fn syntax_errors_in_dynamodbs_words() {
    let mut h = orders();
    let msg = |h: &mut Harness, s: &str| h.err("ExecuteStatement", json!({"Statement": s})).1;
    assert_eq!(
        msg(&mut h, "MERGE INTO Orders"),
        "Statement wasn't well formed, can't be processed: Expected data manipulation"
    );
    assert_eq!(
        msg(&mut h, "SELECT * FROM"),
        "Statement wasn't well formed, can't be processed: expected a table name, found the end of the statement"
    );
    assert_eq!(
        msg(&mut h, "SELECT * FROM Orders WHERE pk = 'a' pk"),
        "Statement wasn't well formed, can't be processed: unexpected 'pk' at 36 after the end of the statement"
    );
    assert_eq!(
        msg(&mut h, "EXISTS(SELECT * FROM Orders WHERE pk = 'a')"),
        "EXISTS(SELECT …) conditions in transactions are not built in Dynaplay yet."
    );
    let (kind, msg) = h.err("ExecuteStatement", json!({"Statement": "SELECT * FROM Nope WHERE pk = 'a'"}));
    assert_eq!((kind.as_str(), msg.as_str()), ("ResourceNotFoundException", "Requested resource not found"));
    let (_, msg) = h.err("ExecuteStatement", json!({}));
    assert_eq!(
        msg,
        "1 validation error detected: Value null at 'statement' failed to satisfy constraint: Member must not be null"
    );
}

#[test]
fn a_batch_answers_each_statement_on_its_own() {
    let mut h = orders();
    let v = h.ok(
        "BatchExecuteStatement",
        json!({"Statements": [
            {"Statement": "SELECT * FROM Orders WHERE pk = 'bob' AND sk = '2024-01'"},
            {"Statement": "SELECT * FROM Missing WHERE pk = 'x' AND sk = 'y'"},
            {"Statement": "SELECT * FROM Orders WHERE pk = 'bob'"},
        ]}),
    );
    assert_eq!(
        v["Responses"][0],
        json!({"TableName": "Orders", "Item": {"pk": {"S": "bob"}, "sk": {"S": "2024-01"}, "total": {"N": "7"}}})
    );
    assert_eq!(v["Responses"][1]["Error"]["Code"], "ResourceNotFound");
    assert_eq!(v["Responses"][2]["Error"]["Code"], "ValidationError", "a batch read names a whole key");
    let w = h.ok(
        "BatchExecuteStatement",
        json!({"Statements": [
            {"Statement": "INSERT INTO Orders VALUE {'pk': 'bob', 'sk': '2024-01'}"},
            {"Statement": "INSERT INTO Orders VALUE {'pk': 'dan', 'sk': '2024-01'}"},
        ]}),
    );
    assert_eq!(
        w["Responses"][0]["Error"],
        json!({"Code": "DuplicateItem", "Message": "Duplicate primary key exists in table"})
    );
    assert_eq!(w["Responses"][1], json!({"TableName": "Orders"}));
    let (_, msg) = h.err("BatchExecuteStatement", json!({"Statements": []}));
    assert_eq!(msg, "1 validation error detected: Value '[]' at 'statements' failed to satisfy constraint: Member must have length greater than or equal to 1");
}

#[test]
fn a_transaction_is_all_or_nothing() {
    let mut h = orders();
    let (kind, msg) = h.err(
        "ExecuteTransaction",
        json!({"TransactStatements": [
            {"Statement": "INSERT INTO Orders VALUE {'pk': 'bob', 'sk': '2024-01'}"},
            {"Statement": "INSERT INTO Orders VALUE {'pk': 'erin', 'sk': '2024-01'}"},
        ]}),
    );
    assert_eq!(kind, "TransactionCanceledException");
    assert_eq!(
        msg,
        "Transaction cancelled, please refer cancellation reasons for specific reasons [DuplicateItem, None]"
    );
    let erin = select(&mut h, "SELECT * FROM Orders WHERE pk = 'erin' AND sk = '2024-01'");
    assert_eq!(erin["Items"], json!([]), "the other insert was rolled back");
    h.ok(
        "ExecuteTransaction",
        json!({"TransactStatements": [
            {"Statement": "INSERT INTO Orders VALUE {'pk': 'erin', 'sk': '2024-01'}"},
            {"Statement": "UPDATE Orders SET total = 8 WHERE pk = 'bob' AND sk = '2024-01'"},
        ]}),
    );
    let read = h.ok(
        "ExecuteTransaction",
        json!({"TransactStatements": [
            {"Statement": "SELECT total FROM Orders WHERE pk = 'bob' AND sk = '2024-01'"},
            {"Statement": "SELECT * FROM Orders WHERE pk = 'erin' AND sk = '2024-01'"},
        ]}),
    );
    assert_eq!(read["Responses"][0], json!({"Item": {"total": {"N": "8"}}}));
    assert_eq!(read["Responses"][1]["Item"]["pk"], json!({"S": "erin"}));
}

#[test]
fn each_statement_says_what_it_ran_as_and_what_it_cost() {
    let mut h = orders();
    let plan = |h: &mut Harness, statement: &str| {
        let body = json!({"Statement": statement}).to_string();
        h.now += 1;
        h.engine.request("ExecuteStatement", body.as_bytes(), h.now).trace.plan
    };
    assert_eq!(
        plan(&mut h, "SELECT * FROM Orders WHERE pk = 'bob' AND sk = '2024-01'"),
        ["GetItem of the key {pk: 'bob', sk: '2024-01'} in Orders: 1 item read, 0.5 RCU (21 bytes → 1 × 4 KB block (rounded up) × 0.5 (eventually consistent) = 0.5 RCU)"]
    );
    assert_eq!(
        plan(&mut h, "SELECT * FROM Orders WHERE pk = 'alice' AND total > 20"),
        ["Query of one partition of Orders (pk = 'alice'): 3 items read, 0.5 RCU \
        (69 bytes → 1 × 4 KB block (rounded up) × 0.5 (eventually consistent) = 0.5 RCU)"]
    );
    assert_eq!(
        plan(&mut h, "SELECT * FROM Orders WHERE total > 20"),
        ["Scan of the whole of Orders: 4 items read, 0.5 RCU \
        (90 bytes → 1 × 4 KB block (rounded up) × 0.5 (eventually consistent) = 0.5 RCU)"]
    );
    assert_eq!(
        plan(&mut h, "UPDATE Orders SET total = 1 WHERE pk = 'bob' AND sk = '2024-01'"),
        ["UpdateItem of the key {pk: 'bob', sk: '2024-01'} in Orders, on the condition that it exists: 1 WCU"]
    );
}

#[test]
fn parameters_inside_values_and_nested_selects() {
    let mut h = orders();
    let insert = json!({"Statement": "INSERT INTO Orders VALUE {'pk': ?, 'sk': ?, 'address': {'city': ?, 'lines': [?, 'x']}}",
        "Parameters": [{"S": "fay"}, {"S": "2024-06"}, {"S": "Lima"}, {"N": "7"}]});
    h.ok("ExecuteStatement", insert);
    let v = select(&mut h, "SELECT address.city, address.lines[0] FROM Orders WHERE pk = 'fay' AND sk = '2024-06'");
    assert_eq!(
        v["Items"],
        json!([{"city": {"S": "Lima"}, "lines": {"N": "7"}}]),
        "each path's value under its last name"
    );
}

mod round_trip {
    use dynaplay_engine::partiql::ast::{
        Action, CmpOp, Cond, Delete, Operand, Path, Returning, Select, Statement, Step, Update,
    };
    use dynaplay_engine::partiql::parser::parse;
    use proptest::prelude::*;
    use serde_json::{json, Value};

    fn arb_name() -> impl Strategy<Value = String> {
        prop_oneof![4 => "[a-z][a-z0-9_]{0,6}", 1 => Just("odd \"name\"".to_string()), 1 => Just("SELECT".to_string())]
    }

    fn arb_path() -> impl Strategy<Value = Path> {
        let step = prop_oneof![arb_name().prop_map(Step::Name), (0u32..20).prop_map(Step::Index)];
        (arb_name(), proptest::collection::vec(step, 0..3))
            .prop_map(|(first, rest)| Path(std::iter::once(Step::Name(first)).chain(rest).collect()))
    }

    fn arb_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            "[a-z' -]{0,6}".prop_map(|s| json!({"S": s})),
            (-500i64..500).prop_map(|n| json!({"N": n.to_string()})),
            any::<bool>().prop_map(|b| json!({"BOOL": b})),
            Just(json!({"NULL": true})),
            proptest::collection::vec("[a-z]{0,3}", 1..3).prop_map(|s| json!({"SS": s})),
            proptest::collection::vec(0i64..9, 1..3)
                .prop_map(|n| json!({"NS": n.iter().map(i64::to_string).collect::<Vec<_>>()})),
        ];
        leaf.prop_recursive(3, 12, 3, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..3).prop_map(|l| json!({"L": l})),
                proptest::collection::btree_map("[a-z]{1,4}", inner, 0..3).prop_map(|m| json!({"M": m})),
            ]
        })
    }

    fn arb_operand() -> impl Strategy<Value = Operand> {
        prop_oneof![
            arb_path().prop_map(Operand::Path),
            arb_value().prop_map(Operand::Value),
            arb_path().prop_map(Operand::Size)
        ]
    }

    fn arb_cond() -> impl Strategy<Value = Cond> {
        let ops = prop_oneof![
            Just(CmpOp::Eq),
            Just(CmpOp::Ne),
            Just(CmpOp::Lt),
            Just(CmpOp::Le),
            Just(CmpOp::Gt),
            Just(CmpOp::Ge)
        ];
        let leaf = prop_oneof![
            (ops, arb_operand(), arb_operand()).prop_map(|(op, a, b)| Cond::Cmp(op, a, b)),
            (arb_path(), arb_value(), arb_value()).prop_map(|(p, a, b)| Cond::Between(
                Operand::Path(p),
                Operand::Value(a),
                Operand::Value(b)
            )),
            (arb_path(), proptest::collection::vec(arb_value(), 1..3))
                .prop_map(|(p, l)| Cond::In(Operand::Path(p), l.into_iter().map(Operand::Value).collect())),
            (arb_path(), any::<bool>()).prop_map(|(p, n)| Cond::Missing(p, n)),
            (arb_path(), any::<bool>()).prop_map(|(p, n)| Cond::Null(p, n)),
            (arb_path(), "[a-z]{0,3}").prop_map(|(p, s)| Cond::Func(
                "begins_with".into(),
                vec![Operand::Path(p), Operand::Value(json!({"S": s}))]
            )),
        ];
        leaf.prop_recursive(3, 10, 2, |inner| {
            prop_oneof![
                (inner.clone(), inner.clone()).prop_map(|(a, b)| Cond::And(Box::new(a), Box::new(b))),
                (inner.clone(), inner.clone()).prop_map(|(a, b)| Cond::Or(Box::new(a), Box::new(b))),
                inner.prop_map(|a| Cond::Not(Box::new(a))),
            ]
        })
    }

    fn arb_returning() -> impl Strategy<Value = Option<Returning>> {
        proptest::option::of(prop_oneof![
            Just(Returning::AllOld),
            Just(Returning::ModifiedOld),
            Just(Returning::AllNew),
            Just(Returning::ModifiedNew)
        ])
    }

    fn arb_statement() -> impl Strategy<Value = Statement> {
        let select = (
            proptest::option::of(proptest::collection::vec(arb_path(), 1..3)),
            arb_name(),
            proptest::option::of(arb_name()),
            proptest::option::of(arb_cond()),
            proptest::option::of((arb_path(), any::<bool>())),
        )
            .prop_map(|(projection, table, index, filter, order)| {
                Statement::Select(Select { projection, table, index, filter, order })
            });
        let item = proptest::collection::btree_map("[a-z]{1,4}", arb_value(), 0..3)
            .prop_map(|m| Operand::Value(json!({"M": m})));
        let insert = (arb_name(), item).prop_map(|(table, item)| Statement::Insert { table, item });
        let action = prop_oneof![
            (arb_path(), arb_operand()).prop_map(|(p, v)| Action::Set(p, v)),
            (arb_path(), arb_path(), arb_value()).prop_map(|(p, q, v)| Action::Set(
                p,
                Operand::Add(Box::new(Operand::Path(q)), Box::new(Operand::Value(v)))
            )),
            arb_path().prop_map(Action::Remove),
        ];
        let update =
            (arb_name(), proptest::collection::vec(action, 1..3), proptest::option::of(arb_cond()), arb_returning())
                .prop_map(|(table, actions, filter, returning)| {
                    Statement::Update(Update { table, actions, filter, returning })
                });
        let delete = (arb_name(), proptest::option::of(arb_cond()), arb_returning())
            .prop_map(|(table, filter, returning)| Statement::Delete(Delete { table, filter, returning }));
        prop_oneof![select, insert, update, delete]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]

        /// Printing a statement and reading it back gives the same statement.
        #[test]
        fn print_then_parse_is_the_same_statement(s in arb_statement()) {
            let text = s.to_string();
            let back = parse(&text).map_err(|e| TestCaseError::fail(format!("{text}: {}", e.message)))?;
            prop_assert_eq!(back, s, "{}", text);
        }
    }
}

#[test]
fn in_or_or_on_the_partition_key_queries_each_partition_instead_of_scanning() {
    let mut h = orders();
    let plan = |h: &mut Harness, body: Value| {
        h.now += 1;
        let r = h.engine.request("ExecuteStatement", body.to_string().as_bytes(), h.now);
        (serde_json::from_str::<Value>(&r.body).unwrap(), r.trace.plan)
    };
    let (v, p) = plan(&mut h, json!({"Statement": "SELECT * FROM Orders WHERE pk IN ['bob', 'alice'] AND total > 10"}));
    assert_eq!(sks(&v), ["2024-01", "2024-02", "2024-03"], "bob's one order is 7: only alice's pass the filter");
    assert_eq!(
        p,
        ["Query of 2 partitions of Orders, one after another (pk IN ['bob', 'alice']): 4 items read, 1 RCU \
        (21 bytes → 1 × 4 KB block (rounded up) × 0.5 (eventually consistent) = 0.5 RCU; \
        69 bytes → 1 × 4 KB block (rounded up) × 0.5 (eventually consistent) = 0.5 RCU)"]
    );
    let (v, _) = plan(
        &mut h,
        json!({"Statement": "SELECT * FROM Orders WHERE pk = 'bob' OR pk = ?", "Parameters": [{"S": "alice"}]}),
    );
    assert_eq!(v["Items"].as_array().unwrap().len(), 4);
    // Pages across partitions: two items at a time.
    let statement = "SELECT * FROM Orders WHERE pk IN ['bob', 'alice']";
    let (first, _) = plan(&mut h, json!({"Statement": statement, "Limit": 2}));
    assert_eq!(sks(&first), ["2024-01", "2024-01"]);
    let (second, _) = plan(&mut h, json!({"Statement": statement, "Limit": 2, "NextToken": first["NextToken"]}));
    assert_eq!(sks(&second), ["2024-02", "2024-03"]);
    let (third, _) = plan(&mut h, json!({"Statement": statement, "Limit": 2, "NextToken": second["NextToken"]}));
    assert_eq!((third["Items"].as_array().unwrap().len(), third.get("NextToken")), (0, None));
    let (_, p) = plan(&mut h, json!({"Statement": "SELECT * FROM Orders WHERE pk = 'bob' OR total = 7"}));
    assert!(p[0].starts_with("Scan of the whole of Orders"), "{p:?}");
}

#[test]
fn members_of_the_wrong_type_are_refused_as_dynamodb_deserializes_them() {
    let mut h = orders();
    let (status, v) = h.call("ExecuteStatement", json!({"Statement": 5}));
    assert_eq!(status, 400);
    assert_eq!(v["__type"], "com.amazon.coral.service#SerializationException");
    let (status, v) = h.call(
        "ExecuteTransaction",
        json!({"TransactStatements": [{"Statement": "SELECT * FROM Orders", "Parameters": "x"}]}),
    );
    assert_eq!((status, v["__type"].as_str()), (400, Some("com.amazon.coral.service#SerializationException")));
}

#[test]
fn a_syntax_error_says_where_it_is_for_the_page_to_underline() {
    let mut h = orders();
    let body = json!({"Statement": "SELECT * FROM \"Orders\" WHERE total > > 1"});
    let r = h.engine.request("ExecuteStatement", body.to_string().as_bytes(), h.now + 1);
    let span = r.trace.error_span.expect("a span");
    assert_eq!((span.parameter, span.start, span.end), ("Statement", 37, 38));
    assert!(
        !r.body.contains("37, 38") && r.body.contains("expected a value or an attribute path, found '>' at 37"),
        "the wire answer is the message: {}",
        r.body
    );
}
