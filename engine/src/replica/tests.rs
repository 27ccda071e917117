use super::*;
use crate::Config;

#[test]
fn the_random_sequence_follows_the_seed() {
    let draw = |seed: u64| {
        let mut e = Engine::new(Config { seed, ..Config::default() });
        (0..8).map(|_| e.next_random() % REPLICAS).collect::<Vec<_>>()
    };
    assert_eq!(draw(7), draw(7));
    assert_ne!(draw(7), draw(8));
    // All three replicas come up.
    let many: std::collections::BTreeSet<u64> = {
        let mut e = Engine::new(Config::default());
        (0..64).map(|_| e.next_random() % REPLICAS).collect()
    };
    assert_eq!(many.len(), 3);
}

#[test]
fn without_a_lag_or_for_a_strong_read_the_leader_serves() {
    let mut e = Engine::new(Config::default());
    assert_eq!(choose(&mut e, "t", None, false), Served::default());
    let mut e = Engine::new(Config { replication_lag_ms: 1000, ..Config::default() });
    assert_eq!(choose(&mut e, "t", None, true), Served::default());
}

#[test]
fn the_note_names_the_replica_and_says_whether_it_was_stale() {
    use crate::trace::{ReadTrace, Trace};
    let read = |replica: u8, stale: bool| ReadTrace {
        served: Served { replica, applied_until_ms: Some(1_700_000_000_000) },
        stale,
        ..ReadTrace::default()
    };
    assert_eq!(note(&Trace { reads: vec![read(0, false)], ..Trace::default() }), None);
    assert_eq!(
        note(&Trace { reads: vec![read(2, true)], ..Trace::default() }).unwrap(),
        "read from replica 3 of 3, which had applied the changes up to 2023-11-14T22:13:20.000: stale (the leader has a newer version)"
    );
    assert_eq!(
        note(&Trace { reads: vec![read(1, false)], ..Trace::default() }).unwrap(),
        "read from replica 2 of 3, which had applied the changes up to 2023-11-14T22:13:20.000: up to date"
    );
}

#[test]
fn a_tables_own_lag_overrides_the_workspaces() {
    let mut config = Config { replication_lag_ms: 1000, ..Config::default() };
    config.table_replication_lag_ms.insert("fresh".into(), 0);
    config.table_replication_lag_ms.insert("slow".into(), 5000);
    let mut e = Engine::new(config);
    e.now_ms = 10_000;
    // No lag for "fresh": every read goes to the leader.
    assert!((0..16).all(|_| choose(&mut e, "fresh", None, false) == Served::default()));
    // "slow" followers have applied changes up to 5 s ago; others, the workspace's 1 s.
    let cutoffs: std::collections::BTreeSet<Option<u64>> =
        (0..16).map(|_| choose(&mut e, "slow", None, false).applied_until_ms).collect();
    assert!(cutoffs.contains(&Some(5_000)));
    let other: std::collections::BTreeSet<Option<u64>> =
        (0..16).map(|_| choose(&mut e, "other", None, false).applied_until_ms).collect();
    assert!(other.contains(&Some(9_000)));
}
