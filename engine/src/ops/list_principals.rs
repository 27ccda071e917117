//! ListPrincipals (Dynaplay's own): the workspace's users and roles, whether IAM is
//! enforced, and who the page acts as.

use serde_json::{json, Value};

use crate::engine::Engine;
use crate::error::Result;

pub fn run(engine: &Engine) -> Result<Value> {
    let iam = &engine.iam;
    let principals: Vec<Value> = iam.principals.values().map(super::put_principal::describe).collect();
    Ok(json!({ "Principals": principals, "Enforce": iam.enforce, "ActingAs": iam.acting_as }))
}
