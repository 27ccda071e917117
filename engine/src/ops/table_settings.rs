//! Table settings that change how AWS runs a table but not what the engine stores:
//! server-side encryption (`SSESpecification`) and the on-demand throughput ceiling
//! (`OnDemandThroughput`). CreateTable and UpdateTable read them here; DescribeTable
//! echoes them back the way AWS describes them.

use md5::{Digest, Md5};
use serde_json::{json, Value};

use crate::engine::Engine;
use crate::error::Result;
use crate::request::{enums, Input, Violations};
use crate::table::OnDemand;

/// What a request's `SSESpecification` asks for.
#[derive(Debug, PartialEq)]
pub enum Sse {
    /// `Enabled: true`: a KMS key (its ARN), the account's AWS managed key unless the
    /// request names one.
    Kms(String),
    /// `Enabled: false`: back to the AWS owned key, which DescribeTable does not show.
    Owned,
}

impl Sse {
    /// The KMS key ARN a table keeps for DescribeTable (none for the AWS owned key).
    pub fn into_arn(self) -> Option<String> {
        match self {
            Sse::Kms(arn) => Some(arn),
            Sse::Owned => None,
        }
    }
}

pub fn read_sse(engine: &Engine, input: &Input, v: &mut Violations) -> Result<Option<Sse>> {
    let Some(spec) = input.object("SSESpecification")? else { return Ok(None) };
    let ty = spec.str("SSEType")?;
    v.one_of(ty, "sSESpecification.sSEType", enums::SSE_TYPE);
    let key = spec.str("KMSMasterKeyId")?;
    let kms = match spec.bool("Enabled")? {
        Some(enabled) => enabled,
        // A KMS type or key without `Enabled` means encryption with that key, as in AWS.
        None => ty == Some("KMS") || key.is_some(),
    };
    Ok(Some(if kms { Sse::Kms(kms_key_arn(engine, key)) } else { Sse::Owned }))
}

/// The ARN DescribeTable shows for a KMS key named in a request.
fn kms_key_arn(engine: &Engine, key: Option<&str>) -> String {
    let prefix = format!("arn:aws:kms:{}:{}", engine.config.region, engine.config.account_id);
    match key {
        Some(arn) if arn.starts_with("arn:") => arn.to_string(),
        Some(alias) if alias.starts_with("alias/") => format!("{prefix}:{alias}"),
        Some(id) => format!("{prefix}:key/{id}"),
        // The account's `aws/dynamodb` managed key: one per account and region.
        None => format!("{prefix}:key/{}", uuid_from(&prefix, 0)),
    }
}

/// Reads `OnDemandThroughput`, merged over the table's current setting (a side the
/// request leaves out keeps its value; -1 means no maximum).
pub fn read_on_demand(input: &Input, current: Option<OnDemand>) -> Result<Option<OnDemand>> {
    let Some(o) = input.object("OnDemandThroughput")? else { return Ok(None) };
    let base = current.unwrap_or(OnDemand { max_read: -1, max_write: -1 });
    Ok(Some(OnDemand {
        max_read: o.int("MaxReadRequestUnits")?.unwrap_or(base.max_read),
        max_write: o.int("MaxWriteRequestUnits")?.unwrap_or(base.max_write),
    }))
}

pub fn sse_description(arn: &str) -> Value {
    json!({"Status": "ENABLED", "SSEType": "KMS", "KMSMasterKeyArn": arn})
}

pub fn on_demand_description(o: OnDemand) -> Value {
    json!({"MaxReadRequestUnits": o.max_read, "MaxWriteRequestUnits": o.max_write})
}

/// A UUID-shaped id derived from a name and a time, so replays agree.
pub fn uuid_from(name: &str, now_ms: u64) -> String {
    let mut h = Md5::new();
    h.update(name.as_bytes());
    h.update(now_ms.to_be_bytes());
    let mut bytes: [u8; 16] = h.finalize().into();
    // Laid out as a random (version 4, RFC 4122 variant) UUID, as AWS's are.
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let d: Vec<String> = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let hex = d.concat();
    let part = |a: usize, b: usize| hex.get(a..b).unwrap_or("");
    format!("{}-{}-{}-{}-{}", part(0, 8), part(8, 12), part(12, 16), part(16, 20), part(20, 32))
}

#[cfg(test)]
mod uuid_tests {
    use super::uuid_from;

    #[test]
    fn ids_are_laid_out_as_version_4_uuids() {
        for (name, at) in [("Music", 0), ("a", 1_700_000_000_000), ("", u64::MAX)] {
            let id = uuid_from(name, at);
            let parts: Vec<&str> = id.split('-').collect();
            assert_eq!(parts.iter().map(|p| p.len()).collect::<Vec<_>>(), vec![8, 4, 4, 4, 12], "{id}");
            assert!(parts[2].starts_with('4'), "version 4: {id}");
            assert!(parts[3].starts_with(['8', '9', 'a', 'b']), "RFC 4122 variant: {id}");
        }
        assert_eq!(uuid_from("Music", 0), uuid_from("Music", 0), "replays agree");
    }
}
