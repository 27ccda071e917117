//! Proving a lesson on an endpoint: its workspace made in prefixed tables, then each
//! step's check judged from what the endpoint answers (DescribeTable, a consistent
//! GetItem, a consistent counting Scan) before and after its solution.

use serde_json::{json, Value};

use dynaplay_engine::lesson::{verify_with, Last, Lesson, Observe, Replay, Request, StepOutcome, TableFacts, Verified};

use super::{Answer, Endpoint};

struct Remote<'a>(&'a Endpoint);

/// Proves `lesson` on `endpoint`, in tables of its own that are deleted afterwards.
pub fn verify(lesson: &Lesson, endpoint: &Endpoint) -> Verified {
    if !lesson.workspace.buckets.is_empty() {
        let why = "its workspace has S3 buckets, which only Dynaplay simulates".to_string();
        return Verified { steps: vec![("the workspace".to_string(), StepOutcome::Skipped(why))] };
    }
    let mut verified = match setup(lesson, endpoint) {
        Ok(()) => verify_with(lesson, &mut Remote(endpoint)),
        Err(e) => Verified { steps: vec![("the workspace".to_string(), StepOutcome::Problem(e))] },
    };
    for problem in endpoint.clean_up() {
        verified.steps.push(("cleaning up".to_string(), StepOutcome::Problem(problem)));
    }
    verified
}

fn setup(lesson: &Lesson, endpoint: &Endpoint) -> Result<(), String> {
    for timed in lesson.workspace.timeline() {
        let body: Value = serde_json::from_str(&timed.body).unwrap_or(Value::Null);
        match endpoint.call(&timed.operation, &body) {
            Answer::Done(200, _) => {}
            Answer::Done(status, answer) => {
                return Err(format!("setup {} failed: HTTP {status} {answer}", timed.operation))
            }
            Answer::Skipped(why) | Answer::Failed(why) => return Err(format!("setup {}: {why}", timed.operation)),
        }
    }
    Ok(())
}

impl Remote<'_> {
    /// A successful answer, `None` for ResourceNotFoundException, else why not.
    fn ask(&self, operation: &str, body: Value) -> Result<Option<Value>, String> {
        match self.0.call(operation, &body) {
            Answer::Done(200, answer) => Ok(Some(answer)),
            Answer::Done(_, answer) if super::is_not_found(&answer) => Ok(None),
            Answer::Done(status, answer) => Err(format!("{operation} answered HTTP {status} {answer}")),
            Answer::Skipped(why) | Answer::Failed(why) => Err(why),
        }
    }
}

impl Observe for Remote<'_> {
    fn table(&mut self, name: &str) -> Result<Option<TableFacts>, String> {
        let Some(described) = self.ask("DescribeTable", json!({"TableName": name}))? else { return Ok(None) };
        let table = &described["Table"];
        let key = |kind: &str| {
            table["KeySchema"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|k| k["KeyType"] == kind)
                .and_then(|k| k["AttributeName"].as_str())
                .map(str::to_string)
        };
        let indexes = ["LocalSecondaryIndexes", "GlobalSecondaryIndexes"]
            .iter()
            .flat_map(|field| table[*field].as_array().cloned().unwrap_or_default())
            .filter_map(|i| i["IndexName"].as_str().map(str::to_string))
            .collect();
        Ok(Some(TableFacts {
            hash: key("HASH").unwrap_or_default(),
            range: key("RANGE"),
            indexes,
            stream: table["StreamSpecification"]["StreamEnabled"] == true,
        }))
    }

    fn item(&mut self, table: &str, key: &Value) -> Result<Option<Value>, String> {
        let answer = self.ask("GetItem", json!({"TableName": table, "Key": key, "ConsistentRead": true}))?;
        Ok(answer.and_then(|a| a.get("Item").cloned()))
    }

    fn item_count(&mut self, table: &str) -> Result<u64, String> {
        let (mut count, mut start) = (0u64, None::<Value>);
        loop {
            let mut body = json!({"TableName": table, "Select": "COUNT", "ConsistentRead": true});
            if let Some(key) = start.take() {
                body["ExclusiveStartKey"] = key;
            }
            let answer = self.ask("Scan", body)?.ok_or_else(|| format!("no table {table}"))?;
            count = count.saturating_add(answer["Count"].as_u64().unwrap_or(0));
            match answer.get("LastEvaluatedKey") {
                Some(key) => start = Some(key.clone()),
                None => return Ok(count),
            }
        }
    }

    fn partitions(&mut self, _: &str) -> Option<u64> {
        None
    }
}

impl Replay for Remote<'_> {
    fn state(&mut self) -> &mut dyn Observe {
        self
    }

    fn send(&mut self, r: &Request, _now_ms: u64) -> Result<Last, String> {
        if let Some(principal) = &r.principal {
            return Err(format!("made as {principal}, a principal only Dynaplay's IAM simulates"));
        }
        if let Some(region) = &r.region {
            return Err(format!("made in the region {region}; one endpoint is one region"));
        }
        let (status, response) = match self.0.call(&r.operation, &r.body) {
            Answer::Done(status, answer) => (status, answer),
            Answer::Skipped(why) => return Err(why),
            Answer::Failed(why) => (0, json!({"message": why})),
        };
        Ok(Last { operation: r.operation.clone(), request: r.body.clone(), status, response })
    }
}
