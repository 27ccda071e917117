//! View models: what the views compute, in plain Rust with native unit tests. A component
//! keeps one of these in a signal, calls its methods from event handlers, and draws what it
//! holds; nothing here touches Leptos or the browser. Figures about DynamoDB itself come
//! from `dynaplay_engine::inspect`; this module builds requests from forms, drives paging,
//! and reads responses.

pub mod backups;
pub mod create_table;
pub mod iam;
pub mod item_edit;
pub mod items;
pub mod lab;
pub mod lessons;
pub mod load;
pub mod mirror;
pub mod outcome;
pub mod put_vs_update;
pub mod read_run;
pub mod sort_order;
pub mod stream;
pub mod transfers;
pub mod workshop;

pub use outcome::Outcome;

use serde_json::Value;

/// A whole number typed in a form's `Limit` field; blank means none.
pub fn limit(text: &str) -> Result<Option<u64>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    t.parse().map(Some).map_err(|_| format!("Limit must be a whole number, not {text:?}"))
}

/// A setting typed in whole seconds, as milliseconds.
pub fn seconds_ms(text: &str) -> Result<u64, &'static str> {
    let s: u64 = text.trim().parse().map_err(|_| "Enter a whole number of seconds.")?;
    s.checked_mul(1000).ok_or("That is too long.")
}

/// Sets `Limit` on `request` from a form's text.
pub fn set_limit(request: &mut Value, text: &str) -> Result<(), String> {
    if let Some(n) = limit(text)? {
        request["Limit"] = Value::from(n);
    }
    Ok(())
}

/// An engine holding one on-demand table `name` keyed by `keys` (`[("Artist", "S"), ("Year", "N")]`,
/// hash key first), for the view models' tests.
#[cfg(test)]
pub(crate) fn engine_with_table(name: &str, keys: &[(&str, &str)]) -> dynaplay_engine::Engine {
    use serde_json::json;
    let mut engine = dynaplay_engine::Engine::new(dynaplay_engine::Config::default());
    let defs: Vec<Value> = keys.iter().map(|(n, t)| json!({"AttributeName": n, "AttributeType": t})).collect();
    let schema: Vec<Value> =
        keys.iter().zip(["HASH", "RANGE"]).map(|((n, _), k)| json!({"AttributeName": n, "KeyType": k})).collect();
    let create =
        json!({"TableName": name, "BillingMode": "PAY_PER_REQUEST", "AttributeDefinitions": defs, "KeySchema": schema});
    let r = engine.request("CreateTable", create.to_string().as_bytes(), 0);
    assert_eq!(r.status, 200, "{}", r.body);
    engine
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_are_whole_seconds() {
        assert_eq!(seconds_ms(" 300 "), Ok(300_000));
        assert_eq!(seconds_ms("-1"), Err("Enter a whole number of seconds."));
        assert_eq!(seconds_ms("1.5"), Err("Enter a whole number of seconds."));
        assert_eq!(seconds_ms("99999999999999999"), Err("That is too long."));
    }

    #[test]
    fn limits_are_blank_or_whole_numbers() {
        assert_eq!(limit(" "), Ok(None));
        assert_eq!(limit(" 7 "), Ok(Some(7)));
        assert_eq!(limit("2.5"), Err("Limit must be a whole number, not \"2.5\"".into()));
        let mut r = serde_json::json!({});
        set_limit(&mut r, "3").unwrap();
        assert_eq!(r["Limit"], 3);
    }
}
