//! Hooks for the browser tests: they reach into stored state to set up cases the app
//! itself never produces (data from a newer version, an older release's layout).

use super::*;

/// Marks the database `name` as written by format `version`.
pub async fn set_format(name: &str, version: u64) {
    let Ok(store) = Store::open(name).await else { return };
    let Ok(tx) = store.transaction(TransactionMode::Readwrite) else { return };
    let Ok(mut meta) = store.read_meta(&tx).await else { return };
    meta.format = version;
    // The request goes out when built; the commit below waits for it.
    let _ = store.write_meta(&tx, meta);
    let _ = tx.commit().await;
    store.close();
}

/// Writes `engine`'s workspace as the release before triggers did: IndexedDB version 5,
/// its stores (no `triggers`, no `mirror`) in today's record formats.
pub async fn write_version_5(name: &str, engine: &Engine) {
    let _ = Store::destroy(name).await;
    let stores = [META, TABLES, ITEMS, CHANGES, BACKUPS, PITR, S3, JOBS];
    let db = Database::open(name)
        .with_version(5u32)
        .with_on_upgrade_needed(move |_, db| {
            for s in stores {
                db.create_object_store(s).build()?;
            }
            Ok(())
        })
        .await
        .expect("a version 5 database");
    let tx = db.transaction(stores).with_mode(TransactionMode::Readwrite).build().expect("tx");
    let put = |store: &str, key: String, value: String| {
        let s = tx.object_store(store).expect("store");
        drop(s.put(value).with_key(key).primitive().expect("put"));
    };
    put(META, STATE.into(), Meta::of(engine, 1).text());
    for (name, snapshot) in engine.table_snapshots() {
        for (key, record) in engine.table_items(&name) {
            put(ITEMS, key, record.to_string());
        }
        put(TABLES, name, snapshot.to_string());
    }
    let each = [
        (CHANGES, engine.change_records()),
        (BACKUPS, engine.backup_records().expect("backups")),
        (PITR, engine.pitr_records().expect("pitr")),
        (S3, engine.s3_records()),
        (JOBS, engine.job_records().expect("jobs")),
    ];
    for (store, records) in each {
        for (key, record) in records {
            put(store, key, record.to_string());
        }
    }
    tx.commit().await.expect("commit");
    db.close();
}

/// Writes a database as release 1 (IndexedDB version 1: `meta`, `tables`, `items`, no
/// `changes`) would have: `tables` holds table snapshots, `items` (key, record) pairs.
pub async fn write_version_1(name: &str, clock: u64, tables: &[(String, String)], items: &[(String, String)]) {
    let _ = Store::destroy(name).await;
    let db = Database::open(name)
        .with_version(1u32)
        .with_on_upgrade_needed(|_, db| {
            db.create_object_store(META).build()?;
            db.create_object_store(TABLES).build()?;
            db.create_object_store(ITEMS).build()?;
            Ok(())
        })
        .await
        .expect("a version 1 database");
    let tx = db.transaction([META, TABLES, ITEMS]).with_mode(TransactionMode::Readwrite).build().expect("tx");
    let meta = Meta { format: 1, seq: 1, clock, ..Meta::default() }.text();
    let put = |store: &str, key: &str, value: &str| {
        let s = tx.object_store(store).expect("store");
        drop(s.put(value.to_string()).with_key(key.to_string()).primitive().expect("put"));
    };
    put(META, STATE, &meta);
    for (k, v) in tables {
        put(TABLES, k, v);
    }
    for (k, v) in items {
        put(ITEMS, k, v);
    }
    tx.commit().await.expect("commit");
    db.close();
}

/// The commit sequence number stored in the database `name` (how many commits it has had).
pub async fn stored_seq(name: &str) -> u64 {
    let Ok(store) = Store::open(name).await else { return 0 };
    let Ok(tx) = store.transaction(TransactionMode::Readonly) else { return 0 };
    let seq = store.read_meta(&tx).await.map_or(0, |m| m.seq);
    drop(tx);
    store.close();
    seq
}
