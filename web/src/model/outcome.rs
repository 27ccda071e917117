//! The outcome of one request a view made: the request, the response and its trace, or
//! why it did not run (storage refused it).

use dynaplay_engine::capacity::ReadMode;
use dynaplay_engine::trace::ReadTrace;
use dynaplay_engine::Response;
use serde_json::Value;

#[derive(Clone, Debug)]
pub struct Outcome {
    pub request: Value,
    pub status: u16,
    pub body: Value,
    pub response: Option<Response>,
    pub error: Option<String>,
}

impl Outcome {
    /// The outcome of a response to `request`.
    pub fn of(request: Value, response: Response) -> Outcome {
        Outcome {
            status: response.status,
            body: serde_json::from_str(&response.body).unwrap_or(Value::Null),
            request,
            response: Some(response),
            error: None,
        }
    }

    /// A request that was not acknowledged, and why.
    pub fn failed(request: Value, why: String) -> Outcome {
        Outcome { request, status: 0, body: Value::Null, response: None, error: Some(why) }
    }

    /// Which replica served the request's eventually consistent reads, and whether they
    /// were stale (`None`: the leader served them all).
    pub fn replica_note(&self) -> Option<String> {
        self.response.as_ref().and_then(|r| dynaplay_engine::replica::note(&r.trace))
    }

    pub fn ok(&self) -> bool {
        self.status == 200 && self.error.is_none()
    }

    /// AWS's error text (`__type: message`), when the request failed.
    pub fn error_text(&self) -> Option<String> {
        if let Some(e) = &self.error {
            return Some(e.clone());
        }
        (self.status != 200).then(|| {
            let (kind, message) = dynaplay_engine::wire::error_of(&self.body).unwrap_or_default();
            format!("{kind}: {message}")
        })
    }

    /// `ConsumedCapacity.CapacityUnits` of a single-table response.
    pub fn consumed(&self) -> Option<f64> {
        self.body["ConsumedCapacity"]["CapacityUnits"].as_f64()
    }

    /// The trace of the request's (first) read: what it examined, returned and read.
    pub fn read(&self) -> ReadTrace {
        self.response.as_ref().and_then(|r| r.trace.reads.first().cloned()).unwrap_or_default()
    }

    /// How the request asked to read.
    pub fn read_mode(&self) -> ReadMode {
        if self.request["ConsistentRead"].as_bool() == Some(true) {
            ReadMode::Strong
        } else {
            ReadMode::Eventual
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_errors_capacity_and_mode() {
        let mut engine = dynaplay_engine::Engine::new(dynaplay_engine::Config::default());
        let request = json!({"TableName": "Nope", "ConsistentRead": true});
        let o = Outcome::of(request.clone(), engine.request("Scan", request.to_string().as_bytes(), 0));
        assert!(!o.ok());
        assert_eq!(o.error_text().unwrap(), "ResourceNotFoundException: Requested resource not found");
        assert_eq!(o.read_mode(), ReadMode::Strong);
        let f = Outcome::failed(json!({}), "the disk is full".into());
        assert_eq!(
            (f.ok(), f.error_text().as_deref(), f.read_mode()),
            (false, Some("the disk is full"), ReadMode::Eventual)
        );
    }
}
