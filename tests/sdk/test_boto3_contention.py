"""Two boto3 clients against `dynaplay serve --transaction-ms`: while one client's
transaction is in flight, the other's plain write to its item gets
TransactionConflictException and its transaction touching that item is canceled with
reason TransactionConflict; the first client's retry with the same token gets
TransactionInProgressException. (Retries are off, so the raw errors show; the SDKs
retry some of these themselves.)"""
import pytest
from botocore.exceptions import ClientError

from conftest import serve, service


def raw_client(url):
    return service("dynamodb", url, attempts=1)


def test_in_flight_transactions_conflict(table_name):
    with serve("--transaction-ms", "3000") as url:
        a, b = raw_client(url), raw_client(url)
        a.create_table(
            TableName=table_name,
            BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        )
        move = [
            {"Update": {"TableName": table_name, "Key": {"id": {"S": "x"}}, "UpdateExpression": "ADD n :one",
                        "ExpressionAttributeValues": {":one": {"N": "1"}}}},
        ]
        a.transact_write_items(TransactItems=move, ClientRequestToken="tok-1")
        with pytest.raises(ClientError) as e:
            b.put_item(TableName=table_name, Item={"id": {"S": "x"}})
        assert e.value.response["Error"]["Code"] == "TransactionConflictException"
        assert e.value.response["Error"]["Message"] == "Transaction is ongoing for the item"
        with pytest.raises(ClientError) as e:
            b.transact_write_items(TransactItems=move)
        assert e.value.response["Error"]["Code"] == "TransactionCanceledException"
        assert [r["Code"] for r in e.value.response["CancellationReasons"]] == ["TransactionConflict"]
        with pytest.raises(ClientError) as e:
            a.transact_write_items(TransactItems=move, ClientRequestToken="tok-1")
        assert e.value.response["Error"]["Code"] == "TransactionInProgressException"
        assert b.get_item(TableName=table_name, Key={"id": {"S": "x"}}, ConsistentRead=True)["Item"]["n"] == {"N": "1"}
