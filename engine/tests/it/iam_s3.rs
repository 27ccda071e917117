//! IAM and the simulated S3: the cross-account export. Account A (the workspace's)
//! exports a table to account B's bucket; the objects stay A's, so B's own users are
//! denied them until A grants B access with PutObjectAcl, or B switches the bucket to
//! BucketOwnerEnforced. With IAM off, S3 checks nothing.

use dynaplay_engine::wire::{error_of, Access};
use serde_json::{json, Value};

use super::support::Harness;

const B_ADMIN: &str = "arn:aws:iam::111122223333:user/b-admin";
const ANALYST: &str = "arn:aws:iam::111122223333:user/analyst";
const A_ADMIN: &str = "arn:aws:iam::000000000000:user/admin";

fn call_as(h: &mut Harness, arn: &str, op: &str, body: Value) -> (u16, Value) {
    h.now += 1;
    let r = h.engine.request_as(Access { principal: Some(arn), owner: false }, op, body.to_string().as_bytes(), h.now);
    (r.status, serde_json::from_str(&r.body).unwrap())
}

fn message(v: &Value) -> String {
    error_of(v).map(|(_, m)| m.to_string()).unwrap_or_default()
}

fn principal(h: &mut Harness, arn: &str, actions: &[&str]) {
    let doc = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": actions, "Resource": "*"}]});
    h.ok("PutPrincipal", json!({"Arn": arn, "Policies": [{"PolicyName": "p", "PolicyDocument": doc.to_string()}]}));
}

/// A's table exported into B's bucket (ObjectWriter), IAM on; the exported keys.
fn exported() -> (Harness, Vec<String>) {
    let mut h = Harness::new();
    h.table("Books", None);
    h.put("Books", json!({"pk": {"S": "b1"}, "title": {"S": "Dune"}}));
    h.ok(
        "UpdateContinuousBackups",
        json!({"TableName": "Books", "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": true}}),
    );
    principal(&mut h, B_ADMIN, &["s3:*"]);
    principal(&mut h, ANALYST, &["s3:GetObject", "s3:ListBucket", "s3:GetObjectAcl"]);
    let (status, v) =
        call_as(&mut h, B_ADMIN, "S3CreateBucket", json!({"Bucket": "analytics-b", "ObjectOwnership": "ObjectWriter"}));
    assert_eq!((status, v["Owner"].as_str()), (200, Some("111122223333")));
    h.ok("UpdateAccessControl", json!({"Enforce": true}));
    let arn = "arn:aws:dynamodb:us-east-1:000000000000:table/Books";
    let (status, v) = call_as(
        &mut h,
        A_ADMIN,
        "ExportTableToPointInTime",
        json!({"TableArn": arn, "S3Bucket": "analytics-b", "S3BucketOwner": "111122223333"}),
    );
    assert_eq!(status, 200, "{v}");
    h.ok("ListTables", json!({}));
    let (_, list) = call_as(&mut h, ANALYST, "S3ListObjects", json!({"Bucket": "analytics-b"}));
    let keys: Vec<String> =
        list["Contents"].as_array().unwrap().iter().map(|o| o["Key"].as_str().unwrap().to_string()).collect();
    assert!(keys.iter().any(|k| k.ends_with("manifest-summary.json")), "{list}");
    assert!(list["Contents"].as_array().unwrap().iter().all(|o| o["Owner"] == "000000000000"));
    (h, keys)
}

#[test]
fn the_bucket_owners_users_cannot_read_what_another_account_exported_until_it_grants_them() {
    let (mut h, keys) = exported();
    let summary = keys.iter().find(|k| k.ends_with("manifest-summary.json")).unwrap().clone();
    let get = json!({"Bucket": "analytics-b", "Key": summary});
    let (status, v) = call_as(&mut h, ANALYST, "S3GetObject", get.clone());
    assert_eq!(status, 400);
    assert_eq!(
        message(&v),
        "Access Denied: the object is owned by account 000000000000, and its ACL grants account 111122223333 no READ permission (its owner can grant it with PutObjectAcl, for example bucket-owner-full-control; or the bucket owner can set Object Ownership to BucketOwnerEnforced)"
    );
    // B cannot grant itself access: the ACL is the object owner's.
    let acl = json!({"Bucket": "analytics-b", "Key": summary, "ACL": "bucket-owner-full-control"});
    assert_eq!(call_as(&mut h, B_ADMIN, "S3PutObjectAcl", acl.clone()).0, 400);
    assert_eq!(call_as(&mut h, A_ADMIN, "S3PutObjectAcl", acl).0, 200);
    let (status, v) = call_as(&mut h, ANALYST, "S3GetObject", get);
    assert_eq!(status, 200, "{v}");
    assert!(v["Body"].as_str().unwrap().contains("itemCount"));
    // The other objects are still A's alone.
    let data = keys.iter().find(|k| k.ends_with(".json.gz")).unwrap();
    assert_eq!(call_as(&mut h, ANALYST, "S3GetObject", json!({"Bucket": "analytics-b", "Key": data})).0, 400);
}

#[test]
fn bucket_owner_enforced_makes_every_object_the_bucket_owners() {
    let (mut h, keys) = exported();
    let (status, _) = call_as(
        &mut h,
        A_ADMIN,
        "S3PutBucketOwnershipControls",
        json!({"Bucket": "analytics-b", "ObjectOwnership": "BucketOwnerEnforced"}),
    );
    assert_eq!(status, 400, "only the bucket owner may");
    let (status, _) = call_as(
        &mut h,
        B_ADMIN,
        "S3PutBucketOwnershipControls",
        json!({"Bucket": "analytics-b", "ObjectOwnership": "BucketOwnerEnforced"}),
    );
    assert_eq!(status, 200);
    for key in &keys {
        let (status, v) = call_as(&mut h, ANALYST, "S3GetObject", json!({"Bucket": "analytics-b", "Key": key}));
        assert_eq!((status, v["Owner"].as_str()), (200, Some("111122223333")), "{key}: {v}");
    }
    // ACLs are disabled now.
    let (_, v) =
        call_as(&mut h, A_ADMIN, "S3PutObjectAcl", json!({"Bucket": "analytics-b", "Key": keys[0], "ACL": "private"}));
    assert_eq!(message(&v), "AccessControlListNotSupported: The bucket does not allow ACLs");
}

#[test]
fn another_account_lists_a_bucket_only_through_its_policy() {
    let (mut h, _) = exported();
    let (status, v) = call_as(&mut h, A_ADMIN, "S3ListObjects", json!({"Bucket": "analytics-b"}));
    assert_eq!(status, 400);
    assert!(message(&v).starts_with("Access Denied: the bucket analytics-b belongs to account 111122223333"), "{v}");
    let policy = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "000000000000"},
        "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::analytics-b"}]});
    assert_eq!(
        call_as(&mut h, B_ADMIN, "S3PutBucketPolicy", json!({"Bucket": "analytics-b", "Policy": policy.to_string()})).0,
        200
    );
    assert_eq!(call_as(&mut h, A_ADMIN, "S3ListObjects", json!({"Bucket": "analytics-b"})).0, 200);
}

#[test]
fn an_identity_policy_without_s3_denies_with_iams_message() {
    let (mut h, keys) = exported();
    let reader = "arn:aws:iam::111122223333:user/dba";
    principal(&mut h, reader, &["dynamodb:*"]);
    let (_, v) = call_as(&mut h, reader, "S3GetObject", json!({"Bucket": "analytics-b", "Key": keys[0]}));
    assert_eq!(
        message(&v),
        format!("User: {reader} is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::analytics-b/{} because no identity-based policy allows the s3:GetObject action", keys[0])
    );
}

#[test]
fn with_iam_off_s3_checks_nothing() {
    let (mut h, keys) = exported();
    h.ok("UpdateAccessControl", json!({"Enforce": false}));
    assert_eq!(call_as(&mut h, ANALYST, "S3GetObject", json!({"Bucket": "analytics-b", "Key": keys[0]})).0, 200);
}
