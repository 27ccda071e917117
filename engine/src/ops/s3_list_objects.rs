//! S3ListObjects (Dynaplay's own, after S3's ListObjectsV2): the bucket's keys, with
//! each object's size and owner.

use serde_json::{json, Value};

use crate::engine::Engine;
use crate::error::Result;
use crate::request::Input;
use crate::s3::access::{check_bucket, effective_owner};

pub fn run(engine: &Engine, input: Input) -> Result<Value> {
    let name = super::s3_common::bucket_name(&input)?;
    let prefix = input.str("Prefix")?.unwrap_or_default();
    let bucket = super::s3_common::bucket(engine, name)?;
    check_bucket(engine, bucket, "s3:ListBucket")?;
    let contents: Vec<Value> = bucket
        .under(prefix)
        .map(|(k, o)| json!({"Key": k, "Size": o.bytes.len(), "ETag": o.etag(), "Owner": effective_owner(bucket, o)}))
        .collect();
    Ok(json!({"Name": name, "Prefix": prefix, "KeyCount": contents.len(), "Contents": contents}))
}
