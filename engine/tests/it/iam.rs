//! IAM through the wire entry point: principals and policies, enforcement, AWS's
//! AccessDeniedException messages, the transaction condition key
//! (`dynamodb:EnclosingOperation`), per-user rows (`dynamodb:LeadingKeys`), resource
//! policies and cross-account access, the simulator, and IAM kept in a workspace file.

use dynaplay_engine::wire::{error_of, Access};
use dynaplay_engine::{Config, Engine};
use serde_json::{json, Value};

use super::support::Harness;

const ACCOUNT: &str = "000000000000";
const TABLE_ARN: &str = "arn:aws:dynamodb:us-east-1:000000000000:table/Notes";

fn user(name: &str) -> String {
    format!("arn:aws:iam::{ACCOUNT}:user/{name}")
}

fn policy(statements: Value) -> String {
    json!({"Version": "2012-10-17", "Statement": statements}).to_string()
}

/// A `Notes` table, a principal `ana` with `statements`, and IAM on.
fn setup(statements: Value) -> Harness {
    let mut h = Harness::new();
    h.table("Notes", Some("S"));
    h.put("Notes", json!({"pk": {"S": "ana"}, "sk": {"S": "1"}, "text": {"S": "hi"}}));
    h.put("Notes", json!({"pk": {"S": "bo"}, "sk": {"S": "1"}, "text": {"S": "yo"}}));
    put_principal(&mut h, &user("ana"), statements);
    h.ok("UpdateAccessControl", json!({"Enforce": true}));
    h
}

fn put_principal(h: &mut Harness, arn: &str, statements: Value) {
    let empty = statements.as_array().is_some_and(Vec::is_empty);
    let policies =
        if empty { json!([]) } else { json!([{"PolicyName": "notes", "PolicyDocument": policy(statements)}]) };
    h.ok("PutPrincipal", json!({"Arn": arn, "Policies": policies}));
}

/// A request as `arn`: (status, short error type, message or body).
fn call_as(h: &mut Harness, arn: &str, op: &str, body: Value) -> (u16, String, String) {
    h.now += 1;
    let access = Access { principal: Some(arn), owner: false };
    let r = h.engine.request_as(access, op, body.to_string().as_bytes(), h.now);
    let v: Value = serde_json::from_str(&r.body).unwrap();
    let (short, message) = error_of(&v).unwrap_or_default();
    (r.status, short.to_string(), if r.status == 200 { r.body.clone() } else { message.to_string() })
}

fn get(pk: &str) -> Value {
    json!({"TableName": "Notes", "Key": {"pk": {"S": pk}, "sk": {"S": "1"}}})
}

#[test]
fn nothing_is_checked_until_iam_is_turned_on() {
    let mut h = Harness::new();
    h.table("Notes", None);
    put_principal(&mut h, &user("ana"), json!([]));
    let (status, _, _) = call_as(&mut h, &user("ana"), "ListTables", json!({}));
    assert_eq!(status, 200);
}

#[test]
fn an_action_no_policy_allows_is_denied_with_awss_message() {
    let mut h =
        setup(json!([{"Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:Query"], "Resource": TABLE_ARN}]));
    assert_eq!(call_as(&mut h, &user("ana"), "GetItem", get("ana")).0, 200);
    let put = json!({"TableName": "Notes", "Item": {"pk": {"S": "ana"}, "sk": {"S": "2"}}});
    let (status, short, message) = call_as(&mut h, &user("ana"), "PutItem", put);
    assert_eq!((status, short.as_str()), (400, "AccessDeniedException"));
    assert_eq!(
        message,
        "User: arn:aws:iam::000000000000:user/ana is not authorized to perform: dynamodb:PutItem on resource: arn:aws:dynamodb:us-east-1:000000000000:table/Notes because no identity-based policy allows the dynamodb:PutItem action"
    );
    // The administrator (the acting principal) is not limited.
    h.ok("PutItem", json!({"TableName": "Notes", "Item": {"pk": {"S": "x"}, "sk": {"S": "1"}}}));
}

#[test]
fn an_explicit_deny_wins_and_says_so() {
    let mut h = setup(json!([
        {"Effect": "Allow", "Action": "dynamodb:*", "Resource": "*"},
        {"Sid": "NoDeletes", "Effect": "Deny", "Action": "dynamodb:DeleteItem", "Resource": TABLE_ARN}
    ]));
    let (_, short, message) = call_as(&mut h, &user("ana"), "DeleteItem", get("ana"));
    assert_eq!(short, "AccessDeniedException");
    assert_eq!(
        message,
        "User: arn:aws:iam::000000000000:user/ana is not authorized to perform: dynamodb:DeleteItem on resource: arn:aws:dynamodb:us-east-1:000000000000:table/Notes with an explicit deny in an identity-based policy"
    );
}

#[test]
fn put_item_only_inside_a_transaction_with_enclosing_operation() {
    let mut h = setup(json!([{
        "Effect": "Allow",
        "Action": "dynamodb:PutItem",
        "Resource": TABLE_ARN,
        "Condition": {"ForAnyValue:StringEquals": {"dynamodb:EnclosingOperation": ["TransactWriteItems"]}}
    }]));
    let item = json!({"pk": {"S": "ana"}, "sk": {"S": "2"}});
    let (_, short, _) = call_as(&mut h, &user("ana"), "PutItem", json!({"TableName": "Notes", "Item": item}));
    assert_eq!(short, "AccessDeniedException");
    let tx = json!({"TransactItems": [{"Put": {"TableName": "Notes", "Item": item}}]});
    assert_eq!(call_as(&mut h, &user("ana"), "TransactWriteItems", tx).0, 200);
    // A Delete inside the transaction is its own action: not allowed.
    let tx = json!({"TransactItems": [{"Delete": {"TableName": "Notes", "Key": item}}]});
    let (_, _, message) = call_as(&mut h, &user("ana"), "TransactWriteItems", tx);
    assert!(message.contains("perform: dynamodb:DeleteItem on resource"), "{message}");
}

#[test]
fn leading_keys_keep_each_user_to_their_own_rows() {
    let rows = json!([{
        "Effect": "Allow",
        "Action": ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem"],
        "Resource": TABLE_ARN,
        "Condition": {"ForAllValues:StringEquals": {"dynamodb:LeadingKeys": ["${aws:username}"]}}
    }]);
    let mut h = setup(rows);
    assert_eq!(call_as(&mut h, &user("ana"), "GetItem", get("ana")).0, 200);
    assert_eq!(call_as(&mut h, &user("ana"), "GetItem", get("bo")).1, "AccessDeniedException");
    let query = |pk: &str| json!({"TableName": "Notes", "KeyConditionExpression": "pk = :p", "ExpressionAttributeValues": {":p": {"S": pk}}});
    assert_eq!(call_as(&mut h, &user("ana"), "Query", query("ana")).0, 200);
    assert_eq!(call_as(&mut h, &user("ana"), "Query", query("bo")).1, "AccessDeniedException");
}

#[test]
fn attributes_and_select_are_condition_keys() {
    let mut h = setup(json!([{
        "Effect": "Allow",
        "Action": "dynamodb:GetItem",
        "Resource": TABLE_ARN,
        "Condition": {"ForAllValues:StringEquals": {"dynamodb:Attributes": ["pk", "sk", "text"]}}
    }]));
    let mut projected = get("ana");
    projected["ProjectionExpression"] = json!("#t, pk");
    projected["ExpressionAttributeNames"] = json!({"#t": "text"});
    assert_eq!(call_as(&mut h, &user("ana"), "GetItem", projected).0, 200);
    let mut secret = get("ana");
    secret["ProjectionExpression"] = json!("salary");
    assert_eq!(call_as(&mut h, &user("ana"), "GetItem", secret).1, "AccessDeniedException");
}

#[test]
fn an_index_is_its_own_resource() {
    let mut h = setup(json!([{"Effect": "Allow", "Action": "dynamodb:Query", "Resource": TABLE_ARN}]));
    let body = json!({"TableName": "Notes", "IndexName": "ByText", "KeyConditionExpression": "pk = :p",
        "ExpressionAttributeValues": {":p": {"S": "ana"}}});
    let (_, _, message) = call_as(&mut h, &user("ana"), "Query", body);
    assert!(
        message.contains("on resource: arn:aws:dynamodb:us-east-1:000000000000:table/Notes/index/ByText"),
        "{message}"
    );
}

#[test]
fn an_unknown_principal_is_an_unrecognized_client() {
    let mut h = setup(json!([]));
    let (status, short, message) = call_as(&mut h, &user("nobody"), "ListTables", json!({}));
    assert_eq!((status, short.as_str()), (400, "UnrecognizedClientException"));
    assert_eq!(message, "The security token included in the request is invalid.");
}

#[test]
fn another_account_needs_the_tables_resource_policy_too() {
    let mut h = setup(json!([]));
    let outsider = "arn:aws:iam::111122223333:user/carol";
    put_principal(&mut h, outsider, json!([{"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "*"}]));
    let (_, _, message) = call_as(&mut h, outsider, "GetItem", get("ana"));
    assert_eq!(
        message,
        "User: arn:aws:iam::111122223333:user/carol is not authorized to perform: dynamodb:GetItem on resource: arn:aws:dynamodb:us-east-1:000000000000:table/Notes because no resource-based policy allows the dynamodb:GetItem action"
    );
    let grant = policy(
        json!([{"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "dynamodb:GetItem", "Resource": TABLE_ARN}]),
    );
    let r = h.ok("PutResourcePolicy", json!({"ResourceArn": TABLE_ARN, "Policy": grant}));
    let revision = r["RevisionId"].as_str().unwrap().to_string();
    assert_eq!(call_as(&mut h, outsider, "GetItem", get("ana")).0, 200);
    assert_eq!(h.ok("GetResourcePolicy", json!({"ResourceArn": TABLE_ARN}))["RevisionId"], json!(revision));
    // The same document again keeps its revision; a stale one is refused.
    assert_eq!(
        h.ok("PutResourcePolicy", json!({"ResourceArn": TABLE_ARN, "Policy": grant}))["RevisionId"],
        json!(revision)
    );
    let (short, _) = h.err("DeleteResourcePolicy", json!({"ResourceArn": TABLE_ARN, "ExpectedRevisionId": "1"}));
    assert_eq!(short, "PolicyNotFoundException");
    h.ok("DeleteResourcePolicy", json!({"ResourceArn": TABLE_ARN}));
    // A policy that would lock its author out needs their confirmation.
    let lockout =
        policy(json!([{"Effect": "Deny", "Principal": "*", "Action": "dynamodb:*Policy", "Resource": TABLE_ARN}]));
    let (short, message) = h.err("PutResourcePolicy", json!({"ResourceArn": TABLE_ARN, "Policy": lockout}));
    assert_eq!(short, "ValidationException");
    assert!(message.contains("set ConfirmRemoveSelfResourceAccess to true"), "{message}");
    h.ok(
        "PutResourcePolicy",
        json!({"ResourceArn": TABLE_ARN, "Policy": lockout, "ConfirmRemoveSelfResourceAccess": true}),
    );
    assert_eq!(h.err("DeleteResourcePolicy", json!({"ResourceArn": TABLE_ARN})).0, "AccessDeniedException");
    // Only with IAM off (the workspace owner's switch) can it go.
    h.ok("UpdateAccessControl", json!({"Enforce": false}));
    h.ok("DeleteResourcePolicy", json!({"ResourceArn": TABLE_ARN}));
    h.ok("UpdateAccessControl", json!({"Enforce": true}));
    // A table's policy goes with the table.
    h.ok("PutResourcePolicy", json!({"ResourceArn": TABLE_ARN, "Policy": grant}));
    h.ok("DeleteTable", json!({"TableName": "Notes"}));
    assert!(h.engine.iam().resource_policies.is_empty());
    h.table("Notes", Some("S"));
    let (short, message) = h.err("GetResourcePolicy", json!({"ResourceArn": TABLE_ARN}));
    assert_eq!(short, "PolicyNotFoundException");
    assert_eq!(message, format!("Resource-based policy not found for the provided ResourceArn: {TABLE_ARN}"));
}

#[test]
fn malformed_policies_are_refused_with_iams_words() {
    let mut h = Harness::new();
    let cases = [
        (json!({"Statement": [{"Effect": "Allow", "Resource": "*"}]}), "Policy statement must contain actions."),
        (
            json!({"Statement": [{"Effect": "Allow", "Action": "dynamodb:GetItem"}]}),
            "Policy statement must contain resources.",
        ),
        (json!({"Statement": [{"Effect": "Maybe", "Action": "dynamodb:GetItem", "Resource": "*"}]}), "Invalid effect"),
        (
            json!({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "dynamodb:GetItem", "Resource": "*"}]}),
            "Policy document should not specify a principal.",
        ),
        (
            json!({"Statement": [{"Effect": "Allow", "Action": "GetItem", "Resource": "*"}]}),
            "must be prefaced by a vendor",
        ),
        (
            json!({"Statement": [{"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "*", "Condition": {"StringEqual": {"a": "b"}}}]}),
            "Invalid Condition type : StringEqual.",
        ),
    ];
    for (doc, expected) in cases {
        let body = json!({"Arn": user("ana"), "Policies": [{"PolicyName": "p", "PolicyDocument": doc.to_string()}]});
        let (short, message) = h.err("PutPrincipal", body);
        assert_eq!(short, "ValidationException");
        assert!(message.contains(expected), "{doc}: {message}");
    }
}

#[test]
fn the_simulator_explains_each_statement_without_running_the_request() {
    let mut h = setup(json!([{
        "Sid": "OwnRows",
        "Effect": "Allow",
        "Action": "dynamodb:GetItem",
        "Resource": TABLE_ARN,
        "Condition": {"ForAllValues:StringEquals": {"dynamodb:LeadingKeys": ["${aws:username}"]}}
    }]));
    let r = h.ok("SimulateRequest", json!({"PrincipalArn": user("ana"), "Operation": "GetItem", "Request": get("bo")}));
    assert_eq!(r["Decision"], "denied");
    let e = &r["Evaluations"][0];
    assert_eq!(e["Action"], "dynamodb:GetItem");
    assert_eq!(e["Context"]["dynamodb:LeadingKeys"], json!(["bo"]));
    let s = &e["Statements"][0];
    assert_eq!((s["Sid"].as_str(), s["Applies"].as_bool()), (Some("OwnRows"), Some(false)));
    let c = &s["Conditions"][0];
    assert_eq!((c["PolicyValues"].clone(), c["Holds"].clone()), (json!(["ana"]), json!(false)));
    assert_eq!(s["Reason"], "the condition ForAllValues:StringEquals on dynamodb:LeadingKeys does not hold");
}

#[test]
fn iam_travels_in_the_workspace_file() {
    let h = setup(json!([{"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": TABLE_ARN}]));
    let doc = h.engine.export().unwrap();
    let mut back = Engine::import(Config::default(), &doc).unwrap();
    assert_eq!(back.iam(), h.engine.iam());
    let r = back.request_as(
        Access { principal: Some(&user("ana")), owner: false },
        "DeleteItem",
        get("ana").to_string().as_bytes(),
        h.now + 1,
    );
    assert_eq!(r.status, 400);
    assert!(r.body.contains("AccessDeniedException"));
}
