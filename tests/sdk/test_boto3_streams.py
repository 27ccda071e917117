"""boto3's `dynamodbstreams` client reads a table's stream from `dynaplay serve`, on the
same port as DynamoDB (its own target prefix), exactly as it reads AWS's."""
import pytest
from botocore.exceptions import ClientError


def read_all(streams, arn):
    records = []
    shards = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]
    for shard in shards:
        it = streams.get_shard_iterator(
            StreamArn=arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
        )["ShardIterator"]
        while it:
            page = streams.get_records(ShardIterator=it)
            if not page["Records"]:
                break
            records.extend(page["Records"])
            it = page.get("NextShardIterator")
    return records


def test_a_stream_of_put_update_delete(client, streams, table_name):
    client.create_table(
        TableName=table_name,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
    )
    arn = client.describe_table(TableName=table_name)["Table"]["LatestStreamArn"]
    listed = streams.list_streams(TableName=table_name)["Streams"]
    assert [s["StreamArn"] for s in listed] == [arn]
    client.put_item(TableName=table_name, Item={"pk": {"S": "a"}, "n": {"N": "1"}})
    client.update_item(
        TableName=table_name,
        Key={"pk": {"S": "a"}},
        UpdateExpression="SET n = :n",
        ExpressionAttributeValues={":n": {"N": "2"}},
    )
    client.delete_item(TableName=table_name, Key={"pk": {"S": "a"}})
    records = read_all(streams, arn)
    assert [r["eventName"] for r in records] == ["INSERT", "MODIFY", "REMOVE"]
    modify = records[1]["dynamodb"]
    assert modify["OldImage"]["n"] == {"N": "1"} and modify["NewImage"]["n"] == {"N": "2"}
    # botocore parses ApproximateCreationDateTime as a timestamp.
    assert modify["ApproximateCreationDateTime"].year >= 2024
    assert records[0]["eventSource"] == "aws:dynamodb"


def test_streams_errors_are_aws_errors(streams):
    arn = "arn:aws:dynamodb:us-east-1:000000000000:table/none/stream/2024-01-01T00:00:00.000"
    with pytest.raises(ClientError) as e:
        streams.describe_stream(StreamArn=arn)
    assert e.value.response["Error"]["Code"] == "ResourceNotFoundException"
    assert e.value.response["Error"]["Message"] == f"Requested resource not found: Stream: {arn} not found"
