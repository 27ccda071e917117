"""IAM through `dynaplay serve --iam FILE --verify-signatures`, with boto3 signing as
two principals: an administrator and a learner limited by policies (AWS's denial
messages, the EnclosingOperation example, per-user rows with LeadingKeys), plus a wrong
secret and an unknown access key."""
import json

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from conftest import serve

ACCOUNT = "111122223333"
ADMIN = f"arn:aws:iam::{ACCOUNT}:user/admin"
LEARNER = f"arn:aws:iam::{ACCOUNT}:user/learner"
TABLE = f"arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/Notes"

LEARNER_POLICIES = [
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "OwnRows",
                "Effect": "Allow",
                "Action": ["dynamodb:GetItem", "dynamodb:Query"],
                "Resource": TABLE,
                "Condition": {"ForAllValues:StringEquals": {"dynamodb:LeadingKeys": ["${aws:username}"]}},
            },
            {
                "Sid": "PutOnlyInTransactions",
                "Effect": "Allow",
                "Action": "dynamodb:PutItem",
                "Resource": TABLE,
                "Condition": {"ForAnyValue:StringEquals": {"dynamodb:EnclosingOperation": ["TransactWriteItems"]}},
            },
        ],
    }
]


@pytest.fixture(scope="module")
def iam_endpoint(tmp_path_factory):
    file = tmp_path_factory.mktemp("iam") / "iam.json"
    file.write_text(
        json.dumps(
            {
                "principals": [
                    {
                        "arn": ADMIN,
                        "accessKeyId": "AKIAADMIN",
                        "secretAccessKey": "admin-secret",
                        "policies": [{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}],
                    },
                    {
                        "arn": LEARNER,
                        "accessKeyId": "AKIALEARNER",
                        "secretAccessKey": "learner-secret",
                        "policies": LEARNER_POLICIES,
                    },
                ]
            }
        )
    )
    with serve("--iam", str(file), "--verify-signatures") as url:
        yield url


def client(endpoint, key, secret):
    return boto3.client(
        "dynamodb",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=key,
        aws_secret_access_key=secret,
        config=Config(retries={"max_attempts": 1}),
    )


@pytest.fixture(scope="module")
def admin(iam_endpoint):
    c = client(iam_endpoint, "AKIAADMIN", "admin-secret")
    c.create_table(
        TableName="Notes",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "S"},
        ],
        BillingMode="PAY_PER_REQUEST",
    )
    c.get_waiter("table_exists").wait(TableName="Notes", WaiterConfig={"Delay": 1})
    for pk in ["learner", "someone"]:
        c.put_item(TableName="Notes", Item={"pk": {"S": pk}, "sk": {"S": "1"}, "text": {"S": "hi"}})
    return c


@pytest.fixture(scope="module")
def learner(iam_endpoint, admin):
    return client(iam_endpoint, "AKIALEARNER", "learner-secret")


def denied(call):
    with pytest.raises(ClientError) as e:
        call()
    return e.value.response["Error"]


def test_the_learner_reads_only_their_own_rows(learner):
    own = learner.get_item(TableName="Notes", Key={"pk": {"S": "learner"}, "sk": {"S": "1"}})
    assert own["Item"]["text"] == {"S": "hi"}
    error = denied(lambda: learner.get_item(TableName="Notes", Key={"pk": {"S": "someone"}, "sk": {"S": "1"}}))
    assert error["Code"] == "AccessDeniedException"
    assert error["Message"] == (
        f"User: {LEARNER} is not authorized to perform: dynamodb:GetItem on resource: {TABLE} "
        "because no identity-based policy allows the dynamodb:GetItem action"
    )
    rows = learner.query(
        TableName="Notes",
        KeyConditionExpression="pk = :p",
        ExpressionAttributeValues={":p": {"S": "learner"}},
    )
    assert rows["Count"] == 1


def test_put_item_is_allowed_only_inside_a_transaction(learner):
    item = {"pk": {"S": "learner"}, "sk": {"S": "2"}}
    error = denied(lambda: learner.put_item(TableName="Notes", Item=item))
    assert error["Code"] == "AccessDeniedException"
    assert "perform: dynamodb:PutItem" in error["Message"]
    learner.transact_write_items(TransactItems=[{"Put": {"TableName": "Notes", "Item": item}}])
    got = learner.get_item(TableName="Notes", Key=item)
    assert got["Item"] == item


def test_the_administrator_may_do_anything(admin):
    assert "Notes" in admin.list_tables()["TableNames"]


def test_a_wrong_secret_fails_the_signature(iam_endpoint, admin):
    forged = client(iam_endpoint, "AKIALEARNER", "not-the-secret")
    error = denied(lambda: forged.list_tables())
    assert error["Code"] == "InvalidSignatureException"
    assert error["Message"].startswith("The request signature we calculated does not match")


def test_an_unknown_access_key_is_unrecognized(iam_endpoint, admin):
    stranger = client(iam_endpoint, "AKIANOBODY", "x")
    error = denied(lambda: stranger.list_tables())
    assert error["Code"] == "UnrecognizedClientException"
    assert error["Message"] == "The security token included in the request is invalid."
