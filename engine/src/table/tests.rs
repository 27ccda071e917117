use std::collections::BTreeSet;

use super::*;

fn table() -> Table {
    let mut e = crate::Engine::new(crate::Config::default());
    let create = r#"{"TableName":"Tbl","BillingMode":"PAY_PER_REQUEST",
        "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],
        "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}]}"#;
    e.request("CreateTable", create.as_bytes(), 0);
    e.table("Tbl").cloned().unwrap()
}

#[test]
fn past_its_cap_the_hot_key_view_forgets_stale_keys_then_the_quietest() {
    let mut t = table();
    let key = |i: usize| KeyValue::S(format!("k{i:05}").into());
    // A minute before: keys no one has touched since, forgotten first.
    for i in 0..100 {
        t.record_key_traffic(&key(100_000 + i), 0, 1.0, 0.0);
    }
    // Key i takes i % 7 + 1 write units, so many keys tie and the key breaks the tie.
    let units = |i: usize| (i % 7 + 1) as f64;
    let now = 61_000;
    for i in 0..KEY_TRAFFIC_KEYS - 100 + 1 {
        t.record_key_traffic(&key(i), now, 0.0, units(i));
    }
    let kept: BTreeSet<KeyValue> = t.key_traffic(now, 60).map(|(k, ..)| k.clone()).collect();
    let mut by_units: Vec<(f64, KeyValue)> = (0..KEY_TRAFFIC_KEYS - 100 + 1).map(|i| (units(i), key(i))).collect();
    by_units.sort_by(|a, b| a.0.total_cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
    let loudest: BTreeSet<KeyValue> =
        by_units.split_off(by_units.len() - KEY_TRAFFIC_KEYS * 3 / 4).into_iter().map(|(_, k)| k).collect();
    assert_eq!(kept.len(), KEY_TRAFFIC_KEYS * 3 / 4);
    assert_eq!(kept, loudest);
    // A key already tracked adds to its own count.
    t.record_key_traffic(&key(6), now, 1.0, 0.0);
    assert_eq!(t.key_traffic(now, 60).find(|(k, ..)| *k == &key(6)).map(|(_, r, w)| (r, w)), Some((1.0, 7.0)));
}
