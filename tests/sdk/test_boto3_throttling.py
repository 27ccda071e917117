"""boto3 against `dynaplay serve --enforce-capacity`: a table provisioned with one write
unit takes a burst (its 300-second burst pool), then BatchWriteItem returns writes in
UnprocessedItems and PutItem fails with ProvisionedThroughputExceededException and its
ThrottlingReasons; boto3's own retries (legacy mode: up to 10 attempts, 50 ms doubling)
then get a write through. Without the option nothing is throttled."""
import pytest
from botocore.exceptions import ClientError

from conftest import serve, service


def make_client(url, attempts):
    return service("dynamodb", url, attempts=attempts, mode="legacy")


def one_unit_table(c, name):
    c.create_table(
        TableName=name,
        ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1},
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
    )


def batches(c, name, count):
    """Writes `count` batches of 25 one-unit items; returns each batch's UnprocessedItems."""
    out = []
    for b in range(count):
        puts = [{"PutRequest": {"Item": {"id": {"S": f"{b}-{i}"}}}} for i in range(25)]
        out.append(c.batch_write_item(RequestItems={name: puts})["UnprocessedItems"])
    return out


def test_a_one_unit_table_throttles_a_burst_once_its_burst_credit_is_spent(table_name):
    with serve("--enforce-capacity") as url:
        raw = make_client(url, 1)
        one_unit_table(raw, table_name)
        # 300 units of burst credit (plus one a second as the test runs): 290 spent...
        assert all(u == {} for u in batches(raw, table_name, 11))
        for i in range(15):
            raw.put_item(TableName=table_name, Item={"id": {"S": f"single-{i}"}})
        # ...so a batch of 25 writes about ten and hands the rest back.
        unprocessed = batches(raw, table_name, 1)[0].get(table_name, [])
        assert 0 < len(unprocessed) < 25
        assert all(set(w) == {"PutRequest"} for w in unprocessed)
        with pytest.raises(ClientError) as e:
            raw.put_item(TableName=table_name, Item={"id": {"S": "over"}})
        assert e.value.response["Error"]["Code"] == "ProvisionedThroughputExceededException"
        assert e.value.response["Error"]["Message"] == (
            "The level of configured provisioned throughput for the table was exceeded. "
            "Consider increasing your provisioning level with the UpdateTable API."
        )
        assert e.value.response["ThrottlingReasons"] == [{
            "reason": "TableWriteProvisionedThroughputExceeded",
            "resource": f"arn:aws:dynamodb:us-east-1:000000000000:table/{table_name}",
        }]
        # boto3's own retries wait for the bucket to refill.
        patient = make_client(url, 10)
        r = patient.put_item(TableName=table_name, Item={"id": {"S": "patient"}})
        assert r["ResponseMetadata"]["RetryAttempts"] >= 1


def test_without_enforcement_nothing_is_throttled(client, table_name):
    one_unit_table(client, table_name)
    assert all(u == {} for u in batches(client, table_name, 14))
