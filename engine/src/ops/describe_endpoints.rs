//! DescribeEndpoints: the regional endpoint, cached for a day as AWS answers.

use serde_json::{json, Value};

use crate::engine::Engine;
use crate::error::Result;

pub fn run(engine: &Engine) -> Result<Value> {
    Ok(json!({
        "Endpoints": [{
            "Address": format!("dynamodb.{}.amazonaws.com", engine.config.region),
            "CachePeriodInMinutes": 1440
        }]
    }))
}
