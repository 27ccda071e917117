"""A real AWS SDK (boto3) drives `dynaplay serve`: create, put, update, query, transact."""
import pytest
from boto3.dynamodb.conditions import Attr, Key
from botocore.exceptions import ClientError


def create_music(client, name):
    client.create_table(
        TableName=name,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[
            {"AttributeName": "Artist", "AttributeType": "S"},
            {"AttributeName": "Song", "AttributeType": "S"},
        ],
        KeySchema=[
            {"AttributeName": "Artist", "KeyType": "HASH"},
            {"AttributeName": "Song", "KeyType": "RANGE"},
        ],
    )
    client.get_waiter("table_exists").wait(TableName=name, WaiterConfig={"Delay": 1})


def test_create_put_update_query_transact(client, table_name):
    create_music(client, table_name)
    for i in range(12):
        client.put_item(
            TableName=table_name,
            Item={"Artist": {"S": "Arturus"}, "Song": {"S": f"song-{i:02d}"}, "Plays": {"N": "0"}},
        )
    updated = client.update_item(
        TableName=table_name,
        Key={"Artist": {"S": "Arturus"}, "Song": {"S": "song-03"}},
        UpdateExpression="SET Plays = Plays + :one, Tags = list_append(if_not_exists(Tags, :empty), :t)",
        ExpressionAttributeValues={":one": {"N": "1"}, ":empty": {"L": []}, ":t": {"L": [{"S": "hit"}]}},
        ReturnValues="ALL_NEW",
    )
    assert updated["Attributes"]["Plays"] == {"N": "1"}
    assert updated["Attributes"]["Tags"] == {"L": [{"S": "hit"}]}

    pages = client.get_paginator("query").paginate(
        TableName=table_name,
        KeyConditionExpression="Artist = :a AND Song BETWEEN :lo AND :hi",
        ExpressionAttributeValues={":a": {"S": "Arturus"}, ":lo": {"S": "song-02"}, ":hi": {"S": "song-09"}},
        PaginationConfig={"PageSize": 3},
    )
    songs = [item["Song"]["S"] for page in pages for item in page["Items"]]
    assert songs == [f"song-{i:02d}" for i in range(2, 10)]

    client.transact_write_items(
        TransactItems=[
            {"Put": {"TableName": table_name, "Item": {"Artist": {"S": "Bo"}, "Song": {"S": "x"}}}},
            {
                "Update": {
                    "TableName": table_name,
                    "Key": {"Artist": {"S": "Arturus"}, "Song": {"S": "song-03"}},
                    "UpdateExpression": "ADD Plays :n",
                    "ExpressionAttributeValues": {":n": {"N": "10"}},
                }
            },
        ]
    )
    got = client.get_item(TableName=table_name, Key={"Artist": {"S": "Arturus"}, "Song": {"S": "song-03"}}, ConsistentRead=True)
    assert got["Item"]["Plays"] == {"N": "11"}

    with pytest.raises(ClientError) as e:
        client.transact_write_items(
            TransactItems=[
                {"Delete": {"TableName": table_name, "Key": {"Artist": {"S": "Bo"}, "Song": {"S": "x"}}}},
                {
                    "ConditionCheck": {
                        "TableName": table_name,
                        "Key": {"Artist": {"S": "Arturus"}, "Song": {"S": "song-03"}},
                        "ConditionExpression": "Plays > :big",
                        "ExpressionAttributeValues": {":big": {"N": "100"}},
                    }
                },
            ]
        )
    assert e.value.response["Error"]["Code"] == "TransactionCanceledException"
    assert [r["Code"] for r in e.value.response["CancellationReasons"]] == ["None", "ConditionalCheckFailed"]
    # All or nothing: the delete did not happen.
    assert "Item" in client.get_item(TableName=table_name, Key={"Artist": {"S": "Bo"}, "Song": {"S": "x"}})


def test_resource_api_and_conditions(endpoint, table_name):
    import boto3

    db = boto3.resource("dynamodb", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b")
    table = db.create_table(
        TableName=table_name,
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "N"}],
        ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 5},
    )
    table.wait_until_exists()
    with table.batch_writer() as batch:
        for i in range(40):
            batch.put_item(Item={"id": i, "even": i % 2 == 0, "name": f"n{i}"})
    scanned = table.scan(FilterExpression=Attr("even").eq(True), ReturnConsumedCapacity="TOTAL")
    assert scanned["Count"] == 20 and scanned["ScannedCount"] == 40
    assert scanned["ConsumedCapacity"]["CapacityUnits"] == 0.5
    items = table.query(KeyConditionExpression=Key("id").eq(7))["Items"]
    assert items == [{"id": 7, "even": False, "name": "n7"}]
    with pytest.raises(ClientError) as e:
        table.put_item(Item={"id": 7}, ConditionExpression=Attr("id").not_exists())
    assert e.value.response["Error"]["Code"] == "ConditionalCheckFailedException"
    table.delete()


def test_validation_errors_have_aws_messages(client, table_name):
    create_music(client, table_name)
    with pytest.raises(ClientError) as e:
        client.get_item(TableName=table_name, Key={"Artist": {"S": "a"}})
    assert e.value.response["Error"] == {
        "Code": "ValidationException",
        "Message": "The provided key element does not match the schema",
    }
    with pytest.raises(ClientError) as e:
        client.get_item(TableName="missing-table", Key={"Artist": {"S": "a"}, "Song": {"S": "b"}})
    assert e.value.response["Error"]["Code"] == "ResourceNotFoundException"
    with pytest.raises(ClientError) as e:
        client.execute_statement(Statement=f"MERGE INTO \"{table_name}\"")
    assert e.value.response["Error"] == {
        "Code": "ValidationException",
        "Message": "Statement wasn't well formed, can't be processed: Expected data manipulation",
    }
    with pytest.raises(ClientError) as e:
        client.create_global_table(GlobalTableName=table_name, ReplicationGroup=[{"RegionName": "us-west-2"}])
    assert e.value.response["Error"]["Code"] == "UnknownOperationException"
