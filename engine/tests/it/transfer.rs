//! Export to S3 and import from S3 through the wire: AWS's layout, manifests and
//! checksums, incremental compaction, the failures AWS reports, and the round trip.

use std::io::Read;

use serde_json::{json, Value};

use dynaplay_engine::s3::Ownership;
use dynaplay_engine::{Config, Engine};

const T0: u64 = 1_700_000_000_000;
const ARN: &str = "arn:aws:dynamodb:us-east-1:000000000000:table/Books";

fn call(e: &mut Engine, op: &str, body: Value, now: u64) -> (u16, Value) {
    let r = e.request(op, body.to_string().as_bytes(), now);
    (r.status, serde_json::from_str(&r.body).unwrap())
}

fn ok(e: &mut Engine, op: &str, body: Value, now: u64) -> Value {
    let (status, v) = call(e, op, body, now);
    assert_eq!(status, 200, "{op}: {v}");
    v
}

/// A table `Books` with PITR on and three items written at T0 + 1..3 s, and a bucket.
fn setup() -> Engine {
    let mut e = Engine::new(Config::default());
    ok(
        &mut e,
        "CreateTable",
        json!({"TableName": "Books", "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{"AttributeName": "Id", "AttributeType": "N"}],
        "KeySchema": [{"AttributeName": "Id", "KeyType": "HASH"}]}),
        T0,
    );
    ok(
        &mut e,
        "UpdateContinuousBackups",
        json!({"TableName": "Books",
        "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": true}}),
        T0,
    );
    for i in 1..=3u64 {
        ok(
            &mut e,
            "PutItem",
            json!({"TableName": "Books", "Item": {"Id": {"N": i.to_string()}, "Title": {"S": format!("Book {i}")}, "Tags": {"SS": ["a"]}}}),
            T0 + i * 1000,
        );
    }
    e.create_bucket("exports", None, Ownership::default()).unwrap();
    e
}

fn object(e: &Engine, key: &str) -> Vec<u8> {
    e.s3().buckets["exports"].objects.get(key).unwrap_or_else(|| panic!("no object {key}")).bytes.clone()
}

fn gunzip(bytes: &[u8]) -> String {
    let mut s = String::new();
    flate2::read::GzDecoder::new(bytes).read_to_string(&mut s).unwrap();
    s
}

#[test]
fn a_full_export_is_laid_out_as_aws_writes_it() {
    let mut e = setup();
    let started = ok(
        &mut e,
        "ExportTableToPointInTime",
        json!({"TableArn": ARN, "S3Bucket": "exports", "S3Prefix": "daily", "ExportTime": (T0 + 2500) as f64 / 1000.0}),
        T0 + 10_000,
    );
    let d = &started["ExportDescription"];
    assert_eq!(d["ExportStatus"], "IN_PROGRESS");
    assert_eq!((d["ExportFormat"].as_str(), d["ExportType"].as_str()), (Some("DYNAMODB_JSON"), Some("FULL_EXPORT")));
    let arn = d["ExportArn"].as_str().unwrap().to_string();
    let id = arn.rsplit('/').next().unwrap().to_string();
    assert!(arn.starts_with(&format!("{ARN}/export/0{}-", T0 + 10_000)), "{arn}");
    assert!(d.get("ExportManifest").is_none());
    // The clock moves on: the manifests are written and it is COMPLETED.
    let done = ok(&mut e, "DescribeExport", json!({"ExportArn": arn}), T0 + 11_000)["ExportDescription"].clone();
    assert_eq!(done["ExportStatus"], "COMPLETED");
    assert_eq!(done["ItemCount"], 2, "the export time was between the second and third write");
    assert_eq!(done["ExportManifest"], format!("daily/AWSDynamoDB/{id}/manifest-summary.json"));
    let summary: Value =
        serde_json::from_slice(&object(&e, &format!("daily/AWSDynamoDB/{id}/manifest-summary.json"))).unwrap();
    assert_eq!(summary["version"], "2020-06-30");
    assert_eq!(summary["exportTime"], "2023-11-14T22:13:22.500Z");
    assert_eq!(summary["itemCount"], 2);
    assert_eq!(summary["outputFormat"], "DYNAMODB_JSON");
    assert_eq!(summary["manifestFilesS3Key"], format!("daily/AWSDynamoDB/{id}/manifest-files.json"));
    let files = String::from_utf8(object(&e, &format!("daily/AWSDynamoDB/{id}/manifest-files.json"))).unwrap();
    let mut lines = Vec::new();
    for entry in files.lines().map(|l| serde_json::from_str::<Value>(l).unwrap()) {
        let key = entry["dataFileS3Key"].as_str().unwrap();
        assert!(key.starts_with(&format!("daily/AWSDynamoDB/{id}/data/")) && key.ends_with(".json.gz"), "{key}");
        let bytes = object(&e, key);
        use base64::Engine as _;
        use md5::Digest;
        assert_eq!(entry["md5Checksum"], base64::engine::general_purpose::STANDARD.encode(md5::Md5::digest(&bytes)));
        lines.extend(gunzip(&bytes).lines().map(str::to_string));
    }
    lines.sort();
    assert_eq!(
        lines,
        [
            r#"{"Item":{"Id":{"N":"1"},"Tags":{"SS":["a"]},"Title":{"S":"Book 1"}}}"#,
            r#"{"Item":{"Id":{"N":"2"},"Tags":{"SS":["a"]},"Title":{"S":"Book 2"}}}"#,
        ]
    );
    let checksum = String::from_utf8(object(&e, &format!("daily/AWSDynamoDB/{id}/manifest-files.checksum"))).unwrap();
    assert_eq!(checksum, dynaplay_engine::s3::hex_md5(files.as_bytes()));
    assert!(object(&e, &format!("daily/AWSDynamoDB/{id}/_started")).is_empty());
    let listed = ok(&mut e, "ListExports", json!({"TableArn": ARN}), T0 + 12_000);
    assert_eq!(
        listed,
        json!({"ExportSummaries": [{"ExportArn": arn, "ExportStatus": "COMPLETED", "ExportType": "FULL_EXPORT"}]})
    );
}

#[test]
fn an_incremental_export_keeps_one_line_per_changed_item() {
    let mut e = setup();
    let later = T0 + 60_000;
    ok(
        &mut e,
        "UpdateItem",
        json!({"TableName": "Books", "Key": {"Id": {"N": "1"}}, "UpdateExpression": "SET Title = :t", "ExpressionAttributeValues": {":t": {"S": "New"}}}),
        later,
    );
    ok(
        &mut e,
        "UpdateItem",
        json!({"TableName": "Books", "Key": {"Id": {"N": "1"}}, "UpdateExpression": "SET Title = :t", "ExpressionAttributeValues": {":t": {"S": "Newer"}}}),
        later + 1,
    );
    ok(&mut e, "PutItem", json!({"TableName": "Books", "Item": {"Id": {"N": "9"}}}), later + 2);
    ok(&mut e, "DeleteItem", json!({"TableName": "Books", "Key": {"Id": {"N": "9"}}}), later + 3);
    ok(&mut e, "DeleteItem", json!({"TableName": "Books", "Key": {"Id": {"N": "2"}}}), later + 4);
    let now = T0 + 30 * 60_000;
    let spec = json!({"ExportFromTime": (later / 1000) as f64, "ExportToTime": ((later + 20 * 60_000) / 1000) as f64});
    let d = ok(&mut e, "ExportTableToPointInTime", json!({"TableArn": ARN, "S3Bucket": "exports", "ExportType": "INCREMENTAL_EXPORT", "IncrementalExportSpecification": spec}), now)["ExportDescription"].clone();
    assert_eq!(d["IncrementalExportSpecification"]["ExportViewType"], "NEW_AND_OLD_IMAGES");
    e.tick(now + 1);
    let bucket = &e.s3().buckets["exports"];
    let mut lines: Vec<String> = bucket
        .under("AWSDynamoDB/data/")
        .flat_map(|(_, o)| gunzip(&o.bytes).lines().map(str::to_string).collect::<Vec<_>>())
        .collect();
    lines.sort();
    let micros = |ms: u64| (ms * 1000).to_string();
    assert_eq!(
        lines,
        [
            json!({"Keys": {"Id": {"N": "1"}}, "Metadata": {"WriteTimestampMicros": {"N": micros(later + 1)}},
            "NewImage": {"Id": {"N": "1"}, "Tags": {"SS": ["a"]}, "Title": {"S": "Newer"}},
            "OldImage": {"Id": {"N": "1"}, "Tags": {"SS": ["a"]}, "Title": {"S": "Book 1"}}})
            .to_string(),
            json!({"Keys": {"Id": {"N": "2"}}, "Metadata": {"WriteTimestampMicros": {"N": micros(later + 4)}},
            "OldImage": {"Id": {"N": "2"}, "Tags": {"SS": ["a"]}, "Title": {"S": "Book 2"}}})
            .to_string(),
        ]
    );
    let summary_key = bucket.objects.keys().find(|k| k.ends_with("manifest-summary.json")).unwrap();
    let summary: Value = serde_json::from_slice(&bucket.objects[summary_key].bytes).unwrap();
    assert_eq!((summary["exportType"].as_str(), summary["itemCount"].as_u64()), (Some("INCREMENTAL_EXPORT"), Some(2)));
}

#[test]
fn exports_refuse_and_fail_as_aws_does() {
    let mut e = setup();
    ok(
        &mut e,
        "CreateTable",
        json!({"TableName": "NoPitr", "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{"AttributeName": "Id", "AttributeType": "S"}], "KeySchema": [{"AttributeName": "Id", "KeyType": "HASH"}]}),
        T0,
    );
    let cases = [
        (json!({"TableArn": ARN}), "ValidationException", "1 validation error detected: Value null at 's3Bucket' failed to satisfy constraint: Member must not be null"),
        (json!({"TableArn": "arn:aws:dynamodb:us-east-1:000000000000:table/NoPitr", "S3Bucket": "exports"}), "PointInTimeRecoveryUnavailableException", "Point in time recovery is not enabled for table 'NoPitr'"),
        (json!({"TableArn": "arn:aws:dynamodb:us-east-1:000000000000:table/Nope", "S3Bucket": "exports"}), "TableNotFoundException", "Table not found: Nope"),
        (json!({"TableArn": ARN, "S3Bucket": "exports", "ExportTime": (T0 - 1000) as f64 / 1000.0}), "InvalidExportTimeException", "Export time 1699999999 is not in the point in time recovery window 1700000000 to 1700000020"),
        (json!({"TableArn": ARN, "S3Bucket": "exports", "ExportType": "INCREMENTAL_EXPORT"}), "ValidationException", "IncrementalExportSpecification must be provided for an incremental export"),
        (json!({"TableArn": ARN, "S3Bucket": "exports", "ExportType": "INCREMENTAL_EXPORT", "IncrementalExportSpecification": {"ExportFromTime": 1700000000.0, "ExportToTime": 1700000010.0}}), "ValidationException", "The incremental export period must be at least 15 minutes and at most 24 hours: ExportToTime minus ExportFromTime"),
    ];
    for (body, kind, message) in cases {
        let (status, v) = call(&mut e, "ExportTableToPointInTime", body.clone(), T0 + 20_000);
        assert_eq!(status, 400, "{body}");
        assert_eq!(v["__type"].as_str().unwrap().rsplit('#').next(), Some(kind), "{body}");
        assert_eq!(v["message"], message, "{body}");
    }
    let d = ok(&mut e, "ExportTableToPointInTime", json!({"TableArn": ARN, "S3Bucket": "missing-bucket"}), T0 + 20_000)
        ["ExportDescription"]
        .clone();
    assert_eq!((d["ExportStatus"].as_str(), d["FailureCode"].as_str()), (Some("FAILED"), Some("S3NoSuchBucket")));
    let (status, v) = call(
        &mut e,
        "DescribeExport",
        json!({"ExportArn": format!("{ARN}/export/01700000000000-00000000")}),
        T0 + 20_000,
    );
    assert_eq!(
        (status, v["message"].as_str()),
        (
            400,
            Some(
                "Export not found: arn:aws:dynamodb:us-east-1:000000000000:table/Books/export/01700000000000-00000000"
            )
        )
    );
}

#[test]
fn a_client_token_answers_the_same_export_and_refuses_other_parameters() {
    let mut e = setup();
    let body = json!({"TableArn": ARN, "S3Bucket": "exports", "ClientToken": "t1"});
    let first = ok(&mut e, "ExportTableToPointInTime", body.clone(), T0 + 5000);
    let again = ok(&mut e, "ExportTableToPointInTime", body, T0 + 6000);
    assert_eq!(first["ExportDescription"]["ExportArn"], again["ExportDescription"]["ExportArn"]);
    let (status, v) = call(
        &mut e,
        "ExportTableToPointInTime",
        json!({"TableArn": ARN, "S3Bucket": "exports", "S3Prefix": "x", "ClientToken": "t1"}),
        T0 + 7000,
    );
    assert_eq!((status, v["__type"].as_str()), (400, Some("com.amazonaws.dynamodb.v20120810#ExportConflictException")));
}

fn import_body(table: &str, prefix: &str, format: &str, compression: &str) -> Value {
    json!({"S3BucketSource": {"S3Bucket": "exports", "S3KeyPrefix": prefix}, "InputFormat": format, "InputCompressionType": compression,
        "TableCreationParameters": {"TableName": table, "BillingMode": "PAY_PER_REQUEST",
            "AttributeDefinitions": [{"AttributeName": "Id", "AttributeType": "N"}], "KeySchema": [{"AttributeName": "Id", "KeyType": "HASH"}]}})
}

fn scan(e: &mut Engine, table: &str, now: u64) -> Vec<Value> {
    let mut items = ok(e, "Scan", json!({"TableName": table}), now)["Items"].as_array().cloned().unwrap();
    items.sort_by_key(|i| i["Id"]["N"].as_str().unwrap().parse::<u64>().unwrap());
    items
}

#[test]
fn export_then_import_gives_back_the_same_items_in_both_formats() {
    for format in ["DYNAMODB_JSON", "ION"] {
        let mut e = setup();
        let d = ok(
            &mut e,
            "ExportTableToPointInTime",
            json!({"TableArn": ARN, "S3Bucket": "exports", "ExportFormat": format}),
            T0 + 10_000,
        );
        let id = d["ExportDescription"]["ExportArn"].as_str().unwrap().rsplit('/').next().unwrap().to_string();
        let i = ok(
            &mut e,
            "ImportTable",
            import_body("Copy", &format!("AWSDynamoDB/{id}/data/"), format, "GZIP"),
            T0 + 11_000,
        );
        let i = &i["ImportTableDescription"];
        assert_eq!(i["ImportStatus"], "IN_PROGRESS");
        let described = ok(&mut e, "DescribeImport", json!({"ImportArn": i["ImportArn"]}), T0 + 12_000)
            ["ImportTableDescription"]
            .clone();
        assert_eq!(described["ImportStatus"], "COMPLETED", "{format}");
        assert_eq!((described["ImportedItemCount"].as_u64(), described["ErrorCount"].as_u64()), (Some(3), Some(0)));
        assert_eq!(scan(&mut e, "Copy", T0 + 12_000), scan(&mut e, "Books", T0 + 12_000), "{format}");
    }
}

#[test]
fn an_import_counts_bad_items_skips_them_and_ends_failed() {
    let mut e = setup();
    let csv = "Id,Title\n1,One\nx,Bad number\n2,Two\n";
    e.put_object("exports", "csv/books.csv", csv.as_bytes().to_vec()).unwrap();
    let zstd = ruzstd::encoding::compress_to_vec(
        &b"{\"Item\":{\"Id\":{\"N\":\"7\"}}}\n{\"Item\":{\"Title\":{\"S\":\"no key\"}}}\n"[..],
        ruzstd::encoding::CompressionLevel::Fastest,
    );
    e.put_object("exports", "zstd/part", zstd).unwrap();
    let d = ok(&mut e, "ImportTable", import_body("FromCsv", "csv/", "CSV", "NONE"), T0 + 10_000)
        ["ImportTableDescription"]
        .clone();
    let d = ok(&mut e, "DescribeImport", json!({"ImportArn": d["ImportArn"]}), T0 + 11_000)["ImportTableDescription"]
        .clone();
    assert_eq!(d["ImportStatus"], "FAILED");
    assert_eq!(
        (d["ProcessedItemCount"].as_u64(), d["ImportedItemCount"].as_u64(), d["ErrorCount"].as_u64()),
        (Some(3), Some(2), Some(1))
    );
    assert_eq!(d["FailureCode"], "ItemValidationError");
    assert_eq!(d["FailureMessage"], "Some of the items failed validation checks and were not imported. Please check CloudWatch error logs for more details.");
    assert_eq!(
        scan(&mut e, "FromCsv", T0 + 11_000),
        [json!({"Id": {"N": "1"}, "Title": {"S": "One"}}), json!({"Id": {"N": "2"}, "Title": {"S": "Two"}})]
    );
    let log = &e.imports()[0].errors;
    assert_eq!((log[0].key.as_str(), log[0].item_index), ("csv/books.csv", 1));
    let z = ok(&mut e, "ImportTable", import_body("FromZstd", "zstd/", "DYNAMODB_JSON", "ZSTD"), T0 + 12_000)
        ["ImportTableDescription"]
        .clone();
    assert_eq!(
        e.imports()[1].errors[0].message,
        "One or more parameter values were invalid: Missing the key Id in the item"
    );
    let z = ok(&mut e, "DescribeImport", json!({"ImportArn": z["ImportArn"]}), T0 + 13_000)["ImportTableDescription"]
        .clone();
    assert_eq!((z["ImportedItemCount"].as_u64(), z["ErrorCount"].as_u64()), (Some(1), Some(1)));
}

#[test]
fn imports_refuse_and_fail_as_aws_does() {
    let mut e = setup();
    let (status, v) = call(&mut e, "ImportTable", import_body("Books", "", "CSV", "NONE"), T0 + 5000);
    assert_eq!((status, v["message"].as_str()), (400, Some("Table already exists: Books")));
    let mut missing = import_body("Fresh", "", "CSV", "NONE");
    missing["S3BucketSource"]["S3Bucket"] = json!("no-such-bucket");
    let d = ok(&mut e, "ImportTable", missing, T0 + 5000)["ImportTableDescription"].clone();
    assert_eq!(d["ImportStatus"], "IN_PROGRESS");
    let d =
        ok(&mut e, "DescribeImport", json!({"ImportArn": d["ImportArn"]}), T0 + 5001)["ImportTableDescription"].clone();
    assert_eq!((d["ImportStatus"].as_str(), d["FailureCode"].as_str()), (Some("FAILED"), Some("S3NoSuchBucket")));
    assert!(e.table("Fresh").is_none(), "no table is made when the bucket is missing");
    let (status, v) = call(&mut e, "ImportTable", json!({"InputFormat": "XML"}), T0 + 5000);
    assert_eq!(status, 400);
    assert_eq!(v["message"], "3 validation errors detected: Value null at 's3BucketSource' failed to satisfy constraint: Member must not be null; Value 'XML' at 'inputFormat' failed to satisfy constraint: Member must satisfy enum value set: [DYNAMODB_JSON, ION, CSV]; Value null at 'tableCreationParameters' failed to satisfy constraint: Member must not be null");
    let listed = ok(&mut e, "ListImports", json!({"PageSize": 1}), T0 + 6000);
    assert_eq!(listed["ImportSummaryList"].as_array().unwrap().len(), 1);
    assert!(listed.get("NextToken").is_none());
}

#[test]
fn buckets_objects_and_jobs_survive_the_workspace_file_and_stored_records() {
    let mut e = setup();
    ok(&mut e, "ExportTableToPointInTime", json!({"TableArn": ARN, "S3Bucket": "exports"}), T0 + 10_000);
    e.tick(T0 + 11_000);
    e.put_object("exports", "in/x.csv", b"Id\n5\n".to_vec()).unwrap();
    ok(&mut e, "ImportTable", import_body("FromCsv", "in/", "CSV", "NONE"), T0 + 12_000);
    let back = Engine::import(Config::default(), &e.export().unwrap()).unwrap();
    assert_eq!(back.s3(), e.s3());
    assert_eq!((back.exports(), back.imports()), (e.exports(), e.imports()));
    let records: Vec<Value> =
        e.s3_records().into_iter().chain(e.job_records().unwrap()).map(|(_, r)| r).rev().collect();
    let mut again = Engine::new(Config::default());
    again.restore_transfers(&records).unwrap();
    assert_eq!((again.s3(), again.exports(), again.imports()), (e.s3(), e.exports(), e.imports()));
    let key = dynaplay_engine::s3::object_key("exports", "in/x.csv");
    assert_eq!(e.s3_record(&key).unwrap()["bytes"], "SWQKNQo=");
    e.delete_object("exports", "in/x.csv");
    assert_eq!(e.s3_record(&key), None);
}
