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
    let (body, encoding) = match std::str::from_utf8(&o.bytes) {
        Ok(text) => (text.to_string(), None),
        Err(_) => (base64::engine::general_purpose::STANDARD.encode(&o.bytes), Some("base64")),
    };
    let mut out =
        json!({"Body": body, "ContentLength": o.bytes.len(), "ETag": o.etag(), "Owner": effective_owner(bucket, o)});
    if let (Some(e), Value::Object(m)) = (encoding, &mut out) {
        m.insert("BodyEncoding".into(), json!(e));
    }
    Ok(out)
}
