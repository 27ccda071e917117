//! What the simulated S3's operations share: reading `Bucket` and `Key`, finding them.
//! These are Dynaplay's own operations (its target prefix), named after S3's API, which
//! Dynaplay does not serve.

use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::request::Input;
use crate::s3::access::{no_such_bucket, no_such_key};
use crate::s3::Bucket;

pub(crate) fn bucket_name<'a>(input: &Input<'a>) -> Result<&'a str> {
    input.str("Bucket")?.filter(|b| !b.is_empty()).ok_or_else(|| Error::validation("Bucket is required"))
}

pub(crate) fn key<'a>(input: &Input<'a>) -> Result<&'a str> {
    input.str("Key")?.filter(|k| !k.is_empty()).ok_or_else(|| Error::validation("Key is required"))
}

pub(crate) fn bucket<'e>(engine: &'e Engine, name: &str) -> Result<&'e Bucket> {
    engine.s3.buckets.get(name).ok_or_else(|| no_such_bucket(name))
}

/// The bucket and the object at `key` in it.
pub(crate) fn object<'e>(engine: &'e Engine, name: &str, key: &str) -> Result<&'e Bucket> {
    let b = bucket(engine, name)?;
    b.objects.get(key).ok_or_else(|| no_such_key(key))?;
    Ok(b)
}
