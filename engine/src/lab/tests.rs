//! Each pattern's signature: read-modify-write loses increments, the atomic counter loses
//! none and meets no conflict, optimistic locking loses none but retries, transactions
//! conflict and retry; a run replays the same; provisioned capacity throttles.

use super::*;

fn settings() -> LabSettings {
    LabSettings { clients: 5, increments: 6, latency_ms: 20, transaction_ms: 15, write_units: None, seed: 7 }
}

#[test]
fn read_modify_write_loses_updates_the_others_do_not() {
    let s = settings();
    let rmw = run(&s, Pattern::ReadModifyWrite);
    assert_eq!(rmw.expected, 30);
    assert!(rmw.lost > 0, "{rmw:?}");
    assert_eq!(rmw.final_value, 30 - rmw.lost);
    let lost_writes = rmw.exchanges.iter().filter(|e| e.outcome == Outcome::LostUpdate).count() as i64;
    assert!(lost_writes >= rmw.lost, "each lost increment is under a write that replaced a value unread");

    let atomic = run(&s, Pattern::AtomicCounter);
    assert_eq!((atomic.final_value, atomic.lost, atomic.conflicts, atomic.retries), (30, 0, 0, 0));
    assert_eq!(atomic.exchanges.len(), 30);
    assert_eq!(atomic.capacity, 30.0);

    let optimistic = run(&s, Pattern::OptimisticLocking);
    assert_eq!((optimistic.final_value, optimistic.lost, optimistic.gave_up), (30, 0, 0));
    assert!(optimistic.conflicts > 0 && optimistic.retries == optimistic.conflicts, "{optimistic:?}");

    let tx = run(&s, Pattern::Transaction);
    assert_eq!((tx.final_value, tx.lost), (30 - i64::from(tx.gave_up), 0));
    assert!(tx.conflicts > 0, "{tx:?}");
}

#[test]
fn a_run_replays_the_same_and_another_seed_differs() {
    let s = settings();
    assert_eq!(run(&s, Pattern::OptimisticLocking), run(&s, Pattern::OptimisticLocking));
    let other = LabSettings { seed: 8, ..settings() };
    assert_ne!(run(&s, Pattern::OptimisticLocking).exchanges, run(&other, Pattern::OptimisticLocking).exchanges);
}

#[test]
fn one_client_never_conflicts() {
    let s = LabSettings { clients: 1, ..settings() };
    for p in Pattern::ALL {
        let r = run(&s, p);
        assert_eq!((r.final_value, r.conflicts, r.lost), (6, 0, 0), "{p:?}");
    }
}

#[test]
fn a_one_unit_table_throttles_once_its_burst_is_spent() {
    // 20 clients × 50 increments: 1,000 units, more than a 1-unit table's 300 s of burst.
    let s = LabSettings { clients: 20, increments: 50, latency_ms: 2, write_units: Some(1), ..settings() };
    let r = run(&s, Pattern::AtomicCounter);
    assert!(r.throttles > 0, "{:?}", (r.throttles, r.gave_up));
    assert_eq!(r.final_value, r.expected as i64);
}

#[test]
fn settings_are_bounded() {
    assert_eq!(LabSettings { clients: 0, ..settings() }.check(), Err("Clients must be from 1 to 20.".into()));
    assert_eq!(
        LabSettings { latency_ms: 1_001, ..settings() }.check(),
        Err("Latency (ms) must be from 0 to 1000.".into())
    );
    assert_eq!(settings().check(), Ok(()));
}

#[test]
fn the_default_settings_show_each_patterns_signature() {
    let s = LabSettings::default();
    let [rmw, atomic, optimistic, tx] = Pattern::ALL.map(|p| run(&s, p));
    assert!(rmw.lost > 0);
    assert_eq!((atomic.final_value, atomic.conflicts), (20, 0));
    assert!(optimistic.conflicts > 0 && optimistic.lost == 0);
    assert!(tx.conflicts > 0 && tx.lost == 0);
}
