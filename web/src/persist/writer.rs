//! The write path's code: a change set's records ([`change_set::write`] and the regions'
//! records), a group's items as it runs ([`change_set::write_items`]), a whole workspace
//! written at once ([`Workspace`], [`Store::replace_all`]) and the workspace as a document
//! (an export's file). The page's start reads the workspace and writes nothing, so the
//! split build leaves this out and fetches it with the hot operations
//! (`crate::cold::ensure_hot`, which [`install`]s it); every change waits for it first
//! ([`Store::begin`]). Built without the split, it is built in.

use std::collections::{BTreeMap, BTreeSet};

use dynaplay_engine::global::{Changes, World};
use dynaplay_engine::trace::WriteTrace;
use dynaplay_engine::Engine;
use futures::future::LocalBoxFuture;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::{Transaction, TransactionMode};
use serde_json::Value;

use super::{change_set, classify, commit_failed, state_text, Meta, StorageError, Store, META, REGIONS, WORLD};

type WriteItems = fn(&Transaction<'_>, &[WriteTrace]) -> Result<(), StorageError>;
type WriteChanges =
    fn(&Transaction<'_>, &World, &Changes, usize, &mut BTreeMap<String, u64>) -> Result<(), StorageError>;
type ReplaceAll = for<'a> fn(&'a Store, Workspace) -> LocalBoxFuture<'a, Result<(), StorageError>>;

/// The write path's code, to [`install`].
#[derive(Clone, Copy)]
pub struct Writer {
    /// Writes each item as the writes left it, in order.
    pub(super) items: WriteItems,
    /// Writes everything a change set names but the first `usize` item writes (already
    /// in the transaction); the map is the store's note of the change log's trimming.
    pub(super) changes: WriteChanges,
    /// A world's records, read at once ([`Workspace::of`]).
    workspace: fn(&World) -> Result<Workspace, StorageError>,
    /// Replaces everything stored ([`Store::replace_all`]).
    pub(super) replace_all: ReplaceAll,
    /// The whole workspace, every region, as a document (`World::export`).
    document: fn(&World) -> Result<Value, String>,
}

/// The write path's code. Calling it is what brings that code into a build.
pub fn code() -> Writer {
    Writer {
        items: change_set::write_items,
        changes: write_changes,
        workspace: Workspace::read,
        replace_all: |store, workspace| Box::pin(replace_all(store, workspace)),
        document: |world| world.export().map_err(|e| e.0),
    }
}

/// The whole workspace (every region) as a JSON document, or why it cannot be written.
/// Its code must be in (`crate::cold::ensure_hot`).
pub fn document(world: &World) -> Result<Value, String> {
    let writer = get().map_err(|_| DOCUMENT_NOT_LOADED.to_string())?;
    (writer.document)(world)
}

/// [`document`] asked for before its code came.
const DOCUMENT_NOT_LOADED: &str =
    "The code that writes a workspace file could not be fetched (are you offline?). Nothing was changed; try again.";

fn write_changes(
    tx: &Transaction<'_>,
    world: &World,
    changes: &Changes,
    items_stored: usize,
    trimmed: &mut BTreeMap<String, u64>,
) -> Result<(), StorageError> {
    change_set::write(tx, world.home_engine(), &changes.home, items_stored, trimmed)?;
    save_regions(tx, world, &changes.regions)
}

/// Rewrites the records of the regions named (each its engine's whole export).
fn save_regions(tx: &Transaction<'_>, world: &World, names: &BTreeSet<String>) -> Result<(), StorageError> {
    let store = tx.object_store(REGIONS).map_err(classify)?;
    for name in names {
        let Some(engine) = world.region(name) else { continue };
        drop(store.put(region_record(name, engine)?).with_key(name.clone()).primitive().map_err(classify)?);
    }
    Ok(())
}

/// The `regions` store's record of region `name`.
fn region_record(name: &str, engine: &Engine) -> Result<String, StorageError> {
    let workspace = engine.export().map_err(|e| StorageError::Other(e.0))?;
    Ok(serde_json::json!({"region": name, "workspace": workspace}).to_string())
}

/// A whole workspace as its stores' records, read off a world at once: writing it
/// ([`Store::replace_all`]) holds no borrow of the world, so a caller need not copy the
/// world to keep it while the write waits its turn.
pub struct Workspace {
    home: change_set::AllRecords,
    /// Each region but the home one: its name and record.
    regions: Vec<(String, String)>,
    /// The world's own record (`meta`'s `world`).
    state: String,
    /// The settings record, its sequence number set when written.
    meta: Meta,
}

impl Workspace {
    /// A world's records. Its code must be in (`crate::cold::ensure_hot`).
    pub fn of(world: &World) -> Result<Workspace, StorageError> {
        (get()?.workspace)(world)
    }

    fn read(world: &World) -> Result<Workspace, StorageError> {
        let others = world.region_names().into_iter().skip(1);
        let regions = others.filter_map(|name| {
            let record = region_record(&name, world.region(&name)?);
            Some(record.map(|r| (name, r)))
        });
        Ok(Workspace {
            home: change_set::AllRecords::of(world.home_engine())?,
            regions: regions.collect::<Result<_, _>>()?,
            state: state_text(world)?,
            meta: Meta::of(world.home_engine(), 0),
        })
    }
}

/// [`Store::replace_all`]'s work.
async fn replace_all(store: &Store, workspace: Workspace) -> Result<(), StorageError> {
    let _turn = store.tabs.turn().await;
    let tx = store.transaction(TransactionMode::Readwrite)?;
    let next = store.read_meta(&tx).await?.seq + 1;
    change_set::write_all(&tx, workspace.home)?;
    let regions = tx.object_store(REGIONS).map_err(classify)?;
    regions.clear().map_err(classify)?;
    for (name, record) in workspace.regions {
        drop(regions.put(record).with_key(name).primitive().map_err(classify)?);
    }
    let meta = tx.object_store(META).map_err(classify)?;
    drop(meta.put(workspace.state.clone()).with_key(WORLD).primitive().map_err(classify)?);
    store.write_meta(&tx, Meta { seq: next, ..workspace.meta })?;
    if let Err(e) = tx.commit().await {
        *store.stale.borrow_mut() = true;
        return Err(commit_failed(e).await);
    }
    *store.seq.borrow_mut() = next;
    *store.world_state.borrow_mut() = workspace.state;
    Ok(())
}

#[cfg(feature = "split")]
static INSTALLED: std::sync::OnceLock<Writer> = std::sync::OnceLock::new();

/// Makes the write path runnable (once; later calls change nothing).
#[cfg(feature = "split")]
pub fn install(code: Writer) {
    let _ = INSTALLED.set(code);
}

/// The write path, when it can run: built in, or installed; otherwise why not.
pub(super) fn get() -> Result<Writer, StorageError> {
    #[cfg(feature = "split")]
    return INSTALLED.get().copied().ok_or_else(not_loaded);
    #[cfg(not(feature = "split"))]
    Ok(code())
}

/// The write path asked for before its code came (the page could not fetch it).
pub(super) fn not_loaded() -> StorageError {
    StorageError::Other("the code that saves changes could not be fetched (are you offline?); try again".into())
}
