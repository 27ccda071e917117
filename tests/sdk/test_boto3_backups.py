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


def test_point_in_time_recovery(client, table_name):
    client.create_table(
        TableName=table_name,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
    )
    described = client.update_continuous_backups(
        TableName=table_name,
        PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True, "RecoveryPeriodInDays": 7},
    )["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"]
    assert described["PointInTimeRecoveryStatus"] == "ENABLED"
    assert described["RecoveryPeriodInDays"] == 7
    client.put_item(TableName=table_name, Item={"pk": {"S": "kept"}})
    window = client.describe_continuous_backups(TableName=table_name)["ContinuousBackupsDescription"]
    latest = window["PointInTimeRecoveryDescription"]["LatestRestorableDateTime"]
    target = table_name + "-then"
    client.restore_table_to_point_in_time(
        SourceTableName=table_name, TargetTableName=target, RestoreDateTime=latest
    )
    assert client.scan(TableName=target, Select="COUNT")["Count"] == 1
    with pytest.raises(ClientError) as e:
        client.restore_table_to_point_in_time(
            SourceTableName="no-such-table", TargetTableName=target + "2", UseLatestRestorableTime=True
        )
    assert e.value.response["Error"]["Code"] == "TableNotFoundException"
