"""PartiQL through boto3: ExecuteStatement (SELECT as GetItem, Query or Scan, INSERT,
UPDATE, DELETE, parameters, paging), BatchExecuteStatement with a per-statement error, and
ExecuteTransaction's all or nothing."""
import pytest
from botocore.exceptions import ClientError


@pytest.fixture
def orders(client, table_name):
    client.create_table(
        TableName=table_name,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[
            {"AttributeName": "customer", "AttributeType": "S"},
            {"AttributeName": "day", "AttributeType": "N"},
        ],
        KeySchema=[{"AttributeName": "customer", "KeyType": "HASH"}, {"AttributeName": "day", "KeyType": "RANGE"}],
    )
    for day in range(1, 6):
        client.execute_statement(
            Statement=f"INSERT INTO \"{table_name}\" VALUE {{'customer': 'ana', 'day': ?, 'total': ?}}",
            Parameters=[{"N": str(day)}, {"N": str(day * 10)}],
        )
    return table_name


def test_execute_statement_reads_and_writes(client, orders):
    got = client.execute_statement(Statement=f'SELECT total FROM "{orders}" WHERE customer = ? AND "day" = 3', Parameters=[{"S": "ana"}])
    assert got["Items"] == [{"total": {"N": "30"}}]
    page = client.execute_statement(Statement=f"SELECT * FROM \"{orders}\" WHERE customer = 'ana' ORDER BY \"day\" DESC", Limit=2)
    assert [i["day"]["N"] for i in page["Items"]] == ["5", "4"]
    rest = client.execute_statement(Statement=f"SELECT * FROM \"{orders}\" WHERE customer = 'ana' ORDER BY \"day\" DESC", Limit=10, NextToken=page["NextToken"])
    assert [i["day"]["N"] for i in rest["Items"]] == ["3", "2", "1"]
    scan = client.execute_statement(Statement=f'SELECT * FROM "{orders}" WHERE total >= 40', ReturnConsumedCapacity="TOTAL")
    assert sorted(i["day"]["N"] for i in scan["Items"]) == ["4", "5"]
    assert scan["ConsumedCapacity"]["TableName"] == orders
    updated = client.execute_statement(
        Statement=f"UPDATE \"{orders}\" SET total = total + 1 WHERE customer = 'ana' AND \"day\" = 1 RETURNING ALL NEW *"
    )
    assert updated["Items"][0]["total"] == {"N": "11"}
    with pytest.raises(ClientError) as e:
        client.execute_statement(Statement=f"INSERT INTO \"{orders}\" VALUE {{'customer': 'ana', 'day': 1}}")
    assert e.value.response["Error"]["Code"] == "DuplicateItemException"
    with pytest.raises(ClientError) as e:
        client.execute_statement(Statement=f"DELETE FROM \"{orders}\" WHERE customer = 'ana'")
    assert e.value.response["Error"]["Message"] == "Where clause does not contain a mandatory equality on all key attributes"
    client.execute_statement(Statement=f"DELETE FROM \"{orders}\" WHERE customer = 'ana' AND \"day\" = 5")
    assert client.execute_statement(Statement=f"SELECT * FROM \"{orders}\" WHERE customer = 'ana' AND \"day\" = 5")["Items"] == []


def test_batch_and_transaction(client, orders):
    batch = client.batch_execute_statement(
        Statements=[
            {"Statement": f"SELECT * FROM \"{orders}\" WHERE customer = 'ana' AND \"day\" = 2"},
            {"Statement": "SELECT * FROM \"no-such-table\" WHERE customer = 'ana' AND \"day\" = 2"},
        ]
    )
    assert batch["Responses"][0]["Item"]["total"] == {"N": "20"}
    assert batch["Responses"][1]["Error"]["Code"] == "ResourceNotFound"
    with pytest.raises(ClientError) as e:
        client.execute_transaction(
            TransactStatements=[
                {"Statement": f"UPDATE \"{orders}\" SET total = 0 WHERE customer = 'ana' AND \"day\" = 2"},
                {"Statement": f"INSERT INTO \"{orders}\" VALUE {{'customer': 'ana', 'day': 3}}"},
            ]
        )
    assert e.value.response["Error"]["Code"] == "TransactionCanceledException"
    assert [r["Code"] for r in e.value.response["CancellationReasons"]] == ["None", "DuplicateItem"]
    unchanged = client.execute_statement(Statement=f"SELECT total FROM \"{orders}\" WHERE customer = 'ana' AND \"day\" = 2")
    assert unchanged["Items"] == [{"total": {"N": "20"}}], "the update was rolled back"
    client.execute_transaction(
        TransactStatements=[
            {"Statement": f"UPDATE \"{orders}\" SET total = 0 WHERE customer = 'ana' AND \"day\" = 2"},
            {"Statement": f"INSERT INTO \"{orders}\" VALUE {{'customer': 'bo', 'day': 1}}"},
        ],
        ClientRequestToken="partiql-1",
    )
    read = client.execute_transaction(
        TransactStatements=[{"Statement": f"SELECT total FROM \"{orders}\" WHERE customer = 'ana' AND \"day\" = 2"}]
    )
    assert read["Responses"] == [{"Item": {"total": {"N": "0"}}}]
