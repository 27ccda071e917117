//! The on-demand capacity rule, with the table's state set directly: a table with many
//! partitions would be needed to reach it through requests alone.

use serde_json::json;

use super::bucket::Window;
use super::*;
use crate::engine::Config;

const T: u64 = 1_700_000_000_000;

fn on_demand() -> Engine {
    let mut e = Engine::new(Config { enforce_capacity: true, ..Config::default() });
    let create = json!({"TableName": "Tab", "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}]});
    let r = e.request("CreateTable", create.to_string().as_bytes(), T);
    assert_eq!(r.status, 200, "{}", r.body);
    e
}

/// Whether a one-unit write (no key: no partition ceiling) is admitted when `used` units
/// were already written this second and the busiest second before held `peak`.
fn admitted(used: f64, peak: f64) -> std::result::Result<(), String> {
    let mut e = on_demand();
    let mut trace = Trace::default();
    let mut cost = Consumed::new("Tab");
    cost.table.write = 1.0;
    admit(&mut e, &cost, Dir::Write, None, &mut trace).unwrap();
    let state = e.throttles.get_mut("Tab").unwrap();
    state.second.write = Window { second: T / 1000, units: used };
    state.peak.write = peak;
    admit(&mut e, &cost, Dir::Write, None, &mut trace).map_err(|e| e.throttling[0].reason.clone())
}

#[test]
fn on_demand_serves_its_initial_capacity_or_twice_the_previous_peak_up_to_the_quota() {
    assert_eq!(admitted(3_999.0, 0.0), Ok(()));
    assert_eq!(admitted(4_000.0, 0.0), Err("TableWriteAccountLimitExceeded".into()));
    assert_eq!(admitted(5_999.0, 3_000.0), Ok(()));
    assert_eq!(admitted(6_000.0, 3_000.0), Err("TableWriteAccountLimitExceeded".into()));
    assert_eq!(admitted(39_999.0, 30_000.0), Ok(()));
    assert_eq!(admitted(40_000.0, 30_000.0), Err("TableWriteAccountLimitExceeded".into()));
}

#[test]
fn a_closed_second_becomes_the_peak() {
    let mut s = State::new(0);
    s.add_second(Dir::Write, 1_000, 7.0);
    s.add_second(Dir::Write, 2_000, 3.0);
    s.add_second(Dir::Write, 3_000, 1.0);
    assert_eq!(s.peak, Both { read: 0.0, write: 7.0 });
}
