//! The wire entry point under arbitrary input: every request gets an answer (200 or an
//! AWS error), never a panic, with IAM off and on (arbitrary policies, about a fifth of
//! them valid, deciding arbitrary requests). Proptest-driven so it runs in CI; expressions get their
//! own generator biased towards the grammar's tokens.

use proptest::prelude::*;
use serde_json::{json, Value};

use crate::support::Harness;

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        "[a-zA-Z0-9:#. _-]{0,12}".prop_map(Value::String),
        prop_oneof![Just("S"), Just("N"), Just("B"), Just("SS"), Just("L"), Just("M"), Just("NULL"), Just("BOOL")]
            .prop_map(|s| json!(s)),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            proptest::collection::btree_map(
                prop_oneof![
                    Just("TableName".to_string()),
                    Just("Key".to_string()),
                    Just("Item".to_string()),
                    Just("S".to_string()),
                    Just("N".to_string()),
                    Just("M".to_string()),
                    Just("L".to_string()),
                    Just("KeyConditionExpression".to_string()),
                    Just("ExpressionAttributeValues".to_string()),
                    Just("TransactItems".to_string()),
                    Just("RequestItems".to_string()),
                    Just("Limit".to_string()),
                    "[a-zA-Z:#]{1,8}",
                ],
                inner,
                0..5,
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn arb_expression() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        Just("a"),
        Just("b.c"),
        Just("l[0]"),
        Just("#n"),
        Just(":v"),
        Just(":w"),
        Just("="),
        Just("<>"),
        Just("<"),
        Just(">="),
        Just("AND"),
        Just("OR"),
        Just("NOT"),
        Just("BETWEEN"),
        Just("IN"),
        Just("("),
        Just(")"),
        Just(","),
        Just("SET"),
        Just("REMOVE"),
        Just("ADD"),
        Just("DELETE"),
        Just("+"),
        Just("-"),
        Just("size"),
        Just("attribute_exists"),
        Just("begins_with"),
        Just("list_append"),
        Just("if_not_exists"),
        Just("["),
        Just("]"),
        Just("."),
        Just("status"),
        Just("0"),
        Just("@"),
        Just("é"),
    ];
    proptest::collection::vec(token, 0..14).prop_map(|t| t.join(" "))
}

use dynaplay_engine::OPERATIONS as OPS;

/// Clocks from the epoch to the end of `u64`, biased to the edges.
fn arb_clock() -> impl Strategy<Value = u64> {
    prop_oneof![
        Just(0u64),
        Just(u64::MAX),
        (0u64..1000).prop_map(|d| u64::MAX - d),
        any::<u64>(),
        1_600_000_000_000u64..1_900_000_000_000
    ]
}

fn seeded() -> Harness {
    let mut h = Harness::new();
    h.table("fz1", Some("N"));
    h.now += 1000;
    h.put("fz1", json!({"pk": {"S": "a"}, "sk": {"N": "1"}, "l": {"L": [{"N": "1"}]}, "b": {"M": {"c": {"S": "x"}}}}));
    h
}

/// `op` with `body` at `now` answers 200 or an AWS error envelope, in JSON, and a refused
/// request changes nothing but the clock (which is settled first, so only the request can).
fn answers(h: &mut Harness, op: &str, body: &Value, now: u64) -> Result<(), TestCaseError> {
    h.engine.tick(now);
    let before = h.engine.export().unwrap();
    let r = h.engine.request(op, body.to_string().as_bytes(), now);
    prop_assert!(r.status == 200 || r.status == 400, "{} {}", r.status, r.body);
    let v: Value = serde_json::from_str(&r.body).expect("JSON");
    prop_assert!(r.status == 200 || v["__type"].as_str().is_some_and(|t| t.contains('#')), "{}", r.body);
    if r.status == 400 {
        let mut after = h.engine.export().unwrap();
        after["clockMs"] = before["clockMs"].clone();
        prop_assert_eq!(&after, &before, "{} changed the workspace: {}", op, r.body);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn arbitrary_bodies_never_panic(op in 0usize..OPS.len(), body in arb_json(), now in arb_clock()) {
        answers(&mut seeded(), OPS[op], &body, now)?;
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
        let mut h = seeded();
        let r = h.engine.request("PutItem", &bytes, 1);
        prop_assert!(r.status == 400 || r.status == 200);
    }

    #[test]
    fn arbitrary_expressions_never_panic(cond in arb_expression(), upd in arb_expression()) {
        let mut h = seeded();
        let values = json!({":v": {"N": "1"}, ":w": {"L": [{"S": "x"}]}});
        let names = json!({"#n": "n"});
        let (s1, _) = h.call("UpdateItem", json!({"TableName": "fz1", "Key": {"pk": {"S": "a"}, "sk": {"N": "1"}},
            "UpdateExpression": upd, "ConditionExpression": cond.clone(), "ExpressionAttributeValues": values.clone(), "ExpressionAttributeNames": names.clone()}));
        let (s2, _) = h.call("Query", json!({"TableName": "fz1", "KeyConditionExpression": cond.clone(), "FilterExpression": cond.clone(),
            "ExpressionAttributeValues": values.clone(), "ExpressionAttributeNames": names.clone()}));
        let (s3, _) = h.call("Scan", json!({"TableName": "fz1", "ProjectionExpression": cond, "ExpressionAttributeNames": names}));
        prop_assert!([s1, s2, s3].iter().all(|s| *s == 200 || *s == 400));
    }
}

/// A harness whose followers lag, whose transactions stay in flight and whose one table
/// has a single unit of capacity each way at teaching scale 1,000 (partition ceilings of
/// 3 and 1 units a second), with recent writes, so reads take the replica paths, writes
/// meet held items and requests meet throttling.
fn lagging() -> Harness {
    let mut h = seeded();
    h.engine = dynaplay_engine::Engine::new(dynaplay_engine::Config {
        replication_lag_ms: 5_000,
        transaction_ms: 2_000,
        seed: 9,
        enforce_capacity: true,
        ..dynaplay_engine::Config::default()
    });
    h.ok(
        "CreateTable",
        json!({"TableName": "fz1", "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1},
            "DynaplayTeachingScale": 1000,
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "N"}],
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}]}),
    );
    // A second apart: the table's partitions serve one write unit a second.
    h.now += 1000;
    h.put("fz1", json!({"pk": {"S": "a"}, "sk": {"N": "1"}}));
    h.now += 1000;
    h.put("fz1", json!({"pk": {"S": "b"}, "sk": {"N": "2"}, "l": {"L": [{"N": "1"}]}}));
    h.now += 1000;
    h.call(
        "TransactWriteItems",
        json!({"TransactItems": [{"Update": {"TableName": "fz1", "Key": {"pk": {"S": "a"}, "sk": {"N": "1"}},
        "UpdateExpression": "SET x = :x", "ExpressionAttributeValues": {":x": {"S": "y"}}}}]}),
    );
    h.now += 1000;
    h.call("DeleteItem", json!({"TableName": "fz1", "Key": {"pk": {"S": "b"}, "sk": {"N": "2"}}}));
    h
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// With a replication lag, transactions in flight and capacity enforced, any request
    /// at any clock still gets 200 or an AWS error, and a refused one changes nothing.
    #[test]
    fn arbitrary_bodies_with_lag_and_transactions_never_panic(op in 0usize..OPS.len(), body in arb_json(), later in prop_oneof![0u64..3_000, any::<u64>()]) {
        let mut h = lagging();
        let now = h.now.saturating_add(later);
        answers(&mut h, OPS[op], &body, now)?;
    }

    /// Reads of every kind, eventually consistent, within and after the lag.
    #[test]
    fn replica_reads_never_panic(later in 0u64..8_000, which in 0usize..5) {
        let mut h = lagging();
        h.now = h.now.saturating_add(later);
        let key = json!({"pk": {"S": "b"}, "sk": {"N": "2"}});
        let (op, body) = [
            ("GetItem", json!({"TableName": "fz1", "Key": key})),
            ("BatchGetItem", json!({"RequestItems": {"fz1": {"Keys": [key]}}})),
            ("Query", json!({"TableName": "fz1", "KeyConditionExpression": "pk = :p", "ExpressionAttributeValues": {":p": {"S": "b"}}})),
            ("Scan", json!({"TableName": "fz1"})),
            ("Scan", json!({"TableName": "fz1", "Segment": 1, "TotalSegments": 3})),
        ][which].clone();
        let (status, _) = h.call(op, body);
        prop_assert_eq!(status, 200);
    }
}

/// PartiQL-ish text: the grammar's words, symbols, names and values in any order.
fn arb_statement() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        prop_oneof![
            Just("SELECT"),
            Just("INSERT INTO"),
            Just("UPDATE"),
            Just("DELETE FROM"),
            Just("FROM"),
            Just("WHERE")
        ],
        prop_oneof![Just("SET"), Just("REMOVE"), Just("VALUE"), Just("AND"), Just("OR"), Just("NOT"), Just("IN")],
        prop_oneof![Just("BETWEEN"), Just("IS"), Just("MISSING"), Just("NULL"), Just("ORDER BY"), Just("DESC")],
        prop_oneof![
            Just("RETURNING ALL OLD *"),
            Just("begins_with("),
            Just("size("),
            Just("set_add("),
            Just("list_append(")
        ],
        prop_oneof![
            Just("\"fz1\""),
            Just("fz1"),
            Just("pk"),
            Just("sk"),
            Just("l[0]"),
            Just("b.c"),
            Just("\"fz1\".\"ix\"")
        ],
        prop_oneof![
            Just("'a'"),
            Just("1"),
            Just("-2.5"),
            Just("?"),
            Just("<<'x'>>"),
            Just("{'pk': 'a', 'sk': 1}"),
            Just("[1, 'y']")
        ],
        prop_oneof![
            Just("="),
            Just("<>"),
            Just("<"),
            Just(">="),
            Just("+"),
            Just("-"),
            Just(","),
            Just("("),
            Just(")")
        ],
        prop_oneof![
            Just("*"),
            Just("."),
            Just("["),
            Just("]"),
            Just("{"),
            Just("}"),
            Just("<<"),
            Just(">>"),
            Just(";"),
            Just("'")
        ],
    ];
    proptest::collection::vec(token, 0..24).prop_map(|t| t.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// Any PartiQL text, with or without parameters, gets 200 or an AWS error, and a
    /// refused statement changes nothing.
    #[test]
    fn arbitrary_statements_never_panic(text in arb_statement(), params in 0usize..3, now in arb_clock()) {
        let parameters: Vec<Value> = (0..params).map(|i| json!({"S": format!("p{i}")})).collect();
        let one = if params == 0 { json!({"Statement": text}) } else { json!({"Statement": text, "Parameters": parameters}) };
        answers(&mut seeded(), "ExecuteStatement", &one, now)?;
        answers(&mut seeded(), "BatchExecuteStatement", &json!({"Statements": [one.clone(), one.clone()]}), now)?;
        answers(&mut seeded(), "ExecuteTransaction", &json!({"TransactStatements": [one]}), now)?;
    }
}

/// Policy documents shaped like IAM's, with the grammar's words and some that are not.
fn arb_policy() -> impl Strategy<Value = Value> {
    let word = prop_oneof![
        Just("dynamodb:*".to_string()),
        Just("dynamodb:GetItem".to_string()),
        Just("*".to_string()),
        Just("${aws:username}".to_string()),
        Just("arn:aws:dynamodb:*:*:table/fz*".to_string()),
        Just("${".to_string()),
        Just("10.0.0.0/8".to_string()),
        Just("2026-01-01".to_string()),
        "[a-zA-Z0-9:/*?${}.-]{0,16}",
    ];
    let operator = prop_oneof![
        Just("StringEquals"),
        Just("ForAllValues:StringLike"),
        Just("ForAnyValue:StringNotEquals"),
        Just("NumericLessThan"),
        Just("DateGreaterThanIfExists"),
        Just("IpAddress"),
        Just("Null"),
        Just("Bool"),
        Just("ArnLike"),
        Just("StringEqual"),
    ];
    let operator = prop_oneof![6 => operator, 1 => Just("NumericLessThan")];
    let key = prop_oneof![
        Just("dynamodb:LeadingKeys"),
        Just("dynamodb:Attributes"),
        Just("aws:username"),
        Just("aws:CurrentTime"),
        Just("dynamodb:EnclosingOperation"),
    ];
    let some = proptest::collection::btree_map(
        operator,
        proptest::collection::btree_map(key, proptest::collection::vec(word.clone(), 0..3), 1..3),
        1..3,
    );
    let condition = prop_oneof![1 => Just(std::collections::BTreeMap::new()), 1 => some];
    let action =
        prop_oneof![3 => Just("dynamodb:*".to_string()), 3 => Just("dynamodb:Get*".to_string()), 1 => word.clone()];
    let statement = (
        prop_oneof![4 => Just("Allow"), 4 => Just("Deny"), 1 => Just("Maybe")],
        proptest::collection::vec(action, 1..3),
        proptest::collection::vec(word, 1..3),
        condition,
        any::<bool>(),
    )
        .prop_map(|(effect, actions, resources, condition, not)| {
            let mut s = json!({"Effect": effect, "Condition": condition});
            s[if not { "NotAction" } else { "Action" }] = json!(actions);
            s["Resource"] = json!(resources);
            s
        });
    proptest::collection::vec(statement, 1..4).prop_map(|st| json!({"Version": "2012-10-17", "Statement": st}))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(600))]

    /// Any policy is accepted or refused with a ValidationException (a refusal changes
    /// nothing); an accepted one then decides arbitrary requests of every operation
    /// without a panic, while IAM is enforced.
    #[test]
    fn arbitrary_policies_and_requests_under_iam_never_panic(policy in arb_policy(), op in 0usize..OPS.len(), body in arb_json(), now in arb_clock()) {
        let mut h = seeded();
        let arn = "arn:aws:iam::000000000000:user/fz";
        let put = json!({"Arn": arn, "Policies": [{"PolicyName": "p", "PolicyDocument": policy.to_string()}]});
        let at = h.now + 1;
        answers(&mut h, "PutPrincipal", &put, at)?;
        if h.engine.iam().principals.contains_key(arn) {
            h.ok("UpdateAccessControl", json!({"Enforce": true, "ActingAs": arn}));
            answers(&mut h, OPS[op], &body, now)?;
        }
    }
}

/// Checks of every kind, with bodies that name the seeded table or not.
fn arb_check() -> impl Strategy<Value = Value> {
    let kind = prop_oneof![
        Just("all"),
        Just("any"),
        Just("table"),
        Just("index"),
        Just("item"),
        Just("noItem"),
        Just("itemCount"),
        Just("stream"),
        Just("partitions"),
        Just("lastRequest"),
        Just("other"),
    ];
    let body = prop_oneof![
        arb_json(),
        (arb_json(), any::<u8>())
            .prop_map(|(key, n)| json!({"table": "fz1", "key": key, "atLeast": n, "attributes": key})),
        Just(json!({"table": "fz1", "key": {"pk": {"S": "a"}, "sk": {"N": "1"}}, "attributes": {"l": {"L": []}}})),
        Just(
            json!({"operation": ["GetItem", "Query"], "countAtLeast": 1, "consumedAtMost": -1.5, "response": {"Count": 1}})
        ),
        Just(json!([{"table": {"table": "fz1"}}, {"lastRequest": {"status": 200}}])),
    ];
    (kind, body).prop_map(|(k, b)| json!({ k: b }))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Any lesson-shaped JSON is read or refused, never a panic; a check read from it
    /// evaluates without a panic too.
    #[test]
    fn arbitrary_lessons_and_checks_never_panic(steps in arb_json(), check in arb_check()) {
        let doc = json!({"format": "dynaplay-lesson", "version": 1, "title": "t", "steps": [
            {"title": "s", "instructions": "i", "task": "t", "check": check.clone(), "solution": [{"operation": "ListTables"}]}]});
        if let Ok(lesson) = dynaplay_engine::lesson::Lesson::from_json(&doc) {
            let _ = dynaplay_engine::lesson::verify(&lesson);
        }
        let _ = dynaplay_engine::lesson::Lesson::from_json(&json!({"format": "dynaplay-lesson", "version": 1, "title": "t", "steps": steps}));
        if let Ok(c) = dynaplay_engine::lesson::Check::from_json(&check) {
            let _ = c.evaluate(&seeded().engine, None);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Any workshop-shaped JSON, and any link payload, is read or refused, never a panic;
    /// a workshop read is written back and read again as the same workshop.
    #[test]
    fn arbitrary_workshops_and_links_never_panic(lessons in arb_json(), workspace in arb_json(), text in ".{0,80}", bytes in proptest::collection::vec(any::<u8>(), 0..48)) {
        use dynaplay_engine::lesson::Workshop;
        let doc = json!({"format": "dynaplay-workshop", "version": 1, "title": "w",
            "lessons": [lessons.clone(), "01-tables-and-keys"], "workspace": workspace});
        if let Ok(w) = Workshop::from_json(&doc) {
            prop_assert_eq!(Workshop::from_json(&w.to_json()).ok(), Some(w));
        }
        let _ = Workshop::from_json(&json!({"format": "dynaplay-workshop", "version": 1, "title": "w", "lessons": lessons}));
        let _ = Workshop::from_link(&text);
        let _ = Workshop::from_link(&format!("1.{text}"));
        let _ = Workshop::parse(&String::from_utf8_lossy(&bytes));
    }
}

/// A stored item record around arbitrary JSON, or arbitrary text, or a real record with
/// one byte changed: what a damaged IndexedDB store could hand a reload.
fn arb_stored_text() -> impl Strategy<Value = String> {
    let real = r#"{"t":"t","i":{"pk":{"S":"a"},"n":{"N":"1.5"},"b":{"B":"AQI="},"l":{"L":[{"NULL":true},{"M":{"x":{"SS":["a"]}}}]},"s":{"NS":["1"]},"bs":{"BS":["AQ=="]}}}"#;
    prop_oneof![
        arb_json().prop_map(|i| json!({"t": "t", "i": i}).to_string()),
        ".*",
        (0..real.len(), any::<u8>()).prop_map(move |(at, b)| {
            let mut bytes = real.as_bytes().to_vec();
            bytes[at] = b;
            String::from_utf8_lossy(&bytes).into_owned()
        }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// A reload of damaged item or change records is refused, never a panic.
    #[test]
    fn damaged_stored_records_never_panic(item in arb_stored_text(), change in arb_stored_text()) {
        let _ = dynaplay_engine::Engine::restore_stored(dynaplay_engine::Config::default(), 0, &[], &[item], &[]);
        let group = format!("[{change}]");
        let _ = dynaplay_engine::Engine::restore_stored(dynaplay_engine::Config::default(), 0, &[], &[], &[change, group]);
    }
}
