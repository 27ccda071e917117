//! DeletePrincipal (Dynaplay's own): removes a user or role. The page then acts as the
//! first principal left.

use serde_json::{json, Value};

use crate::engine::Engine;
use crate::error::{Error, ErrorKind, Result};
use crate::request::Input;
use crate::trace::Trace;

pub fn run(engine: &mut Engine, input: Input, trace: &mut Trace) -> Result<Value> {
    let arn = input.str("Arn")?.ok_or_else(|| Error::validation("DeletePrincipal needs an Arn"))?;
    let gone = engine.iam.principals.remove(arn).ok_or_else(|| {
        Error::new(ErrorKind::ResourceNotFound, format!("Requested resource not found: Principal: {arn} not found"))
    })?;
    if engine.iam.acting_as == arn {
        engine.iam.acting_as = engine.iam.principals.keys().next().cloned().unwrap_or_default();
    }
    trace.iam_changed = true;
    Ok(json!({ "Principal": super::put_principal::describe(&gone) }))
}
