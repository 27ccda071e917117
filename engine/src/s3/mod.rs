//! A simulated Amazon S3: the buckets exports write to and imports read from.
//!
//! Each bucket has an owning account and an Object Ownership setting; each object an owner,
//! an access control list and its bytes. The engine never reads or writes files: the page
//! keeps the buckets in IndexedDB and `dynaplay serve --s3-dir DIR` mirrors them to DIR.
//! Exporting to a bucket in another account leaves the objects owned by the exporter
//! unless the bucket enforces ownership, as S3 does (the IAM issue builds on this).

pub mod access;
mod host;

use std::collections::BTreeMap;

/// S3's Object Ownership setting. `BucketOwnerEnforced` (ACLs disabled) is S3's default
/// for new buckets since April 2023.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Ownership {
    #[default]
    BucketOwnerEnforced,
    BucketOwnerPreferred,
    ObjectWriter,
}

impl Ownership {
    pub fn as_str(self) -> &'static str {
        match self {
            Ownership::BucketOwnerEnforced => "BucketOwnerEnforced",
            Ownership::BucketOwnerPreferred => "BucketOwnerPreferred",
            Ownership::ObjectWriter => "ObjectWriter",
        }
    }

    pub fn parse(s: &str) -> Option<Ownership> {
        [Ownership::BucketOwnerEnforced, Ownership::BucketOwnerPreferred, Ownership::ObjectWriter]
            .into_iter()
            .find(|o| o.as_str() == s)
    }
}

/// One grant of an object's access control list: an account and a permission
/// (`FULL_CONTROL`, `READ`, …).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Grant {
    pub grantee: String,
    pub permission: String,
}

/// One object.
#[derive(Clone, Debug, PartialEq)]
pub struct Object {
    pub bytes: Vec<u8>,
    /// The account that owns the object.
    pub owner: String,
    /// Grants besides the owner's full control.
    pub grants: Vec<Grant>,
    pub modified_ms: u64,
}

impl Object {
    /// S3's ETag for a single-part upload: the MD5 of the bytes, in hex.
    pub fn etag(&self) -> String {
        hex_md5(&self.bytes)
    }
}

/// One bucket.
#[derive(Clone, Debug, PartialEq)]
pub struct Bucket {
    pub name: String,
    pub owner: String,
    pub ownership: Ownership,
    pub created_ms: u64,
    pub objects: BTreeMap<String, Object>,
}

impl Bucket {
    /// Writes `bytes` at `key` as `writer`: the object's owner is the writer, or the bucket
    /// owner when the bucket enforces ownership.
    pub fn put(&mut self, key: &str, bytes: Vec<u8>, writer: &str, now_ms: u64) {
        let owner = match self.ownership {
            Ownership::BucketOwnerEnforced => self.owner.clone(),
            _ => writer.to_string(),
        };
        self.objects.insert(key.to_string(), Object { bytes, owner, grants: Vec::new(), modified_ms: now_ms });
    }

    /// The objects whose keys start with `prefix`, in key order.
    pub fn under<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = (&'a String, &'a Object)> + 'a {
        self.objects.range(prefix.to_string()..).take_while(move |(k, _)| k.starts_with(prefix))
    }
}

/// Every bucket, by name.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct S3 {
    pub buckets: BTreeMap<String, Bucket>,
}

/// Why a bucket could not be created.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BucketError(pub String);

impl S3 {
    /// Creates bucket `name` owned by `owner`, with S3's naming rules.
    pub fn create_bucket(
        &mut self,
        name: &str,
        owner: &str,
        ownership: Ownership,
        now_ms: u64,
    ) -> Result<(), BucketError> {
        check_bucket_name(name)?;
        if self.buckets.contains_key(name) {
            return Err(BucketError(format!("A bucket named {name} already exists.")));
        }
        let bucket =
            Bucket { name: name.into(), owner: owner.into(), ownership, created_ms: now_ms, objects: BTreeMap::new() };
        self.buckets.insert(name.into(), bucket);
        Ok(())
    }
}

/// S3's rules for general purpose bucket names: 3 to 63 characters of lowercase letters,
/// digits, dots and hyphens, starting and ending with a letter or digit, no two adjacent
/// dots, not shaped like an IP address.
pub fn check_bucket_name(name: &str) -> Result<(), BucketError> {
    let edge = |c: Option<char>| c.is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    let ok = (3..=63).contains(&name.len())
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-')
        && edge(name.chars().next())
        && edge(name.chars().last())
        && !name.contains("..")
        && !(name.split('.').count() == 4 && name.split('.').all(|p| p.parse::<u8>().is_ok()));
    if ok {
        Ok(())
    } else {
        Err(BucketError(format!(
            "Bucket name {name:?} is not valid: use 3 to 63 lowercase letters, digits, dots and hyphens, \
             starting and ending with a letter or digit."
        )))
    }
}

/// The MD5 of `bytes` in hex.
pub fn hex_md5(bytes: &[u8]) -> String {
    use md5::{Digest, Md5};
    Md5::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests;

/// How persistence names a bucket: `b/<bucket>`.
pub fn bucket_key(bucket: &str) -> String {
    format!("b/{bucket}")
}

/// How persistence names an object: `o/<bucket>/<key>`.
pub fn object_key(bucket: &str, key: &str) -> String {
    format!("o/{bucket}/{key}")
}
