"""boto3 drives export to S3 and import from S3 against `dynaplay serve --s3-dir`: the
export's files land on disk as AWS lays them out, they import back into a new table, and
a CSV file dropped into a bucket directory after the server started imports too."""
import gzip
import hashlib
import json
import time

import pytest
from botocore.exceptions import ClientError


def wait(describe, key, status_key):
    for _ in range(50):
        d = describe()[key]
        if d[status_key] != "IN_PROGRESS":
            return d
        time.sleep(0.1)
    raise AssertionError(f"still IN_PROGRESS: {d}")


def make_table(client, name):
    client.create_table(
        TableName=name,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
    )


def test_export_download_and_import(client, table_name, s3_dir):
    (s3_dir / "exports").mkdir()
    make_table(client, table_name)
    client.update_continuous_backups(
        TableName=table_name, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True}
    )
    for i in range(5):
        client.put_item(TableName=table_name, Item={"pk": {"S": f"k{i}"}, "n": {"N": str(i)}, "tags": {"SS": ["x"]}})
    arn = client.describe_table(TableName=table_name)["Table"]["TableArn"]
    started = client.export_table_to_point_in_time(TableArn=arn, S3Bucket="exports", S3Prefix="nightly")
    assert started["ExportDescription"]["ExportStatus"] == "IN_PROGRESS"
    export_arn = started["ExportDescription"]["ExportArn"]
    done = wait(lambda: client.describe_export(ExportArn=export_arn), "ExportDescription", "ExportStatus")
    assert done["ExportStatus"] == "COMPLETED" and done["ItemCount"] == 5
    assert done["ExportTime"].year >= 2024
    folder = s3_dir / "exports" / done["ExportManifest"].rsplit("/", 1)[0]
    summary = json.loads((folder / "manifest-summary.json").read_text())
    assert summary["exportArn"] == export_arn and summary["itemCount"] == 5
    items = []
    for line in (folder / "manifest-files.json").read_text().splitlines():
        entry = json.loads(line)
        data = (s3_dir / "exports" / entry["dataFileS3Key"]).read_bytes()
        assert entry["etag"] == hashlib.md5(data).hexdigest()
        items += [json.loads(l)["Item"] for l in gzip.decompress(data).decode().splitlines()]
    assert sorted(i["pk"]["S"] for i in items) == [f"k{i}" for i in range(5)]
    assert [e["ExportArn"] for e in client.list_exports(TableArn=arn)["ExportSummaries"]] == [export_arn]

    target = table_name + "-copy"
    imported = client.import_table(
        S3BucketSource={"S3Bucket": "exports", "S3KeyPrefix": str(folder.relative_to(s3_dir / "exports")) + "/data/"},
        InputFormat="DYNAMODB_JSON",
        InputCompressionType="GZIP",
        TableCreationParameters={
            "TableName": target,
            "BillingMode": "PAY_PER_REQUEST",
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
        },
    )["ImportTableDescription"]
    assert imported["ImportStatus"] == "IN_PROGRESS"
    finished = wait(
        lambda: client.describe_import(ImportArn=imported["ImportArn"]), "ImportTableDescription", "ImportStatus"
    )
    assert (finished["ImportStatus"], finished["ImportedItemCount"], finished["ErrorCount"]) == ("COMPLETED", 5, 0)
    assert client.scan(TableName=target, Select="COUNT")["Count"] == 5
    assert client.get_item(TableName=target, Key={"pk": {"S": "k3"}})["Item"]["tags"] == {"SS": ["x"]}


def test_csv_dropped_into_a_bucket_imports_and_bad_rows_are_counted(client, table_name, s3_dir):
    (s3_dir / "uploads" / "people").mkdir(parents=True)
    (s3_dir / "uploads" / "people" / "people.csv").write_text("pk,name\nu1,Ann\nu2,Bob\n")
    (s3_dir / "uploads" / "people" / "broken.csv").write_text("name\nnobody\n")
    d = client.import_table(
        S3BucketSource={"S3Bucket": "uploads", "S3KeyPrefix": "people/"},
        InputFormat="CSV",
        TableCreationParameters={
            "TableName": table_name,
            "BillingMode": "PAY_PER_REQUEST",
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
        },
    )["ImportTableDescription"]
    d = wait(lambda: client.describe_import(ImportArn=d["ImportArn"]), "ImportTableDescription", "ImportStatus")
    assert (d["ImportStatus"], d["FailureCode"], d["ErrorCount"], d["ImportedItemCount"]) == (
        "FAILED", "ItemValidationError", 1, 2)
    assert client.get_item(TableName=table_name, Key={"pk": {"S": "u2"}})["Item"]["name"] == {"S": "Bob"}
    arns = [i["ImportArn"] for i in client.list_imports(TableArn=d["TableArn"])["ImportSummaryList"]]
    assert arns == [d["ImportArn"]]


def test_export_needs_point_in_time_recovery(client, table_name):
    make_table(client, table_name)
    arn = client.describe_table(TableName=table_name)["Table"]["TableArn"]
    with pytest.raises(ClientError) as e:
        client.export_table_to_point_in_time(TableArn=arn, S3Bucket="exports")
    assert e.value.response["Error"]["Code"] == "PointInTimeRecoveryUnavailableException"
