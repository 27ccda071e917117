"""`dynaplay serve` runs triggers into its relational mirror: Dynaplay's own operations
(target prefix `Dynaplay_20261130.`) make a trigger and query the SQL side, while boto3
writes the table as it would AWS's."""
import json
import urllib.request


def dynaplay(endpoint, operation, body):
    """One of Dynaplay's own operations, as plain JSON over HTTP."""
    request = urllib.request.Request(
        endpoint,
        data=json.dumps(body).encode(),
        headers={"X-Amz-Target": f"Dynaplay_20261130.{operation}", "Content-Type": "application/x-amz-json-1.0"},
    )
    try:
        with urllib.request.urlopen(request) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def test_a_trigger_mirrors_writes_made_with_boto3(client, endpoint, table_name):
    client.create_table(
        TableName=table_name,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
    )
    sql_table = table_name.replace("-", "_")
    status, _ = dynaplay(endpoint, "ExecuteSql", {"Sql": f"CREATE TABLE {sql_table} (id TEXT PRIMARY KEY, n INT)"})
    assert status == 200
    trigger = {
        "TriggerName": f"{table_name}-sql", "TableName": table_name, "StartingPosition": "TRIM_HORIZON",
        "Handler": {
            "INSERT": f"INSERT INTO {sql_table} VALUES (:keys.id, :new.n)",
            "MODIFY": f"UPDATE {sql_table} SET n = :new.n WHERE id = :keys.id",
            "REMOVE": f"DELETE FROM {sql_table} WHERE id = :keys.id",
        },
    }
    status, made = dynaplay(endpoint, "CreateTrigger", trigger)
    assert status == 200, made
    assert made["Trigger"]["EventSourceArn"].startswith(f"arn:aws:dynamodb:us-east-1:000000000000:table/{table_name}/stream/")
    for i in range(3):
        client.put_item(TableName=table_name, Item={"id": {"S": f"i{i}"}, "n": {"N": str(i)}})
    client.update_item(
        TableName=table_name, Key={"id": {"S": "i1"}}, UpdateExpression="SET n = :n",
        ExpressionAttributeValues={":n": {"N": "10"}},
    )
    client.delete_item(TableName=table_name, Key={"id": {"S": "i0"}})
    status, result = dynaplay(endpoint, "ExecuteSql", {"Sql": f"SELECT id, n FROM {sql_table} ORDER BY id"})
    assert status == 200, result
    assert result["Results"][0]["Rows"] == [["i1", 10], ["i2", 2]]


def test_dynaplay_operations_are_not_dynamodb_operations(client, endpoint):
    # Under DynamoDB's own prefix they are unknown, as AWS answers them.
    request = urllib.request.Request(
        endpoint, data=b"{}",
        headers={"X-Amz-Target": "DynamoDB_20120810.ExecuteSql", "Content-Type": "application/x-amz-json-1.0"},
    )
    try:
        urllib.request.urlopen(request)
        raise AssertionError("answered")
    except urllib.error.HTTPError as e:
        assert e.code == 400
        assert json.loads(e.read())["__type"].endswith("UnknownOperationException")
    status, body = dynaplay(endpoint, "ExecuteSql", {"Sql": "SELECT NOW()"})
    assert (status, body["message"]) == (400, "NOW() gives a different result on every replay, so the mirror does not run it.")
