//! UpdateRegionAvailability (Dynaplay's own): a simulated region outage. Answered by
//! `global::World` before any region's engine sees it; an engine on its own has one
//! region, and says so.

use serde_json::Value;

use crate::error::{Error, Result};

pub fn run() -> Result<Value> {
    Err(Error::validation(
        "Region outages need several regions: an engine on its own has one (global::World has several; dynaplay serve, dynaplay run and the page use it).",
    ))
}
