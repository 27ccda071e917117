//! S3PutBucketOwnershipControls (Dynaplay's own, after S3's): the bucket's Object
//! Ownership. `BucketOwnerEnforced` disables ACLs: the bucket owner owns every object,
//! those already written included.

use serde_json::{json, Value};

use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::request::Input;
use crate::s3::{bucket_key, Ownership};
use crate::trace::Trace;

pub fn run(engine: &mut Engine, input: Input, trace: &mut Trace) -> Result<Value> {
    let name = super::s3_common::bucket_name(&input)?;
    let ownership = ownership(&input)?.ok_or_else(|| Error::validation("ObjectOwnership is required"))?;
    let bucket = super::s3_common::bucket(engine, name)?;
    only_the_owner(engine, &bucket.owner, "s3:PutBucketOwnershipControls")?;
    if let Some(b) = engine.s3.buckets.get_mut(name) {
        b.ownership = ownership;
    }
    trace.s3_changed.insert(bucket_key(name));
    Ok(json!({"Bucket": name, "ObjectOwnership": ownership.as_str()}))
}

/// `ObjectOwnership`: one of S3's three settings.
pub(crate) fn ownership(input: &Input) -> Result<Option<Ownership>> {
    match input.str("ObjectOwnership")? {
        None => Ok(None),
        Some(o) => Ownership::parse(o).map(Some).ok_or_else(|| {
            Error::validation(format!(
                "ObjectOwnership is BucketOwnerEnforced, BucketOwnerPreferred or ObjectWriter; got {o}"
            ))
        }),
    }
}

/// A bucket's settings are its owner's to change (while IAM is enforced).
pub(crate) fn only_the_owner(engine: &Engine, owner: &str, action: &str) -> Result<()> {
    match crate::s3::access::caller_account(engine) {
        Some(account) if account != owner => Err(Error::new(
            crate::error::ErrorKind::AccessDenied,
            format!("Access Denied: only the bucket owner, account {owner}, may {action}"),
        )),
        _ => Ok(()),
    }
}
