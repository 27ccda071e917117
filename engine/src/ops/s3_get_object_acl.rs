//! S3GetObjectAcl (Dynaplay's own, after S3's GetObjectAcl): an object's owner and
//! grants.

use serde_json::{json, Value};

use crate::engine::Engine;
use crate::error::Result;
use crate::request::Input;
use crate::s3::access::{check_object, effective_owner, Permission};

pub fn run(engine: &Engine, input: Input) -> Result<Value> {
    let (name, key) = (super::s3_common::bucket_name(&input)?, super::s3_common::key(&input)?);
    let bucket = super::s3_common::object(engine, name, key)?;
    check_object(engine, bucket, key, "s3:GetObjectAcl", Permission::ReadAcp)?;
    let Some(o) = bucket.objects.get(key) else { return Err(crate::s3::access::no_such_key(key)) };
    let owner = effective_owner(bucket, o);
    let mut grants = vec![json!({"Grantee": owner, "Permission": "FULL_CONTROL"})];
    grants.extend(o.grants.iter().map(|g| json!({"Grantee": g.grantee, "Permission": g.permission})));
    Ok(json!({"Owner": owner, "Grants": grants, "ObjectOwnership": bucket.ownership.as_str()}))
}
