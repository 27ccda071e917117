//! Export and import under arbitrary input: objects of any bytes in every format and
//! compression import without a panic and with consistent counts; Ion text of any shape
//! reads without a panic and every item survives Ion and back; export requests with any
//! times answer 200 or an AWS error.

use proptest::prelude::*;
use serde_json::{json, Value};

use dynaplay_engine::s3::Ownership;
use dynaplay_engine::transfer::{compression, ion};
use dynaplay_engine::value::{item_from_json, item_to_json};
use dynaplay_engine::{Config, Engine};

const T0: u64 = 1_700_000_000_000;

fn engine() -> Engine {
    let mut e = Engine::new(Config::default());
    let create = json!({"TableName": "Src", "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}], "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}]});
    assert_eq!(e.request("CreateTable", create.to_string().as_bytes(), T0).status, 200);
    let pitr = json!({"TableName": "Src", "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": true}});
    assert_eq!(e.request("UpdateContinuousBackups", pitr.to_string().as_bytes(), T0).status, 200);
    e.create_bucket("fuzz", None, Ownership::default()).unwrap();
    e
}

/// Text that is sometimes an import line and sometimes nearly one.
fn arb_line() -> impl Strategy<Value = String> {
    prop_oneof![
        "[ -~]{0,40}",
        Just(r#"{"Item":{"pk":{"S":"a"}}}"#.to_string()),
        Just(r#"{"Item":{"pk":{"N":"1"}}}"#.to_string()),
        Just("$ion_1_0 {Item:{pk:\"b\",n:6d2}}".to_string()),
        Just("pk,v".to_string()),
        Just("c,1".to_string()),
        "\\{\"Item\":\\{\"pk\":\\{\"S\":\"[a-z]{0,3}\"\\}[ -~]{0,10}".prop_map(|s| s),
    ]
}

fn arb_object() -> impl Strategy<Value = (Vec<u8>, bool)> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..200).prop_map(|b| (b, false)),
        proptest::collection::vec(arb_line(), 0..8).prop_map(|l| (l.join("\n").into_bytes(), true)),
    ]
}

fn arb_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        "[ -~]{0,8}".prop_map(|s| json!({"S": s})),
        (-1000i64..1000, 0u8..4).prop_map(
            |(n, d)| json!({"N": format!("{n}.{}", "5".repeat(d as usize)).trim_end_matches('.').to_string()})
        ),
        proptest::collection::vec(any::<u8>(), 0..6).prop_map(|b| {
            use base64::Engine as _;
            json!({"B": base64::engine::general_purpose::STANDARD.encode(b)})
        }),
        any::<bool>().prop_map(|b| json!({"BOOL": b})),
        Just(json!({"NULL": true})),
        proptest::collection::btree_set("[a-z]{1,4}", 1..3).prop_map(|s| json!({"SS": s})),
        proptest::collection::btree_set(0u32..99, 1..3)
            .prop_map(|s| json!({"NS": s.iter().map(|n| n.to_string()).collect::<Vec<_>>()})),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..3).prop_map(|l| json!({"L": l})),
            proptest::collection::btree_map("[a-zA-Z_ '$]{1,6}", inner, 0..3).prop_map(|m| json!({"M": m})),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn any_object_imports_without_panic_and_counts_add_up(
        objects in proptest::collection::vec(arb_object(), 1..4),
        format in prop_oneof![Just("DYNAMODB_JSON"), Just("ION"), Just("CSV")],
        compression in prop_oneof![Just("GZIP"), Just("ZSTD"), Just("NONE")],
        gzip_them in any::<bool>(),
    ) {
        let mut e = engine();
        for (i, (bytes, text)) in objects.into_iter().enumerate() {
            let bytes = if text && gzip_them { compression::gzip(&bytes) } else { bytes };
            e.put_object("fuzz", &format!("in/{i}"), bytes).unwrap();
        }
        let body = json!({"S3BucketSource": {"S3Bucket": "fuzz", "S3KeyPrefix": "in/"}, "InputFormat": format, "InputCompressionType": compression,
            "TableCreationParameters": {"TableName": "Dst", "BillingMode": "PAY_PER_REQUEST",
                "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}], "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}]}});
        let r = e.request("ImportTable", body.to_string().as_bytes(), T0 + 1000);
        prop_assert_eq!(r.status, 200, "{}", r.body);
        let i = &e.imports()[0];
        prop_assert!(i.imported_items <= i.processed_items);
        prop_assert_eq!(i.failure.is_some(), i.error_count > 0);
        prop_assert_eq!(e.table("Dst").map(|t| t.item_count() as u64), Some(i.imported_items));
    }

    #[test]
    fn any_ion_text_reads_without_panic(text in "[ -~\\n]{0,60}", prefix in prop_oneof![Just(""), Just("$ion_1_0 {Item:{"), Just("{Item:{a:[")]) {
        let _ = ion::read_item_line(&format!("{prefix}{text}"));
    }

    #[test]
    fn every_item_survives_ion_and_back(item in proptest::collection::btree_map("[a-zA-Z_ '$]{1,6}", arb_value(), 1..5)) {
        let item = item_from_json(&Value::Object(item.into_iter().collect())).unwrap();
        let line = ion::item_line(&item);
        let back = ion::read_item_line(&line).map_err(|e| TestCaseError::fail(format!("{e}: {line}")))?;
        prop_assert_eq!(item_to_json(&back), item_to_json(&item), "{}", line);
    }

    #[test]
    fn export_requests_with_any_times_answer(
        export_time in prop_oneof![any::<f64>(), Just(f64::NAN), Just(f64::INFINITY), Just(-1.0), (1.69e9f64..1.71e9)],
        from in prop_oneof![any::<f64>(), (1.69e9f64..1.71e9)],
        to in prop_oneof![any::<f64>(), (1.69e9f64..1.71e9)],
        incremental in any::<bool>(),
        now in prop_oneof![Just(u64::MAX), T0..T0 + 100_000_000, any::<u64>()],
    ) {
        let mut e = engine();
        let mut body = json!({"TableArn": e.arn("Src"), "S3Bucket": "fuzz", "ExportTime": export_time});
        if incremental {
            body = json!({"TableArn": e.arn("Src"), "S3Bucket": "fuzz", "ExportType": "INCREMENTAL_EXPORT",
                "IncrementalExportSpecification": {"ExportFromTime": from, "ExportToTime": to}});
        }
        let r = e.request("ExportTableToPointInTime", body.to_string().as_bytes(), now);
        prop_assert!(r.status == 200 || r.status == 400, "{} {}", r.status, r.body);
        e.tick(now);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Export then import gives back the same items, whatever they hold, in both formats.
    #[test]
    fn export_then_import_round_trips_any_items(
        items in proptest::collection::btree_map("[a-z0-9]{1,6}", proptest::collection::btree_map("[a-zA-Z_]{1,5}", arb_value(), 0..4), 0..12),
        ion_format in any::<bool>(),
    ) {
        let mut e = engine();
        for (pk, attrs) in &items {
            let mut item: serde_json::Map<String, Value> = attrs.clone().into_iter().filter(|(k, _)| k != "pk").collect();
            item.insert("pk".into(), json!({"S": pk}));
            let r = e.request("PutItem", json!({"TableName": "Src", "Item": item}).to_string().as_bytes(), T0 + 1);
            prop_assert_eq!(r.status, 200, "{}", r.body);
        }
        let format = if ion_format { "ION" } else { "DYNAMODB_JSON" };
        let body = json!({"TableArn": e.arn("Src"), "S3Bucket": "fuzz", "ExportFormat": format});
        let r = e.request("ExportTableToPointInTime", body.to_string().as_bytes(), T0 + 2);
        prop_assert_eq!(r.status, 200, "{}", r.body);
        let id = e.exports()[0].id().to_string();
        let body = json!({"S3BucketSource": {"S3Bucket": "fuzz", "S3KeyPrefix": format!("AWSDynamoDB/{id}/data/")}, "InputFormat": format,
            "InputCompressionType": "GZIP", "TableCreationParameters": {"TableName": "Dst", "BillingMode": "PAY_PER_REQUEST",
                "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}], "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}]}});
        let r = e.request("ImportTable", body.to_string().as_bytes(), T0 + 3);
        prop_assert_eq!(r.status, 200, "{}", r.body);
        prop_assert_eq!(e.imports()[0].error_count, 0, "{:?}", e.imports()[0].errors);
        let scan = |e: &mut Engine, t: &str| {
            let r = e.request("Scan", json!({"TableName": t, "ConsistentRead": true}).to_string().as_bytes(), T0 + 4);
            let mut v = serde_json::from_str::<Value>(&r.body).unwrap()["Items"].as_array().cloned().unwrap_or_default();
            v.sort_by_key(|i| i["pk"]["S"].as_str().unwrap_or_default().to_string());
            v
        };
        prop_assert_eq!(scan(&mut e, "Dst"), scan(&mut e, "Src"));
    }
}
