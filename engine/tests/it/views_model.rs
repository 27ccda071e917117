//! The history views (streams, replicas, recovery, the timeline) against the log they
//! read, under the change log's random workloads (`log_model`: writes, a stream turned off
//! and on, splits), with point-in-time recovery on or off, waits past the log's 24 hours,
//! and followers a few milliseconds behind. `inspect` reads only the part of the log a
//! view needs (from a sequence number or a time found by binary search, or backwards from
//! the newest change); the references here read every change, as the views once did.

use dynaplay_engine::log::Logged;
use dynaplay_engine::{inspect, Engine};
use proptest::prelude::*;
use serde_json::json;

use crate::log_model::{apply, op};
use crate::support::Harness;

const TABLE: &str = "logm";
const SHOWN: usize = 5;
const BINS: usize = 7;

fn changes(e: &Engine) -> Vec<Logged<'_>> {
    e.change_log(TABLE).into_iter().flat_map(|l| l.iter()).collect()
}

/// Per stream, newest first: each shard's count, the stream's count, its newest records.
type StreamFigures = (Vec<usize>, usize, Vec<u64>);

fn streams_by_reference(e: &Engine) -> Vec<StreamFigures> {
    let all = changes(e);
    let streams = e.streams().list.iter().filter(|s| s.table == TABLE).rev();
    streams
        .map(|s| {
            let held: Vec<&Logged> = all.iter().filter(|c| s.shards.iter().any(|sh| sh.holds(c.hash, c.seq))).collect();
            let per_shard = s.shards.iter().map(|sh| held.iter().filter(|c| sh.holds(c.hash, c.seq)).count()).collect();
            (per_shard, held.len(), held.iter().rev().take(SHOWN).map(|c| c.seq).collect())
        })
        .collect()
}

/// Per partition, each copy's (applied sequence number, changes behind); and the pending
/// changes' numbers, oldest first.
type ReplicaFigures = (Vec<Vec<(u64, usize)>>, Vec<u64>);

fn replicas_by_reference(e: &Engine) -> ReplicaFigures {
    let t = e.table(TABLE).expect("the table");
    let lag = e.config.replication_lag_of(TABLE);
    let cutoff = e.now_ms().saturating_sub(lag);
    let mine: Vec<Logged> = changes(e).into_iter().filter(|c| c.at_ms >= t.def.created_ms).collect();
    let partitions = (0..t.partitions.parts.len())
        .map(|p| {
            let here: Vec<&Logged> = mine.iter().filter(|c| t.partitions.index_of(c.hash) == p).collect();
            (0..3)
                .map(|replica| {
                    let applied: Vec<&&Logged> = here.iter().filter(|c| replica == 0 || c.at_ms <= cutoff).collect();
                    (applied.last().map_or(0, |c| c.seq), here.len() - applied.len())
                })
                .collect()
        })
        .collect();
    let pending = mine.iter().filter(|c| lag > 0 && c.at_ms > cutoff).map(|c| c.seq).collect();
    (partitions, pending)
}

/// The timeline's bins as (inserts, modifies, removes), each change placed by its own
/// time, as `timeline_of` once did.
fn timeline_by_reference(e: &Engine, line: &inspect::Timeline) -> Vec<(usize, usize, usize)> {
    let mut bins = vec![(0, 0, 0); BINS];
    for c in changes(e) {
        let b = &mut bins[((line.fraction(c.at_ms) * BINS as f64) as usize).min(BINS - 1)];
        match (&c.before, &c.after) {
            (None, _) => b.0 += 1,
            (Some(_), None) => b.2 += 1,
            (Some(_), Some(_)) => b.1 += 1,
        }
    }
    bins.retain(|b| b.0 + b.1 + b.2 > 0);
    bins
}

fn pitr_by_reference(e: &Engine) -> (usize, Vec<u64>) {
    let from = e.pitr(TABLE).expect("recovery is on").from_seq;
    let after: Vec<Logged> = changes(e).into_iter().filter(|c| c.seq >= from).collect();
    (after.len(), after.iter().rev().take(SHOWN).map(|c| c.at_ms).collect())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    /// Some ops are followed by seven hours' wait, so the log drops the changes past its
    /// 24 hours (unless point-in-time recovery keeps them); the workspace is reloaded at the end.
    #[test]
    fn the_history_views_say_what_the_whole_log_says(
        ops in proptest::collection::vec((op(), proptest::bool::weighted(0.05)), 1..80),
        lag in 0u64..6,
        pitr in proptest::bool::weighted(0.75),
    ) {
        let mut h = Harness::new();
        h.engine.config.replication_lag_ms = lag;
        h.ok("CreateTable", json!({"TableName": TABLE, "BillingMode": "PAY_PER_REQUEST", "DynaplayTeachingScale": 1_000_000,
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
            "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_AND_OLD_IMAGES"}}));
        if pitr {
            h.ok("UpdateContinuousBackups", json!({"TableName": TABLE,
                "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": true}}));
        }
        for (op, wait) in &ops {
            apply(&mut h, op);
            if *wait {
                h.now += 7 * 3_600_000;
                h.engine.tick(h.now);
            }
        }
        let e = &h.engine;
        prop_assert_eq!(streams_of(e), streams_by_reference(e));
        let r = inspect::replicas_of(e, TABLE).expect("the table");
        let copies = r.partitions.iter().map(|p| p.copies.iter().map(|c| (c.applied_seq, c.behind)).collect()).collect();
        prop_assert_eq!((copies, r.pending.iter().map(|p| p.seq).collect()), replicas_by_reference(e));
        if pitr {
            let p = inspect::pitr_of(e, TABLE, SHOWN).expect("recovery is on");
            prop_assert_eq!((p.changes, p.recent.iter().map(|c| c.at_ms).collect()), pitr_by_reference(e));
        }
        let line = inspect::timeline_of(e, TABLE, BINS);
        let bins: Vec<_> = line.bins.iter().map(|b| (b.inserts, b.modifies, b.removes)).collect();
        prop_assert_eq!(bins, timeline_by_reference(e, &line));
        // A reload counts each shard's records again from the log it reads back.
        let reloaded = Engine::import(e.config.clone(), &e.export().unwrap()).expect("the workspace reloads");
        prop_assert_eq!(streams_of(&reloaded), streams_by_reference(e));
    }
}

fn streams_of(e: &Engine) -> Vec<StreamFigures> {
    inspect::streams_of(e, TABLE, SHOWN)
        .into_iter()
        .map(|s| {
            (s.shards.iter().map(|sh| sh.records).collect(), s.total_records, s.records.iter().map(|r| r.seq).collect())
        })
        .collect()
}
