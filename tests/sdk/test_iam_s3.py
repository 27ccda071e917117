"""The cross-account export through `dynaplay serve --iam --verify-signatures`: account A
exports with boto3 into account B's bucket; B's analyst is denied the objects A owns
until A grants B access with PutObjectAcl, or B switches the bucket to
BucketOwnerEnforced. The simulated S3's requests are Dynaplay's own operations, sent
here SigV4-signed by botocore."""
import json
import urllib.error
import urllib.request

import boto3
import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials

from conftest import serve

A = "111111111111"
B = "222222222222"
KEYS = {
    "a-admin": (f"arn:aws:iam::{A}:user/admin", "AKIAAADMIN", "a-secret", ["dynamodb:*", "s3:*"]),
    "b-admin": (f"arn:aws:iam::{B}:user/admin", "AKIABADMIN", "b-secret", ["s3:*"]),
    "analyst": (f"arn:aws:iam::{B}:user/analyst", "AKIAANALYST", "analyst-secret", ["s3:ListBucket", "s3:GetObject"]),
}


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    principals = [
        {
            "arn": arn,
            "accessKeyId": key,
            "secretAccessKey": secret,
            "policies": [{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": actions, "Resource": "*"}]}],
        }
        for arn, key, secret, actions in KEYS.values()
    ]
    file = tmp_path_factory.mktemp("iam") / "iam.json"
    file.write_text(json.dumps({"account": A, "principals": principals}))
    with serve("--iam", str(file), "--verify-signatures", "--pitr-lag-ms", "0") as url:
        yield url


def dynaplay(endpoint, who, operation, body):
    """One of Dynaplay's own operations, signed as `who`: (status, parsed body)."""
    _, key, secret, _ = KEYS[who]
    request = AWSRequest(
        method="POST",
        url=endpoint + "/",
        data=json.dumps(body),
        headers={"Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": f"Dynaplay_20261130.{operation}"},
    )
    SigV4Auth(Credentials(key, secret), "dynamodb", "us-east-1").add_auth(request)
    raw = urllib.request.Request(endpoint + "/", data=request.body, headers=dict(request.headers), method="POST")
    try:
        with urllib.request.urlopen(raw) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def test_the_bucket_owner_reads_anothers_export_only_once_granted(endpoint):
    _, key, secret, _ = KEYS["a-admin"]
    a = boto3.client("dynamodb", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id=key,
                     aws_secret_access_key=secret, config=Config(retries={"max_attempts": 1}))
    status, made = dynaplay(endpoint, "b-admin", "S3CreateBucket", {"Bucket": "analytics-b", "ObjectOwnership": "ObjectWriter"})
    assert (status, made["Owner"]) == (200, B)
    a.create_table(TableName="Books", KeySchema=[{"AttributeName": "isbn", "KeyType": "HASH"}],
                   AttributeDefinitions=[{"AttributeName": "isbn", "AttributeType": "S"}], BillingMode="PAY_PER_REQUEST")
    a.get_waiter("table_exists").wait(TableName="Books", WaiterConfig={"Delay": 1})
    a.put_item(TableName="Books", Item={"isbn": {"S": "1"}, "title": {"S": "Dune"}})
    a.update_continuous_backups(TableName="Books", PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True})
    arn = a.describe_table(TableName="Books")["Table"]["TableArn"]
    export = a.export_table_to_point_in_time(TableArn=arn, S3Bucket="analytics-b", S3BucketOwner=B)["ExportDescription"]
    assert a.describe_export(ExportArn=export["ExportArn"])["ExportDescription"]["ExportStatus"] == "COMPLETED"

    status, listing = dynaplay(endpoint, "analyst", "S3ListObjects", {"Bucket": "analytics-b"})
    assert status == 200
    assert {o["Owner"] for o in listing["Contents"]} == {A}
    summary = next(o["Key"] for o in listing["Contents"] if o["Key"].endswith("manifest-summary.json"))
    status, denied = dynaplay(endpoint, "analyst", "S3GetObject", {"Bucket": "analytics-b", "Key": summary})
    assert status == 400
    assert denied["__type"].endswith("#AccessDeniedException")
    assert f"the object is owned by account {A}, and its ACL grants account {B} no READ permission" in denied["Message"]

    grant = {"Bucket": "analytics-b", "Key": summary, "ACL": "bucket-owner-full-control"}
    assert dynaplay(endpoint, "a-admin", "S3PutObjectAcl", grant)[0] == 200
    status, got = dynaplay(endpoint, "analyst", "S3GetObject", {"Bucket": "analytics-b", "Key": summary})
    assert status == 200
    assert json.loads(got["Body"])["itemCount"] == 1

    data = next(o["Key"] for o in listing["Contents"] if o["Key"].endswith(".json.gz"))
    assert dynaplay(endpoint, "analyst", "S3GetObject", {"Bucket": "analytics-b", "Key": data})[0] == 400
    owned = {"Bucket": "analytics-b", "ObjectOwnership": "BucketOwnerEnforced"}
    assert dynaplay(endpoint, "b-admin", "S3PutBucketOwnershipControls", owned)[0] == 200
    status, got = dynaplay(endpoint, "analyst", "S3GetObject", {"Bucket": "analytics-b", "Key": data})
    assert (status, got["Owner"]) == (200, B)
