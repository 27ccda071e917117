//! Words the page puts around numbers, keys and values: one helper each, so every count,
//! key and size reads the same.

use dynaplay_engine::table::{KeyValue, ScalarType};
use dynaplay_engine::value::{item_from_json, AttributeValue};
use serde_json::{json, Value};

/// `count(1, "item")` → "1 item"; `count(3, "item")` → "3 items".
pub fn count(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", plural(n))
}

/// `n` with its thousands apart (`104,000`).
pub fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// An engine time as the time of day in UTC, to the millisecond: `22:13:21.003`.
pub fn clock_time(ms: u64) -> String {
    let day_ms = ms % 86_400_000;
    let (h, m, s) = (day_ms / 3_600_000, day_ms / 60_000 % 60, day_ms / 1000 % 60);
    format!("{h:02}:{m:02}:{s:02}.{:03}", day_ms % 1000)
}

/// The `s` an English noun takes after `n` ("" for one).
pub fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// A key value as a learner would type it: the string, the number, or the base64.
pub fn key_text(key: &KeyValue) -> String {
    value_text(&key.to_attribute())
}

pub fn value_text(value: &AttributeValue) -> String {
    match value.to_json() {
        Value::Object(m) => match m.into_iter().next() {
            Some((_, Value::String(s))) => s,
            Some((_, other)) => other.to_string(),
            None => String::new(),
        },
        other => other.to_string(),
    }
}

/// Parses a key typed as text into a key value of type `ty`, with the engine's own checks.
pub fn parse_key(ty: ScalarType, text: &str) -> Result<KeyValue, String> {
    let item = item_from_json(&json!({ "k": { ty.as_str(): text } })).map_err(|e| e.message)?;
    item.get("k").and_then(KeyValue::from_attribute).ok_or_else(|| "not a key value".to_string())
}

pub fn bytes_text(n: u64) -> String {
    // AWS's units are binary: 400 KB is 409,600 bytes, a partition's 10 GB is 10 × 2^30.
    // Takes u64: on wasm32 `usize` is 32 bits and 10 GB does not fit.
    const KB: u64 = 1 << 10;
    const MB: u64 = 1 << 20;
    const GB: u64 = 1 << 30;
    let scaled = |unit: u64, name: &str| {
        let text = format!("{:.1}", n as f64 / unit as f64);
        format!("{} {name}", text.strip_suffix(".0").unwrap_or(&text))
    };
    match n {
        n if n >= GB => scaled(GB, "GB"),
        n if n >= 10 * MB => scaled(MB, "MB"),
        n if n >= 10 * KB => scaled(KB, "KB"),
        n => format!("{n} B"),
    }
}

/// Units as AWS prints them: `1`, `0.5`, `12.5`.
pub fn units(u: f64) -> String {
    format!("{u}")
}

/// Units rounded for a chart or a meter: whole numbers as they are, others to one
/// decimal (`3.6`, `-0.7`).
pub fn approx_units(u: f64) -> String {
    if u.fract() == 0.0 {
        format!("{u}")
    } else {
        format!("{u:.1}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_count_is_grouped_by_thousands() {
        let cases = [(0, "0"), (999, "999"), (1_000, "1,000"), (104_000, "104,000"), (1_234_567, "1,234,567")];
        for (n, text) in cases {
            assert_eq!(grouped(n), text);
        }
    }

    #[test]
    fn approximate_units_keep_one_decimal() {
        assert_eq!(approx_units(25.0), "25");
        assert_eq!(approx_units(25.0 / 7.0), "3.6");
        assert_eq!(approx_units(-0.7), "-0.7");
    }

    #[test]
    fn counts_read_as_english() {
        assert_eq!(count(0, "item"), "0 items");
        assert_eq!(count(1, "item"), "1 item");
        assert_eq!(count(2, "seed item"), "2 seed items");
        assert_eq!(plural(1), "");
    }

    #[test]
    fn byte_sizes_read_as_aws_writes_them() {
        assert_eq!(bytes_text(52), "52 B");
        assert_eq!(bytes_text(409_600), "400 KB");
        assert_eq!(bytes_text(1_048_576 * 16), "16 MB");
        // A partition's real limit: 10 GB, not the 2147.5 MB a 32-bit cast gave.
        assert_eq!(bytes_text(10 * 1024 * 1024 * 1024), "10 GB");
        assert_eq!(bytes_text(dynaplay_engine::table::PARTITION_BYTES), "10 GB");
    }
}
