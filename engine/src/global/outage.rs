//! A region outage, simulated: UpdateRegionAvailability (Dynaplay's own operation, under
//! its target prefix) takes a region offline or brings it back. While a region is
//! offline its requests fail with a 500 InternalServerError (as requests to an
//! unreachable endpoint would fail; the message is ours), and replication to and from it
//! waits; the other regions go on. Once it is back, what each side missed flows across,
//! and last writer wins settles the items written on both sides.

use serde_json::{json, Value};

use super::{check_region, World};
use crate::error::{Error, ErrorKind};
use crate::wire::{error_response, Response};

/// The operation's name.
pub const OPERATION: &str = "UpdateRegionAvailability";

/// Answers UpdateRegionAvailability, and refuses any other request to an offline region;
/// `None` for the rest.
pub fn intercept(world: &mut World, region: &str, operation: &str, body: &[u8]) -> Option<Response> {
    if operation == OPERATION {
        return Some(match set(world, body) {
            Ok(v) => Response { status: 200, body: v.to_string(), trace: crate::trace::Trace::default() },
            Err(e) => error_response(&e),
        });
    }
    world.offline.contains(region).then(|| {
        error_response(&Error::new(
            ErrorKind::InternalServerError,
            format!("Region {region} is offline (a simulated outage: UpdateRegionAvailability brings it back)."),
        ))
    })
}

fn set(world: &mut World, body: &[u8]) -> Result<Value, Error> {
    let v: Value = serde_json::from_slice(body).map_err(|e| Error::serialization(format!("Malformed JSON: {e}")))?;
    let name =
        v.get("RegionName").and_then(Value::as_str).ok_or_else(|| Error::validation("RegionName is required."))?;
    check_region(name)?;
    let available = v
        .get("Available")
        .and_then(Value::as_bool)
        .ok_or_else(|| Error::validation("Available must be true or false."))?;
    if let Some(k) = v.as_object().and_then(|o| o.keys().find(|k| !["RegionName", "Available"].contains(&k.as_str()))) {
        return Err(Error::validation(format!("Unknown member {k}: the members are RegionName and Available.")));
    }
    if available {
        world.offline.remove(name);
    } else {
        world.offline.insert(name.to_string());
    }
    Ok(json!({ "RegionName": name, "Available": available }))
}
