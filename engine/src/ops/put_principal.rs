//! PutPrincipal (Dynaplay's own): adds or replaces a user or role, with its access key
//! and its identity-based policies (each validated as IAM validates one).

use serde_json::{json, Map, Value};

use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::iam::Principal;
use crate::request::Input;
use crate::trace::Trace;

pub fn run(engine: &mut Engine, input: Input, trace: &mut Trace) -> Result<Value> {
    let arn = input.str("Arn")?.ok_or_else(|| Error::validation("PutPrincipal needs an Arn"))?;
    let mut record = Map::new();
    record.insert("arn".into(), json!(arn));
    for (from, to) in [("AccessKeyId", "accessKeyId"), ("SecretAccessKey", "secretAccessKey")] {
        if let Some(v) = input.str(from)? {
            record.insert(to.into(), json!(v));
        }
    }
    if let Some(tags) = input.string_map("Tags")? {
        record.insert("tags".into(), json!(tags));
    }
    let mut policies = Vec::new();
    for p in input.array("Policies")?.into_iter().flatten() {
        let name = p
            .get("PolicyName")
            .and_then(Value::as_str)
            .ok_or_else(|| Error::validation("Each policy needs a PolicyName"))?;
        let doc = p
            .get("PolicyDocument")
            .and_then(Value::as_str)
            .ok_or_else(|| Error::validation("Each policy needs a PolicyDocument (JSON text)"))?;
        policies.push(json!({"name": name, "document": doc}));
    }
    record.insert("policies".into(), Value::Array(policies));
    let principal = Principal::from_record(&Value::Object(record)).map_err(Error::validation)?;
    let taken = engine
        .iam
        .principals
        .values()
        .any(|p| p.arn != principal.arn && p.access_key_id.is_some() && p.access_key_id == principal.access_key_id);
    if taken {
        return Err(Error::validation("Another principal has this AccessKeyId"));
    }
    let description = describe(&principal);
    engine.iam.principals.insert(principal.arn.clone(), principal);
    trace.iam_changed = true;
    Ok(json!({ "Principal": description }))
}

/// A principal as the IAM operations answer with it (the secret is never sent back).
pub(crate) fn describe(p: &Principal) -> Value {
    let policies: Vec<Value> =
        p.policies.iter().map(|(name, text, _)| json!({"PolicyName": name, "PolicyDocument": text})).collect();
    let mut d = json!({"Arn": p.arn, "Type": if p.is_role() { "Role" } else { "User" }, "Policies": policies});
    if let Value::Object(m) = &mut d {
        if let Some(k) = &p.access_key_id {
            m.insert("AccessKeyId".into(), json!(k));
        }
        if !p.tags.is_empty() {
            m.insert("Tags".into(), json!(p.tags));
        }
    }
    d
}
