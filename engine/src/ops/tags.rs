//! What TagResource, UntagResource and ListTagsOfResource share: finding the table a
//! `ResourceArn` names, and reading a `Tags` list (CreateTable takes one too).
//!
//! AWS's checks on the ARN, in its order: a missing ARN is a validation error; a value
//! that is not ARN-shaped at all is access denied to ListTagsOfResource (IAM sees a
//! resource the caller may not touch; dynalite's capture) and a validation error to
//! TagResource and UntagResource (the 2026 conformance suite, run against live
//! DynamoDB); a DynamoDB ARN that is not a table's is a validation error; a table of
//! another account is access denied; a table that does not exist is not found.

use std::collections::BTreeMap;

use crate::engine::Engine;
use crate::error::{Error, ErrorKind, Result};
use crate::request::{Input, Violations};

/// The name of the existing table `arn` names, for operation `op`.
pub fn table_for_arn<'e>(engine: &'e Engine, arn: Option<&str>, op: &str) -> Result<&'e str> {
    let Some(arn) = arn else {
        return Err(Error::validation("Invalid TableArn"));
    };
    let denied = || access_denied(engine, op, arn);
    let invalid = || Error::validation(format!("Invalid TableArn: Invalid ResourceArn provided as input {arn}"));
    let not_arn = || if op == "ListTagsOfResource" { denied() } else { invalid() };
    // arn:partition:service:region:account:resource-type/resource
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let [_, _, _, _, _, resource] = parts.as_slice() else { return Err(not_arn()) };
    if parts.iter().any(|p| p.is_empty()) || !resource.contains('/') {
        return Err(not_arn());
    }
    let [scheme, partition, service, region, account, _] = parts.as_slice() else { return Err(invalid()) };
    let name = resource.strip_prefix("table/").ok_or_else(invalid)?;
    let well_formed = *scheme == "arn"
        && *partition == "aws"
        && *service == "dynamodb"
        && account.chars().all(|c| c.is_ascii_digit())
        && name.len() >= 3
        && !name.contains('/');
    if !well_formed {
        return Err(invalid());
    }
    if *account != engine.config.account_id {
        return Err(denied());
    }
    let not_found = || {
        // "ResourcArn" is AWS's own spelling in this message.
        Error::new(ErrorKind::ResourceNotFound, format!("Requested resource not found: ResourcArn: {arn} not found"))
    };
    if *region != engine.config.region {
        return Err(not_found());
    }
    engine.tables.get_key_value(name).map(|(n, _)| n.as_str()).ok_or_else(not_found)
}

/// IAM's refusal of `op` on `arn`, as the caller of this account would see it.
pub fn access_denied(engine: &Engine, op: &str, arn: &str) -> Error {
    let resource = if arn.is_empty() { "*" } else { arn };
    Error::new(
        ErrorKind::AccessDenied,
        format!(
            "User: arn:aws:iam::{}:root is not authorized to perform: dynamodb:{op} on resource: {resource}",
            engine.config.account_id
        ),
    )
}

/// A `Tags` list at `path` ("tags" in TagResource and CreateTable): keys of 1–128 and
/// values of 0–256 characters. A key given twice keeps its last value, as AWS does.
pub fn read_tags(input: &Input, path: &str, v: &mut Violations) -> Result<Option<BTreeMap<String, String>>> {
    let Some(list) = input.array("Tags")? else { return Ok(None) };
    let mut tags = BTreeMap::new();
    for (i, t) in list.iter().enumerate() {
        let t = Input::new(t)?;
        let at = format!("{path}.{}.member", i + 1);
        let key = t.str("Key")?;
        let value = t.str("Value")?;
        v.not_null(key, &format!("{at}.key"));
        v.not_null(value, &format!("{at}.value"));
        if let Some(k) = key {
            v.length(Some(k.chars().count()), k, &format!("{at}.key"), 1, Some(128));
        }
        if let Some(val) = value {
            v.length(Some(val.chars().count()), val, &format!("{at}.value"), 0, Some(256));
        }
        if let (Some(k), Some(val)) = (key, value) {
            tags.insert(k.to_string(), val.to_string());
        }
    }
    Ok(Some(tags))
}
