//! A table's backups and point-in-time recovery as the backups view shows them.

use std::cmp::Ordering;

use crate::engine::Engine;
use crate::value::PackedItem;

#[derive(Clone, Debug, PartialEq)]
pub struct BackupInfo {
    pub arn: String,
    pub name: String,
    /// The table it was taken of.
    pub table: String,
    /// USER (on demand) or SYSTEM (left by deleting a table with point-in-time recovery).
    pub kind: &'static str,
    pub status: &'static str,
    pub created_ms: u64,
    pub items: usize,
    pub size_bytes: usize,
}

/// The backups of `table`, newest first, with their status at the engine clock.
pub fn backups_of(engine: &Engine, table: &str) -> Vec<BackupInfo> {
    backups_where(engine, |b| b.def.name == table)
}

/// The backups of tables that no longer exist, newest first: a deleted table's on-demand
/// backups, and the system backup deleting it with point-in-time recovery on leaves.
pub fn backups_of_deleted_tables(engine: &Engine) -> Vec<BackupInfo> {
    backups_where(engine, |b| engine.table(&b.def.name).is_none())
}

fn backups_where(engine: &Engine, keep: impl Fn(&crate::backup::Backup) -> bool) -> Vec<BackupInfo> {
    let now = engine.now_ms();
    let mut list: Vec<BackupInfo> = engine
        .backups()
        .iter()
        .filter(|b| keep(b))
        .map(|b| BackupInfo {
            arn: b.arn.clone(),
            name: b.name.clone(),
            table: b.def.name.clone(),
            kind: b.kind.as_str(),
            status: b.status(now),
            created_ms: b.created_ms,
            items: b.items.len(),
            size_bytes: b.size_bytes,
        })
        .collect();
    list.reverse();
    list
}

/// A table's point-in-time recovery as the backups view shows it: the window it can be
/// restored to, and what a restore is rebuilt from (the base and the changes after it).
#[derive(Clone, Debug, PartialEq)]
pub struct PitrInfo {
    pub period_days: u64,
    pub earliest_ms: u64,
    pub latest_ms: u64,
    /// How far the latest restorable time trails the engine clock.
    pub lag_ms: u64,
    pub base_ms: u64,
    pub base_items: usize,
    /// Changes in the log after the base, which a restore replays up to its time.
    pub changes: usize,
    /// The newest of those changes, newest first: what a learner restores to just before.
    pub recent: Vec<PitrChange>,
}

/// One change inside the recovery window.
#[derive(Clone, Debug, PartialEq)]
pub struct PitrChange {
    pub at_ms: u64,
    /// INSERT, MODIFY or REMOVE.
    pub event: &'static str,
    pub operation: String,
    pub key: crate::value::Item,
    /// The latest restorable time before this change (one millisecond earlier), if that is
    /// inside the window.
    pub restore_before_ms: Option<u64>,
}

/// `table`'s point-in-time recovery at the engine clock, or `None` when it is off; with at
/// most `recent` of the newest changes.
pub fn pitr_of(engine: &Engine, table: &str, recent: usize) -> Option<PitrInfo> {
    let p = engine.pitr(table)?;
    let schema = engine.table(table).map(|t| &t.def.schema);
    let lag_ms = engine.config.pitr_lag_ms;
    let (earliest_ms, latest_ms) = p.window(engine.now_ms(), lag_ms);
    let log = engine.change_log(table);
    let changes = log.map_or(0, |l| l.count_since(p.from_seq));
    let after_base = log.map(|l| l.since(p.from_seq));
    let in_window = |ms: u64| (earliest_ms..=latest_ms).contains(&ms);
    let recent = after_base
        .into_iter()
        .flatten()
        .rev()
        .take(recent)
        .map(|c| PitrChange {
            at_ms: c.at_ms,
            event: c.event_name(),
            operation: c.operation().to_string(),
            key: schema.map(|s| c.key(s)).unwrap_or_default(),
            restore_before_ms: c.at_ms.checked_sub(1).filter(|ms| in_window(*ms)),
        })
        .collect();
    Some(PitrInfo {
        period_days: p.period_days,
        earliest_ms,
        latest_ms,
        lag_ms,
        base_ms: p.base_ms,
        base_items: p.base.len(),
        changes,
        recent,
    })
}

/// One item that differs between the table at a moment and now.
#[derive(Clone, Debug, PartialEq)]
pub struct PitrDiff {
    pub key: crate::value::Item,
    /// The item then, and now (`None`: absent).
    pub then: Option<crate::value::Item>,
    pub now: Option<crate::value::Item>,
}

/// What a restore of `table` to `at_ms` would give back: the items that differ between
/// the table then and now, at most `limit` of them in storage (hash) order, and how many differ in all.
/// `None` when point-in-time recovery is off or the table is gone.
pub fn pitr_preview(engine: &Engine, table: &str, at_ms: u64, limit: usize) -> Option<(Vec<PitrDiff>, usize)> {
    let p = engine.pitr(table)?;
    let t = engine.table(table)?;
    let then = p.items_at(&t.def.schema, engine.change_log(table), at_ms);
    // Both sides come in storage order: walked side by side, each key once.
    let (mut then, mut now) = (then.iter().peekable(), t.items_after(None).peekable());
    let differing = std::iter::from_fn(|| loop {
        let side = match (then.peek(), now.peek()) {
            (None, None) => return None,
            (Some((a, _)), Some((b, _))) => a.cmp(b),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
        };
        let a = if side.is_gt() { None } else { then.next().map(|(_, i)| i) };
        let b = if side.is_lt() { None } else { now.next().map(|(_, i)| i) };
        if let Some(either) = a.or(b).filter(|_| a != b) {
            let (then, now) = (a.map(PackedItem::item), b.map(PackedItem::item));
            return Some(PitrDiff { key: t.def.schema.packed_key_item(either), then, now });
        }
    });
    let mut total = 0;
    let mut shown = Vec::new();
    for d in differing {
        total += 1;
        if shown.len() < limit {
            shown.push(d);
        }
    }
    Some((shown, total))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Config;

    #[test]
    fn a_tables_backups_newest_first_with_their_status() {
        let mut e = Engine::new(Config { backup_delay_ms: 1_000, ..Config::default() });
        let create = r#"{"TableName":"Music","BillingMode":"PAY_PER_REQUEST","AttributeDefinitions":[{"AttributeName":"a","AttributeType":"S"}],"KeySchema":[{"AttributeName":"a","KeyType":"HASH"}]}"#;
        assert_eq!(e.request("CreateTable", create.as_bytes(), 0).status, 200);
        assert_eq!(e.request("PutItem", br#"{"TableName":"Music","Item":{"a":{"S":"x"}}}"#, 1).status, 200);
        assert_eq!(e.request("CreateBackup", br#"{"TableName":"Music","BackupName":"first"}"#, 2).status, 200);
        assert_eq!(e.request("CreateBackup", br#"{"TableName":"Music","BackupName":"second"}"#, 500).status, 200);
        let list = backups_of(&e, "Music");
        let seen: Vec<(&str, &str, usize)> = list.iter().map(|b| (b.name.as_str(), b.status, b.items)).collect();
        assert_eq!(seen, [("second", "CREATING", 1), ("first", "CREATING", 1)]);
        e.tick(1_002);
        let seen: Vec<&str> = backups_of(&e, "Music").iter().map(|b| b.status).collect();
        assert_eq!(seen, ["CREATING", "AVAILABLE"]);
        assert!(backups_of(&e, "Other").is_empty());
        assert!(backups_of_deleted_tables(&e).is_empty());
    }

    #[test]
    fn a_deleted_tables_backups_and_the_system_backup_it_leaves() {
        let mut e = Engine::new(Config::default());
        let create = r#"{"TableName":"Music","BillingMode":"PAY_PER_REQUEST","AttributeDefinitions":[{"AttributeName":"a","AttributeType":"S"}],"KeySchema":[{"AttributeName":"a","KeyType":"HASH"}]}"#;
        assert_eq!(e.request("CreateTable", create.as_bytes(), 0).status, 200);
        assert_eq!(e.request("PutItem", br#"{"TableName":"Music","Item":{"a":{"S":"x"}}}"#, 1).status, 200);
        assert_eq!(e.request("CreateBackup", br#"{"TableName":"Music","BackupName":"mine"}"#, 2).status, 200);
        let on = br#"{"TableName":"Music","PointInTimeRecoverySpecification":{"PointInTimeRecoveryEnabled":true}}"#;
        assert_eq!(e.request("UpdateContinuousBackups", on, 3).status, 200);
        assert_eq!(e.request("DeleteTable", br#"{"TableName":"Music"}"#, 4).status, 200);
        e.tick(60_000);
        let list = backups_of_deleted_tables(&e);
        let seen: Vec<(&str, &str, &str, usize)> =
            list.iter().map(|b| (b.name.as_str(), b.table.as_str(), b.kind, b.items)).collect();
        assert_eq!(seen, [("Music$DeletedTableBackup", "Music", "SYSTEM", 1), ("mine", "Music", "USER", 1)]);
        // A new table of the same name owns them again.
        assert_eq!(e.request("CreateTable", create.as_bytes(), 60_001).status, 200);
        assert!(backups_of_deleted_tables(&e).is_empty());
        assert_eq!(backups_of(&e, "Music").len(), 2);
    }

    #[test]
    fn the_recovery_window_and_what_a_restore_replays() {
        let mut e = Engine::new(Config { pitr_lag_ms: 300_000, ..Config::default() });
        let create = r#"{"TableName":"Music","BillingMode":"PAY_PER_REQUEST","AttributeDefinitions":[{"AttributeName":"a","AttributeType":"S"}],"KeySchema":[{"AttributeName":"a","KeyType":"HASH"}]}"#;
        assert_eq!(e.request("CreateTable", create.as_bytes(), 0).status, 200);
        assert_eq!(e.request("PutItem", br#"{"TableName":"Music","Item":{"a":{"S":"x"}}}"#, 1).status, 200);
        assert_eq!(pitr_of(&e, "Music", 1), None);
        let on = br#"{"TableName":"Music","PointInTimeRecoverySpecification":{"PointInTimeRecoveryEnabled":true,"RecoveryPeriodInDays":7}}"#;
        assert_eq!(e.request("UpdateContinuousBackups", on, 1_000_000).status, 200);
        assert_eq!(e.request("PutItem", br#"{"TableName":"Music","Item":{"a":{"S":"y"}}}"#, 1_000_500).status, 200);
        assert_eq!(e.request("DeleteItem", br#"{"TableName":"Music","Key":{"a":{"S":"x"}}}"#, 1_000_600).status, 200);
        // Until the lag has passed a change, there is no restoring to just before it.
        e.tick(1_300_500);
        assert_eq!(pitr_of(&e, "Music", 1).expect("on").recent[0].restore_before_ms, None);
        e.tick(1_400_000);
        let info = pitr_of(&e, "Music", 1).expect("on");
        assert_eq!(
            info,
            PitrInfo {
                period_days: 7,
                earliest_ms: 1_000_000,
                latest_ms: 1_100_000,
                lag_ms: 300_000,
                base_ms: 1_000_000,
                base_items: 1,
                changes: 2,
                recent: vec![PitrChange {
                    at_ms: 1_000_600,
                    event: "REMOVE",
                    operation: "DeleteItem".into(),
                    key: crate::value::item_from_json(&serde_json::json!({"a": {"S": "x"}})).expect("item"),
                    restore_before_ms: Some(1_000_599),
                }],
            }
        );
    }

    #[test]
    fn a_preview_lists_what_a_restore_would_give_back() {
        let mut e = Engine::new(Config { pitr_lag_ms: 0, ..Config::default() });
        let create = r#"{"TableName":"Music","BillingMode":"PAY_PER_REQUEST","AttributeDefinitions":[{"AttributeName":"a","AttributeType":"S"}],"KeySchema":[{"AttributeName":"a","KeyType":"HASH"}]}"#;
        assert_eq!(e.request("CreateTable", create.as_bytes(), 0).status, 200);
        let on = br#"{"TableName":"Music","PointInTimeRecoverySpecification":{"PointInTimeRecoveryEnabled":true}}"#;
        assert_eq!(e.request("UpdateContinuousBackups", on, 10).status, 200);
        for (body, at) in [
            (r#"{"TableName":"Music","Item":{"a":{"S":"x"},"n":{"N":"1"}}}"#, 20),
            (r#"{"TableName":"Music","Item":{"a":{"S":"y"}}}"#, 30),
            (r#"{"TableName":"Music","Item":{"a":{"S":"x"},"n":{"N":"2"}}}"#, 40),
            (r#"{"TableName":"Music","Item":{"a":{"S":"z"}}}"#, 50),
        ] {
            assert_eq!(e.request("PutItem", body.as_bytes(), at).status, 200);
        }
        assert_eq!(e.request("DeleteItem", br#"{"TableName":"Music","Key":{"a":{"S":"y"}}}"#, 60).status, 200);
        let item = |j: serde_json::Value| crate::value::item_from_json(&j).expect("item");
        // In storage order: by partition-key hash, as a Scan reads them.
        let (diffs, total) = pitr_preview(&e, "Music", 35, 10).expect("on");
        assert_eq!(total, 3);
        assert_eq!(
            diffs,
            [
                PitrDiff {
                    key: item(serde_json::json!({"a": {"S": "z"}})),
                    then: None,
                    now: Some(item(serde_json::json!({"a": {"S": "z"}})))
                },
                PitrDiff {
                    key: item(serde_json::json!({"a": {"S": "x"}})),
                    then: Some(item(serde_json::json!({"a": {"S": "x"}, "n": {"N": "1"}}))),
                    now: Some(item(serde_json::json!({"a": {"S": "x"}, "n": {"N": "2"}}))),
                },
                PitrDiff {
                    key: item(serde_json::json!({"a": {"S": "y"}})),
                    then: Some(item(serde_json::json!({"a": {"S": "y"}}))),
                    now: None
                },
            ]
        );
        assert_eq!(pitr_preview(&e, "Music", 35, 1).expect("on").0.len(), 1, "at most the limit, with the total");
        assert_eq!(pitr_preview(&e, "Music", 60, 10).expect("on").1, 0, "now: nothing differs");
        assert_eq!(pitr_preview(&e, "Other", 35, 10), None);
    }
}
