//! S3's own checks, after IAM's (which `wire` runs on the caller's identity policies and
//! the bucket policy): the bucket context and the object context ("How Amazon S3
//! authorizes a request"). Only while IAM is enforced; with IAM off S3 checks nothing.
//!
//! - A bucket operation from another account needs the bucket policy's Allow.
//! - An object operation needs the object owner's permission: the caller's account owns
//!   it, or the object's ACL grants that account the permission (ACLs are read only
//!   while the bucket's Object Ownership is not `BucketOwnerEnforced`), or the bucket
//!   owner owns it and its bucket policy allows the caller. So an object another account
//!   wrote into your bucket (a cross-account export) is unreadable to your own users
//!   until its owner grants you access (`PutObjectAcl` with `bucket-owner-full-control`)
//!   or you switch the bucket to `BucketOwnerEnforced`.

use super::{Bucket, Object, Ownership};
use crate::engine::Engine;
use crate::error::{Error, ErrorKind, Result};
use crate::iam::evaluate::{resource_grants, Ask};
use crate::iam::{account_of, Context};

/// The object permission an operation needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Permission {
    Read,
    ReadAcp,
    WriteAcp,
}

impl Permission {
    pub fn as_str(self) -> &'static str {
        match self {
            Permission::Read => "READ",
            Permission::ReadAcp => "READ_ACP",
            Permission::WriteAcp => "WRITE_ACP",
        }
    }

    fn granted_by(self, permission: &str) -> bool {
        permission == "FULL_CONTROL" || permission == self.as_str()
    }
}

/// The caller's account while IAM is enforced.
pub(crate) fn caller_account(engine: &Engine) -> Option<String> {
    engine.iam.enforce.then(|| account_of(&engine.caller).unwrap_or_default().to_string())
}

/// Who owns an object as S3 decides it: the bucket owner when ACLs are disabled.
pub fn effective_owner<'a>(bucket: &'a Bucket, object: &'a Object) -> &'a str {
    match bucket.ownership {
        Ownership::BucketOwnerEnforced => &bucket.owner,
        _ => &object.owner,
    }
}

/// A bucket operation (`action`: `s3:ListBucket`…) by the caller.
pub(crate) fn check_bucket(engine: &Engine, bucket: &Bucket, action: &str) -> Result<()> {
    let Some(account) = caller_account(engine) else { return Ok(()) };
    if account == bucket.owner || policy_allows(engine, bucket, action, &format!("arn:aws:s3:::{}", bucket.name)) {
        return Ok(());
    }
    Err(denied(format!(
        "the bucket {} belongs to account {}, and its bucket policy does not allow {} {action}",
        bucket.name, bucket.owner, engine.caller
    )))
}

/// An object operation by the caller, needing `need` on the object.
pub(crate) fn check_object(engine: &Engine, bucket: &Bucket, key: &str, action: &str, need: Permission) -> Result<()> {
    let Some(account) = caller_account(engine) else { return Ok(()) };
    let object = bucket.objects.get(key).ok_or_else(|| no_such_key(key))?;
    let owner = effective_owner(bucket, object);
    if owner == account {
        return Ok(());
    }
    let acls = bucket.ownership != Ownership::BucketOwnerEnforced;
    if acls && object.grants.iter().any(|g| g.grantee == account && need.granted_by(&g.permission)) {
        return Ok(());
    }
    let resource = format!("arn:aws:s3:::{}/{key}", bucket.name);
    if owner == bucket.owner && policy_allows(engine, bucket, action, &resource) {
        return Ok(());
    }
    let why = if acls {
        format!("the object is owned by account {owner}, and its ACL grants account {account} no {} permission (its owner can grant it with PutObjectAcl, for example bucket-owner-full-control; or the bucket owner can set Object Ownership to BucketOwnerEnforced)", need.as_str())
    } else {
        format!(
            "the object is owned by the bucket owner, account {owner}, whose bucket policy does not allow {} {action}",
            engine.caller
        )
    };
    Err(denied(why))
}

/// Whether the bucket's policy grants the caller `action` on `resource`.
fn policy_allows(engine: &Engine, bucket: &Bucket, action: &str, resource: &str) -> bool {
    let holder = format!("arn:aws:s3:::{}", bucket.name);
    let Some(policy) = engine.iam.resource_policies.get(&holder) else { return false };
    let Some(principal) = engine.iam.principals.get(&engine.caller) else { return false };
    let context = Context::new();
    resource_grants(&Ask { principal, action, resource, context: &context, resource_policy: Some(&policy.policy) })
}

/// S3's AccessDenied, with why in Dynaplay's words.
fn denied(why: String) -> Error {
    Error::new(ErrorKind::AccessDenied, format!("Access Denied: {why}"))
}

pub(crate) fn no_such_key(key: &str) -> Error {
    Error::new(ErrorKind::ResourceNotFound, format!("NoSuchKey: The specified key does not exist: {key}"))
}

pub(crate) fn no_such_bucket(bucket: &str) -> Error {
    Error::new(ErrorKind::ResourceNotFound, format!("NoSuchBucket: The specified bucket does not exist: {bucket}"))
}
