//! The `lastRequest` check: the learner's last request and its answer.

use serde_json::Value;

use super::check::{Last, LastCheck};
use crate::scenario::subset_mismatch;

pub(super) fn last_request(want: &LastCheck, last: Option<&Last>) -> Result<(), String> {
    let Some(last) = last else { return Err("a request from you".to_string()) };
    let what = if want.operations.is_empty() { "a request".to_string() } else { want.operations.join(" or ") };
    if !want.operations.is_empty() && !want.operations.contains(&last.operation) {
        return Err(format!("{what} (your last request was {})", last.operation));
    }
    if let Some(t) = &want.table {
        if last.request.get("TableName").and_then(Value::as_str) != Some(t.as_str()) {
            return Err(format!("{what} on the table {t}"));
        }
    }
    if let Some(path) = want.request.as_ref().and_then(|r| subset_mismatch(r, &last.request, "request")) {
        return Err(format!("{what} with {} (yours differs at {path})", want.request.clone().unwrap_or_default()));
    }
    answer_check(want, &what, last)
}

fn answer_check(want: &LastCheck, what: &str, last: &Last) -> Result<(), String> {
    if let Some(s) = want.status.filter(|s| *s != last.status) {
        return Err(format!("{what} answered with HTTP {s} (yours got {})", last.status));
    }
    if let Some(e) = &want.error {
        let got = crate::wire::error_of(&last.response).map(|(k, _)| k.to_string());
        if got.as_deref() != Some(e.as_str()) {
            return Err(format!("{what} refused with {e} (yours got {})", got.unwrap_or_else(|| "no error".into())));
        }
    }
    if let Some(path) = want.response.as_ref().and_then(|r| subset_mismatch(r, &last.response, "response")) {
        return Err(format!(
            "{what} whose answer has {} (yours differs at {path})",
            want.response.clone().unwrap_or_default()
        ));
    }
    if let Some(n) = want.count_at_least {
        let got = last.response.get("Count").and_then(Value::as_u64).unwrap_or(0);
        if got < n {
            return Err(format!("{what} returning at least {n} items (yours returned {got})"));
        }
    }
    if let Some(max) = want.consumed_at_most {
        let got = consumed(&last.response)
            .ok_or_else(|| format!("{what} with ReturnConsumedCapacity set, so its cost shows"))?;
        if got > max {
            return Err(format!("{what} costing at most {max} capacity units (yours cost {got})"));
        }
    }
    Ok(())
}

/// The capacity units an answer reports (TOTAL or INDEXES), summed over tables.
fn consumed(response: &Value) -> Option<f64> {
    match response.get("ConsumedCapacity")? {
        Value::Array(list) => Some(list.iter().filter_map(|c| c.get("CapacityUnits").and_then(Value::as_f64)).sum()),
        c => c.get("CapacityUnits").and_then(Value::as_f64),
    }
}
