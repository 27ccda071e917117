"""Global tables through `dynaplay serve`: boto3 clients with different `region_name`s
reach different regions of one server (the region of their SigV4 credential scope); a
replica made with UpdateTable's ReplicaUpdates receives the other region's writes after
the lag, and two regions writing one item end with the later write in both."""
import time

import pytest

from conftest import serve, service

LAG_MS = 300


@pytest.fixture(scope="module")
def regions():
    with serve("--global-lag-ms", str(LAG_MS)) as url:
        yield service("dynamodb", url), service_in("eu-west-1", url)


def service_in(region, url):
    import boto3

    return boto3.client(
        "dynamodb", endpoint_url=url, region_name=region, aws_access_key_id="any", aws_secret_access_key="any"
    )


def wait_for(check, seconds=10.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return False


def test_a_replica_in_another_region_follows_and_the_last_writer_wins(regions, table_name):
    east, west = regions
    east.create_table(
        TableName=table_name,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
    )
    assert west.list_tables()["TableNames"] == [], "each region has its own tables"
    made = east.update_table(TableName=table_name, ReplicaUpdates=[{"Create": {"RegionName": "eu-west-1"}}])
    assert made["TableDescription"]["Replicas"] == [{"RegionName": "eu-west-1", "ReplicaStatus": "CREATING"}]
    assert made["TableDescription"]["GlobalTableVersion"] == "2019.11.21"

    def active():
        replicas = east.describe_table(TableName=table_name)["Table"]["Replicas"]
        return replicas[0]["ReplicaStatus"] == "ACTIVE"

    assert wait_for(active)
    assert west.describe_table(TableName=table_name)["Table"]["Replicas"] == [
        {"RegionName": "us-east-1", "ReplicaStatus": "ACTIVE"}
    ]

    east.put_item(TableName=table_name, Item={"id": {"S": "a"}, "from": {"S": "east"}})
    got = lambda: west.get_item(TableName=table_name, Key={"id": {"S": "a"}}, ConsistentRead=True).get("Item")
    assert got() is None, "not there before the lag"
    assert wait_for(lambda: got() is not None)
    assert got()["from"] == {"S": "east"}

    east.put_item(TableName=table_name, Item={"id": {"S": "c"}, "from": {"S": "east"}})
    west.put_item(TableName=table_name, Item={"id": {"S": "c"}, "from": {"S": "west"}})
    time.sleep(3 * LAG_MS / 1000)
    for client in (east, west):
        item = client.get_item(TableName=table_name, Key={"id": {"S": "c"}}, ConsistentRead=True)["Item"]
        assert item["from"] == {"S": "west"}, "the later write, everywhere"


def test_a_pair_of_regions_can_have_a_lag_of_its_own(table_name):
    with serve("--global-lag-ms", "200", "--global-pair-lag", "us-east-1:eu-west-1=1500") as url:
        east, west = service("dynamodb", url), service_in("eu-west-1", url)
        east.create_table(
            TableName=table_name,
            BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        )
        east.update_table(TableName=table_name, ReplicaUpdates=[{"Create": {"RegionName": "eu-west-1"}}])
        active = lambda: east.describe_table(TableName=table_name)["Table"]["Replicas"][0]["ReplicaStatus"] == "ACTIVE"
        assert wait_for(active)
        scaling = west.describe_table_replica_auto_scaling(TableName=table_name)["TableAutoScalingDescription"]
        assert [(r["RegionName"], r["ReplicaStatus"]) for r in scaling["Replicas"]] == [
            ("eu-west-1", "ACTIVE"),
            ("us-east-1", "ACTIVE"),
        ]
        key = {"id": {"S": "k"}}
        west.put_item(TableName=table_name, Item={**key, "from": {"S": "west"}})
        assert wait_for(lambda: "Item" in east.get_item(TableName=table_name, Key=key, ConsistentRead=True), 1.0)
        east.put_item(TableName=table_name, Item={"id": {"S": "e"}, "from": {"S": "east"}})
        time.sleep(0.6)
        eventually = lambda: "Item" in west.get_item(TableName=table_name, Key={"id": {"S": "e"}}, ConsistentRead=True)
        assert not eventually(), "us-east-1 to eu-west-1 takes its own 1.5 s"
        assert wait_for(eventually, 3.0)
