//! What a statement ran as, in a learner's words and with what it cost, each read's
//! receipt as the capacity view draws it: "Scan of the whole of Orders: 15 items read,
//! 2 RCU (15,320 bytes → 4 × 4 KB blocks (rounded up) × 0.5 (eventually consistent) =
//! 2 RCU)". The console, the scenario sandbox and `dynaplay run` show it.

use serde_json::Value;

use super::plan::Plan;
use crate::capacity::ReadMode;
use crate::inspect::read_receipt;
use crate::trace::Trace;

/// `plan` as it ran: what it did to which table, and the reads and writes the trace
/// recorded since `reads`/`writes` (the trace's lengths before it ran).
pub fn explain(plan: &Plan, trace: &Trace, reads: usize, writes: usize) -> String {
    let r = &plan.request;
    let table = r.get("TableName").and_then(Value::as_str).unwrap_or_default();
    let on = match r.get("IndexName").and_then(Value::as_str) {
        Some(index) => format!("index {index} of {table}"),
        None => table.to_string(),
    };
    let what = match plan.operation {
        "GetItem" => format!("GetItem of the key {} in {on}", key_text(r.get("Key"))),
        "Query" if !plan.partitions.is_empty() => {
            let values: Vec<String> = plan.partitions.iter().map(scalar).collect();
            let key = expanded(r, "KeyConditionExpression").replace("= :pk", &format!("IN [{}]", values.join(", ")));
            let n = plan.partitions.len();
            format!("Query of {n} partition{} of {on}, one after another ({key})", if n == 1 { "" } else { "s" })
        }
        "Query" => format!("Query of one partition of {on} ({})", expanded(r, "KeyConditionExpression")),
        "Scan" => format!("Scan of the whole of {on}"),
        "PutItem" => format!("PutItem into {on}, on the condition that the key is new"),
        "UpdateItem" => {
            format!("UpdateItem of the key {} in {on}, on the condition that it exists", key_text(r.get("Key")))
        }
        other => format!("{other} of the key {} in {on}", key_text(r.get("Key"))),
    };
    let read = trace.reads.get(reads..).unwrap_or_default();
    let wrote = trace.writes.get(writes..).unwrap_or_default();
    let examined: usize = read.iter().map(|t| t.examined).sum();
    let rcu: f64 = read.iter().map(|t| t.read_units).sum();
    let wcu: f64 = wrote.iter().map(|t| t.write_units).sum();
    let mut cost = Vec::new();
    if !read.is_empty() {
        let s = if examined == 1 { "" } else { "s" };
        // The receipt of each read (a page, a partition), as the capacity view shows it.
        let mode = ReadMode::from_consistent(r.get("ConsistentRead").and_then(Value::as_bool).unwrap_or(false));
        let receipts: Vec<String> = read.iter().map(|t| read_receipt(t.bytes, mode).explain()).collect();
        cost.push(format!("{examined} item{s} read, {rcu} RCU ({})", receipts.join("; ")));
    }
    if !wrote.is_empty() {
        cost.push(format!("{wcu} WCU"));
    }
    if cost.is_empty() {
        what
    } else {
        format!("{what}: {}", cost.join(", "))
    }
}

/// `{pk: 'a', sk: 2}` for a key in DynamoDB JSON.
fn key_text(key: Option<&Value>) -> String {
    let Some(Value::Object(m)) = key else { return "{}".into() };
    let parts: Vec<String> = m.iter().map(|(k, v)| format!("{k}: {}", scalar(v))).collect();
    format!("{{{}}}", parts.join(", "))
}

fn scalar(v: &Value) -> String {
    match v.as_object().and_then(|o| o.iter().next()) {
        Some((t, Value::String(s))) if t == "S" => format!("'{s}'"),
        Some((_, Value::String(s))) => s.clone(),
        _ => v.to_string(),
    }
}

/// An expression of the request with its placeholders replaced by names and values.
fn expanded(r: &Value, member: &str) -> String {
    let mut text = r.get(member).and_then(Value::as_str).unwrap_or_default().to_string();
    let subst = |text: &mut String, map: Option<&Value>, show: &dyn Fn(&Value) -> String| {
        let Some(Value::Object(m)) = map else { return };
        // Longest placeholders first, so #n1 does not eat the start of #n10.
        let mut keys: Vec<&String> = m.keys().collect();
        crate::sorted::sort_by_key(&mut keys, |k| std::cmp::Reverse(k.len()));
        for k in keys {
            if let Some(v) = m.get(k) {
                *text = text.replace(k.as_str(), &show(v));
            }
        }
    };
    subst(&mut text, r.get("ExpressionAttributeNames"), &|v| v.as_str().unwrap_or_default().to_string());
    subst(&mut text, r.get("ExpressionAttributeValues"), &scalar);
    text
}
