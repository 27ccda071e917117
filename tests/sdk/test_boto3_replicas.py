"""boto3 clients against `dynaplay serve --replication-lag-ms`: while a writer changes an
item, eventually consistent reads from another client are sometimes stale (they went to a
follower replica that has not applied the write yet) and strongly consistent reads never
are. Without the option (the other tests' server) every read is up to date."""
import threading

from conftest import serve, service


def test_eventually_consistent_reads_can_be_stale_strong_ones_never(table_name):
    with serve("--replication-lag-ms", "2000", "--seed", "7") as url:
        writer, reader = service("dynamodb", url), service("dynamodb", url)
        writer.create_table(
            TableName=table_name,
            BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        )
        key = {"pk": {"S": "counter"}}
        stale, strong_stale = [], []
        for n in range(12):
            writer.put_item(TableName=table_name, Item={**key, "n": {"N": str(n)}})

            def read():
                got = reader.get_item(TableName=table_name, Key=key).get("Item", {}).get("n", {}).get("N")
                stale.append(got != str(n))
                strong = reader.get_item(TableName=table_name, Key=key, ConsistentRead=True)["Item"]["n"]["N"]
                strong_stale.append(strong != str(n))

            t = threading.Thread(target=read)
            t.start()
            t.join()
        assert any(stale), "some eventually consistent reads went to a follower that had not applied the write"
        assert not all(stale), "and some reached the leader"
        assert not any(strong_stale), "a strongly consistent read is never stale"


def test_without_a_lag_every_read_is_current(client, table_name):
    client.create_table(
        TableName=table_name,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
    )
    for n in range(10):
        client.put_item(TableName=table_name, Item={"pk": {"S": "k"}, "n": {"N": str(n)}})
        assert client.get_item(TableName=table_name, Key={"pk": {"S": "k"}})["Item"]["n"]["N"] == str(n)
