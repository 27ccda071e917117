//! One change set: what a trace names, written into the stores of the home region's
//! records (items, tables, change log, backups, point-in-time bases, S3 and jobs,
//! triggers and the mirror), inside the caller's transaction.

use std::collections::BTreeMap;

use dynaplay_engine::log::Logged;
use dynaplay_engine::snapshot::{
    change_group_text, change_key, change_record_text, item_key, item_key_range, item_record_text, SnapshotError,
};
use dynaplay_engine::trace::WriteTrace;
use dynaplay_engine::{Engine, Trace};
use indexed_db_futures::object_store::ObjectStore;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::Transaction;
use indexed_db_futures::KeyRange;

use super::{
    classify, StorageError, BACKUPS, CHANGES, IAM, ITEMS, JOBS, META, MIRROR, MIRROR_DB, PITR, S3, TABLES, TRIGGERS,
};

/// Everything stored of the home region, read off its engine at once (an import, or a
/// sandbox kept): writing it ([`write_all`]) holds no borrow of the engine.
pub(super) struct AllRecords {
    /// Each store [`write_all`] clears and refills, with its records (key, text).
    stores: Vec<(&'static str, Vec<(String, String)>)>,
    iam: String,
    mirror: Option<String>,
}

impl AllRecords {
    pub(super) fn of(engine: &Engine) -> Result<AllRecords, StorageError> {
        let tables = engine.table_snapshots();
        let items = tables.iter().flat_map(|(name, _)| engine.table_items(name)).collect();
        Ok(AllRecords {
            stores: vec![
                (TABLES, texts(tables)),
                (ITEMS, texts(items)),
                (CHANGES, texts(engine.change_records())),
                (BACKUPS, texts(engine.backup_records().map_err(snapshot)?)),
                (PITR, texts(engine.pitr_records().map_err(snapshot)?)),
                (S3, texts(engine.s3_records())),
                (JOBS, texts(engine.job_records().map_err(snapshot)?)),
                (TRIGGERS, texts(engine.trigger_records().map_err(snapshot)?)),
            ],
            iam: engine.iam_record().to_string(),
            mirror: engine.mirror_state().map_err(snapshot)?.map(|s| s.to_string()),
        })
    }
}

/// Stored state the engine could not write down.
fn snapshot(e: SnapshotError) -> StorageError {
    StorageError::Other(e.0)
}

fn texts(records: Vec<(String, serde_json::Value)>) -> Vec<(String, String)> {
    records.into_iter().map(|(key, record)| (key, record.to_string())).collect()
}

/// Replaces everything stored of the home region with `records`.
pub(super) fn write_all(tx: &Transaction<'_>, records: AllRecords) -> Result<(), StorageError> {
    for (name, list) in records.stores {
        let store = tx.object_store(name).map_err(classify)?;
        store.clear().map_err(classify)?;
        for (key, record) in list {
            drop(store.put(record).with_key(key).primitive().map_err(classify)?);
        }
    }
    put_iam(tx, records.iam)?;
    put_mirror(tx, records.mirror)
}

/// Writes everything `trace` names of `engine`'s state, but the first `stored` of its item
/// writes, which are already in `tx` ([`write_items`]). `trimmed` is the store's note of
/// how far each table's old change records were already deleted.
pub(super) fn write(
    tx: &Transaction<'_>,
    engine: &Engine,
    trace: &Trace,
    stored: usize,
    trimmed: &mut BTreeMap<String, u64>,
) -> Result<(), StorageError> {
    save_changes(tx, engine, trace, trimmed)?;
    save_rewritten(tx, engine, trace)?;
    save_backups(tx, engine, trace)?;
    save_pitr(tx, engine, trace)?;
    save_transfers(tx, engine, trace)?;
    if trace.triggers_changed {
        save_triggers(tx, engine)?;
    }
    if trace.iam_changed {
        save_iam(tx, engine)?;
    }
    write_items(tx, trace.writes.get(stored..).unwrap_or_default())?;
    save_tables(tx, engine, trace)
}

/// Writes IAM's principals, policies and settings (`meta`'s `iam` record), whole.
fn save_iam(tx: &Transaction<'_>, engine: &Engine) -> Result<(), StorageError> {
    put_iam(tx, engine.iam_record().to_string())
}

fn put_iam(tx: &Transaction<'_>, record: String) -> Result<(), StorageError> {
    let meta = tx.object_store(META).map_err(classify)?;
    drop(meta.put(record).with_key(IAM).primitive().map_err(classify)?);
    Ok(())
}

/// Saves every item of the tables the request wrote wholesale (a restore).
fn save_rewritten(tx: &Transaction<'_>, engine: &Engine, trace: &Trace) -> Result<(), StorageError> {
    let store = tx.object_store(ITEMS).map_err(classify)?;
    for name in &trace.tables_rewritten {
        let (lo, hi) = item_key_range(name);
        store.delete::<String, KeyRange<String>>(KeyRange::Bound(lo, false, hi, true)).primitive().map_err(classify)?;
        for (key, record) in engine.table_items(name) {
            store.put(record.to_string()).with_key(key).primitive().map_err(classify)?;
        }
    }
    Ok(())
}

/// Writes the point-in-time recovery bases that were taken or rolled, drops those turned off.
fn save_pitr(tx: &Transaction<'_>, engine: &Engine, trace: &Trace) -> Result<(), StorageError> {
    let store = tx.object_store(PITR).map_err(classify)?;
    for table in &trace.pitr_changed {
        put_or_delete(&store, table, engine.pitr_record(table).map_err(snapshot)?)?;
    }
    Ok(())
}

/// Writes the backups the request created and drops those it deleted.
fn save_backups(tx: &Transaction<'_>, engine: &Engine, trace: &Trace) -> Result<(), StorageError> {
    let store = tx.object_store(BACKUPS).map_err(classify)?;
    for arn in &trace.backups_changed {
        put_or_delete(&store, arn, engine.backup_record(arn).map_err(snapshot)?)?;
    }
    Ok(())
}

/// Writes the buckets, objects and jobs the trace names, and drops those that are gone.
fn save_transfers(tx: &Transaction<'_>, engine: &Engine, trace: &Trace) -> Result<(), StorageError> {
    let s3 = tx.object_store(S3).map_err(classify)?;
    for key in &trace.s3_changed {
        put_or_delete(&s3, key, engine.s3_record(key))?;
    }
    let jobs = tx.object_store(JOBS).map_err(classify)?;
    for arn in &trace.jobs_changed {
        put_or_delete(&jobs, arn, engine.job_record(arn).map_err(snapshot)?)?;
    }
    Ok(())
}

/// Writes `record` under `key`, or deletes the key when there is no record.
fn put_or_delete(store: &ObjectStore<'_>, key: &str, record: Option<serde_json::Value>) -> Result<(), StorageError> {
    match record {
        Some(r) => drop(store.put(r.to_string()).with_key(key.to_string()).primitive().map_err(classify)?),
        None => drop(store.delete(key.to_string()).primitive().map_err(classify)?),
    }
    Ok(())
}

/// Rewrites every trigger and the relational mirror (triggers ran, or were made or
/// deleted, or SQL changed the mirror).
pub(super) fn save_triggers(tx: &Transaction<'_>, engine: &Engine) -> Result<(), StorageError> {
    let store = tx.object_store(TRIGGERS).map_err(classify)?;
    store.clear().map_err(classify)?;
    for (key, record) in engine.trigger_records().map_err(snapshot)? {
        store.put(record.to_string()).with_key(key).primitive().map_err(classify)?;
    }
    put_mirror(tx, engine.mirror_state().map_err(snapshot)?.map(|s| s.to_string()))
}

/// Keeps the mirror's database (`None`: the workspace has none).
fn put_mirror(tx: &Transaction<'_>, state: Option<String>) -> Result<(), StorageError> {
    let mirror = tx.object_store(MIRROR).map_err(classify)?;
    match state {
        Some(state) => drop(mirror.put(state).with_key(MIRROR_DB).primitive().map_err(classify)?),
        None => drop(mirror.delete(MIRROR_DB).primitive().map_err(classify)?),
    }
    Ok(())
}

/// Writes each item as `writes` left it (its record, or its deletion), in order.
pub(super) fn write_items(tx: &Transaction<'_>, writes: &[WriteTrace]) -> Result<(), StorageError> {
    let items_store = tx.object_store(ITEMS).map_err(classify)?;
    for w in writes {
        let key = item_key(&w.table, &w.key);
        match &w.after {
            Some(item) => {
                drop(items_store.put(item_record_text(&w.table, item)).with_key(key).primitive().map_err(classify)?)
            }
            None => drop(items_store.delete(key).primitive().map_err(classify)?),
        }
    }
    Ok(())
}

/// Rewrites the snapshots of exactly the tables `trace` names: item writes leave
/// snapshots alone (they hold no counts); splits and definition and status changes
/// rewrite them. A deleted table's items go (after its writes, which come first), and its
/// snapshot becomes the record of its streams (readable 24 hours), then goes.
fn save_tables(tx: &Transaction<'_>, engine: &Engine, trace: &Trace) -> Result<(), StorageError> {
    let tables_store = tx.object_store(TABLES).map_err(classify)?;
    let items_store = tx.object_store(ITEMS).map_err(classify)?;
    let mut touched = dynaplay_engine::sorted::set(trace.splits.iter().map(|s| s.table.clone()));
    touched.extend(trace.tables_changed.iter().cloned());
    for name in touched {
        if engine.table(&name).is_none() {
            let (lo, hi) = item_key_range(&name);
            let range = KeyRange::Bound(lo, false, hi, true);
            items_store.delete::<String, KeyRange<String>>(range).primitive().map_err(classify)?;
        }
        match engine.table_snapshot(&name) {
            Some(snapshot) => {
                drop(tables_store.put(snapshot.to_string()).with_key(name).primitive().map_err(classify)?)
            }
            None => drop(tables_store.delete(name).primitive().map_err(classify)?),
        }
    }
    Ok(())
}

/// Appends the change-log records of the requests in this change set, one record per
/// table ([`change_group_text`], under its last change's key), and drops the records its
/// tables' logs no longer keep (older than 24 hours), unless `trimmed` says they are gone
/// already. (A note from a transaction that then failed only delays a delete: the next
/// one covers every key below the log's first.)
fn save_changes(
    tx: &Transaction<'_>,
    engine: &Engine,
    trace: &Trace,
    trimmed: &mut BTreeMap<String, u64>,
) -> Result<(), StorageError> {
    let store = tx.object_store(CHANGES).map_err(classify)?;
    let mut by_table: BTreeMap<&str, Vec<Logged>> = BTreeMap::new();
    for (table, seq) in &trace.changes {
        let Some(change) = engine.change_log(table).and_then(|l| l.get(*seq)) else { continue };
        by_table.entry(table.as_str()).or_default().push(change);
    }
    for (table, changes) in &by_table {
        let Some(last) = changes.iter().map(|c| c.seq).max() else { continue };
        let record = match changes.as_slice() {
            [one] => change_record_text(table, *one),
            many => change_group_text(table, many.iter().copied()),
        };
        store.put(record).with_key(change_key(table, last)).primitive().map_err(classify)?;
    }
    let tables = dynaplay_engine::sorted::set(trace.changes.iter().map(|(t, _)| t.as_str()));
    for table in tables {
        let Some(first) = engine.change_log(table).map(|l| l.first_seq()) else { continue };
        if trimmed.get(table).is_some_and(|done| *done >= first) {
            continue;
        }
        let (lo, hi) = (change_key(table, 0), change_key(table, first));
        store.delete::<String, KeyRange<String>>(KeyRange::Bound(lo, false, hi, true)).primitive().map_err(classify)?;
        trimmed.insert(table.to_string(), first);
    }
    Ok(())
}
