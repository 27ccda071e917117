//! DeleteTrigger (Dynaplay's own): stops a trigger. The mirror keeps what it wrote.

use serde_json::{json, Value};

use crate::engine::Engine;
use crate::error::{Error, ErrorKind, Result};
use crate::request::Input;
use crate::trace::Trace;

pub fn run(engine: &mut Engine, input: Input, trace: &mut Trace) -> Result<Value> {
    let name = super::create_trigger::trigger_name(input.str("TriggerName")?)?;
    let trigger = engine.triggers.remove(name).ok_or_else(|| not_found(name))?;
    trace.triggers_changed = true;
    Ok(json!({ "Trigger": trigger.description() }))
}

pub(crate) fn not_found(name: &str) -> Error {
    Error::new(ErrorKind::ResourceNotFound, format!("Requested resource not found: Trigger: {name} not found"))
}
