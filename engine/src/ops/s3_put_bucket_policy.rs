//! S3PutBucketPolicy (Dynaplay's own, after S3's PutBucketPolicy): the bucket's
//! resource-based policy, validated as IAM validates one (a Principal is required).

use serde_json::{json, Value};

use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::iam::policy::{Kind, Malformed, Policy};
use crate::iam::ResourcePolicy;
use crate::request::Input;
use crate::trace::Trace;

pub fn run(engine: &mut Engine, input: Input, trace: &mut Trace) -> Result<Value> {
    let name = super::s3_common::bucket_name(&input)?;
    let text = input.str("Policy")?.ok_or_else(|| Error::validation("Policy is required"))?;
    let owner = super::s3_common::bucket(engine, name)?.owner.clone();
    super::s3_put_bucket_ownership_controls::only_the_owner(engine, &owner, "s3:PutBucketPolicy")?;
    let policy = Policy::parse(text, Kind::Resource)
        .map_err(|Malformed(m)| Error::validation(format!("MalformedPolicy: {m}")))?;
    let revision_id = engine.now_ms.max(1).to_string();
    let arn = format!("arn:aws:s3:::{name}");
    engine.iam.resource_policies.insert(arn, ResourcePolicy { text: text.to_string(), policy, revision_id });
    trace.iam_changed = true;
    Ok(json!({}))
}
