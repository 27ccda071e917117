//! Each operation's request members with their types, in the order DynamoDB's model
//! checks them (the order dynalite recorded against AWS; members it did not record, such
//! as the transaction and settings members, follow in the API reference's order).

use super::Kind::{Field, Value};
use super::Shape::{self, Attr, Bool, Int, List, Long, Map, ParamList, ParamMap, Str, Struct};

type Members = &'static [(&'static str, Shape)];

static STR: Shape = Str;
static ATTR: Shape = Attr(Value);
static ITEM: Shape = Map("AttributeValue", &ATTR);
static NAMES: Shape = Map("java.lang.String", &STR);
static STRINGS: Shape = List(&STR);

static THROUGHPUT: Shape =
    Struct(Field, "ProvisionedThroughput", &[("WriteCapacityUnits", Long), ("ReadCapacityUnits", Long)]);
static ON_DEMAND: Shape =
    Struct(Field, "OnDemandThroughput", &[("MaxReadRequestUnits", Long), ("MaxWriteRequestUnits", Long)]);
static PROJECTION: Shape = Struct(Field, "Projection", &[("ProjectionType", Str), ("NonKeyAttributes", List(&STR))]);
static KEY_ELEMENT: Shape = Struct(Value, "KeySchemaElement", &[("AttributeName", Str), ("KeyType", Str)]);
static KEY_SCHEMA: Shape = List(&KEY_ELEMENT);
static ATTR_DEF: Shape = Struct(Value, "AttributeDefinition", &[("AttributeName", Str), ("AttributeType", Str)]);
static TAG: Shape = Struct(Value, "Tag", &[("Key", Str), ("Value", Str)]);
static STREAM: Shape = Struct(Field, "StreamSpecification", &[("StreamEnabled", Bool), ("StreamViewType", Str)]);
static SSE: Shape = Struct(Field, "SSESpecification", &[("Enabled", Bool), ("SSEType", Str), ("KMSMasterKeyId", Str)]);

static CONDITION: Shape =
    Struct(Value, "Condition", &[("AttributeValueList", List(&ATTR)), ("ComparisonOperator", Str)]);
static KEY_CONDITION: Shape =
    Struct(Value, "Condition", &[("ComparisonOperator", Str), ("AttributeValueList", List(&ATTR))]);
static EXPECTED: Shape = Struct(
    Value,
    "ExpectedAttributeValue",
    &[("AttributeValueList", List(&ATTR)), ("ComparisonOperator", Str), ("Exists", Bool), ("Value", Attr(Field))],
);
static UPDATE: Shape = Struct(Value, "AttributeValueUpdate", &[("Action", Str), ("Value", Attr(Field))]);

static LSI: Shape = Struct(
    Value,
    "LocalSecondaryIndex",
    &[("IndexName", Str), ("KeySchema", List(&KEY_ELEMENT)), ("Projection", PROJECTION)],
);
static GSI: Shape = Struct(
    Value,
    "GlobalSecondaryIndex",
    &[
        ("IndexName", Str),
        ("KeySchema", List(&KEY_ELEMENT)),
        ("Projection", PROJECTION),
        ("ProvisionedThroughput", THROUGHPUT),
        ("OnDemandThroughput", ON_DEMAND),
    ],
);
static GSI_UPDATE: Shape = Struct(
    Value,
    "GlobalSecondaryIndexUpdate",
    &[
        (
            "Update",
            Struct(
                Field,
                "UpdateGlobalSecondaryIndexAction",
                &[("IndexName", Str), ("ProvisionedThroughput", THROUGHPUT)],
            ),
        ),
        (
            "Create",
            Struct(
                Field,
                "CreateGlobalSecondaryIndexAction",
                &[
                    ("Projection", PROJECTION),
                    ("IndexName", Str),
                    ("ProvisionedThroughput", THROUGHPUT),
                    ("KeySchema", KEY_SCHEMA),
                ],
            ),
        ),
        ("Delete", Struct(Field, "DeleteGlobalSecondaryIndexAction", &[("IndexName", Str)])),
    ],
);

static KEYS_AND_ATTRIBUTES: Shape = Struct(
    Value,
    "KeysAndAttributes",
    &[
        ("Keys", List(&KEY_MAP)),
        ("AttributesToGet", List(&STR)),
        ("ConsistentRead", Bool),
        ("ProjectionExpression", Str),
        ("ExpressionAttributeNames", NAMES),
    ],
);
static KEY_MAP: Shape = ParamMap(&ATTR);
static WRITE_REQUEST: Shape = Struct(
    Value,
    "WriteRequest",
    &[
        ("DeleteRequest", Struct(Field, "DeleteRequest", &[("Key", ITEM)])),
        ("PutRequest", Struct(Field, "PutRequest", &[("Item", ITEM)])),
    ],
);
static WRITE_LIST: Shape = ParamList(&WRITE_REQUEST);

/// The members every conditional action of a transaction shares, after its own.
const TRANSACT_COMMON: [(&str, Shape); 5] = [
    ("TableName", Str),
    ("ConditionExpression", Str),
    ("ExpressionAttributeNames", NAMES),
    ("ExpressionAttributeValues", ITEM),
    ("ReturnValuesOnConditionCheckFailure", Str),
];
static TRANSACT_WRITE: Shape = Struct(
    Value,
    "TransactWriteItem",
    &[
        (
            "ConditionCheck",
            Struct(
                Field,
                "ConditionCheck",
                &[
                    ("Key", ITEM),
                    TRANSACT_COMMON[0],
                    TRANSACT_COMMON[1],
                    TRANSACT_COMMON[2],
                    TRANSACT_COMMON[3],
                    TRANSACT_COMMON[4],
                ],
            ),
        ),
        (
            "Put",
            Struct(
                Field,
                "Put",
                &[
                    ("Item", ITEM),
                    TRANSACT_COMMON[0],
                    TRANSACT_COMMON[1],
                    TRANSACT_COMMON[2],
                    TRANSACT_COMMON[3],
                    TRANSACT_COMMON[4],
                ],
            ),
        ),
        (
            "Delete",
            Struct(
                Field,
                "Delete",
                &[
                    ("Key", ITEM),
                    TRANSACT_COMMON[0],
                    TRANSACT_COMMON[1],
                    TRANSACT_COMMON[2],
                    TRANSACT_COMMON[3],
                    TRANSACT_COMMON[4],
                ],
            ),
        ),
        (
            "Update",
            Struct(
                Field,
                "Update",
                &[
                    ("Key", ITEM),
                    ("UpdateExpression", Str),
                    TRANSACT_COMMON[0],
                    TRANSACT_COMMON[1],
                    TRANSACT_COMMON[2],
                    TRANSACT_COMMON[3],
                    TRANSACT_COMMON[4],
                ],
            ),
        ),
    ],
);
static TRANSACT_GET: Shape = Struct(
    Value,
    "TransactGetItem",
    &[(
        "Get",
        Struct(
            Field,
            "Get",
            &[("Key", ITEM), ("TableName", Str), ("ProjectionExpression", Str), ("ExpressionAttributeNames", NAMES)],
        ),
    )],
);

const TABLE_NAME: Members = &[("TableName", Str)];

static BATCH_GET_ITEM: Members =
    &[("ReturnConsumedCapacity", Str), ("RequestItems", Map("KeysAndAttributes", &KEYS_AND_ATTRIBUTES))];
static BATCH_WRITE_ITEM: Members = &[
    ("ReturnConsumedCapacity", Str),
    ("ReturnItemCollectionMetrics", Str),
    ("RequestItems", Map("java.util.List<com.amazonaws.dynamodb.v20120810.WriteRequest>", &WRITE_LIST)),
];
static CREATE_TABLE: Members = &[
    ("AttributeDefinitions", List(&ATTR_DEF)),
    ("TableName", Str),
    ("BillingMode", Str),
    ("ProvisionedThroughput", THROUGHPUT),
    ("KeySchema", KEY_SCHEMA),
    ("LocalSecondaryIndexes", List(&LSI)),
    ("GlobalSecondaryIndexes", List(&GSI)),
    ("StreamSpecification", STREAM),
    ("SSESpecification", SSE),
    ("Tags", List(&TAG)),
    ("TableClass", Str),
    ("DeletionProtectionEnabled", Bool),
    ("OnDemandThroughput", ON_DEMAND),
];
static DELETE_ITEM: Members = &[
    ("ReturnConsumedCapacity", Str),
    ("TableName", Str),
    ("ReturnValues", Str),
    ("ReturnItemCollectionMetrics", Str),
    ("Key", ITEM),
    ("ConditionalOperator", Str),
    ("Expected", Map("ExpectedAttributeValue", &EXPECTED)),
    ("ConditionExpression", Str),
    ("ExpressionAttributeValues", ITEM),
    ("ExpressionAttributeNames", NAMES),
    ("ReturnValuesOnConditionCheckFailure", Str),
];
static GET_ITEM: Members = &[
    ("ReturnConsumedCapacity", Str),
    ("AttributesToGet", STRINGS),
    ("TableName", Str),
    ("Key", ITEM),
    ("ConsistentRead", Bool),
    ("ProjectionExpression", Str),
    ("ExpressionAttributeNames", NAMES),
];
static LIST_TABLES: Members = &[("Limit", Int), ("ExclusiveStartTableName", Str)];
static UPDATE_TIME_TO_LIVE: Members = &[("TableName", Str), ("TimeToLiveSpecification", TTL_SPEC)];
static TTL_SPEC: Shape = Struct(Field, "TimeToLiveSpecification", &[("Enabled", Bool), ("AttributeName", Str)]);
static CREATE_BACKUP: Members = &[("TableName", Str), ("BackupName", Str)];
static BACKUP_ARN: Members = &[("BackupArn", Str)];
static LIST_BACKUPS: Members =
    &[("TableName", Str), ("Limit", Int), ("ExclusiveStartBackupArn", Str), ("BackupType", Str)];
static RESTORE_TABLE_FROM_BACKUP: Members = &[
    ("TargetTableName", Str),
    ("BackupArn", Str),
    ("BillingModeOverride", Str),
    ("ProvisionedThroughputOverride", THROUGHPUT),
];
static PITR_SPEC: Shape = Struct(
    Field,
    "PointInTimeRecoverySpecification",
    &[("PointInTimeRecoveryEnabled", Bool), ("RecoveryPeriodInDays", Int)],
);
static UPDATE_CONTINUOUS_BACKUPS: Members = &[("TableName", Str), ("PointInTimeRecoverySpecification", PITR_SPEC)];
static RESTORE_TABLE_TO_POINT_IN_TIME: Members = &[
    ("SourceTableArn", Str),
    ("SourceTableName", Str),
    ("TargetTableName", Str),
    ("UseLatestRestorableTime", Bool),
    ("BillingModeOverride", Str),
    ("ProvisionedThroughputOverride", THROUGHPUT),
];
// DynamoDB Streams (dynamodbstreams 2012-08-10).
static LIST_STREAMS: Members = &[("TableName", Str), ("Limit", Int), ("ExclusiveStartStreamArn", Str)];
static DESCRIBE_STREAM: Members = &[("StreamArn", Str), ("Limit", Int), ("ExclusiveStartShardId", Str)];
static GET_SHARD_ITERATOR: Members =
    &[("StreamArn", Str), ("ShardId", Str), ("ShardIteratorType", Str), ("SequenceNumber", Str)];
static GET_RECORDS: Members = &[("ShardIterator", Str), ("Limit", Int)];
static LIST_TAGS_OF_RESOURCE: Members = &[("ResourceArn", Str), ("NextToken", Str)];
static PUT_ITEM: Members = &[
    ("ReturnConsumedCapacity", Str),
    ("TableName", Str),
    ("Item", ITEM),
    ("ConditionalOperator", Str),
    ("Expected", Map("ExpectedAttributeValue", &EXPECTED)),
    ("ReturnValues", Str),
    ("ReturnItemCollectionMetrics", Str),
    ("ConditionExpression", Str),
    ("ExpressionAttributeValues", ITEM),
    ("ExpressionAttributeNames", NAMES),
    ("ReturnValuesOnConditionCheckFailure", Str),
];
static QUERY: Members = &[
    ("Select", Str),
    ("IndexName", Str),
    ("ReturnConsumedCapacity", Str),
    ("QueryFilter", Map("Condition", &CONDITION)),
    ("TableName", Str),
    ("ConditionalOperator", Str),
    ("AttributesToGet", STRINGS),
    ("Limit", Int),
    ("KeyConditions", Map("Condition", &KEY_CONDITION)),
    ("ExclusiveStartKey", ITEM),
    ("ConsistentRead", Bool),
    ("ScanIndexForward", Bool),
    ("KeyConditionExpression", Str),
    ("FilterExpression", Str),
    ("ProjectionExpression", Str),
    ("ExpressionAttributeValues", ITEM),
    ("ExpressionAttributeNames", NAMES),
];
static SCAN: Members = &[
    ("Select", Str),
    ("IndexName", Str),
    ("TotalSegments", Int),
    ("ReturnConsumedCapacity", Str),
    ("TableName", Str),
    ("ConditionalOperator", Str),
    ("ScanFilter", Map("Condition", &CONDITION)),
    ("Segment", Int),
    ("Limit", Int),
    ("AttributesToGet", STRINGS),
    ("ExclusiveStartKey", ITEM),
    ("ConsistentRead", Bool),
    ("FilterExpression", Str),
    ("ProjectionExpression", Str),
    ("ExpressionAttributeValues", ITEM),
    ("ExpressionAttributeNames", NAMES),
];
static TAG_RESOURCE: Members = &[("ResourceArn", Str), ("Tags", List(&TAG))];
static UNTAG_RESOURCE: Members = &[("ResourceArn", Str), ("TagKeys", STRINGS)];
static UPDATE_ITEM: Members = &[
    ("ReturnConsumedCapacity", Str),
    ("TableName", Str),
    ("ReturnItemCollectionMetrics", Str),
    ("ReturnValues", Str),
    ("Key", ITEM),
    ("ConditionalOperator", Str),
    ("Expected", Map("ExpectedAttributeValue", &EXPECTED)),
    ("AttributeUpdates", Map("AttributeValueUpdate", &UPDATE)),
    ("ConditionExpression", Str),
    ("UpdateExpression", Str),
    ("ExpressionAttributeValues", ITEM),
    ("ExpressionAttributeNames", NAMES),
    ("ReturnValuesOnConditionCheckFailure", Str),
];
static UPDATE_TABLE: Members = &[
    ("TableName", Str),
    ("ProvisionedThroughput", THROUGHPUT),
    ("BillingMode", Str),
    ("GlobalSecondaryIndexUpdates", List(&GSI_UPDATE)),
    ("AttributeDefinitions", List(&ATTR_DEF)),
    ("StreamSpecification", STREAM),
    ("SSESpecification", SSE),
    ("TableClass", Str),
    ("DeletionProtectionEnabled", Bool),
    ("OnDemandThroughput", ON_DEMAND),
];
static TRANSACT_WRITE_ITEMS: Members = &[
    ("TransactItems", List(&TRANSACT_WRITE)),
    ("ReturnConsumedCapacity", Str),
    ("ReturnItemCollectionMetrics", Str),
    ("ClientRequestToken", Str),
];
static TRANSACT_GET_ITEMS: Members = &[("TransactItems", List(&TRANSACT_GET)), ("ReturnConsumedCapacity", Str)];

static EXECUTE_STATEMENT: Members = &[
    ("Statement", Str),
    ("Parameters", List(&ATTR)),
    ("ConsistentRead", Bool),
    ("NextToken", Str),
    ("ReturnConsumedCapacity", Str),
    ("Limit", Int),
    ("ReturnValuesOnConditionCheckFailure", Str),
];
static BATCH_STATEMENT: Shape = Struct(
    Value,
    "BatchStatementRequest",
    &[
        ("Statement", Str),
        ("Parameters", List(&ATTR)),
        ("ConsistentRead", Bool),
        ("ReturnValuesOnConditionCheckFailure", Str),
    ],
);
static BATCH_EXECUTE_STATEMENT: Members = &[("Statements", List(&BATCH_STATEMENT)), ("ReturnConsumedCapacity", Str)];
static PARAMETERIZED_STATEMENT: Shape = Struct(
    Value,
    "ParameterizedStatement",
    &[("Statement", Str), ("Parameters", List(&ATTR)), ("ReturnValuesOnConditionCheckFailure", Str)],
);
static EXECUTE_TRANSACTION: Members = &[
    ("TransactStatements", List(&PARAMETERIZED_STATEMENT)),
    ("ClientRequestToken", Str),
    ("ReturnConsumedCapacity", Str),
];

/// The members of `operation`'s request, in the model's order.
pub fn of(operation: &str) -> Option<Members> {
    Some(match operation {
        "BatchGetItem" => BATCH_GET_ITEM,
        "BatchWriteItem" => BATCH_WRITE_ITEM,
        "CreateTable" => CREATE_TABLE,
        "DeleteItem" => DELETE_ITEM,
        "DeleteTable" | "DescribeTable" | "DescribeTimeToLive" | "DescribeContinuousBackups" => TABLE_NAME,
        "UpdateContinuousBackups" => UPDATE_CONTINUOUS_BACKUPS,
        "RestoreTableToPointInTime" => RESTORE_TABLE_TO_POINT_IN_TIME,
        "UpdateTimeToLive" => UPDATE_TIME_TO_LIVE,
        "GetItem" => GET_ITEM,
        "ListTables" => LIST_TABLES,
        "ListStreams" => LIST_STREAMS,
        "CreateBackup" => CREATE_BACKUP,
        "DescribeBackup" | "DeleteBackup" => BACKUP_ARN,
        "ListBackups" => LIST_BACKUPS,
        "RestoreTableFromBackup" => RESTORE_TABLE_FROM_BACKUP,
        "DescribeStream" => DESCRIBE_STREAM,
        "GetShardIterator" => GET_SHARD_ITERATOR,
        "GetRecords" => GET_RECORDS,
        "ListTagsOfResource" => LIST_TAGS_OF_RESOURCE,
        "PutItem" => PUT_ITEM,
        "Query" => QUERY,
        "Scan" => SCAN,
        "TagResource" => TAG_RESOURCE,
        "UntagResource" => UNTAG_RESOURCE,
        "UpdateItem" => UPDATE_ITEM,
        "UpdateTable" => UPDATE_TABLE,
        "TransactWriteItems" => TRANSACT_WRITE_ITEMS,
        "TransactGetItems" => TRANSACT_GET_ITEMS,
        "ExecuteStatement" => EXECUTE_STATEMENT,
        "BatchExecuteStatement" => BATCH_EXECUTE_STATEMENT,
        "ExecuteTransaction" => EXECUTE_TRANSACTION,
        _ => return None,
    })
}
