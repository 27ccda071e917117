use serde_json::{json, Value};

use super::*;

fn lesson(steps: Value) -> Value {
    json!({"format": FORMAT, "version": 1, "title": "T",
        "workspace": {"tables": [{"TableName": "Tbl", "BillingMode": "PAY_PER_REQUEST",
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}]}]},
        "steps": steps})
}

fn put(pk: &str) -> Value {
    json!({"operation": "PutItem", "request": {"TableName": "Tbl", "Item": {"pk": {"S": pk}, "n": {"N": "1"}}}})
}

fn step(check: Value, solution: Value) -> Value {
    json!({"title": "s", "instructions": "i", "task": "t", "check": check, "solution": solution})
}

#[test]
fn a_lesson_is_read_with_clear_errors() {
    let ok = lesson(json!([step(json!({"item": {"table": "Tbl", "key": {"pk": {"S": "a"}}}}), json!([put("a")]))]));
    assert_eq!(Lesson::from_json(&ok).unwrap().steps.len(), 1);
    let cases = [
        (json!({"format": "x"}), "not a Dynaplay lesson"),
        (lesson(json!([])), "\"steps\" must be an array of 1 to 30 steps"),
        (lesson(json!([step(json!({"nope": {}}), json!([put("a")]))])), "steps[0].check: unknown check nope"),
        (
            lesson(json!([step(json!({"item": {"table": "Tbl"}}), json!([put("a")]))])),
            "steps[0].check: item needs a \"key\" in DynamoDB JSON",
        ),
        (
            lesson(json!([step(json!({"table": {"table": "Tbl"}}), json!([{"operation": "Hack"}]))])),
            "steps[0].solution[0] must be",
        ),
        (
            lesson(json!([step(json!({"lastRequest": {"operation": "Nope"}}), json!([put("a")]))])),
            "lastRequest.operation: Nope is not an operation",
        ),
    ];
    for (doc, want) in cases {
        let e = Lesson::from_json(&doc).unwrap_err().0;
        assert!(e.contains(want), "{e}");
    }
}

#[test]
fn verify_catches_a_check_that_passes_too_early_and_a_solution_that_does_not_work() {
    let early = lesson(json!([step(json!({"table": {"table": "Tbl"}}), json!([put("a")]))]));
    let v = verify(&Lesson::from_json(&early).unwrap());
    assert_eq!(v.steps[0].1.problem(), Some("the check already passes before the solution"));
    let wrong = lesson(json!([step(json!({"item": {"table": "Tbl", "key": {"pk": {"S": "b"}}}}), json!([put("a")]))]));
    let v = verify(&Lesson::from_json(&wrong).unwrap());
    let problem = v.steps[0].1.problem().unwrap().to_string();
    assert!(
        problem
            .starts_with("after the solution the check still wants an item in Tbl with the key {\"pk\":{\"S\":\"b\"}}"),
        "{problem}"
    );
    let good = lesson(json!([
        step(
            json!({"item": {"table": "Tbl", "key": {"pk": {"S": "a"}}, "attributes": {"n": {"N": "1"}}}}),
            json!([put("a")])
        ),
        step(
            json!({"all": [{"noItem": {"table": "Tbl", "key": {"pk": {"S": "a"}}}}, {"lastRequest": {"operation": "DeleteItem", "status": 200}}]}),
            json!([{"operation": "DeleteItem", "request": {"TableName": "Tbl", "Key": {"pk": {"S": "a"}}}}])
        ),
    ]));
    assert!(verify(&Lesson::from_json(&good).unwrap()).ok());
}

#[test]
fn each_check_says_what_is_missing() {
    let l = Lesson::from_json(&lesson(json!([step(json!({"table": {"table": "Tbl"}}), json!([put("a")]))]))).unwrap();
    let world = start(&l.workspace).unwrap();
    let e = world.home_engine();
    let check = |c: Value, last: Option<&Last>| Check::from_json(&c).unwrap().evaluate(e, last);
    assert_eq!(check(json!({"table": {"table": "U"}}), None), Err("a table named U".into()));
    assert_eq!(
        check(json!({"table": {"table": "Tbl", "hashKey": "id"}}), None),
        Err("Tbl's partition key should be id (it is pk)".into())
    );
    assert_eq!(
        check(json!({"itemCount": {"table": "Tbl", "atLeast": 1}}), None),
        Err("at least 1 items in Tbl (it has 0)".into())
    );
    assert_eq!(check(json!({"stream": {"table": "Tbl"}}), None), Err("a stream on Tbl".into()));
    assert_eq!(check(json!({"lastRequest": {"operation": "Query"}}), None), Err("a request from you".into()));
    let last = Last {
        operation: "Scan".into(),
        request: json!({"TableName": "Tbl"}),
        status: 200,
        response: json!({"Count": 0, "ConsumedCapacity": {"CapacityUnits": 2.5}}),
    };
    assert_eq!(
        check(json!({"lastRequest": {"operation": "Query"}}), Some(&last)),
        Err("Query (your last request was Scan)".into())
    );
    assert_eq!(
        check(json!({"lastRequest": {"countAtLeast": 1}}), Some(&last)),
        Err("a request returning at least 1 items (yours returned 0)".into())
    );
    assert_eq!(
        check(json!({"lastRequest": {"consumedAtMost": 1}}), Some(&last)),
        Err("a request costing at most 1 capacity units (yours cost 2.5)".into())
    );
    assert_eq!(
        check(json!({"any": [{"table": {"table": "U"}}, {"lastRequest": {"operation": "Scan"}}]}), Some(&last)),
        Ok(())
    );
    let deep = (0..12).fold(json!({"table": {"table": "Tbl"}}), |c, _| json!({"all": [c]}));
    assert!(Check::from_json(&deep).is_err());
}

#[test]
fn a_workspace_whose_setup_fails_is_reported() {
    let mut doc = lesson(json!([step(json!({"table": {"table": "Tbl"}}), json!([put("a")]))]));
    doc["workspace"]["tables"][0]["TableName"] = json!("T");
    let v = verify(&Lesson::from_json(&doc).unwrap());
    assert_eq!(v.steps[0].0, "the workspace");
    assert!(v.steps[0].1.problem().unwrap().starts_with("setup CreateTable failed"), "{:?}", v.steps);
}

#[test]
fn partitions_are_judged_by_dynaplay_and_skipped_where_it_cannot_see_them() {
    let doc = lesson(json!([step(json!({"table": {"table": "U"}}), json!([put("a")]))]));
    let l = Lesson::from_json(&doc).unwrap();
    let world = start(&l.workspace).unwrap();
    let two = Check::from_json(&json!({"partitions": {"table": "Tbl", "atLeast": 2}})).unwrap();
    assert_eq!(two.evaluate(world.home_engine(), None), Err("at least 2 partitions in Tbl (it has 1)".into()));
    let e = Check::from_json(&json!({"partitions": {"table": "Tbl"}})).unwrap_err().0;
    assert_eq!(e, "partitions needs \"atLeast\": a number of 1 or more");

    /// A database that knows its tables but not their partitions, as an endpoint.
    struct Blind;
    impl Observe for Blind {
        fn table(&mut self, _: &str) -> Result<Option<TableFacts>, String> {
            Ok(Some(TableFacts { hash: "pk".into(), range: None, indexes: vec![], stream: false }))
        }
        fn item(&mut self, _: &str, _: &Value) -> Result<Option<Value>, String> {
            Ok(None)
        }
        fn item_count(&mut self, _: &str) -> Result<u64, String> {
            Ok(0)
        }
        fn partitions(&mut self, _: &str) -> Option<u64> {
            None
        }
    }
    let skipped = Verdict::Skipped("Tbl's partitions: only Dynaplay shows them".into());
    assert_eq!(two.judge(&mut Blind, None), skipped);
    let both = Check::from_json(
        &json!({"all": [{"table": {"table": "Tbl"}}, {"partitions": {"table": "Tbl", "atLeast": 2}}]}),
    );
    assert_eq!(both.unwrap().judge(&mut Blind, None), skipped);
    let any = Check::from_json(
        &json!({"any": [{"stream": {"table": "Tbl"}}, {"partitions": {"table": "Tbl", "atLeast": 2}}]}),
    );
    assert_eq!(any.unwrap().judge(&mut Blind, None), skipped, "a skipped alternative is not a pass");
    let missing = Check::from_json(
        &json!({"all": [{"stream": {"table": "Tbl"}}, {"partitions": {"table": "Tbl", "atLeast": 2}}]}),
    );
    assert_eq!(missing.unwrap().judge(&mut Blind, None), Verdict::Missing("a stream on Tbl".into()));
}

#[test]
fn a_check_that_fails_after_a_skipped_step_is_skipped_too() {
    /// Dynaplay's engine, except that it cannot make requests in another region.
    struct OneRegion(crate::global::World);
    impl Replay for OneRegion {
        fn state(&mut self) -> &mut dyn Observe {
            &mut self.0
        }
        fn send(&mut self, r: &Request, now_ms: u64) -> Result<Last, String> {
            if r.region.is_some() {
                return Err("another region".into());
            }
            let response = self.0.request_as(
                crate::wire::Access::default(),
                None,
                &r.operation,
                r.body.to_string().as_bytes(),
                now_ms,
            );
            Ok(Last {
                operation: r.operation.clone(),
                request: r.body.clone(),
                status: response.status,
                response: serde_json::from_str(&response.body).unwrap(),
            })
        }
    }
    let mut elsewhere = put("a");
    elsewhere["region"] = json!("eu-west-1");
    let doc = lesson(json!([
        step(json!({"lastRequest": {"operation": "PutItem"}}), json!([elsewhere])),
        step(
            json!({"item": {"table": "Tbl", "key": {"pk": {"S": "a"}}}}),
            json!([{"operation": "GetItem", "request": {"TableName": "Tbl", "Key": {"pk": {"S": "a"}}}}])
        ),
    ]));
    let l = Lesson::from_json(&doc).unwrap();
    let v = verify_with(&l, &mut OneRegion(start(&l.workspace).unwrap()));
    assert_eq!(v.steps[0].1, StepOutcome::Skipped("another region".into()));
    assert_eq!(
        v.steps[1].1,
        StepOutcome::Skipped(
            "an earlier step was skipped, and the check wants an item in Tbl with the key {\"pk\":{\"S\":\"a\"}}"
                .into()
        )
    );
    assert!(v.ok());
}
