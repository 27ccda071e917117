"""boto3 drives on-demand backups against `dynaplay serve`: create, describe, list,
restore into a new table, delete."""
import pytest
from botocore.exceptions import ClientError


def test_backup_and_restore(client, table_name):
    client.create_table(
        TableName=table_name,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
    )
    for i in range(3):
        client.put_item(TableName=table_name, Item={"pk": {"S": f"k{i}"}})
    details = client.create_backup(TableName=table_name, BackupName="nightly")["BackupDetails"]
    arn = details["BackupArn"]
    assert details["BackupStatus"] == "CREATING"
    described = client.describe_backup(BackupArn=arn)["BackupDescription"]
    assert described["BackupDetails"]["BackupStatus"] == "AVAILABLE"
    assert described["SourceTableDetails"]["ItemCount"] == 3
    # botocore parses the creation time as a timestamp.
    assert described["BackupDetails"]["BackupCreationDateTime"].year >= 2024
    listed = client.list_backups(TableName=table_name)["BackupSummaries"]
    assert [b["BackupArn"] for b in listed] == [arn]
    client.delete_item(TableName=table_name, Key={"pk": {"S": "k0"}})
    target = table_name + "-restored"
    restored = client.restore_table_from_backup(TargetTableName=target, BackupArn=arn)["TableDescription"]
    assert restored["RestoreSummary"]["SourceBackupArn"] == arn
    assert client.scan(TableName=target, Select="COUNT")["Count"] == 3
    client.delete_backup(BackupArn=arn)
    with pytest.raises(ClientError) as e:
        client.describe_backup(BackupArn=arn)
    assert e.value.response["Error"]["Code"] == "BackupNotFoundException"
