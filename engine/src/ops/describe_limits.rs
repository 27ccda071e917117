//! DescribeLimits: the account's provisioned-capacity quotas, at AWS's defaults
//! for a region (the engine has no per-account quota settings).

use serde_json::{json, Value};

use crate::error::Result;

/// AWS's default quotas: 80,000 units per account and 40,000 per table, each way.
pub fn run() -> Result<Value> {
    Ok(json!({
        "AccountMaxReadCapacityUnits": 80000,
        "AccountMaxWriteCapacityUnits": 80000,
        "TableMaxReadCapacityUnits": 40000,
        "TableMaxWriteCapacityUnits": 40000
    }))
}
