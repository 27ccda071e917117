//! SimulateRequest (Dynaplay's own): IAM's decision on a request as a given principal,
//! every action and statement explained, without running the request (IAM's policy
//! simulator, for DynamoDB's requests).

use serde_json::{json, Value};

use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::iam::authorize::simulate;
use crate::iam::explain::evaluation_json;
use crate::request::Input;

pub fn run(engine: &Engine, input: Input) -> Result<Value> {
    let arn = input.str("PrincipalArn")?.ok_or_else(|| Error::validation("SimulateRequest needs a PrincipalArn"))?;
    let operation = input.str("Operation")?.ok_or_else(|| Error::validation("SimulateRequest needs an Operation"))?;
    if !super::OPERATIONS.contains(&operation) {
        return Err(Error::validation(format!("{operation} is not an operation Dynaplay answers")));
    }
    let request = input.obj.get("Request").cloned().unwrap_or_else(|| json!({}));
    let principal =
        engine.iam.principals.get(arn).ok_or_else(|| Error::validation(format!("No principal has the ARN {arn}")))?;
    let evaluations = simulate(engine, &engine.iam, principal, operation, &request);
    let denial = evaluations.iter().find_map(|e| e.denial(&principal.caller_arn()));
    let mut out = json!({
        "Decision": if denial.is_some() { "denied" } else { "allowed" },
        "Enforced": engine.iam.enforce,
        "Evaluations": evaluations.iter().map(evaluation_json).collect::<Vec<_>>(),
    });
    if let (Some(m), Value::Object(o)) = (denial, &mut out) {
        o.insert("Message".into(), json!(m));
    }
    Ok(out)
}
