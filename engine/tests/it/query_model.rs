//! A model test of Query's key conditions and paging: random items, then random Queries
//! (every sort-key operator, both directions, small limits, the table or a global
//! index) paged through to the end and compared with the items a reference picks out
//! and orders. A page is read from a range of the table's map (`ops/query/seek.rs`);
//! this checks that the range holds exactly what the condition accepts.

use proptest::prelude::*;
use serde_json::{json, Value};

use crate::support::Harness;

#[derive(Clone, Debug)]
struct Row {
    pk: &'static str,
    sk: String,
    g: Option<&'static str>,
    n: Option<&'static str>,
}

const NUMBERS: [&str; 8] = ["-2.5", "-1", "0", "0.25", "1", "1.5", "10", "100"];

fn row() -> impl Strategy<Value = Row> {
    let sk = proptest::collection::vec(prop_oneof![Just('a'), Just('b'), Just('é')], 1..4);
    let g = proptest::option::of(prop_oneof![Just("x"), Just("y")]);
    (prop_oneof![Just("a"), Just("b")], sk, g, 0..NUMBERS.len()).prop_map(|(pk, sk, g, n)| Row {
        pk,
        sk: sk.into_iter().collect(),
        g,
        n: g.and(NUMBERS.get(n).copied()),
    })
}

#[derive(Clone, Debug)]
struct Ask {
    index: bool,
    /// Operator and its operands, as indexes into the values of the queried sort key.
    op: &'static str,
    a: usize,
    b: usize,
    forward: bool,
    limit: u32,
}

fn ask() -> impl Strategy<Value = Ask> {
    let op = prop_oneof![
        Just(""),
        Just("="),
        Just("<"),
        Just("<="),
        Just(">"),
        Just(">="),
        Just("BETWEEN"),
        Just("begins_with")
    ];
    (any::<bool>(), op, 0usize..8, 0usize..8, any::<bool>(), 1u32..5).prop_map(|(index, op, a, b, forward, limit)| {
        // begins_with takes a string: the table's sort key only.
        let index = index && op != "begins_with";
        Ask { index, op, a: a.min(b), b: a.max(b), forward, limit }
    })
}

const STRINGS: [&str; 8] = ["a", "aa", "ab", "b", "ba", "bé", "é", "éa"];

/// A sort key as the reference orders it: a number's value, a string's bytes.
#[derive(Clone, Debug, PartialEq, PartialOrd)]
enum Sort {
    N(f64),
    S(Vec<u8>),
}

fn sort_of(v: &Value) -> Sort {
    match (v.get("N"), v.get("S")) {
        (Some(n), _) => Sort::N(n.as_str().unwrap().parse().unwrap()),
        (_, Some(s)) => Sort::S(s.as_str().unwrap().as_bytes().to_vec()),
        _ => panic!("not a sort key: {v}"),
    }
}

fn accepts(op: &str, v: &Sort, lo: &Sort, hi: &Sort) -> bool {
    match op {
        "" => true,
        "=" => v == lo,
        "<" => v < lo,
        "<=" => v <= lo,
        ">" => v > lo,
        ">=" => v >= lo,
        "BETWEEN" => lo <= v && v <= hi,
        _ => matches!((v, lo), (Sort::S(v), Sort::S(p)) if v.starts_with(p)),
    }
}

fn condition(ask: &Ask, sort: &str, lo: &Value, hi: &Value) -> (String, Value) {
    let (part, mut values) = match ask.op {
        "" => (String::new(), json!({})),
        "BETWEEN" => (format!(" AND {sort} BETWEEN :lo AND :hi"), json!({":lo": lo, ":hi": hi})),
        "begins_with" => (format!(" AND begins_with({sort}, :lo)"), json!({":lo": lo})),
        op => (format!(" AND {sort} {op} :lo"), json!({":lo": lo})),
    };
    values[":p"] = json!({"S": if ask.index { "x" } else { "a" }});
    let hash = if ask.index { "g" } else { "pk" };
    (format!("{hash} = :p{part}"), values)
}

/// Every item the Query returns, page after page.
fn query_all(h: &mut Harness, ask: &Ask, lo: &Value, hi: &Value) -> Vec<Value> {
    let sort = if ask.index { "n" } else { "sk" };
    let (expression, values) = condition(ask, sort, lo, hi);
    let mut body = json!({"TableName": "qry", "KeyConditionExpression": expression, "ExpressionAttributeValues": values,
        "ScanIndexForward": ask.forward, "Limit": ask.limit});
    if ask.index {
        body["IndexName"] = json!("byN");
    }
    let mut items = Vec::new();
    for _ in 0..100 {
        let page = h.ok("Query", body.clone());
        items.extend(page["Items"].as_array().unwrap().iter().cloned());
        match page.get("LastEvaluatedKey") {
            Some(start) => body["ExclusiveStartKey"] = start.clone(),
            None => return items,
        }
    }
    panic!("a Query that never ends: {body}");
}

/// Every item a Scan of the global index returns, segment after segment, page after page.
fn scan_index(h: &mut Harness, limit: u32, segments: u32) -> Vec<(String, String)> {
    let mut items = Vec::new();
    for segment in 0..segments {
        let mut body = json!({"TableName": "qry", "IndexName": "byN", "Limit": limit, "Segment": segment, "TotalSegments": segments});
        for page in 0.. {
            assert!(page < 100, "a Scan that never ends: {body}");
            let answer = h.ok("Scan", body.clone());
            let got = answer["Items"].as_array().unwrap().iter();
            items.extend(
                got.map(|i| (i["pk"]["S"].as_str().unwrap().to_string(), i["sk"]["S"].as_str().unwrap().to_string())),
            );
            match answer.get("LastEvaluatedKey") {
                Some(start) => body["ExclusiveStartKey"] = start.clone(),
                None => break,
            }
        }
    }
    items.sort();
    items
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]
    #[test]
    fn every_page_of_a_query_holds_what_its_condition_accepts(rows in proptest::collection::vec(row(), 0..40), asks in proptest::collection::vec(ask(), 1..8)) {
        let mut h = Harness::new();
        h.ok("CreateTable", json!({"TableName": "qry", "BillingMode": "PAY_PER_REQUEST",
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "S"},
                {"AttributeName": "g", "AttributeType": "S"}, {"AttributeName": "n", "AttributeType": "N"}],
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
            "GlobalSecondaryIndexes": [{"IndexName": "byN", "Projection": {"ProjectionType": "ALL"},
                "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}, {"AttributeName": "n", "KeyType": "RANGE"}]}]}));
        let mut stored: std::collections::BTreeMap<(&str, String), Row> = Default::default();
        for r in rows {
            let mut item = json!({"pk": {"S": r.pk}, "sk": {"S": r.sk}});
            if let (Some(g), Some(n)) = (r.g, r.n) {
                item["g"] = json!({"S": g});
                item["n"] = json!({"N": n});
            }
            h.put("qry", item);
            stored.insert((r.pk, r.sk.clone()), r);
        }
        let (limit, segments) = (asks[0].limit, asks[0].a as u32 % 3 + 1);
        let indexed: Vec<(String, String)> = stored.values().filter(|r| r.g.is_some()).map(|r| (r.pk.to_string(), r.sk.clone())).collect();
        prop_assert_eq!(scan_index(&mut h, limit, segments), indexed, "Scan of the index, Limit {}, {} segments", limit, segments);
        for ask in asks {
            let (lo, hi) = if ask.index {
                (json!({"N": NUMBERS[ask.a]}), json!({"N": NUMBERS[ask.b]}))
            } else {
                (json!({"S": STRINGS[ask.a]}), json!({"S": STRINGS[ask.b]}))
            };
            let got = query_all(&mut h, &ask, &lo, &hi);
            let (lo, hi) = (sort_of(&lo), sort_of(&hi));
            let key_of = |r: &Row| if ask.index { json!({"N": r.n.unwrap()}) } else { json!({"S": r.sk}) };
            let mut want: Vec<(Sort, &Row)> = stored
                .values()
                .filter(|r| if ask.index { r.g == Some("x") } else { r.pk == "a" })
                .map(|r| (sort_of(&key_of(r)), r))
                .filter(|(v, _)| accepts(ask.op, v, &lo, &hi))
                .collect();
            want.sort_by(|x, y| x.0.partial_cmp(&y.0).unwrap());
            if !ask.forward {
                want.reverse();
            }
            // Equal index keys come in table-key order, which the reference does not model:
            // the sort keys must match in order, and the items as a set.
            let name = if ask.index { "n" } else { "sk" };
            let got_keys: Vec<Sort> = got.iter().map(|i| sort_of(&i[name])).collect();
            let want_keys: Vec<Sort> = want.iter().map(|(v, _)| v.clone()).collect();
            prop_assert_eq!(got_keys, want_keys, "{:?}", ask);
            let key = |pk: &str, sk: &str| (pk.to_string(), sk.to_string());
            let mut got_items: Vec<_> = got.iter().map(|i| key(i["pk"]["S"].as_str().unwrap(), i["sk"]["S"].as_str().unwrap())).collect();
            let mut want_items: Vec<_> = want.iter().map(|(_, r)| key(r.pk, &r.sk)).collect();
            got_items.sort();
            want_items.sort();
            prop_assert_eq!(got_items, want_items, "{:?}", ask);
        }
    }
}
