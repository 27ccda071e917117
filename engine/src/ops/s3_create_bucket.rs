//! S3CreateBucket (Dynaplay's own, after S3's CreateBucket): a bucket owned by the
//! caller's account, with an Object Ownership setting (S3's default:
//! BucketOwnerEnforced).

use serde_json::{json, Value};

use crate::engine::Engine;
use crate::error::{Error, ErrorKind, Result};
use crate::iam::account_of;
use crate::request::Input;
use crate::s3::bucket_key;
use crate::trace::Trace;

pub fn run(engine: &mut Engine, input: Input, trace: &mut Trace) -> Result<Value> {
    let name = super::s3_common::bucket_name(&input)?;
    let ownership = super::s3_put_bucket_ownership_controls::ownership(&input)?.unwrap_or_default();
    let owner = account_of(&engine.caller).unwrap_or(&engine.config.account_id).to_string();
    crate::s3::check_bucket_name(name).map_err(|e| Error::validation(format!("InvalidBucketName: {}", e.0)))?;
    if engine.s3.buckets.contains_key(name) {
        return Err(Error::new(
            ErrorKind::ResourceInUse,
            format!("BucketAlreadyExists: The bucket {name} already exists"),
        ));
    }
    let now = engine.now_ms;
    engine.s3.create_bucket(name, &owner, ownership, now).map_err(|e| Error::validation(e.0))?;
    trace.s3_changed.insert(bucket_key(name));
    Ok(json!({"Location": format!("/{name}"), "Owner": owner, "ObjectOwnership": ownership.as_str()}))
}
