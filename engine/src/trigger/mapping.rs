//! A trigger's settings, named and bounded as Lambda's CreateEventSourceMapping names and
//! bounds them for a DynamoDB stream: `BatchSize` (1–10,000, default 100),
//! `StartingPosition` (`TRIM_HORIZON` or `LATEST`, required),
//! `MaximumBatchingWindowInSeconds` (0–300, default 0), `FilterCriteria` (at most 5
//! patterns), `MaximumRetryAttempts` (−1 for no limit, the default, or 0–10,000),
//! `MaximumRecordAgeInSeconds` (−1 for no limit, the default, or 60–604,800) and
//! `BisectBatchOnFunctionError` (default false). Anything else is refused: nothing is
//! accepted and ignored. The messages are ours.

use serde_json::{Map, Value};

use super::filter::{Pattern, MAX_FILTERS};

/// Where a new trigger starts reading the stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StartingPosition {
    /// The oldest record still in the stream.
    TrimHorizon,
    /// Only records written after the trigger is made.
    Latest,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Mapping {
    pub batch_size: usize,
    pub starting_position: StartingPosition,
    pub batching_window_ms: u64,
    pub filters: Vec<Pattern>,
    /// `None`: retry until the records expire from the stream.
    pub max_retry_attempts: Option<u32>,
    /// `None`: no age limit.
    pub max_record_age_ms: Option<u64>,
    pub bisect_on_error: bool,
}

const KNOWN: [&str; 7] = [
    "BatchSize",
    "StartingPosition",
    "MaximumBatchingWindowInSeconds",
    "FilterCriteria",
    "MaximumRetryAttempts",
    "MaximumRecordAgeInSeconds",
    "BisectBatchOnFunctionError",
];

impl Mapping {
    /// Reads and checks the settings.
    pub fn parse(v: &Value) -> Result<Mapping, String> {
        let Value::Object(o) = v else { return Err("A trigger's settings must be a JSON object.".into()) };
        if let Some(k) = o.keys().find(|k| !KNOWN.contains(&k.as_str())) {
            return Err(format!("Unknown trigger setting \"{k}\"; the settings are {}.", KNOWN.join(", ")));
        }
        let starting_position = match o.get("StartingPosition").and_then(Value::as_str) {
            Some("TRIM_HORIZON") => StartingPosition::TrimHorizon,
            Some("LATEST") => StartingPosition::Latest,
            _ => return Err("StartingPosition must be TRIM_HORIZON or LATEST.".into()),
        };
        let batch_size = int(o, "BatchSize", 1, 10_000)?.unwrap_or(100);
        let window_s = int(o, "MaximumBatchingWindowInSeconds", 0, 300)?.unwrap_or(0);
        let retries = unlimited_or(o, "MaximumRetryAttempts", 0, 10_000)?;
        let age_s = unlimited_or(o, "MaximumRecordAgeInSeconds", 60, 604_800)?;
        let bisect = match o.get("BisectBatchOnFunctionError") {
            None => false,
            Some(Value::Bool(b)) => *b,
            Some(_) => return Err("BisectBatchOnFunctionError must be true or false.".into()),
        };
        Ok(Mapping {
            batch_size: usize::try_from(batch_size).unwrap_or(100),
            starting_position,
            batching_window_ms: window_s.saturating_mul(1000),
            filters: filters(o.get("FilterCriteria"))?,
            max_retry_attempts: retries.map(|r| u32::try_from(r).unwrap_or(u32::MAX)),
            max_record_age_ms: age_s.map(|s| s.saturating_mul(1000)),
            bisect_on_error: bisect,
        })
    }

    /// Whether a record goes to the function: no filters, or any one matches.
    pub fn admits(&self, record: &Value) -> bool {
        self.filters.is_empty() || self.filters.iter().any(|p| p.matches(record))
    }
}

/// A whole number from `lo` to `hi`, if given.
fn int(o: &Map<String, Value>, name: &str, lo: u64, hi: u64) -> Result<Option<u64>, String> {
    match o.get(name) {
        None => Ok(None),
        Some(v) => match v.as_u64() {
            Some(n) if (lo..=hi).contains(&n) => Ok(Some(n)),
            _ => Err(format!("{name} must be a whole number from {lo} to {hi}.")),
        },
    }
}

/// −1 (no limit, `None`) or a whole number from `lo` to `hi`.
fn unlimited_or(o: &Map<String, Value>, name: &str, lo: u64, hi: u64) -> Result<Option<u64>, String> {
    if o.get(name).and_then(Value::as_i64) == Some(-1) {
        return Ok(None);
    }
    int(o, name, lo, hi).map_err(|_| format!("{name} must be -1 (no limit) or a whole number from {lo} to {hi}."))
}

/// `FilterCriteria`: `{"Filters": [{"Pattern": "<JSON text>"}, …]}`.
fn filters(v: Option<&Value>) -> Result<Vec<Pattern>, String> {
    let Some(v) = v else { return Ok(Vec::new()) };
    let list = v.get("Filters").and_then(Value::as_array).ok_or("FilterCriteria must hold a Filters list.")?;
    if list.len() > MAX_FILTERS {
        return Err(format!("FilterCriteria may hold at most {MAX_FILTERS} filters."));
    }
    list.iter()
        .map(|f| {
            let text = f.get("Pattern").and_then(Value::as_str).ok_or("Each filter must have a Pattern string.")?;
            Pattern::parse(text)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn defaults_and_bounds_follow_lambda() {
        let m = Mapping::parse(&json!({"StartingPosition": "TRIM_HORIZON"})).unwrap();
        assert_eq!(
            (m.batch_size, m.batching_window_ms, m.max_retry_attempts, m.max_record_age_ms),
            (100, 0, None, None)
        );
        assert!(!m.bisect_on_error && m.filters.is_empty());
        let m =
            Mapping::parse(&json!({"StartingPosition": "LATEST", "BatchSize": 2, "MaximumBatchingWindowInSeconds": 5,
            "MaximumRetryAttempts": 3, "MaximumRecordAgeInSeconds": -1, "BisectBatchOnFunctionError": true,
            "FilterCriteria": {"Filters": [{"Pattern": "{\"eventName\": [\"INSERT\"]}"}]}}))
            .unwrap();
        assert_eq!((m.batch_size, m.batching_window_ms, m.max_retry_attempts), (2, 5_000, Some(3)));
        assert!(m.admits(&json!({"eventName": "INSERT"})) && !m.admits(&json!({"eventName": "REMOVE"})));
        let err = |v: Value| Mapping::parse(&v).unwrap_err();
        assert_eq!(err(json!({})), "StartingPosition must be TRIM_HORIZON or LATEST.");
        assert_eq!(
            err(json!({"StartingPosition": "LATEST", "BatchSize": 0})),
            "BatchSize must be a whole number from 1 to 10000."
        );
        assert_eq!(
            err(json!({"StartingPosition": "LATEST", "MaximumRecordAgeInSeconds": 10})),
            "MaximumRecordAgeInSeconds must be -1 (no limit) or a whole number from 60 to 604800."
        );
        assert!(err(json!({"StartingPosition": "LATEST", "ParallelizationFactor": 2}))
            .starts_with("Unknown trigger setting \"ParallelizationFactor\""));
        let six: Vec<Value> = (0..6).map(|_| json!({"Pattern": "{\"a\": [1]}"})).collect();
        assert_eq!(
            err(json!({"StartingPosition": "LATEST", "FilterCriteria": {"Filters": six}})),
            "FilterCriteria may hold at most 5 filters."
        );
    }
}
