//! The throughput view's load generator: writes at a chosen rate for a few seconds, to one
//! partition key (a hot key) or spread over many, each a one-unit `UpdateItem` that adds 1
//! to a counter. Throttled writes can be retried as the AWS SDKs retry DynamoDB in their
//! legacy retry mode (botocore's `_retry.json` for DynamoDB: up to 10 attempts, waiting
//! 50 ms, then twice as long each time).

use dynaplay_engine::table::{KeySchema, ScalarType};
use serde_json::{json, Value};

/// The most attempts one write makes, the first included.
pub const MAX_ATTEMPTS: u32 = 10;
/// The first retry's wait.
pub const BASE_DELAY_MS: u64 = 50;
/// Bounds of the form, so a click cannot queue an hour of writes.
pub const MAX_PER_SECOND: u32 = 200;
pub const MAX_SECONDS: u32 = 30;

/// What the learner chose.
#[derive(Clone, Debug, PartialEq)]
pub struct LoadForm {
    pub per_second: String,
    pub seconds: String,
    /// Every write to one partition key (else each to a key of its own).
    pub hot: bool,
    pub retries: bool,
}

impl Default for LoadForm {
    fn default() -> LoadForm {
        LoadForm { per_second: "20".into(), seconds: "5".into(), hot: true, retries: true }
    }
}

/// A checked form: how many writes, how far apart.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Plan {
    pub total: u32,
    pub interval_ms: u64,
    pub hot: bool,
    pub retries: bool,
}

impl LoadForm {
    pub fn plan(&self) -> Result<Plan, String> {
        let number = |text: &str, what: &str, max: u32| -> Result<u32, String> {
            match text.trim().parse::<u32>() {
                Ok(n) if (1..=max).contains(&n) => Ok(n),
                _ => Err(format!("{what} must be a whole number from 1 to {max}.")),
            }
        };
        let per_second = number(&self.per_second, "Writes per second", MAX_PER_SECOND)?;
        let seconds = number(&self.seconds, "Seconds", MAX_SECONDS)?;
        let interval_ms = 1000 / u64::from(per_second);
        Ok(Plan { total: per_second * seconds, interval_ms, hot: self.hot, retries: self.retries })
    }
}

/// The `n`-th write: `ADD loadHits :one` on the hot key, or on a key of its own.
pub fn request(table: &str, schema: &KeySchema, n: u32, hot: bool) -> Value {
    let id = if hot { 0 } else { n + 1 };
    let mut key = serde_json::Map::new();
    key.insert(schema.hash.name.clone(), key_value(schema.hash.ty, id));
    if let Some(r) = &schema.range {
        key.insert(r.name.clone(), key_value(r.ty, 0));
    }
    json!({"TableName": table, "Key": key, "UpdateExpression": "ADD #hits :one",
        "ExpressionAttributeNames": {"#hits": "loadHits"}, "ExpressionAttributeValues": {":one": {"N": "1"}}})
}

/// A key value of type `ty` numbered `id`: `load-0` (the hot key), `load-1`, …
fn key_value(ty: ScalarType, id: u32) -> Value {
    match ty {
        ScalarType::S => json!({"S": format!("load-{id}")}),
        ScalarType::N => json!({"N": id.to_string()}),
        // Four base64 digits are three bytes: any id below 64⁴ has a value of its own.
        ScalarType::B => {
            const DIGITS: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
            let digit = |shift: u32| char::from(DIGITS.get(((id >> shift) & 63) as usize).copied().unwrap_or(b'A'));
            let text: String = [18, 12, 6, 0].into_iter().map(digit).collect();
            json!({ "B": text })
        }
    }
}

/// How long to wait after failed attempt `attempt` (1 = the first) before the next, or
/// `None` once the attempts are spent.
pub fn backoff_ms(attempt: u32) -> Option<u64> {
    (attempt < MAX_ATTEMPTS).then(|| BASE_DELAY_MS << (attempt - 1).min(16))
}

/// Whether a response is a throttle the SDKs retry.
pub fn throttled(status: u16, body: &Value) -> bool {
    let kind = dynaplay_engine::wire::error_of(body).map(|(k, _)| k);
    status == 400 && matches!(kind, Some("ProvisionedThroughputExceededException" | "ThrottlingException"))
}

/// What a run did so far.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Tally {
    /// Writes started.
    pub sent: u32,
    pub first_try: u32,
    pub after_retries: u32,
    /// Throttled answers, retried or not.
    pub throttles: u32,
    pub retries: u32,
    /// Writes that failed for good: throttled with no retry left, or another error.
    pub failed: u32,
}

impl Tally {
    /// Records one attempt's answer; returns whether to retry it (and after how long).
    pub fn answer(&mut self, attempt: u32, status: u16, body: &Value, retries: bool) -> Option<u64> {
        if status == 200 {
            if attempt == 1 {
                self.first_try += 1;
            } else {
                self.after_retries += 1;
            }
            return None;
        }
        let is_throttle = throttled(status, body);
        self.throttles += u32::from(is_throttle);
        match backoff_ms(attempt).filter(|_| retries && is_throttle) {
            Some(ms) => {
                self.retries += 1;
                Some(ms)
            }
            None => {
                self.failed += 1;
                None
            }
        }
    }

    /// Writes finished, one way or the other.
    pub fn done(&self) -> u32 {
        self.first_try + self.after_retries + self.failed
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dynaplay_engine::table::KeyDef;

    #[test]
    fn the_form_is_checked_and_spaces_the_writes() {
        let plan = LoadForm::default().plan().unwrap();
        assert_eq!(plan, Plan { total: 100, interval_ms: 50, hot: true, retries: true });
        let bad = LoadForm { per_second: "0".into(), ..LoadForm::default() };
        assert_eq!(bad.plan(), Err("Writes per second must be a whole number from 1 to 200.".into()));
        let long = LoadForm { seconds: "31".into(), ..LoadForm::default() };
        assert_eq!(long.plan(), Err("Seconds must be a whole number from 1 to 30.".into()));
    }

    #[test]
    fn hot_writes_share_one_key_and_spread_writes_have_their_own() {
        let schema = KeySchema {
            hash: KeyDef { name: "id".into(), ty: ScalarType::B },
            range: Some(KeyDef { name: "n".into(), ty: ScalarType::N }),
        };
        let hot = request("T", &schema, 7, true);
        assert_eq!(hot["Key"], json!({"id": {"B": "AAAA"}, "n": {"N": "0"}}));
        assert_eq!(request("T", &schema, 64, false)["Key"]["id"], json!({"B": "AABB"}));
        assert_eq!(hot["UpdateExpression"], "ADD #hits :one");
    }

    #[test]
    fn retries_wait_50_ms_doubling_for_up_to_ten_attempts() {
        let waits: Vec<Option<u64>> = (1..=10).map(backoff_ms).collect();
        assert_eq!(waits[0], Some(50));
        assert_eq!(waits[1], Some(100));
        assert_eq!(waits[8], Some(12_800));
        assert_eq!(waits[9], None);
    }

    #[test]
    fn the_tally_counts_throttles_retries_and_outcomes() {
        let throttle = json!({"__type": "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException", "message": "…"});
        let mut t = Tally { sent: 2, ..Tally::default() };
        assert_eq!(t.answer(1, 400, &throttle, true), Some(50));
        assert_eq!(t.answer(2, 200, &json!({}), true), None);
        assert_eq!(t.answer(1, 400, &throttle, false), None);
        assert_eq!((t.throttles, t.retries, t.after_retries, t.failed, t.done()), (2, 1, 1, 1, 2));
    }
}
