use proptest::prelude::*;
use serde_json::json;

use super::*;

fn people() -> Value {
    json!({
        "format": "dynaplay-scenario", "version": 1,
        "title": "Put-if-absent",
        "notes": "A second put with `attribute_not_exists` fails.",
        "settings": {"startMs": 1_000, "stepMs": 500},
        "tables": [{"TableName": "People", "BillingMode": "PAY_PER_REQUEST",
            "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
            "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}]}],
        "items": {"People": [{"id": {"S": "1"}, "Name": {"S": "Jane"}}]},
        "steps": [
            {"title": "Put if absent", "operation": "PutItem",
             "request": {"TableName": "People", "Item": {"id": {"S": "1"}}, "ConditionExpression": "attribute_not_exists(id)"},
             "expect": {"status": 400, "error": "ConditionalCheckFailedException"}},
            {"operation": "GetItem", "request": {"TableName": "People", "Key": {"id": {"S": "1"}}},
             "expect": {"response": {"Item": {"Name": {"S": "Jane"}}}}}
        ]
    })
}

#[test]
fn replays_with_expectations_met() {
    let s = Scenario::from_json(&people()).unwrap();
    let (engine, outcomes) = s.replay();
    assert_eq!(outcomes.len(), 4);
    assert!(outcomes.iter().all(|o| o.mismatch.is_none()), "{outcomes:#?}");
    assert_eq!(
        outcomes[2].body,
        r#"{"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException","message":"The conditional request failed"}"#
    );
    // The clock: setup at startMs, step i at startMs + (i + 1) × stepMs.
    let times: Vec<u64> = s.timeline().iter().map(|t| t.now_ms).collect();
    assert_eq!(times, [1_000, 1_000, 1_500, 2_000]);
    assert_eq!(engine.now_ms(), 2_000);
}

#[test]
fn reports_each_kind_of_mismatch() {
    let mut doc = people();
    doc["steps"][0]["expect"] = json!({"status": 200});
    doc["steps"][1]["expect"] = json!({"response": {"Item": {"Name": {"S": "John"}}}});
    let (_, outcomes) = Scenario::from_json(&doc).unwrap().replay();
    assert!(outcomes[2].mismatch.as_deref().unwrap().starts_with("expected status 200, got 400: "));
    assert!(outcomes[3].mismatch.as_deref().unwrap().starts_with("response.Item.Name.S differs: "));
    doc["steps"][0]["expect"] = json!({"error": "ValidationException"});
    let (_, outcomes) = Scenario::from_json(&doc).unwrap().replay();
    assert_eq!(
        outcomes[2].mismatch.as_deref(),
        Some("expected error ValidationException, got ConditionalCheckFailedException")
    );
    // A failing setup request is a mismatch too.
    doc["items"] = json!({"Nope": [{"id": {"S": "1"}}]});
    let (_, outcomes) = Scenario::from_json(&doc).unwrap().replay();
    assert!(outcomes[1].mismatch.as_deref().unwrap().starts_with("setup PutItem failed: "));
}

#[test]
fn replay_is_deterministic_and_round_trips() {
    let s = Scenario::from_json(&people()).unwrap();
    assert_eq!(s.replay().1, s.replay().1);
    assert_eq!(Scenario::from_json(&s.to_json()).unwrap(), s);
    let link = to_link(&s).unwrap();
    assert!(link.starts_with("1."));
    assert_eq!(from_link(&link).unwrap(), s);
}

#[test]
fn refuses_bad_documents_with_reasons() {
    let cases = [
        (json!([]), "a scenario must be a JSON object"),
        (json!({"format": "x", "version": 1}), "not a Dynaplay scenario: \"format\" must be \"dynaplay-scenario\""),
        (json!({"format": FORMAT, "version": 2}), "this scenario uses format version 2; this Dynaplay reads version 1"),
        (json!({"format": FORMAT}), "\"version\" must be 1"),
        (
            json!({"format": FORMAT, "version": 1, "steps": [{"request": {}}]}),
            "steps[0].operation must name an operation, such as \"PutItem\"",
        ),
        (
            json!({"format": FORMAT, "version": 1, "steps": [{"operation": "GetItem", "request": []}]}),
            "steps[0].request must be an object",
        ),
        (json!({"format": FORMAT, "version": 1, "items": {"T": [1]}}), "items.T[0] must be an item object"),
        (
            json!({"format": FORMAT, "version": 1, "settings": {"ttlDelayMs": 40 * 24 * 3_600_000u64}}),
            "settings.ttlDelayMs must be at most 3024000000 (35 days)",
        ),
        (
            json!({"format": FORMAT, "version": 1, "settings": {"teachingScale": 0}}),
            "settings.teachingScale must be from 1 to 1000000000",
        ),
        (
            json!({"format": FORMAT, "version": 1, "settings": {"teachingScale": 1_000_000_001u64}}),
            "settings.teachingScale must be from 1 to 1000000000",
        ),
        (
            json!({"format": FORMAT, "version": 1, "settings": {"startMs": u64::MAX}}),
            "settings.startMs must be at most 253402300799999 (the last millisecond of 9999)",
        ),
        (
            json!({"format": FORMAT, "version": 1, "settings": {"stepMs": 3_024_000_001u64}}),
            "settings.stepMs must be at most 3024000000 (35 days)",
        ),
        (json!({"format": FORMAT, "version": 1, "title": "x".repeat(201)}), "\"title\" is longer than 200 characters"),
    ];
    for (doc, message) in cases {
        assert_eq!(Scenario::from_json(&doc), Err(ScenarioError(message.into())), "{doc}");
    }
    assert_eq!(Scenario::parse("{").unwrap_err().0, "not valid JSON: EOF while parsing an object at line 1 column 1");
}

#[test]
fn hostile_links_are_refused_cleanly() {
    let s = Scenario::from_json(&people()).unwrap();
    let link = to_link(&s).unwrap();
    let truncated = &link[..link.len() / 2];
    assert_eq!(
        from_link(truncated).unwrap_err().0,
        "This link does not hold a readable scenario: it is damaged or cut short."
    );
    assert!(from_link("2.abc").unwrap_err().0.contains("different version"));
    assert!(from_link(&"A".repeat(LINK_MAX_CHARS + 1)).unwrap_err().0.contains("longer than any link"));
    // A deflate bomb: 8 MB of zeros in about 8 KB, past the 4 MB inflate limit.
    let bomb = format!("1.{}", URL_SAFE_NO_PAD.encode(compress_to_vec(&vec![0u8; 8 << 20], 9)));
    assert!(bomb.len() < LINK_MAX_CHARS);
    assert_eq!(
        from_link(&bomb).unwrap_err().0,
        "This link does not hold a readable scenario: it is damaged or cut short."
    );
    // Markup in strings is data: it survives as text for the page to show as text.
    let mut doc = people();
    doc["title"] = json!("<script>alert(1)</script>");
    let s = Scenario::from_json(&doc).unwrap();
    assert_eq!(from_link(&to_link(&s).unwrap()).unwrap().title, "<script>alert(1)</script>");
}

#[test]
fn oversized_scenarios_say_so() {
    let mut doc = people();
    let items: Vec<Value> = (0..3000).map(|i| json!({"id": {"S": format!("item-{i}-{}", i * 7919 % 10007)}})).collect();
    doc["items"] = json!({ "People": items });
    let s = Scenario::from_json(&doc).unwrap();
    let e = to_link(&s).unwrap_err().0;
    assert!(e.starts_with("This scenario is too big for a link ("), "{e}");
    assert!(e.ends_with("Download it as a file instead."));
}

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use miniz_oxide::deflate::compress_to_vec;

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        "[a-zA-Z#:<> ]{0,12}".prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 40, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(
                prop_oneof![
                    Just("format".to_string()),
                    Just("version".to_string()),
                    Just("steps".to_string()),
                    Just("tables".to_string()),
                    Just("items".to_string()),
                    Just("settings".to_string()),
                    Just("operation".to_string()),
                    Just("request".to_string()),
                    Just("expect".to_string()),
                    "[a-z]{1,6}",
                ],
                inner,
                0..6
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #[test]
    fn no_link_panics(payload in "\\PC{0,200}") {
        let _ = from_link(&payload);
        let _ = from_link(&format!("1.{payload}"));
    }

    #[test]
    fn no_document_panics_and_valid_ones_replay(mut doc in json_value(), steps in prop::collection::vec(json_value(), 0..4)) {
        let _ = Scenario::from_json(&doc);
        if let Value::Object(m) = &mut doc {
            m.insert("format".into(), json!(FORMAT));
            m.insert("version".into(), json!(1));
            m.insert("steps".into(), Value::Array(steps));
        }
        if let Ok(s) = Scenario::from_json(&doc) {
            let (_, a) = s.replay();
            prop_assert_eq!(a, s.replay().1);
        }
    }
}

#[test]
fn a_workspace_replays_into_the_same_tables_and_items() {
    let mut e = Engine::new(Config::default());
    let create = json!({"TableName": "Music", "ProvisionedThroughput": {"ReadCapacityUnits": 40, "WriteCapacityUnits": 5},
        "DynaplayTeachingScale": 100,
        "AttributeDefinitions": [{"AttributeName": "a", "AttributeType": "S"}, {"AttributeName": "s", "AttributeType": "N"},
                                 {"AttributeName": "g", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "a", "KeyType": "HASH"}, {"AttributeName": "s", "KeyType": "RANGE"}],
        "GlobalSecondaryIndexes": [{"IndexName": "byG", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
            "Projection": {"ProjectionType": "KEYS_ONLY"}, "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}}],
        "LocalSecondaryIndexes": [{"IndexName": "byG2", "KeySchema": [{"AttributeName": "a", "KeyType": "HASH"}, {"AttributeName": "g", "KeyType": "RANGE"}],
            "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["x"]}}]});
    assert_eq!(e.request("CreateTable", create.to_string().as_bytes(), 0).status, 200);
    for i in 0..5 {
        let put = json!({"TableName": "Music", "Item": {"a": {"S": "x"}, "s": {"N": i.to_string()}, "g": {"S": "y"}}});
        assert_eq!(e.request("PutItem", put.to_string().as_bytes(), 1).status, 200);
    }
    let s = Scenario::from_engine(&e, "Mine");
    let (copy, outcomes) = Scenario::from_json(&s.to_json()).unwrap().replay();
    assert!(outcomes.iter().all(|o| o.mismatch.is_none()), "{outcomes:#?}");
    assert_eq!(
        e.export().unwrap()["tables"].as_array().map(Vec::len),
        copy.export().unwrap()["tables"].as_array().map(Vec::len)
    );
    let describe = |e: &mut Engine| {
        let mut d: Value =
            serde_json::from_str(&e.request("DescribeTable", br#"{"TableName":"Music"}"#, 5).body).unwrap();
        for volatile in ["CreationDateTime", "TableId", "TableArn"] {
            d["Table"].as_object_mut().unwrap().remove(volatile);
        }
        d
    };
    let mut copy = copy;
    assert_eq!(describe(&mut e), describe(&mut copy));
    assert_eq!(copy.table("Music").unwrap().partitions.parts.len(), e.table("Music").unwrap().partitions.parts.len());
}

#[test]
fn the_ttl_delay_is_a_scenario_setting() {
    let doc =
        json!({"format": FORMAT, "version": 1, "title": "t", "settings": {"ttlDelayMs": 2500, "pitrLagMs": 1000}});
    let s = Scenario::from_json(&doc).unwrap();
    assert_eq!((s.config().ttl_delay_ms, s.config().pitr_lag_ms), (2500, 1000));
    assert_eq!(s.to_json()["settings"]["ttlDelayMs"], 2500);
    assert_eq!(s.to_json()["settings"]["pitrLagMs"], 1000);
    let plain = Scenario::from_json(&json!({"format": FORMAT, "version": 1, "title": "t"})).unwrap();
    assert_eq!(plain.config().ttl_delay_ms, crate::engine::DEFAULT_TTL_DELAY_MS);
    assert!(plain.to_json()["settings"].get("ttlDelayMs").is_none(), "unset settings stay unwritten");
}

#[test]
fn a_shared_workspace_keeps_its_stream_ttl_and_delay() {
    let mut e = Engine::new(Config { ttl_delay_ms: 4_000, ..Config::default() });
    let create = json!({"TableName": "Carts", "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
        "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_IMAGE"}});
    assert_eq!(e.request("CreateTable", create.to_string().as_bytes(), 0).status, 200);
    let ttl = json!({"TableName": "Carts", "TimeToLiveSpecification": {"Enabled": true, "AttributeName": "exp"}});
    assert_eq!(e.request("UpdateTimeToLive", ttl.to_string().as_bytes(), 1).status, 200);
    let s = Scenario::from_json(&Scenario::from_engine(&e, "Mine").to_json()).unwrap();
    assert_eq!(s.settings.ttl_delay_ms, Some(4_000));
    let (mut copy, outcomes) = s.replay();
    assert!(outcomes.iter().all(|o| o.mismatch.is_none()), "{outcomes:#?}");
    assert_eq!(copy.config.ttl_delay_ms, 4_000);
    let d: Value =
        serde_json::from_str(&copy.request("DescribeTable", br#"{"TableName":"Carts"}"#, u64::MAX / 2).body).unwrap();
    assert_eq!(d["Table"]["StreamSpecification"], json!({"StreamEnabled": true, "StreamViewType": "NEW_IMAGE"}));
    let t: Value =
        serde_json::from_str(&copy.request("DescribeTimeToLive", br#"{"TableName":"Carts"}"#, u64::MAX / 2).body)
            .unwrap();
    assert_eq!(t["TimeToLiveDescription"]["AttributeName"], "exp");
}

#[test]
fn a_step_may_name_its_region_and_the_settings_a_global_lag() {
    let doc = json!({"format": FORMAT, "version": 1, "settings": {"globalLagMs": 700},
        "steps": [{"region": "eu-west-1", "operation": "ListTables"}, {"operation": "ListTables"}]});
    let s = Scenario::from_json(&doc).unwrap();
    assert!(s.uses_regions());
    assert_eq!(s.steps[0].region.as_deref(), Some("eu-west-1"));
    assert_eq!(Scenario::from_json(&s.to_json()).unwrap(), s, "the region and the lag are written back");
    let timeline = s.timeline();
    assert_eq!((timeline[0].region.as_deref(), timeline[1].region.as_deref()), (Some("eu-west-1"), None));
    let bad = json!({"format": FORMAT, "version": 1, "steps": [{"region": "Mars Base", "operation": "ListTables"}]});
    assert_eq!(Scenario::from_json(&bad).unwrap_err().0, "steps[0].region must name a region, such as \"us-west-2\"");
    let plain = Scenario::from_json(&json!({"format": FORMAT, "version": 1})).unwrap();
    assert!(!plain.uses_regions());
}

#[test]
fn a_pair_of_regions_may_have_its_own_lag() {
    let lags = json!([{"from": "us-east-1", "to": "eu-west-1", "ms": 4000}]);
    let doc = json!({"format": FORMAT, "version": 1, "settings": {"globalLagMs": 1000, "pairLagMs": lags}});
    let s = Scenario::from_json(&doc).unwrap();
    assert_eq!(s.to_json()["settings"]["pairLagMs"], lags);
    let w = s.world();
    assert_eq!((w.lag("us-east-1", "eu-west-1"), w.lag("eu-west-1", "us-east-1")), (4000, 1000));
    for bad in [
        json!([{"from": "us-east-1", "to": "us-east-1", "ms": 1}]),
        json!([{"from": "x y", "to": "a", "ms": 1}]),
        json!({}),
    ] {
        let doc = json!({"format": FORMAT, "version": 1, "settings": {"pairLagMs": bad}});
        assert!(Scenario::from_json(&doc).unwrap_err().0.starts_with("settings.pairLagMs"), "{bad}");
    }
}
