//! The stream view's model: the requests its controls send, and the words for a record.

use dynaplay_engine::value::{item_to_json, Item};
use serde_json::{json, Value};

use crate::convert::{cell_text, to_plain};

/// The view types a learner can pick, with what each record keeps.
pub const VIEW_TYPES: [(&str, &str); 4] = [
    ("NEW_AND_OLD_IMAGES", "the item before and after"),
    ("NEW_IMAGE", "the item after"),
    ("OLD_IMAGE", "the item before"),
    ("KEYS_ONLY", "only the key"),
];

/// UpdateTable turning `table`'s stream on with `view`, or off.
pub fn stream_request(table: &str, view: Option<&str>) -> Value {
    match view {
        Some(v) => json!({"TableName": table, "StreamSpecification": {"StreamEnabled": true, "StreamViewType": v}}),
        None => json!({"TableName": table, "StreamSpecification": {"StreamEnabled": false}}),
    }
}

/// UpdateTimeToLive turning `table`'s Time to Live on or off on `attribute`.
pub fn ttl_request(table: &str, attribute: &str, enabled: bool) -> Value {
    json!({"TableName": table, "TimeToLiveSpecification": {"Enabled": enabled, "AttributeName": attribute.trim()}})
}

/// A key or image as one line: `{pk: a, n: 1}`.
pub fn item_line(item: &Item) -> String {
    let attrs = item_to_json(item);
    let parts: Vec<String> =
        attrs.as_object().into_iter().flatten().map(|(k, v)| format!("{k}: {}", cell_text(v))).collect();
    format!("{{{}}}", parts.join(", "))
}

/// An image as plain JSON for a tooltip.
pub fn item_plain(item: &Item) -> String {
    to_plain(&item_to_json(item)).to_string()
}

/// "in 7 s", "now": how long until engine time `at_ms` from `now_ms`.
pub fn until(at_ms: u64, now_ms: u64) -> String {
    match at_ms.saturating_sub(now_ms) {
        0 => "now".into(),
        ms => format!("in {} s", ms.div_ceil(1000)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dynaplay_engine::value::AttributeValue;

    #[test]
    fn requests_and_words() {
        assert_eq!(stream_request("T1", Some("KEYS_ONLY"))["StreamSpecification"]["StreamViewType"], "KEYS_ONLY");
        assert_eq!(stream_request("T1", None)["StreamSpecification"], json!({"StreamEnabled": false}));
        assert_eq!(
            ttl_request("T1", " exp ", true)["TimeToLiveSpecification"],
            json!({"Enabled": true, "AttributeName": "exp"})
        );
        let item = Item::from([("pk".to_string(), AttributeValue::S("a".into()))]);
        assert_eq!(item_line(&item), "{pk: a}");
        assert_eq!(item_plain(&item), r#"{"pk":"a"}"#);
        assert_eq!((until(5_500, 1_000), until(1_000, 2_000)), ("in 5 s".to_string(), "now".to_string()));
    }
}
