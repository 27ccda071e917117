use serde_json::json;

use crate::support::Harness;

fn create(extra: serde_json::Value) -> serde_json::Value {
    let mut b = json!({
        "TableName": "tbl",
        "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
        "BillingMode": "PAY_PER_REQUEST"
    });
    for (k, v) in extra.as_object().unwrap() {
        if v.is_null() {
            b.as_object_mut().unwrap().remove(k);
        } else {
            b[k] = v.clone();
        }
    }
    b
}

#[test]
fn create_describe_list_delete() {
    let mut h = Harness::new();
    let created = h.ok("CreateTable", create(json!({})));
    let d = &created["TableDescription"];
    assert_eq!(d["TableStatus"], "CREATING");
    assert_eq!(d["TableArn"], "arn:aws:dynamodb:us-east-1:000000000000:table/tbl");
    assert_eq!(d["BillingModeSummary"]["BillingMode"], "PAY_PER_REQUEST");
    assert_eq!(
        d["ProvisionedThroughput"],
        json!({"NumberOfDecreasesToday": 0, "ReadCapacityUnits": 0, "WriteCapacityUnits": 0})
    );
    let described = h.ok("DescribeTable", json!({"TableName": "tbl"}));
    assert_eq!(described["Table"]["TableStatus"], "ACTIVE");
    assert_eq!(described["Table"]["ItemCount"], 0);
    let (t, m) = h.err("CreateTable", create(json!({})));
    assert_eq!((t.as_str(), m.as_str()), ("ResourceInUseException", "Table already exists: tbl"));
    assert_eq!(h.ok("ListTables", json!({}))["TableNames"], json!(["tbl"]));
    let deleted = h.ok("DeleteTable", json!({"TableName": "tbl"}));
    assert_eq!(deleted["TableDescription"]["TableStatus"], "DELETING");
    for absent in ["CreationDateTime", "KeySchema", "AttributeDefinitions"] {
        assert!(deleted["TableDescription"].get(absent).is_none(), "{absent}");
    }
    let (t, m) = h.err("DescribeTable", json!({"TableName": "tbl"}));
    assert_eq!(
        (t.as_str(), m.as_str()),
        ("ResourceNotFoundException", "Requested resource not found: Table: tbl not found")
    );
}

#[test]
fn list_tables_pages() {
    let mut h = Harness::new();
    for n in ["ccc", "aaa", "bbb", "ddd"] {
        h.ok("CreateTable", create(json!({"TableName": n})));
    }
    let page = h.ok("ListTables", json!({"Limit": 2}));
    assert_eq!(page, json!({"TableNames": ["aaa", "bbb"], "LastEvaluatedTableName": "bbb"}));
    let page = h.ok("ListTables", json!({"Limit": 2, "ExclusiveStartTableName": "bbb"}));
    assert_eq!(page, json!({"TableNames": ["ccc", "ddd"]}));
}

#[test]
fn create_table_validation_messages() {
    let mut h = Harness::new();
    let cases = [
        (json!({"BillingMode": null}), "One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED"),
        (json!({"ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}}), "One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST"),
        (json!({"KeySchema": [{"AttributeName": "id", "KeyType": "RANGE"}]}), "Invalid KeySchema: The first KeySchemaElement is not a HASH key type"),
        (json!({"KeySchema": [{"AttributeName": "x", "KeyType": "HASH"}]}), "One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [x], AttributeDefinitions: [id]"),
        (json!({"AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}, {"AttributeName": "other", "AttributeType": "S"}]}), "One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions"),
        (json!({"LocalSecondaryIndexes": [{"IndexName": "lsi", "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}], "Projection": {"ProjectionType": "ALL"}}]}), "One or more parameter values were invalid: Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex"),
        (json!({"TableName": "x"}), "1 validation error detected: Value 'x' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3"),
        (json!({"KeySchema": []}), "1 validation error detected: Value '[]' at 'keySchema' failed to satisfy constraint: Member must have length greater than or equal to 1"),
        (json!({"AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}, {"AttributeName": "id", "AttributeType": "N"}]}), "Attribute Name is duplicated: id"),
        (json!({"TableName": null}), "The parameter 'TableName' is required but was not present in the request"),
        (json!({"StreamSpecification": {"StreamEnabled": false, "StreamViewType": "NEW_IMAGE"}}), "One or more parameter values were invalid: Table is being created with a stream disabled, UpdateViewType should not be specified"),
        (json!({"AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}, {"AttributeName": "g", "AttributeType": "S"}],
                "GlobalSecondaryIndexes": [{"IndexName": "gsi", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}], "Projection": {"ProjectionType": "INCLUDE"}}]}),
         "One or more parameter values were invalid: ProjectionType is INCLUDE, but NonKeyAttributes is not specified"),
        (json!({"KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}, {"AttributeName": "a", "KeyType": "RANGE"}, {"AttributeName": "b", "KeyType": "RANGE"}]}), "1 validation error detected: Value '[KeySchemaElement(attributeName=id, keyType=HASH), KeySchemaElement(attributeName=a, keyType=RANGE), KeySchemaElement(attributeName=b, keyType=RANGE)]' at 'keySchema' failed to satisfy constraint: Member must have length less than or equal to 2"),
    ];
    for (extra, msg) in cases {
        let (t, m) = h.err("CreateTable", create(extra.clone()));
        assert_eq!((t.as_str(), m.as_str()), ("ValidationException", msg), "{extra}");
    }
}

#[test]
fn tables_are_creating_until_the_delay_passes() {
    let mut h = Harness::new();
    h.engine = dynaplay_engine::Engine::new(dynaplay_engine::Config { create_delay_ms: 5_000, ..Default::default() });
    h.ok("CreateTable", create(json!({})));
    assert_eq!(h.ok("DescribeTable", json!({"TableName": "tbl"}))["Table"]["TableStatus"], "CREATING");
    let (t, _) = h.err("PutItem", json!({"TableName": "tbl", "Item": {"id": {"S": "a"}}}));
    assert_eq!(t, "ResourceNotFoundException");
    h.now += 5_000;
    assert_eq!(h.ok("DescribeTable", json!({"TableName": "tbl"}))["Table"]["TableStatus"], "ACTIVE");
}

#[test]
fn update_table_switches_billing_and_adds_an_index() {
    let mut h = Harness::new();
    h.ok("CreateTable", create(json!({})));
    h.put("tbl", json!({"id": {"S": "a"}, "g": {"S": "x"}}));
    let r = h.ok(
        "UpdateTable",
        json!({"TableName": "tbl", "AttributeDefinitions": [{"AttributeName": "g", "AttributeType": "S"}],
               "GlobalSecondaryIndexUpdates": [{"Create": {"IndexName": "byG", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}], "Projection": {"ProjectionType": "ALL"}}}]}),
    );
    assert_eq!(r["TableDescription"]["TableStatus"], "UPDATING");
    let q = h.ok("Query", json!({"TableName": "tbl", "IndexName": "byG", "KeyConditionExpression": "g = :g", "ExpressionAttributeValues": {":g": {"S": "x"}}}));
    assert_eq!(q["Count"], 1, "the new index is backfilled");
    let r = h.ok("UpdateTable", json!({"TableName": "tbl", "BillingMode": "PROVISIONED", "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5}}));
    assert_eq!(r["TableDescription"]["ProvisionedThroughput"]["ReadCapacityUnits"], 5);
    h.now += 1;
    let (_, m) = h.err(
        "UpdateTable",
        json!({"TableName": "tbl", "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5}}),
    );
    assert!(m.starts_with("The provisioned throughput for the table will not change."), "{m}");

    // Raising one side and lowering the other stamps both times and counts a decrease
    // for the rest of the UTC day.
    let r = h.ok(
        "UpdateTable",
        json!({"TableName": "tbl", "ProvisionedThroughput": {"ReadCapacityUnits": 10, "WriteCapacityUnits": 2}}),
    );
    let t = &r["TableDescription"]["ProvisionedThroughput"];
    assert_eq!((t["NumberOfDecreasesToday"].clone(), t["ReadCapacityUnits"].clone()), (json!(1), json!(10)));
    assert!(t["LastDecreaseDateTime"].as_f64().is_some(), "{t}");
    assert_eq!(t["LastIncreaseDateTime"], t["LastDecreaseDateTime"]);
    h.now += 86_400_000;
    let d = h.ok("DescribeTable", json!({"TableName": "tbl"}));
    assert_eq!(d["Table"]["ProvisionedThroughput"]["NumberOfDecreasesToday"], 0, "a new day");
}

#[test]
fn deletion_protection_blocks_delete() {
    let mut h = Harness::new();
    h.ok("CreateTable", create(json!({"DeletionProtectionEnabled": true})));
    let (_, m) = h.err("DeleteTable", json!({"TableName": "tbl"}));
    assert_eq!(
        m,
        "Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first."
    );
}

#[test]
fn table_settings_round_trip_through_describe_table() {
    let mut h = Harness::new();
    let plain = h.ok("CreateTable", create(json!({})))["TableDescription"].clone();
    assert!(plain.get("SSEDescription").is_none(), "the AWS owned key is not described");
    assert!(plain.get("OnDemandThroughput").is_none());
    h.ok(
        "CreateTable",
        create(json!({
            "TableName": "enc",
            "TableClass": "STANDARD_INFREQUENT_ACCESS",
            "SSESpecification": {"Enabled": true},
            "OnDemandThroughput": {"MaxReadRequestUnits": 10, "MaxWriteRequestUnits": 5}
        })),
    );
    let t = h.ok("DescribeTable", json!({"TableName": "enc"}))["Table"].clone();
    assert_eq!(t["TableClassSummary"], json!({"TableClass": "STANDARD_INFREQUENT_ACCESS"}));
    assert_eq!(t["SSEDescription"]["Status"], "ENABLED");
    assert_eq!(t["SSEDescription"]["SSEType"], "KMS");
    let arn = t["SSEDescription"]["KMSMasterKeyArn"].as_str().unwrap();
    assert!(arn.starts_with("arn:aws:kms:us-east-1:000000000000:key/"), "{arn}");
    assert_eq!(t["OnDemandThroughput"], json!({"MaxReadRequestUnits": 10, "MaxWriteRequestUnits": 5}));

    // UpdateTable changes one side of the ceiling and keeps the other; disabling SSE
    // goes back to the AWS owned key.
    h.ok(
        "UpdateTable",
        json!({"TableName": "enc", "OnDemandThroughput": {"MaxReadRequestUnits": -1}, "SSESpecification": {"Enabled": false}}),
    );
    let t = h.ok("DescribeTable", json!({"TableName": "enc"}))["Table"].clone();
    assert_eq!(t["OnDemandThroughput"], json!({"MaxReadRequestUnits": -1, "MaxWriteRequestUnits": 5}));
    assert!(t.get("SSEDescription").is_none());

    h.ok(
        "UpdateTable",
        json!({"TableName": "tbl", "SSESpecification": {"Enabled": true, "KMSMasterKeyId": "alias/mine"}}),
    );
    let t = h.ok("DescribeTable", json!({"TableName": "tbl"}))["Table"].clone();
    assert_eq!(t["SSEDescription"]["KMSMasterKeyArn"], "arn:aws:kms:us-east-1:000000000000:alias/mine");

    let (_, m) = h.err("CreateTable", create(json!({"TableName": "xyz", "SSESpecification": {"SSEType": "DES"}})));
    assert_eq!(
        m,
        "1 validation error detected: Value 'DES' at 'sSESpecification.sSEType' failed to satisfy constraint: Member must satisfy enum value set: [AES256, KMS]"
    );
}

#[test]
fn tags_are_added_listed_replaced_and_removed() {
    let mut h = Harness::new();
    h.ok("CreateTable", create(json!({"Tags": [{"Key": "team", "Value": "data"}]})));
    let arn = "arn:aws:dynamodb:us-east-1:000000000000:table/tbl";
    let list = |h: &mut Harness| h.ok("ListTagsOfResource", json!({"ResourceArn": arn}))["Tags"].clone();
    assert_eq!(list(&mut h), json!([{"Key": "team", "Value": "data"}]), "CreateTable's tags are kept");
    assert_eq!(
        h.ok(
            "TagResource",
            json!({"ResourceArn": arn, "Tags": [{"Key": "env", "Value": "test"}, {"Key": "team", "Value": "web"}]})
        ),
        json!({})
    );
    assert_eq!(list(&mut h), json!([{"Key": "env", "Value": "test"}, {"Key": "team", "Value": "web"}]));
    h.ok("UntagResource", json!({"ResourceArn": arn, "TagKeys": ["team", "absent"]}));
    assert_eq!(list(&mut h), json!([{"Key": "env", "Value": "test"}]));

    let cases = [
        ("ListTagsOfResource", json!({}), "ValidationException", "Invalid TableArn".to_string()),
        (
            "ListTagsOfResource",
            json!({"ResourceArn": "not-a-valid-arn"}),
            "AccessDeniedException",
            "User: arn:aws:iam::000000000000:root is not authorized to perform: dynamodb:ListTagsOfResource on resource: not-a-valid-arn".to_string(),
        ),
        (
            "TagResource",
            json!({"ResourceArn": "a:b:c:d:e:f/g", "Tags": []}),
            "ValidationException",
            "Invalid TableArn: Invalid ResourceArn provided as input a:b:c:d:e:f/g".to_string(),
        ),
        (
            "UntagResource",
            json!({"ResourceArn": "arn:aws:dynamodb:us-east-1:000000000000:table/nope", "TagKeys": ["a"]}),
            "ResourceNotFoundException",
            "Requested resource not found: ResourcArn: arn:aws:dynamodb:us-east-1:000000000000:table/nope not found"
                .to_string(),
        ),
        // Listing the tags of a table that does not exist is refused as access denied.
        (
            "ListTagsOfResource",
            json!({"ResourceArn": "arn:aws:dynamodb:us-east-1:000000000000:table/nope"}),
            "AccessDeniedException",
            "User: arn:aws:iam::000000000000:root is not authorized to perform: dynamodb:ListTagsOfResource on resource: arn:aws:dynamodb:us-east-1:000000000000:table/nope".to_string(),
        ),
        (
            "ListTagsOfResource",
            json!({"ResourceArn": "arn:aws:dynamodb:us-east-1:123456789012:table/tbl"}),
            "AccessDeniedException",
            "User: arn:aws:iam::000000000000:root is not authorized to perform: dynamodb:ListTagsOfResource on resource: arn:aws:dynamodb:us-east-1:123456789012:table/tbl".to_string(),
        ),
        (
            "TagResource",
            json!({"ResourceArn": arn, "Tags": [{"Key": "", "Value": "x"}]}),
            "ValidationException",
            "1 validation error detected: Value '' at 'tags.1.member.key' failed to satisfy constraint: Member must have length greater than or equal to 1".to_string(),
        ),
        (
            "TagResource",
            json!({"ResourceArn": arn}),
            "ValidationException",
            "1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member must not be null"
                .to_string(),
        ),
    ];
    for (op, body, ty, msg) in cases {
        let (t, m) = h.err(op, body.clone());
        assert_eq!((t.as_str(), m.as_str()), (ty, msg.as_str()), "{op} {body}");
    }
}

#[test]
fn the_trace_names_every_table_whose_definition_or_status_changed() {
    use dynaplay_engine::{Config, Engine};
    let mut e = Engine::new(Config { create_delay_ms: 1_000, ..Config::default() });
    let changed = |r: &dynaplay_engine::Response| r.trace.tables_changed.iter().cloned().collect::<Vec<_>>();
    let create = |name: &str| {
        json!({"TableName": name, "BillingMode": "PAY_PER_REQUEST",
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}]})
        .to_string()
    };
    let r = e.request("CreateTable", create("One").as_bytes(), 10_000);
    assert_eq!(changed(&r), ["One"]);
    // A read names nothing, until the clock completes One's creation.
    assert!(changed(&e.request("ListTables", b"{}", 10_500)).is_empty());
    let r = e.request("CreateTable", create("Two").as_bytes(), 11_000);
    assert_eq!(changed(&r), ["One", "Two"], "One turned ACTIVE during this request");
    let arn = "arn:aws:dynamodb:us-east-1:000000000000:table/One";
    let r = e.request(
        "TagResource",
        json!({"ResourceArn": arn, "Tags": [{"Key": "k", "Value": "v"}]}).to_string().as_bytes(),
        11_001,
    );
    assert_eq!(changed(&r), ["One"]);
}

#[test]
fn a_refused_index_creation_leaves_the_definitions_alone() {
    let mut h = Harness::new();
    h.ok(
        "CreateTable",
        json!({"TableName": "gsis", "BillingMode": "PAY_PER_REQUEST",
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "g", "AttributeType": "S"}],
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
            "GlobalSecondaryIndexes": [{"IndexName": "byG", "Projection": {"ProjectionType": "ALL"},
                "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}]}]}),
    );
    let (_, m) = h.err(
        "UpdateTable",
        json!({"TableName": "gsis", "AttributeDefinitions": [{"AttributeName": "h", "AttributeType": "N"}],
            "GlobalSecondaryIndexUpdates": [{"Create": {"IndexName": "byG", "Projection": {"ProjectionType": "ALL"},
                "KeySchema": [{"AttributeName": "h", "KeyType": "HASH"}]}}]}),
    );
    assert_eq!(m, "Attempting to create an index which already exists: byG");
    let d = h.ok("DescribeTable", json!({"TableName": "gsis"}));
    assert_eq!(
        d["Table"]["AttributeDefinitions"],
        json!([{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "g", "AttributeType": "S"}])
    );
}
