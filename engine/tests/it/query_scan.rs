use serde_json::{json, Value};

use crate::support::Harness;

fn numbers_table(h: &mut Harness) {
    h.table("nums", Some("N"));
    for i in [1, 2, 9, 10, 11, 100] {
        h.put("nums", json!({"pk": {"S": "p"}, "sk": {"N": i.to_string()}, "even": {"BOOL": i % 2 == 0}}));
    }
    h.put("nums", json!({"pk": {"S": "other"}, "sk": {"N": "5"}}));
}

fn sks(v: &Value) -> Vec<String> {
    v["Items"].as_array().unwrap().iter().map(|i| i["sk"]["N"].as_str().unwrap().to_string()).collect()
}

fn query(h: &mut Harness, cond: &str, values: Value, extra: Value) -> Value {
    let mut b = json!({"TableName": "nums", "KeyConditionExpression": cond, "ExpressionAttributeValues": values});
    for (k, v) in extra.as_object().unwrap() {
        b[k] = v.clone();
    }
    h.ok("Query", b)
}

#[test]
fn numbers_sort_numerically_and_strings_bytewise() {
    let mut h = Harness::new();
    numbers_table(&mut h);
    let r = query(&mut h, "pk = :p", json!({":p": {"S": "p"}}), json!({}));
    assert_eq!(sks(&r), ["1", "2", "9", "10", "11", "100"]);
    let r = query(&mut h, "pk = :p", json!({":p": {"S": "p"}}), json!({"ScanIndexForward": false}));
    assert_eq!(sks(&r), ["100", "11", "10", "9", "2", "1"]);
    h.table("strs", Some("S"));
    for s in ["9", "10", "a", "B", "¿"] {
        h.put("strs", json!({"pk": {"S": "p"}, "sk": {"S": s}}));
    }
    let r = h.ok("Query", json!({"TableName": "strs", "KeyConditionExpression": "pk = :p", "ExpressionAttributeValues": {":p": {"S": "p"}}}));
    let got: Vec<&str> = r["Items"].as_array().unwrap().iter().map(|i| i["sk"]["S"].as_str().unwrap()).collect();
    assert_eq!(got, ["10", "9", "B", "a", "¿"]);
}

#[test]
fn every_key_condition_form() {
    let mut h = Harness::new();
    numbers_table(&mut h);
    let p = json!({"S": "p"});
    let cases: [(&str, Value, &[&str]); 6] = [
        ("pk = :p AND sk = :v", json!({":p": p, ":v": {"N": "10"}}), &["10"]),
        ("pk = :p AND sk < :v", json!({":p": p, ":v": {"N": "10"}}), &["1", "2", "9"]),
        ("pk = :p AND sk <= :v", json!({":p": p, ":v": {"N": "10"}}), &["1", "2", "9", "10"]),
        ("pk = :p AND sk > :v", json!({":p": p, ":v": {"N": "10"}}), &["11", "100"]),
        ("sk >= :v AND pk = :p", json!({":p": p, ":v": {"N": "11"}}), &["11", "100"]),
        (
            "pk = :p AND sk BETWEEN :a AND :b",
            json!({":p": p, ":a": {"N": "2"}, ":b": {"N": "11"}}),
            &["2", "9", "10", "11"],
        ),
    ];
    for (cond, values, want) in cases {
        assert_eq!(sks(&query(&mut h, cond, values, json!({}))), want, "{cond}");
    }
}

#[test]
fn key_condition_errors() {
    let mut h = Harness::new();
    numbers_table(&mut h);
    let cases = [
        ("pk = :p OR sk = :v", "Invalid operator used in KeyConditionExpression: OR"),
        ("sk = :v", "Query condition missed key schema element: pk"),
        ("attr1 = :v", "Query condition missed key schema element: pk"),
        ("pk = :p AND attr1 = :v", "Query condition missed key schema element: sk"),
        (
            "pk = :p AND begins_with(sk, :s)",
            "One or more parameter values were invalid: Condition parameter type does not match schema type",
        ),
        ("pk = :p AND sk = :v AND sk = :v", "KeyConditionExpressions must only contain one condition per key"),
        ("pk < :p", "Query key condition not supported"),
    ];
    for (cond, msg) in cases {
        let mut values = if cond.contains(":p") { json!({":p": {"S": "p"}}) } else { json!({}) };
        if cond.contains(":v") {
            values[":v"] = json!({"N": "1"});
        }
        if cond.contains(":s") {
            values[":s"] = json!({"S": "1"});
        }
        let (t, m) = h.err(
            "Query",
            json!({"TableName": "nums", "KeyConditionExpression": cond, "ExpressionAttributeValues": values}),
        );
        assert_eq!((t.as_str(), m.as_str()), ("ValidationException", msg), "{cond}");
    }
    let (_, m) = h.err("Query", json!({"TableName": "nums"}));
    assert_eq!(m, "Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.");
    let (_, m) = h.err("Query", json!({"TableName": "nums", "KeyConditionExpression": "pk = :p", "FilterExpression": "sk > :p", "ExpressionAttributeValues": {":p": {"S": "p"}}}));
    assert_eq!(m, "Filter Expression can only contain non-primary key attributes: Primary key attribute: sk");
}

#[test]
fn limit_counts_items_evaluated_and_pages_resume() {
    let mut h = Harness::new();
    numbers_table(&mut h);
    let v = json!({":p": {"S": "p"}, ":t": {"BOOL": true}});
    let r = query(&mut h, "pk = :p", v.clone(), json!({"Limit": 2, "FilterExpression": "even = :t"}));
    assert_eq!((r["Count"].clone(), r["ScannedCount"].clone()), (json!(1), json!(2)));
    assert_eq!(r["LastEvaluatedKey"], json!({"pk": {"S": "p"}, "sk": {"N": "2"}}));
    let r = query(
        &mut h,
        "pk = :p",
        v.clone(),
        json!({"Limit": 2, "FilterExpression": "even = :t", "ExclusiveStartKey": r["LastEvaluatedKey"]}),
    );
    assert_eq!(sks(&r), ["10"]);
    // A Limit that lands exactly on the last item still returns a LastEvaluatedKey; the
    // next page is empty and has none, as DynamoDB behaves.
    let r = query(&mut h, "pk = :p", json!({":p": {"S": "p"}}), json!({"Limit": 6}));
    assert!(r.get("LastEvaluatedKey").is_some());
    let r = query(
        &mut h,
        "pk = :p",
        json!({":p": {"S": "p"}}),
        json!({"Limit": 6, "ExclusiveStartKey": r["LastEvaluatedKey"]}),
    );
    assert_eq!((r["Count"].clone(), r.get("LastEvaluatedKey")), (json!(0), None));
    let r = query(&mut h, "pk = :p", json!({":p": {"S": "p"}}), json!({"Select": "COUNT"}));
    assert_eq!(r, json!({"Count": 6, "ScannedCount": 6}));
    // A starting key outside what the key condition selects is refused.
    let err = |h: &mut Harness, cond: &str, values: Value, start: Value| {
        h.err("Query", json!({"TableName": "nums", "KeyConditionExpression": cond, "ExpressionAttributeValues": values, "ExclusiveStartKey": start})).1
    };
    assert_eq!(
        err(&mut h, "pk = :p", json!({":p": {"S": "p"}}), json!({"pk": {"S": "q"}, "sk": {"N": "2"}})),
        "The provided starting key is outside query boundaries based on provided conditions"
    );
    assert_eq!(
        err(
            &mut h,
            "pk = :p AND sk > :n",
            json!({":p": {"S": "p"}, ":n": {"N": "5"}}),
            json!({"pk": {"S": "p"}, "sk": {"N": "2"}})
        ),
        "The provided starting key does not match the range key predicate"
    );
}

#[test]
fn pages_stop_at_one_megabyte_before_filtering() {
    let mut h = Harness::new();
    h.table("big", Some("N"));
    let blob = "x".repeat(100 * 1024);
    for i in 0..25 {
        h.put("big", json!({"pk": {"S": "p"}, "sk": {"N": i.to_string()}, "b": {"S": blob}}));
    }
    let r = h.ok("Query", json!({"TableName": "big", "KeyConditionExpression": "pk = :p", "FilterExpression": "attribute_not_exists(b)", "ExpressionAttributeValues": {":p": {"S": "p"}}}));
    assert_eq!(r["Count"], 0);
    // Items of about 100 KB: ten make 1,024,130 bytes, under 1 MB, so the eleventh is read
    // and the page stops there (the engine is deterministic: exactly eleven).
    assert_eq!(r["ScannedCount"], 11);
    assert!(r.get("LastEvaluatedKey").is_some());
}

#[test]
fn parallel_scan_segments_partition_the_items() {
    let mut h = Harness::new();
    h.table("par", None);
    for i in 0..200 {
        h.put("par", json!({"pk": {"S": format!("k{i}")}}));
    }
    let mut seen = Vec::new();
    for segment in 0..4 {
        let mut start: Option<Value> = None;
        loop {
            let mut b = json!({"TableName": "par", "Segment": segment, "TotalSegments": 4, "Limit": 17});
            if let Some(s) = &start {
                b["ExclusiveStartKey"] = s.clone();
            }
            let r = h.ok("Scan", b);
            seen.extend(r["Items"].as_array().unwrap().iter().map(|i| i["pk"]["S"].as_str().unwrap().to_string()));
            match r.get("LastEvaluatedKey") {
                Some(k) => start = Some(k.clone()),
                None => break,
            }
        }
    }
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 200, "every item in exactly one segment");
    let (_, m) = h.err("Scan", json!({"TableName": "par", "Segment": 4, "TotalSegments": 4}));
    assert_eq!(m, "The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: 4 is not less than TotalSegments: 4");
}

#[test]
fn scan_follows_hash_order_and_filters() {
    let mut h = Harness::new();
    h.table("sc1", None);
    for i in 0..20 {
        h.put("sc1", json!({"pk": {"S": format!("k{i}")}, "n": {"N": i.to_string()}}));
    }
    let all = h.ok("Scan", json!({"TableName": "sc1"}));
    let again = h.ok("Scan", json!({"TableName": "sc1"}));
    assert_eq!(all, again, "scan order is deterministic");
    let f = h.ok("Scan", json!({"TableName": "sc1", "FilterExpression": "n >= :ten", "ExpressionAttributeValues": {":ten": {"N": "10"}}, "ProjectionExpression": "n"}));
    assert_eq!((f["Count"].clone(), f["ScannedCount"].clone()), (json!(10), json!(20)));
    assert!(f["Items"].as_array().unwrap().iter().all(|i| i.as_object().unwrap().len() == 1));
}

#[test]
fn secondary_index_query_and_scan() {
    let mut h = Harness::new();
    h.ok(
        "CreateTable",
        json!({"TableName": "orders", "BillingMode": "PAY_PER_REQUEST",
               "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "S"},
                                        {"AttributeName": "status", "AttributeType": "S"}, {"AttributeName": "amount", "AttributeType": "N"}],
               "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
               "GlobalSecondaryIndexes": [{"IndexName": "byStatus", "KeySchema": [{"AttributeName": "status", "KeyType": "HASH"}, {"AttributeName": "amount", "KeyType": "RANGE"}],
                                           "Projection": {"ProjectionType": "KEYS_ONLY"}}],
               "LocalSecondaryIndexes": [{"IndexName": "byTotal", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "amount", "KeyType": "RANGE"}],
                                          "Projection": {"ProjectionType": "ALL"}}]}),
    );
    for (i, status) in ["open", "done", "open", "open"].iter().enumerate() {
        h.put("orders", json!({"pk": {"S": "c1"}, "sk": {"S": format!("o{i}")}, "status": {"S": status}, "amount": {"N": (40 - i * 10).to_string()}, "note": {"S": "n"}}));
    }
    h.put("orders", json!({"pk": {"S": "c2"}, "sk": {"S": "sparse"}}));
    let r = h.ok("Query", json!({"TableName": "orders", "IndexName": "byStatus", "KeyConditionExpression": "#s = :o", "ExpressionAttributeNames": {"#s": "status"}, "ExpressionAttributeValues": {":o": {"S": "open"}}}));
    let totals: Vec<&str> = r["Items"].as_array().unwrap().iter().map(|i| i["amount"]["N"].as_str().unwrap()).collect();
    assert_eq!(totals, ["10", "20", "40"]);
    assert!(r["Items"][0].get("note").is_none(), "KEYS_ONLY projects keys only");
    let r = h.ok("Query", json!({"TableName": "orders", "IndexName": "byTotal", "KeyConditionExpression": "pk = :c AND amount > :t", "ExpressionAttributeValues": {":c": {"S": "c1"}, ":t": {"N": "15"}}, "Limit": 2}));
    assert_eq!(r["LastEvaluatedKey"], json!({"pk": {"S": "c1"}, "sk": {"S": "o1"}, "amount": {"N": "30"}}));
    let next = h.ok("Query", json!({"TableName": "orders", "IndexName": "byTotal", "KeyConditionExpression": "pk = :c AND amount > :t", "ExpressionAttributeValues": {":c": {"S": "c1"}, ":t": {"N": "15"}}, "ExclusiveStartKey": r["LastEvaluatedKey"]}));
    assert_eq!(next["Count"], 1);
    assert_eq!(
        h.ok("Scan", json!({"TableName": "orders", "IndexName": "byStatus"}))["Count"],
        4,
        "sparse index skips the item without status"
    );
    let (_, m) = h.err("Query", json!({"TableName": "orders", "IndexName": "byStatus", "ConsistentRead": true, "KeyConditionExpression": "#s = :o", "ExpressionAttributeNames": {"#s": "status"}, "ExpressionAttributeValues": {":o": {"S": "open"}}}));
    assert_eq!(m, "Consistent reads are not supported on global secondary indexes");
    let (_, m) = h.err("Query", json!({"TableName": "orders", "IndexName": "nope", "KeyConditionExpression": "pk = :c", "ExpressionAttributeValues": {":c": {"S": "c1"}}}));
    assert_eq!(m, "The table does not have the specified index: nope");
    h.ok("DeleteItem", json!({"TableName": "orders", "Key": {"pk": {"S": "c1"}, "sk": {"S": "o0"}}}));
    assert_eq!(
        h.ok("Scan", json!({"TableName": "orders", "IndexName": "byTotal"}))["Count"],
        3,
        "deletes leave the index"
    );
}
