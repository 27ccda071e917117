//! S3PutObjectAcl (Dynaplay's own, after S3's PutObjectAcl): a canned ACL on an object,
//! set by an account with WRITE_ACP on it (its owner). `bucket-owner-full-control` is
//! how an exporter hands its objects to the bucket's owner.

use serde_json::{json, Value};

use crate::engine::Engine;
use crate::error::{Error, ErrorKind, Result};
use crate::request::Input;
use crate::s3::access::{check_object, Permission};
use crate::s3::{object_key, Grant, Ownership};
use crate::trace::Trace;

pub fn run(engine: &mut Engine, input: Input, trace: &mut Trace) -> Result<Value> {
    let (name, key) = (super::s3_common::bucket_name(&input)?, super::s3_common::key(&input)?);
    let acl = input.str("ACL")?.ok_or_else(|| Error::validation("ACL is required (a canned ACL)"))?;
    let bucket = super::s3_common::object(engine, name, key)?;
    if bucket.ownership == Ownership::BucketOwnerEnforced {
        return Err(Error::new(ErrorKind::Validation, "AccessControlListNotSupported: The bucket does not allow ACLs"));
    }
    check_object(engine, bucket, key, "s3:PutObjectAcl", Permission::WriteAcp)?;
    let owner = bucket.owner.clone();
    let grants = match acl {
        "private" => Vec::new(),
        "bucket-owner-read" => vec![Grant { grantee: owner, permission: "READ".into() }],
        "bucket-owner-full-control" => vec![Grant { grantee: owner, permission: "FULL_CONTROL".into() }],
        other => {
            return Err(Error::validation(format!(
                "The canned ACL {other} is not simulated: use private, bucket-owner-read or bucket-owner-full-control"
            )))
        }
    };
    if let Some(o) = engine.s3.buckets.get_mut(name).and_then(|b| b.objects.get_mut(key)) {
        o.grants = grants;
    }
    trace.s3_changed.insert(object_key(name, key));
    Ok(json!({}))
}
