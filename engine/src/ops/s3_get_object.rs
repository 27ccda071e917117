//! S3GetObject (Dynaplay's own, after S3's GetObject): an object's bytes (as text when
//! they are UTF-8, else base64), size, ETag and owner.

use base64::Engine as _;
use serde_json::{json, Value};

use crate::engine::Engine;
use crate::error::Result;
use crate::request::Input;
use crate::s3::access::{check_object, effective_owner, Permission};

pub fn run(engine: &Engine, input: Input) -> Result<Value> {
    let (name, key) = (super::s3_common::bucket_name(&input)?, super::s3_common::key(&input)?);
    let bucket = super::s3_common::object(engine, name, key)?;
    check_object(engine, bucket, key, "s3:GetObject", Permission::Read)?;
    let Some(o) = bucket.objects.get(key) else { return Err(crate::s3::access::no_such_key(key)) };
    let mut out = json!({"ContentLength": o.bytes.len(), "ETag": o.etag(), "Owner": effective_owner(bucket, o)});
    match std::str::from_utf8(&o.bytes) {
        Ok(text) => out["Body"] = json!(text),
        Err(_) => {
            out["Body"] = json!(base64::engine::general_purpose::STANDARD.encode(&o.bytes));
            out["BodyEncoding"] = json!("base64");
        }
    }
    Ok(out)
}
