//! UpdateAccessControl (Dynaplay's own): turns IAM's enforcement on or off, and sets
//! who requests come from when they name no one (the page's "who am I").

use serde_json::Value;

use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::request::Input;
use crate::trace::Trace;

pub fn run(engine: &mut Engine, input: Input, trace: &mut Trace) -> Result<Value> {
    let enforce = input.bool("Enforce")?;
    let acting = input.str("ActingAs")?;
    if enforce.is_none() && acting.is_none() {
        return Err(Error::validation("UpdateAccessControl needs Enforce or ActingAs"));
    }
    if let Some(arn) = acting {
        if !engine.iam.principals.contains_key(arn) {
            return Err(Error::validation(format!("No principal has the ARN {arn}")));
        }
        engine.iam.acting_as = arn.to_string();
    }
    if let Some(on) = enforce {
        engine.iam.enforce = on;
    }
    trace.iam_changed = true;
    super::list_principals::run(engine)
}
